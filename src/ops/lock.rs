//! `lock config` / `unlock config`: `overrideMode` on the `<location>` of a path, written with
//! the byte-exact engine. A section that sits alone in a location gets the attribute there; one
//! that shares its location (or sits outside any) moves into a location of its own, so no
//! other section is locked with it; a section not defined at all gets an empty element, as
//! appcmd writes it.

use crate::hierarchy::error::Error;
use std::path::Path;

use super::render::{append_children, removal_root, NewElement};
use super::{finish, OpError, Outcome, Resolved, WriteOptions};
use crate::doc::Splice;
use crate::hierarchy::discover;
use crate::hierarchy::path::LocationPath;
use crate::hierarchy::source::Source;
use crate::schema::SectionDef;

/// Whether `location` holds nothing but one `<system.web>` with nothing but `el` in it.
fn holds_only(
    doc: &crate::doc::Document,
    location: crate::doc::ElementId,
    el: crate::doc::ElementId,
) -> bool {
    let groups: Vec<_> = doc.children(location).collect();
    groups.len() == 1 && doc.children(groups[0]).collect::<Vec<_>>() == vec![el]
}

/// Write `overrideMode="MODE"` for `section` at `location` (a location path, `""` for the
/// file's own level) of `file`.
pub fn set_override_mode(
    file: &Path,
    location: &str,
    section: &'static SectionDef,
    mode: &str,
    opts: &WriteOptions,
) -> Result<Outcome, OpError> {
    let (src, lock) = match Source::load_locked(file, !opts.dry_run)? {
        Some(pair) => pair,
        None => return Err(OpError::Hierarchy(Error::NotFound(file.to_path_buf()))),
    };
    src.check_root(None)?;
    let doc = &src.doc;
    let root = doc.root();
    let want = LocationPath::new(location);
    src.check_duplicates()?;
    src.check_section_names()?;
    if !crate::hierarchy::source::is_apphost_file(file) {
        src.check_locations()?;
    }
    let found = discover::at(doc, section, want.as_str());
    let mut splices = Vec::new();
    let set_mode =
        |loc: crate::doc::ElementId, splices: &mut Vec<Splice>| match discover::location_override(
            doc, loc,
        ) {
            Some((have, a)) if have.eq_ignore_ascii_case(mode) => {
                let _ = a;
            }
            Some((_, a)) if doc.attr_name(&a) == "overrideMode" => {
                splices.push(Splice::replace(a.value.clone(), mode.to_string()));
            }
            Some((_, a)) => {
                let v = if mode == "Deny" { "false" } else { "true" };
                splices.push(Splice::replace(a.value.clone(), v.to_string()));
            }
            None => {
                let (sep, q) = doc.new_attr_style(loc);
                let q = q as char;
                splices.push(Splice::insert(
                    doc.attr_insert_point(loc),
                    format!("{sep}overrideMode={q}{mode}{q}"),
                ));
            }
        };
    match found.first() {
        Some(inst) if inst.location.is_some_and(|l| holds_only(doc, l, inst.el)) => {
            set_mode(inst.location.expect("checked"), &mut splices);
        }
        Some(inst) => {
            // Move the section into a location of its own, keeping its text.
            let e = doc.element(inst.el);
            let text = doc.text()[e.start as usize..e.end as usize].to_string();
            let r = removal_root(doc, inst.el);
            splices.push(Splice::delete(doc.removal_range(r)));
            splices.push(new_location(&src, location, section, mode, Some(text))?);
        }
        None => {
            let same: Vec<_> = doc
                .children_named(root, "location")
                .filter(|&l| {
                    LocationPath::new(&doc.attr_value(l, "path").unwrap_or_default()) == want
                })
                .filter(|&l| {
                    discover::location_override(doc, l)
                        .is_some_and(|(m, _)| m.eq_ignore_ascii_case(mode))
                })
                .collect();
            match same.first() {
                Some(&loc) => {
                    let el = NewElement {
                        name: section.name.into(),
                        attrs: vec![],
                        children: vec![],
                    };
                    match doc.children_named(loc, section.group).next() {
                        Some(g) => splices.push(append_children(doc, g, &[el])),
                        None => splices.push(append_children(
                            doc,
                            loc,
                            &[NewElement {
                                name: section.group.into(),
                                attrs: vec![],
                                children: vec![el],
                            }],
                        )),
                    }
                }
                None => splices.push(new_location(&src, location, section, mode, None)?),
            }
        }
    }
    let r = Resolved {
        src,
        site: super::locate::Site::Missing {
            anchor: root,
            missing: vec![],
        },
        created: false,
        conn_src: None,
        _locks: vec![lock],
    };
    finish(r, splices, opts, Outcome::default())
}

/// A new `<location path overrideMode>` at the end of the file holding the section (its text
/// when it moves, else an empty element); refused for a path .NET refuses.
fn new_location(
    src: &Source,
    path: &str,
    section: &SectionDef,
    mode: &str,
    moved: Option<String>,
) -> Result<Splice, Error> {
    src.check_new_location(path)?;
    let doc = &src.doc;
    let placeholder = "\u{0}SECTION\u{0}";
    let inner = NewElement {
        name: if moved.is_some() {
            placeholder.into()
        } else {
            section.name.into()
        },
        attrs: vec![],
        children: vec![],
    };
    let loc = NewElement {
        name: "location".into(),
        attrs: vec![
            (
                "path".into(),
                crate::hierarchy::path::written_location(path).to_string(),
            ),
            ("overrideMode".into(), mode.to_string()),
        ],
        children: vec![NewElement {
            name: section.group.into(),
            attrs: vec![],
            children: vec![inner],
        }],
    };
    let mut s = append_children(doc, doc.root(), &[loc]);
    if let Some(text) = moved {
        let close = doc.self_close_style();
        s.text = s.text.replace(&format!("<{placeholder}{close}"), &text);
    }
    Ok(s)
}
