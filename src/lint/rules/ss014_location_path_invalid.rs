//! SS014 location-path-invalid.

use crate::lint::context::{FileContext, FileKind};
use crate::lint::{At, Diagnostic, RuleDef, Severity};

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS014",
    name: "location-path-invalid",
    severity: Severity::Error,
    summary: "A <location path> that .NET refuses, which makes ASP.NET refuse the whole file.",
    doc: "## What it finds\n\nA `<location path>` (any location of the file, whatever it holds) that starts or ends with `/`, `\\\\`, `.` or white space, or holds one of `\\\\ ? : * \" < > |`. `path=\"\"` and `path=\".\"` are the file's own level and fine. Not checked in applicationHost.config, which ASP.NET never reads.\n\n## Why it matters\n\n.NET's configuration system checks every location path of a file it reads (`NormalizeLocationSubPath`) and refuses the whole file when one is wrong: every request under it fails with a configuration error, whatever section it reads.\n\n## Example\n\n```xml\n<location path=\"/admin/\">\n  <system.web>\n    <sessionState timeout=\"5\" />\n  </system.web>\n</location>\n```\n\n## Fix\n\nA path relative to the file's folder, with no leading or trailing separator: `<location path=\"admin\">`.",
    check: Some(check),
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    if ctx.kind == FileKind::AppHost {
        return;
    }
    let Some(src) = ctx.sources.first() else {
        return;
    };
    let doc = &src.doc;
    for &(loc, why) in src.location_path_faults() {
        let Some(attr) = doc.attr(loc, "path") else {
            continue;
        };
        out.push(Diagnostic {
            at: At::Span {
                src: 0,
                range: attr.range(),
            },
            message: format!(
                "<location path=\"{}\">: {why}; ASP.NET refuses the whole file",
                doc.value(&attr)
            ),
            fix: None,
            severity: None,
        });
    }
}
