//! The `lint` command: expand inputs, lint each file (in parallel), apply fixes, render.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::request::{LintFormat, LintRequest};
use super::Run;
use crate::lint::{self, fix, Finding, LintOptions, Severity};
use crate::output::{diff, lint as render, secrets};

fn lint_all(files: &[PathBuf], opts: &LintOptions) -> Vec<Finding> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads < 2 || files.len() < 64 {
        return files
            .iter()
            .flat_map(|f| lint::lint_file(f, opts))
            .collect();
    }
    // Work-stealing by index; each worker keeps its own results, merged in input order.
    let next = AtomicUsize::new(0);
    let mut parts: Vec<Vec<(usize, Vec<Finding>)>> = Vec::new();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(f) = files.get(i) else { break };
                        let found = lint::lint_file(f, opts);
                        if !found.is_empty() {
                            mine.push((i, found));
                        }
                    }
                    mine
                })
            })
            .collect();
        parts = handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect();
    });
    let mut all: Vec<(usize, Vec<Finding>)> = parts.into_iter().flatten().collect();
    all.sort_by_key(|(i, _)| *i);
    all.into_iter().flat_map(|(_, f)| f).collect()
}

/// Run `lint`.
pub fn run(req: &LintRequest) -> Run {
    let files = match lint::walk::expand(&req.paths) {
        Ok(f) => f,
        Err(p) => {
            return Run::error(&format!("{}: no such file or folder", p.display()), 2);
        }
    };
    let mut findings = lint_all(&files, &req.options);
    let mut summary = render::Summary {
        files: files.len(),
        fixed: 0,
    };
    let mut stdout = String::new();
    let colour = req.common.color.enabled();
    if req.fix {
        let fixable = findings.iter().filter(|f| f.fix.is_some()).count();
        match fix::apply_fixes(&findings, req.common.dry_run) {
            Ok(changes) => {
                if req.common.dry_run {
                    for c in &changes {
                        let d = diff::unified(
                            &c.path.display().to_string(),
                            &c.before,
                            &c.after,
                            false,
                            req.common.show_secrets,
                        );
                        stdout.push_str(&if colour { diff::colorize(&d) } else { d });
                    }
                } else {
                    summary.fixed = fixable;
                    // Report what is left after the fixes.
                    findings = lint_all(&files, &req.options);
                }
            }
            Err(e) => return Run::error(&secrets::mask(&e.to_string()), 2),
        }
    }
    let show = req.common.show_secrets;
    stdout.push_str(&match req.format {
        LintFormat::Human => render::human(&findings, summary, colour, show),
        LintFormat::Json => render::json(&findings, summary, show),
        LintFormat::Sarif => render::sarif(&findings, show),
        LintFormat::Github => render::github(&findings, show),
    });
    let failing = findings.iter().any(|f| {
        f.severity == Severity::Error || (req.deny_warnings && f.severity == Severity::Warning)
    });
    Run {
        stdout,
        stderr: String::new(),
        code: i32::from(failing),
    }
}
