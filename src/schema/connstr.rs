//! The connection-string grammar of ADO.NET (`DbConnectionOptions`): `key=value` pairs separated
//! by `;`, keys case-insensitive with white space around `=` ignored (`==` inside a key is a
//! literal `=`), values either bare (up to the next `;`, trimmed) or quoted with `"` or `'`, a
//! doubled quote inside standing for one. One parser serves the runtime rules, SS102 and the
//! masking of passwords in every output.

use std::ops::Range;

/// One `key=value` pair with the byte ranges it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    /// The key, trimmed, `==` unescaped, lower case.
    pub key: String,
    /// The key as written (trimmed, `==` unescaped).
    pub written_key: String,
    /// The value, trimmed and unquoted.
    pub value: String,
    /// The value as written, quotes included.
    pub raw: Range<usize>,
}

/// The keys whose values are secrets.
pub const SECRET_KEYS: [&str; 2] = ["password", "pwd"];

/// Whether `key` (already lower case) names a secret.
pub fn is_secret_key(key: &str) -> bool {
    SECRET_KEYS.contains(&key)
}

/// Parse `s` as far as it follows the grammar; a key with no `=` ends the parse.
pub fn parse(s: &str) -> Vec<Pair> {
    let b = s.as_bytes();
    let mut pairs = Vec::new();
    let mut i = 0;
    loop {
        while i < b.len() && (b[i] == b';' || b[i].is_ascii_whitespace()) {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        // The key runs to the first '=' that is not doubled.
        let mut key = String::new();
        let mut seg = i;
        let mut found = false;
        while i < b.len() {
            if b[i] == b';' {
                // Not a key after all (ADO.NET refuses it): start again after the ';', so that
                // a secret key behind it is still found.
                key.clear();
                seg = i + 1;
            } else if b[i] == b'=' {
                key.push_str(&s[seg..i]);
                if b.get(i + 1) == Some(&b'=') {
                    key.push('=');
                    i += 2;
                    seg = i;
                    continue;
                }
                found = true;
                i += 1;
                break;
            }
            i += 1;
        }
        if !found {
            break;
        }
        let written_key = key.trim().to_string();
        let key = written_key.to_ascii_lowercase();
        while i < b.len() && b[i] != b'\n' && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        let value;
        if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
            let q = b[i];
            let mut v = String::new();
            let mut j = i + 1;
            let mut closed = false;
            let mut seg = j;
            while j < b.len() {
                if b[j] == q {
                    v.push_str(&s[seg..j]);
                    if b.get(j + 1) == Some(&q) {
                        v.push(q as char);
                        j += 2;
                        seg = j;
                        continue;
                    }
                    closed = true;
                    j += 1;
                    break;
                }
                j += 1;
            }
            if !closed {
                v.push_str(&s[seg..j]);
            }
            value = v;
            i = j;
        } else {
            while i < b.len() && b[i] != b';' {
                i += 1;
            }
            value = s[start..i].trim_end().to_string();
        }
        let end = if value.is_empty() && start == i {
            start
        } else {
            // Trailing white space after a bare value is not part of it.
            start + s[start..i].trim_end().len()
        };
        pairs.push(Pair {
            key,
            written_key,
            value,
            raw: start..end,
        });
    }
    pairs
}

/// Why ADO.NET would refuse `s` as a connection string ("Format of the initialization string
/// does not conform to specification"), or `None`. The reason never quotes the string: the
/// part it is about may be the tail of a password (`Password=s3cr;et`).
pub fn malformed(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut i = 0;
    loop {
        while i < b.len() && (b[i] == b';' || b[i].is_ascii_whitespace()) {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let part = i;
        // The key: up to the first `=` that is not doubled.
        loop {
            match b.get(i) {
                None | Some(b';') => {
                    return Some(format!(
                        "the part at character {} has no \"=\"; a \";\" inside a value (a password) needs the value quoted (Password=\"...\")",
                        part + 1
                    ))
                }
                Some(b'=') if b.get(i + 1) == Some(&b'=') => i += 2,
                Some(b'=') => {
                    i += 1;
                    break;
                }
                Some(_) => i += 1,
            }
        }
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if let Some(&q) = b.get(i).filter(|&&c| c == b'"' || c == b'\'') {
            i += 1;
            loop {
                match b.get(i) {
                    None => return Some("a quoted value is not closed".to_string()),
                    Some(&c) if c == q && b.get(i + 1) == Some(&q) => i += 2,
                    Some(&c) if c == q => {
                        i += 1;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && b[i] != b';' {
                return Some(format!(
                    "characters follow a quoted value at character {}",
                    i + 1
                ));
            }
        } else {
            while i < b.len() && b[i] != b';' {
                i += 1;
            }
        }
    }
}

/// The value of `key` (lower case), the last one winning as in ADO.NET.
pub fn get(s: &str, key: &str) -> Option<String> {
    parse(s)
        .into_iter()
        .rfind(|p| p.key == key)
        .map(|p| p.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_strings_are_told_without_quoting_them() {
        assert_eq!(malformed("Server=x;Password=s3cr;et"), Some("the part at character 24 has no \"=\"; a \";\" inside a value (a password) needs the value quoted (Password=\"...\")".into()));
        assert_eq!(malformed("Server=x;Password=\"s3cr;et\""), None);
        assert_eq!(
            malformed("data source=localhost;Integrated Security=SSPI"),
            None
        );
        assert_eq!(malformed("a=1;;b = '2' ; "), None);
        assert!(malformed("a='1").is_some());
        assert!(malformed("a='1'x").is_some());
        assert_eq!(malformed(""), None);
    }

    #[test]
    fn parses_quoted_and_bare_values() {
        let p = parse(r#"Server = x ; Password="hun;ter2";User ID='a''b'; x==y = 1"#);
        let kv: Vec<(&str, &str)> = p
            .iter()
            .map(|p| (p.key.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(
            kv,
            vec![
                ("server", "x"),
                ("password", "hun;ter2"),
                ("user id", "a'b"),
                ("x=y", "1")
            ]
        );
    }
}
