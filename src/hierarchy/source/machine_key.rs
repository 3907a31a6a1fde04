//! `<machineKey>`: where a file sets the keys that sign and encrypt view state, forms tickets
//! and session IDs, read once per file ([`Source::machine_keys`]), a `configSource` followed.

use std::path::PathBuf;

use super::config_source::{follow_to_source, ConfigSourceFault};
use super::{encrypted_provider, Source};
use crate::doc::{Document, ElementId};
use crate::hierarchy::discover::is_configuration;

/// Every `<machineKey>` of the file's `<system.web>` groups (its own level and each
/// `<location>`), in document order.
pub(super) fn read(src: &Source) -> Vec<MachineKeyDef> {
    let doc = &src.doc;
    let root = doc.root();
    if !is_configuration(doc) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut read = |container: ElementId, scope: &crate::hierarchy::path::LocationPath| {
        for g in doc.children_named(container, "system.web") {
            for mk in doc.children_named(g, "machineKey") {
                // ASP.NET reads the keys of the file a configSource names. One that
                // cannot be read (most often not there: kept out of the repository on
                // purpose and put on each server) still says the keys are set,
                // elsewhere; why it cannot be followed is kept for SS011.
                let mut external = None;
                let mut fault = None;
                let (keys, plaintext) = match follow_to_source(src, mk, "machineKey") {
                    None => machine_keys_of(doc, mk),
                    Some(Ok(ext)) => {
                        let keys = machine_keys_of(&ext.doc, ext.doc.root());
                        external = Some(ext.path);
                        keys
                    }
                    Some(Err(e)) => {
                        fault = Some(e.fault(src, mk));
                        let named = doc.attr_value(mk, "configSource");
                        let named = named.unwrap_or_default().into_owned();
                        (MachineKeys::Elsewhere(named), Vec::new())
                    }
                };
                out.push(MachineKeyDef {
                    scope: scope.clone(),
                    keys,
                    plaintext,
                    line: src.line_of(mk),
                    el: mk,
                    external,
                    fault,
                });
            }
        }
    };
    read(root, &crate::hierarchy::path::LocationPath::file_level());
    for loc in doc.children_named(root, "location") {
        let scope = crate::hierarchy::path::LocationPath::new(
            &doc.attr_value(loc, "path").unwrap_or_default(),
        );
        read(loc, &scope);
    }
    // A scope that holds the element twice: .NET refuses the section there, so neither is
    // read (whichever applies to a path says so).
    for (first, repeat) in crate::hierarchy::path::repeated_scopes(out.iter().map(|k| &k.scope)) {
        for i in [first, repeat] {
            out[i].keys = MachineKeys::Refused;
        }
    }
    out
}

/// One `<machineKey>` element of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MachineKeyDef {
    /// The location path it applies to (the file's own level outside `<location>`).
    pub scope: crate::hierarchy::path::LocationPath,
    /// Its keys.
    pub keys: MachineKeys,
    /// The attributes (`validationKey`, `decryptionKey`) that hold a key in plain text.
    pub plaintext: Vec<&'static str>,
    /// Its 1-based line.
    pub line: usize,
    /// The element.
    pub el: ElementId,
    /// The file its `configSource` names, which holds the keys.
    pub external: Option<PathBuf>,
    /// Why its `configSource` cannot be followed, when it cannot.
    pub fault: Option<ConfigSourceFault>,
}

/// Whether a `validationKey` or `decryptionKey` value is a key itself, as ASP.NET reads it:
/// anything but empty or `AutoGenerate` (with its `,IsolateApps` or `,IsolateByAppId`).
fn is_explicit_machine_key(value: &str) -> bool {
    let v = value.trim();
    !v.is_empty() && !v.starts_with("AutoGenerate")
}

/// The keys a `<machineKey>` element says (the element of the file, or the root of the file its
/// `configSource` names), and which of its attributes hold a key in plain text.
fn machine_keys_of(doc: &Document, mk: ElementId) -> (MachineKeys, Vec<&'static str>) {
    if let Some(provider) = encrypted_provider(doc, mk) {
        return (MachineKeys::Encrypted(provider), Vec::new());
    }
    let get = |n: &str| {
        doc.attr_value(mk, n)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let (v, d) = (get("validationKey"), get("decryptionKey"));
    let plaintext = [("validationKey", &v), ("decryptionKey", &d)]
        .into_iter()
        .filter(|(_, k)| is_explicit_machine_key(k) && !crate::schema::value::is_placeholder(k))
        .map(|(n, _)| n)
        .collect::<Vec<_>>();
    let keys = if is_explicit_machine_key(&v) && is_explicit_machine_key(&d) {
        MachineKeys::Explicit {
            validation: v,
            decryption: d,
        }
    } else {
        MachineKeys::Auto
    };
    (keys, plaintext)
}

/// What a `<machineKey>` says about the keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MachineKeys {
    /// Both keys given (neither empty nor AutoGenerate).
    Explicit {
        /// `validationKey`.
        validation: String,
        /// `decryptionKey`.
        decryption: String,
    },
    /// The element is encrypted with this protection provider: explicit keys, values unknown.
    Encrypted(String),
    /// The element names this file by `configSource`, which is not there to read: keys set
    /// on the server, values unknown here.
    Elsewhere(String),
    /// A key is missing or AutoGenerate: each server makes its own.
    Auto,
    /// The element's scope holds `<machineKey>` twice: .NET refuses the section there, and
    /// every read of the keys fails (SS004 says so), whatever either element says.
    Refused,
}

impl MachineKeyDef {
    /// Whether it does not leave each server to make its own keys (explicit or encrypted keys,
    /// or a section .NET refuses, which SS004 reports).
    pub fn is_explicit(&self) -> bool {
        self.keys != MachineKeys::Auto
    }
}
