//! The DSC v3 resource `Sessctl.IIS/SessionState` (SPEC §8): `sessctl dsc get|test|set|export`
//! read one JSON object on stdin and write JSON Lines on stdout, traces as JSON lines on stderr.
//! The instance is flat and typed, generated from the schema table; `test` compares canonical
//! values (`sqlserver` equals `SQLServer`, `00:20:00` equals `20`); `set --what-if` computes and
//! writes nothing. `sessctl dsc manifest` prints `dsc/sessctl.dsc.resource.json`.

use serde_json::{json, Map, Value};

use super::{Exit, Run};
use crate::hierarchy::chain::Chain;
use crate::hierarchy::effective::SectionView;
use crate::hierarchy::path::Commit;
use crate::hierarchy::path::Scope;
use crate::hierarchy::server::{PathCache, Server};
use crate::ops::{self, Change, Target, WriteOptions};
use crate::schema::value::{parse_input, same_meaning, InvalidValue};
use crate::schema::{find_section, SectionDef, ValueType, SECTIONS};

/// The engine's definition of the canonical `_inDesiredState` property.
const IN_DESIRED_STATE: &str =
    "https://aka.ms/dsc/schemas/v3/resource/properties/inDesiredState.json";

/// The properties that say where, not what.
const WHERE: [&str; 5] = ["path", "commit", "section", "root", "file"];

/// The JSON schema of an instance, from the schema table.
pub(crate) fn instance_schema() -> Value {
    let mut props = Map::new();
    props.insert("path".into(), json!({"type": "string", "description": "Config path, site path or URL (default: the server level, MACHINE/WEBROOT/APPHOST)"}));
    props.insert("commit".into(), json!({"type": "string", "description": "As appcmd's /commit: url, site, app, parent, apphost, webroot, machine or a config path"}));
    props.insert("section".into(), json!({"type": "string", "enum": ["sessionState", "sessionPageState"], "default": "sessionState"}));
    props.insert("root".into(), json!({"type": "string", "description": "The server tree standing for the system drive (default: SESSCTL_ROOT; on Windows the system drive)"}));
    props.insert(
        "file".into(),
        json!({"type": "string", "description": "One configuration file instead of a server"}),
    );
    for s in SECTIONS {
        for a in s.attributes {
            let ty = match &a.ty {
                ValueType::Bool => json!({"type": "boolean"}),
                ValueType::Enum(values) => {
                    json!({"type": "string", "enum": values.iter().map(|v| v.name).collect::<Vec<_>>()})
                }
                ValueType::Int { min, max } => {
                    json!({"type": "integer", "minimum": min, "maximum": max})
                }
                ValueType::TimeSpan { min, max, .. } => json!({"oneOf": [
                    {"type": "integer", "minimum": min, "maximum": max},
                    {"const": "Infinite"}
                ]}),
                ValueType::String => json!({"type": "string"}),
            };
            let mut ty = ty;
            ty["description"] = json!(format!(
                "{} ({}; default {})",
                a.doc,
                s.path,
                if a.default.is_empty() {
                    "empty"
                } else {
                    a.default
                }
            ));
            props.insert(a.name.into(), ty);
        }
    }
    props.insert("providers".into(), json!({
        "type": "array",
        "items": {"type": "object", "required": ["name", "type"], "properties": {"name": {"type": "string"}, "type": {"type": "string"}}, "additionalProperties": {"type": "string"}}
    }));
    // The engine's own definition of the canonical property (its manifest schema allows only
    // these references).
    props.insert(
        "_inDesiredState".into(),
        json!({ "$ref": IN_DESIRED_STATE }),
    );
    props.insert("origins".into(), json!({"type": "object", "readOnly": true, "additionalProperties": {"type": "string"}, "description": "FILE:LINE or default, per property"}));
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Sessctl.IIS/SessionState",
        "type": "object",
        "properties": props,
        "additionalProperties": false,
        // The referenced canonical property, bundled: the engine resolves it here, offline.
        "$defs": {
            IN_DESIRED_STATE: {
                "$id": IN_DESIRED_STATE,
                "title": "Instance is in the desired state",
                "description": "Whether the instance is in the desired state (read-only).",
                "type": ["boolean", "null"],
                "readOnly": true
            }
        },
    })
}

/// The resource manifest (`dsc/sessctl.dsc.resource.json`).
pub(crate) fn manifest() -> Value {
    let op = |verb: &str| json!({"executable": "sessctl", "args": ["dsc", verb], "input": "stdin"});
    let mut test = op("test");
    test["return"] = json!("stateAndDiff");
    let mut set = op("set");
    // What-if is an argument of `set` (the engine's `whatIfArg`; its older `whatIf` operation
    // is deprecated): the engine calls `sessctl dsc set --what-if`.
    set["args"] = json!(["dsc", "set", {"whatIfArg": "--what-if"}]);
    set["return"] = json!("stateAndDiff");
    set["implementsPretest"] = json!(false);
    json!({
        "$schema": "https://aka.ms/dsc/schemas/v3/bundled/resource/manifest.json",
        "type": "Sessctl.IIS/SessionState",
        "version": env!("CARGO_PKG_VERSION"),
        "description": "ASP.NET session state (system.web/sessionState, sessionPageState) of IIS, byte-exact, through sessctl",
        // The engine skips a manifest whose tags do not match ^\w+$.
        "tags": ["iis", "aspnet", "sessionstate", "webconfig"],
        "get": op("get"),
        "test": test,
        "set": set,
        "export": op("export"),
        "exitCodes": exit_codes(),
        "schema": {"embedded": instance_schema()},
    })
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

/// The manifest's `exitCodes`: every code of [`Exit`], and on Unix, where a process keeps only
/// the low 8 bits, the truncated numbers too.
fn exit_codes() -> Value {
    let mut codes = Map::new();
    for e in Exit::ALL {
        let code = e.code();
        codes.insert(code.to_string(), json!(e.meaning()));
        if code > 255 {
            codes.insert(
                (code & 0xFF).to_string(),
                json!(format!("{} ({code} on Windows)", e.meaning())),
            );
        }
    }
    Value::Object(codes)
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
    let file = text("file").map(std::path::PathBuf::from);
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
        let root = text("root")
            .or_else(|| std::env::var("SESSCTL_ROOT").ok().filter(|r| !r.is_empty()))
            .or_else(|| cfg!(windows).then(|| "C:\\".to_string()))
            .ok_or((
                Exit::Usage,
                "the instance needs root (a server tree) or file (one configuration file)"
                    .to_string(),
            ))?;
        Some(Server {
            root: root.into(),
            drives: vec![],
            clr: None,
            bits32: None,
            apphost_override: None,
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
    let mut out = Map::new();
    for k in WHERE {
        if let Some(v) = input.get(k) {
            out.insert(k.into(), v.clone());
        }
    }
    out.insert("section".into(), json!(p.section.name));
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

/// The desired properties that differ from the view, canonically compared.
fn differing(
    p: &Place,
    view: &SectionView,
    input: &Map<String, Value>,
) -> Result<Vec<String>, Invalid> {
    let mut out = Vec::new();
    for (k, v) in input {
        if WHERE.contains(&k.as_str()) || k == "_inDesiredState" || k == "origins" {
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
        let def = p
            .section
            .attribute(k)
            .ok_or_else(|| Invalid::UnknownProperty {
                name: k.clone(),
                section: p.section.path,
            })?;
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
        let def = p
            .section
            .attribute(&name)
            .ok_or_else(|| Invalid::UnknownProperty {
                name: name.clone(),
                section: p.section.path,
            })?;
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
                serde_json::to_string_pretty(&manifest()).unwrap_or_default()
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
    let view = match read(&p) {
        Ok(v) => v,
        Err(e) => return fail(super::exit_code(&e), &crate::secrets::mask(&e.to_string())),
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
            let s = state(&p, &view, &input);
            Run {
                stdout: line(&s),
                ..Run::default()
            }
        }
        "test" => {
            let diff = match differing(&p, &view, &input) {
                Ok(d) => d,
                Err(m) => return fail(Exit::Usage, &m.to_string()),
            };
            let mut s = state(&p, &view, &input);
            s.insert("_inDesiredState".into(), json!(diff.is_empty()));
            Run {
                stdout: format!("{}{}\n", line(&s), json!(diff)),
                ..Run::default()
            }
        }
        "set" => {
            let diff = match differing(&p, &view, &input) {
                Ok(d) => d,
                Err(m) => return fail(Exit::Usage, &m.to_string()),
            };
            let changes = match changes(&p, &view, &input) {
                Ok(c) => c,
                Err(m) => return fail(Exit::Usage, &m.to_string()),
            };
            let opts = WriteOptions {
                dry_run: what_if,
                force: false,
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
                        ops::server::set(chain, p.commit.as_ref(), p.section, &changes, &opts)
                    })
                    .map(|(o, _)| o),
                    (None, None) => unreachable!("place() sets one"),
                };
                match result {
                    Ok(o) => {
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
                    }
                    Err(e) => {
                        return fail(super::exit_code(&e), &crate::secrets::mask(&e.to_string()))
                    }
                }
            }
            // The final state: read again, or (what-if) the desired values laid over the current.
            let mut s = if what_if {
                let mut s = state(&p, &view, &input);
                for k in &diff {
                    let projected = match p.section.attribute(k) {
                        Some(def) => canonical(def, &input[k.as_str()])
                            .map_or_else(|_| input[k.as_str()].clone(), |c| typed(def, &c)),
                        None => input[k.as_str()].clone(),
                    };
                    s.insert(k.clone(), projected);
                }
                s
            } else {
                match read(&p) {
                    Ok(v) => state(&p, &v, &input),
                    Err(e) => return fail(super::exit_code(&e), &e.to_string()),
                }
            };
            s.insert("_inDesiredState".into(), json!(true));
            Run {
                stdout: format!("{}{}\n", line(&s), json!(diff)),
                stderr,
                ..Run::default()
            }
        }
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
            let warnings: String = searched
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
                if let Ok(v) = read(&q) {
                    out.push_str(&line(&state(&q, &v, &inst)));
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
            &format!("sessctl dsc takes get, test, set, export or manifest, not \"{other}\""),
        ),
    };
    run.stderr.insert_str(0, &notes);
    run
}
