//! Splices: the only way text changes. An edit is a set of `(byte range, replacement)` pairs;
//! applying them copies every gap between them verbatim.

use std::ops::Range;

/// Replace `range` of the original text with `text`. An empty range inserts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Splice {
    /// Byte range of the original text to replace.
    pub range: Range<usize>,
    /// The replacement.
    pub text: String,
}

impl Splice {
    /// Insert `text` at `at`.
    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Splice {
            range: at..at,
            text: text.into(),
        }
    }

    /// Delete `range`.
    pub fn delete(range: Range<usize>) -> Self {
        Splice {
            range,
            text: String::new(),
        }
    }

    /// Replace `range` with `text`.
    pub fn replace(range: Range<usize>, text: impl Into<String>) -> Self {
        Splice {
            range,
            text: text.into(),
        }
    }
}

/// Splices that overlap, or fall outside the text, or off a character boundary.
#[derive(Debug, PartialEq, Eq)]
pub struct OverlapError(pub Range<usize>, pub Range<usize>);

/// Apply `splices` to `text`. They are sorted by position first; two that overlap are an error
/// (an insertion at the end of a replaced range is not an overlap).
pub fn apply(text: &str, splices: &mut [Splice]) -> Result<String, OverlapError> {
    splices.sort_by_key(|s| (s.range.start, s.range.end));
    check(text, splices)?;
    Ok(apply_sorted(text, splices))
}

/// Check that sorted `splices` fit `text`: in bounds, on character boundaries, no overlaps.
pub(super) fn check(text: &str, splices: &[Splice]) -> Result<(), OverlapError> {
    let mut at = 0;
    let mut last = 0..0;
    for s in splices {
        if s.range.start < at
            || s.range.end > text.len()
            || s.range.start > s.range.end
            || !text.is_char_boundary(s.range.start)
            || !text.is_char_boundary(s.range.end)
        {
            return Err(OverlapError(last, s.range.clone()));
        }
        at = s.range.end;
        last = s.range.clone();
    }
    Ok(())
}

/// Apply sorted splices that passed `check`.
pub(super) fn apply_sorted(text: &str, splices: &[Splice]) -> String {
    let added: usize = splices.iter().map(|s| s.text.len()).sum();
    let mut out = String::with_capacity(text.len() + added);
    let mut at = 0;
    for s in splices {
        out.push_str(&text[at..s.range.start]);
        out.push_str(&s.text);
        at = s.range.end;
    }
    out.push_str(&text[at..]);
    out
}
