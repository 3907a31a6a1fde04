//! SS203 not-in-iis-schema.

use crate::lint::context::FileContext;
use crate::lint::{At, Diagnostic, RuleDef, Severity};

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS203",
    name: "not-in-iis-schema",
    severity: Severity::Info,
    summary: "An attribute ASP.NET knows but IIS's schema does not.",
    doc: "## What it finds\n\nAttributes that ASP.NET reads but no shipped IIS schema declares: `cookieSameSite` (.NET Framework 4.7.2 and later).\n\n## Why it matters\n\nASP.NET honours it, but IIS Manager, appcmd and the configuration API do not know it: they may fail to show or edit the section.\n\n## Example\n\n```xml\n<sessionState cookieSameSite=\"Lax\" />\n```\n\n## Fix\n\nNothing to fix; make sure the servers run .NET Framework 4.7.2 or later.",
    check: Some(check),
    refuses_file: false,
    judges_transforms: true,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    for site in ctx.checkable() {
        for def in site.def.attributes.iter().filter(|a| !a.in_iis_schema) {
            if let Some(a) = ctx.attr(site, def.name) {
                out.push(Diagnostic::new(
                    At::Span {
                        src: site.src,
                        range: a.range(),
                    },
                    format!(
                        "{} is read by ASP.NET (.NET 4.7.2+) but is not in the IIS schema",
                        def.name
                    ),
                ));
            }
        }
    }
}
