//! The well-formedness scanner: one pass over the decoded text that checks it is XML we can edit
//! safely and records the outline (byte ranges of every element).
//!
//! It is deliberately not a tree builder: it stores five offsets per element and no strings, so a
//! 30 MB applicationHost.config costs a few megabytes of outline and one linear pass. Attributes
//! are tokenized lazily from an element's start tag (see `attr.rs`), because callers look at a
//! handful of elements. Nesting is tracked with an explicit stack, never recursion, so hostile
//! depth cannot overflow the call stack. Documents with a DTD are refused outright: no entity
//! expansion can happen here.

use memchr::{memchr, memmem};

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
#[derive(Clone, Debug, Default)]
pub struct Outline {
    /// The elements in document order: those of `head`, then those of `tail`. A text scanned
    /// in two parts keeps the second part's elements where that part's scan put them (their
    /// indices made whole at the join), so megabytes of outline are not copied into memory
    /// never touched before; a text scanned whole has them all in `head`.
    head: Vec<Element>,
    tail: Vec<Element>,
    /// Self-closed tags written with a space before `/>`.
    pub spaced_self_close: u32,
    /// Self-closed tags written with no space before `/>`.
    pub tight_self_close: u32,
    /// Attribute values written in single quotes.
    pub single_quoted: u32,
    /// Attribute values written in double quotes.
    pub double_quoted: u32,
    /// Byte ranges of every comment (`<!--` to `-->` inclusive), in document order.
    pub comments: Vec<(u32, u32)>,
}

impl Outline {
    /// The number of elements.
    pub fn len(&self) -> usize {
        self.head.len() + self.tail.len()
    }

    /// Whether there is no element.
    pub fn is_empty(&self) -> bool {
        self.head.is_empty() && self.tail.is_empty()
    }

    /// The element `id`.
    #[inline]
    pub fn get(&self, id: ElementId) -> &Element {
        match id.checked_sub(self.head.len()) {
            None => &self.head[id],
            Some(i) => &self.tail[i],
        }
    }

    /// Every element in document order.
    pub fn iter(&self) -> impl Iterator<Item = &Element> + '_ {
        self.head.iter().chain(&self.tail)
    }

    /// The number of elements, from the first, for which `pred` holds (`pred` true, then
    /// false, in document order, as for `slice::partition_point`).
    pub fn partition_point(&self, mut pred: impl FnMut(&Element) -> bool) -> usize {
        match self.tail.first() {
            Some(first) if pred(first) => self.head.len() + self.tail.partition_point(pred),
            _ => self.head.partition_point(pred),
        }
    }
}

/// Two outlines are equal when they hold the same elements and facts, however the elements
/// are stored (a two-part scan equals the one-part scan of the same text).
impl PartialEq for Outline {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self.iter().eq(other.iter())
            && self.spaced_self_close == other.spaced_self_close
            && self.tight_self_close == other.tight_self_close
            && self.single_quoted == other.single_quoted
            && self.double_quoted == other.double_quoted
            && self.comments == other.comments
    }
}

impl Eq for Outline {}

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

/// For a large text on a machine with more than one core: scan it in two parts at once. `None`
/// when the text is small, or not well-formed, or the split did not work out; `scan` then gives
/// the answer (the same outline, or an error).
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
        Scanner::with_room(text, ns, text.len() / 32 + 4)
    }

    /// A scanner whose outline has room for `room` elements.
    fn with_room(text: &'a str, ns: Vec<(&'a str, String)>, room: usize) -> Self {
        Scanner {
            b: text.as_bytes(),
            text,
            pos: 0,
            // Room for one element per 32 bytes: pages never touched cost nothing, and a large
            // file's outline is not copied as it grows.
            out: Outline {
                head: Vec::with_capacity(room),
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
                self.no_forbidden_char(body, dashes)?;
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
                self.no_forbidden_char(self.pos, self.pos + i)?;
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
                self.no_forbidden_char(start + 9, start + 9 + i)?;
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
        // Almost every name is ASCII: a run of name characters that starts with a letter, `_`
        // or `:` and ends at an ASCII byte is the whole name.
        let rest = &self.b[self.pos..];
        if let Some(&first) = rest.first() {
            let (n, colon) = bytes::name_run(rest);
            if n > 0 && is_name_start(first) && rest.get(n).is_none_or(|&c| c < 0x80) {
                self.colons |= colon;
                self.pos += n;
                return Ok(());
            }
        }
        self.name_in_full()
    }

    /// `name` for what its quick path leaves: a name with characters outside ASCII, and the
    /// errors.
    fn name_in_full(&mut self) -> Result<()> {
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
            let (n, colon) = bytes::name_run(&self.b[self.pos..]);
            self.colons |= colon;
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
            let found = match bytes::find_stop(b'<', b'&', b']', rest) {
                // Text may hold `]` but not `]]>`: refused where it stands, unless the text
                // runs to the end of the file, where the element left open is what is said.
                Some(i) if rest[i] == b']' => {
                    if !rest[i..].starts_with(b"]]>") {
                        self.pos += i + 1;
                        continue;
                    }
                    if open.is_none() || memchr::memchr2(b'<', b'&', &rest[i..]).is_some() {
                        return err(self.pos + i, "']]>' is not allowed in text");
                    }
                    None
                }
                Some(i) if !matches!(rest[i], b'<' | b'&') => {
                    self.pos += i;
                    self.allowed_char()?;
                    continue;
                }
                found => found,
            };
            match found {
                None => {
                    let Some(open) = open else {
                        self.text(self.pos, self.b.len())?;
                        self.pos = self.b.len();
                        return Ok(());
                    };
                    let el = self.out.head[open as usize];
                    let name = String::from_utf8_lossy(
                        &self.b[el.start as usize + 1..el.name_end as usize],
                    );
                    return err(
                        el.start as usize,
                        format!("element <{name}> is never closed (the file ends first)"),
                    );
                }
                Some(i) => self.pos += i,
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

    /// At a byte where `bytes::find_stop` stopped that is neither markup nor a quote (a control
    /// character, or 0xEF): refuse a character XML forbids, or step over the allowed one.
    fn allowed_char(&mut self) -> Result<()> {
        let at = self.pos;
        match forbidden_in(&self.b[at..(at + 3).min(self.b.len())]) {
            Some(0) => {
                let c = self.text[at..].chars().next().map_or(0, |c| c as u32);
                err(at, format!("character U+{c:04X} is not allowed in XML"))
            }
            // 0xEF leads a three-byte character that XML allows.
            _ => {
                self.pos += self.char_at(at).1;
                Ok(())
            }
        }
    }

    /// Refuse a character XML forbids in `from..to` (the body of a comment, a processing
    /// instruction or a CDATA section, which are found whole rather than skipped through).
    fn no_forbidden_char(&self, from: usize, to: usize) -> Result<()> {
        match forbidden_in(&self.b[from..to]) {
            Some(i) => {
                let c = self.text[from + i..].chars().next().map_or(0, |c| c as u32);
                err(
                    from + i,
                    format!("character U+{c:04X} is not allowed in XML"),
                )
            }
            None => Ok(()),
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
}

/// Whether a code point may appear in an XML 1.0 document.
pub fn is_xml_char(c: u32) -> bool {
    matches!(c, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// Find the first character XML 1.0 forbids (control characters, U+FFFE, U+FFFF).
pub(super) fn find_forbidden_char(text: &str) -> Option<usize> {
    forbidden_in(text.as_bytes())
}

/// `find_forbidden_char` over UTF-8 bytes.
fn forbidden_in(b: &[u8]) -> Option<usize> {
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

mod bytes;
mod parallel;
mod tags;
#[cfg(test)]
mod tests;

use parallel::{scan_split, split_point, SPLIT_MIN};
