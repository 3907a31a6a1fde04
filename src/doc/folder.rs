//! Reading a folder for a walk: its entries, its subfolders and its files opened relative to
//! it. On Unix through the folder's descriptor (`openat`, `getdents64` by rustix): no path is
//! looked up again from the root for each file, and no `fstat` per folder, which is most of
//! the cost of walking 20,000 folders. Elsewhere through `std::fs` by path.

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

use super::text::Raw;

/// What an entry of a folder is (a link is never followed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A folder.
    Folder,
    /// A regular file.
    File,
    /// A symbolic link or junction.
    Link,
    /// Anything else (a socket, a device).
    Other,
}

/// One entry of a folder.
#[derive(Debug)]
pub struct Entry {
    /// Its name.
    pub name: OsString,
    /// What it is.
    pub kind: Kind,
}

/// An open folder.
pub struct Folder {
    path: PathBuf,
    /// The folder's descriptor: its entries are read from it, files and subfolders opened
    /// relative to it.
    #[cfg(unix)]
    fd: rustix::fd::OwnedFd,
}

impl Folder {
    /// Open the folder at `path`.
    pub fn open(path: &Path) -> io::Result<Folder> {
        #[cfg(unix)]
        {
            Folder::open_at(rustix::fs::CWD, path, path.to_path_buf())
        }
        #[cfg(not(unix))]
        {
            if !std::fs::metadata(path)?.is_dir() {
                return Err(io::Error::new(io::ErrorKind::NotADirectory, "not a folder"));
            }
            Ok(Folder {
                path: path.to_path_buf(),
            })
        }
    }

    #[cfg(unix)]
    fn open_at<Fd: rustix::fd::AsFd>(dir: Fd, name: &Path, path: PathBuf) -> io::Result<Folder> {
        use rustix::fs::{Mode, OFlags};
        let fd = rustix::fs::openat(
            dir,
            name,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC | OFlags::NONBLOCK,
            Mode::empty(),
        )?;
        Ok(Folder { path, fd })
    }

    /// The folder's path as opened.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Open the subfolder `name`.
    pub fn folder(&self, name: &OsString) -> io::Result<Folder> {
        let path = self.path.join(name);
        #[cfg(unix)]
        {
            Folder::open_at(&self.fd, Path::new(name), path)
        }
        #[cfg(not(unix))]
        {
            Folder::open(&path)
        }
    }

    /// Every entry but `.` and `..`, in the order the file system gives them (read once).
    pub fn entries(&mut self) -> io::Result<Vec<Entry>> {
        #[cfg(unix)]
        {
            use rustix::fs::FileType;
            use std::os::unix::ffi::OsStrExt;
            let mut out = Vec::new();
            // Linux: getdents64 into a buffer on the stack (no allocation, nothing zeroed).
            #[cfg(target_os = "linux")]
            let mut buf = [std::mem::MaybeUninit::<u8>::uninit(); 8192];
            #[cfg(target_os = "linux")]
            let mut dir = rustix::fs::RawDir::new(&self.fd, &mut buf);
            #[cfg(not(target_os = "linux"))]
            let mut dir = rustix::fs::Dir::read_from(&self.fd)?;
            while let Some(e) = dir.next() {
                let e = e?;
                #[cfg(target_os = "linux")]
                let cookie = e.next_entry_cookie();
                let name = e.file_name().to_bytes();
                let kind = match e.file_type() {
                    FileType::Directory => Kind::Folder,
                    FileType::RegularFile => Kind::File,
                    FileType::Symlink => Kind::Link,
                    // Some file systems do not say: ask without following a link.
                    FileType::Unknown => {
                        match rustix::fs::statat(
                            &self.fd,
                            e.file_name(),
                            rustix::fs::AtFlags::SYMLINK_NOFOLLOW,
                        ) {
                            Ok(st) => kind_of(FileType::from_raw_mode(st.st_mode)),
                            Err(_) => Kind::Other,
                        }
                    }
                    other => kind_of(other),
                };
                if name != b"." && name != b".." {
                    out.push(Entry {
                        name: std::ffi::OsStr::from_bytes(name).to_os_string(),
                        kind,
                    });
                }
                // ext4 gives the last entry of an indexed folder the end-of-folder position: the
                // next getdents64 would return nothing, so it is not asked (one system call per
                // folder). Any other position reads on until getdents64 says the end.
                #[cfg(target_os = "linux")]
                if dir.is_buffer_empty() && matches!(cookie, 0x7fff_ffff | 0x7fff_ffff_ffff_ffff) {
                    break;
                }
            }
            Ok(out)
        }
        #[cfg(not(unix))]
        {
            let mut out = Vec::new();
            for e in std::fs::read_dir(&self.path)? {
                let e = e?;
                let Ok(ft) = e.file_type() else { continue };
                let kind = if ft.is_symlink() {
                    Kind::Link
                } else if ft.is_dir() {
                    Kind::Folder
                } else if ft.is_file() {
                    Kind::File
                } else {
                    Kind::Other
                };
                out.push(Entry {
                    name: e.file_name(),
                    kind,
                });
            }
            Ok(out)
        }
    }

    /// Whether the entry `name` of this folder, a link, leads to a folder (a link to a file, or
    /// to nothing, is read as a file is: IIS reads through it, or fails to).
    pub fn link_to_folder(&self, name: &OsString) -> bool {
        #[cfg(unix)]
        {
            rustix::fs::statat(&self.fd, Path::new(name), rustix::fs::AtFlags::empty())
                .is_ok_and(|st| rustix::fs::FileType::from_raw_mode(st.st_mode).is_dir())
        }
        #[cfg(not(unix))]
        {
            std::fs::metadata(self.path.join(name)).is_ok_and(|m| m.is_dir())
        }
    }

    /// Read the file `name` of this folder (a walked web.config: small, read in one go).
    pub fn read(&self, name: &OsString) -> io::Result<Raw> {
        #[cfg(unix)]
        {
            use rustix::fs::{Mode, OFlags};
            let fd = rustix::fs::openat(
                &self.fd,
                Path::new(name),
                OFlags::RDONLY | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            let size = rustix::fs::fstat(&fd)?.st_size;
            Raw::read_sized(&mut std::fs::File::from(fd), size.max(0) as u64)
        }
        #[cfg(not(unix))]
        {
            let mut file = std::fs::File::open(self.path.join(name))?;
            let size = file.metadata()?.len();
            Raw::read_sized(&mut file, size)
        }
    }
}

#[cfg(unix)]
fn kind_of(t: rustix::fs::FileType) -> Kind {
    use rustix::fs::FileType;
    match t {
        FileType::Directory => Kind::Folder,
        FileType::RegularFile => Kind::File,
        FileType::Symlink => Kind::Link,
        _ => Kind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(raw: Raw) -> Vec<u8> {
        match raw {
            Raw::Read(b) => b,
            #[cfg(unix)]
            Raw::Mapped(m, _) => m.to_vec(),
        }
    }

    #[test]
    fn entries_subfolders_and_files_are_read_relative_to_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("sub")).unwrap();
        std::fs::write(tmp.path().join("web.config"), b"<configuration/>").unwrap();
        std::fs::write(tmp.path().join("sub/web.config"), b"<a/>").unwrap();
        let mut folder = Folder::open(tmp.path()).unwrap();
        let mut entries: Vec<(String, Kind)> = folder
            .entries()
            .unwrap()
            .into_iter()
            .map(|e| (e.name.to_string_lossy().into_owned(), e.kind))
            .collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            entries,
            [
                ("sub".to_string(), Kind::Folder),
                ("web.config".to_string(), Kind::File)
            ]
        );
        let raw = folder.read(&"web.config".into()).unwrap();
        assert_eq!(bytes(raw), b"<configuration/>");
        let sub = folder.folder(&"sub".into()).unwrap();
        assert_eq!(sub.path(), tmp.path().join("sub"));
        assert_eq!(bytes(sub.read(&"web.config".into()).unwrap()), b"<a/>");
        assert!(folder.folder(&"web.config".into()).is_err());
        assert!(Folder::open(&tmp.path().join("missing")).is_err());
    }

    #[test]
    fn a_folder_larger_than_one_read_is_listed_whole() {
        // 3,000 entries need several getdents64 calls of 8 KB: only the last one's end counts.
        let tmp = tempfile::tempdir().unwrap();
        for i in 0..3000 {
            std::fs::write(
                tmp.path()
                    .join(format!("file-with-a-long-name-{i:05}.config")),
                b"",
            )
            .unwrap();
        }
        let mut names: Vec<String> = Folder::open(tmp.path())
            .unwrap()
            .entries()
            .unwrap()
            .into_iter()
            .map(|e| e.name.to_string_lossy().into_owned())
            .collect();
        names.sort();
        let expected: Vec<String> = (0..3000)
            .map(|i| format!("file-with-a-long-name-{i:05}.config"))
            .collect();
        assert_eq!(names, expected);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_reported_as_a_link_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("real")).unwrap();
        std::os::unix::fs::symlink(tmp.path().join("real"), tmp.path().join("link")).unwrap();
        let kinds: Vec<Kind> = Folder::open(tmp.path())
            .unwrap()
            .entries()
            .unwrap()
            .into_iter()
            .filter(|e| e.name == "link")
            .map(|e| e.kind)
            .collect();
        assert_eq!(kinds, [Kind::Link]);
    }
}
