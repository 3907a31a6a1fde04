//! `lint --root DIR`: every configuration file of a server, each linted with what the files
//! above it contribute (values, providers, connection strings, machine keys, locks) and with
//! its place in the hierarchy (application roots for SS010, the pool for SS106). Every file is
//! parsed once; applicationHost.config's sections are discovered once for all files.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::context::{FileContext, FileKind, ServerScope};
use super::{lint_context, Finding, LintOptions};
use crate::hierarchy::discover::Index;
use crate::hierarchy::effective::Layer;
use crate::hierarchy::path::ConfigPath;
use crate::hierarchy::server::{LevelKind, Server};
use crate::hierarchy::source::Source;
use crate::ops::server::{inherited_from, server_files};
use crate::ops::OpError;
use crate::schema::SECTIONS;

/// A parsed file and its instances of each section.
struct Parsed {
    src: std::sync::Arc<Source>,
    instances: Vec<Index>,
}

fn parse(path: &std::path::Path, walked: bool) -> Option<Parsed> {
    let src = if walked {
        Source::load_walked(path)
    } else {
        Source::load(path)
    }
    .ok()?;
    let instances = SECTIONS
        .iter()
        .map(|def| Index::new(&src.doc, def))
        .collect();
    Some(Parsed {
        src: Arc::new(src),
        instances,
    })
}

/// Whether a document sets explicit `<machineKey>` keys that apply to `target` (relative to
/// the file's level).
fn machine_key_in(doc: &crate::doc::Document, target: &str) -> bool {
    let root = doc.root();
    if doc.name(root) != "configuration" {
        return false;
    }
    let target = crate::hierarchy::path::normalize_location(target);
    let mut groups: Vec<crate::doc::ElementId> = doc.children_named(root, "system.web").collect();
    for loc in doc.children_named(root, "location") {
        let p = crate::hierarchy::path::normalize_location(
            &doc.attr_value(loc, "path").unwrap_or_default(),
        );
        if crate::hierarchy::path::covers(&p, &target) {
            groups.extend(doc.children_named(loc, "system.web"));
        }
    }
    groups
        .into_iter()
        .flat_map(|g| doc.children_named(g, "machineKey").collect::<Vec<_>>())
        .any(|mk| {
            let explicit = |n: &str| {
                doc.attr_value(mk, n)
                    .is_some_and(|v| !v.trim().is_empty() && !v.starts_with("AutoGenerate"))
            };
            crate::hierarchy::effective::encrypted_provider(doc, mk).is_some()
                || (explicit("validationKey") && explicit("decryptionKey"))
        })
}

/// Lint every file of the server. Returns the files linted and the findings.
pub fn lint_root(
    server: &Server,
    opts: &LintOptions,
) -> Result<(Vec<PathBuf>, Vec<Finding>), OpError> {
    let crate::ops::server::ServerFiles {
        files,
        topology: topo,
        apphost,
    } = server_files(server)?;
    let apphost_path = apphost.path.clone();
    // Walked web.config files were found as files; machine.config, the root web.config and
    // applicationHost.config may be missing.
    let existing: Vec<(ConfigPath, PathBuf)> = files
        .into_iter()
        .filter(|(cp, f)| cp.depth() > 3 || f.is_file())
        .collect();
    // Parse every file once (in parallel), then judge each with its parents.
    let rest: Vec<(ConfigPath, PathBuf)> = existing
        .iter()
        .filter(|(_, f)| *f != apphost_path)
        .cloned()
        .collect();
    // applicationHost.config's sections are indexed while the other files are parsed.
    let (mut parsed, instances): (HashMap<String, Parsed>, Vec<Index>) =
        std::thread::scope(|scope| {
            let index = scope.spawn(|| {
                SECTIONS
                    .iter()
                    .map(|def| Index::new(&apphost.doc, def))
                    .collect()
            });
            let parsed = parse_all(&rest);
            let instances = match index.join() {
                Ok(i) => i,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            (parsed, instances)
        });
    parsed.insert(
        key(&apphost_path),
        Parsed {
            src: Arc::new(apphost),
            instances,
        },
    );
    // Application roots per site (lower-case name), so SS010 looks at one site's only.
    let app_roots: Arc<HashMap<String, Vec<ConfigPath>>> = Arc::new(
        crate::par::map(&topo.sites, 512, |s| {
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
        })
        .into_iter()
        .collect(),
    );
    let mut findings = Vec::new();
    let mut linted = Vec::new();
    let results: Vec<(PathBuf, Vec<Finding>)> = crate::par::map(&existing, 64, |(cp, file)| {
        let found = lint_one(
            server,
            &topo,
            &apphost_path,
            &parsed,
            &app_roots,
            cp,
            file,
            opts,
        );
        (file.clone(), found)
    });
    for (file, found) in results {
        linted.push(file);
        findings.extend(found);
    }
    Ok((linted, findings))
}

/// The key of a file in the parsed map: its path in lower case (Windows paths are
/// case-insensitive, and levels are resolved without probing the disk).
fn key(p: &std::path::Path) -> String {
    p.to_string_lossy().to_lowercase()
}

fn parse_all(files: &[(ConfigPath, PathBuf)]) -> HashMap<String, Parsed> {
    // Web.config files below the sites were found as files by the walk.
    let parsed = crate::par::map(files, 64, |(cp, f)| {
        parse(f, cp.depth() > 3).map(|p| (key(f), p))
    });
    let mut map = HashMap::with_capacity(parsed.len() + 1);
    map.extend(parsed.into_iter().flatten());
    map
}

#[allow(clippy::too_many_arguments)]
fn lint_one(
    server: &Server,
    topo: &crate::hierarchy::server::Topology,
    apphost_path: &std::path::Path,
    parsed: &HashMap<String, Parsed>,
    app_roots: &Arc<HashMap<String, Vec<ConfigPath>>>,
    cp: &ConfigPath,
    file: &std::path::Path,
    opts: &LintOptions,
) -> Vec<Finding> {
    // The file is linted from the parse its children inherit from (no second read, scan or
    // copy of 20,000 files).
    let mut ctx = match parsed.get(&key(file)) {
        Some(p) => FileContext::from_shared(p.src.clone(), opts),
        None => FileContext::load(file, opts),
    };
    let Ok(resolved) = server.resolve_known(Some(&cp.to_string()), topo, apphost_path) else {
        return lint_context(&ctx, opts);
    };
    let own = resolved.levels.len() - 1;
    let kind = resolved.levels[own].kind;
    ctx.kind = match kind {
        LevelKind::AppHost => FileKind::AppHost,
        LevelKind::Machine => FileKind::Machine,
        _ => FileKind::Web,
    };
    let mut scope = ServerScope {
        level: Some(kind),
        config_path: Some(resolved.config_path.clone()),
        app_roots: app_roots.clone(),
        ..ServerScope::default()
    };
    if matches!(kind, LevelKind::Site | LevelKind::Application) {
        scope.max_processes = resolved.pool.as_ref().and_then(|p| p.max_processes);
        scope.pool = resolved.pool.as_ref().map(|p| p.name.clone());
    }
    // Each level above: its parse (if the file exists) and the PATH as seen from it, found
    // once for both sections and the machine-key look-up.
    let above: Vec<(usize, &Parsed, String)> = resolved
        .levels
        .iter()
        .enumerate()
        .take(own)
        .filter_map(|(i, level)| {
            parsed
                .get(&key(&level.file))
                .map(|p| (i, p, resolved.location_from(i)))
        })
        .collect();
    for (di, def) in SECTIONS.iter().enumerate() {
        // Only the sections the file has are judged with what they inherit.
        if !ctx.sites.iter().any(|s| s.def.name == def.name) {
            continue;
        }
        let mut layers = Vec::new();
        for (i, p, target) in &above {
            layers.push(Layer {
                src: &p.src,
                target: target.clone(),
                ignored_by_aspnet: resolved.levels[*i].kind == LevelKind::AppHost,
                exclude_target: false,
                known: Some(&p.instances[di]),
            });
        }
        // ASP.NET never reads system.web from applicationHost.config: its values do not
        // reach the application, but its locks bind IIS's tools (and `set`).
        let locks = inherited_from(def, &layers)
            .map(|i| i.locks)
            .unwrap_or_default();
        layers.retain(|l| !l.ignored_by_aspnet);
        if let Ok(mut inherited) = inherited_from(def, &layers) {
            inherited.locks = locks;
            scope.inherited.push((def.name, inherited));
        }
    }
    scope.machine_key_above = above.iter().any(|(i, p, target)| {
        resolved.levels[*i].kind != LevelKind::AppHost && machine_key_in(&p.src.doc, target)
    });
    ctx.server = Some(scope);
    lint_context(&ctx, opts)
}
