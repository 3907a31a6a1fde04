//! The hierarchy: where a section lives and how levels merge, one body of knowledge for `set`,
//! `list`, `search` and `lint` alike. Loaded files with their connection strings, machine keys
//! and `configSource` followed ([`source`]), what .NET refuses in a file's root and `<location>`
//! elements ([`faults`]) and inside a session section's element ([`structure`]), config and location paths ([`path`]), section discovery
//! ([`discover`]), the effective section with origins and locks ([`effective`]), the server
//! layout with `/commit` targets ([`server`]), a PATH's loaded chain of files and what each
//! level inherits ([`chain`]), and the walk of a server's sites ([`walk`]).

pub mod chain;
pub mod discover;
pub mod effective;
pub mod error;
pub mod faults;
pub mod level;
pub mod lock;
pub mod path;
pub mod resolve;
pub mod server;
pub mod source;
pub mod structure;
pub mod topology;
pub mod walk;
