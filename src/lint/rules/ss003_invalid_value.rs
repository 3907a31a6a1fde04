//! SS003 invalid-value.

use crate::lint::context::FileContext;
use crate::lint::{Diagnostic, RuleDef, Severity};
use crate::schema::rules::Rule;

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS003",
    name: "invalid-value",
    severity: Severity::Error,
    summary: "A value not spelled as ASP.NET reads it.",
    doc: "## What it finds\n\nAn enum or bool not spelled as ASP.NET reads it (`mode=\"sqlserver\"`, `compressionEnabled=\"True\"`), a timeSpan that is not an integer in its unit or `Infinite` (`timeout=\"00:20:00\"`), or a number out of range (`historySize=\"0\"`). With mode SQLServer, also a `sqlConnectionString` that names a `<connectionStrings>` entry a `<remove>` or `<clear>` took out, or (with `--root`, where every file from machine.config down is read) one that no file defines: ASP.NET then hands the name itself to ADO.NET as the connection string, which refuses it. A `mode` that lists several names (`mode=\"Off, InProc\"`) is read by ASP.NET as the mode their numbers or'ed together make (`Enum.Parse`): reported as information naming that mode, with it as the fix; a list that makes no mode (`InProc, Custom`) is an error. A value that is a deployment placeholder as a whole (`#{Session.Timeout}`, `$(Mode)`, `__Cookieless__`, `{{ timeout }}`) is a template's, which a release pipeline fills in: it is not judged. A name is not judged when a file may hold entries sessctl does not read (an encrypted `<connectionStrings>`, a `configSource` that cannot be followed). Entries in a `<location>` naming a folder count for that folder and below only, as ASP.NET looks a name up in the request path's configuration; a section in such a `<location>` has its names looked up at that folder (with `--root`: the files down to it and the folder's own web.config; without, a name the file and its locations for that folder do not define, or take out, is not judged). Under `--root`, a `<remove>` or `<clear/>` in a file's own `<connectionStrings>`, or in those of a `<location>` naming an application, that takes out the entry an inherited `sqlConnectionString` names is reported there (one in a location naming a folder inside an application is not: the store looks its names up once, at the application's first request).\n\n## Why it matters\n\nEnum and timeSpan values are parsed strictly: the site fails at its first request with a configuration error. IIS Manager and appcmd accept these spellings, so they slip through.\n\n## Example\n\n```xml\n<sessionState mode=\"sqlserver\" timeout=\"00:20:00\" />\n```\n\n## Fix\n\nThe canonical spelling: `<sessionState mode=\"SQLServer\" timeout=\"20\" />`. `sessctl lint --fix` applies it when the meaning is unambiguous (wrong case, `hh:mm:ss` of whole units, `infinite`).",
    check: Some(check),
    refuses_file: false,
    judges_transforms: true,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    super::report_violations(ctx, Rule::InvalidValue, out);
    super::report_names_taken_out(ctx, Rule::InvalidValue, out);
}
