//! SS002 unknown-attribute.

use crate::hierarchy::structure::{section_faults, FaultKind};
use crate::lint::context::FileContext;
use crate::lint::{At, Diagnostic, RuleDef, Severity};
use crate::schema::rules::Rule;

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS002",
    name: "unknown-attribute",
    severity: Severity::Error,
    summary: "An attribute or child element the schema does not have, or the wrong case of one it has.",
    doc: "## What it finds\n\nAn attribute on `<sessionState>` or `<sessionPageState>` that the schema does not define. Attribute names are case-sensitive, so `Mode` is not `mode`; the message suggests the closest name. A child element the section does not have is reported too (`<provider>` in `<sessionState>`, whose one child is `<providers>`; anything in `<sessionPageState>`; an item of `<providers>` other than `<add>`, `<remove>` and `<clear>`, an element inside an `<add>` or `<remove>`), and an attribute of `<providers>` other than the lock attributes, any attribute of `<clear>`, and one of `<remove>` other than `name` (`<remove name=\"X\" type=\"...\" />`): .NET's `ConfigurationElement.DeserializeElement` refuses the section (\"Unrecognized element\", \"Unrecognized attribute\"). An `<add>` takes any attribute: a provider reads its own settings. Text or CDATA directly inside the section, `<providers>` or an item (a stray `,` or `>` of a hand edit) is refused the same way (\"The configuration section cannot contain a CDATA or text element\"). So is a session section, `<machineKey>`, `<connectionStrings>`, `<location>` or the `<system.web>` group spelt in another case (`<SessionState>`, `<System.Web>`, `<Location>`), and a session section or `<machineKey>` outside `<system.web>`, or one of them or `<system.web>` itself inside another section group (`<system.webServer>`, IIS's group, which ASP.NET ignores whole; `<system.net>`), or `<connectionStrings>` or `<system.web>` inside `<system.web>`: no section of that name is declared, so IIS refuses every request the file applies to (HTTP 500.19, \"cannot be read because it is missing a section declaration\"; Mono refuses the application too), and what it was meant to be is not read.\n\n## Why it matters\n\nASP.NET rejects the section with \"Unrecognized attribute\" and the application does not start.\n\n## Example\n\n```xml\n<sessionState Mode=\"InProc\" timeOut=\"20\" />\n```\n\n## Fix\n\nSpell the attribute as the schema does: `<sessionState mode=\"InProc\" timeout=\"20\" />`.",
    check: Some(check),
    refuses_file: false,
    judges_transforms: true,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    super::report_violations(ctx, Rule::UnknownAttribute, out);
    unknown_elements(ctx, out);
    if let Some(src) = ctx.sources.first() {
        for (range, why) in src.unrecognized_sections() {
            let at = At::Span {
                src: 0,
                range: range.clone(),
            };
            out.push(Diagnostic::new(at, why.clone()).refusing_the_file());
        }
    }
}

/// What .NET's `ConfigurationElement.DeserializeElement` refuses inside the section's element
/// (an element, an attribute or text it does not take: "Unrecognized element", "Unrecognized
/// attribute", "cannot contain a CDATA or text element"), as the hierarchy finds it; a second
/// `<providers>` is SS012's.
fn unknown_elements(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    for site in ctx.checkable() {
        let doc = ctx.doc(site.src);
        for fault in section_faults(doc, site.el, site.def) {
            if matches!(fault.kind, FaultKind::SecondCollection { .. }) {
                continue;
            }
            let at = At::Span {
                src: site.src,
                range: fault.at.clone(),
            };
            out.push(Diagnostic::new(at, fault.message(ctx.reader())));
        }
    }
}
