//! The well-formedness scanner: one pass over the decoded text that checks it is XML we can edit
//! safely and records the outline (byte ranges of every element).
//!
//! It is deliberately not a tree builder: it stores five offsets per element and no strings, so a
//! 30 MB applicationHost.config costs a few megabytes of outline and one linear pass. Attributes
//! are tokenized lazily from an element's start tag (see `attr.rs`), because callers look at a
//! handful of elements. Nesting is tracked with an explicit stack, never recursion, so hostile
//! depth cannot overflow the call stack. Documents with a DTD are refused outright: no entity
//! expansion can happen here.

use memchr::{memchr, memchr2, memchr3, memmem};

/// Index of an element in the outline, in document order (the root is 0).
pub type ElementId = usize;

const NO_PARENT: u32 = u32::MAX;

/// The byte ranges of one element. Offsets index the decoded text.
#[derive(Clone, Copy, Debug)]
pub struct Element {
    /// Offset of `<` of the start tag.
    pub start: u32,
    /// Offset just past the end of the name in the start tag.
    pub name_end: u32,
    /// Offset just past `>` of the start tag (or of `/>`).
    pub head_end: u32,
    /// Offset of `<` of the end tag; equal to `head_end` for a self-closed element.
    pub close_start: u32,
    /// Offset just past the element's last byte.
    pub end: u32,
    parent: u32,
    /// One past the index of the element's last descendant.
    pub subtree_end: u32,
}

impl Element {
    /// Whether the element is written `<name ... />`.
    pub fn self_closed(&self) -> bool {
        self.end == self.head_end
    }

    /// The parent element, if any.
    pub fn parent(&self) -> Option<ElementId> {
        (self.parent != NO_PARENT).then_some(self.parent as usize)
    }
}

/// Where every element is, plus a few style facts gathered on the way.
#[derive(Debug, Default)]
pub struct Outline {
    /// All elements in document order.
    pub elements: Vec<Element>,
    /// Self-closed tags written with a space before `/>`.
    pub spaced_self_close: u32,
    /// Self-closed tags written with no space before `/>`.
    pub tight_self_close: u32,
    /// Byte ranges of every comment (`<!--` to `-->` inclusive), in document order.
    pub comments: Vec<(u32, u32)>,
}

/// A well-formedness error at a byte offset of the decoded text.
#[derive(Debug)]
pub struct ScanError {
    /// Byte offset into the text.
    pub offset: usize,
    /// What is wrong, in words.
    pub message: String,
}

type Result<T> = std::result::Result<T, ScanError>;

/// Scan `text` and return its outline, or the first well-formedness error.
pub fn scan(text: &str) -> Result<Outline> {
    if text.len() >= u32::MAX as usize {
        return Err(ScanError {
            offset: 0,
            message: "the file is larger than 4 GiB".into(),
        });
    }
    let mut s = Scanner {
        b: text.as_bytes(),
        pos: 0,
        out: Outline::default(),
        stack: Vec::new(),
        attr_names: Vec::new(),
    };
    s.document()?;
    Ok(s.out)
}

struct Scanner<'a> {
    b: &'a [u8],
    pos: usize,
    out: Outline,
    stack: Vec<u32>,
    attr_names: Vec<(usize, usize)>,
}

/// XML white space (space, tab, CR, LF).
pub(crate) fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b':' || c >= 0x80
}

fn is_name_char(c: u8) -> bool {
    is_name_start(c) || c.is_ascii_digit() || c == b'-' || c == b'.'
}

fn err<T>(offset: usize, message: impl Into<String>) -> Result<T> {
    Err(ScanError {
        offset,
        message: message.into(),
    })
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn starts(&self, s: &[u8]) -> bool {
        self.b[self.pos..].starts_with(s)
    }

    fn skip_ws(&mut self) -> bool {
        let from = self.pos;
        while self.pos < self.b.len() && is_ws(self.b[self.pos]) {
            self.pos += 1;
        }
        self.pos > from
    }

    fn document(&mut self) -> Result<()> {
        if self.starts(b"<?xml") && self.b.get(5).is_some_and(|&c| is_ws(c) || c == b'?') {
            self.xml_decl()?;
        }
        loop {
            self.skip_ws();
            match self.peek() {
                None => return err(self.pos, "no root element: the document is empty"),
                Some(b'<') => {
                    if self.starts(b"<!--") {
                        self.comment()?;
                    } else if self.starts(b"<!DOCTYPE") || self.starts(b"<!doctype") {
                        return err(
                            self.pos,
                            "a DTD (<!DOCTYPE>) is not allowed in configuration files",
                        );
                    } else if self.starts(b"<?") {
                        self.pi()?;
                    } else if self.starts(b"<!") || self.starts(b"</") {
                        return err(self.pos, "expected the root element");
                    } else {
                        break;
                    }
                }
                Some(_) => return err(self.pos, "text is not allowed before the root element"),
            }
        }
        self.content()?;
        loop {
            self.skip_ws();
            match self.peek() {
                None => return Ok(()),
                Some(b'<') if self.starts(b"<!--") => self.comment()?,
                Some(b'<') if self.starts(b"<?") => self.pi()?,
                Some(_) => {
                    return err(
                        self.pos,
                        "content after the root element (a document has exactly one root)",
                    )
                }
            }
        }
    }

    /// `<?xml version="1.x" [encoding="..."] [standalone="yes|no"] ?>`, strictly.
    fn xml_decl(&mut self) -> Result<()> {
        let start = self.pos;
        self.pos += 5;
        let mut seen = 0;
        let names: [&[u8]; 3] = [b"version", b"encoding", b"standalone"];
        loop {
            let had_ws = self.skip_ws();
            if self.starts(b"?>") {
                if seen == 0 {
                    return err(start, "the XML declaration has no version");
                }
                self.pos += 2;
                return Ok(());
            }
            if !had_ws {
                return err(self.pos, "malformed XML declaration");
            }
            let Some(k) = (seen..3).find(|&k| self.starts(names[k])) else {
                return err(self.pos, "malformed XML declaration");
            };
            if k > 0 && seen == 0 {
                return err(self.pos, "the XML declaration must start with version");
            }
            self.pos += names[k].len();
            self.skip_ws();
            if self.peek() != Some(b'=') {
                return err(self.pos, "expected '=' in the XML declaration");
            }
            self.pos += 1;
            self.skip_ws();
            let quote = match self.peek() {
                Some(q @ (b'"' | b'\'')) => q,
                _ => return err(self.pos, "values in the XML declaration must be quoted"),
            };
            let vstart = self.pos + 1;
            let Some(len) = memchr(quote, &self.b[vstart..]) else {
                return err(start, "unclosed XML declaration");
            };
            let v = &self.b[vstart..vstart + len];
            let ok = match k {
                0 => v.len() >= 3 && v.starts_with(b"1.") && v[2..].iter().all(u8::is_ascii_digit),
                1 => {
                    !v.is_empty()
                        && v[0].is_ascii_alphabetic()
                        && v.iter()
                            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
                }
                _ => v == b"yes" || v == b"no",
            };
            if !ok {
                return err(vstart, "invalid value in the XML declaration");
            }
            self.pos = vstart + len + 1;
            seen = k + 1;
        }
    }

    fn comment(&mut self) -> Result<()> {
        let start = self.pos;
        let body = start + 4;
        match memmem::find(&self.b[body..], b"--") {
            None => err(start, "unclosed comment"),
            Some(i) => {
                let dashes = body + i;
                if self.b.get(dashes + 2) != Some(&b'>') {
                    return err(dashes, "'--' is not allowed inside a comment");
                }
                self.pos = dashes + 3;
                self.out.comments.push((start as u32, self.pos as u32));
                Ok(())
            }
        }
    }

    fn pi(&mut self) -> Result<()> {
        let start = self.pos;
        self.pos += 2;
        let name_start = self.pos;
        self.name()?;
        if self.b[name_start..self.pos].eq_ignore_ascii_case(b"xml") {
            return err(
                start,
                "the XML declaration is only allowed at the very start of the file",
            );
        }
        match memmem::find(&self.b[self.pos..], b"?>") {
            None => err(start, "unclosed processing instruction"),
            Some(i) => {
                self.pos += i + 2;
                Ok(())
            }
        }
    }

    fn cdata(&mut self) -> Result<()> {
        let start = self.pos;
        match memmem::find(&self.b[start + 9..], b"]]>") {
            None => err(start, "unclosed CDATA section"),
            Some(i) => {
                self.pos = start + 9 + i + 3;
                Ok(())
            }
        }
    }

    fn name(&mut self) -> Result<()> {
        match self.peek() {
            Some(c) if is_name_start(c) => self.pos += 1,
            Some(c) => return err(self.pos, format!("expected a name, found {}", describe(c))),
            None => return err(self.pos, "expected a name, found the end of the file"),
        }
        while self.pos < self.b.len() && is_name_char(self.b[self.pos]) {
            self.pos += 1;
        }
        Ok(())
    }

    /// The main loop: element content from the root's start tag to its end tag.
    fn content(&mut self) -> Result<()> {
        self.start_tag()?;
        while let Some(&open) = self.stack.last() {
            let rest = &self.b[self.pos..];
            match memchr2(b'<', b'&', rest) {
                None => {
                    let el = self.out.elements[open as usize];
                    let name = String::from_utf8_lossy(
                        &self.b[el.start as usize + 1..el.name_end as usize],
                    );
                    return err(
                        el.start as usize,
                        format!("element <{name}> is never closed (the file ends first)"),
                    );
                }
                Some(i) => {
                    if i > 0 {
                        self.text(self.pos, self.pos + i)?;
                    }
                    self.pos += i;
                }
            }
            if self.b[self.pos] == b'&' {
                self.reference()?;
                continue;
            }
            match self.b.get(self.pos + 1) {
                Some(b'/') => self.end_tag()?,
                Some(b'!') => {
                    if self.starts(b"<!--") {
                        self.comment()?;
                    } else if self.starts(b"<![CDATA[") {
                        self.cdata()?;
                    } else {
                        return err(self.pos, "malformed markup after '<!'");
                    }
                }
                Some(b'?') => self.pi()?,
                _ => self.start_tag()?,
            }
        }
        Ok(())
    }

    fn text(&self, from: usize, to: usize) -> Result<()> {
        let seg = &self.b[from..to];
        if memchr(b']', seg).is_some() {
            if let Some(i) = memmem::find(seg, b"]]>") {
                return err(from + i, "']]>' is not allowed in text");
            }
        }
        Ok(())
    }

    fn reference(&mut self) -> Result<()> {
        let start = self.pos;
        let tail = &self.b[start..self.b.len().min(start + 40)];
        let Some(semi) = memchr(b';', tail) else {
            return err(start, "'&' must start an entity reference such as &amp;");
        };
        let body = &tail[1..semi];
        let ok = if let Some(num) = body.strip_prefix(b"#") {
            let code = if let Some(hex) = num.strip_prefix(b"x") {
                (!hex.is_empty() && hex.iter().all(u8::is_ascii_hexdigit))
                    .then(|| u32::from_str_radix(std::str::from_utf8(hex).unwrap_or("x"), 16).ok())
                    .flatten()
            } else {
                (!num.is_empty() && num.iter().all(u8::is_ascii_digit))
                    .then(|| std::str::from_utf8(num).ok()?.parse::<u32>().ok())
                    .flatten()
            };
            match code {
                Some(c) if is_xml_char(c) => true,
                Some(_) => {
                    return err(
                        start,
                        "character reference to a character XML does not allow",
                    )
                }
                None => false,
            }
        } else {
            match body {
                b"lt" | b"gt" | b"amp" | b"quot" | b"apos" => true,
                _ if !body.is_empty() && body.iter().all(|&c| is_name_char(c)) => {
                    return err(
                        start,
                        format!("undefined entity &{};", String::from_utf8_lossy(body)),
                    )
                }
                _ => false,
            }
        };
        if !ok {
            return err(start, "malformed entity or character reference");
        }
        self.pos = start + semi + 1;
        Ok(())
    }

    fn start_tag(&mut self) -> Result<()> {
        let start = self.pos;
        self.pos += 1;
        self.name()?;
        let name_end = self.pos;
        self.attr_names.clear();
        let open = loop {
            let had_ws = self.skip_ws();
            match self.peek() {
                None => return err(start, "start tag is never closed (the file ends first)"),
                Some(b'>') => {
                    self.pos += 1;
                    break true;
                }
                Some(b'/') => {
                    if self.b.get(self.pos + 1) != Some(&b'>') {
                        return err(self.pos, "expected '>' after '/'");
                    }
                    self.pos += 2;
                    if had_ws {
                        self.out.spaced_self_close += 1;
                    } else {
                        self.out.tight_self_close += 1;
                    }
                    break false;
                }
                Some(c) => {
                    if !had_ws {
                        return err(
                            self.pos,
                            format!("expected whitespace, '>' or '/>', found {}", describe(c)),
                        );
                    }
                    self.attribute()?;
                }
            }
        };
        let idx = self.out.elements.len();
        let pos = self.pos as u32;
        self.out.elements.push(Element {
            start: start as u32,
            name_end: name_end as u32,
            head_end: pos,
            close_start: pos,
            end: pos,
            parent: self.stack.last().copied().unwrap_or(NO_PARENT),
            subtree_end: idx as u32 + 1,
        });
        if open {
            self.stack.push(idx as u32);
        }
        Ok(())
    }

    fn attribute(&mut self) -> Result<()> {
        let name_start = self.pos;
        self.name()?;
        let name_end = self.pos;
        let name = &self.b[name_start..name_end];
        let duplicate = if self.attr_names.len() < 32 {
            self.attr_names.iter().any(|&(s, e)| &self.b[s..e] == name)
        } else {
            // Hostile tags with thousands of attributes: fall back to a set.
            let set: std::collections::HashSet<&[u8]> = self
                .attr_names
                .iter()
                .map(|&(s, e)| &self.b[s..e])
                .collect();
            set.contains(name)
        };
        if duplicate {
            return err(
                name_start,
                format!("duplicate attribute \"{}\"", String::from_utf8_lossy(name)),
            );
        }
        self.attr_names.push((name_start, name_end));
        self.skip_ws();
        if self.peek() != Some(b'=') {
            return err(self.pos, "expected '=' after the attribute name");
        }
        self.pos += 1;
        self.skip_ws();
        let quote = match self.peek() {
            Some(q @ (b'"' | b'\'')) => q,
            _ => return err(self.pos, "attribute values must be in quotes"),
        };
        self.pos += 1;
        loop {
            match memchr3(quote, b'<', b'&', &self.b[self.pos..]) {
                None => return err(name_start, "attribute value is never closed"),
                Some(i) => {
                    self.pos += i;
                    match self.b[self.pos] {
                        b'<' => return err(self.pos, "'<' is not allowed in an attribute value"),
                        b'&' => self.reference()?,
                        _ => {
                            self.pos += 1;
                            return Ok(());
                        }
                    }
                }
            }
        }
    }

    fn end_tag(&mut self) -> Result<()> {
        let close_start = self.pos;
        self.pos += 2;
        let name_start = self.pos;
        self.name()?;
        let name_end = self.pos;
        self.skip_ws();
        if self.peek() != Some(b'>') {
            return err(self.pos, "expected '>' to close the end tag");
        }
        self.pos += 1;
        let Some(open) = self.stack.pop() else {
            return err(close_start, "end tag without a start tag");
        };
        let count = self.out.elements.len() as u32;
        let el = &mut self.out.elements[open as usize];
        let open_name = &self.b[el.start as usize + 1..el.name_end as usize];
        let close_name = &self.b[name_start..name_end];
        if open_name != close_name {
            return err(
                close_start,
                format!(
                    "end tag </{}> does not match start tag <{}>",
                    String::from_utf8_lossy(close_name),
                    String::from_utf8_lossy(open_name)
                ),
            );
        }
        el.close_start = close_start as u32;
        el.end = self.pos as u32;
        el.subtree_end = count;
        Ok(())
    }
}

/// Whether a code point may appear in an XML 1.0 document.
pub fn is_xml_char(c: u32) -> bool {
    matches!(c, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// Find the first character XML 1.0 forbids (control characters, U+FFFE, U+FFFF).
pub fn find_forbidden_char(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    // Eight bytes at a time: a word with no byte below 0x20 needs no closer look.
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut i = 0;
    while i + 8 <= b.len() {
        let w = u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
        if w.wrapping_sub(ONES * 0x20) & !w & HIGHS != 0 {
            if let Some(j) = b[i..i + 8]
                .iter()
                .position(|&c| c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r'))
            {
                return Some(i + j);
            }
        }
        i += 8;
    }
    if let Some(j) = b[i..]
        .iter()
        .position(|&c| c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r'))
    {
        return Some(i + j);
    }
    let mut from = 0;
    while let Some(i) = memchr(0xEF, &b[from..]) {
        let at = from + i;
        if b.get(at + 1) == Some(&0xBF) && matches!(b.get(at + 2), Some(0xBE | 0xBF)) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn describe(c: u8) -> String {
    if c.is_ascii_graphic() {
        format!("'{}'", c as char)
    } else {
        format!("byte 0x{c:02X}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_chars_are_found_at_any_alignment() {
        for at in 0..20 {
            let mut t = "a\tb\r\nc".repeat(4);
            t.insert(at, '\u{1}');
            assert_eq!(find_forbidden_char(&t), Some(at), "{t:?}");
        }
        assert_eq!(find_forbidden_char("ok\t\r\n\u{FFFD}"), None);
        assert_eq!(find_forbidden_char("x\u{FFFE}"), Some(1));
        assert_eq!(find_forbidden_char("\u{0}"), Some(0));
    }
}
