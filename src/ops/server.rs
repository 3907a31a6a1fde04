//! Writes on a whole server (`--root`): at the level and `<location>` a `/commit` value names,
//! with what the levels above contribute (the hierarchy's [`Chain`]) and the allowDefinition
//! rule; `lock`/`unlock`.

use super::{Change, OpError, Outcome, Scope, Target, WriteOptions};
use crate::hierarchy::chain::Chain;
use crate::hierarchy::effective::LockKind;
use crate::hierarchy::path::{Commit, ConfigPath};
use crate::hierarchy::server::LevelKind;
use crate::schema::SectionDef;

/// A warning when the PATH's pool runs no managed code (ASP.NET never reads the section for
/// it, whatever file is written), or when a write to a machine.config or root web.config goes to
/// a file the PATH's pool does not load (`/clr` or `--bitness` chose another).
fn pool_warning(chain: &Chain, idx: usize) -> Option<String> {
    let level = chain.level(idx);
    if let Some(pool) = chain
        .resolved
        .pool
        .as_ref()
        .filter(|p| p.runs_no_managed_code())
    {
        return Some(format!(
            "{}: the application pool \"{}\" of \"{}\" runs no managed code (managedRuntimeVersion=\"\"): ASP.NET does not run there, so the change has no effect on it",
            level.file.display(),
            pool.name,
            chain.resolved.config_path,
        ));
    }
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
    commit: Option<&Commit>,
    section: &'static SectionDef,
    changes: &[Change],
    opts: &WriteOptions,
) -> Result<(Outcome, ConfigPath), OpError> {
    let (idx, target) = commit_target(&chain, commit)?;
    chain.check_allow_definition(section, &target.file)?;
    // A location naming the PATH from a file above its level follows the files between.
    let inherited = match &target.scope {
        Scope::Location(_) => chain.inherited_at_path(section, idx)?,
        Scope::File => chain.inherited(section, idx)?,
    };
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
    commit: Option<&Commit>,
    section: &'static SectionDef,
    opts: &WriteOptions,
) -> Result<(Outcome, ConfigPath), OpError> {
    let (idx, target) = commit_target(chain, commit)?;
    let inherited = chain.inherited(section, idx)?;
    if let Some(l) = inherited.locks.iter().find(|l| l.kind == LockKind::Section) {
        return Err(OpError::Locked {
            lock: l.clone(),
            section,
            touched: None,
        });
    }
    let outcome = super::clear_section(&target, section, opts)?;
    Ok((outcome, chain.level(idx).config_path.clone()))
}

/// `lock config` / `unlock config` on a server: `overrideMode` on the PATH's location in the
/// commit file (applicationHost.config without `/commit`).
pub fn lock(
    chain: &Chain,
    commit: Option<&Commit>,
    section: &'static SectionDef,
    unlock: bool,
    opts: &WriteOptions,
) -> Result<(Outcome, ConfigPath), OpError> {
    let (idx, target) = lock_target(chain, commit)?;
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
                return Err(OpError::LockedElsewhere {
                    lock: l.clone(),
                    section,
                    target: target.file.clone(),
                });
            }
        }
    }
    let mode = if unlock { "Allow" } else { "Deny" };
    let mut outcome = super::lock::set_override_mode(&target.file, &location, section, mode, opts)?;
    if chain.level(idx).kind == LevelKind::AppHost {
        // Before what the judge of the change said of the levels below.
        outcome.warnings.insert(0, format!(
            "{}: ASP.NET does not enforce a lock on system.web kept in applicationHost.config; lock it with /commit:WEBROOT for ASP.NET to refuse lower definitions",
            target.file.display()
        ));
    }
    Ok((outcome, chain.level(idx).config_path.clone()))
}

/// The level `lock config` writes to (applicationHost.config without `/commit`), and its
/// target.
pub fn lock_target(chain: &Chain, commit: Option<&Commit>) -> Result<(usize, Target), OpError> {
    commit_target(chain, Some(commit.unwrap_or(&Commit::AppHost)))
}

/// The level a write for this PATH lands on, and its target.
pub fn commit_target(chain: &Chain, commit: Option<&Commit>) -> Result<(usize, Target), OpError> {
    let (idx, location) = chain.resolved.commit(commit)?;
    let scope = if location.is_empty() {
        Scope::File
    } else {
        Scope::Location(location)
    };
    Ok((
        idx,
        Target {
            file: chain.resolved.levels[idx].file.clone(),
            scope,
        },
    ))
}
