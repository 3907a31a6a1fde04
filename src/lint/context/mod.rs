//! The context a rule sees for one file: the parsed sources (the file and any configSource
//! files it points to), every session section in them with its scope, and look-ups rules need
//! (values, runtime violations, providers, connection strings, machineKey).
//!
//! Rules ask the context rather than the document, so that when the server hierarchy arrives
//! (`--root`) the same methods can answer with inherited providers, connection strings and
//! machine keys without any rule changing.

use std::ops::Range;
use std::path::{Path, PathBuf};

use super::{At, Diagnostic, Finding, Fix, LintOptions, RuleDef};
use crate::doc::{Attr, Document, ElementId};
use crate::hierarchy::effective::ItemKind;
use crate::hierarchy::error::Error;
use crate::hierarchy::path::Scope;
use crate::hierarchy::source::config_source::{
    follow_config_source, ConfigSourceError, FollowError,
};
use crate::hierarchy::source::encrypted_provider;
use crate::hierarchy::source::Source;
use crate::ops::model::Model;
use crate::schema::rules::Violation;
use crate::schema::{SectionDef, SECTIONS};

/// The source line of a finding, or a window of it around the span when the line is very long
/// (a hostile element with thousands of attributes on one line must not cost a copy of the
/// line per finding), and how many characters of the line the window leaves out before it.
fn snippet_window(
    text: &str,
    line_start: usize,
    line_end: usize,
    range: &Range<usize>,
    column: usize,
) -> (String, usize) {
    const LONG: usize = 400;
    const CONTEXT: usize = 120;
    if line_end - line_start <= LONG {
        return (
            text[line_start..line_end]
                .trim_end_matches('\r')
                .to_string(),
            0,
        );
    }
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let ceil = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i += 1;
        }
        i
    };
    let ws = floor(range.start.saturating_sub(CONTEXT).max(line_start));
    let we = ceil((range.end + CONTEXT).min(line_end));
    let mut out = String::new();
    let mut lead = 0;
    if ws > line_start {
        out.push('…');
        lead = 1;
    }
    out.push_str(text[ws..we].trim_end_matches('\r'));
    if we < line_end {
        out.push('…');
    }
    let before = text[ws..range.start].chars().count();
    (out, (column - 1).saturating_sub(before + lead))
}

/// What kind of configuration file this is, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// applicationHost.config
    AppHost,
    /// machine.config
    Machine,
    /// web.config or any other configuration file.
    Web,
}

/// One session section element, wherever it lives.
#[derive(Clone, Debug)]
pub struct Site {
    /// Which section.
    pub def: &'static SectionDef,
    /// The source holding the element whose values apply (after configSource).
    pub src: usize,
    /// That element.
    pub el: ElementId,
    /// The element in the naming file, when `configSource` was followed (or is broken).
    pub declared: Option<(usize, ElementId)>,
    /// Its scope in the naming file.
    pub scope: Scope,
    /// `Some(provider)` when encrypted.
    pub encrypted: Option<String>,
    /// Why the configSource could not be followed (span in the naming file, message).
    pub config_source_problem: Option<(Range<usize>, ConfigSourceError)>,
}

/// The runtime-rule violations of one site, shared by every rule that reads them.
type Judged = std::sync::Arc<Vec<Violation>>;

/// Everything the rules see for one input file.
pub struct FileContext<'o> {
    /// The file as named.
    pub path: PathBuf,
    /// Its kind.
    pub kind: FileKind,
    /// Parsed sources: 0 is the file itself (when it parses), then configSource files. Shared,
    /// so that `lint --root` lints a file from the parse its children also inherit from.
    pub sources: Vec<std::sync::Arc<Source>>,
    /// Files that could not be parsed, with their errors.
    pub broken: Vec<(PathBuf, crate::doc::DocError)>,
    /// Every session section found.
    pub sites: Vec<Site>,
    /// Lint options.
    pub options: &'o LintOptions,
    /// Where the file stands on a server (`lint --root`), when it does.
    pub server: Option<ServerScope>,
    /// Why the file could not be read at all (lint could not run), when it could not.
    pub unreadable: Option<Error>,
    /// Suppression comments per source (line, codes), collected once.
    suppressions: std::sync::OnceLock<Vec<std::collections::HashMap<usize, Vec<String>>>>,
    /// Runtime-rule violations already judged, by (source, element).
    violation_cache: std::sync::Mutex<foldhash::HashMap<(usize, ElementId), Judged>>,
    /// Attribute indexes of elements with many attributes, by (source, element).
    attr_cache: std::sync::Mutex<
        std::collections::HashMap<(usize, ElementId), std::collections::HashMap<String, Attr>>,
    >,
    /// Each site's model (by its place in `sites`), loaded once for every rule.
    models: Vec<std::sync::OnceLock<Model>>,
    /// applicationHost.config's topology findings, read once when the file is linted alone.
    topology_findings:
        std::sync::OnceLock<std::sync::Arc<crate::hierarchy::topology::TopologyFindings>>,
}

/// A file's place on a server, for the rules that need the hierarchy (`lint --root`).
#[derive(Debug, Default)]
pub struct ServerScope {
    /// The file's level.
    pub level: Option<crate::hierarchy::server::LevelKind>,
    /// The file's config path.
    pub config_path: Option<crate::hierarchy::path::ConfigPath>,
    /// What the files above contribute, per section (by section name).
    pub inherited: Vec<(&'static str, crate::hierarchy::chain::Inherited)>,
    /// What a `<location>` of this file inherits when files between this file's level and the
    /// level it names take part (a `<location path="app1/sub">` follows app1's web.config), by
    /// section name and the section element in this file.
    pub located: Vec<(&'static str, ElementId, crate::hierarchy::chain::Inherited)>,
    /// For each section in a `<location>` of this file naming a folder below, by section name
    /// and element: the section in effect at that folder (its `view`), everything that merges
    /// there, the folder's own web.config after the location included.
    pub located_effective: Vec<(&'static str, ElementId, crate::hierarchy::chain::Inherited)>,
    /// Whether explicit `<machineKey>` keys apply from the files above.
    pub machine_key_above: bool,
    /// The application roots (config paths) of every site, by lower-case site name, to judge
    /// SS010.
    pub app_roots:
        std::sync::Arc<foldhash::HashMap<String, Vec<crate::hierarchy::path::ConfigPath>>>,
    /// The worker-process count of the pool of the file's application, when it is one.
    pub max_processes: Option<u32>,
    /// That pool's name.
    pub pool: Option<String>,
    /// Whether that pool runs no managed code (`managedRuntimeVersion=""`).
    pub no_managed_code: bool,
    /// The `<connectionStrings>` entries the levels above give (applicationHost.config left
    /// out: ASP.NET never reads it), folded; filled when the file has entries of its own.
    pub connection_strings_above: crate::hierarchy::source::connection_strings::ConnectionStrings,
    /// For each `<connectionStrings>` of a `<location>` naming a folder below (by element), what
    /// is in scope at that folder just before it applies.
    pub located_connection_strings: Vec<(
        ElementId,
        crate::hierarchy::source::connection_strings::ConnectionStrings,
    )>,
    /// For each location path of the file naming a folder below that holds a section, the
    /// `<connectionStrings>` in scope at that folder.
    pub located_connection_strings_in_scope: Vec<(
        crate::hierarchy::path::LocationPath,
        crate::hierarchy::source::connection_strings::ConnectionStrings,
    )>,
    /// The runtime violations of the session state in effect at an application that a
    /// `<location path>` of this file naming that application takes the connection-string
    /// entry out of (its `<clear/>` or `<remove>`): each with the location's
    /// `<connectionStrings>` element and the name taken out.
    pub located_names_taken_out: Vec<(crate::schema::rules::Violation, ElementId, String)>,
    /// For applicationHost.config: what the server's topology found wrong while it read the
    /// sites (SS016, SS018 then read the file's sites no second time).
    pub topology_findings: Option<std::sync::Arc<crate::hierarchy::topology::TopologyFindings>>,
}

impl ServerScope {
    /// What the files above contribute to `section`.
    pub fn inherited(&self, section: &SectionDef) -> Option<&crate::hierarchy::chain::Inherited> {
        self.inherited
            .iter()
            .find(|(n, _)| *n == section.name)
            .map(|(_, i)| i)
    }

    /// The config path a site of this file applies to (its location path resolved).
    pub fn target_of(&self, location: Option<&str>) -> Option<crate::hierarchy::path::ConfigPath> {
        let cp = self.config_path.as_ref()?;
        let Some(loc) =
            location.filter(|l| !crate::hierarchy::path::LocationPath::new(l).is_file_level())
        else {
            return Some(cp.clone());
        };
        let segs: Vec<String> = crate::hierarchy::path::split(loc)
            .into_iter()
            .map(str::to_string)
            .collect();
        if self.level.is_some_and(|l| l.is_server_file()) {
            return Some(crate::hierarchy::path::ConfigPath::under_apphost(&segs));
        }
        let mut all = cp.site_path().to_vec();
        all.extend(segs);
        Some(crate::hierarchy::path::ConfigPath::under_apphost(&all))
    }
}

fn kind_of(path: &Path) -> FileKind {
    let name = path
        .file_name()
        .map(|n| n.as_encoded_bytes())
        .unwrap_or_default();
    if crate::hierarchy::source::is_apphost_file(path) {
        FileKind::AppHost
    } else if name.eq_ignore_ascii_case(b"machine.config") {
        FileKind::Machine
    } else {
        FileKind::Web
    }
}

pub(crate) mod connection_strings;
mod judge;
pub use connection_strings::OwnEntry;

impl<'o> FileContext<'o> {
    /// The context of `path` with nothing read yet.
    fn empty(path: &Path, options: &'o LintOptions) -> FileContext<'o> {
        FileContext {
            path: path.to_path_buf(),
            kind: kind_of(path),
            sources: vec![],
            broken: vec![],
            sites: vec![],
            options,
            server: None,
            unreadable: None,
            suppressions: std::sync::OnceLock::new(),
            models: Vec::new(),
            attr_cache: Default::default(),
            violation_cache: Default::default(),
            topology_findings: Default::default(),
        }
    }

    /// Read and parse `path`, find its sections and follow their configSource.
    pub fn load(path: &Path, options: &'o LintOptions) -> FileContext<'o> {
        let mut ctx = FileContext::empty(path, options);
        match Source::load(path) {
            Ok(src) => FileContext::from_source(src, options),
            Err(Error::Malformed { file, error }) => {
                ctx.broken.push((file, error));
                ctx
            }
            Err(e) => {
                // Not a finding: the file cannot be read (missing, a folder, permissions).
                ctx.unreadable = Some(e);
                ctx
            }
        }
    }

    /// The context of a file already loaded (its configSource files read as
    /// [`Source::load_referenced`] reads them).
    pub fn from_source(src: Source, options: &'o LintOptions) -> FileContext<'o> {
        FileContext::from_shared(std::sync::Arc::new(src), options)
    }

    /// `from_source` for a parse shared with others.
    pub fn from_shared(src: std::sync::Arc<Source>, options: &'o LintOptions) -> FileContext<'o> {
        let mut ctx = FileContext::empty(&src.path.clone(), options);
        ctx.sources.push(src);
        ctx.find_sites();
        ctx
    }

    fn find_sites(&mut self) {
        let mut found: Vec<(&'static SectionDef, ElementId, Scope)> = Vec::new();
        {
            let doc = &self.sources[0].doc;
            let mut all: Vec<(&'static SectionDef, crate::hierarchy::discover::Instance)> =
                Vec::new();
            for def in SECTIONS {
                all.extend(self.sources[0].section(def).all().map(|i| (def, i.clone())));
            }
            // Document order, as the findings are read.
            all.sort_by_key(|(_, i)| doc.element(i.el).start);
            for (def, inst) in all {
                let scope = match inst.location {
                    Some(loc) if !inst.path.is_file_level() => Scope::Location(
                        doc.attr_value(loc, "path").unwrap_or_default().into_owned(),
                    ),
                    _ => Scope::File,
                };
                found.push((def, inst.el, scope));
            }
        }
        for (def, el, scope) in found {
            let site = self.site(def, el, scope);
            self.sites.push(site);
        }
        self.models = self
            .sites
            .iter()
            .map(|_| std::sync::OnceLock::new())
            .collect();
    }

    fn site(&mut self, def: &'static SectionDef, el: ElementId, scope: Scope) -> Site {
        let mut site = Site {
            def,
            src: 0,
            el,
            declared: None,
            scope,
            encrypted: encrypted_provider(&self.sources[0].doc, el),
            config_source_problem: None,
        };
        if site.encrypted.is_some() {
            return site;
        }
        if self.sources[0].doc.attr(el, "configSource").is_none() {
            return site;
        }
        site.declared = Some((0, el));
        let mut broken = None;
        let load = |p: &std::path::Path| match self.sources[0].load_referenced(p) {
            Ok(s) => Ok(Some(s)),
            Err(Error::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        };
        match follow_config_source(&self.sources[0], el, def.name, load, |s| s) {
            None => {}
            Some(Ok(ext)) => {
                let root = ext.doc.root();
                site.encrypted = encrypted_provider(&ext.doc, root);
                self.sources.push(std::sync::Arc::new(ext));
                site.src = self.sources.len() - 1;
                site.el = root;
            }
            Some(Err(FollowError::Load(Error::Malformed { file, error }))) => {
                broken = Some((file, error));
            }
            Some(Err(e)) => site.config_source_problem = Some(e.fault(&self.sources[0], el)),
        }
        self.broken.extend(broken);
        site
    }

    /// The document of a source.
    pub fn doc(&self, src: usize) -> &Document {
        &self.sources[src].doc
    }

    /// Sites whose values can be checked: not encrypted, configSource followed or absent.
    pub fn checkable(&self) -> impl Iterator<Item = &Site> {
        self.sites.iter().filter(|s| {
            s.encrypted.is_none() && s.config_source_problem.is_none() && !self.is_unresolved(s)
        })
    }

    fn is_unresolved(&self, s: &Site) -> bool {
        // configSource named a file that did not parse: nothing to check here.
        s.declared.is_some() && s.src == 0
    }

    /// An attribute of a site's element.
    pub fn attr(&self, site: &Site, name: &str) -> Option<Attr> {
        let doc = self.doc(site.src);
        // An element with many attributes gets an index, so rules that look up each of them
        // stay linear. A start tag under 1 KB holds too few to need one (and its length is
        // known without reading it).
        let e = doc.element(site.el);
        if (e.head_end - e.name_end) < 1024 || doc.attrs(site.el).nth(64).is_none() {
            return doc.attr(site.el, name);
        }
        let mut cache = self.attr_cache.lock().ok()?;
        let index = cache.entry((site.src, site.el)).or_insert_with(|| {
            let mut m = std::collections::HashMap::new();
            for a in doc.attrs(site.el) {
                m.entry(doc.attr_name(&a).to_string()).or_insert(a);
            }
            m
        });
        index.get(name).cloned()
    }

    /// What reading applicationHost.config's sites finds wrong (SS016, SS018): the server's
    /// topology's under `--root`, else the file's sites read once for both rules.
    pub fn topology_findings(
        &self,
    ) -> std::sync::Arc<crate::hierarchy::topology::TopologyFindings> {
        if let Some(f) = self
            .server
            .as_ref()
            .and_then(|s| s.topology_findings.clone())
        {
            return f;
        }
        self.topology_findings
            .get_or_init(|| {
                let Some(src) = self.sources.first() else {
                    return Default::default();
                };
                let topo = crate::hierarchy::topology::Topology::read(&src.doc);
                let found = topo.findings();
                // Ten thousand sites of small strings: left to the end of the process.
                crate::par::drop_at_end(topo);
                std::sync::Arc::new(found)
            })
            .clone()
    }

    /// Whether the file is machine.config or a root web.config: on a server (`lint --root`),
    /// or where a copy of a server's files keeps one (`Framework64/v4.0.30319/Config/`).
    pub fn above_sites(&self) -> bool {
        self.kind == FileKind::Machine
            || self.server.as_ref().and_then(|s| s.level)
                == Some(crate::hierarchy::server::LevelKind::WebRoot)
            || crate::hierarchy::server::is_root_web_config_file(&self.path)
    }

    /// Whether the file is an XDT transform (`Web.Release.config`): its `<configuration>`
    /// declares the XML-Document-Transform namespace. It holds only what it changes in the
    /// file it is applied to, so only the rules that judge what is written run on it
    /// ([`RuleDef::judges_transforms`](crate::lint::RuleDef::judges_transforms)).
    /// A file a runtime reads by its name (a web.config, machine.config,
    /// applicationHost.config) is never one, whatever its root declares.
    pub fn is_transform(&self) -> bool {
        self.kind == FileKind::Web
            && !self.read_by_aspnet()
            && self
                .sources
                .first()
                .is_some_and(|s| crate::hierarchy::source::is_xdt_transform(&s.doc))
    }

    /// Whether ASP.NET reads the file by its name: machine.config, or a web.config (any
    /// case). Not applicationHost.config (IIS's), nor another `*.config` (a transform such as
    /// `Web.Release.config`, a configSource file).
    pub fn read_by_aspnet(&self) -> bool {
        match self.kind {
            FileKind::AppHost => false,
            FileKind::Machine => true,
            FileKind::Web => self
                .path
                .file_name()
                .is_some_and(|n| n.eq_ignore_ascii_case("web.config")),
        }
    }

    /// Who reads the file's session sections, as findings name it: ASP.NET, or for
    /// applicationHost.config (which ASP.NET never reads) IIS's configuration system, which
    /// refuses a malformed section as strictly.
    pub fn reader(&self) -> &'static str {
        crate::hierarchy::source::reader_of(self.kind == FileKind::AppHost)
    }

    /// The span of the start tag's name, for findings about the whole element.
    pub fn element_span(&self, src: usize, el: ElementId) -> At {
        let e = self.doc(src).element(el);
        At::Span {
            src,
            range: e.start as usize + 1..e.name_end as usize,
        }
    }

    /// The span of an attribute (`name="value"`), or of the element when it is absent.
    pub fn attr_span(&self, site: &Site, name: &str) -> At {
        match self.attr(site, name) {
            Some(a) => At::Span {
                src: site.src,
                range: a.range(),
            },
            None => self.element_span(site.src, site.el),
        }
    }

    /// The explicit attributes of a site with their logical values, in file order.
    pub fn attrs(&self, site: &Site) -> Vec<(String, String)> {
        let doc = self.doc(site.src);
        doc.attrs(site.el)
            .map(|a| (doc.attr_name(&a).to_string(), doc.value(&a).into_owned()))
            .collect()
    }

    /// The model of a site (attributes and collection items), loaded once.
    pub fn model(&self, site: &Site) -> std::borrow::Cow<'_, Model> {
        let load = || Model::load(self.doc(site.src), site.def, Some(site.el));
        match self
            .sites
            .iter()
            .position(|s| std::ptr::eq(s, site))
            .and_then(|i| self.models.get(i))
        {
            Some(cell) => std::borrow::Cow::Borrowed(cell.get_or_init(load)),
            None => std::borrow::Cow::Owned(load()),
        }
    }

    /// The effective provider names of a site.
    pub fn providers(&self, site: &Site) -> Vec<String> {
        self.model(site).effective_keys()
    }

    /// What a site inherits from its own file: for a section in `<location path>`, the file's
    /// own level and the shallower locations that cover it (SPEC §4).
    pub fn inherited(
        &self,
        site: &Site,
    ) -> std::borrow::Cow<'_, crate::hierarchy::chain::Inherited> {
        let (src, scope) = match site.declared {
            Some((d, _)) => (d, &site.scope),
            None => (site.src, &site.scope),
        };
        if let (Scope::Location(_), Some(server)) = (&site.scope, &self.server) {
            let el = site.declared.map_or(site.el, |(_, e)| e);
            if let Some((_, _, inherited)) = server
                .located
                .iter()
                .find(|(n, e, _)| *n == site.def.name && *e == el)
            {
                return std::borrow::Cow::Borrowed(inherited);
            }
        }
        let outer = self.server.as_ref().and_then(|s| s.inherited(site.def));
        // At the file's own level nothing in the file comes before the site: what it inherits
        // is what the files above give, shared rather than copied.
        if let (Scope::File, Some(outer)) = (scope, outer) {
            return std::borrow::Cow::Borrowed(outer);
        }
        let in_file = crate::hierarchy::chain::inherited_in_file_known(
            &self.sources[src],
            site.def,
            scope,
            Some(self.sources[src].section(site.def)),
        )
        .unwrap_or_default();
        // On a server, the files above come first.
        std::borrow::Cow::Owned(match outer {
            Some(outer) => {
                let mut all = outer.clone();
                all.view.extend(in_file.view);
                all
            }
            None => in_file,
        })
    }

    /// Whether explicit machine keys are in scope for a site: a `<machineKey>` with both keys
    /// set (not AutoGenerate), or an encrypted one, in the files above or in this file at a
    /// scope that covers the site's.
    pub fn machine_key_explicit(&self, site: &Site) -> bool {
        if self.server.as_ref().is_some_and(|s| s.machine_key_above) {
            return true;
        }
        let (decl_src, _) = site.declared.unwrap_or((site.src, site.el));
        if decl_src != 0 {
            return false;
        }
        self.sources[0]
            .machine_key_for(&site.scope.location_path())
            .is_some_and(|k| k.is_explicit())
    }

    /// The collection items of a site with their elements.
    pub fn items(&self, site: &Site) -> Vec<(ItemKind, ElementId)> {
        self.model(site)
            .items
            .iter()
            .filter_map(|i| i.orig.map(|el| (i.kind, el)))
            .collect()
    }

    /// Turn a rule's diagnostic into a located finding.
    pub fn locate(&self, rule: &RuleDef, d: Diagnostic) -> Finding {
        match d.at {
            At::Broken { path, error } => Finding {
                snippet: std::fs::read(&path)
                    .ok()
                    .and_then(|b| {
                        // The decoded text (UTF-16 included), not raw bytes.
                        let text = match crate::doc::decode(b.clone()) {
                            Ok((_, t)) => t,
                            Err(_) => String::from_utf8_lossy(&b).into_owned(),
                        };
                        text.trim_start_matches('\u{feff}')
                            .split('\n')
                            .nth(error.line.max(1) - 1)
                            .map(|l| l.trim_end_matches('\r').to_string())
                    })
                    .unwrap_or_default(),
                snippet_shift: 0,
                code: rule.code,
                name: rule.name,
                severity: d.severity.unwrap_or(rule.severity),
                file: path,
                line: error.line.max(1),
                column: error.column.max(1),
                end_line: error.line.max(1),
                end_column: error.column.max(1) + 1,
                message: d.message,
                fix: None,
                text_range: 0..0,
                related: d.related,
                refuses_file: d.refuses_file.unwrap_or(rule.refuses_file),
            },
            At::Span { src, range } => {
                let s = &self.sources[src];
                let (line, column) = s.doc.line_col(range.start);
                let (end_line, end_column) = s.doc.line_col(range.end);
                let fix = d.fix.map(|replacement| Fix {
                    start: s.doc.file_offset(range.start),
                    end: s.doc.file_offset(range.end),
                    replacement,
                });
                let text = s.doc.text();
                let b = text.as_bytes();
                let line_start = memchr::memrchr(b'\n', &b[..range.start]).map_or(0, |i| i + 1);
                let line_end = memchr::memchr(b'\n', &b[range.start..])
                    .map_or(text.len(), |i| range.start + i);
                let (snippet, snippet_shift) =
                    snippet_window(text, line_start, line_end, &range, column);
                Finding {
                    snippet,
                    snippet_shift,
                    code: rule.code,
                    name: rule.name,
                    severity: d.severity.unwrap_or(rule.severity),
                    file: s.path.clone(),
                    line,
                    column,
                    end_line,
                    end_column,
                    message: d.message,
                    fix,
                    text_range: range,
                    related: d.related,
                    refuses_file: d.refuses_file.unwrap_or(rule.refuses_file),
                }
            }
        }
    }

    /// Whether a suppression comment on the line before covers this finding. The comments
    /// are collected once per file, so the cost does not grow with the number of findings.
    pub fn suppressed(&self, f: &Finding) -> bool {
        let all = self.suppressions.get_or_init(|| {
            self.sources
                .iter()
                .map(|s| {
                    let mut by_line: std::collections::HashMap<usize, Vec<String>> =
                        std::collections::HashMap::new();
                    for (line, codes) in super::suppress::suppressions(&s.doc) {
                        let entry = by_line.entry(line).or_default();
                        if codes.is_empty() {
                            entry.push("*".into());
                        }
                        entry.extend(codes);
                    }
                    by_line
                })
                .collect()
        });
        let Some(i) = self.sources.iter().position(|s| s.path == f.file) else {
            return false;
        };
        let Some(codes) = f.line.checked_sub(1).and_then(|l| all[i].get(&l)) else {
            return false;
        };
        codes
            .iter()
            .any(|c| c == "*" || c.eq_ignore_ascii_case(f.code) || c.eq_ignore_ascii_case(f.name))
    }
}
