//! Expanding lint inputs: files as given, folders walked for configuration files.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Whether a file name is one lint always reads (case-insensitive).
fn known_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "web.config" | "applicationhost.config" | "machine.config"
    )
}

/// Whether a `*.config` file's root element is `<configuration>` (read from its start).
fn has_configuration_root(path: &Path) -> bool {
    let mut buf = [0u8; 4096];
    let n = fs::File::open(path)
        .and_then(|mut f| f.read(&mut buf))
        .unwrap_or(0);
    let head = String::from_utf8_lossy(&buf[..n]);
    let mut rest = head.trim_start_matches('\u{feff}');
    // Skip the declaration, comments and processing instructions before the root.
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("<?") {
            rest = r.split_once("?>").map_or("", |(_, after)| after);
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.split_once("-->").map_or("", |(_, after)| after);
        } else {
            break;
        }
    }
    rest.strip_prefix("<configuration")
        .is_some_and(|r| r.starts_with(|c: char| c == '>' || c == '/' || c.is_whitespace()))
}

/// Check that every input exists; the first that does not is returned (lint exits 2).
pub fn check_inputs(inputs: &[PathBuf]) -> Result<(), PathBuf> {
    match inputs.iter().find(|i| fs::metadata(i).is_err()) {
        Some(missing) => Err(missing.clone()),
        None => Ok(()),
    }
}

/// Call `found` with every file to lint, in a stable order: files as given, folders walked.
pub fn visit(inputs: &[PathBuf], found: &mut dyn FnMut(PathBuf)) {
    for input in inputs {
        if fs::metadata(input).is_ok_and(|m| m.is_dir()) {
            walk(input, found);
        } else {
            found(input.clone());
        }
    }
}

/// Expand inputs into the files to lint, in a stable order. A path that does not exist is an
/// error (lint exits 2).
pub fn expand(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, PathBuf> {
    check_inputs(inputs)?;
    let mut out = Vec::new();
    visit(inputs, &mut |p| out.push(p));
    Ok(out)
}

fn walk(dir: &Path, found: &mut dyn FnMut(PathBuf)) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = rd.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(ft) = e.file_type() else { continue };
        // `sessctl lint .` reports `web.config`, not `./web.config`.
        let path = if dir == Path::new(".") {
            PathBuf::from(e.file_name())
        } else {
            e.path()
        };
        if ft.is_dir() {
            if !name.starts_with('.') {
                walk(&path, found);
            }
        } else if known_name(&name)
            || (name.to_ascii_lowercase().ends_with(".config") && has_configuration_root(&path))
        {
            found(path);
        }
    }
}
