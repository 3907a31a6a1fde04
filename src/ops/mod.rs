//! Operations: turn an intent (set these attributes, clear that section, list this one) into
//! reads and splices on configuration files. This is the one place where the document layer and
//! the schema meet. Nothing here prints; results and errors are values for `output` and `cli`.

pub mod backup;
pub mod error;
mod guard;
pub mod import;
pub mod locate;
pub mod lock;
pub mod model;
pub mod render;
pub mod server;

use crate::hierarchy::error::Error;
use std::path::{Path, PathBuf};

pub use model::Change;

use crate::hierarchy::chain::{inherited_in_file, Inherited};
use crate::hierarchy::effective::SectionView;
use crate::hierarchy::path::Scope;
use crate::hierarchy::source;
use crate::hierarchy::source::encrypted_provider;
pub use error::OpError;
pub use guard::RuleInputs;
use guard::{check_locks, runtime_violations};

use crate::doc::{atomic_write_prepared, ElementId, Splice};
use crate::schema::SectionDef;
use locate::Site;
use model::Model;
use source::Source;

/// What to operate on: one file, and the scope inside it.
#[derive(Clone, Debug)]
pub struct Target {
    /// The configuration file.
    pub file: PathBuf,
    /// Its own level, or a `<location path>` inside it.
    pub scope: Scope,
}

/// Options every writing operation takes.
#[derive(Clone, Copy, Default)]
pub struct WriteOptions<'a> {
    /// Compute and report, but write nothing.
    pub dry_run: bool,
    /// Skip the runtime rules (never the schema checks).
    pub force: bool,
    /// What judges a planned change before it is written (a dry run's too): what it would do
    /// to the levels below it, which the `cli` layer asks of the server's lint.
    pub judge: Option<Judge<'a>>,
}

/// A judge of a planned change: given the file and its edit, the warnings to add, or the
/// error that stops the change (nothing is written).
pub type Judge<'a> =
    &'a dyn Fn(&std::path::Path, &crate::doc::Edit) -> Result<Vec<String>, OpError>;

impl std::fmt::Debug for WriteOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteOptions")
            .field("dry_run", &self.dry_run)
            .field("force", &self.force)
            .field("judge", &self.judge.is_some())
            .finish()
    }
}

/// One file a write changed (or would change).
#[derive(Debug)]
pub struct FileChange {
    /// The file.
    pub path: PathBuf,
    /// The text before and the splices that change it.
    pub edit: crate::doc::Edit,
    /// Whether the file did not exist before.
    pub created: bool,
}

impl FileChange {
    /// The text before (empty for a created file).
    pub fn before(&self) -> &str {
        if self.created {
            ""
        } else {
            self.edit.before()
        }
    }

    /// The text after.
    pub fn after(&self) -> String {
        self.edit.after()
    }
}

/// The result of a writing operation.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Files that changed (empty when nothing did).
    pub files: Vec<FileChange>,
    /// The file the change is committed to (a configSource file, when the section lives in
    /// one), whether or not anything changed.
    pub commit_file: Option<PathBuf>,
    /// The config path the change is for (the PATH's; the file's in `--file` mode).
    pub config_path: Option<String>,
    /// The config path of the level written to (the file's in `--file` mode).
    pub commit_path: Option<String>,
    /// Things the user should know that are not errors.
    pub warnings: Vec<String>,
    /// Why there was nothing to do, said instead of the success line (`unlock config` where
    /// nothing is locked).
    pub nothing_to_do: Option<String>,
}

impl Outcome {
    /// Whether anything changed.
    pub fn changed(&self) -> bool {
        !self.files.is_empty()
    }
}

/// The skeleton of a web.config that does not exist yet (SPEC §4).
pub const NEW_FILE: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration>\r\n    <system.web>\r\n    </system.web>\r\n</configuration>\r\n";

/// Where the section to edit lives, after following configSource.
struct Resolved {
    src: Source,
    site: Site,
    created: bool,
    /// Locks held until the write is done (the named file, and the configSource file).
    _locks: Vec<crate::doc::Locked>,
    /// Connection strings are looked up in the file that names the section.
    conn_src: Option<Source>,
}

/// Follow `configSource` on a section element, returning the external file (read under its
/// lock) if there is one.
fn follow_config_source(
    src: &Source,
    section: &SectionDef,
    el: ElementId,
) -> Result<Option<(Source, crate::doc::Locked)>, OpError> {
    crate::hierarchy::source::config_source::follow_config_source(
        src,
        el,
        section.name,
        // (A configSource file is small: nothing to begin ahead.)
        |p| match Source::load_locked(p, false) {
            Err(Error::NotFound(_)) => Ok(None),
            other => other,
        },
        |(ext, _)| ext,
    )
    .transpose()
    .map_err(|e| e.into_op_error(src).into())
}

/// A file already read under its lock (applicationHost.config, read once for the topology and
/// the write alike).
pub type Preloaded = (Source, crate::doc::Locked);

fn resolve_for_write(
    target: &Target,
    section: &SectionDef,
    preloaded: Option<Preloaded>,
    prepare: bool,
) -> Result<Resolved, OpError> {
    let mut locks = Vec::new();
    let loaded = match preloaded {
        Some(pair) => Ok(Some(pair)),
        None => Source::load_locked(&target.file, prepare),
    };
    let (src, created) = match loaded {
        Ok(Some((s, lock))) => {
            locks.push(lock);
            (s, false)
        }
        Ok(None) => {
            let parent = target.file.parent().filter(|p| !p.as_os_str().is_empty());
            if let Some(p) = parent {
                if !p.is_dir() {
                    return Err(OpError::Hierarchy(Error::NotFound(p.to_path_buf())));
                }
            }
            (
                Source::parse(&target.file, NEW_FILE.as_bytes().to_vec())?,
                true,
            )
        }
        Err(e) => return Err(e.into()),
    };
    // A file ASP.NET refuses for a wrong <location path> is not written to, as one with a
    // duplicate section is not (applicationHost.config is IIS's, which ASP.NET never reads).
    if !is_apphost(&target.file) {
        src.check_locations()?;
    }
    let site = locate::locate(&src, section, &target.scope)?;
    let Site::Found(el) = site else {
        return Ok(Resolved {
            src,
            site,
            created,
            conn_src: None,
            _locks: locks,
        });
    };
    if let Some(provider) = encrypted_provider(&src.doc, el) {
        return Err(OpError::Hierarchy(Error::Encrypted {
            file: src.path.clone(),
            provider,
        }));
    }
    match follow_config_source(&src, section, el)? {
        None => Ok(Resolved {
            src,
            site,
            created,
            conn_src: None,
            _locks: locks,
        }),
        Some((ext, lock)) => {
            let root = ext.doc.root();
            if let Some(provider) = encrypted_provider(&ext.doc, root) {
                return Err(OpError::Hierarchy(Error::Encrypted {
                    file: ext.path.clone(),
                    provider,
                }));
            }
            locks.push(lock);
            Ok(Resolved {
                src: ext,
                site: Site::Found(root),
                created: false,
                conn_src: Some(src),
                _locks: locks,
            })
        }
    }
}

fn is_apphost(path: &Path) -> bool {
    crate::hierarchy::source::is_apphost_file(path)
}

/// A warning for each attribute the change sets that a file merging after the written
/// `<location>` at its folder sets again: ASP.NET reads that value, not the one written.
fn set_after_warnings(
    path: &Path,
    changes: &[Change],
    after: &[crate::hierarchy::effective::ViewAttr],
) -> Vec<String> {
    let mut out = Vec::new();
    for c in changes {
        let Change::SetAttr { name, .. } = c else {
            continue;
        };
        if let Some(a) = after.iter().find(|a| a.name == *name) {
            out.push(format!(
                "{}: {name} is set again at that folder by {}:{} ({name}=\"{}\"), which ASP.NET reads instead of this location's",
                path.display(),
                a.file.display(),
                a.line,
                a.value
            ));
        }
    }
    out
}

fn apphost_warning(path: &Path, dry_run: bool) -> String {
    format!(
        "{}: ASP.NET never reads system.web from applicationHost.config; the change {} but has no effect (use /commit:WEBROOT or the site's web.config)",
        path.display(),
        if dry_run { "would be written" } else { "is written" }
    )
}

/// Apply `splices` to the resolved file and write it unless this is a dry run.
fn finish(
    r: Resolved,
    splices: Vec<Splice>,
    opts: &WriteOptions,
    mut outcome: Outcome,
) -> Result<Outcome, OpError> {
    outcome.commit_file = Some(r.src.path.clone());
    if r.created && !splices.is_empty() {
        outcome.warnings.push(format!(
            "{}: the file does not exist and {} created",
            r.src.path.display(),
            if opts.dry_run { "would be" } else { "is" }
        ));
    }
    let judged = opts.judge.map(|judge| (judge, &mut outcome.warnings));
    outcome.files.extend(write_judged(
        r.src,
        splices,
        opts.dry_run,
        r.created,
        judged,
    )?);
    Ok(outcome)
}

/// Apply `splices` to a loaded file, check the result is well-formed, and write it atomically
/// unless `dry_run`. `None` when nothing changes. The caller holds the file's lock. Only what the
/// splices touch is scanned again, and the new text is never built for the write: unchanged
/// runs go from the old text (or the file itself) straight to the new file.
pub fn write_spliced(
    src: Source,
    splices: Vec<Splice>,
    dry_run: bool,
    created: bool,
) -> Result<Option<FileChange>, OpError> {
    write_judged(src, splices, dry_run, created, None)
}

/// [`write_spliced`], with the planned edit judged (when there is a judge) before anything is
/// written: its warnings are added to the list given, its error stops the write.
fn write_judged(
    src: Source,
    splices: Vec<Splice>,
    dry_run: bool,
    created: bool,
    judged: Option<(Judge<'_>, &mut Vec<String>)>,
) -> Result<Option<FileChange>, OpError> {
    if splices.is_empty() {
        return Ok(None);
    }
    let Source { path, doc, .. } = src;
    // A character the file's encoding cannot hold is refused: nothing is written.
    let enc = doc.encoding();
    if let Some(c) = splices.iter().find_map(|s| enc.unencodable(&s.text)) {
        return Err(OpError::Hierarchy(Error::Usage(
            crate::hierarchy::error::Usage::Unencodable(path, enc.label(), c),
        )));
    }
    let mut edit = doc.into_edit(splices).map_err(|error| {
        OpError::Hierarchy(Error::Malformed {
            file: path.clone(),
            error,
        })
    })?;
    if let Some((judge, warnings)) = judged.filter(|_| !edit.changes_nothing()) {
        match judge(&path, &edit) {
            Ok(w) => warnings.extend(w),
            Err(e) => {
                edit.drop_prepared();
                return Err(e);
            }
        }
    }
    if edit.changes_nothing() || dry_run {
        // A new file begun while the file was parsed goes now, not when the edit does.
        edit.drop_prepared();
        if !dry_run {
            return Ok(None);
        }
    } else {
        let prepared = edit.take_prepared();
        atomic_write_prepared(
            &path,
            prepared,
            |f, ready| edit.write_to(f, ready),
            edit.while_flushing(),
        )
        .map_err(|e| OpError::io(&path, e))?;
    }
    Ok(Some(FileChange {
        path,
        edit,
        created,
    }))
}

/// The splices that apply `changes` to the section at `site` of `src`: the model, the runtime
/// rules, and the rendering. A broken rule refuses the change, or with `force` is pushed onto
/// `warnings` (a forced write never breaks a rule in silence). Pure: reads and writes no file.
pub fn plan(
    src: &Source,
    site: &Site,
    section: &'static SectionDef,
    changes: &[Change],
    rules: &RuleInputs<'_>,
    warnings: &mut Vec<String>,
) -> Result<Vec<Splice>, OpError> {
    let RuleInputs {
        inherited, force, ..
    } = *rules;
    let coll_key = section.collection.as_ref().map_or("name", |c| c.key);
    // The spelling of `key` in the collection the levels above and this one's items give.
    let live_key = |model: &Model, key: &str| {
        let (_, live) = model.merged_over(inherited, section);
        live.into_iter().find(|p| crate::schema::same_key(p, key))
    };
    let found = match site {
        Site::Found(el) => Some(*el),
        Site::Missing { .. } => None,
    };
    let mut model = Model::load(&src.doc, section, found);
    let before = model.clone();
    for c in changes {
        match c {
            Change::Import { attrs, providers } => {
                // Set what the input sets, clear what the level sets and the input does not.
                let mut expanded: Vec<Change> = attrs
                    .iter()
                    .map(|(name, value)| Change::SetAttr {
                        name: name.clone(),
                        value: value.clone(),
                    })
                    .collect();
                for a in model.attrs.iter().filter(|a| !a.removed) {
                    if !crate::schema::is_general_attribute(&a.name)
                        && !attrs.iter().any(|(n, _)| *n == a.name)
                    {
                        expanded.push(Change::ClearAttr {
                            name: a.name.clone(),
                        });
                    }
                }
                for e in &expanded {
                    apply_change(section, &mut model, e)?;
                }
                if let Some(wanted) = providers {
                    model.replace_items(wanted, &inherited.effective_items());
                }
            }
            Change::ReplaceItems { providers } => {
                model.replace_items(providers, &inherited.effective_items());
            }
            Change::AddItem { attrs } => {
                // A name the levels above give (not taken out here) is there already: ASP.NET
                // refuses a second entry that differs from it, appcmd refuses any (183).
                let key = attrs
                    .iter()
                    .find(|(n, _)| n == coll_key)
                    .map(|(_, v)| v.as_str())
                    .unwrap_or_default();
                if live_key(&model, key).is_some() {
                    return Err(OpError::Duplicate(key.to_string()));
                }
                apply_change(section, &mut model, c)?
            }
            // A provider only the levels above give is taken out here with <remove>, as appcmd
            // takes it out.
            Change::RemoveItem { key } if !model.has_key(key) => match live_key(&model, key) {
                Some(name) => model.remove_inherited(&name),
                None => return Err(OpError::NoSuchElement(key.clone())),
            },
            Change::SetItemAttr { key, name, value } if !model.has_key(key) => {
                // A provider only the levels above give is changed here as IIS Manager and
                // appcmd change one: <remove> it, then <add> it again with the new value.
                if live_key(&model, key).is_none() {
                    return Err(OpError::NoSuchElement(key.clone()));
                }
                let entry = inherited.effective_items().into_iter().find(|attrs| {
                    attrs
                        .iter()
                        .any(|(n, v)| n == coll_key && crate::schema::same_key(v, key))
                });
                let Some(mut attrs) = entry else {
                    return Err(OpError::NoSuchElement(key.clone()));
                };
                let inherited_name = attrs
                    .iter()
                    .find(|(n, _)| n == coll_key)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                attrs.retain(|(n, _)| !crate::schema::is_general_attribute(n));
                match attrs.iter_mut().find(|(n, _)| n == name) {
                    // Inherited as asked: nothing to write.
                    Some(a) if a.1 == *value => continue,
                    Some(a) => a.1 = value.clone(),
                    None => attrs.push((name.clone(), value.clone())),
                }
                model.remove_inherited(&inherited_name);
                apply_change(section, &mut model, &Change::AddItem { attrs })?;
            }
            c => apply_change(section, &mut model, c)?,
        }
    }
    if !model.changed() {
        return Ok(vec![]);
    }
    let violations = runtime_violations(rules, section, &model);
    // What ASP.NET already refuses in the element (an element, an attribute or text it does
    // not take): the section stays refused whatever this change writes.
    let refused = found.map_or_else(Vec::new, |el| structure_refusals(src, el, section));
    if !violations.is_empty() || !refused.is_empty() {
        if !force {
            // Broken before this change, and not by it: say so, rather than blame the change.
            let already = runtime_violations(rules, section, &before);
            let preexisting = violations
                .iter()
                .all(|v| already.iter().any(|a| a.message == v.message));
            let mut violations = violations;
            let mut at = None;
            if let (true, Site::Found(el)) = (preexisting, site) {
                // Where each broken value is.
                for v in &mut violations {
                    if let Some(a) = v.attribute.as_deref().and_then(|n| src.doc.attr(*el, n)) {
                        let (line, column) = src.doc.line_col(a.name.start);
                        at.get_or_insert((line, column));
                        v.message = format!("{} (line {line})", v.message);
                    }
                }
            }
            if preexisting {
                at = at.or(refused.first().map(|(_, place)| *place));
            }
            violations.extend(refused.into_iter().map(|(v, _)| v));
            return Err(OpError::Rules {
                file: src.path.clone(),
                violations,
                preexisting,
                at,
            });
        }
        for v in violations
            .into_iter()
            .chain(refused.into_iter().map(|(v, _)| v))
        {
            warnings.push(format!(
                "{}: --force overrides a runtime rule; ASP.NET will refuse this section: {}",
                src.path.display(),
                v.message
            ));
        }
    }
    Ok(render::section_splices(&src.doc, section, site, &model))
}

/// What .NET refuses inside the section's element `el` of `src`
/// ([`section_faults`](crate::hierarchy::structure::section_faults)), each as a broken rule
/// naming its line, with its line and column.
fn structure_refusals(
    src: &Source,
    el: crate::doc::ElementId,
    section: &'static SectionDef,
) -> Vec<(crate::schema::rules::Violation, (usize, usize))> {
    use crate::hierarchy::source::{is_apphost_file, reader_of};
    let who = reader_of(is_apphost_file(&src.path));
    crate::hierarchy::structure::section_faults(&src.doc, el, section)
        .into_iter()
        .map(|f| {
            let (line, column) = src.doc.line_col(f.at.start);
            let v = crate::schema::rules::Violation {
                rule: crate::schema::rules::Rule::UnknownAttribute,
                attribute: None,
                message: format!("{} (line {line})", f.message(who)),
                fix: None,
                breaks_runtime: true,
                of_mode: false,
                read_from: None,
            };
            (v, (line, column))
        })
        .collect()
}

/// Apply one change to the model: a value that already means the same stays as written
/// (SPEC §2); clearing an attribute that neither the schema nor the section has is a typo, not
/// a silent success.
fn apply_change(
    section: &'static SectionDef,
    model: &mut Model,
    c: &Change,
) -> Result<(), OpError> {
    match c {
        Change::SetAttr { name, value } => {
            if let (Some(def), Some(have)) = (section.attribute(name), model.get(name)) {
                if crate::schema::value::same_meaning(def, have, value) {
                    return Ok(());
                }
            }
        }
        Change::ClearAttr { name }
            if section.attribute(name).is_none() && model.get(name).is_none() =>
        {
            return Err(OpError::Hierarchy(Error::Usage(
                crate::hierarchy::error::Usage::UnknownAttribute(
                    name.clone(),
                    section.path,
                    section.suggest(name),
                ),
            )));
        }
        _ => {}
    }
    model.apply(c)
}

/// `plan` for a document in memory: locate the section in `scope` and plan the changes. An
/// encrypted section or one moved out with configSource is refused (they need other files).
pub fn plan_set(
    src: &Source,
    section: &'static SectionDef,
    scope: &Scope,
    changes: &[Change],
    force: bool,
) -> Result<Vec<Splice>, OpError> {
    let site = locate::locate(src, section, scope)?;
    if let Site::Found(el) = site {
        if let Some(provider) = encrypted_provider(&src.doc, el) {
            return Err(OpError::Hierarchy(Error::Encrypted {
                file: src.path.clone(),
                provider,
            }));
        }
        if src.doc.attr(el, "configSource").is_some() {
            return Err(src
                .invalid_at(
                    src.doc.element(el).start as usize,
                    crate::hierarchy::error::Problem::InConfigSourceFile,
                )
                .into());
        }
    }
    let inherited = inherited_in_file(src, section, scope)?;
    let rules = RuleInputs {
        conn_src: src,
        inherited: &inherited,
        scope,
        force,
    };
    plan(src, &site, section, changes, &rules, &mut Vec::new())
}

/// Apply `changes` to `section` in `target`.
pub fn set(
    target: &Target,
    section: &'static SectionDef,
    changes: &[Change],
    opts: &WriteOptions,
) -> Result<Outcome, OpError> {
    set_inheriting(target, section, changes, opts, &Inherited::default(), None)
}

/// `set` below levels that contribute `outer` (their effective section, connection strings and
/// locks): locks are checked first, then the runtime rules on the merged result.
pub fn set_inheriting(
    target: &Target,
    section: &'static SectionDef,
    changes: &[Change],
    opts: &WriteOptions,
    outer: &Inherited,
    preloaded: Option<Preloaded>,
) -> Result<Outcome, OpError> {
    check_locks(section, changes, &outer.locks)?;
    let r = resolve_for_write(target, section, preloaded, !opts.dry_run)?;

    let conn_src = r.conn_src.as_ref().unwrap_or(&r.src);
    let mut inherited = outer.clone();
    // The section's own file (the one naming a configSource) decides what it inherits.
    let naming = match &r.conn_src {
        Some(_) => None,
        None => Some(&r.src),
    };
    if let Some(src) = naming.filter(|_| !outer.complete) {
        let in_file = inherited_in_file(src, section, &target.scope)?;
        inherited.view.extend(in_file.view);
    }
    let mut outcome = Outcome::default();
    let rules = RuleInputs {
        conn_src,
        inherited: &inherited,
        scope: &target.scope,
        force: opts.force,
    };
    let splices = plan(
        &r.src,
        &r.site,
        section,
        changes,
        &rules,
        &mut outcome.warnings,
    )?;
    if !splices.is_empty() {
        outcome
            .warnings
            .extend(set_after_warnings(&target.file, changes, &inherited.after));
    }
    if !splices.is_empty() && is_apphost(&target.file) {
        outcome
            .warnings
            .push(apphost_warning(&target.file, opts.dry_run));
    }
    finish(r, splices, opts, outcome)
}

/// Remove `section` from `target` entirely (or empty it, when it lives in a configSource file).
pub fn clear_section(
    target: &Target,
    section: &'static SectionDef,
    opts: &WriteOptions,
) -> Result<Outcome, OpError> {
    let (src, lock) = Source::load_locked(&target.file, !opts.dry_run)?
        .ok_or_else(|| OpError::Hierarchy(Error::NotFound(target.file.clone())))?;
    let site = locate::locate(&src, section, &target.scope)?;
    let Site::Found(el) = site else {
        return Ok(Outcome::default());
    };
    if let Some(provider) = encrypted_provider(&src.doc, el) {
        return Err(OpError::Hierarchy(Error::Encrypted {
            file: src.path.clone(),
            provider,
        }));
    }
    let r = match follow_config_source(&src, section, el)? {
        Some((ext, ext_lock)) => Resolved {
            site: Site::Found(ext.doc.root()),
            src: ext,
            created: false,
            conn_src: None,
            _locks: vec![lock, ext_lock],
        },
        None => Resolved {
            src,
            site,
            created: false,
            conn_src: None,
            _locks: vec![lock],
        },
    };
    let Site::Found(el) = r.site else {
        unreachable!()
    };
    let splices = if r.src.doc.parent(el).is_some() {
        let root = render::removal_root(&r.src.doc, el);
        vec![Splice::delete(r.src.doc.removal_range(root))]
    } else {
        // The root of a configSource file: empty it, keep the file.
        let mut model = Model::load(&r.src.doc, section, Some(el));
        for a in &mut model.attrs {
            a.removed = true;
        }
        for i in &mut model.items {
            i.removed = true;
        }
        render::section_splices(&r.src.doc, section, &r.site, &model)
    };
    finish(r, splices, opts, Outcome::default())
}

/// Read `section` from `target`: the file's own level, then the locations that cover the
/// target path, shallowest first (SPEC §4), configSource followed.
pub fn read(target: &Target, section: &'static SectionDef) -> Result<SectionView, OpError> {
    let src = Source::load(&target.file)?;
    read_source(&src, section, &target.scope)
}

/// Read `section` from a loaded file for `scope` (configSource files are read from disk).
pub fn read_source(
    src: &Source,
    section: &'static SectionDef,
    scope: &Scope,
) -> Result<SectionView, OpError> {
    src.check_root(Some(section))?;
    Ok(crate::hierarchy::effective::effective(
        section,
        &[file_layer(src, scope)],
    )?)
}

/// [`read`], with what the reader refuses in the definitions it merges
/// ([`refused`](crate::hierarchy::effective::refused)): what `list` shows and warns of.
pub fn read_for_list(
    target: &Target,
    section: &'static SectionDef,
) -> Result<(SectionView, Vec<crate::hierarchy::effective::Refused>), OpError> {
    read_source_for_list(&Source::load(&target.file)?, section, &target.scope)
}

/// [`read_for_list`] of a file already loaded: the view of `section` at `scope` and what
/// ASP.NET refuses in its definitions.
pub fn read_source_for_list(
    src: &Source,
    section: &'static SectionDef,
    scope: &Scope,
) -> Result<(SectionView, Vec<crate::hierarchy::effective::Refused>), OpError> {
    let view = read_source(src, section, scope)?;
    let refused = crate::hierarchy::effective::refused(section, &[file_layer(src, scope)])?;
    Ok((view, refused))
}

/// The one layer of a file read alone, for `scope`.
fn file_layer<'a>(src: &'a Source, scope: &Scope) -> crate::hierarchy::effective::Layer<'a> {
    let target = match scope {
        Scope::File => String::new(),
        Scope::Location(p) => p.clone(),
    };
    crate::hierarchy::effective::Layer {
        src,
        target: target.into(),
        ignored_by_aspnet: false,
        exclude_target: false,
        known: None,
        depths: Default::default(),
    }
}
