//! What a file's `<location>`s naming a folder below its level are judged with under
//! `--root`: the files that merge at that folder (SPEC §4), what each located section inherits
//! there and the section in effect there, and the `<connectionStrings>` in scope there.

use std::path::Path;
use std::sync::Arc;

use super::{key, Shared};
use crate::hierarchy::chain::{
    connection_strings_before, connection_strings_in_scope, inherited_before,
};
use crate::hierarchy::effective::{Depths, Layer};
use crate::hierarchy::path::ConfigPath;
use crate::hierarchy::server::LevelKind;
use crate::hierarchy::source::connection_strings::ConnectionString;
use crate::hierarchy::source::Source;
use crate::lint::context::connection_strings::broken_by_taking_out;
use crate::lint::context::{FileContext, ServerScope};
use crate::ops::model::Model;
use crate::schema::rules::Violation;

/// A section of a `<location>` (by section name and element) with what is merged for it.
type LocatedMerge = (
    &'static str,
    crate::doc::ElementId,
    crate::hierarchy::chain::Inherited,
);

/// For each section in a `<location>` of a web.config (or of machine.config or the root
/// web.config) naming a folder below its level, from the files that merge at that folder
/// (SPEC §4): what it inherits when files between the file's level and that folder take part,
/// everything that merges before it there (locations with no file between keep the cheaper
/// merge of the files above and the file itself); and the section in effect at the folder,
/// the folder's own web.config after the location included, which the session store of the
/// application reads.
pub(super) fn located_merges(
    shared: &Shared<'_>,
    ctx: &FileContext<'_>,
    scope: &ServerScope,
    file: &Path,
) -> (Vec<LocatedMerge>, Vec<LocatedMerge>) {
    let (mut before, mut in_effect) = (Vec::new(), Vec::new());
    let Some(own) = ctx.sources.first() else {
        return (before, in_effect);
    };
    if scope.level == Some(LevelKind::AppHost) {
        return (before, in_effect);
    }
    let own_depth = scope.config_path.as_ref().map_or(0, ConfigPath::depth);
    for site in &ctx.sites {
        let crate::hierarchy::path::Scope::Location(loc) = &site.scope else {
            continue;
        };
        let Some(target) = scope.target_of(Some(loc)) else {
            continue;
        };
        if target.depth() <= own_depth {
            continue;
        }
        let Some((files, mine, _)) = files_at(shared, own, scope, file, loc) else {
            continue;
        };
        let layers = layers_of(&files, site.def);
        let el = site.declared.map_or(site.el, |(_, e)| e);
        // Only when a file below this one's level and above the target takes part.
        if files
            .iter()
            .any(|(_, _, d)| d.own > own_depth && d.own < target.depth())
        {
            if let Ok(mut inherited) = inherited_before(site.def, &layers, (target.depth(), mine)) {
                inherited.locks = scope
                    .inherited(site.def)
                    .map(|i| i.locks.clone())
                    .unwrap_or_default();
                before.push((site.def.name, el, inherited));
            }
        }
        if let Ok(view) = crate::hierarchy::effective::effective(site.def, &layers) {
            let full = crate::hierarchy::chain::Inherited {
                view,
                ..Default::default()
            };
            in_effect.push((site.def.name, el, full));
        }
    }
    (before, in_effect)
}

/// The files whose `<connectionStrings>` merge at the folder a `<location path>` of `file`
/// names (applicationHost.config left out: ASP.NET never reads it), machine.config down, each
/// with the path below it and its depths, which of them is `file`, and whether that folder is
/// an application's root.
type FilesAt = (Vec<(Arc<Source>, String, Depths)>, usize, bool);

fn files_at(
    shared: &Shared<'_>,
    own: &Arc<Source>,
    scope: &ServerScope,
    file: &Path,
    path: &str,
) -> Option<FilesAt> {
    let target = scope.target_of(Some(path))?;
    let resolved = shared
        .server
        .resolve_known(Some(&target.to_string()), shared.topo, shared.apphost_path)
        .ok()?;
    let app = resolved.app_root.as_ref().map(ConfigPath::depth);
    let mut files = Vec::new();
    let mut mine = None;
    for (i, level) in resolved.levels.iter().enumerate() {
        if level.kind == LevelKind::AppHost {
            continue;
        }
        let src = if key(&level.file) == key(file) {
            mine = Some(files.len());
            Some(own.clone())
        } else {
            shared.source(None, &level.file)
        };
        if let Some(src) = src {
            files.push((src, resolved.location_from(i), Depths::of_level(i + 1, app)));
        }
    }
    let is_app = resolved
        .app_root
        .as_ref()
        .is_some_and(|root| root.depth() == target.depth());
    Some((files, mine?, is_app))
}

/// `files` as the section fold takes them, each file's instances of `def` from its index.
fn layers_of<'a>(
    files: &'a [(Arc<Source>, String, Depths)],
    def: &crate::schema::SectionDef,
) -> Vec<Layer<'a>> {
    files
        .iter()
        .map(|(src, below, depths)| Layer {
            src,
            target: below.as_str().into(),
            ignored_by_aspnet: false,
            exclude_target: false,
            known: Some(src.section(def)),
            depths: *depths,
        })
        .collect()
}

/// `files` as the connection-string fold takes them.
fn scoped(files: &[(Arc<Source>, String, Depths)]) -> Vec<(&Source, &str, Depths)> {
    files
        .iter()
        .map(|(src, target, depths)| (&**src, target.as_str(), *depths))
        .collect()
}

/// What the file's `<location>`s naming a folder below are judged with, from the files that
/// merge at that folder (SPEC §4): for each `<connectionStrings>` of one, what is in scope
/// there just before it (SS017); for each location path holding a section, the connection
/// strings in scope at that folder, where ASP.NET looks a `sqlConnectionString` or
/// `stateConnectionString` name up (SS003, SS006).
pub(super) fn located_connection_strings(
    shared: &Shared<'_>,
    ctx: &FileContext<'_>,
    scope: &mut ServerScope,
    file: &Path,
) {
    let Some(own) = ctx.sources.first() else {
        return;
    };
    if scope.level == Some(LevelKind::AppHost) {
        return;
    }
    // A `<location>` .NET refuses (SS014) makes it refuse the whole file: nothing is judged
    // through it.
    let doc = &own.doc;
    let refused = |el: crate::doc::ElementId| {
        std::iter::successors(doc.parent(el), |&p| doc.parent(p))
            .find(|&p| doc.name(p) == "location")
            .is_some_and(|loc| own.location_faults().iter().any(|f| f.location == loc))
    };
    for located in own.connection_strings_located() {
        if refused(located.element) {
            continue;
        }
        let Some((files, mine, is_app)) = files_at(shared, own, scope, file, located.path.as_str())
        else {
            continue;
        };
        let above = connection_strings_before(scoped(&files), (mine, located.element));
        let takes_out = located
            .entries
            .iter()
            .any(|e| !matches!(e, ConnectionString::Add(..)));
        if let Some(level) = scope
            .target_of(Some(located.path.as_str()))
            .filter(|_| takes_out && is_app)
            .map(|t| t.depth())
        {
            let found = names_taken_out_at_app(&files, level, own, located, &above);
            scope.located_names_taken_out.extend(found);
        }
        scope
            .located_connection_strings
            .push((located.element, above));
    }
    for site in &ctx.sites {
        let path = site.scope.location_path();
        let in_own = match site.declared {
            Some((0, el)) => Some(el),
            Some(_) => None,
            None => (site.src == 0).then_some(site.el),
        };
        if path.is_file_level()
            || in_own.is_none_or(refused)
            || scope
                .located_connection_strings_in_scope
                .iter()
                .any(|(p, _)| *p == path)
        {
            continue;
        }
        let Some((files, ..)) = files_at(shared, own, scope, file, path.as_str()) else {
            continue;
        };
        let in_scope = connection_strings_in_scope(scoped(&files));
        scope
            .located_connection_strings_in_scope
            .push((path, in_scope));
    }
}

/// The runtime violations of the session state in effect at an application that a
/// `<connectionStrings>` in a `<location>` naming that application (`files` merge there)
/// causes by taking an entry out: a name the section reads that is in scope just before the
/// location (`above`) and not in scope at the application, where ASP.NET looks it up and,
/// finding nothing, hands the name itself to ADO.NET (`HandlerBase.CheckAndReadConnectionString`,
/// reference source). Each with the element and the name. Not of what the application's own
/// level (its web.config, or a location naming it) sets, nor when it sets another mode: that
/// section is judged with what is in scope there, where it is written. (A location naming
/// a folder inside an application is passed over: the store looks its names up once, with the
/// configuration of the application's first request.)
fn names_taken_out_at_app(
    files: &[(Arc<Source>, String, Depths)],
    level: usize,
    own: &Source,
    located: &crate::hierarchy::source::connection_strings::LocatedConnectionStrings,
    above: &crate::hierarchy::source::connection_strings::ConnectionStrings,
) -> Vec<(Violation, crate::doc::ElementId, String)> {
    let def = &crate::schema::SESSION_STATE;
    let layers = layers_of(files, def);
    let (Ok(full), Ok(from_above)) = (
        crate::hierarchy::effective::effective(def, &layers),
        crate::hierarchy::effective::effective_before(def, &layers, (level, 0)),
    ) else {
        return Vec::new();
    };
    // An encrypted section on the way may set anything: nothing is said.
    if full.encrypted.is_some() {
        return Vec::new();
    }
    // What the application's own level sets is judged where it is written, and so is an
    // inherited setting that another mode set there makes ASP.NET read.
    let origin = |view: &crate::hierarchy::effective::SectionView, a: &str| {
        view.get(a).map(|v| (v.file.clone(), v.line))
    };
    let value = |view: &crate::hierarchy::effective::SectionView, a: &str| {
        view.get(a).map(|v| v.value.clone())
    };
    if value(&full, "mode") != value(&from_above, "mode") {
        return Vec::new();
    }
    let in_scope = connection_strings_in_scope(scoped(files));
    let inherited = crate::hierarchy::chain::Inherited {
        view: full,
        ..Default::default()
    };
    let set_at_app = |a: &str| origin(&inherited.view, a) != origin(&from_above, a);
    let empty = Model::load(&own.doc, def, None);
    let (attrs, providers) = empty.merged_over(&inherited, def);
    broken_by_taking_out(
        def,
        &attrs,
        &providers,
        &|n: &str| above.lookup(n),
        &|n: &str| in_scope.lookup(n),
    )
    .into_iter()
    .filter(|v| v.attribute.as_deref().is_some_and(|a| !set_at_app(a)))
        .filter_map(|v| {
            let a = inherited.view.get(v.attribute.as_deref()?)?;
            let name = a.value.trim().to_string();
            let message = format!(
                "at <location path=\"{}\">, an application, the inherited {}=\"{}\" ({}:{}) is read, and {}",
                located.written_path(&own.doc),
                a.name,
                a.value,
                a.file.display(),
                a.line,
                v.message
            );
            let read_from = Some((a.file.clone(), a.line, a.name.clone()));
            let v = Violation {
                message,
                read_from,
                ..v
            };
            Some((v, located.element, name))
        })
        .collect()
}
