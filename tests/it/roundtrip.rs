//! Every file of `fixtures/` and of `../shared/corpus` (when present) round-trips byte for byte:
//! parsed and encoded back, through a no-op `set`, and through `set` then restore, all with the
//! real binary on a copy of the tree.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{copy_tree, first_difference, repo, run, shared_corpus, tree};
use sessctl::doc::Document;
use sessctl::schema::value::parse_input;
use sessctl::schema::SESSION_STATE;

/// Config files under `dir`.
fn configs(dir: &Path) -> Vec<String> {
    tree(dir)
        .into_keys()
        .filter(|k| k.to_ascii_lowercase().ends_with(".config"))
        .collect()
}

/// The one fixture that is malformed on purpose (SS001's).
fn malformed_on_purpose(rel: &str) -> bool {
    rel.contains("SS001/invalid/")
}

fn roots() -> Vec<(String, PathBuf)> {
    let mut out = vec![("fixtures".to_string(), repo().join("fixtures"))];
    if let Some(c) = shared_corpus() {
        out.push(("corpus".to_string(), c));
    }
    out
}

#[test]
fn every_file_parses_and_encodes_back_to_the_same_bytes() {
    let mut count = 0;
    for (_, root) in roots() {
        for rel in configs(&root) {
            let bytes = fs::read(root.join(&rel)).unwrap();
            if malformed_on_purpose(&rel) {
                assert!(Document::parse(bytes).is_err(), "{rel} should be malformed");
                continue;
            }
            let doc = Document::parse(bytes.clone()).unwrap_or_else(|e| panic!("{rel}: {e}"));
            assert_eq!(doc.to_bytes(), bytes, "{rel}");
            // An independent parser agrees that the text is well-formed.
            roxmltree::Document::parse(doc.text())
                .unwrap_or_else(|e| panic!("{rel}: roxmltree: {e}"));
            count += 1;
        }
    }
    assert!(count >= 20, "only {count} files found");
}

/// The section as sessctl lists it in JSON, or None when it cannot be edited (encrypted).
fn listed(dir: &Path, rel: &str) -> Option<serde_json::Value> {
    let out = run(
        dir,
        &[
            "list",
            "config",
            "--file",
            rel,
            "/section:sessionState",
            "--json",
            "--show-secrets",
        ],
    );
    assert_eq!(out.code, 0, "{rel}: {}", out.stderr());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    (!v["encrypted"].as_bool().unwrap()).then_some(v)
}

fn explicit(v: &serde_json::Value, attr: &str) -> Option<String> {
    let a = &v["attributes"][attr];
    a["origin"]
        .is_object()
        .then(|| a["value"].as_str().unwrap().to_string())
}

fn sessctl_ok(dir: &Path, args: &[&str]) {
    let out = run(dir, args);
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr());
}

#[test]
fn no_op_set_and_set_then_restore_leave_every_byte() {
    for (name, root) in roots() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        copy_tree(&root, dir);
        let original = tree(dir);
        let mut edited = 0;
        for rel in configs(dir) {
            // Lint's invalid fixtures are broken on purpose (escaping configSource, encrypted...).
            if rel.starts_with("lint/") && rel.contains("/invalid/") {
                continue;
            }
            let bytes = fs::read(dir.join(&rel)).unwrap();
            let Ok(doc) = Document::parse(bytes) else {
                continue;
            };
            let root_name = doc.name(doc.root()).to_string();
            if root_name != "configuration" && root_name != "sessionState" {
                continue;
            }
            let Some(v) = listed(dir, &rel) else { continue };
            // An empty <system.web/> is indistinguishable, after a set, from one sessctl created;
            // clearing removes it as scaffolding (documented in the README).
            let empty_group = root_name == "configuration"
                && doc
                    .children_named(doc.root(), "system.web")
                    .any(|g| doc.children(g).next().is_none());
            let f = rel.as_str();
            let base = [
                "set",
                "config",
                "--file",
                f,
                "/section:sessionState",
                "--force",
            ];
            // No-op: set every explicit schema attribute to the value it already has, when
            // that value is already canonical.
            for attr in v["attributes"].as_object().unwrap().keys() {
                let Some(current) = explicit(&v, attr) else {
                    continue;
                };
                let def = SESSION_STATE.attribute(attr).unwrap();
                if parse_input(def, &current).ok().as_deref() != Some(current.as_str()) {
                    continue; // a legacy or wrong spelling: set rewrites it, so not a no-op
                }
                let arg = format!("/{attr}:{current}");
                sessctl_ok(dir, &[&base[..], &[arg.as_str()]].concat());
            }
            assert_eq!(
                tree(dir),
                original,
                "{name}/{rel}: a no-op set changed bytes"
            );
            // Set then restore: a string attribute, set and put back (or cleared if absent).
            if empty_group {
                continue;
            }
            let restore = match explicit(&v, "cookieName") {
                Some(old) => vec!["set".to_string(), format!("/cookieName:{old}")],
                None => vec!["clear".to_string(), "/cookieName".to_string()],
            };
            sessctl_ok(dir, &[&base[..], &["/cookieName:roundtrip-sid"]].concat());
            assert_ne!(tree(dir), original, "{name}/{rel}: set changed nothing");
            let restore_args = [
                restore[0].as_str(),
                "config",
                "--file",
                f,
                "/section:sessionState",
                "--force",
                restore[1].as_str(),
            ];
            sessctl_ok(dir, &restore_args);
            let now = tree(dir);
            for (k, bytes) in &original {
                assert!(
                    now[k] == *bytes,
                    "{name}/{rel} -> {k}: {}",
                    first_difference(bytes, &now[k])
                );
            }
            // Set in a file without the section, then clear the section: the original bytes.
            if explicit(&v, "mode").is_none()
                && v["attributes"]
                    .as_object()
                    .unwrap()
                    .values()
                    .all(|a| a["origin"] == "default")
            {
                sessctl_ok(
                    dir,
                    &[&base[..], &["/mode:StateServer", "/timeout:30"]].concat(),
                );
                sessctl_ok(
                    dir,
                    &["clear", "config", "--file", f, "/section:sessionState"],
                );
                let now = tree(dir);
                assert!(
                    now[f] == original[f],
                    "{name}/{rel}: {}",
                    first_difference(&original[f], &now[f])
                );
            }
            edited += 1;
        }
        assert!(edited >= 10, "{name}: only {edited} files were edited");
    }
}
