//! Masking passwords in connection strings, in values and in raw XML lines alike.

use std::borrow::Cow;

const KEYS: [&str; 2] = ["password", "pwd"];

/// Mask passwords in free text: raw XML lines, diffs, messages. A value ends at `;`, a quote,
/// `<` or a line end (entity references such as `&amp;` stay part of it).
pub fn mask(s: &str) -> Cow<'_, str> {
    mask_with(s, b";\"'<\n\r")
}

/// Mask passwords in one logical attribute value, where only `;` ends a connection-string value
/// (a password may contain quotes).
pub fn mask_value(s: &str) -> Cow<'_, str> {
    mask_with(s, b";")
}

/// Replace the value of every `password=` / `pwd=` key (case-insensitive) with `****`.
fn mask_with<'s>(s: &'s str, stops: &[u8]) -> Cow<'s, str> {
    let b = s.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        let key = KEYS.iter().find(|k| {
            b.len() - i >= k.len() && b[i..i + k.len()].eq_ignore_ascii_case(k.as_bytes())
        });
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
        while j < b.len() && !stops.contains(&b[j]) {
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

/// `mask_value` unless `show` is set.
pub fn shown_value(s: &str, show: bool) -> Cow<'_, str> {
    if show {
        Cow::Borrowed(s)
    } else {
        mask_value(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_password_and_pwd_in_values() {
        assert_eq!(
            mask_value("Server=x;User ID=a;Password=p'w\"d;Pooling=true"),
            "Server=x;User ID=a;Password=****;Pooling=true"
        );
        assert_eq!(mask_value("server=x;PWD = s3cret"), "server=x;PWD = ****");
        assert_eq!(mask_value("Password='a;b';x=1"), "Password=****;x=1");
        assert_eq!(mask_value("no secrets here"), "no secrets here");
        assert_eq!(
            mask_value("sessi\u{f6}n password=x"),
            "sessi\u{f6}n password=****"
        );
    }

    #[test]
    fn masks_in_raw_xml_lines_without_eating_the_quote() {
        assert_eq!(
            mask(
                r#"<sessionState sqlConnectionString="data source=a;password=Pa&amp;ss;x=1" timeout="2" />"#
            ),
            r#"<sessionState sqlConnectionString="data source=a;password=****;x=1" timeout="2" />"#
        );
        assert_eq!(mask(r#"a="password=x""#), r#"a="password=****""#);
        assert_eq!(mask("passwordless=true"), "passwordless=true");
    }
}
