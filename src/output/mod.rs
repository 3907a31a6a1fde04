//! Rendering only: list views, unified diffs, secret masking, colour. Nothing here reads files
//! or decides anything; it turns values from `ops` into text.

pub mod diff;
pub mod lint;
pub mod list;
pub mod secrets;

use std::io::IsTerminal;

/// When to colour output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always, unless NO_COLOR is set.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour standard output.
    pub fn enabled(self) -> bool {
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            return false;
        }
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => std::io::stdout().is_terminal(),
        }
    }
}
