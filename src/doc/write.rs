//! Atomic file writes: a temporary file in the target's folder, flushed, given the original's
//! permissions, then renamed over the target. A symbolic link is written through to its target.
//! A read-only file is refused. Callers hold the target's lock (`lock.rs`), which is what makes
//! removing a killed run's leftover temporary file safe.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A new file begun ahead of its write (`prewrite.rs`) and stopped: the temporary file, and how
/// many of its first bytes are the old file's.
pub struct Prepared {
    pub(super) tmp: tempfile::NamedTempFile,
    /// The first `ready` bytes of `tmp` are the old file's first `ready` bytes.
    pub(super) ready: usize,
    /// The file it is for (resolved through links): a write to another file cannot use it.
    pub(super) target: PathBuf,
}

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
    atomic_write_prepared(path, None, |f, _| fill(f), None::<fn()>)
}

/// `atomic_write_with` into the new file `prepared` while the old one was parsed
/// (`prewrite.rs`), when there is one for this target: `fill` is given the new file and how many
/// of its first bytes are already the old file's (0 for a new temporary file). `meanwhile` runs
/// on a second thread while the new file is flushed to disk (a wait for the device, with a core
/// idle): work that must follow the fill and may overlap the flush, such as releasing what the
/// fill read.
pub fn atomic_write_prepared(
    path: &Path,
    prepared: Option<Prepared>,
    fill: impl FnOnce(&mut fs::File, usize) -> io::Result<()>,
    meanwhile: Option<impl FnOnce() + Send>,
) -> io::Result<()> {
    let target = resolve_target(path)?;
    let original = writable(&target)?;
    let (mut tmp, ready) = match prepared {
        // Prepared for this very file, under the lock the caller still holds.
        Some(p) if p.target == target => (p.tmp, p.ready),
        _ => (new_temp_unchecked(&target)?, 0),
    };
    fill(tmp.as_file_mut(), ready)?;
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
    sync_dir(&folder_of(&target));
    Ok(())
}

/// The target's metadata when it exists; a read-only target is refused.
fn writable(target: &Path) -> io::Result<Option<fs::Metadata>> {
    let original = fs::metadata(target).ok();
    if original
        .as_ref()
        .is_some_and(|m| m.permissions().readonly())
    {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "the file is read-only; clear its read-only attribute to let sessctl change it",
        ));
    }
    Ok(original)
}

fn folder_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A new temporary file for `target` (resolved through links; its lock held by the caller), in
/// its folder, once any a killed run left are removed. A read-only target is refused.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub(super) fn new_temp(target: &Path) -> io::Result<tempfile::NamedTempFile> {
    writable(target)?;
    new_temp_unchecked(target)
}

fn new_temp_unchecked(target: &Path) -> io::Result<tempfile::NamedTempFile> {
    let dir = folder_of(target);
    let prefix = temp_prefix(target);
    remove_stale_temps(&dir, &prefix);
    tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(&dir)
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

    /// Run `write` (which writes about `len` bytes to `out`, telling the `EarlyFlush` what it
    /// wrote and where it moved) with write-back started as it goes when that is a lot.
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
                let (tx, rx) = std::sync::mpsc::channel::<(usize, usize)>();
                scope.spawn(move || {
                    for (start, len) in rx {
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
                    to: Some(tx),
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

    /// The writer moved to `at` (forward) to write on from there: what it wrote before is
    /// handed to the disk now, and counting starts again at `at`.
    pub(super) fn jumped_to(&mut self, at: usize) {
        #[cfg(target_os = "linux")]
        if let (Some(to), true) = (&self.to, self.written > self.started) {
            let _ = to.send((self.started, self.written - self.started));
        }
        self.written = at;
        self.started = at;
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
