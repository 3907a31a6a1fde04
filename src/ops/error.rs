//! The errors an operation can end in: what reading the hierarchy ended in, and what only a
//! change can meet (a runtime rule it would break, a lock, a provider key, a backup that is
//! there). Which exit code each becomes is the `cli` layer's decision (`cli::exit_code`).

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::hierarchy::error::{Error, Missing};
use crate::hierarchy::lock::Lock;
use crate::schema::rules::Violation;
use crate::schema::SectionDef;

/// Why an operation failed.
#[derive(Debug)]
pub enum OpError {
    /// Reading the files, paths and levels failed.
    Hierarchy(Error),
    /// The result would break runtime rules (exit 13, unless `--force`).
    Rules {
        /// The file that would be written.
        file: PathBuf,
        /// The rules broken.
        violations: Vec<Violation>,
        /// Whether the section broke them before the change did anything (the change is to
        /// another attribute of an already refused file).
        preexisting: bool,
        /// Where the first of them already is in the file (line, column), when it broke them
        /// before the change.
        at: Option<(usize, usize)>,
    },
    /// Something to be created exists already, such as a backup of that name (exit 183).
    Exists(Missing),
    /// The section, or a part of it, is locked at a parent level (exit 33).
    Locked {
        /// The lock (its file and line, and what it binds).
        lock: Lock,
        /// The section.
        section: &'static SectionDef,
        /// What the change touches (an attribute, the collection or one item); `None` when
        /// the section itself cannot be used at the path.
        touched: Option<String>,
    },
    /// `unlock` asked of a file that holds no lock, while another file holds one (exit 33).
    LockedElsewhere {
        /// The lock that is there.
        lock: Lock,
        /// The section.
        section: &'static SectionDef,
        /// The file `unlock` would have written.
        target: PathBuf,
    },
    /// A lock that ASP.NET would enforce over definitions below it: each would be refused and
    /// its application fail (exit 13, unless `--force`).
    LockRefusesBelow {
        /// The section.
        section: &'static SectionDef,
        /// The file the lock would be written to.
        file: PathBuf,
        /// The definitions the lock would bind.
        refused: Vec<Definition>,
    },
    /// A change that would make what levels below it say break a runtime rule (exit 13, unless
    /// `--force`): each broken definition's file, line, column and what is wrong.
    BreaksBelow {
        /// The file that would be written.
        file: PathBuf,
        /// What the lint of the levels below finds only with the change.
        broken: Vec<Definition>,
    },
    /// `/+providers.[…]` names a provider that exists (exit 183).
    Duplicate(String),
    /// A provider that is not there (exit 4312).
    NoSuchElement(String),
}

impl From<Error> for OpError {
    fn from(e: Error) -> OpError {
        OpError::Hierarchy(e)
    }
}

impl OpError {
    /// Map an I/O error on `path` to the right variant.
    pub fn io(path: &Path, e: io::Error) -> OpError {
        Error::io(path, e).into()
    }

    /// The file at fault and the 1-based line and column in it, where there is one (for the
    /// `--json` error document).
    pub fn location(&self) -> Option<(&Path, Option<(usize, usize)>)> {
        match self {
            OpError::Hierarchy(e) => e.location(),
            OpError::Rules { file, at, .. } => Some((file, *at)),
            OpError::Locked { lock, .. } | OpError::LockedElsewhere { lock, .. } => {
                Some((&lock.file, Some((lock.line, 1))))
            }
            OpError::LockRefusesBelow { refused: below, .. }
            | OpError::BreaksBelow { broken: below, .. } => below
                .first()
                .map(|d| (d.file.as_path(), Some((d.line, d.column)))),
            OpError::Exists(_) | OpError::Duplicate(_) | OpError::NoSuchElement(_) => None,
        }
    }
}

impl fmt::Display for OpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpError::Hierarchy(e) => e.fmt(f),
            OpError::Rules {
                file,
                violations,
                preexisting: false,
                ..
            } => {
                write!(f, "{}: the result would not load in ASP.NET: ", file.display())?;
                let msgs: Vec<&str> = violations.iter().map(|v| v.message.as_str()).collect();
                write!(f, "{} (use --force to write it anyway)", msgs.join("; "))
            }
            OpError::Rules {
                file,
                violations,
                preexisting: true,
                ..
            } => {
                let msgs: Vec<&str> = violations.iter().map(|v| v.message.as_str()).collect();
                // `lint --fix` mends a spelling; an element or attribute to take out is the
                // user's to edit, where lint points.
                let how = if violations.iter().all(|v| v.fix.is_some()) {
                    format!("sessctl lint --fix {}", file.display())
                } else {
                    format!("sessctl lint {} shows where", file.display())
                };
                write!(
                    f,
                    "{}: the file was already refused by ASP.NET before this change: {}; fix that first ({how}), or give --force to write this change anyway",
                    file.display(),
                    msgs.join("; "),
                )
            }
            OpError::Exists(Missing::Backup(name)) => write!(
                f,
                "Cannot add BACKUP object \"{name}\": a backup of that name already exists"
            ),
            OpError::Exists(m) => m.fmt(f),
            OpError::Locked {
                lock,
                section,
                touched,
            } => {
                write!(f, "This configuration section cannot be used at this path: ")?;
                if let Some(what) = touched {
                    write!(f, "{what} is locked at a parent level; ")?;
                }
                write!(
                    f,
                    "{} (locked at {}:{})",
                    lock.describe(section),
                    lock.file.display(),
                    lock.line
                )
            }
            OpError::LockedElsewhere {
                lock,
                section,
                target,
            } => write!(
                f,
                "{} is not locked in {}; unlock it where the lock is (locked at {}:{})",
                section.path,
                target.display(),
                lock.file.display(),
                lock.line
            ),
            OpError::LockRefusesBelow {
                section,
                file,
                refused,
            } => {
                let n = refused.len();
                write!(
                    f,
                    "{}: a lock on {} there would make ASP.NET refuse {} below it, and {} would fail: {}; remove {} first, or give --force to lock anyway",
                    file.display(),
                    section.path,
                    definitions(n),
                    if n == 1 { "its application" } else { "their applications" },
                    listed(refused),
                    if n == 1 { "it" } else { "them" },
                )
            }
            OpError::BreaksBelow { file, broken } => write!(
                f,
                "{}: the change would break {} below it: {}; fix {} first, or give --force to write the change anyway",
                file.display(),
                definitions(broken.len()),
                listed(broken),
                if broken.len() == 1 { "it" } else { "them" },
            ),
            OpError::Duplicate(name) => write!(
                f,
                "Cannot add duplicate collection entry of type 'add' with unique key attribute 'name' set to '{name}'"
            ),
            OpError::NoSuchElement(name) => write!(
                f,
                "Cannot find requested collection element: no provider named '{name}'"
            ),
        }
    }
}

impl std::error::Error for OpError {}

/// A definition in a level below a change: one the change would break (with the rule and what
/// is wrong), or one a lock would bind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Definition {
    /// The file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The rule broken (a lint code) and its message, for a definition a change breaks.
    pub broken: Option<(String, String)>,
}

impl fmt::Display for Definition {
    /// `FILE:LINE:COLUMN`, and ` (RULE: message)` for a broken one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)?;
        match &self.broken {
            Some((rule, message)) => write!(f, " ({rule}: {message})"),
            None => Ok(()),
        }
    }
}

/// "1 definition", "N definitions": how many a message names.
pub fn definitions(n: usize) -> String {
    if n == 1 {
        "1 definition".to_string()
    } else {
        format!("{n} definitions")
    }
}

/// Definitions named in a message: the first ten (five with what is wrong), and how many more.
pub fn listed(at: &[Definition]) -> String {
    let shown = if at.iter().any(|d| d.broken.is_some()) {
        5
    } else {
        10
    };
    let mut s = at
        .iter()
        .take(shown)
        .map(Definition::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if at.len() > shown {
        s.push_str(&format!(" and {} more", at.len() - shown));
    }
    s
}
