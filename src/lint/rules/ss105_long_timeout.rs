//! SS105 long-timeout.

use crate::lint::context::FileContext;
use crate::lint::{At, Diagnostic, RuleDef, Severity};

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS105",
    name: "long-timeout",
    severity: Severity::Warning,
    summary: "timeout above --max-timeout (default 60 minutes).",
    doc: "## What it finds\n\nA session `timeout` above `--max-timeout` minutes (60 unless given), or `Infinite`.\n\n## Why it matters\n\nLong-lived sessions widen the window for hijacking a stolen session ID and hold memory or store space for idle users.\n\n## Example\n\n```xml\n<sessionState timeout=\"20000\" />\n```\n\n## Fix\n\nA shorter timeout (`timeout=\"20\"`), with a persistent login cookie where users should stay signed in.",
    check: Some(check),
    refuses_file: false,
    judges_transforms: true,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let max = ctx.options.max_timeout;
    for site in ctx.checkable() {
        let Some(a) = ctx.attr(site, "timeout") else {
            continue;
        };
        let v = ctx.doc(site.src).value(&a).into_owned();
        let over = v == "Infinite" || v.trim().parse::<u64>().is_ok_and(|n| n > max);
        if over {
            out.push(Diagnostic::new(
                At::Span {
                    src: site.src,
                    range: a.range(),
                },
                format!("timeout=\"{v}\" minutes is longer than {max} (--max-timeout)"),
            ));
        }
    }
}
