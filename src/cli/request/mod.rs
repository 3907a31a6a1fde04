//! Phase two of argument parsing: the raw tokens, checked against the schema, become a typed
//! [`Request`]. Every value is validated and canonicalized here, before any file is read.

use std::path::PathBuf;

use clap::{Arg, ArgAction, Command};
use clap_complete::Shell;

use super::args::{self, Param, FLAGS};
use super::grammar;
use super::Exit;
use crate::hierarchy::path::Commit;
use crate::hierarchy::path::Scope;
use crate::ops::{Change, Target};
use crate::output::list::Detail;
use crate::output::ColorChoice;
use crate::schema::value::parse_input;
use crate::schema::{self, find_section, SectionDef, SECTIONS};

/// Options shared by every command.
#[derive(Clone, Debug)]
pub struct Common {
    /// `--dry-run`
    pub dry_run: bool,
    /// `--diff`
    pub diff: bool,
    /// `--force`
    pub force: bool,
    /// `--json`
    pub json: bool,
    /// `--color`
    pub color: ColorChoice,
    /// `--show-secrets`
    pub show_secrets: bool,
    /// `--show-origin`
    pub show_origin: bool,
    /// `--create`: a `--file` that does not exist yet may be created.
    pub create: bool,
    /// Things to tell the user on stderr.
    pub notes: Vec<String>,
}

/// How `list config` shows a section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListView {
    /// The XML fragment.
    Fragment(Detail),
    /// `/text:ATTR`
    Text(String),
    /// `/text:*`
    Detail,
    /// `/xml`: the document `set config /in` reads.
    Xml,
}

/// A fully checked request.
#[derive(Debug)]
pub enum Request {
    /// A `config` command: `set`, `clear`, `list`, `search`, `lock`, `unlock`.
    Config(ConfigCommand),
    /// appcmd's `/?`: help text, exit 1.
    AppcmdHelp(String),
    /// `completions SHELL`.
    Completions(Shell),
    /// clap's `--help` / `--version` output, exit 0.
    Info(String),
    /// The usage, for a command line with no verb: printed, exit 87 (appcmd's).
    Usage(String),
    /// `lint`.
    Lint(LintRequest),
    /// `lint --explain CODE`.
    Explain(&'static crate::lint::RuleDef),
    /// `dsc get|test|set|delete|export|manifest` (DSC v3).
    Dsc {
        /// The operation.
        verb: String,
        /// `--what-if`.
        what_if: bool,
    },
    /// `add`/`list`/`restore`/`delete backup`.
    Backup {
        /// The server.
        server: crate::hierarchy::server::Server,
        /// What to do.
        action: BackupAction,
        /// Options.
        common: Common,
    },
}

/// Where a `config` command works.
#[derive(Debug)]
pub enum Place {
    /// One file (`--file`); the PATH names a `<location>` in it.
    File {
        /// The file and the scope in it.
        target: Target,
        /// The path to print in appcmd's lines (the file as given).
        display: String,
    },
    /// A server tree (`--root` or `SESSCTL_ROOT`): the PATH is resolved on it and `/commit`
    /// names the level written.
    Server {
        /// The server tree and the choices of runtime, bitness, drives and
        /// applicationHost.config.
        server: crate::hierarchy::server::Server,
        /// The PATH (site path, config path or URL), if given.
        path: Option<String>,
        /// `/commit:`, if given.
        commit: Option<Commit>,
    },
}

/// A `config` command: where, what, and with which options. One shape for a file and a server.
#[derive(Debug)]
pub struct ConfigCommand {
    /// Where.
    pub place: Place,
    /// What to do.
    pub action: ConfigAction,
    /// Options.
    pub common: Common,
}

/// What a backup command does.
#[derive(Debug)]
pub enum BackupAction {
    /// `add backup [NAME]`.
    Add(Option<String>),
    /// `list backup`.
    List,
    /// `restore backup NAME`.
    Restore(String),
    /// `delete backup NAME`.
    Delete(String),
}

/// `add backup [NAME]`, `list backup`, `restore backup NAME`, `delete backup NAME`.
fn backup_request(
    verb: &str,
    raw: &args::Raw,
    matches: &clap::ArgMatches,
    object: Option<&str>,
    common: Common,
) -> Result<Request, Refusal> {
    if !matches!(object, Some("backup" | "backups")) {
        return refuse(format!(
            "Unknown object \"{}\" for verb \"{verb}\"; sessctl {verb} works on \"backup\"",
            object.unwrap_or("")
        ));
    }
    if !grammar::backup_verbs().any(|v| v == verb) {
        return refuse(format!(
            "sessctl {verb} does not work on backups; use add, list, restore or delete"
        ));
    }
    if let Some(p) = raw.params.first() {
        return refuse(format!(
            "{verb} backup takes no parameters (got /{})",
            p.name
        ));
    }
    if raw.positionals.len() > 3 {
        return refuse(format!("unexpected argument \"{}\"", raw.positionals[3]));
    }
    let name = raw.positionals.get(2).cloned();
    let action = match (verb, name) {
        ("add", n) => BackupAction::Add(n),
        ("list", None) => BackupAction::List,
        ("list", Some(n)) => return refuse(format!("list backup takes no name (got \"{n}\")")),
        ("restore", Some(n)) => BackupAction::Restore(n),
        ("delete", Some(n)) => BackupAction::Delete(n),
        (v, None) => {
            return refuse(format!(
                "{v} backup needs a NAME (sessctl list backup shows them)"
            ))
        }
        _ => unreachable!("verbs are checked above"),
    };
    Ok(Request::Backup {
        server: server_of(matches, None, None)?,
        action,
        common,
    })
}

/// What a `config` command does.
#[derive(Debug)]
pub enum ConfigAction {
    /// `set config` (or `clear config` of attributes and items).
    Change {
        /// Which section.
        section: &'static SectionDef,
        /// What to change.
        changes: Vec<Change>,
        /// `clear` rather than `set` (for the success line).
        clear: bool,
    },
    /// `clear config` of a whole section.
    ClearSection(&'static SectionDef),
    /// `list config`.
    List {
        /// Which sections.
        sections: Vec<&'static SectionDef>,
        /// How.
        view: ListView,
    },
    /// `search config`.
    Search(Vec<&'static SectionDef>),
    /// `set config /in`: each section of the input and its import.
    Import(Vec<(&'static SectionDef, Change)>),
    /// `lock config` / `unlock config`.
    Lock {
        /// Which section.
        section: &'static SectionDef,
        /// Unlock rather than lock.
        unlock: bool,
    },
}

/// Output format of `lint`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LintFormat {
    /// Code frames for people.
    Human,
    /// SPEC §5's JSON.
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub workflow annotations.
    Github,
}

/// A checked `lint` command line.
#[derive(Debug)]
pub struct LintRequest {
    /// Files and folders.
    pub paths: Vec<PathBuf>,
    /// Output format.
    pub format: LintFormat,
    /// Apply safe fixes.
    pub fix: bool,
    /// Fail on warnings too.
    pub deny_warnings: bool,
    /// Rules to run and SS105's threshold.
    pub options: crate::lint::LintOptions,
    /// Shared options (dry-run, colour, secrets).
    pub common: Common,
    /// `--root DIR`: lint the whole server with inheritance.
    pub root: Option<crate::hierarchy::server::Server>,
    /// `--exclude GLOB`: paths the folder walk leaves out.
    pub exclude: Vec<String>,
    /// `--farm`: the paths are the roots of a farm's servers.
    pub farm: bool,
    /// `--drive` with `--farm`: a network share every server reads (`\\server\share=DIR`),
    /// or a drive of each server (`X:=DIR`, DIR relative to each ROOT).
    pub mounts: Vec<(crate::hierarchy::server::Mount, PathBuf)>,
}

/// A refused command line, as parsing sees it.
#[derive(Debug)]
struct Refusal(String);

impl Refusal {
    /// A refusal worded as a lower layer's typed error says it.
    fn of(e: impl std::fmt::Display) -> Refusal {
        Refusal(e.to_string())
    }
}

/// A refused command line: the message and the exit code (87; 2 for `lint`, which follows
/// linter conventions).
#[derive(Debug)]
pub struct Refused {
    /// What is wrong.
    pub message: String,
    /// The exit code.
    pub code: Exit,
}

fn refuse<T>(m: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal(m.into()))
}

const GENERAL: [&str; 8] = [
    "section",
    "commit",
    "config",
    "text",
    "xml",
    "apphostconfig",
    "clr",
    "in",
];

/// The clap command: GNU options, help and completions.
pub fn command() -> Command {
    let mut cmd = Command::new("sessctl")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Manage, validate and lint ASP.NET session-state configuration, byte-exact, in appcmd's language")
        .override_usage(
            "sessctl set config [PATH] /section:S /ATTR:VALUE... [/commit:C] [--dry-run|--diff] [--force]\n       \
             sessctl clear config [PATH] /section:S [/ATTR...] [/commit:C]\n       \
             sessctl list config [PATH] [/section:S] [/config:*] [/text:ATTR|*] [/xml] [--show-origin] [--json]\n       \
             sessctl search config [PATH] | lock config / unlock config [PATH] /section:S\n       \
             sessctl add backup [NAME] | list backup | restore backup NAME | delete backup NAME\n       \
             sessctl lint [FILES...] | lint --root DIR | lint --farm ROOT ROOT...\n       \
             sessctl dsc get|test|set|delete|export | completions SHELL | help VERB\n       \
             (a server with --root DIR or SESSCTL_ROOT, or one file with --file FILE)",
        )
        .after_help(
            "Parameters start with / or -. Verbs and objects are case-insensitive; section names may be\n\
             short (sessionState) or full (system.web/sessionState). PATH is a site path, a config path or a\n\
             URL; with --file, an optional PATH selects\n\
             <location path=\"PATH\"> inside the file. `sessctl set config /section:sessionState /?` lists\n\
             every attribute with its type, default and allowed values.\n\n\
             Examples:\n  \
             sessctl set config --file web.config /section:sessionState /mode:StateServer /stateConnectionString:tcpip=10.0.0.5:42424\n  \
             sessctl set config --file web.config /section:sessionState \"/+providers.[name='Redis',type='Microsoft.Web.Redis.RedisSessionStateProvider']\"\n  \
             sessctl list config --file web.config /section:sessionState '/config:*'",
        )
        .arg(Arg::new("words").num_args(0..).value_name("VERB OBJECT [PATH]"));
    for f in FLAGS {
        let mut arg = Arg::new(f.long).long(f.long).help(f.help);
        arg = match (f.value, f.multiple) {
            (Some(v), true) => arg.value_name(v).action(ArgAction::Append),
            (Some(v), false) => arg.value_name(v).action(ArgAction::Set),
            (None, _) => arg.action(ArgAction::SetTrue),
        };
        if let args::Values::Words(words) = f.values {
            arg = arg.value_parser(words.to_vec());
        }
        if f.long == "explain" {
            arg = arg.num_args(0..=1);
        }
        cmd = cmd.arg(arg);
    }
    cmd
}

/// Parse a command line (without the program name).
pub fn parse(argv: &[String]) -> Result<Request, Refused> {
    let raw = args::split(argv);
    let code = match raw.positionals.first() {
        Some(verb) if verb.eq_ignore_ascii_case("lint") => Exit::Missing,
        _ => Exit::Usage,
    };
    parse_raw(raw).map_err(|Refusal(message)| Refused { message, code })
}

fn parse_raw(raw: args::Raw) -> Result<Request, Refusal> {
    if let Some(e) = raw.error {
        return refuse(e);
    }
    if let Some(help) = help_request(&raw) {
        return help;
    }
    let matches = match clap_matches(&raw) {
        Ok(m) => m,
        Err(Early::Info(text)) => return Ok(Request::Info(text)),
        Err(Early::Refused(r)) => return Err(r),
    };
    let common = common_of(&matches);
    let file = matches.get_one::<String>("file").cloned();
    // No verb: the usage, and exit 87 as appcmd does.
    let Some(verb_raw) = raw.positionals.first() else {
        return Ok(Request::Usage(command().render_help().to_string()));
    };
    let verb = verb_raw.to_ascii_lowercase();
    if grammar::verb(&verb).is_none() {
        let hint = schema::suggest(&verb, grammar::verb_names())
            .map(|s| format!(" (did you mean \"{s}\"?)"))
            .unwrap_or_default();
        return refuse(format!(
            "Unknown verb \"{verb_raw}\"{hint}. Verbs: {}",
            grammar::verb_names().collect::<Vec<_>>().join(", ")
        ));
    }
    if let Some((name, _)) = raw.options.iter().find(|(n, _)| !takes_option(&verb, n)) {
        return Err(foreign_option(&verb, name, &raw));
    }
    if verb == "lint" {
        return lint_request(&raw, &matches, common);
    }
    // dsc and completions take one word (an operation, a shell): a second is a mistake.
    if matches!(verb.as_str(), "dsc" | "completions") {
        if let Some(extra) = raw.positionals.get(2) {
            return refuse(format!("unexpected argument \"{extra}\""));
        }
    }
    if verb == "dsc" {
        let op = raw
            .positionals
            .get(1)
            .map(|o| o.to_ascii_lowercase())
            .unwrap_or_default();
        if !grammar::DSC_OPERATIONS.contains(&op.as_str()) {
            return refuse(format!(
                "sessctl dsc takes get, test, set, delete, export or manifest (got \"{op}\")"
            ));
        }
        return Ok(Request::Dsc {
            verb: op,
            what_if: matches.get_flag("what-if"),
        });
    }
    if verb == "completions" {
        let name = raw.positionals.get(1).map(String::as_str).unwrap_or("");
        return match name.parse::<Shell>() {
            Ok(s) => Ok(Request::Completions(s)),
            Err(_) => refuse(format!(
                "completions needs a shell: bash, zsh, fish, powershell or elvish (got \"{name}\")"
            )),
        };
    }
    config_request(&verb, &raw, &matches, common, file)
}

/// Refuse an appcmd parameter the verb does not take (grammar's table), rather than ignore it:
/// `search config /commit:site` or `lock config /timeout:5` would otherwise do something else
/// than asked and say nothing. `rest` are the parameters that are not general ones.
fn check_verb_params(verb: &str, raw: &args::Raw, rest: &[&Param]) -> Result<(), Refusal> {
    let Some(params) = grammar::verb(verb).and_then(|v| v.params) else {
        return Ok(());
    };
    let takes = |name: &str| {
        params.general.iter().any(|g| {
            let g = g.trim_start_matches('/');
            g.split(':').next().unwrap_or(g).eq_ignore_ascii_case(name)
        })
    };
    for p in raw.params.iter().filter(|p| !p.escaped) {
        if !GENERAL.iter().any(|g| p.name.eq_ignore_ascii_case(g)) || takes(&p.name) {
            continue;
        }
        if p.name.eq_ignore_ascii_case("xml") && verb == "set" {
            return refuse("/xml goes with list config; set config reads it with /in");
        }
        return refuse(format!(
            "{verb} config does not take /{} (it takes {})",
            p.name,
            params.general.join(" ")
        ));
    }
    if params.attributes.is_none() && params.collection.is_empty() {
        if let Some(p) = rest.first() {
            return refuse(format!(
                "{verb} config takes no attribute parameters (got /{})",
                p.name
            ));
        }
    }
    Ok(())
}

/// Whether `verb` takes the GNU option `--name` (grammar's table).
fn takes_option(verb: &str, name: &str) -> bool {
    grammar::EVERY_VERB_OPTIONS.contains(&name)
        || grammar::verb(verb).is_some_and(|v| v.options.contains(&name))
}

/// The refusal of an option the verb does not take, naming the verbs that do: an option that
/// belongs to another verb is never ignored (`add backup --dry-run` would write the backup,
/// `lint --file web.config` would lint the current folder).
fn foreign_option(verb: &str, name: &str, raw: &args::Raw) -> Refusal {
    if verb == "lint" && name == "file" {
        let file = raw
            .options
            .iter()
            .find(|(n, _)| n == "file")
            .and_then(|(_, v)| v.as_deref())
            .unwrap_or("FILE");
        return Refusal(format!(
            "lint does not take --file: give the files and folders to lint as arguments (sessctl lint {file})"
        ));
    }
    let owners: Vec<&str> = grammar::VERBS
        .iter()
        .filter(|v| v.options.contains(&name))
        .map(|v| v.name)
        .collect();
    let of = match owners.split_last() {
        None => String::new(),
        Some((last, [])) => format!(" (an option of {last})"),
        Some((last, rest)) => format!(" (an option of {} and {last})", rest.join(", ")),
    };
    Refusal(format!(
        "{verb} does not take --{name}{of}; sessctl {verb} --help lists its options"
    ))
}

/// A `config` (or `backup`) command: the object, the section, the action checked against the
/// schema, and the place (a file, or a server with a PATH and a commit).
fn config_request(
    verb: &str,
    raw: &args::Raw,
    matches: &clap::ArgMatches,
    mut common: Common,
    file: Option<String>,
) -> Result<Request, Refusal> {
    let verb = verb.to_string();
    let object = raw.positionals.get(1).map(|o| o.to_ascii_lowercase());
    // A verb whose only object is `backup` (`add`, `restore`, `delete`).
    let backup_verb =
        grammar::verb(&verb).is_some_and(|v| matches!(v.next, grammar::Next::Words(["backup"])));
    if backup_verb || matches!(object.as_deref(), Some("backup" | "backups")) {
        return backup_request(&verb, raw, matches, object.as_deref(), common);
    }
    match object.as_deref() {
        Some("config" | "configs") => {}
        Some(other) => {
            return refuse(format!(
                "Unknown object \"{other}\" for verb \"{verb}\"; sessctl {verb} works on \"config\""
            ))
        }
        None if raw.appcmd_help => {}
        None => return refuse(format!("{verb} needs an object: sessctl {verb} config ...")),
    }
    if raw.positionals.len() > 3 {
        return refuse(format!("unexpected argument \"{}\"", raw.positionals[3]));
    }
    let path = raw.positionals.get(2).cloned();
    let general = |name: &str| -> Option<&Param> {
        raw.params
            .iter()
            .rev()
            .find(|p| !p.escaped && p.name.eq_ignore_ascii_case(name))
    };
    let section = match general("section") {
        Some(p) => {
            let v = p.value.clone().unwrap_or_default();
            match find_section(&v) {
                Some(s) => Some(s),
                None => {
                    let names = SECTIONS.iter().flat_map(|s| [s.name, s.path]);
                    let hint = schema::suggest(&v, names)
                        .map(|s| format!(" (did you mean \"{s}\"?)"))
                        .unwrap_or_default();
                    return refuse(format!(
                        "Unknown config section \"{v}\"{hint}. sessctl manages system.web/sessionState and system.web/sessionPageState"
                    ));
                }
            }
        }
        None => None,
    };
    if raw.appcmd_help {
        return Ok(Request::AppcmdHelp(super::help::appcmd_help(
            &verb, section,
        )));
    }
    let rest: Vec<&Param> = raw
        .params
        .iter()
        .filter(|p| p.escaped || !GENERAL.iter().any(|g| p.name.eq_ignore_ascii_case(g)))
        .collect();
    check_verb_params(&verb, raw, &rest)?;
    let action = match general("in") {
        Some(p) if verb == "set" => import_action(p, section, &rest)?,
        _ => build_action(
            &verb,
            section,
            &rest,
            general("text"),
            general("config"),
            general("xml").is_some() && verb == "list",
        )?,
    };
    if common.show_origin
        && matches!(
            &action,
            ConfigAction::List {
                view: ListView::Xml,
                ..
            }
        )
    {
        return refuse(
            "--show-origin does not go with /xml: that document is what set config /in reads",
        );
    }
    if file.is_none() && common.create {
        return refuse(
            "--create goes with --file: on a server, set creates the web.config a PATH needs by itself",
        );
    }
    let place = match file {
        None => Place::Server {
            server: server_of(matches, general("clr"), general("apphostconfig"))?,
            path,
            commit: match general("commit") {
                Some(c) => Some(parse_commit(c.value.as_deref().unwrap_or(""))?),
                None => None,
            },
        },
        Some(file) => {
            for name in ["apphostconfig", "clr"] {
                if general(name).is_some() {
                    return refuse(format!("/{name} is not supported with --file"));
                }
            }
            // The server's options name files --file does not read: which was meant?
            for name in ["root", "bitness", "drive"] {
                if matches.contains_id(name) {
                    return refuse(format!(
                        "--{name} goes with a server, --file works on one file: give one or the other"
                    ));
                }
            }
            if let Some(c) = general("commit") {
                parse_commit(c.value.as_deref().unwrap_or(""))?;
                // A file is its own commit target; lock and set /in say nothing about it.
                if !matches!(action, ConfigAction::Import(_))
                    && !matches!(verb.as_str(), "search" | "lock" | "unlock")
                {
                    common.notes.push(format!(
                        "/commit:{} ignored: with --file, the file itself is the commit target",
                        c.value.as_deref().unwrap_or("")
                    ));
                }
            }
            let scope = match path.as_deref().map(str::trim) {
                None | Some("") => Scope::File,
                Some(p) => Scope::Location(p.to_string()),
            };
            Place::File {
                target: Target {
                    file: PathBuf::from(&file),
                    scope,
                },
                display: file,
            }
        }
    };
    Ok(Request::Config(ConfigCommand {
        place,
        action,
        common,
    }))
}

/// `sessctl VERB --help` and `sessctl help [VERB]`: the verb's own help, when asked.
fn help_request(raw: &args::Raw) -> Option<Result<Request, Refusal>> {
    let first = raw.positionals.first().map(|v| v.to_ascii_lowercase());
    let asks_help = raw.options.iter().any(|(n, _)| n == "help");
    match first.as_deref() {
        Some("help") => {
            // `help set config` is set's help; a word that is not the verb's object is a mistake.
            let object_of = |verb: &str, w: &str| {
                grammar::verb(&verb.to_ascii_lowercase()).is_some_and(|v| {
                    matches!(v.next, grammar::Next::Words(ws) if ws.iter().any(|o| o.eq_ignore_ascii_case(w)))
                })
            };
            let extra = match (raw.positionals.get(1), raw.positionals.get(2)) {
                (Some(v), Some(w)) if object_of(v, w) => raw.positionals.get(3),
                (_, w) => w,
            };
            if let Some(extra) = extra {
                return Some(refuse(format!("unexpected argument \"{extra}\"")));
            }
            return Some(match raw.positionals.get(1) {
                None => Ok(Request::Info(command().render_help().to_string())),
                Some(v) => super::help::verb_help(v).map(Request::Info).ok_or_else(|| {
                    Refusal(format!(
                        "no help for \"{v}\": the verbs are {}",
                        grammar::verb_names().collect::<Vec<_>>().join(", ")
                    ))
                }),
            });
        }
        Some(v) if asks_help => {
            if let Some(text) = super::help::verb_help(v) {
                return Some(Ok(Request::Info(text)));
            }
        }
        _ => {}
    }
    None
}

/// What the options answer before any verb is looked at.
enum Early {
    /// clap's `--help` or `--version` text.
    Info(String),
    /// A bad option.
    Refused(Refusal),
}

/// The GNU options, checked by clap against the flags table; `Err` is what to answer at once.
fn clap_matches(raw: &args::Raw) -> Result<clap::ArgMatches, Early> {
    let mut clap_args = vec!["sessctl".to_string()];
    clap_args.extend(raw.options.iter().map(|(n, v)| {
        match v {
            // Keyword values are accepted in any case (`--format SARIF`).
            Some(v)
                if FLAGS
                    .iter()
                    .any(|f| f.long == n && matches!(f.values, args::Values::Words(_))) =>
            {
                format!("--{n}={}", v.to_ascii_lowercase())
            }
            Some(v) => format!("--{n}={v}"),
            None => format!("--{n}"),
        }
    }));
    match command().try_get_matches_from(&clap_args) {
        Ok(m) => Ok(m),
        Err(e) => {
            use clap::error::ErrorKind;
            Err(match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => Early::Info(e.to_string()),
                _ => Early::Refused(Refusal(
                    e.to_string()
                        .lines()
                        .next()
                        .unwrap_or("invalid option")
                        .trim_start_matches("error: ")
                        .to_string(),
                )),
            })
        }
    }
}

/// The options every command shares.
fn common_of(matches: &clap::ArgMatches) -> Common {
    let color = match matches.get_one::<String>("color").map(String::as_str) {
        Some("always") => ColorChoice::Always,
        Some("never") => ColorChoice::Never,
        _ => ColorChoice::Auto,
    };
    Common {
        dry_run: matches.get_flag("dry-run"),
        diff: matches.get_flag("diff"),
        force: matches.get_flag("force"),
        json: matches.get_flag("json"),
        color,
        show_secrets: matches.get_flag("show-secrets"),
        show_origin: matches.get_flag("show-origin"),
        create: matches.get_flag("create"),
        notes: vec![],
    }
}

mod action;
mod lint;
mod place;

use action::{build_action, import_action};
use lint::lint_request;
use place::{parse_commit, server_of};
