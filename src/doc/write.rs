//! Atomic file writes: a temporary file in the target's folder, flushed, given the original's
//! permissions, then renamed over the target. A symbolic link is written through to its target.
//! A read-only file is refused. Callers hold the target's lock (`lock.rs`), which is what makes
//! removing a killed run's leftover temporary file safe.

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
    atomic_write_with(path, |f| {
        for part in parts {
            f.write_all(part)?;
        }
        Ok(())
    })
}

/// `atomic_write` with the contents written by `fill` into the new file.
pub fn atomic_write_with(
    path: &Path,
    fill: impl FnOnce(&mut fs::File) -> io::Result<()>,
) -> io::Result<()> {
    atomic_write_while_flushing(path, fill, None::<fn()>)
}

/// `atomic_write_with`, and `meanwhile` run on a second thread while the new file is flushed to
/// disk (a wait for the device, with a core idle): work that must follow the fill and may
/// overlap the flush, such as releasing what the fill read.
pub fn atomic_write_while_flushing(
    path: &Path,
    fill: impl FnOnce(&mut fs::File) -> io::Result<()>,
    meanwhile: Option<impl FnOnce() + Send>,
) -> io::Result<()> {
    let target = resolve_target(path)?;
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let original = fs::metadata(&target).ok();
    if original
        .as_ref()
        .is_some_and(|m| m.permissions().readonly())
    {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "the file is read-only; clear its read-only attribute to let sessctl change it",
        ));
    }
    let prefix = temp_prefix(&target);
    remove_stale_temps(&dir, &prefix);
    let mut tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(&dir)?;
    fill(tmp.as_file_mut())?;
    let file = tmp.as_file();
    match meanwhile {
        Some(work) => std::thread::scope(|scope| {
            let helper = scope.spawn(work);
            let flushed = file.sync_all();
            let _ = helper.join();
            flushed
        })?,
        None => file.sync_all()?,
    }
    if let Some(meta) = original {
        fs::set_permissions(tmp.path(), meta.permissions())?;
    }
    tmp.persist(&target).map_err(|e| e.error)?;
    sync_dir(&dir);
    Ok(())
}

/// Temporary files for `web.config` are `.web.config.sessctl-XXXXXX.tmp` in the same folder.
fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    format!(".{name}.sessctl-")
}

/// Remove temporary files a killed sessctl left for this target. Callers hold the target's
/// lock, so no other sessctl is writing one of these right now.
fn remove_stale_temps(dir: &Path, prefix: &str) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(prefix) && name.ends_with(".tmp") {
            let _ = fs::remove_file(e.path());
        }
    }
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

/// Writing back a large new file while it is still being written: after every `STEP` bytes the
/// kernel is asked to start writing them to the disk (`sync_file_range`, Linux), so the flush
/// that ends an atomic write waits for the last few megabytes rather than the whole file. Only
/// a hint: what makes the file durable is still that flush. The requests go to a second
/// thread, which spends its time handing the pages to the disk while the first copies on.
pub(super) struct EarlyFlush {
    written: usize,
    started: usize,
    #[cfg(target_os = "linux")]
    to: Option<std::sync::mpsc::Sender<(usize, usize)>>,
}

impl EarlyFlush {
    /// How many bytes are written before their write-back is started.
    pub(super) const STEP: usize = 4 << 20;

    /// Run `write` (which writes `out` from its start, about `len` bytes, telling the
    /// `EarlyFlush` what it wrote) with write-back started as it goes when the file is large.
    pub(super) fn around<T>(
        out: &mut fs::File,
        len: usize,
        write: impl FnOnce(&mut fs::File, &mut EarlyFlush) -> T,
    ) -> T {
        #[cfg(target_os = "linux")]
        if len > Self::STEP {
            use std::os::fd::AsRawFd;
            let fd = out.as_raw_fd();
            return std::thread::scope(|scope| {
                let (to, from) = std::sync::mpsc::channel::<(usize, usize)>();
                scope.spawn(move || {
                    for (start, len) in from {
                        // SAFETY: a plain system call on the descriptor of `out`, which
                        // outlives this scope; its failure only leaves the write-back to the
                        // final flush.
                        unsafe {
                            libc::sync_file_range(
                                fd,
                                start as libc::off64_t,
                                len as libc::off64_t,
                                libc::SYNC_FILE_RANGE_WRITE,
                            );
                        }
                    }
                });
                let mut flush = EarlyFlush {
                    written: 0,
                    started: 0,
                    to: Some(to),
                };
                // The sender goes with `flush` at the end of the write: the thread then ends.
                write(out, &mut flush)
            });
        }
        let _ = len;
        write(
            out,
            &mut EarlyFlush {
                written: 0,
                started: 0,
                #[cfg(target_os = "linux")]
                to: None,
            },
        )
    }

    /// `n` more bytes were written.
    pub(super) fn wrote(&mut self, n: usize) {
        self.written += n;
        if self.written - self.started < Self::STEP {
            return;
        }
        #[cfg(target_os = "linux")]
        if let Some(to) = &self.to {
            let _ = to.send((self.started, self.written - self.started));
        }
        self.started = self.written;
    }
}
