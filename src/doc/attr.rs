//! Attributes of one start tag, tokenized on demand from the (already validated) tag bytes.

use std::ops::Range;

use super::scan::is_ws;

/// One attribute of a start tag, as byte ranges of the decoded text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attr {
    /// Whitespace before the attribute starts here (the separator from what precedes it).
    pub ws_start: usize,
    /// The attribute name.
    pub name: Range<usize>,
    /// The raw value between the quotes (entities still escaped).
    pub value: Range<usize>,
    /// `"` or `'`.
    pub quote: u8,
}

impl Attr {
    /// From the name to the closing quote, inclusive.
    pub fn range(&self) -> Range<usize> {
        self.name.start..self.value.end + 1
    }

    /// The whitespace separating this attribute from what precedes it.
    pub fn separator<'t>(&self, text: &'t str) -> &'t str {
        &text[self.ws_start..self.name.start]
    }
}

/// Iterator over the attributes between `from` (end of the element name) and `to` (end of tag).
pub struct Attrs<'t> {
    b: &'t [u8],
    pos: usize,
    to: usize,
}

impl<'t> Attrs<'t> {
    pub(crate) fn new(text: &'t str, from: usize, to: usize) -> Self {
        Attrs {
            b: text.as_bytes(),
            pos: from,
            to,
        }
    }
}

impl Iterator for Attrs<'_> {
    type Item = Attr;

    fn next(&mut self) -> Option<Attr> {
        let ws_start = self.pos;
        while self.pos < self.to && is_ws(self.b[self.pos]) {
            self.pos += 1;
        }
        if self.pos >= self.to || matches!(self.b[self.pos], b'>' | b'/') {
            return None;
        }
        // The tag was checked by the scanner: `name S? = S? quote value quote`, so the name ends
        // before the first `=` (less any white space) and the value starts after the quote that
        // follows it.
        let name_start = self.pos;
        let eq = name_start + memchr::memchr(b'=', &self.b[name_start..self.to])?;
        let mut name_end = eq;
        while name_end > name_start && is_ws(self.b[name_end - 1]) {
            name_end -= 1;
        }
        let name = name_start..name_end;
        self.pos = eq + 1;
        while self.pos < self.to && is_ws(self.b[self.pos]) {
            self.pos += 1;
        }
        if self.pos >= self.to || !matches!(self.b[self.pos], b'"' | b'\'') {
            return None;
        }
        let quote = self.b[self.pos];
        let value_start = self.pos + 1;
        let len = memchr::memchr(quote, &self.b[value_start..self.to])?;
        self.pos = value_start + len + 1;
        Some(Attr {
            ws_start,
            name,
            value: value_start..value_start + len,
            quote,
        })
    }
}
