//! `<connectionStrings>`: the entries each file defines at its own level and in each
//! `<location>`, a `configSource` followed, the conflicts ASP.NET refuses, and the fold of
//! entries level by level that a `sqlConnectionString` or `stateConnectionString` name is
//! looked up in.

use std::path::{Path, PathBuf};

use super::config_source::{follow_to_source, ConfigSourceFault};
use super::{encrypted_provider, is_apphost_file, Source};
use crate::doc::{Document, ElementId};
use crate::hierarchy::discover::Instance;
use crate::schema::rules::Entry;
use crate::schema::same_key;

/// The entries of a file's `<connectionStrings>` as ASP.NET reads them at the file's own
/// level (top-level ones and those of a `<location path="">` or `path="."`, see
/// [`own_level_connection_strings`](crate::hierarchy::discover::own_level_connection_strings)), and
/// those of each `<location>` naming a folder below: each element's own children, or those of
/// the file its `configSource` names (where applications usually keep their connection
/// strings, passwords and all). A `configSource` that cannot be followed gives nothing:
/// ASP.NET refuses such a section, and what it would hold is not known.
pub(super) fn connection_string_entries_of(src: &Source) -> FileConnectionStrings {
    let (own, located) = crate::hierarchy::discover::connection_strings_elements(&src.doc);
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
    pub(super) all: Vec<ConnectionString>,
    pub(super) inherited: Option<Vec<ConnectionString>>,
    /// The entries of each `<location>` naming a folder below, in file order.
    pub(super) located: Vec<LocatedConnectionStrings>,
    /// The file may define entries not read here: the section is encrypted, or a
    /// `configSource` could not be followed.
    pub(super) unread: bool,
    /// Why each `configSource` of the file's own level that could not be followed could not.
    pub(super) faults: Vec<ConfigSourceFault>,
}

/// The entries of one `<connectionStrings>` in a `<location>` naming a folder below its file's
/// level: ASP.NET reads them for that folder and everything below it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocatedConnectionStrings {
    /// The `<connectionStrings>` element.
    pub element: ElementId,
    /// The location's path, relative to the file's level.
    pub path: crate::hierarchy::path::LocationPath,
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
/// [`own_level_connection_strings`](crate::hierarchy::discover::own_level_connection_strings)), each with
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
                skips_child_apps: crate::hierarchy::discover::skips_child_apps(
                    &src.doc, l.location,
                ),
                element: l.el,
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

/// The `<add>` elements of `src`'s `<connectionStrings>` at its own level (a `configSource`
/// followed) that ASP.NET refuses beside what is in scope (`above`: the levels above), in file
/// order.
pub fn connection_string_conflicts(
    src: &Source,
    above: &ConnectionStrings,
) -> Vec<ConnectionStringConflict> {
    let elements = crate::hierarchy::discover::own_level_connection_strings(&src.doc);
    let own = followed_items(src, elements)
        .0
        .into_iter()
        .map(|i| (i.el, i.external, i.entry));
    conflicts(own, above)
}

/// The `<add>` elements of one `<connectionStrings>` of a `<location>` naming a folder below
/// (`located`, a `configSource` followed) that ASP.NET refuses for that folder beside what is
/// in scope there before it (`above`: the files down to the folder's level and what merges
/// before the location there).
pub fn located_connection_string_conflicts(
    src: &Source,
    located: &LocatedConnectionStrings,
    above: &ConnectionStrings,
) -> Vec<ConnectionStringConflict> {
    let items = followed_element(src, located.element).unwrap_or_default();
    conflicts(items.into_iter(), above)
}

/// The later `<add>`s of `items` (each with its element and whether it stands for an entry of
/// the file a `configSource` names) that re-add a name in scope with another value.
fn conflicts(
    items: impl Iterator<Item = (ElementId, bool, ConnectionString)>,
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
    let own = items.map(|(el, external, e)| match e {
        ConnectionString::Add(n, v, p, _) => (
            ItemKind::Add,
            Some(n.clone()),
            entry(&n, &v, &p, Place::Here(el, external)),
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

    /// [`lookup_in`](Self::lookup_in) for a section in `own`'s `<location path>` naming a
    /// folder below the file's level, with only `own` and what is above it (`self`) read:
    /// `own`'s level, then the `<connectionStrings>` of its locations that cover the folder
    /// (shallower first). The folder's own web.config and those between merge after them and
    /// may add a name back or take it out, so only a found entry is known.
    pub fn lookup_located(
        &self,
        own: &Source,
        path: &crate::hierarchy::path::LocationPath,
        name: &str,
    ) -> Entry {
        let mut found = self.lookup_in(own, name);
        let fold = ConnectionStrings::default();
        for l in own.connection_strings_covering(path) {
            match fold.lookup_with(&l.entries, name) {
                Entry::Unknown => {}
                e => found = e,
            }
        }
        match found {
            Entry::Found(v) => Entry::Found(v),
            _ => Entry::Unknown,
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

impl LocatedConnectionStrings {
    /// The location's path as the file writes it (`path` is normalised for comparing).
    pub fn written_path(&self, doc: &Document) -> String {
        doc.parent(self.element)
            .and_then(|loc| doc.attr_value(loc, "path"))
            .map_or_else(|| self.path.to_string(), |p| p.into_owned())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn add(n: &str, v: &str) -> ConnectionString {
        ConnectionString::Add(n.into(), v.into(), String::new(), 1)
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

    /// A section in a `<location>` of a file read alone finds the file's own level, then the
    /// locations covering its folder, shallower first; a name missing or taken out may come
    /// back in a web.config not read, so only a found one is known.
    #[test]
    fn a_located_lookup_in_one_file_knows_only_what_it_finds() {
        let found = |v: &str| Entry::Found(v.to_string());
        let own = Source::parse(
            Path::new("web.config"),
            br#"<configuration>
  <location path="app1/sub"><connectionStrings><remove name="Here" /></connectionStrings></location>
  <connectionStrings><add name="Own" connectionString="own" /><remove name="Gone" /></connectionStrings>
  <location path="app1"><connectionStrings><add name="Gone" connectionString="back" /><add name="Here" connectionString="app1" /></connectionStrings></location>
  <location path="shop"><connectionStrings><add name="Shop" connectionString="shop" /></connectionStrings></location>
</configuration>"#
                .to_vec(),
        )
        .unwrap();
        let above = ConnectionStrings::default();
        let at = |p: &str, name: &str| {
            above.lookup_located(&own, &crate::hierarchy::path::LocationPath::new(p), name)
        };
        assert_eq!(at("app1", "Own"), found("own"));
        assert_eq!(at("app1", "Gone"), found("back"));
        assert_eq!(at("app1", "Here"), found("app1"));
        assert_eq!(at("app1", "Shop"), Entry::Unknown);
        // The deeper location comes after app1's, though it is first in the file.
        assert_eq!(at("App1/Sub/x", "Here"), Entry::Unknown);
        assert_eq!(at("app1/sub", "Own"), found("own"));
        assert_eq!(at("shop", "Gone"), Entry::Unknown);
        assert_eq!(at("shop", "Shop"), found("shop"));
    }
}
