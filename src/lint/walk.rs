//! Expanding lint inputs: files as given, folders walked for configuration files with the
//! `ignore` crate (ripgrep's walker): `.gitignore` and `.ignore` files are honoured (inside a
//! git checkout or not), hidden folders are skipped (all but `.well-known`), `--exclude GLOB`
//! leaves paths out, and the walk runs on several threads. A `*.config` file is a
//! configuration file when its root element is `<configuration>`, read from its decoded start
//! (UTF-8, or UTF-16 with a BOM). A file reached through a link is read through it. A file or
//! folder that cannot be read is an error, never a silent skip.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Whether a file name is one lint always reads (case-insensitive).
fn known_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "web.config" | "applicationhost.config" | "machine.config"
    )
}

/// The decoded start of a file: UTF-16 (LE or BE, by its BOM) or UTF-8, BOM removed.
fn decoded_head(bytes: &[u8]) -> String {
    let utf16 = |le: bool| -> String {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    match bytes {
        [0xFF, 0xFE, ..] => utf16(true),
        [0xFE, 0xFF, ..] => utf16(false),
        _ => String::from_utf8_lossy(bytes)
            .trim_start_matches('\u{feff}')
            .to_string(),
    }
}

/// Whether decoded text starts (after the declaration, comments and processing
/// instructions) with a `<configuration>` root element.
fn starts_with_configuration(head: &str) -> bool {
    let mut rest = head;
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

/// Whether a `*.config` file's root element is `<configuration>`.
fn has_configuration_root(path: &Path) -> std::io::Result<bool> {
    let mut buf = vec![0u8; 8192];
    let mut f = fs::File::open(path)?;
    let mut n = 0;
    while n < buf.len() {
        let got = f.read(&mut buf[n..])?;
        if got == 0 {
            break;
        }
        n += got;
    }
    Ok(starts_with_configuration(&decoded_head(&buf[..n])))
}

/// What the walk found: files to lint, and paths that could not be read.
#[derive(Debug, Default)]
pub(crate) struct Walked {
    /// Files to lint, in a stable order.
    pub files: Vec<PathBuf>,
    /// Paths that could not be read, with why.
    pub errors: Vec<(PathBuf, String)>,
}

/// Check that every input exists; the first that does not is returned (lint exits 2).
pub(crate) fn check_inputs(inputs: &[PathBuf]) -> Result<(), PathBuf> {
    match inputs.iter().find(|i| fs::metadata(i).is_err()) {
        Some(missing) => Err(missing.clone()),
        None => Ok(()),
    }
}

/// An `--exclude` glob the walker refuses.
#[derive(Debug)]
pub(crate) struct BadGlob {
    /// The glob, when one alone is at fault.
    pub glob: Option<String>,
    /// The walker's error.
    pub error: ignore::Error,
}

impl std::fmt::Display for BadGlob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.glob {
            Some(g) => write!(f, "--exclude {g}: {}", self.error),
            None => write!(f, "--exclude: {}", self.error),
        }
    }
}

impl std::error::Error for BadGlob {}

/// `sessctl lint .` reports `web.config`, not `./web.config`.
fn display_path(p: &Path) -> PathBuf {
    p.strip_prefix(".")
        .map_or(p.to_path_buf(), Path::to_path_buf)
}

/// Walk the inputs: files as given (always linted), folders walked in parallel for
/// configuration files. `exclude` globs (gitignore syntax, matched below each folder) leave
/// paths out.
pub(crate) fn walk(inputs: &[PathBuf], exclude: &[String]) -> Result<Walked, BadGlob> {
    let mut out = Walked::default();
    for input in inputs {
        if !fs::metadata(input).is_ok_and(|m| m.is_dir()) {
            out.files.push(input.clone());
            continue;
        }
        let mut overrides = ignore::overrides::OverrideBuilder::new(input);
        for g in exclude {
            overrides.add(&format!("!{g}")).map_err(|error| BadGlob {
                glob: Some(g.clone()),
                error,
            })?;
        }
        let overrides = overrides
            .build()
            .map_err(|error| BadGlob { glob: None, error })?;
        let found: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
        let errors: Mutex<Vec<(PathBuf, String)>> = Mutex::new(Vec::new());
        ignore::WalkBuilder::new(input)
            // Entries starting with `.` are skipped (ripgrep's convention: `.git`, `.vs`,
            // `.nuget`), all but a `.well-known` folder, which IIS serves like any other and
            // where ACME clients keep a web.config of their own.
            .hidden(false)
            .filter_entry(|e| {
                e.depth() == 0
                    || !e.file_name().to_string_lossy().starts_with('.')
                    || (e.file_type().is_some_and(|t| t.is_dir())
                        && e.file_name().eq_ignore_ascii_case(".well-known"))
            })
            .git_ignore(true)
            .git_global(false)
            .git_exclude(true)
            .ignore(true)
            .parents(true)
            .require_git(false)
            .overrides(overrides)
            .threads(
                std::thread::available_parallelism()
                    .map_or(1, |n| n.get())
                    .min(4),
            )
            .build_parallel()
            .run(|| {
                Box::new(|entry| {
                    match entry {
                        Ok(e) => {
                            // A link to a file is read through it, as IIS reads it, and a
                            // web.config that leads nowhere is reported as unreadable (links
                            // to folders are not followed).
                            let name = e.file_name().to_string_lossy();
                            let is_file = e.file_type().is_some_and(|t| {
                                t.is_file()
                                    || (t.is_symlink()
                                        && fs::metadata(e.path())
                                            .map_or(known_name(&name), |m| m.is_file()))
                            });
                            if is_file {
                                let wanted = known_name(&name)
                                    || (name.to_ascii_lowercase().ends_with(".config")
                                        && match has_configuration_root(e.path()) {
                                            Ok(yes) => yes,
                                            Err(err) => {
                                                if let Ok(mut v) = errors.lock() {
                                                    v.push((
                                                        e.path().to_path_buf(),
                                                        err.to_string(),
                                                    ));
                                                }
                                                false
                                            }
                                        });
                                if wanted {
                                    if let Ok(mut v) = found.lock() {
                                        v.push(display_path(e.path()));
                                    }
                                }
                            }
                        }
                        Err(err) => {
                            let path = match &err {
                                ignore::Error::WithPath { path, .. } => path.clone(),
                                _ => input.clone(),
                            };
                            if let Ok(mut v) = errors.lock() {
                                v.push((path, err.to_string()));
                            }
                        }
                    }
                    ignore::WalkState::Continue
                })
            });
        let mut files = found.into_inner().unwrap_or_default();
        files.sort();
        out.files.extend(files);
        out.errors.extend(errors.into_inner().unwrap_or_default());
    }
    // A file named twice, or inside two folders named (`lint . src`), is linted once, at its
    // first place.
    let mut seen = std::collections::HashSet::new();
    out.files.retain(|f| seen.insert(same_file_key(f)));
    Ok(out)
}

/// What two spellings of one named file have in common (`./a/web.config` is `a/web.config`):
/// how the walk keeps a file once and lint reports a finding once.
pub(crate) fn same_file_key(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| *c != std::path::Component::CurDir)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_read_from_decoded_text() {
        let mut le = vec![0xFF, 0xFE];
        for u in "<?xml version=\"1.0\" encoding=\"utf-16\"?>\r\n<!-- c -->\r\n<configuration>"
            .encode_utf16()
        {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert!(starts_with_configuration(&decoded_head(&le)));
        assert!(starts_with_configuration(&decoded_head(
            b"\xEF\xBB\xBF<configuration/>"
        )));
        assert!(!starts_with_configuration(&decoded_head(b"<packages/>")));
    }
}
