//! The command line: argv to a typed request (two phases, `args` then `request`), dispatch to
//! `ops`, rendering through `output`, and the exit code. Only this layer knows clap, prints, or
//! decides exit codes.

pub mod args;
pub mod complete;
pub(crate) mod dsc;
mod exit;
mod file;
pub(crate) mod grammar;
pub(crate) mod help;
mod lint;
pub mod request;
mod server;

use crate::hierarchy::error::Error;
use std::io::{self, Write};

use serde_json::json;

use crate::ops::OpError;
use crate::ops::{self, Outcome};
use crate::output::diff;
use crate::output::list::{self, Listed};
use crate::secrets;
pub use exit::Exit;
use request::{Common, ListView, Request};

/// What a command prints, and how it exits.
#[derive(Debug, Default)]
pub struct Run {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Exit code.
    pub code: Exit,
    /// The failure, for the `--json` error document.
    pub failure: Option<Failure>,
}

/// A failure as the `--json` error document reports it.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The message (secrets masked).
    pub message: String,
    /// The file at fault, with line and column where known.
    pub file: Option<(std::path::PathBuf, Option<(usize, usize)>)>,
    /// The definitions below a refused change that it would break, or a refused lock would
    /// bind (messages masked).
    pub below: Vec<crate::ops::error::Definition>,
}

impl Run {
    fn error(message: &str, code: Exit) -> Run {
        Run {
            stdout: String::new(),
            stderr: format!("ERROR ( message:{} )\n", crate::output::sanitize(message)),
            code,
            failure: Some(Failure {
                message: message.to_string(),
                file: None,
                below: Vec::new(),
            }),
        }
    }
}

/// Whether the command line asks for JSON (`--json`, or `--format json` for lint), looked up
/// on the raw words so that even a refused command line gets its error as JSON.
fn wants_json(argv: &[String]) -> bool {
    argv.iter().enumerate().any(|(i, a)| {
        a == "--json"
            || a.eq_ignore_ascii_case("--format=json")
            || (a == "--format"
                && argv
                    .get(i + 1)
                    .is_some_and(|v| v.eq_ignore_ascii_case("json")))
    })
}

/// The `--json` error document of SPEC §5.
fn error_document(code: Exit, f: &Failure) -> String {
    let mut error = json!({"code": code.code(), "message": f.message});
    if let Some((file, at)) = &f.file {
        error["file"] = json!(file.display().to_string());
        if let Some((line, column)) = at {
            error["line"] = json!(line);
            error["column"] = json!(column);
        }
    }
    if !f.below.is_empty() {
        error["below"] = f
            .below
            .iter()
            .map(|d| {
                let mut b = json!({
                    "file": d.file.display().to_string(),
                    "line": d.line,
                    "column": d.column,
                });
                if let Some((rule, message)) = &d.broken {
                    b["rule"] = json!(rule);
                    b["message"] = json!(message);
                }
                b
            })
            .collect();
    }
    let doc = json!({"version": 1, "error": error});
    format!(
        "{}\n",
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    )
}

/// Run sessctl with `argv` (without the program name) and return what to print.
pub fn run(argv: &[String]) -> Run {
    let mut out = run_request(argv);
    if out.code != Exit::Success && out.stdout.is_empty() && wants_json(argv) {
        if let Some(f) = &out.failure {
            out.stdout = error_document(out.code, f);
        }
    }
    out
}

fn run_request(argv: &[String]) -> Run {
    let req = match request::parse(argv) {
        Ok(r) => r,
        Err(request::Refused { message, code }) => {
            return Run::error(&secrets::mask(&message), code)
        }
    };
    match req {
        Request::Info(text) => Run {
            stdout: text,
            ..Run::default()
        },
        Request::AppcmdHelp(text) => Run {
            stdout: text,
            code: Exit::Failed,
            ..Run::default()
        },
        Request::Usage(text) => Run {
            stdout: text,
            code: Exit::Usage,
            ..Run::default()
        },
        Request::Completions(shell) => Run {
            stdout: complete::script(shell),
            ..Run::default()
        },
        Request::Explain(rule) => Run {
            stdout: format!(
                "{} {} ({})\n\n{}\n\n{}\n",
                rule.code,
                rule.name,
                rule.severity.name(),
                rule.summary,
                rule.doc
            ),
            ..Run::default()
        },
        Request::Lint(req) => lint::run(&req),
        Request::Config(cmd) => match &cmd.place {
            request::Place::Server {
                server,
                path,
                commit,
            } => server::run(
                &server::OnServer {
                    server,
                    path: path.as_deref(),
                    commit: commit.as_ref(),
                    common: &cmd.common,
                },
                &cmd.action,
            ),
            request::Place::File { target, display } => {
                file::run(target, display, &cmd.action, &cmd.common)
            }
        },
        Request::Dsc { verb, what_if } => {
            let mut input = String::new();
            if verb != "manifest" {
                use std::io::Read;
                let _ = std::io::stdin().read_to_string(&mut input);
            }
            dsc::run(&verb, what_if, &input)
        }
        Request::Backup {
            server,
            action,
            common,
        } => server::backup(&server, &action, &common),
    }
}

fn notes(common: &Common, warnings: &[String]) -> String {
    common
        .notes
        .iter()
        .chain(warnings)
        .map(|w| {
            format!(
                "warning: {}\n",
                crate::output::sanitize(&secrets::shown(w, common.show_secrets))
            )
        })
        .collect()
}

fn op_error(e: &OpError, common: &Common) -> Run {
    let mut run = Run::error(
        &secrets::shown(&e.to_string(), common.show_secrets),
        exit_code(e),
    );
    if let Some(f) = &mut run.failure {
        f.file = e.location().map(|(p, at)| (p.to_path_buf(), at));
        if let OpError::LockRefusesBelow { refused: below, .. }
        | OpError::BreaksBelow { broken: below, .. } = e
        {
            f.below = below
                .iter()
                .cloned()
                .map(|mut d| {
                    if let Some((_, message)) = &mut d.broken {
                        *message = secrets::shown(message, common.show_secrets).into_owned();
                    }
                    d
                })
                .collect();
        }
    }
    run
}

fn finish_write(
    result: Result<Outcome, OpError>,
    common: &Common,
    line: impl Fn(&Outcome) -> String,
) -> Run {
    let outcome = match result {
        Ok(o) => o,
        Err(e) => {
            let mut run = op_error(&e, common);
            run.stderr.insert_str(0, &notes(common, &[]));
            return run;
        }
    };
    let wants_diff = common.json || common.dry_run || common.diff;
    let diffs: Vec<(String, String, bool)> = outcome
        .files
        .iter()
        .filter(|_| wants_diff)
        .map(|f| {
            let p = f.path.display().to_string();
            let d = diff::of_change(f, &p, common.show_secrets);
            (p, d, f.created)
        })
        .collect();
    let mut run = Run {
        stderr: notes(common, &outcome.warnings),
        ..Run::default()
    };
    if common.json {
        let files: Vec<_> = diffs
            .iter()
            .map(|(p, d, c)| json!({"path": p, "diff": d, "created": c}))
            .collect();
        let warnings: Vec<_> = common
            .notes
            .iter()
            .chain(&outcome.warnings)
            .map(|w| secrets::shown(w, common.show_secrets))
            .collect();
        let commit = outcome.commit_path.clone().or_else(|| {
            outcome
                .commit_file
                .as_ref()
                .map(|f| f.display().to_string())
        });
        let doc = json!({
            "version": 1,
            "changed": outcome.changed(),
            "created": outcome.files.iter().any(|f| f.created),
            "dryRun": common.dry_run,
            "configPath": outcome.config_path,
            "commitPath": commit,
            "files": files,
            "warnings": warnings,
        });
        run.stdout = format!(
            "{}\n",
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        );
        return run;
    }
    if common.dry_run || common.diff {
        let colour = common.color.enabled();
        for (_, d, _) in &diffs {
            run.stdout
                .push_str(&if colour { diff::colorize(d) } else { d.clone() });
        }
    }
    if !common.dry_run {
        run.stdout.push_str(&line(&outcome));
    } else if diffs.is_empty() && outcome.nothing_to_do.is_none() {
        // A preview of nothing says so, rather than printing nothing at all.
        let file = outcome
            .commit_file
            .as_ref()
            .map(|f| format!(": {} already says so", f.display()))
            .unwrap_or_default();
        run.stdout.push_str(&format!("No change{file}\n"));
    } else if let Some(why) = &outcome.nothing_to_do {
        run.stdout.push_str(&format!("{why}\n"));
    }
    run
}

fn list_config(
    target: &ops::Target,
    display: &str,
    sections: &[&'static crate::schema::SectionDef],
    view: &ListView,
    common: &Common,
) -> Run {
    let mut views = Vec::new();
    for s in sections {
        match ops::read_for_list(target, s) {
            Ok((view, refused)) => views.push(Listed {
                section: s,
                view,
                locked: false,
                refused,
            }),
            Err(e) => return op_error(&e, common),
        }
    }
    render_list(display, &views, view, common)
}

/// Render what `list config` read: each section's effective view, whether it is locked at the
/// path, and the warnings of what ASP.NET refuses in it (on stderr, and in `--json`).
fn render_list(display: &str, listed: &[Listed], view: &ListView, common: &Common) -> Run {
    let warnings: Vec<String> = listed.iter().flat_map(|l| l.warnings(display)).collect();
    let show = common.show_secrets;
    let stdout = if common.json {
        let mut doc = match view {
            ListView::Text(attr) => listed
                .iter()
                .find(|l| l.section.attribute(attr).is_some())
                .map(|l| list::attribute_json(l, display, attr, show))
                .unwrap_or_default(),
            _ if listed.len() == 1 => list::json(&listed[0], display, show),
            _ => json!({
                "version": 1,
                "path": display,
                "sections": listed.iter().map(|l| list::json(l, display, show)).collect::<Vec<_>>(),
            }),
        };
        // What stderr says, for tools that read only the document (present when there is any).
        if !warnings.is_empty() && doc.is_object() {
            doc["warnings"] = json!(warnings
                .iter()
                .map(|w| secrets::shown(w, show).into_owned())
                .collect::<Vec<_>>());
        }
        format!(
            "{}\n",
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        )
    } else {
        match view {
            // --show-origin shows each value with where it comes from: the detail view.
            ListView::Fragment(_) if common.show_origin => listed
                .iter()
                .map(|l| list::detail_view(l, display, show, true))
                .collect(),
            ListView::Fragment(detail) => list::fragment(listed, *detail, show),
            // Every section in turn, as appcmd lists several CONFIG objects.
            ListView::Detail => listed
                .iter()
                .map(|l| list::detail_view(l, display, show, common.show_origin))
                .collect(),
            ListView::Xml => list::xml(listed, display, show),
            // The value alone on its line; --show-origin adds where it comes from.
            ListView::Text(attr) => {
                let found = listed
                    .iter()
                    .find_map(|l| list::effective(l, attr).map(|v| (l, v)));
                let (value, origin) = match found {
                    Some((l, v)) if common.show_origin => (v, list::origin_suffix(l, attr)),
                    Some((_, v)) => (v, String::new()),
                    None => ("", String::new()),
                };
                format!("{}{origin}\n", secrets::shown_value(value, show))
            }
        }
    };
    Run {
        stdout,
        stderr: notes(common, &warnings),
        ..Run::default()
    }
}

/// The exit code of a failed operation: the Win32 error numbers appcmd uses (SPEC §5).
pub fn exit_code(e: &OpError) -> Exit {
    match e {
        OpError::Hierarchy(Error::Usage(_)) => Exit::Usage,
        OpError::Hierarchy(Error::Malformed { .. })
        | OpError::Hierarchy(Error::Invalid { .. })
        | OpError::Hierarchy(Error::Encrypted { .. })
        | OpError::Rules { .. }
        | OpError::LockRefusesBelow { .. }
        | OpError::BreaksBelow { .. } => Exit::Invalid,
        OpError::Hierarchy(Error::NotFound(_))
        | OpError::Hierarchy(Error::NotAFile(_))
        | OpError::Hierarchy(Error::BrokenLink(..))
        | OpError::Hierarchy(Error::MissingReference { .. }) => Exit::Missing,
        OpError::Hierarchy(Error::Permission(..)) => Exit::Denied,
        OpError::Hierarchy(Error::Io(_, e)) => match e.kind() {
            io::ErrorKind::NotFound => Exit::Missing,
            io::ErrorKind::PermissionDenied => Exit::Denied,
            _ => Exit::Failed,
        },
        OpError::Duplicate(_) | OpError::Exists(_) => Exit::Exists,
        OpError::Hierarchy(Error::NoSuchObject(_)) => Exit::NoSuchObject,
        OpError::Locked { .. } | OpError::LockedElsewhere { .. } => Exit::Locked,
        OpError::NoSuchElement(_) => Exit::NoSuchElement,
    }
}

/// The process entry point: run, print, and return the exit code, with which the process ends
/// at once. A closed stdout (a pipe into `head`) is not an error.
pub fn main() -> i32 {
    crate::par::process_ends_after_command();
    let argv: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let run = run(&argv);
    let mut err = io::stderr().lock();
    let _ = err.write_all(run.stderr.as_bytes());
    let mut out = io::stdout().lock();
    match out
        .write_all(run.stdout.as_bytes())
        .and_then(|_| out.flush())
    {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            let _ = writeln!(err, "ERROR ( message:cannot write output: {e} )");
            Exit::Failed.code()
        }
        _ => run.code.code(),
    }
}
