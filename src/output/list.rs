//! Renderings of a section for `list config`: the XML fragment, `/text:ATTR`, the detail view
//! (`/text:*`) and JSON. Attributes always come in schema order.

use serde_json::{json, Map, Value};

use crate::doc::escape;
use crate::hierarchy::effective::SectionView;
use crate::schema::SectionDef;
use crate::secrets::{shown_attribute, shown_value as shown};

/// One section to render, with what was read of it.
pub struct Listed {
    /// The section.
    pub section: &'static SectionDef,
    /// What the levels say.
    pub view: SectionView,
    /// Whether a level above the path locks the section.
    pub locked: bool,
    /// What the reader of each merged definition refuses in it
    /// ([`refused`](crate::hierarchy::effective::refused)).
    pub refused: Vec<crate::hierarchy::effective::Refused>,
}

impl Listed {
    /// What a reader of the section at `display` should be told beside its values, one line
    /// each with its file and line: a section encrypted (its values cannot be read here), a
    /// definition refused for a lock above it, for what its reader does not take, or for an
    /// attribute the schema does not have (left out of the values). Secrets are not masked
    /// here: that is the writer's choice (`--show-secrets`).
    pub fn warnings(&self, display: &str) -> Vec<String> {
        let (s, v) = (self.section, &self.view);
        let mut warnings = Vec::new();
        if let Some(p) = &v.encrypted {
            warnings.push(format!(
                "{display}: {} is encrypted with configProtectionProvider \"{p}\"; its values cannot be read here",
                s.path
            ));
        }
        for o in &v.overridden {
            let lock = format!("{}:{}", o.lock.file.display(), o.lock.line);
            warnings.push(match &o.attribute {
                None => format!(
                    "{}:{}: ASP.NET refuses this file: {} is locked at {lock} (\"This configuration section cannot be used at this path\")",
                    o.file.display(),
                    o.line,
                    s.path
                ),
                Some(name) => format!(
                    "{}:{}: ASP.NET refuses this file: the attribute {name} of {} is locked at {lock} (.NET's Config_base_attribute_locked)",
                    o.file.display(),
                    o.line,
                    s.path
                ),
            });
        }
        for (file, line, why) in &self.refused {
            warnings.push(format!("{}:{line}: {why}", file.display()));
        }
        for a in &v.attrs {
            if s.attribute(&a.name).is_none() {
                let hint = s
                    .suggest(&a.name)
                    .map(|x| format!(" (did you mean \"{x}\"?)"))
                    .unwrap_or_default();
                let who = crate::hierarchy::source::reader_of(a.ignored_by_aspnet);
                warnings.push(format!(
                    "{}:{}: unknown attribute \"{}\" of {} left out{hint}; {who} refuses the section (\"Unrecognized attribute '{}'\")",
                    a.file.display(),
                    a.line,
                    a.name,
                    s.path,
                    a.name
                ));
            }
        }
        warnings
    }
}

/// How much to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Explicitly set values only.
    Set,
    /// Every attribute, defaults filled in (`/config:*`).
    All,
}

/// The (name, value) pairs to show, in schema order.
pub fn attributes(l: &Listed, detail: Detail) -> Vec<(&'static str, String)> {
    l.section
        .attributes
        .iter()
        .filter_map(|a| match (l.view.get(a.name), detail) {
            (Some(v), _) => Some((a.name, v.value.clone())),
            (None, Detail::All) if a.in_iis_schema => Some((a.name, a.default.to_string())),
            (None, _) => None,
        })
        .collect()
}

fn attr_text(pairs: &[(impl AsRef<str>, impl AsRef<str>)], show: bool) -> String {
    pairs
        .iter()
        .map(|(n, v)| {
            format!(
                " {}=\"{}\"",
                n.as_ref(),
                escape(&shown_attribute(n.as_ref(), v.as_ref(), show), b'"')
            )
        })
        .collect()
}

/// The `<system.web>` fragment holding every listed section.
pub fn fragment(sections: &[Listed], detail: Detail, show: bool) -> String {
    let mut out = String::from("<system.web>\n");
    for l in sections {
        let name = l.section.name;
        if let Some(p) = &l.view.encrypted {
            out.push_str(&format!(
                "  <{name} configProtectionProvider=\"{}\">\n    <EncryptedData />\n  </{name}>\n",
                escape(p, b'"')
            ));
            continue;
        }
        let attrs = attr_text(&attributes(l, detail), show);
        match &l.section.collection {
            Some(c) if !l.view.items.is_empty() || detail == Detail::All => {
                out.push_str(&format!("  <{name}{attrs}>\n"));
                if l.view.items.is_empty() {
                    out.push_str(&format!("    <{} />\n", c.name));
                } else {
                    out.push_str(&format!("    <{}>\n", c.name));
                    for item in &l.view.items {
                        out.push_str(&format!("      <add{} />\n", attr_text(item, show)));
                    }
                    out.push_str(&format!("    </{}>\n", c.name));
                }
                out.push_str(&format!("  </{name}>\n"));
            }
            _ => out.push_str(&format!("  <{name}{attrs} />\n")),
        }
    }
    out.push_str("</system.web>\n");
    out
}

/// The effective value of one attribute (explicit, else the default).
pub fn effective<'v>(l: &'v Listed, name: &str) -> Option<&'v str> {
    let def = l.section.attribute(name)?;
    Some(l.view.get(name).map_or(def.default, |a| a.value.as_str()))
}

/// Where an attribute's effective value comes from, as `--show-origin` prints it after the
/// value: `  (FILE:LINE)`, `  (FILE:LINE, ignored by ASP.NET)` or `  (default)`.
pub fn origin_suffix(l: &Listed, name: &str) -> String {
    match l.view.get(name) {
        Some(a) if a.ignored_by_aspnet => {
            format!("  ({}:{}, ignored by ASP.NET)", a.file.display(), a.line)
        }
        Some(a) => format!("  ({}:{})", a.file.display(), a.line),
        None => "  (default)".to_string(),
    }
}

/// appcmd's detail view (`/text:*`).
/// With `origins`, each value is followed by `  (FILE:LINE)` or `  (default)`.
pub fn detail_view(l: &Listed, path: &str, show: bool, origins: bool) -> String {
    let mode = if l.view.override_mode.is_empty() {
        "Inherit"
    } else {
        l.view.override_mode.as_str()
    };
    let mut out = format!(
        "CONFIG\n  CONFIG.SECTION:\"{}\"\n  path:\"{path}\"\n  overrideMode:\"{mode}\"\n  locked:\"{}\"\n  [{}]\n",
        l.section.path, l.locked, l.section.path
    );
    if let Some(p) = &l.view.encrypted {
        out.push_str(&format!(
            "    (encrypted with configProtectionProvider \"{p}\")\n"
        ));
        return out;
    }
    for (n, v) in attributes(l, Detail::All) {
        let origin = if origins {
            origin_suffix(l, n)
        } else {
            String::new()
        };
        out.push_str(&format!("    {n}:\"{}\"{origin}\n", shown(&v, show)));
    }
    if let Some(c) = &l.section.collection {
        out.push_str(&format!("    [{}]\n", c.name));
        for item in &l.view.items {
            out.push_str("      [add]\n");
            for (n, v) in item {
                out.push_str(&format!(
                    "        {n}:\"{}\"\n",
                    shown_attribute(n, v, show)
                ));
            }
        }
    }
    out
}

/// The origin of an attribute's effective value: its file and line, or `"default"`.
fn origin_json(l: &Listed, name: &str) -> Value {
    match l.view.get(name) {
        Some(a) if a.ignored_by_aspnet => json!({
            "file": a.file.display().to_string(),
            "line": a.line,
            "ignoredByAspNet": true,
        }),
        Some(a) => json!({"file": a.file.display().to_string(), "line": a.line}),
        None => json!("default"),
    }
}

/// The JSON document of `/text:ATTR --json`: one attribute's effective value and origin.
pub fn attribute_json(l: &Listed, path: &str, name: &str, show: bool) -> Value {
    let value = effective(l, name).unwrap_or_default();
    json!({
        "version": 1,
        "section": l.section.path,
        "path": path,
        "attribute": name,
        "value": shown(value, show),
        "origin": origin_json(l, name),
    })
}

/// The JSON document of one section (SPEC §5's list shape).
pub fn json(l: &Listed, path: &str, show: bool) -> Value {
    let mut attrs = Map::new();
    if l.view.encrypted.is_none() {
        for def in l.section.attributes {
            if l.view.get(def.name).is_none() && !def.in_iis_schema {
                continue;
            }
            let origin = origin_json(l, def.name);
            let value = effective(l, def.name).unwrap_or_default();
            attrs.insert(
                def.name.to_string(),
                json!({"value": shown(value, show), "origin": origin}),
            );
        }
    }
    let providers: Vec<Value> = l
        .view
        .items
        .iter()
        .map(|item| {
            Value::Object(
                item.iter()
                    .map(|(n, v)| {
                        (
                            n.clone(),
                            Value::String(shown_attribute(n, v, show).into_owned()),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    let mut doc = json!({
        "version": 1,
        "section": l.section.path,
        "path": path,
        "encrypted": l.view.encrypted.is_some(),
        "overrideMode": if l.view.override_mode.is_empty() { "Inherit" } else { l.view.override_mode.as_str() },
        "locked": l.locked,
        "attributes": attrs,
    });
    if l.section.collection.is_some() {
        doc["providers"] = Value::Array(providers);
    }
    if let Some(p) = &l.view.encrypted {
        doc["protectionProvider"] = json!(p);
    }
    doc
}

/// `/xml`: appcmd's `<appcmd><CONFIG ...>` document, which `set config /in` reads back. Each
/// section holds its explicitly set values (every level merged) and its effective providers;
/// four-space indentation.
pub fn xml(sections: &[Listed], path: &str, show: bool) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<appcmd>\n");
    for l in sections {
        let mode = if l.view.override_mode.is_empty() {
            "Inherit"
        } else {
            l.view.override_mode.as_str()
        };
        out.push_str(&format!(
            "    <CONFIG CONFIG.SECTION=\"{}\" path=\"{}\" overrideMode=\"{mode}\" locked=\"{}\">\n",
            l.section.path,
            escape(path, b'"'),
            l.locked
        ));
        let name = l.section.path.replace('/', "-");
        let attrs = attr_text(&attributes(l, Detail::Set), show);
        match &l.section.collection {
            Some(c) if !l.view.items.is_empty() => {
                out.push_str(&format!(
                    "        <{name}{attrs}>\n            <{}>\n",
                    c.name
                ));
                for item in &l.view.items {
                    out.push_str(&format!(
                        "                <add{} />\n",
                        attr_text(item, show)
                    ));
                }
                out.push_str(&format!("            </{}>\n        </{name}>\n", c.name));
            }
            _ => out.push_str(&format!("        <{name}{attrs} />\n")),
        }
        out.push_str("    </CONFIG>\n");
    }
    out.push_str("</appcmd>\n");
    out
}
