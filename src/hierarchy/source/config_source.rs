//! Following a section's `configSource` to the file that really holds it, the one way every
//! reader does, and finding a file on a case-sensitive disk as Windows would.

use std::fs;
use std::path::{Component, Path, PathBuf};

use super::Source;
use crate::doc::ElementId;
pub use crate::hierarchy::error::ConfigSourceError;
use crate::hierarchy::error::{Error, Problem};

/// Why following a `configSource` failed: the reference is wrong (the byte range of the
/// `configSource` value in the file that names it, and why), or the file it names cannot be
/// loaded (malformed, say).
#[derive(Debug)]
pub enum FollowError {
    /// The reference is wrong.
    Invalid(std::ops::Range<usize>, ConfigSourceError),
    /// The file named cannot be loaded.
    Load(Error),
}

/// A `configSource` that cannot be followed: the span to report it at (the attribute, or its
/// value) and why.
pub type ConfigSourceFault = (std::ops::Range<usize>, ConfigSourceError);

impl FollowError {
    /// The fault a linter reports for the `configSource` of `el` in `src`: a wrong reference
    /// where it is wrong, a file that cannot be loaded at the attribute's value.
    pub fn fault(self, src: &Source, el: ElementId) -> ConfigSourceFault {
        match self {
            FollowError::Invalid(range, e) => (range, e),
            FollowError::Load(e) => (
                src.doc
                    .attr(el, "configSource")
                    .map_or(0..0, |a| a.value.clone()),
                ConfigSourceError::Unreadable(e.to_string()),
            ),
        }
    }

    /// The error a command gives, `src` being the file that names the configSource: a missing
    /// file is a missing reference (exit 2) at the attribute, a wrong root is reported at the
    /// named file's root element, everything else at the attribute.
    pub fn into_op_error(self, src: &Source) -> Error {
        match self {
            FollowError::Load(e) => e,
            FollowError::Invalid(range, ConfigSourceError::Missing(missing)) => {
                Error::MissingReference {
                    file: src.path.clone(),
                    at: src.doc.line_col(range.start),
                    missing,
                }
            }
            FollowError::Invalid(_, e @ ConfigSourceError::WrongRoot { .. }) => {
                let ConfigSourceError::WrongRoot { path, at, .. } = &e else {
                    unreachable!("matched above")
                };
                Error::Invalid {
                    file: path.clone(),
                    at: Some(*at),
                    problem: Box::new(Problem::ConfigSource(e.clone())),
                }
            }
            FollowError::Invalid(range, e) => src.invalid_at(range.start, Problem::ConfigSource(e)),
        }
    }
}

/// Follow a section element's `configSource`, the one way every reader does: `None` when the
/// element has none; otherwise the reference is checked (alone on an empty element, relative,
/// in the folder of the file or below), the file is loaded by `load` (which returns `Ok(None)`
/// when it is not there), and its root element must be `section` (`root` reads the loaded
/// file's source).
pub fn follow_config_source<T>(
    src: &Source,
    el: ElementId,
    section: &'static str,
    load: impl FnOnce(&Path) -> Result<Option<T>, Error>,
    root: impl Fn(&T) -> &Source,
) -> Option<Result<T, FollowError>> {
    let doc = &src.doc;
    let attr = doc.attr(el, "configSource")?;
    let (whole, span) = (attr.range(), attr.value.clone());
    let invalid = |e| Some(Err(FollowError::Invalid(span.clone(), e)));
    let others: Vec<String> = doc
        .attrs(el)
        .map(|a| doc.attr_name(&a).to_string())
        .filter(|n| n != "configSource" && !n.starts_with("xmlns") && !n.starts_with("xdt:"))
        .collect();
    if !others.is_empty() {
        let e = ConfigSourceError::OtherAttributes(others);
        return Some(Err(FollowError::Invalid(whole, e)));
    }
    if doc.children(el).next().is_some() {
        return Some(Err(FollowError::Invalid(
            whole,
            ConfigSourceError::HasContent,
        )));
    }
    let path = match resolve_config_source(&src.path, &doc.value(&attr)) {
        Ok(p) => p,
        Err(e) => return invalid(e),
    };
    let loaded = match load(&path) {
        Ok(Some(t)) => t,
        Ok(None) | Err(Error::NotFound(_)) => return invalid(ConfigSourceError::Missing(path)),
        Err(e) => return Some(Err(FollowError::Load(e))),
    };
    let ext = root(&loaded);
    let r = ext.doc.root();
    if ext.doc.name(r) != section {
        return invalid(ConfigSourceError::WrongRoot {
            at: ext.doc.line_col(ext.doc.element(r).start as usize),
            found: ext.doc.name(r).to_string(),
            path,
            expected: section,
        });
    }
    Some(Ok(loaded))
}

/// [`follow_config_source`] loading the named file as a [`Source`] of its own: how the readers
/// of a whole section's entries (`<connectionStrings>`, `<machineKey>`) follow it.
pub(super) fn follow_to_source(
    src: &Source,
    el: ElementId,
    section: &'static str,
) -> Option<Result<Source, FollowError>> {
    follow_config_source(
        src,
        el,
        section,
        |p| src.load_referenced(p).map(Some),
        |s| s,
    )
}

/// Check a `configSource` value and resolve it against the folder of the file that names it.
/// It must be relative and stay in the same folder or below (ASP.NET's rule).
pub fn resolve_config_source(base_file: &Path, value: &str) -> Result<PathBuf, ConfigSourceError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(ConfigSourceError::Empty);
    }
    let bytes = v.as_bytes();
    let absolute = v.starts_with('/')
        || v.starts_with('\\')
        || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':');
    if absolute {
        return Err(ConfigSourceError::Absolute(v.to_string()));
    }
    let normalized = v.replace('\\', "/");
    let rel = Path::new(&normalized);
    for c in rel.components() {
        match c {
            Component::Normal(_) | Component::CurDir => {}
            _ => return Err(ConfigSourceError::Escapes(v.to_string())),
        }
    }
    let dir = base_file.parent().unwrap_or_else(|| Path::new(""));
    Ok(find_case_insensitive(dir, rel))
}

/// Join `rel` onto `dir`, matching each component case-insensitively where the exact name is
/// missing (Windows paths are case-insensitive; the files may live on Linux).
pub fn find_case_insensitive(dir: &Path, rel: &Path) -> PathBuf {
    // The usual case, spelled as on disk: one probe instead of one per component.
    let whole = dir.join(rel);
    if whole.exists() {
        return whole;
    }
    let mut cur = dir.to_path_buf();
    for c in rel.components() {
        let Component::Normal(name) = c else { continue };
        let exact = cur.join(name);
        if exact.exists() {
            cur = exact;
            continue;
        }
        let wanted = name.to_string_lossy().to_lowercase();
        let found = fs::read_dir(if cur.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &cur
        })
        .ok()
        .and_then(|rd| {
            rd.flatten()
                .find(|e| e.file_name().to_string_lossy().to_lowercase() == wanted)
        });
        cur = match found {
            Some(e) => cur.join(e.file_name()),
            None => exact,
        };
    }
    cur
}
