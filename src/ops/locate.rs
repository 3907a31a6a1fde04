//! Finding a section in a document: in the file's own scope (outside `<location>`), inside a
//! `<location path>`, or as the root of a `configSource` file. Also the scaffolding that must be
//! created when it is missing.

use super::source::Source;
use super::OpError;
use crate::doc::ElementId;
use crate::hierarchy::discover;
use crate::schema::SectionDef;

use crate::hierarchy::path::Scope;

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

use crate::hierarchy::path::LocationPath;

/// Locate `section` in `src` for `scope`: the one element at that scope (outside `<location>`
/// or in `<location path="">`/`"."` for the file's own level), or where it would go. Two
/// definitions in one scope are an error. A new section goes into an existing `<location>` with
/// the same path, one without lock attributes first, else into a new one.
pub fn locate(src: &Source, section: &SectionDef, scope: &Scope) -> Result<Site, OpError> {
    let doc = &src.doc;
    let root = doc.root();
    let root_name = doc.name(root);
    let want = scope.location_path();
    if root_name == section.name && want.is_file_level() {
        return Ok(Site::Found(root));
    }
    src.check_root(None)?;
    src.check_duplicates()?;
    src.check_section_names()?;
    let found = discover::at(doc, section, want.as_str());
    if let Some(f) = found.first() {
        return Ok(Site::Found(f.el));
    }
    let mut containers: Vec<ElementId> = if want.is_file_level() {
        vec![root]
    } else {
        doc.children_named(root, "location")
            .filter(|&l| LocationPath::new(&doc.attr_value(l, "path").unwrap_or_default()) == want)
            .collect()
    };
    // A location that carries a lock is the lock's; a plain one is reused first.
    containers.sort_by_key(|&c| discover::location_override(doc, c).is_some());
    let group = Scaffold {
        name: section.group.into(),
        attrs: vec![],
    };
    let first_group = containers
        .iter()
        .find_map(|&c| doc.children_named(c, section.group).next());
    Ok(match (first_group, containers.first(), scope) {
        (Some(g), _, _) => Site::Missing {
            anchor: g,
            missing: vec![],
        },
        (None, Some(&c), _) => Site::Missing {
            anchor: c,
            missing: vec![group],
        },
        (None, None, Scope::Location(p)) => {
            src.check_new_location(p)?;
            Site::Missing {
                anchor: root,
                missing: vec![
                    Scaffold {
                        name: "location".into(),
                        attrs: vec![(
                            "path".into(),
                            crate::hierarchy::path::written_location(p).to_string(),
                        )],
                    },
                    group,
                ],
            }
        }
        (None, None, Scope::File) => unreachable!("the file scope always has the root"),
    })
}
