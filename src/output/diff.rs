//! Unified diffs of whole files, with secrets masked and optional colour.

use owo_colors::OwoColorize;

use super::secrets;

/// A unified diff from `before` to `after`, labelled with `path` (`/dev/null` when created).
pub fn unified(path: &str, before: &str, after: &str, created: bool, show_secrets: bool) -> String {
    let old = if created {
        "/dev/null".to_string()
    } else {
        format!("a/{path}")
    };
    let new = format!("b/{path}");
    let diff = similar::TextDiff::from_lines(before, after);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(&old, &new)
        .to_string();
    secrets::shown(&text, show_secrets).into_owned()
}

/// Colour a unified diff for a terminal.
pub fn colorize(diff: &str) -> String {
    let mut out = String::with_capacity(diff.len() + 64);
    for line in diff.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix("\r\n") {
            Some(b) => (b, "\r\n"),
            None => match line.strip_suffix('\n') {
                Some(b) => (b, "\n"),
                None => (line, ""),
            },
        };
        let painted = if body.starts_with("+++") || body.starts_with("---") {
            body.bold().to_string()
        } else if body.starts_with("@@") {
            body.cyan().to_string()
        } else if body.starts_with('+') {
            body.green().to_string()
        } else if body.starts_with('-') {
            body.red().to_string()
        } else {
            body.to_string()
        };
        out.push_str(&painted);
        out.push_str(end);
    }
    out
}
