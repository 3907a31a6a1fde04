//! Judging a section's values by the runtime rules (SPEC §3): what it inherits merged with
//! its own values, the rules of the mode on the section in effect at its application.

use super::{FileContext, Site};
use crate::hierarchy::path::Scope;
use crate::ops::model::Model;
use crate::schema::rules::{self, SectionValues, Violation};

impl<'o> FileContext<'o> {
    /// The runtime violations of the sessionState this file inherits that its own
    /// `<connectionStrings>` cause: an entry the inherited section names, found at the level
    /// above, that a `<remove>` or `<clear>` here takes out (ASP.NET then reads the name itself
    /// as the connection string), each with where the entry is taken out; and those a
    /// `<location>` of the file naming an application causes there. Only with a server; not of
    /// what the level's own section sets, nor when it sets another mode (judged there).
    pub fn names_taken_out(&self) -> Vec<(Violation, crate::lint::At)> {
        let Some(server) = &self.server else {
            return Vec::new();
        };
        let mut found = self.own_names_taken_out(server);
        found.extend(
            server
                .located_names_taken_out
                .iter()
                .map(|(v, el, name)| (v.clone(), self.taking_out_among([*el], name))),
        );
        found
    }

    /// [`names_taken_out`](Self::names_taken_out) by the file's own level.
    fn own_names_taken_out(
        &self,
        server: &super::ServerScope,
    ) -> Vec<(Violation, crate::lint::At)> {
        let def = &crate::schema::SESSION_STATE;
        // A file that did not parse has no source, and nothing of its own to take out.
        let has_entries = self
            .sources
            .first()
            .is_some_and(|s| !s.connection_strings().is_empty());
        if self.kind == super::FileKind::AppHost || !has_entries {
            return Vec::new();
        }
        // An encrypted section above may set anything: nothing is said.
        let Some(inherited) = server.inherited(def).filter(|i| i.view.encrypted.is_none()) else {
            return Vec::new();
        };
        // The file's own section merges over what it inherits; what it sets itself, and an
        // inherited setting its own mode makes ASP.NET read, are judged at that section.
        let at_file_level = |s: &&Site| std::ptr::eq(s.def, def) && matches!(s.scope, Scope::File);
        // A section whose values cannot be read (encrypted, a configSource not followed) may
        // set the mode and the names itself: nothing is said.
        let checkable: Vec<&Site> = self.checkable().filter(at_file_level).collect();
        if self.sites.iter().filter(at_file_level).count() != checkable.len() {
            return Vec::new();
        }
        let own = checkable.first().copied();
        let sets = |a: &str| own.is_some_and(|s| self.attr(s, a).is_some());
        let model = match own {
            Some(s) => self.model(s),
            None => std::borrow::Cow::Owned(Model::load(self.doc(0), def, None)),
        };
        let (attrs, providers) = model.merged_over(inherited, def);
        let inherited_mode = inherited.view.get("mode").map(|a| a.value.as_str());
        let default_mode = def.attribute("mode").map(|a| a.default);
        if sets("mode") && value_in(&attrs, "mode") != inherited_mode.or(default_mode) {
            return Vec::new();
        }
        let above = self.connection_strings_above();
        super::connection_strings::broken_by_taking_out(
            def,
            &attrs,
            &providers,
            &|n: &str| above.lookup(n),
            &|n: &str| self.connection_string(n),
        )
        .into_iter()
        .filter(|v| v.attribute.as_deref().is_some_and(|a| !sets(a)))
        .filter_map(|v| {
            let a = inherited.view.get(v.attribute.as_deref()?)?;
            let at = self.taking_out(a.value.trim());
            let message = format!(
                "the inherited {}=\"{}\" ({}:{}) is read here, and {}",
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
            Some((v, at))
        })
        .collect()
    }

    /// The settings of other sections that this file's session state reads (with a server):
    /// each attribute its mode in effect reads that it does not set itself, by where that
    /// value is written (file, line, attribute). A level that sets a mode reading a setting
    /// of a level above makes that setting live, whatever the mode above says (SS201 is not
    /// said of it there).
    pub fn settings_read_from_above(&self) -> Vec<(std::path::PathBuf, usize, &'static str)> {
        let mut read = Vec::new();
        if self.server.is_none() {
            return read;
        }
        for site in self
            .checkable()
            .filter(|s| std::ptr::eq(s.def, &crate::schema::SESSION_STATE))
            // A level that sets no mode reads with the mode of the level that does, which
            // reads what is between them too.
            .filter(|s| self.attr(s, "mode").is_some())
        {
            let Some(mode) = self.mode(site) else {
                continue;
            };
            let resolved = self.partition_resolver(site, &mode).is_some();
            let at_folder = self.effective_at_folder(site);
            let inherited = self.inherited(site);
            for def in site.def.attributes {
                let reads = def.read_by.is_some_and(|m| m.contains(&mode.as_str()))
                    && !(resolved && def.locates_store);
                if !reads || (at_folder.is_none() && self.attr(site, def.name).is_some()) {
                    continue;
                }
                let view = match at_folder {
                    Some(full) => &full.view,
                    None => &inherited.view,
                };
                if let Some(origin) = view.get(def.name) {
                    read.push((origin.file.clone(), origin.line, def.name));
                }
            }
        }
        read
    }

    /// The runtime-rule violations of a site's values (SPEC §3), judged on what the site
    /// inherits merged with its own values; only violations of what the site itself sets (or
    /// of the section as a whole) are its own.
    pub fn violations(&self, site: &Site) -> std::sync::Arc<Vec<Violation>> {
        // Several rules read the same violations; they are judged once per site and shared.
        if let Some(v) = self
            .violation_cache
            .lock()
            .ok()
            .and_then(|c| c.get(&(site.src, site.el)).cloned())
        {
            return v;
        }
        let v = std::sync::Arc::new(self.judge(site));
        if let Ok(mut c) = self.violation_cache.lock() {
            c.insert((site.src, site.el), v.clone());
        }
        v
    }

    fn judge(&self, site: &Site) -> Vec<Violation> {
        let doc = self.doc(site.src);
        let own: Vec<&str> = doc.attrs(site.el).map(|a| doc.attr_name(&a)).collect();
        // A handful of attributes: looked up one by one (a hostile tag's thousands get a set).
        let own_set: Option<foldhash::HashSet<&str>> =
            (own.len() > 16).then(|| own.iter().copied().collect());
        let is_own = |a: &str| match &own_set {
            Some(set) => set.contains(a),
            None => own.contains(&a),
        };
        let inherited = self.inherited(site);
        let model = self.model(site);
        let (attrs, providers) = model.merged_over(&inherited, site.def);
        let lookup = |name: &str| self.connection_string_at(site, name);
        let check = |attrs: &[(&str, &str)], providers: &[String]| {
            rules::check(&SectionValues {
                section: site.def,
                attrs,
                providers,
                connection_string: &lookup,
            })
        };
        let merged = check(&attrs, &providers);
        // The store reads the section in effect at its application: for a section in a
        // `<location>`, what merges at that folder after it (the folder's own web.config) too.
        // The rules of the mode judge that one; each value as written is judged here.
        let empty;
        let at_folder = match self.effective_at_folder(site) {
            Some(full) => {
                empty = Model::load(doc, site.def, None);
                Some(empty.merged_over(full, site.def))
            }
            None => None,
        };
        let (eff_attrs, in_effect) = match &at_folder {
            Some((eff_attrs, eff_providers)) if *eff_attrs != attrs => {
                (eff_attrs.as_slice(), Some(check(eff_attrs, eff_providers)))
            }
            _ => (attrs.as_slice(), None),
        };
        // A value a file after this section sets in its place is not this section's to judge.
        let replaced = |a: &str| value_in(eff_attrs, a) != value_in(&attrs, a);
        // A mode this section sets in place of the inherited one makes ASP.NET read settings
        // of the levels above that were not read there: what breaks is this section's doing.
        let own_mode = value_in(&attrs, "mode");
        let inherited_mode = inherited.view.get("mode").map(|a| a.value.as_str());
        let default_mode = site.def.attribute("mode").map(|a| a.default);
        let mode_changed =
            is_own("mode") && !replaced("mode") && own_mode != inherited_mode.or(default_mode);
        let (per_value, of_mode): (Vec<_>, Vec<_>) = match in_effect {
            Some(effective) => (
                merged.into_iter().filter(|v| !v.of_mode).collect(),
                effective.into_iter().filter(|v| v.of_mode).collect(),
            ),
            None => merged.into_iter().partition(|v| !v.of_mode),
        };
        let per_value = per_value
            .into_iter()
            .filter(|v| v.attribute.as_deref().is_none_or(is_own));
        // A mode set after this section is the one in effect: what it reads is judged at the
        // section that sets it (as an inherited setting it makes ASP.NET read), not here too.
        let mode_replaced = replaced("mode");
        let of_mode = of_mode.into_iter().filter_map(|v| match v.attribute.as_deref() {
            _ if mode_replaced => None,
            None => Some(v),
            Some(a) if replaced(a) => None,
            Some(a) if is_own(a) => Some(v),
            Some(a) if mode_changed => {
                let origin = inherited.view.get(a);
                let from = origin
                    .map(|o| format!(" ({}:{})", o.file.display(), o.line))
                    .unwrap_or_default();
                let value = value_in(eff_attrs, a).unwrap_or_default();
                Some(Violation {
                    message: format!(
                        "mode=\"{}\" makes ASP.NET read the inherited {a}=\"{value}\"{from}, and {}",
                        own_mode.unwrap_or_default(),
                        v.message
                    ),
                    attribute: Some("mode".to_string()),
                    read_from: origin.map(|o| (o.file.clone(), o.line, o.name.clone())),
                    ..v
                })
            }
            Some(_) => None,
        });
        per_value.chain(of_mode).collect()
    }

    /// For a section in a `<location>` naming a folder below (with a server), the section in
    /// effect at that folder: everything that merges there, what comes after the location
    /// included.
    fn effective_at_folder(&self, site: &Site) -> Option<&crate::hierarchy::chain::Inherited> {
        if !matches!(site.scope, Scope::Location(_)) {
            return None;
        }
        let el = site.declared.map_or(site.el, |(_, e)| e);
        self.server
            .as_ref()?
            .located_effective
            .iter()
            .find(|(name, e, _)| *name == site.def.name && *e == el)
            .map(|(_, _, full)| full)
    }

    /// The effective value of an attribute of a site (explicit, else the default): for a
    /// section in a `<location>` naming a folder below, with a server, the value in effect at
    /// that folder, which the folder's own web.config may set after it.
    pub fn effective(&self, site: &Site, name: &str) -> String {
        if let Some(full) = self.effective_at_folder(site) {
            return full
                .view
                .get(name)
                .map(|a| a.value.clone())
                .or_else(|| site.def.attribute(name).map(|a| a.default.to_string()))
                .unwrap_or_default();
        }
        self.attr(site, name)
            .map(|a| self.doc(site.src).value(&a).into_owned())
            .or_else(|| {
                let inherited = self.inherited(site);
                inherited.view.get(name).map(|a| a.value.clone())
            })
            .or_else(|| site.def.attribute(name).map(|a| a.default.to_string()))
            .unwrap_or_default()
    }

    /// For a section in a `<location>` naming a folder below, with a server: the value of
    /// `name` in effect at that folder when a file after the location (the folder's own
    /// web.config) sets another in place of this section's.
    pub fn replaced_at_folder(
        &self,
        site: &Site,
        name: &str,
    ) -> Option<&crate::hierarchy::effective::ViewAttr> {
        let full = self.effective_at_folder(site)?;
        let own = self.attr(site, name)?;
        let value = self.doc(site.src).value(&own);
        full.view.get(name).filter(|a| a.value != value)
    }

    /// The `partitionResolverType` in effect that gives each session's connection string
    /// instead of the section's own (with mode StateServer or SQLServer); not one that is a
    /// deployment placeholder as a whole, which may become no resolver.
    pub fn partition_resolver(&self, site: &Site, mode: &str) -> Option<String> {
        let resolver = self.effective(site, "partitionResolverType");
        (!resolver.is_empty()
            && !crate::schema::value::is_placeholder(&resolver)
            && matches!(mode, "StateServer" | "SQLServer"))
        .then_some(resolver)
    }

    /// The effective mode, when it is spelled as ASP.NET reads it (mode-dependent advice waits
    /// until SS003 is fixed).
    pub fn mode(&self, site: &Site) -> Option<String> {
        let mode = self.effective(site, "mode");
        let def = site.def.attribute("mode")?;
        (crate::schema::value::check_stored(def, &mode) == crate::schema::value::Stored::Valid)
            .then_some(mode)
    }
}

/// The value of `name` in merged attributes (the last one set).
fn value_in<'a>(all: &[(&'a str, &'a str)], name: &str) -> Option<&'a str> {
    all.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| *v)
}
