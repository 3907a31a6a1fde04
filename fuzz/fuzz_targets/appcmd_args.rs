//! Any command line: the appcmd/GNU argument parser never panics, and neither does the
//! indexer parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sessctl::cli::{args, request};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let argv: Vec<String> = text.split('\n').map(str::to_string).collect();
    let _ = request::parse(&argv);
    for a in &argv {
        let _ = args::indexer(a);
        let _ = args::param(a);
    }
});
