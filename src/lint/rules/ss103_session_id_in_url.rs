//! SS103 session-id-in-url.

use crate::lint::context::FileContext;
use crate::lint::{At, Diagnostic, RuleDef, Severity};

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS103",
    name: "session-id-in-url",
    severity: Severity::Warning,
    summary: "cookieless puts the session ID in the URL.",
    doc: "## What it finds\n\n`cookieless` set to UseUri, AutoDetect, UseDeviceProfile or the legacy `true`.\n\n## Why it matters\n\nA session ID in the URL leaks through Referer headers, logs, bookmarks and shared links, and makes session fixation trivial.\n\n## Example\n\n```xml\n<sessionState cookieless=\"UseUri\" />\n```\n\n## Fix\n\n`cookieless=\"UseCookies\"` (the default).",
    check: Some(check),
    refuses_file: false,
    judges_transforms: true,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    for site in ctx.checkable() {
        let Some(a) = ctx.attr(site, "cookieless") else {
            continue;
        };
        let v = ctx.doc(site.src).value(&a).into_owned();
        if matches!(
            v.as_str(),
            "UseUri" | "AutoDetect" | "UseDeviceProfile" | "true"
        ) {
            out.push(Diagnostic::new(
                At::Span {
                    src: site.src,
                    range: a.range(),
                },
                format!("cookieless=\"{v}\" can put the session ID in URLs, where it leaks"),
            ));
        }
    }
}
