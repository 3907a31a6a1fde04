//! What a write must keep: the runtime rules of ASP.NET that stop an application (SPEC §3),
//! judged on the section as it would be, and the locks above it (appcmd's lock violation).

use super::model::{Change, Model};
use super::OpError;
use crate::hierarchy::chain::Inherited;
use crate::hierarchy::path::Scope;
use crate::hierarchy::source::Source;
use crate::schema::rules::{self, SectionValues};
use crate::schema::SectionDef;

/// The runtime rules the model breaks (only those that stop ASP.NET).
pub(super) fn runtime_violations(
    inputs: &RuleInputs<'_>,
    section: &'static SectionDef,
    model: &Model,
) -> Vec<rules::Violation> {
    let (attrs, providers) = model.merged_over(inputs.inherited, section);
    let lookup = |name: &str| {
        inputs
            .inherited
            .connection_string(inputs.conn_src, inputs.scope, name)
    };
    let check = |attrs: &[(&str, &str)]| {
        rules::check(&SectionValues {
            section,
            attrs,
            providers: &providers,
            connection_string: &lookup,
        })
    };
    let after = &inputs.inherited.after;
    let violations = if after.is_empty() {
        check(&attrs)
    } else {
        // Each value as written is judged as written; the rules of the mode on what the
        // session store reads, with what the files after the location set in its place.
        let mut in_effect: Vec<(&str, &str)> = attrs
            .iter()
            .filter(|(n, _)| !after.iter().any(|a| a.name == *n))
            .copied()
            .collect();
        in_effect.extend(after.iter().map(|a| (a.name.as_str(), a.value.as_str())));
        let mut all: Vec<rules::Violation> =
            check(&attrs).into_iter().filter(|v| !v.of_mode).collect();
        all.extend(check(&in_effect).into_iter().filter(|v| v.of_mode));
        all
    };
    violations
        .into_iter()
        .filter(|v| v.breaks_runtime)
        .collect()
}

/// What the runtime rules of a write read besides the section itself.
#[derive(Clone, Copy)]
pub struct RuleInputs<'a> {
    /// The file whose `<connectionStrings>` are in scope first (the one naming the section).
    pub conn_src: &'a Source,
    /// What the write inherits.
    pub inherited: &'a Inherited,
    /// Where in its file the section is written (its connection-string names are looked up
    /// at that path).
    pub scope: &'a Scope,
    /// `--force`: broken rules become warnings.
    pub force: bool,
}

/// The first lock that a change breaks, as the lock-violation error (exit 33). Checked before
/// anything else, so an unchanged value below a lock fails too (as IIS does).
pub(super) fn check_locks(
    section: &'static SectionDef,
    changes: &[Change],
    locks: &[crate::hierarchy::effective::Lock],
) -> Result<(), OpError> {
    let coll = section.collection.as_ref().map_or("providers", |c| c.name);
    for lock in locks {
        for c in changes {
            let (broken, what) = match c {
                Change::SetAttr { name, .. } | Change::ClearAttr { name } => {
                    (lock.binds_attribute(name), name.clone())
                }
                Change::AddItem { attrs } => {
                    let key = attrs
                        .iter()
                        .find(|(n, _)| n == "name")
                        .map(|(_, v)| v.as_str());
                    (lock.binds_collection(coll, key), coll.to_string())
                }
                Change::RemoveItem { key } | Change::SetItemAttr { key, .. } => (
                    lock.binds_collection(coll, Some(key)),
                    format!("{coll}.[name='{key}']"),
                ),
                Change::ReplaceItems { .. } => {
                    (lock.binds_collection(coll, None), coll.to_string())
                }
                Change::Import { attrs, providers } => {
                    match attrs.iter().find(|(n, _)| lock.binds_attribute(n)) {
                        Some((n, _)) => (true, n.clone()),
                        None => (
                            providers.is_some() && lock.binds_collection(coll, None),
                            coll.to_string(),
                        ),
                    }
                }
            };
            if broken {
                return Err(OpError::Locked {
                    lock: lock.clone(),
                    section,
                    touched: Some(what),
                });
            }
        }
        if changes.is_empty() && lock.kind == crate::hierarchy::effective::LockKind::Section {
            return Err(OpError::Locked {
                lock: lock.clone(),
                section,
                touched: None,
            });
        }
    }
    Ok(())
}
