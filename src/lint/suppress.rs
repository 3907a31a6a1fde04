//! `<!-- sessctl-disable-next-line CODE[, CODE...] -->`: a comment on the line before a finding
//! suppresses it. Codes may be rule codes or names; a comment with none suppresses every rule.

use crate::doc::Document;

const MARKER: &str = "sessctl-disable-next-line";

/// (line the comment ends on, codes) for every suppression comment in the text.
pub fn suppressions(doc: &Document) -> Vec<(usize, Vec<String>)> {
    let text = doc.text();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("<!--") {
        let start = from + i;
        let Some(len) = text[start..].find("-->") else {
            break;
        };
        let body = text[start + 4..start + len].trim();
        if let Some(rest) = body.strip_prefix(MARKER) {
            let codes = rest
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            out.push((doc.line_col(start + len).0, codes));
        }
        from = start + len + 3;
    }
    out
}
