//! SS018 missing-root: a site of applicationHost.config without a root application, or an
//! application without a root virtual directory.

use crate::lint::context::{FileContext, FileKind};
use crate::lint::{At, Diagnostic, RuleDef, Severity};

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS018",
    name: "missing-root",
    severity: Severity::Error,
    summary: "A site without an application at \"/\", or an application without a virtual directory at \"/\", in applicationHost.config.",
    doc: "## What it finds\n\nIn applicationHost.config, a `<site>` none of whose `<application>` elements has the path `/`, and an `<application>` none of whose `<virtualDirectory>` elements has the path `/`.\n\n## Why it matters\n\nIIS requires both: each site must have an application called the root application, and each application a root virtual directory, which maps it to its folder. sessctl finds a site's web.config files through the physical paths of its virtual directories: without a root, the URLs at the site's (or the application's) root have no folder, so `lint --root` lints no web.config there, and `list` and `set` cannot resolve those paths.\n\n## Example\n\n```xml\n<site name=\"Shop\" id=\"3\">\n  <application path=\"/shop\">\n    <virtualDirectory path=\"/\" physicalPath=\"D:\\sites\\shop\" />\n  </application>\n</site>\n```\n\n## Fix\n\nGive the site `<application path=\"/\">` with `<virtualDirectory path=\"/\" physicalPath=\"...\" />` (IIS Manager and `appcmd add site /physicalPath:` write both), or the application its `<virtualDirectory path=\"/\">`.",
    check: Some(check),
    refuses_file: false,
    judges_transforms: false,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    if ctx.kind != FileKind::AppHost || ctx.sources.is_empty() {
        return;
    }
    for m in &ctx.topology_findings().missing_roots {
        let message = match &m.app {
            None => format!(
                "site \"{}\" has no root application (<application path=\"/\">), which IIS requires in every site: the site's root has no folder, and no web.config there is linted",
                m.site
            ),
            Some(app) => format!(
                "application \"{app}\" of site \"{}\" has no root virtual directory (<virtualDirectory path=\"/\">), which IIS requires in every application: the application's root has no folder, and no web.config there is linted",
                m.site
            ),
        };
        out.push(Diagnostic::new(
            At::Span {
                src: 0,
                range: m.at.clone(),
            },
            message,
        ));
    }
}
