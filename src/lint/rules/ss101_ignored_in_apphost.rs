//! SS101 ignored-in-apphost.

use crate::lint::context::{FileContext, FileKind};
use crate::lint::{Diagnostic, RuleDef, Severity};

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS101",
    name: "ignored-in-apphost",
    severity: Severity::Warning,
    summary: "Session state in applicationHost.config, which ASP.NET never reads.",
    doc: "## What it finds\n\n`<sessionState>` or `<sessionPageState>` under `<system.web>` in applicationHost.config (recognized by its file name).\n\n## Why it matters\n\nASP.NET reads `system.web` from machine.config, the root web.config and web.config files only; IIS keeps applicationHost.config for `system.webServer` and `system.applicationHost`. The setting silently has no effect. This is why Microsoft's instructions use `appcmd ... /commit:WEBROOT`.\n\n## Example\n\n```xml\n<location path=\"Default Web Site\">\n  <system.web>\n    <sessionState mode=\"StateServer\" />\n  </system.web>\n</location>\n```\n\n## Fix\n\nMove the setting to the root web.config (`/commit:WEBROOT`) or to the site's web.config.",
    check: Some(check),
    refuses_file: false,
    judges_transforms: false,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    if ctx.kind != FileKind::AppHost {
        return;
    }
    for site in &ctx.sites {
        let (src, el) = site.declared.unwrap_or((site.src, site.el));
        out.push(Diagnostic::new(
            ctx.element_span(src, el),
            format!(
                "ASP.NET never reads {} from applicationHost.config; this setting has no effect",
                site.def.path
            ),
        ));
    }
}
