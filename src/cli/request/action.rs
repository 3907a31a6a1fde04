//! The action of a `config` command, checked against the schema: each `/ATTR:VALUE`,
//! `/+providers.[...]`, `/-providers.[...]` and `/providers.[...].ATTR:VALUE` of `set`, each
//! `/ATTR` and `/providers.[...]` of `clear`, the views of `list`, and `set /in`'s document.

use super::*;

/// `set config /in` (standard input) or `/in:FILE`: appcmd's `/xml` document, each section in
/// it (only `/section:S` when given) as an import.
pub(super) fn import_action(
    p: &Param,
    section: Option<&'static SectionDef>,
    rest: &[&Param],
) -> Result<ConfigAction, Refusal> {
    if let Some(r) = rest.first() {
        return refuse(format!(
            "set config /in takes its values from the input, not /{}",
            r.name
        ));
    }
    let bytes = match p.value.as_deref().filter(|v| !v.is_empty()) {
        Some(file) => std::fs::read(file).map_err(|e| Refusal(format!("/in:{file}: {e}")))?,
        None => {
            use std::io::Read;
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| Refusal(format!("/in: cannot read standard input: {e}")))?;
            buf
        }
    };
    let mut imports = crate::ops::import::parse(bytes).map_err(Refusal::of)?;
    if let Some(s) = section {
        imports.retain(|(d, _)| d.name == s.name);
        if imports.is_empty() {
            return refuse(format!("the /in input holds no CONFIG for {}", s.path));
        }
    }
    Ok(ConfigAction::Import(imports))
}

/// What a verb does with its parameters, checked against the schema.
pub(super) fn build_action(
    verb: &str,
    section: Option<&'static SectionDef>,
    rest: &[&Param],
    text: Option<&Param>,
    config: Option<&Param>,
    xml: bool,
) -> Result<ConfigAction, Refusal> {
    let needs_section = |section: Option<&'static SectionDef>| {
        section.ok_or_else(|| {
            Refusal(format!(
                "{verb} config needs /section:sessionState or /section:sessionPageState"
            ))
        })
    };
    match verb {
        "list" => {
            let sections: Vec<&'static SectionDef> = match section {
                Some(s) => vec![s],
                None => SECTIONS.to_vec(),
            };
            let view = match (text, config) {
                _ if xml => ListView::Xml,
                (Some(t), _) => match t.value.as_deref() {
                    Some("*") => ListView::Detail,
                    Some(a) if !a.is_empty() => {
                        check_text_attr(a, &sections)?;
                        ListView::Text(a.to_string())
                    }
                    _ => return refuse("/text needs an attribute name or *"),
                },
                (None, Some(c)) if c.value.as_deref() == Some("*") => {
                    ListView::Fragment(Detail::All)
                }
                (None, Some(_)) => {
                    return refuse("/config takes only * (every attribute, defaults included)")
                }
                (None, None) => ListView::Fragment(Detail::Set),
            };
            Ok(ConfigAction::List { sections, view })
        }
        "search" => Ok(ConfigAction::Search(match section {
            Some(s) => vec![s],
            None => SECTIONS.to_vec(),
        })),
        "lock" | "unlock" => Ok(ConfigAction::Lock {
            section: needs_section(section)?,
            unlock: verb == "unlock",
        }),
        _ => {
            let section = needs_section(section)?;
            if verb == "clear" && rest.is_empty() {
                return Ok(ConfigAction::ClearSection(section));
            }
            if rest.is_empty() {
                return refuse("set config needs at least one /attribute:value");
            }
            let mut changes = Vec::new();
            let mut seen: Vec<&str> = Vec::new();
            for p in rest {
                // The same attribute twice is a mistake, not "the last one wins".
                if !p.name.starts_with(['+', '-']) && !p.name.contains('[') {
                    if seen.iter().any(|n| n.eq_ignore_ascii_case(&p.name)) {
                        return refuse(format!(
                            "/{} is given twice; give each attribute once",
                            p.name
                        ));
                    }
                    seen.push(&p.name);
                }
                changes.push(if verb == "set" {
                    set_change(section, p)?
                } else {
                    clear_change(section, p)?
                });
            }
            Ok(ConfigAction::Change {
                section,
                changes,
                clear: verb == "clear",
            })
        }
    }
}

fn unknown_attribute(section: &SectionDef, name: &str) -> Refusal {
    // `/[name='X'].attr` addresses an item of a section's default collection in appcmd; the
    // session sections have none: their items are in `<providers>`.
    let item = name
        .starts_with('[')
        .then_some(())
        .and(section.collection.as_ref())
        .map(|c| format!("{}.{name}", c.name));
    let hint = item
        .or_else(|| section.suggest(name).map(str::to_string))
        .map(|s| format!(" (did you mean \"{s}\"?)"))
        .unwrap_or_default();
    Refusal(format!(
        "Unknown attribute \"{name}\" of {}{hint}. Attribute names are case-sensitive; /? lists them",
        section.path
    ))
}

fn check_text_attr(name: &str, sections: &[&'static SectionDef]) -> Result<(), Refusal> {
    if sections.iter().any(|s| s.attribute(name).is_some()) {
        return Ok(());
    }
    Err(unknown_attribute(sections[0], name))
}

fn collection_of<'a>(section: &'static SectionDef, spec: &'a str) -> Result<&'a str, Refusal> {
    let Some(coll) = &section.collection else {
        return refuse(format!("{} has no collection", section.path));
    };
    match spec.get(..coll.name.len()) {
        Some(head) if head.eq_ignore_ascii_case(coll.name) => {}
        _ => {
            let name = spec.split(['.', '[']).next().unwrap_or(spec);
            // `[name='X']` alone is appcmd's default collection, which these sections lack.
            if name.is_empty() && spec.starts_with('[') {
                return refuse(format!(
                    "{} has no default collection: its items are in \"{}\" (\"{}.{spec}\")",
                    section.path, coll.name, coll.name
                ));
            }
            return refuse(format!(
                "Unknown collection \"{name}\" of {}; it has \"{}\"",
                section.path, coll.name
            ));
        }
    }
    let rest = &spec[coll.name.len()..];
    rest.strip_prefix('.')
        .filter(|r| r.starts_with('['))
        .ok_or_else(|| Refusal(format!("expected {}.[name='...'] in \"{spec}\"", coll.name)))
}

fn key_of(
    section: &'static SectionDef,
    pairs: &[(String, String)],
    spec: &str,
) -> Result<String, Refusal> {
    let key = section.collection.as_ref().map_or("name", |c| c.key);
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .ok_or_else(|| Refusal(format!("the indexer in \"{spec}\" needs {key}='...'")))
}

/// Whether a parameter addresses the section's collection (`providers.[...]`, any case).
fn names_collection(section: &SectionDef, name: &str) -> bool {
    section.collection.as_ref().is_some_and(|c| {
        name.get(..c.name.len() + 1)
            .is_some_and(|head| head.eq_ignore_ascii_case(&format!("{}.", c.name)))
    })
}

fn set_change(section: &'static SectionDef, p: &Param) -> Result<Change, Refusal> {
    let name = p.name.as_str();
    if let Some(spec) = name.strip_prefix('+') {
        let idx = collection_of(section, spec)?;
        let (pairs, tail) = args::indexer(idx).map_err(Refusal::of)?;
        if !tail.is_empty() || p.value.is_some() {
            return refuse(format!("unexpected text after the indexer in \"/{name}\""));
        }
        let coll = section
            .collection
            .as_ref()
            .expect("checked by collection_of");
        for req in coll.required {
            match pairs.iter().find(|(k, _)| k == req) {
                Some((_, v)) if !v.is_empty() => {}
                _ => return refuse(format!("a provider needs {req}='...': \"/{name}\"")),
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (k, _) in &pairs {
            if !seen.insert(k.as_str()) {
                return refuse(format!("\"{k}\" is given twice in \"/{name}\""));
            }
        }
        return Ok(Change::AddItem { attrs: pairs });
    }
    if let Some(spec) = name.strip_prefix('-') {
        return remove_item(section, spec, p);
    }
    if names_collection(section, name) {
        let idx = collection_of(section, name)?;
        let (pairs, tail) = args::indexer(idx).map_err(Refusal::of)?;
        let key = key_of(section, &pairs, name)?;
        let attr = tail
            .strip_prefix('.')
            .filter(|a| !a.is_empty())
            .ok_or_else(|| {
                Refusal(format!(
                    "expected .ATTR:VALUE after the indexer in \"/{name}\""
                ))
            })?;
        let Some(value) = p.value.clone() else {
            return refuse(format!("/{name} needs a value: /{name}:VALUE"));
        };
        if attr == "name" {
            return refuse("a provider's name is its key; remove it and add it again to rename it");
        }
        return Ok(Change::SetItemAttr {
            key,
            name: attr.to_string(),
            value,
        });
    }
    let def = section
        .attribute(name)
        .ok_or_else(|| unknown_attribute(section, name))?;
    let Some(raw_value) = &p.value else {
        return refuse(format!("/{name} needs a value: /{name}:VALUE"));
    };
    let value = parse_input(def, raw_value).map_err(Refusal::of)?;
    Ok(Change::SetAttr {
        name: def.name.to_string(),
        value,
    })
}

fn remove_item(section: &'static SectionDef, spec: &str, p: &Param) -> Result<Change, Refusal> {
    let idx = collection_of(section, spec)?;
    let (pairs, tail) = args::indexer(idx).map_err(Refusal::of)?;
    if !tail.is_empty() || p.value.is_some() {
        return refuse(format!(
            "unexpected text after the indexer in \"/{}\"",
            p.name
        ));
    }
    Ok(Change::RemoveItem {
        key: key_of(section, &pairs, spec)?,
    })
}

fn clear_change(section: &'static SectionDef, p: &Param) -> Result<Change, Refusal> {
    let name = p.name.as_str();
    if p.value.is_some() {
        return refuse(format!(
            "clear config takes attribute names without values (got /{name}:...)"
        ));
    }
    if names_collection(section, name) {
        return remove_item(section, name, p);
    }
    if let Some(spec) = name.strip_prefix('-') {
        return remove_item(section, spec, p);
    }
    match section.attribute(name) {
        Some(def) => Ok(Change::ClearAttr {
            name: def.name.to_string(),
        }),
        // An attribute the schema lacks may still be cleared: that is how a typo is removed.
        None if !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_:.-".contains(&b)) =>
        {
            Ok(Change::ClearAttr {
                name: name.to_string(),
            })
        }
        None => Err(unknown_attribute(section, name)),
    }
}
