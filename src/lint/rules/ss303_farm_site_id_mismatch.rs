//! SS303 farm-site-id-mismatch (`lint --farm`).

use crate::lint::{RuleDef, Severity};

/// The rule; judged by `lint::farm` across servers.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS303",
    name: "farm-site-id-mismatch",
    severity: Severity::Error,
    summary: "The same site has a different id on different servers.",
    doc: "## What it finds\n\nA site whose `id` in applicationHost.config differs between the servers of the farm.\n\n## Why it matters\n\nStateServer and SQLServer key sessions by the application path, which contains the site id (`/LM/W3SVC/1/ROOT/app`); servers with different ids never find each other's sessions (KB 325056).\n\n## Example\n\n`<site name=\"Shop\" id=\"10\">` on `web1` and `web2`, `id=\"11\"` on `web3`.\n\n## Fix\n\nGive the site the same id everywhere, or set `partitionResolverType`/a custom `sessionIDManagerType` that does not depend on it.",
    check: None,
    refuses_file: false,
    judges_transforms: false,
};
