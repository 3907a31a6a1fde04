//! The `<connectionStrings>` lookups of a file's lint context: an entry in scope by name, at
//! the file's level or at the folder a `<location>` names, and the file's own entry (for
//! pointing at it).

use super::{FileContext, Site};
use crate::doc::{Attr, ElementId};

/// Where a file's own connection string is ([`FileContext::own_connection_string`]).
pub enum OwnEntry {
    /// Its `connectionString` attribute, in the file.
    Here(Attr),
    /// Its value, and the `configSource` of `<connectionStrings>` that names the file holding it.
    Elsewhere(String, String),
}

impl<'o> FileContext<'o> {
    /// A `<connectionStrings>` entry in scope, by name.
    pub fn connection_string(&self, name: &str) -> crate::schema::rules::Entry {
        // The file's own entries folded over what the files above give.
        self.connection_strings_above()
            .lookup_in(&self.sources[0], name)
    }

    /// The `<connectionStrings>` entries the files above this one give (every section's
    /// inheritance holds the same ones); none without a server.
    pub(super) fn connection_strings_above(
        &self,
    ) -> std::borrow::Cow<'_, crate::hierarchy::source::connection_strings::ConnectionStrings> {
        self.server
            .as_ref()
            .and_then(|s| s.inherited.first())
            .map(|(_, i)| std::borrow::Cow::Borrowed(&i.connection_strings))
            .unwrap_or_default()
    }

    /// A `<connectionStrings>` entry in scope for `site`, by name. A section in a `<location>`
    /// naming a folder below is read there: with a server, in the connection strings in scope
    /// at that folder; without one, in this file's own level and then the `<connectionStrings>`
    /// of its `<location>`s that cover the folder (shallower first), as they merge there. The
    /// folder's own web.config and those between merge after them and may add a name back, so
    /// without a server a name missing or taken out is only not seen.
    pub fn connection_string_at(&self, site: &Site, name: &str) -> crate::schema::rules::Entry {
        let path = site.scope.location_path();
        if path.is_file_level() {
            return self.connection_string(name);
        }
        let at_folder = self.server.as_ref().and_then(|s| {
            s.located_connection_strings_in_scope
                .iter()
                .find(|(p, _)| *p == path)
        });
        if let Some((_, cs)) = at_folder {
            return cs.lookup(name);
        }
        self.connection_strings_above()
            .lookup_located(&self.sources[0], &path, name)
    }

    /// The file's own `<connectionStrings>` entry called `name`: its `connectionString`
    /// attribute when the entry is in the file, else its value when the file's
    /// `<connectionStrings configSource>` names the file that holds it.
    pub fn own_connection_string(&self, name: &str) -> Option<OwnEntry> {
        if let Some(a) = self.connection_string_attr(name) {
            return Some(OwnEntry::Here(a));
        }
        let own = self.sources.first()?.connection_strings();
        match crate::hierarchy::source::connection_strings::ConnectionStrings::default()
            .lookup_with(own, name)
        {
            crate::schema::rules::Entry::Found(v) => {
                let doc = self.doc(0);
                let file = crate::hierarchy::discover::own_level_connection_strings(doc)
                    .into_iter()
                    .find_map(|(cs, _)| doc.attr_value(cs, "configSource"))
                    .unwrap_or_default()
                    .into_owned();
                Some(OwnEntry::Elsewhere(v, file))
            }
            _ => None,
        }
    }

    /// [`own_connection_string`](Self::own_connection_string) for a section at `path` of the
    /// file: the `<connectionStrings>` of the file's `<location>`s that cover `path` come after
    /// its own level (shallower first, then file order), as they merge at that folder.
    pub fn own_connection_string_at(
        &self,
        path: &crate::hierarchy::path::LocationPath,
        name: &str,
    ) -> Option<OwnEntry> {
        let mut found = self.own_connection_string(name);
        if path.is_file_level() {
            return found;
        }
        let src = self.sources.first()?;
        let doc = self.doc(0);
        // Each location's entries folded by the one fold of connection strings; what it says
        // of the name replaces what the levels before said.
        let fold = crate::hierarchy::source::connection_strings::ConnectionStrings::default();
        for l in src.connection_strings_covering(path) {
            match fold.lookup_with(&l.entries, name) {
                crate::schema::rules::Entry::Found(v) => {
                    found = match doc.attr_value(l.element, "configSource") {
                        Some(file) => Some(OwnEntry::Elsewhere(v, file.into_owned())),
                        None => last_add(doc, [l.element], name).map(OwnEntry::Here),
                    }
                }
                crate::schema::rules::Entry::Removed => found = None,
                _ => {}
            }
        }
        found
    }

    /// Where the file's own level takes the entry `name` out: its last `<remove name>` or
    /// `<clear/>`, else (its entries are in the file a `configSource` names) that attribute.
    pub fn taking_out(&self, name: &str) -> crate::lint::At {
        let doc = self.doc(0);
        let elements = crate::hierarchy::discover::own_level_connection_strings(doc);
        self.taking_out_among(elements.iter().map(|(cs, _)| *cs), name)
    }

    /// Where the `<connectionStrings>` `elements` of the file take the entry `name` out: the
    /// last `<remove name>` or `<clear/>`, else (their entries are in the file a
    /// `configSource` names) that attribute.
    pub fn taking_out_among(
        &self,
        elements: impl IntoIterator<Item = ElementId>,
        name: &str,
    ) -> crate::lint::At {
        let doc = self.doc(0);
        let elements: Vec<ElementId> = elements.into_iter().collect();
        let last = elements
            .iter()
            .flat_map(|cs| doc.children(*cs).collect::<Vec<_>>())
            .filter(|&c| match doc.name(c) {
                "clear" => true,
                "remove" => doc
                    .attr_value(c, "name")
                    .is_some_and(|n| crate::schema::same_key(&n, name)),
                _ => false,
            })
            .last();
        match (last, elements.last()) {
            (Some(el), _) => self.element_span(0, el),
            (None, Some(cs)) => match doc.attr(*cs, "configSource") {
                Some(a) => crate::lint::At::Span {
                    src: 0,
                    range: a.range(),
                },
                None => self.element_span(0, *cs),
            },
            (None, None) => self.element_span(0, doc.root()),
        }
    }

    /// The `<connectionStrings><add>` element called `name`, for pointing at it.
    pub fn connection_string_attr(&self, name: &str) -> Option<Attr> {
        let doc = self.doc(0);
        let elements = crate::hierarchy::discover::own_level_connection_strings(doc);
        last_add(doc, elements.into_iter().map(|(cs, _)| cs), name)
    }
}

/// The `connectionString` attribute of the last `<add>` called `name` (without regard to case)
/// in the `<connectionStrings>` `elements`.
fn last_add(
    doc: &crate::doc::Document,
    elements: impl IntoIterator<Item = ElementId>,
    name: &str,
) -> Option<Attr> {
    elements
        .into_iter()
        .flat_map(|cs| doc.children_named(cs, "add").collect::<Vec<_>>())
        .filter(|&a| {
            doc.attr_value(a, "name")
                .is_some_and(|n| crate::schema::same_key(&n, name))
        })
        .last()
        .and_then(|a| doc.attr(a, "connectionString"))
}

/// The runtime violations of the mode (those that break the application) of a section's merged
/// values with the connection strings `after` a `<remove>` or `<clear>` that it does not have
/// with those `before` it: what taking an entry out breaks.
pub(crate) fn broken_by_taking_out(
    section: &'static crate::schema::SectionDef,
    attrs: &[(&str, &str)],
    providers: &[String],
    before: &dyn Fn(&str) -> crate::schema::rules::Entry,
    after: &dyn Fn(&str) -> crate::schema::rules::Entry,
) -> Vec<crate::schema::rules::Violation> {
    use crate::schema::rules::{check, SectionValues};
    let judge = |lookup: &dyn Fn(&str) -> crate::schema::rules::Entry| {
        check(&SectionValues {
            section,
            attrs,
            providers,
            connection_string: lookup,
        })
    };
    let was = judge(before);
    judge(after)
        .into_iter()
        .filter(|v| v.of_mode && v.breaks_runtime)
        .filter(|v| !was.iter().any(|b| b.message == v.message))
        .collect()
}
