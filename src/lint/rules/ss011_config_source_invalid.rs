//! SS011 config-source-invalid.

use crate::hierarchy::source::config_source::ConfigSourceError;
use crate::hierarchy::source::is_apphost_file;
use crate::lint::context::FileContext;
use crate::lint::{At, Diagnostic, RuleDef, Severity};

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS011",
    name: "config-source-invalid",
    severity: Severity::Error,
    summary: "configSource missing, absolute, escaping its folder, or beside other attributes.",
    doc: "## What it finds\n\nA section moved out with `configSource` whose file does not exist, whose path is absolute or leaves the folder of the file (`..\\\\shared\\\\x.config`), whose file's root element is not the section, or whose element has other attributes or content beside `configSource`. Also the `configSource` of `<machineKey>` and `<connectionStrings>`, whose file's absence is reported only under `lint --root`: linted alone, in a repository, such a file is usually kept out on purpose (keys and passwords put on each server).\n\n## Why it matters\n\nASP.NET refuses the configuration: the section cannot be read. For `<machineKey>` and `<connectionStrings>` the application still starts, and fails where it reads them (view state, forms authentication, every connection-string look-up).\n\n## Example\n\n```xml\n<sessionState configSource=\"C:\\\\config\\\\session.config\" mode=\"InProc\" />\n```\n\n## Fix\n\nA relative path in the same folder or below, and nothing else on the element: `<sessionState configSource=\"Config\\\\Session.config\" />`.",
    check: Some(check),
    refuses_file: false,
    judges_transforms: false,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    whole_sections(ctx, out);
    for site in &ctx.sites {
        if let Some((range, message)) = &site.config_source_problem {
            let (src, _) = site.declared.unwrap_or((site.src, site.el));
            out.push(Diagnostic::new(
                At::Span {
                    src,
                    range: range.clone(),
                },
                message.to_string(),
            ));
        }
    }
}

/// The `configSource` of `<machineKey>` and `<connectionStrings>`, which the file's readers
/// follow: a file that is not there is reported only on a server (`lint --root`), where it
/// means the section cannot be read; in a repository it is usually kept out on purpose (keys
/// and passwords put on each server) and is taken for set elsewhere.
fn whole_sections(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    // (ASP.NET never reads applicationHost.config's `<system.web>`: SS101.)
    let Some(src) = ctx.sources.first().filter(|s| !is_apphost_file(&s.path)) else {
        return;
    };
    let on_server = ctx.server.is_some();
    let machine_keys = src.machine_keys().iter().filter_map(|k| k.fault.as_ref());
    let faults = machine_keys
        .map(|f| {
            (
                f,
                "<machineKey>",
                "view state and forms authentication, which use its keys, fail",
            )
        })
        .chain(src.connection_strings_faults().iter().map(|f| {
            (
                f,
                "<connectionStrings>",
                "every look-up of a connection string fails, session state's included",
            )
        }));
    for ((range, e), section, then) in faults {
        if matches!(e, ConfigSourceError::Missing(_)) && !on_server {
            continue;
        }
        out.push(Diagnostic::new(
            At::Span {
                src: 0,
                range: range.clone(),
            },
            format!("{e}: ASP.NET cannot read {section}, and {then}"),
        ));
    }
}
