//! The effective section at a path: every layer (a file and the target's path relative to it)
//! in merge order, each contributing the instances that apply, configSource followed,
//! encryption noticed. Per attribute the last value wins and keeps its origin; collections fold
//! with add/remove/clear in order; locks are collected with the layer they come from. `list`,
//! `--show-origin`, `set`'s runtime rules and the lint rules all read this one value.

use std::path::PathBuf;

use super::discover::{self, Instance};
use super::error::OpError;
use super::source::{config_source_target, Source};
use crate::doc::{Document, ElementId};
use crate::schema::{is_general_attribute, SectionDef};

/// The kind of a collection child element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// `<add>`
    Add,
    /// `<remove>`
    Remove,
    /// `<clear>`
    Clear,
}

impl ItemKind {
    /// The kind of an element by name.
    pub fn of(name: &str) -> Option<ItemKind> {
        match name {
            "add" => Some(ItemKind::Add),
            "remove" => Some(ItemKind::Remove),
            "clear" => Some(ItemKind::Clear),
            _ => None,
        }
    }
}

/// The one collection fold: `clear` empties, `remove` drops by key, `add` appends. Items come
/// lowest priority first; the effective `add` items are returned in order.
pub fn fold_collection<T>(
    items: impl IntoIterator<Item = (ItemKind, Option<String>, T)>,
) -> Vec<T> {
    let mut out: Vec<(Option<String>, T)> = Vec::new();
    for (kind, key, item) in items {
        match kind {
            ItemKind::Clear => out.clear(),
            ItemKind::Remove => out.retain(|(k, _)| *k != key),
            ItemKind::Add => out.push((key, item)),
        }
    }
    out.into_iter().map(|(_, t)| t).collect()
}

/// A collection child as the fold sees it: kind, key, attributes.
pub type RawItem = (ItemKind, Option<String>, Vec<(String, String)>);

/// One attribute as the effective section has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewAttr {
    /// Attribute name.
    pub name: String,
    /// Logical value.
    pub value: String,
    /// The file it comes from.
    pub file: PathBuf,
    /// 1-based line of the attribute in that file.
    pub line: usize,
    /// Whether ASP.NET never reads it (it comes from applicationHost.config).
    pub ignored_by_aspnet: bool,
}

/// A lock that binds levels below the element carrying it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LockKind {
    /// `overrideMode="Deny"` or `allowOverride="false"`: the whole section.
    Section,
    /// `lockAttributes`: these attributes.
    Attributes(Vec<String>),
    /// `lockAllAttributesExcept`: every attribute but these.
    AllAttributesExcept(Vec<String>),
    /// `lockElements`: these child elements (`providers`).
    Elements(Vec<String>),
    /// `lockItem="true"` on a collection item: the item with this key.
    Item(String),
}

/// A lock, where it is and what it binds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lock {
    /// What it locks.
    pub kind: LockKind,
    /// The file holding it.
    pub file: PathBuf,
    /// 1-based line of the attribute that locks.
    pub line: usize,
    /// Index of the layer it comes from.
    pub layer: usize,
}

impl Lock {
    /// Whether the lock forbids setting or clearing attribute `name` below it.
    pub fn binds_attribute(&self, name: &str) -> bool {
        match &self.kind {
            LockKind::Section => true,
            LockKind::Attributes(a) => a.iter().any(|x| x == name || x == "*"),
            LockKind::AllAttributesExcept(a) => !a.iter().any(|x| x == name),
            LockKind::Elements(_) | LockKind::Item(_) => false,
        }
    }

    /// Whether the lock forbids changing the collection (or the item `key` of it) below it.
    pub fn binds_collection(&self, collection: &str, key: Option<&str>) -> bool {
        match &self.kind {
            LockKind::Section => true,
            LockKind::Elements(e) => e
                .iter()
                .any(|x| x.eq_ignore_ascii_case(collection) || x == "*"),
            LockKind::Item(k) => key == Some(k.as_str()),
            LockKind::Attributes(_) | LockKind::AllAttributesExcept(_) => false,
        }
    }

    /// A sentence naming what is locked.
    pub fn describe(&self, section: &SectionDef) -> String {
        match &self.kind {
            LockKind::Section => format!(
                "{} is locked (overrideMode=\"Deny\" or allowOverride=\"false\")",
                section.path
            ),
            LockKind::Attributes(a) => format!(
                "{} attributes {} are locked (lockAttributes)",
                section.path,
                a.join(", ")
            ),
            LockKind::AllAttributesExcept(a) => format!(
                "{} attributes other than {} are locked (lockAllAttributesExcept)",
                section.path,
                a.join(", ")
            ),
            LockKind::Elements(e) => format!(
                "{} elements {} are locked (lockElements)",
                section.path,
                e.join(", ")
            ),
            LockKind::Item(k) => format!(
                "the provider '{k}' of {} is locked (lockItem)",
                section.path
            ),
        }
    }
}

/// A section as the levels merge it.
#[derive(Clone, Debug, Default)]
pub struct SectionView {
    /// Explicitly set attributes (schema attributes and unknown ones alike), first-set order,
    /// each with the value and origin of the last layer that set it.
    pub attrs: Vec<ViewAttr>,
    /// The effective collection items, each a list of attributes.
    pub items: Vec<Vec<(String, String)>>,
    /// Every collection child met (kind, key, attributes), lowest priority first, so that a
    /// later layer's `remove` and `clear` can still apply ([`SectionView::extend`]).
    pub raw_items: Vec<RawItem>,
    /// `Some(provider)` when a contributing section is encrypted.
    pub encrypted: Option<String>,
    /// Whether any layer defines the section.
    pub present: bool,
    /// `Allow`, `Deny` or `Inherit`: the override mode of the innermost location that sets one.
    pub override_mode: String,
    /// Every lock met, with its layer.
    pub locks: Vec<Lock>,
}

impl SectionView {
    /// The explicit value of `name`.
    pub fn get(&self, name: &str) -> Option<&ViewAttr> {
        self.attrs.iter().find(|a| a.name == name)
    }

    /// The locks that come from layers before `layer` (they bind a write at `layer`).
    pub fn locks_above(&self, layer: usize) -> impl Iterator<Item = &Lock> {
        self.locks.iter().filter(move |l| l.layer < layer)
    }

    /// Merge a view of lower levels on top of this one: its attributes win, its collection
    /// children apply after these, its locks follow (their layers shifted past these).
    pub fn extend(&mut self, later: SectionView) {
        for a in later.attrs {
            match self.attrs.iter_mut().find(|x| x.name == a.name) {
                Some(x) => *x = a,
                None => self.attrs.push(a),
            }
        }
        self.raw_items.extend(later.raw_items);
        self.items = fold_collection(
            self.raw_items
                .iter()
                .map(|(k, key, a)| (*k, key.clone(), a.clone())),
        );
        self.encrypted = later.encrypted.or(self.encrypted.take());
        self.present |= later.present;
        if later.override_mode != "Inherit" && !later.override_mode.is_empty() {
            self.override_mode = later.override_mode;
        }
        let shift = self.locks.iter().map(|l| l.layer + 1).max().unwrap_or(0);
        self.locks.extend(later.locks.into_iter().map(|mut l| {
            l.layer += shift;
            l
        }));
    }
}

/// One file the effective section reads, and where the target is relative to it.
#[derive(Debug)]
pub struct Layer<'a> {
    /// The file.
    pub src: &'a Source,
    /// The target's path relative to the file's level (`Site/app` in machine.config, the root
    /// web.config and applicationHost.config; the rest below a web.config's level).
    pub target: std::borrow::Cow<'a, str>,
    /// ASP.NET never reads `system.web` from this file (applicationHost.config).
    pub ignored_by_aspnet: bool,
    /// Leave out the instances exactly at `target` (what a write there inherits).
    pub exclude_target: bool,
    /// The file's instances of the section, when already discovered (a server lint looks
    /// through one 30 MB applicationHost.config for thousands of files).
    pub known: Option<&'a discover::Index>,
}

fn list_attr(doc: &Document, el: ElementId, name: &str) -> Option<(Vec<String>, usize)> {
    let a = doc.attr(el, name)?;
    let items = doc
        .value(&a)
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    Some((items, doc.line_col(a.name.start).0))
}

/// The locks an instance carries (its location's override mode, its lock attributes, locked
/// items).
fn instance_locks(
    src: &Source,
    inst: &Instance,
    el: ElementId,
    ext: Option<&Source>,
    layer: usize,
    out: &mut Vec<Lock>,
) {
    let doc = &src.doc;
    if let Some(loc) = inst.location {
        if let Some((mode, a)) = discover::location_override(doc, loc) {
            if mode.eq_ignore_ascii_case("Deny") {
                out.push(Lock {
                    kind: LockKind::Section,
                    file: src.path.clone(),
                    line: doc.line_col(a.name.start).0,
                    layer,
                });
            }
        }
    }
    let (s, el) = match ext {
        Some(e) => (e, el),
        None => (src, el),
    };
    let d = &s.doc;
    let mut push = |kind: LockKind, line: usize| {
        out.push(Lock {
            kind,
            file: s.path.clone(),
            line,
            layer,
        })
    };
    if let Some((a, line)) = list_attr(d, el, "lockAttributes") {
        push(LockKind::Attributes(a), line);
    }
    if let Some((a, line)) = list_attr(d, el, "lockAllAttributesExcept") {
        push(LockKind::AllAttributesExcept(a), line);
    }
    if let Some((a, line)) = list_attr(d, el, "lockElements") {
        push(LockKind::Elements(a), line);
    }
    for coll in d.children(el) {
        for item in d.children(coll) {
            if let Some(a) = d.attr(item, "lockItem") {
                if d.value(&a).trim().eq_ignore_ascii_case("true") {
                    let key = d.attr_value(item, "name").unwrap_or_default().into_owned();
                    push(LockKind::Item(key), d.line_col(a.name.start).0);
                }
            }
        }
    }
}

/// Where a section element's `configSource` points, checked (relative, same folder or below,
/// alone on an empty element), and the error to give when that file is missing.
pub fn config_source_of(
    src: &Source,
    el: ElementId,
) -> Result<Option<(std::path::PathBuf, OpError)>, OpError> {
    let path = match config_source_target(src, el) {
        None => return Ok(None),
        Some(Ok(path)) => path,
        Some(Err((range, message))) => return Err(src.invalid_at(range.start, message)),
    };
    let at = src
        .doc
        .attr(el, "configSource")
        .map_or(0, |a| a.value.start);
    let missing = OpError::MissingReference {
        file: src.path.clone(),
        at: src.doc.line_col(at),
        message: format!(
            "configSource names {}, which does not exist",
            path.display()
        ),
    };
    Ok(Some((path, missing)))
}

/// A configSource file must have the section as its root element.
pub fn check_config_source_root(ext: &Source, section: &SectionDef) -> Result<(), OpError> {
    let root = ext.doc.root();
    if ext.doc.name(root) == section.name {
        return Ok(());
    }
    Err(ext.invalid_at(
        ext.doc.element(root).start as usize,
        format!(
            "a configSource file must have <{}> as its root element, not <{}>",
            section.name,
            ext.doc.name(root)
        ),
    ))
}

/// Follow a section element's configSource for reading: the external file, or `None`.
pub fn follow_for_read(
    src: &Source,
    section: &SectionDef,
    el: ElementId,
) -> Result<Option<Source>, OpError> {
    let Some((path, missing)) = config_source_of(src, el)? else {
        return Ok(None);
    };
    let ext = match Source::load(&path) {
        Ok(e) => e,
        Err(OpError::NotFound(_)) => return Err(missing),
        Err(e) => return Err(e),
    };
    check_config_source_root(&ext, section)?;
    Ok(Some(ext))
}

/// Whether a `<system.web>` group sets explicit machine keys: a `<machineKey>` with both
/// `validationKey` and `decryptionKey` given (not AutoGenerate), or an encrypted one.
pub fn explicit_machine_key(doc: &Document, group: ElementId) -> bool {
    doc.children_named(group, "machineKey").any(|mk| {
        let explicit = |n: &str| {
            doc.attr_value(mk, n)
                .is_some_and(|v| !v.trim().is_empty() && !v.starts_with("AutoGenerate"))
        };
        encrypted_provider(doc, mk).is_some()
            || (explicit("validationKey") && explicit("decryptionKey"))
    })
}

/// The protection provider of an encrypted section (`configProtectionProvider` or an
/// `<EncryptedData>` child), if it is encrypted.
pub fn encrypted_provider(doc: &Document, el: ElementId) -> Option<String> {
    let provider = doc.attr_value(el, "configProtectionProvider");
    let has_data = doc.children_named(el, "EncryptedData").next().is_some();
    match provider {
        Some(p) => Some(p.into_owned()),
        None if has_data => Some(String::new()),
        None => None,
    }
}

/// Merge the layers into the effective section. Two definitions at one scope of one file are
/// the duplicate-section error (ASP.NET refuses the file).
pub fn effective(section: &SectionDef, layers: &[Layer<'_>]) -> Result<SectionView, OpError> {
    fold(section, layers, true)
}

/// The locks the layers hold, with the errors [`effective`] would give, without merging their
/// values (what a lint of a server needs from applicationHost.config for each file).
pub fn locks(section: &SectionDef, layers: &[Layer<'_>]) -> Result<Vec<Lock>, OpError> {
    fold(section, layers, false).map(|v| v.locks)
}

/// [`effective`], merging attributes and collection items only with `values`.
fn fold(section: &SectionDef, layers: &[Layer<'_>], values: bool) -> Result<SectionView, OpError> {
    let key = section.collection.as_ref().map_or("name", |c| c.key);
    let mut view = SectionView {
        override_mode: "Inherit".into(),
        ..SectionView::default()
    };
    let mut items: Vec<RawItem> = Vec::new();
    for (li, layer) in layers.iter().enumerate() {
        let src = layer.src;
        let mut found = match layer.known {
            Some(index) => index.applying(&layer.target),
            None => discover::applying(&src.doc, section, &layer.target),
        };
        check_duplicates(src, section, &found)?;
        if layer.exclude_target {
            let t = super::path::normalize_location(&layer.target);
            found.retain(|i| i.path != t);
        }
        for inst in found {
            view.present = true;
            if let Some(loc) = inst.location {
                if let Some((mode, _)) = discover::location_override(&src.doc, loc) {
                    view.override_mode = mode;
                }
            }
            if let Some(p) = encrypted_provider(&src.doc, inst.el) {
                view.encrypted = Some(p);
                continue;
            }
            let ext = follow_for_read(src, section, inst.el)?;
            let (s, el) = match &ext {
                Some(e) => (e, e.doc.root()),
                None => (src, inst.el),
            };
            if let Some(p) = encrypted_provider(&s.doc, el) {
                view.encrypted = Some(p);
                continue;
            }
            instance_locks(src, &inst, el, ext.as_ref(), li, &mut view.locks);
            if !values {
                continue;
            }
            merge_attrs(&mut view, s, el, layer.ignored_by_aspnet);
            if let Some(coll) = &section.collection {
                for c in s.doc.children_named(el, coll.name) {
                    for item in s.doc.children(c) {
                        let Some(kind) = ItemKind::of(s.doc.name(item)) else {
                            continue;
                        };
                        let attrs: Vec<(String, String)> = s
                            .doc
                            .attrs(item)
                            .map(|a| {
                                (
                                    s.doc.attr_name(&a).to_string(),
                                    s.doc.value(&a).into_owned(),
                                )
                            })
                            .filter(|(n, _)| n != "lockItem")
                            .collect();
                        let k = attrs.iter().find(|(n, _)| n == key).map(|(_, v)| v.clone());
                        items.push((kind, k, attrs));
                    }
                }
            }
        }
    }
    view.items = fold_collection(items.iter().map(|(k, key, a)| (*k, key.clone(), a.clone())));
    view.raw_items = items;
    Ok(view)
}

/// Two instances outside `<location>` (or in locations with the same path) of one file.
fn check_duplicates(src: &Source, section: &SectionDef, found: &[Instance]) -> Result<(), OpError> {
    for (i, a) in found.iter().enumerate() {
        let same: Vec<&Instance> = found[i..].iter().filter(|b| b.path == a.path).collect();
        if same.len() > 1 {
            let lines: Vec<String> = same.iter().map(|x| src.line_of(x.el).to_string()).collect();
            return Err(src.invalid_at(
                src.doc.element(same[1].el).start as usize,
                format!(
                    "<{}> appears {} times in the same scope (lines {}); ASP.NET allows it once",
                    section.name,
                    same.len(),
                    lines.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// Add the attributes of one section element to the view; a later element wins.
fn merge_attrs(view: &mut SectionView, s: &Source, el: ElementId, ignored: bool) {
    let doc = &s.doc;
    // Names already in the view, hashed: a hostile element with thousands of attributes
    // stays linear.
    let mut index: std::collections::HashMap<String, usize> = view
        .attrs
        .iter()
        .enumerate()
        .map(|(i, a)| (a.name.clone(), i))
        .collect();
    for a in doc.attrs(el) {
        let name = doc.attr_name(&a).to_string();
        if is_general_attribute(&name) {
            continue;
        }
        let va = ViewAttr {
            value: doc.value(&a).into_owned(),
            file: s.path.clone(),
            line: doc.line_col(a.name.start).0,
            name,
            ignored_by_aspnet: ignored,
        };
        match index.get(&va.name) {
            Some(&i) => view.attrs[i] = va,
            None => {
                index.insert(va.name.clone(), view.attrs.len());
                view.attrs.push(va);
            }
        }
    }
}
