//! SS102 plaintext-password.

use crate::hierarchy::effective::ItemKind;
use crate::lint::context::{FileContext, OwnEntry};
use crate::lint::{At, Diagnostic, RuleDef, Severity};
use crate::schema::rules::has_password;
use crate::secrets;

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS102",
    name: "plaintext-password",
    severity: Severity::Warning,
    summary: "A password in sqlConnectionString, a provider's attributes or the connection string either names.",
    doc: "## What it finds\n\nA `Password=` or `Pwd=` key with a value in `sqlConnectionString`, or in the `<connectionStrings>` entry it names (for a section in a `<location>`, an entry of that location's `<connectionStrings>` too); and in a session-state provider's `<add>`, an attribute whose name says it is a secret (`accessKey`, `password`, a `...Key` or `...Secret`, as the Redis, Azure and AWS providers name them) or a connection string with a password in it (`connectionString=\"cache:6380,password=...\"`, or the `<connectionStrings>` entry it or `connectionStringName` names, as the async SQL provider has it). Whatever sessctl masks as `****` in its output is what this rule finds. A value that is a deployment placeholder as a whole (`#{DbPassword}`, `$(DbPassword)`, `${DB_PASSWORD}`, `{{ db_password }}`, `__DbPassword__`, `%DB_PASSWORD%`), which a release pipeline replaces, holds no secret: it is neither reported nor masked.\n\n## Why it matters\n\nA SQL login's password or a cache's access key in a committed file is readable by anyone with the repository or a backup; session stores are a classic path to session hijacking.\n\n## Example\n\n```xml\n<sessionState mode=\"SQLServer\" sqlConnectionString=\"Data Source=db;User ID=app;Password=hunter2\" />\n```\n\n## Fix\n\n`Integrated Security=SSPI` with the application pool's identity, or an encrypted `<connectionStrings>` section (`aspnet_regiis -pe`) named from `sqlConnectionString` or the provider's `connectionString`; for a cache, its provider's support for reading the key from an app setting or a secret store.",
    check: Some(check),
    refuses_file: false,
    judges_transforms: true,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    for site in ctx.checkable() {
        let Some(a) = ctx.attr(site, "sqlConnectionString") else {
            continue;
        };
        let value = ctx.doc(site.src).value(&a).into_owned();
        if has_password(&value) {
            out.push(Diagnostic::new(
                At::Span {
                    src: site.src,
                    range: a.range(),
                },
                "sqlConnectionString holds a password in plain text".into(),
            ));
        } else if !value.contains('=') {
            let message = format!(
                "the connection string \"{}\" used by sqlConnectionString holds a password in plain text",
                value.trim()
            );
            match ctx.own_connection_string_at(&site.scope.location_path(), value.trim()) {
                Some(OwnEntry::Here(entry)) if has_password(&ctx.doc(0).value(&entry)) => {
                    out.push(Diagnostic::new(
                        At::Span {
                            src: 0,
                            range: entry.range(),
                        },
                        message,
                    ));
                }
                Some(OwnEntry::Elsewhere(v, file)) if has_password(&v) => {
                    out.push(Diagnostic::new(
                        At::Span {
                            src: site.src,
                            range: a.range(),
                        },
                        format!("{message}, in {file} (<connectionStrings configSource>)"),
                    ))
                }
                _ => {}
            }
        }
    }
    providers(ctx, out);
}

/// Secrets in the providers' `<add>` elements: attributes named as secrets, connection strings
/// with a password, and the `<connectionStrings>` entry a `connectionString` or
/// `connectionStringName` names.
fn providers(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    for site in ctx.checkable() {
        let doc = ctx.doc(site.src);
        for (kind, el) in ctx.items(site) {
            if kind != ItemKind::Add {
                continue;
            }
            let provider = doc.attr_value(el, "name").unwrap_or_default().into_owned();
            for a in doc.attrs(el) {
                let name = doc.attr_name(&a);
                let value = doc.value(&a);
                let names_entry = (name == "connectionString" && !value.contains(['=', ',', ':']))
                    || name == "connectionStringName";
                let (at, message) = if secrets::reveals_secret(name, &value) {
                    let what = if secrets::is_secret_attribute(name) {
                        "a secret"
                    } else {
                        "a password"
                    };
                    (
                        At::Span {
                            src: site.src,
                            range: a.range(),
                        },
                        format!("provider \"{provider}\": {name} holds {what} in plain text"),
                    )
                } else {
                    let message = format!(
                        "the connection string \"{}\" used by provider \"{provider}\" holds a password in plain text",
                        value.trim()
                    );
                    let reveals = |v: &str| secrets::reveals_secret("connectionString", v);
                    match names_entry
                        .then(|| {
                            ctx.own_connection_string_at(&site.scope.location_path(), value.trim())
                        })
                        .flatten()
                    {
                        Some(OwnEntry::Here(entry)) if reveals(&ctx.doc(0).value(&entry)) => (
                            At::Span {
                                src: 0,
                                range: entry.range(),
                            },
                            message,
                        ),
                        Some(OwnEntry::Elsewhere(v, file)) if reveals(&v) => (
                            At::Span {
                                src: site.src,
                                range: a.range(),
                            },
                            format!("{message}, in {file} (<connectionStrings configSource>)"),
                        ),
                        _ => continue,
                    }
                };
                out.push(Diagnostic::new(at, message));
            }
        }
    }
}
