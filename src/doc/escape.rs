//! Attribute value escaping and unescaping.
//!
//! Reading applies XML's attribute-value normalization (literal tabs and line ends become spaces)
//! so that the logical value is what ASP.NET sees. Writing escapes for the quote character the
//! attribute already uses and writes tabs and line ends as character references, so a value
//! survives a round trip through any conforming reader.

use std::borrow::Cow;

/// The logical value of a raw (validated) attribute value.
pub fn unescape(raw: &str) -> Cow<'_, str> {
    // Most values have nothing to decode: one plain pass over the bytes says so.
    if !raw
        .bytes()
        .any(|b| matches!(b, b'&' | b'\t' | b'\n' | b'\r'))
    {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find(['&', '\t', '\n', '\r']) {
        out.push_str(&rest[..i]);
        let c = rest.as_bytes()[i];
        if c != b'&' {
            // "\r\n" is one line end, normalized to one space.
            out.push(' ');
            rest = if c == b'\r' && rest[i + 1..].starts_with('\n') {
                &rest[i + 2..]
            } else {
                &rest[i + 1..]
            };
            continue;
        }
        let Some(semi) = rest[i..].find(';') else {
            out.push_str(&rest[i..]);
            return Cow::Owned(out);
        };
        let entity = &rest[i + 1..i + semi];
        let decoded = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity.strip_prefix('#').and_then(|num| {
                let code = match num.strip_prefix('x') {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => num.parse().ok(),
                };
                code.and_then(char::from_u32)
            }),
        };
        match decoded {
            Some(ch) => out.push(ch),
            None => out.push_str(&rest[i..i + semi + 1]),
        }
        rest = &rest[i + semi + 1..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Escape `value` for an attribute quoted with `quote` (`"` or `'`).
pub fn escape(value: &str, quote: u8) -> Cow<'_, str> {
    let special = |c: char| matches!(c, '&' | '<' | '\t' | '\n' | '\r') || c as u32 == quote as u32;
    if !value.contains(special) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            '"' if quote == b'"' => out.push_str("&quot;"),
            '\'' if quote == b'\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}
