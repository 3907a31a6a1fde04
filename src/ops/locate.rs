//! Finding a section in a document: in the file's own scope (outside `<location>`), inside a
//! `<location path>`, or as the root of a `configSource` file. Also the scaffolding that must be
//! created when it is missing.

use super::source::Source;
use super::OpError;
use crate::doc::{Document, ElementId};
use crate::schema::SectionDef;

/// Which part of a file a section belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The file's own level: outside any `<location>`.
    File,
    /// Inside `<location path="...">`.
    Location(String),
}

/// An element to create: name and attributes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scaffold {
    /// Element name.
    pub name: String,
    /// Attributes, in order.
    pub attrs: Vec<(String, String)>,
}

/// Where a section is, or where it would go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Site {
    /// The section element.
    Found(ElementId),
    /// Not there: create `missing` (outermost first, the section excluded) under `anchor`.
    Missing {
        /// The deepest existing ancestor.
        anchor: ElementId,
        /// Elements to create between the anchor and the section.
        missing: Vec<Scaffold>,
    },
}

/// Normalize a location path for comparison: trimmed, no outer slashes, lower case.
pub fn normalize_location(path: &str) -> String {
    path.trim().trim_matches('/').to_lowercase()
}

fn location_matches(doc: &Document, loc: ElementId, want: &str) -> bool {
    let path = doc.attr_value(loc, "path");
    let have = normalize_location(path.as_deref().unwrap_or(""));
    let have = if have == "." { String::new() } else { have };
    have == want
}

/// Locate `section` in `src` for `scope`. Two definitions in one scope are an error.
pub fn locate(src: &Source, section: &SectionDef, scope: &Scope) -> Result<Site, OpError> {
    let doc = &src.doc;
    let root = doc.root();
    let root_name = doc.name(root);
    if root_name == section.name && *scope == Scope::File {
        return Ok(Site::Found(root));
    }
    if root_name != "configuration" {
        return Err(src.invalid_at(
            doc.element(root).start as usize,
            format!("the root element is <{root_name}>, not <configuration>"),
        ));
    }
    let containers: Vec<ElementId> = match scope {
        Scope::File => vec![root],
        Scope::Location(p) => {
            let want = normalize_location(p);
            doc.children_named(root, "location")
                .filter(|&l| location_matches(doc, l, &want))
                .collect()
        }
    };
    let mut found = Vec::new();
    let mut first_group = None;
    for &c in &containers {
        for g in doc.children_named(c, section.group) {
            first_group.get_or_insert(g);
            found.extend(doc.children_named(g, section.name));
        }
    }
    if found.len() > 1 {
        let lines: Vec<String> = found.iter().map(|&f| src.line_of(f).to_string()).collect();
        return Err(src.invalid_at(
            doc.element(found[1]).start as usize,
            format!(
                "<{}> appears {} times in the same scope (lines {}); ASP.NET allows it once",
                section.name,
                found.len(),
                lines.join(", ")
            ),
        ));
    }
    if let Some(&el) = found.first() {
        return Ok(Site::Found(el));
    }
    let group = Scaffold {
        name: section.group.into(),
        attrs: vec![],
    };
    Ok(match (first_group, containers.first(), scope) {
        (Some(g), _, _) => Site::Missing {
            anchor: g,
            missing: vec![],
        },
        (None, Some(&c), _) => Site::Missing {
            anchor: c,
            missing: vec![group],
        },
        (None, None, Scope::Location(p)) => Site::Missing {
            anchor: root,
            missing: vec![
                Scaffold {
                    name: "location".into(),
                    attrs: vec![("path".into(), p.trim().trim_matches('/').to_string())],
                },
                group,
            ],
        },
        (None, None, Scope::File) => unreachable!("the file scope always has the root"),
    })
}

/// Every section element that applies to `scope` in reading order: at file scope the one
/// outside `<location>` and then those in `<location>` elements whose path is empty or ".".
pub fn instances(src: &Source, section: &SectionDef, scope: &Scope) -> Vec<ElementId> {
    let doc = &src.doc;
    let root = doc.root();
    if doc.name(root) == section.name {
        return vec![root];
    }
    if doc.name(root) != "configuration" {
        return vec![];
    }
    let mut containers = Vec::new();
    match scope {
        Scope::File => {
            containers.push(root);
            containers.extend(
                doc.children_named(root, "location")
                    .filter(|&l| location_matches(doc, l, "")),
            );
        }
        Scope::Location(p) => {
            let want = normalize_location(p);
            containers.extend(
                doc.children_named(root, "location")
                    .filter(|&l| location_matches(doc, l, &want)),
            );
        }
    }
    containers
        .into_iter()
        .flat_map(|c| doc.children_named(c, section.group).collect::<Vec<_>>())
        .flat_map(|g| doc.children_named(g, section.name).collect::<Vec<_>>())
        .collect()
}

/// The value of a `<connectionStrings><add name=...>` entry in the file, if present.
pub fn connection_string(doc: &Document, name: &str) -> Option<String> {
    let root = doc.root();
    if doc.name(root) != "configuration" {
        return None;
    }
    let mut value = None;
    for cs in doc.children_named(root, "connectionStrings") {
        for item in doc.children(cs) {
            match doc.name(item) {
                "add" if doc.attr_value(item, "name").as_deref() == Some(name) => {
                    value = doc
                        .attr_value(item, "connectionString")
                        .map(|v| v.into_owned());
                }
                "remove" if doc.attr_value(item, "name").as_deref() == Some(name) => value = None,
                "clear" => value = None,
                _ => {}
            }
        }
    }
    value
}
