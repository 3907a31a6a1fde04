//! What applicationHost.config declares: sites with their bindings, applications and virtual
//! directories, and application pools with their runtime, bitness and process count; and how a
//! URL falls into a site, an application and a physical folder.

use super::level::LevelKind;
use super::path::{split, ConfigPath};
use crate::doc::{Document, ElementId};

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

impl Pool {
    /// Whether the pool runs no managed code (`managedRuntimeVersion=""`, IIS Manager's "No
    /// Managed Code", as ASP.NET Core sites are set up): its worker processes load no CLR, so
    /// ASP.NET never reads `system.web` for the applications in it.
    pub fn runs_no_managed_code(&self) -> bool {
        self.runtime.as_deref() == Some("")
    }
}

/// An application: its path, pool and virtual directories.
#[derive(Clone, Debug)]
pub struct App {
    /// `/` or `/app1`.
    pub path: String,
    /// Its `applicationPool`, else its site's `<applicationDefaults applicationPool>` (as IIS
    /// resolves it: the application's own attribute first, then the site's defaults; the
    /// server-wide `<sites><applicationDefaults>` is `Topology::default_pool`).
    pub pool: Option<String>,
    /// Its virtual directories.
    pub vdirs: Vec<Vdir>,
}

/// A virtual directory of an application.
#[derive(Clone, Debug)]
pub struct Vdir {
    /// `/` or `/vdir`, below the application.
    pub path: String,
    /// Its `physicalPath`, as written.
    pub physical: String,
    /// The byte offset of its `<virtualDirectory>` element in applicationHost.config's text.
    pub offset: usize,
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
    /// Entries whose unique key an earlier entry of their collection has, in file order
    /// (among the sites read: all of them, unless one was asked for).
    pub duplicates: Vec<DuplicateKey>,
    /// Sites without a root application and applications without a root virtual directory,
    /// in file order (among the sites read).
    pub missing_roots: Vec<MissingRoot>,
    /// Site index by lower-case name.
    by_name: foldhash::HashMap<String, usize>,
    /// Pool index by lower-case name.
    pools_by_name: foldhash::HashMap<String, usize>,
}

pub(crate) fn segs_of(url: &str) -> Vec<String> {
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

/// The first section of `<system.applicationHost>` the topology is read from (`<sites>`,
/// `<applicationPools>`) that keeps its content in another file (`configSource`), with its
/// element's offset. sessctl does not follow those files: without this check the sites would
/// silently be none.
pub fn moved_out(doc: &Document) -> Option<(&'static str, usize)> {
    let root = doc.root();
    doc.children_named(root, "system.applicationHost")
        .flat_map(|host| doc.children(host))
        .find_map(|el| {
            let name = ["sites", "applicationPools"]
                .into_iter()
                .find(|n| doc.name(el) == *n)?;
            doc.attr(el, "configSource")
                .map(|_| (name, doc.element(el).start as usize))
        })
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
                            // A few names against thousands of pools: ASCII ones compared in
                            // place, with no lower-cased copy per pool.
                            let n = doc.attr_value(p, "name").unwrap_or_default();
                            let named = if n.is_ascii() {
                                names.iter().any(|w| w.eq_ignore_ascii_case(&n))
                            } else {
                                names.contains(&n.to_lowercase())
                            };
                            if !named {
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
                Site(String, Site, ElementId, Vec<DuplicateKey>, Vec<MissingRoot>),
                Pool(Option<String>, Pool, ElementId),
            }
            let read_item = |item: &Item| match *item {
                Item::Site(s) => {
                    let (site, dups) = read_site(doc, s);
                    let roots = missing_roots(doc, s, &site);
                    Read::Site(site.name.to_lowercase(), site, s, dups, roots)
                }
                Item::Pool(p, add) => {
                    let pool = read_pool(doc, p);
                    Read::Pool(add.then(|| pool.name.to_lowercase()), pool, p)
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
                        Read::Site(_, s, ..) => Some(s),
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
            // Site ids as IIS reads a `uint` (`02` is `2`; one it cannot read stays text).
            let mut by_id: foldhash::HashMap<Result<u32, String>, usize> =
                foldhash::HashMap::default();
            by_id.reserve(sites);
            for r in read {
                match r {
                    Read::Site(lower, site, el, dups, roots) => {
                        let i = t.sites.len();
                        // The key attributes are looked up again only for a repeat (rare);
                        // an entry without one repeats nothing.
                        let mut repeat = |key: &str, first: usize| {
                            if let Some(a) = doc.attr(el, key) {
                                let first = t.sites[first].offset;
                                t.duplicates.push(DuplicateKey::new(doc, "site", &a, first));
                            }
                        };
                        match t.by_name.entry(lower) {
                            std::collections::hash_map::Entry::Occupied(first) => {
                                repeat("name", *first.get())
                            }
                            std::collections::hash_map::Entry::Vacant(v) => {
                                v.insert(i);
                            }
                        }
                        let id = site.id.trim().parse::<u32>().map_err(|_| site.id.clone());
                        match by_id.entry(id) {
                            std::collections::hash_map::Entry::Occupied(first) => {
                                repeat("id", *first.get())
                            }
                            std::collections::hash_map::Entry::Vacant(v) => {
                                v.insert(i);
                            }
                        }
                        t.duplicates.extend(dups);
                        t.missing_roots.extend(roots);
                        t.sites.push(site);
                    }
                    Read::Pool(Some(lower), pool, el) => {
                        match t.pools_by_name.entry(lower) {
                            std::collections::hash_map::Entry::Occupied(first) => {
                                if let Some(a) = doc.attr(el, "name") {
                                    let first = t.pools[*first.get()].offset;
                                    t.duplicates.push(DuplicateKey::new(doc, "add", &a, first));
                                }
                            }
                            std::collections::hash_map::Entry::Vacant(v) => {
                                v.insert(t.pools.len());
                            }
                        }
                        t.pools.push(pool);
                    }
                    Read::Pool(None, pool, _) => t.pool_defaults = pool,
                }
            }
        }
        t.duplicates.sort_by_key(|d| d.at.start);
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

/// A site, and the entries of its collections (applications, each one's virtual directories)
/// whose key repeats.
fn read_site(doc: &Document, s: ElementId) -> (Site, Vec<DuplicateKey>) {
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
    // The site's own `<applicationDefaults>` (IIS writes it after the applications).
    let mut site_pool = None;
    for c in doc.children(s) {
        match doc.name(c) {
            "applicationDefaults" if site_pool.is_none() => {
                site_pool = doc.attr_value(c, "applicationPool").map(|v| v.into_owned());
            }
            "application" => {
                let [path, pool] = attrs(c, ["path", "applicationPool"]);
                site.apps.push(App {
                    path: path.unwrap_or_else(|| "/".into()),
                    pool,
                    vdirs: doc
                        .children_named(c, "virtualDirectory")
                        .map(|v| {
                            let [path, phys] = attrs(v, ["path", "physicalPath"]);
                            Vdir {
                                path: path.unwrap_or_else(|| "/".into()),
                                physical: phys.unwrap_or_default(),
                                offset: doc.element(v).start as usize,
                            }
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
    if let Some(pool) = site_pool {
        for app in site.apps.iter_mut().filter(|a| a.pool.is_none()) {
            app.pool = Some(pool.clone());
        }
    }
    let dups = site_repeats(doc, s, &site);
    (site, dups)
}

/// Whether two of `paths` (a site's applications, an application's virtual directories; a
/// handful) are the same, compared without regard to case: nothing is allocated to find out.
fn any_repeat<'a>(paths: impl Iterator<Item = &'a str> + Clone) -> bool {
    paths
        .clone()
        .enumerate()
        .any(|(i, p)| paths.clone().take(i).any(|q| crate::schema::same_key(p, q)))
}

/// The applications of the site element `s` (read into `site`) whose path an earlier one of
/// the site has, and the virtual directories whose path an earlier one of their application
/// has. The elements are looked at again only when paths repeat (rare); an entry that does
/// not write its path (taken for `/`) repeats nothing.
fn site_repeats(doc: &Document, s: ElementId, site: &Site) -> Vec<DuplicateKey> {
    let mut dups = Vec::new();
    let vdirs_repeat = |a: &App| any_repeat(a.vdirs.iter().map(|v| v.path.as_str()));
    if !any_repeat(site.apps.iter().map(|a| a.path.as_str())) && !site.apps.iter().any(vdirs_repeat)
    {
        return dups;
    }
    // The entries that write their path, each with its `path` attribute, in file order.
    let written = |els: Vec<ElementId>| -> Vec<(ElementId, crate::doc::Attr)> {
        els.into_iter()
            .filter_map(|e| Some((e, doc.attr(e, "path")?)))
            .collect()
    };
    let mut later_of =
        |entries: Vec<(ElementId, crate::doc::Attr)>, entry: &'static str, app: Option<&str>| {
            for (i, (_, a)) in entries.iter().enumerate() {
                let path = doc.value(a);
                if let Some((first, _)) = entries[..i]
                    .iter()
                    .find(|(_, b)| crate::schema::same_key(&doc.value(b), &path))
                {
                    let first = doc.element(*first).start as usize;
                    let mut d = DuplicateKey::new(doc, entry, a, first);
                    d.site = Some(site.name.clone());
                    d.app = app.map(str::to_string);
                    dups.push(d);
                }
            }
        };
    let app_els: Vec<ElementId> = doc.children_named(s, "application").collect();
    for (&el, app) in app_els.iter().zip(&site.apps) {
        if vdirs_repeat(app) {
            let vdirs = written(doc.children_named(el, "virtualDirectory").collect());
            later_of(vdirs, "virtualDirectory", Some(&app.path));
        }
    }
    later_of(written(app_els), "application", None);
    dups.sort_by_key(|d| d.at.start);
    dups
}

/// What reading applicationHost.config's sites found wrong: SS016's repeated keys and SS018's
/// missing roots.
#[derive(Clone, Debug, Default)]
pub struct TopologyFindings {
    /// See [`Topology::duplicates`].
    pub duplicates: Vec<DuplicateKey>,
    /// See [`Topology::missing_roots`].
    pub missing_roots: Vec<MissingRoot>,
}

impl Topology {
    /// A copy of what reading the sites found wrong.
    pub fn findings(&self) -> TopologyFindings {
        TopologyFindings {
            duplicates: self.duplicates.clone(),
            missing_roots: self.missing_roots.clone(),
        }
    }
}

/// Whether an application or virtual directory path is its parent's root (`/`).
fn is_root_path(path: &str) -> bool {
    path.split(['/', '\\']).all(|p| p.trim().is_empty())
}

/// The site element `s` (read into `site`) when it has no root application, and its
/// applications that have no root virtual directory. Looked at again only when one is missing.
fn missing_roots(doc: &Document, s: ElementId, site: &Site) -> Vec<MissingRoot> {
    let site_root = site.apps.iter().any(|a| is_root_path(&a.path));
    let app_root = |app: &App| app.vdirs.iter().any(|v| is_root_path(&v.path));
    if site_root && site.apps.iter().all(app_root) {
        return Vec::new();
    }
    let span = |el: ElementId, key: &str| match doc.attr(el, key) {
        Some(a) => a.range(),
        None => {
            let e = doc.element(el);
            e.start as usize + 1..e.name_end as usize
        }
    };
    let mut out = Vec::new();
    if !site_root {
        out.push(MissingRoot {
            site: site.name.clone(),
            app: None,
            at: span(s, "name"),
        });
    }
    for (el, app) in doc.children_named(s, "application").zip(&site.apps) {
        if !app_root(app) {
            out.push(MissingRoot {
                site: site.name.clone(),
                app: Some(app.path.clone()),
                at: span(el, "path"),
            });
        }
    }
    out
}

/// A site without an application at `/`, or an application without a virtual directory at
/// `/`. IIS requires both ("each site must have an application called the root application";
/// every application has a root virtual directory); sessctl cannot map such a site or
/// application to folders, so none of its web.config files is linted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingRoot {
    /// The site's name.
    pub site: String,
    /// The application's path, for an application without a root virtual directory.
    pub app: Option<String>,
    /// The site's `name` (or the application's `path`) in the file's text, or its element's
    /// name when it has none.
    pub at: std::ops::Range<usize>,
}

/// An entry of one of applicationHost.config's keyed collections whose unique key an earlier
/// entry of the same collection already has. IIS's schema (`IIS_schema.xml`) makes these keys
/// `isUniqueKey` (compared without regard to case, its default) in collections that allow no
/// duplicates: a site's `name` and its `id` in `<sites>`, an application's `path` in its site,
/// a virtual directory's `path` in its application, a pool's `name` in `<applicationPools>`.
/// IIS's configuration system then refuses the whole file ("Cannot add duplicate collection
/// entry", 0x800700b7); sessctl reads the first of such entries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The entry's element name (`site`, `application`, `virtualDirectory`, `add`).
    pub entry: &'static str,
    /// The key attribute (`name`, `id`, `path`).
    pub key: &'static str,
    /// The key as the later entry writes it.
    pub value: String,
    /// The later entry's key attribute in the file's text.
    pub at: std::ops::Range<usize>,
    /// Where the earlier entry's element starts in the file's text.
    pub first: usize,
    /// The site of an application or virtual directory.
    pub site: Option<String>,
    /// The application path of a virtual directory.
    pub app: Option<String>,
}

impl DuplicateKey {
    /// The later entry's key attribute `a`, the earlier entry's element at `first`.
    fn new(doc: &Document, entry: &'static str, a: &crate::doc::Attr, first: usize) -> Self {
        let key = match doc.attr_name(a) {
            "id" => "id",
            "path" => "path",
            _ => "name",
        };
        DuplicateKey {
            entry,
            key,
            value: doc.value(a).into_owned(),
            at: a.range(),
            first,
            site: None,
            app: None,
        }
    }
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
            .filter_map(|v| prefix_len(&v.path, rest).map(|m| (&v.physical, m)))
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
            .any(|v| prefix_len(&v.path, rest) == Some(rest.len()))
        {
            LevelKind::VirtualDirectory
        } else {
            LevelKind::Folder
        }
    }
}
