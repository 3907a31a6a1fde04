//! SS108 no-managed-code (needs the server hierarchy).

use crate::hierarchy::path::Scope;
use crate::lint::context::FileContext;
use crate::lint::{Diagnostic, RuleDef, Severity};

/// The rule. It needs `--root` to find the application's pool.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS108",
    name: "no-managed-code",
    severity: Severity::Warning,
    summary: "Session state for an application whose pool runs no managed code (needs --root).",
    doc: "## What it finds\n\n`<sessionState>` or `<sessionPageState>` in the web.config of an application whose pool has `managedRuntimeVersion=\"\"` (IIS Manager's \"No Managed Code\", the usual setting for ASP.NET Core sites).\n\n## Why it matters\n\nThe pool's worker processes load no CLR, so ASP.NET never runs and never reads `system.web`: the setting silently has no effect (ASP.NET Core keeps its sessions in its own middleware, configured in code). It is often left over from the site's ASP.NET days, or copied from another site, and misleads whoever reads it.\n\n## Example\n\nA pool `<add name=\"CorePool\" managedRuntimeVersion=\"\" />` serving a site whose web.config has `<sessionState mode=\"SQLServer\" ... />`.\n\n## Fix\n\nRemove the section, or run the application in a pool with a .NET runtime (`managedRuntimeVersion=\"v4.0\"`) if it is an ASP.NET application.\n\n## Availability\n\nThis rule needs the server layout (`sessctl lint --root DIR`); it never reports on single files, and judges a web.config by the pool of the application it belongs to.",
    check: Some(check),
    refuses_file: false,
    judges_transforms: false,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let Some(server) = ctx.server.as_ref().filter(|s| s.no_managed_code) else {
        return;
    };
    for site in ctx.checkable().filter(|s| s.scope == Scope::File) {
        let (src, el) = site.declared.unwrap_or((site.src, site.el));
        out.push(Diagnostic::new(ctx.element_span(src, el), format!(
                "the application pool \"{}\" runs no managed code (managedRuntimeVersion=\"\"): ASP.NET never reads {} here; this setting has no effect",
                server.pool.as_deref().unwrap_or(""),
                site.def.path
            )));
    }
}
