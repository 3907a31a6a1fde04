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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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
pub(super) struct ScanError {
    /// Byte offset into the text.
    pub offset: usize,
    /// What is wrong, in words.
    pub message: String,
}

type Result<T> = std::result::Result<T, ScanError>;

/// Scan `text` and return its outline, or the first well-formedness error.
pub(super) fn scan(text: &str) -> Result<Outline> {
    if text.len() >= u32::MAX as usize {
        return Err(ScanError {
            offset: 0,
            message: "the file is larger than 4 GiB".into(),
        });
    }
    let mut s = Scanner::new(text, Vec::new());
    s.document()?;
    Ok(s.out)
}

/// For a large text on a machine with more than one core: check it for forbidden characters
/// and scan it in two parts at once. `None` when the text is small, or not well-formed, or the
/// split did not work out; `find_forbidden_char` and `scan` then give the answer (the same
/// outline, or the first error).
pub(super) fn scan_in_parts(text: &str) -> Option<Outline> {
    if text.len() < SPLIT_MIN || crate::par::threads() < 2 || text.len() >= u32::MAX as usize {
        return None;
    }
    split_point(text).and_then(|at| scan_split(text, at))
}

/// Check that `text` is well-formed element content (what may stand between a start tag and
/// its end tag: text, references, comments, processing instructions, CDATA and balanced
/// elements), with the namespace prefixes `ns` (prefix, namespace name; innermost last) in
/// scope. Offsets in errors index `text`.
pub(super) fn scan_fragment(text: &str, ns: Vec<(&str, String)>) -> Result<()> {
    let mut s = Scanner::new(text, ns);
    s.items(true)
}

struct Scanner<'a> {
    b: &'a [u8],
    text: &'a str,
    pos: usize,
    out: Outline,
    stack: Vec<u32>,
    /// The current start tag's attribute names (byte ranges).
    attr_names: Vec<(usize, usize)>,
    /// The same names, hashed, once a tag has many: duplicate checks stay linear.
    attr_set: std::collections::HashSet<&'a [u8]>,
    /// Namespace bindings in scope: (prefix, namespace name), innermost last.
    ns: Vec<(&'a str, String)>,
    /// How many bindings each open element pushed.
    ns_marks: Vec<usize>,
    /// Whether a name read since the current start tag began had a colon.
    colons: bool,
    /// Stop (with `stopped` set) on reaching this offset between two content items.
    stop: usize,
    stopped: bool,
    /// Scanning the second part of a split text: end tags of elements opened before the split
    /// are recorded in `closes` instead of refused.
    tail: bool,
    closes: Vec<Close>,
    /// Elements opened outside any element of this part: (index, `closes` before it).
    top: Vec<(u32, u32)>,
}

/// An end tag the second part of a split scan could not match: it closes an element the first
/// part left open.
#[derive(Clone, Copy, Debug)]
struct Close {
    start: u32,
    end: u32,
    name: (u32, u32),
    /// Elements the second part had seen when it met this end tag.
    elements_before: u32,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str, ns: Vec<(&'a str, String)>) -> Self {
        Scanner {
            b: text.as_bytes(),
            text,
            pos: 0,
            // Room for one element per 32 bytes: pages never touched cost nothing, and a large
            // file's outline is not copied as it grows.
            out: Outline {
                elements: Vec::with_capacity(text.len() / 32 + 4),
                ..Outline::default()
            },
            stack: Vec::new(),
            attr_names: Vec::new(),
            attr_set: std::collections::HashSet::new(),
            ns,
            ns_marks: Vec::new(),
            colons: false,
            stop: usize::MAX,
            stopped: false,
            tail: false,
            closes: Vec::new(),
            top: Vec::new(),
        }
    }
}

/// The namespace `xml` is bound to (Namespaces in XML 1.0, section 3).
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// The namespace of `xmlns` itself, which no prefix may be bound to.
const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

/// XML white space (space, tab, CR, LF).
pub(crate) fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b':' || c >= 0x80
}

/// ASCII name characters, by byte (the scanner's innermost loop): 1 for a name character, 3
/// for `:` (bit 2 says a colon was met, in the same pass), 0 for the rest; every byte from 0x80
/// up is 0 here (non-ASCII characters are checked one by one against XML's ranges).
const NAME_BYTE: [u8; 256] = {
    let mut t = [0; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.') {
            t[c] = 1;
        } else if b == b':' {
            t[c] = 3;
        }
        c += 1;
    }
    t
};

fn is_name_char(c: u8) -> bool {
    c >= 0x80 || NAME_BYTE[c as usize] != 0
}

/// XML 1.0 (fifth edition) NameStartChar, for a character outside ASCII.
fn is_name_start_char(c: char) -> bool {
    matches!(c as u32,
        0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x2FF | 0x370..=0x37D | 0x37F..=0x1FFF
        | 0x200C..=0x200D | 0x2070..=0x218F | 0x2C00..=0x2FEF | 0x3001..=0xD7FF
        | 0xF900..=0xFDCF | 0xFDF0..=0xFFFD | 0x10000..=0xEFFFF)
}

/// XML 1.0 (fifth edition) NameChar, for a character outside ASCII.
fn is_name_char_char(c: char) -> bool {
    is_name_start_char(c) || matches!(c as u32, 0xB7 | 0x300..=0x36F | 0x203F..=0x2040)
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
        if self.stopped {
            return Ok(());
        }
        self.epilogue()
    }

    /// After the root element: white space, comments and processing instructions only.
    fn epilogue(&mut self) -> Result<()> {
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
        if !self.starts(b"?>") && !self.peek().is_some_and(is_ws) {
            return err(
                self.pos,
                "expected white space or '?>' after the processing instruction's target",
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

    /// A character outside ASCII at `pos`, and its length.
    fn char_at(&self, pos: usize) -> (char, usize) {
        let c = self.text[pos..].chars().next().unwrap_or('\u{FFFD}');
        (c, c.len_utf8())
    }

    fn name(&mut self) -> Result<()> {
        match self.peek() {
            Some(c) if c >= 0x80 => {
                let (ch, len) = self.char_at(self.pos);
                if !is_name_start_char(ch) {
                    return err(
                        self.pos,
                        format!("character '{ch}' (U+{:04X}) cannot start a name", ch as u32),
                    );
                }
                self.pos += len;
            }
            Some(c) if is_name_start(c) => {
                self.colons |= c == b':';
                self.pos += 1
            }
            Some(c) => return err(self.pos, format!("expected a name, found {}", describe(c))),
            None => return err(self.pos, "expected a name, found the end of the file"),
        }
        loop {
            // A run of ASCII name characters at once, then one other character at a time.
            let rest = &self.b[self.pos..];
            let mut n = 0;
            let mut met = 0;
            while let Some(&c) = rest.get(n) {
                let class = NAME_BYTE[c as usize];
                if class == 0 {
                    break;
                }
                met |= class;
                n += 1;
            }
            self.colons |= met & 2 != 0;
            self.pos += n;
            match self.b.get(self.pos) {
                Some(&c) if c >= 0x80 => {
                    let (ch, len) = self.char_at(self.pos);
                    if !is_name_char_char(ch) {
                        return err(
                            self.pos,
                            format!(
                                "character '{ch}' (U+{:04X}) is not allowed in a name",
                                ch as u32
                            ),
                        );
                    }
                    self.pos += len;
                }
                _ => return Ok(()),
            }
        }
    }

    /// The main loop: element content from the root's start tag to its end tag.
    fn content(&mut self) -> Result<()> {
        self.start_tag()?;
        self.items(false)
    }

    /// Content items until the root's end tag (`fragment` false) or to the end of the text,
    /// with every element opened in it closed (`fragment` true).
    fn items(&mut self, fragment: bool) -> Result<()> {
        loop {
            let open = self.stack.last().copied();
            if open.is_none() && !fragment {
                return Ok(());
            }
            let rest = &self.b[self.pos..];
            match memchr2(b'<', b'&', rest) {
                None => {
                    let Some(open) = open else {
                        self.text(self.pos, self.b.len())?;
                        self.pos = self.b.len();
                        return Ok(());
                    };
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
            if self.pos == self.stop {
                self.stopped = true;
                return Ok(());
            }
            if self.b[self.pos] == b'&' {
                self.reference()?;
                continue;
            }
            match self.b.get(self.pos + 1) {
                Some(b'/') if self.tail && self.stack.is_empty() => self.unmatched_end_tag()?,
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
        // A character reference may carry any number of leading zeros; a name ends at the
        // first byte that is no name character. Either way the body ends at ';'.
        let body_len = if self.b.get(start + 1) == Some(&b'#') {
            self.b[start + 2..]
                .iter()
                .position(|c| !(c.is_ascii_hexdigit() || *c == b'x'))
                .map_or(self.b.len() - start - 2, |n| n)
                + 1
        } else {
            self.b[start + 1..]
                .iter()
                .position(|&c| !is_name_char(c))
                .map_or(self.b.len() - start - 1, |n| n)
        };
        let semi = 1 + body_len;
        if self.b.get(start + semi) != Some(&b';') {
            return err(start, "'&' must start an entity reference such as &amp;");
        }
        let body = &self.b[start + 1..start + semi];
        let ok = if let Some(num) = body.strip_prefix(b"#") {
            // Overflow-safe: a value past U+10FFFF is no character, however it is written.
            let value = |digits: &[u8], radix: u32| -> Option<u32> {
                let mut v: u32 = 0;
                for &d in digits {
                    let n = (d as char).to_digit(radix)?;
                    v = v.checked_mul(radix)?.checked_add(n)?;
                    if v > 0x10FFFF {
                        return Some(u32::MAX);
                    }
                }
                Some(v)
            };
            let code = if let Some(hex) = num.strip_prefix(b"x") {
                (!hex.is_empty()).then(|| value(hex, 16)).flatten()
            } else {
                (!num.is_empty()).then(|| value(num, 10)).flatten()
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
        self.colons = false;
        self.name()?;
        let name_end = self.pos;
        self.attr_names.clear();
        self.attr_set.clear();
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
        self.namespaces(start, name_end)?;
        let idx = self.out.elements.len();
        let pos = self.pos as u32;
        if self.tail && self.stack.is_empty() {
            self.top.push((idx as u32, self.closes.len() as u32));
        }
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
        } else {
            self.pop_namespaces();
        }
        Ok(())
    }

    fn pop_namespaces(&mut self) {
        let n = self.ns_marks.pop().unwrap_or(0);
        self.ns.truncate(self.ns.len() - n);
    }

    fn bound(&self, prefix: &str) -> Option<&str> {
        if prefix == "xml" {
            return Some(XML_NS);
        }
        self.ns
            .iter()
            .rev()
            .find(|(p, _)| *p == prefix)
            .map(|(_, u)| u.as_str())
    }

    /// Namespaces in XML 1.0 for the tag just read: declarations first (`xmlns:p`, with the
    /// `xml`/`xmlns` rules), then every prefix declared in scope, at most one colon in a name,
    /// and no two attributes with the same expanded name.
    fn namespaces(&mut self, start: usize, name_end: usize) -> Result<()> {
        let text = self.text;
        // Almost every tag has no prefix and declares nothing: nothing to check or bind.
        let b = self.b;
        let plain = !self.colons
            && self
                .attr_names
                .iter()
                .all(|&(s, e)| e - s != 5 || &b[s..e] != b"xmlns");
        if plain {
            self.ns_marks.push(0);
            return Ok(());
        }
        let mut pushed = 0;
        let attrs = std::mem::take(&mut self.attr_names);
        let value_of = |name_end: usize| -> String {
            // The value follows `=` and a quote; entities are rare in namespace names.
            let rest = &text[name_end..];
            let q = rest.find(['"', '\'']).unwrap_or(0);
            let quote = rest.as_bytes().get(q).copied().unwrap_or(b'"') as char;
            let v = &rest[q + 1..];
            let end = v.find(quote).unwrap_or(v.len());
            crate::doc::escape::unescape(&v[..end]).into_owned()
        };
        for &(s, e) in &attrs {
            let name = &text[s..e];
            let (prefix, local) = match name.split_once(':') {
                Some((p, l)) => (Some(p), l),
                None => (None, name),
            };
            if prefix == Some("xmlns") {
                let uri = value_of(e);
                if local == "xmlns" {
                    return err(s, "the prefix xmlns cannot be declared");
                }
                if local == "xml" {
                    if uri != XML_NS {
                        return err(s, format!("the prefix xml can only be bound to {XML_NS}"));
                    }
                    continue;
                }
                if uri == XML_NS || uri == XMLNS_NS {
                    return err(
                        s,
                        format!("the namespace {uri} cannot be bound to the prefix {local}"),
                    );
                }
                if uri.is_empty() {
                    return err(
                        s,
                        format!("the prefix {local} cannot be declared with an empty namespace"),
                    );
                }
                self.ns.push((local, uri));
                pushed += 1;
            } else if prefix.is_none() && local == "xmlns" {
                let uri = value_of(e);
                if uri == XML_NS || uri == XMLNS_NS {
                    return err(
                        s,
                        format!("the namespace {uri} cannot be the default namespace"),
                    );
                }
            }
        }
        self.ns_marks.push(pushed);
        let check_name = |s: usize, e: usize, what: &str| -> Result<Option<(usize, usize)>> {
            let name = &text[s..e];
            let Some(colon) = name.find(':') else {
                return Ok(None);
            };
            let (prefix, local) = (&name[..colon], &name[colon + 1..]);
            // Both halves are NCNames: each must start with a name-start character.
            let starts_ok = |part: &str| {
                part.chars().next().is_some_and(|c| {
                    c.is_ascii_alphabetic() || c == '_' || (!c.is_ascii() && is_name_start_char(c))
                })
            };
            if !starts_ok(prefix) || !starts_ok(local) || local.contains(':') {
                return err(s, format!("{what} \"{name}\" is not a valid qualified name (one colon between a prefix and a local name)"));
            }
            Ok(Some((colon, 0)))
        };
        let el_name = &text[start + 1..name_end];
        if check_name(start + 1, name_end, "the element name")?.is_some() {
            let prefix = el_name.split(':').next().unwrap_or("");
            if prefix == "xmlns" {
                return err(
                    start + 1,
                    format!("the element name \"{el_name}\" uses the reserved prefix xmlns"),
                );
            }
            if self.bound(prefix).is_none() {
                return err(
                    start + 1,
                    format!("'{prefix}' is an undeclared prefix (element <{el_name}>)"),
                );
            }
        }
        let mut expanded: Vec<(String, &str, usize)> = Vec::new();
        for &(s, e) in &attrs {
            let name = &text[s..e];
            if check_name(s, e, "the attribute name")?.is_none() {
                continue;
            }
            let (prefix, local) = name.split_once(':').unwrap_or(("", name));
            if prefix == "xmlns" {
                continue;
            }
            let Some(uri) = self.bound(prefix) else {
                return err(
                    s,
                    format!("'{prefix}' is an undeclared prefix (attribute {name})"),
                );
            };
            expanded.push((uri.to_string(), local, s));
        }
        if expanded.len() > 1 {
            let mut seen = std::collections::HashSet::new();
            for (uri, local, s) in &expanded {
                if !seen.insert((uri.as_str(), *local)) {
                    return err(
                        *s,
                        format!("two attributes have the same expanded name {{{uri}}}{local}"),
                    );
                }
            }
        }
        self.attr_names = attrs;
        Ok(())
    }

    fn attribute(&mut self) -> Result<()> {
        let name_start = self.pos;
        self.name()?;
        let name_end = self.pos;
        let b = self.b;
        let name = &b[name_start..name_end];
        let duplicate = if self.attr_names.len() < 32 {
            // Lengths and first bytes first: most names of a tag differ there, before a
            // byte comparison is called for.
            self.attr_names
                .iter()
                .any(|&(s, e)| e - s == name.len() && b[s] == name[0] && &b[s..e] == name)
        } else {
            // A tag with many attributes: one set for the whole tag, so the check stays linear.
            if self.attr_set.is_empty() {
                self.attr_set = self.attr_names.iter().map(|&(s, e)| &b[s..e]).collect();
            }
            !self.attr_set.insert(name)
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

    /// Read `</name S?>` at `pos`: the offsets of its `<` and of its name.
    fn end_tag_token(&mut self) -> Result<(usize, usize, usize)> {
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
        Ok((close_start, name_start, name_end))
    }

    fn end_tag(&mut self) -> Result<()> {
        // Usually the end tag names the element open: compared as bytes, not read as a name
        // again (anything else takes the full path and its errors).
        if let Some(&open) = self.stack.last() {
            let el = self.out.elements[open as usize];
            let open_name = &self.b[el.start as usize + 1..el.name_end as usize];
            let at = self.pos + 2;
            let after = at + open_name.len();
            if self.b.get(at..after) == Some(open_name)
                && self.b.get(after).is_some_and(|&c| c == b'>' || is_ws(c))
            {
                let close_start = self.pos;
                self.pos = after;
                self.skip_ws();
                if self.peek() == Some(b'>') {
                    self.pos += 1;
                    self.stack.pop();
                    let count = self.out.elements.len() as u32;
                    let el = &mut self.out.elements[open as usize];
                    el.close_start = close_start as u32;
                    el.end = self.pos as u32;
                    el.subtree_end = count;
                    self.pop_namespaces();
                    return Ok(());
                }
                self.pos = close_start;
            }
        }
        let (close_start, name_start, name_end) = self.end_tag_token()?;
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
        self.pop_namespaces();
        Ok(())
    }
}

impl Scanner<'_> {
    /// An end tag met in the second part of a split scan with nothing of its own open.
    fn unmatched_end_tag(&mut self) -> Result<()> {
        let (close_start, name_start, name_end) = self.end_tag_token()?;
        self.closes.push(Close {
            start: close_start as u32,
            end: self.pos as u32,
            name: (name_start as u32, name_end as u32),
            elements_before: self.out.elements.len() as u32,
        });
        Ok(())
    }
}

/// Texts at least this long are scanned in two parts at once.
const SPLIT_MIN: usize = 1 << 20;

/// Where to split a large text for a two-part scan: the `<` of a start tag that begins a line,
/// near the middle. Only a guess at a place between two content items; the first part confirms
/// it (or the scan falls back to one part).
fn split_point(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut from = b.len() / 2;
    for _ in 0..64 {
        let nl = from + memchr(b'\n', &b[from..])?;
        let mut i = nl + 1;
        while i < b.len() && matches!(b[i], b' ' | b'\t') {
            i += 1;
        }
        if i + 1 < b.len() && b[i] == b'<' && (b[i + 1].is_ascii_alphabetic() || b[i + 1] == b'_') {
            return Some(i);
        }
        from = nl + 1;
    }
    None
}

/// Scan `text` in two parts at once, split at `at`: the first part stops there, the second
/// starts there not knowing what is open, and the two are joined. `None` when anything does
/// not fit (the split fell inside markup, a prefix declared before the split is used after it,
/// or the text is not well-formed): the caller scans in one part, which gives the same outline
/// or the first error.
fn scan_split(text: &str, at: usize) -> Option<Outline> {
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| {
            if find_forbidden_char(&text[at..]).is_some() {
                return None;
            }
            let mut s = Scanner::new(text, Vec::new());
            s.out.elements = Vec::with_capacity((text.len() - at) / 32 + 4);
            s.pos = at;
            s.tail = true;
            s.items(true).ok()?;
            Some(s)
        });
        let first = (|| {
            if find_forbidden_char(&text[..at]).is_some() {
                return None;
            }
            let mut s = Scanner::new(text, Vec::new());
            // Room for both parts: the second is appended here at the join, never copied twice.
            s.out.elements = Vec::with_capacity(text.len() / 32 + 4);
            s.stop = at;
            s.document().ok()?;
            Some(s)
        })();
        (first, second.join().ok().flatten())
    });
    let mut a = first?;
    if !a.stopped {
        // The split fell inside markup: the first part went on to the end by itself.
        return Some(a.out);
    }
    let b = second?;
    join(text, &mut a, b)?;
    Some(a.out)
}

/// Join the second part's outline to the first's: its unmatched end tags close the elements the
/// first left open, innermost first, and nothing but the epilogue may follow the root's end.
fn join(text: &str, a: &mut Scanner<'_>, b: Scanner<'_>) -> Option<()> {
    let open = std::mem::take(&mut a.stack);
    if b.closes.len() != open.len() || open.is_empty() {
        return None;
    }
    let base = a.out.elements.len() as u32;
    let bytes = text.as_bytes();
    for (k, close) in b.closes.iter().enumerate() {
        let el = &mut a.out.elements[open[open.len() - 1 - k] as usize];
        let open_name = &bytes[el.start as usize + 1..el.name_end as usize];
        if open_name != &bytes[close.name.0 as usize..close.name.1 as usize] {
            return None;
        }
        el.close_start = close.start;
        el.end = close.end;
        el.subtree_end = base + close.elements_before;
    }
    let root_end = b.closes.last().map(|c| c.end as usize)?;
    let mut epilogue = Scanner::new(text, Vec::new());
    epilogue.pos = root_end;
    epilogue.epilogue().ok()?;
    let mut parents = vec![NO_PARENT; b.out.elements.len()];
    for &(idx, closes) in &b.top {
        let depth = open.len().checked_sub(1 + closes as usize)?;
        parents[idx as usize] = open[depth];
    }
    a.out.elements.reserve(b.out.elements.len());
    for (i, mut e) in b.out.elements.into_iter().enumerate() {
        e.parent = if e.parent == NO_PARENT {
            parents[i]
        } else {
            e.parent + base
        };
        e.subtree_end += base;
        a.out.elements.push(e);
    }
    a.out.comments.extend(b.out.comments);
    a.out.spaced_self_close += b.out.spaced_self_close;
    a.out.tight_self_close += b.out.tight_self_close;
    Some(())
}

/// Whether a code point may appear in an XML 1.0 document.
pub fn is_xml_char(c: u32) -> bool {
    matches!(c, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// Find the first character XML 1.0 forbids (control characters, U+FFFE, U+FFFF).
pub(super) fn find_forbidden_char(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    // 32 bytes at a time, branch-free (the compiler turns it into vector compares): a chunk
    // with no control character but tab, line feed and carriage return needs no closer look.
    let forbidden = |c: u8| c < 0x20 && c != b'\t' && c != b'\n' && c != b'\r';
    let mut chunks = b.chunks_exact(32);
    let mut at = 0;
    for chunk in &mut chunks {
        if chunk.iter().fold(false, |any, &c| any | forbidden(c)) {
            if let Some(j) = chunk.iter().position(|&c| forbidden(c)) {
                return Some(at + j);
            }
        }
        at += 32;
    }
    if let Some(j) = chunks.remainder().iter().position(|&c| forbidden(c)) {
        return Some(at + j);
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

    /// `scan_split` at `at` either declines or gives exactly the one-part outline; it never
    /// accepts a text the one-part scan refuses.
    fn check_split(text: &str, at: usize) {
        let whole = scan(text);
        match (scan_split(text, at), whole) {
            (Some(parts), Ok(whole)) => assert!(parts == whole, "split at {at} of {text:?}"),
            (Some(_), Err(e)) => panic!("split at {at} accepted {text:?}, refused with {e:?}"),
            (None, _) => {}
        }
    }

    fn tag_starts(text: &str) -> Vec<usize> {
        memchr::memchr_iter(b'<', text.as_bytes()).collect()
    }

    #[test]
    fn split_scans_equal_one_part_scans_at_every_tag() {
        let mut texts: Vec<String> = vec![
            "<a><b/><c>t</c></a>".into(),
            "<?xml version=\"1.0\"?>\n<!-- c -->\n<configuration xmlns:x=\"urn:x\">\n  <a x:k=\"1\"/>\n  <b>\n    <c/><!-- c --><d>t &amp; u</d>\n  </b>\n  <![CDATA[ <e> ]]>\n</configuration>\n<!-- tail -->\n<?pi x?>\n".into(),
            "<a>\n  <b>\n  </c>\n</a>".into(),
            "<a>\n  <b/>\n</a>\n<a/>".into(),
            "<a>\n  <b/>\n</a>\ntext".into(),
            "<a>\n  <b>\n</a>".into(),
            "<a>\n  <b/>\n  <c/>\n</a></a>".into(),
            "<a>\n<!--\n  <b/>\n-->\n  <c>]]></c>\n</a>".into(),
            "<a xmlns:p=\"u\">\n  <p:b/>\n  <c xmlns:q=\"v\"><q:d/></c>\n</a>".into(),
        ];
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for sub in ["fixtures", "../shared/corpus"] {
            let Ok(walk) = std::fs::read_dir(dir.join(sub)) else {
                continue;
            };
            let mut stack: Vec<std::path::PathBuf> = walk.flatten().map(|e| e.path()).collect();
            while let Some(p) = stack.pop() {
                if p.is_dir() {
                    stack.extend(std::fs::read_dir(&p).unwrap().flatten().map(|e| e.path()));
                } else if let Ok(t) = std::fs::read_to_string(&p) {
                    if t.trim_start_matches('\u{FEFF}').starts_with('<') && t.len() < 200_000 {
                        texts.push(t.trim_start_matches('\u{FEFF}').to_string());
                    }
                }
            }
        }
        assert!(texts.len() > 20, "fixtures found: {}", texts.len());
        for t in &texts {
            for at in tag_starts(t) {
                check_split(t, at);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// Texts made of XML-ish pieces, well-formed or not, split at every `<`.
        #[test]
        fn split_scans_are_sound_on_any_text(
            picks in proptest::collection::vec(0usize..22, 1..24)
        ) {
            const PIECES: &[&str] = &[
                "<a>", "</a>", "<b/>", "<b>", "</b>", "\n  ", "text", "&amp;", "&", "<!-- c -->",
                "<!--", "-->", "<![CDATA[ x ]]>", "]]>", "<?p d?>", "<x:c/>",
                "<d xmlns:x=\"u\">", "</d>", "<e k=\"1\">", "</e>", "\n<f>", "</f>",
            ];
            let mut t = String::from("<r>\n");
            for p in picks {
                t.push_str(PIECES[p]);
            }
            t.push_str("\n</r>\n");
            for at in tag_starts(&t) {
                check_split(&t, at);
            }
        }
    }

    #[test]
    fn a_large_document_is_scanned_in_two_parts() {
        let mut t = String::from("<configuration>\r\n");
        for i in 0..40_000 {
            t.push_str(&format!("  <location path=\"s{i}\"><system.web><sessionState timeout=\"{i}\"/></system.web></location>\r\n"));
        }
        t.push_str("</configuration>\r\n<!-- end -->\r\n");
        let at = split_point(&t).expect("a split point");
        let parts = scan_split(&t, at).expect("the split works out");
        assert!(parts == scan(&t).unwrap());
        // One end tag too many after the split, or one missing: declined.
        let extra = t.replacen("</configuration>", "</location></configuration>", 1);
        assert!(scan_split(&extra, split_point(&extra).unwrap()).is_none());
        assert!(scan(&extra).is_err());
        let missing = t.replacen("</configuration>", "", 1);
        assert!(scan_split(&missing, split_point(&missing).unwrap()).is_none());
    }

    #[test]
    fn forbidden_chars_are_found_at_any_alignment() {
        // Across several of the 32-byte chunks the check reads, tabs and line ends between.
        for at in 0..100 {
            for bad in ['\u{1}', '\u{b}', '\u{1f}', '\u{fffe}'] {
                let mut t = "a\tb\r\nc".repeat(20);
                t.insert(at, bad);
                assert_eq!(find_forbidden_char(&t), Some(at), "{t:?}");
            }
        }
        assert_eq!(find_forbidden_char("ok\t\r\n\u{FFFD}"), None);
        assert_eq!(find_forbidden_char("x\u{FFFE}"), Some(1));
        assert_eq!(find_forbidden_char("\u{0}"), Some(0));
    }
}
