//! SS106 web-garden-inproc (needs the server hierarchy).

use crate::hierarchy::path::Scope;
use crate::lint::context::FileContext;
use crate::lint::{Diagnostic, RuleDef, Severity};

/// The rule. It needs `--root` to find the application's pool.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS106",
    name: "web-garden-inproc",
    severity: Severity::Warning,
    summary: "InProc on a web garden (needs --root).",
    doc: "## What it finds\n\nmode InProc in the web.config of an application whose pool has `processModel maxProcesses` above 1 (a web garden), whether the application sets it or inherits it.\n\n## Why it matters\n\nEach worker process keeps its own in-process sessions; requests land on any process, so users lose their session at random.\n\n## Example\n\nA pool with `<processModel maxProcesses=\"2\" />` serving a site with `<sessionState mode=\"InProc\" />`.\n\n## Fix\n\nStateServer, SQLServer or a Custom store, or `maxProcesses=\"1\"`.\n\n## Availability\n\nThis rule needs the server layout (`sessctl lint --root DIR`); it never reports on single files, and reports where the application's web.config defines the section.",
    check: Some(check),
    refuses_file: false,
    judges_transforms: false,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let Some(server) = &ctx.server else { return };
    // No ASP.NET in the pool, no sessions to lose (SS108 says so).
    if server.no_managed_code {
        return;
    }
    let Some(n) = server.max_processes.filter(|n| *n > 1) else {
        return;
    };
    for site in ctx
        .checkable()
        .filter(|s| s.def.name == "sessionState" && s.scope == Scope::File)
    {
        if ctx.mode(site).as_deref() == Some("InProc") {
            out.push(Diagnostic::new(ctx.attr_span(site, "mode"), format!(
                    "mode InProc on the application pool \"{}\", which runs {n} worker processes (a web garden): each keeps its own sessions",
                    server.pool.as_deref().unwrap_or("")
                )));
        }
    }
}
