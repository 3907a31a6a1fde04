//! The `--json` contract engines rely on: every write (set, clear, lock, unlock, restore backup)
//! and every failure validates against the schemas in `schemas/`, with the values a run of
//! each gives.

use crate::common;

use common::{copy_tree, repo, run};

fn validator(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(repo().join("schemas").join(name)).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

#[test]
fn every_write_and_failure_matches_the_schemas() {
    let write = validator("write.schema.json");
    let error = validator("error.schema.json");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    copy_tree(&repo().join("fixtures/server"), &dir.join("server"));
    copy_tree(&repo().join("fixtures/site"), &dir.join("site"));
    let r = ["--root", "server", "--json"];
    let writes: Vec<(Vec<&str>, bool, &str, &str)> = vec![
        (
            vec![
                "set",
                "config",
                "/commit:WEBROOT",
                "/section:sessionState",
                "/mode:StateServer",
                "/stateConnectionString:tcpip=loopback:42424",
            ],
            true,
            "MACHINE/WEBROOT/APPHOST",
            "MACHINE/WEBROOT",
        ),
        (
            vec![
                "set",
                "config",
                "/commit:WEBROOT",
                "/section:sessionState",
                "/mode:StateServer",
                "/stateConnectionString:tcpip=loopback:42424",
            ],
            false,
            "MACHINE/WEBROOT/APPHOST",
            "MACHINE/WEBROOT",
        ),
        (
            vec![
                "set",
                "config",
                "Default Web Site/app1",
                "/section:sessionState",
                "/timeout:45",
                "/commit:site",
                "--dry-run",
            ],
            true,
            "MACHINE/WEBROOT/APPHOST/Default Web Site/app1",
            "MACHINE/WEBROOT/APPHOST/Default Web Site",
        ),
        (
            vec![
                "clear",
                "config",
                "Default Web Site/shop",
                "/section:sessionState",
            ],
            true,
            "MACHINE/WEBROOT/APPHOST/Default Web Site/shop",
            "MACHINE/WEBROOT/APPHOST/Default Web Site/shop",
        ),
        (
            vec![
                "lock",
                "config",
                "Default Web Site",
                "/section:sessionState",
                "/commit:webroot",
                // The site's definitions below would stop the lock (exit 13).
                "--force",
            ],
            true,
            "MACHINE/WEBROOT/APPHOST/Default Web Site",
            "MACHINE/WEBROOT",
        ),
        (
            vec![
                "unlock",
                "config",
                "Default Web Site",
                "/section:sessionState",
                "/commit:webroot",
            ],
            true,
            "MACHINE/WEBROOT/APPHOST/Default Web Site",
            "MACHINE/WEBROOT",
        ),
    ];
    let backup = run(dir, &["add", "backup", "b", "--root", "server"]);
    assert_eq!(backup.code, 0, "{}", backup.stderr());
    for (args, changed, config, commit) in &writes {
        let out = run(dir, &[&args[..], &r].concat());
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr());
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let problems: Vec<String> = write.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(problems.is_empty(), "{args:?}: {problems:?}\n{doc}");
        assert_eq!(doc["changed"], *changed, "{args:?}");
        assert_eq!(doc["configPath"], *config, "{args:?}");
        assert_eq!(doc["commitPath"], *commit, "{args:?}");
        assert_eq!(
            doc["files"].as_array().unwrap().is_empty(),
            !changed,
            "{args:?}"
        );
    }
    let restore = run(
        dir,
        &["restore", "backup", "b", "--root", "server", "--json"],
    );
    let doc: serde_json::Value = serde_json::from_slice(&restore.stdout).unwrap();
    assert!(write.is_valid(&doc), "{doc}");
    assert_eq!(doc["changed"], true);
    // --file mode.
    let out = run(
        dir,
        &[
            "set",
            "config",
            "--file",
            "site/web.config",
            "/section:sessionState",
            "/timeout:33",
            "--json",
        ],
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(write.is_valid(&doc), "{doc}");
    assert_eq!(doc["configPath"], "site/web.config");
    assert_eq!(doc["commitPath"], "site/web.config");
    // Failures.
    for args in [
        vec![
            "set",
            "config",
            "Locked Site",
            "/section:sessionState",
            "/timeout:5",
            "--root",
            "server",
            "--json",
        ],
        vec!["list", "config", "Nope", "--root", "server", "--json"],
        // A lock over definitions ASP.NET would then refuse (exit 13).
        vec![
            "lock",
            "config",
            "Default Web Site/app1",
            "/section:sessionState",
            "/commit:site",
            "--root",
            "server",
            "--json",
        ],
        vec![
            "set",
            "config",
            "--file",
            "site/web.config",
            "/section:sessionState",
            "/mode:bogus",
            "--json",
        ],
    ] {
        let out = run(dir, &args);
        assert_ne!(out.code, 0);
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(error.is_valid(&doc), "{args:?}: {doc}");
    }
}
