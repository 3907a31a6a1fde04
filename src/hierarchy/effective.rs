//! The effective section at a path: every layer (a file and the target's path relative to it)
//! in merge order, each contributing the instances that apply, configSource followed,
//! encryption noticed. Per attribute the last value wins and keeps its origin; collections fold
//! with add/remove/clear in order; locks are collected with the layer they come from. `list`,
//! `--show-origin`, `set`'s runtime rules and the lint rules all read this one value.

use std::path::PathBuf;

use super::discover::{self, Instance};
use super::error::Error;
pub use super::lock::{Lock, LockKind};
use super::path::LocationPath;
use super::source::config_source::follow_config_source;
use super::source::encrypted_provider;
use super::source::Source;
use crate::doc::{Document, ElementId};
use crate::schema::{is_general_attribute, SectionDef};

pub use crate::schema::collection::{fold_collection, fold_collection_noting, ItemKind};

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

/// A definition that a lock above forbids: ASP.NET refuses the file that holds it ("This
/// configuration section cannot be used at this path").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overridden {
    /// The lock.
    pub lock: Lock,
    /// The file of the refused definition.
    pub file: PathBuf,
    /// 1-based line of the refused element (or of the locked attribute).
    pub line: usize,
    /// The locked attribute it sets, for an attribute lock.
    pub attribute: Option<String>,
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
    /// Definitions below a lock that forbids them, in merge order.
    pub overridden: Vec<Overridden>,
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
    /// Where the file's level and its location paths sit in the hierarchy: what orders the
    /// merge (by level, SPEC §4) and decides `inheritInChildApplications`.
    pub depths: Depths,
}

/// The depths (in config-path segments: `MACHINE` is 1, a site root 4) that place a layer's
/// instances on levels. A single file read with no server around it has all zero: its own
/// level is 0 and a location `a/b` applies at level 2.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Depths {
    /// The depth of the file's own level.
    pub own: usize,
    /// The depth a location path's segments are counted from: 3 in machine.config, the root
    /// web.config and applicationHost.config (their location paths name the site first), the
    /// file's own depth in a web.config.
    pub base: usize,
    /// The depth of the root of the application the target runs in, when it is in one: a
    /// location with `inheritInChildApplications="false"` at a level above it does not apply.
    pub app: Option<usize>,
}

impl Depths {
    /// The depths of a file at a server level of `own` segments (1 machine.config, 2 the root
    /// web.config, 3 applicationHost.config, 4 a site root, ...), for a target in the
    /// application whose root has `app` segments.
    pub fn of_level(own: usize, app: Option<usize>) -> Depths {
        Depths {
            own,
            base: if own <= 3 { 3 } else { own },
            app,
        }
    }

    /// Whether the file is above the root of the target's application: what it holds in a
    /// `<location inheritInChildApplications="false">` does not reach the target.
    pub fn above_app(&self) -> bool {
        self.is_above_app(self.own)
    }

    /// Whether `level` is above the root of the target's application: a location of
    /// `inheritInChildApplications="false"` applying there does not reach the target.
    pub fn is_above_app(&self, level: usize) -> bool {
        self.app.is_some_and(|app| level < app)
    }

    /// The level a location path of the file applies at (the file's own level for none).
    pub fn level_of(&self, path: &LocationPath) -> usize {
        if path.is_file_level() {
            self.own
        } else {
            self.base + path.depth()
        }
    }
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
    (layer, depth, ignored_by_aspnet): (usize, usize, bool),
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
                    depth,
                    ignored_by_aspnet,
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
            depth,
            ignored_by_aspnet,
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

/// Follow a section element's configSource for reading: the external file, or `None`.
pub fn follow_for_read(
    src: &Source,
    section: &SectionDef,
    el: ElementId,
) -> Result<Option<Source>, Error> {
    let load = |p: &std::path::Path| match src.load_referenced(p) {
        Ok(s) => Ok(Some(s)),
        Err(Error::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    };
    follow_config_source(src, el, section.name, load, |s| s)
        .transpose()
        .map_err(|e| e.into_op_error(src))
}

/// Merge the layers into the effective section. Two definitions at one scope of one file are
/// the duplicate-section error (ASP.NET refuses the file).
pub fn effective(section: &SectionDef, layers: &[Layer<'_>]) -> Result<SectionView, Error> {
    fold(section, layers, true, None)
}

/// The locks the layers hold, with the errors [`effective`] would give, without merging their
/// values (what a lint of a server needs from applicationHost.config for each file).
pub fn locks(section: &SectionDef, layers: &[Layer<'_>]) -> Result<Vec<Lock>, Error> {
    fold(section, layers, false, None).map(|v| v.locks)
}

/// What merges before a definition at level `level` (a depth, see [`Depths`]) in the file of
/// layer `layer`: every input of a shallower level, and those of that level from files above,
/// whatever file they are in (a `<location path="app1/sub">` of the site's file follows app1's
/// own web.config). What a lint of that definition, or a write of it, judges it with.
pub fn effective_before(
    section: &SectionDef,
    layers: &[Layer<'_>],
    (level, layer): (usize, usize),
) -> Result<SectionView, Error> {
    fold(section, layers, true, Some((level, layer)))
}

/// One definition that applies to the target, placed on its level.
struct Input<'a> {
    level: usize,
    layer: usize,
    inst: Instance,
    src: &'a Source,
}

/// The definitions that apply to the layers' target, in merge order: level by level from the
/// machine down (.NET's configuration records), and at one level the locations of files above
/// first, then the level's own file (SPEC §4); document order within a file. A location with
/// `inheritInChildApplications="false"` above the target's application is left out, as .NET
/// leaves it out of child applications.
fn inputs<'a>(section: &SectionDef, layers: &[Layer<'a>]) -> Result<Vec<Input<'a>>, Error> {
    let mut all = Vec::new();
    for (li, layer) in layers.iter().enumerate() {
        let src = layer.src;
        let mut found = match layer.known {
            Some(index) => index.applying(&layer.target),
            None => discover::applying(&src.doc, section, &layer.target),
        };
        src.check_duplicates()?;
        src.check_section_names()?;
        if !layer.ignored_by_aspnet && !super::source::is_apphost_file(&src.path) {
            // Levels 1 and 2 are machine.config and the root web.config.
            if matches!(layer.depths.own, 1 | 2) {
                src.check_locations_above_sites()?;
            } else {
                src.check_locations()?;
            }
        }
        if layer.exclude_target {
            let t = super::path::LocationPath::new(&layer.target);
            found.retain(|i| i.path != t);
        }
        let mut mine: Vec<Input<'a>> = found
            .into_iter()
            .map(|inst| Input {
                level: layer.depths.level_of(&inst.path),
                layer: li,
                inst,
                src,
            })
            .filter(|i| {
                !(layer.depths.is_above_app(i.level)
                    && discover::skips_child_apps(&src.doc, i.inst.location))
            })
            .collect();
        // Document order within a file (`applying` lists them shallowest first).
        mine.sort_by_key(|i| src.doc.element(i.inst.el).start);
        all.extend(mine);
    }
    all.sort_by_key(|i| (i.level, i.layer));
    Ok(all)
}

/// [`effective`], merging attributes and collection items only with `values`, and only the
/// inputs before `stop` (level, layer) when given.
fn fold(
    section: &SectionDef,
    layers: &[Layer<'_>],
    values: bool,
    stop: Option<(usize, usize)>,
) -> Result<SectionView, Error> {
    let key = section.collection.as_ref().map_or("name", |c| c.key);
    let mut view = SectionView {
        override_mode: "Inherit".into(),
        ..SectionView::default()
    };
    let mut items: Vec<RawItem> = Vec::new();
    for input in inputs(section, layers)? {
        if stop.is_some_and(|s| (input.level, input.layer) >= s) {
            break;
        }
        let (src, inst, li) = (input.src, input.inst, input.layer);
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
        note_overridden(&mut view, s, el, li, input.level);
        instance_locks(
            src,
            &inst,
            el,
            ext.as_ref(),
            (li, input.level, layers[li].ignored_by_aspnet),
            &mut view.locks,
        );
        if !values {
            continue;
        }
        merge_attrs(&mut view, s, el, layers[li].ignored_by_aspnet);
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
    view.items = fold_collection(items.iter().map(|(k, key, a)| (*k, key.clone(), a.clone())));
    view.raw_items = items;
    Ok(view)
}

/// Note what a definition (element `el` of `s`, from layer `layer` at level `level`) sets below
/// the section and attribute locks met so far: a lock binds definitions at its level or
/// below that come from files below the lock's own.
fn note_overridden(view: &mut SectionView, s: &Source, el: ElementId, layer: usize, level: usize) {
    let doc = &s.doc;
    let mut found = Vec::new();
    for lock in view
        .locks
        .iter()
        .filter(|l| l.layer < layer && l.depth <= level && !l.ignored_by_aspnet)
    {
        match &lock.kind {
            LockKind::Section => found.push(Overridden {
                lock: lock.clone(),
                file: s.path.clone(),
                line: s.line_of(el),
                attribute: None,
            }),
            LockKind::Attributes(_) | LockKind::AllAttributesExcept(_) => {
                for a in doc.attrs(el) {
                    let name = doc.attr_name(&a);
                    if !is_general_attribute(name) && lock.binds_attribute(name) {
                        found.push(Overridden {
                            lock: lock.clone(),
                            file: s.path.clone(),
                            line: doc.line_col(a.name.start).0,
                            attribute: Some(name.to_string()),
                        });
                    }
                }
            }
            LockKind::Elements(_) | LockKind::Item(_) => {}
        }
    }
    view.overridden.extend(found);
}

/// What the reader of each definition that applies to the layers' target refuses in it, and
/// with it the section, in merge order (what `list` warns of; the merge itself does not look):
/// a value it cannot read (each file's values are read, whichever wins; not in
/// applicationHost.config, which it never reads), and an element,
/// attribute or text the section does not take
/// ([`section_faults`](super::structure::section_faults)).
pub fn refused(section: &SectionDef, layers: &[Layer<'_>]) -> Result<Vec<Refused>, Error> {
    let mut out = Vec::new();
    for input in inputs(section, layers)? {
        let (src, el) = (input.src, input.inst.el);
        if encrypted_provider(&src.doc, el).is_some() {
            continue;
        }
        let ext = follow_for_read(src, section, el)?;
        let (s, el) = match &ext {
            Some(e) => (e, e.doc.root()),
            None => (src, el),
        };
        if encrypted_provider(&s.doc, el).is_none() {
            let ignored = layers[input.layer].ignored_by_aspnet;
            note_refused(&mut out, section, s, el, ignored);
        }
    }
    Ok(out)
}

/// One thing [`refused`] finds: the file, the 1-based line, why.
pub type Refused = (PathBuf, usize, String);

/// [`refused`] of one definition, element `el` of `s`.
fn note_refused(
    out: &mut Vec<Refused>,
    section: &SectionDef,
    s: &Source,
    el: ElementId,
    ignored: bool,
) {
    let doc = &s.doc;
    let apphost = ignored || super::source::is_apphost_file(&s.path);
    let who = || super::source::reader_of(apphost);
    // Values are ASP.NET's to judge, which never reads applicationHost.config.
    for a in doc.attrs(el).filter(|_| !apphost) {
        let Some(def) = section.attribute(doc.attr_name(&a)) else {
            continue;
        };
        if let crate::schema::value::Stored::Invalid {
            message,
            breaks_runtime: true,
            ..
        } = crate::schema::value::check_stored(def, &doc.value(&a))
        {
            let line = doc.line_col(a.name.start).0;
            let why = format!("{message}; {} refuses the section", who());
            out.push((s.path.clone(), line, why));
        }
    }
    for f in super::structure::section_faults(doc, el, section) {
        let line = doc.line_col(f.at.start).0;
        out.push((s.path.clone(), line, f.message(who())));
    }
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
