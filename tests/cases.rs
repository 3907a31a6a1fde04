//! Case-folder tests, after cargo's testsuite: each folder in `tests/cases/` is one run of the
//! real binary.
//!
//! - `args`: one argument per line.
//! - `from` (optional): lines `SOURCE DEST`, files copied from the repository into the run folder.
//! - `tree` (optional): lines `SOURCE DEST`, folders copied from the repository (a fixture
//!   server: `fixtures/server server`).
//! - `in/` (optional): a tree copied into the run folder.
//! - `out/` (optional): the files the run changes or creates, as they must be afterwards,
//!   compared byte for byte; every other file must be exactly as it started. Without it,
//!   nothing may be written.
//! - `stdout`, `stderr` (optional: empty if absent), `code` (optional: 0 if absent).
//!
//! `SESSCTL_BLESS=1 cargo test --test cases` rewrites the expectations from what the binary did;
//! review the git diff before committing it.

mod common;

use std::fs;
use std::path::Path;

use common::{copy_tree, first_difference, repo, run, tree};

fn read(p: &Path) -> Option<Vec<u8>> {
    fs::read(p).ok()
}

fn run_case(case: &Path, bless: bool) -> Result<(), String> {
    let args_text =
        String::from_utf8(fs::read(case.join("args")).map_err(|e| format!("args: {e}"))?)
            .map_err(|e| e.to_string())?;
    let args: Vec<&str> = args_text.lines().collect();
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let dir = tmp.path();
    if let Some(from) = read(&case.join("from")) {
        for line in String::from_utf8_lossy(&from)
            .lines()
            .filter(|l| !l.trim().is_empty())
        {
            let (src, dest) = line
                .split_once(' ')
                .ok_or(format!("bad from line {line:?}"))?;
            let dest = dir.join(dest.trim());
            fs::create_dir_all(dest.parent().unwrap()).unwrap();
            fs::copy(repo().join(src), &dest).map_err(|e| format!("from {src}: {e}"))?;
        }
    }
    if let Some(trees) = read(&case.join("tree")) {
        for line in String::from_utf8_lossy(&trees)
            .lines()
            .filter(|l| !l.trim().is_empty())
        {
            let (src, dest) = line
                .split_once(' ')
                .ok_or(format!("bad tree line {line:?}"))?;
            copy_tree(&repo().join(src), &dir.join(dest.trim()));
        }
    }
    if case.join("in").is_dir() {
        copy_tree(&case.join("in"), dir);
    }
    let before = tree(dir);
    let out = run(dir, &args);
    let after = tree(dir);
    if bless {
        fs::write(case.join("stdout"), &out.stdout).unwrap();
        if out.stderr.is_empty() {
            let _ = fs::remove_file(case.join("stderr"));
        } else {
            fs::write(case.join("stderr"), &out.stderr).unwrap();
        }
        if out.code == 0 {
            let _ = fs::remove_file(case.join("code"));
        } else {
            fs::write(case.join("code"), format!("{}\n", out.code)).unwrap();
        }
        let _ = fs::remove_dir_all(case.join("out"));
        for (rel, bytes) in &after {
            if before.get(rel) != Some(bytes) {
                let p = case.join("out").join(rel);
                fs::create_dir_all(p.parent().unwrap()).unwrap();
                fs::write(p, bytes).unwrap();
            }
        }
        return Ok(());
    }
    let mut problems = Vec::new();
    let expected_code: i32 = read(&case.join("code"))
        .map(|c| String::from_utf8_lossy(&c).trim().parse().unwrap())
        .unwrap_or(0);
    // Unix keeps only the low 8 bits of an exit status: appcmd's 4312 arrives as 216.
    let expected_code = if cfg!(unix) {
        expected_code & 0xFF
    } else {
        expected_code
    };
    if out.code != expected_code {
        problems.push(format!(
            "exit code {} (expected {expected_code})\nstderr: {}",
            out.code,
            out.stderr()
        ));
    }
    for (name, actual) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let expected = read(&case.join(name)).unwrap_or_default();
        if &expected != actual {
            problems.push(format!(
                "{name} differs:\n--- expected\n{}\n--- actual\n{}",
                String::from_utf8_lossy(&expected),
                String::from_utf8_lossy(actual)
            ));
        }
    }
    let mut expected_tree = before;
    if case.join("out").is_dir() {
        expected_tree.extend(tree(&case.join("out")));
    }
    if expected_tree.keys().ne(after.keys()) {
        problems.push(format!(
            "files differ: expected {:?}, got {:?}",
            expected_tree.keys().collect::<Vec<_>>(),
            after.keys().collect::<Vec<_>>()
        ));
    }
    for (rel, expected) in &expected_tree {
        if let Some(actual) = after.get(rel) {
            if actual != expected {
                problems.push(format!("{rel}: {}", first_difference(expected, actual)));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[test]
fn cases() {
    let bless = std::env::var_os("SESSCTL_BLESS").is_some();
    let root = repo().join("tests").join("cases");
    let mut names: Vec<_> = fs::read_dir(&root)
        .expect("tests/cases")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() > 10, "the case folder is missing");
    let mut failed = Vec::new();
    for name in &names {
        if let Err(e) = run_case(&root.join(name), bless) {
            failed.push(format!("=== case {name}\n{e}"));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} cases failed:\n{}",
        failed.len(),
        names.len(),
        failed.join("\n\n")
    );
}
