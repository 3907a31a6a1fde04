//! Loading configuration files: a [`Source`] is a parsed file and where it came from, with what
//! is read of it once when first asked: its sections, its connection strings
//! ([`connection_strings`]), its machine keys ([`machine_key`]) and the faults of its
//! `<location>` elements; a section's `configSource` is followed to the file that holds it
//! ([`config_source`]).

pub mod config_source;
pub mod connection_strings;
pub mod machine_key;

use std::fs;
use std::path::{Path, PathBuf};

use super::discover::is_configuration;
use super::error::{Error, Problem};
use super::faults::{above_sites_location_faults, location_faults, LocationFault};
use crate::doc::{Document, ElementId};
use config_source::ConfigSourceFault;
use connection_strings::{
    connection_string_entries_of, ConnectionString, FileConnectionStrings, LocatedConnectionStrings,
};
use machine_key::MachineKeyDef;

/// A parsed file and where it came from.
#[derive(Clone, Debug)]
pub struct Source {
    /// The path as given.
    pub path: PathBuf,
    /// Its parsed content.
    pub doc: Document,
    /// Its instances of each section (in `SECTIONS` order), discovered once when first asked.
    sections: std::sync::OnceLock<Vec<super::discover::Index>>,
    /// Its `<connectionStrings>` entries, read once when first asked.
    connection_strings: std::sync::OnceLock<FileConnectionStrings>,
    /// Where it sets explicit `<machineKey>` keys, found once when first asked.
    machine_keys: std::sync::OnceLock<Vec<MachineKeyDef>>,
    /// What .NET refuses in its `<location>` elements, found once when first asked.
    location_faults: std::sync::OnceLock<Vec<LocationFault>>,
    /// The elements naming a section nobody declared, found once when first asked (every
    /// merge asks: a lint of a server merges applicationHost.config for each of its sites).
    unrecognized: std::sync::OnceLock<Vec<(std::ops::Range<usize>, String)>>,
    /// New parses read instead of the disk where a `configSource` of this file leads.
    replaced: Option<Replaced>,
}

/// New parses of files, by [`path_key`], read instead of the disk where a `configSource` leads:
/// what a lint of a write not yet made reads when the write lands in such a file.
pub type Replaced = std::sync::Arc<foldhash::HashMap<String, std::sync::Arc<Source>>>;

/// The key that names a file among others: its path in lower case (Windows paths are
/// case-insensitive, and levels are resolved without probing the disk), and on Windows with
/// one separator (its paths read `/` as `\\`; a Linux file name may hold a `\\`).
pub fn path_key(p: &Path) -> String {
    let s = p.to_string_lossy();
    if cfg!(windows) {
        s.replace('/', "\\").to_lowercase()
    } else {
        s.to_lowercase()
    }
}

/// Whether `path` names an applicationHost.config (any case): IIS's file, which ASP.NET never
/// reads, recognised by its name where no server says which file it is.
pub fn is_apphost_file(path: &Path) -> bool {
    path.file_name().is_some_and(|n| {
        n.as_encoded_bytes()
            .eq_ignore_ascii_case(b"applicationhost.config")
    })
}

/// The namespace of XDT, the transforms Visual Studio and Web Deploy apply at publish
/// (`Web.Release.config`).
pub const XDT_NAMESPACE: &str = "http://schemas.microsoft.com/XML-Document-Transform";

/// Whether a file is an XDT transform: its root declares the XDT namespace
/// (`<configuration xmlns:xdt="http://schemas.microsoft.com/XML-Document-Transform">`), which
/// no file ASP.NET reads may carry (SS015) and every transform does.
pub fn is_xdt_transform(doc: &Document) -> bool {
    let root = doc.root();
    doc.attrs(root)
        .any(|a| doc.attr_name(&a).starts_with("xmlns:") && doc.value(&a) == XDT_NAMESPACE)
}

/// Who reads a file's session sections, as messages name it: for applicationHost.config
/// (which ASP.NET never reads) IIS's configuration system, which refuses a malformed section as
/// strictly; ASP.NET for every other file.
pub fn reader_of(apphost: bool) -> &'static str {
    if apphost {
        "IIS's configuration system"
    } else {
        "ASP.NET"
    }
}

impl Source {
    /// Read and parse `path`. A folder, a missing file and a malformed file are distinct errors.
    pub fn load(path: &Path) -> Result<Source, Error> {
        // One open and one fstat per file: linting 20,000 files is mostly system calls.
        let classify = |e: std::io::Error| match fs::metadata(path) {
            Ok(m) if m.is_dir() => Error::NotAFile(path.to_path_buf()),
            _ => Error::io(path, e),
        };
        let file = fs::File::open(path).map_err(classify)?;
        let meta = file.metadata().map_err(|e| Error::io(path, e))?;
        if meta.is_dir() {
            return Err(Error::NotAFile(path.to_path_buf()));
        }
        let raw = crate::doc::Raw::from_file(&file, meta.len(), false).map_err(classify)?;
        Source::parse_raw(path, raw)
    }

    /// Lock `path` (through links) and read it under the lock, for a read-modify-write. The
    /// returned guard must live until the write is done. `Ok(None)` when the file does not exist.
    /// With `prepare` (the caller will write this file unless nothing changes), a large file
    /// begins its new file while it is parsed (`doc` module, `prewrite.rs`).
    pub fn load_locked(
        path: &Path,
        prepare: bool,
    ) -> Result<Option<(Source, crate::doc::Locked)>, Error> {
        let target = crate::doc::resolve_target(path).map_err(|e| Error::io(path, e))?;
        let locked = crate::doc::Locked::acquire(&target).map_err(|e| match e.kind() {
            std::io::ErrorKind::IsADirectory => Error::NotAFile(path.to_path_buf()),
            _ => Error::io(path, e),
        })?;
        let Some(mut locked) = locked else {
            return Ok(None);
        };
        let raw = locked.read_raw(prepare).map_err(|e| Error::io(path, e))?;
        Ok(Some((Source::parse_raw(path, raw)?, locked)))
    }

    /// Parse bytes that were read from `path`.
    pub fn parse(path: &Path, bytes: Vec<u8>) -> Result<Source, Error> {
        Source::parse_raw(path, bytes.into())
    }

    /// Parse bytes read or mapped from `path`.
    pub fn parse_raw(path: &Path, raw: crate::doc::Raw) -> Result<Source, Error> {
        let doc = Document::parse_raw(raw).map_err(|error| Error::Malformed {
            file: path.to_path_buf(),
            error,
        })?;
        Ok(Source::new(path.to_path_buf(), doc))
    }

    /// A source of a document already parsed.
    pub fn new(path: PathBuf, doc: Document) -> Source {
        Source {
            path,
            doc,
            sections: std::sync::OnceLock::new(),
            connection_strings: std::sync::OnceLock::new(),
            machine_keys: std::sync::OnceLock::new(),
            location_faults: std::sync::OnceLock::new(),
            unrecognized: std::sync::OnceLock::new(),
            replaced: None,
        }
    }

    /// This source, reading the files its `configSource` references lead to from `replaced`
    /// where it holds them (nothing changes when it is empty).
    pub fn reading_references_from(mut self, replaced: &Replaced) -> Source {
        if !replaced.is_empty() {
            self.replaced = Some(replaced.clone());
        }
        self
    }

    /// Read and parse the file at `path` that a `configSource` of this file leads to: its new
    /// parse when one [replaces](Source::reading_references_from) it, else the disk's.
    pub fn load_referenced(&self, path: &Path) -> Result<Source, Error> {
        match self.replaced.as_ref().and_then(|r| r.get(&path_key(path))) {
            Some(src) => Ok(Source::clone(src)),
            None => Source::load(path),
        }
    }

    /// Every `<machineKey>` of the file's `<system.web>` groups (its own level and each
    /// `<location>`), in document order, read once: the one reader of machine keys.
    pub fn machine_keys(&self) -> &[MachineKeyDef] {
        self.machine_keys.get_or_init(|| machine_key::read(self))
    }

    /// Each `<machineKey>` of a scope an earlier one already has, with that earlier one: .NET
    /// refuses the section there.
    pub fn machine_keys_repeated(&self) -> Vec<(&MachineKeyDef, &MachineKeyDef)> {
        let keys = self.machine_keys();
        super::path::repeated_scopes(keys.iter().map(|k| &k.scope))
            .into_iter()
            .map(|(first, repeat)| (&keys[first], &keys[repeat]))
            .collect()
    }

    /// Each `<connectionStrings>` element of a scope an earlier one already has (the file's own
    /// level, a `<location>` of it included, or locations naming the same folder), with that
    /// earlier one: .NET refuses the section there.
    pub fn connection_strings_repeated(&self) -> Vec<(ElementId, ElementId)> {
        let (own, located) = crate::hierarchy::discover::connection_strings_elements(&self.doc);
        use super::path::LocationPath;
        let all: Vec<(LocationPath, ElementId)> = own
            .into_iter()
            .map(|(el, _)| (LocationPath::file_level(), el))
            .chain(located.into_iter().map(|l| (l.path, l.el)))
            .collect();
        super::path::repeated_scopes(all.iter().map(|(p, _)| p))
            .into_iter()
            .map(|(first, repeat)| (all[first].1, all[repeat].1))
            .collect()
    }

    /// The `<machineKey>` of this file that applies to `target` (a location path relative to
    /// the file's level): the deepest scope that covers it, the last in the file among equals.
    pub fn machine_key_for(&self, target: &super::path::LocationPath) -> Option<&MachineKeyDef> {
        self.machine_keys()
            .iter()
            .filter(|k| k.scope.covers(target))
            .max_by_key(|k| k.scope.depth())
    }

    /// The entries of the file's `<connectionStrings>` elements at its own level, in file
    /// order, a `configSource` followed (read once): what the file's own application reads.
    pub fn connection_strings(&self) -> &[ConnectionString] {
        &self
            .connection_strings
            .get_or_init(|| connection_string_entries_of(self))
            .all
    }

    /// Whether the file may define `<connectionStrings>` entries that are not read here (in an
    /// encrypted section, or behind a `configSource` that cannot be followed).
    pub fn connection_strings_unread(&self) -> bool {
        self.connection_strings
            .get_or_init(|| connection_string_entries_of(self))
            .unread
    }

    /// Why each `<connectionStrings configSource>` of the file's own level that cannot be
    /// followed cannot (SS011).
    pub fn connection_strings_faults(&self) -> &[ConfigSourceFault] {
        &self
            .connection_strings
            .get_or_init(|| connection_string_entries_of(self))
            .faults
    }

    /// The entries of the file's `<location>`s naming a folder below its level, each with its
    /// path, in file order: what a target at or below that folder reads after the entries of
    /// the files down to that folder's level.
    pub fn connection_strings_located(&self) -> &[LocatedConnectionStrings] {
        &self
            .connection_strings
            .get_or_init(|| connection_string_entries_of(self))
            .located
    }

    /// The `<connectionStrings>` of this file's `<location>`s that cover `path` (a folder
    /// below the file's level), shallower first, then in file order: the order their entries
    /// merge at that folder, after the file's own level.
    pub fn connection_strings_covering(
        &self,
        path: &crate::hierarchy::path::LocationPath,
    ) -> Vec<&LocatedConnectionStrings> {
        let mut located: Vec<_> = self
            .connection_strings_located()
            .iter()
            .filter(|l| l.path.covers(path))
            .collect();
        located.sort_by_key(|l| l.path.depth());
        located
    }

    /// The entries a target reads from this file, a file above it: all of them
    /// ([`connection_strings`](Self::connection_strings)), but for a target in a child
    /// application (`above_app`) those of a `<location inheritInChildApplications="false">`
    /// are left out, as .NET leaves them out.
    pub fn connection_strings_seen_below(&self, above_app: bool) -> &[ConnectionString] {
        let f = self
            .connection_strings
            .get_or_init(|| connection_string_entries_of(self));
        match (&f.inherited, above_app) {
            (Some(inherited), true) => inherited,
            _ => &f.all,
        }
    }

    /// The file's instances of `section`, discovered once for every caller.
    pub fn section(&self, section: &crate::schema::SectionDef) -> &super::discover::Index {
        let all = self.index_sections();
        let i = crate::schema::SECTIONS
            .iter()
            .position(|d| d.name == section.name)
            .unwrap_or(0);
        &all[i]
    }

    /// Discover every section's instances now (on a thread that has time for it), each
    /// section on its own core in a large file.
    pub fn index_sections(&self) -> &[super::discover::Index] {
        self.sections.get_or_init(|| {
            let min = if self.doc.text().len() >= 1 << 20 {
                2
            } else {
                usize::MAX
            };
            crate::par::map(&crate::schema::SECTIONS, min, |d| {
                super::discover::Index::new(&self.doc, d)
            })
        })
    }

    /// What .NET refuses in the file's `<location>` elements, in file order (see
    /// [`location_faults`]).
    pub fn location_faults(&self) -> &[LocationFault] {
        self.location_faults
            .get_or_init(|| location_faults(&self.doc))
    }

    /// The error for the first `<location>` .NET refuses: ASP.NET then refuses the whole
    /// file, whichever section a path reads from it. Not for applicationHost.config, which
    /// ASP.NET never reads (callers decide).
    pub fn check_locations(&self) -> Result<(), Error> {
        let Some(fault) = self.location_faults().first() else {
            return Ok(());
        };
        Err(self.invalid_at(fault.at.start, Problem::Location(fault.message.clone())))
    }

    /// The error for a `<location path>` this file would be given that .NET refuses (a path
    /// that starts with `.`, as `.well-known` does): ASP.NET would then refuse the whole file.
    /// Not for applicationHost.config, which ASP.NET never reads (IIS takes such paths).
    pub fn check_new_location(&self, path: &str) -> Result<(), Error> {
        let written = super::path::written_location(path);
        match super::path::location_path_fault(written) {
            Some(why) if !is_apphost_file(&self.path) => {
                // The folder's own file, which takes the section with no <location>.
                let mut own = self.path.parent().unwrap_or(Path::new("")).to_path_buf();
                own.extend(super::path::split(written));
                own.push("web.config");
                Err(Error::Invalid {
                    file: self.path.clone(),
                    at: None,
                    problem: Box::new(Problem::Location(format!(
                        "<location path=\"{written}\"> would be written, which .NET refuses ({why}), and with it the whole file; set the section in that folder's own web.config ({}) or at a level above",
                        own.display()
                    ))),
                })
            }
            _ => Ok(()),
        }
    }

    /// `check_locations` for machine.config or the root web.config, which .NET also refuses
    /// for [`above_sites_location_faults`].
    pub fn check_locations_above_sites(&self) -> Result<(), Error> {
        self.check_locations()?;
        match above_sites_location_faults(&self.doc).first() {
            Some(fault) => {
                Err(self.invalid_at(fault.at.start, Problem::Location(fault.message.clone())))
            }
            None => Ok(()),
        }
    }

    /// The duplicate-section error (SPEC §3 rule 9) when the file defines a session section
    /// twice for one scope anywhere: ASP.NET then refuses the whole file, whichever section a
    /// path reads from it.
    pub fn check_duplicates(&self) -> Result<(), Error> {
        let found = crate::schema::SECTIONS
            .iter()
            .find_map(|d| self.section(d).duplicate().map(|same| (d, same)));
        let Some((section, same)) = found else {
            return Ok(());
        };
        let lines: Vec<usize> = same.iter().map(|x| self.line_of(x.el)).collect();
        Err(self.invalid_at(
            self.doc.element(same[1].el).start as usize,
            Problem::Duplicate(section.name, lines, reader_of(is_apphost_file(&self.path))),
        ))
    }

    /// The elements of the file naming a section nobody declared, with why
    /// ([`unrecognized_sections`](crate::hierarchy::faults::unrecognized_sections)), found
    /// once.
    pub fn unrecognized_sections(&self) -> &[(std::ops::Range<usize>, String)] {
        self.unrecognized
            .get_or_init(|| crate::hierarchy::faults::unrecognized_sections(&self.doc))
    }

    /// The error for a section sessctl reads spelt in another case or outside `<system.web>`
    /// ([`unrecognized_sections`](crate::hierarchy::faults::unrecognized_sections)): IIS
    /// refuses the whole file, and the section is not read.
    pub fn check_section_names(&self) -> Result<(), Error> {
        match self.unrecognized_sections().first() {
            Some((at, why)) => Err(self.invalid_at(at.start, Problem::Unrecognized(why.clone()))),
            None => Ok(()),
        }
    }

    /// An error located at a text offset of this file.
    pub fn invalid_at(&self, offset: usize, problem: Problem) -> Error {
        Error::Invalid {
            file: self.path.clone(),
            at: Some(self.doc.line_col(offset)),
            problem: Box::new(problem),
        }
    }

    /// The one refusal of a file that is not a configuration file: its root must be
    /// `<configuration>` ([`is_configuration`]), or the section's own element when `section`
    /// is given (a configSource file).
    pub fn check_root(&self, section: Option<&crate::schema::SectionDef>) -> Result<(), Error> {
        let doc = &self.doc;
        let name = doc.name(doc.root());
        if is_configuration(doc) || section.is_some_and(|s| s.name == name) {
            return Ok(());
        }
        Err(self.invalid_at(
            doc.element(doc.root()).start as usize,
            Problem::NotConfiguration(name.to_string()),
        ))
    }

    /// The 1-based line of an element.
    pub fn line_of(&self, id: ElementId) -> usize {
        self.doc.line_col(self.doc.element(id).start as usize).0
    }
}

/// The protection provider of an encrypted section (`configProtectionProvider` or an
/// `<EncryptedData>` child), if it is encrypted.
pub fn encrypted_provider(doc: &Document, el: ElementId) -> Option<String> {
    let provider = doc.attr_value(el, "configProtectionProvider");
    let has_data = doc.children_named(el, "EncryptedData").next().is_some();
    match provider {
        Some(p) => Some(p.into_owned()),
        None if has_data => Some(String::new()),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apphost_is_known_by_its_name() {
        assert!(is_apphost_file(Path::new("a/ApplicationHost.CONFIG")));
        assert!(!is_apphost_file(Path::new("a/applicationHost.config.bak")));
    }
}
