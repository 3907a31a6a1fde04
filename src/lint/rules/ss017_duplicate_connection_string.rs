//! SS017 duplicate-connection-string.

use crate::hierarchy::source::connection_strings::{
    connection_string_conflicts, located_connection_string_conflicts, ConnectionStringConflict,
    ConnectionStrings,
};
use crate::lint::context::{FileContext, FileKind};
use crate::lint::{At, Diagnostic, Related, RuleDef, Severity};

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS017",
    name: "duplicate-connection-string",
    severity: Severity::Error,
    summary: "A <connectionStrings> <add> whose name an entry in scope already has, with another value: ASP.NET refuses the section, which session state reads.",
    doc: "## What it finds\n\nAn `<add>` in `<connectionStrings>` whose name is already in the collection (added before it in the same file or, with `--root`, by a level above: machine.config's `LocalSqlServer`, the root web.config, a parent application's web.config; and not removed or cleared since) with another `connectionString` or `providerName`, or the name spelled in another case. Names are compared without regard to case, as .NET's `ConnectionStringSettingsCollection` compares them. The same entry again (name, value and provider equal) is not reported: ASP.NET keeps one. A second `<connectionStrings>` element in one scope (the file's own level, a `<location>` of its own level included, or `<location>`s naming the same folder) is reported too: .NET refuses the section there (\"Sections must only appear once per config file\") whatever the entries.\n\nAn `<add>` in a `<location>` naming a folder below is judged where ASP.NET reads it, at that folder: with `--root`, against what is in scope there just before the location applies (the files down to that folder, the web.config of a folder between included, whose `<remove>` comes first); without `--root`, against the location's own entries only, since a file between may take the name out first.\n\n## Why it matters\n\nASP.NET refuses `<connectionStrings>` wherever it is read: \"The entry 'LocalSqlServer' has already been added\" (`ConfigurationElementCollection.BaseAdd`; Mono says \"Duplicate element in collection\"). Session state reads it in StateServer and SQLServer mode to look `stateConnectionString` and `sqlConnectionString` up by name, so every request that uses the session fails, and so does any other code that reads a connection string. Re-adding machine.config's `LocalSqlServer` in a site's web.config, or an entry of a parent application in a child one, is the usual way to get there.\n\n## Example\n\n```xml\n<connectionStrings>\n  <add name=\"LocalSqlServer\" connectionString=\"data source=sql01;Integrated Security=SSPI\" />\n</connectionStrings>\n```\n\nin a site whose machine.config defines `LocalSqlServer`.\n\n## Fix\n\nPut `<remove name=\"LocalSqlServer\" />` (or `<clear />`) before the `<add>`, or remove one of two entries in the same file.",
    check: Some(check),
    refuses_file: false,
    judges_transforms: false,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    // ASP.NET never reads applicationHost.config.
    if ctx.kind == FileKind::AppHost {
        return;
    }
    let Some(src) = ctx.sources.first() else {
        return;
    };
    sections_twice(ctx, src, out);
    let none = ConnectionStrings::default();
    if !src.connection_strings().is_empty() {
        let above = ctx
            .server
            .as_ref()
            .map_or(&none, |s| &s.connection_strings_above);
        report(ctx, connection_string_conflicts(src, above), "", out);
    }
    // A <location> naming a folder below: judged with what is in scope there before it (with
    // --root), else with its own entries only (a file between may take a name out first).
    for located in src.connection_strings_located() {
        let above = ctx
            .server
            .as_ref()
            .and_then(|s| {
                s.located_connection_strings
                    .iter()
                    .find(|(el, _)| *el == located.element)
            })
            .map_or(&none, |(_, above)| above);
        let conflicts = located_connection_string_conflicts(src, located, above);
        let at = format!(
            "at <location path=\"{}\">, ",
            located.written_path(&src.doc)
        );
        report(ctx, conflicts, &at, out);
    }
}

/// One finding per conflict; `at` names the location, when the entries are one's.
fn report(
    ctx: &FileContext,
    conflicts: Vec<ConnectionStringConflict>,
    at_location: &str,
    out: &mut Vec<Diagnostic>,
) {
    let doc = &ctx.sources[0].doc;
    for c in conflicts {
        let at = match doc.attr(c.el, if c.external { "configSource" } else { "name" }) {
            Some(a) => At::Span {
                src: 0,
                range: a.range(),
            },
            None => ctx.element_span(0, c.el),
        };
        let (where_, fix) = match c.first {
            // Both in the file the configSource names.
            Some(first) if c.external && first == c.el => {
                ("before it".to_string(), "remove one of them".to_string())
            }
            Some(first) => (
                format!(
                    "on line {}",
                    doc.line_col(doc.element(first).start as usize).0
                ),
                "remove one of them".to_string(),
            ),
            None => (
                match &c.above {
                    // An earlier entry of this file (a location's, or its own level's).
                    Some((file, line)) if *file == ctx.sources[0].path => format!("on line {line}"),
                    Some((file, line)) => format!("in {}:{line}", file.display()),
                    None => "by a level above".to_string(),
                },
                format!("put <remove name=\"{}\" /> before it", c.name),
            ),
        };
        // The earlier entry, when it is in another file.
        let related = match (&c.first, &c.above) {
            (None, Some((file, line))) if *file != ctx.sources[0].path => vec![Related {
                file: file.clone(),
                line: *line,
                what: format!("connection string \"{}\" added first", c.name),
            }],
            _ => Vec::new(),
        };
        let inside = if c.external {
            let file = doc.attr_value(c.el, "configSource").unwrap_or_default();
            format!("in {file}, ")
        } else {
            String::new()
        };
        out.push(Diagnostic::new(at, format!(
                "{at_location}{inside}connection string \"{}\" is already added {where_} with another value, and ASP.NET refuses <connectionStrings> wherever it is read (\"The entry '{}' has already been added\"); session state reads it in StateServer and SQLServer mode: {fix}",
                c.name, c.name
            )).with_related(related));
    }
}

/// `<connectionStrings>` twice in one scope of the file (its own level, a `<location>` of its
/// own level included, or `<location>`s naming the same folder): .NET refuses the section there
/// ("Sections must only appear once per config file"), as it does a name added twice.
fn sections_twice(
    ctx: &FileContext,
    src: &crate::hierarchy::source::Source,
    out: &mut Vec<Diagnostic>,
) {
    for (first, repeat) in src.connection_strings_repeated() {
        out.push(Diagnostic::new(ctx.element_span(0, repeat), format!(
                "<connectionStrings> is already defined in this scope on line {}, and ASP.NET refuses <connectionStrings> wherever it is read (\"Sections must only appear once per config file\"); session state reads it in StateServer and SQLServer mode: merge the two",
                src.line_of(first)
            )));
    }
}
