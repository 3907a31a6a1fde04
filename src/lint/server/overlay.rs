//! A server's lint with new texts of some of its files, or of one site: what a write would
//! break at the levels below it (`set`, `clear`), and which definitions below a lock would bind
//! (`lock config`), asked before anything is written.

use foldhash::HashSet;
use std::path::Path;
use std::sync::Arc;

use super::{key, lint_root_within};
use crate::hierarchy::error::Error;
use crate::hierarchy::server::Server;
use crate::hierarchy::source::{Replaced, Source};
use crate::lint::{Finding, LintOptions, Severity};
use crate::schema::SectionDef;

/// What part of a server a lint reads, and which files it reads from new parses instead of
/// the disk.
#[derive(Debug, Default)]
pub(crate) struct Within {
    /// Files read from these parses instead of the disk, by key (lower-case path): a level's
    /// file, or one a `configSource` leads to.
    overlay: Replaced,
    /// Only the site of this name is walked (any case); every site when `None`.
    site: Option<String>,
}

impl Within {
    /// Lint as if `file` held the text that `src` is the parse of.
    pub(crate) fn with_file(mut self, src: Source) -> Within {
        let src = self.adopt(src);
        Arc::make_mut(&mut self.overlay).insert(key(&src.path), src);
        self
    }

    /// A parse of the server's, reading the files its `configSource` references lead to from
    /// the new parses.
    pub(super) fn adopt(&self, src: Source) -> Arc<Source> {
        Arc::new(src.reading_references_from(&self.overlay))
    }

    /// Walk only the site named `site`.
    pub(crate) fn only_site(mut self, site: &str) -> Within {
        self.site = Some(site.to_string());
        self
    }

    /// Whether the site named `name` is linted.
    pub(super) fn walks(&self, name: &str) -> bool {
        self.site
            .as_deref()
            .is_none_or(|n| name.eq_ignore_ascii_case(n))
    }

    /// The new parse of `file`, when there is one.
    pub(super) fn file(&self, file: &Path) -> Option<Arc<Source>> {
        if self.overlay.is_empty() {
            return None;
        }
        self.overlay.get(&key(file)).cloned()
    }

    /// `file`'s new parse, or its parse from the disk.
    pub(super) fn load(&self, file: &Path) -> Result<Arc<Source>, Error> {
        match self.file(file) {
            Some(src) => Ok(src),
            None => Source::load(file).map(|s| self.adopt(s)),
        }
    }
}

/// The errors a new text of one file would add below it: the server (the site named, or every
/// site) is linted as it would be with `new`, and, when that finds errors in other files, as
/// it is; the errors found only with `new` are returned (a definition is the same by file,
/// line, column and rule: a message that changes on one already refused is not the write's
/// doing), except in a file ASP.NET already refused whole. applicationHost.config is parsed
/// once for both.
pub(crate) fn errors_a_write_adds(
    server: &Server,
    site: Option<&str>,
    new: Source,
) -> Result<Vec<Finding>, Error> {
    let opts = LintOptions::default();
    let written = key(&new.path);
    let mut within = Within::default();
    if let Some(site) = site {
        within = within.only_site(site);
    }
    let apphost_path = server.apphost_path()?;
    if key(&apphost_path) != written {
        within = within.with_file(Source::load(&apphost_path)?);
    }
    let errors = |findings: Vec<Finding>| -> Vec<Finding> {
        findings
            .into_iter()
            .filter(|f| f.severity == Severity::Error && key(&f.file) != written)
            .collect()
    };
    let with_new = within.with_file(new);
    let (_, after, parsed) = lint_root_within(server, &opts, &with_new)?;
    drop(parsed);
    let after = errors(after);
    if after.is_empty() {
        return Ok(after);
    }
    let mut within = with_new;
    Arc::make_mut(&mut within.overlay).remove(&written);
    let (_, before, parsed) = lint_root_within(server, &opts, &within)?;
    drop(parsed);
    let before = errors(before);
    // A file ASP.NET refuses whole already fails, whatever else the change finds in it.
    let refused: HashSet<String> = before
        .iter()
        .filter(|f| f.refuses_file)
        .map(|f| key(&f.file))
        .collect();
    let had: HashSet<(String, usize, usize, &str)> = before
        .into_iter()
        .map(|f| (key(&f.file), f.line, f.column, f.code))
        .collect();
    Ok(after
        .into_iter()
        .filter(|f| {
            let k = key(&f.file);
            !refused.contains(&k) && !had.contains(&(k, f.line, f.column, f.code))
        })
        .collect())
}

/// The definitions below that a lock written in `new` at `location` (a location path of its
/// file, `""` for the file's own level) binds, as SS013 finds them with `new` (the lint knows
/// what a lock binds): those ASP.NET refuses (SS013's errors), and those only IIS's tools
/// refuse (its warnings: the lock, or the definition, is in applicationHost.config).
pub(crate) fn definitions_a_lock_binds(
    server: &Server,
    site: Option<&str>,
    new: Source,
    section: &SectionDef,
    location: &str,
) -> Result<(Vec<Finding>, Vec<Finding>), Error> {
    use crate::hierarchy::discover;
    // The lock as SS013 names it: the line of the location's overrideMode.
    let lines: Vec<usize> = discover::at(&new.doc, section, location)
        .iter()
        .filter_map(|inst| discover::location_override(&new.doc, inst.location?))
        .filter(|(mode, _)| mode.eq_ignore_ascii_case("Deny"))
        .map(|(_, a)| new.doc.line_col(a.name.start).0)
        .collect();
    let file = new.path.clone();
    let mut within = Within::default();
    if let Some(site) = site {
        within = within.only_site(site);
    }
    let within = within.with_file(new);
    let opts = LintOptions {
        enabled: vec!["SS013"],
        ..LintOptions::default()
    };
    let (_, findings, parsed) = lint_root_within(server, &opts, &within)?;
    drop(parsed);
    Ok(findings
        .into_iter()
        .filter(|f| {
            use crate::lint::rules::ss013_section_locked::THE_LOCK;
            f.code == "SS013"
                && f.related
                    .iter()
                    .any(|r| r.what == THE_LOCK && r.file == file && lines.contains(&r.line))
        })
        .partition(|f| f.severity == Severity::Error))
}
