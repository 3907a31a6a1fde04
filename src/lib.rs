//! sessctl: byte-exact management, validation and linting of ASP.NET session-state
//! configuration on IIS servers, in appcmd's language.
//!
//! Layers, lowest first: [`doc`] (lossless XML), [`schema`] (attribute tables, values, runtime
//! rules), [`secrets`] (masking passwords in values and XML text, for every output),
//! [`hierarchy`] (files, config paths, the server layout, inheritance and locks), [`ops`]
//! (intent to patches), [`lint`], [`output`] (rendering, findings included), and [`cli`] (argv
//! to requests). A module refers only to its own layer and those below, and no modules refer
//! to each other around a circle: `tests/it/architecture.rs` reads the imports and checks both.

//!
//! # The library
//!
//! The command line is built on a small surface that a PowerShell module or a language server
//! can use as well, re-exported here: a lossless [`Document`] and the [`Splice`]s that edit it,
//! a [`Source`] (a document and its path), [`ConfigPath`], [`Commit`] and [`LocationPath`],
//! the effective section of a file ([`read_section`], a [`SectionView`]), a planned edit
//! ([`plan_set`]: the splices a change makes, checked against ASP.NET's runtime rules) and the
//! lint of a loaded file ([`lint_source`]).
//!
//! Plan a change and apply it; every byte outside the splice stays as it was:
//!
//! ```
//! use sessctl::{plan_set, Change, Document, Scope, Source, SESSION_STATE};
//!
//! let text = "<configuration>\r\n  <system.web>\r\n    <sessionState timeout=\"20\" /><!-- keep -->\r\n  </system.web>\r\n</configuration>\r\n";
//! let src = Source::new("web.config".into(), Document::parse(text.as_bytes().to_vec())?);
//! let change = Change::SetAttr { name: "timeout".into(), value: "30".into() };
//! let splices = plan_set(&src, &SESSION_STATE, &Scope::File, &[change], false)?;
//! let edit = src.doc.into_edit(splices)?;
//! assert_eq!(edit.after(), text.replace("\"20\"", "\"30\""));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Read the effective section of a `<location>` in a file, and lint the file:
//!
//! ```
//! use sessctl::{lint_source, read_section, Document, LintOptions, Scope, Source, SESSION_STATE};
//!
//! let text = r#"<configuration>
//!   <system.web><sessionState mode="InProc" timeout="20" /></system.web>
//!   <location path="Shop"><system.web><sessionState mode="inproc" /></system.web></location>
//! </configuration>"#;
//! let src = Source::new("web.config".into(), Document::parse(text.as_bytes().to_vec())?);
//! let view = read_section(&src, &SESSION_STATE, &Scope::Location("shop".into()))?;
//! assert_eq!(view.get("timeout").map(|a| a.value.as_str()), Some("20"));
//! let findings = lint_source(src, &LintOptions::default());
//! assert_eq!(findings[0].code, "SS003"); // mode="inproc": values are case-sensitive
//! assert_eq!((findings[0].line, findings[0].column), (3, 57));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Config paths compare as IIS compares them:
//!
//! ```
//! use sessctl::{Commit, ConfigPath};
//!
//! let a = ConfigPath::parse("MACHINE/WEBROOT/APPHOST/Default Web Site/App1").unwrap();
//! let b = ConfigPath::parse("machine/webroot/apphost/default web site/app1").unwrap();
//! assert_eq!(a, b);
//! assert_eq!(Commit::parse("WebRoot"), Some(Commit::WebRoot));
//! ```

#![warn(missing_docs, unreachable_pub)]

pub mod cli;
pub mod doc;
pub mod hierarchy;
pub mod lint;
pub mod ops;
pub mod output;
pub(crate) mod par;
pub mod schema;
pub mod secrets;

pub use doc::{Document, Splice};
pub use hierarchy::effective::SectionView;
pub use hierarchy::path::{Commit, ConfigPath, LocationPath, Scope};
pub use hierarchy::source::Source;
pub use lint::{lint_source, Finding, LintOptions};
pub use ops::{plan_set, read_source as read_section, Change};
pub use schema::{SESSION_PAGE_STATE, SESSION_STATE};
