//! SS015 configuration-root-invalid.

use crate::lint::context::FileContext;
use crate::lint::{At, Diagnostic, RuleDef, Severity};

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS015",
    name: "configuration-root-invalid",
    severity: Severity::Error,
    summary: "A web.config or machine.config whose root element .NET refuses, which makes ASP.NET refuse the whole file.",
    doc: "## What it finds\n\nIn a file ASP.NET reads (named `web.config` or `machine.config`, in any case): a root element other than `<configuration>`; an `xmlns` on `<configuration>` other than `http://schemas.microsoft.com/.NetConfiguration/v2.0` (the namespace Visual Studio 2005 wrote, which .NET takes); any other attribute on `<configuration>`, a namespace declaration such as XDT's `xmlns:xdt` included (left in a web.config by copying a transform's root). Not checked in applicationHost.config, which IIS reads with rules of its own, nor in other `*.config` files (`Web.Release.config` is a transform, never read by ASP.NET, and keeps its `xmlns:xdt`).\n\n## Why it matters\n\n.NET checks the root of every file it reads before any section (`BaseConfigurationRecord.ScanFactories`: \"Configuration file does not have root <configuration> tag\", \"Namespace ... is invalid\", \"Unrecognized attribute\") and then refuses the whole file (the runtime suite shows Mono refusing `xmlns:xdt` and `version=` there too; Mono reads another `xmlns`, which .NET refuses): every request under it fails with a configuration error, whatever section it reads. `sessctl list` and `set` refuse a file whose root is not `<configuration>` for the same reason (exit 13), and still read and edit one whose `<configuration>` carries attributes (a base file kept with `xmlns:xdt` for an editor's sake is often edited before its transform runs): lint is where that is judged.\n\n## Example\n\n```xml\n<configuration xmlns=\"http://schemas.microsoft.com/.NetConfiguration/v3.0\">\n  <system.web>\n    <sessionState mode=\"InProc\" />\n  </system.web>\n</configuration>\n```\n\n## Fix\n\n`<configuration>` with no attribute (or exactly `xmlns=\"http://schemas.microsoft.com/.NetConfiguration/v2.0\"`).",
    check: Some(check),
    refuses_file: true,
    judges_transforms: false,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let Some(src) = ctx.sources.first().filter(|_| ctx.read_by_aspnet()) else {
        return;
    };
    for (range, message) in crate::hierarchy::faults::root_faults(&src.doc) {
        out.push(Diagnostic::new(At::Span { src: 0, range }, message));
    }
}
