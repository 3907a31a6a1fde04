//! SS002 unknown-attribute.

use crate::doc::ElementId;
use crate::lint::context::FileContext;
use crate::lint::{At, Diagnostic, RuleDef, Severity};
use crate::schema::collection::ItemKind;
use crate::schema::rules::Rule;

/// The rule.
pub(super) static RULE: RuleDef = RuleDef {
    code: "SS002",
    name: "unknown-attribute",
    severity: Severity::Error,
    summary: "An attribute or child element the schema does not have, or the wrong case of one it has.",
    doc: "## What it finds\n\nAn attribute on `<sessionState>` or `<sessionPageState>` that the schema does not define. Attribute names are case-sensitive, so `Mode` is not `mode`; the message suggests the closest name. A child element the section does not have is reported too (`<provider>` in `<sessionState>`, whose one child is `<providers>`; anything in `<sessionPageState>`; an item of `<providers>` other than `<add>`, `<remove>` and `<clear>`, an element inside an `<add>` or `<remove>`), and an attribute of `<providers>` other than the lock attributes, any attribute of `<clear>`, and one of `<remove>` other than `name` (`<remove name=\"X\" type=\"...\" />`): .NET's `ConfigurationElement.DeserializeElement` refuses the section (\"Unrecognized element\", \"Unrecognized attribute\"). An `<add>` takes any attribute: a provider reads its own settings. Text or CDATA directly inside the section, `<providers>` or an item (a stray `,` or `>` of a hand edit) is refused the same way (\"The configuration section cannot contain a CDATA or text element\").\n\n## Why it matters\n\nASP.NET rejects the section with \"Unrecognized attribute\" and the application does not start.\n\n## Example\n\n```xml\n<sessionState Mode=\"InProc\" timeOut=\"20\" />\n```\n\n## Fix\n\nSpell the attribute as the schema does: `<sessionState mode=\"InProc\" timeout=\"20\" />`.",
    check: Some(check),
    refuses_file: false,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    super::report_violations(ctx, Rule::UnknownAttribute, out);
    unknown_elements(ctx, out);
}

/// A child element the section does not have (`<provider>` for `<providers>`), one in its
/// collection other than `<add>`, `<remove>` and `<clear>`, an element inside an `<add>` or
/// `<remove>`, an attribute the collection's own elements do not take, or text among them:
/// .NET's `ConfigurationElement.DeserializeElement` refuses the section ("Unrecognized
/// element", "Unrecognized attribute", "cannot contain a CDATA or text element").
fn unknown_elements(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let items: Vec<&str> = ItemKind::ALL.iter().map(|k| k.name()).collect();
    for site in ctx.checkable() {
        let doc = ctx.doc(site.src);
        let collection = site.def.collection.as_ref();
        let takes = collection.map(|c| c.name);
        let mut found = Structure::default();
        found.text.push(site.el);
        for child in doc.children(site.el) {
            let Some(coll) = collection.filter(|c| c.name == doc.name(child)) else {
                found.element(child, site.def.name, takes.as_slice());
                continue;
            };
            // The collection takes the lock attributes only.
            found.text.push(child);
            found.attributes.push((child, &[]));
            for item in doc.children(child) {
                match ItemKind::of(doc.name(item)) {
                    None => found.element(item, coll.name, &items),
                    // `<remove>` is read with the collection key alone; `<add>` takes any
                    // attribute (a provider reads its own settings). Neither has child
                    // elements or text.
                    Some(kind @ (ItemKind::Add | ItemKind::Remove)) => {
                        if kind == ItemKind::Remove {
                            found
                                .attributes
                                .push((item, std::slice::from_ref(&coll.key)));
                        }
                        found.text.push(item);
                        for inner in doc.children(item) {
                            found.element(inner, kind.name(), &[]);
                        }
                    }
                    // `<clear>` takes no attribute at all; its content .NET leaves to the
                    // collection's own loop and Mono skips: not judged.
                    Some(ItemKind::Clear) => found.bare.push(item),
                }
            }
        }
        found.report(ctx, site.src, out);
    }
}

/// What the walk of one section found to report, and where to look further.
#[derive(Default)]
struct Structure<'a> {
    /// (element, its parent's name, the names the parent takes) of each element not taken.
    elements: Vec<(ElementId, &'a str, &'a [&'a str])>,
    /// Elements that take the lock attributes and these, and no others.
    attributes: Vec<(ElementId, &'a [&'static str])>,
    /// Elements that take no attribute.
    bare: Vec<ElementId>,
    /// Elements whose own content must hold no text.
    text: Vec<ElementId>,
}

impl<'a> Structure<'a> {
    fn element(&mut self, el: ElementId, parent: &'a str, takes: &'a [&'a str]) {
        self.elements.push((el, parent, takes));
    }

    fn report(self, ctx: &FileContext, src: usize, out: &mut Vec<Diagnostic>) {
        let doc = ctx.doc(src);
        let who = ctx.reader();
        let mut push = |at, message| out.push(Diagnostic::new(at, message));
        for (el, parent, takes) in self.elements {
            let name = doc.name(el);
            let hint = crate::schema::suggest(name, takes.iter().copied())
                .map(|h| format!(" (did you mean <{h}>?)"))
                .unwrap_or_default();
            let has = match takes {
                [] => "has no child elements".to_string(),
                _ => {
                    let names: Vec<String> = takes.iter().map(|k| format!("<{k}>")).collect();
                    format!("has {}", names.join(", "))
                }
            };
            push(
                ctx.element_span(src, el),
                format!("<{name}> is not an element of <{parent}>{hint}, which {has}: {who} refuses the section (\"Unrecognized element '{name}'\")"),
            );
        }
        let taking = self
            .attributes
            .into_iter()
            .map(|(el, keys)| (el, Some(keys)))
            .chain(self.bare.into_iter().map(|el| (el, None)));
        for (el, keys) in taking {
            for a in doc.attrs(el) {
                let name = doc.attr_name(&a);
                let allowed = crate::schema::is_markup_attribute(name)
                    || keys.is_some_and(|k| {
                        crate::schema::LOCK_ATTRIBUTES.contains(&name) || k.contains(&name)
                    });
                if allowed {
                    continue;
                }
                let takes = match keys {
                    None => "it takes no attributes".to_string(),
                    Some([]) => "it takes only the lock attributes".to_string(),
                    Some(k) => format!("it takes only {}", k.join(", ")),
                };
                push(
                    At::Span {
                        src,
                        range: a.range(),
                    },
                    format!("unrecognized attribute \"{name}\" on <{}> ({takes}): {who} refuses the section (\"Unrecognized attribute '{name}'\")", doc.name(el)),
                );
            }
        }
        for el in self.text {
            let Some(range) = stray_text(doc, el) else {
                continue;
            };
            let text = &doc.text()[range.clone()];
            let shown: String = text.chars().take(20).flat_map(char::escape_debug).collect();
            let more = if text.chars().count() > 20 { "…" } else { "" };
            push(
                At::Span { src, range },
                format!("text inside <{}> (\"{shown}{more}\"): {who} refuses the section (\"The configuration section cannot contain a CDATA or text element\")", doc.name(el)),
            );
        }
    }
}

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
