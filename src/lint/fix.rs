//! Applying safe fixes with the byte-exact engine.

use std::path::PathBuf;

use super::context::FileContext;
use super::{lint_context, Finding, LintOptions};
use crate::doc::Splice;
use crate::hierarchy::error::Error as HierarchyError;
use crate::hierarchy::source::Source;
use crate::ops::OpError;
use crate::ops::{write_spliced, FileChange};

/// Apply the safe fixes of every file in `findings` that has one. Each file is locked, read
/// and linted again under the lock, and the fixes come from that reading, so a change made to
/// the file since `findings` were computed can never receive stale offsets. Returns the
/// changes; writes nothing when `dry_run`.
pub fn apply_fixes(
    findings: &[Finding],
    opts: &LintOptions,
    dry_run: bool,
) -> Result<Vec<FileChange>, OpError> {
    let mut files: Vec<PathBuf> = findings
        .iter()
        .filter(|f| f.fix.is_some())
        .map(|f| f.file.clone())
        .collect();
    files.sort();
    files.dedup();
    let mut out = Vec::new();
    for file in files {
        let Some((src, _lock)) = Source::load_locked(&file, !dry_run)? else {
            return Err(HierarchyError::NotFound(file).into());
        };
        let ctx = FileContext::from_source(src, opts);
        let mut splices: Vec<Splice> = lint_context(&ctx, opts)
            .into_iter()
            .filter(|f| f.file == file)
            .filter_map(|f| {
                f.fix
                    .map(|fx| Splice::replace(f.text_range, fx.replacement))
            })
            .collect();
        splices.sort_by_key(|s| (s.range.start, s.range.end));
        splices.dedup_by(|a, b| a.range == b.range);
        let Some(src) = ctx.sources.into_iter().next() else {
            continue;
        };
        let src = std::sync::Arc::try_unwrap(src).unwrap_or_else(|shared| (*shared).clone());
        out.extend(write_spliced(src, splices, dry_run, false)?);
    }
    Ok(out)
}
