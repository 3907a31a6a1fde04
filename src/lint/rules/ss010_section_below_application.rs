//! SS010 section-below-application (needs the server hierarchy).

use crate::hierarchy::path::Scope;
use crate::lint::context::FileContext;
use crate::lint::{Diagnostic, RuleDef, Severity};

/// The rule. It needs `--root` to know where application roots are.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS010",
    name: "section-below-application",
    severity: Severity::Error,
    summary: "sessionState below an application root (needs --root).",
    doc: "## What it finds\n\n`<sessionState>` in a web.config of a folder or virtual directory below an application root, or in a `<location>` whose path lies below one. `sessionState` is allowDefinition=MachineToApplication; `sessionPageState` may appear anywhere.\n\n## Why it matters\n\nASP.NET refuses the file: \"It is an error to use a section registered as allowDefinition='MachineToApplication' beyond application level.\"\n\n## Example\n\n`Default Web Site/app1/reports/web.config` holding `<sessionState mode=\"Off\" />` when only `/app1` is an application.\n\n## Fix\n\nMove the setting to the application's web.config, or make the folder an application.\n\n## Availability\n\nThis rule needs the server layout (`sessctl lint --root DIR`); it never reports on single files.",
    check: Some(check),
    refuses_file: true,
    judges_transforms: false,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let Some(server) = &ctx.server else { return };
    for site in ctx.sites.iter().filter(|s| s.def.name == "sessionState") {
        let loc = match &site.scope {
            Scope::Location(p) => Some(p.as_str()),
            Scope::File => None,
        };
        let Some(target) = server.target_of(loc) else {
            continue;
        };
        let Some(site_name) = target.site_path().first() else {
            continue;
        };
        let Some(roots) = server.app_roots.get(&site_name.to_lowercase()) else {
            continue;
        };
        let app = roots
            .iter()
            .filter(|a| a.is_ancestor_of(&target))
            .max_by_key(|a| a.depth());
        let Some(app) = app else { continue };
        if target.depth() > app.depth() {
            let (src, el) = site.declared.unwrap_or((site.src, site.el));
            out.push(Diagnostic::new(ctx.element_span(src, el), format!(
                    "<sessionState> applies to \"{target}\", below the application root \"{app}\"; ASP.NET refuses it there (allowDefinition=MachineToApplication)"
                )));
        }
    }
}
