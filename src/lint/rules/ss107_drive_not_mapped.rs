//! SS107 drive-not-mapped (a server lint, `--root`): a site whose content `lint --root` cannot
//! reach.

use crate::lint::{RuleDef, Severity};

/// The rule. `lint --root` reports it while it walks the sites; it has no per-file check.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS107",
    name: "drive-not-mapped",
    severity: Severity::Warning,
    summary: "A site's folder is on a drive or network share with no --drive mapping: its web.config files were not linted (--root).",
    doc: "## What it finds\n\nA virtual directory of a site whose `physicalPath` is on a drive other than the system drive (`D:\\sites\\intranet`) or on a network share (`\\\\fs01\\content\\intranet`, content kept on a file server for a web farm), when `lint --root` was given no `--drive D:=DIR` (`--drive \\\\fs01\\content=DIR`) for it. The finding points at the site in applicationHost.config and names the site and the drive or share.\n\n## Why it matters\n\nNothing below that folder was linted: a clean report would say nothing about the site's own web.config files. `--deny warnings` makes such a run fail.\n\n## Example\n\n```xml\n<site name=\"Intranet\" id=\"2\">\n  <application path=\"/\">\n    <virtualDirectory path=\"/\" physicalPath=\"D:\\sites\\intranet\" />\n  </application>\n</site>\n```\n\nlinted with `sessctl lint --root server` and no `--drive D:=...`.\n\n## Fix\n\nMap the drive, or the share, to the folder that holds its copy: `sessctl lint --root server --drive D:=server-d --drive \\\\fs01\\content=content`.\n\n## Availability\n\n`lint --root`, and `lint --farm`, where the site is not compared on that server (map a share with `--drive \\\\server\\share=DIR`, each server's own drive with a folder relative to each ROOT: `--drive D:=../D`).",
    check: None,
    refuses_file: false,
    judges_transforms: false,
};
