//! `<!-- sessctl-disable-next-line CODE[, CODE...] -->`: a comment on the line before a finding
//! suppresses it. Codes may be rule codes or names; a comment with none suppresses every rule.

use crate::doc::Document;

const MARKER: &str = "sessctl-disable-next-line";

/// (line the comment ends on, codes) for every suppression comment, from the comments the
/// scanner found.
pub(crate) fn suppressions(doc: &Document) -> Vec<(usize, Vec<String>)> {
    let text = doc.text();
    let mut out = Vec::new();
    for r in doc.comments() {
        let body = text[r.start + 4..r.end - 3].trim();
        if let Some(rest) = body.strip_prefix(MARKER) {
            let codes = rest
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            out.push((doc.line_col(r.end).0, codes));
        }
    }
    out
}
