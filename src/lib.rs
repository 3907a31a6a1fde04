//! sessctl: byte-exact management, validation and linting of ASP.NET session-state
//! configuration on IIS servers, in appcmd's language.
//!
//! Layers, lowest first: [`doc`] (lossless XML), [`schema`] (attribute tables, values, runtime
//! rules), [`secrets`] (masking passwords in values and XML text, for every output),
//! [`hierarchy`] (files, config paths, the server layout, inheritance and locks), [`ops`]
//! (intent to patches), [`lint`], [`output`] (rendering, findings included), and [`cli`] (argv
//! to requests). A module refers only to its own layer and those below, and no modules refer
//! to each other around a circle: `tests/it/architecture.rs` reads the imports and checks both.

#![warn(missing_docs, unreachable_pub)]

pub mod cli;
pub mod doc;
pub mod hierarchy;
pub mod lint;
pub mod ops;
pub mod output;
pub mod par;
pub mod schema;
pub mod secrets;
