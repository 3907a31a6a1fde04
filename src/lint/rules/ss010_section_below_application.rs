//! SS010 section-below-application (needs the server hierarchy).

use crate::lint::{RuleDef, Severity};

/// The rule. It needs `--root` to know where application roots are, which is not built yet.
pub static RULE: RuleDef = RuleDef {
    code: "SS010",
    name: "section-below-application",
    severity: Severity::Error,
    summary: "sessionState below an application root (needs --root; not available yet).",
    doc: "## What it finds\n\n`<sessionState>` in a web.config of a folder or virtual directory below an application root. `sessionState` is allowDefinition=MachineToApplication; `sessionPageState` may appear anywhere.\n\n## Why it matters\n\nASP.NET refuses the file: \"It is an error to use a section registered as allowDefinition='MachineToApplication' beyond application level.\"\n\n## Example\n\n`Default Web Site/app1/reports/web.config` holding `<sessionState mode=\"Off\" />` when only `/app1` is an application.\n\n## Fix\n\nMove the setting to the application's web.config, or make the folder an application.\n\n## Availability\n\nThis rule needs the server layout (`--root`), which sessctl does not build yet; it never reports on single files.",
    check: None,
};
