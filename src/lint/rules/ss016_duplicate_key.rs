//! SS016 duplicate-key: applicationHost.config with two entries of a keyed collection under
//! one key.

use crate::hierarchy::topology::DuplicateKey;
use crate::lint::context::{FileContext, FileKind};
use crate::lint::{At, Diagnostic, RuleDef, Severity};

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS016",
    name: "duplicate-key",
    severity: Severity::Error,
    summary: "Two sites, applications of a site, virtual directories of an application or application pools with the same key in applicationHost.config, which IIS refuses.",
    doc: "## What it finds\n\nIn applicationHost.config: a `<site>` whose `name` or `id` an earlier site has; an `<application>` whose `path` an earlier application of the same site has; a `<virtualDirectory>` whose `path` an earlier one of the same application has; an `<applicationPools><add>` whose `name` an earlier pool has. Names and paths are compared without regard to case, ids as numbers (`02` is `2`). The finding points at the later entry and names the line of the first.\n\n## Why it matters\n\nIIS's schema (`%windir%\\System32\\inetsrv\\config\\schema\\IIS_schema.xml`) makes each of these attributes the unique key (`isUniqueKey`) of a collection that allows no duplicates, and IIS's configuration system refuses the file: \"Cannot add duplicate collection entry of type 'site' with unique key attribute 'name' set to ...\" (0x800700b7). appcmd, IIS Manager and the sites that read it report that error instead of the configuration. A second entry is usually left by a provisioning script that added a site or pool without looking for it first. `sessctl list` and `set` read the first of such entries.\n\n## Example\n\n```xml\n<sites>\n  <site name=\"Shop\" id=\"2\">...</site>\n  <site name=\"shop\" id=\"3\">...</site>\n</sites>\n```\n\n## Fix\n\nRemove or rename one of the entries (give each site its own name and id); which one is yours to decide, so there is no automatic fix.",
    check: Some(check),
    refuses_file: true,
    judges_transforms: false,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    if ctx.kind != FileKind::AppHost {
        return;
    }
    let Some(src) = ctx.sources.first() else {
        return;
    };
    let doc = &src.doc;
    let found = ctx.topology_findings();
    for d in &found.duplicates {
        out.push(Diagnostic::new(
            At::Span {
                src: 0,
                range: d.at.clone(),
            },
            message(doc, d),
        ));
    }
}

/// What repeats, where it was first, and what IIS says of it.
fn message(doc: &crate::doc::Document, d: &DuplicateKey) -> String {
    let (entry, key, value) = (d.entry, d.key, &d.value);
    let site = d.site.as_deref().unwrap_or_default();
    let what = match entry {
        "site" => format!("site {key} \"{value}\""),
        "application" => format!("application path \"{value}\" of site \"{site}\""),
        "virtualDirectory" => format!(
            "virtual directory path \"{value}\" of application \"{}\" in site \"{site}\"",
            d.app.as_deref().unwrap_or_default()
        ),
        _ => format!("application pool name \"{value}\""),
    };
    let first = doc.line_col(d.first).0;
    format!(
        "{what} is already taken on line {first}: IIS refuses applicationHost.config (\"Cannot add duplicate collection entry of type '{entry}' with unique key attribute '{key}' set to '{value}'\")"
    )
}
