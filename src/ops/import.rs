//! Reading appcmd's `/xml` document for `set config /in`: `<appcmd>`, one `<CONFIG
//! CONFIG.SECTION="system.web/S">` per section, holding `<system.web-S attr="..."/>` with its
//! `<providers>`. Each becomes a [`Change::Import`]: make the section's explicitly set values at
//! the commit level equal these, providers included. Values are checked against the schema
//! here, before any file is read.

use super::Change;
use crate::doc::Document;
use crate::schema::value::parse_input;
use crate::schema::{find_section, is_general_attribute, SectionDef};

/// Parse an `/in` document: each section it holds and the import for it.
pub fn parse(bytes: Vec<u8>) -> Result<Vec<(&'static SectionDef, Change)>, String> {
    let doc = Document::parse(bytes).map_err(|e| {
        format!(
            "the /in input is not well-formed XML: line {}, column {}: {}",
            e.line, e.column, e.message
        )
    })?;
    let root = doc.root();
    if doc.name(root) != "appcmd" {
        return Err(format!(
            "the /in input must be appcmd's /xml document (<appcmd><CONFIG ...>), not <{}>",
            doc.name(root)
        ));
    }
    let mut out = Vec::new();
    for config in doc.children(root) {
        if doc.name(config) != "CONFIG" {
            return Err(format!(
                "the /in input holds <{}> where <CONFIG> belongs",
                doc.name(config)
            ));
        }
        let path = doc.attr_value(config, "CONFIG.SECTION").unwrap_or_default();
        let section = find_section(&path).ok_or_else(|| {
            format!("the /in input holds section \"{path}\"; sessctl manages system.web/sessionState and system.web/sessionPageState")
        })?;
        let element = section.path.replace('/', "-");
        let body: Vec<_> = doc.children(config).collect();
        let el = match body.as_slice() {
            [] => None,
            [one] if doc.name(*one) == element => Some(*one),
            _ => {
                return Err(format!(
                    "the /in input's CONFIG for {} must hold one <{element}> element",
                    section.path
                ))
            }
        };
        let mut attrs = Vec::new();
        let mut providers = None;
        if let Some(el) = el {
            for a in doc.attrs(el) {
                let name = doc.attr_name(&a);
                if is_general_attribute(name) {
                    continue;
                }
                let value = doc.value(&a);
                let def = section.attribute(name).ok_or_else(|| {
                    let hint = section
                        .suggest(name)
                        .map(|s| format!(" (did you mean \"{s}\"?)"))
                        .unwrap_or_default();
                    format!(
                        "the /in input sets unknown attribute \"{name}\" of {}{hint}",
                        section.path
                    )
                })?;
                refuse_masked(name, &value)?;
                attrs.push((def.name.to_string(), parse_input(def, &value)?));
            }
            if let Some(coll) = &section.collection {
                for c in doc.children(el) {
                    if doc.name(c) != coll.name {
                        return Err(format!(
                            "the /in input holds <{}> inside <{element}>; only <{}> belongs there",
                            doc.name(c),
                            coll.name
                        ));
                    }
                    let mut items = Vec::new();
                    for item in doc.children(c) {
                        if doc.name(item) != "add" {
                            return Err(format!(
                                "the /in input holds <{}> in <{}>; it lists the effective entries as <add>",
                                doc.name(item),
                                coll.name
                            ));
                        }
                        let mut pairs = Vec::new();
                        for a in doc.attrs(item) {
                            let (n, v) =
                                (doc.attr_name(&a).to_string(), doc.value(&a).into_owned());
                            refuse_masked(&n, &v)?;
                            pairs.push((n, v));
                        }
                        for req in coll.required {
                            if !pairs.iter().any(|(n, v)| n == req && !v.is_empty()) {
                                return Err(format!("a provider in the /in input has no {req}"));
                            }
                        }
                        items.push(pairs);
                    }
                    providers = Some(items);
                }
                if providers.is_none() {
                    providers = Some(vec![]);
                }
            }
        }
        out.push((section, Change::Import { attrs, providers }));
    }
    if out.is_empty() {
        return Err("the /in input holds no <CONFIG> element".into());
    }
    Ok(out)
}

/// A value `list` masked (`Password=****`) would write the mask as the password.
fn refuse_masked(name: &str, value: &str) -> Result<(), String> {
    if crate::secrets::is_masked_attribute(name, value) {
        return Err(format!(
            "the /in input's {name} is masked (****); list the source with --show-secrets to copy it"
        ));
    }
    let lower = value.to_ascii_lowercase().replace(' ', "");
    let masked = crate::schema::connstr::parse(value)
        .iter()
        .any(|p| crate::schema::connstr::is_secret_key(&p.key) && p.value == "****")
        || lower.contains("password=****")
        || lower.contains("pwd=****");
    if masked {
        return Err(format!(
            "the /in input's {name} holds a masked password (****); list the source with --show-secrets to copy it"
        ));
    }
    Ok(())
}
