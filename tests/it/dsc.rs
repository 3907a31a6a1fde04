//! The DSC v3 resource, judged by Microsoft's own engine (`../shared/tools/dsc/dsc`, built from
//! its source): every test runs the engine with `DSC_RESOURCE_PATH` at `dsc/` and the built
//! sessctl first on `PATH`. The engine loads the manifest, validates every state sessctl returns
//! against the embedded schema, and fails the whole configuration otherwise.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{copy_tree, repo, tree};
use serde_json::{json, Value};

fn manifest() -> Value {
    serde_json::from_str(&fs::read_to_string(repo().join("dsc/sessctl.dsc.resource.json")).unwrap())
        .unwrap()
}

/// The engine, or `None` (and a note) when `../shared/tools/dsc` is not beside the checkout.
/// A copy of shared/ without its execute bits is run from an executable copy of the engine.
fn engine() -> Option<PathBuf> {
    static ENGINE: std::sync::OnceLock<Option<(Option<tempfile::TempDir>, PathBuf)>> =
        std::sync::OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let dsc = repo().join("../shared/tools/dsc/dsc");
            if !dsc.is_file() {
                eprintln!("../shared/tools/dsc/dsc not present: the engine tests are skipped");
                return None;
            }
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = fs::metadata(&dsc).ok()?.permissions().mode();
                if mode & 0o111 == 0 {
                    // The engine with its settings files beside it, as it was laid out.
                    let dir = tempfile::tempdir().ok()?;
                    for e in fs::read_dir(dsc.parent()?).ok()?.flatten() {
                        if e.path().is_file() {
                            fs::copy(e.path(), dir.path().join(e.file_name())).ok()?;
                        }
                    }
                    let copy = dir.path().join("dsc");
                    fs::set_permissions(&copy, fs::Permissions::from_mode(0o755)).ok()?;
                    return Some((Some(dir), copy));
                }
            }
            Some((None, dsc))
        })
        .as_ref()
        .map(|(_, p)| p.clone())
}

/// What one run of the engine did.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The last JSON document on stdout.
    fn json(&self) -> Value {
        let line = self
            .stdout
            .lines()
            .last()
            .unwrap_or_else(|| panic!("the engine printed nothing:\n{}", self.stderr));
        serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}\n{}", self.stderr))
    }
}

/// Run the engine in `dir` with the resource folder and sessctl on PATH.
fn dsc(dsc: &Path, dir: &Path, args: &[&str]) -> Run {
    let bin = Path::new(env!("CARGO_BIN_EXE_sessctl")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let out = Command::new(dsc)
        .args(args)
        .current_dir(dir)
        .env("DSC_RESOURCE_PATH", repo().join("dsc"))
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .output()
        .expect("run dsc");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `dsc resource VERB -r Sessctl.IIS/SessionState -o json -i INPUT` in `dir`.
fn resource(d: &Path, dir: &Path, verb: &str, input: &str) -> Run {
    dsc(
        d,
        dir,
        &["resource", verb, "-r", TYPE, "-o", "json", "-i", input],
    )
}

/// The `path` of each instance an export printed (its `resources`).
fn exported_paths(run: &Run) -> Vec<String> {
    run.json()["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| r["properties"]["path"].as_str().unwrap_or("").to_string())
        .collect()
}

/// A copy of the sample server in a temporary folder.
fn server() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("server");
    copy_tree(&repo().join("fixtures/server"), &root);
    (tmp, root)
}

const TYPE: &str = "Sessctl.IIS/SessionState";

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
    assert_eq!(m["type"], TYPE);
    assert_eq!(
        m["set"]["args"],
        json!(["dsc", "set", {"whatIfArg": "--what-if"}])
    );
}

#[test]
fn the_engine_loads_the_resource_with_its_capabilities() {
    let Some(d) = engine() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let listed = dsc(
        &d,
        tmp.path(),
        &["-l", "info", "resource", "list", "-o", "json"],
    );
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    assert!(
        !listed.stderr.contains("Failed to load manifest"),
        "{}",
        listed.stderr
    );
    let ours = listed
        .stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|r| r["type"] == TYPE)
        .unwrap_or_else(|| panic!("the engine does not list {TYPE}:\n{}", listed.stdout));
    assert_eq!(
        ours["capabilities"],
        json!([
            "get",
            "set",
            "setHandlesExist",
            "setWhatIf",
            "test",
            "delete",
            "export"
        ])
    );
}

#[test]
fn the_manifest_validates_against_the_engines_bundled_schema() {
    let Some(_) = engine() else { return };
    // One adaptation: the branches that accept an embedded schema of drafts 2019-09 and 07
    // refer to those drafts' metaschemas, which cannot be fetched offline; our embedded schema
    // is 2020-12 (checked against its metaschema by the branch kept), so those branches are read
    // as accepting anything.
    let text =
        fs::read_to_string(repo().join("../shared/tools/dsc/schemas/resource-manifest.json"))
            .unwrap();
    let mut schema: Value = serde_json::from_str(&text).unwrap();
    replace_ref(&mut schema, "https://json-schema.org/draft/2019-09/schema");
    replace_ref(&mut schema, "http://json-schema.org/draft-07/schema#");
    let validator = jsonschema::validator_for(&schema).expect("the bundled schema compiles");
    let m = manifest();
    let errors: Vec<String> = validator
        .iter_errors(&m)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    // The engine reads what-if as `{"whatIfArg": ...}` in set's args (its `whatIf` operation is
    // deprecated), which the schema bundled with the same commit does not describe yet: that one
    // item, and nothing else, is outside it.
    assert_eq!(
        errors.len(),
        1,
        "the manifest does not validate: {errors:#?}"
    );
    assert!(errors[0].starts_with("/set/args/2: "), "{errors:?}");
    let mut without = m.clone();
    without["set"]["args"] = json!(["dsc", "set"]);
    let rest: Vec<String> = validator
        .iter_errors(&without)
        .map(|e| e.to_string())
        .collect();
    assert!(rest.is_empty(), "{rest:?}");
}

/// Replace every `{"$ref": uri}` in `v` with `true`.
fn replace_ref(v: &mut Value, uri: &str) {
    match v {
        Value::Object(m) if m.len() == 1 && m.get("$ref").and_then(Value::as_str) == Some(uri) => {
            *v = Value::Bool(true)
        }
        Value::Object(m) => m.values_mut().for_each(|x| replace_ref(x, uri)),
        Value::Array(a) => a.iter_mut().for_each(|x| replace_ref(x, uri)),
        _ => {}
    }
}

#[test]
fn get_test_what_if_set_and_test_again_through_the_engine() {
    let Some(d) = engine() else { return };
    let (tmp, root) = server();
    let dir = tmp.path();
    let r = root.to_str().unwrap();
    let get = resource(
        &d,
        dir,
        "get",
        &json!({"root": r, "path": "Default Web Site/app1"}).to_string(),
    );
    assert_eq!(get.code, 0, "{}", get.stderr);
    let state = &get.json()["actualState"];
    assert_eq!(state["mode"], "StateServer");
    assert_eq!(state["cookieName"], "__app1");
    assert_eq!(state["timeout"], 20);
    // The engine validates the desired state against the embedded schema too: the schema's
    // spellings (sessctl's own `dsc test` also reads `stateserver` and `00:30:00`).
    let desired = json!({
        "root": r,
        "commit": "webroot",
        "mode": "StateServer",
        "stateConnectionString": "tcpip=state01:42424",
        "timeout": 30,
    })
    .to_string();
    let test = resource(&d, dir, "test", &desired);
    assert_eq!(test.code, 0, "{}", test.stderr);
    let t = test.json();
    assert_eq!(t["inDesiredState"], false);
    assert_eq!(
        t["differingProperties"],
        json!(["mode", "stateConnectionString", "timeout"])
    );
    // --what-if: the projected state, nothing written.
    let before = tree(&root);
    let what_if = dsc(
        &d,
        dir,
        &[
            "resource",
            "set",
            "--what-if",
            "-r",
            TYPE,
            "-o",
            "json",
            "-i",
            &desired,
        ],
    );
    assert_eq!(what_if.code, 0, "{}", what_if.stderr);
    let w = what_if.json();
    assert_eq!(w["afterState"]["mode"], "StateServer", "{w}");
    assert_eq!(w["afterState"]["timeout"], 30, "{w}");
    assert_eq!(tree(&root), before, "--what-if wrote");
    // set: the files change as the seed command changes them.
    let set = resource(&d, dir, "set", &desired);
    assert_eq!(set.code, 0, "{}", set.stderr);
    assert_eq!(
        set.json()["changedProperties"],
        json!(["mode", "stateConnectionString", "timeout"])
    );
    let seeded = tempfile::tempdir().unwrap();
    copy_tree(
        &repo().join("fixtures/server"),
        &seeded.path().join("server"),
    );
    let seed = common::run(
        seeded.path(),
        &[
            "set",
            "config",
            "/commit:WEBROOT",
            "/section:sessionState",
            "/mode:StateServer",
            "/stateConnectionString:tcpip=state01:42424",
            "/timeout:30",
            "--root",
            "server",
        ],
    );
    assert_eq!(seed.code, 0, "{}", seed.stderr());
    assert_eq!(tree(&root), tree(&seeded.path().join("server")));
    let again = resource(&d, dir, "test", &desired);
    assert_eq!(again.json()["inDesiredState"], true, "{}", again.stdout);
}

/// `_exist: false` removes the section from the commit level, as `clear config` does: the site's
/// own, and an application's kept in a configSource file (emptied); the engine tests the
/// document out of the desired state, sets it, and finds it in the desired state after;
/// `resource delete` of a level that defines nothing changes nothing.
#[test]
fn exist_false_removes_the_section_from_the_level_through_the_engine() {
    let Some(d) = engine() else { return };
    let (tmp, root) = server();
    let dir = tmp.path();
    let r = root.to_str().unwrap();
    let doc = dir.join("absent.dsc.yaml");
    fs::write(
        &doc,
        format!(
            "$schema: https://aka.ms/dsc/schemas/v3/bundled/config/document.json
resources:
  - name: site
    type: {TYPE}
    properties:
      root: {r}
      path: Default Web Site
      _exist: false
  - name: app
    type: {TYPE}
    properties:
      root: {r}
      path: Default Web Site/app1
      _exist: false
"
        ),
    )
    .unwrap();
    let doc = doc.to_str().unwrap();
    let results = |run: &Run, key: &str| -> Vec<Value> {
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.json()["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["result"][key].clone())
            .collect()
    };
    let test = dsc(&d, dir, &["config", "test", "-f", doc, "-o", "json"]);
    assert_eq!(
        results(&test, "inDesiredState"),
        [json!(false), json!(false)]
    );
    assert_eq!(
        results(&test, "differingProperties"),
        [json!(["_exist"]), json!(["_exist"])]
    );
    // --what-if: nothing written, the level's section gone from the projected state.
    let before = tree(&root);
    let site = json!({"root": r, "path": "Default Web Site", "_exist": false}).to_string();
    let what_if = dsc(
        &d,
        dir,
        &[
            "resource",
            "set",
            "--what-if",
            "-r",
            TYPE,
            "-o",
            "json",
            "-i",
            &site,
        ],
    );
    assert_eq!(what_if.code, 0, "{}", what_if.stderr);
    assert_eq!(what_if.json()["afterState"]["_exist"], false);
    assert_eq!(what_if.json()["changedProperties"], json!(["_exist"]));
    assert_eq!(tree(&root), before, "--what-if wrote");
    let set = dsc(&d, dir, &["config", "set", "-f", doc, "-o", "json"]);
    assert_eq!(
        results(&set, "changedProperties"),
        [json!(["_exist"]), json!(["_exist"])]
    );
    // The files as `clear config` leaves them.
    let seeded = tempfile::tempdir().unwrap();
    let seeded_root = seeded.path().join("server");
    copy_tree(&repo().join("fixtures/server"), &seeded_root);
    for path in ["Default Web Site", "Default Web Site/app1"] {
        let out = common::run(
            seeded.path(),
            &[
                "clear",
                "config",
                path,
                "/section:sessionState",
                "--root",
                "server",
            ],
        );
        assert_eq!(out.code, 0, "{}", out.stderr());
    }
    assert_eq!(tree(&root), tree(&seeded_root));
    let again = dsc(&d, dir, &["config", "test", "-f", doc, "-o", "json"]);
    assert_eq!(
        results(&again, "inDesiredState"),
        [json!(true), json!(true)]
    );
    // What get says of a level that defines nothing, and a delete of it.
    let instance = json!({"root": r, "path": "Default Web Site"}).to_string();
    let get = resource(&d, dir, "get", &instance);
    assert_eq!(get.code, 0, "{}", get.stderr);
    assert_eq!(get.json()["actualState"]["_exist"], false);
    let before = tree(&root);
    let delete = resource(&d, dir, "delete", &instance);
    assert_eq!(delete.code, 0, "{}", delete.stderr);
    assert_eq!(tree(&root), before);
}

/// `resource delete` removes the section from the level the instance names.
#[test]
fn resource_delete_removes_the_section_through_the_engine() {
    let Some(d) = engine() else { return };
    let (tmp, root) = server();
    let instance = json!({"root": root.to_str().unwrap(), "path": "Default Web Site"}).to_string();
    let delete = resource(&d, tmp.path(), "delete", &instance);
    assert_eq!(delete.code, 0, "{}", delete.stderr);
    assert_eq!(
        // (The fixture's line ends are CRLF, and stay so.)
        fs::read_to_string(root.join("inetpub/wwwroot/web.config")).unwrap(),
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration>\r\n    <system.web>\r\n        <compilation debug=\"false\" targetFramework=\"4.8\" />\r\n    </system.web>\r\n</configuration>\r\n"
    );
}

/// A configuration document of three instances: the root web.config, a site and an application.
fn document(root: &str) -> String {
    format!(
        "$schema: https://aka.ms/dsc/schemas/v3/bundled/config/document.json
resources:
  - name: webroot
    type: {TYPE}
    properties:
      root: {root}
      commit: webroot
      mode: StateServer
      stateConnectionString: tcpip=state01:42424
  - name: site
    type: {TYPE}
    properties:
      root: {root}
      path: Default Web Site
      mode: SQLServer
      timeout: 30
  - name: app
    type: {TYPE}
    properties:
      root: {root}
      path: Default Web Site/app1
      cookieName: __app1
"
    )
}

#[test]
fn config_test_set_and_export_of_several_instances_on_legacy_spellings() {
    let Some(d) = engine() else { return };
    let (tmp, root) = server();
    let dir = tmp.path();
    // Spellings the files may hold: cookieless="false" (ASP.NET reads it), mode="sqlserver"
    // (ASP.NET refuses it; a set of mode rewrites it). Every state must carry the schema's.
    let site = root.join("inetpub/wwwroot/web.config");
    let text = fs::read_to_string(&site).unwrap().replace(
        "<sessionState mode=\"InProc\" timeout=\"20\" />",
        "<sessionState mode=\"sqlserver\" cookieless=\"false\" timeout=\"20\" />",
    );
    fs::write(&site, text).unwrap();
    fs::write(
        dir.join("session.dsc.yaml"),
        document(root.to_str().unwrap()),
    )
    .unwrap();
    let test = dsc(
        &d,
        dir,
        &["config", "test", "-f", "session.dsc.yaml", "-o", "json"],
    );
    assert_eq!(test.code, 0, "{}", test.stderr);
    let t = test.json();
    assert_eq!(t["hadErrors"], false);
    let results = t["results"].as_array().unwrap();
    let by_name = |n: &str| &results.iter().find(|r| r["name"] == n).unwrap()["result"];
    assert_eq!(by_name("site")["actualState"]["cookieless"], "UseCookies");
    assert_eq!(by_name("site")["actualState"]["mode"], "SQLServer");
    assert_eq!(by_name("webroot")["inDesiredState"], false);
    assert_eq!(by_name("app")["inDesiredState"], true);
    let set = dsc(
        &d,
        dir,
        &["config", "set", "-f", "session.dsc.yaml", "-o", "json"],
    );
    assert_eq!(set.code, 0, "{}", set.stderr);
    assert_eq!(set.json()["hadErrors"], false);
    assert!(fs::read_to_string(&site)
        .unwrap()
        .contains("<sessionState mode=\"SQLServer\" cookieless=\"false\" timeout=\"30\" />"));
    let again = dsc(
        &d,
        dir,
        &["config", "test", "-f", "session.dsc.yaml", "-o", "json"],
    );
    for r in again.json()["results"].as_array().unwrap() {
        assert_eq!(r["result"]["inDesiredState"], true, "{r}");
    }
    let export = dsc(
        &d,
        dir,
        &["config", "export", "-f", "session.dsc.yaml", "-o", "json"],
    );
    assert_eq!(export.code, 0, "{}", export.stderr);
    let paths = exported_paths(&export);
    assert!(paths.iter().any(|p| p == "MACHINE/WEBROOT"), "{paths:?}");
    assert!(
        paths
            .iter()
            .any(|p| p == "MACHINE/WEBROOT/APPHOST/Default Web Site/app1"),
        "{paths:?}"
    );
}

#[test]
fn an_invalid_value_and_a_locked_path_fail_with_sessctls_message_and_code() {
    let Some(d) = engine() else { return };
    let (tmp, root) = server();
    let dir = tmp.path();
    let r = root.to_str().unwrap();
    // A section the site's level cannot hold: applicationHost.config locks it for the site.
    fs::write(
        root.join("inetpub/locked/web.config"),
        "<configuration>\n  <system.web>\n    <sessionState timeout=\"6\" />\n  </system.web>\n</configuration>\n",
    )
    .unwrap();
    let before = tree(&root);
    // Removing it is refused as clear config refuses it (33), the files untouched.
    let absent = json!({"root": r, "path": "Locked Site", "_exist": false}).to_string();
    for op in [
        &["resource", "set", "-r", TYPE, "-i", &absent][..],
        &["resource", "delete", "-r", TYPE, "-i", &absent][..],
    ] {
        let run = dsc(&d, dir, op);
        assert!(
            run.stderr.contains("locked") && run.stderr.contains("[exit code 33]"),
            "{op:?}: {}",
            run.stderr
        );
    }
    // A non-boolean `_exist` (which sessctl refuses with 87 on its own) is refused by the
    // engine itself, from the manifest's schema, before sessctl runs.
    let not_bool = json!({"root": r, "path": "Default Web Site", "_exist": "no"}).to_string();
    for op in ["test", "set"] {
        let run = resource(&d, dir, op, &not_bool);
        assert!(
            run.code != 0 && run.stderr.contains(r#""no" is not of type "boolean""#),
            "{op}: {} {}",
            run.code,
            run.stderr
        );
    }
    let broken = json!({"root": r, "path": "Default Web Site", "mode": "StateServer", "stateConnectionString": "tcpip=server"}).to_string();
    let run = resource(&d, dir, "set", &broken);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr
            .contains("it has no port, and there is no default")
            && run.stderr.contains("[exit code 13]"),
        "{}",
        run.stderr
    );
    let locked = json!({"root": r, "path": "Locked Site", "timeout": 5}).to_string();
    let run = resource(&d, dir, "set", &locked);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("locked") && run.stderr.contains("[exit code 33]"),
        "{}",
        run.stderr
    );
    let invalid =
        json!({"root": r, "path": "Default Web Site", "sqlCommandTimeout": "soon"}).to_string();
    let run = resource(&d, dir, "test", &invalid);
    assert_ne!(run.code, 0, "{}", run.stdout);
    // A commit that is no keyword nor config path is refused before anything is read (87);
    // an empty one is the default (the PATH's own level).
    let misspelled =
        json!({"root": r, "path": "Default Web Site", "commit": "webrot", "timeout": 30})
            .to_string();
    let run = resource(&d, dir, "set", &misspelled);
    assert!(
        run.stderr.contains("invalid commit \"webrot\"") && run.stderr.contains("[exit code 87]"),
        "{}",
        run.stderr
    );
    // root and file both: which was meant is not guessed (87), whichever the engine asks; an
    // empty file (a variable the document left unset) names nothing: said (87), not looked up
    // as a file called "".
    let web_config = root.join("inetpub/wwwroot/web.config");
    let both = json!({"root": r, "file": web_config.to_str().unwrap(), "timeout": 30});
    let unset = json!({"file": "", "timeout": 30});
    for (input, said) in [
        (both, "gives both root (a server tree) and file"),
        (
            unset,
            "file needs a path, and the instance gives an empty one",
        ),
    ] {
        for op in ["get", "set"] {
            let run = resource(&d, dir, op, &input.to_string());
            assert!(
                run.stderr.contains(said) && run.stderr.contains("[exit code 87]"),
                "{op}: {}",
                run.stderr
            );
        }
    }
    assert_eq!(tree(&root), before, "a failure wrote");
    let empty =
        json!({"root": r, "path": "Default Web Site", "commit": "", "timeout": 20}).to_string();
    let run = resource(&d, dir, "test", &empty);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A change at the root web.config that would break what a site's web.config says (the site's
/// SQLServer mode reading a connection string that names a database; the site's customProvider
/// naming a provider the root defines, taken out with the section) is refused through the
/// engine as `set config` refuses it (exit 13), nothing written.
#[test]
fn a_change_that_breaks_a_level_below_fails_through_the_engine() {
    let Some(d) = engine() else { return };
    let (tmp, root) = server();
    let dir = tmp.path();
    let r = root.to_str().unwrap();
    let shop = root.join("inetpub/shop/web.config");
    fs::write(
        &shop,
        "<configuration>\n  <system.web>\n    <sessionState mode=\"SQLServer\" />\n  </system.web>\n</configuration>\n",
    )
    .unwrap();
    let before = tree(&root);
    let catalog = json!({"root": r, "commit": "WEBROOT", "sqlConnectionString": "data source=db01;Initial Catalog=S;Integrated Security=SSPI"}).to_string();
    let run = resource(&d, dir, "set", &catalog);
    assert!(
        run.stderr
            .contains("the change would break 1 definition below it")
            && run.stderr.contains("shop/web.config:3:19 (SS007")
            && run.stderr.contains("[exit code 13]"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(&root), before, "a refused set wrote");
    // The root's provider, which the site names, goes with the section: refused too.
    let web_root = root.join("Windows/Microsoft.NET/Framework64/v4.0.30319/Config/web.config");
    let text = fs::read_to_string(&web_root).unwrap().replacen(
        "    </system.web>",
        "        <sessionState><providers><add name=\"Redis\" type=\"Microsoft.Web.Redis.RedisSessionStateProvider\" /></providers></sessionState>\r\n    </system.web>",
        1,
    );
    fs::write(&web_root, text).unwrap();
    fs::write(
        &shop,
        "<configuration>\n  <system.web>\n    <sessionState mode=\"Custom\" customProvider=\"Redis\" />\n  </system.web>\n</configuration>\n",
    )
    .unwrap();
    let before = tree(&root);
    let absent = json!({"root": r, "commit": "WEBROOT", "_exist": false}).to_string();
    for op in ["set", "delete"] {
        let run = resource(&d, dir, op, &absent);
        assert!(
            run.stderr
                .contains("customProvider=\"Redis\" names no provider")
                && run.stderr.contains("[exit code 13]"),
            "{op}: {}",
            run.stderr
        );
    }
    assert_eq!(tree(&root), before, "a refused removal wrote");
}

/// A section ASP.NET already refuses for its structure (an element it does not take), or a
/// file IIS refuses for a section nobody declared (`<SessionState>`), is not written into
/// through the engine either: the resource fails with sessctl's reason and exit 13, nothing
/// written, as `set config` does.
#[test]
fn a_set_into_a_section_already_refused_fails_through_the_engine() {
    let Some(d) = engine() else { return };
    let (tmp, root) = server();
    let dir = tmp.path();
    let r = root.to_str().unwrap();
    let shop = root.join("inetpub/shop/web.config");
    let desired = json!({"root": r, "path": "Default Web Site/shop", "timeout": 30}).to_string();
    for (body, says) in [
        (
            "<sessionState mode=\"InProc\">\n      <provider name=\"Redis\" />\n    </sessionState>",
            "<provider> is not an element of <sessionState>",
        ),
        (
            "<SessionState mode=\"InProc\" />",
            "<SessionState> is not a configuration section",
        ),
    ] {
        let text = format!(
            "<configuration>\n  <system.web>\n    {body}\n  </system.web>\n</configuration>\n"
        );
        fs::write(&shop, text).unwrap();
        let before = tree(&root);
        let run = resource(&d, dir, "set", &desired);
        assert!(
            run.stderr.contains(says) && run.stderr.contains("[exit code 13]"),
            "{body}: {}",
            run.stderr
        );
        assert_eq!(tree(&root), before, "a refused set wrote");
    }
}

#[test]
fn passwords_are_masked_in_every_state_while_set_compares_real_values() {
    let Some(d) = engine() else { return };
    let (tmp, root) = server();
    let dir = tmp.path();
    let r = root.to_str().unwrap();
    let conn = "Data Source=db;User ID=s;Password=Zz9secret";
    let desired = json!({"root": r, "path": "Default Web Site", "mode": "SQLServer", "sqlConnectionString": conn}).to_string();
    let set = resource(&d, dir, "set", &desired);
    assert_eq!(set.code, 0, "{}", set.stderr);
    let test = resource(&d, dir, "test", &desired);
    // The real value is compared: in the desired state, though the state shows ****.
    assert_eq!(test.json()["inDesiredState"], true, "{}", test.stdout);
    let get = resource(
        &d,
        dir,
        "get",
        &json!({"root": r, "path": "Default Web Site"}).to_string(),
    );
    let export = resource(&d, dir, "export", &json!({"root": r}).to_string());
    assert_eq!(
        get.json()["actualState"]["sqlConnectionString"],
        "Data Source=db;User ID=s;Password=****"
    );
    // Every state sessctl gives the engine is masked (the engine echoes the desired state it
    // was given, which is the caller's own text).
    for run in [&set, &test, &get, &export] {
        let mut doc = run.json();
        if let Some(m) = doc.as_object_mut() {
            m.remove("desiredState");
        }
        assert!(
            !doc.to_string().contains("Zz9secret") && !run.stderr.contains("Zz9secret"),
            "{doc}\n{}",
            run.stderr
        );
    }
}

/// The README's configuration document, run through the engine as printed.
#[test]
fn the_readme_document_runs_through_the_engine() {
    let Some(d) = engine() else { return };
    let readme = fs::read_to_string(repo().join("README.md")).unwrap();
    let start = readme
        .find("# session.dsc.yaml\n")
        .expect("the README's DSC document");
    let doc = &readme[start..readme[start..].find("```").unwrap() + start];
    let (tmp, root) = server();
    let dir = tmp.path();
    fs::write(dir.join("session.dsc.yaml"), doc).unwrap();
    let with_root = |args: &[&str]| {
        let bin = Path::new(env!("CARGO_BIN_EXE_sessctl")).parent().unwrap();
        let out = Command::new(&d)
            .args(args)
            .current_dir(dir)
            .env("DSC_RESOURCE_PATH", repo().join("dsc"))
            .env("PATH", bin)
            .env("SESSCTL_ROOT", &root)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_str::<Value>(text.lines().last().unwrap()).unwrap()
    };
    let test = with_root(&["config", "test", "-f", "session.dsc.yaml", "-o", "json"]);
    assert_eq!(test["results"][0]["result"]["inDesiredState"], false);
    with_root(&["config", "set", "-f", "session.dsc.yaml", "-o", "json"]);
    let webroot = fs::read_to_string(
        root.join("Windows/Microsoft.NET/Framework64/v4.0.30319/Config/web.config"),
    )
    .unwrap();
    assert!(
        webroot.contains("stateConnectionString=\"tcpip=state01:42424\""),
        "{webroot}"
    );
    let again = with_root(&["config", "test", "-f", "session.dsc.yaml", "-o", "json"]);
    assert_eq!(again["results"][0]["result"]["inDesiredState"], true);
}

/// A site on drive D: is read and set through the engine when the instance maps the drive
/// (`drives`, sessctl's --drive), and export then lists it instead of warning; an entry that
/// is not X:=DIR or \\server\share=DIR is refused with sessctl's message.
#[test]
fn drives_map_a_site_on_another_drive_through_the_engine() {
    let Some(d) = engine() else { return };
    let (tmp, root) = server();
    let dir = tmp.path();
    let d_drive = dir.join("d");
    copy_tree(&repo().join("fixtures/drive-d"), &d_drive);
    let r = root.to_str().unwrap();
    let drives = json!([format!("D:={}", d_drive.display())]);
    let get = resource(
        &d,
        dir,
        "get",
        &json!({"root": r, "drives": drives, "path": "Intranet"}).to_string(),
    );
    assert_eq!(get.code, 0, "{}", get.stderr);
    let state = &get.json()["actualState"];
    assert_eq!(state["mode"], "StateServer");
    assert_eq!(state["timeout"], 30);
    assert_eq!(state["drives"], drives);
    let set = resource(
        &d,
        dir,
        "set",
        &json!({"root": r, "drives": drives, "path": "Intranet", "timeout": 45}).to_string(),
    );
    assert_eq!(set.code, 0, "{}", set.stderr);
    let written = fs::read_to_string(d_drive.join("sites/intranet/web.config")).unwrap();
    assert!(
        written.contains(r#"<sessionState mode="StateServer" stateConnectionString="tcpip=state01:42424" timeout="45" />"#),
        "{written}"
    );
    let export = resource(
        &d,
        dir,
        "export",
        &json!({"root": r, "drives": drives}).to_string(),
    );
    assert_eq!(export.code, 0, "{}", export.stderr);
    assert!(!export.stderr.contains("Intranet"), "{}", export.stderr);
    let paths = exported_paths(&export);
    assert!(
        paths.contains(&"MACHINE/WEBROOT/APPHOST/Intranet".to_string()),
        "{paths:?}"
    );
    // Not a mapping, and a mapping to no folder (which would read the current one).
    for entry in ["D", "D:="] {
        let bad = resource(
            &d,
            dir,
            "get",
            &json!({"root": r, "drives": [entry], "path": "Intranet"}).to_string(),
        );
        assert_ne!(bad.code, 0);
        assert!(
            bad.stderr.contains(&format!(
                r#"drives takes X:=DIR or \\server\share=DIR entries, not "{entry}""#
            )) && bad.stderr.contains("exit code 87"),
            "{}",
            bad.stderr
        );
    }
    let with_file = resource(
        &d,
        dir,
        "get",
        &json!({"file": root.join("inetpub/shop/web.config"), "drives": drives}).to_string(),
    );
    assert!(
        with_file.stderr.contains(
            "the instance gives drives with file (one configuration file): drives map a server tree's drives; give root"
        ) && with_file.stderr.contains("exit code 87"),
        "{}",
        with_file.stderr
    );
}

/// The sample server's shop site with its session section written as `with` instead: the
/// file's path and its new text.
fn shop_section_written_as(root: &Path, with: &str) -> (PathBuf, String) {
    let shop = root.join("inetpub/shop/web.config");
    let text = std::fs::read_to_string(&shop).unwrap();
    let written = text.replacen(
        "<sessionState mode=\"InProc\" cookieless=\"UseCookies\" />",
        with,
        1,
    );
    assert_ne!(written, text);
    std::fs::write(&shop, &written).unwrap();
    (shop, written)
}

/// Export over a server with a level ASP.NET refuses (a section defined twice in one scope):
/// the level is named in a `warn` trace, never left out in silence, and the rest is exported.
#[test]
fn export_warns_through_the_engine_about_a_level_it_cannot_read() {
    let Some(d) = engine() else { return };
    let (tmp, root) = server();
    let (shop, _) = shop_section_written_as(
        &root,
        "<sessionState mode=\"InProc\" cookieless=\"UseCookies\" />\r\n        <sessionState timeout=\"5\" />",
    );
    let input = json!({"root": root.to_str().unwrap()}).to_string();
    let run = resource(&d, tmp.path(), "export", &input);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let said = format!(
        "\"MACHINE/WEBROOT/APPHOST/Default Web Site/shop\" was not exported: {}:5:9: <sessionState> appears 2 times in the same scope (lines 4, 5); ASP.NET allows it once",
        shop.display()
    );
    assert!(
        run.stderr.contains("WARN") && run.stderr.contains(&said),
        "{}",
        run.stderr
    );
    let paths = exported_paths(&run);
    assert!(
        paths.contains(&"MACHINE/WEBROOT/APPHOST/Default Web Site/app1".to_string())
            && !paths.iter().any(|p| p.ends_with("/shop")),
        "{paths:?}"
    );
}

/// What `list config` warns of, the engine shows as warnings of `get`, `test` and `export`: a
/// site's section holding an element ASP.NET refuses (`<provider>`) reads with its values, but
/// no request sees them, and each verb says so in a `warn` trace naming the file and line; an
/// encrypted section is said to be unreadable here.
#[test]
fn get_test_and_export_warn_through_the_engine_of_a_section_aspnet_refuses() {
    let Some(d) = engine() else { return };
    let (tmp, root) = server();
    let (shop, refused) = shop_section_written_as(
        &root,
        "<sessionState mode=\"InProc\" cookieless=\"UseCookies\">\r\n          <provider name=\"x\" />\r\n        </sessionState>",
    );
    let said = format!(
        "{}:5: <provider> is not an element of <sessionState> (did you mean <providers>?), which has <providers>: ASP.NET refuses the section (\"Unrecognized element 'provider'\")",
        shop.display()
    );
    let r = root.to_str().unwrap();
    let at = json!({"root": r, "path": "Default Web Site/shop"}).to_string();
    let desired = json!({"root": r, "path": "Default Web Site/shop", "mode": "InProc"}).to_string();
    // (A set with nothing to change reads the section as it stays.)
    for (verb, input) in [
        ("get", &at),
        ("test", &desired),
        ("set", &desired),
        ("export", &at),
    ] {
        let run = resource(&d, tmp.path(), verb, input);
        assert_eq!(run.code, 0, "{verb}: {}", run.stderr);
        assert!(
            run.stderr.contains("WARN") && run.stderr.contains(&said),
            "{verb}: {}",
            run.stderr
        );
    }
    // A set that mends what ASP.NET refused does not say it again: sessctl's warning is of the
    // final state, here the file as written.
    let app1 = root.join("inetpub/wwwroot/app1/Config/Session.config");
    let text = std::fs::read_to_string(&app1).unwrap();
    assert!(text.contains("mode=\"StateServer\""), "{text}");
    std::fs::write(
        &app1,
        text.replace("mode=\"StateServer\"", "mode=\"stateserver\""),
    )
    .unwrap();
    let app1_at = json!({"root": r, "path": "Default Web Site/app1"}).to_string();
    let get = resource(&d, tmp.path(), "get", &app1_at);
    assert!(
        get.stderr.contains("mode=\"stateserver\" is not valid"),
        "{}",
        get.stderr
    );
    let mend =
        json!({"root": r, "path": "Default Web Site/app1", "mode": "StateServer"}).to_string();
    let set = resource(&d, tmp.path(), "set", &mend);
    assert_eq!(set.code, 0, "{}", set.stderr);
    // (The engine gets the state before a set: its warning is of that state, said once.)
    assert_eq!(
        set.stderr.matches("is not valid").count(),
        1,
        "{}",
        set.stderr
    );
    assert_eq!(std::fs::read_to_string(&app1).unwrap(), text);
    // An encrypted section (a file instance): its values cannot be read here, and get says so.
    let encrypted = tmp.path().join("encrypted/web.config");
    fs::create_dir_all(encrypted.parent().unwrap()).unwrap();
    fs::copy(repo().join("fixtures/shapes/encrypted.config"), &encrypted).unwrap();
    let get = resource(
        &d,
        tmp.path(),
        "get",
        &json!({"file": encrypted.to_str().unwrap()}).to_string(),
    );
    assert_eq!(get.code, 0, "{}", get.stderr);
    assert!(
        get.stderr.contains("WARN") && get.stderr.contains(&format!(
            "{}: system.web/sessionState is encrypted with configProtectionProvider \"RsaProtectedConfigurationProvider\"; its values cannot be read here",
            encrypted.display()
        )),
        "{}",
        get.stderr
    );
    // The section of another site, which ASP.NET reads, is exported without a warning of it.
    let run = resource(
        &d,
        tmp.path(),
        "get",
        &json!({"root": r, "path": "Default Web Site/app1"}).to_string(),
    );
    assert!(!run.stderr.contains("Unrecognized"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&shop).unwrap(), refused);
}

/// Export over a server with a site on a drive that is not mapped: the engine shows sessctl's
/// `warn` trace as a warning and still exports what it could read.
#[test]
fn export_warns_through_the_engine_about_an_unmapped_drive() {
    let Some(d) = engine() else { return };
    let (tmp, root) = server();
    let input = json!({"root": root.to_str().unwrap()}).to_string();
    let run = resource(&d, tmp.path(), "export", &input);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "WARN"
        ) && run.stderr.contains(
            "site \"Intranet\": D:\\sites\\intranet was not exported: \"D:\\sites\\intranet\" is on drive D:, which is not mapped: give --drive D:=DIR"
        ),
        "{}",
        run.stderr
    );
    let doc = run.json();
    let paths = exported_paths(&run);
    assert!(
        paths
            .iter()
            .any(|p| p == "MACHINE/WEBROOT/APPHOST/Default Web Site"),
        "{paths:?}"
    );
    // `_exist` as get says it: "Locked Site" gets its section from a <location> in
    // applicationHost.config, not from the site's own level its instance commits to.
    let exist: Vec<(&str, &Value)> = doc["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["properties"]["path"].as_str().unwrap(),
                &r["properties"]["_exist"],
            )
        })
        .collect();
    assert_eq!(
        exist,
        [
            ("MACHINE/WEBROOT/APPHOST/Locked Site", &json!(false)),
            ("MACHINE/WEBROOT/APPHOST/Default Web Site", &json!(true)),
            (
                "MACHINE/WEBROOT/APPHOST/Default Web Site/app1",
                &json!(true)
            ),
            (
                "MACHINE/WEBROOT/APPHOST/Default Web Site/shop",
                &json!(true)
            ),
        ]
    );
}

/// A commit given with file is said to be ignored (a warning the engine shows), as the command
/// line notes `/commit:` with `--file`; the file is read and written all the same.
#[test]
fn a_commit_given_with_file_is_reported_ignored_through_the_engine() {
    let Some(d) = engine() else { return };
    let (tmp, root) = server();
    let file = root.join("inetpub/wwwroot/web.config");
    let input =
        json!({"file": file.to_str().unwrap(), "commit": "webroot", "timeout": 20}).to_string();
    let run = resource(&d, tmp.path(), "test", &input);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("WARN")
            && run.stderr.contains(
                "commit \"webroot\" ignored: with file, the file itself is the commit target"
            ),
        "{}",
        run.stderr
    );
    assert_eq!(run.json()["inDesiredState"], json!(true), "{}", run.stdout);
}
