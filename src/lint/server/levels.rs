//! Placing a walked file among its levels: the levels of its site (resolved by the hierarchy,
//! each URL prefix once) with their files' parses, the framework files and the application
//! roots, what the lint of one file reads from above it.

use std::sync::Arc;

use super::{site_roots, AppRoots, Local, Shared};
use crate::hierarchy::path::ConfigPath;
use crate::hierarchy::resolve::SiteResolver;
use crate::hierarchy::server::{Framework, LevelKind};
use crate::hierarchy::source::Source;
use crate::hierarchy::topology::Site;

/// Where a file stands: its level, config path and pool, and each level above it that has a
/// file, with its parse and the file's path as seen from there.
pub(super) struct Place {
    pub(super) kind: LevelKind,
    pub(super) app_roots: AppRoots,
    pub(super) config_path: ConfigPath,
    pub(super) pool: Option<crate::hierarchy::topology::Pool>,
    pub(super) above: Vec<(LevelKind, Arc<Source>, std::rc::Rc<str>, usize)>,
    /// The depth of the file's application root, when it is in an application.
    pub(super) app_depth: Option<usize>,
}

/// One site's levels (resolved by the hierarchy, each URL prefix once) with their files'
/// parses, the framework files of the last runtime asked for, and the site's application roots.
pub(super) struct SiteLevels<'a> {
    resolver: SiteResolver<'a>,
    sources: Vec<Option<Arc<Source>>>,
    framework: Option<(Framework, [Option<Arc<Source>>; 2])>,
    roots: Option<AppRoots>,
}

impl<'a> SiteLevels<'a> {
    pub(super) fn new(shared: &Shared<'a>, site: &'a Site) -> Self {
        SiteLevels {
            resolver: SiteResolver::new(shared.server, shared.topo, site),
            sources: Vec::new(),
            framework: None,
            roots: None,
        }
    }

    /// Place the file of `cp` (`url` below the site) the way `Server::resolve_known` would.
    pub(super) fn place(
        &mut self,
        shared: &Shared<'_>,
        local: &Local,
        site: &Site,
        cp: &ConfigPath,
        url: &[String],
    ) -> Option<Place> {
        let site_target: std::rc::Rc<str> = self.resolver.location_in_server_files(url).into();
        let placed = self.resolver.place(url).ok()?;
        self.sources.truncate(placed.kept);
        for (_, file) in &placed.levels[self.sources.len()..] {
            self.sources.push(shared.source(Some(local), file));
        }
        let fw = placed.framework;
        if self.framework.as_ref().is_none_or(|(f, _)| *f != fw) {
            let files = [
                shared.server.machine_config(fw),
                shared.server.root_web_config(fw),
            ];
            self.framework = Some((fw, files.map(|f| shared.source(None, &f))));
        }
        let kind = placed.levels[url.len()].0;
        let pool = placed.app.map(|a| a.pool.clone());
        let app_depth = placed.app.as_ref().map(|a| a.root + 4);
        let mut above: Vec<(LevelKind, Arc<Source>, std::rc::Rc<str>, usize)> =
            Vec::with_capacity(url.len() + 4);
        if let Some((_, files)) = &self.framework {
            for ((kind, depth), src) in [(LevelKind::Machine, 1), (LevelKind::WebRoot, 2)]
                .into_iter()
                .zip(files)
            {
                if let Some(src) = src {
                    above.push((kind, src.clone(), site_target.clone(), depth));
                }
            }
        }
        above.push((LevelKind::AppHost, shared.apphost.clone(), site_target, 3));
        for (k, (src, (level, _))) in self
            .sources
            .iter()
            .zip(placed.levels)
            .take(url.len())
            .enumerate()
        {
            if let Some(src) = src {
                above.push((
                    *level,
                    src.clone(),
                    SiteResolver::location_from_level(url, k).into(),
                    k + 4,
                ));
            }
        }
        let roots = self
            .roots
            .get_or_insert_with(|| Arc::new([site_roots(site)].into_iter().collect()))
            .clone();
        Some(Place {
            kind,
            app_roots: roots,
            config_path: cp.clone(),
            pool,
            above,
            app_depth,
        })
    }
}
