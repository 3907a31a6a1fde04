//! A logical model of one section element: its attributes and collection items, each remembering
//! where it came from in the file. Changes are applied to the model; `render` turns the
//! differences from the file into splices.

use super::OpError;
use crate::doc::{Attr, Document, ElementId};
use crate::hierarchy::chain::Inherited;
use crate::hierarchy::error::Error;
use crate::schema::SectionDef;

/// An attribute in the model.
#[derive(Clone, Debug)]
pub struct ModelAttr {
    /// Name as written.
    pub name: String,
    /// Current logical value.
    pub value: String,
    /// Where it is in the file, if it was read from there.
    pub orig: Option<(Attr, String)>,
    /// Marked for removal.
    pub removed: bool,
}

impl ModelAttr {
    fn changed(&self) -> bool {
        match &self.orig {
            Some((_, v)) => self.removed || *v != self.value,
            None => !self.removed,
        }
    }
}

use crate::hierarchy::effective::ItemKind;
use crate::schema::same_key;

/// A collection child in the model.
#[derive(Clone, Debug)]
pub struct Item {
    /// add, remove or clear.
    pub kind: ItemKind,
    /// Its attributes.
    pub attrs: Vec<ModelAttr>,
    /// The element in the file, if it was read from there.
    pub orig: Option<ElementId>,
    /// Marked for removal.
    pub removed: bool,
}

impl Item {
    /// The value of the key attribute (`name`).
    pub fn key(&self, key: &str) -> Option<&str> {
        live_get(&self.attrs, key)
    }
}

fn live_get<'a>(attrs: &'a [ModelAttr], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .rev()
        .find(|a| a.name == name && !a.removed)
        .map(|a| a.value.as_str())
}

fn set_in(attrs: &mut Vec<ModelAttr>, name: &str, value: &str) {
    if let Some(a) = attrs.iter_mut().rev().find(|a| a.name == name) {
        a.value = value.to_string();
        a.removed = false;
    } else {
        attrs.push(ModelAttr {
            name: name.to_string(),
            value: value.to_string(),
            orig: None,
            removed: false,
        });
    }
}

fn clear_in(attrs: &mut Vec<ModelAttr>, name: &str) {
    attrs.retain_mut(|a| {
        if a.name != name {
            return true;
        }
        a.removed = true;
        a.orig.is_some()
    });
}

fn read_attrs(doc: &Document, el: ElementId) -> Vec<ModelAttr> {
    doc.attrs(el)
        .map(|a| {
            let value = doc.value(&a).into_owned();
            ModelAttr {
                name: doc.attr_name(&a).to_string(),
                value: value.clone(),
                orig: Some((a, value)),
                removed: false,
            }
        })
        .collect()
}

/// The effective `add` items of a run of collection items (possibly gathered from several
/// section elements, lowest priority first), by the hierarchy's one collection fold; removed
/// items are skipped.
pub fn effective<'a>(items: &'a [Item], key: &str) -> Vec<&'a Item> {
    crate::hierarchy::effective::fold_collection(
        items
            .iter()
            .filter(|i| !i.removed)
            .map(|i| (i.kind, i.key(key).map(str::to_string), i)),
    )
}

/// One change requested of a section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Set an attribute to a canonical value.
    SetAttr {
        /// Attribute name.
        name: String,
        /// Canonical value.
        value: String,
    },
    /// Remove an attribute.
    ClearAttr {
        /// Attribute name.
        name: String,
    },
    /// Add a collection item with these attributes (the key first).
    AddItem {
        /// Attributes in order.
        attrs: Vec<(String, String)>,
    },
    /// Remove the collection item with this key.
    RemoveItem {
        /// The key value.
        key: String,
    },
    /// Make the section at the commit level hold exactly these explicitly set values, and (when
    /// given) make its effective collection exactly these entries (`set config /in`).
    Import {
        /// Attributes, canonical.
        attrs: Vec<(String, String)>,
        /// The wanted effective collection, each entry's attributes in order.
        providers: Option<Vec<Vec<(String, String)>>>,
    },
    /// Make the effective collection exactly these entries, attributes untouched (DSC `set`).
    ReplaceItems {
        /// The wanted effective collection.
        providers: Vec<Vec<(String, String)>>,
    },
    /// Set an attribute of the item with this key.
    SetItemAttr {
        /// The key value.
        key: String,
        /// Attribute name.
        name: String,
        /// Value.
        value: String,
    },
}

/// The model of a section element.
#[derive(Clone, Debug)]
pub struct Model {
    /// Attributes of the section element.
    pub attrs: Vec<ModelAttr>,
    /// Collection items, in order.
    pub items: Vec<Item>,
    /// The collection element in the file, if any.
    pub collection_el: Option<ElementId>,
    key: &'static str,
}

impl Model {
    /// The effective values once this model is laid over what is inherited: attributes (the
    /// model's live ones win; one it clears falls back to the inherited value) and the
    /// effective provider names (inherited collection children, then the model's). `set`'s
    /// runtime rules and lint's both judge this one merge.
    pub fn merged_over<'s>(
        &'s self,
        inherited: &'s Inherited,
        section: &SectionDef,
    ) -> (Vec<(&'s str, &'s str)>, Vec<String>) {
        let model = self;
        let own: Vec<(&str, &str)> = model
            .attrs
            .iter()
            .filter(|a| !a.removed)
            .map(|a| (a.name.as_str(), a.value.as_str()))
            .collect();
        // A handful of attributes: looked up one by one (a hostile tag's thousands get a set).
        let set: Option<std::collections::HashSet<&str>> =
            (own.len() > 16).then(|| own.iter().map(|(n, _)| *n).collect());
        let is_own = |a: &str| match &set {
            Some(set) => set.contains(a),
            None => own.iter().any(|(n, _)| *n == a),
        };
        let mut attrs: Vec<(&str, &str)> = inherited
            .view
            .attrs
            .iter()
            .filter(|a| !is_own(&a.name))
            .map(|a| (a.name.as_str(), a.value.as_str()))
            .collect();
        attrs.extend(own.iter().copied());
        let key = section.collection.as_ref().map_or("name", |c| c.key);
        let providers = crate::hierarchy::effective::fold_collection(
            inherited
                .view
                .raw_items
                .iter()
                .map(|(k, name, _)| (*k, name.clone(), name.clone()))
                .chain(model.items.iter().filter(|i| !i.removed).map(|i| {
                    let k = i.key(key).map(str::to_string);
                    (i.kind, k.clone(), k)
                })),
        )
        .into_iter()
        .flatten()
        .collect();
        (attrs, providers)
    }

    /// The model of `el` (or an empty model for a section that is not there).
    pub fn load(doc: &Document, section: &SectionDef, el: Option<ElementId>) -> Model {
        let key = section.collection.as_ref().map_or("name", |c| c.key);
        let mut model = Model {
            attrs: vec![],
            items: vec![],
            collection_el: None,
            key,
        };
        let Some(el) = el else { return model };
        model.attrs = read_attrs(doc, el);
        if let Some(coll) = &section.collection {
            model.collection_el = doc.children_named(el, coll.name).next();
            if let Some(c) = model.collection_el {
                for child in doc.children(c) {
                    let Some(kind) = ItemKind::of(doc.name(child)) else {
                        continue;
                    };
                    model.items.push(Item {
                        kind,
                        attrs: read_attrs(doc, child),
                        orig: Some(child),
                        removed: false,
                    });
                }
            }
        }
        model
    }

    /// Live attributes as (name, value), in order.
    pub fn live_attrs(&self) -> Vec<(String, String)> {
        self.attrs
            .iter()
            .filter(|a| !a.removed)
            .map(|a| (a.name.clone(), a.value.clone()))
            .collect()
    }

    /// The live value of an attribute.
    pub fn get(&self, name: &str) -> Option<&str> {
        live_get(&self.attrs, name)
    }

    /// The effective `add` items after `remove` and `clear`, in order.
    pub fn effective_items(&self) -> Vec<&Item> {
        effective(&self.items, self.key)
    }

    /// Names of the effective items.
    pub fn effective_keys(&self) -> Vec<String> {
        self.effective_items()
            .iter()
            .filter_map(|i| i.key(self.key).map(str::to_string))
            .collect()
    }

    /// Whether this level's items give an entry keyed `key` ([`same_key`]).
    pub fn has_key(&self, key: &str) -> bool {
        self.effective_keys().iter().any(|k| same_key(k, key))
    }

    /// Whether nothing is left: no attributes and no items.
    pub fn is_empty(&self) -> bool {
        self.attrs.iter().all(|a| a.removed) && self.items.iter().all(|i| i.removed)
    }

    /// Whether anything differs from the file.
    pub fn changed(&self) -> bool {
        self.attrs.iter().any(ModelAttr::changed)
            || self.items.iter().any(|i| match i.orig {
                Some(_) => i.removed || i.attrs.iter().any(ModelAttr::changed),
                None => !i.removed,
            })
    }

    fn find_add(&mut self, key: &str) -> Option<usize> {
        let k = self.key;
        if !self.has_key(key) {
            return None;
        }
        self.items.iter().rposition(|i| {
            !i.removed && i.kind == ItemKind::Add && i.key(k).is_some_and(|x| same_key(x, key))
        })
    }

    /// Make the effective collection (what the levels above give, `inherited`, then this
    /// level's items) exactly `wanted`. When it already is, nothing changes; otherwise this
    /// level's items are replaced: a `<remove>` for each inherited entry not wanted as it is,
    /// an `<add>` for each wanted entry not inherited as it is.
    pub fn replace_items(
        &mut self,
        wanted: &[Vec<(String, String)>],
        inherited: &[Vec<(String, String)>],
    ) {
        let sorted = |a: &[(String, String)]| {
            let mut v = a.to_vec();
            v.sort();
            v
        };
        let key = self.key;
        let name_of =
            |a: &[(String, String)]| a.iter().find(|(n, _)| n == key).map(|(_, v)| v.clone());
        // What the levels above and this level's items give now, by the one fold.
        let own = self.items.iter().filter(|i| !i.removed).map(|item| {
            let attrs: Vec<(String, String)> = item
                .attrs
                .iter()
                .filter(|a| !a.removed)
                .map(|a| (a.name.clone(), a.value.clone()))
                .collect();
            (item.kind, name_of(&attrs), attrs)
        });
        let current: Vec<Vec<(String, String)>> = crate::hierarchy::effective::fold_collection(
            inherited
                .iter()
                .map(|a| (ItemKind::Add, name_of(a), a.clone()))
                .chain(own),
        );
        let same = current.len() == wanted.len()
            && current
                .iter()
                .zip(wanted)
                .all(|(a, b)| sorted(a) == sorted(b));
        if same {
            return;
        }
        for item in &mut self.items {
            item.removed = true;
        }
        self.items.retain(|i| i.orig.is_some());
        let new = |kind, attrs: Vec<(String, String)>| Item {
            kind,
            attrs: attrs
                .into_iter()
                .map(|(name, value)| ModelAttr {
                    name,
                    value,
                    orig: None,
                    removed: false,
                })
                .collect(),
            orig: None,
            removed: false,
        };
        let mut kept = Vec::new();
        for inh in inherited {
            if wanted.iter().any(|w| sorted(w) == sorted(inh)) {
                kept.push(name_of(inh));
            } else if let Some(k) = name_of(inh) {
                self.items
                    .push(new(ItemKind::Remove, vec![(key.to_string(), k)]));
            }
        }
        for w in wanted {
            if !kept.contains(&name_of(w)) {
                self.items.push(new(ItemKind::Add, w.clone()));
            }
        }
    }

    /// Take out `name`, an entry the levels above give: a `<remove>` at the end of this level's
    /// items.
    pub fn remove_inherited(&mut self, name: &str) {
        self.items.push(Item {
            kind: ItemKind::Remove,
            attrs: vec![ModelAttr {
                name: self.key.to_string(),
                value: name.to_string(),
                orig: None,
                removed: false,
            }],
            orig: None,
            removed: false,
        });
    }

    /// Apply one change.
    pub fn apply(&mut self, change: &Change) -> Result<(), OpError> {
        match change {
            Change::Import { .. } | Change::ReplaceItems { .. } => {
                return Err(OpError::Hierarchy(Error::Usage(
                    crate::hierarchy::error::Usage::ImportAlone,
                )))
            }
            Change::SetAttr { name, value } => set_in(&mut self.attrs, name, value),
            Change::ClearAttr { name } => clear_in(&mut self.attrs, name),
            Change::AddItem { attrs } => {
                let key = attrs
                    .iter()
                    .find(|(n, _)| n == self.key)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                if self.has_key(&key) {
                    return Err(OpError::Duplicate(key));
                }
                self.items.push(Item {
                    kind: ItemKind::Add,
                    attrs: attrs
                        .iter()
                        .map(|(n, v)| ModelAttr {
                            name: n.clone(),
                            value: v.clone(),
                            orig: None,
                            removed: false,
                        })
                        .collect(),
                    orig: None,
                    removed: false,
                });
            }
            Change::RemoveItem { key } => {
                let i = self
                    .find_add(key)
                    .ok_or_else(|| OpError::NoSuchElement(key.clone()))?;
                if self.items[i].orig.is_some() {
                    self.items[i].removed = true;
                } else {
                    self.items.remove(i);
                }
            }
            Change::SetItemAttr { key, name, value } => {
                let i = self
                    .find_add(key)
                    .ok_or_else(|| OpError::NoSuchElement(key.clone()))?;
                set_in(&mut self.items[i].attrs, name, value);
            }
        }
        Ok(())
    }
}
