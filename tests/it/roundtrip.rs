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
            // So is an empty <sessionState /> (the same README paragraph).
            let empty_group = root_name == "configuration"
                && doc
                    .children_named(doc.root(), "system.web")
                    .any(|g| doc.children(g).next().is_none())
                || (0..doc.len()).any(|el| {
                    doc.name(el) == "sessionState"
                        && doc.attrs(el).next().is_none()
                        && doc.children(el).next().is_none()
                });
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

/// Every single-byte encoding a declaration may name reads and writes back every byte it can
/// hold, and a `set` leaves every byte outside the edit as it was, in the file's own encoding.
#[test]
fn single_byte_encodings_round_trip_every_byte_and_set_writes_in_them() {
    for label in [
        "windows-1252",
        "iso-8859-1",
        "windows-1250",
        "windows-1251",
        "iso-8859-2",
        "iso-8859-15",
        "koi8-r",
        "windows-1257",
    ] {
        // Every byte from 0x80 up that has a character in the encoding, inside a comment, and the
        // ASCII ones XML allows there.
        let enc = encoding_rs::Encoding::for_label(label.as_bytes()).unwrap();
        let mut body: Vec<u8> = (0x20u8..0x7f).filter(|b| *b != b'-').collect();
        body.extend((0x80u8..=0xff).filter(|&b| {
            label == "iso-8859-1"
                || enc
                    .decode_without_bom_handling_and_without_replacement(&[b])
                    .is_some()
        }));
        let mut bytes =
            format!("<?xml version=\"1.0\" encoding=\"{label}\"?>\r\n<configuration>\r\n  <!-- ")
                .into_bytes();
        bytes.extend(&body);
        bytes.extend_from_slice(b" -->\r\n  <system.web>\r\n    <sessionState mode=\"InProc\" />\r\n  </system.web>\r\n</configuration>\r\n");
        let doc = Document::parse(bytes.clone()).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(
            doc.to_bytes(),
            bytes,
            "{label}: the bytes did not come back"
        );
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("web.config"), &bytes).unwrap();
        // A character of the encoding, written as that encoding writes it.
        let (ch, encoded): (&str, &[u8]) = match label {
            "windows-1251" | "koi8-r" => ("Ж", if label == "koi8-r" { b"\xF6" } else { b"\xC6" }),
            "windows-1250" | "iso-8859-2" => ("Ł", b"\xA3"),
            "windows-1257" => ("ą", b"\xE0"),
            _ => ("é", b"\xE9"),
        };
        let out = run(
            tmp.path(),
            &[
                "set",
                "config",
                "--file",
                "web.config",
                "/section:sessionState",
                &format!("/cookieName:S{ch}"),
            ],
        );
        assert_eq!(out.code, 0, "{label}: {}", out.stderr());
        let after = std::fs::read(tmp.path().join("web.config")).unwrap();
        let at = bytes
            .windows(b"\"InProc\"".len())
            .position(|w| w == b"\"InProc\"")
            .unwrap()
            + b"\"InProc\"".len();
        let mut expected = bytes[..at].to_vec();
        expected.extend_from_slice(b" cookieName=\"S");
        expected.extend_from_slice(encoded);
        expected.push(b'"');
        expected.extend_from_slice(&bytes[at..]);
        assert_eq!(after, expected, "{label}");
        // A character it cannot hold is refused, and nothing is written.
        let refused = run(
            tmp.path(),
            &[
                "set",
                "config",
                "--file",
                "web.config",
                "/section:sessionState",
                "/cookieName:日本",
            ],
        );
        assert_eq!(refused.code, 87, "{label}");
        assert!(
            refused.stderr().contains("cannot hold \"日\""),
            "{}",
            refused.stderr()
        );
        assert_eq!(
            std::fs::read(tmp.path().join("web.config")).unwrap(),
            expected
        );
    }
}

/// A byte with no character in the declared encoding is an error naming the declaration.
#[test]
fn a_byte_the_declared_encoding_lacks_is_an_error_naming_it() {
    let bytes = b"<?xml version=\"1.0\" encoding=\"windows-1257\"?>\n<configuration><!-- \xA1 --></configuration>\n".to_vec();
    let e = Document::parse(bytes).unwrap_err();
    assert_eq!(
        e.message,
        "the XML declaration says encoding=\"windows-1257\" but byte 0xA1 at offset 66 has no character in it"
    );
    assert_eq!((e.line, e.column), (2, 21));
}
