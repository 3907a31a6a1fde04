//! `lint`'s command line: inputs, format, rule selection, `--fix`, `--farm` and `--explain`.

use super::*;
use crate::hierarchy::server::Mount;

fn rule_list(matches: &clap::ArgMatches, name: &str) -> Result<Vec<&'static str>, Refusal> {
    let mut out = Vec::new();
    for v in matches.get_many::<String>(name).into_iter().flatten() {
        for key in v.split(',').map(str::trim).filter(|k| !k.is_empty()) {
            match crate::lint::find_rule(key) {
                Some(r) => out.push(r.code),
                None => {
                    return refuse(format!(
                        "--{name}: unknown rule \"{key}\" (see sessctl lint --explain CODE)"
                    ))
                }
            }
        }
    }
    Ok(out)
}

pub(super) fn lint_request(
    raw: &args::Raw,
    matches: &clap::ArgMatches,
    common: Common,
) -> Result<Request, Refusal> {
    if let Some(key) = matches.get_one::<String>("explain") {
        return match crate::lint::find_rule(key) {
            Some(r) => Ok(Request::Explain(r)),
            None => {
                let names = crate::lint::rules::RULES
                    .iter()
                    .flat_map(|r| [r.code, r.name]);
                let hint = schema::suggest(key, names)
                    .map(|s| format!(" (did you mean \"{s}\"?)"))
                    .unwrap_or_default();
                refuse(format!(
                    "unknown rule \"{key}\"{hint}; sessctl lint --explain lists them"
                ))
            }
        };
    }
    if matches.contains_id("explain") {
        return Ok(Request::Info(crate::cli::help::rule_list()));
    }
    if let Some(p) = raw.params.first() {
        return refuse(format!("lint takes files and folders, not -{}", p.name));
    }
    let root = match matches.get_one::<String>("root") {
        Some(_) => Some(server_of(matches, None, None)?),
        None => None,
    };
    let mut paths: Vec<PathBuf> = raw.positionals[1..].iter().map(PathBuf::from).collect();
    let farm = matches.get_flag("farm");
    if farm && (paths.len() < 2 || root.is_some()) {
        return refuse(
            "lint --farm compares two or more server roots: sessctl lint --farm ROOT ROOT...",
        );
    }
    if root.is_some() && !paths.is_empty() {
        return refuse("lint --root DIR lints the whole server; give no files or folders with it");
    }
    // Options that only one of the three ways of linting reads are refused in the others,
    // never ignored.
    let given = |name: &str| raw.options.iter().any(|(n, _)| n == name);
    let mode = if farm {
        "lint --farm"
    } else if root.is_some() {
        "lint --root"
    } else {
        "lint FILES-OR-FOLDERS"
    };
    // A farm's servers read a network share alike: one folder for all. A drive letter is each
    // server's own: its folder is given relative to each ROOT.
    let mounts = if farm {
        super::place::mounts(matches)?
    } else {
        Vec::new()
    };
    if let Some((m, dir)) = mounts
        .iter()
        .find(|(m, dir)| matches!(m, Mount::Drive(_)) && !is_relative_folder(dir))
    {
        return refuse(format!(
            "--drive {m}={} with lint --farm: each server's drive {m} is a folder relative to its ROOT (for farm/web1/C and farm/web1/D, --drive {m}=../D); an absolute folder would be one drive for every server",
            dir.display()
        ));
    }
    let belongs: &[(&str, &str)] = if farm {
        &[
            ("bitness", "lint --root"),
            ("exclude", "lint FILES-OR-FOLDERS"),
            ("fix", "lint --root or lint FILES-OR-FOLDERS"),
        ]
    } else if root.is_some() {
        &[("exclude", "lint FILES-OR-FOLDERS")]
    } else {
        &[("drive", "lint --root"), ("bitness", "lint --root")]
    };
    if let Some((name, with)) = belongs.iter().find(|(n, _)| given(n)) {
        return refuse(format!("--{name} goes with {with}, not {mode}"));
    }
    if paths.is_empty() {
        // No input means the current folder, as linters do.
        paths.push(PathBuf::from("."));
    }
    let format = match matches.get_one::<String>("format").map(String::as_str) {
        Some("json") => LintFormat::Json,
        Some("sarif") => LintFormat::Sarif,
        Some("github") => LintFormat::Github,
        _ if common.json => LintFormat::Json,
        _ => LintFormat::Human,
    };
    let select = rule_list(matches, "select")?;
    let ignore = rule_list(matches, "ignore")?;
    let mut options = crate::lint::LintOptions::default();
    if !select.is_empty() {
        options.enabled.retain(|c| select.contains(c));
    }
    options.enabled.retain(|c| !ignore.contains(c));
    if let Some(m) = matches.get_one::<String>("max-timeout") {
        options.max_timeout = m
            .trim()
            .parse()
            .map_err(|_| Refusal(format!("--max-timeout takes whole minutes, not \"{m}\"")))?;
    }
    Ok(Request::Lint(LintRequest {
        paths,
        format,
        fix: matches.get_flag("fix"),
        deny_warnings: matches.get_one::<String>("deny").is_some(),
        options,
        common,
        root,
        exclude: matches
            .get_many::<String>("exclude")
            .into_iter()
            .flatten()
            .cloned()
            .collect(),
        farm,
        mounts,
    }))
}

/// Whether `dir` is a folder relative to another (no root, no drive prefix), as a farm's
/// drive mapping must be.
fn is_relative_folder(dir: &std::path::Path) -> bool {
    !dir.as_os_str().is_empty()
        && matches!(
            dir.components().next(),
            Some(
                std::path::Component::Normal(_)
                    | std::path::Component::CurDir
                    | std::path::Component::ParentDir
            )
        )
}
