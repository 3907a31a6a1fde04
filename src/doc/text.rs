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
pub const MAP_THRESHOLD: u64 = 1 << 20;

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
    },
}

/// A file's raw bytes, before decoding: read into memory or mapped.
pub enum Raw {
    /// Bytes read into memory.
    Read(Vec<u8>),
    /// The file's pages, mapped read-only, and the open file when a write will copy from it.
    #[cfg(unix)]
    Mapped(memmap2::Mmap, Option<File>),
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
                Some(file.try_clone()?)
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

    /// Read an open file whose size is not known (one system call fewer than asking it): room
    /// for a small web.config first, doubled as needed, the spare room given back (20,000 of
    /// these stay in memory during `lint --root`). Never mapped.
    pub fn read_unsized(file: &File) -> std::io::Result<Raw> {
        use std::io::Read;
        let mut bytes = Vec::with_capacity(1 << 10);
        file.take(u64::MAX).read_to_end(&mut bytes)?;
        if bytes.capacity() > bytes.len() + bytes.len() / 4 + 64 {
            bytes.shrink_to_fit();
        }
        Ok(Raw::Read(bytes))
    }
}

impl From<Vec<u8>> for Raw {
    fn from(v: Vec<u8>) -> Self {
        Raw::Read(v)
    }
}

impl Text {
    /// Text of a mapped file whose bytes from `start` on were checked to be UTF-8.
    #[cfg(unix)]
    pub(crate) fn mapped(map: memmap2::Mmap, start: usize, file: Option<File>) -> Text {
        debug_assert!(std::str::from_utf8(&map[start..]).is_ok());
        Text {
            repr: Repr::Mapped { map, start, file },
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
