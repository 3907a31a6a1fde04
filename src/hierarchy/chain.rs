//! A PATH on a server with its levels' files loaded, and everything a level inherits: the
//! effective section at the PATH, what a write at a level inherits from the levels above (values,
//! `<connectionStrings>`, locks), what one definition inherits from everything merged before it,
//! and what a location inherits from its own file. `set`, `list`, `lint --root`, DSC and farm
//! lint all ask here; none of them folds anything itself.

use std::path::{Path, PathBuf};

use super::effective::{self, Depths, Layer, Lock, SectionView};
use super::error::{Error, Problem};
use super::level::{Level, LevelKind};
use super::path::{ConfigPath, Scope};
use super::resolve::Resolved;
use super::server::Server;
use super::source::connection_strings::ConnectionStrings;
use super::source::Source;
use super::topology::{site_named_by, Topology};
use crate::schema::rules::Entry;
use crate::schema::{AllowDefinition, SectionDef};

/// A PATH resolved on a server, with the files of its levels loaded (`None`: no such file).
pub struct Chain {
    /// The resolution.
    pub resolved: Resolved,
    /// One per level.
    pub sources: Vec<Option<Source>>,
    /// The lock on applicationHost.config when it was read for a write (taken by a write to
    /// it, which reuses that reading).
    pub apphost_lock: Option<crate::doc::Locked>,
}

/// Load applicationHost.config and its topology.
pub fn load_apphost(server: &Server) -> Result<(PathBuf, Source, Topology), Error> {
    let path = server.apphost_path()?;
    let src = Source::load(&path)?;
    check_topology(&src)?;
    let topo = Topology::read(&src.doc);
    Ok((path, src, topo))
}

/// Refuse an applicationHost.config whose sites or pools are in a file sessctl does not read
/// ([`moved_out`](super::topology::moved_out)): every PATH and every site would be unknown.
pub fn check_topology(apphost: &Source) -> Result<(), Error> {
    match super::topology::moved_out(&apphost.doc) {
        Some((section, at)) => Err(apphost.invalid_at(at, Problem::TopologyMovedOut(section))),
        None => Ok(()),
    }
}

/// Load `path`, or `None` when there is no such file.
pub fn load_optional(path: &Path) -> Result<Option<Source>, Error> {
    match Source::load(path) {
        Ok(s) => Ok(Some(s)),
        Err(Error::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The sites (all, or the one `path` names) of applicationHost.config. In a large file the
/// session sections' instances, which every level's values then need, are found meanwhile on
/// the other cores (both walk thousands of elements, one after the other they take ~3 ms at
/// 10,000 sites).
fn read_sites(apphost: &Source, path: Option<&str>) -> Result<Topology, Error> {
    let named = site_named_by(path);
    // (A server-level PATH needs no site.)
    if named.as_deref() != Some("") {
        check_topology(apphost)?;
    }
    if apphost.doc.text().len() < 1 << 20 || crate::par::threads() < 2 {
        return Ok(Topology::read_sites(&apphost.doc, named.as_deref()));
    }
    Ok(std::thread::scope(|scope| {
        scope.spawn(|| apphost.index_sections());
        Topology::read_sites(&apphost.doc, named.as_deref())
    }))
}

impl Chain {
    /// Resolve `path` and load every level's file.
    pub fn load(server: &Server, path: Option<&str>) -> Result<Chain, Error> {
        let apphost_path = server.apphost_path()?;
        let apphost = Source::load(&apphost_path)?;
        let topo = read_sites(&apphost, path)?;
        Chain::with_apphost(server, path, apphost_path, apphost, topo, None)
    }

    /// `load` for a write: applicationHost.config is read under its lock, once, so that a
    /// write to it reuses that reading (a 30 MB file is scanned once, not twice). With
    /// `to_apphost` (the write goes there, and is not a dry run), its new file is begun while
    /// it is parsed.
    pub fn load_for_write(
        server: &Server,
        path: Option<&str>,
        to_apphost: bool,
    ) -> Result<Chain, Error> {
        let apphost_path = server.apphost_path()?;
        let (apphost, lock) = Source::load_locked(&apphost_path, to_apphost)?
            .ok_or_else(|| Error::NotFound(apphost_path.clone()))?;
        let topo = read_sites(&apphost, path)?;
        Chain::with_apphost(server, path, apphost_path, apphost, topo, Some(lock))
    }

    fn with_apphost(
        server: &Server,
        path: Option<&str>,
        apphost_path: PathBuf,
        apphost: Source,
        topo: Topology,
        apphost_lock: Option<crate::doc::Locked>,
    ) -> Result<Chain, Error> {
        let resolved = server.resolve(path, &topo, &apphost_path)?;
        let mut apphost = Some(apphost);
        let mut sources = Vec::new();
        for level in &resolved.levels {
            sources.push(if level.kind == LevelKind::AppHost {
                apphost.take()
            } else {
                load_optional(&level.file)?
            });
        }
        Ok(Chain {
            resolved,
            sources,
            apphost_lock,
        })
    }

    /// The layers of levels `0..upto` whose files exist, and the level of each layer.
    pub fn layers(&self, upto: usize) -> (Vec<Layer<'_>>, Vec<usize>) {
        let mut layers = Vec::new();
        let mut levels = Vec::new();
        for (i, src) in self.sources.iter().enumerate().take(upto) {
            let Some(src) = src else { continue };
            layers.push(Layer {
                src,
                target: self.resolved.location_from(i).into(),
                ignored_by_aspnet: self.resolved.levels[i].kind == LevelKind::AppHost,
                exclude_target: false,
                known: None,
                depths: Depths::of_level(i + 1, self.app_depth()),
            });
            levels.push(i);
        }
        (layers, levels)
    }

    /// The depth of the PATH's application root, when the PATH is in an application.
    pub fn app_depth(&self) -> Option<usize> {
        self.resolved.app_root.as_ref().map(ConfigPath::depth)
    }

    /// The effective section at the PATH, and the locks that bind the PATH's own level.
    pub fn effective(&self, section: &SectionDef) -> Result<(SectionView, Vec<Lock>), Error> {
        let own = self.resolved.levels.len() - 1;
        let (layers, levels) = self.layers(self.resolved.levels.len());
        let view = effective::effective(section, &layers)?;
        let binding = view
            .locks
            .iter()
            .filter(|l| levels[l.layer] < own)
            .cloned()
            .collect();
        Ok((view, binding))
    }

    /// What the reader of each definition at the PATH refuses in it
    /// ([`effective::refused`]).
    pub fn refused(&self, section: &SectionDef) -> Result<Vec<effective::Refused>, Error> {
        let (layers, _) = self.layers(self.resolved.levels.len());
        effective::refused(section, &layers)
    }

    /// What `list` reads at the PATH, for the cli and the DSC resource alike: the effective
    /// section, whether a level above locks the whole of it, and what the reader of each
    /// definition refuses in it.
    pub fn for_list(
        &self,
        section: &SectionDef,
    ) -> Result<(SectionView, bool, Vec<effective::Refused>), Error> {
        let (view, locks) = self.effective(section)?;
        let locked = locks.iter().any(|l| l.kind == effective::LockKind::Section);
        Ok((view, locked, self.refused(section)?))
    }

    /// What a write at level `idx` inherits from the levels above it.
    pub fn inherited(&self, section: &SectionDef, idx: usize) -> Result<Inherited, Error> {
        let (layers, _) = self.layers(idx);
        inherited_from(section, &layers)
    }

    /// What a write into the file of level `idx`, in the location naming the PATH, inherits:
    /// everything that merges before that location at the PATH's level, the files between
    /// included (a `<location path="app1/sub">` in the site's file follows app1's web.config),
    /// with the locks of the files above `idx` only.
    pub fn inherited_at_path(&self, section: &SectionDef, idx: usize) -> Result<Inherited, Error> {
        let (mut layers, levels) = self.layers(self.resolved.levels.len());
        // Three folds follow: each file's instances of the section are discovered once (a
        // large applicationHost.config is walked once, not three times).
        for layer in &mut layers {
            layer.known = Some(layer.src.section(section));
        }
        // The commit file's layer, or where it would be when it does not exist yet.
        let layer = levels
            .iter()
            .position(|&l| l >= idx)
            .unwrap_or(levels.len());
        let path_level = self.resolved.levels.len();
        let mut inherited = inherited_before(section, &layers, (path_level, layer))?;
        inherited.locks.retain(|l| l.layer < layer);
        // What the files after the commit file's contributions at the PATH set in their place.
        let exists = levels.get(layer) == Some(&idx);
        let upto = effective::effective_before(
            section,
            &layers,
            (path_level, layer + usize::from(exists)),
        )?;
        let full = effective::effective(section, &layers)?;
        inherited.after = full
            .attrs
            .iter()
            .filter(|a| !a.ignored_by_aspnet)
            .filter(|a| {
                upto.get(&a.name)
                    .is_none_or(|u| (&u.file, u.line) != (&a.file, a.line))
            })
            .cloned()
            .collect();
        Ok(inherited)
    }

    /// allowDefinition: `sessionState` may not be set for a PATH below its application root.
    /// The error names `file`, the file the write would go to (the commit target).
    pub fn check_allow_definition(
        &self,
        section: &SectionDef,
        file: &std::path::Path,
    ) -> Result<(), Error> {
        if section.allow_definition != AllowDefinition::MachineToApplication {
            return Ok(());
        }
        let (Some(app), Some(own)) = (&self.resolved.app_root, self.resolved.levels.last()) else {
            return Ok(());
        };
        if own.config_path.depth() > app.depth() {
            return Err(Error::Invalid {
                file: file.to_path_buf(),
                at: None,
                problem: Box::new(Problem::BelowApplication {
                    section: section.path,
                    path: self.resolved.config_path.clone(),
                    app: app.clone(),
                }),
            });
        }
        Ok(())
    }

    /// The level of the commit target.
    pub fn level(&self, idx: usize) -> &Level {
        &self.resolved.levels[idx]
    }
}

/// What a level inherits from `layers` (the files above it): their effective section, the
/// `<connectionStrings>` entries in scope, and their locks.
pub fn inherited_from(section: &SectionDef, layers: &[Layer<'_>]) -> Result<Inherited, Error> {
    inherited_with(effective::effective(section, layers)?, layers)
}

/// What a definition at `(level, layer)` inherits: everything that merges before it, from
/// every layer (see [`effective::effective_before`]).
pub fn inherited_before(
    section: &SectionDef,
    layers: &[Layer<'_>],
    bound: (usize, usize),
) -> Result<Inherited, Error> {
    let mut inherited =
        inherited_with(effective::effective_before(section, layers, bound)?, layers)?;
    inherited.complete = true;
    Ok(inherited)
}

/// An [`Inherited`] of a merged view and the connection strings of `layers`.
fn inherited_with(view: SectionView, layers: &[Layer<'_>]) -> Result<Inherited, Error> {
    // ASP.NET reads <connectionStrings> from every file but applicationHost.config.
    let read = layers.iter().filter(|l| !l.ignored_by_aspnet);
    let connection_strings =
        connection_strings_in_scope(read.map(|l| (l.src, &*l.target, l.depths)));
    Ok(Inherited {
        locks: view.locks.clone(),
        view,
        connection_strings,
        complete: false,
        after: Vec::new(),
    })
}

/// The `<connectionStrings>` entries in scope at a target, from `files` (machine.config down,
/// each with the target's path relative to its level and where it sits): level by level, as
/// .NET's configuration records merge them, and at one level the `<location>`s of the files
/// above first, then the level's own file; file order within a file (SPEC §4, as
/// [`effective::effective`] orders a section). A location naming a folder that covers the
/// target applies at that folder's level; one with `inheritInChildApplications="false"` above
/// the target's application does not apply, nor, for a target in a child application, what a
/// file above keeps out of it that way at its own level. Complete (a name no file defines is
/// known to be missing) when `files` start at machine.config and every entry of theirs was
/// read.
pub fn connection_strings_in_scope<'a>(
    files: impl IntoIterator<Item = (&'a Source, &'a str, Depths)>,
) -> ConnectionStrings {
    connection_strings_until(files, None)
}

/// [`connection_strings_in_scope`] just before one `<location>`'s `<connectionStrings>`
/// applies: `before` is the file's index among `files` and the element, which must be one of
/// that file's [`connection_strings_located`](Source::connection_strings_located) covering the
/// target. What a location with a duplicate `<add>` is judged against.
pub fn connection_strings_before<'a>(
    files: impl IntoIterator<Item = (&'a Source, &'a str, Depths)>,
    before: (usize, crate::doc::ElementId),
) -> ConnectionStrings {
    connection_strings_until(files, Some(before))
}

/// The fold of [`connection_strings_in_scope`], stopping before a located element when asked.
fn connection_strings_until<'a>(
    files: impl IntoIterator<Item = (&'a Source, &'a str, Depths)>,
    before: Option<(usize, crate::doc::ElementId)>,
) -> ConnectionStrings {
    // Each input: level, file index, order in the file at that level, file, entries.
    type Input<'a> = (
        usize,
        usize,
        usize,
        &'a Source,
        &'a [super::source::connection_strings::ConnectionString],
    );
    let mut inputs: Vec<Input<'a>> = Vec::new();
    let mut cut = None;
    // A server's chain read from its machine.config down knows every entry a name can find,
    // unless a file may define some that are not read.
    let (mut from_machine, mut unread) = (false, false);
    for (i, (src, target, depths)) in files.into_iter().enumerate() {
        from_machine |= depths.own == 1;
        unread |= src.connection_strings_unread();
        inputs.push((
            depths.own,
            i,
            0,
            src,
            src.connection_strings_seen_below(depths.above_app()),
        ));
        let located = src.connection_strings_located();
        if located.is_empty() {
            continue;
        }
        let target = super::path::LocationPath::new(target);
        for (k, l) in located.iter().enumerate() {
            if !l.path.covers(&target) {
                continue;
            }
            let level = depths.level_of(&l.path);
            if before == Some((i, l.element)) {
                cut = Some((level, i, k + 1));
            }
            if l.skips_child_apps && depths.is_above_app(level) {
                continue;
            }
            inputs.push((level, i, k + 1, src, &l.entries));
        }
    }
    if before.is_some() && cut.is_none() {
        // Not a location of these files covering the target: nothing known to judge against.
        return ConnectionStrings::default();
    }
    // Stable: file order among the inputs of one file at one level.
    inputs.sort_by_key(|&(level, i, k, ..)| (level, i, k));
    let mut out = ConnectionStrings::default();
    for (level, i, k, src, entries) in inputs {
        if cut.is_some_and(|c| (level, i, k) >= c) {
            break;
        }
        out.apply(entries, &src.path);
    }
    out.set_complete(from_machine && !unread);
    out
}

/// What the levels above a write contribute to it: the effective section there, the
/// connection strings in scope, and the locks that bind the write.
#[derive(Clone, Debug, Default)]
pub struct Inherited {
    /// The effective section of the levels above.
    pub view: SectionView,
    /// The `<connectionStrings>` in scope: when `complete`, everything that merges at the
    /// written path (the written file's own entries and its locations included); otherwise
    /// what the files above give, the written file's own to be folded over them. Looked up
    /// through [`connection_string`](Self::connection_string).
    pub connection_strings: ConnectionStrings,
    /// Locks held by levels above.
    pub locks: Vec<crate::hierarchy::effective::Lock>,
    /// Whether it already holds what the written file itself gives before the written scope
    /// ([`inherited_before`]); otherwise a write adds that ([`inherited_in_file`]).
    pub complete: bool,
    /// For a write into a `<location>` naming a folder below the file's level: the values that
    /// files merging after it at that folder set in place of what the write would give (the
    /// folder's own web.config), which the session store reads instead.
    pub after: Vec<effective::ViewAttr>,
}

impl Inherited {
    /// The `<connectionStrings>` entry called `name` that a section written at `scope` of
    /// `own` (the file naming it) finds, as ASP.NET looks it up at that path.
    pub fn connection_string(&self, own: &Source, scope: &Scope, name: &str) -> Entry {
        let path = scope.location_path();
        if self.complete {
            self.connection_strings.lookup(name)
        } else if path.is_file_level() {
            self.connection_strings.lookup_in(own, name)
        } else {
            self.connection_strings.lookup_located(own, &path, name)
        }
    }

    /// The inherited effective collection entries, each as its attributes.
    pub fn effective_items(&self) -> Vec<Vec<(String, String)>> {
        crate::hierarchy::effective::fold_collection(
            self.view
                .raw_items
                .iter()
                .map(|(k, key, a)| (*k, key.clone(), a.clone())),
        )
    }
}

/// What a write at `scope` of `src` inherits from the same file: its own level and the
/// shallower locations that cover the scope (SPEC §4: a location inherits the file's section).
pub fn inherited_in_file(
    src: &Source,
    section: &'static SectionDef,
    scope: &Scope,
) -> Result<Inherited, Error> {
    inherited_in_file_known(src, section, scope, None)
}

/// [`inherited_in_file`] with the file's instances of the section already discovered.
pub fn inherited_in_file_known(
    src: &Source,
    section: &'static SectionDef,
    scope: &Scope,
    known: Option<&crate::hierarchy::discover::Index>,
) -> Result<Inherited, Error> {
    let target = match scope {
        Scope::File => return Ok(Inherited::default()),
        Scope::Location(p) => p.clone(),
    };
    if !super::discover::is_configuration(&src.doc) {
        return Ok(Inherited::default());
    }
    let view = crate::hierarchy::effective::effective(
        section,
        &[crate::hierarchy::effective::Layer {
            src,
            target: target.into(),
            ignored_by_aspnet: false,
            exclude_target: true,
            known,
            depths: Default::default(),
        }],
    )?;
    Ok(Inherited {
        view,
        ..Inherited::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::rules::Entry;

    fn src(path: &str, text: &str) -> Source {
        Source::parse(Path::new(path), text.as_bytes().to_vec()).unwrap()
    }

    /// A `<location>` naming a folder gives its entries to that folder and below, after the
    /// files down to the folder's level and before the folder's own file; not to the level
    /// above, nor past `inheritInChildApplications="false"` into a child application.
    #[test]
    fn located_connection_strings_apply_at_their_folder_level() {
        let site = src(
            "site/web.config",
            r#"<configuration>
  <connectionStrings><add name="Db" connectionString="site" /></connectionStrings>
  <location path="app1"><connectionStrings>
    <remove name="Db" /><add name="Only" connectionString="located" />
  </connectionStrings></location>
  <location path="app1/sub" inheritInChildApplications="false"><connectionStrings>
    <add name="Deep" connectionString="deep" />
  </connectionStrings></location>
</configuration>"#,
        );
        let app = src(
            "site/app1/web.config",
            r#"<configuration><connectionStrings><add name="Db" connectionString="app" /></connectionStrings></configuration>"#,
        );
        let found = |v: &str| Entry::Found(v.to_string());
        let at = |target: &str, app_depth: Option<usize>, files: &[(&Source, usize)]| {
            let files: Vec<(&Source, &str, Depths)> = files
                .iter()
                .map(|&(s, own)| {
                    // The target below each file: the site (depth 4) sees `app1/...`.
                    let below = if own == 4 {
                        target
                    } else {
                        target
                            .strip_prefix("app1")
                            .unwrap_or("")
                            .trim_start_matches('/')
                    };
                    (s, below, Depths::of_level(own, app_depth))
                })
                .collect();
            connection_strings_in_scope(files)
        };
        // The site's own level: the location's entries do not reach it.
        let root = at("", Some(4), &[(&site, 4)]);
        assert_eq!(root.lookup("Db"), found("site"));
        assert_eq!(root.lookup("Only"), Entry::Unknown);
        // app1 (an application at depth 5): the location removes Db, app1's own file adds it.
        let app1 = at("app1", Some(5), &[(&site, 4), (&app, 5)]);
        assert_eq!(app1.lookup("Db"), found("app"));
        assert_eq!(app1.lookup("Only"), found("located"));
        assert_eq!(app1.lookup("Deep"), Entry::Unknown);
        // app1/sub, a folder of app1: the deeper location applies too.
        let sub = at("app1/sub", Some(5), &[(&site, 4), (&app, 5)]);
        assert_eq!(sub.lookup("Deep"), found("deep"));
        // app1/sub/child, a child application of its own: the location keeps it out.
        let child = at("app1/sub/child", Some(7), &[(&site, 4), (&app, 5)]);
        assert_eq!(child.lookup("Deep"), Entry::Unknown);
        assert_eq!(child.lookup("Only"), found("located"));
        // Without app1's file, the location's remove stands.
        let bare = at("app1", Some(5), &[(&site, 4)]);
        assert_eq!(bare.lookup("Db"), Entry::Removed);
        // Just before the app1/sub location: app1's own file is in, the location is not.
        let deep = site.connection_strings_located()[1].element;
        let files = [
            (&site, "app1/sub", Depths::of_level(4, Some(5))),
            (&app, "sub", Depths::of_level(5, Some(5))),
        ];
        let before = connection_strings_before(files, (0, deep));
        assert_eq!(before.lookup("Db"), found("app"));
        assert_eq!(before.lookup("Only"), found("located"));
        assert_eq!(before.lookup("Deep"), Entry::Unknown);
        // Just before the app1 location: the site's own entries only.
        let first = site.connection_strings_located()[0].element;
        let before = connection_strings_before(files, (0, first));
        assert_eq!(before.lookup("Db"), found("site"));
        assert_eq!(before.lookup("Only"), Entry::Unknown);
        // An element these files do not hold at the target: nothing to judge against.
        let before = connection_strings_before(files, (1, first));
        assert_eq!(before.lookup("Db"), Entry::Unknown);
    }
}
