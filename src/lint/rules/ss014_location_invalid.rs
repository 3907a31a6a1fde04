//! SS014 location-invalid.

use crate::lint::context::{FileContext, FileKind};
use crate::lint::{At, Diagnostic, RuleDef, Severity};

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS014",
    name: "location-invalid",
    severity: Severity::Error,
    summary: "A <location> that .NET refuses, which makes ASP.NET refuse the whole file.",
    doc: "## What it finds\n\nAny `<location>` of the file, whatever it holds, that .NET's configuration system refuses: a `path` that starts or ends with `/`, `\\\\`, `.` or white space or holds one of `\\\\ ? : * \" < > |` (`path=\"\"` and `path=\".\"` are the file's own level and fine); an attribute other than `path`, `allowOverride`, `overrideMode` and `inheritInChildApplications`; both `allowOverride` and `overrideMode`; `allowOverride` or `inheritInChildApplications` other than exactly `true` or `false`; `overrideMode` other than exactly `Allow`, `Deny` or `Inherit`; a `<location>` inside another or inside `<system.web>`; in machine.config and the root web.config (known as such on a server, or by its place `Framework[64]/v4.0.30319/Config/web.config` in a copy of one), `inheritInChildApplications=\"false\"` on a `<location>` without a path. Not checked in applicationHost.config, which ASP.NET never reads (IIS reads it, with rules of its own). Namespace declarations and prefixed attributes (XDT's `xdt:Transform`) are left to the tools that use them.\n\n## Why it matters\n\n.NET checks every `<location>` of a file it reads (`ScanLocationSection`, `NormalizeLocationSubPath`) and refuses the whole file when one is wrong: every request under it fails with a configuration error, whatever section it reads. A spelling that looks right to the eye (`allowOverride=\"False\"`, `overrideMode=\"deny\"`) is refused all the same.\n\n## Example\n\n```xml\n<location path=\"/admin/\" allowOverride=\"False\">\n  <system.web>\n    <sessionState timeout=\"5\" />\n  </system.web>\n</location>\n```\n\n## Fix\n\nA path relative to the file's folder, with no leading or trailing separator, and the exact spellings: `<location path=\"admin\" allowOverride=\"false\">`. `--fix` corrects the letter case of `allowOverride`, `overrideMode` and `inheritInChildApplications`.",
    check: Some(check),
    refuses_file: true,
    judges_transforms: false,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    if ctx.kind == FileKind::AppHost {
        return;
    }
    let Some(src) = ctx.sources.first() else {
        return;
    };
    let more = if ctx.above_sites() {
        crate::hierarchy::faults::above_sites_location_faults(&src.doc)
    } else {
        Vec::new()
    };
    for fault in src.location_faults().iter().chain(&more) {
        let (range, fix) = match &fault.fix {
            Some((value, spelling)) => (value.clone(), Some(spelling.to_string())),
            None => (fault.at.clone(), None),
        };
        out.push(Diagnostic::new(At::Span { src: 0, range }, fault.message.clone()).with_fix(fix));
    }
}
