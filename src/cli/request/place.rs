//! Where a command works: the server (`--root` or `SESSCTL_ROOT`, `--bitness`, `--drive`,
//! `/clr`, `/apphostconfig`) and the `/commit:` target, checked before any file is read.

use super::*;
use crate::hierarchy::server::Mount;

/// The server a command works on: `--root`, else `SESSCTL_ROOT`, else (on Windows) the system
/// drive; with `--bitness`, `--drive`, `/clr` and `/apphostconfig`.
pub(super) fn server_of(
    matches: &clap::ArgMatches,
    clr: Option<&Param>,
    apphostconfig: Option<&Param>,
) -> Result<crate::hierarchy::server::Server, Refusal> {
    use crate::hierarchy::server::{Clr, Server};
    let given = matches
        .get_one::<String>("root")
        .cloned()
        .or_else(|| std::env::var("SESSCTL_ROOT").ok().filter(|r| !r.is_empty()));
    // No root on Windows: the machine itself, its drives and shares where Windows finds them.
    let live = given.is_none() && cfg!(windows);
    let root = given.or_else(|| {
        live.then(|| {
            crate::hierarchy::server::live_root()
                .to_string_lossy()
                .into_owned()
        })
    });
    let Some(root) = root else {
        return refuse(
            "this command needs a server: give its tree with --root DIR (or SESSCTL_ROOT), or work on one file with --file FILE",
        );
    };
    let root = PathBuf::from(root);
    if !root.is_dir() {
        // Name where the folder came from: a stale SESSCTL_ROOT is not a --root typo.
        let given = match matches.get_one::<String>("root") {
            Some(_) => "--root ",
            None if std::env::var_os("SESSCTL_ROOT").is_some_and(|r| !r.is_empty()) => {
                "SESSCTL_ROOT="
            }
            None => "the system drive ",
        };
        return refuse(format!(
            "{given}{}: no such folder (it stands for the server's system drive)",
            root.display()
        ));
    }
    let bits32 = match matches.get_one::<String>("bitness").map(|b| b.trim()) {
        None => None,
        Some("32") => Some(true),
        Some("64") => Some(false),
        Some(b) => return refuse(format!("--bitness takes 32 or 64, not \"{b}\"")),
    };
    let drives = mounts(matches)?;
    let clr = match clr {
        None => None,
        Some(p) => {
            let v = p.value.clone().unwrap_or_default();
            Some(Clr::parse(&v).ok_or_else(|| Refusal(format!("/clr takes 2 or 4, not \"{v}\"")))?)
        }
    };
    let apphost_override =
        apphostconfig.map(|p| PathBuf::from(p.value.clone().unwrap_or_default()));
    Ok(Server {
        root,
        drives,
        clr,
        bits32,
        apphost_override,
        live,
        cache: Default::default(),
    })
}

/// A `/commit:` value, or the refusal that names the keywords.
pub(super) fn parse_commit(value: &str) -> Result<Commit, Refusal> {
    if let Some(c) = Commit::parse(value) {
        return Ok(c);
    }
    let v = value.trim();
    let hint = schema::suggest(&v.to_ascii_lowercase(), Commit::KEYWORDS.iter().copied())
        .map(|s| format!(" (did you mean \"{s}\"?)"))
        .unwrap_or_default();
    refuse(format!(
        "Invalid /commit:{value}{hint}: it takes url, site, app, parent, apphost, webroot, machine or a config path (MACHINE/WEBROOT/APPHOST/Site/app)"
    ))
}

/// The `--drive` mappings: `X:=DIR` and `\\server\share=DIR`.
pub(super) fn mounts(matches: &clap::ArgMatches) -> Result<Vec<(Mount, PathBuf)>, Refusal> {
    matches
        .get_many::<String>("drive")
        .into_iter()
        .flatten()
        .map(|d| {
            Mount::mapping(d).ok_or_else(|| {
                Refusal(format!(
                    "--drive takes X:=DIR or \\\\server\\share=DIR, not \"{d}\""
                ))
            })
        })
        .collect()
}
