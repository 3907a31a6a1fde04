//! The integration tests: one binary (it links once), a module per area. Each module runs the
//! built sessctl binary, or the library where it tests a layer directly.

mod common;

mod architecture;
mod backup;
mod cases;
mod cli;
mod completions;
mod differential;
mod dsc;
mod engine;
mod hostile;
mod json_contract;
mod lint;
mod pipe;
mod props;
mod readme;
mod regressions;
mod reliability;
mod roundtrip;
mod runtime;
mod secrets;
