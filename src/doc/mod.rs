//! Lossless XML documents.
//!
//! A [`Document`] holds the file's decoded text, how to encode it back byte for byte, and an
//! outline of element ranges from the scanner. It knows nothing about IIS: it answers where
//! things are, what an attribute's logical value is, how the file indents and ends its lines,
//! and it applies splices, re-scanning the result so that text that is not well-formed can never
//! come out of it.

mod attr;
mod edit;
mod encoding;
mod escape;
pub mod folder;
mod lock;
mod prewrite;
mod scan;
mod splice;
mod text;
mod write;

use std::borrow::Cow;
use std::fmt;

pub use attr::{Attr, Attrs};
pub use edit::Edit;
pub use encoding::{declared_encoding, decode, decode_raw, Encoding};
pub use escape::{escape, unescape};
pub use lock::Locked;
pub use scan::{is_xml_char, Element, ElementId, Outline};
pub use splice::{apply, OverlapError, Splice};
pub use text::{Backing, Raw, Text};
pub use write::{atomic_write, atomic_write_prepared, atomic_write_with, resolve_target, Prepared};

/// A problem with a document, located in its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocError {
    /// Byte offset into the file (BOM included).
    pub offset: usize,
    /// 1-based line, or 0 when only the byte offset is known.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl DocError {
    pub(crate) fn at_byte(offset: usize, message: String) -> Self {
        DocError {
            offset,
            line: 0,
            column: 0,
            message,
        }
    }

    pub(crate) fn in_text(text: &str, offset: usize, message: String) -> Self {
        let (line, column) = line_col(text, offset);
        DocError {
            offset,
            line,
            column,
            message,
        }
    }
}

impl fmt::Display for DocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "byte {}: {}", self.offset, self.message)
        } else {
            write!(f, "{}:{}: {}", self.line, self.column, self.message)
        }
    }
}

impl std::error::Error for DocError {}

/// Whether `s` is nothing but XML white space.
pub fn is_xml_space(s: &str) -> bool {
    s.bytes().all(scan::is_ws)
}

/// 1-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    line_col_bytes(text.as_bytes(), offset)
}

/// `line_col` for bytes that may not be valid UTF-8 (columns count decoded characters).
pub(crate) fn line_col_bytes(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let column = chars_in(&before[line_start..]) + 1;
    (line, column)
}

/// Characters in `bytes` (each invalid byte counts as one): the length itself for ASCII.
fn chars_in(bytes: &[u8]) -> usize {
    if bytes.is_ascii() {
        bytes.len()
    } else {
        String::from_utf8_lossy(bytes).chars().count()
    }
}

/// The document `splices` make of `text`, or why there is none: overlapping edits, or a result
/// that is not well-formed. Either is a bug in the caller, never written to a file.
fn edited(text: &str, encoding: Encoding, splices: &mut [Splice]) -> Result<Document, DocError> {
    let new = apply(text, splices).map_err(|e| overlap_error(&e))?;
    Document::from_text(new, encoding).map_err(internal)
}

fn overlap_error(OverlapError(a, b): &OverlapError) -> DocError {
    DocError::at_byte(
        b.start,
        format!("internal error: overlapping edits {a:?} and {b:?}"),
    )
}

fn internal(mut e: DocError) -> DocError {
    e.message = format!(
        "internal error: the edit would not be well-formed: {}",
        e.message
    );
    e
}

/// A parsed, editable document.
#[derive(Debug)]
pub struct Document {
    encoding: Encoding,
    text: Text,
    outline: Outline,
    /// Byte offsets of line starts, built on the first look-up: every line number costs a
    /// binary search, never a scan from byte 0.
    lines: std::sync::OnceLock<Vec<u32>>,
    /// Bytes the look-ups made before the index was built have counted through: they are
    /// answered by counting (from the last line counted) until they have read the text twice,
    /// so a command that needs a few line numbers of one section deep in a 30 MB file does not
    /// index it all, and scattered look-ups cost at most the index's pass again.
    scanned: std::sync::atomic::AtomicUsize,
    /// The last line counted (offset of its start, 1-based line): the next count starts there
    /// when it can, so the few look-ups of one section deep in a large file count its lines once.
    counted: std::sync::Mutex<(usize, usize)>,
}

impl Clone for Document {
    fn clone(&self) -> Self {
        Document::with_outline(self.encoding, self.text.clone(), self.outline.clone())
    }
}

impl Document {
    /// Decode and scan a file's bytes.
    pub fn parse(bytes: Vec<u8>) -> Result<Document, DocError> {
        Document::parse_raw(Raw::Read(bytes))
    }

    /// Decode and scan bytes read or mapped from a file.
    pub fn parse_raw(raw: Raw) -> Result<Document, DocError> {
        let (encoding, text) = encoding::decode_raw(raw)?;
        Document::from_text(text, encoding)
    }

    /// Scan already-decoded text that will be written back in `encoding`.
    pub fn from_text(text: impl Into<Text>, encoding: Encoding) -> Result<Document, DocError> {
        let text = text.into();
        if let Some(outline) = scan::scan_in_parts(&text) {
            return Ok(Document::with_outline(encoding, text, outline));
        }
        // The scan refuses every character XML forbids where it meets one, so a text it accepts
        // has none. A text it refuses is told about its first forbidden character, wherever it
        // stands, before any other fault (what a reader would meet first in any XML parser's
        // own check of characters).
        let (at, message) = match scan::scan(&text) {
            Ok(outline) => return Ok(Document::with_outline(encoding, text, outline)),
            Err(e) => match scan::find_forbidden_char(&text) {
                Some(at) => {
                    let c = text[at..].chars().next().map_or(0, |c| c as u32);
                    (at, format!("character U+{c:04X} is not allowed in XML"))
                }
                None => (e.offset, e.message),
            },
        };
        let mut e = DocError::in_text(&text, at, message);
        e.offset += encoding.bom_len();
        Err(e)
    }

    fn with_outline(encoding: Encoding, text: Text, outline: Outline) -> Document {
        Document {
            encoding,
            text,
            outline,
            lines: std::sync::OnceLock::new(),
            scanned: std::sync::atomic::AtomicUsize::new(0),
            counted: std::sync::Mutex::new((0, 1)),
        }
    }

    /// The decoded text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The file's encoding.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The file's bytes: exactly what was read, if nothing was spliced.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.encoding.encode(&self.text)
    }

    /// Write the document's bytes to `w` without building a copy for UTF-8.
    pub fn encoded_parts(&self) -> (Vec<u8>, std::borrow::Cow<'_, [u8]>) {
        match self.encoding {
            Encoding::Utf8 { bom } => {
                let bom = if bom {
                    b"\xEF\xBB\xBF".to_vec()
                } else {
                    Vec::new()
                };
                (bom, std::borrow::Cow::Borrowed(self.text.as_bytes()))
            }
            enc => (Vec::new(), std::borrow::Cow::Owned(enc.encode(&self.text))),
        }
    }

    /// The byte offset in the file (BOM and encoding included) of a text offset.
    pub fn file_offset(&self, offset: usize) -> usize {
        match self.encoding {
            Encoding::Utf8 { bom } => offset + if bom { 3 } else { 0 },
            Encoding::Utf16Le | Encoding::Utf16Be => {
                2 + self.text[..offset].encode_utf16().count() * 2
            }
            Encoding::Latin1 | Encoding::Ascii | Encoding::SingleByte(_) => {
                self.text[..offset].chars().count()
            }
        }
    }

    /// 1-based line and column of a text offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        if self.lines.get().is_none()
            && self.scanned.load(std::sync::atomic::Ordering::Relaxed) < 2 * self.text.len()
        {
            return self.line_col_counted(offset);
        }
        let starts = self.lines.get_or_init(|| {
            // Line starts only: a column is counted in its line at the look-up (the byte
            // difference when the line is ASCII up to there), so the index of a 30 MB file is
            // one pass of memchr, with no test of every line for ASCII.
            let b = self.text.as_bytes();
            let mut v = Vec::with_capacity(b.len() / 64 + 1);
            v.push(0);
            v.extend(memchr::memchr_iter(b'\n', b).map(|nl| nl as u32 + 1));
            v
        });
        let offset = offset.min(self.text.len());
        let line = starts.partition_point(|&s| s as usize <= offset);
        let start = starts[line - 1] as usize;
        let column = chars_in(&self.text.as_bytes()[start..offset]) + 1;
        (line, column)
    }

    /// `line_col` by counting line ends from the last line counted (or from the start).
    fn line_col_counted(&self, offset: usize) -> (usize, usize) {
        let b = self.text.as_bytes();
        let offset = offset.min(b.len());
        let Ok(mut last) = self.counted.lock() else {
            return line_col(&self.text, offset);
        };
        let distance = last.0.abs_diff(offset);
        self.scanned
            .fetch_add(distance, std::sync::atomic::Ordering::Relaxed);
        let (line, start) = if last.0 <= offset {
            let from = last.0;
            let line = last.1 + memchr::memchr_iter(b'\n', &b[from..offset]).count();
            let start = memchr::memrchr(b'\n', &b[from..offset]).map_or(from, |i| from + i + 1);
            (line, start)
        } else {
            // Before the last one: count back to it.
            let line = last.1 - memchr::memchr_iter(b'\n', &b[offset..last.0]).count();
            let start = memchr::memrchr(b'\n', &b[..offset]).map_or(0, |i| i + 1);
            (line, start)
        };
        *last = (start, line);
        let column = chars_in(&b[start..offset]) + 1;
        (line, column)
    }

    /// Byte ranges of every comment, markup included, in document order (from the scanner, so
    /// text inside attribute values or CDATA is never taken for one).
    pub fn comments(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        self.outline
            .comments
            .iter()
            .map(|&(a, b)| a as usize..b as usize)
    }

    /// The root element.
    pub fn root(&self) -> ElementId {
        0
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.outline.len()
    }

    /// Whether the document has no elements (never true for a parsed document).
    pub fn is_empty(&self) -> bool {
        self.outline.is_empty()
    }

    /// The ranges of an element.
    pub fn element(&self, id: ElementId) -> &Element {
        self.outline.get(id)
    }

    /// An element's qualified name.
    pub fn name(&self, id: ElementId) -> &str {
        let el = self.element(id);
        &self.text[el.start as usize + 1..el.name_end as usize]
    }

    /// An element's parent.
    pub fn parent(&self, id: ElementId) -> Option<ElementId> {
        self.element(id).parent()
    }

    /// The element children of `id`, in order.
    pub fn children(&self, id: ElementId) -> impl Iterator<Item = ElementId> + '_ {
        let end = self.element(id).subtree_end as usize;
        let mut next = id + 1;
        std::iter::from_fn(move || {
            if next >= end {
                return None;
            }
            let cur = next;
            next = self.outline.get(cur).subtree_end as usize;
            Some(cur)
        })
    }

    /// Children of `id` named `name` (exact, case-sensitive as XML is).
    pub fn children_named<'a>(
        &'a self,
        id: ElementId,
        name: &'a str,
    ) -> impl Iterator<Item = ElementId> + 'a {
        self.children(id).filter(move |&c| self.name(c) == name)
    }

    /// The attributes of an element's start tag.
    pub fn attrs(&self, id: ElementId) -> Attrs<'_> {
        let el = self.element(id);
        Attrs::new(&self.text, el.name_end as usize, el.head_end as usize)
    }

    /// The attribute called `name`, if present.
    pub fn attr(&self, id: ElementId, name: &str) -> Option<Attr> {
        self.attrs(id).find(|a| &self.text[a.name.clone()] == name)
    }

    /// The logical value of `name` on element `id`.
    pub fn attr_value(&self, id: ElementId, name: &str) -> Option<Cow<'_, str>> {
        self.attr(id, name).map(|a| self.value(&a))
    }

    /// An attribute's name.
    pub fn attr_name(&self, a: &Attr) -> &str {
        &self.text[a.name.clone()]
    }

    /// An attribute's logical (unescaped, normalized) value.
    pub fn value(&self, a: &Attr) -> Cow<'_, str> {
        unescape(&self.text[a.value.clone()])
    }

    /// How a new attribute of `id` is written: with the whitespace and the quote of its last
    /// attribute, or with a space and the file's quote ([`Document::quote_style`]) when it has
    /// none. It goes at [`Document::attr_insert_point`].
    pub fn new_attr_style(&self, id: ElementId) -> (&str, u8) {
        self.attrs(id)
            .last()
            .map_or((" ", self.quote_style()), |a| {
                (a.separator(&self.text), a.quote)
            })
    }

    /// Where a new attribute goes: after the last attribute, or after the name.
    pub fn attr_insert_point(&self, id: ElementId) -> usize {
        self.attrs(id)
            .last()
            .map_or(self.element(id).name_end as usize, |a| a.value.end + 1)
    }

    /// The whitespace between the start of the element's line and the element, if the element
    /// is the first thing on its line.
    pub fn indent_of(&self, id: ElementId) -> Option<&str> {
        self.indent_before(self.element(id).start as usize)
    }

    /// The whitespace from the start of the line to `offset`, if only whitespace precedes it.
    pub fn indent_before(&self, offset: usize) -> Option<&str> {
        let b = self.text.as_bytes();
        let mut i = offset;
        while i > 0 && matches!(b[i - 1], b' ' | b'\t') {
            i -= 1;
        }
        (i == 0 || b[i - 1] == b'\n' || b[i - 1] == b'\r').then(|| &self.text[i..offset])
    }

    /// The line end used near `offset`: the one ending the line before it, else the first in
    /// the file, else CRLF (what IIS writes).
    pub fn eol_near(&self, offset: usize) -> &'static str {
        let b = self.text.as_bytes();
        let found =
            memchr::memrchr(b'\n', &b[..offset.min(b.len())]).or_else(|| memchr::memchr(b'\n', b));
        match found {
            Some(i) if i > 0 && b[i - 1] == b'\r' => "\r\n",
            Some(_) => "\n",
            None => "\r\n",
        }
    }

    /// One level of indentation as this file writes it (defaults to four spaces).
    pub fn indent_unit(&self) -> String {
        for (id, el) in self.outline.iter().enumerate().take(5000) {
            let Some(parent) = el.parent() else { continue };
            let (Some(ci), Some(pi)) = (self.indent_of(id), self.indent_of(parent)) else {
                continue;
            };
            if ci.len() > pi.len() && ci.starts_with(pi) {
                return ci[pi.len()..].to_string();
            }
        }
        "    ".to_string()
    }

    /// `b'"'` or `b'\''`, whichever quote this file's attribute values use more (double
    /// quotes in a tie, and where there is no attribute).
    pub fn quote_style(&self) -> u8 {
        if self.outline.single_quoted > self.outline.double_quoted {
            b'\''
        } else {
            b'"'
        }
    }

    /// `" />"` or `"/>"`, whichever this file uses more.
    pub fn self_close_style(&self) -> &'static str {
        if self.outline.tight_self_close > self.outline.spaced_self_close {
            "/>"
        } else {
            " />"
        }
    }

    /// Whether the element holds nothing but whitespace (no elements, comments or text).
    pub fn is_blank(&self, id: ElementId) -> bool {
        let el = self.element(id);
        is_xml_space(&self.text[el.head_end as usize..el.close_start as usize])
    }

    /// Whether the element's content is only child elements and whitespace (no comments, text,
    /// CDATA or processing instructions between them).
    pub fn is_blank_items_only(&self, id: ElementId) -> bool {
        let el = self.element(id);
        let mut at = el.head_end as usize;
        for c in self.children(id) {
            let ce = self.element(c);
            if !is_xml_space(&self.text[at..ce.start as usize]) {
                return false;
            }
            at = ce.end as usize;
        }
        is_xml_space(&self.text[at..el.close_start as usize])
    }

    /// The range that removes an element: its whole lines when it stands alone on them,
    /// otherwise exactly its bytes.
    pub fn removal_range(&self, id: ElementId) -> std::ops::Range<usize> {
        let el = self.element(id);
        let (start, end) = (el.start as usize, el.end as usize);
        let b = self.text.as_bytes();
        let Some(indent) = self.indent_before(start) else {
            return start..end;
        };
        let mut j = end;
        while j < b.len() && matches!(b[j], b' ' | b'\t') {
            j += 1;
        }
        if j < b.len() && b[j] == b'\r' && b.get(j + 1) == Some(&b'\n') {
            start - indent.len()..j + 2
        } else if j < b.len() && b[j] == b'\n' {
            start - indent.len()..j + 1
        } else if j == b.len() {
            start - indent.len()..j
        } else if self.text[j..].starts_with("</") && start > indent.len() {
            // First on its line, with the parent's end tag after it (`<x /></parent>`): the
            // line end before it goes too, so the end tag returns to the line it shared.
            let line_start = start - indent.len();
            let eol_len = if line_start >= 2 && &b[line_start - 2..line_start] == b"\r\n" {
                2
            } else {
                1
            };
            line_start - eol_len..end
        } else {
            start..end
        }
    }

    /// Apply splices and re-scan. Any result that is not well-formed is an error, and the
    /// original document is left as it was.
    pub fn apply(&self, splices: &mut [Splice]) -> Result<Document, DocError> {
        edited(&self.text, self.encoding, splices)
    }

    /// The edit `splices` make of this document, checked to be well-formed without building
    /// or scanning the whole result: only the elements and gaps the splices touch are scanned
    /// again (the rest is unchanged bytes of a document already known to be well-formed). The
    /// outline is dropped; the text moves into the edit.
    pub fn into_edit(self, mut splices: Vec<Splice>) -> Result<Edit, DocError> {
        splices.sort_by_key(|s| (s.range.start, s.range.end));
        splice::check(&self.text, &splices).map_err(|e| overlap_error(&e))?;
        edit::verify(&self, &splices).map_err(internal)?;
        let Document { encoding, text, .. } = self;
        Ok(Edit::new(encoding, text, splices))
    }
}
