//! SS005 timeout-exceeds-one-year.

use crate::lint::context::FileContext;
use crate::lint::{Diagnostic, RuleDef, Severity};
use crate::schema::rules::Rule;

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS005",
    name: "timeout-exceeds-one-year",
    severity: Severity::Error,
    summary: "InProc or StateServer with a timeout over one year.",
    doc: "## What it finds\n\n`timeout` above 525,600 minutes (or `Infinite`) with mode InProc or StateServer.\n\n## Why it matters\n\nThe in-process and state-server stores keep sessions in a cache whose expiry cannot exceed one year; the session module throws at start-up.\n\n## Example\n\n```xml\n<sessionState mode=\"InProc\" timeout=\"1000000\" />\n```\n\n## Fix\n\nA realistic timeout (`timeout=\"20\"`), or a SQL Server store for very long sessions.",
    check: Some(check),
    refuses_file: false,
    judges_transforms: false,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    super::report_violations(ctx, Rule::TimeoutExceedsOneYear, out);
}
