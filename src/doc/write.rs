//! Atomic file writes: a temporary file in the target's folder, flushed, given the original's
//! permissions, then renamed over the target. A symbolic link is written through to its target.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The path that really holds the file's bytes: `path` itself, or the end of its link chain.
pub fn resolve_target(path: &Path) -> io::Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(path),
        _ => Ok(path.to_path_buf()),
    }
}

/// Replace the contents of `path` with the concatenation of `parts` so that readers see the old
/// or the new file, never a mix.
pub fn atomic_write(path: &Path, parts: &[&[u8]]) -> io::Result<()> {
    let target = resolve_target(path)?;
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let original = fs::metadata(&target).ok();
    let mut tmp = tempfile::Builder::new()
        .prefix(".sessctl-")
        .suffix(".tmp")
        .tempfile_in(&dir)?;
    for part in parts {
        tmp.write_all(part)?;
    }
    tmp.as_file().sync_all()?;
    if let Some(meta) = original {
        fs::set_permissions(tmp.path(), meta.permissions())?;
    }
    tmp.persist(&target).map_err(|e| e.error)?;
    sync_dir(&dir);
    Ok(())
}

#[cfg(unix)]
fn sync_dir(dir: &Path) {
    // Makes the rename itself durable; failure here loses nothing already written.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) {}
