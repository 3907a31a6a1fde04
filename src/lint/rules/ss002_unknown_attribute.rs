//! SS002 unknown-attribute.

use crate::lint::context::FileContext;
use crate::lint::{Diagnostic, RuleDef, Severity};
use crate::schema::rules::Rule;

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS002",
    name: "unknown-attribute",
    severity: Severity::Error,
    summary: "An attribute the schema does not have, or the wrong case of one it has.",
    doc: "## What it finds\n\nAn attribute on `<sessionState>` or `<sessionPageState>` that the schema does not define. Attribute names are case-sensitive, so `Mode` is not `mode`; the message suggests the closest name.\n\n## Why it matters\n\nASP.NET rejects the section with \"Unrecognized attribute\" and the application does not start.\n\n## Example\n\n```xml\n<sessionState Mode=\"InProc\" timeOut=\"20\" />\n```\n\n## Fix\n\nSpell the attribute as the schema does: `<sessionState mode=\"InProc\" timeout=\"20\" />`.",
    check: Some(check),
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    super::report_violations(ctx, Rule::UnknownAttribute, out);
}
