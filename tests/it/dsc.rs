//! The DSC v3 resource, tested by playing the engine's part: the `dsc` CLI cannot be installed
//! here, so each operation is invoked exactly as `dsc/sessctl.dsc.resource.json` says
//! (executable, args, compact JSON on stdin), every stdout line is validated against the
//! embedded instance schema, and exit codes must be in the manifest's `exitCodes`.

use crate::common;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{copy_tree, repo, tree};
use serde_json::{json, Value};

fn manifest() -> Value {
    serde_json::from_str(&fs::read_to_string(repo().join("dsc/sessctl.dsc.resource.json")).unwrap())
        .unwrap()
}

/// Run one operation as the engine would: (exit code, stdout lines, stderr lines).
fn invoke(dir: &Path, op: &str, input: &Value, what_if: bool) -> (i32, Vec<Value>, Vec<Value>) {
    let m = manifest();
    let spec = &m[op];
    assert_eq!(spec["executable"], "sessctl");
    assert_eq!(spec["input"], "stdin");
    let mut args: Vec<String> = spec["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    if what_if {
        args.push(spec["whatIfArg"].as_str().unwrap().to_string());
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_sessctl"))
        .args(&args)
        .current_dir(dir)
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(input).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let lines = |b: &[u8]| -> Vec<Value> {
        String::from_utf8_lossy(b)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON Lines: {l}: {e}")))
            .collect()
    };
    let code = out.status.code().unwrap();
    assert!(
        m["exitCodes"].get(code.to_string()).is_some(),
        "exit code {code} is not in the manifest's exitCodes"
    );
    (code, lines(&out.stdout), lines(&out.stderr))
}

fn schema() -> jsonschema::Validator {
    jsonschema::validator_for(&manifest()["schema"]["embedded"])
        .expect("the embedded schema compiles")
}

#[test]
fn the_manifest_in_the_repository_is_current() {
    let out = Command::new(env!("CARGO_BIN_EXE_sessctl"))
        .args(["dsc", "manifest"])
        .output()
        .unwrap();
    let path = repo().join("dsc/sessctl.dsc.resource.json");
    if std::env::var_os("SESSCTL_BLESS").is_some() {
        fs::write(&path, &out.stdout).unwrap();
    }
    assert!(
        fs::read(&path).unwrap() == out.stdout,
        "dsc/sessctl.dsc.resource.json is stale: SESSCTL_BLESS=1 cargo test --test it dsc::"
    );
    let m = manifest();
    assert_eq!(m["type"], "Sessctl.IIS/SessionState");
    assert_eq!(m["test"]["return"], "stateAndDiff");
    assert_eq!(m["set"]["return"], "stateAndDiff");
    assert_eq!(m["set"]["whatIfArg"], "--what-if");
    for op in ["get", "test", "set", "export"] {
        assert_eq!(m[op]["input"], "stdin", "{op}");
    }
}

#[test]
fn get_test_set_and_export_as_an_engine_drives_them() {
    let validator = schema();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    copy_tree(&repo().join("fixtures/server"), &dir.join("server"));
    let desired = json!({
        "root": "server",
        "commit": "webroot",
        "mode": "stateserver",
        "stateConnectionString": "tcpip=loopback:42424",
        "timeout": "00:20:00",
        "useHostingIdentity": true,
    });
    let valid = |v: &Value| {
        let errors: Vec<String> = validator.iter_errors(v).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}\n{v}");
    };
    let (code, out, _) = invoke(
        dir,
        "get",
        &json!({"root": "server", "path": "Default Web Site"}),
        false,
    );
    assert_eq!(code, 0);
    assert_eq!(out.len(), 1);
    valid(&out[0]);
    assert_eq!(out[0]["mode"], "InProc");
    assert_eq!(out[0]["timeout"], 20);
    assert_eq!(
        out[0]["origins"]["timeout"],
        "server/inetpub/wwwroot/web.config:5"
    );
    // test: canonical comparison, state then the differing properties.
    let (code, out, _) = invoke(dir, "test", &desired, false);
    assert_eq!(code, 0);
    assert_eq!(out.len(), 2);
    valid(&out[0]);
    assert_eq!(out[0]["_inDesiredState"], false);
    assert_eq!(out[1], json!(["mode"]));
    // set --what-if writes nothing, bytes and modification times alike.
    let before = tree(&dir.join("server"));
    let webroot = dir.join("server/Windows/Microsoft.NET/Framework64/v4.0.30319/Config/web.config");
    let mtime = fs::metadata(&webroot).unwrap().modified().unwrap();
    let (code, out, err) = invoke(dir, "set", &desired, true);
    assert_eq!(code, 0);
    valid(&out[0]);
    assert_eq!(out[0]["mode"], "StateServer");
    assert_eq!(out[1], json!(["mode"]));
    assert!(
        err.iter().any(|e| e["info"]
            .as_str()
            .is_some_and(|s| s.starts_with("would write"))),
        "{err:?}"
    );
    assert_eq!(tree(&dir.join("server")), before);
    assert_eq!(fs::metadata(&webroot).unwrap().modified().unwrap(), mtime);
    // set writes the root web.config, and a second set changes nothing.
    let (code, out, _) = invoke(dir, "set", &desired, false);
    assert_eq!(code, 0);
    valid(&out[0]);
    assert_eq!(out[0]["mode"], "StateServer");
    assert_eq!(out[1], json!(["mode"]));
    assert!(fs::read_to_string(&webroot)
        .unwrap()
        .contains("<sessionState mode=\"StateServer\" />"));
    let after = tree(&dir.join("server"));
    let (code, out, _) = invoke(dir, "set", &desired, false);
    assert_eq!(code, 0);
    assert_eq!(out[1], json!([]));
    assert_eq!(tree(&dir.join("server")), after);
    let (_, out, _) = invoke(dir, "test", &desired, false);
    assert_eq!(out[0]["_inDesiredState"], true);
    // Providers: the effective collection made equal.
    let with_provider = json!({
        "root": "server", "path": "Default Web Site/shop", "mode": "Custom", "customProvider": "Redis",
        "providers": [{"name": "Redis", "type": "Microsoft.Web.Redis.RedisSessionStateProvider"}],
    });
    let (code, out, _) = invoke(dir, "set", &with_provider, false);
    assert_eq!(code, 0, "{out:?}");
    valid(&out[0]);
    assert_eq!(out[0]["providers"][0]["name"], "Redis");
    let (_, out, _) = invoke(dir, "test", &with_provider, false);
    assert_eq!(out[1], json!([]));
    // Errors: a lock (33), an invalid value (87), an unknown site (1168, 144 on Unix).
    let (code, out, err) = invoke(
        dir,
        "set",
        &json!({"root": "server", "path": "Locked Site", "timeout": 5}),
        false,
    );
    assert_eq!((code, out.len()), (33, 0));
    assert!(err[0]["error"].as_str().unwrap().contains("locked"));
    let (code, _, _) = invoke(
        dir,
        "test",
        &json!({"root": "server", "mode": "sideways"}),
        false,
    );
    assert_eq!(code, 87);
    let (code, _, _) = invoke(
        dir,
        "get",
        &json!({"root": "server", "path": "Nope"}),
        false,
    );
    assert_eq!(code, if cfg!(unix) { 144 } else { 1168 });
    // export: one instance per level that sets the section.
    let (code, out, _) = invoke(dir, "export", &json!({"root": "server"}), false);
    assert_eq!(code, 0);
    let paths: Vec<&str> = out.iter().map(|o| o["path"].as_str().unwrap()).collect();
    assert!(paths.contains(&"MACHINE/WEBROOT"), "{paths:?}");
    assert!(
        paths.contains(&"MACHINE/WEBROOT/APPHOST/Default Web Site/app1"),
        "{paths:?}"
    );
    for o in &out {
        valid(o);
    }
}
