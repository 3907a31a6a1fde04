//! Advisory locks that span a read-modify-write.
//!
//! The lock is taken on the file itself (flock on Unix, LockFileEx on Windows, through std's
//! `File::lock`). Because an atomic write renames a new file over the old one, a waiter may
//! wake holding a lock on a file that is no longer at the path; it then checks that its handle
//! and the path are still the same file and, if not, starts again. Two sessctl processes
//! changing one file therefore run one after the other, and neither loses the other's change.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// An open, exclusively locked file. The lock is released when this is dropped.
#[derive(Debug)]
pub struct Locked {
    file: File,
    path: PathBuf,
}

impl Locked {
    /// Lock the file at `path` (already resolved through links). `Ok(None)` when it does not
    /// exist.
    pub fn acquire(path: &Path) -> io::Result<Option<Locked>> {
        for _ in 0..1000 {
            let file = match File::open(path) {
                Ok(f) => f,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(e),
            };
            if file.metadata()?.is_dir() {
                return Err(io::Error::new(io::ErrorKind::IsADirectory, "is a folder"));
            }
            file.lock()?;
            let ours = same_file::Handle::from_file(file.try_clone()?)?;
            match same_file::Handle::from_path(path) {
                Ok(now) if now == ours => {
                    return Ok(Some(Locked {
                        file,
                        path: path.to_path_buf(),
                    }))
                }
                // Replaced (or removed) while we waited: try again with what is there now.
                _ => continue,
            }
        }
        Err(io::Error::other(
            "the file kept being replaced while waiting for its lock",
        ))
    }

    /// Read the whole file through the locked handle.
    pub fn read_all(&mut self) -> io::Result<Vec<u8>> {
        let len = self.file.metadata()?.len() as usize;
        let mut bytes = Vec::with_capacity(len + 1);
        self.file.read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    /// Read or map the whole file through the locked handle. With `prepare` (a write is
    /// expected), a large UTF-8 file begins its new file while it is parsed (`prewrite.rs`).
    pub fn read_raw(&mut self, prepare: bool) -> io::Result<super::Raw> {
        let len = self.file.metadata()?.len();
        #[allow(unused_mut)]
        let mut raw = super::Raw::from_file(&self.file, len, true)?;
        #[cfg(unix)]
        if let (true, super::Raw::Mapped(_, Some(backing))) = (prepare, &mut raw) {
            backing.prepare = Some(self.path.clone());
        }
        let _ = prepare;
        Ok(raw)
    }

    /// The locked path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}
