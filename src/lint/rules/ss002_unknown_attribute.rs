//! SS002 unknown-attribute.

use crate::lint::context::FileContext;
use crate::lint::{Diagnostic, RuleDef, Severity};
use crate::schema::rules::Rule;

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS002",
    name: "unknown-attribute",
    severity: Severity::Error,
    summary: "An attribute or child element the schema does not have, or the wrong case of one it has.",
    doc: "## What it finds\n\nAn attribute on `<sessionState>` or `<sessionPageState>` that the schema does not define. Attribute names are case-sensitive, so `Mode` is not `mode`; the message suggests the closest name. A child element the section does not have is reported too (`<provider>` in `<sessionState>`, whose one child is `<providers>`; anything in `<sessionPageState>`; an item of `<providers>` other than `<add>`, `<remove>` and `<clear>`, an element inside an `<add>` or `<remove>`), and an attribute of `<providers>` other than the lock attributes, any attribute of `<clear>`, and one of `<remove>` other than `name` (`<remove name=\"X\" type=\"...\" />`): .NET's `ConfigurationElement.DeserializeElement` refuses the section (\"Unrecognized element\", \"Unrecognized attribute\"). An `<add>` takes any attribute: a provider reads its own settings. Text or CDATA directly inside the section, `<providers>` or an item (a stray `,` or `>` of a hand edit) is refused the same way (\"The configuration section cannot contain a CDATA or text element\").\n\n## Why it matters\n\nASP.NET rejects the section with \"Unrecognized attribute\" and the application does not start.\n\n## Example\n\n```xml\n<sessionState Mode=\"InProc\" timeOut=\"20\" />\n```\n\n## Fix\n\nSpell the attribute as the schema does: `<sessionState mode=\"InProc\" timeout=\"20\" />`.",
    check: Some(check),
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    super::report_violations(ctx, Rule::UnknownAttribute, out);
    unknown_elements(ctx, out);
}

/// A child element the section does not have (`<provider>` for `<providers>`), one in its
/// collection other than `<add>`, `<remove>` and `<clear>`, or an attribute those collection
/// elements do not take: .NET's `ConfigurationElement.DeserializeElement` refuses the section
/// ("Unrecognized element", "Unrecognized attribute").
fn unknown_elements(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    const ITEMS: [&str; 3] = ["add", "remove", "clear"];
    // ASP.NET never reads applicationHost.config; IIS's configuration system does, as strictly.
    let who = if ctx.kind == crate::lint::context::FileKind::AppHost {
        "IIS's configuration system"
    } else {
        "ASP.NET"
    };
    for site in ctx.checkable() {
        let doc = ctx.doc(site.src);
        let collection = site.def.collection.as_ref().map(|c| c.name);
        let mut report = |el, parent: &str, known: &[&'static str]| {
            let name = doc.name(el);
            let hint = crate::schema::suggest(name, known.iter().copied())
                .map(|h| format!(" (did you mean <{h}>?)"))
                .unwrap_or_default();
            let has = if known.is_empty() {
                "has no child elements".to_string()
            } else {
                format!(
                    "has {}",
                    known
                        .iter()
                        .map(|k| format!("<{k}>"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            out.push(Diagnostic {
                at: ctx.element_span(site.src, el),
                message: format!(
                    "<{name}> is not an element of <{parent}>{hint}, which {has}: {who} refuses the section (\"Unrecognized element '{name}'\")"
                ),
                fix: None,
                severity: None,
                related: Vec::new(),
            });
        };
        // Attributes of the collection's own elements: `<providers>` takes the lock attributes
        // only, `<clear>` none, `<remove>` its key (DeserializeElement with the collection key
        // alone: any other attribute is "Unrecognized").
        let mut attributes = Vec::new();
        for child in doc.children(site.el) {
            if Some(doc.name(child)) == collection {
                attributes.push((child, None));
                for item in doc.children(child) {
                    match doc.name(item) {
                        "clear" => attributes.push((item, Some(None))),
                        "remove" => attributes
                            .push((item, Some(site.def.collection.as_ref().map(|c| c.key)))),
                        "add" => {}
                        _ => {
                            report(item, doc.name(child), &ITEMS);
                            continue;
                        }
                    }
                    // An `<add>` or `<remove>` has no child elements (a provider's settings are
                    // attributes): DeserializeElement reads its content and refuses one. The
                    // content of `<clear>` .NET leaves to the collection's own loop, and Mono
                    // skips: not judged.
                    if doc.name(item) != "clear" {
                        for inner in doc.children(item) {
                            report(inner, doc.name(item), &[]);
                        }
                    }
                }
            } else {
                report(child, site.def.name, collection.as_slice());
            }
        }
        // Text or CDATA directly in the section, its collection or an item (a stray character
        // of an edit): "The configuration section cannot contain a CDATA or text element".
        let mut holders = vec![site.el];
        for child in doc.children(site.el) {
            if Some(doc.name(child)) == collection {
                holders.push(child);
                // (not `<clear>`, whose content is not its own: see above)
                holders.extend(doc.children(child).filter(|&i| doc.name(i) != "clear"));
            }
        }
        for el in holders {
            if let Some(range) = stray_text(doc, el) {
                let text = &doc.text()[range.clone()];
                let shown: String = text.chars().take(20).flat_map(char::escape_debug).collect();
                let more = if text.chars().count() > 20 { "…" } else { "" };
                out.push(Diagnostic {
                    at: crate::lint::At::Span {
                        src: site.src,
                        range,
                    },
                    message: format!(
                        "text inside <{}> (\"{shown}{more}\"): {who} refuses the section (\"The configuration section cannot contain a CDATA or text element\")",
                        doc.name(el)
                    ),
                    fix: None,
                    severity: None,
                    related: Vec::new(),
                });
            }
        }
        // (element, None: the collection element; Some(key): an item taking only `key`)
        for (el, takes) in attributes {
            let element = doc.name(el);
            for a in doc.attrs(el) {
                let name = doc.attr_name(&a);
                let general =
                    name == "xmlns" || name.starts_with("xmlns:") || name.starts_with("xdt:");
                let allowed = match takes {
                    None => general || LOCKS.contains(&name),
                    Some(None) => general,
                    Some(Some(key)) => general || LOCKS.contains(&name) || name == key,
                };
                if allowed {
                    continue;
                }
                let takes = match takes {
                    None => "it takes only the lock attributes".to_string(),
                    Some(None) => "it takes no attributes".to_string(),
                    Some(Some(key)) => format!("it takes only {key}"),
                };
                out.push(Diagnostic {
                    at: crate::lint::At::Span {
                        src: site.src,
                        range: a.range(),
                    },
                    message: format!(
                        "unrecognized attribute \"{name}\" on <{element}> ({takes}): {who} refuses the section (\"Unrecognized attribute '{name}'\")"
                    ),
                    fix: None,
                    severity: None,
                    related: Vec::new(),
                });
            }
        }
    }
}

/// The configuration system's lock attributes, which every element takes.
const LOCKS: [&str; 5] = [
    "lockAttributes",
    "lockAllAttributesExcept",
    "lockElements",
    "lockAllElementsExcept",
    "lockItem",
];

/// The first run of text (or CDATA) directly inside `el`, outside its children, comments and
/// processing instructions, that is not white space: its byte range, trimmed. The gaps between
/// children hold no element, so a `<!--` or `<?` there opens a comment or a PI.
fn stray_text(
    doc: &crate::doc::Document,
    el: crate::doc::ElementId,
) -> Option<std::ops::Range<usize>> {
    let e = doc.element(el);
    if e.self_closed() {
        return None;
    }
    let text = doc.text();
    let mut gaps = Vec::new();
    let mut at = e.head_end as usize;
    for child in doc.children(el) {
        let c = doc.element(child);
        gaps.push(at..c.start as usize);
        at = c.end as usize;
    }
    gaps.push(at..e.close_start as usize);
    for gap in gaps {
        let mut i = gap.start;
        while i < gap.end {
            let rest = &text[i..gap.end];
            let skip = if rest.starts_with("<!--") {
                rest.find("-->").map_or(rest.len(), |p| p + 3)
            } else if rest.starts_with("<?") {
                rest.find("?>").map_or(rest.len(), |p| p + 2)
            } else {
                rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len()
            };
            if skip > 0 {
                i += skip;
                continue;
            }
            // The run up to the next comment or PI (CDATA and text alike), trimmed.
            let first = rest.chars().next().map_or(1, char::len_utf8);
            let after = &rest[first..];
            let run = after
                .find("<!--")
                .into_iter()
                .chain(after.find("<?"))
                .min()
                .map_or(rest.len(), |p| p + first);
            let trimmed = rest[..run].trim_end_matches([' ', '\t', '\r', '\n']);
            return Some(i..i + trimmed.len());
        }
    }
    None
}
