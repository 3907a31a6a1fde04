//! What .NET's `ConfigurationElement.DeserializeElement` refuses inside a session section's
//! element, and with it the section (not the file): a child element the section does not take,
//! a second `<providers>`, an item of `<providers>` other than `<add>`, `<remove>` and
//! `<clear>`, an element inside an `<add>` or `<remove>`, an attribute the collection's own
//! elements do not take, text among them. One walk, read by lint (SS002, SS012) and by `set`,
//! which will not write into a section ASP.NET already refuses.

use std::ops::Range;

use crate::doc::{Document, ElementId};
use crate::schema::collection::ItemKind;
use crate::schema::SectionDef;

/// One thing the section's element holds that .NET refuses, and with it the section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionFault {
    /// The element (its name), the attribute (`name="value"`) or the text at fault.
    pub at: Range<usize>,
    /// What it is.
    pub kind: FaultKind,
}

/// What a [`SectionFault`] is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// An element its parent does not take ("Unrecognized element").
    Element {
        /// Its name.
        name: String,
        /// Its parent's name.
        parent: &'static str,
        /// The elements the parent takes.
        takes: Vec<&'static str>,
    },
    /// A second `<providers>` ("may only appear once in this section"; SS012's).
    SecondCollection {
        /// The collection's name.
        name: &'static str,
        /// The section's name.
        section: &'static str,
        /// The line of the first.
        first_line: usize,
    },
    /// An attribute the element does not take ("Unrecognized attribute").
    Attribute {
        /// Its name.
        name: String,
        /// The element's name.
        on: String,
        /// The attribute it takes besides the lock attributes, if any (`None`: none at all,
        /// the lock attributes neither).
        takes: Option<Option<&'static str>>,
    },
    /// Text or CDATA among the elements ("cannot contain a CDATA or text element").
    Text {
        /// The element it is in.
        on: String,
        /// Its first characters, escaped, with `…` when there are more.
        shown: String,
    },
}

impl SectionFault {
    /// What is wrong, in words, with `who` (ASP.NET, or IIS's configuration system in
    /// applicationHost.config: [`reader_of`](super::source::reader_of)) as the one refusing.
    pub fn message(&self, who: &str) -> String {
        match &self.kind {
            FaultKind::Element {
                name,
                parent,
                takes,
            } => {
                let hint = crate::schema::suggest(name, takes.iter().copied())
                    .map(|h| format!(" (did you mean <{h}>?)"))
                    .unwrap_or_default();
                let has = match takes.as_slice() {
                    [] => "has no child elements".to_string(),
                    _ => {
                        let names: Vec<String> = takes.iter().map(|k| format!("<{k}>")).collect();
                        format!("has {}", names.join(", "))
                    }
                };
                format!("<{name}> is not an element of <{parent}>{hint}, which {has}: {who} refuses the section (\"Unrecognized element '{name}'\")")
            }
            FaultKind::SecondCollection {
                name,
                section,
                first_line,
            } => format!(
                "<{name}> is already in this <{section}> on line {first_line}; {who} allows it once (\"The element <{name}> may only appear once in this section\") and refuses the section: merge the two"
            ),
            FaultKind::Attribute { name, on, takes } => {
                let takes = match takes {
                    None => "it takes no attributes".to_string(),
                    Some(None) => "it takes only the lock attributes".to_string(),
                    Some(Some(k)) => format!("it takes only {k}"),
                };
                format!("unrecognized attribute \"{name}\" on <{on}> ({takes}): {who} refuses the section (\"Unrecognized attribute '{name}'\")")
            }
            FaultKind::Text { on, shown } => format!(
                "text inside <{on}> (\"{shown}\"): {who} refuses the section (\"The configuration section cannot contain a CDATA or text element\")"
            ),
        }
    }
}

/// Everything [`SectionFault`] names in the element `el` of section `def`, in this order: the
/// elements not taken, the second collections, the attributes not taken, the text.
pub fn section_faults(doc: &Document, el: ElementId, def: &SectionDef) -> Vec<SectionFault> {
    let collection = def.collection.as_ref();
    let takes: Option<&'static str> = collection.map(|c| c.name);
    let mut elements = Vec::new();
    let mut seconds = Vec::new();
    // Elements that take the lock attributes and these, and no others; or (`None`) none.
    let mut attributes: Vec<(ElementId, Option<Option<&'static str>>)> = Vec::new();
    // Elements whose own content must hold no text.
    let mut text = vec![el];
    let mut first_collection = None;
    for child in doc.children(el) {
        let Some(coll) = collection.filter(|c| c.name == doc.name(child)) else {
            elements.push((child, def.name, takes.into_iter().collect()));
            continue;
        };
        match first_collection {
            None => first_collection = Some(doc.line_col(doc.element(child).start as usize).0),
            Some(first_line) => seconds.push(SectionFault {
                at: name_range(doc, child),
                kind: FaultKind::SecondCollection {
                    name: coll.name,
                    section: def.name,
                    first_line,
                },
            }),
        }
        // The collection takes the lock attributes only.
        text.push(child);
        attributes.push((child, Some(None)));
        for item in doc.children(child) {
            match ItemKind::of(doc.name(item)) {
                None => elements.push((item, coll.name, ItemKind::NAMES.to_vec())),
                // `<remove>` is read with the collection key alone; `<add>` takes any
                // attribute (a provider reads its own settings). Neither has child elements
                // or text.
                Some(kind @ (ItemKind::Add | ItemKind::Remove)) => {
                    if kind == ItemKind::Remove {
                        attributes.push((item, Some(Some(coll.key))));
                    }
                    text.push(item);
                    for inner in doc.children(item) {
                        elements.push((inner, kind.name(), Vec::new()));
                    }
                }
                // `<clear>` takes no attribute at all; its content .NET leaves to the
                // collection's own loop and Mono skips: not judged.
                Some(ItemKind::Clear) => attributes.push((item, None)),
            }
        }
    }
    let mut out: Vec<SectionFault> = elements
        .into_iter()
        .map(|(e, parent, takes)| SectionFault {
            at: name_range(doc, e),
            kind: FaultKind::Element {
                name: doc.name(e).to_string(),
                parent,
                takes,
            },
        })
        .collect();
    out.extend(seconds);
    for (e, takes) in attributes {
        for a in doc.attrs(e) {
            let name = doc.attr_name(&a);
            let allowed = crate::schema::is_markup_attribute(name)
                || takes.is_some_and(|k| {
                    crate::schema::LOCK_ATTRIBUTES.contains(&name) || k == Some(name)
                });
            if !allowed {
                out.push(SectionFault {
                    at: a.range(),
                    kind: FaultKind::Attribute {
                        name: name.to_string(),
                        on: doc.name(e).to_string(),
                        takes,
                    },
                });
            }
        }
    }
    for e in text {
        let Some(range) = stray_text(doc, e) else {
            continue;
        };
        let found = &doc.text()[range.clone()];
        let mut shown: String = found
            .chars()
            .take(20)
            .flat_map(char::escape_debug)
            .collect();
        if found.chars().count() > 20 {
            shown.push('…');
        }
        out.push(SectionFault {
            at: range,
            kind: FaultKind::Text {
                on: doc.name(e).to_string(),
                shown,
            },
        });
    }
    out
}

/// The range of an element's name in its start tag.
fn name_range(doc: &Document, el: ElementId) -> Range<usize> {
    let e = doc.element(el);
    e.start as usize + 1..e.name_end as usize
}

/// The first run of text (or CDATA) directly inside `el`, outside its children, comments and
/// processing instructions, that is not white space: its byte range, trimmed. The gaps between
/// children hold no element, so a `<!--` or `<?` there opens a comment or a PI.
fn stray_text(doc: &Document, el: ElementId) -> Option<Range<usize>> {
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
