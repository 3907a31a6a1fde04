//! The linter through the real binary: every rule's valid and invalid fixture with a snapshot
//! of its diagnostics and fix, every rule's documentation, the expected findings of every
//! corpus file, SARIF validated against the SARIF 2.1.0 schema, and fixes that stick.

use crate::common;

use std::fs;
use std::path::Path;

use common::{copy_tree, first_difference, repo, run, shared_corpus};
use sessctl::lint::rules::RULES;

fn bless() -> bool {
    std::env::var_os("SESSCTL_BLESS").is_some()
}

/// `$ sessctl ARGS` followed by stdout and the exit code, as the snapshots show it.
fn transcript(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    format!(
        "$ sessctl {}\n{}[exit {}]\n",
        args.join(" "),
        out.stdout(),
        out.code
    )
}

#[test]
fn every_rule_has_a_valid_and_an_invalid_fixture_with_a_snapshot() {
    let mut failures = Vec::new();
    for rule in RULES.iter().filter(|r| r.check.is_some()) {
        let dir = repo().join("fixtures/lint").join(rule.code);
        assert!(
            dir.join("valid").is_dir() && dir.join("invalid").is_dir(),
            "{}: fixtures missing",
            rule.code
        );
        // The rules that need the hierarchy get a server tree each, linted with --root.
        let server = ["SS010", "SS013", "SS106", "SS108"].contains(&rule.code);
        let args = |which: &'static str| -> Vec<&'static str> {
            if server {
                vec!["lint", "--select", rule.code, "--root", which]
            } else {
                vec!["lint", "--select", rule.code, which]
            }
        };
        let valid = run(&dir, &args("valid"));
        assert!(
            valid.code == 0 && valid.stdout().ends_with("checked: no problems\n"),
            "{}: the valid fixture has findings: {}",
            rule.code,
            valid.stdout()
        );
        let mut snap = transcript(&dir, &args("invalid"));
        assert!(
            snap.contains(&format!("[{}]", rule.code)),
            "{}: the invalid fixture does not fire:\n{snap}",
            rule.code
        );
        // The fix, shown as a diff on a copy (the fixture is never written).
        let tmp = tempfile::tempdir().unwrap();
        copy_tree(&dir.join("invalid"), tmp.path());
        let fixed = run(
            tmp.path(),
            &[
                "lint",
                "--select",
                rule.code,
                "--fix",
                "--dry-run",
                "--format",
                "json",
                ".",
            ],
        );
        let doc: serde_json::Value =
            serde_json::from_slice(&fixed.stdout).expect("--fix --dry-run --format json is JSON");
        let diff = doc["diff"]
            .as_str()
            .unwrap_or("")
            .trim_end_matches('\n')
            .to_string();
        if diff.starts_with("---") {
            snap.push_str(&format!(
                "\n$ sessctl lint --select {} --fix --dry-run\n{diff}\n",
                rule.code
            ));
        } else {
            snap.push_str("\n(no safe fix)\n");
        }
        let path = dir.join("expected.txt");
        if bless() {
            fs::write(&path, &snap).unwrap();
        } else {
            let expected = fs::read_to_string(&path).unwrap_or_default();
            if expected != snap {
                failures.push(format!(
                    "{}:\n--- expected\n{expected}\n--- actual\n{snap}",
                    rule.code
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn fixes_stick_and_lint_is_clean_of_them_afterwards() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("fixtures/lint/SS003/invalid"), tmp.path());
    let before = fs::read(tmp.path().join("web.config")).unwrap();
    let out = run(
        tmp.path(),
        &["lint", "--select", "SS003", "--fix", "web.config"],
    );
    assert_eq!(
        out.code,
        1,
        "historySize=0 has no safe fix and remains: {}",
        out.stdout()
    );
    assert!(
        out.stdout()
            .ends_with("1 file checked: 1 error, 0 warnings, 0 infos\nfixed 4 findings\n"),
        "{}",
        out.stdout()
    );
    let after = fs::read(tmp.path().join("web.config")).unwrap();
    let expected = String::from_utf8(before).unwrap().replace(
        "mode=\"inproc\" timeout=\"00:20:00\" compressionEnabled=\"False\" sqlCommandTimeout=\"infinite\"",
        "mode=\"InProc\" timeout=\"20\" compressionEnabled=\"false\" sqlCommandTimeout=\"Infinite\"",
    );
    assert!(
        after == expected.as_bytes(),
        "{}",
        first_difference(expected.as_bytes(), &after)
    );
    let again = run(
        tmp.path(),
        &[
            "lint",
            "--select",
            "SS003",
            "--format",
            "json",
            "web.config",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["SS003"]);
    assert_eq!(v["findings"][0]["line"], 5);
}

#[test]
fn every_rule_explains_itself() {
    let tmp = tempfile::tempdir().unwrap();
    for rule in RULES {
        for key in [rule.code, rule.name, &rule.code.to_lowercase()] {
            let out = run(tmp.path(), &["lint", "--explain", key]);
            assert_eq!(out.code, 0, "{key}");
            let text = out.stdout();
            assert!(
                text.starts_with(&format!(
                    "{} {} ({})\n\n",
                    rule.code,
                    rule.name,
                    rule.severity.name()
                )),
                "{text}"
            );
            for heading in [
                "## What it finds",
                "## Why it matters",
                "## Example",
                "## Fix",
            ] {
                assert!(text.contains(heading), "{}: no {heading}", rule.code);
            }
        }
    }
    let out = run(tmp.path(), &["lint", "--explain", "SS999"]);
    assert_eq!(out.code, 2);
}

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut seen = std::collections::HashSet::new();
    for r in RULES {
        assert!(seen.insert(r.code) && seen.insert(r.name), "{}", r.code);
        assert!(r.code.len() == 5 && r.code.starts_with("SS"), "{}", r.code);
        assert!(
            r.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
            "{}",
            r.name
        );
    }
    assert_eq!(RULES.len(), 35);
}

#[test]
fn every_corpus_file_has_exactly_its_expected_findings() {
    let Some(corpus) = shared_corpus() else {
        eprintln!("../shared/corpus not present: skipped");
        return;
    };
    let out = run(&corpus, &["lint", "--format", "json", "."]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut lines: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}:{}:{} {}",
                f["code"].as_str().unwrap(),
                f["file"].as_str().unwrap().trim_start_matches("./"),
                f["line"],
                f["column"],
                f["name"].as_str().unwrap()
            )
        })
        .collect();
    lines.sort();
    let actual = format!("files {}\n{}\n", v["summary"]["files"], lines.join("\n"));
    let path = repo().join("tests/data/corpus-lint.txt");
    if bless() {
        fs::write(&path, &actual).unwrap();
    }
    assert_eq!(fs::read_to_string(&path).unwrap(), actual);
    assert_eq!(out.code, 0, "the corpus has no error findings");
}

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let mut schema: serde_json::Value = serde_json::from_slice(
        &fs::read(repo().join("tests/data/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    // The official schema's `run.language` pattern has a stray ']' (an erratum) that the
    // validator's check of the schema itself rejects. The file stays as published; the pattern
    // is corrected here in memory (it appears twice). sessctl never writes `run.language`.
    for def in ["run", "toolComponent"] {
        let pattern = &mut schema["definitions"][def]["properties"]["language"]["pattern"];
        assert_eq!(pattern, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
        *pattern = serde_json::json!("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
    }
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let out = run(
        &repo().join("fixtures/lint"),
        &["lint", "--format", "sarif", "."],
    );
    assert_eq!(out.code, 1);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.len() >= 20);
    let fixes = results.iter().filter(|r| r.get("fixes").is_some()).count();
    assert!(fixes >= 3);
    assert_eq!(
        sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        RULES.len()
    );
    // A clean run is valid too.
    let clean = run(
        &repo().join("fixtures/lint/SS003/valid"),
        &["lint", "--format", "sarif", "web.config"],
    );
    let clean: serde_json::Value = serde_json::from_slice(&clean.stdout).unwrap();
    assert!(validator.is_valid(&clean));
    // Every SARIF document a case folder pins validates too; one has related locations.
    let mut related = 0;
    for case in fs::read_dir(repo().join("tests/cases")).unwrap() {
        let case = case.unwrap().path();
        let args = fs::read_to_string(case.join("args")).unwrap_or_default();
        if !args.lines().any(|a| a == "sarif") {
            continue;
        }
        let Ok(stdout) = fs::read(case.join("stdout")) else {
            continue;
        };
        let Ok(doc) = serde_json::from_slice::<serde_json::Value>(&stdout) else {
            continue;
        };
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{}: {}",
            case.display(),
            errors.join("\n")
        );
        related += doc["runs"][0]["results"].as_array().map_or(0, |r| {
            r.iter()
                .filter(|r| r.get("relatedLocations").is_some())
                .count()
        });
    }
    assert!(related >= 1, "a case pins SARIF's related locations");
}

/// Fixes are taken from a reading made under the file's lock: a file changed after it was
/// linted still gets its fixes at the right place.
#[test]
fn fixes_follow_a_file_that_changed_after_it_was_linted() {
    use sessctl::lint::{fix::apply_fixes, lint_file, LintOptions};
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("web.config");
    let original = "<configuration>\n  <system.web>\n    <sessionState mode=\"inproc\" />\n  </system.web>\n</configuration>\n";
    fs::write(&file, original).unwrap();
    let opts = LintOptions::default();
    let findings = lint_file(&file, &opts);
    assert!(findings.iter().any(|f| f.fix.is_some()));
    // Someone else edits the file before --fix writes.
    let changed = original.replace(
        "<configuration>\n",
        "<configuration>\n  <!-- a comment added meanwhile -->\n",
    );
    fs::write(&file, &changed).unwrap();
    let changes = apply_fixes(&findings, &opts, false).unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        changed.replace("mode=\"inproc\"", "mode=\"InProc\"")
    );
}

/// The folder walk: `.gitignore` and `.ignore` are honoured (no git checkout needed),
/// `--exclude GLOB` leaves paths out, a UTF-16 `*.config` with a `<configuration>` root is
/// found, hidden folders are skipped, and a file that cannot be read stops lint (exit 2).
#[test]
fn the_folder_walk_honours_ignore_files_excludes_hidden_entries_and_utf16() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let bad =
        "<configuration><system.web><sessionState mode=\"inproc\" /></system.web></configuration>";
    for rel in [
        "a/web.config",
        "ignored-by-git/web.config",
        "ignored-by-ignore/web.config",
        "excluded/web.config",
        ".hidden/web.config",
        ".vs/config/applicationhost.config",
        "b/.Hidden.config",
        ".well-known/acme-challenge/web.config",
        "b/Other.config",
    ] {
        fs::create_dir_all(d.join(rel).parent().unwrap()).unwrap();
        fs::write(d.join(rel), bad).unwrap();
    }
    let mut utf16 = vec![0xFF, 0xFE];
    for u in format!("<?xml version=\"1.0\" encoding=\"utf-16\"?>\r\n{bad}").encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    fs::write(d.join("b/Utf16.config"), utf16).unwrap();
    fs::write(d.join("b/packages.config"), "<packages />").unwrap();
    fs::write(d.join(".gitignore"), "ignored-by-git/\n").unwrap();
    fs::write(d.join(".ignore"), "ignored-by-ignore/\n").unwrap();
    let out = run(
        d,
        &["lint", "--format", "github", "--exclude", "excluded/**"],
    );
    let files: Vec<String> = out
        .stdout()
        .lines()
        .map(|l| {
            l.split(',')
                .next()
                .unwrap()
                .trim_start_matches("::error file=")
                .to_string()
        })
        .collect();
    // Hidden files and folders are skipped, all but `.well-known`, which IIS serves.
    assert_eq!(
        files,
        [
            ".well-known/acme-challenge/web.config",
            "a/web.config",
            "b/Other.config",
            "b/Utf16.config"
        ],
        "{}",
        out.stdout()
    );
    // Without --exclude the excluded folder is linted.
    let out = run(d, &["lint", "--format", "github", "."]);
    assert!(out.stdout().contains("excluded/web.config"));
    // A path that holds nothing to lint is an error, not a clean run.
    fs::create_dir_all(d.join("c/web.config")).unwrap();
    let out = run(d, &["lint", "c/web.config"]);
    assert_eq!(out.code, 2);
    assert!(out
        .stderr()
        .starts_with("ERROR ( message:no configuration file found in c/web.config"));
    // A file that cannot be read is an error, not a finding.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("loop.config", d.join("c/loop.config")).unwrap();
        let out = run(d, &["lint", "a/web.config", "c/loop.config"]);
        assert_eq!(out.code, 2, "{}", out.stdout());
        assert_eq!(out.stdout(), "");
    }
}

fn count_codes(json: &[u8]) -> std::collections::BTreeMap<String, usize> {
    let doc: serde_json::Value = serde_json::from_slice(json).expect("lint JSON");
    let mut out = std::collections::BTreeMap::new();
    for f in doc["findings"].as_array().unwrap() {
        *out.entry(f["code"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
    }
    out
}

/// Lint was findings × file size: 16,000 sections in `<location>` tags (every hundredth one
/// duplicated, a suppression comment before every thousandth) must be judged in linear time.
/// The assertion is on the findings; the time is a benchmark's business (benches/compare.py).
#[test]
fn sixteen_thousand_locations_are_linted_with_every_finding() {
    let tmp = tempfile::tempdir().unwrap();
    let mut text = String::from("<?xml version=\"1.0\"?>\r\n<configuration>\r\n");
    for i in 0..16_000 {
        if i % 1000 == 0 {
            text.push_str("  <!-- sessctl-disable-next-line SS101 -->\r\n");
        }
        text.push_str(&format!(
            "  <location path=\"site{i}\"><system.web><sessionState mode=\"InProc\" timeout=\"20\" />{}</system.web></location>\r\n",
            if i % 100 == 0 { "<sessionState />" } else { "" }
        ));
    }
    text.push_str("</configuration>\r\n");
    fs::write(tmp.path().join("applicationHost.config"), &text).unwrap();
    let out = run(
        tmp.path(),
        &["lint", "--format", "json", "applicationHost.config"],
    );
    let counts = count_codes(&out.stdout);
    // 16,160 sections; the 16 suppressed locations hold two each (every thousandth is also a
    // hundredth), so 32 are not reported.
    assert_eq!(counts.get("SS101"), Some(&(16_160 - 32)), "{counts:?}");
    assert_eq!(counts.get("SS004"), Some(&160), "{counts:?}");
}

/// A single element with 20,000 attributes: every unknown one is reported once.
#[test]
fn twenty_thousand_attributes_are_each_reported_once() {
    let tmp = tempfile::tempdir().unwrap();
    let mut attrs = String::new();
    for i in 0..20_000 {
        attrs.push_str(&format!(" a{i}=\"{i}\""));
    }
    fs::write(
        tmp.path().join("web.config"),
        format!("<configuration><system.web><sessionState{attrs} /></system.web></configuration>"),
    )
    .unwrap();
    let out = run(tmp.path(), &["lint", "--format", "json", "web.config"]);
    assert_eq!(count_codes(&out.stdout).get("SS002"), Some(&20_000));
}

/// The human report's frames, in colour and without, byte for byte: the header, the gutter,
/// the source line, the caret under the span and the fix (both were rewritten into one buffer
/// per frame for speed; these are the bytes the earlier renderer gave).
#[test]
fn human_frames_are_exact_with_and_without_colour() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("web.config"),
        "<configuration>\r\n  <system.web>\r\n    <sessionState mode=\"inproc\" timeOut=\"20\" />\r\n  </system.web>\r\n</configuration>\r\n",
    )
    .unwrap();
    let plain = run(tmp.path(), &["lint", "web.config", "--color", "never"]);
    assert_eq!(plain.code, 1);
    assert_eq!(plain.stdout(), "web.config:3:25: error[SS003] invalid-value: mode=\"inproc\" is not valid: values are case-sensitive, write \"InProc\"\n  |\n3 |     <sessionState mode=\"inproc\" timeOut=\"20\" />\n  |                         ^^^^^^\n  = fix: replace with \"InProc\"\n\nweb.config:3:33: error[SS002] unknown-attribute: unrecognized attribute \"timeOut\" in system.web/sessionState (did you mean \"timeout\"? attribute names are case-sensitive)\n  |\n3 |     <sessionState mode=\"inproc\" timeOut=\"20\" />\n  |                                 ^^^^^^^^^^^^\n\n1 file checked: 2 errors, 0 warnings, 0 infos\n");
    let coloured = run(tmp.path(), &["lint", "web.config", "--color", "always"]);
    assert_eq!(coloured.code, 1);
    assert_eq!(coloured.stdout(), "\x1b[1mweb.config:3:25:\x1b[0m \x1b[1m\x1b[31merror[SS003]\x1b[39m\x1b[0m invalid-value: mode=\"inproc\" is not valid: values are case-sensitive, write \"InProc\"\n  \x1b[1m\x1b[34m|\x1b[39m\x1b[0m\n\x1b[1m\x1b[34m3\x1b[39m\x1b[0m \x1b[1m\x1b[34m|\x1b[39m\x1b[0m     <sessionState mode=\"inproc\" timeOut=\"20\" />\n  \x1b[1m\x1b[34m|\x1b[39m\x1b[0m \x1b[1m\x1b[31m                        ^^^^^^\x1b[39m\x1b[0m\n  = fix: replace with \"InProc\"\n\n\x1b[1mweb.config:3:33:\x1b[0m \x1b[1m\x1b[31merror[SS002]\x1b[39m\x1b[0m unknown-attribute: unrecognized attribute \"timeOut\" in system.web/sessionState (did you mean \"timeout\"? attribute names are case-sensitive)\n  \x1b[1m\x1b[34m|\x1b[39m\x1b[0m\n\x1b[1m\x1b[34m3\x1b[39m\x1b[0m \x1b[1m\x1b[34m|\x1b[39m\x1b[0m     <sessionState mode=\"inproc\" timeOut=\"20\" />\n  \x1b[1m\x1b[34m|\x1b[39m\x1b[0m \x1b[1m\x1b[31m                                ^^^^^^^^^^^^\x1b[39m\x1b[0m\n\n1 file checked: 2 errors, 0 warnings, 0 infos\n");
}
