//! SS009 partition-resolver-mode.

use crate::lint::context::FileContext;
use crate::lint::{Diagnostic, RuleDef, Severity};
use crate::schema::rules::Rule;

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS009",
    name: "partition-resolver-mode",
    severity: Severity::Error,
    summary: "partitionResolverType with mode InProc or Custom.",
    doc: "## What it finds\n\nA `partitionResolverType` while mode is InProc or Custom (with Off the session module starts nothing, the resolver included, so ASP.NET accepts it). A deployment placeholder in either (`__PartitionResolver__`, `#{Session.Mode}`), which a release pipeline replaces, is not judged.\n\n## Why it matters\n\nPartition resolvers spread sessions over several state servers or SQL servers; ASP.NET rejects one with any other mode.\n\n## Example\n\n```xml\n<sessionState mode=\"InProc\" partitionResolverType=\"Contoso.Partitions, Contoso\" />\n```\n\n## Fix\n\nRemove `partitionResolverType`, or use mode StateServer or SQLServer.",
    check: Some(check),
    refuses_file: false,
    judges_transforms: false,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    super::report_violations(ctx, Rule::PartitionResolverMode, out);
}
