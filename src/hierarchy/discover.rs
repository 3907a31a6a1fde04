//! Section discovery: the one place that knows where a session section can be written in a
//! file — under `<configuration><system.web>` (any number of them), under
//! `<location path><system.web>`, or as the root of a configSource file — and which of those
//! apply to a target path, in the order they merge.

use super::path::{covers, normalize_location};
use crate::doc::{Document, ElementId};
use crate::schema::SectionDef;

/// One section element in a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    /// The section element.
    pub el: ElementId,
    /// The `<location>` holding it, if any.
    pub location: Option<ElementId>,
    /// The location path, normalised (`""`: the file's own level, outside `<location>` or in
    /// `<location path="">` / `path="."`).
    pub path: String,
}

impl Instance {
    /// Whether this instance is at the file's own level.
    pub fn at_own_level(&self) -> bool {
        self.path.is_empty()
    }

    /// Depth of its location path in segments (0 at the file's own level).
    pub fn depth(&self) -> usize {
        if self.path.is_empty() {
            0
        } else {
            self.path.split('/').count()
        }
    }
}

/// Every element of `section` in `doc`, in document order.
pub fn instances(doc: &Document, section: &SectionDef) -> Vec<Instance> {
    let root = doc.root();
    if doc.name(root) == section.name {
        return vec![Instance {
            el: root,
            location: None,
            path: String::new(),
        }];
    }
    if doc.name(root) != "configuration" {
        return vec![];
    }
    let mut out = Vec::new();
    for child in doc.children(root) {
        let (location, path, groups): (Option<ElementId>, String, Vec<ElementId>) =
            match doc.name(child) {
                "location" => {
                    let p = doc.attr_value(child, "path").unwrap_or_default();
                    (
                        Some(child),
                        normalize_location(&p),
                        doc.children_named(child, section.group).collect(),
                    )
                }
                n if n == section.group => (None, String::new(), vec![child]),
                _ => continue,
            };
        for g in groups {
            for el in doc.children_named(g, section.name) {
                out.push(Instance {
                    el,
                    location,
                    path: path.clone(),
                });
            }
        }
    }
    out
}

/// The instances that apply to `target` (a path relative to the file's level, normalised):
/// the file's own level first, then the locations that cover it, shallowest first; document
/// order among equals.
pub fn applying(doc: &Document, section: &SectionDef, target: &str) -> Vec<Instance> {
    applying_of(&instances(doc, section), target)
}

/// A file's instances of one section, indexed by location path: what applies to a target is
/// found by walking the target's ancestors, not by looking at every instance.
#[derive(Clone, Debug, Default)]
pub struct Index {
    by_path: std::collections::HashMap<String, Vec<Instance>>,
}

impl Index {
    /// Index the instances of `section` in `doc`.
    pub fn new(doc: &Document, section: &SectionDef) -> Index {
        let mut by_path: std::collections::HashMap<String, Vec<Instance>> =
            std::collections::HashMap::new();
        for i in instances(doc, section) {
            by_path.entry(i.path.clone()).or_default().push(i);
        }
        Index { by_path }
    }

    /// Every instance, in no particular order.
    pub fn all(&self) -> impl Iterator<Item = &Instance> {
        self.by_path.values().flatten()
    }

    /// [`applying`]: the file's own level, then each ancestor location of `target` down to it.
    pub fn applying(&self, target: &str) -> Vec<Instance> {
        let target = normalize_location(target);
        let mut out: Vec<Instance> = self.by_path.get("").cloned().unwrap_or_default();
        if !target.is_empty() {
            let mut end = 0;
            loop {
                let next = target[end..].find('/').map(|i| end + i);
                let prefix = &target[..next.unwrap_or(target.len())];
                if let Some(v) = self.by_path.get(prefix) {
                    out.extend(v.iter().cloned());
                }
                match next {
                    Some(i) => end = i + 1,
                    None => break,
                }
            }
        }
        out
    }
}

/// [`applying`] over instances already discovered.
pub fn applying_of(all: &[Instance], target: &str) -> Vec<Instance> {
    let target = normalize_location(target);
    let mut found: Vec<Instance> = all
        .iter()
        .filter(|i| covers(&i.path, &target))
        .cloned()
        .collect();
    found.sort_by_key(Instance::depth);
    found
}

/// The instances exactly at `target` (normalised): where a write to that scope lands.
pub fn at(doc: &Document, section: &SectionDef, target: &str) -> Vec<Instance> {
    let target = normalize_location(target);
    instances(doc, section)
        .into_iter()
        .filter(|i| i.path == target)
        .collect()
}

/// The lock attributes a `<location>` carries: `overrideMode` (`Allow`, `Deny`, `Inherit`) or
/// `allowOverride` (true/false, read as Allow/Deny).
pub fn location_override(
    doc: &Document,
    location: ElementId,
) -> Option<(String, crate::doc::Attr)> {
    if let Some(a) = doc.attr(location, "overrideMode") {
        return Some((doc.value(&a).trim().to_string(), a));
    }
    let a = doc.attr(location, "allowOverride")?;
    let mode = if doc.value(&a).trim().eq_ignore_ascii_case("false") {
        "Deny"
    } else {
        "Allow"
    };
    Some((mode.to_string(), a))
}
