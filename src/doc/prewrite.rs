//! The new file of a large write, begun while the old one is still being parsed.
//!
//! A `set` on a 30 MB applicationHost.config cannot place its edit before the whole file is
//! scanned (the edit's place is found in the scan, and nothing is written for a file that does
//! not parse), yet most of the new file is the old file's bytes, unchanged, and the disk takes
//! as long to write them as the scan takes to read them. So a file read under its lock for a
//! write starts, on a second thread, copying itself into the temporary file the write will
//! rename over it, a megabyte at a time with the disk's write-back started as it goes. When
//! the edit is known, the copy is stopped: whatever it copied before the first changed byte is
//! kept, the rest is written over. When no write follows (nothing changed, an error), the
//! temporary file is removed as any unused one is.
//!
//! Only what is unchanged is ever taken from the copy, and the target is touched only by the
//! rename that ends the write, after the new file is complete and flushed: the guarantees of
//! `write.rs` are the same with or without a prepared file. Linux only (`copy_file_range` and
//! `sync_file_range`); elsewhere no file is prepared and the write starts from nothing.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::write::Prepared;

/// Files at least this large are copied ahead of their write (those whose write goes in
/// write-back steps): below it the scan is over in a millisecond or two, and a thread and a
/// temporary file made before it is known whether anything changes save next to nothing.
pub(super) const PREPARE_THRESHOLD: usize = super::write::EarlyFlush::STEP;

/// A temporary file being filled with a copy of the file it will replace.
pub(crate) struct Prewrite {
    #[cfg(target_os = "linux")]
    inner: Option<linux::Copying>,
    /// The file the copy is for (resolved through links), so a write to another cannot use it.
    target: PathBuf,
}

impl Prewrite {
    /// Start copying `src` (open, `len` bytes, the file at `target`, which the caller holds the
    /// lock of) into a new temporary file beside it. `None` where this is not done: off Linux,
    /// for small files, or when the temporary file cannot be made (the write will then report
    /// why, or make its own).
    pub(super) fn start(target: &Path, src: &File, len: usize) -> Option<Prewrite> {
        if len < PREPARE_THRESHOLD {
            return None;
        }
        #[cfg(target_os = "linux")]
        {
            let tmp = super::write::new_temp(target).ok()?;
            let inner = linux::Copying::start(src, tmp, len)?;
            Some(Prewrite {
                inner: Some(inner),
                target: target.to_path_buf(),
            })
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = (target, src);
            None
        }
    }

    /// Stop the copy and hand over the temporary file. Waits for the megabyte in flight.
    pub(super) fn finish(mut self) -> Option<Prepared> {
        #[cfg(target_os = "linux")]
        {
            let (tmp, ready) = self.inner.take()?.stop();
            Some(Prepared {
                tmp,
                ready,
                target: std::mem::take(&mut self.target),
            })
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = &mut self.target;
            None
        }
    }
}

impl Drop for Prewrite {
    /// An unused copy is stopped and its temporary file removed.
    fn drop(&mut self) {
        #[cfg(target_os = "linux")]
        if let Some(inner) = self.inner.take() {
            drop(inner.stop());
        }
    }
}

impl std::fmt::Debug for Prewrite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Prewrite({})", self.target.display())
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use std::fs::File;
    use std::os::fd::AsRawFd;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::thread::JoinHandle;

    /// Bytes copied between two looks at the stop flag: how long `stop` may wait.
    const CHUNK: usize = 1 << 20;

    pub(super) struct Copying {
        tmp: tempfile::NamedTempFile,
        stop: Arc<AtomicBool>,
        thread: JoinHandle<usize>,
    }

    impl Copying {
        pub(super) fn start(src: &File, tmp: tempfile::NamedTempFile, len: usize) -> Option<Self> {
            // The thread's own handles: they live as long as it does, whoever drops what.
            let from = src.try_clone().ok()?;
            let to = tmp.as_file().try_clone().ok()?;
            let stop = Arc::new(AtomicBool::new(false));
            let flag = Arc::clone(&stop);
            let thread = std::thread::Builder::new()
                .name("prewrite".into())
                .spawn(move || copy(&from, &to, len, &flag))
                .ok()?;
            Some(Copying { tmp, stop, thread })
        }

        /// Stop, and the temporary file with how many of its first bytes are copied.
        pub(super) fn stop(self) -> (tempfile::NamedTempFile, usize) {
            self.stop.store(true, Ordering::Relaxed);
            // A thread that panicked copied nothing to rely on.
            let ready = self.thread.join().unwrap_or(0);
            (self.tmp, ready)
        }
    }

    /// Copy `from` into `to` from the start, at explicit offsets (neither handle's position is
    /// used), until `len` bytes, a stop, or a failure; the number of bytes copied whole. Each
    /// `EarlyFlush::STEP` copied has its write-back started.
    fn copy(from: &File, to: &File, len: usize, stop: &AtomicBool) -> usize {
        let step = super::super::write::EarlyFlush::STEP;
        let (mut done, mut started) = (0usize, 0usize);
        while done < len && !stop.load(Ordering::Relaxed) {
            let want = (len - done).min(CHUNK);
            let mut off_in = done as libc::off64_t;
            let mut off_out = done as libc::off64_t;
            let mut left = want;
            while left > 0 {
                // SAFETY: a system call on two descriptors this thread owns, with offsets it
                // owns; it reads and writes only the files.
                let n = unsafe {
                    libc::copy_file_range(
                        from.as_raw_fd(),
                        &mut off_in,
                        to.as_raw_fd(),
                        &mut off_out,
                        left,
                        0,
                    )
                };
                if n <= 0 {
                    // An error, or the file ended early: what is copied whole so far stands.
                    return done;
                }
                left -= n as usize;
            }
            done += want;
            if done - started >= step || done == len {
                // SAFETY: a plain system call on a descriptor this thread owns; failing only
                // leaves the write-back to the final flush.
                unsafe {
                    libc::sync_file_range(
                        to.as_raw_fd(),
                        started as libc::off64_t,
                        (done - started) as libc::off64_t,
                        libc::SYNC_FILE_RANGE_WRITE,
                    );
                }
                started = done;
            }
        }
        done
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::io::Write;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    fn large(dir: &Path) -> (PathBuf, Vec<u8>) {
        let path = dir.join("applicationHost.config");
        let bytes: Vec<u8> = (0..PREPARE_THRESHOLD + 12_345)
            .map(|i| b"<a/>\r\n"[i % 6])
            .collect();
        std::fs::File::create(&path)
            .unwrap()
            .write_all(&bytes)
            .unwrap();
        (path, bytes)
    }

    #[test]
    fn the_copy_holds_the_old_bytes_beside_the_target() {
        let tmp = tempfile::tempdir().unwrap();
        let (path, bytes) = large(tmp.path());
        let file = std::fs::File::open(&path).unwrap();
        // Stopped at once or done: either way what it says is copied is the old file's.
        for wait in [0, 400] {
            let pre = Prewrite::start(&path, &file, bytes.len()).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(wait));
            let p = pre.finish().unwrap();
            assert_eq!(p.target, path);
            assert_eq!(p.tmp.path().parent(), Some(tmp.path()));
            let name = p
                .tmp
                .path()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            assert!(
                name.starts_with(".applicationHost.config.sessctl-"),
                "{name}"
            );
            let copied = std::fs::read(p.tmp.path()).unwrap();
            assert!(p.ready <= copied.len() && copied[..p.ready] == bytes[..p.ready]);
            if wait > 0 {
                assert_eq!(p.ready, bytes.len(), "400 ms is time enough for 4 MiB");
            }
        }
        // A copy dropped unused, mid-way, goes with its temporary file, as the handed-over ones
        // did with theirs.
        let unused = Prewrite::start(&path, &file, bytes.len()).expect("begun");
        std::thread::sleep(std::time::Duration::from_millis(2));
        assert_eq!(names(tmp.path()).len(), 2);
        drop(unused);
        assert_eq!(
            names(tmp.path()),
            vec!["applicationHost.config".to_string()]
        );
    }

    #[test]
    fn nothing_is_begun_for_a_small_or_read_only_file() {
        let tmp = tempfile::tempdir().unwrap();
        let small = tmp.path().join("web.config");
        std::fs::write(&small, "<configuration/>").unwrap();
        let file = std::fs::File::open(&small).unwrap();
        assert!(Prewrite::start(&small, &file, 16).is_none());
        let (path, bytes) = large(tmp.path());
        let mut perms = std::fs::metadata(&path).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&path, perms).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        assert!(Prewrite::start(&path, &file, bytes.len()).is_none());
        assert_eq!(
            names(tmp.path()),
            vec![
                "applicationHost.config".to_string(),
                "web.config".to_string()
            ]
        );
    }
}
