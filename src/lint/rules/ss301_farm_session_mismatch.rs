//! SS301 farm-session-mismatch (`lint --farm`).

use crate::lint::{RuleDef, Severity};

/// The rule; judged by `lint::farm` across servers, never on one file.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS301",
    name: "farm-session-mismatch",
    severity: Severity::Error,
    summary: "The effective session state of an application differs between the servers of a farm.",
    doc: "## What it finds\n\nA site or application that exists on several servers given to `sessctl lint --farm` whose effective session state differs: mode, the connection string the mode reads (or, with a `partitionResolverType`, the resolver, which then gives the connection strings), timeout, cookieless, cookieName, customProvider and that provider's type.\n\n## Why it matters\n\nBehind a load balancer a request may land on any server; servers that disagree on the store, the cookie or the timeout lose or split sessions.\n\n## Example\n\n`web1` and `web2` say `mode=\"StateServer\" stateConnectionString=\"tcpip=state01:42424\"`, `web3` says `tcpip=state02:42424`.\n\n## Fix\n\nSet the same values on every server (`sessctl set config ... /commit:WEBROOT` on each, or one configuration-management run for the farm).",
    check: None,
    refuses_file: false,
    judges_transforms: false,
};
