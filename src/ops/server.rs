//! Operations on a whole server (`--root`): a PATH's chain of files loaded once, the effective
//! section read through every level, writes at the level and `<location>` a `/commit` value
//! names, with what the levels above contribute (values, connection strings, locks) and the
//! allowDefinition rule; `lock`/`unlock`; `search`.

use std::path::{Path, PathBuf};

use super::{Change, Inherited, OpError, Outcome, Scope, Target, WriteOptions};
use crate::hierarchy::effective::{self, Depths, Layer, Lock, LockKind, SectionView};
use crate::hierarchy::path::ConfigPath;
use crate::hierarchy::server::{site_named_by, Level, LevelKind, Resolved, Server, Topology};
use crate::hierarchy::source::{ConnectionString, Source};
use crate::schema::{AllowDefinition, SectionDef};

/// A PATH resolved on a server, with the files of its levels loaded (`None`: no such file).
pub struct Chain {
    /// The resolution.
    pub resolved: Resolved,
    /// One per level.
    pub sources: Vec<Option<Source>>,
    /// The lock on applicationHost.config when it was read for a write.
    apphost_lock: Option<crate::doc::Locked>,
}

/// Load applicationHost.config and its topology.
pub fn load_apphost(server: &Server) -> Result<(PathBuf, Source, Topology), OpError> {
    let path = server.apphost_path()?;
    let src = Source::load(&path)?;
    let topo = Topology::read(&src.doc);
    Ok((path, src, topo))
}

fn load_optional(path: &Path) -> Result<Option<Source>, OpError> {
    match Source::load(path) {
        Ok(s) => Ok(Some(s)),
        Err(OpError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

impl Chain {
    /// Resolve `path` and load every level's file.
    pub fn load(server: &Server, path: Option<&str>) -> Result<Chain, OpError> {
        let apphost_path = server.apphost_path()?;
        let apphost = Source::load(&apphost_path)?;
        let topo = Topology::read_sites(&apphost.doc, site_named_by(path).as_deref());
        Chain::with_apphost(server, path, apphost_path, apphost, topo, None)
    }

    /// `load` for a write: applicationHost.config is read under its lock, once, so that a
    /// write to it reuses that reading (a 30 MB file is scanned once, not twice).
    pub fn load_for_write(server: &Server, path: Option<&str>) -> Result<Chain, OpError> {
        let apphost_path = server.apphost_path()?;
        let (apphost, lock) = Source::load_locked(&apphost_path)?
            .ok_or_else(|| OpError::NotFound(apphost_path.clone()))?;
        let topo = Topology::read_sites(&apphost.doc, site_named_by(path).as_deref());
        Chain::with_apphost(server, path, apphost_path, apphost, topo, Some(lock))
    }

    fn with_apphost(
        server: &Server,
        path: Option<&str>,
        apphost_path: PathBuf,
        apphost: Source,
        topo: Topology,
        apphost_lock: Option<crate::doc::Locked>,
    ) -> Result<Chain, OpError> {
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
    pub fn effective(&self, section: &SectionDef) -> Result<(SectionView, Vec<Lock>), OpError> {
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

    /// What a write at level `idx` inherits from the levels above it.
    pub fn inherited(&self, section: &SectionDef, idx: usize) -> Result<Inherited, OpError> {
        let (layers, _) = self.layers(idx);
        inherited_from(section, &layers)
    }

    /// The level a write for this PATH lands on, and its target.
    pub fn commit_target(&self, commit: Option<&str>) -> Result<(usize, Target), OpError> {
        let (idx, location) = self.resolved.commit(commit)?;
        let scope = if location.is_empty() {
            Scope::File
        } else {
            Scope::Location(location)
        };
        Ok((
            idx,
            Target {
                file: self.resolved.levels[idx].file.clone(),
                scope,
            },
        ))
    }

    /// allowDefinition: `sessionState` may not be set for a PATH below its application root.
    pub fn check_allow_definition(&self, section: &SectionDef) -> Result<(), OpError> {
        if section.allow_definition != AllowDefinition::MachineToApplication {
            return Ok(());
        }
        let (Some(app), Some(own)) = (&self.resolved.app_root, self.resolved.levels.last()) else {
            return Ok(());
        };
        if own.config_path.depth() > app.depth() {
            return Err(OpError::Invalid {
                file: own.file.clone(),
                at: None,
                message: format!(
                    "{} cannot be set for \"{}\": it is below the application root \"{}\" (allowDefinition=MachineToApplication); set it at the application root",
                    section.path, self.resolved.config_path, app
                ),
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
pub fn inherited_from(section: &SectionDef, layers: &[Layer<'_>]) -> Result<Inherited, OpError> {
    inherited_with(effective::effective(section, layers)?, layers)
}

/// What one definition (element `el` of layer `layer`) inherits: everything that merges
/// before it, from every layer (see [`effective::effective_before`]).
pub fn inherited_before(
    section: &SectionDef,
    layers: &[Layer<'_>],
    stop: (usize, crate::doc::ElementId),
) -> Result<Inherited, OpError> {
    inherited_with(effective::effective_before(section, layers, stop)?, layers)
}

/// An [`Inherited`] of a merged view and the connection strings of `layers`.
fn inherited_with(view: SectionView, layers: &[Layer<'_>]) -> Result<Inherited, OpError> {
    let mut connection_strings = Vec::new();
    // ASP.NET reads <connectionStrings> from every file but applicationHost.config.
    for l in layers.iter().filter(|l| !l.ignored_by_aspnet) {
        for entry in l.src.connection_strings() {
            match entry {
                ConnectionString::Add(n, v) => connection_strings.push((n.clone(), v.clone())),
                ConnectionString::Clear => connection_strings.clear(),
                ConnectionString::Remove(n) => connection_strings.retain(|(x, _)| x != n),
            }
        }
    }
    Ok(Inherited {
        locks: view.locks.clone(),
        view,
        connection_strings,
    })
}

/// A warning when a write to a machine.config or root web.config goes to a file the PATH's
/// pool does not load (`/clr` or `--bitness` chose another).
fn pool_warning(chain: &Chain, idx: usize) -> Option<String> {
    let level = chain.level(idx);
    if !matches!(level.kind, LevelKind::Machine | LevelKind::WebRoot) {
        return None;
    }
    let pool_fw = chain.resolved.pool_framework?;
    if pool_fw == chain.resolved.framework {
        return None;
    }
    let pool = chain.resolved.pool.as_ref().map_or("", |p| p.name.as_str());
    Some(format!(
        "{}: the application pool \"{pool}\" of \"{}\" does not load this file ({} {}); the change does not reach it",
        level.file.display(),
        chain.resolved.config_path,
        if pool_fw.bits32 { "32-bit" } else { "64-bit" },
        pool_fw.clr.dir()
    ))
}

/// `set config PATH ... /commit:C` on a server.
pub fn set(
    mut chain: Chain,
    commit: Option<&str>,
    section: &'static SectionDef,
    changes: &[Change],
    opts: &WriteOptions,
) -> Result<(Outcome, ConfigPath), OpError> {
    chain.check_allow_definition(section)?;
    let (idx, target) = chain.commit_target(commit)?;
    let inherited = chain.inherited(section, idx)?;
    // A write to applicationHost.config uses the reading made under its lock.
    let preloaded = match (chain.level(idx).kind, chain.apphost_lock.take()) {
        (LevelKind::AppHost, Some(lock)) => chain.sources[idx].take().map(|s| (s, lock)),
        _ => None,
    };
    let mut outcome =
        super::set_inheriting(&target, section, changes, opts, &inherited, preloaded)?;
    outcome.warnings.extend(pool_warning(&chain, idx));
    Ok((outcome, chain.level(idx).config_path.clone()))
}

/// `clear config PATH /section:S /commit:C` on a server.
pub fn clear_section(
    chain: &Chain,
    commit: Option<&str>,
    section: &'static SectionDef,
    opts: &WriteOptions,
) -> Result<(Outcome, ConfigPath), OpError> {
    let (idx, target) = chain.commit_target(commit)?;
    let inherited = chain.inherited(section, idx)?;
    if let Some(l) = inherited.locks.iter().find(|l| l.kind == LockKind::Section) {
        return Err(OpError::Locked {
            file: l.file.clone(),
            line: l.line,
            message: format!(
                "This configuration section cannot be used at this path: {}",
                l.describe(section)
            ),
        });
    }
    let outcome = super::clear_section(&target, section, opts)?;
    Ok((outcome, chain.level(idx).config_path.clone()))
}

/// `lock config` / `unlock config` on a server: `overrideMode` on the PATH's location in the
/// commit file (applicationHost.config without `/commit`).
pub fn lock(
    chain: &Chain,
    commit: Option<&str>,
    section: &'static SectionDef,
    unlock: bool,
    opts: &WriteOptions,
) -> Result<(Outcome, ConfigPath), OpError> {
    let (idx, target) = chain.commit_target(Some(commit.unwrap_or("apphost")))?;
    let location = match &target.scope {
        Scope::File => String::new(),
        Scope::Location(p) => p.clone(),
    };
    if unlock {
        // Unlock only where the lock is.
        let (view, _) = chain.effective(section)?;
        let here = view
            .locks
            .iter()
            .any(|l| l.kind == LockKind::Section && l.file == target.file);
        if !view.locks.iter().any(|l| l.kind == LockKind::Section) {
            // Nothing to unlock: writing overrideMode="Allow" would add a location for nothing.
            let outcome = Outcome {
                nothing_to_do: Some(format!(
                    "Section \"{}\" is not locked at configuration path \"{}\"; nothing changed.",
                    section.path, chain.resolved.config_path
                )),
                ..Outcome::default()
            };
            return Ok((outcome, chain.level(idx).config_path.clone()));
        }
        if let Some(l) = view
            .locks
            .iter()
            .find(|l| l.kind == LockKind::Section && l.file != target.file)
        {
            if !here {
                return Err(OpError::Locked {
                    file: l.file.clone(),
                    line: l.line,
                    message: format!(
                        "{} is not locked in {}; unlock it where the lock is",
                        section.path,
                        target.file.display()
                    ),
                });
            }
        }
    }
    let mode = if unlock { "Allow" } else { "Deny" };
    let mut outcome = super::lock::set_override_mode(&target.file, &location, section, mode, opts)?;
    if chain.level(idx).kind == LevelKind::AppHost {
        outcome.warnings.push(format!(
            "{}: ASP.NET does not enforce a lock on system.web kept in applicationHost.config; lock it with /commit:WEBROOT for ASP.NET to refuse lower definitions",
            target.file.display()
        ));
    }
    Ok((outcome, chain.level(idx).config_path.clone()))
}

/// One level that sets a section, for `search config`.
#[derive(Clone, Debug)]
pub struct Found {
    /// Its config path.
    pub config_path: String,
    /// The section.
    pub section: &'static SectionDef,
    /// The file.
    pub file: PathBuf,
    /// The line of the section element.
    pub line: usize,
}

/// Every configuration file of a server with its config path, the topology, and
/// applicationHost.config as read (`search config`).
pub struct ServerFiles {
    /// (config path, file), in hierarchy order.
    pub files: Vec<(ConfigPath, PathBuf)>,
    /// What applicationHost.config declares.
    pub topology: Topology,
    /// applicationHost.config.
    pub apphost: Source,
}

/// Every configuration file of the server in hierarchy order, with its config path: the
/// machine.config and root web.config of the selected runtime and bitness, applicationHost.config,
/// then each site's web.config files (each virtual directory's folder, walked).
pub fn server_files(server: &Server) -> Result<ServerFiles, OpError> {
    let (apphost_path, apphost, topo) = load_apphost(server)?;
    let fw = crate::hierarchy::server::Framework {
        clr: server.clr.unwrap_or(crate::hierarchy::server::Clr::V4),
        bits32: server.bits32.unwrap_or(false),
    };
    let mut out = vec![
        (ConfigPath::server_level(1), server.machine_config(fw)),
        (ConfigPath::server_level(2), server.root_web_config(fw)),
        (ConfigPath::server_level(3), apphost_path),
    ];
    // Sites are walked in parallel (each is independent), then joined in site order; a folder
    // reached twice (two virtual directories, or a folder below another's) keeps the first
    // config path it was reached by, as one walk in that order would.
    let walked = crate::par::map(&topo.sites, 64, |site| walk_sites(server, site));
    let mut seen = std::collections::HashSet::new();
    for part in walked {
        out.extend(part?.into_iter().filter(|(_, f)| seen.insert(f.clone())));
    }
    Ok(ServerFiles {
        files: out,
        topology: topo,
        apphost,
    })
}

/// The web.config files of a site, its virtual directories shortest path first (found, not
/// read). A folder that cannot be read is an error: the list would be incomplete.
fn walk_sites(
    server: &Server,
    site: &crate::hierarchy::server::Site,
) -> Result<Vec<(ConfigPath, PathBuf)>, OpError> {
    let walk = walk_site(server, site, false);
    if let Some((dir, e)) = walk.errors.into_iter().next() {
        return Err(OpError::io(&dir, e));
    }
    Ok(walk
        .files
        .into_iter()
        .map(|f| (f.config_path, f.path))
        .collect())
}

/// A web.config a walk found, read as it was found (through its folder) when the walk reads.
pub struct WalkedFile {
    /// Its config path.
    pub config_path: ConfigPath,
    /// Its path.
    pub path: PathBuf,
    /// Its bytes, or why they could not be read (`None`: the walk was asked not to read).
    pub raw: Option<std::io::Result<crate::doc::Raw>>,
}

/// What the walk of one site found.
pub struct SiteWalk {
    /// Each web.config, in walk order.
    pub files: Vec<WalkedFile>,
    /// Every folder walked, as walked: a level in one of them without a file in `files` has
    /// no web.config, with no need to look.
    pub folders: Vec<PathBuf>,
    /// Folders that exist but could not be opened or listed (permissions), in walk order:
    /// what is below them is unknown, so a walk that must be complete fails on the first.
    pub errors: Vec<(PathBuf, std::io::Error)>,
    /// Virtual directories whose physical path cannot be mapped to a folder here (a drive
    /// with no `--drive` mapping, a network path): their physical path and why.
    pub unmapped: Vec<(String, String)>,
}

/// Whether an error opening or listing a folder means it is not there (gone since its
/// parent was listed, or never there): nothing to walk, rather than something unreadable.
fn not_there(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
    )
}

/// Walk the folders of a site's virtual directories (shortest path first) for web.config
/// files, reading each as it is found when `read`.
pub fn walk_site(server: &Server, site: &crate::hierarchy::server::Site, read: bool) -> SiteWalk {
    let mut out = Vec::new();
    let mut seen = Walked {
        read,
        ..Walked::default()
    };
    let mut unmapped = Vec::new();
    {
        let mut folders: Vec<(Vec<String>, &str)> = Vec::new();
        for app in &site.apps {
            for (vpath, phys) in &app.vdirs {
                let mut url: Vec<String> = crate::hierarchy::path::split(&app.path)
                    .into_iter()
                    .map(str::to_string)
                    .collect();
                url.extend(
                    crate::hierarchy::path::split(vpath)
                        .into_iter()
                        .map(str::to_string),
                );
                folders.push((url, phys));
            }
        }
        folders.sort_by(|a, b| a.0.len().cmp(&b.0.len()).then(a.0.cmp(&b.0)));
        for (url, phys) in folders {
            // As spelled first (one open instead of a probe, then an open); the disk's own
            // spelling only when that folder is not there.
            let spelled = match server.windows_path_spelled(phys) {
                Ok(p) => p,
                Err(e) => {
                    if !unmapped.iter().any(|(p, _)| p == phys) {
                        unmapped.push((phys.to_string(), e.to_string()));
                    }
                    continue;
                }
            };
            // Below a folder already walked, any spelling of it was walked with that folder:
            // nothing to read again, and no open of a folder that is not there.
            if seen.covers(&spelled) {
                continue;
            }
            if !walk_root(&site.name, url.clone(), &spelled, &mut seen, &mut out) {
                // Not there as spelled: look for it case-insensitively.
                if let Ok(dir) = server.windows_path(phys) {
                    if dir != spelled {
                        walk_root(&site.name, url, &dir, &mut seen, &mut out);
                    }
                }
            }
        }
    }
    SiteWalk {
        files: out,
        folders: seen.seen.into_keys().collect(),
        errors: seen.errors,
        unmapped,
    }
}

/// How deep below a virtual directory's folder the walk goes.
const MAX_DEPTH: usize = 16;

/// What a site's walk has seen: each folder walked and its depth, and (in lower case) every
/// symbolic link or junction met in a walked folder, which the walk does not follow.
#[derive(Default)]
struct Walked {
    seen: foldhash::HashMap<PathBuf, usize>,
    links: foldhash::HashSet<String>,
    /// The fewest components of a folder in `seen` (none above it can be one).
    fewest: usize,
    /// Whether each web.config is read as it is found.
    read: bool,
    /// Folders that could not be opened or listed though they are there.
    errors: Vec<(PathBuf, std::io::Error)>,
}

impl Walked {
    /// Whether `dir` lies below a folder already walked that walked it too, whatever its
    /// spelling: no hidden folder and no link on the way, within `MAX_DEPTH`.
    fn covers(&self, dir: &Path) -> bool {
        if self.seen.is_empty() {
            return false;
        }
        let mut below = 0;
        let mut cur = dir;
        let mut components = dir.components().count();
        loop {
            if cur
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                || self.links.contains(&cur.to_string_lossy().to_lowercase())
            {
                return false;
            }
            let Some(parent) = cur.parent() else {
                return false;
            };
            below += 1;
            components -= 1;
            if components < self.fewest {
                return false;
            }
            if let Some(&depth) = self.seen.get(parent) {
                return depth + below <= MAX_DEPTH;
            }
            cur = parent;
        }
    }
}

/// Walk a virtual directory's folder `dir` and its subfolders for web.config files. False
/// when `dir` is not there (a folder there but unreadable is kept in `seen.errors`).
fn walk_root(
    site: &str,
    url: Vec<String>,
    dir: &Path,
    seen: &mut Walked,
    out: &mut Vec<WalkedFile>,
) -> bool {
    if seen.seen.contains_key(dir) {
        return true;
    }
    match crate::doc::folder::Folder::open(dir) {
        Ok(folder) => {
            // Every folder walked lies at or below a root: the roots have the fewest components.
            let components = dir.components().count();
            if seen.seen.is_empty() || components < seen.fewest {
                seen.fewest = components;
            }
            walk_folder(site, url, folder, 0, seen, out);
            true
        }
        Err(e) if not_there(&e) => false,
        Err(e) => {
            seen.errors.push((dir.to_path_buf(), e));
            true
        }
    }
}

/// Walk an open folder and its subfolders for web.config files.
fn walk_folder(
    site: &str,
    url: Vec<String>,
    mut folder: crate::doc::folder::Folder,
    depth: usize,
    seen: &mut Walked,
    out: &mut Vec<WalkedFile>,
) {
    use crate::doc::folder::Kind;
    let entries = match folder.entries() {
        Ok(entries) => entries,
        Err(e) => {
            if !not_there(&e) {
                seen.errors.push((folder.path().to_path_buf(), e));
            }
            return;
        }
    };
    seen.seen.insert(folder.path().to_path_buf(), depth);
    let mut subdirs = Vec::new();
    let mut file = None;
    for e in entries {
        let name = e.name.to_string_lossy();
        match e.kind {
            Kind::Folder if !name.starts_with('.') => subdirs.push((name.into_owned(), e.name)),
            Kind::Link => {
                seen.links
                    .insert(folder.path().join(&e.name).to_string_lossy().to_lowercase());
            }
            Kind::File if name.eq_ignore_ascii_case("web.config") => file = Some(e.name),
            _ => {}
        }
    }
    if let Some(f) = file {
        let mut cp = Vec::with_capacity(url.len() + 1);
        cp.push(site.to_string());
        cp.extend(url.iter().cloned());
        out.push(WalkedFile {
            config_path: ConfigPath::under_apphost(&cp),
            path: folder.path().join(&f),
            raw: seen.read.then(|| folder.read(&f)),
        });
    }
    if depth >= MAX_DEPTH {
        return;
    }
    subdirs.sort();
    for (d, name) in subdirs {
        let path = folder.path().join(&name);
        if seen.seen.contains_key(&path) {
            continue;
        }
        let sub = match folder.folder(&name) {
            Ok(sub) => sub,
            Err(e) => {
                if !not_there(&e) {
                    seen.errors.push((path, e));
                }
                continue;
            }
        };
        let mut u = url.clone();
        u.push(d);
        walk_folder(site, u, sub, depth + 1, seen, out);
    }
}

/// `search config [PATH] [/section:S]`: every level that sets the sections, in hierarchy order.
pub fn search(
    server: &Server,
    under: Option<&ConfigPath>,
    sections: &[&'static SectionDef],
) -> Result<Vec<Found>, OpError> {
    let files = server_files(server)?.files;
    let mut out = Vec::new();
    for (level, file) in files {
        let Some(src) = load_optional(&file)? else {
            continue;
        };
        let server_file = level.depth() <= 3;
        for def in sections {
            for inst in crate::hierarchy::discover::instances(&src.doc, def) {
                let cp = if inst.path.is_empty() {
                    level.to_string()
                } else if server_file {
                    let written = inst
                        .location
                        .and_then(|l| src.doc.attr_value(l, "path"))
                        .unwrap_or_default();
                    let segs: Vec<String> = crate::hierarchy::path::split(&written)
                        .into_iter()
                        .map(str::to_string)
                        .collect();
                    ConfigPath::under_apphost(&segs).to_string()
                } else {
                    let written = inst
                        .location
                        .and_then(|l| src.doc.attr_value(l, "path"))
                        .unwrap_or_default();
                    format!(
                        "{level}/{}",
                        crate::hierarchy::path::split(&written).join("/")
                    )
                };
                if let Some(u) = under {
                    let Some(p) = ConfigPath::parse(&cp) else {
                        continue;
                    };
                    if !u.is_ancestor_of(&p) {
                        continue;
                    }
                }
                out.push(Found {
                    config_path: cp,
                    section: def,
                    file: file.clone(),
                    line: src.line_of(inst.el),
                });
            }
        }
    }
    Ok(out)
}
