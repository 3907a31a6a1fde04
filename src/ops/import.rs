//! Reading appcmd's `/xml` document for `set config /in`: `<appcmd>`, one `<CONFIG
//! CONFIG.SECTION="system.web/S">` per section, holding `<system.web-S attr="..."/>` with its
//! `<providers>`. Each becomes a [`Change::Import`]: make the section's explicitly set values at
//! the commit level equal these, providers included. Values are checked against the schema
//! here, before any file is read.

use super::Change;
use crate::doc::{DocError, Document};
use crate::schema::value::{parse_input, InvalidValue};
use crate::schema::{find_section, is_general_attribute, SectionDef};

/// Parse an `/in` document: each section it holds and the import for it.
pub fn parse(bytes: Vec<u8>) -> Result<Vec<(&'static SectionDef, Change)>, ImportError> {
    let doc = Document::parse(bytes).map_err(ImportError::NotXml)?;
    let root = doc.root();
    if doc.name(root) != "appcmd" {
        return Err(ImportError::NotAppcmd(doc.name(root).to_string()));
    }
    let mut out = Vec::new();
    for config in doc.children(root) {
        if doc.name(config) != "CONFIG" {
            return Err(ImportError::NotConfig(doc.name(config).to_string()));
        }
        let path = doc.attr_value(config, "CONFIG.SECTION").unwrap_or_default();
        let section =
            find_section(&path).ok_or_else(|| ImportError::UnknownSection(path.to_string()))?;
        let element = section.path.replace('/', "-");
        let body: Vec<_> = doc.children(config).collect();
        let el = match body.as_slice() {
            [] => None,
            [one] if doc.name(*one) == element => Some(*one),
            _ => {
                return Err(ImportError::ConfigBody {
                    section: section.path,
                    element,
                })
            }
        };
        let mut attrs = Vec::new();
        let mut providers = None;
        if let Some(el) = el {
            for a in doc.attrs(el) {
                let name = doc.attr_name(&a);
                if is_general_attribute(name) {
                    continue;
                }
                let value = doc.value(&a);
                let def = section
                    .attribute(name)
                    .ok_or_else(|| ImportError::UnknownAttribute {
                        name: name.to_string(),
                        section: section.path,
                        hint: section.suggest(name),
                    })?;
                refuse_masked(name, &value)?;
                let value = parse_input(def, &value).map_err(ImportError::Value)?;
                attrs.push((def.name.to_string(), value));
            }
            if let Some(coll) = &section.collection {
                for c in doc.children(el) {
                    if doc.name(c) != coll.name {
                        return Err(ImportError::NotCollection {
                            found: doc.name(c).to_string(),
                            element,
                            collection: coll.name,
                        });
                    }
                    let mut items = Vec::new();
                    for item in doc.children(c) {
                        if doc.name(item) != "add" {
                            return Err(ImportError::NotAdd {
                                found: doc.name(item).to_string(),
                                collection: coll.name,
                            });
                        }
                        let mut pairs = Vec::new();
                        for a in doc.attrs(item) {
                            let (n, v) =
                                (doc.attr_name(&a).to_string(), doc.value(&a).into_owned());
                            refuse_masked(&n, &v)?;
                            pairs.push((n, v));
                        }
                        for req in coll.required {
                            if !pairs.iter().any(|(n, v)| n == req && !v.is_empty()) {
                                return Err(ImportError::ProviderWithout(req));
                            }
                        }
                        items.push(pairs);
                    }
                    providers = Some(items);
                }
                if providers.is_none() {
                    providers = Some(vec![]);
                }
            }
        }
        out.push((section, Change::Import { attrs, providers }));
    }
    if out.is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(out)
}

/// A value `list` masked (`Password=****`) would write the mask as the password.
fn refuse_masked(name: &str, value: &str) -> Result<(), ImportError> {
    if crate::secrets::is_masked_attribute(name, value) {
        return Err(ImportError::Masked {
            name: name.to_string(),
            password: false,
        });
    }
    let lower = value.to_ascii_lowercase().replace(' ', "");
    let masked = crate::schema::connstr::parse(value)
        .iter()
        .any(|p| crate::schema::connstr::is_secret_key(&p.key) && p.value == "****")
        || lower.contains("password=****")
        || lower.contains("pwd=****");
    if masked {
        return Err(ImportError::Masked {
            name: name.to_string(),
            password: true,
        });
    }
    Ok(())
}

/// Why an `/in` document is refused.
#[derive(Debug)]
pub enum ImportError {
    /// It is not well-formed XML.
    NotXml(DocError),
    /// Its root is not `<appcmd>` (the root's name).
    NotAppcmd(String),
    /// An element other than `<CONFIG>` in `<appcmd>`.
    NotConfig(String),
    /// A section sessctl does not manage.
    UnknownSection(String),
    /// A `<CONFIG>` that does not hold exactly the section's element.
    ConfigBody {
        /// The section.
        section: &'static str,
        /// The element it should hold.
        element: String,
    },
    /// An attribute the section does not have.
    UnknownAttribute {
        /// The attribute.
        name: String,
        /// The section.
        section: &'static str,
        /// The nearest attribute name.
        hint: Option<&'static str>,
    },
    /// A value the schema refuses.
    Value(InvalidValue),
    /// A masked value (`list` without `--show-secrets`): the whole value, or a password in it.
    Masked {
        /// The attribute.
        name: String,
        /// A masked password inside a connection string, rather than a masked value.
        password: bool,
    },
    /// Another element where the collection belongs.
    NotCollection {
        /// The element found.
        found: String,
        /// The section element.
        element: String,
        /// The collection's element name.
        collection: &'static str,
    },
    /// Another element than `<add>` in the collection.
    NotAdd {
        /// The element found.
        found: String,
        /// The collection's element name.
        collection: &'static str,
    },
    /// A provider without a required attribute.
    ProviderWithout(&'static str),
    /// No `<CONFIG>` at all.
    Empty,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::NotXml(e) => write!(
                f,
                "the /in input is not well-formed XML: line {}, column {}: {}",
                e.line, e.column, e.message
            ),
            ImportError::NotAppcmd(root) => write!(
                f,
                "the /in input must be appcmd's /xml document (<appcmd><CONFIG ...>), not <{root}>"
            ),
            ImportError::NotConfig(found) => {
                write!(f, "the /in input holds <{found}> where <CONFIG> belongs")
            }
            ImportError::UnknownSection(path) => write!(
                f,
                "the /in input holds section \"{path}\"; sessctl manages system.web/sessionState and system.web/sessionPageState"
            ),
            ImportError::ConfigBody { section, element } => write!(
                f,
                "the /in input's CONFIG for {section} must hold one <{element}> element"
            ),
            ImportError::UnknownAttribute {
                name,
                section,
                hint,
            } => {
                write!(f, "the /in input sets unknown attribute \"{name}\" of {section}")?;
                match hint {
                    Some(h) => write!(f, " (did you mean \"{h}\"?)"),
                    None => Ok(()),
                }
            }
            ImportError::Value(e) => e.fmt(f),
            ImportError::Masked { name, password } => write!(
                f,
                "the /in input's {name} {} (****); list the source with --show-secrets to copy it",
                if *password {
                    "holds a masked password"
                } else {
                    "is masked"
                }
            ),
            ImportError::NotCollection {
                found,
                element,
                collection,
            } => write!(
                f,
                "the /in input holds <{found}> inside <{element}>; only <{collection}> belongs there"
            ),
            ImportError::NotAdd { found, collection } => write!(
                f,
                "the /in input holds <{found}> in <{collection}>; it lists the effective entries as <add>"
            ),
            ImportError::ProviderWithout(req) => {
                write!(f, "a provider in the /in input has no {req}")
            }
            ImportError::Empty => write!(f, "the /in input holds no <CONFIG> element"),
        }
    }
}

impl std::error::Error for ImportError {}
