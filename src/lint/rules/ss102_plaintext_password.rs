//! SS102 plaintext-password.

use crate::lint::context::FileContext;
use crate::lint::{At, Diagnostic, RuleDef, Severity};
use crate::schema::rules::has_password;

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS102",
    name: "plaintext-password",
    severity: Severity::Warning,
    summary: "A password in sqlConnectionString or in the connection string it names.",
    doc: "## What it finds\n\nA `Password=` or `Pwd=` key with a value in `sqlConnectionString`, or in the `<connectionStrings>` entry it names.\n\n## Why it matters\n\nA SQL login's password in a committed file is readable by anyone with the repository or a backup; session databases are a classic path to session hijacking.\n\n## Example\n\n```xml\n<sessionState mode=\"SQLServer\" sqlConnectionString=\"Data Source=db;User ID=app;Password=hunter2\" />\n```\n\n## Fix\n\n`Integrated Security=SSPI` with the application pool's identity, or an encrypted `<connectionStrings>` section (`aspnet_regiis -pe`) named from `sqlConnectionString`.",
    check: Some(check),
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    for site in ctx.checkable() {
        let Some(a) = ctx.attr(site, "sqlConnectionString") else {
            continue;
        };
        let value = ctx.doc(site.src).value(&a).into_owned();
        if has_password(&value) {
            out.push(Diagnostic {
                at: At::Span {
                    src: site.src,
                    range: a.range(),
                },
                message: "sqlConnectionString holds a password in plain text".into(),
                fix: None,
                severity: None,
            });
        } else if !value.contains('=') {
            if let Some(entry) = ctx.connection_string_attr(value.trim()) {
                if has_password(&ctx.doc(0).value(&entry)) {
                    out.push(Diagnostic {
                        at: At::Span { src: 0, range: entry.range() },
                        message: format!(
                            "the connection string \"{}\" used by sqlConnectionString holds a password in plain text",
                            value.trim()
                        ),
                        fix: None,
                        severity: None,
                    });
                }
            }
        }
    }
}
