//! SS002 unknown-attribute.

use crate::lint::context::FileContext;
use crate::lint::{Diagnostic, RuleDef, Severity};
use crate::schema::rules::Rule;

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS002",
    name: "unknown-attribute",
    severity: Severity::Error,
    summary: "An attribute or child element the schema does not have, or the wrong case of one it has.",
    doc: "## What it finds\n\nAn attribute on `<sessionState>` or `<sessionPageState>` that the schema does not define. Attribute names are case-sensitive, so `Mode` is not `mode`; the message suggests the closest name. A child element the section does not have is reported too (`<provider>` in `<sessionState>`, whose one child is `<providers>`; anything in `<sessionPageState>`; an item of `<providers>` other than `<add>`, `<remove>` and `<clear>`): .NET's `ConfigurationElement.DeserializeElement` refuses the section (\"Unrecognized element\").\n\n## Why it matters\n\nASP.NET rejects the section with \"Unrecognized attribute\" and the application does not start.\n\n## Example\n\n```xml\n<sessionState Mode=\"InProc\" timeOut=\"20\" />\n```\n\n## Fix\n\nSpell the attribute as the schema does: `<sessionState mode=\"InProc\" timeout=\"20\" />`.",
    check: Some(check),
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    super::report_violations(ctx, Rule::UnknownAttribute, out);
    unknown_elements(ctx, out);
}

/// A child element the section does not have (`<provider>` for `<providers>`), or one in its
/// collection other than `<add>`, `<remove>` and `<clear>`: .NET's
/// `ConfigurationElement.DeserializeElement` refuses the section ("Unrecognized element").
fn unknown_elements(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    const ITEMS: [&str; 3] = ["add", "remove", "clear"];
    // ASP.NET never reads applicationHost.config; IIS's configuration system does, as strictly.
    let who = if ctx.kind == crate::lint::context::FileKind::AppHost {
        "IIS's configuration system"
    } else {
        "ASP.NET"
    };
    for site in ctx.checkable() {
        let doc = ctx.doc(site.src);
        let collection = site.def.collection.as_ref().map(|c| c.name);
        let mut report = |el, parent: &str, known: &[&'static str]| {
            let name = doc.name(el);
            let hint = crate::schema::suggest(name, known.iter().copied())
                .map(|h| format!(" (did you mean <{h}>?)"))
                .unwrap_or_default();
            let has = if known.is_empty() {
                "has no child elements".to_string()
            } else {
                format!(
                    "has {}",
                    known
                        .iter()
                        .map(|k| format!("<{k}>"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            out.push(Diagnostic {
                at: ctx.element_span(site.src, el),
                message: format!(
                    "<{name}> is not an element of <{parent}>{hint}, which {has}: {who} refuses the section (\"Unrecognized element '{name}'\")"
                ),
                fix: None,
                severity: None,
                related: Vec::new(),
            });
        };
        for child in doc.children(site.el) {
            if Some(doc.name(child)) == collection {
                for item in doc.children(child) {
                    if !ITEMS.contains(&doc.name(item)) {
                        report(item, doc.name(child), &ITEMS);
                    }
                }
            } else {
                report(child, site.def.name, collection.as_slice());
            }
        }
    }
}
