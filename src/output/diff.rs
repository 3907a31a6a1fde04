//! Unified diffs of whole files, with secrets masked and optional colour.

use owo_colors::OwoColorize;

use crate::secrets;

const CONTEXT: usize = 3;
/// Extra identical lines given to the diff algorithm on each side of the window, so that where
/// a repeated line can be aligned several ways it usually aligns as in a whole-file diff.
const MARGIN: usize = 8;
/// Lines a caller's window must extend past the changes (see `unified_at`).
pub const WINDOW_LINES: usize = CONTEXT + MARGIN;

/// A unified diff from `before` to `after`, labelled with `path` (`/dev/null` when created).
///
/// Only the window of lines that differ (plus context) is handed to the diff algorithm, and hunk
/// line numbers are shifted back, so a one-line change in a 30 MB file costs a scan for the
/// common prefix and suffix rather than a diff of the whole file.
pub fn unified(path: &str, before: &str, after: &str, created: bool, show_secrets: bool) -> String {
    unified_at(path, before, after, 0, created, show_secrets)
}

/// The unified diff of a file change, labelled `path`. Only a window of lines around the
/// splices is built and compared, so a change to a 30 MB file costs its neighbourhood.
pub fn of_change(change: &crate::ops::FileChange, path: &str, show_secrets: bool) -> String {
    if change.created {
        return unified(path, "", &change.after(), true, show_secrets);
    }
    let (first_line, before, after) = change.edit.window(WINDOW_LINES + 1);
    unified_at(path, before, &after, first_line, false, show_secrets)
}

/// `unified` for texts that are a window of the files starting after `first_line` lines (the
/// hunk headers count from the files' first line). The window must reach far enough past the
/// changes (CONTEXT + MARGIN lines) for the result to be the whole files' diff.
pub fn unified_at(
    path: &str,
    before: &str,
    after: &str,
    first_line: usize,
    created: bool,
    show_secrets: bool,
) -> String {
    // An absolute path reads a/srv/x.config, not a//srv/x.config (as git prints it).
    let label = path.trim_start_matches('/');
    let old = if created {
        "/dev/null".to_string()
    } else {
        format!("a/{label}")
    };
    let new = format!("b/{label}");
    let (skip_lines, old_mid, new_mid) = window(before, after);
    let skip_lines = skip_lines + first_line;
    let diff = similar::TextDiff::from_lines(old_mid, new_mid);
    let mut text = String::new();
    for (i, hunk) in diff
        .unified_diff()
        .context_radius(CONTEXT)
        .iter_hunks()
        .enumerate()
    {
        if i == 0 {
            text.push_str(&format!("--- {old}\n+++ {new}\n"));
        }
        let body = hunk.to_string();
        let (header, rest) = body.split_once('\n').unwrap_or((&body, ""));
        text.push_str(&shift_header(header, skip_lines));
        text.push('\n');
        text.push_str(rest);
    }
    secrets::shown(&text, show_secrets).into_owned()
}

/// The window of whole lines that differ, widened by CONTEXT + MARGIN lines on each side, returning the
/// number of lines skipped before it and the two windows. Lines before and after the window are
/// identical in both texts, which is all a line diff needs.
fn window<'a>(before: &'a str, after: &'a str) -> (usize, &'a str, &'a str) {
    let (a, b) = (before.as_bytes(), after.as_bytes());
    let prefix = common_prefix(a, b);
    // Lines before `first` are identical in both; the suffix may not reach back into them,
    // just as a line diff strips the common prefix before it looks for a common suffix.
    let first = memchr::memrchr(b'\n', &a[..prefix]).map_or(0, |i| i + 1);
    let mut start = first;
    for _ in 0..CONTEXT + MARGIN {
        if start == 0 {
            break;
        }
        start = memchr::memrchr(b'\n', &a[..start - 1]).map_or(0, |i| i + 1);
    }
    let max_suffix = (a.len() - first).min(b.len() - first);
    let suffix = common_suffix(&a[a.len() - max_suffix..], &b[b.len() - max_suffix..]);
    // Move the suffix start forward to a line start in both texts.
    let (mut a_s, mut b_s) = (a.len() - suffix, b.len() - suffix);
    let at_line_start = |s: &[u8], i: usize| i == 0 || s[i - 1] == b'\n';
    if !(at_line_start(a, a_s) && at_line_start(b, b_s)) {
        match memchr::memchr(b'\n', &a[a_s..]) {
            Some(i) => {
                a_s += i + 1;
                b_s += i + 1;
            }
            None => {
                a_s = a.len();
                b_s = b.len();
            }
        }
    }
    let widen = |s: &[u8], from: usize| {
        let mut end = from;
        for _ in 0..CONTEXT + MARGIN {
            match memchr::memchr(b'\n', &s[end..]) {
                Some(i) => end += i + 1,
                None => return s.len(),
            }
        }
        end
    };
    let (a_end, b_end) = (widen(a, a_s), widen(b, b_s));
    let lines = memchr::memchr_iter(b'\n', &a[..start]).count();
    (lines, &before[start..a_end], &after[start..b_end])
}

/// Length of the common prefix, compared a block at a time.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 4096;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    i + a[i..n]
        .iter()
        .zip(&b[i..n])
        .take_while(|(x, y)| x == y)
        .count()
}

/// Length of the common suffix, compared a block at a time.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 4096;
    let n = a.len().min(b.len());
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let mut k = 0;
    while k + BLOCK <= n && a[n - k - BLOCK..n - k] == b[n - k - BLOCK..n - k] {
        k += BLOCK;
    }
    k + a[..n - k]
        .iter()
        .rev()
        .zip(b[..n - k].iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// Add `lines` to both start numbers of a `@@ -a,b +c,d @@` header.
fn shift_header(header: &str, lines: usize) -> String {
    let parts: Vec<&str> = header.split(' ').collect();
    if lines == 0 || parts.len() < 4 || parts[0] != "@@" {
        return header.to_string();
    }
    let shift = |part: &str, sign: char| -> String {
        let body = part.trim_start_matches(sign);
        let (start, len) = match body.split_once(',') {
            Some((s, l)) => (s, Some(l)),
            None => (body, None),
        };
        let n = start.parse::<usize>().unwrap_or(0) + lines;
        match len {
            Some(l) => format!("{sign}{n},{l}"),
            None => format!("{sign}{n}"),
        }
    };
    let mut out = format!("@@ {} {} @@", shift(parts[1], '-'), shift(parts[2], '+'));
    for p in &parts[4..] {
        out.push(' ');
        out.push_str(p);
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_keeps_three_lines_of_context_and_shifts_hunks() {
        let before: String = (1..=100).map(|i| format!("line {i}\n")).collect();
        let after = before.replace("line 50\n", "line fifty\n");
        let (skip, old, new) = window(&before, &after);
        assert_eq!(skip, 38);
        assert!(
            old.starts_with("line 39\n") && old.ends_with("line 61\n"),
            "{old}"
        );
        assert_eq!(old.replace("line 50\n", "line fifty\n"), new);
        let d = unified("f", &before, &after, false, true);
        let whole = similar::TextDiff::from_lines(&before, &after)
            .unified_diff()
            .context_radius(3)
            .header("a/f", "b/f")
            .to_string();
        assert_eq!(d, whole);
    }

    #[test]
    fn window_at_the_edges_and_without_final_newline() {
        for (before, after) in [
            ("a\nb\nc", "a\nb\nC"),
            ("a\nb\nc\n", "x\nb\nc\n"),
            ("", "new\n"),
            ("a\r\nb\r\n", "a\r\nb\r\nc\r\n"),
            ("only", "only\n"),
        ] {
            let d = unified("f", before, after, false, true);
            let whole = similar::TextDiff::from_lines(before, after)
                .unified_diff()
                .context_radius(3)
                .header("a/f", "b/f")
                .to_string();
            assert_eq!(d, whole, "{before:?} -> {after:?}");
        }
    }
}

#[cfg(test)]
mod header_tests {
    #[test]
    fn an_absolute_path_gets_one_slash_after_a_and_b() {
        let d = super::unified("/srv/site/x.config", "a\n", "b\n", false, false);
        assert!(
            d.starts_with("--- a/srv/site/x.config\n+++ b/srv/site/x.config\n"),
            "{d}"
        );
    }
}
