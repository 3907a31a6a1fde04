//! `lint --farm ROOT ROOT...`: the servers of a web farm compared. For every site and
//! application that exists on more than one server, the effective session state (SS301), the
//! machine keys of out-of-process state (SS302), the site id (SS303) and InProc (SS304) are
//! judged across servers. Each finding points at the first place that must change and names
//! every server and file involved.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::Finding;
use crate::hierarchy::chain::{load_apphost, Chain};
use crate::hierarchy::effective::SectionView;
use crate::hierarchy::error::{Error, Usage};
use crate::hierarchy::path::{split, ConfigPath, LocationPath};
use crate::hierarchy::server::{LevelKind, Mount, PathCache, Server};
use crate::hierarchy::source::machine_key::{MachineKeyDef, MachineKeys};
use crate::schema::SESSION_STATE;

/// Where a value comes from: a file and line, or the default.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Origin {
    At(PathBuf, usize),
    Default,
}

impl Origin {
    fn show(&self) -> String {
        match self {
            Origin::At(f, l) => format!("{}:{l}", f.display()),
            Origin::Default => "default".into(),
        }
    }
}

/// An attribute that must agree across the farm: name, value, origin.
type Compared = (&'static str, String, Origin);

/// One application on one server, as the farm rules see it.
struct AppState {
    server: String,
    site_id: String,
    apphost: PathBuf,
    site_line: usize,
    mode: String,
    /// (attribute, value, origin) of the values that must agree.
    values: Vec<Compared>,
    /// The effective `<machineKey>` and its file; None: none at all (auto-generated).
    machine_key: Option<(MachineKeyDef, PathBuf)>,
    /// Where the section is (for pointing at the application when no value has an origin).
    section_origin: Origin,
}

fn origin_of(view: &SectionView, name: &str) -> Origin {
    view.get(name)
        .map_or(Origin::Default, |a| Origin::At(a.file.clone(), a.line))
}

/// The effective `<machineKey>` of a PATH: the one that applies last in machine.config, the
/// root web.config and the web.configs down to the PATH (applicationHost.config is not read by
/// ASP.NET), with the file it is in.
fn machine_key(chain: &Chain) -> Option<(MachineKeyDef, PathBuf)> {
    let mut found = None;
    for (i, src) in chain.sources.iter().enumerate() {
        let Some(src) = src else { continue };
        if chain.resolved.levels[i].kind == LevelKind::AppHost {
            continue;
        }
        let target = LocationPath::new(&chain.resolved.location_from(i));
        if let Some(k) = src.machine_key_for(&target) {
            found = Some((k.clone(), src.path.clone()));
        }
    }
    found
}

/// Every site and application of one server, and the findings of those that cannot be read
/// there (not compared on that server, which the report says rather than passing over them):
/// a file that does not parse (SS001; ASP.NET refuses the application), content on a drive or
/// share with no mapping (SS107). Any other error stops the lint.
type ServerApps = (BTreeMap<String, (String, AppState)>, Vec<Finding>);

/// Read every site and application of one server, its drives and network shares mapped as
/// `mounts` says: a share at its folder, a drive letter at its folder below `root`.
fn server_apps(root: &Path, mounts: &[(Mount, PathBuf)]) -> Result<ServerApps, Error> {
    let server = Server {
        root: root.to_path_buf(),
        drives: mounts
            .iter()
            .map(|(m, dir)| match m {
                Mount::Drive(_) => (m.clone(), root.join(dir)),
                Mount::Share(..) => (m.clone(), dir.clone()),
            })
            .collect(),
        clr: None,
        bits32: None,
        apphost_override: None,
        live: false,
        cache: PathCache::default(),
    };
    let (apphost_path, apphost, topo) = load_apphost(&server)?;
    let mut out = BTreeMap::new();
    let mut unread = Vec::new();
    for site in &topo.sites {
        for app in &site.apps {
            let mut segs = vec![site.name.clone()];
            segs.extend(split(&app.path).into_iter().map(str::to_string));
            let cp = ConfigPath::under_apphost(&segs).to_string();
            let chain = match Chain::load(&server, Some(&cp)) {
                Ok(chain) => chain,
                Err(Error::Malformed { file, error }) => {
                    let line = error.line.max(1);
                    let message = format!(
                        "the applications that read this file were not compared on {}: {}, and ASP.NET refuses them",
                        root.display(),
                        error.message
                    );
                    let mut f = super::finding_on_line("SS001", &file, line, message);
                    f.column = error.column.max(1);
                    f.end_column = f.column + 1;
                    if !unread.contains(&f) {
                        unread.push(f);
                    }
                    continue;
                }
                Err(Error::Usage(why @ (Usage::DriveNotMapped(..) | Usage::NetworkPath(..)))) => {
                    let line = apphost.doc.line_col(site.offset).0;
                    // With --farm, a drive's folder is relative to each ROOT.
                    let relative = match why {
                        Usage::DriveNotMapped(..) => " (relative to each ROOT)",
                        _ => "",
                    };
                    let message = format!(
                        "site \"{}\" was not compared on {}: {why}{relative}",
                        site.name,
                        root.display()
                    );
                    let f = super::finding_on_line("SS107", &apphost_path, line, message);
                    if !unread.contains(&f) {
                        unread.push(f);
                    }
                    continue;
                }
                Err(e) => return Err(e),
            };
            // A pool that runs no managed code runs no ASP.NET: no session state to compare
            // (SS108 says so under --root).
            if chain
                .resolved
                .pool
                .as_ref()
                .is_some_and(|p| p.runs_no_managed_code())
            {
                continue;
            }
            let (view, _) = chain.effective(&SESSION_STATE)?;
            let eff = |n: &str| {
                view.get(n).map(|a| a.value.clone()).unwrap_or_else(|| {
                    SESSION_STATE
                        .attribute(n)
                        .map(|a| a.default.to_string())
                        .unwrap_or_default()
                })
            };
            let mode = eff("mode");
            let mut values: Vec<(&'static str, String, Origin)> =
                vec![("mode", mode.clone(), origin_of(&view, "mode"))];
            // What locates the store of this mode, as the schema table says: the state
            // server, the database, or the custom provider (and its type). With a partition
            // resolver the StateServer and SQLServer stores ask it for each session's
            // connection string and never read their own: the resolver is what must agree.
            let resolver = eff("partitionResolverType");
            let resolved =
                !resolver.is_empty() && matches!(mode.as_str(), "StateServer" | "SQLServer");
            if resolved {
                values.push((
                    "partitionResolverType",
                    resolver,
                    origin_of(&view, "partitionResolverType"),
                ));
            }
            for def in SESSION_STATE.attributes.iter().filter(|a| {
                a.locates_store
                    && !resolved
                    && a.read_by.is_some_and(|m| m.contains(&mode.as_str()))
            }) {
                values.push((def.name, eff(def.name), origin_of(&view, def.name)));
                if def.name == "customProvider" {
                    let name = eff("customProvider");
                    let ty = view
                        .items
                        .iter()
                        .find(|i| {
                            i.iter()
                                .any(|(k, v)| k == "name" && crate::schema::same_key(v, &name))
                        })
                        .and_then(|i| i.iter().find(|(k, _)| k == "type").map(|(_, v)| v.clone()))
                        .unwrap_or_default();
                    values.push((
                        "customProvider type",
                        ty,
                        origin_of(&view, "customProvider"),
                    ));
                }
            }
            for n in ["timeout", "cookieless", "cookieName"] {
                values.push((n, eff(n), origin_of(&view, n)));
            }
            let section_origin = view
                .attrs
                .first()
                .map_or(Origin::Default, |a| Origin::At(a.file.clone(), a.line));
            let site_line = apphost.doc.line_col(site.offset).0;
            let state = AppState {
                server: root.display().to_string(),
                site_id: site.id.clone(),
                apphost: apphost_path.clone(),
                site_line,
                mode,
                values,
                machine_key: machine_key(&chain),
                section_origin,
            };
            out.insert(cp.to_lowercase(), (cp, state));
        }
    }
    Ok((out, unread))
}

/// Where a finding about an application points: the origin of `value`, else the section, else
/// the site in applicationHost.config.
fn place(s: &AppState, origin: &Origin) -> (PathBuf, usize) {
    match (origin, &s.section_origin) {
        (Origin::At(f, l), _) | (Origin::Default, Origin::At(f, l)) => (f.clone(), *l),
        _ => (s.apphost.clone(), s.site_line),
    }
}

/// `f` with the places the other servers give the compared value, as related locations (its
/// own place left out, each place once).
fn with_related(mut f: Finding, places: impl Iterator<Item = (PathBuf, usize, String)>) -> Finding {
    for (file, line, what) in places {
        if (file == f.file && line == f.line)
            || f.related.iter().any(|r| r.file == file && r.line == line)
        {
            continue;
        }
        f.related.push(super::Related { file, line, what });
    }
    f
}

/// Lint a farm: the roots of its servers (two or more).
pub(crate) fn lint_farm(
    roots: &[PathBuf],
    mounts: &[(Mount, PathBuf)],
    enabled: &[&str],
) -> Result<(usize, Vec<Finding>), Error> {
    let mut servers = Vec::new();
    let mut out = Vec::new();
    for r in roots {
        let (apps, unread) = server_apps(r, mounts)?;
        servers.push(apps);
        out.extend(unread.into_iter().filter(|f| enabled.contains(&f.code)));
    }
    let mut paths: Vec<(String, String)> = servers
        .iter()
        .flat_map(|s| s.iter().map(|(k, (cp, _))| (k.clone(), cp.clone())))
        .collect();
    paths.sort();
    paths.dedup_by(|a, b| a.0 == b.0);
    let on = |code: &str| enabled.contains(&code);
    for (key, cp) in paths {
        let states: Vec<&AppState> = servers
            .iter()
            .filter_map(|s| s.get(&key).map(|(_, st)| st))
            .collect();
        if states.len() < 2 {
            continue;
        }
        let servers_named = states
            .iter()
            .map(|s| s.server.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        // SS303: the site id.
        let site_cp = ConfigPath::parse(&cp)
            .map(|c| c.site_path().first().cloned().unwrap_or_default())
            .unwrap_or_default();
        if on("SS303") && cp.matches('/').count() == 3 {
            let first = &states[0].site_id;
            if let Some(odd) = states.iter().find(|s| s.site_id != *first) {
                let all = states
                    .iter()
                    .map(|s| {
                        format!(
                            "id {} on {} ({}:{})",
                            s.site_id,
                            s.server,
                            s.apphost.display(),
                            s.site_line
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                let f = super::finding_on_line("SS303", &odd.apphost, odd.site_line, format!("site \"{site_cp}\" has different ids across the farm: {all}; StateServer and SQLServer key sessions by the id"));
                out.push(with_related(
                    f,
                    states.iter().map(|s| {
                        (
                            s.apphost.clone(),
                            s.site_line,
                            format!("id {} on {}", s.site_id, s.server),
                        )
                    }),
                ));
            }
        }
        // SS304: InProc anywhere.
        if on("SS304") {
            for s in states.iter().filter(|s| s.mode == "InProc") {
                let origin = &s.values[0].2;
                let (file, line) = place(s, origin);
                out.push(super::finding_on_line("SS304", &file, line, format!("\"{cp}\" is served by {servers_named}; mode InProc on {} ({}) keeps sessions in one process of one server", s.server, origin.show())));
            }
        }
        // SS301: the values that must agree.
        if on("SS301") {
            let names: Vec<&str> = {
                let mut n: Vec<&str> = states
                    .iter()
                    .flat_map(|s| s.values.iter().map(|v| v.0))
                    .collect();
                n.dedup();
                let mut seen = Vec::new();
                n.retain(|x| {
                    if seen.contains(x) {
                        false
                    } else {
                        seen.push(*x);
                        true
                    }
                });
                n
            };
            for name in names {
                let vals: Vec<(&AppState, Option<&Compared>)> = states
                    .iter()
                    .map(|s| (*s, s.values.iter().find(|v| v.0 == name)))
                    .collect();
                // A value one mode does not read is not compared (the mode's own difference is).
                if vals.iter().any(|(_, v)| v.is_none()) {
                    continue;
                }
                let first = vals[0].1.map(|v| v.1.as_str());
                if vals.iter().all(|(_, v)| v.map(|v| v.1.as_str()) == first) {
                    continue;
                }
                let all = vals
                    .iter()
                    .map(|(s, v)| match v {
                        Some((_, value, origin)) => format!(
                            "{} on {} ({})",
                            crate::secrets::mask_value(value),
                            s.server,
                            origin.show()
                        ),
                        None => format!("unused on {}", s.server),
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                let (odd, v) = vals
                    .iter()
                    .find(|(_, v)| v.map(|v| v.1.as_str()) != first)
                    .copied()
                    .unwrap_or(vals[0]);
                let (file, line) = place(odd, v.map_or(&Origin::Default, |v| &v.2));
                let f = super::finding_on_line(
                    "SS301",
                    &file,
                    line,
                    format!("\"{cp}\": {name} differs across the farm: {all}"),
                );
                out.push(with_related(
                    f,
                    vals.iter().filter_map(|(s, v)| {
                        let (_, value, origin) = v.as_ref()?;
                        let (file, line) = place(s, origin);
                        let value = crate::secrets::mask_value(value);
                        Some((file, line, format!("{name}={value} on {}", s.server)))
                    }),
                ));
            }
        }
        // SS302: machine keys of out-of-process state.
        if on("SS302")
            && states
                .iter()
                .any(|s| matches!(s.mode.as_str(), "StateServer" | "SQLServer"))
        {
            // Explicit keys compare by value; encrypted ones (and ones in a configSource file
            // not there to read) are explicit but cannot be compared (each server may encrypt
            // alike keys differently); a missing element or AutoGenerate gives each server its
            // own, and a server whose section .NET refuses (twice in one scope) has none that
            // work.
            fn explicit<'a>(s: &&'a AppState) -> Option<(&'a str, &'a str)> {
                match s.machine_key.as_ref().map(|(k, _)| &k.keys) {
                    Some(MachineKeys::Explicit {
                        validation,
                        decryption,
                    }) => Some((validation.as_str(), decryption.as_str())),
                    _ => None,
                }
            }
            let is_auto = |s: &&AppState| {
                s.machine_key
                    .as_ref()
                    .is_none_or(|(k, _)| matches!(k.keys, MachineKeys::Auto | MachineKeys::Refused))
            };
            let known: Vec<(&str, &str)> = states.iter().filter_map(explicit).collect();
            let auto = states.iter().any(is_auto);
            let differ = known.iter().any(|k| *k != known[0]);
            if auto || differ {
                let all = states
                    .iter()
                    .map(|s| match &s.machine_key {
                        Some((k, f)) => {
                            let what = match &k.keys {
                                MachineKeys::Explicit { validation: v, .. } if v.len() > 8 => {
                                    format!("{}…", &v[..8])
                                }
                                MachineKeys::Explicit { validation: v, .. } => v.clone(),
                                MachineKeys::Encrypted(p) if p.is_empty() => "encrypted".into(),
                                MachineKeys::Encrypted(p) => format!("encrypted ({p})"),
                                MachineKeys::Elsewhere(f) => format!("in {f} (not read)"),
                                MachineKeys::Auto => "auto-generated".into(),
                                MachineKeys::Refused => {
                                    "refused (<machineKey> twice in one scope)".into()
                                }
                            };
                            format!("{what} on {} ({}:{})", s.server, f.display(), k.line)
                        }
                        None => format!("auto-generated on {}", s.server),
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                let odd = states
                    .iter()
                    .find(|s| is_auto(s))
                    .or_else(|| {
                        states
                            .iter()
                            .find(|s| explicit(s).is_some_and(|k| k != known[0]))
                    })
                    .copied()
                    .unwrap_or(states[0]);
                let (file, line) = match &odd.machine_key {
                    Some((k, f)) => (f.clone(), k.line),
                    None => place(odd, &odd.values[0].2),
                };
                let f = super::finding_on_line("SS302", &file, line, format!("\"{cp}\" keeps sessions out of process but its <machineKey> keys differ or are auto-generated across the farm: {all}"));
                // Each other server's <machineKey>, where it has one.
                out.push(with_related(
                    f,
                    states.iter().filter_map(|s| {
                        let (k, file) = s.machine_key.as_ref()?;
                        Some((
                            file.clone(),
                            k.line,
                            format!("the <machineKey> of {}", s.server),
                        ))
                    }),
                ));
            }
        }
    }
    out.sort_by(|a, b| (&a.file, a.line, a.code).cmp(&(&b.file, b.line, b.code)));
    out.dedup();
    Ok((roots.len(), out))
}
