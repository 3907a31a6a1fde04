//! `lint --root DIR`: every configuration file of a server, each linted with what the files
//! above it contribute (values, providers, connection strings, machine keys, locks) and with
//! its place in the hierarchy (application roots for SS010, the pool for SS106).
//!
//! Each site is one job: its folders are walked, its web.config files parsed and linted with
//! what they inherit, and their parses dropped before the next site, so a server of 10,000
//! sites is read once, on every core, in the memory of a few sites. applicationHost.config and
//! the framework files are parsed once for all, and their sections discovered once. The same
//! lint runs with new texts of some files, or of one site (`overlay`), for what a write would
//! break below it.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::context::{FileContext, FileKind, ServerScope};
use super::rules::ss201_setting_ignored_by_mode::attribute_of;
use super::{lint_context, Finding, LintOptions};
use crate::hierarchy::chain::{connection_strings_in_scope, inherited_from};
use crate::hierarchy::effective::Layer;
use crate::hierarchy::error::Error;
use crate::hierarchy::path::ConfigPath;
use crate::hierarchy::server::{Framework, LevelKind, Server};
use crate::hierarchy::source::{path_key as key, Source};
use crate::hierarchy::topology::{Site, Topology};
use crate::hierarchy::walk::walk_site;
use crate::schema::SECTIONS;

mod levels;
use levels::{Place, SiteLevels};
mod located;
use located::{located_connection_strings, located_merges};
mod overlay;
pub(crate) use overlay::{definitions_a_lock_binds, errors_a_write_adds, Within};

/// Whether a file sets explicit `<machineKey>` keys that apply to `target` (relative to the
/// file's level).
fn machine_key_in(src: &Source, target: &str) -> bool {
    src.machine_key_for(&crate::hierarchy::path::LocationPath::new(target))
        .is_some_and(|k| k.is_explicit())
}

/// What every site's job shares: the server, its topology, the files above the sites.
struct Shared<'a> {
    server: &'a Server,
    topo: &'a Topology,
    apphost_path: &'a Path,
    apphost: Arc<Source>,
    opts: &'a LintOptions,
    /// Every site's application roots, for the files above the sites (built when first asked).
    app_roots: std::sync::OnceLock<AppRoots>,
    /// applicationHost.config and the framework files of the runtime linted, by key (`None`:
    /// missing or malformed).
    server_files: HashMap<String, Option<Arc<Source>>>,
    /// Files a level names outside its own site's walk (another runtime's framework files,
    /// another site's folder), read once when first named.
    others: Mutex<HashMap<String, Option<Arc<Source>>>>,
    /// Settings that a level's session state reads from a level above (file, line,
    /// attribute): not dormant there, whatever the mode in effect there (SS201).
    read_from_above: Mutex<Vec<(PathBuf, usize, &'static str)>>,
    /// What part of the server is linted, and the files read from new texts.
    within: &'a Within,
}

/// One site's parsed web.config files and the folders its walk read. A level's file is
/// usually spelled as the walk spelled it; the keys in lower case are built only for one
/// that is not.
struct Local {
    /// The parses in walk order, and their places by path.
    sources: Vec<(PathBuf, Arc<Source>)>,
    parsed: HashMap<PathBuf, usize>,
    parsed_by_key: std::sync::OnceLock<HashMap<String, usize>>,
    folders: Vec<PathBuf>,
    folder_keys: std::sync::OnceLock<HashSet<String>>,
}

impl Local {
    /// The parse of a walked file, however its path is spelled.
    fn parsed(&self, file: &Path, k: &str) -> Option<Arc<Source>> {
        let i = match self.parsed.get(file) {
            Some(&i) => i,
            // Walk order: of two spellings of one key, the later one.
            None => *self
                .parsed_by_key
                .get_or_init(|| {
                    self.sources
                        .iter()
                        .enumerate()
                        .map(|(i, (p, _))| (key(p), i))
                        .collect()
                })
                .get(k)?,
        };
        Some(self.sources[i].1.clone())
    }

    /// Whether the walk read `dir` (any spelling).
    fn walked(&self, dir: &Path) -> bool {
        self.folder_keys
            .get_or_init(|| self.folders.iter().map(|d| key(d)).collect())
            .contains(&key(dir))
    }
}

impl Shared<'_> {
    /// The parse of a level's file, when it exists and parses.
    fn source(&self, local: Option<&Local>, file: &Path) -> Option<Arc<Source>> {
        if let Some(src) = self.within.file(file) {
            return Some(src);
        }
        if let Some(&i) = local.and_then(|l| l.parsed.get(file)) {
            return local.map(|l| l.sources[i].1.clone());
        }
        let k = key(file);
        if let Some(l) = local {
            if let Some(s) = l.parsed(file, &k) {
                return Some(s);
            }
        }
        if let Some(s) = self.server_files.get(&k) {
            return s.clone();
        }
        if let Some(l) = local {
            // A folder the walk read has no web.config unless the walk found one.
            if file.parent().is_some_and(|d| l.walked(d)) {
                return None;
            }
        }
        if let Some(s) = self.others.lock().ok()?.get(&k) {
            return s.clone();
        }
        let loaded = self.within.load(file).ok();
        let mut others = self.others.lock().ok()?;
        others.entry(k).or_insert(loaded).clone()
    }
}

/// What a server's lint parsed and built on the way (applicationHost.config, its topology,
/// every site's application roots: tens of thousands of allocations), handed to the caller to
/// free when it suits it (`par::drop_later`, or `par::drop_at_end` when nothing follows).
pub(crate) struct Parsed(#[allow(dead_code)] Box<dyn Send>);

/// Lint every file of the server. Returns the files linted, the findings, and what was parsed
/// to find them.
pub(crate) fn lint_root(
    server: &Server,
    opts: &LintOptions,
) -> Result<(Vec<PathBuf>, Vec<Finding>, Parsed), Error> {
    lint_root_within(server, opts, &Within::default())
}

/// [`lint_root`] of the part of the server `within` says, with its files' new texts.
pub(crate) fn lint_root_within(
    server: &Server,
    opts: &LintOptions,
    within: &Within,
) -> Result<(Vec<PathBuf>, Vec<Finding>, Parsed), Error> {
    let apphost_path = server.apphost_path()?;
    let apphost = within.load(&apphost_path)?;
    crate::hierarchy::chain::check_topology(&apphost)?;
    let fw = Framework {
        clr: server.clr.unwrap_or(crate::hierarchy::server::Clr::V4),
        bits32: server.bits32.unwrap_or(false),
    };
    let framework_files = [server.machine_config(fw), server.root_web_config(fw)];
    // applicationHost.config's sites and pools are read (on every core) while its sections are
    // discovered and the framework files parse.
    let (topo, framework) = std::thread::scope(|scope| {
        let topo = scope.spawn(|| Topology::read(&apphost.doc));
        let index = scope.spawn(|| apphost.index_sections());
        let framework: Vec<Option<Arc<Source>>> = framework_files
            .iter()
            .map(|f| {
                let s = within.load(f).ok();
                if let Some(s) = &s {
                    s.index_sections();
                }
                s
            })
            .collect();
        if let Err(panic) = index.join() {
            std::panic::resume_unwind(panic);
        }
        match topo.join() {
            Ok(topo) => (topo, framework),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    let mut server_files: HashMap<String, Option<Arc<Source>>> = framework_files
        .iter()
        .zip(framework)
        .map(|(f, s)| (key(f), s))
        .collect();
    server_files.insert(key(&apphost_path), Some(apphost.clone()));
    let mut shared = Shared {
        server,
        topo: &topo,
        apphost_path: &apphost_path,
        apphost: apphost.clone(),
        opts,
        app_roots: std::sync::OnceLock::new(),
        server_files,
        others: Mutex::new(HashMap::new()),
        read_from_above: Mutex::new(Vec::new()),
        within,
    };
    // machine.config, the root web.config and applicationHost.config first, then each site's
    // files; a job per file above the sites, one per site below.
    let mut jobs: Vec<Job> = Vec::with_capacity(topo.sites.len() + 3);
    for (depth, file) in framework_files.iter().enumerate() {
        if file.is_file() {
            jobs.push(Job::Server(
                ConfigPath::server_level(depth + 1),
                file.clone(),
            ));
        }
    }
    jobs.push(Job::Server(
        ConfigPath::server_level(3),
        apphost_path.clone(),
    ));
    jobs.extend(
        topo.sites
            .iter()
            .filter(|s| within.walks(&s.name))
            .map(Job::Site),
    );
    let results = crate::par::map(&jobs, 64, |job| match job {
        Job::Server(cp, file) => Ok((
            vec![(None, file.clone(), lint_one(&shared, cp, file))],
            Vec::new(),
        )),
        Job::Site(site) => lint_site(&shared, site),
    });
    // The first site (in order) with a file that cannot be read fails the lint.
    let (results, unreached): (Vec<_>, Vec<_>) = results
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .unzip();
    // A folder reached from two sites (or two virtual directories) keeps the first config
    // path it was reached by, as one walk in that order would.
    let (linted, mut findings) = first_of_each(results);
    findings.extend(unreached.into_iter().flatten());
    let read = std::mem::take(
        &mut *shared
            .read_from_above
            .lock()
            .unwrap_or_else(|e| e.into_inner()),
    );
    drop_settings_read_below(&mut findings, read);
    // The application roots are tens of thousands of small strings: handed over with the parses.
    let app_roots = shared.app_roots.take();
    drop(shared);
    Ok((
        linted,
        findings,
        Parsed(Box::new((topo, apphost, app_roots))),
    ))
}

/// SS201 says a setting is never read with the mode in effect where it is written; a level
/// below that sets a mode reading it makes it live (the root web.config's
/// `stateConnectionString` under InProc, read by the site whose web.config says StateServer):
/// such findings are dropped.
fn drop_settings_read_below(
    findings: &mut Vec<Finding>,
    read: Vec<(PathBuf, usize, &'static str)>,
) {
    if read.is_empty() {
        return;
    }
    let read: HashSet<(String, usize, &str)> = read
        .into_iter()
        .map(|(file, line, attr)| (key(&file), line, attr))
        .collect();
    findings.retain(|f| {
        f.code != "SS201"
            || !attribute_of(&f.message).is_some_and(|a| read.contains(&(key(&f.file), f.line, a)))
    });
}

/// A file linted: the hash of its key (`None` for a file above the sites), its path, its
/// findings.
type Linted = (Option<u64>, PathBuf, Vec<Finding>);

/// Each file once, at its first place in `results` (jobs in order, each a site's files in walk
/// order), with its findings. Each site's job hashed its files' keys; the keys themselves are
/// built and compared only when two hashes are equal.
fn first_of_each(results: Vec<Vec<Linted>>) -> (Vec<PathBuf>, Vec<Finding>) {
    let files: usize = results.iter().map(Vec::len).sum();
    let found: usize = results.iter().flatten().map(|(_, _, f)| f.len()).sum();
    // The index in `linted` of the first file of each hash, and the keys of files whose hash
    // a different key had first.
    let mut first: HashMap<u64, usize> = HashMap::with_capacity(files);
    let mut collided: HashSet<String> = HashSet::new();
    let mut findings = Vec::with_capacity(found);
    let mut linted: Vec<PathBuf> = Vec::with_capacity(files);
    for (hash, file, found) in results.into_iter().flatten() {
        if let Some(hash) = hash {
            match first.entry(hash) {
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(linted.len());
                }
                std::collections::hash_map::Entry::Occupied(e) => {
                    let k = key(&file);
                    if key(&linted[*e.get()]) == k || !collided.insert(k) {
                        continue;
                    }
                }
            }
        }
        linted.push(file);
        findings.extend(found);
    }
    (linted, findings)
}

/// A unit of the server's lint.
enum Job<'t> {
    /// A file above the sites, with its config path.
    Server(ConfigPath, PathBuf),
    /// A site: walked, parsed and linted together.
    Site(&'t Site),
}

/// Application roots (config paths) by lower-case site name, so that SS010 looks at one
/// site's only.
type AppRoots = Arc<HashMap<String, Vec<ConfigPath>>>;

/// A site's lower-case name and the config paths of its applications' roots.
fn site_roots(s: &Site) -> (String, Vec<ConfigPath>) {
    let roots = s
        .apps
        .iter()
        .map(|a| {
            let mut segs = vec![s.name.clone()];
            segs.extend(
                crate::hierarchy::path::split(&a.path)
                    .into_iter()
                    .map(str::to_string),
            );
            ConfigPath::under_apphost(&segs)
        })
        .collect();
    (s.name.to_lowercase(), roots)
}

impl Shared<'_> {
    /// Every site's application roots: what a file above the sites can name.
    fn all_app_roots(&self) -> AppRoots {
        self.app_roots
            .get_or_init(|| {
                Arc::new(
                    crate::par::map(&self.topo.sites, 512, site_roots)
                        .into_iter()
                        .collect(),
                )
            })
            .clone()
    }
}

/// Walk one site, parse its files and lint each with what it inherits: (hash of the key, file,
/// findings) in walk order. A web.config that cannot be read is an error.
/// Lint a site's files; also the findings about what of the site could not be reached.
fn lint_site(shared: &Shared<'_>, site: &Site) -> Result<(Vec<Linted>, Vec<Finding>), Error> {
    let walk = walk_site(shared.server, site, true);
    // A folder that is there but cannot be listed hides what is below it: the lint cannot be
    // complete, as with a file that cannot be read.
    if let Some((dir, e)) = walk.errors.into_iter().next() {
        return Err(Error::io(&dir, e));
    }
    // A folder on a drive with no mapping: what is below it was not linted, which the
    // report says (SS107) rather than passing over it.
    let not_linted: Vec<Finding> = walk
        .unmapped
        .iter()
        .filter(|_| shared.opts.enabled.contains(&"SS107"))
        .map(|(phys, why, offset)| {
            super::finding_on_line(
                "SS107",
                shared.apphost_path,
                shared.apphost.doc.line_col(*offset).0,
                format!("site \"{}\": {phys} was not linted: {why}", site.name),
            )
        })
        .collect();
    let mut local = Local {
        sources: Vec::with_capacity(walk.files.len()),
        parsed: HashMap::with_capacity(walk.files.len()),
        parsed_by_key: std::sync::OnceLock::new(),
        folders: walk.folders,
        folder_keys: std::sync::OnceLock::new(),
    };
    let mut keys = Vec::with_capacity(walk.files.len());
    let mut files = Vec::with_capacity(walk.files.len());
    let mut sources = Vec::with_capacity(walk.files.len());
    for f in walk.files {
        // The walk read it as it found it (read now if it had not).
        let read = f
            .raw
            .unwrap_or_else(|| std::fs::read(&f.path).map(Into::into));
        let raw = match read {
            Ok(raw) => raw,
            Err(e) => match Error::io(&f.path, e) {
                // Gone between its folder's listing and its read: not there after all.
                Error::NotFound(_) => continue,
                // A web.config that cannot be read (IIS cannot either), a link that leads
                // nowhere included: the lint cannot be complete, which is an error, never a
                // silent skip.
                e => return Err(e),
            },
        };
        keys.push(Some(key_hash(&f.path)));
        let src = match shared.within.file(&f.path) {
            Some(src) => Some(src),
            None => Source::parse_raw(&f.path, raw)
                .ok()
                .map(|s| shared.within.adopt(s)),
        };
        if let Some(src) = &src {
            local.parsed.insert(f.path.clone(), local.sources.len());
            local.sources.push((f.path.clone(), src.clone()));
        }
        sources.push(src);
        files.push((f.config_path, f.path));
    }
    let mut levels = SiteLevels::new(shared, site);
    let linted = files
        .into_iter()
        .zip(keys)
        .zip(sources)
        .map(|(((cp, f), k), src)| {
            let url = cp.site_path().get(1..).unwrap_or(&[]);
            let place = levels.place(shared, &local, site, &cp, url);
            let mut found = lint_file(shared, src, &f, place);
            if found.is_empty() {
                // Freed here, on the thread that made it, not by the thread that gathers.
                found = Vec::new();
            }
            (k, f, found)
        })
        .collect();
    Ok((linted, not_linted))
}

/// The hash of `key(p)`, with no string built for an ASCII path of up to 512 bytes (every
/// walked file's is hashed, and keys are compared only when two hashes are equal).
fn key_hash(p: &Path) -> u64 {
    use std::hash::BuildHasher;
    let hasher = foldhash::fast::FixedState::with_seed(0);
    let bytes = p.as_os_str().as_encoded_bytes();
    let mut buf = [0u8; 512];
    // Windows: the key's separators are made one, which this copy does not do.
    if !cfg!(windows) && bytes.len() <= buf.len() && bytes.is_ascii() {
        let lower = &mut buf[..bytes.len()];
        lower.copy_from_slice(bytes);
        lower.make_ascii_lowercase();
        // ASCII bytes: the same string `key` builds.
        let text = std::str::from_utf8(lower).unwrap_or_default();
        hasher.hash_one(text)
    } else {
        hasher.hash_one(key(p).as_str())
    }
}

/// Lint one file above the sites (machine.config, the root web.config, applicationHost.config).
fn lint_one(shared: &Shared<'_>, cp: &ConfigPath, file: &Path) -> Vec<Finding> {
    let place = shared
        .server
        .resolve_known(Some(&cp.to_string()), shared.topo, shared.apphost_path)
        .ok()
        .map(|resolved| {
            let own = resolved.levels.len() - 1;
            let above = resolved
                .levels
                .iter()
                .enumerate()
                .take(own)
                .filter_map(|(i, level)| {
                    shared
                        .source(None, &level.file)
                        .map(|p| (level.kind, p, resolved.location_from(i).into(), i + 1))
                })
                .collect();
            Place {
                kind: resolved.levels[own].kind,
                app_roots: shared.all_app_roots(),
                app_depth: resolved.app_root.as_ref().map(ConfigPath::depth),
                config_path: resolved.config_path,
                pool: resolved.pool,
                above,
            }
        });
    lint_file(shared, shared.source(None, file), file, place)
}

/// Lint a file (from its parse when it parsed) with its place on the server, when it has one.
fn lint_file(
    shared: &Shared<'_>,
    src: Option<Arc<Source>>,
    file: &Path,
    place: Option<Place>,
) -> Vec<Finding> {
    let opts = shared.opts;
    // The file is linted from the parse its children inherit from (no second read, scan or
    // copy of 20,000 files).
    let mut ctx = match src {
        Some(src) => FileContext::from_shared(src, opts),
        None => FileContext::load(file, opts),
    };
    let Some(place) = place else {
        return lint_context(&ctx, opts);
    };
    let kind = place.kind;
    ctx.kind = match kind {
        LevelKind::AppHost => FileKind::AppHost,
        LevelKind::Machine => FileKind::Machine,
        _ => FileKind::Web,
    };
    let mut scope = ServerScope {
        level: Some(kind),
        config_path: Some(place.config_path),
        app_roots: place.app_roots,
        ..ServerScope::default()
    };
    if kind == LevelKind::AppHost {
        // The topology read the file's sites and pools already (SS016).
        scope.topology_findings = Some(Arc::new(shared.topo.findings()));
    }
    if matches!(kind, LevelKind::Site | LevelKind::Application) {
        scope.max_processes = place.pool.as_ref().and_then(|p| p.max_processes);
        scope.pool = place.pool.as_ref().map(|p| p.name.clone());
        scope.no_managed_code = place
            .pool
            .as_ref()
            .is_some_and(|p| p.runs_no_managed_code());
    }
    let above = &place.above;
    for def in SECTIONS {
        // Only the sections the file has are judged with what they inherit, and the session
        // state a file's own <connectionStrings> may take an entry out of.
        let own_entries = || {
            std::ptr::eq(def, &crate::schema::SESSION_STATE)
                && ctx
                    .sources
                    .first()
                    .is_some_and(|s| !s.connection_strings().is_empty())
        };
        if !ctx.sites.iter().any(|s| s.def.name == def.name) && !own_entries() {
            continue;
        }
        let mut layers = Vec::new();
        for (kind, p, target, depth) in above {
            layers.push(Layer {
                src: p,
                target: std::borrow::Cow::Borrowed(&**target),
                ignored_by_aspnet: *kind == LevelKind::AppHost,
                exclude_target: false,
                known: Some(p.section(def)),
                depths: crate::hierarchy::effective::Depths::of_level(*depth, place.app_depth),
            });
        }
        // ASP.NET never reads system.web from applicationHost.config: its values do not
        // reach the application, but its locks bind IIS's tools (and `set`).
        let locks = crate::hierarchy::effective::locks(def, &layers).unwrap_or_default();
        layers.retain(|l| !l.ignored_by_aspnet);
        if let Ok(mut inherited) = inherited_from(def, &layers) {
            inherited.locks = locks;
            scope.inherited.push((def.name, inherited));
        }
    }
    if ctx
        .sources
        .first()
        .is_some_and(|s| !s.connection_strings().is_empty())
    {
        // ASP.NET reads <connectionStrings> from every file above but applicationHost.config.
        scope.connection_strings_above = connection_strings_in_scope(
            above
                .iter()
                .filter(|(k, ..)| *k != LevelKind::AppHost)
                .map(|(_, p, target, depth)| {
                    (
                        &**p,
                        &**target,
                        crate::hierarchy::effective::Depths::of_level(*depth, place.app_depth),
                    )
                }),
        );
    }
    (scope.located, scope.located_effective) = located_merges(shared, &ctx, &scope, file);
    located_connection_strings(shared, &ctx, &mut scope, file);
    scope.machine_key_above = above
        .iter()
        .any(|(kind, p, target, _)| *kind != LevelKind::AppHost && machine_key_in(p, target));
    ctx.server = Some(scope);
    let findings = lint_context(&ctx, opts);
    if opts.enabled.contains(&"SS201") {
        let read = ctx.settings_read_from_above();
        if !read.is_empty() {
            shared
                .read_from_above
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend(read);
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(file: &str) -> Finding {
        Finding {
            code: "SS000",
            name: "test",
            severity: super::super::Severity::Info,
            file: PathBuf::from(file),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
            message: String::new(),
            fix: None,
            text_range: 0..0,
            snippet: String::new(),
            snippet_shift: 0,
            related: Vec::new(),
            refuses_file: false,
        }
    }

    #[test]
    fn each_file_is_kept_once_where_it_comes_first_whatever_its_case() {
        let p = |s: &str| PathBuf::from(s);
        let h = |s: &str| Some(key_hash(Path::new(s)));
        let results = vec![
            vec![(
                None,
                p("/m/machine.config"),
                vec![finding("/m/machine.config")],
            )],
            vec![
                (
                    h("/s/a/web.config"),
                    p("/s/a/web.config"),
                    vec![finding("a1")],
                ),
                (h("/s/a/b/web.config"), p("/s/a/b/web.config"), vec![]),
            ],
            // A second site reaching the first one's folder, spelled in another case.
            vec![
                (
                    h("/S/A/b/Web.config"),
                    p("/S/A/b/Web.config"),
                    vec![finding("dup")],
                ),
                (
                    h("/s/c/web.config"),
                    p("/s/c/web.config"),
                    vec![finding("c")],
                ),
            ],
        ];
        let (linted, findings) = first_of_each(results);
        assert_eq!(
            linted,
            [
                p("/m/machine.config"),
                p("/s/a/web.config"),
                p("/s/a/b/web.config"),
                p("/s/c/web.config")
            ]
        );
        let files: Vec<_> = findings.iter().map(|f| f.file.clone()).collect();
        assert_eq!(files, [p("/m/machine.config"), p("a1"), p("c")]);
        assert_eq!(h("/S/A/b/Web.config"), h("/s/a/b/web.config"));
        // Non-ASCII paths are hashed from the key `key` builds.
        assert_eq!(
            h("/s/Ä/web.config"),
            Some(foldhash_of(&key(Path::new("/s/ä/web.config"))))
        );
    }

    fn foldhash_of(s: &str) -> u64 {
        use std::hash::BuildHasher;
        foldhash::fast::FixedState::with_seed(0).hash_one(s)
    }

    #[test]
    fn files_whose_hashes_collide_are_told_apart_by_their_keys() {
        let p = |s: &str| PathBuf::from(s);
        // Three different files and one repeated, all given the same hash.
        let results = vec![
            vec![(Some(7), p("/a/web.config"), vec![finding("a")])],
            vec![(Some(7), p("/b/web.config"), vec![finding("b")])],
            vec![(Some(7), p("/B/Web.config"), vec![finding("b again")])],
            vec![(Some(7), p("/A/WEB.CONFIG"), vec![finding("a again")])],
            vec![(Some(7), p("/c/web.config"), vec![finding("c")])],
        ];
        let (linted, findings) = first_of_each(results);
        assert_eq!(
            linted,
            [p("/a/web.config"), p("/b/web.config"), p("/c/web.config")]
        );
        let files: Vec<_> = findings.iter().map(|f| f.file.clone()).collect();
        assert_eq!(files, [p("a"), p("b"), p("c")]);
    }
}
