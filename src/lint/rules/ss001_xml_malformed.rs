//! SS001 xml-malformed.

use crate::lint::context::FileContext;
use crate::lint::{At, Diagnostic, RuleDef, Severity};

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS001",
    name: "xml-malformed",
    severity: Severity::Error,
    summary: "The file is not well-formed XML.",
    doc: "## What it finds\n\nA configuration file (or a configSource file) that is not well-formed XML: an unclosed tag, a mismatched end tag, a duplicate attribute, an undefined entity, a DTD.\n\n## Why it matters\n\nASP.NET and IIS refuse to load the file: every request to the site fails with a configuration error.\n\n## Example\n\n```xml\n<sessionState mode=\"InProc\">\n</system.web>\n```\n\n## Fix\n\nClose the element (`<sessionState mode=\"InProc\" />`). The position points at where the parser stopped.",
    check: Some(check),
    refuses_file: true,
    judges_transforms: true,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    for (path, error) in &ctx.broken {
        out.push(Diagnostic::new(
            At::Broken {
                path: path.clone(),
                error: error.clone(),
            },
            error.message.clone(),
        ));
    }
}
