//! Server-mode commands (`--root`): resolve the PATH, run the operation at its levels, and
//! print appcmd's lines with the PATH's config path and the commit level's.

use serde_json::json;

use super::request::{BackupAction, Common, ConfigAction};
use super::{finish_write, op_error, render_list, Exit, Run};
use crate::doc::Edit;
use crate::hierarchy::chain::Chain;
use crate::hierarchy::path::Commit;
use crate::hierarchy::path::ConfigPath;
use crate::hierarchy::server::Server;
use crate::hierarchy::source::Source;
use crate::ops::error::{definitions, Definition};
use crate::ops::server as srv;
use crate::ops::{Judge, OpError, Outcome, WriteOptions};
use std::path::Path;

/// The write options of a command's flags.
pub(super) fn options(common: &Common) -> WriteOptions<'static> {
    WriteOptions {
        dry_run: common.dry_run,
        force: common.force,
        judge: None,
    }
}

/// Where a server command works, borrowed from its request.
pub(super) struct OnServer<'a> {
    /// The server tree.
    pub(super) server: &'a Server,
    /// The PATH.
    pub(super) path: Option<&'a str>,
    /// `/commit:`.
    pub(super) commit: Option<&'a Commit>,
    /// Options.
    pub(super) common: &'a Common,
}

/// Run a `config` command on a server.
pub(super) fn run(cmd: &OnServer<'_>, action: &ConfigAction) -> Run {
    let common = cmd.common;
    if let ConfigAction::Search(sections) = action {
        return search(cmd, sections);
    }
    if let ConfigAction::Import(imports) = action {
        return import(cmd, imports);
    }
    // Only `set` reuses the locked reading; clear and lock take their own file locks.
    let writes = matches!(action, ConfigAction::Change { .. });
    let loaded = if writes {
        let to_apphost = !common.dry_run && Commit::surely_apphost(cmd.commit, cmd.path);
        Chain::load_for_write(cmd.server, cmd.path, to_apphost)
    } else {
        Chain::load(cmd.server, cmd.path)
    };
    let chain = match loaded {
        Ok(c) => c,
        Err(e) => return op_error(&e.into(), common),
    };
    let display = chain.resolved.config_path.to_string();
    let opts = options(common);
    let commit = cmd.commit;
    match action {
        ConfigAction::List { sections, view } => {
            let mut views = Vec::new();
            for s in sections {
                match chain.for_list(s) {
                    Ok((view, locked, refused)) => views.push(crate::output::list::Listed {
                        section: s,
                        view,
                        locked,
                        refused,
                    }),
                    Err(e) => return op_error(&e.into(), common),
                }
            }
            render_list(&display, &views, view, common)
        }
        ConfigAction::Change {
            section, changes, ..
        } => {
            let result = Below::of(&chain, commit).judge(cmd.server, &opts, |opts| {
                srv::set(chain, commit, section, changes, opts)
            });
            written(result, &display, common, |commit_path| {
                applied_line(section, &display, commit_path)
            })
        }
        ConfigAction::ClearSection(section) => {
            let result = Below::of(&chain, commit).judge(cmd.server, &opts, |opts| {
                srv::clear_section(&chain, commit, section, opts)
            });
            written(result, &display, common, |commit_path| {
                format!(
                    "Cleared section \"{}\" at configuration path \"{commit_path}\"\n",
                    section.path
                )
            })
        }
        ConfigAction::Lock { section, unlock } => {
            let target = srv::lock_target(&chain, commit).ok().map(|(_, t)| t);
            let bound = |file: &Path, edit: &Edit| match &target {
                Some(target) => {
                    lock_binds_below(cmd.server, &chain, section, target, file, edit, opts.force)
                }
                None => Ok(Vec::new()),
            };
            let opts = WriteOptions {
                judge: (!*unlock).then_some(&bound as Judge<'_>),
                ..opts
            };
            let result = srv::lock(&chain, commit, section, *unlock, &opts);
            written(result, &display, common, |commit_path| {
                // appcmd names the locked path as the PATH's config path on the commit level.
                let _ = commit_path;
                format!(
                    "{} section \"{}\" at configuration path \"{display}\".\n",
                    if *unlock { "Unlocked" } else { "Locked" },
                    section.path
                )
            })
        }
        ConfigAction::Search(_) | ConfigAction::Import(_) => unreachable!("handled above"),
    }
}

/// What a write for a PATH is judged with at the levels below it: the PATH's site (`None`
/// above the sites: every site), and whether it is judged at all (a write that lands in a file
/// ASP.NET reads, not applicationHost.config, whose system.web ASP.NET never reads).
pub(super) struct Below {
    site: Option<String>,
    judged: bool,
}

impl Below {
    /// For a write for the chain's PATH, at the level `commit` names.
    pub(super) fn of(chain: &Chain, commit: Option<&Commit>) -> Below {
        Below {
            site: site_of(chain),
            judged: srv::commit_target(chain, commit).is_ok_and(|(idx, _)| {
                chain.level(idx).kind != crate::hierarchy::server::LevelKind::AppHost
            }),
        }
    }

    /// Run `write` with `opts` and, when the write is judged, [`breaks_below`] as its judge.
    pub(super) fn judge<R>(
        &self,
        server: &Server,
        opts: &WriteOptions<'_>,
        write: impl FnOnce(&WriteOptions<'_>) -> R,
    ) -> R {
        let force = opts.force;
        let below = |file: &Path, edit: &Edit| {
            breaks_below(server, self.site.as_deref(), file, edit, force)
        };
        let opts = WriteOptions {
            judge: self.judged.then_some(&below as Judge<'_>),
            ..*opts
        };
        write(&opts)
    }
}

/// The site of the PATH (`None` above the sites): the part of the server a write for it can
/// change.
fn site_of(chain: &Chain) -> Option<String> {
    chain.resolved.config_path.site_path().first().cloned()
}

/// Judge a planned write against the levels below it: the server (the PATH's site, or every
/// site) is linted with the file's new text, and what it would break there stops it (exit 13)
/// unless `--force`, which writes it and warns. Levels below that cannot be linted are warned
/// of, never a reason to refuse.
fn breaks_below(
    server: &Server,
    site: Option<&str>,
    file: &Path,
    edit: &Edit,
    force: bool,
) -> Result<Vec<String>, OpError> {
    let new = Source::parse(file, edit.after_bytes());
    let broken =
        match new.and_then(|new| crate::lint::server::errors_a_write_adds(server, site, new)) {
            Ok(broken) => broken,
            Err(e) => {
                return Ok(vec![format!(
                    "the levels below the change were not checked: {e}"
                )])
            }
        };
    if broken.is_empty() {
        return Ok(Vec::new());
    }
    let broken: Vec<Definition> = broken
        .into_iter()
        .map(|f| Definition {
            file: f.file,
            line: f.line,
            column: f.column,
            broken: Some((f.code.to_string(), f.message)),
        })
        .collect();
    if !force {
        return Err(OpError::BreaksBelow {
            file: file.to_path_buf(),
            broken,
        });
    }
    Ok(vec![format!(
        "{}: the change breaks {} below it (--force): {}",
        file.display(),
        definitions(broken.len()),
        crate::ops::error::listed(&broken)
    )])
}

/// Judge a planned lock: the definitions below the PATH it would bind, found by the server's
/// lint (SS013, which knows what a lock binds) of the PATH's site, or of every site, with the
/// commit file's new text. Those ASP.NET would refuse (SS013's errors) stop the lock (exit 13)
/// unless `--force`, which writes it and warns; those only IIS's tools refuse (its warnings:
/// the lock, or the definition, is in applicationHost.config) are warned of.
fn lock_binds_below(
    server: &Server,
    chain: &Chain,
    section: &'static crate::schema::SectionDef,
    target: &crate::ops::Target,
    file: &Path,
    edit: &Edit,
    force: bool,
) -> Result<Vec<String>, OpError> {
    let (refused, tools_only) = match bound_by_lock(server, chain, section, target, file, edit) {
        Ok(found) => found,
        Err(e) => {
            return Ok(vec![format!(
                "the definitions below the lock were not checked: {e}"
            )])
        }
    };
    if !refused.is_empty() && !force {
        return Err(OpError::LockRefusesBelow {
            section,
            file: file.to_path_buf(),
            refused,
        });
    }
    let mut warnings = Vec::new();
    if !refused.is_empty() {
        warnings.push(format!(
            "{}: the lock makes ASP.NET refuse {} below it (--force): {}",
            file.display(),
            definitions(refused.len()),
            crate::ops::error::listed(&refused)
        ));
    }
    if !tools_only.is_empty() {
        warnings.push(format!(
            "{}: IIS's tools refuse {} below the lock: {}",
            file.display(),
            definitions(tools_only.len()),
            crate::ops::error::listed(&tools_only)
        ));
    }
    Ok(warnings)
}

/// The definitions a lock binds ([`definitions_a_lock_binds`] of the PATH's site, or of every
/// site, with the commit file's new text): those ASP.NET would refuse, and those only IIS's
/// tools refuse.
///
/// [`definitions_a_lock_binds`]: crate::lint::server::definitions_a_lock_binds
fn bound_by_lock(
    server: &Server,
    chain: &Chain,
    section: &crate::schema::SectionDef,
    target: &crate::ops::Target,
    file: &Path,
    edit: &Edit,
) -> Result<(Vec<Definition>, Vec<Definition>), crate::hierarchy::error::Error> {
    let new = Source::parse(file, edit.after_bytes())?;
    let location = match &target.scope {
        crate::hierarchy::path::Scope::File => "",
        crate::hierarchy::path::Scope::Location(p) => p.as_str(),
    };
    let site = site_of(chain);
    let (refused, tools_only) = crate::lint::server::definitions_a_lock_binds(
        server,
        site.as_deref(),
        new,
        section,
        location,
    )?;
    let at = |v: Vec<crate::lint::Finding>| -> Vec<Definition> {
        v.into_iter()
            .map(|f| Definition {
                file: f.file,
                line: f.line,
                column: f.column,
                broken: None,
            })
            .collect()
    };
    Ok((at(refused), at(tools_only)))
}

fn written(
    result: Result<(Outcome, ConfigPath), crate::ops::OpError>,
    config_path: &str,
    common: &Common,
    line: impl Fn(&str) -> String,
) -> Run {
    match result {
        Ok((mut outcome, commit_path)) => {
            let cp = commit_path.to_string();
            outcome.config_path = Some(config_path.to_string());
            outcome.commit_path = Some(cp.clone());
            finish_write(Ok(outcome), common, |o| match &o.nothing_to_do {
                Some(why) => format!("{why}\n"),
                None => line(&cp),
            })
        }
        Err(e) => finish_write(Err(e), common, |_| String::new()),
    }
}

fn search(cmd: &OnServer<'_>, sections: &[&'static crate::schema::SectionDef]) -> Run {
    let common = cmd.common;
    let under = match cmd.path {
        None => None,
        Some(p) => match Chain::load(cmd.server, Some(p)) {
            Ok(c) => Some(c.resolved.config_path.clone()),
            Err(e) => return op_error(&e.into(), common),
        },
    };
    let searched = match crate::hierarchy::walk::search(cmd.server, under.as_ref(), sections) {
        Ok(f) => f,
        Err(e) => return op_error(&e.into(), common),
    };
    let found = &searched.found;
    // A virtual directory on a drive that is not mapped was not searched: say so, never
    // answer as if it held nothing.
    let warnings: Vec<String> = searched
        .unmapped
        .iter()
        .map(|(site, phys, why)| format!("site \"{site}\": {phys} was not searched: {why}"))
        .collect();
    if common.json {
        let results: Vec<_> = found
            .iter()
            .map(|f| {
                json!({
                    "configPath": f.config_path,
                    "section": f.section.path,
                    "file": f.file.display().to_string(),
                    "line": f.line,
                })
            })
            .collect();
        let doc = json!({"version": 1, "results": results, "warnings": warnings});
        return Run {
            stdout: format!(
                "{}\n",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            ),
            stderr: super::notes(common, &warnings),
            ..Run::default()
        };
    }
    let mut out = String::new();
    let mut seen = std::collections::HashSet::new();
    for f in found {
        if seen.insert(f.config_path.to_lowercase()) {
            out.push_str(&format!("CONFIGSEARCH \"{}\"\n", f.config_path));
        }
    }
    Run {
        stdout: out,
        stderr: super::notes(common, &warnings),
        ..Run::default()
    }
}

/// `add`, `list`, `restore` and `delete backup`, with appcmd's lines.
pub(super) fn backup(
    server: &crate::hierarchy::server::Server,
    action: &BackupAction,
    common: &Common,
) -> Run {
    use crate::ops::backup;
    let json_doc = |doc: serde_json::Value| Run {
        stdout: format!(
            "{}\n",
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        ),
        ..Run::default()
    };
    match action {
        BackupAction::Add(name) => match backup::add(server, name.as_deref()) {
            Ok((name, files)) if common.json => json_doc(json!({
                "version": 1,
                "changed": true,
                "backup": name,
                "files": files.iter().map(|f| json!({"path": f.display().to_string()})).collect::<Vec<_>>(),
                "warnings": [],
            })),
            Ok((name, _)) => Run {
                stdout: format!("BACKUP object \"{name}\" added\n"),
                ..Run::default()
            },
            Err(e) => op_error(&e, common),
        },
        BackupAction::List => match backup::list(server) {
            Ok(all) if common.json => json_doc(json!({
                "version": 1,
                "backups": all.iter().map(|(n, files)| json!({
                    "name": n,
                    "files": files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })),
            Ok(all) => Run {
                stdout: all
                    .iter()
                    .map(|(n, _)| format!("BACKUP \"{n}\"\n"))
                    .collect(),
                ..Run::default()
            },
            Err(e) => op_error(&e, common),
        },
        BackupAction::Delete(name) => match backup::delete(server, name) {
            Ok(()) if common.json => json_doc(
                json!({"version": 1, "changed": true, "backup": name, "files": [], "warnings": []}),
            ),
            Ok(()) => Run {
                stdout: format!("BACKUP object \"{name}\" deleted\n"),
                ..Run::default()
            },
            Err(e) => op_error(&e, common),
        },
        BackupAction::Restore(name) => {
            let result = backup::restore(server, name, &options(common)).map(|mut o| {
                o.config_path = Some("MACHINE".into());
                o
            });
            finish_write(result, common, |_| {
                format!("Restored configuration from backup \"{name}\"\n")
            })
        }
    }
}

/// `set config [PATH] /in`: each section of the input applied at the commit level, one write
/// each; the outputs follow one another.
fn import(
    cmd: &OnServer<'_>,
    imports: &[(&'static crate::schema::SectionDef, crate::ops::Change)],
) -> Run {
    let common = &cmd.common;
    each_import(imports, |section, change| {
        let to_apphost = !common.dry_run && Commit::surely_apphost(cmd.commit, cmd.path);
        let chain = match Chain::load_for_write(cmd.server, cmd.path, to_apphost) {
            Ok(c) => c,
            Err(e) => return op_error(&e.into(), common),
        };
        let display = chain.resolved.config_path.to_string();
        let below = Below::of(&chain, cmd.commit);
        let result = below.judge(cmd.server, &options(common), |opts| {
            srv::set(
                chain,
                cmd.commit,
                section,
                std::slice::from_ref(change),
                opts,
            )
        });
        written(result, &display, common, |commit_path| {
            applied_line(section, &display, commit_path)
        })
    })
}

/// appcmd's success line of a set.
pub(super) fn applied_line(
    section: &crate::schema::SectionDef,
    display: &str,
    commit: &str,
) -> String {
    format!(
        "Applied configuration changes to section \"{}\" for \"{display}\" at configuration commit path \"{commit}\"\n",
        section.path
    )
}

/// One write per imported section, stopping at the first failure; outputs follow one another.
pub(super) fn each_import(
    imports: &[(&'static crate::schema::SectionDef, crate::ops::Change)],
    mut one: impl FnMut(&'static crate::schema::SectionDef, &crate::ops::Change) -> Run,
) -> Run {
    let mut all = Run::default();
    for (section, change) in imports {
        let run = one(section, change);
        all.stdout.push_str(&run.stdout);
        all.stderr.push_str(&run.stderr);
        if run.code != Exit::Success {
            all.code = run.code;
            all.failure = run.failure;
            return all;
        }
    }
    all
}
