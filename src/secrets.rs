//! Masking passwords in connection strings, in logical values and in raw XML text alike.
//!
//! A logical value (a decoded attribute) is parsed with ADO.NET's grammar
//! ([`crate::schema::connstr`]) and the value of every `Password`/`Pwd` key is replaced with
//! `****`, quotes and `;` inside quotes included. Raw text (XML lines in diffs and code frames,
//! messages) is masked a line at a time: every quoted attribute value is decoded, masked as a
//! logical value and re-escaped for its quote; a `password=` key outside any attribute value
//! (a line that continues a multi-line value, a comment, a message) masks the value that follows,
//! whether bare, quoted, or quoted with `&quot;`/`&apos;`.

use std::borrow::Cow;

use crate::doc::{escape, unescape};
use crate::schema::connstr;

/// The mask written in place of a secret.
pub const MASK: &str = "****";

pub use crate::schema::value::is_placeholder;

/// Whether an attribute (of a provider `<add>`, or any element) holds a secret by its name:
/// a password (`password`, `pwd`), a secret, a token, or a key (`accessKey`, `AWSSecretKey`,
/// `validationKey`; not `keyName`, nor `publicKeyToken`, the public half of an assembly's strong
/// name). Its whole value is masked.
pub fn is_secret_attribute(name: &str) -> bool {
    let n = name.as_bytes();
    if n.eq_ignore_ascii_case(b"publicKeyToken") {
        return false;
    }
    let has = |w: &[u8]| n.windows(w.len()).any(|x| x.eq_ignore_ascii_case(w));
    has(b"password")
        || has(b"pwd")
        || has(b"secret")
        || has(b"token")
        || (n.len() > 3
            && n[n.len() - 3..].eq_ignore_ascii_case(b"key")
            && !n.eq_ignore_ascii_case(b"machinekey"))
}

/// The attribute name that ends just before byte `eq` (an `=`), white space between allowed.
fn name_before(b: &[u8], eq: usize) -> &[u8] {
    let mut end = eq;
    while end > 0 && matches!(b[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    let mut start = end;
    while start > 0
        && (b[start - 1].is_ascii_alphanumeric()
            || matches!(b[start - 1], b'_' | b'-' | b'.' | b':'))
    {
        start -= 1;
    }
    &b[start..end]
}

/// An attribute's value as every output shows it: `****` for an attribute whose name says
/// secret, else its value with the passwords of a connection string in it masked.
pub fn mask_attribute<'a>(name: &str, value: &'a str) -> Cow<'a, str> {
    if is_secret_attribute(name)
        && !value.is_empty()
        && !is_generated_key(value)
        && !is_placeholder(value)
    {
        Cow::Borrowed(MASK)
    } else {
        mask_value(value)
    }
}

/// Whether a key attribute's value asks the runtime to generate the key (`<machineKey
/// validationKey="AutoGenerate,IsolateApps">`): words, no secret in them.
fn is_generated_key(value: &str) -> bool {
    value.split(',').all(|w| {
        let w = w.trim();
        ["AutoGenerate", "IsolateApps", "IsolateByAppId"]
            .iter()
            .any(|k| w.eq_ignore_ascii_case(k))
    })
}

/// Whether an attribute holds a secret in plain text: what every output would mask
/// (`mask_attribute`) is there, not already masked.
pub fn reveals_secret(name: &str, value: &str) -> bool {
    mask_attribute(name, value) != value
}

/// `mask_attribute` unless `show` is set.
pub fn shown_attribute<'a>(name: &str, value: &'a str, show: bool) -> Cow<'a, str> {
    if show {
        Cow::Borrowed(value)
    } else {
        mask_attribute(name, value)
    }
}

/// Whether `value` is a secret attribute's value as masked (what `/in` must not write back).
pub fn is_masked_attribute(name: &str, value: &str) -> bool {
    is_secret_attribute(name) && value == MASK
}

/// Mask the passwords of one logical value (a decoded attribute value): ADO.NET's `;` grammar,
/// and the `password=` of a StackExchange.Redis-style string (`host:6380,password=x,ssl=True`).
pub fn mask_value(s: &str) -> Cow<'_, str> {
    let pairs = connstr::parse(s);
    let secret: Vec<_> = pairs
        .iter()
        .filter(|p| {
            connstr::is_secret_key(&p.key) && !p.raw.is_empty() && !is_placeholder(&p.value)
        })
        .collect();
    if secret.is_empty() {
        return mask_comma_options(s);
    }
    // A string ADO.NET cannot read (`Password=s3cr;et`): where the password ends is unknown,
    // so everything from it on is masked.
    if connstr::malformed(s).is_some() {
        let start = secret[0].raw.start;
        return Cow::Owned(format!("{}{MASK}", &s[..start]));
    }
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    for p in secret {
        out.push_str(&s[copied..p.raw.start]);
        out.push_str(MASK);
        copied = p.raw.end;
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

/// The `password=` (or `pwd=`) options of a comma-separated option string, masked to the next
/// comma (StackExchange.Redis's configuration strings).
fn mask_comma_options(s: &str) -> Cow<'_, str> {
    if !s.contains(',') {
        return Cow::Borrowed(s);
    }
    let mut out = String::new();
    let mut copied = 0;
    let mut start = 0;
    for seg in s.split(',') {
        let lead = seg.len() - seg.trim_start().len();
        let t = &seg[lead..];
        if let Some(eq) = t.find('=') {
            let key = t[..eq].trim();
            if connstr::is_secret_key(&key.to_ascii_lowercase()) {
                let vstart = start + lead + eq + 1;
                let vend = start + seg.len();
                if vend > vstart && !is_placeholder(&s[vstart..vend]) {
                    out.push_str(&s[copied..vstart]);
                    out.push_str(MASK);
                    copied = vend;
                }
            }
        }
        start += seg.len() + 1;
    }
    if copied == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

/// Mask passwords in raw text: XML lines, diffs, messages. See the module doc.
pub fn mask(s: &str) -> Cow<'_, str> {
    if !might_hold_secret(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&mask_line(line));
    }
    if out == s {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(out)
    }
}

/// A cheap pre-check: only text containing `pwd` or `password` (any case), or an attribute
/// whose name says secret (`secret`, `token`, `key`), can change.
fn might_hold_secret(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr2_iter(b'p', b'P', b).any(|i| {
        let rest = &b[i..];
        (rest.len() >= 3 && rest[..3].eq_ignore_ascii_case(b"pwd"))
            || (rest.len() >= 8 && rest[..8].eq_ignore_ascii_case(b"password"))
    }) || memchr::memchr_iter(b'=', b)
        .any(|i| std::str::from_utf8(name_before(b, i)).is_ok_and(is_secret_attribute))
}

/// Whether a secret key starts at `i`: its length, including white space up to and past `=`.
fn secret_key_at(b: &[u8], i: usize) -> Option<usize> {
    let boundary = i == 0
        || matches!(
            b[i - 1],
            b';' | b' ' | b'\t' | b'"' | b'\'' | b'\r' | b'>' | b'(' | b',' | b':' | b'['
        );
    if !boundary {
        return None;
    }
    let key = connstr::SECRET_KEYS
        .iter()
        .find(|k| b.len() - i >= k.len() && b[i..i + k.len()].eq_ignore_ascii_case(k.as_bytes()))?;
    let mut j = i + key.len();
    while j < b.len() && matches!(b[j], b' ' | b'\t') {
        j += 1;
    }
    if b.get(j) != Some(&b'=') || b.get(j + 1) == Some(&b'=') {
        return None;
    }
    j += 1;
    while j < b.len() && matches!(b[j], b' ' | b'\t') {
        j += 1;
    }
    Some(j - i)
}

/// The end of a raw secret value starting at `j`: a quoted value (raw quote or entity) to its
/// closing quote, doubled quotes included; a bare one to `;`, `<`, a quote or the line end.
fn raw_value_end(s: &str, j: usize) -> usize {
    let b = s.as_bytes();
    let rest = &s[j..];
    let quote: Option<&str> = ["\"", "'", "&quot;", "&apos;"]
        .into_iter()
        .find(|q| rest.starts_with(q));
    if let Some(q) = quote {
        let mut k = j + q.len();
        while k < b.len() {
            if s[k..].starts_with(q) {
                if s[k + q.len()..].starts_with(q) {
                    k += 2 * q.len();
                    continue;
                }
                return k + q.len();
            }
            k += 1;
        }
        return b.len();
    }
    let mut k = j;
    while k < b.len() && !matches!(b[k], b';' | b'<' | b'"' | b'\'' | b'\r') {
        if b[k] == b'&' {
            if let Some(semi) = b[k..].iter().take(10).position(|&c| c == b';') {
                if s[k..k + semi].starts_with("&quot") || s[k..k + semi].starts_with("&apos") {
                    break;
                }
                k += semi + 1;
                continue;
            }
        }
        k += 1;
    }
    k
}

fn mask_line(line: &str) -> Cow<'_, str> {
    let b = line.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        if let Some(klen) = secret_key_at(b, i) {
            let start = i + klen;
            let end = raw_value_end(line, start);
            let raw = line[start..end].trim_matches(|c| c == '"' || c == '\'');
            if end > start && !is_placeholder(&unescape(raw)) {
                out.push_str(&line[copied..start]);
                out.push_str(MASK);
                copied = end;
            }
            i = end.max(i + 1);
            continue;
        }
        if b[i] == b'=' {
            let mut j = i + 1;
            while j < b.len() && matches!(b[j], b' ' | b'\t') {
                j += 1;
            }
            if j < b.len() && matches!(b[j], b'"' | b'\'') {
                let q = b[j];
                let vstart = j + 1;
                let vend = b[vstart..]
                    .iter()
                    .position(|&c| c == q)
                    .map_or(b.len(), |p| vstart + p);
                let raw = &line[vstart..vend];
                let decoded = unescape(raw);
                // The attribute's name, just before `=`.
                let name_end = line[..i].trim_end().len();
                let name_start = line[..name_end]
                    .char_indices()
                    .rev()
                    .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')))
                    .map_or(0, |(p, c)| p + c.len_utf8());
                let name = &line[name_start..name_end];
                let masked = mask_attribute(name, &decoded);
                if masked != decoded {
                    out.push_str(&line[copied..vstart]);
                    out.push_str(&escape(&masked, q));
                    copied = vend;
                }
                i = vend + 1;
                continue;
            }
        }
        i += 1;
    }
    if copied == 0 {
        return Cow::Borrowed(line);
    }
    out.push_str(&line[copied..]);
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
    fn deployment_placeholders_are_shown_not_masked() {
        use super::*;
        assert_eq!(
            mask_value("Data Source=db;Password=#{DbPassword};User ID=app"),
            "Data Source=db;Password=#{DbPassword};User ID=app"
        );
        assert_eq!(
            mask_value("cache:6380,password=$(RedisKey),ssl=True"),
            "cache:6380,password=$(RedisKey),ssl=True"
        );
        assert_eq!(mask_attribute("accessKey", "__RedisKey__"), "__RedisKey__");
        assert_eq!(
            mask("<add connectionString=\"Password={{ db_password }}\" accessKey=\"%KEY%\" />"),
            "<add connectionString=\"Password={{ db_password }}\" accessKey=\"%KEY%\" />"
        );
        assert_eq!(
            mask("Password=#{DbPassword}; next"),
            "Password=#{DbPassword}; next"
        );
        // The Replace Tokens task's default form.
        assert_eq!(
            mask_value("Data Source=#{DbServer}#;Password=#{DbPassword}#"),
            "Data Source=#{DbServer}#;Password=#{DbPassword}#"
        );
        // A real value beside a placeholder is still masked.
        assert_eq!(
            mask_value("Password=hunter2;Pwd=#{X}"),
            "Password=****;Pwd=#{X}"
        );
    }

    #[test]
    fn provider_secrets_are_masked_by_name_and_redis_passwords_by_option() {
        assert_eq!(mask_attribute("accessKey", "hunter3"), "****");
        assert_eq!(mask_attribute("AWSSecretKey", "k"), "****");
        assert_eq!(mask_attribute("password", "p"), "****");
        assert_eq!(mask_attribute("keyName", "k1"), "k1");
        assert_eq!(
            mask_attribute("publicKeyToken", "31bf3856ad364e35"),
            "31bf3856ad364e35"
        );
        assert_eq!(mask_attribute("type", "T"), "T");
        // A key the runtime generates holds no secret; an explicit one is masked.
        assert_eq!(
            mask_attribute("validationKey", "AutoGenerate,IsolateApps"),
            "AutoGenerate,IsolateApps"
        );
        assert_eq!(
            mask_attribute("decryptionKey", "autogenerate"),
            "autogenerate"
        );
        assert_eq!(
            mask_attribute("validationKey", "AutoGenerate,6F1C0A3E"),
            "****"
        );
        assert_eq!(
            mask("<machineKey validationKey=\"AutoGenerate,IsolateApps\" decryptionKey=\"1A2B3C\" />"),
            "<machineKey validationKey=\"AutoGenerate,IsolateApps\" decryptionKey=\"****\" />"
        );
        assert_eq!(
            mask_attribute("connectionString", "cache01:6380,password=hunter2,ssl=True"),
            "cache01:6380,password=****,ssl=True"
        );
        assert_eq!(mask_value("a:1,Password = x"), "a:1,Password =****");
        assert_eq!(mask_value("a:1,ssl=True"), "a:1,ssl=True");
        assert_eq!(
            mask_value("Server=x;Password=s3cr;et;x=1"),
            "Server=x;Password=****"
        );
        assert_eq!(
            mask(
                r#"<add name="r" accessKey="hunter3" connectionString="c:1,password=hunter2" keyName="k" />"#
            ),
            r#"<add name="r" accessKey="****" connectionString="c:1,password=****" keyName="k" />"#
        );
    }

    /// (logical value, masked) for every quoting form of the grammar.
    const VALUES: &[(&str, &str)] = &[
        (
            "Server=x;User ID=a;Password=p'w\"d;Pooling=true",
            "Server=x;User ID=a;Password=****;Pooling=true",
        ),
        ("server=x;PWD = s3cret", "server=x;PWD = ****"),
        ("Password='a;b';x=1", "Password=****;x=1"),
        ("Server=x;Password=\"hun;ter2\"", "Server=x;Password=****"),
        ("Password=\"say \"\"hi\"\";x\";y=1", "Password=****;y=1"),
        ("Password='it''s;x' ; y=1", "Password=**** ; y=1"),
        ("  password  =  spaced  ;y=1", "  password  =  ****  ;y=1"),
        ("Data Source=a;Pwd=;y=1", "Data Source=a;Pwd=;y=1"),
        ("no secrets here", "no secrets here"),
        ("passwordless=true", "passwordless=true"),
        ("sessi\u{f6}n;password=x", "sessi\u{f6}n;password=****"),
        ("a=\"password=x\";b=1", "a=\"password=x\";b=1"),
    ];

    #[test]
    fn masks_every_quoting_form_of_a_logical_value() {
        for (input, want) in VALUES {
            assert_eq!(mask_value(input), *want, "input {input:?}");
        }
    }

    #[test]
    fn a_line_with_characters_of_several_bytes_before_a_name_is_masked_whole() {
        // A code frame cut with `…` just before `=` (found by cargo fuzz: the name's start was
        // looked for one byte after the character that ends it).
        assert_eq!(mask("…='x'"), "…='x'");
        assert_eq!(mask("…accessKey='x'"), "…accessKey='****'");
        assert_eq!(
            mask("<add П='a' пароль=\"b\" accessKey=\"c\" />"),
            "<add П='a' пароль=\"b\" accessKey=\"****\" />"
        );
        assert_eq!(mask("ПППpassword='q'"), "ПППpassword='****'");
    }

    #[test]
    fn masks_raw_xml_lines_through_the_decoded_value() {
        for (quote, open) in [(b'"', '"'), (b'\'', '\'')] {
            for (input, want) in VALUES {
                let raw = format!(
                    "  <sessionState sqlConnectionString={open}{}{open} timeout=\"2\" />",
                    escape(input, quote)
                );
                let expected = format!(
                    "  <sessionState sqlConnectionString={open}{}{open} timeout=\"2\" />",
                    escape(want, quote)
                );
                assert_eq!(mask(&raw), expected, "raw {raw:?}");
            }
        }
    }

    #[test]
    fn masks_raw_continuation_lines_comments_and_messages() {
        let cases = [
            (
                "+      Password=&quot;hun;ter2&quot;\" />",
                "+      Password=****\" />",
            ),
            (
                "<!-- password=secret;x=1 -->",
                "<!-- password=**** ;x=1 -->",
            ),
            (
                "value Server=x;Password='hun;ter2' is refused",
                "value Server=x;Password=**** is refused",
            ),
            (
                r#"<sessionState sqlConnectionString="data source=a;password=Pa&amp;ss;x=1" timeout="2" />"#,
                r#"<sessionState sqlConnectionString="data source=a;password=****;x=1" timeout="2" />"#,
            ),
            ("passwordless=true", "passwordless=true"),
        ];
        for (input, want) in cases {
            assert_eq!(
                mask(input),
                want.replace("**** ;", "****;"),
                "input {input:?}"
            );
        }
    }
}
