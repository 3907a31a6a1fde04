//! A document's decoded text: an owned string, or, for a large UTF-8 file on Unix, the file's
//! own pages mapped read-only.
//!
//! Copying a 30 MB file into fresh memory costs more than scanning it on a virtual machine (every
//! page is zeroed, faulted in and then overwritten); mapping it costs a page-table update per
//! page. A mapping read for a write keeps the file open, so the write can copy the unchanged runs
//! from the file inside the kernel (`copy_file_range`) instead of through user memory; one read
//! only to look keeps no file handle (a server's thousands of files stay within the open-file
//! limit).
//!
//! A mapped file is assumed not to shrink while it is mapped: sessctl's own writers replace
//! files by renaming a new file over them, as IIS's configuration writer does. Windows does not
//! map at all, because a mapped file cannot be renamed over there.

use std::fmt;
use std::fs::File;
use std::ops::Deref;

/// Files at least this large are mapped rather than read (where mapping is supported).
#[cfg(unix)]
pub(super) const MAP_THRESHOLD: u64 = 1 << 20;

/// Decoded text, owned or mapped.
pub struct Text {
    repr: Repr,
}

enum Repr {
    Owned(String),
    #[cfg(unix)]
    Mapped {
        map: memmap2::Mmap,
        /// Where the text starts in the file (after a BOM).
        start: usize,
        file: Option<File>,
        /// The new file of the write this text was read for, begun while it was parsed.
        prewrite: Option<super::prewrite::Prewrite>,
    },
}

/// A file's raw bytes, before decoding: read into memory or mapped.
pub enum Raw {
    /// Bytes read into memory.
    Read(Vec<u8>),
    /// The file's pages, mapped read-only, and the open file when a write will copy from it.
    #[cfg(unix)]
    Mapped(memmap2::Mmap, Option<Backing>),
}

/// The open file behind a mapping read for a write, and, when a write is expected, the file
/// (resolved through links, its lock held) whose new file may be begun while the mapping is
/// parsed (`prewrite.rs`).
#[derive(Debug)]
pub struct Backing {
    pub(super) file: File,
    pub(super) prepare: Option<std::path::PathBuf>,
}

impl Raw {
    /// Read or map an open file of `len` bytes. With `for_write`, a mapping keeps a second
    /// handle to the file for [`Text::backing_file`].
    pub fn from_file(file: &File, len: u64, for_write: bool) -> std::io::Result<Raw> {
        #[cfg(unix)]
        if len >= MAP_THRESHOLD {
            // SAFETY: the map is read-only and private to this process; see the module note
            // for why the file is not expected to shrink while it is mapped.
            let map = unsafe { memmap2::Mmap::map(file)? };
            let kept = if for_write {
                Some(Backing {
                    file: file.try_clone()?,
                    prepare: None,
                })
            } else {
                None
            };
            return Ok(Raw::Mapped(map, kept));
        }
        // Read into room for the known size plus one byte (a file that grew since is read on
        // to its end), not zeroed first, and with no size probe of its own (`File`'s
        // `read_to_end` asks the size and position again).
        use std::io::Read;
        let mut bytes = Vec::with_capacity(len as usize + 1);
        file.take(u64::MAX).read_to_end(&mut bytes)?;
        Ok(Raw::Read(bytes))
    }

    /// Read a small open file whose size was just asked (`size`): one read of a byte more than
    /// that, and a read that ends at the size is the end, with no further read to say so (a
    /// read at the end costs more than asking the size). A file that grew, or a read cut short,
    /// reads on until the end. Never mapped.
    pub fn read_sized(file: &mut File, size: u64) -> std::io::Result<Raw> {
        use std::io::Read;
        let size = usize::try_from(size).unwrap_or(usize::MAX - 1);
        let mut bytes = vec![0u8; size.min(1 << 20) + 1];
        let mut filled = 0;
        loop {
            if filled == bytes.len() {
                bytes.resize(bytes.len() * 2, 0);
            }
            let n = match file.read(&mut bytes[filled..]) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            filled += n;
            if n == 0 || (filled == size && filled < bytes.len()) {
                break;
            }
        }
        bytes.truncate(filled);
        Ok(Raw::Read(bytes))
    }
}

impl From<Vec<u8>> for Raw {
    fn from(v: Vec<u8>) -> Self {
        Raw::Read(v)
    }
}

impl Text {
    /// Text of a mapped file whose bytes from `start` on were checked to be UTF-8, with the
    /// new file of its write when one was begun.
    #[cfg(unix)]
    pub(crate) fn mapped(
        map: memmap2::Mmap,
        start: usize,
        file: Option<File>,
        prewrite: Option<super::prewrite::Prewrite>,
    ) -> Text {
        debug_assert!(std::str::from_utf8(&map[start..]).is_ok());
        Text {
            repr: Repr::Mapped {
                map,
                start,
                file,
                prewrite,
            },
        }
    }

    /// The new file begun for this text's write (`prewrite.rs`), stopped; `None` when none was.
    pub(crate) fn take_prepared(&mut self) -> Option<super::Prepared> {
        match &mut self.repr {
            Repr::Owned(_) => None,
            #[cfg(unix)]
            Repr::Mapped { prewrite, .. } => prewrite.take()?.finish(),
        }
    }

    /// Stop and remove the new file begun for this text's write, when no write follows.
    pub(crate) fn drop_prepared(&mut self) {
        #[cfg(unix)]
        if let Repr::Mapped { prewrite, .. } = &mut self.repr {
            prewrite.take();
        }
    }

    /// The open file this text is the bytes of, and where the text starts in it: lets a writer
    /// copy unchanged runs from the file. `None` for owned text.
    pub fn backing_file(&self) -> Option<(&File, usize)> {
        match &self.repr {
            Repr::Owned(_) => None,
            #[cfg(unix)]
            Repr::Mapped { file, start, .. } => file.as_ref().map(|f| (f, *start)),
        }
    }

    /// Let the kernel drop the pages of a mapped text that was read for a write and is now
    /// copied: unmapped from this process and evicted from the page cache. The text stays
    /// readable (a later read faults the same bytes in again from the file, which stays open),
    /// so this is only a hint. A writer calls it while the new file is flushed: the old file's
    /// pages, freed when the rename drops its last name, are then freed during the wait for the
    /// disk instead of after it. Does nothing for owned text or off Linux.
    pub fn release_pages(&self) {
        #[cfg(target_os = "linux")]
        if let Repr::Mapped {
            map,
            file: Some(file),
            ..
        } = &self.repr
        {
            use std::os::fd::AsRawFd;
            // SAFETY: the mapping is private and read-only, so it holds no page of its own to
            // lose: after MADV_DONTNEED a read gets the file's bytes again, which are unchanged
            // (sessctl replaces files by renaming over them, and `file` keeps the old one open).
            let _ = unsafe { map.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) };
            // SAFETY: a plain system call on a descriptor this text owns.
            unsafe {
                libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED);
            }
        }
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        match &self.repr {
            Repr::Owned(s) => s,
            #[cfg(unix)]
            // SAFETY: checked to be UTF-8 when the text was made (`Text::mapped`), and the
            // mapping is read-only.
            Repr::Mapped { map, start, .. } => unsafe {
                std::str::from_utf8_unchecked(&map[*start..])
            },
        }
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text {
            repr: Repr::Owned(s),
        }
    }
}

impl Clone for Text {
    /// A copy of a mapped text is owned.
    fn clone(&self) -> Self {
        Text::from(self.deref().to_string())
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.repr {
            Repr::Owned(_) => "owned",
            #[cfg(unix)]
            Repr::Mapped { .. } => "mapped",
        };
        write!(f, "Text({kind}, {} bytes)", self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::Raw;

    fn read(content: &[u8], size: u64) -> Vec<u8> {
        let tmp = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(tmp.path(), content).unwrap();
        let mut file = std::fs::File::open(tmp.path()).unwrap();
        match Raw::read_sized(&mut file, size).unwrap() {
            Raw::Read(b) => b,
            #[cfg(unix)]
            Raw::Mapped(..) => unreachable!("read_sized never maps"),
        }
    }

    #[test]
    fn a_sized_read_gets_the_whole_file_whatever_size_was_asked() {
        let text = b"<configuration>\r\n  <system.web />\r\n</configuration>\r\n".repeat(100);
        let len = text.len() as u64;
        // As asked, smaller (the file grew since), larger (it shrank), nothing at all.
        for size in [len, 0, 1, len / 2, len - 1, len + 1, len * 3] {
            assert_eq!(read(&text, size), text, "size {size}");
        }
        assert_eq!(read(b"", 0), b"");
        assert_eq!(read(b"", 10), b"");
    }
}
