//! The linter: every rule of SPEC §6 judged from the files given, with spans, severities,
//! suppressions and safe fixes. Rules never print: they report diagnostics against a
//! [`context::FileContext`], and `output::lint` renders findings. The schema and runtime rules
//! are the same code `set` runs (`schema::rules`).

pub mod context;
pub(crate) mod farm;
pub mod fix;
pub mod rules;
pub(crate) mod server;
pub(crate) mod suppress;
pub(crate) mod walk;

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::doc::DocError;
use context::FileContext;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Informational.
    Info,
    /// Worth fixing.
    Warning,
    /// ASP.NET fails, or the config is unsafe to ship.
    Error,
}

impl Severity {
    /// The lower-case name used in output.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A rule's check function.
pub type Check = fn(&FileContext, &mut Vec<Diagnostic>);

/// One rule: stable code and name, severity, documentation, and its check.
#[derive(Debug)]
pub struct RuleDef {
    /// `SS003`
    pub code: &'static str,
    /// `invalid-value`
    pub name: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// One line: what it finds.
    pub summary: &'static str,
    /// Markdown: what it finds, why it matters, an example, the fix.
    pub doc: &'static str,
    /// The check, or None when the rule needs the whole server (`--root`), not built yet.
    pub check: Option<Check>,
    /// Whether its errors make ASP.NET (or IIS) refuse the whole file, whatever section a
    /// request reads (malformed XML, a section twice in one scope, a location .NET refuses): a
    /// write into such a file changes nothing a request sees. A finding may say otherwise
    /// ([`Diagnostic::refusing_one_section`]).
    pub refuses_file: bool,
    /// Whether its verdict holds in an XDT transform (`Web.Release.config`): it judges what is
    /// written (a value, a secret, an attribute name), which lands as written in the file the
    /// transform produces. A rule that judges the merged section (one attribute beside another,
    /// a provider the base file adds, the scope around it) does not run there: the transform
    /// holds only what it changes.
    pub judges_transforms: bool,
}

/// Where a diagnostic points.
#[derive(Clone, Debug)]
pub enum At {
    /// A byte range of the text of one of the context's sources.
    Span {
        /// Index into the context's sources.
        src: usize,
        /// Text offsets.
        range: Range<usize>,
    },
    /// A file that could not be parsed, at the error's position.
    Broken {
        /// The file.
        path: PathBuf,
        /// The parse error.
        error: DocError,
    },
}

/// What a rule reports.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// Where.
    pub at: At,
    /// What is wrong, and what would be right.
    pub message: String,
    /// A safe replacement for the whole span, if there is one.
    pub fix: Option<String>,
    /// A severity other than the rule's, for a finding milder or graver than its rule's usual
    /// one (a boolean ASP.NET still reads, a lock ASP.NET does not enforce).
    pub severity: Option<Severity>,
    /// Other places the finding names.
    pub related: Vec<Related>,
    /// Whether ASP.NET refuses the whole file for it, where that is not what the rule's
    /// findings usually mean ([`RuleDef::refuses_file`]).
    pub refuses_file: Option<bool>,
}

impl Diagnostic {
    /// A finding at `at` with the rule's severity, no fix and no other place.
    pub fn new(at: At, message: String) -> Diagnostic {
        Diagnostic {
            at,
            message,
            fix: None,
            severity: None,
            related: Vec::new(),
            refuses_file: None,
        }
    }

    /// With a safe replacement for the whole span, if there is one.
    pub fn with_fix(self, fix: Option<String>) -> Diagnostic {
        Diagnostic { fix, ..self }
    }

    /// With a severity other than the rule's, if it has one.
    pub fn with_severity(self, severity: Option<Severity>) -> Diagnostic {
        Diagnostic { severity, ..self }
    }

    /// With the other places the finding names.
    pub fn with_related(self, related: Vec<Related>) -> Diagnostic {
        Diagnostic { related, ..self }
    }

    /// A finding for which ASP.NET refuses the whole file, of a rule whose findings usually
    /// make it refuse less.
    pub fn refusing_the_file(self) -> Diagnostic {
        Diagnostic {
            refuses_file: Some(true),
            ..self
        }
    }

    /// A finding of a rule whose findings make ASP.NET refuse the whole file, for which ASP.NET
    /// refuses less (one section: every other section of the file is read).
    pub fn refusing_one_section(self) -> Diagnostic {
        Diagnostic {
            refuses_file: Some(false),
            ..self
        }
    }
}

/// Another place a finding names, as data: the lock that binds a definition, the level that
/// sets an inherited value, the entry a duplicate repeats (SARIF's related locations).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// The file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// What is there ("the lock", ...).
    pub what: String,
}

/// A safe fix: replace `start..end` (bytes of the file) with `replacement`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// The replacement text, as written into the file.
    pub replacement: String,
    /// Byte offset in the file where the replaced range starts.
    pub start: usize,
    /// Byte offset in the file where it ends.
    pub end: usize,
}

/// A finding, located for output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Rule code.
    pub code: &'static str,
    /// Rule name.
    pub name: &'static str,
    /// Severity.
    pub severity: Severity,
    /// The file, as the user named it or as the walk found it.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters).
    pub column: usize,
    /// 1-based line where the span ends.
    pub end_line: usize,
    /// 1-based column just past the span.
    pub end_column: usize,
    /// What is wrong.
    pub message: String,
    /// The safe fix, if any.
    pub fix: Option<Fix>,
    /// Text offsets of the span (for applying fixes).
    pub text_range: Range<usize>,
    /// The source line the finding starts on, without its line end (for code frames).
    pub snippet: String,
    /// Characters of the line left out before `snippet` (a window of a very long line).
    pub snippet_shift: usize,
    /// Other places the finding names.
    pub related: Vec<Related>,
    /// Whether ASP.NET (or IIS) refuses the whole file for it ([`RuleDef::refuses_file`]).
    pub refuses_file: bool,
}

/// Options that change what is reported.
#[derive(Clone, Debug)]
pub struct LintOptions {
    /// Codes of the rules to run.
    pub enabled: Vec<&'static str>,
    /// SS105's threshold in minutes.
    pub max_timeout: u64,
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            enabled: rules::RULES.iter().map(|r| r.code).collect(),
            max_timeout: 60,
        }
    }
}

/// Find a rule by code or name, case-insensitively.
pub fn find_rule(key: &str) -> Option<&'static RuleDef> {
    rules::RULES
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(key) || r.name.eq_ignore_ascii_case(key))
        .copied()
}

/// The findings of one file (and of the configSource files it points to), filtered by the
/// enabled rules and the file's suppression comments, sorted by position.
pub fn lint_file(path: &Path, opts: &LintOptions) -> Vec<Finding> {
    lint_context(&FileContext::load(path, opts), opts)
}

/// The findings of a file already loaded (its configSource files are read from disk).
pub fn lint_source(src: crate::hierarchy::source::Source, opts: &LintOptions) -> Vec<Finding> {
    lint_context(&FileContext::from_source(src, opts), opts)
}

/// The findings of a loaded context (see [`lint_file`]).
pub fn lint_context(ctx: &FileContext, opts: &LintOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    // Usually every rule is enabled, in table order: then no code needs comparing.
    let all = opts.enabled.len() == rules::RULES.len()
        && opts
            .enabled
            .iter()
            .zip(rules::RULES)
            .all(|(c, r)| std::ptr::eq(*c, r.code));
    let transform = ctx.is_transform();
    for rule in rules::RULES
        .iter()
        .filter(|r| all || opts.enabled.contains(&r.code))
        .filter(|r| !transform || r.judges_transforms)
    {
        let Some(check) = rule.check else { continue };
        let mut diags = Vec::new();
        check(ctx, &mut diags);
        findings.extend(diags.into_iter().map(|d| ctx.locate(rule, d)));
    }
    findings.retain(|f| !ctx.suppressed(f));
    findings.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code).cmp(&(&b.file, b.line, b.column, b.code))
    });
    findings.dedup();
    findings
}

/// A finding of rule `code` on a whole line of `file` (the rules that judge a server or a
/// farm, whose findings are not spans of one parsed file).
pub(crate) fn finding_on_line(
    code: &'static str,
    file: &std::path::Path,
    line: usize,
    message: String,
) -> Finding {
    let rule = rules::RULES
        .iter()
        .find(|r| r.code == code)
        .expect("every rule is registered");
    let snippet = std::fs::read(file)
        .ok()
        .and_then(|b| {
            let text = match crate::doc::decode(b.clone()) {
                Ok((_, t)) => t,
                Err(_) => String::from_utf8_lossy(&b).into_owned(),
            };
            text.split('\n')
                .nth(line.max(1) - 1)
                .map(|l| l.trim_end_matches('\r').to_string())
        })
        .unwrap_or_default();
    let column = snippet.len() - snippet.trim_start().len() + 1;
    Finding {
        code: rule.code,
        name: rule.name,
        severity: rule.severity,
        file: file.to_path_buf(),
        line: line.max(1),
        column,
        end_line: line.max(1),
        end_column: snippet.chars().count().max(column) + 1,
        message,
        fix: None,
        text_range: 0..0,
        snippet,
        snippet_shift: 0,
        related: Vec::new(),
        refuses_file: rule.refuses_file,
    }
}
