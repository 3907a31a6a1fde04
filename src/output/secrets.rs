//! Masking passwords in connection strings, in values and in raw XML lines alike.

use std::borrow::Cow;

const KEYS: [&str; 2] = ["password", "pwd"];

/// Replace the value of every `password=` / `pwd=` key (case-insensitive) with `****`.
pub fn mask(s: &str) -> Cow<'_, str> {
    let lower = s.to_ascii_lowercase();
    let b = s.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        let key = KEYS.iter().find(|k| lower[i..].starts_with(*k));
        let boundary =
            i == 0 || matches!(b[i - 1], b';' | b' ' | b'\t' | b'"' | b'\'' | b'\n' | b'\r');
        let Some(key) = key.filter(|_| boundary) else {
            i += 1;
            continue;
        };
        let mut j = i + key.len();
        while j < b.len() && b[j] == b' ' {
            j += 1;
        }
        if j >= b.len() || b[j] != b'=' {
            i += 1;
            continue;
        }
        j += 1;
        while j < b.len() && b[j] == b' ' {
            j += 1;
        }
        let start = j;
        if j < b.len() && matches!(b[j], b'\'' | b'"') && b.get(j + 1).is_some() {
            // A quoted connection-string value runs to its closing quote.
            let q = b[j];
            if let Some(close) = b[j + 1..].iter().position(|&c| c == q) {
                let end = j + 1 + close + 1;
                out.push_str(&s[copied..start]);
                out.push_str("****");
                copied = end;
                i = end;
                continue;
            }
        }
        while j < b.len() && !matches!(b[j], b';' | b'"' | b'\'' | b'<' | b'\n' | b'\r') {
            if b[j] == b'&' {
                // An entity in raw XML: its ';' belongs to the value.
                if let Some(semi) = b[j..].iter().take(10).position(|&c| c == b';') {
                    j += semi + 1;
                    continue;
                }
            }
            j += 1;
        }
        if j > start {
            out.push_str(&s[copied..start]);
            out.push_str("****");
            copied = j;
        }
        i = j.max(i + 1);
    }
    if copied == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

/// `mask` unless `show` is set.
pub fn shown(s: &str, show: bool) -> Cow<'_, str> {
    if show {
        Cow::Borrowed(s)
    } else {
        mask(s)
    }
}
