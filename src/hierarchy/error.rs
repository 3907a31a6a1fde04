//! The errors reading the hierarchy can end in: files, paths, levels, configSource, the
//! request's places. An operation's own (a rule, a lock, a provider key) are `ops::OpError`'s.
//! Which exit code each becomes is the `cli` layer's decision (`cli::exit_code`).

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use super::path::ConfigPath;
use crate::doc::DocError;

/// Why reading the hierarchy failed.
#[derive(Debug)]
pub enum Error {
    /// The request itself is wrong (exit 87).
    Usage(Usage),
    /// A file is not well-formed XML, or not a configuration file (exit 13).
    Malformed {
        /// The file.
        file: PathBuf,
        /// Where and what.
        error: DocError,
    },
    /// The file is fine as XML but its configuration is not usable (exit 13).
    Invalid {
        /// The file.
        file: PathBuf,
        /// 1-based line and column, if a place is at fault.
        at: Option<(usize, usize)>,
        /// What is wrong.
        problem: Box<Problem>,
    },
    /// The section is encrypted (exit 13).
    Encrypted {
        /// The file.
        file: PathBuf,
        /// The protection provider named.
        provider: String,
    },
    /// A file or folder that must exist does not (exit 2).
    NotFound(PathBuf),
    /// The site, application or backup named does not exist (exit 1168).
    NoSuchObject(Missing),
    /// A file named from inside another one (a `configSource`) does not exist (exit 2).
    MissingReference {
        /// The file that names it.
        file: PathBuf,
        /// 1-based line and column of the reference.
        at: (usize, usize),
        /// The file it names, which is not there.
        missing: PathBuf,
    },
    /// A symbolic link that cannot be followed, such as a loop (exit 2).
    BrokenLink(PathBuf, String),
    /// A folder stands where a file must be (exit 2).
    NotAFile(PathBuf),
    /// Access denied (exit 5), with the reason when there is more to say (read-only).
    Permission(PathBuf, Option<String>),
    /// Any other I/O failure.
    Io(PathBuf, io::Error),
}

/// Why a section's `configSource` cannot be followed (ASP.NET refuses the configuration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSourceError {
    /// The element has other attributes beside `configSource` (their names).
    OtherAttributes(Vec<String>),
    /// The element has content.
    HasContent,
    /// The value is empty.
    Empty,
    /// The path is absolute (the value).
    Absolute(String),
    /// The path leaves the folder of the file (the value).
    Escapes(String),
    /// The file it names is not there.
    Missing(PathBuf),
    /// The file it names cannot be read (why, naming it).
    Unreadable(String),
    /// The file's root element is not the section.
    WrongRoot {
        /// The file named.
        path: PathBuf,
        /// 1-based line and column of its root element.
        at: (usize, usize),
        /// The root element found.
        found: String,
        /// The section's element name.
        expected: &'static str,
    },
}

impl std::fmt::Display for ConfigSourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigSourceError::OtherAttributes(names) => write!(
                f,
                "a section with configSource may have no other attributes (found {})",
                names.join(", ")
            ),
            ConfigSourceError::HasContent => {
                write!(f, "a section with configSource may have no content")
            }
            ConfigSourceError::Empty => write!(f, "configSource is empty"),
            ConfigSourceError::Absolute(v) => {
                write!(f, "configSource \"{v}\" must be a relative path")
            }
            ConfigSourceError::Escapes(v) => write!(
                f,
                "configSource \"{v}\" must stay in the folder of the file or below"
            ),
            ConfigSourceError::Missing(p) => write!(
                f,
                "configSource names {}, which does not exist",
                p.display()
            ),
            ConfigSourceError::Unreadable(why) => {
                write!(f, "configSource names a file that cannot be read: {why}")
            }
            ConfigSourceError::WrongRoot {
                found, expected, ..
            } => write!(
                f,
                "a configSource file must have <{expected}> as its root element, not <{found}>"
            ),
        }
    }
}

/// Why a file's configuration cannot be used, with what is at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A section allowed up to the application root, set for a path below it.
    BelowApplication {
        /// The section.
        section: &'static str,
        /// The path it would be set for.
        path: ConfigPath,
        /// The application root above it.
        app: ConfigPath,
    },
    /// A section defined more than once in one scope (the lines of each, and who refuses it:
    /// [`reader_of`](super::source::reader_of)).
    Duplicate(&'static str, Vec<usize>, &'static str),
    /// The root element is not `<configuration>` (its name).
    NotConfiguration(String),
    /// A `configSource` that cannot be followed.
    ConfigSource(ConfigSourceError),
    /// A write to a section element whose content is in its configSource file.
    InConfigSourceFile,
    /// redirection.config names a folder that cannot be used.
    Redirection(Usage),
    /// Something in a `<location>` element that .NET refuses, which makes ASP.NET refuse the
    /// whole file (what, in words).
    Location(String),
    /// A section sessctl reads spelt in another case or outside `<system.web>`, which the
    /// reader refuses with the whole file (why, in words).
    Unrecognized(String),
    /// A section of applicationHost.config's topology (`sites`, `applicationPools`) kept in
    /// another file with `configSource`, which sessctl does not follow.
    TopologyMovedOut(&'static str),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::BelowApplication { section, path, app } => write!(
                f,
                "{section} cannot be set for \"{path}\": it is below the application root \"{app}\" (allowDefinition=MachineToApplication); set it at the application root"
            ),
            Problem::Duplicate(name, lines, reader) => write!(
                f,
                "<{name}> appears {} times in the same scope (lines {}); {reader} allows it once",
                lines.len(),
                lines
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Problem::Location(what) | Problem::Unrecognized(what) => f.write_str(what),
            Problem::NotConfiguration(name) => {
                write!(f, "the root element is <{name}>, not <configuration>")
            }
            Problem::ConfigSource(e) => e.fmt(f),
            Problem::InConfigSourceFile => write!(f, "the section lives in its configSource file"),
            Problem::Redirection(u) => write!(f, "configuration redirection: {u}"),
            Problem::TopologyMovedOut(section) => write!(
                f,
                "<{section}> keeps its content in another file (configSource), which sessctl does not follow: the sites, their applications and pools cannot be read"
            ),
        }
    }
}

/// Why a request is wrong, with what it named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Usage {
    /// `/commit:site` or `/commit:app` (the keyword) for a PATH outside any site or application.
    CommitOutside(&'static str, ConfigPath),
    /// `/commit:parent` of MACHINE.
    MachineHasNoParent,
    /// A config path that is not one of the PATH's levels (commit, PATH, its levels).
    CommitNotALevel(ConfigPath, ConfigPath, Vec<ConfigPath>),
    /// A network path (the physical path as written) whose share no `--drive` maps
    /// (`\\server\share`, when the path names one).
    NetworkPath(String, Option<String>),
    /// Not an absolute Windows path.
    NotAbsolute(String),
    /// A path that starts with an environment variable sessctl does not expand (path,
    /// `%name%`).
    UnknownVariable(String, String),
    /// A drive with no `--drive` mapping (path, drive letter).
    DriveNotMapped(String, char),
    /// A character the file's declared encoding cannot hold (file, encoding, character).
    Unencodable(PathBuf, &'static str, char),
    /// An attribute neither in the schema nor in the section (name, section, nearest name).
    UnknownAttribute(String, &'static str, Option<&'static str>),
    /// A backup name with characters a folder name should not have.
    BackupName(String),
    /// An import applied alone instead of expanded (a bug, not a user's mistake).
    ImportAlone,
}

impl fmt::Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Usage::CommitOutside(keyword, path) => {
                let place = if *keyword == "site" {
                    "a site"
                } else {
                    "an application"
                };
                write!(f, "/commit:{keyword} needs a PATH in {place} (got \"{path}\")")
            }
            Usage::MachineHasNoParent => write!(f, "/commit:parent: MACHINE has no parent level"),
            Usage::CommitNotALevel(commit, path, levels) => write!(
                f,
                "/commit:{commit} is not a level of \"{path}\" (its levels are {})",
                levels
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Usage::NetworkPath(p, Some(share)) => write!(
                f,
                "\"{p}\" is on the network share {share}, which is not mapped: give --drive {share}=DIR"
            ),
            Usage::NetworkPath(p, None) => write!(
                f,
                "\"{p}\" is a network path that names no share (\\\\server\\share\\...)"
            ),
            Usage::NotAbsolute(p) => write!(f, "\"{p}\" is not an absolute Windows path (X:\\...)"),
            Usage::UnknownVariable(p, var) if var.eq_ignore_ascii_case("%ProgramFiles%") || var.eq_ignore_ascii_case("%CommonProgramFiles%") => write!(
                f,
                "\"{p}\" uses {var}, whose value depends on the bitness of the worker process (Program Files or Program Files (x86)); write the folder out"
            ),
            Usage::UnknownVariable(p, var) => write!(
                f,
                "\"{p}\" uses {var}, which sessctl does not expand (it expands %SystemDrive%, %SystemRoot%, %windir%, %ProgramData%, %PUBLIC% and the like); write the folder out"
            ),
            Usage::DriveNotMapped(p, letter) => write!(
                f,
                "\"{p}\" is on drive {letter}:, which is not mapped: give --drive {letter}:=DIR"
            ),
            Usage::Unencodable(file, encoding, c) => write!(
                f,
                "{}: the file is {encoding} (its XML declaration says so), which cannot hold \"{c}\" (U+{:04X}); nothing was written",
                file.display(),
                *c as u32
            ),
            Usage::UnknownAttribute(name, section, hint) => {
                write!(f, "Unknown attribute \"{name}\" of {section}")?;
                if let Some(h) = hint {
                    write!(f, " (did you mean \"{h}\"?)")?;
                }
                write!(f, ": it is neither in the schema nor in the section")
            }
            Usage::BackupName(name) => write!(
                f,
                "\"{name}\" is not a backup name (letters, digits, '-', '_', '.' and spaces)"
            ),
            Usage::ImportAlone => write!(f, "an import is expanded by ops::plan, not applied alone"),
        }
    }
}

/// An object a command names, which the server does not have (or, for `ops::OpError::Exists`,
/// has already).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// A site, by name.
    Site(String),
    /// No site binds this URL.
    Binding(String),
    /// A site has no application or virtual directory for this path (site, path below it).
    Application(String, String),
    /// Neither an application, a virtual directory nor a folder (site, path below it).
    Folder(String, String),
    /// A backup, by name.
    Backup(String),
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Missing::Site(name) => write!(f, "Cannot find SITE object with identifier \"{name}\""),
            Missing::Binding(url) => write!(f, "no site has a binding for \"{url}\""),
            Missing::Application(site, path) => write!(
                f,
                "site \"{site}\" has no application or virtual directory for \"/{path}\""
            ),
            Missing::Folder(site, path) => write!(
                f,
                "\"{site}/{path}\" is no application, virtual directory or folder of site \"{site}\""
            ),
            Missing::Backup(name) => {
                write!(f, "Cannot find BACKUP object with identifier \"{name}\"")
            }
        }
    }
}

impl Error {
    /// Map an I/O error on `path` to the right variant.
    pub fn io(path: &Path, e: io::Error) -> Error {
        let link = || is_link(path);
        match e.kind() {
            // A link that leads nowhere is there, and cannot be read (IIS cannot either).
            io::ErrorKind::NotFound if link() => {
                let to = std::fs::read_link(path).unwrap_or_default();
                Error::BrokenLink(
                    path.to_path_buf(),
                    format!("it leads to {}, which is not there", to.display()),
                )
            }
            // Below a file (`page.aspx/web.config`) nothing is there either.
            io::ErrorKind::NotFound | io::ErrorKind::NotADirectory => {
                Error::NotFound(path.to_path_buf())
            }
            io::ErrorKind::PermissionDenied => {
                // Our own errors carry a reason; the OS's say only "permission denied".
                let reason = e.get_ref().map(|inner| inner.to_string());
                Error::Permission(path.to_path_buf(), reason)
            }
            _ if link() => Error::BrokenLink(path.to_path_buf(), e.to_string()),
            _ => Error::Io(path.to_path_buf(), e),
        }
    }
}

/// Whether `path` itself is a symbolic link (whatever it leads to, if anything).
fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(u) => u.fmt(f),
            Error::Malformed { file, error } => {
                if error.line == 0 {
                    write!(f, "{}: byte {}: {}", file.display(), error.offset, error.message)
                } else {
                    write!(
                        f,
                        "{}:{}:{}: configuration file is not well-formed XML: {}",
                        file.display(),
                        error.line,
                        error.column,
                        error.message
                    )
                }
            }
            Error::Invalid { file, at, problem } => match at {
                Some((l, c)) => write!(f, "{}:{l}:{c}: {problem}", file.display()),
                None => write!(f, "{}: {problem}", file.display()),
            },
            Error::Encrypted { file, provider } => write!(
                f,
                "{}: the section is encrypted with configProtectionProvider \"{provider}\"; decrypt it on its server (aspnet_regiis -pdf) before changing it",
                file.display()
            ),
            Error::NotFound(p) => write!(f, "{}: no such file or folder", p.display()),
            Error::NoSuchObject(m) => m.fmt(f),
            Error::MissingReference {
                file,
                at: (l, c),
                missing,
            } => write!(
                f,
                "{}:{l}:{c}: {}",
                file.display(),
                ConfigSourceError::Missing(missing.clone())
            ),
            Error::BrokenLink(p, why) => {
                write!(f, "{}: the symbolic link cannot be followed ({why})", p.display())
            }
            Error::NotAFile(p) => write!(f, "{}: is a folder, not a configuration file", p.display()),
            Error::Permission(p, None) => write!(f, "{}: permission denied", p.display()),
            Error::Permission(p, Some(reason)) => write!(f, "{}: {reason}", p.display()),
            Error::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

impl Error {
    /// The file at fault and the 1-based line and column in it, where there is one (for the
    /// `--json` error document).
    pub fn location(&self) -> Option<(&Path, Option<(usize, usize)>)> {
        match self {
            Error::Malformed { file, error } if error.line == 0 => Some((file, None)),
            Error::Malformed { file, error } => Some((file, Some((error.line, error.column)))),
            Error::Invalid { file, at, .. } => Some((file, *at)),
            Error::MissingReference { file, at, .. } => Some((file, Some(*at))),
            Error::Encrypted { file, .. } => Some((file, None)),
            Error::NoSuchObject(_) => None,
            Error::NotFound(p)
            | Error::NotAFile(p)
            | Error::BrokenLink(p, _)
            | Error::Permission(p, _)
            | Error::Io(p, _) => Some((p, None)),
            Error::Usage(_) => None,
        }
    }
}

impl std::error::Error for Error {}
