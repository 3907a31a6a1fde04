//! Lint renderers: human code frames, JSON (SPEC §5's shape), SARIF 2.1.0 and GitHub workflow
//! annotations. Thin: every decision was made by the linter.

use owo_colors::OwoColorize;
use serde_json::{json, Value};

use crate::lint::rules::RULES;
use crate::lint::{Finding, Severity};
use crate::secrets;

/// Counts for the summary.
#[derive(Clone, Copy, Debug, Default)]
pub struct Summary {
    /// Files linted.
    pub files: usize,
    /// Findings fixed by `--fix`.
    pub fixed: usize,
}

fn counts(findings: &[Finding]) -> (usize, usize, usize) {
    let n = |s| findings.iter().filter(|f| f.severity == s).count();
    (n(Severity::Error), n(Severity::Warning), n(Severity::Info))
}

fn plural(n: usize, one: &str) -> String {
    format!("{n} {one}{}", if n == 1 { "" } else { "s" })
}

/// Human output: one header line per finding, the source line, a caret under the span.
/// Findings are framed on every core (a server's lint has thousands), then joined in order.
pub fn human(findings: &[Finding], summary: Summary, colour: bool, show_secrets: bool) -> String {
    let frames = crate::par::map(findings, 512, |f| frame(f, colour, show_secrets));
    let mut out = String::with_capacity(frames.iter().map(String::len).sum::<usize>() + 128);
    for f in &frames {
        out.push_str(f);
    }
    let (e, w, i) = counts(findings);
    let files = plural(summary.files, "file");
    if findings.is_empty() {
        out.push_str(&format!("{files} checked: no problems\n"));
    } else {
        out.push_str(&format!(
            "{files} checked: {}, {}, {}\n",
            plural(e, "error"),
            plural(w, "warning"),
            plural(i, "info")
        ));
    }
    if summary.fixed > 0 {
        out.push_str(&format!("fixed {}\n", plural(summary.fixed, "finding")));
    }
    out
}

/// One finding's frame: the header line, the source line and the caret under the span.
fn frame(f: &Finding, colour: bool, show_secrets: bool) -> String {
    use std::fmt::Write;
    let message = secrets::shown(&f.message, show_secrets);
    let message = super::sanitize(&message);
    let shown = secrets::shown(&f.snippet, show_secrets);
    let masked = shown != f.snippet.as_str();
    let snippet = super::sanitize(&shown);
    let line: std::borrow::Cow<'_, str> = if snippet.contains('\t') {
        snippet.replace('\t', " ").into()
    } else {
        std::borrow::Cow::Borrowed(&*snippet)
    };
    let line_chars = if line.is_ascii() {
        line.len()
    } else {
        line.chars().count()
    };
    let start = f.column.saturating_sub(1 + f.snippet_shift);
    let span = if f.end_line == f.line {
        f.end_column.saturating_sub(f.column).max(1)
    } else {
        line_chars.saturating_sub(start).max(1)
    };
    // Masking shortens the line: put the caret where the masked text of the span is.
    let (start, span) = if masked {
        masked_caret(&f.snippet, start, span).unwrap_or((start, span))
    } else {
        (start, span)
    };
    // Keep the caret on the line.
    let span = span.min(line_chars.saturating_sub(start)).max(1);
    let number = f.line.to_string();
    let width = number.len();
    let mut out = String::with_capacity(2 * line.len() + message.len() + 4 * width + 128);
    let sev = f.severity.name();
    if colour {
        let label = format!("{sev}[{}]", f.code);
        let label = match f.severity {
            Severity::Error => label.red().bold().to_string(),
            Severity::Warning => label.yellow().bold().to_string(),
            Severity::Info => label.cyan().bold().to_string(),
        };
        let header = format!("{}:{}:{}:", f.file.display(), f.line, f.column);
        let gutter = |s: &str| s.blue().bold().to_string();
        let carets = format!("{}{}", " ".repeat(start), "^".repeat(span));
        let _ = writeln!(out, "{} {label} {}: {message}", header.bold(), f.name);
        let _ = writeln!(out, "{} {}", " ".repeat(width), gutter("|"));
        let _ = writeln!(out, "{} {} {line}", gutter(&number), gutter("|"));
        let _ = writeln!(
            out,
            "{} {} {}",
            " ".repeat(width),
            gutter("|"),
            carets.red().bold()
        );
    } else {
        let _ = writeln!(
            out,
            "{}:{}:{}: {sev}[{}] {}: {message}",
            f.file.display(),
            f.line,
            f.column,
            f.code,
            f.name
        );
        let pad = |out: &mut String, n: usize, c: char| out.extend(std::iter::repeat_n(c, n));
        pad(&mut out, width, ' ');
        out.push_str(" |\n");
        out.push_str(&number);
        out.push_str(" | ");
        out.push_str(&line);
        out.push('\n');
        pad(&mut out, width, ' ');
        out.push_str(" | ");
        pad(&mut out, start, ' ');
        pad(&mut out, span, '^');
        out.push('\n');
    }
    if let Some(fix) = &f.fix {
        out.extend(std::iter::repeat_n(' ', width));
        let _ = writeln!(out, " = fix: replace with \"{}\"", fix.replacement);
    }
    out.push('\n');
    out
}

/// The caret's start and width, in characters of the masked line, for a span of `line` (start
/// and width in its characters): the masked text before the span and of the span itself, when
/// masking the part before it gives the start of the masked line (the span begins between
/// values, as an attribute or a key does); `None` otherwise.
fn masked_caret(line: &str, start: usize, span: usize) -> Option<(usize, usize)> {
    let byte = |chars: usize| {
        line.char_indices()
            .nth(chars)
            .map_or(line.len(), |(i, _)| i)
    };
    let shown = |s: &str| {
        let masked = secrets::mask(s);
        super::sanitize(&masked).chars().count()
    };
    let whole = secrets::mask(line);
    let (a, b) = (byte(start), byte(start + span));
    let (before, through) = (secrets::mask(&line[..a]), secrets::mask(&line[..b]));
    if !whole.starts_with(&*before) || !whole.starts_with(&*through) {
        return None;
    }
    let (s, e) = (shown(&line[..a]), shown(&line[..b]));
    Some((s, e.saturating_sub(s).max(1)))
}

fn fix_json(f: &Finding) -> Value {
    match &f.fix {
        Some(x) => json!({"replacement": x.replacement, "start": x.start, "end": x.end}),
        None => Value::Null,
    }
}

/// JSON output; `diff` is the unified diff of `--fix --dry-run` (the fixes not written).
pub fn json(
    findings: &[Finding],
    summary: Summary,
    show_secrets: bool,
    diff: Option<&str>,
) -> String {
    let (e, w, i) = counts(findings);
    let list: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut v = json!({
                "code": f.code,
                "name": f.name,
                "severity": f.severity.name(),
                "file": f.file.display().to_string(),
                "line": f.line,
                "column": f.column,
                "endLine": f.end_line,
                "endColumn": f.end_column,
                "message": secrets::shown(&f.message, show_secrets),
                "fix": fix_json(f),
            });
            if !f.related.is_empty() {
                let related: Vec<Value> = f
                    .related
                    .iter()
                    .map(|r| {
                        json!({
                            "file": r.file.display().to_string(),
                            "line": r.line,
                            "message": secrets::shown(&r.what, show_secrets),
                        })
                    })
                    .collect();
                v["related"] = json!(related);
            }
            v
        })
        .collect();
    let mut doc = json!({
        "version": 1,
        "findings": list,
        "summary": {"files": summary.files, "errors": e, "warnings": w, "infos": i},
    });
    if summary.fixed > 0 {
        doc["summary"]["fixed"] = json!(summary.fixed);
    }
    if let Some(d) = diff {
        doc["diff"] = json!(d);
    }
    format!(
        "{}\n",
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    )
}

/// A relative URI reference for a path: forward slashes, percent-encoding outside the safe set.
fn uri(path: &std::path::Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let s = s.strip_prefix("./").unwrap_or(&s).to_string();
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// SARIF 2.1.0 output.
pub fn sarif(findings: &[Finding], show_secrets: bool) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": r.doc, "markdown": r.doc},
                "defaultConfiguration": {"level": sarif_level(r.severity)},
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let region = json!({
                "startLine": f.line,
                "startColumn": f.column,
                "endLine": f.end_line,
                "endColumn": f.end_column,
            });
            let location = json!({"uri": uri(&f.file)});
            let mut r = json!({
                "ruleId": f.code,
                "ruleIndex": RULES.iter().position(|r| r.code == f.code).unwrap_or(0),
                "level": sarif_level(f.severity),
                "message": {"text": secrets::shown(&f.message, show_secrets)},
                "locations": [{"physicalLocation": {"artifactLocation": location, "region": region}}],
            });
            if !f.related.is_empty() {
                let related: Vec<Value> = f
                    .related
                    .iter()
                    .enumerate()
                    .map(|(id, x)| {
                        json!({
                            "id": id,
                            "physicalLocation": {
                                "artifactLocation": {"uri": uri(&x.file)},
                                "region": {"startLine": x.line},
                            },
                            "message": {"text": secrets::shown(&x.what, show_secrets)},
                        })
                    })
                    .collect();
                r["relatedLocations"] = json!(related);
            }
            if let Some(fix) = &f.fix {
                r["fixes"] = json!([{
                    "description": {"text": format!("Replace with \"{}\"", fix.replacement)},
                    "artifactChanges": [{
                        "artifactLocation": location,
                        "replacements": [{
                            "deletedRegion": {"byteOffset": fix.start, "byteLength": fix.end - fix.start},
                            "insertedContent": {"text": fix.replacement},
                        }],
                    }],
                }]);
            }
            r
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "sessctl",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    )
}

fn gh_escape(s: &str, property: bool) -> String {
    let mut out = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

/// GitHub Actions workflow commands, one annotation per finding.
pub fn github(findings: &[Finding], show_secrets: bool) -> String {
    let mut out = String::new();
    for f in findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        out.push_str(&format!(
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            gh_escape(&f.file.to_string_lossy(), true),
            f.line,
            f.column,
            f.end_line,
            f.end_column,
            gh_escape(&format!("{} {}", f.code, f.name), true),
            gh_escape(
                &super::sanitize(&secrets::shown(&f.message, show_secrets)),
                false
            ),
        ));
    }
    out
}
