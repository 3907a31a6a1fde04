//! Locks: what an `overrideMode`, `allowOverride`, `lockAttributes`, `lockAllAttributesExcept`,
//! `lockElements` or `lockItem` binds in the levels below it, and the sentence that names it.

use std::path::PathBuf;

use crate::schema::SectionDef;

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
    /// The depth of the level it is declared at (see [`Depths`](super::effective::Depths)): it binds definitions at that
    /// level or below in files below its own.
    pub depth: usize,
    /// Whether it is kept in applicationHost.config: IIS's tools honour it, ASP.NET does not.
    pub ignored_by_aspnet: bool,
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
