//! SS006 state-connection-string.

use crate::lint::context::FileContext;
use crate::lint::{Diagnostic, RuleDef, Severity};
use crate::schema::rules::Rule;

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS006",
    name: "state-connection-string",
    severity: Severity::Error,
    summary: "mode StateServer with a stateConnectionString ASP.NET cannot parse.",
    doc: "## What it finds\n\nWith mode StateServer, a `stateConnectionString` that is not `tcpip=HOST:PORT`: a missing port (there is no default), an upper-case prefix, a port out of range, an IPv6 address without brackets. A value naming a `<connectionStrings>` entry is resolved when the entry is in the file. Not checked with a `partitionResolverType`: the store then takes its connection strings from the resolver and never reads the attribute. A `stateConnectionString` inherited from a level whose mode never read it is reported at the `mode=\"StateServer\"` that makes ASP.NET read it (with `--root`, where the levels above are read); under `--root`, one in a `<location>` naming an application whose own web.config sets another mode is never read, and is not reported. Under `--root`, a `<remove>` or `<clear/>` in a file's own `<connectionStrings>`, or in those of a `<location>` naming an application, that takes out the entry an inherited `stateConnectionString` names is reported there (one in a location naming a folder inside an application is not: the store looks its names up once, at the application's first request).\n\n## Why it matters\n\nThe session module fails to start and every request that uses session state fails.\n\n## Example\n\n```xml\n<sessionState mode=\"StateServer\" stateConnectionString=\"tcpip=state01\" />\n```\n\n## Fix\n\n`stateConnectionString=\"tcpip=state01:42424\"` (42424 is the ASP.NET State Service's usual port).",
    check: Some(check),
    refuses_file: false,
    judges_transforms: false,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    super::report_violations(ctx, Rule::StateConnectionString, out);
    super::report_names_taken_out(ctx, Rule::StateConnectionString, out);
}
