//! appcmd-style `/?` help, generated from the schema table.

use crate::schema::value::allowed;
use crate::schema::{SectionDef, ValueType, SECTIONS};

/// Help for `VERB config [/section:S] /?`.
pub fn appcmd_help(verb: &str, section: Option<&'static SectionDef>) -> String {
    let mut out = String::new();
    let usage = match verb {
        "set" => "sessctl set config [PATH] --file FILE /section:S /ATTR:VALUE... [--dry-run|--diff] [--force] [--json]",
        "clear" => "sessctl clear config [PATH] --file FILE /section:S [/ATTR...] [/providers.[name='N']]",
        _ => "sessctl list config [PATH] --file FILE [/section:S] [/config:*] [/text:ATTR|*] [--json]",
    };
    out.push_str(&format!("Usage: {usage}\n\n"));
    let sections: Vec<&'static SectionDef> = match section {
        Some(s) => vec![s],
        None => SECTIONS.to_vec(),
    };
    for s in sections {
        out.push_str(&format!("Attributes of {} (schema order):\n", s.path));
        for a in s.attributes {
            let values = match &a.ty {
                ValueType::Enum(_) | ValueType::Int { .. } | ValueType::TimeSpan { .. } => {
                    format!("\n      {}", allowed(a))
                }
                _ => String::new(),
            };
            let default = if a.default.is_empty() {
                "(empty)"
            } else {
                a.default
            };
            let note = if a.in_iis_schema {
                ""
            } else {
                " [not in the IIS schema]"
            };
            out.push_str(&format!(
                "  /{:<28} {:<20} default: {default}{note}\n      {}{values}\n",
                a.name,
                a.ty.name(),
                a.doc
            ));
        }
        if let Some(c) = &s.collection {
            out.push_str(&format!(
                "Collection <{0}> (key: {1}; {2} required, other attributes are passed to the provider):\n  \
                 /+{0}.[name='NAME',type='TYPE',...]   add an entry\n  \
                 /-{0}.[name='NAME']                   remove an entry\n  \
                 /{0}.[name='NAME'].ATTR:VALUE         change an entry's attribute\n",
                c.name,
                c.key,
                c.required.join(" and ")
            ));
        }
        out.push('\n');
    }
    out
}
