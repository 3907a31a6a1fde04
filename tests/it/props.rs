//! Property tests: generated documents in many styles, random changes.

use std::fs;

use proptest::prelude::*;
use sessctl::doc::Document;
use sessctl::hierarchy::path::Scope;
use sessctl::ops::{self, Change, Target, WriteOptions};
use sessctl::schema::{ValueType, SESSION_STATE};

#[derive(Debug, Clone)]
struct Style {
    eol: &'static str,
    unit: &'static str,
    quote: char,
    bom: bool,
    decl: bool,
    final_eol: bool,
    comment: bool,
    per_line: bool,
    group: bool,
    section: u8, // 0 absent, 1 self-closed, 2 end tag, 3 providers
    attrs: Vec<(usize, String)>,
}

fn value_for(i: usize) -> BoxedStrategy<String> {
    let def = &SESSION_STATE.attributes[i];
    match &def.ty {
        ValueType::Bool => prop_oneof![Just("true".to_string()), Just("false".to_string())].boxed(),
        ValueType::Enum(vs) => {
            let names: Vec<String> = vs.iter().map(|v| v.name.to_string()).collect();
            proptest::sample::select(names).boxed()
        }
        ValueType::Int { .. } | ValueType::TimeSpan { .. } => {
            (1u32..100_000).prop_map(|n| n.to_string()).boxed()
        }
        ValueType::String => "[a-zA-Z0-9 ;=&<>\"'\t\n.:_-]{0,16}".boxed(),
    }
}

fn attr_strategy() -> impl Strategy<Value = (usize, String)> {
    (0..SESSION_STATE.attributes.len()).prop_flat_map(|i| value_for(i).prop_map(move |v| (i, v)))
}

fn style() -> impl Strategy<Value = Style> {
    (
        (
            prop_oneof![Just("\n"), Just("\r\n")],
            prop_oneof![Just("  "), Just("    "), Just("\t")],
            prop_oneof![Just('"'), Just('\'')],
        ),
        (
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        ),
        0u8..4,
        proptest::collection::vec(attr_strategy(), 0..5),
    )
        .prop_map(
            |(
                (eol, unit, quote),
                (bom, decl, final_eol, comment, per_line, group),
                section,
                attrs,
            )| {
                let mut seen = std::collections::HashSet::new();
                let attrs = attrs.into_iter().filter(|(i, _)| seen.insert(*i)).collect();
                Style {
                    eol,
                    unit,
                    quote,
                    bom,
                    decl,
                    final_eol,
                    comment,
                    per_line,
                    group: group || section > 0,
                    section,
                    attrs,
                }
            },
        )
}

fn esc(v: &str, q: char) -> String {
    sessctl::doc::escape(v, q as u8).into_owned()
}

fn render(s: &Style) -> Vec<u8> {
    let (e, u, q) = (s.eol, s.unit, s.quote);
    let mut t = String::new();
    if s.decl {
        t.push_str(&format!(
            "<?xml version={q}1.0{q} encoding={q}utf-8{q}?>{e}"
        ));
    }
    t.push_str(&format!("<configuration>{e}"));
    if s.comment {
        t.push_str(&format!("{u}<!-- <sessionState mode=\"Off\" /> -->{e}"));
    }
    if s.group {
        t.push_str(&format!(
            "{u}<system.web>{e}{u}{u}<compilation debug={q}true{q} />{e}"
        ));
        if s.section > 0 {
            let sep = if s.per_line {
                format!("{e}{u}{u}{u}")
            } else {
                " ".to_string()
            };
            let attrs: String = s
                .attrs
                .iter()
                .map(|(i, v)| {
                    format!(
                        "{sep}{}={q}{}{q}",
                        SESSION_STATE.attributes[*i].name,
                        esc(v, q)
                    )
                })
                .collect();
            match s.section {
                1 => t.push_str(&format!("{u}{u}<sessionState{attrs} />{e}")),
                2 => t.push_str(&format!("{u}{u}<sessionState{attrs}></sessionState>{e}")),
                _ => t.push_str(&format!(
                    "{u}{u}<sessionState{attrs}>{e}{u}{u}{u}<providers>{e}{u}{u}{u}{u}<add name={q}p1{q} type={q}T{q} />{e}{u}{u}{u}</providers>{e}{u}{u}</sessionState>{e}"
                )),
            }
        }
        t.push_str(&format!("{u}</system.web>{e}"));
    }
    t.push_str("</configuration>");
    if s.final_eol {
        t.push_str(e);
    }
    let mut bytes = if s.bom {
        b"\xEF\xBB\xBF".to_vec()
    } else {
        vec![]
    };
    bytes.extend_from_slice(t.as_bytes());
    bytes
}

/// Byte range of the element that must contain every change: the section if present, else
/// `<system.web>`, else the root.
fn allowed_range(bytes: &[u8]) -> (usize, usize) {
    let doc = Document::parse(bytes.to_vec()).unwrap();
    let shift = doc.encoding().bom_len();
    let root = doc.root();
    let group = doc.children_named(root, "system.web").next();
    let section = group.and_then(|g| doc.children_named(g, "sessionState").next());
    let el = doc.element(section.or(group).unwrap_or(root));
    (el.start as usize + shift, el.end as usize + shift)
}

fn changed_region(a: &[u8], b: &[u8]) -> (usize, usize) {
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let max = a.len().min(b.len()) - p;
    let s = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max)
        .take_while(|(x, y)| x == y)
        .count();
    (p, a.len() - s)
}

fn read_attr_with_roxmltree(bytes: &[u8], attr: &str) -> Option<String> {
    let doc = Document::parse(bytes.to_vec()).unwrap();
    let x = roxmltree::Document::parse(doc.text()).expect("roxmltree parses the result");
    let node = x.descendants().find(|n| n.has_tag_name("sessionState"))?;
    node.attribute(attr).map(str::to_string)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn set_touches_only_the_section_and_is_idempotent(s in style(), (i, v) in attr_strategy()) {
        let bytes = render(&s);
        let doc = Document::parse(bytes.clone()).unwrap();
        prop_assert_eq!(doc.to_bytes(), bytes.clone());
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("web.config");
        fs::write(&file, &bytes).unwrap();
        let target = Target { file: file.clone(), scope: Scope::File };
        let name = SESSION_STATE.attributes[i].name;
        let change = [Change::SetAttr { name: name.to_string(), value: v.clone() }];
        let opts = WriteOptions { dry_run: false, force: true, ..Default::default() };
        ops::set(&target, &SESSION_STATE, &change, &opts).unwrap();
        let after = fs::read(&file).unwrap();
        // Only bytes inside the section (or where it goes) differ.
        let (lo, hi) = allowed_range(&bytes);
        let (p, q) = changed_region(&bytes, &after);
        prop_assert!(after == bytes || (p >= lo && q <= hi), "changed {}..{} outside {}..{}", p, q, lo, hi);
        // An independent parser reads back exactly the value.
        prop_assert_eq!(read_attr_with_roxmltree(&after, name), Some(v.clone()));
        // sessctl reads back the value.
        let view = ops::read(&target, &SESSION_STATE).unwrap();
        prop_assert_eq!(view.get(name).map(|a| a.value.clone()), Some(v.clone()));
        // A second identical set changes nothing.
        let again = ops::set(&target, &SESSION_STATE, &change, &opts).unwrap();
        prop_assert!(!again.changed());
        prop_assert_eq!(fs::read(&file).unwrap(), after);
    }

    #[test]
    fn set_then_clear_of_an_absent_attribute_restores_the_bytes(s in style(), (i, v) in attr_strategy()) {
        let name = SESSION_STATE.attributes[i].name;
        prop_assume!(!s.attrs.iter().any(|(j, _)| *j == i));
        // An empty section element cannot be told apart from one sessctl created; clearing its
        // last attribute removes it (README: what is not preserved).
        prop_assume!(!(matches!(s.section, 1 | 2) && s.attrs.is_empty()));
        let bytes = render(&s);
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("web.config");
        fs::write(&file, &bytes).unwrap();
        let target = Target { file, scope: Scope::File };
        let opts = WriteOptions { dry_run: false, force: true, ..Default::default() };
        ops::set(&target, &SESSION_STATE, &[Change::SetAttr { name: name.into(), value: v }], &opts).unwrap();
        ops::set(&target, &SESSION_STATE, &[Change::ClearAttr { name: name.into() }], &opts).unwrap();
        prop_assert_eq!(fs::read(&target.file).unwrap(), bytes);
    }

    #[test]
    fn what_the_scanner_accepts_roxmltree_accepts(s in style(), edits in proptest::collection::vec((any::<prop::sample::Index>(), proptest::sample::select(vec!['<', '>', '&', ';', '"', '\'', '/', '=', '!', '-', '[', ']', '?', ' ', 'a', '#', 'x'])), 1..4)) {
        let mut text = String::from_utf8(render(&s)).unwrap().trim_start_matches('\u{feff}').to_string();
        for (at, c) in edits {
            let mut i = at.index(text.len() + 1);
            while !text.is_char_boundary(i) { i -= 1; }
            text.insert(i, c);
        }
        if Document::parse(text.clone().into_bytes()).is_ok() {
            prop_assert!(roxmltree::Document::parse(&text).is_ok(), "scanner accepted what roxmltree rejects: {:?}", text);
        }
    }

    #[test]
    fn windowed_diff_applies_to_give_the_new_text(lines in proptest::collection::vec("[a-c]{0,3}(\r\n|\n)?", 0..40), edits in proptest::collection::vec((any::<prop::sample::Index>(), "[a-d\n]{0,4}"), 1..3)) {
        let before: String = lines.concat();
        let mut after = before.clone();
        for (at, s) in edits {
            let mut i = at.index(after.len() + 1);
            // Keep CRLF pairs whole: a bare CR is a line end to the diff but not to patch(1).
            if i > 0 && after.as_bytes()[i - 1] == b'\r' {
                i -= 1;
            }
            after.insert_str(i, &s);
        }
        let diff = sessctl::output::diff::unified("f", &before, &after, false, true);
        prop_assert_eq!(diff.is_empty(), before == after);
        prop_assert_eq!(apply_unified(&before, &diff), after);
    }
}

/// Apply a unified diff (as sessctl prints it) to `text`; panics on a hunk that does not match.
fn apply_unified(text: &str, diff: &str) -> String {
    let old: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = String::new();
    let mut at = 0; // next old line to copy
    let lines: Vec<&str> = diff.split_inclusive('\n').collect();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if l.starts_with("--- ") || l.starts_with("+++ ") {
            i += 1;
            continue;
        }
        assert!(l.starts_with("@@ -"), "unexpected line {l:?}");
        // "-a,b": the hunk starts at line a; with b == 0 it inserts after line a.
        let a: usize = l[4..].split([',', ' ']).next().unwrap().parse().unwrap();
        let start = if l[4..].split(' ').next().unwrap().ends_with(",0") {
            a
        } else {
            a - 1
        };
        while at < start {
            out.push_str(old[at]);
            at += 1;
        }
        i += 1;
        while i < lines.len() && !lines[i].starts_with("@@") {
            let body = &lines[i][1..];
            let no_eol = lines
                .get(i + 1)
                .is_some_and(|n| n.starts_with("\\ No newline"));
            let body = if no_eol {
                body.strip_suffix('\n').unwrap()
            } else {
                body
            };
            match lines[i].as_bytes()[0] {
                b' ' => {
                    assert_eq!(old[at], body, "context mismatch");
                    out.push_str(body);
                    at += 1;
                }
                b'-' => {
                    assert_eq!(old[at], body, "removed line mismatch");
                    at += 1;
                }
                b'+' => out.push_str(body),
                _ => panic!("bad diff line {:?}", lines[i]),
            }
            i += if no_eol { 2 } else { 1 };
        }
    }
    while at < old.len() {
        out.push_str(old[at]);
        at += 1;
    }
    out
}
