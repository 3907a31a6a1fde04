//! Any document and a change chosen by the first bytes: a planned edit always re-parses, every
//! byte outside the section (or the element it is inserted into) is unchanged, and setting or
//! clearing the same value again plans nothing.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use sessctl::doc::Document;
use sessctl::hierarchy::path::Scope;
use sessctl::hierarchy::source::Source;
use sessctl::ops::{self, Change};
use sessctl::schema::value::parse_input;
use sessctl::schema::{SESSION_PAGE_STATE, SESSION_STATE};

const VALUES: &[&str] = &[
    "InProc",
    "sqlserver",
    "true",
    "False",
    "30",
    "00:20:00",
    "Infinite",
    "",
    "a\"b'c<&>\n\t",
    "tcpip=host:42424",
    "x]y",
    "9",
    "2147483647",
];

/// Byte range (in text offsets) inside which every change must fall: the section's
/// scaffolding, i.e. its `<system.web>` (which a removal may take with it when it is left
/// empty), or its `<location>`, widened to whole lines; the root when neither exists.
fn allowed(doc: &Document, location: bool, section: &str) -> (usize, usize) {
    let root = doc.root();
    let whole = |id| {
        let e = doc.element(id);
        let start = doc.text()[..e.start as usize]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        (start, e.end as usize + 2)
    };
    if doc.name(root) == section {
        return whole(root);
    }
    if location {
        let matching = doc.children_named(root, "location").find(|&l| {
            doc.attr_value(l, "path")
                .is_some_and(|p| p.trim().trim_matches('/').eq_ignore_ascii_case("site/app"))
        });
        return whole(matching.unwrap_or(root));
    }
    let group = doc
        .children_named(root, "system.web")
        .find(|&g| doc.children_named(g, section).next().is_some())
        .or_else(|| doc.children_named(root, "system.web").next());
    whole(group.unwrap_or(root))
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let (head, body) = data.split_at(4);
    let Ok(src) = Source::parse(Path::new("fuzz.config"), body.to_vec()) else {
        return;
    };
    let section = if head[0] & 0x80 == 0 {
        &SESSION_STATE
    } else {
        &SESSION_PAGE_STATE
    };
    let attr = &section.attributes[head[0] as usize % section.attributes.len()];
    let value = VALUES[head[1] as usize % VALUES.len()];
    let location = head[2] & 1 == 1;
    let scope = if location {
        Scope::Location("site/app".into())
    } else {
        Scope::File
    };
    let canonical = parse_input(attr, value).unwrap_or_else(|_| value.to_string());
    let change = match head[3] % 5 {
        0 | 1 => Change::SetAttr {
            name: attr.name.into(),
            value: canonical,
        },
        2 => Change::ClearAttr {
            name: attr.name.into(),
        },
        3 => Change::AddItem {
            attrs: vec![("name".into(), value.into()), ("type".into(), "T".into())],
        },
        _ => Change::RemoveItem { key: value.into() },
    };
    let Ok(mut splices) = ops::plan_set(&src, section, &scope, std::slice::from_ref(&change), true)
    else {
        return;
    };
    // The write path checks only the regions the splices touch: it must accept every planned
    // edit too, and write exactly the text a whole re-scan accepted.
    let edit = src
        .doc
        .clone()
        .into_edit(splices.clone())
        .expect("a planned edit passes the region check");
    let edited = src
        .doc
        .apply(&mut splices)
        .expect("a planned edit must be well-formed");
    assert_eq!(
        edit.after(),
        edited.text(),
        "the edit writes what was scanned"
    );
    let (old, new) = (src.doc.text(), edited.text());
    let prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let max = old.len().min(new.len()) - prefix;
    let suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max)
        .take_while(|(a, b)| a == b)
        .count();
    let (lo, hi) = allowed(&src.doc, location, section.name);
    if old != new {
        assert!(
            prefix >= lo && old.len() - suffix <= hi,
            "changed {prefix}..{} outside {lo}..{hi}",
            old.len() - suffix
        );
    }
    if matches!(change, Change::SetAttr { .. } | Change::ClearAttr { .. }) {
        let again = Source::new(src.path.clone(), edited);
        let repeat = ops::plan_set(&again, section, &scope, &[change], true)
            .expect("the edited file plans again");
        assert!(repeat.is_empty(), "a repeated change is not a no-op");
    }
});
