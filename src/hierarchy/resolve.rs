//! A PATH resolved on a server: its chain of levels (each with its config path and file), the
//! application it belongs to and its pool, and the level a `/commit` value names. One site's
//! URLs resolve incrementally with [`SiteResolver`] when a walk places thousands of them.

use std::path::{Path, PathBuf};

use super::error::{Error, Missing, Usage};
use super::level::{Level, LevelKind};
use super::path::{Commit, ConfigPath};
use super::server::{Clr, Framework, Server};
use super::source::config_source::find_case_insensitive;
use super::topology::{segs_of, App, Pool, Site, Topology};

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
    pub fn place(&mut self, url: &[String]) -> Result<SitePlace<'_>, Error> {
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
    pub fn commit(&self, commit: Option<&Commit>) -> Result<(usize, String), Error> {
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
                    Error::Usage(Usage::CommitOutside("site", self.config_path.clone()))
                })?,
            Commit::App => {
                let root = self.app_root.as_ref().ok_or_else(|| {
                    Error::Usage(Usage::CommitOutside("app", self.config_path.clone()))
                })?;
                self.levels
                    .iter()
                    .position(|l| l.config_path == *root)
                    .unwrap_or(own)
            }
            Commit::Parent => own
                .checked_sub(1)
                .ok_or(Error::Usage(Usage::MachineHasNoParent))?,
            Commit::Path(cp) => self
                .levels
                .iter()
                .position(|l| l.config_path == *cp)
                .ok_or_else(|| {
                    Error::Usage(Usage::CommitNotALevel(
                        cp.clone(),
                        self.config_path.clone(),
                        self.levels.iter().map(|l| l.config_path.clone()).collect(),
                    ))
                })?,
        };
        Ok((idx, self.location_from(idx)))
    }
}

impl Server {
    /// Resolve a PATH (none: the server level) against the topology.
    pub fn resolve(
        &self,
        path: Option<&str>,
        topo: &Topology,
        apphost: &Path,
    ) -> Result<Resolved, Error> {
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
    ) -> Result<Resolved, Error> {
        self.resolve_probing(path, topo, apphost, false)
    }

    fn resolve_probing(
        &self,
        path: Option<&str>,
        topo: &Topology,
        apphost: &Path,
        probe: bool,
    ) -> Result<Resolved, Error> {
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
            let (site, segs) = topo
                .site_for_url(text)
                .ok_or_else(|| Error::NoSuchObject(Missing::Binding(text.to_string())))?;
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
            let site = topo
                .site(name)
                .ok_or_else(|| Error::NoSuchObject(Missing::Site(name.clone())))?;
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
    ) -> Result<(), Error> {
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
    ) -> Result<Level, Error> {
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
    ) -> Result<(LevelKind, PathBuf), Error> {
        let (phys, _) = site.physical(sub).ok_or_else(|| {
            Error::NoSuchObject(Missing::Application(site.name.clone(), sub.join("/")))
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
            return Err(Error::NoSuchObject(Missing::Folder(
                site.name.clone(),
                sub.join("/"),
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
}
