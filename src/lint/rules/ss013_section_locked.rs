//! SS013 section-locked (needs the server hierarchy).

use crate::hierarchy::effective::LockKind;
use crate::lint::context::{FileContext, FileKind};
use crate::lint::{Diagnostic, Related, RuleDef, Severity};
use crate::schema::is_general_attribute;

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS013",
    name: "section-locked",
    severity: Severity::Error,
    summary: "The section, or a locked attribute of it, set below a lock (needs --root).",
    doc: "## What it finds\n\nA session section, or an attribute or element of it, defined in a file below a level that locks it: a `<location>` with `overrideMode=\"Deny\"` or `allowOverride=\"false\"`, or `lockAttributes`, `lockAllAttributesExcept`, `lockElements` or `lockItem` on the section above. The message names the lock's file and line.\n\n## Why it matters\n\nThe configuration system refuses the lower file (\"This configuration section cannot be used at this path\"), and the site returns 500 errors. A lock in applicationHost.config binds IIS's tools; ASP.NET enforces those in machine.config, the root web.config and the web.config files. Either is a warning where only IIS's tools refuse the definition: a lock kept in applicationHost.config, or a definition kept there (ASP.NET never reads system.web from it).\n\n## Example\n\n```xml\n<!-- applicationHost.config -->\n<location path=\"Locked Site\" overrideMode=\"Deny\">\n  <system.web><sessionState mode=\"SQLServer\" /></system.web>\n</location>\n```\n\nand `<sessionState timeout=\"30\" />` in the site's web.config.\n\n## Fix\n\nRemove the lower definition, or unlock the section where the lock is (`sessctl unlock config PATH /section:sessionState`).\n\n## Availability\n\nThis rule needs the server layout (`sessctl lint --root DIR`); it never reports on single files.",
    check: Some(check),
    refuses_file: false,
    judges_transforms: false,
};

/// What an SS013 finding's related location is: the lock that binds the definition.
pub(crate) const THE_LOCK: &str = "the lock";

/// Where a lock is, as the messages name it.
fn lock_at(file: &std::path::Path, line: usize) -> String {
    format!("{}:{line}", file.display())
}

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let Some(server) = &ctx.server else { return };
    for site in ctx.checkable() {
        let Some(inherited) = server.inherited(site.def) else {
            continue;
        };
        let doc = ctx.doc(site.src);
        for lock in &inherited.locks {
            let at = lock_at(&lock.file, lock.line);
            let related = || {
                vec![Related {
                    file: lock.file.clone(),
                    line: lock.line,
                    what: THE_LOCK.to_string(),
                }]
            };
            // IIS's tools refuse the definition; ASP.NET, which never reads system.web from
            // applicationHost.config, runs it (as `lock config` warns), and never reads a
            // definition kept there either.
            let in_apphost = ctx.kind == FileKind::AppHost;
            let severity = (lock.ignored_by_aspnet || in_apphost).then_some(Severity::Warning);
            let tail = if lock.ignored_by_aspnet {
                "IIS's tools refuse this definition; ASP.NET does not enforce a lock kept in applicationHost.config (lock it with /commit:WEBROOT)"
            } else if in_apphost {
                "IIS's tools refuse this definition; ASP.NET never reads system.web from applicationHost.config"
            } else {
                "ASP.NET refuses this definition"
            };
            match &lock.kind {
                LockKind::Section => {
                    let (src, el) = site.declared.unwrap_or((site.src, site.el));
                    out.push(
                        Diagnostic::new(
                            ctx.element_span(src, el),
                            format!("{} is locked at {at}; {tail}", site.def.path),
                        )
                        .with_severity(severity)
                        .with_related(related()),
                    );
                }
                LockKind::Attributes(_) | LockKind::AllAttributesExcept(_) => {
                    for a in doc.attrs(site.el) {
                        let name = doc.attr_name(&a);
                        if !is_general_attribute(name) && lock.binds_attribute(name) {
                            out.push(
                                Diagnostic::new(
                                    ctx.attr_span(site, name),
                                    format!("{name} is locked at {at}; this value is refused"),
                                )
                                .with_severity(severity)
                                .with_related(related()),
                            );
                        }
                    }
                }
                LockKind::Elements(_) | LockKind::Item(_) => {
                    let Some(coll) = &site.def.collection else {
                        continue;
                    };
                    for c in doc.children_named(site.el, coll.name) {
                        for item in doc.children(c) {
                            let key = doc.attr_value(item, coll.key).map(|k| k.into_owned());
                            if lock.binds_collection(coll.name, key.as_deref())
                                || (doc.name(item) == "clear"
                                    && matches!(lock.kind, LockKind::Item(_)))
                            {
                                out.push(
                                    Diagnostic::new(
                                        ctx.element_span(site.src, item),
                                        format!(
                                            "<{}> is locked at {at}; this change is refused",
                                            coll.name
                                        ),
                                    )
                                    .with_severity(severity)
                                    .with_related(related()),
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}
