//! The hierarchy: where a section lives and how levels merge, one body of knowledge for `set`,
//! `list`, `search` and `lint` alike. Files and configSource ([`source`]), config and location
//! paths ([`path`]), section discovery ([`discover`]), the effective section with origins and
//! locks ([`effective`]), and the server layout with `/commit` targets ([`server`]).

pub mod discover;
pub mod effective;
pub mod error;
pub mod path;
pub mod server;
pub mod source;
