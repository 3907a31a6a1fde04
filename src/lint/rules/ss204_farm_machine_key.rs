//! SS204 farm-machine-key.

use crate::lint::context::FileContext;
use crate::lint::{Diagnostic, RuleDef, Severity};

/// The rule.
pub static RULE: RuleDef = RuleDef {
    code: "SS204",
    name: "farm-machine-key",
    severity: Severity::Info,
    summary: "Out-of-process session state with no explicit machineKey in scope.",
    doc: "## What it finds\n\nmode StateServer or SQLServer with no `<machineKey>` setting both `validationKey` and `decryptionKey` explicitly (not AutoGenerate) in the same file and scope.\n\n## Why it matters\n\nOut-of-process session state exists to share sessions across a farm; with auto-generated keys, each server encrypts view state and forms tickets differently, and users bounce between servers with errors. The keys may live in a parent file this lint cannot see, hence info.\n\n## Example\n\n```xml\n<sessionState mode=\"StateServer\" stateConnectionString=\"tcpip=state01:42424\" />\n```\n\n## Fix\n\nThe same explicit `<machineKey validationKey=\"...\" decryptionKey=\"...\" />` on every server, ideally in the root web.config.",
    check: Some(check),
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    for site in ctx.checkable().filter(|s| s.def.name == "sessionState") {
        let Some(mode) = ctx.mode(site) else { continue };
        if matches!(mode.as_str(), "StateServer" | "SQLServer") && !ctx.machine_key_explicit(site) {
            out.push(Diagnostic {
                at: ctx.attr_span(site, "mode"),
                message: format!("mode {mode} shares sessions across servers, but no explicit <machineKey> keys are in scope"),
                fix: None,
            });
        }
    }
}
