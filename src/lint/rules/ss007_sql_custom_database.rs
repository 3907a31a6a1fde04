//! SS007 sql-custom-database.

use crate::lint::context::FileContext;
use crate::lint::{Diagnostic, RuleDef, Severity};
use crate::schema::rules::Rule;

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS007",
    name: "sql-custom-database",
    severity: Severity::Error,
    summary: "sqlConnectionString names a database without allowCustomSqlDatabase.",
    doc: "## What it finds\n\nWith mode SQLServer, a `sqlConnectionString` (or the `<connectionStrings>` entry it names) with a `Database`, `Initial Catalog` or `AttachDbFileName` key, while `allowCustomSqlDatabase` is not `true` (a deployment placeholder there, which may become `true`, is not judged). Not checked with a `partitionResolverType`, whose connection strings replace the attribute's.\n\n## Why it matters\n\nASP.NET refuses the connection string at start-up: by default it always uses the ASPState database.\n\n## Example\n\n```xml\n<sessionState mode=\"SQLServer\" sqlConnectionString=\"Server=db;Initial Catalog=Sessions;Integrated Security=SSPI\" />\n```\n\n## Fix\n\nAdd `allowCustomSqlDatabase=\"true\"`, or drop the database key to use ASPState.",
    check: Some(check),
    refuses_file: false,
    judges_transforms: false,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    super::report_violations(ctx, Rule::SqlCustomDatabase, out);
}
