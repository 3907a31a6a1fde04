//! SS104 expired-id-reuse.

use crate::lint::context::FileContext;
use crate::lint::{At, Diagnostic, RuleDef, Severity};

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS104",
    name: "expired-id-reuse",
    severity: Severity::Warning,
    summary: "regenerateExpiredSessionId=\"false\" with a URL cookieless mode.",
    doc: "## What it finds\n\n`regenerateExpiredSessionId=\"false\"` while `cookieless` puts the session ID in the URL.\n\n## Why it matters\n\nA URL carrying an expired session ID (an old link, a shared bookmark) then revives that ID for whoever follows it, so two users can share one session.\n\n## Example\n\n```xml\n<sessionState cookieless=\"UseUri\" regenerateExpiredSessionId=\"false\" />\n```\n\n## Fix\n\nRemove `regenerateExpiredSessionId` (it defaults to `true`), or use cookies.",
    check: Some(check),
    refuses_file: false,
    judges_transforms: false,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    for site in ctx.checkable() {
        let Some(a) = ctx.attr(site, "regenerateExpiredSessionId") else {
            continue;
        };
        let doc = ctx.doc(site.src);
        let cookieless = ctx.effective(site, "cookieless");
        if doc.value(&a).eq_ignore_ascii_case("false")
            && matches!(
                cookieless.as_str(),
                "UseUri" | "AutoDetect" | "UseDeviceProfile" | "true"
            )
        {
            out.push(Diagnostic::new(At::Span { src: site.src, range: a.range() }, format!(
                    "regenerateExpiredSessionId=\"false\" with cookieless=\"{cookieless}\" lets an expired ID in a URL be reused"
                )));
        }
    }
}
