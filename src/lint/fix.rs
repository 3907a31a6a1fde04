//! Applying safe fixes with the byte-exact engine.

use std::path::PathBuf;

use super::Finding;
use crate::doc::{atomic_write, Document, Splice};
use crate::ops::source::Source;
use crate::ops::{FileChange, OpError};

/// Apply the fixes among `findings` to their files (grouped per file). Returns the changes;
/// writes nothing when `dry_run`.
pub fn apply_fixes(findings: &[Finding], dry_run: bool) -> Result<Vec<FileChange>, OpError> {
    let mut files: Vec<PathBuf> = findings
        .iter()
        .filter(|f| f.fix.is_some())
        .map(|f| f.file.clone())
        .collect();
    files.sort();
    files.dedup();
    let mut out = Vec::new();
    for file in files {
        let Some((src, _lock)) = Source::load_locked(&file)? else {
            return Err(OpError::NotFound(file));
        };
        let mut splices: Vec<Splice> = findings
            .iter()
            .filter(|f| f.file == file)
            .filter_map(|f| {
                f.fix
                    .as_ref()
                    .map(|fx| Splice::replace(f.text_range.clone(), fx.replacement.clone()))
            })
            .collect();
        splices.sort_by_key(|s| (s.range.start, s.range.end));
        splices.dedup_by(|a, b| a.range == b.range);
        let new: Document = src
            .doc
            .apply(&mut splices)
            .map_err(|error| OpError::Malformed {
                file: file.clone(),
                error,
            })?;
        if new.text() == src.doc.text() {
            continue;
        }
        if !dry_run {
            let (head, body) = new.encoded_parts();
            atomic_write(&file, &[&head, &body]).map_err(|e| OpError::io(&file, e))?;
        }
        out.push(FileChange {
            path: file,
            before: src.doc.text().to_string(),
            after: new.text().to_string(),
            created: false,
        });
    }
    Ok(out)
}
