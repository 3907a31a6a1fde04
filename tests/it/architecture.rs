//! The house drawn from the imports: every module of `src/` refers only to layers at or below
//! its own (lib.rs names them, lowest first), and no two modules refer to each other, directly
//! or around a circle. Read from the source text: `crate::a::b`, `crate::a::{b, c}`, and
//! `super::b` / `super::{b, c}` from a module inside a layer's folder; test modules and comments
//! are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::repo;

/// The layers, lowest first.
const LAYERS: [&str; 9] = [
    "par",
    "doc",
    "schema",
    "secrets",
    "hierarchy",
    "ops",
    "lint",
    "output",
    "cli",
];

/// A module as the graph sees it: the layer and, inside a layer's folder, the file's module.
type Node = (String, Option<String>);

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The names in a `{a, b::c, d as e}` list: the first segment of each.
fn braced(list: &str) -> Vec<String> {
    list.split(',')
        .filter_map(|item| {
            let name: String = item
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_' || c.is_ascii_digit())
                .collect();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

/// Each identifier following `prefix` in `text` (a path segment or a braced list).
fn after(text: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices(prefix) {
        // Not the tail of a longer identifier (`my_super::`).
        if text[..i]
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            continue;
        }
        let rest = &text[i + prefix.len()..];
        if let Some(list) = rest.strip_prefix('{') {
            for name in braced(&list[..list.find('}').unwrap_or(list.len())]) {
                out.push(vec![name]);
            }
            continue;
        }
        let segs: Vec<String> = rest
            .split("::")
            .take(2)
            .map(|s| {
                s.chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_' || c.is_ascii_digit())
                    .collect::<String>()
            })
            .collect();
        if segs[0].is_empty() {
            continue;
        }
        if let Some(list) = rest[segs[0].len()..].strip_prefix("::{") {
            let list = &list[..list.find('}').unwrap_or(list.len())];
            let names = braced(list);
            // A type in the list (`{Finding, Severity}`) is the layer's own.
            if names.len() < list.split(',').filter(|i| !i.trim().is_empty()).count() {
                out.push(vec![segs[0].clone()]);
            }
            for name in names {
                out.push(vec![segs[0].clone(), name]);
            }
            continue;
        }
        let mut path = vec![segs[0].clone()];
        if let Some(second) = segs.get(1).filter(|s| !s.is_empty()) {
            path.push(second.clone());
        }
        out.push(path);
    }
    out
}

/// The module graph of `src/`.
fn graph() -> BTreeMap<Node, BTreeSet<Node>> {
    let src = repo().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let is_module = |layer: &str, name: &str| {
        src.join(layer).join(format!("{name}.rs")).exists() || src.join(layer).join(name).is_dir()
    };
    let mut edges: BTreeMap<Node, BTreeSet<Node>> = BTreeMap::new();
    for f in files {
        let rel: Vec<String> = f
            .strip_prefix(&src)
            .unwrap()
            .with_extension("")
            .iter()
            .map(|s| s.to_string_lossy().into_owned())
            .collect();
        if rel == ["lib"] || rel == ["main"] {
            continue;
        }
        let layer = rel[0].clone();
        let here: Node = (layer.clone(), rel.get(1).filter(|m| *m != "mod").cloned());
        let text = fs::read_to_string(&f).unwrap();
        let text = text.split("#[cfg(test)]").next().unwrap_or("");
        // Comments (doc links included) are no imports.
        let text: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let mut refs: Vec<Node> = Vec::new();
        for path in after(&text, "crate::") {
            if !LAYERS.contains(&path[0].as_str()) {
                continue;
            }
            let sub = path.get(1).filter(|s| is_module(&path[0], s)).cloned();
            refs.push((path[0].clone(), sub));
        }
        if rel.len() >= 2 && rel[1] != "mod" {
            // `super::x` from `layer/file.rs` (or deeper) names `layer::x`.
            for path in after(&text, "super::") {
                let sub = Some(path[0].clone()).filter(|s| is_module(&layer, s));
                refs.push((layer.clone(), sub));
            }
        }
        for r in refs {
            if r != here && !(r.0 == here.0 && r.1.is_none()) {
                edges.entry(here.clone()).or_default().insert(r);
            }
        }
    }
    edges
}

fn name(n: &Node) -> String {
    match &n.1 {
        Some(m) => format!("{}::{m}", n.0),
        None => n.0.clone(),
    }
}

#[test]
fn no_module_refers_to_a_layer_above_its_own() {
    let rank = |l: &str| LAYERS.iter().position(|x| *x == l).unwrap();
    let upward: Vec<String> = graph()
        .iter()
        .flat_map(|(from, tos)| tos.iter().map(move |to| (from, to)))
        .filter(|(from, to)| rank(&to.0) > rank(&from.0))
        .map(|(from, to)| format!("{} -> {}", name(from), name(to)))
        .collect();
    assert!(upward.is_empty(), "upward arrows: {upward:#?}");
}

#[test]
fn no_two_modules_refer_to_each_other_around_a_circle() {
    let g = graph();
    // Every node from which `start` is reachable again is on a circle with it.
    let reach = |start: &Node| {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&Node> = g.get(start).into_iter().flatten().collect();
        while let Some(n) = todo.pop() {
            if seen.insert(n.clone()) {
                todo.extend(g.get(n).into_iter().flatten());
            }
        }
        seen
    };
    let circles: Vec<String> = g
        .keys()
        .filter(|n| reach(n).contains(*n))
        .map(name)
        .collect();
    assert!(circles.is_empty(), "modules on a circle: {circles:?}");
}

#[test]
fn the_graph_sees_the_imports() {
    // The reader finds what it must, or the two tests above could not fail.
    let g = graph();
    let has = |from: (&str, Option<&str>), to: (&str, Option<&str>)| {
        g.get(&(from.0.to_string(), from.1.map(str::to_string)))
            .is_some_and(|s| s.contains(&(to.0.to_string(), to.1.map(str::to_string))))
    };
    assert!(has(
        ("hierarchy", Some("effective")),
        ("hierarchy", Some("source"))
    ));
    assert!(has(("cli", Some("request")), ("schema", None)));
    assert!(has(("output", Some("lint")), ("lint", None)));
    // And its reading of a braced list: lower-case names are modules, types are not.
    assert_eq!(
        after("use crate::ops::{self, Change, server};", "crate::"),
        [vec!["ops"], vec!["ops", "self"], vec!["ops", "server"]]
    );
    assert_eq!(after("use super::{source, Lock};", "super::"), [["source"]]);
}
