//! SS012 provider-invalid.

use crate::hierarchy::effective::ItemKind;
use crate::lint::context::FileContext;
use crate::lint::{At, Diagnostic, RuleDef, Severity};

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS012",
    name: "provider-invalid",
    severity: Severity::Error,
    summary: "A provider add without name or type, or a duplicate name.",
    doc: "## What it finds\n\nAn `<add>` in `<providers>` without a `name` or a `type`, or with a name already added (and not removed or cleared) before it.\n\n## Why it matters\n\nASP.NET refuses the collection: \"The entry 'X' has already been added\" or \"The attribute 'type' is missing\".\n\n## Example\n\n```xml\n<providers>\n  <add name=\"Redis\" type=\"A\" />\n  <add name=\"Redis\" type=\"B\" />\n</providers>\n```\n\n## Fix\n\nOne entry per name (put `<remove name=\"Redis\" />` first to replace an inherited one), each with a type.",
    check: Some(check),
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    for site in ctx.checkable() {
        let doc = ctx.doc(site.src);
        let mut live: Vec<String> = Vec::new();
        for (kind, el) in ctx.items(site) {
            let name = doc.attr_value(el, "name").map(|n| n.into_owned());
            match kind {
                ItemKind::Clear => live.clear(),
                ItemKind::Remove => live.retain(|n| Some(n) != name.as_ref()),
                ItemKind::Add => {
                    let missing: Vec<&str> = ["name", "type"]
                        .into_iter()
                        .filter(|a| doc.attr_value(el, a).is_none_or(|v| v.trim().is_empty()))
                        .collect();
                    if !missing.is_empty() {
                        out.push(Diagnostic {
                            at: ctx.element_span(site.src, el),
                            message: format!("provider <add> has no {}", missing.join(" and no ")),
                            fix: None,
                            severity: None,
                        });
                    }
                    if let Some(n) = name {
                        if live.contains(&n) {
                            let a = doc.attr(el, "name").expect("name is present");
                            out.push(Diagnostic {
                                at: At::Span { src: site.src, range: a.range() },
                                message: format!("provider \"{n}\" is already added; remove it first to replace it"),
                                fix: None,
                                severity: None,
                            });
                        } else {
                            live.push(n);
                        }
                    }
                }
            }
        }
    }
}
