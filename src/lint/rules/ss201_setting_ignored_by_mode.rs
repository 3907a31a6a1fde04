//! SS201 setting-ignored-by-mode.

use crate::lint::context::FileContext;
use crate::lint::{At, Diagnostic, Related, RuleDef, Severity};
use crate::schema::value::same_meaning;

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS201",
    name: "setting-ignored-by-mode",
    severity: Severity::Info,
    summary: "A setting the current mode never reads.",
    doc: "## What it finds\n\nA store setting that the current mode never reads: `customProvider` without mode Custom, `sqlConnectionString`, `sqlCommandTimeout`, `allowCustomSqlDatabase` or `sqlConnectionRetryInterval` without SQLServer, `stateConnectionString` or `stateNetworkTimeout` without StateServer, `compressionEnabled` with InProc or Off. With a `partitionResolverType`, also the `stateConnectionString` or `sqlConnectionString` of the mode in use: the resolver gives each session's connection string and the attribute is never read (not said of a resolver that is a deployment placeholder, which may become nothing). With `--root`, not said of a setting that a level below reads: the root web.config's `stateConnectionString` under InProc is live where a site's web.config sets StateServer and inherits it.\n\n## Why it matters\n\nNothing breaks, but readers assume the setting is live: a dormant connection string is often the stale one.\n\n## Example\n\n```xml\n<sessionState mode=\"InProc\" stateConnectionString=\"tcpip=state01:42424\" />\n```\n\n## Fix\n\nRemove the setting, or switch to the mode that uses it.",
    check: Some(check),
    refuses_file: false,
    judges_transforms: false,
};

/// The attribute an SS201 finding's message says is never read.
pub(crate) fn attribute_of(message: &str) -> Option<&str> {
    message.split_once(NEVER_READ).map(|(attr, _)| attr)
}

/// What every SS201 message says after the attribute's name.
const NEVER_READ: &str = " is never read with ";

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    for site in ctx.checkable().filter(|s| s.def.name == "sessionState") {
        let Some(mode) = ctx.mode(site) else { continue };
        // With a partition resolver the StateServer and SQLServer stores take each session's
        // connection string from it and never read their own attribute.
        // (A deployment placeholder may become no resolver: then nothing is said.)
        let resolver = ctx.partition_resolver(site, &mode);
        // One pass over the tag's attributes (findings are sorted by position afterwards).
        let doc = ctx.doc(site.src);
        for a in doc.attrs(site.el) {
            // Which modes read it is the schema table's to say.
            let Some(def) = site.def.attribute(doc.attr_name(&a)) else {
                continue;
            };
            let Some(modes) = def.read_by else { continue };
            let attr = def.name;
            // A value equal to the default changes nothing, whatever the mode.
            let value = doc.value(&a);
            let is_default = same_meaning(def, &value, def.default);
            let mut related = Vec::new();
            let message = if !modes.contains(&mode.as_str()) {
                match ctx.replaced_at_folder(site, "mode") {
                    Some(o) => {
                        related.push(Related {
                            file: o.file.clone(),
                            line: o.line,
                            what: format!("mode=\"{mode}\" set in place of this one"),
                        });
                        format!(
                            "{attr}{NEVER_READ}mode {mode}, which {}:{} sets in place of this one at that folder",
                            o.file.display(),
                            o.line
                        )
                    }
                    None => format!("{attr}{NEVER_READ}mode {mode}"),
                }
            } else if let Some(resolver) = resolver.as_ref().filter(|_| def.locates_store) {
                format!("{attr}{NEVER_READ}a partitionResolverType (\"{resolver}\" gives each session's connection string)")
            } else {
                continue;
            };
            if !is_default {
                out.push(
                    Diagnostic::new(
                        At::Span {
                            src: site.src,
                            range: a.range(),
                        },
                        message,
                    )
                    .with_related(related),
                );
            }
        }
    }
}
