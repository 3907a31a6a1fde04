//! The resource's manifest (`dsc/sessctl.dsc.resource.json`): the operations the engine calls,
//! the exit codes, and the instance's JSON schema, generated from the schema table.

use serde_json::{json, Map, Value};

use crate::cli::Exit;
use crate::schema::{ValueType, SECTIONS};

/// The engine's definition of the canonical `_inDesiredState` property.
const IN_DESIRED_STATE: &str =
    "https://aka.ms/dsc/schemas/v3/resource/properties/inDesiredState.json";

/// The engine's definition of the canonical `_exist` property.
const EXIST: &str = "https://aka.ms/dsc/schemas/v3/resource/properties/exist.json";

/// The JSON schema of an instance, from the schema table.
pub(super) fn instance_schema() -> Value {
    let mut props = Map::new();
    props.insert("path".into(), json!({"type": "string", "description": "Config path, site path or URL (default: the server level, MACHINE/WEBROOT/APPHOST)"}));
    props.insert("commit".into(), json!({"type": "string", "description": "As appcmd's /commit: url, site, app, parent, apphost, webroot, machine or a config path"}));
    props.insert("section".into(), json!({"type": "string", "enum": ["sessionState", "sessionPageState"], "default": "sessionState"}));
    props.insert("root".into(), json!({"type": "string", "description": "The server tree standing for the system drive (default: SESSCTL_ROOT; on Windows the system drive)"}));
    props.insert("drives".into(), json!({"type": "array", "items": {"type": "string"}, "description": "Other drives and network shares of the server tree, each X:=DIR or \\\\server\\share=DIR (sessctl's --drive)"}));
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
    props.insert("_exist".into(), json!({ "$ref": EXIST }));
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
            },
            EXIST: {
                "$id": EXIST,
                "title": "Instance should exist",
                "description": "Whether the section is defined at the commit level (false: removed from it, as clear config does).",
                "type": "boolean",
                "default": true
            }
        },
    })
}

/// The resource manifest (`dsc/sessctl.dsc.resource.json`).
pub(super) fn manifest() -> Value {
    let op = |verb: &str| json!({"executable": "sessctl", "args": ["dsc", verb], "input": "stdin"});
    let mut test = op("test");
    test["return"] = json!("stateAndDiff");
    let mut set = op("set");
    // What-if is an argument of `set` (the engine's `whatIfArg`; its older `whatIf` operation
    // is deprecated): the engine calls `sessctl dsc set --what-if`.
    set["args"] = json!(["dsc", "set", {"whatIfArg": "--what-if"}]);
    set["return"] = json!("stateAndDiff");
    set["implementsPretest"] = json!(false);
    // `_exist: false` removes the section at the commit level: handled by `set` (and by
    // `delete`, which the engine's `resource delete` calls).
    set["handlesExist"] = json!(true);
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
        "delete": op("delete"),
        "export": op("export"),
        "exitCodes": exit_codes(),
        "schema": {"embedded": instance_schema()},
    })
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
