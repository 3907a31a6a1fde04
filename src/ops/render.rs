//! Rendering a model's differences from the file as splices, and new elements in the file's own
//! style (indentation unit, line ends, self-closing spelling).

use super::locate::{Scaffold, Site};
use super::model::{Model, ModelAttr};
use crate::doc::{escape, is_xml_space, Document, ElementId, Splice};
use crate::hierarchy::effective::ItemKind;
use crate::schema::SectionDef;

/// An element to be written from scratch.
#[derive(Clone, Debug)]
pub struct NewElement {
    /// Element name.
    pub name: String,
    /// Attributes in order.
    pub attrs: Vec<(String, String)>,
    /// Child elements.
    pub children: Vec<NewElement>,
}

struct Style<'a> {
    unit: String,
    eol: &'a str,
    close: &'a str,
    quote: u8,
}

impl NewElement {
    fn render(&self, indent: &str, style: &Style<'_>) -> String {
        let mut s = format!("<{}", self.name);
        let q = style.quote as char;
        for (n, v) in &self.attrs {
            s.push_str(&format!(" {n}={q}{}{q}", escape(v, style.quote)));
        }
        if self.children.is_empty() {
            s.push_str(style.close);
            return s;
        }
        s.push('>');
        let inner = format!("{indent}{}", style.unit);
        for c in &self.children {
            s.push_str(style.eol);
            s.push_str(&inner);
            s.push_str(&c.render(&inner, style));
        }
        s.push_str(style.eol);
        s.push_str(indent);
        s.push_str(&format!("</{}>", self.name));
        s
    }
}

/// Whether the file writes its root element on one line, with elements inside it (a minified
/// web.config): new elements then go on that line too.
fn one_line(doc: &Document) -> bool {
    let root = doc.element(doc.root());
    let span = &doc.text().as_bytes()[root.start as usize..root.end as usize];
    doc.len() > 1 && memchr::memchr2(b'\n', b'\r', span).is_none()
}

fn style(doc: &Document, at: usize) -> Style<'_> {
    // A root element written on one line, with elements inside it (a minified web.config):
    // new elements go on that line too. A lone root (`<configuration/>`) says nothing of a
    // style: new elements get lines and indentation of their own.
    if one_line(doc) {
        return Style {
            unit: String::new(),
            eol: "",
            close: doc.self_close_style(),
            quote: doc.quote_style(),
        };
    }
    Style {
        unit: doc.indent_unit(),
        eol: doc.eol_near(at),
        close: doc.self_close_style(),
        quote: doc.quote_style(),
    }
}

/// A splice that appends `children` as the last children of `parent`, indented like their
/// siblings (or one unit deeper than the parent).
pub fn append_children(doc: &Document, parent: ElementId, children: &[NewElement]) -> Splice {
    let el = *doc.element(parent);
    let cs = el.close_start as usize;
    let at = match doc.indent_before(cs) {
        Some(ind) if !el.self_closed() => cs - ind.len(),
        _ => el.start as usize,
    };
    let st = style(doc, at);
    let pi = doc.indent_of(parent).unwrap_or("").to_string();
    let ci = doc
        .children(parent)
        .filter_map(|c| doc.indent_of(c))
        .last()
        .map(str::to_string)
        .unwrap_or_else(|| format!("{pi}{}", st.unit));
    let name = doc.name(parent);
    if el.self_closed() {
        let at = doc.attr_insert_point(parent);
        let mut text = String::from(">");
        for c in children {
            text.push_str(st.eol);
            text.push_str(&ci);
            text.push_str(&c.render(&ci, &st));
        }
        text.push_str(st.eol);
        text.push_str(&pi);
        text.push_str(&format!("</{name}>"));
        return Splice::replace(at..el.head_end as usize, text);
    }
    match doc.indent_before(cs) {
        Some(ind) if cs - ind.len() > el.head_end as usize => {
            let mut text = String::new();
            for c in children {
                text.push_str(&ci);
                text.push_str(&c.render(&ci, &st));
                text.push_str(st.eol);
            }
            Splice::insert(cs - ind.len(), text)
        }
        _ => {
            // The end tag shares its line with what precedes it (`--></system.web>`,
            // `...></sessionState>`): it stays where it is, so that removing the new children
            // again (Document::removal_range) gives back the original bytes.
            let mut text = String::new();
            for c in children {
                text.push_str(st.eol);
                text.push_str(&ci);
                text.push_str(&c.render(&ci, &st));
            }
            Splice::insert(cs, text)
        }
    }
}

/// Splices for attribute changes of one element.
fn attr_splices(doc: &Document, el: ElementId, attrs: &[ModelAttr], out: &mut Vec<Splice>) {
    let (sep, quote) = doc.new_attr_style(el);
    let mut inserted = String::new();
    for a in attrs {
        match &a.orig {
            Some((o, _)) if a.removed => out.push(Splice::delete(o.ws_start..o.value.end + 1)),
            Some((o, old)) if *old != a.value => {
                out.push(Splice::replace(o.value.clone(), escape(&a.value, o.quote)))
            }
            Some(_) => {}
            None if a.removed => {}
            None => {
                let q = quote as char;
                inserted.push_str(&format!(
                    "{sep}{}={q}{}{q}",
                    a.name,
                    escape(&a.value, quote)
                ));
            }
        }
    }
    if !inserted.is_empty() {
        out.push(Splice::insert(doc.attr_insert_point(el), inserted));
    }
}

fn item_element(kind: ItemKind, attrs: &[ModelAttr]) -> NewElement {
    NewElement {
        name: kind.name().into(),
        attrs: attrs
            .iter()
            .filter(|a| !a.removed)
            .map(|a| (a.name.clone(), a.value.clone()))
            .collect(),
        children: vec![],
    }
}

/// Whether the content of `el` is blank once `except` (an element inside it) is gone.
fn blank_except(doc: &Document, el: ElementId, except: ElementId) -> bool {
    let e = doc.element(el);
    let x = doc.element(except);
    let text = doc.text();
    is_xml_space(&text[e.head_end as usize..x.start as usize])
        && is_xml_space(&text[x.end as usize..e.close_start as usize])
}

/// The outermost element that removing `el` leaves empty: `el` itself, or a `<system.web>` /
/// `<location path>` holding nothing else.
pub fn removal_root(doc: &Document, el: ElementId) -> ElementId {
    let mut r = el;
    while let Some(p) = doc.parent(r) {
        let removable = match doc.name(p) {
            "system.web" => doc.attrs(p).next().is_none(),
            "location" => doc.attrs(p).all(|a| doc.attr_name(&a) == "path"),
            _ => false,
        };
        if removable && doc.parent(p).is_some() && blank_except(doc, p, r) {
            r = p;
        } else {
            break;
        }
    }
    r
}

/// The splice that removes a section's emptied collection element. When nothing else is left in
/// the section and what remains is one line end and the section's own indentation, or nothing
/// in a file written on one line (the shapes of a self-closed section that an earlier `set`
/// opened to add the collection), the section closes itself again, so an add followed by a
/// remove gives back the original bytes.
fn collection_removal(doc: &Document, section: ElementId, coll: ElementId) -> Splice {
    let range = doc.removal_range(coll);
    let el = doc.element(section);
    let (head_end, cs) = (el.head_end as usize, el.close_start as usize);
    if !blank_except(doc, section, coll) {
        return Splice::delete(range);
    }
    let text = doc.text();
    let left = format!("{}{}", &text[head_end..range.start], &text[range.end..cs]);
    let indent = doc.indent_of(section).unwrap_or("");
    let reopened = [format!("\n{indent}"), format!("\r\n{indent}")];
    // On one line (`one_line`), an opened section leaves nothing at all between its tags.
    let opened = if doc.indent_of(section).is_some() {
        reopened.contains(&left)
    } else {
        left.is_empty() && one_line(doc)
    };
    if opened {
        return Splice::replace(head_end - 1..el.end as usize, doc.self_close_style());
    }
    Splice::delete(range)
}

/// The splices that make the file hold `model` at `site`.
pub fn section_splices(
    doc: &Document,
    section: &SectionDef,
    site: &Site,
    model: &Model,
) -> Vec<Splice> {
    let mut out = Vec::new();
    if !model.changed() {
        return out;
    }
    match site {
        Site::Missing { anchor, missing } => {
            if model.is_empty() {
                return out;
            }
            let mut el = NewElement {
                name: section.name.into(),
                attrs: model.live_attrs(),
                children: vec![],
            };
            let items: Vec<NewElement> = model
                .items
                .iter()
                .filter(|i| !i.removed)
                .map(|i| item_element(i.kind, &i.attrs))
                .collect();
            if let (false, Some(coll)) = (items.is_empty(), &section.collection) {
                el.children.push(NewElement {
                    name: coll.name.into(),
                    attrs: vec![],
                    children: items,
                });
            }
            for Scaffold { name, attrs } in missing.iter().rev() {
                el = NewElement {
                    name: name.clone(),
                    attrs: attrs.clone(),
                    children: vec![el],
                };
            }
            out.push(append_children(doc, *anchor, &[el]));
        }
        Site::Found(el) => {
            let el = *el;
            let section_blank = match model.collection_el {
                None => doc.is_blank(el),
                Some(c) => blank_except(doc, el, c) && doc.is_blank_items_only(c),
            };
            if model.is_empty() && section_blank && doc.parent(el).is_some() {
                let r = removal_root(doc, el);
                out.push(Splice::delete(doc.removal_range(r)));
                return out;
            }
            attr_splices(doc, el, &model.attrs, &mut out);
            let new_items: Vec<NewElement> = model
                .items
                .iter()
                .filter(|i| i.orig.is_none() && !i.removed)
                .map(|i| item_element(i.kind, &i.attrs))
                .collect();
            match model.collection_el {
                Some(c) => {
                    let all_gone = model.items.iter().all(|i| i.removed);
                    if all_gone && doc.is_blank_items_only(c) && new_items.is_empty() {
                        out.push(collection_removal(doc, el, c));
                    } else {
                        for item in &model.items {
                            let Some(orig) = item.orig else { continue };
                            if item.removed {
                                out.push(Splice::delete(doc.removal_range(orig)));
                            } else {
                                attr_splices(doc, orig, &item.attrs, &mut out);
                            }
                        }
                        if !new_items.is_empty() {
                            out.push(append_children(doc, c, &new_items));
                        }
                    }
                }
                None => {
                    if let (false, Some(coll)) = (new_items.is_empty(), &section.collection) {
                        let providers = NewElement {
                            name: coll.name.into(),
                            attrs: vec![],
                            children: new_items,
                        };
                        out.push(append_children(doc, el, &[providers]));
                    }
                }
            }
        }
    }
    out
}
