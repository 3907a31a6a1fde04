//! Loading configuration files, and following a section's `configSource` to the file that
//! really holds it.

use std::fs;
use std::path::{Component, Path, PathBuf};

use super::discover::{is_configuration, Instance};
pub use super::error::ConfigSourceError;
use super::error::{Error, Problem};
use crate::doc::{Document, ElementId};
use crate::schema::rules::Entry;
use crate::schema::same_key;

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
}

/// Something in a `<location>` element that .NET's configuration system refuses, and with it
/// the whole file (`BaseConfigurationRecord.ScanLocationSection`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocationFault {
    /// The `<location>` element.
    pub location: ElementId,
    /// Where it is: the attribute at fault (`name="value"`), or the element's name.
    pub at: std::ops::Range<usize>,
    /// What is wrong, in words, ending with "ASP.NET refuses the whole file".
    pub message: String,
    /// The attribute value's range and the spelling .NET reads, when only the letter case is
    /// wrong (`allowOverride="False"`, `overrideMode="deny"`).
    pub fix: Option<(std::ops::Range<usize>, &'static str)>,
}

/// The namespace .NET takes on `<configuration>` (Visual Studio 2005 wrote it).
pub const CONFIGURATION_NAMESPACE: &str = "http://schemas.microsoft.com/.NetConfiguration/v2.0";

/// What .NET refuses in the root element of a file it reads, each with the range at fault and
/// why, as `BaseConfigurationRecord.ScanFactories` checks it: a root other than
/// `<configuration>`; `xmlns` other than [`CONFIGURATION_NAMESPACE`]; any other attribute, a
/// namespace declaration such as `xmlns:xdt` included (Mono refuses that too). Each makes
/// ASP.NET refuse the whole file.
pub fn root_faults(doc: &Document) -> Vec<(std::ops::Range<usize>, String)> {
    const REFUSED: &str = "ASP.NET refuses the whole file";
    let root = doc.root();
    if !is_configuration(doc) {
        let name = doc.name(root);
        let start = doc.element(root).start as usize + 1;
        return vec![(
            start..start + name.len(),
            format!("the root element is <{name}>, not <configuration>; {REFUSED}"),
        )];
    }
    doc.attrs(root)
        .filter_map(|a| {
            let name = doc.attr_name(&a);
            let why = match name {
                "xmlns" if doc.value(&a) == CONFIGURATION_NAMESPACE => return None,
                "xmlns" => format!(
                    "<configuration xmlns=\"{}\">: .NET knows no namespace there but {CONFIGURATION_NAMESPACE}",
                    doc.value(&a)
                ),
                n => format!("<configuration> has no attribute {n} (.NET knows only xmlns there)"),
            };
            Some((a.range(), format!("{why}; {REFUSED}")))
        })
        .collect()
}

/// What .NET refuses in the top-level `<location>` elements of a `<configuration>` document,
/// in file order, as `ScanLocationSection` checks each: the path
/// ([`super::path::location_path_fault`]); attributes other than `path`, `allowOverride`,
/// `overrideMode` and `inheritInChildApplications` (namespace declarations and prefixed ones,
/// such as XDT's, are left to the tools that use them); both `allowOverride` and
/// `overrideMode`; booleans other than exactly `true`/`false`; an `overrideMode` other than
/// exactly `Allow`, `Deny` or `Inherit`; a `<location>` inside another or inside
/// `<system.web>`.
pub fn location_faults(doc: &Document) -> Vec<LocationFault> {
    const REFUSED: &str = "ASP.NET refuses the whole file";
    let root = doc.root();
    let mut out = Vec::new();
    if !is_configuration(doc) {
        return out;
    }
    for loc in doc.children_named(root, "location") {
        let mut lock_attr: Option<String> = None;
        for a in doc.attrs(loc) {
            let name = doc.attr_name(&a);
            let value = doc.value(&a);
            let mut fault = |message: String, fix: Option<&'static str>| {
                out.push(LocationFault {
                    location: loc,
                    at: a.range(),
                    message: format!("{message}; {REFUSED}"),
                    fix: fix.map(|f| (a.value.clone(), f)),
                })
            };
            match name {
                "path" => {
                    if let Some(why) = super::path::location_path_fault(&value) {
                        fault(format!("<location path=\"{value}\">: {why}"), None);
                    }
                }
                "allowOverride" | "overrideMode" => {
                    if let Some(other) = lock_attr.replace(name.to_string()) {
                        fault(
                            format!("<location> carries both {other} and {name} (only one of the two is allowed)"),
                            None,
                        );
                    }
                    let allowed: &[&'static str] = if name == "overrideMode" {
                        &["Allow", "Deny", "Inherit"]
                    } else {
                        &["true", "false"]
                    };
                    if !allowed.contains(&&*value) {
                        let fix = allowed
                            .iter()
                            .copied()
                            .find(|v| v.eq_ignore_ascii_case(&value));
                        fault(
                            format!(
                                "{name}=\"{value}\" must be exactly {}",
                                if name == "overrideMode" {
                                    "\"Allow\", \"Deny\" or \"Inherit\""
                                } else {
                                    "\"true\" or \"false\""
                                }
                            ),
                            fix,
                        );
                    }
                }
                "inheritInChildApplications" => {
                    if value != "true" && value != "false" {
                        let fix = ["true", "false"]
                            .into_iter()
                            .find(|v| v.eq_ignore_ascii_case(&value));
                        fault(
                            format!("{name}=\"{value}\" must be exactly \"true\" or \"false\""),
                            fix,
                        );
                    }
                }
                n if n == "xmlns" || n.contains(':') => {}
                _ => fault(
                    format!("<location> has no attribute {name} (ASP.NET knows path, allowOverride, overrideMode and inheritInChildApplications)"),
                    None,
                ),
            }
        }
        nested_locations(doc, loc, "another <location>", &mut out);
    }
    // Nor inside a section group: `<system.web>` is one (ScanSectionsRecursive refuses a
    // <location> anywhere but at the top of the file).
    let groups = doc.children_named(root, "system.web").chain(
        doc.children_named(root, "location")
            .flat_map(|loc| doc.children_named(loc, "system.web")),
    );
    for group in groups {
        nested_locations(doc, group, "<system.web>", &mut out);
    }
    out.sort_by_key(|f| f.at.start);
    out
}

/// A fault for each `<location>` child of `parent` (`Config_location_location_not_allowed`).
fn nested_locations(doc: &Document, parent: ElementId, what: &str, out: &mut Vec<LocationFault>) {
    for inner in doc.children_named(parent, "location") {
        let e = doc.element(inner);
        out.push(LocationFault {
            location: inner,
            at: e.start as usize + 1..e.name_end as usize,
            message: format!(
                "a <location> cannot stand inside {what}; ASP.NET refuses the whole file"
            ),
            fix: None,
        });
    }
}

/// What .NET refuses only in machine.config and the root web.config: a `<location>` with no
/// path (or `""`, `"."`) and `inheritInChildApplications="false"`, which could only mean the
/// levels below a file that has no child applications of its own
/// (`Location_invalid_inheritInChildApplications_in_machine_or_root_web_config`).
pub fn above_sites_location_faults(doc: &Document) -> Vec<LocationFault> {
    let root = doc.root();
    if !is_configuration(doc) {
        return Vec::new();
    }
    doc.children_named(root, "location")
        .filter(|&loc| {
            doc.attr_value(loc, "path")
                .is_none_or(|p| p.is_empty() || p == ".")
        })
        .filter_map(|loc| {
            let a = doc.attr(loc, "inheritInChildApplications")?;
            (doc.value(&a) == "false").then(|| LocationFault {
                location: loc,
                at: a.range(),
                message: "inheritInChildApplications=\"false\" on a <location> without a path is not allowed in machine.config or the root web.config; ASP.NET refuses the whole file".to_string(),
                fix: None,
            })
        })
        .collect()
}

/// Whether `path` names an applicationHost.config (any case): IIS's file, which ASP.NET never
/// reads, recognised by its name where no server says which file it is.
pub fn is_apphost_file(path: &Path) -> bool {
    path.file_name().is_some_and(|n| {
        n.as_encoded_bytes()
            .eq_ignore_ascii_case(b"applicationhost.config")
    })
}

/// The entries of a file's `<connectionStrings>` as ASP.NET reads them at the file's own
/// level (top-level ones and those of a `<location path="">` or `path="."`, see
/// [`own_level_connection_strings`](super::discover::own_level_connection_strings)), and
/// those of each `<location>` naming a folder below: each element's own children, or those of
/// the file its `configSource` names (where applications usually keep their connection
/// strings, passwords and all). A `configSource` that cannot be followed gives nothing:
/// ASP.NET refuses such a section, and what it would hold is not known.
fn connection_string_entries_of(src: &Source) -> FileConnectionStrings {
    let (own, located) = super::discover::connection_strings_elements(&src.doc);
    let (items, own_unread, faults) = followed_items(src, own);
    let (located, located_unread) = located_entries(src, located);
    let inherited = items.iter().any(|i| i.skips_child_apps).then(|| {
        items
            .iter()
            .filter(|i| !i.skips_child_apps)
            .map(|i| i.entry.clone())
            .collect()
    });
    FileConnectionStrings {
        all: items.into_iter().map(|i| i.entry).collect(),
        inherited,
        located,
        unread: own_unread || located_unread,
        faults,
    }
}

/// A file's `<connectionStrings>` entries: all of them, and those a child application
/// inherits when a `<location inheritInChildApplications="false">` holds some.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileConnectionStrings {
    all: Vec<ConnectionString>,
    inherited: Option<Vec<ConnectionString>>,
    /// The entries of each `<location>` naming a folder below, in file order.
    located: Vec<LocatedConnectionStrings>,
    /// The file may define entries not read here: the section is encrypted, or a
    /// `configSource` could not be followed.
    unread: bool,
    /// Why each `configSource` of the file's own level that could not be followed could not.
    faults: Vec<ConfigSourceFault>,
}

/// The entries of one `<connectionStrings>` in a `<location>` naming a folder below its file's
/// level: ASP.NET reads them for that folder and everything below it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocatedConnectionStrings {
    /// The location's path, relative to the file's level.
    pub path: super::path::LocationPath,
    /// Whether the location keeps them out of child applications.
    pub skips_child_apps: bool,
    /// The entries, in file order.
    pub entries: Vec<ConnectionString>,
}

/// One entry of [`followed_items`].
struct FollowedItem {
    /// The item itself, or the `<connectionStrings configSource>` element for an item of the
    /// file it names.
    el: ElementId,
    /// Whether the item is in the file a `configSource` names.
    external: bool,
    /// Whether its `<location>` keeps it out of child applications.
    skips_child_apps: bool,
    entry: ConnectionString,
}

/// What one `<connectionStrings>` element of `src` gives: its items (a `configSource`
/// followed), or `Err` with why it cannot be read (`None`: encrypted) when what it defines is
/// not known here.
fn followed_element(
    src: &Source,
    cs: ElementId,
) -> Result<Vec<(ElementId, bool, ConnectionString)>, Option<ConfigSourceFault>> {
    let doc = &src.doc;
    match follow_to_source(src, cs, "connectionStrings") {
        // Encrypted (`aspnet_regiis -pe`): what it defines is not known here.
        None if encrypted_provider(doc, cs).is_some() => Err(None),
        Some(Ok(ext)) if encrypted_provider(&ext.doc, ext.doc.root()).is_some() => Err(None),
        None => Ok(collection_items(doc, cs)
            .into_iter()
            .map(|(el, e)| (el, false, e))
            .collect()),
        Some(Ok(ext)) => {
            // An entry of the named file is placed at the configSource that names it.
            let line = doc.line_col(doc.element(cs).start as usize).0;
            Ok(collection_items(&ext.doc, ext.doc.root())
                .into_iter()
                .map(|(_, e)| match e {
                    ConnectionString::Add(n, v, p, _) => {
                        (cs, true, ConnectionString::Add(n, v, p, line))
                    }
                    e => (cs, true, e),
                })
                .collect())
        }
        Some(Err(e)) => Err(Some(e.fault(src, cs))),
    }
}

/// The entries of the own level's `<connectionStrings>` `elements` (see
/// [`own_level_connection_strings`](super::discover::own_level_connection_strings)), each with
/// the element of the file it stands for; whether some entries could not be read (a
/// `configSource` that cannot be followed, an encrypted section); and why each `configSource`
/// that could not be followed could not.
fn followed_items(
    src: &Source,
    elements: Vec<(ElementId, bool)>,
) -> (Vec<FollowedItem>, bool, Vec<ConfigSourceFault>) {
    let mut out = Vec::new();
    let mut faults = Vec::new();
    let mut unfollowed = false;
    for (cs, skips_child_apps) in elements {
        match followed_element(src, cs) {
            Ok(items) => out.extend(items.into_iter().map(|(el, external, entry)| FollowedItem {
                el,
                external,
                skips_child_apps,
                entry,
            })),
            Err(fault) => {
                faults.extend(fault);
                unfollowed = true;
            }
        }
    }
    (out, unfollowed, faults)
}

/// The entries of the `<connectionStrings>` `elements` of `<location>`s naming a folder below
/// the file's level, and whether some could not be read (encrypted, or a `configSource` that
/// cannot be followed).
fn located_entries(src: &Source, elements: Vec<Instance>) -> (Vec<LocatedConnectionStrings>, bool) {
    let mut out = Vec::new();
    let mut unfollowed = false;
    for l in elements {
        match followed_element(src, l.el) {
            Ok(items) => out.push(LocatedConnectionStrings {
                skips_child_apps: super::discover::skips_child_apps(&src.doc, l.location),
                path: l.path,
                entries: items.into_iter().map(|(.., e)| e).collect(),
            }),
            Err(_) => unfollowed = true,
        }
    }
    (out, unfollowed)
}

/// The `<add>`, `<remove>` and `<clear>` children of one `<connectionStrings>` element.
fn collection_items(doc: &Document, cs: ElementId) -> Vec<(ElementId, ConnectionString)> {
    let mut out = Vec::new();
    for item in doc.children(cs) {
        match doc.name(item) {
            "add" => {
                if let (Some(n), Some(v)) = (
                    doc.attr_value(item, "name"),
                    doc.attr_value(item, "connectionString"),
                ) {
                    let provider = doc.attr_value(item, "providerName").unwrap_or_default();
                    let line = doc.line_col(doc.element(item).start as usize).0;
                    let entry = ConnectionString::Add(
                        n.into_owned(),
                        v.into_owned(),
                        provider.into_owned(),
                        line,
                    );
                    out.push((item, entry));
                }
            }
            "clear" => out.push((item, ConnectionString::Clear)),
            "remove" => {
                if let Some(n) = doc.attr_value(item, "name") {
                    out.push((item, ConnectionString::Remove(n.into_owned())));
                }
            }
            _ => {}
        }
    }
    out
}

/// An `<add>` of a file's `<connectionStrings>` whose name an entry in scope already has (an
/// earlier `<add>` of the file, or one of the levels above, not taken out since) with another
/// name spelling, `connectionString` or `providerName`. .NET's `ConfigurationElementCollection`
/// keeps one entry when the two are equal and refuses the section when they are not ("The
/// entry 'X' has already been added"); names compare without regard to case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionStringConflict {
    /// The later `<add>`, or the `<connectionStrings configSource>` whose file holds it.
    pub el: ElementId,
    /// Whether the later `<add>` is in the file a `configSource` names.
    pub external: bool,
    /// Its name.
    pub name: String,
    /// The earlier `<add>` (or `<connectionStrings configSource>`) when it is in this file
    /// (`None`: a level above has it).
    pub first: Option<ElementId>,
    /// The file and line of the earlier entry when a level above has it.
    pub above: Option<(PathBuf, usize)>,
}

/// The `<add>` elements of `src`'s `<connectionStrings>` (a `configSource` followed) that
/// ASP.NET refuses beside what is in scope (`above`: the levels above), in file order.
pub fn connection_string_conflicts(
    src: &Source,
    above: &ConnectionStrings,
) -> Vec<ConnectionStringConflict> {
    use crate::schema::collection::{fold_collection_noting, ItemKind};
    // Each entry: name as written, value, provider, and where it is: its element here (with
    // whether it stands for an entry of the configSource file), or the file and line of a
    // level above.
    type Entry<'a> = (String, String, String, Place<'a>);
    #[derive(Clone, Copy)]
    enum Place<'a> {
        Here(ElementId, bool),
        Above(&'a Path, usize),
        Nowhere,
    }
    let entry = |n: &str, v: &str, p: &str, at| -> Entry {
        (n.to_string(), v.to_string(), p.to_string(), at)
    };
    let above = above.entries.iter().map(|e| {
        let place = Place::Above(&above.files[e.file], e.line);
        (
            ItemKind::Add,
            Some(e.name.clone()),
            entry(&e.name, &e.value, &e.provider, place),
        )
    });
    let elements = super::discover::own_level_connection_strings(&src.doc);
    let own = followed_items(src, elements)
        .0
        .into_iter()
        .map(|i| match i.entry {
            ConnectionString::Add(n, v, p, _) => (
                ItemKind::Add,
                Some(n.clone()),
                entry(&n, &v, &p, Place::Here(i.el, i.external)),
            ),
            ConnectionString::Remove(n) => {
                (ItemKind::Remove, Some(n), entry("", "", "", Place::Nowhere))
            }
            ConnectionString::Clear => (ItemKind::Clear, None, entry("", "", "", Place::Nowhere)),
        });
    let mut out = Vec::new();
    fold_collection_noting(above.chain(own), |earlier: &Entry, later: &Entry| {
        // The same entry again (name, value and provider): ASP.NET keeps one.
        if (&earlier.0, &earlier.1, &earlier.2) == (&later.0, &later.1, &later.2) {
            return;
        }
        if let Place::Here(el, external) = later.3 {
            let (first, above) = match earlier.3 {
                Place::Here(e, _) => (Some(e), None),
                Place::Above(file, line) => (None, Some((file.to_path_buf(), line))),
                Place::Nowhere => (None, None),
            };
            out.push(ConnectionStringConflict {
                el,
                external,
                name: later.0.clone(),
                first,
                above,
            });
        }
    });
    out
}

/// The `<connectionStrings>` in scope at a level: every file's entries folded in order,
/// `<add>`, `<remove>` and `<clear>` applied as ASP.NET applies them. The one fold of
/// connection strings: what a write inherits, the runtime rules and lint read it. It also
/// remembers what a `<remove>` or `<clear>` took out, so that a name taken out is known to be
/// missing rather than merely not seen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConnectionStrings {
    /// The entries in scope, in order.
    entries: Vec<ScopeEntry>,
    /// The files the entries come from.
    files: Vec<PathBuf>,
    /// Names a `<remove>` took out and no `<add>` put back since.
    removed: Vec<String>,
    /// A `<clear>` took everything out (names added since are in `entries`).
    cleared: bool,
    /// Every file that could define an entry was read (machine.config among them): a name
    /// not in scope is known to be missing.
    complete: bool,
}

/// One entry of [`ConnectionStrings`].
#[derive(Clone, Debug, PartialEq, Eq)]
struct ScopeEntry {
    name: String,
    value: String,
    provider: String,
    /// Index into [`ConnectionStrings::files`].
    file: usize,
    /// The line of its element in that file.
    line: usize,
}

impl ConnectionStrings {
    /// Fold the entries of `file` over what is in scope.
    pub fn apply(&mut self, entries: &[ConnectionString], file: &Path) {
        for entry in entries {
            match entry {
                ConnectionString::Add(n, v, p, line) => {
                    self.removed.retain(|x| !same_key(x, n));
                    if self.files.last().is_none_or(|f| f != file) {
                        self.files.push(file.to_path_buf());
                    }
                    // The entry keeps its place (ASP.NET keeps one entry per name; a second
                    // that differs makes it refuse the section: SS017).
                    let entry = ScopeEntry {
                        name: n.clone(),
                        value: v.clone(),
                        provider: p.clone(),
                        file: self.files.len() - 1,
                        line: *line,
                    };
                    match self.entries.iter_mut().find(|e| same_key(&e.name, n)) {
                        Some(e) => *e = entry,
                        None => self.entries.push(entry),
                    }
                }
                ConnectionString::Clear => {
                    self.entries.clear();
                    self.removed.clear();
                    self.cleared = true;
                }
                ConnectionString::Remove(n) => {
                    self.entries.retain(|e| !same_key(&e.name, n));
                    self.removed.push(n.clone());
                }
            }
        }
    }

    /// Say that every file that could define an entry was read (the chain of a server from
    /// machine.config down): a name then either is in scope or is known to be missing.
    pub fn set_complete(&mut self, complete: bool) {
        self.complete = complete;
    }

    /// The entry called `name`: its value, taken out by a `<remove>` or `<clear>`, missing
    /// from every file (when the fold is complete), or not seen.
    pub fn lookup(&self, name: &str) -> Entry {
        match self.entries.iter().rev().find(|e| same_key(&e.name, name)) {
            Some(e) => Entry::Found(e.value.clone()),
            None if self.cleared || self.removed.iter().any(|x| same_key(x, name)) => {
                Entry::Removed
            }
            None if self.complete => Entry::Missing,
            None => Entry::Unknown,
        }
    }

    /// [`lookup`](Self::lookup) once the own entries of `own` (the file that names the entry)
    /// are folded over these, without building the fold. A name missing everywhere is only
    /// not seen when `own` may define entries that are not read, or is applicationHost.config,
    /// whose system.web ASP.NET never reads (nor IIS's tools look a name up).
    pub fn lookup_in(&self, own: &Source, name: &str) -> Entry {
        match self.lookup_with(own.connection_strings(), name) {
            Entry::Missing if own.connection_strings_unread() || is_apphost_file(&own.path) => {
                Entry::Unknown
            }
            e => e,
        }
    }

    /// [`lookup`](Self::lookup) once a file's own `entries` are folded over these, without
    /// building the fold.
    pub fn lookup_with(&self, entries: &[ConnectionString], name: &str) -> Entry {
        let mut found = self.lookup(name);
        for e in entries {
            match e {
                ConnectionString::Add(n, v, ..) if same_key(n, name) => {
                    found = Entry::Found(v.clone())
                }
                ConnectionString::Remove(n) if same_key(n, name) => found = Entry::Removed,
                ConnectionString::Clear => found = Entry::Removed,
                _ => {}
            }
        }
        found
    }
}

/// One child of a file's top-level `<connectionStrings>`, in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectionString {
    /// `<add name connectionString providerName>` (no `providerName`: empty), and the line of
    /// its element in the file that names it (for an entry of a configSource file, the line of
    /// the `<connectionStrings configSource>`).
    Add(String, String, String, usize),
    /// `<remove name>`.
    Remove(String),
    /// `<clear/>`.
    Clear,
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
        }
    }

    /// Every `<machineKey>` of the file's `<system.web>` groups (its own level and each
    /// `<location>`), in document order, read once: the one reader of machine keys.
    pub fn machine_keys(&self) -> &[MachineKeyDef] {
        self.machine_keys.get_or_init(|| {
            let doc = &self.doc;
            let root = doc.root();
            if !is_configuration(doc) {
                return Vec::new();
            }
            let mut out = Vec::new();
            let mut read = |container: ElementId, scope: &super::path::LocationPath| {
                for g in doc.children_named(container, "system.web") {
                    for mk in doc.children_named(g, "machineKey") {
                        // ASP.NET reads the keys of the file a configSource names. One that
                        // cannot be read (most often not there: kept out of the repository on
                        // purpose and put on each server) still says the keys are set,
                        // elsewhere; why it cannot be followed is kept for SS011.
                        let mut external = None;
                        let mut fault = None;
                        let (keys, plaintext) = match follow_to_source(self, mk, "machineKey") {
                            None => machine_keys_of(doc, mk),
                            Some(Ok(ext)) => {
                                let keys = machine_keys_of(&ext.doc, ext.doc.root());
                                external = Some(ext.path);
                                keys
                            }
                            Some(Err(e)) => {
                                fault = Some(e.fault(self, mk));
                                let named = doc.attr_value(mk, "configSource");
                                let named = named.unwrap_or_default().into_owned();
                                (MachineKeys::Elsewhere(named), Vec::new())
                            }
                        };
                        out.push(MachineKeyDef {
                            scope: scope.clone(),
                            keys,
                            plaintext,
                            line: self.line_of(mk),
                            el: mk,
                            external,
                            fault,
                        });
                    }
                }
            };
            read(root, &super::path::LocationPath::file_level());
            for loc in doc.children_named(root, "location") {
                let scope = super::path::LocationPath::new(
                    &doc.attr_value(loc, "path").unwrap_or_default(),
                );
                read(loc, &scope);
            }
            out
        })
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
            Problem::Duplicate(section.name, lines),
        ))
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

/// Why following a `configSource` failed: the reference is wrong (the byte range of the
/// `configSource` value in the file that names it, and why), or the file it names cannot be
/// loaded (malformed, say).
#[derive(Debug)]
pub enum FollowError {
    /// The reference is wrong.
    Invalid(std::ops::Range<usize>, ConfigSourceError),
    /// The file named cannot be loaded.
    Load(Error),
}

/// A `configSource` that cannot be followed: the span to report it at (the attribute, or its
/// value) and why.
pub type ConfigSourceFault = (std::ops::Range<usize>, ConfigSourceError);

impl FollowError {
    /// The fault a linter reports for the `configSource` of `el` in `src`: a wrong reference
    /// where it is wrong, a file that cannot be loaded at the attribute's value.
    pub fn fault(self, src: &Source, el: ElementId) -> ConfigSourceFault {
        match self {
            FollowError::Invalid(range, e) => (range, e),
            FollowError::Load(e) => (
                src.doc
                    .attr(el, "configSource")
                    .map_or(0..0, |a| a.value.clone()),
                ConfigSourceError::Unreadable(e.to_string()),
            ),
        }
    }

    /// The error a command gives, `src` being the file that names the configSource: a missing
    /// file is a missing reference (exit 2) at the attribute, a wrong root is reported at the
    /// named file's root element, everything else at the attribute.
    pub fn into_op_error(self, src: &Source) -> Error {
        match self {
            FollowError::Load(e) => e,
            FollowError::Invalid(range, ConfigSourceError::Missing(missing)) => {
                Error::MissingReference {
                    file: src.path.clone(),
                    at: src.doc.line_col(range.start),
                    missing,
                }
            }
            FollowError::Invalid(_, e @ ConfigSourceError::WrongRoot { .. }) => {
                let ConfigSourceError::WrongRoot { path, at, .. } = &e else {
                    unreachable!("matched above")
                };
                Error::Invalid {
                    file: path.clone(),
                    at: Some(*at),
                    problem: Box::new(Problem::ConfigSource(e.clone())),
                }
            }
            FollowError::Invalid(range, e) => src.invalid_at(range.start, Problem::ConfigSource(e)),
        }
    }
}

/// Follow a section element's `configSource`, the one way every reader does: `None` when the
/// element has none; otherwise the reference is checked (alone on an empty element, relative,
/// in the folder of the file or below), the file is loaded by `load` (which returns `Ok(None)`
/// when it is not there), and its root element must be `section` (`root` reads the loaded
/// file's source).
pub fn follow_config_source<T>(
    src: &Source,
    el: ElementId,
    section: &'static str,
    load: impl FnOnce(&Path) -> Result<Option<T>, Error>,
    root: impl Fn(&T) -> &Source,
) -> Option<Result<T, FollowError>> {
    let doc = &src.doc;
    let attr = doc.attr(el, "configSource")?;
    let (whole, span) = (attr.range(), attr.value.clone());
    let invalid = |e| Some(Err(FollowError::Invalid(span.clone(), e)));
    let others: Vec<String> = doc
        .attrs(el)
        .map(|a| doc.attr_name(&a).to_string())
        .filter(|n| n != "configSource" && !n.starts_with("xmlns") && !n.starts_with("xdt:"))
        .collect();
    if !others.is_empty() {
        let e = ConfigSourceError::OtherAttributes(others);
        return Some(Err(FollowError::Invalid(whole, e)));
    }
    if doc.children(el).next().is_some() {
        return Some(Err(FollowError::Invalid(
            whole,
            ConfigSourceError::HasContent,
        )));
    }
    let path = match resolve_config_source(&src.path, &doc.value(&attr)) {
        Ok(p) => p,
        Err(e) => return invalid(e),
    };
    let loaded = match load(&path) {
        Ok(Some(t)) => t,
        Ok(None) | Err(Error::NotFound(_)) => return invalid(ConfigSourceError::Missing(path)),
        Err(e) => return Some(Err(FollowError::Load(e))),
    };
    let ext = root(&loaded);
    let r = ext.doc.root();
    if ext.doc.name(r) != section {
        return invalid(ConfigSourceError::WrongRoot {
            at: ext.doc.line_col(ext.doc.element(r).start as usize),
            found: ext.doc.name(r).to_string(),
            path,
            expected: section,
        });
    }
    Some(Ok(loaded))
}

/// [`follow_config_source`] loading the named file as a [`Source`] of its own: how the readers
/// of a whole section's entries (`<connectionStrings>`, `<machineKey>`) follow it.
fn follow_to_source(
    src: &Source,
    el: ElementId,
    section: &'static str,
) -> Option<Result<Source, FollowError>> {
    follow_config_source(src, el, section, |p| Source::load(p).map(Some), |s| s)
}

/// Check a `configSource` value and resolve it against the folder of the file that names it.
/// It must be relative and stay in the same folder or below (ASP.NET's rule).
pub fn resolve_config_source(base_file: &Path, value: &str) -> Result<PathBuf, ConfigSourceError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(ConfigSourceError::Empty);
    }
    let bytes = v.as_bytes();
    let absolute = v.starts_with('/')
        || v.starts_with('\\')
        || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':');
    if absolute {
        return Err(ConfigSourceError::Absolute(v.to_string()));
    }
    let normalized = v.replace('\\', "/");
    let rel = Path::new(&normalized);
    for c in rel.components() {
        match c {
            Component::Normal(_) | Component::CurDir => {}
            _ => return Err(ConfigSourceError::Escapes(v.to_string())),
        }
    }
    let dir = base_file.parent().unwrap_or_else(|| Path::new(""));
    Ok(find_case_insensitive(dir, rel))
}

/// Join `rel` onto `dir`, matching each component case-insensitively where the exact name is
/// missing (Windows paths are case-insensitive; the files may live on Linux).
pub fn find_case_insensitive(dir: &Path, rel: &Path) -> PathBuf {
    // The usual case, spelled as on disk: one probe instead of one per component.
    let whole = dir.join(rel);
    if whole.exists() {
        return whole;
    }
    let mut cur = dir.to_path_buf();
    for c in rel.components() {
        let Component::Normal(name) = c else { continue };
        let exact = cur.join(name);
        if exact.exists() {
            cur = exact;
            continue;
        }
        let wanted = name.to_string_lossy().to_lowercase();
        let found = fs::read_dir(if cur.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &cur
        })
        .ok()
        .and_then(|rd| {
            rd.flatten()
                .find(|e| e.file_name().to_string_lossy().to_lowercase() == wanted)
        });
        cur = match found {
            Some(e) => cur.join(e.file_name()),
            None => exact,
        };
    }
    cur
}

/// One `<machineKey>` element of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MachineKeyDef {
    /// The location path it applies to (the file's own level outside `<location>`).
    pub scope: super::path::LocationPath,
    /// Its keys.
    pub keys: MachineKeys,
    /// The attributes (`validationKey`, `decryptionKey`) that hold a key in plain text.
    pub plaintext: Vec<&'static str>,
    /// Its 1-based line.
    pub line: usize,
    /// The element.
    pub el: ElementId,
    /// The file its `configSource` names, which holds the keys.
    pub external: Option<PathBuf>,
    /// Why its `configSource` cannot be followed, when it cannot.
    pub fault: Option<ConfigSourceFault>,
}

/// Whether a `validationKey` or `decryptionKey` value is a key itself, as ASP.NET reads it:
/// anything but empty or `AutoGenerate` (with its `,IsolateApps` or `,IsolateByAppId`).
fn is_explicit_machine_key(value: &str) -> bool {
    let v = value.trim();
    !v.is_empty() && !v.starts_with("AutoGenerate")
}

/// The keys a `<machineKey>` element says (the element of the file, or the root of the file its
/// `configSource` names), and which of its attributes hold a key in plain text.
fn machine_keys_of(doc: &Document, mk: ElementId) -> (MachineKeys, Vec<&'static str>) {
    if let Some(provider) = encrypted_provider(doc, mk) {
        return (MachineKeys::Encrypted(provider), Vec::new());
    }
    let get = |n: &str| {
        doc.attr_value(mk, n)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let (v, d) = (get("validationKey"), get("decryptionKey"));
    let plaintext = [("validationKey", &v), ("decryptionKey", &d)]
        .into_iter()
        .filter(|(_, k)| is_explicit_machine_key(k) && !crate::schema::value::is_placeholder(k))
        .map(|(n, _)| n)
        .collect::<Vec<_>>();
    let keys = if is_explicit_machine_key(&v) && is_explicit_machine_key(&d) {
        MachineKeys::Explicit {
            validation: v,
            decryption: d,
        }
    } else {
        MachineKeys::Auto
    };
    (keys, plaintext)
}

/// What a `<machineKey>` says about the keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MachineKeys {
    /// Both keys given (neither empty nor AutoGenerate).
    Explicit {
        /// `validationKey`.
        validation: String,
        /// `decryptionKey`.
        decryption: String,
    },
    /// The element is encrypted with this protection provider: explicit keys, values unknown.
    Encrypted(String),
    /// The element names this file by `configSource`, which is not there to read: keys set
    /// on the server, values unknown here.
    Elsewhere(String),
    /// A key is missing or AutoGenerate: each server makes its own.
    Auto,
}

impl MachineKeyDef {
    /// Whether it sets keys every server can share (explicit or encrypted).
    pub fn is_explicit(&self) -> bool {
        self.keys != MachineKeys::Auto
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

    fn add(n: &str, v: &str) -> ConnectionString {
        ConnectionString::Add(n.into(), v.into(), String::new(), 1)
    }

    #[test]
    fn apphost_is_known_by_its_name() {
        assert!(is_apphost_file(Path::new("a/ApplicationHost.CONFIG")));
        assert!(!is_apphost_file(Path::new("a/applicationHost.config.bak")));
    }

    #[test]
    fn connection_strings_fold_add_remove_and_clear_in_order() {
        let found = |v: &str| Entry::Found(v.to_string());
        let mut above = ConnectionStrings::default();
        above.apply(&[add("Db", "a"), add("State", "tcpip=s:1")], Path::new("m"));
        above.apply(
            &[ConnectionString::Remove("Db".into()), add("Db", "b")],
            Path::new("m"),
        );
        assert_eq!(above.lookup("Db"), found("b"));
        assert_eq!(above.lookup("State"), found("tcpip=s:1"));
        assert_eq!(above.lookup("Other"), Entry::Unknown);
        // A file's own entries over what is above, without building the fold.
        let own = [ConnectionString::Remove("State".into())];
        assert_eq!(above.lookup_with(&own, "State"), Entry::Removed);
        assert_eq!(above.lookup_with(&own, "Db"), found("b"));
        let own = [ConnectionString::Clear, add("Db", "c")];
        assert_eq!(above.lookup_with(&own, "Db"), found("c"));
        assert_eq!(above.lookup_with(&own, "State"), Entry::Removed);
        above.apply(&[ConnectionString::Remove("Db".into())], Path::new("m"));
        assert_eq!(above.lookup("Db"), Entry::Removed);
        above.apply(&[ConnectionString::Clear], Path::new("m"));
        assert_eq!(above.lookup("State"), Entry::Removed);
        above.apply(&[add("State", "x")], Path::new("m"));
        assert_eq!(above.lookup("State"), found("x"));
    }
}
