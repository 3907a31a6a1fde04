//! The `lint` command: expand inputs, lint each file (in parallel), apply fixes, render.

use std::path::PathBuf;

use super::request::{LintFormat, LintRequest};
use super::{Exit, Run};
use crate::hierarchy::error::Error;
use crate::lint::{self, fix, Finding, LintOptions, Severity};
use crate::output::{diff, lint as render};
use crate::secrets;

/// Lint `files` on a few worker threads; results come back in the order given. A file that
/// cannot be read is returned as an error (lint could not run), never as a finding.
fn lint_all(files: &[PathBuf], opts: &LintOptions) -> Result<Vec<Finding>, Error> {
    let results = crate::par::map(files, 2, |path| {
        let mut ctx = lint::context::FileContext::load(path, opts);
        match ctx.unreadable.take() {
            Some(e) => Err(e),
            None => Ok(lint::lint_context(&ctx, opts)),
        }
    });
    // A configSource file named beside the web.config that names it is linted through both
    // (`sessctl lint $(git ls-files '*.config')`): each finding once, where it came first.
    let mut all = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for r in results {
        for f in r? {
            let key = (
                lint::walk::same_file_key(&f.file),
                f.line,
                f.column,
                f.end_line,
                f.end_column,
                f.code,
                f.message.clone(),
            );
            if seen.insert(key) {
                all.push(f);
            }
        }
    }
    Ok(all)
}

/// Run `lint`.
pub(super) fn run(req: &LintRequest) -> Run {
    if req.farm {
        return match lint::farm::lint_farm(&req.paths, &req.mounts, &req.options.enabled) {
            Ok((servers, findings)) => report(req, servers, findings),
            Err(e) => Run::error(&secrets::mask(&e.to_string()), Exit::Missing),
        };
    }
    // What a server's lint parsed, freed when the command is done with it.
    let mut parsed = None;
    let linted = match &req.root {
        Some(server) => match lint::server::lint_root(server, &req.options) {
            Ok((files, findings, p)) => {
                parsed = Some(p);
                (files, findings)
            }
            Err(e) => return Run::error(&secrets::mask(&e.to_string()), Exit::Missing),
        },
        None => {
            if let Err(p) = lint::walk::check_inputs(&req.paths) {
                let said = if p.as_os_str().is_empty() {
                    "an empty path names no file or folder".to_string()
                } else {
                    format!("{}: no such file or folder", p.display())
                };
                return Run::error(&said, Exit::Missing);
            }
            let walked = match lint::walk::walk(&req.paths, &req.exclude) {
                Ok(w) => w,
                Err(e) => return Run::error(&e.to_string(), Exit::Missing),
            };
            if let Some((p, why)) = walked.errors.first() {
                return Run::error(
                    &format!("{}: cannot be read: {why}", p.display()),
                    Exit::Missing,
                );
            }
            match lint_all(&walked.files, &req.options) {
                Ok(f) => (walked.files, f),
                Err(e) => return Run::error(&secrets::mask(&e.to_string()), Exit::Missing),
            }
        }
    };
    let (files, mut findings) = linted;
    if files.is_empty() {
        // A folder with nothing to lint is a mistake (a wrong path), never a clean run.
        let names: Vec<String> = req.paths.iter().map(|p| p.display().to_string()).collect();
        return Run::error(
            &format!(
                "no configuration file found in {} (web.config, applicationHost.config, machine.config, or *.config with a <configuration> root)",
                names.join(", ")
            ),
            Exit::Missing,
        );
    }
    let mut summary = render::Summary {
        files: files.len(),
        fixed: 0,
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    // The diff of `--fix --dry-run`: before the report for people, inside the document for
    // JSON, as SARIF `fixes` (already on each result), on stderr beside GitHub annotations,
    // so that stdout stays one parseable document.
    let mut fix_diff = String::new();
    let colour = req.common.color.enabled();
    if req.fix {
        let fixable = findings.iter().filter(|f| f.fix.is_some()).count();
        match fix::apply_fixes(&findings, &req.options, req.common.dry_run) {
            Ok(changes) => {
                if req.common.dry_run {
                    for c in &changes {
                        let d = diff::of_change(
                            c,
                            &c.path.display().to_string(),
                            req.common.show_secrets,
                        );
                        fix_diff.push_str(&d);
                    }
                } else {
                    summary.fixed = fixable;
                    // Report what is left after the fixes.
                    findings = match &req.root {
                        Some(server) => {
                            if let Some(p) = parsed.take() {
                                crate::par::drop_later(p);
                            }
                            lint::server::lint_root(server, &req.options)
                                .map(|(_, findings, p)| {
                                    parsed = Some(p);
                                    findings
                                })
                                .unwrap_or_default()
                        }
                        None => lint_all(&files, &req.options).unwrap_or_default(),
                    };
                }
            }
            Err(e) => return Run::error(&secrets::mask(&e.to_string()), Exit::Missing),
        }
    }
    match req.format {
        LintFormat::Human if colour => stdout.push_str(&diff::colorize(&fix_diff)),
        LintFormat::Human => stdout.push_str(&fix_diff),
        LintFormat::Github => stderr.push_str(&fix_diff),
        LintFormat::Json | LintFormat::Sarif => {}
    }
    let dry_diff = (req.fix && req.common.dry_run).then_some(fix_diff.as_str());
    let (report, code) = rendered(req, &findings, summary, dry_diff);
    stdout.push_str(&report);
    crate::par::drop_at_end((files, findings, parsed));
    Run {
        stdout,
        stderr,
        code,
        failure: None,
    }
}

/// The findings in the requested format, and the exit code they give (1 when any is at or
/// above the failing severity).
fn rendered(
    req: &LintRequest,
    findings: &[Finding],
    summary: render::Summary,
    dry_diff: Option<&str>,
) -> (String, Exit) {
    let show = req.common.show_secrets;
    let text = match req.format {
        LintFormat::Human => render::human(findings, summary, req.common.color.enabled(), show),
        LintFormat::Json => render::json(findings, summary, show, dry_diff),
        LintFormat::Sarif => render::sarif(findings, show),
        LintFormat::Github => render::github(findings, show),
    };
    let failing = findings.iter().any(|f| {
        f.severity == Severity::Error || (req.deny_warnings && f.severity == Severity::Warning)
    });
    (text, if failing { Exit::Failed } else { Exit::Success })
}

/// Render a farm lint's findings (no fixes): `servers` is what the summary counts.
fn report(req: &LintRequest, servers: usize, findings: Vec<Finding>) -> Run {
    let summary = render::Summary {
        files: servers,
        fixed: 0,
    };
    let (mut stdout, code) = rendered(req, &findings, summary, None);
    if req.format == LintFormat::Human {
        stdout = stdout
            .replacen("file checked", "server checked", 1)
            .replacen("files checked", "servers checked", 1);
    }
    Run {
        stdout,
        code,
        ..Run::default()
    }
}
