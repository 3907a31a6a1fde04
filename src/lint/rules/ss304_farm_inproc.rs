//! SS304 farm-inproc (`lint --farm`).

use crate::lint::{RuleDef, Severity};

/// The rule; judged by `lint::farm` across servers.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS304",
    name: "farm-inproc",
    severity: Severity::Warning,
    summary: "InProc session state on an application served by more than one server.",
    doc: "## What it finds\n\nAn application that exists on several servers of the farm with effective mode InProc on any of them.\n\n## Why it matters\n\nInProc sessions live in one worker process of one server: a request that moves to another server loses its session unless the load balancer pins users to a server.\n\n## Example\n\n`Shop/cart` is InProc on `web2`.\n\n## Fix\n\nStateServer, SQLServer or a Custom store shared by the farm.",
    check: None,
    refuses_file: false,
    judges_transforms: false,
};
