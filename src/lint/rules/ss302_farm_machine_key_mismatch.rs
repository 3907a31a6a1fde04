//! SS302 farm-machine-key-mismatch (`lint --farm`).

use crate::lint::{RuleDef, Severity};

/// The rule; judged by `lint::farm` across servers.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS302",
    name: "farm-machine-key-mismatch",
    severity: Severity::Error,
    summary: "Out-of-process session state with machine keys that differ between servers or are auto-generated.",
    doc: "## What it finds\n\nAn application with StateServer or SQLServer session state whose effective `<machineKey>` validation or decryption key differs between the servers of the farm, or is auto-generated on any of them, or that a server cannot read (its `<machineKey>` twice in one scope, which .NET refuses: SS004).\n\n## Why it matters\n\nSession and forms cookies, view state and anything protected with the machine key are encrypted and signed per server when the keys differ: a request that moves to another server fails to read them.\n\n## Example\n\n`web1` and `web2` share explicit keys in the root web.config; `web3` has none (AutoGenerate).\n\n## Fix\n\nThe same explicit `validationKey` and `decryptionKey` on every server, in the root web.config or, encrypted (SS109), the application's web.config.",
    check: None,
    refuses_file: false,
    judges_transforms: false,
};
