//! SS004 duplicate-section.

use crate::lint::context::FileContext;
use crate::lint::{Diagnostic, RuleDef, Severity};

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS004",
    name: "duplicate-section",
    severity: Severity::Error,
    summary: "The section appears twice in one scope.",
    doc: "## What it finds\n\nThe same section twice in one scope: twice outside `<location>` in one file, or twice under `<location>` elements with the same path. `<machineKey>` too, whose keys the farm rules compare (`<connectionStrings>` twice is SS017's).\n\n## Why it matters\n\nASP.NET allows a section once per scope (\"Sections must only appear once per config file\") and refuses to load the file. A second `<machineKey>` makes it refuse that section only: the application starts, and every read of the keys fails (view state, forms authentication tickets).\n\n## Example\n\n```xml\n<system.web>\n  <sessionState mode=\"InProc\" />\n  <sessionState timeout=\"30\" />\n</system.web>\n```\n\n## Fix\n\nMerge the two: `<sessionState mode=\"InProc\" timeout=\"30\" />`.",
    check: Some(check),
    refuses_file: true,
    judges_transforms: false,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let scopes = ctx
        .sites
        .iter()
        .map(|s| (s.def.name, s.scope.location_path()));
    for (first, repeat) in crate::hierarchy::path::repeated_scopes(scopes) {
        let (site, first) = (&ctx.sites[repeat], &ctx.sites[first]);
        let (src, el) = site.declared.unwrap_or((site.src, site.el));
        let (fsrc, fel) = first.declared.unwrap_or((first.src, first.el));
        let line = ctx
            .doc(fsrc)
            .line_col(ctx.doc(fsrc).element(fel).start as usize)
            .0;
        out.push(Diagnostic::new(
            ctx.element_span(src, el),
            format!(
                "<{}> is already defined in this scope on line {line}; {} allows it once",
                site.def.name,
                ctx.reader()
            ),
        ));
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
    for (first, repeat) in src.machine_keys_repeated() {
        out.push(Diagnostic::new(ctx.element_span(0, repeat.el), format!(
                "<machineKey> is already defined in this scope on line {}; ASP.NET allows it once and refuses every read of it here: whatever signs or encrypts with the machine key (view state, forms authentication tickets) fails",
                first.line
            )).refusing_one_section());
    }
}
