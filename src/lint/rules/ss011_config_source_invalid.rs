//! SS011 config-source-invalid.

use crate::lint::context::FileContext;
use crate::lint::{At, Diagnostic, RuleDef, Severity};

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS011",
    name: "config-source-invalid",
    severity: Severity::Error,
    summary: "configSource missing, absolute, escaping its folder, or beside other attributes.",
    doc: "## What it finds\n\nA section moved out with `configSource` whose file does not exist, whose path is absolute or leaves the folder of the file (`..\\\\shared\\\\x.config`), whose file's root element is not the section, or whose element has other attributes or content beside `configSource`.\n\n## Why it matters\n\nASP.NET refuses the configuration: the section cannot be read.\n\n## Example\n\n```xml\n<sessionState configSource=\"C:\\\\config\\\\session.config\" mode=\"InProc\" />\n```\n\n## Fix\n\nA relative path in the same folder or below, and nothing else on the element: `<sessionState configSource=\"Config\\\\Session.config\" />`.",
    check: Some(check),
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    for site in &ctx.sites {
        if let Some((range, message)) = &site.config_source_problem {
            let (src, _) = site.declared.unwrap_or((site.src, site.el));
            out.push(Diagnostic {
                at: At::Span {
                    src,
                    range: range.clone(),
                },
                message: message.to_string(),
                fix: None,
                severity: None,
            });
        }
    }
}
