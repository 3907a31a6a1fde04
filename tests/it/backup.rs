//! Backups that can undo a `/commit:WEBROOT` change: add a backup, change the server with every
//! `/commit` target, restore, and every file of the fixture server is byte-identical again.

use crate::common;

use std::fs;

use common::{copy_tree, repo, run, tree};

#[test]
fn a_restore_undoes_a_change_at_every_commit_level() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    copy_tree(&repo().join("fixtures/server"), &dir.join("server"));
    let before = tree(&dir.join("server"));
    let ok = |args: &[&str]| {
        let out = run(dir, args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr());
        out
    };
    let added = ok(&["add", "backup", "before-change", "--root", "server"]);
    assert_eq!(added.stdout(), "BACKUP object \"before-change\" added\n");
    // The backup holds the IIS files and every machine.config and root web.config.
    let backup = dir.join("server/Windows/System32/inetsrv/backup/before-change");
    assert!(backup.join("applicationHost.config").is_file());
    assert!(backup.join("administration.config").is_file());
    assert!(backup.join("redirection.config").is_file());
    for d in [
        "Framework64/v4.0.30319",
        "Framework/v4.0.30319",
        "Framework64/v2.0.50727",
        "Framework/v2.0.50727",
    ] {
        assert!(
            backup.join("NET").join(d).join("machine.config").is_file(),
            "{d}"
        );
        assert!(
            backup.join("NET").join(d).join("web.config").is_file(),
            "{d}"
        );
    }
    let s = "/section:sessionPageState";
    for (i, commit) in ["machine", "webroot", "apphost"].iter().enumerate() {
        let value = format!("/historySize:{}", 30 + i);
        let commit = format!("/commit:{commit}");
        ok(&[
            "set",
            "config",
            "Default Web Site",
            "--root",
            "server",
            s,
            &value,
            &commit,
        ]);
    }
    ok(&[
        "set",
        "config",
        "/commit:WEBROOT",
        "/section:sessionState",
        "/mode:StateServer",
        "/stateConnectionString:tcpip=loopback:42424",
        "--root",
        "server",
    ]);
    ok(&[
        "set",
        "config",
        "Default Web Site/legacy",
        "/commit:WEBROOT",
        "/section:sessionState",
        "/timeout:9",
        "--root",
        "server",
    ]);
    ok(&[
        "lock",
        "config",
        "Default Web Site/app1",
        "/section:sessionState",
        "--root",
        "server",
    ]);
    let listed = ok(&["list", "backup", "--root", "server"]);
    assert_eq!(listed.stdout(), "BACKUP \"before-change\"\n");
    // A dry run shows the diffs and writes nothing.
    let changed = tree(&dir.join("server"));
    let dry = ok(&[
        "restore",
        "backup",
        "before-change",
        "--root",
        "server",
        "--dry-run",
    ]);
    assert!(dry
        .stdout()
        .contains("--- a/server/Windows/Microsoft.NET/Framework/v2.0.50727/Config/web.config"));
    assert_eq!(tree(&dir.join("server")), changed);
    let restored = ok(&[
        "restore",
        "backup",
        "before-change",
        "--root",
        "server",
        "--json",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&restored.stdout).unwrap();
    assert_eq!(doc["changed"], true);
    assert_eq!(doc["files"].as_array().unwrap().len(), 4, "{doc}");
    let mut after = tree(&dir.join("server"));
    after.retain(|k, _| !k.starts_with("Windows/System32/inetsrv/backup/"));
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    for (k, v) in &before {
        assert!(after[k] == *v, "{k} differs after the restore");
    }
    // A second restore changes nothing.
    let again = ok(&[
        "restore",
        "backup",
        "before-change",
        "--root",
        "server",
        "--json",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(doc["changed"], false);
    // Deleting it, and the errors.
    assert_eq!(
        ok(&["delete", "backup", "before-change", "--root", "server"]).stdout(),
        "BACKUP object \"before-change\" deleted\n"
    );
    let missing = run(
        dir,
        &["restore", "backup", "before-change", "--root", "server"],
    );
    assert_eq!(missing.code, 1168 & 0xFF);
    assert_eq!(
        missing.stderr(),
        "ERROR ( message:Cannot find BACKUP object with identifier \"before-change\" )\n"
    );
    let missing = run(
        dir,
        &["delete", "backup", "nope", "--root", "server", "--json"],
    );
    let doc: serde_json::Value = serde_json::from_slice(&missing.stdout).unwrap();
    assert_eq!(doc["error"]["code"], 1168);
}

#[test]
fn a_generated_name_and_a_duplicate() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    copy_tree(&repo().join("fixtures/server"), &dir.join("server"));
    let out = run(dir, &["add", "backup", "--root", "server"]);
    assert_eq!(out.code, 0, "{}", out.stderr());
    let name = out
        .stdout()
        .strip_prefix("BACKUP object \"")
        .and_then(|r| r.strip_suffix("\" added\n"))
        .unwrap()
        .to_string();
    assert_eq!(name.len(), 15, "{name}");
    assert_eq!(&name[8..9], "T");
    assert!(name.chars().filter(char::is_ascii_digit).count() == 14);
    let again = run(dir, &["add", "backup", &name, "--root", "server"]);
    assert_eq!(again.code, 183);
    assert!(
        fs::read_dir(dir.join("server/Windows/System32/inetsrv/backup"))
            .unwrap()
            .count()
            == 1
    );
}
