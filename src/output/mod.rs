//! Rendering only: list views, unified diffs, secret masking, colour. Nothing here reads files
//! or decides anything; it turns values from `ops` into text.

pub mod diff;
pub mod lint;
pub mod list;

use std::io::IsTerminal;

/// When to colour output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always: an explicit `--color always` wins over NO_COLOR (no-color.org).
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour standard output.
    pub fn enabled(self) -> bool {
        if self == ColorChoice::Always {
            return true;
        }
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            return false;
        }
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            // A dumb terminal shows escape sequences as garbage.
            ColorChoice::Auto => {
                std::io::stdout().is_terminal()
                    && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
            }
        }
    }
}

/// Text from a file made safe for a terminal: control characters (C0 but tab, DEL, C1) and a
/// byte-order mark are shown as `\x1b` / `\u{feff}` escapes instead of being printed raw, so a
/// value holding an ESC byte cannot drive the user's terminal.
pub fn sanitize(s: &str) -> std::borrow::Cow<'_, str> {
    let bad =
        |c: char| (c.is_control() && c != '\t' && c != '\n') || c == '\u{feff}' || c == '\u{2028}';
    // ASCII (nearly every line shown) is checked byte by byte: its controls are below 0x20
    // and 0x7F.
    let clean = if s.is_ascii() {
        !s.bytes()
            .any(|b| (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7f)
    } else {
        !s.contains(bad)
    };
    if clean {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            if (c as u32) < 0x80 {
                out.push_str(&format!("\\x{:02x}", c as u32));
            } else {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}
