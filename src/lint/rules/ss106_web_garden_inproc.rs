//! SS106 web-garden-inproc (needs the server hierarchy).

use crate::lint::{RuleDef, Severity};

/// The rule. It needs `--root` to find the site's application pool, which is not built yet.
pub static RULE: RuleDef = RuleDef {
    code: "SS106",
    name: "web-garden-inproc",
    severity: Severity::Warning,
    summary: "InProc on a web garden (needs --root; not available yet).",
    doc: "## What it finds\n\nmode InProc for an application whose pool has `processModel maxProcesses` above 1 (a web garden).\n\n## Why it matters\n\nEach worker process keeps its own in-process sessions; requests land on any process, so users lose their session at random.\n\n## Example\n\nA pool with `<processModel maxProcesses=\"2\" />` serving a site with `<sessionState mode=\"InProc\" />`.\n\n## Fix\n\nStateServer, SQLServer or a Custom store, or `maxProcesses=\"1\"`.\n\n## Availability\n\nThis rule needs the server layout (`--root`), which sessctl does not build yet; it never reports on single files.",
    check: None,
};
