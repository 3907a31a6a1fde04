//! The DSC v3 resource `Sessctl.IIS/SessionState` (SPEC §8): `sessctl dsc
//! get|test|set|delete|export` read one JSON object on stdin and write JSON Lines on stdout,
//! traces as JSON lines on stderr. `_exist` says whether the commit level defines the section;
//! `false` removes it there, as `clear config` does.
//! The instance is flat and typed, generated from the schema table; `test` compares canonical
//! values (`sqlserver` equals `SQLServer`, `00:20:00` equals `20`); `set --what-if` computes and
//! writes nothing. `sessctl dsc manifest` prints `dsc/sessctl.dsc.resource.json`.

use crate::output::list::Listed;
use serde_json::{json, Map, Value};

mod manifest;

use super::server::Below;
use super::{Exit, Run};
use crate::hierarchy::chain::Chain;
use crate::hierarchy::effective::SectionView;
use crate::hierarchy::path::Commit;
use crate::hierarchy::path::Scope;
use crate::hierarchy::server::{Mount, PathCache, Server};
use crate::ops::{self, Change, Target, WriteOptions};
use crate::schema::value::{parse_input, same_meaning, InvalidValue};
use crate::schema::{find_section, SectionDef, ValueType};

/// The properties that say where, not what.
const WHERE: [&str; 6] = ["path", "commit", "section", "root", "drives", "file"];

/// Whether a property of an instance describes the section (not where it is, nor one of the
/// engine's canonical properties, nor the read-only origins).
fn describes(k: &str) -> bool {
    !WHERE.contains(&k) && !["_inDesiredState", "_exist", "origins"].contains(&k)
}

fn trace(kind: &str, message: &str) -> String {
    format!("{}\n", json!({ kind: message }))
}

fn fail(code: Exit, message: &str) -> Run {
    Run {
        stderr: trace("error", message),
        code,
        ..Run::default()
    }
}

/// Where the instance points, read from its properties.
struct Place {
    section: &'static SectionDef,
    path: Option<String>,
    commit: Option<Commit>,
    server: Option<Server>,
    file: Option<std::path::PathBuf>,
}

fn place(input: &Map<String, Value>) -> Result<Place, (Exit, String)> {
    let text = |k: &str| input.get(k).and_then(Value::as_str).map(str::to_string);
    let section_name = text("section").unwrap_or_else(|| "sessionState".into());
    let section = find_section(&section_name)
        .ok_or((Exit::Usage, format!("unknown section \"{section_name}\"")))?;
    let commit = match text("commit").filter(|c| !c.trim().is_empty()) {
        None => None,
        Some(c) => Some(Commit::parse(&c).ok_or((
            Exit::Usage,
            format!("invalid commit \"{c}\": url, site, app, parent, apphost, webroot, machine or a config path"),
        ))?),
    };
    // An empty path (a variable the document left unset) names nothing: said, not looked up.
    for k in ["file", "root"] {
        if text(k).is_some_and(|v| v.trim().is_empty()) {
            return Err((
                Exit::Usage,
                format!("{k} needs a path, and the instance gives an empty one"),
            ));
        }
    }
    let file = text("file").map(std::path::PathBuf::from);
    if file.is_some() && input.get("drives").is_some() {
        return Err((
            Exit::Usage,
            "the instance gives drives with file (one configuration file): drives map a server tree's drives; give root"
                .to_string(),
        ));
    }
    if file.is_some() && text("root").is_some() {
        return Err((
            Exit::Usage,
            "the instance gives both root (a server tree) and file (one configuration file): give one"
                .to_string(),
        ));
    }
    let server = if file.is_some() {
        None
    } else {
        let given =
            text("root").or_else(|| std::env::var("SESSCTL_ROOT").ok().filter(|r| !r.is_empty()));
        // No root on Windows: the machine itself, its drives and shares where Windows finds them.
        let live = given.is_none() && cfg!(windows);
        let root = given
            .or_else(|| {
                live.then(|| {
                    crate::hierarchy::server::live_root()
                        .to_string_lossy()
                        .into_owned()
                })
            })
            .ok_or((
                Exit::Usage,
                "the instance needs root (a server tree) or file (one configuration file)"
                    .to_string(),
            ))?;
        Some(Server {
            root: root.into(),
            drives: drives(input)?,
            clr: None,
            bits32: None,
            apphost_override: None,
            live,
            cache: PathCache::default(),
        })
    };
    Ok(Place {
        section,
        path: text("path"),
        commit,
        server,
        file,
    })
}

/// The target of an instance with `file`: that file, and `path` as a location inside it.
fn file_target(file: &std::path::Path, p: &Place) -> Target {
    Target {
        file: file.to_path_buf(),
        scope: match p.path.as_deref().map(str::trim) {
            None | Some("") => Scope::File,
            Some(x) => Scope::Location(x.to_string()),
        },
    }
}

/// The effective view at the place (every level merged).
fn read(p: &Place) -> Result<SectionView, crate::ops::OpError> {
    match (&p.file, &p.server) {
        (Some(f), _) => ops::read(&file_target(f, p), p.section),
        (None, Some(s)) => Ok(Chain::load(s, p.path.as_deref())?.effective(p.section)?.0),
        (None, None) => unreachable!("place() sets one"),
    }
}

/// What `list config` reads at the place: the effective view and what ASP.NET refuses in
/// the definitions merged into it, so that the engine shows the same warnings as `warn`
/// traces (a value of a refused section is not what a request sees).
fn read_listed(p: &Place) -> Result<(Listed, String), crate::ops::OpError> {
    let (view, locked, refused, display) = match (&p.file, &p.server) {
        (Some(f), _) => {
            let (view, refused) = ops::read_for_list(&file_target(f, p), p.section)?;
            (view, false, refused, f.display().to_string())
        }
        (None, Some(s)) => {
            let chain = Chain::load(s, p.path.as_deref())?;
            let (view, locked, refused) = chain.for_list(p.section)?;
            (
                view,
                locked,
                refused,
                chain.resolved.config_path.to_string(),
            )
        }
        (None, None) => unreachable!("place() sets one"),
    };
    let listed = Listed {
        section: p.section,
        view,
        locked,
        refused,
    };
    let warned = listed
        .warnings(&display)
        .iter()
        .map(|w| trace("warn", &crate::secrets::mask(w)))
        .collect();
    Ok((listed, warned))
}

/// The file and scope an instance writes: its file (a location inside it for `path`), or on a
/// server the commit level's (as `set` writes it).
fn commit_target(p: &Place) -> Result<Target, ops::OpError> {
    match (&p.file, &p.server) {
        (Some(f), _) => Ok(file_target(f, p)),
        (None, Some(s)) => {
            let chain = Chain::load(s, p.path.as_deref())?;
            Ok(ops::server::commit_target(&chain, p.commit.as_ref())?.1)
        }
        (None, None) => unreachable!("place() sets one"),
    }
}

/// Whether the commit level defines the section (`_exist`): its file has the section at the
/// scope the instance writes, and it sets something there (an attribute or an element, in the
/// file its configSource names when it has one). An empty element, which is what removing a
/// section kept in a configSource file leaves, defines nothing.
fn exists(p: &Place) -> Result<bool, ops::OpError> {
    use crate::hierarchy::error::Error;
    use crate::hierarchy::source::Source;
    let target = commit_target(p)?;
    let src = match Source::load(&target.file) {
        Ok(src) => src,
        Err(Error::NotFound(_)) => return Ok(false),
        Err(e) => return Err(e.into()),
    };
    let ops::locate::Site::Found(el) = ops::locate::locate(&src, p.section, &target.scope)? else {
        return Ok(false);
    };
    // What ops reads of a level's section, and calls empty when nothing is left.
    let sets_anything = |doc: &crate::doc::Document, el: crate::doc::ElementId| {
        !ops::model::Model::load(doc, p.section, Some(el)).is_empty()
    };
    let followed = crate::hierarchy::source::config_source::follow_config_source(
        &src,
        el,
        p.section.name,
        |f| match Source::load(f) {
            Err(Error::NotFound(_)) => Ok(None),
            other => other.map(Some),
        },
        |s| s,
    );
    Ok(match followed {
        None => sets_anything(&src.doc, el),
        Some(Ok(ext)) => sets_anything(&ext.doc, ext.doc.root()),
        // A reference ASP.NET cannot follow is still something the level says.
        Some(Err(_)) => true,
    })
}

/// Remove the section from the commit level (`_exist: false`), as `clear config` does: the
/// outcome's warnings and files as traces.
fn delete(p: &Place, what_if: bool) -> Result<String, ops::OpError> {
    let opts = WriteOptions {
        dry_run: what_if,
        force: false,
        judge: None,
    };
    let outcome = match (&p.file, &p.server) {
        (Some(f), _) => ops::clear_section(&file_target(f, p), p.section, &opts)?,
        (None, Some(s)) => {
            let chain = Chain::load(s, p.path.as_deref())?;
            Below::of(&chain, p.commit.as_ref())
                .judge(s, &opts, |opts| {
                    ops::server::clear_section(&chain, p.commit.as_ref(), p.section, opts)
                })?
                .0
        }
        (None, None) => unreachable!("place() sets one"),
    };
    Ok(traces(&outcome, what_if))
}

/// A write's warnings and files as the engine's traces.
fn traces(o: &ops::Outcome, what_if: bool) -> String {
    let mut stderr = String::new();
    for w in &o.warnings {
        stderr.push_str(&trace("warn", &crate::secrets::mask(w)));
    }
    for f in &o.files {
        stderr.push_str(&trace(
            "info",
            &format!(
                "{} {}",
                if what_if { "would write" } else { "wrote" },
                f.path.display()
            ),
        ));
    }
    stderr
}

/// The changes that define the section at the commit level when it is not (`_exist: true`):
/// every property the instance gives, written there even where the inherited value is the same.
fn pinned(p: &Place, input: &Map<String, Value>) -> Result<Vec<Change>, Invalid> {
    let mut out = Vec::new();
    for (k, v) in input {
        if !describes(k) {
            continue;
        }
        if k == "providers" {
            continue;
        }
        let def = attribute(p, k)?;
        out.push(Change::SetAttr {
            name: def.name.to_string(),
            value: canonical(def, v)?,
        });
    }
    Ok(out)
}

/// The attribute a property of the instance names, or why there is none.
fn attribute(p: &Place, name: &str) -> Result<&'static crate::schema::AttributeDef, Invalid> {
    p.section
        .attribute(name)
        .ok_or_else(|| Invalid::UnknownProperty {
            name: name.to_string(),
            section: p.section.path,
        })
}

/// A canonical string as the file would hold it, from a typed JSON value.
fn canonical(def: &crate::schema::AttributeDef, v: &Value) -> Result<String, Invalid> {
    let raw = match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => {
            return Err(Invalid::NotAValue {
                property: def.name,
                value: other.to_string(),
            })
        }
    };
    parse_input(def, &raw).map_err(Invalid::Value)
}

/// Why a DSC instance's desired properties are refused (exit 87).
#[derive(Debug)]
enum Invalid {
    /// A property whose JSON value is no scalar.
    NotAValue {
        property: &'static str,
        value: String,
    },
    /// `providers` is not a list.
    ProvidersNotList,
    /// A property the section does not have.
    UnknownProperty { name: String, section: &'static str },
    /// A value the schema refuses.
    Value(InvalidValue),
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Invalid::NotAValue { property, value } => {
                write!(f, "{property}: {value} is not a value")
            }
            Invalid::ProvidersNotList => write!(f, "providers must be a list"),
            Invalid::UnknownProperty { name, section } => {
                write!(f, "unknown property \"{name}\" of {section}")
            }
            Invalid::Value(e) => e.fmt(f),
        }
    }
}

/// A file value as its typed JSON value, in the schema's spelling (`cookieless="false"` is
/// `"UseCookies"`, `mode="sqlserver"` is `"SQLServer"`): the engine validates every state
/// against the embedded schema.
fn typed(def: &crate::schema::AttributeDef, v: &str) -> Value {
    match &def.ty {
        ValueType::Enum(_) => json!(parse_input(def, v).unwrap_or_else(|_| v.to_string())),
        ValueType::Bool => Value::Bool(v.eq_ignore_ascii_case("true")),
        ValueType::Int { .. } | ValueType::TimeSpan { .. } => v
            .trim()
            .parse::<i64>()
            .map_or_else(|_| json!(v), |n| json!(n)),
        _ => json!(v),
    }
}

/// The state document of a view: every attribute, providers, origins.
fn state(p: &Place, view: &SectionView, input: &Map<String, Value>) -> Map<String, Value> {
    let mut out = where_of(p, input);
    let mut origins = Map::new();
    for a in p.section.attributes {
        let (value, origin) = match view.get(a.name) {
            Some(x) => (x.value.clone(), format!("{}:{}", x.file.display(), x.line)),
            None if !a.in_iis_schema => continue,
            None => (a.default.to_string(), "default".into()),
        };
        // Passwords masked in every state; `test` and `set` compare the real values.
        out.insert(a.name.into(), typed(a, &crate::secrets::mask_value(&value)));
        origins.insert(a.name.into(), json!(origin));
    }
    if p.section.collection.is_some() {
        let providers: Vec<Value> = view
            .items
            .iter()
            .map(|i| {
                Value::Object(
                    i.iter()
                        .map(|(k, v)| (k.clone(), json!(crate::secrets::mask_attribute(k, v))))
                        .collect(),
                )
            })
            .collect();
        out.insert("providers".into(), Value::Array(providers));
    }
    out.insert("origins".into(), Value::Object(origins));
    out
}

/// The instance's `drives`: other drives and network shares of the server tree, each
/// `X:=DIR` or `\\server\share=DIR` as `--drive` takes them.
fn drives(input: &Map<String, Value>) -> Result<Vec<(Mount, std::path::PathBuf)>, (Exit, String)> {
    let Some(given) = input.get("drives") else {
        return Ok(Vec::new());
    };
    let refused = |v: &Value| {
        (
            Exit::Usage,
            format!("drives takes X:=DIR or \\\\server\\share=DIR entries, not {v}"),
        )
    };
    given
        .as_array()
        .ok_or_else(|| refused(given))?
        .iter()
        .map(|v| {
            v.as_str()
                .and_then(Mount::mapping)
                .ok_or_else(|| refused(v))
        })
        .collect()
}

/// The properties of an instance that say where it is, and its section.
fn where_of(p: &Place, input: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for k in WHERE {
        if let Some(v) = input.get(k) {
            out.insert(k.into(), v.clone());
        }
    }
    out.insert("section".into(), json!(p.section.name));
    out
}

/// The desired properties that differ from the view, canonically compared.
fn differing(
    p: &Place,
    view: &SectionView,
    input: &Map<String, Value>,
) -> Result<Vec<String>, Invalid> {
    let mut out = Vec::new();
    for (k, v) in input {
        if !describes(k) {
            continue;
        }
        if k == "providers" {
            let want: Vec<Vec<(String, String)>> = v
                .as_array()
                .ok_or(Invalid::ProvidersNotList)?
                .iter()
                .map(|o| {
                    let mut pairs: Vec<(String, String)> = o
                        .as_object()
                        .map(|m| {
                            m.iter()
                                .map(|(k, v)| {
                                    (k.clone(), v.as_str().unwrap_or_default().to_string())
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    pairs.sort();
                    pairs
                })
                .collect();
            let mut have: Vec<Vec<(String, String)>> = view
                .items
                .iter()
                .map(|i| {
                    let mut i = i.clone();
                    i.sort();
                    i
                })
                .collect();
            let mut w = want.clone();
            w.sort();
            have.sort();
            if w != have {
                out.push(k.clone());
            }
            continue;
        }
        let def = attribute(p, k)?;
        let want = canonical(def, v)?;
        let have = view
            .get(k)
            .map_or(def.default.to_string(), |a| a.value.clone());
        if !same_meaning(def, &have, &want) {
            out.push(k.clone());
        }
    }
    Ok(out)
}

/// The changes that make the commit level hold the desired properties.
fn changes(
    p: &Place,
    view: &SectionView,
    input: &Map<String, Value>,
) -> Result<Vec<Change>, Invalid> {
    let mut out = Vec::new();
    for name in differing(p, view, input)? {
        if name == "providers" {
            let wanted: Vec<Vec<(String, String)>> = input["providers"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|o| {
                    o.as_object()
                        .map(|m| {
                            m.iter()
                                .map(|(k, v)| {
                                    (k.clone(), v.as_str().unwrap_or_default().to_string())
                                })
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .collect();
            // Only the collection is replaced: the level's attributes are kept as they are.
            out.push(Change::ReplaceItems { providers: wanted });
            continue;
        }
        let def = attribute(p, &name)?;
        out.push(Change::SetAttr {
            name,
            value: canonical(def, &input[def.name])?,
        });
    }
    Ok(out)
}

/// Run `sessctl dsc VERB` with the JSON document read from stdin.
pub(crate) fn run(verb: &str, what_if: bool, input: &str) -> Run {
    if verb == "manifest" {
        return Run {
            stdout: format!(
                "{}\n",
                serde_json::to_string_pretty(&manifest::manifest()).unwrap_or_default()
            ),
            ..Run::default()
        };
    }
    let input: Map<String, Value> =
        match serde_json::from_str::<Value>(if input.trim().is_empty() { "{}" } else { input }) {
            Ok(Value::Object(m)) => m,
            Ok(_) => return fail(Exit::Usage, "the input must be one JSON object"),
            Err(e) => return fail(Exit::Usage, &format!("the input is not JSON: {e}")),
        };
    let p = match place(&input) {
        Ok(p) => p,
        Err((code, m)) => return fail(code, &m),
    };
    let (listed, warned) = match read_listed(&p) {
        Ok(r) => r,
        Err(e) => return fail(super::exit_code(&e), &crate::secrets::mask(&e.to_string())),
    };
    let view = &listed.view;
    // `_exist`: whether the commit level defines the section, and whether it should.
    let want_exist = match input.get("_exist") {
        None => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(other) => {
            return fail(
                Exit::Usage,
                &format!("_exist: {other} is not true or false"),
            )
        }
    };
    let exist = match verb {
        "get" | "test" | "set" | "delete" => match exists(&p) {
            Ok(e) => e,
            Err(e) => return fail(super::exit_code(&e), &crate::secrets::mask(&e.to_string())),
        },
        _ => true,
    };
    let line = |m: &Map<String, Value>| format!("{}\n", Value::Object(m.clone()));
    // As `--file` with `/commit:` on the command line: said, not silently dropped.
    let notes = match (&p.file, input.get("commit").and_then(Value::as_str)) {
        (Some(_), Some(c)) if !c.trim().is_empty() => trace(
            "warn",
            &format!("commit \"{c}\" ignored: with file, the file itself is the commit target"),
        ),
        _ => String::new(),
    };
    let mut run = match verb {
        "get" => {
            let mut s = state(&p, view, &input);
            s.insert("_exist".into(), json!(exist));
            Run {
                stdout: line(&s),
                ..Run::default()
            }
        }
        "test" => {
            let diff = match want_exist {
                // Only whether the level defines the section counts.
                Some(false) => exist.then(|| "_exist".to_string()).into_iter().collect(),
                _ => match differing(&p, view, &input) {
                    Ok(mut d) => {
                        if want_exist == Some(true) && !exist {
                            d.insert(0, "_exist".to_string());
                        }
                        d
                    }
                    Err(m) => return fail(Exit::Usage, &m.to_string()),
                },
            };
            let mut s = state(&p, view, &input);
            s.insert("_exist".into(), json!(exist));
            s.insert("_inDesiredState".into(), json!(diff.is_empty()));
            Run {
                stdout: format!("{}{}\n", line(&s), json!(diff)),
                ..Run::default()
            }
        }
        "set" if want_exist == Some(false) => {
            let diff: Vec<String> = exist.then(|| "_exist".to_string()).into_iter().collect();
            let stderr = match exist.then(|| delete(&p, what_if)).transpose() {
                Ok(t) => t.unwrap_or_default(),
                Err(e) => return fail(super::exit_code(&e), &crate::secrets::mask(&e.to_string())),
            };
            // The final state: read again, or (what-if) where the instance is and that the
            // section is gone from its level (what it would inherit then is not computed).
            let mut s = if what_if && exist {
                where_of(&p, &input)
            } else {
                match read(&p) {
                    Ok(v) => state(&p, &v, &input),
                    Err(e) => return fail(super::exit_code(&e), &e.to_string()),
                }
            };
            s.insert("_exist".into(), json!(false));
            s.insert("_inDesiredState".into(), json!(true));
            Run {
                stdout: format!("{}{}\n", line(&s), json!(diff)),
                stderr,
                ..Run::default()
            }
        }
        "set" => {
            let mut diff = match differing(&p, view, &input) {
                Ok(d) => d,
                Err(m) => return fail(Exit::Usage, &m.to_string()),
            };
            let mut changes = match changes(&p, view, &input) {
                Ok(c) => c,
                Err(m) => return fail(Exit::Usage, &m.to_string()),
            };
            if want_exist == Some(true) && !exist {
                // Defined at the level with every property given, inherited values included.
                diff.insert(0, "_exist".to_string());
                let providers = changes
                    .into_iter()
                    .filter(|c| matches!(c, Change::ReplaceItems { .. }));
                changes = match pinned(&p, &input) {
                    Ok(c) => c.into_iter().chain(providers).collect(),
                    Err(m) => return fail(Exit::Usage, &m.to_string()),
                };
                if changes.is_empty() {
                    return fail(
                        Exit::Usage,
                        "_exist is true and the section is not defined at the commit level: give the properties to define it with",
                    );
                }
            }
            let opts = WriteOptions {
                dry_run: what_if,
                force: false,
                judge: None,
            };
            let mut stderr = String::new();
            if !changes.is_empty() {
                let result = match (&p.file, &p.server) {
                    (Some(f), _) => ops::set(&file_target(f, &p), p.section, &changes, &opts),
                    (None, Some(s)) => Chain::load_for_write(
                        s,
                        p.path.as_deref(),
                        !what_if && Commit::surely_apphost(p.commit.as_ref(), p.path.as_deref()),
                    )
                    .map_err(ops::OpError::from)
                    .and_then(|chain| {
                        Below::of(&chain, p.commit.as_ref()).judge(s, &opts, |opts| {
                            ops::server::set(chain, p.commit.as_ref(), p.section, &changes, opts)
                        })
                    })
                    .map(|(o, _)| o),
                    (None, None) => unreachable!("place() sets one"),
                };
                match result {
                    Ok(o) => stderr.push_str(&traces(&o, what_if)),
                    Err(e) => {
                        return fail(super::exit_code(&e), &crate::secrets::mask(&e.to_string()))
                    }
                }
            }
            // The final state: read again, or (what-if) the desired values laid over the current.
            // What ASP.NET refuses is said of the final state: of the file as it is when nothing
            // is written (no change, or what-if with none), of the file written otherwise (a
            // change may mend a value it refused); a what-if change is not judged for it here.
            if changes.is_empty() {
                stderr.insert_str(0, &warned);
            }
            let mut s = if what_if {
                let mut s = state(&p, view, &input);
                for k in &diff {
                    let projected = match p.section.attribute(k) {
                        Some(def) => canonical(def, &input[k.as_str()])
                            .map_or_else(|_| input[k.as_str()].clone(), |c| typed(def, &c)),
                        None => input[k.as_str()].clone(),
                    };
                    s.insert(k.clone(), projected);
                }
                s
            } else if changes.is_empty() {
                state(&p, view, &input)
            } else {
                match read_listed(&p) {
                    Ok((l, warned_after)) => {
                        stderr.insert_str(0, &warned_after);
                        state(&p, &l.view, &input)
                    }
                    Err(e) => return fail(super::exit_code(&e), &e.to_string()),
                }
            };
            // A write defines the section at the level.
            s.insert("_exist".into(), json!(exist || !changes.is_empty()));
            s.insert("_inDesiredState".into(), json!(true));
            Run {
                stdout: format!("{}{}\n", line(&s), json!(diff)),
                stderr,
                ..Run::default()
            }
        }
        "delete" => match exist.then(|| delete(&p, false)).transpose() {
            // The engine's delete prints nothing; a section not there is already deleted.
            Ok(t) => Run {
                stderr: t.unwrap_or_default(),
                ..Run::default()
            },
            Err(e) => fail(super::exit_code(&e), &crate::secrets::mask(&e.to_string())),
        },
        "export" => {
            let Some(server) = &p.server else {
                return fail(
                    Exit::Usage,
                    "export lists the levels of a server: give root",
                );
            };
            let searched = match crate::hierarchy::walk::search(server, None, &[p.section]) {
                Ok(f) => f,
                Err(e) => {
                    let e = ops::OpError::from(e);
                    return fail(super::exit_code(&e), &e.to_string());
                }
            };
            // The engine shows a resource's `warn` traces: an unmapped drive was not exported.
            let mut warnings: String = searched
                .unmapped
                .iter()
                .map(|(site, phys, why)| {
                    trace(
                        "warn",
                        &format!("site \"{site}\": {phys} was not exported: {why}"),
                    )
                })
                .collect();
            let mut out = String::new();
            let mut seen = std::collections::HashSet::new();
            for f in searched.found {
                if !seen.insert(f.config_path.to_lowercase()) {
                    continue;
                }
                let mut inst = input.clone();
                inst.insert("path".into(), json!(f.config_path));
                let q = Place {
                    path: Some(f.config_path.clone()),
                    commit: None,
                    server: Some(server.clone()),
                    file: None,
                    section: p.section,
                };
                match read_listed(&q) {
                    Ok((l, warned)) => {
                        warnings.push_str(&warned);
                        // A level found may hold the section in a <location> of a file above
                        // it, not in the file the instance commits to: said as get says it.
                        let mut s = state(&q, &l.view, &inst);
                        s.insert("_exist".into(), json!(exists(&q).unwrap_or(true)));
                        out.push_str(&line(&s));
                    }
                    // A level that cannot be read (ASP.NET refuses it too) is said, never
                    // left out in silence.
                    Err(e) => warnings.push_str(&trace(
                        "warn",
                        &crate::secrets::mask(&format!(
                            "\"{}\" was not exported: {e}",
                            f.config_path
                        )),
                    )),
                }
            }
            Run {
                stdout: out,
                stderr: warnings,
                ..Run::default()
            }
        }
        other => fail(
            Exit::Usage,
            &format!(
                "sessctl dsc takes get, test, set, delete, export or manifest, not \"{other}\""
            ),
        ),
    };
    // What ASP.NET refuses in the section read is said before anything else a verb says
    // (set says it of the final state; delete removes the section; export says it of each
    // level it lists).
    if matches!(verb, "get" | "test") && run.code == Exit::Success {
        run.stderr.insert_str(0, &warned);
    }
    run.stderr.insert_str(0, &notes);
    run
}
