//! SS008 custom-provider-missing.

use crate::lint::context::FileContext;
use crate::lint::{Diagnostic, RuleDef, Severity};
use crate::schema::rules::Rule;

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS008",
    name: "custom-provider-missing",
    severity: Severity::Error,
    summary: "mode Custom without a matching provider.",
    doc: "## What it finds\n\nWith mode Custom, an empty `customProvider`, or one that names no entry of the effective `<providers>` collection (after `clear` and `remove`). A deployment placeholder (`#{Session.Provider}`) is a template's and not judged.\n\n## Why it matters\n\nThe session module cannot create its store and the application fails at its first request.\n\n## Example\n\n```xml\n<sessionState mode=\"Custom\" customProvider=\"Redis\">\n  <providers>\n    <clear />\n  </providers>\n</sessionState>\n```\n\n## Fix\n\nAdd the provider (`<add name=\"Redis\" type=\"...\" />`) or name one that exists.",
    check: Some(check),
    refuses_file: false,
    judges_transforms: false,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    super::report_violations(ctx, Rule::CustomProviderMissing, out);
}
