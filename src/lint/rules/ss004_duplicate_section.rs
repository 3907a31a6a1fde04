//! SS004 duplicate-section.

use crate::lint::context::FileContext;
use crate::lint::{Diagnostic, RuleDef, Severity};

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS004",
    name: "duplicate-section",
    severity: Severity::Error,
    summary: "The section appears twice in one scope.",
    doc: "## What it finds\n\nThe same section twice in one scope: twice outside `<location>` in one file, or twice under `<location>` elements with the same path. `<machineKey>` too, whose keys the farm rules compare (`<connectionStrings>` twice is SS017's).\n\n## Why it matters\n\nASP.NET allows a section once per scope (\"Sections must only appear once per config file\") and refuses to load the file.\n\n## Example\n\n```xml\n<system.web>\n  <sessionState mode=\"InProc\" />\n  <sessionState timeout=\"30\" />\n</system.web>\n```\n\n## Fix\n\nMerge the two: `<sessionState mode=\"InProc\" timeout=\"30\" />`.",
    check: Some(check),
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let key = |s: &crate::lint::context::Site| (s.def.name, s.scope.location_path());
    // The first site of each (section, scope), by hashing: linear in the number of sections.
    let mut firsts: std::collections::HashMap<(&str, crate::hierarchy::path::LocationPath), usize> =
        std::collections::HashMap::new();
    for (i, site) in ctx.sites.iter().enumerate() {
        let first = match firsts.entry(key(site)) {
            std::collections::hash_map::Entry::Occupied(e) => Some(&ctx.sites[*e.get()]),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(i);
                None
            }
        };
        if let Some(first) = first {
            let (src, el) = site.declared.unwrap_or((site.src, site.el));
            let (fsrc, fel) = first.declared.unwrap_or((first.src, first.el));
            let line = ctx
                .doc(fsrc)
                .line_col(ctx.doc(fsrc).element(fel).start as usize)
                .0;
            out.push(Diagnostic {
                at: ctx.element_span(src, el),
                message: format!(
                    "<{}> is already defined in this scope on line {line}; ASP.NET allows it once",
                    site.def.name
                ),
                fix: None,
                severity: None,
                related: Vec::new(),
            });
        }
    }
    machine_keys_twice(ctx, out);
}

/// `<machineKey>` twice in one scope of the file (its own level, or `<location>`s naming the
/// same folder): .NET refuses the section there, so every read of it fails (Mono refuses the
/// application). ASP.NET never reads applicationHost.config.
fn machine_keys_twice(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    if ctx.kind == crate::lint::context::FileKind::AppHost {
        return;
    }
    let Some(src) = ctx.sources.first() else {
        return;
    };
    let keys = src.machine_keys();
    for (i, k) in keys.iter().enumerate() {
        let Some(first) = keys[..i].iter().find(|f| f.scope == k.scope) else {
            continue;
        };
        out.push(Diagnostic {
            at: ctx.element_span(0, k.el),
            message: format!(
                "<machineKey> is already defined in this scope on line {}; ASP.NET allows it once and refuses every read of it here: whatever signs or encrypts with the machine key (view state, forms authentication tickets) fails",
                first.line
            ),
            fix: None,
            severity: None,
            related: Vec::new(),
        });
    }
}
