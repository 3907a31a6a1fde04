//! The server layout of SPEC §4: a folder that stands for the system drive, the machine.config
//! and root web.config of each runtime and bitness, applicationHost.config (or where
//! redirection.config or `/apphostconfig` puts it), and the sites, applications, virtual
//! directories and pools it declares. A PATH (site path, config path or URL) resolves to its
//! chain of levels, each with its config path and file, and a `/commit` value to one of them.

use std::path::{Path, PathBuf};

use super::error::OpError;
use super::path::{split, Commit, ConfigPath};
use super::source::{find_case_insensitive, Source};
use crate::doc::{Document, ElementId};

/// The .NET runtime whose machine.config and root web.config a level reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clr {
    /// v2.0.50727 (`/clr:2`, `managedRuntimeVersion="v2.0"`).
    V2,
    /// v4.0.30319 (the default).
    V4,
}

impl Clr {
    /// The folder name under `Framework` / `Framework64`.
    pub fn dir(self) -> &'static str {
        match self {
            Clr::V2 => "v2.0.50727",
            Clr::V4 => "v4.0.30319",
        }
    }

    /// Parse `/clr:` (`2`, `2.0`, `v2.0`, `4`, `v4.0`, any case).
    pub fn parse(s: &str) -> Option<Clr> {
        let t = s.trim().trim_start_matches(['v', 'V']);
        match t {
            "2" | "2.0" | "2.0.50727" => Some(Clr::V2),
            "4" | "4.0" | "4.0.30319" => Some(Clr::V4),
            _ => None,
        }
    }
}

/// A runtime and bitness: which of the four machine.config / root web.config pairs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Framework {
    /// The runtime.
    pub clr: Clr,
    /// `Framework` (32-bit) instead of `Framework64`.
    pub bits32: bool,
}

impl Default for Framework {
    fn default() -> Self {
        Framework {
            clr: Clr::V4,
            bits32: false,
        }
    }
}

/// A server tree and the choices that select its files.
#[derive(Clone, Debug)]
pub struct Server {
    /// The folder standing for the system drive (`C:\`).
    pub root: PathBuf,
    /// Other drive letters (`--drive D:=DIR`).
    pub drives: Vec<(char, PathBuf)>,
    /// `/clr:` when given.
    pub clr: Option<Clr>,
    /// `--bitness 32` (true) or `64` (false) when given.
    pub bits32: Option<bool>,
    /// `/apphostconfig:FILE` when given.
    pub apphost_override: Option<PathBuf>,
    /// Paths already looked up (a server lint resolves thousands of PATHs).
    pub cache: PathCache,
}

/// A runtime and bitness, and its Config folder, machine.config and root web.config.
type FrameworkPaths = (Framework, [PathBuf; 3]);

/// Memoised look-ups of the server's paths: each is a few case-insensitive directory probes.
#[derive(Clone, Debug, Default)]
pub struct PathCache {
    windows: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, PathBuf>>>,
    /// Per runtime and bitness: the Config folder, machine.config and the root web.config.
    frameworks: std::sync::Arc<std::sync::Mutex<Vec<FrameworkPaths>>>,
}

/// What a level is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LevelKind {
    /// machine.config
    Machine,
    /// the root web.config
    WebRoot,
    /// applicationHost.config
    AppHost,
    /// a site's root
    Site,
    /// an application root
    Application,
    /// a virtual directory that is not an application
    VirtualDirectory,
    /// a folder inside one
    Folder,
    /// a file (a page) in a folder: it has no web.config of its own, only the `<location>`s
    /// that name it
    File,
}

impl LevelKind {
    /// Whether the level's file is one of the server-wide files, where location paths name the
    /// site first.
    pub fn is_server_file(self) -> bool {
        matches!(
            self,
            LevelKind::Machine | LevelKind::WebRoot | LevelKind::AppHost
        )
    }
}

/// One level of a PATH.
#[derive(Clone, Debug)]
pub struct Level {
    /// What it is.
    pub kind: LevelKind,
    /// Its config path.
    pub config_path: ConfigPath,
    /// Its configuration file (it may not exist).
    pub file: PathBuf,
}

/// A pool's runtime, bitness and process count.
#[derive(Clone, Debug, Default)]
pub struct Pool {
    /// Its name.
    pub name: String,
    /// `managedRuntimeVersion`, when set here or in the defaults.
    pub runtime: Option<String>,
    /// `enable32BitAppOnWin64`.
    pub enable32: Option<bool>,
    /// `processModel maxProcesses`.
    pub max_processes: Option<u32>,
    /// The byte offset of the pool's element in applicationHost.config's text.
    pub offset: usize,
}

/// An application: its path, pool and virtual directories.
#[derive(Clone, Debug)]
pub struct App {
    /// `/` or `/app1`.
    pub path: String,
    /// `applicationPool`, if set.
    pub pool: Option<String>,
    /// (`/` or `/vdir`, physicalPath).
    pub vdirs: Vec<(String, String)>,
}

/// A site of `<sites>`.
#[derive(Clone, Debug)]
pub struct Site {
    /// Its name.
    pub name: String,
    /// Its `id`.
    pub id: String,
    /// (protocol, bindingInformation).
    pub bindings: Vec<(String, String)>,
    /// Its applications.
    pub apps: Vec<App>,
    /// The byte offset of the `<site>` element in applicationHost.config's text.
    pub offset: usize,
}

/// What applicationHost.config declares.
#[derive(Clone, Debug, Default)]
pub struct Topology {
    /// The sites.
    pub sites: Vec<Site>,
    /// The pools.
    pub pools: Vec<Pool>,
    /// `<applicationPoolDefaults>`.
    pub pool_defaults: Pool,
    /// `<applicationDefaults applicationPool>`.
    pub default_pool: Option<String>,
    /// Site index by lower-case name.
    by_name: foldhash::HashMap<String, usize>,
    /// Pool index by lower-case name.
    pools_by_name: foldhash::HashMap<String, usize>,
}

fn segs_of(url: &str) -> Vec<String> {
    split(url).into_iter().map(str::to_string).collect()
}

/// How many segments of `of` the URL path `prefix` (`/`- or `\\`-separated) covers, compared
/// case-insensitively; `None` when it is not a prefix. No segment is copied.
fn prefix_len(prefix: &str, of: &[String]) -> Option<usize> {
    let mut n = 0;
    for seg in prefix
        .split(['/', '\\'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        if !of.get(n).is_some_and(|o| o.eq_ignore_ascii_case(seg)) {
            return None;
        }
        n += 1;
    }
    Some(n)
}

/// The one site a PATH names by name (empty for the server level), or `None` when every site
/// must be known to resolve it (a URL is matched against all bindings).
pub fn site_named_by(path: Option<&str>) -> Option<String> {
    let text = path.map(str::trim).unwrap_or("");
    if text.is_empty() {
        Some(String::new())
    } else if text.contains("://") {
        None
    } else if let Some(cp) = ConfigPath::parse(text) {
        Some(cp.site_path().first().cloned().unwrap_or_default())
    } else {
        Some(segs_of(text).into_iter().next().unwrap_or_default())
    }
}

impl Topology {
    /// Read `<system.applicationHost>` of an applicationHost.config: every site and pool.
    pub fn read(doc: &Document) -> Topology {
        Topology::read_sites(doc, None)
    }

    /// Read the site called `only` (case-insensitive; none when `only` is empty) and the pools
    /// its applications can run in, or everything when `only` is `None`. Resolving one PATH
    /// needs one site: on a server of 10,000 sites the others are never built.
    pub fn read_sites(doc: &Document, only: Option<&str>) -> Topology {
        let mut t = Topology::default();
        let root = doc.root();
        let attr = |el: ElementId, n: &str| doc.attr_value(el, n).map(|v| v.into_owned());
        let wanted = only.map(str::to_lowercase);
        let is_wanted = |name: &str| match &wanted {
            None => true,
            Some(w) if name.is_ascii() => name.eq_ignore_ascii_case(w),
            Some(w) => name.to_lowercase() == *w,
        };
        for host in doc.children_named(root, "system.applicationHost") {
            let mut site_els = Vec::new();
            for sites in doc.children_named(host, "sites") {
                for s in doc.children(sites) {
                    match doc.name(s) {
                        "applicationDefaults" => {
                            t.default_pool = attr(s, "applicationPool").or(t.default_pool.take())
                        }
                        "siteDefaults" => {
                            for d in doc.children_named(s, "applicationDefaults") {
                                t.default_pool =
                                    t.default_pool.take().or(attr(d, "applicationPool"));
                            }
                        }
                        "site"
                            if wanted.is_none()
                                || is_wanted(&doc.attr_value(s, "name").unwrap_or_default()) =>
                        {
                            site_els.push(s)
                        }
                        _ => {}
                    }
                }
            }
            // With one site: only the pools its applications (or the default) name, known once
            // it is read. With every site: every pool, read on every core with the sites.
            let pool_els = |names: Option<&std::collections::HashSet<String>>| {
                let mut out = Vec::new();
                for pools in doc.children_named(host, "applicationPools") {
                    for p in doc.children(pools) {
                        let name = doc.name(p);
                        if name != "add" && name != "applicationPoolDefaults" {
                            continue;
                        }
                        if let (Some(names), "add") = (names, name) {
                            let n = doc.attr_value(p, "name").unwrap_or_default();
                            if !names.contains(&n.to_lowercase()) {
                                continue;
                            }
                        }
                        out.push((p, name == "add"));
                    }
                }
                out
            };
            enum Item {
                Site(ElementId),
                Pool(ElementId, bool),
            }
            enum Read {
                Site(String, Site),
                Pool(Option<String>, Pool),
            }
            let read_item = |item: &Item| match *item {
                Item::Site(s) => {
                    let site = read_site(doc, s);
                    Read::Site(site.name.to_lowercase(), site)
                }
                Item::Pool(p, add) => {
                    let pool = read_pool(doc, p);
                    Read::Pool(add.then(|| pool.name.to_lowercase()), pool)
                }
            };
            let sites = site_els.len();
            let mut items: Vec<Item> = site_els.into_iter().map(Item::Site).collect();
            if only.is_none() {
                items.extend(
                    pool_els(None)
                        .into_iter()
                        .map(|(p, add)| Item::Pool(p, add)),
                );
            }
            let mut read = crate::par::map(&items, 512, read_item);
            if only.is_some() {
                // The sites of any `<system.applicationHost>` before this one too.
                let names: std::collections::HashSet<String> = read
                    .iter()
                    .filter_map(|r| match r {
                        Read::Site(_, s) => Some(s),
                        Read::Pool(..) => None,
                    })
                    .chain(&t.sites)
                    .flat_map(|s| s.apps.iter().filter_map(|a| a.pool.as_deref()))
                    .chain(t.default_pool.as_deref())
                    .chain(["DefaultAppPool"])
                    .map(str::to_lowercase)
                    .collect();
                let pools: Vec<Item> = pool_els(Some(&names))
                    .into_iter()
                    .map(|(p, add)| Item::Pool(p, add))
                    .collect();
                read.extend(pools.iter().map(read_item));
            }
            t.by_name.reserve(sites);
            t.sites.reserve(sites);
            for r in read {
                match r {
                    Read::Site(lower, site) => {
                        t.by_name.entry(lower).or_insert(t.sites.len());
                        t.sites.push(site);
                    }
                    Read::Pool(Some(lower), pool) => {
                        t.pools_by_name.entry(lower).or_insert(t.pools.len());
                        t.pools.push(pool);
                    }
                    Read::Pool(None, pool) => t.pool_defaults = pool,
                }
            }
        }
        t
    }

    /// The site called `name` (case-insensitive).
    pub fn site(&self, name: &str) -> Option<&Site> {
        self.by_name
            .get(&name.to_lowercase())
            .map(|&i| &self.sites[i])
    }

    /// The pool called `name`, with the defaults filled in.
    pub fn pool(&self, name: &str) -> Pool {
        let found = self
            .pools_by_name
            .get(&name.to_lowercase())
            .map(|&i| &self.pools[i]);
        let d = &self.pool_defaults;
        Pool {
            name: name.to_string(),
            runtime: found.and_then(|p| p.runtime.clone()).or(d.runtime.clone()),
            enable32: found.and_then(|p| p.enable32).or(d.enable32),
            max_processes: found.and_then(|p| p.max_processes).or(d.max_processes),
            offset: found.map_or(0, |p| p.offset),
        }
    }

    /// The site a URL names through its bindings (a binding with the host name wins over a
    /// wildcard one), and the URL's path segments.
    pub fn site_for_url(&self, url: &str) -> Option<(&Site, Vec<String>)> {
        let (scheme, rest) = url.split_once("://")?;
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => {
                (h.to_string(), p.parse::<u16>().ok()?)
            }
            _ => (
                authority.to_string(),
                if scheme.eq_ignore_ascii_case("https") {
                    443
                } else {
                    80
                },
            ),
        };
        let mut best: Option<(u8, &Site)> = None;
        for s in &self.sites {
            for (proto, info) in &s.bindings {
                if !proto.eq_ignore_ascii_case(scheme) {
                    continue;
                }
                let mut parts = info.rsplitn(3, ':');
                let (Some(bhost), Some(bport)) = (parts.next(), parts.next()) else {
                    continue;
                };
                if bport.trim().parse::<u16>().ok() != Some(port) {
                    continue;
                }
                let score = if bhost.is_empty() {
                    1
                } else if bhost.eq_ignore_ascii_case(&host) {
                    2
                } else {
                    continue;
                };
                if best.is_none_or(|(b, _)| score > b) {
                    best = Some((score, s));
                }
            }
        }
        best.map(|(_, s)| (s, segs_of(path)))
    }
}

fn read_pool(doc: &Document, p: ElementId) -> Pool {
    let attr = |el: ElementId, n: &str| doc.attr_value(el, n).map(|v| v.into_owned());
    Pool {
        name: attr(p, "name").unwrap_or_default(),
        runtime: attr(p, "managedRuntimeVersion"),
        enable32: attr(p, "enable32BitAppOnWin64").map(|v| v.trim().eq_ignore_ascii_case("true")),
        max_processes: doc
            .children_named(p, "processModel")
            .find_map(|pm| attr(pm, "maxProcesses"))
            .and_then(|v| v.trim().parse().ok()),
        offset: doc.element(p).start as usize,
    }
}

fn read_site(doc: &Document, s: ElementId) -> Site {
    // Each element's attributes are read in one pass (10,000 sites, a few attributes each).
    let attrs = |el: ElementId, names: [&str; 2]| {
        let mut out: [Option<String>; 2] = [None, None];
        for a in doc.attrs(el) {
            let n = doc.attr_name(&a);
            if let Some(i) = names.iter().position(|w| *w == n) {
                if out[i].is_none() {
                    out[i] = Some(doc.value(&a).into_owned());
                }
            }
        }
        out
    };
    let [name, id] = attrs(s, ["name", "id"]);
    let mut site = Site {
        name: name.unwrap_or_default(),
        id: id.unwrap_or_default(),
        bindings: vec![],
        apps: vec![],
        offset: doc.element(s).start as usize,
    };
    for c in doc.children(s) {
        match doc.name(c) {
            "application" => {
                let [path, pool] = attrs(c, ["path", "applicationPool"]);
                site.apps.push(App {
                    path: path.unwrap_or_else(|| "/".into()),
                    pool,
                    vdirs: doc
                        .children_named(c, "virtualDirectory")
                        .map(|v| {
                            let [path, phys] = attrs(v, ["path", "physicalPath"]);
                            (path.unwrap_or_else(|| "/".into()), phys.unwrap_or_default())
                        })
                        .collect(),
                })
            }
            "bindings" => {
                for b in doc.children_named(c, "binding") {
                    let [protocol, info] = attrs(b, ["protocol", "bindingInformation"]);
                    site.bindings
                        .push((protocol.unwrap_or_default(), info.unwrap_or_default()));
                }
            }
            _ => {}
        }
    }
    site
}

impl Site {
    /// The application that serves `url` (segments below the site): the longest matching path.
    pub fn app_for(&self, url: &[String]) -> Option<(&App, usize)> {
        self.apps
            .iter()
            .filter_map(|a| prefix_len(&a.path, url).map(|n| (a, n)))
            .max_by_key(|(_, n)| *n)
    }

    /// The physical path (Windows spelling) that `url` maps to, and the application.
    pub fn physical(&self, url: &[String]) -> Option<(String, &App)> {
        let (app, n) = self.app_for(url)?;
        let rest = &url[n..];
        let (phys, m) = app
            .vdirs
            .iter()
            .filter_map(|(p, phys)| prefix_len(p, rest).map(|m| (phys, m)))
            .max_by_key(|(_, m)| *m)?;
        let mut out = phys.trim_end_matches(['\\', '/']).to_string();
        for seg in &rest[m..] {
            out.push('\\');
            out.push_str(seg);
        }
        Some((out, app))
    }

    /// What `url` is: an application root, a virtual directory, or a folder.
    pub fn kind_of(&self, url: &[String]) -> LevelKind {
        if url.is_empty() {
            return LevelKind::Site;
        }
        let Some((app, n)) = self.app_for(url) else {
            return LevelKind::Folder;
        };
        if n == url.len() {
            return LevelKind::Application;
        }
        let rest = &url[n..];
        if app
            .vdirs
            .iter()
            .any(|(p, _)| prefix_len(p, rest) == Some(rest.len()))
        {
            LevelKind::VirtualDirectory
        } else {
            LevelKind::Folder
        }
    }
}

/// One site's levels, resolved as [`Server::resolve_known`] resolves a PATH in it, but each URL
/// prefix once: a walk meets a folder's files before its subfolders', so each URL shares most
/// of its levels with the one placed before it (`lint --root` places 20,000 files this way).
pub struct SiteResolver<'a> {
    server: &'a Server,
    topo: &'a Topology,
    site: &'a Site,
    url: Vec<String>,
    levels: Vec<(LevelKind, PathBuf)>,
    /// The pool of each application met (by its place in the site's list).
    pools: Vec<Option<AppPool>>,
}

/// Where a URL of a site stands (see [`SiteResolver::place`]).
pub struct SitePlace<'r> {
    /// The site's levels from its root down to the URL's own: kind and web.config (which may
    /// not exist).
    pub levels: &'r [(LevelKind, PathBuf)],
    /// How many of those are the ones of the URL placed before.
    pub kept: usize,
    /// The URL's application and pool, when it is in one.
    pub app: Option<&'r AppPool>,
    /// The runtime and bitness whose machine.config and root web.config the URL reads.
    pub framework: Framework,
}

impl<'a> SiteResolver<'a> {
    /// A resolver for the URLs of `site`.
    pub fn new(server: &'a Server, topo: &'a Topology, site: &'a Site) -> Self {
        SiteResolver {
            server,
            topo,
            site,
            url: Vec::new(),
            levels: Vec::new(),
            pools: Vec::new(),
        }
    }

    /// The levels of `url` (below the site) and its pool, as `resolve_known` gives them.
    pub fn place(&mut self, url: &[String]) -> Result<SitePlace<'_>, OpError> {
        let common = self.url.iter().zip(url).take_while(|(a, b)| a == b).count();
        self.levels.truncate((common + 1).min(self.levels.len()));
        let kept = self.levels.len();
        self.url.clear();
        for k in self.levels.len()..=url.len() {
            match self.server.site_level_file(self.site, &url[..k], false) {
                Ok(level) => self.levels.push(level),
                Err(e) => {
                    self.levels.clear();
                    return Err(e);
                }
            }
        }
        self.url.extend(url.iter().cloned());
        let site = self.site;
        let app = match site.app_for(url) {
            Some((app, n)) => {
                let i = site
                    .apps
                    .iter()
                    .position(|a| std::ptr::eq(a, app))
                    .unwrap_or(0);
                if self.pools.len() < site.apps.len() {
                    self.pools.resize(site.apps.len(), None);
                }
                let (server, topo) = (self.server, self.topo);
                Some(&*self.pools[i].get_or_insert_with(|| server.pool_of(app, n, topo)))
            }
            None => None,
        };
        Ok(SitePlace {
            levels: &self.levels,
            kept,
            framework: self.server.framework_for(app.map(|a| a.framework)),
            app,
        })
    }

    /// The location path that names `url` from the server-wide files (machine.config, the root
    /// web.config, applicationHost.config): the site's name, then the URL.
    pub fn location_in_server_files(&self, url: &[String]) -> String {
        std::iter::once(self.site.name.as_str())
            .chain(url.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The location path that names `url` from the web.config of its level `k` (0: the site's
    /// root): the URL's segments below that level.
    pub fn location_from_level(url: &[String], k: usize) -> String {
        url[k..].join("/")
    }
}

/// The application a URL belongs to and its pool.
#[derive(Clone, Debug)]
pub struct AppPool {
    /// How many of the URL's segments name the application's root.
    pub root: usize,
    /// The pool.
    pub pool: Pool,
    /// The pool's runtime and bitness.
    pub framework: Framework,
}

/// A PATH resolved on a server.
#[derive(Clone, Debug)]
pub struct Resolved {
    /// The PATH's config path.
    pub config_path: ConfigPath,
    /// Its levels, machine first; the last is the PATH's own level.
    pub levels: Vec<Level>,
    /// The runtime and bitness whose machine.config and root web.config are read.
    pub framework: Framework,
    /// Those of the PATH's pool, when the PATH is in a site.
    pub pool_framework: Option<Framework>,
    /// The PATH's pool.
    pub pool: Option<Pool>,
    /// The config path of the PATH's application root, when in a site.
    pub app_root: Option<ConfigPath>,
    /// The site's id, when in a site.
    pub site_id: Option<String>,
}

impl Resolved {
    /// The location path that names the PATH from the file of level `i`: the site path in the
    /// server-wide files, the rest below the level in a web.config.
    pub fn location_from(&self, i: usize) -> String {
        let level = &self.levels[i];
        if level.kind.is_server_file() {
            self.config_path.site_path().join("/")
        } else {
            level
                .config_path
                .relative(&self.config_path)
                .unwrap_or_default()
        }
    }

    /// The level and location a `/commit:` value writes to (SPEC §4's table); `None` for
    /// omitted or `url`.
    pub fn commit(&self, commit: Option<&Commit>) -> Result<(usize, String), OpError> {
        let own = self.levels.len() - 1;
        let idx = match commit.unwrap_or(&Commit::Url) {
            // A file has no web.config: its own level is its folder's file, in a location.
            Commit::Url if self.levels[own].kind == LevelKind::File => own - 1,
            Commit::Url => own,
            Commit::Machine => 0,
            Commit::WebRoot => 1,
            Commit::AppHost => 2,
            Commit::Site => self
                .levels
                .iter()
                .position(|l| l.kind == LevelKind::Site)
                .ok_or_else(|| {
                    OpError::Usage(format!(
                        "/commit:site needs a PATH in a site (got \"{}\")",
                        self.config_path
                    ))
                })?,
            Commit::App => {
                let root = self.app_root.as_ref().ok_or_else(|| {
                    OpError::Usage(format!(
                        "/commit:app needs a PATH in an application (got \"{}\")",
                        self.config_path
                    ))
                })?;
                self.levels
                    .iter()
                    .position(|l| l.config_path == *root)
                    .unwrap_or(own)
            }
            Commit::Parent => own.checked_sub(1).ok_or_else(|| {
                OpError::Usage("/commit:parent: MACHINE has no parent level".into())
            })?,
            Commit::Path(cp) => self
                .levels
                .iter()
                .position(|l| l.config_path == *cp)
                .ok_or_else(|| {
                    OpError::Usage(format!(
                        "/commit:{cp} is not a level of \"{}\" (its levels are {})",
                        self.config_path,
                        self.levels
                            .iter()
                            .map(|l| l.config_path.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })?,
        };
        Ok((idx, self.location_from(idx)))
    }
}

impl Server {
    /// `Windows/Microsoft.NET/Framework[64]/vX/Config` under the root, matched case-insensitively.
    pub fn config_dir(&self, fw: Framework) -> PathBuf {
        self.framework_paths(fw, 0)
    }

    /// The Config folder (0), machine.config (1) or the root web.config (2) of a runtime and
    /// bitness, found once per run (every file of `lint --root` names them).
    fn framework_paths(&self, fw: Framework, which: usize) -> PathBuf {
        if let Ok(cache) = self.cache.frameworks.lock() {
            if let Some((_, p)) = cache.iter().find(|(f, _)| *f == fw) {
                return p[which].clone();
            }
        }
        let dir = self.config_dir_uncached(fw);
        let paths = [
            dir.clone(),
            find_case_insensitive(&dir, Path::new("machine.config")),
            find_case_insensitive(&dir, Path::new("web.config")),
        ];
        let p = paths[which].clone();
        if let Ok(mut cache) = self.cache.frameworks.lock() {
            cache.push((fw, paths));
        }
        p
    }

    fn config_dir_uncached(&self, fw: Framework) -> PathBuf {
        let rel = format!(
            "Windows/Microsoft.NET/{}/{}/Config",
            if fw.bits32 {
                "Framework"
            } else {
                "Framework64"
            },
            fw.clr.dir()
        );
        find_case_insensitive(&self.root, Path::new(&rel))
    }

    /// machine.config of a runtime and bitness.
    pub fn machine_config(&self, fw: Framework) -> PathBuf {
        self.framework_paths(fw, 1)
    }

    /// The root web.config of a runtime and bitness.
    pub fn root_web_config(&self, fw: Framework) -> PathBuf {
        self.framework_paths(fw, 2)
    }

    /// `Windows/System32/inetsrv/config` under the root.
    pub fn inetsrv_config(&self) -> PathBuf {
        find_case_insensitive(&self.root, Path::new("Windows/System32/inetsrv/config"))
    }

    /// applicationHost.config: `/apphostconfig`, else where redirection.config points when it
    /// enables redirection, else `inetsrv/config`.
    pub fn apphost_path(&self) -> Result<PathBuf, OpError> {
        if let Some(p) = &self.apphost_override {
            return Ok(p.clone());
        }
        let dir = self.inetsrv_config();
        let redirection = find_case_insensitive(&dir, Path::new("redirection.config"));
        if redirection.is_file() {
            let src = Source::load(&redirection)?;
            let doc = &src.doc;
            let found = doc
                .children_named(doc.root(), "configurationRedirection")
                .next();
            if let Some(r) = found {
                let enabled = doc
                    .attr_value(r, "enabled")
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
                if let (true, Some(path)) = (enabled, doc.attr_value(r, "path")) {
                    let folder = self.windows_path(&path).map_err(|e| match e {
                        OpError::Usage(m) => OpError::Invalid {
                            file: redirection.clone(),
                            at: doc.attr(r, "path").map(|a| doc.line_col(a.value.start)),
                            message: format!("configuration redirection: {m}"),
                        },
                        other => other,
                    })?;
                    return Ok(find_case_insensitive(
                        &folder,
                        Path::new("applicationHost.config"),
                    ));
                }
            }
        }
        Ok(find_case_insensitive(
            &dir,
            Path::new("applicationHost.config"),
        ))
    }

    /// A Windows path of the server (`%SystemDrive%\inetpub\wwwroot`, `D:\sites\a`) as a path
    /// under the root or a mapped drive.
    pub fn windows_path(&self, p: &str) -> Result<PathBuf, OpError> {
        if let Some(found) = self
            .cache
            .windows
            .lock()
            .ok()
            .and_then(|c| c.get(p).cloned())
        {
            return Ok(found);
        }
        let found = self.windows_path_uncached(p)?;
        if let Ok(mut c) = self.cache.windows.lock() {
            c.insert(p.to_string(), found.clone());
        }
        Ok(found)
    }

    fn windows_path_uncached(&self, p: &str) -> Result<PathBuf, OpError> {
        let (base, rest) = self.windows_parts(p)?;
        Ok(find_case_insensitive(base, Path::new(&rest)))
    }

    /// `windows_path` as spelled, without probing the disk for each component's case (for
    /// callers that match the result case-insensitively against files they walked).
    pub fn windows_path_spelled(&self, p: &str) -> Result<PathBuf, OpError> {
        let (base, rest) = self.windows_parts(p)?;
        let mut out = PathBuf::with_capacity(base.as_os_str().len() + rest.len() + 1);
        out.push(base);
        if !rest.is_empty() {
            out.push(rest);
        }
        Ok(out)
    }

    /// The folder standing for a Windows path's drive, and the rest of the path (`/`-separated).
    fn windows_parts(&self, p: &str) -> Result<(&Path, String), OpError> {
        let expanded = expand_env(p.trim());
        if expanded.starts_with("\\\\") || expanded.starts_with("//") {
            return Err(OpError::Usage(format!(
                "\"{p}\" is a network path; sessctl reads only the system drive and drives given with --drive X:=DIR"
            )));
        }
        let b = expanded.as_bytes();
        if b.len() < 2 || b[1] != b':' || !b[0].is_ascii_alphabetic() {
            return Err(OpError::Usage(format!(
                "\"{p}\" is not an absolute Windows path (X:\\...)"
            )));
        }
        let letter = (b[0] as char).to_ascii_uppercase();
        let base = if letter == 'C' {
            self.root.as_path()
        } else {
            self.drives
                .iter()
                .find(|(l, _)| l.eq_ignore_ascii_case(&letter))
                .map(|(_, d)| d.as_path())
                .ok_or_else(|| {
                    OpError::Usage(format!(
                        "\"{p}\" is on drive {letter}:, which is not mapped: give --drive {letter}:=DIR"
                    ))
                })?
        };
        // The rest with `/` for `\`, leading separators dropped, in the expanded string's own
        // memory (both are ASCII, so the text stays UTF-8).
        let mut rest = expanded.into_bytes();
        for c in &mut rest {
            if *c == b'\\' {
                *c = b'/';
            }
        }
        let start = 2 + rest[2..].iter().take_while(|&&c| c == b'/').count();
        rest.drain(..start);
        let rest = String::from_utf8(rest).map_err(|_| {
            OpError::Usage(format!("\"{p}\" is not an absolute Windows path (X:\\...)"))
        })?;
        Ok((base, rest))
    }

    fn explicit_or(&self, pool: Framework) -> Framework {
        Framework {
            clr: self.clr.unwrap_or(pool.clr),
            bits32: self.bits32.unwrap_or(pool.bits32),
        }
    }

    /// Resolve a PATH (none: the server level) against the topology.
    pub fn resolve(
        &self,
        path: Option<&str>,
        topo: &Topology,
        apphost: &Path,
    ) -> Result<Resolved, OpError> {
        self.resolve_probing(path, topo, apphost, true)
    }

    /// `resolve` without probing the disk for each level's web.config: the file is
    /// `FOLDER/web.config` as spelled here (a caller that walked the tree matches it
    /// case-insensitively), and a folder level is not checked to exist.
    pub fn resolve_known(
        &self,
        path: Option<&str>,
        topo: &Topology,
        apphost: &Path,
    ) -> Result<Resolved, OpError> {
        self.resolve_probing(path, topo, apphost, false)
    }

    fn resolve_probing(
        &self,
        path: Option<&str>,
        topo: &Topology,
        apphost: &Path,
        probe: bool,
    ) -> Result<Resolved, OpError> {
        // A query string or fragment names no level (`page.aspx?x=1`); Windows paths hold
        // neither character.
        let text = path
            .map(str::trim)
            .unwrap_or("")
            .split(['?', '#'])
            .next()
            .unwrap_or("");
        let (fixed, site_path): (usize, Vec<String>) = if text.is_empty() {
            (3, vec![])
        } else if text.contains("://") {
            let (site, segs) = topo.site_for_url(text).ok_or_else(|| {
                OpError::NoSuchObject(format!("no site has a binding for \"{text}\""))
            })?;
            let mut v = vec![site.name.clone()];
            v.extend(segs);
            (3, v)
        } else if let Some(cp) = ConfigPath::parse(text) {
            (cp.depth().min(3), cp.site_path().to_vec())
        } else {
            (3, segs_of(text))
        };
        let mut out = self.server_levels(fixed, apphost);
        out.config_path = ConfigPath::under_apphost(&site_path);
        if fixed < 3 {
            out.config_path = out.levels.last().expect("one level").config_path.clone();
        }
        if let Some(name) = site_path.first() {
            let site = topo.site(name).ok_or_else(|| {
                OpError::NoSuchObject(format!(
                    "Cannot find SITE object with identifier \"{name}\""
                ))
            })?;
            self.site_levels(&mut out, site, &site_path[1..], topo, probe)?;
        }
        out.levels[0].file = self.machine_config(out.framework);
        if out.levels.len() > 1 {
            out.levels[1].file = self.root_web_config(out.framework);
        }
        Ok(out)
    }

    /// The first `fixed` levels (machine.config, root web.config, applicationHost.config);
    /// the framework files are filled in once the PATH's pool is known.
    fn server_levels(&self, fixed: usize, apphost: &Path) -> Resolved {
        let mut levels = vec![Level {
            kind: LevelKind::Machine,
            config_path: ConfigPath::server_level(1),
            file: PathBuf::new(),
        }];
        if fixed >= 2 {
            levels.push(Level {
                kind: LevelKind::WebRoot,
                config_path: ConfigPath::server_level(2),
                file: PathBuf::new(),
            });
        }
        if fixed >= 3 {
            levels.push(Level {
                kind: LevelKind::AppHost,
                config_path: ConfigPath::server_level(3),
                file: apphost.to_path_buf(),
            });
        }
        Resolved {
            config_path: ConfigPath::server_level(fixed),
            levels,
            framework: self.explicit_or(Framework::default()),
            pool_framework: None,
            pool: None,
            app_root: None,
            site_id: None,
        }
    }

    /// The levels of `site` down to `url`, its application root and its pool.
    fn site_levels(
        &self,
        out: &mut Resolved,
        site: &Site,
        url: &[String],
        topo: &Topology,
        probe: bool,
    ) -> Result<(), OpError> {
        let mut canonical = Vec::with_capacity(url.len() + 1);
        canonical.push(site.name.clone());
        canonical.extend(url.iter().cloned());
        out.config_path = ConfigPath::under_apphost(&canonical);
        out.site_id = Some(site.id.clone());
        for k in 0..=url.len() {
            out.levels
                .push(self.site_level(site, &canonical[..k + 1], probe)?);
        }
        if let Some(app) = self.app_pool(site, url, topo) {
            out.app_root = Some(ConfigPath::under_apphost(&canonical[..app.root + 1]));
            out.pool_framework = Some(app.framework);
            out.framework = self.explicit_or(app.framework);
            out.pool = Some(app.pool);
        }
        Ok(())
    }

    /// The level of a site at `canonical`: the site's name, then the URL's segments. Without
    /// `probe` the file is `FOLDER/web.config` as spelled and a folder is not checked to exist.
    pub fn site_level(
        &self,
        site: &Site,
        canonical: &[String],
        probe: bool,
    ) -> Result<Level, OpError> {
        let (kind, file) = self.site_level_file(site, canonical.get(1..).unwrap_or(&[]), probe)?;
        Ok(Level {
            kind,
            config_path: ConfigPath::under_apphost(canonical),
            file,
        })
    }

    /// What the level of `site` at `url` is, and its web.config (see [`Server::site_level`]).
    pub fn site_level_file(
        &self,
        site: &Site,
        sub: &[String],
        probe: bool,
    ) -> Result<(LevelKind, PathBuf), OpError> {
        let (phys, _) = site.physical(sub).ok_or_else(|| {
            OpError::NoSuchObject(format!(
                "site \"{}\" has no application or virtual directory for \"/{}\"",
                site.name,
                sub.join("/")
            ))
        })?;
        let folder = if probe {
            self.windows_path(&phys)?
        } else {
            self.windows_path_spelled(&phys)?
        };
        let kind = site.kind_of(sub);
        if probe && kind == LevelKind::Folder && !folder.is_dir() {
            // A page (`default.aspx`), there or not, in a folder that is there: appcmd's
            // config paths name files too.
            let page = sub.last().is_some_and(|s| s.contains('.'))
                && folder.parent().is_some_and(Path::is_dir);
            if folder.is_file() || page {
                return Ok((LevelKind::File, folder.join("web.config")));
            }
            return Err(OpError::NoSuchObject(format!(
                "\"{}/{}\" is no application, virtual directory or folder of site \"{}\"",
                site.name,
                sub.join("/"),
                site.name
            )));
        }
        let file = if probe {
            find_case_insensitive(&folder, Path::new("web.config"))
        } else {
            folder.join("web.config")
        };
        Ok((kind, file))
    }

    /// The application `url` of `site` belongs to, with its pool.
    pub fn app_pool(&self, site: &Site, url: &[String], topo: &Topology) -> Option<AppPool> {
        let (app, n) = site.app_for(url)?;
        Some(self.pool_of(app, n, topo))
    }

    /// The pool of `app`, whose root is `root` segments below its site.
    pub fn pool_of(&self, app: &App, root: usize, topo: &Topology) -> AppPool {
        let pool_name = app
            .pool
            .as_deref()
            .or(topo.default_pool.as_deref())
            .unwrap_or("DefaultAppPool");
        let pool = topo.pool(pool_name);
        let framework = Framework {
            clr: match pool.runtime.as_deref().map(str::trim) {
                Some(v) if v.eq_ignore_ascii_case("v2.0") => Clr::V2,
                _ => Clr::V4,
            },
            bits32: pool.enable32.unwrap_or(false),
        };
        AppPool {
            root,
            pool,
            framework,
        }
    }

    /// The runtime and bitness whose framework files a PATH reads: `--clr` and `--bitness`
    /// when given, else its pool's (`None`: outside any application).
    pub fn framework_for(&self, pool: Option<Framework>) -> Framework {
        self.explicit_or(pool.unwrap_or_default())
    }
}

/// Expand `%SystemDrive%`, `%SystemRoot%` and `%windir%` (any case) to the system drive.
fn expand_env(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let mut rest = p;
    while let Some(i) = memchr::memchr(b'%', rest.as_bytes()) {
        let Some(j) = memchr::memchr(b'%', &rest.as_bytes()[i + 1..]) else {
            break;
        };
        let name = &rest[i + 1..i + 1 + j];
        out.push_str(&rest[..i]);
        if name.eq_ignore_ascii_case("systemdrive") {
            out.push_str("C:");
        } else if name.eq_ignore_ascii_case("systemroot") || name.eq_ignore_ascii_case("windir") {
            out.push_str("C:\\Windows");
        } else {
            out.push_str(&rest[i..i + j + 2]);
        }
        rest = &rest[i + j + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site's resolver gives, URL after URL in walk order, the levels, pool, framework and
    /// locations `resolve_known` gives for each PATH on its own.
    #[test]
    fn a_site_resolver_agrees_with_resolve_known() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/server");
        let server = Server {
            root: root.clone(),
            drives: vec![('D', root.join("inetpub"))],
            clr: None,
            bits32: None,
            apphost_override: None,
            cache: PathCache::default(),
        };
        let apphost = server.apphost_path().unwrap();
        let doc = Document::parse(std::fs::read(&apphost).unwrap()).unwrap();
        let topo = Topology::read(&doc);
        let urls: [&[&str]; 7] = [
            &[],
            &["app1"],
            &["app1", "reports"],
            &["shop"],
            &["shop", "api"],
            &["app1"],
            &["legacy"],
        ];
        let mut compared = 0;
        for site in &topo.sites {
            let mut resolver = SiteResolver::new(&server, &topo, site);
            for url in urls {
                let url: Vec<String> = url.iter().map(|s| s.to_string()).collect();
                let mut path = vec![site.name.clone()];
                path.extend(url.iter().cloned());
                let whole = server.resolve_known(
                    Some(&ConfigPath::under_apphost(&path).to_string()),
                    &topo,
                    &apphost,
                );
                let placed = resolver.place(&url);
                let (Ok(whole), Ok(placed)) = (whole, placed) else {
                    assert!(
                        server
                            .resolve_known(
                                Some(&ConfigPath::under_apphost(&path).to_string()),
                                &topo,
                                &apphost
                            )
                            .is_err()
                            && resolver.place(&url).is_err(),
                        "{path:?}"
                    );
                    continue;
                };
                let site_levels: Vec<(LevelKind, PathBuf)> = whole.levels[3..]
                    .iter()
                    .map(|l| (l.kind, l.file.clone()))
                    .collect();
                assert_eq!(placed.levels, &site_levels[..], "{path:?}");
                assert_eq!(
                    placed.app.map(|a| a.pool.name.clone()),
                    whole.pool.as_ref().map(|p| p.name.clone())
                );
                assert_eq!(placed.framework, whole.framework, "{path:?}");
                assert_eq!(
                    server.machine_config(placed.framework),
                    whole.levels[0].file
                );
                assert_eq!(
                    resolver.location_in_server_files(&url),
                    whole.location_from(2),
                    "{path:?}"
                );
                for k in 0..url.len() {
                    assert_eq!(
                        SiteResolver::location_from_level(&url, k),
                        whole.location_from(3 + k),
                        "{path:?} level {k}"
                    );
                }
                compared += 1;
            }
        }
        // Three sites, seven URLs each; the v2.0 32-bit pool (/legacy) among them.
        assert_eq!(compared, 21);
    }

    #[test]
    fn environment_variables_expand_to_the_system_drive() {
        assert_eq!(expand_env("%SystemDrive%\\inetpub"), "C:\\inetpub");
        assert_eq!(expand_env("%WINDIR%\\x"), "C:\\Windows\\x");
        assert_eq!(expand_env("%other%\\x"), "%other%\\x");
    }

    #[test]
    fn clr_values_parse() {
        assert_eq!(Clr::parse("2"), Some(Clr::V2));
        assert_eq!(Clr::parse("v4.0"), Some(Clr::V4));
        assert_eq!(Clr::parse("3"), None);
    }
}
