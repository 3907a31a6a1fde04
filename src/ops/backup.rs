//! Backups of a server's configuration, under `Windows/System32/inetsrv/backup/NAME/`:
//! applicationHost.config, administration.config and redirection.config as appcmd keeps them
//! (at the top of the backup folder), and — what appcmd leaves out, so that a
//! `/commit:WEBROOT` change can be undone — every machine.config and root web.config of every
//! runtime and bitness, kept under `NET/<Framework>/<version>/`. Site web.configs belong to
//! application content and are not included. A restore writes each file atomically, byte for
//! byte, under the file's lock, in sorted path order.

use crate::hierarchy::error::Error;
use std::fs;
use std::path::{Path, PathBuf};

use super::{FileChange, OpError, Outcome, WriteOptions};
use crate::doc::{atomic_write, resolve_target, Locked};
use crate::hierarchy::error::Missing;
use crate::hierarchy::server::Server;
use crate::hierarchy::source::config_source::find_case_insensitive;

/// The IIS files appcmd backs up, by name, in `inetsrv/config`.
const IIS_FILES: [&str; 3] = [
    "applicationHost.config",
    "administration.config",
    "redirection.config",
];

/// The .NET folders whose machine.config and root web.config are kept.
const NET_DIRS: [&str; 4] = [
    "Framework64/v4.0.30319",
    "Framework/v4.0.30319",
    "Framework64/v2.0.50727",
    "Framework/v2.0.50727",
];

/// The backups folder of a server.
pub fn backups_dir(server: &Server) -> PathBuf {
    server.inetsrv_config().with_file_name("backup")
}

/// Each file a backup holds: (its path in the backup folder, relative; the live file).
fn members(server: &Server) -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    let config = server.inetsrv_config();
    for name in IIS_FILES {
        out.push((
            PathBuf::from(name),
            find_case_insensitive(&config, Path::new(name)),
        ));
    }
    for dir in NET_DIRS {
        let live = find_case_insensitive(
            &server.root,
            Path::new(&format!("Windows/Microsoft.NET/{dir}/Config")),
        );
        for name in ["machine.config", "web.config"] {
            out.push((
                Path::new("NET").join(dir).join(name),
                find_case_insensitive(&live, Path::new(name)),
            ));
        }
    }
    out
}

/// A backup name appcmd would accept: letters, digits, `-`, `_`, `.`, no path.
fn check_name(name: &str) -> Result<(), OpError> {
    let ok = !name.is_empty()
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' '));
    if ok {
        Ok(())
    } else {
        Err(OpError::Hierarchy(Error::Usage(
            crate::hierarchy::error::Usage::BackupName(name.to_string()),
        )))
    }
}

/// `yyyyMMddTHHmmss` for a time in seconds since the Unix epoch (UTC).
pub fn generated_name(unix: u64) -> String {
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// `add backup [NAME]`: copy the files; returns the name and the files copied.
pub fn add(server: &Server, name: Option<&str>) -> Result<(String, Vec<PathBuf>), OpError> {
    let name = match name {
        Some(n) => n.to_string(),
        None => generated_name(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        ),
    };
    check_name(&name)?;
    let dir = backups_dir(server).join(&name);
    if dir.exists() {
        return Err(OpError::Exists(Missing::Backup(name)));
    }
    let apphost = server.inetsrv_config().join("applicationHost.config");
    if !find_case_insensitive(
        &server.inetsrv_config(),
        Path::new("applicationHost.config"),
    )
    .is_file()
    {
        return Err(OpError::Hierarchy(Error::NotFound(apphost)));
    }
    let mut copied = Vec::new();
    for (rel, live) in members(server) {
        if !live.is_file() {
            continue;
        }
        let bytes = fs::read(&live).map_err(|e| OpError::io(&live, e))?;
        let dest = dir.join(&rel);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).map_err(|e| OpError::io(parent, e))?;
        }
        atomic_write(&dest, &[&bytes]).map_err(|e| OpError::io(&dest, e))?;
        copied.push(live);
    }
    Ok((name, copied))
}

/// `list backup`: the backups, sorted by name.
pub fn list(server: &Server) -> Result<Vec<(String, Vec<PathBuf>)>, OpError> {
    let dir = backups_dir(server);
    let Ok(rd) = fs::read_dir(&dir) else {
        return Ok(vec![]);
    };
    let mut out = Vec::new();
    for e in rd.flatten() {
        if !e.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let name = e.file_name().to_string_lossy().into_owned();
        let files = members(server)
            .into_iter()
            .map(|(rel, _)| rel)
            .filter(|rel| e.path().join(rel).is_file())
            .collect();
        out.push((name, files));
    }
    out.sort();
    Ok(out)
}

fn existing(server: &Server, name: &str) -> Result<PathBuf, OpError> {
    check_name(name)?;
    let dir = backups_dir(server).join(name);
    if dir.is_dir() {
        Ok(dir)
    } else {
        Err(OpError::Hierarchy(Error::NoSuchObject(Missing::Backup(
            name.to_string(),
        ))))
    }
}

/// `delete backup NAME`.
pub fn delete(server: &Server, name: &str) -> Result<(), OpError> {
    let dir = existing(server, name)?;
    fs::remove_dir_all(&dir).map_err(|e| OpError::io(&dir, e))
}

/// `restore backup NAME`: every file of the backup written back atomically, byte for byte,
/// each under its lock (taken in sorted path order, so two restores never deadlock); files
/// already equal are left alone. With `dry_run`, nothing is written.
pub fn restore(server: &Server, name: &str, opts: &WriteOptions) -> Result<Outcome, OpError> {
    let dir = existing(server, name)?;
    let mut plan: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for (rel, live) in members(server) {
        let saved = dir.join(&rel);
        if saved.is_file() {
            let bytes = fs::read(&saved).map_err(|e| OpError::io(&saved, e))?;
            plan.push((live, bytes));
        }
    }
    plan.sort_by(|a, b| a.0.cmp(&b.0));
    let mut outcome = Outcome::default();
    let mut locks: Vec<Locked> = Vec::new();
    let mut writes = Vec::new();
    for (live, bytes) in plan {
        let target = resolve_target(&live).map_err(|e| OpError::io(&live, e))?;
        let (before, created) = match Locked::acquire(&target).map_err(|e| OpError::io(&live, e))? {
            Some(mut l) => {
                let b = l.read_all().map_err(|e| OpError::io(&live, e))?;
                locks.push(l);
                (Some(b), false)
            }
            None => (None, true),
        };
        if before.as_deref() == Some(bytes.as_slice()) {
            continue;
        }
        if created {
            if let Some(parent) = live.parent() {
                if !parent.is_dir() {
                    return Err(OpError::Hierarchy(Error::NotFound(parent.to_path_buf())));
                }
            }
        }
        let text = |b: &[u8]| match crate::doc::decode(b.to_vec()) {
            Ok((_, t)) => t,
            Err(_) => String::from_utf8_lossy(b).into_owned(),
        };
        outcome.files.push(FileChange {
            path: live.clone(),
            edit: crate::doc::Edit::whole(
                before.as_deref().map(text).unwrap_or_default(),
                text(&bytes),
            ),
            created,
        });
        writes.push((target, bytes));
    }
    if !opts.dry_run {
        for (target, bytes) in &writes {
            atomic_write(target, &[bytes]).map_err(|e| OpError::io(target, e))?;
        }
    }
    drop(locks);
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_names_are_utc_timestamps() {
        assert_eq!(super::generated_name(0), "19700101T000000");
        assert_eq!(super::generated_name(1_798_765_432), "20270101T010352");
    }
}
