//! Any bytes as a web.config, an applicationHost.config and a transform (Web.Release.config):
//! every lint rule that applies runs without panicking, every finding lies inside the text,
//! and every output format renders.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use sessctl::hierarchy::source::Source;
use sessctl::lint::context::FileContext;
use sessctl::lint::{lint_context, LintOptions};
use sessctl::output::lint::{github, human, json, sarif, Summary};

fuzz_target!(|data: &[u8]| {
    let opts = LintOptions::default();
    for name in ["web.config", "applicationHost.config", "Web.Release.config"] {
        let Ok(src) = Source::parse(Path::new(name), data.to_vec()) else {
            return;
        };
        let len = src.doc.text().len();
        let ctx = FileContext::from_source(src, &opts);
        let findings = lint_context(&ctx, &opts);
        for f in &findings {
            assert!(f.text_range.start <= f.text_range.end && f.text_range.end <= len);
            assert!(f.line >= 1 && f.column >= 1);
        }
        let summary = Summary { files: 1, fixed: 0 };
        let _ = human(&findings, summary, true, false);
        let _ = json(&findings, summary, false, None);
        let _ = sarif(&findings, false);
        let _ = github(&findings, false);
    }
});
