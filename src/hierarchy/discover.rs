//! Section discovery: the one place that knows where a session section can be written in a
//! file — under `<configuration><system.web>` (any number of them), under
//! `<location path><system.web>`, or as the root of a configSource file — and which of those
//! apply to a target path, in the order they merge.

use super::path::LocationPath;
use crate::doc::{Document, ElementId};
use crate::schema::SectionDef;

/// One section element in a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    /// The section element.
    pub el: ElementId,
    /// The `<location>` holding it, if any.
    pub location: Option<ElementId>,
    /// The location path (the file's own level outside `<location>` or in
    /// `<location path="">` / `path="."`).
    pub path: LocationPath,
}

impl Instance {
    /// Whether this instance is at the file's own level.
    pub fn at_own_level(&self) -> bool {
        self.path.is_file_level()
    }

    /// Depth of its location path in segments (0 at the file's own level).
    pub fn depth(&self) -> usize {
        self.path.depth()
    }
}

/// Whether a document's root is `<configuration>`, as every file .NET reads by name must have
/// it: the one test of that fact, for the readers that skip anything else, for `check_root`
/// (which refuses it) and for SS015 (which reports it).
pub fn is_configuration(doc: &Document) -> bool {
    doc.name(doc.root()) == "configuration"
}

/// Whether a location keeps its sections out of child applications
/// (`inheritInChildApplications="false"`, any case, as .NET's Boolean parse reads it).
pub fn skips_child_apps(doc: &Document, location: Option<ElementId>) -> bool {
    location
        .and_then(|l| doc.attr_value(l, "inheritInChildApplications"))
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("false"))
}

/// The `<connectionStrings>` elements ASP.NET reads at a file's own level, in document order:
/// the top-level ones and those of a `<location>` of the file's own level (no `path`,
/// `path=""` or `path="."`, as Visual Studio's `inheritInChildApplications="false"` wrapper
/// has them), each with whether that location keeps it out of child applications. A
/// `<location>` naming a folder below is not read.
pub fn own_level_connection_strings(doc: &Document) -> Vec<(ElementId, bool)> {
    connection_strings_elements(doc).0
}

/// [`own_level_connection_strings`], and the `<connectionStrings>` of each `<location>` naming
/// a folder below the file's own level, in one pass over the root's children (document order
/// both).
pub fn connection_strings_elements(doc: &Document) -> (Vec<(ElementId, bool)>, Vec<Instance>) {
    let mut out = Vec::new();
    let mut located = Vec::new();
    if !is_configuration(doc) {
        return (out, located);
    }
    for child in doc.children(doc.root()) {
        match doc.name(child) {
            "connectionStrings" => out.push((child, false)),
            "location" => {
                let mut inner = doc.children_named(child, "connectionStrings").peekable();
                if inner.peek().is_none() {
                    continue;
                }
                let path = LocationPath::new(&doc.attr_value(child, "path").unwrap_or_default());
                if path.is_file_level() {
                    let skips = skips_child_apps(doc, Some(child));
                    out.extend(inner.map(|cs| (cs, skips)));
                } else {
                    located.extend(inner.map(|el| Instance {
                        el,
                        location: Some(child),
                        path: path.clone(),
                    }));
                }
            }
            _ => {}
        }
    }
    (out, located)
}

/// Every element of `section` in `doc`, in document order.
pub fn instances(doc: &Document, section: &SectionDef) -> Vec<Instance> {
    let root = doc.root();
    if doc.name(root) == section.name {
        return vec![Instance {
            el: root,
            location: None,
            path: LocationPath::file_level(),
        }];
    }
    if !is_configuration(doc) {
        return vec![];
    }
    let mut out = Vec::new();
    for child in doc.children(root) {
        match doc.name(child) {
            "location" => {
                // Most locations (applicationHost.config's thousands) hold other sections: the
                // path is read only for one that holds this one.
                let mut path: Option<LocationPath> = None;
                for g in doc.children_named(child, section.group) {
                    for el in doc.children_named(g, section.name) {
                        let p = path.get_or_insert_with(|| {
                            LocationPath::new(&doc.attr_value(child, "path").unwrap_or_default())
                        });
                        out.push(Instance {
                            el,
                            location: Some(child),
                            path: p.clone(),
                        });
                    }
                }
            }
            n if n == section.group => {
                for el in doc.children_named(child, section.name) {
                    out.push(Instance {
                        el,
                        location: None,
                        path: LocationPath::file_level(),
                    });
                }
            }
            _ => {}
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

/// A file's instances of one section, in document order, indexed by location path when there
/// are many: what applies to a target is found by walking the target's ancestors, not by
/// looking at every instance. A web.config holds one or two; applicationHost.config thousands.
#[derive(Clone, Debug, Default)]
pub struct Index {
    all: Vec<Instance>,
    /// Positions in `all` by location path, built above `SMALL` instances.
    by_path: Option<foldhash::HashMap<LocationPath, Vec<u32>>>,
    /// Whether any instance is in a `<location>` with a path.
    located: bool,
    /// Positions in `all` of the first scope defined more than once, found when indexing.
    duplicate: Option<Vec<u32>>,
}

/// Up to this many instances are searched one by one.
const SMALL: usize = 16;

impl Index {
    /// Index the instances of `section` in `doc`.
    pub fn new(doc: &Document, section: &SectionDef) -> Index {
        let all = instances(doc, section);
        let by_path = (all.len() > SMALL).then(|| {
            let mut m: foldhash::HashMap<LocationPath, Vec<u32>> = foldhash::HashMap::default();
            for (n, i) in all.iter().enumerate() {
                m.entry(i.path.clone()).or_default().push(n as u32);
            }
            m
        });
        let located = all.iter().any(|i| !i.path.is_file_level());
        // The scope repeated first: all of its instances.
        let duplicate = super::path::repeated_scopes(all.iter().map(|i| &i.path))
            .first()
            .map(|&(first, _)| {
                (first..all.len())
                    .filter(|&j| all[j].path == all[first].path)
                    .map(|j| j as u32)
                    .collect()
            });
        Index {
            all,
            by_path,
            located,
            duplicate,
        }
    }

    /// The instances of the first scope that the file defines more than once (ASP.NET
    /// refuses the whole file: "Sections must only appear once per config file"), in
    /// document order: `""`, `"."` and no location are one scope, and location paths compare
    /// case-insensitively.
    pub fn duplicate(&self) -> Option<Vec<&Instance>> {
        self.duplicate
            .as_ref()
            .map(|v| v.iter().map(|&n| &self.all[n as usize]).collect())
    }

    /// Every instance, in document order.
    pub fn all(&self) -> impl Iterator<Item = &Instance> {
        self.all.iter()
    }

    /// Add the instances at one normalised location path, in document order.
    fn push_at(&self, path: &str, out: &mut Vec<Instance>) {
        match &self.by_path {
            Some(m) => {
                if let Some(v) = m.get(path) {
                    out.extend(v.iter().map(|&n| self.all[n as usize].clone()));
                }
            }
            None => out.extend(self.all.iter().filter(|i| i.path.as_str() == path).cloned()),
        }
    }

    /// [`applying`]: the file's own level, then each ancestor location of `target` down to it.
    pub fn applying(&self, target: &str) -> Vec<Instance> {
        if self.all.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        self.push_at("", &mut out);
        if self.located {
            for prefix in LocationPath::new(target).prefixes() {
                self.push_at(prefix, &mut out);
            }
        }
        out
    }
}

/// [`applying`] over instances already discovered.
pub fn applying_of(all: &[Instance], target: &str) -> Vec<Instance> {
    let target = LocationPath::new(target);
    let mut found: Vec<Instance> = all
        .iter()
        .filter(|i| i.path.covers(&target))
        .cloned()
        .collect();
    found.sort_by_key(Instance::depth);
    found
}

/// The instances exactly at `target` (normalised): where a write to that scope lands.
pub fn at(doc: &Document, section: &SectionDef, target: &str) -> Vec<Instance> {
    let target = LocationPath::new(target);
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
