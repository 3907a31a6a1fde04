//! SS012 provider-invalid.

use crate::hierarchy::effective::{fold_collection_noting, ItemKind};
use crate::hierarchy::structure::{section_faults, FaultKind};
use crate::lint::context::FileContext;
use crate::lint::{At, Diagnostic, RuleDef, Severity};

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS012",
    name: "provider-invalid",
    severity: Severity::Error,
    summary: "A provider add without name or type, a second entry of a name with other attributes, or a second <providers>.",
    doc: "## What it finds\n\nAn `<add>` in `<providers>` without a `name` or a `type`, or with a name already in the collection (added before it in the same element, or by a level above: the root web.config, a parent folder's web.config, the file's own level for a `<location>`; and not removed or cleared since) with other attributes. Names are compared without regard to case (`REDIS` is `Redis`), as .NET's `ProviderSettingsCollection` compares them; attributes with their exact values, a provider's own settings (`connectionString`, `description`, ...) included. The same entry again (every attribute equal) is not reported: ASP.NET keeps one entry. A second `<providers>` element in one `<sessionState>` too: .NET reads the element once (`ConfigurationElement.DeserializeElement`: \"The element <providers> may only appear once in this section\").\n\n## Why it matters\n\nASP.NET refuses the section: \"The entry 'X' has already been added\" (`ConfigurationElementCollection.BaseAdd`) or \"The attribute 'type' is missing\", and every request that reads session state fails. A provider copied into a child application's web.config with one attribute changed is the usual way to get there. (Mono reads names with regard to case, and leaves a provider's own settings out of the comparison: it takes `<add name=\"REDIS\">` beside `<add name=\"Redis\">`.)\n\n## Example\n\n```xml\n<providers>\n  <add name=\"Redis\" type=\"A\" />\n  <add name=\"Redis\" type=\"B\" />\n</providers>\n```\n\n## Fix\n\nOne entry per name (put `<remove name=\"Redis\" />` first to replace an inherited or earlier one), each with a type.",
    check: Some(check),
    refuses_file: false,
    judges_transforms: false,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    for site in ctx.checkable() {
        // ConfigurationElement.DeserializeElement takes one <providers>: "The element
        // <providers> may only appear once in this section", and the section is refused.
        let doc = ctx.doc(site.src);
        for fault in section_faults(doc, site.el, site.def) {
            if matches!(fault.kind, FaultKind::SecondCollection { .. }) {
                let at = At::Span {
                    src: site.src,
                    range: fault.at.clone(),
                };
                out.push(Diagnostic::new(at, fault.message(ctx.reader())));
            }
        }
        let items = ctx.items(site);
        if items.is_empty() {
            continue;
        }
        let doc = ctx.doc(site.src);
        for &(_, el) in items.iter().filter(|(k, _)| *k == ItemKind::Add) {
            let missing: Vec<&str> = ["name", "type"]
                .into_iter()
                .filter(|a| doc.attr_value(el, a).is_none_or(|v| v.trim().is_empty()))
                .collect();
            if !missing.is_empty() {
                out.push(Diagnostic::new(
                    ctx.element_span(site.src, el),
                    format!("provider <add> has no {}", missing.join(" and no ")),
                ));
            }
        }
        // The collection as ASP.NET builds it: what the levels above give, then this
        // element's items, each entry with its attributes as compared and its element here
        // (`None`: a level above added it), by the one fold.
        let name_of = |attrs: &[(String, String)]| {
            attrs
                .iter()
                .find(|(n, _)| n == "name")
                .map(|(_, v)| v.clone())
        };
        let inherited = ctx
            .inherited(site)
            .effective_items()
            .into_iter()
            .map(|attrs| (ItemKind::Add, name_of(&attrs), (comparable(attrs), None)));
        let own = items.iter().map(|&(kind, el)| {
            let attrs: Vec<(String, String)> = doc
                .attrs(el)
                .map(|a| (doc.attr_name(&a).to_string(), doc.value(&a).into_owned()))
                .collect();
            (kind, name_of(&attrs), (comparable(attrs), Some(el)))
        });
        fold_collection_noting(inherited.chain(own), |earlier: &Entry, later: &Entry| {
            // The same entry again: ASP.NET keeps one (ConfigurationElement.Equals).
            let (Some(el), true) = (later.1, earlier.0 != later.0) else {
                return;
            };
            let Some(a) = doc.attr(el, "name") else {
                return;
            };
            let n = doc.value(&a);
            let (where_, fix) = match earlier.1 {
                Some(first) => (
                    format!(
                        "on line {}",
                        doc.line_col(doc.element(first).start as usize).0
                    ),
                    "remove it first".to_string(),
                ),
                None => (
                    "by a level above".to_string(),
                    format!("add <remove name=\"{n}\" /> before it"),
                ),
            };
            out.push(Diagnostic::new(At::Span { src: site.src, range: a.range() }, format!("provider \"{n}\" is already added {where_} with other attributes, and ASP.NET refuses the section (\"The entry '{n}' has already been added\"); {fix} to replace it")));
        });
    }
}

/// An entry in the collection: its attributes as compared ([`comparable`]), and the `<add>`
/// of this element that added it (`None`: a level above did).
type Entry = (Vec<(String, String)>, Option<crate::doc::ElementId>);

/// An entry's attributes as .NET compares two entries of one name (`ConfigurationElement.Equals`:
/// every property, a provider's own parameters included, with its exact value; the lock
/// attributes are not properties), in a fixed order.
fn comparable(mut attrs: Vec<(String, String)>) -> Vec<(String, String)> {
    attrs.retain(|(n, _)| !crate::schema::is_general_attribute(n));
    attrs.sort();
    attrs
}
