//! Any bytes: parsing never panics, a parsed file encodes back to exactly its bytes, and
//! listing both sections in every view, with the warnings list prints, never panics.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use sessctl::hierarchy::path::Scope;
use sessctl::hierarchy::source::Source;
use sessctl::ops;
use sessctl::output::list::{self, Detail, Listed};
use sessctl::schema::SECTIONS;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = Source::parse(Path::new("fuzz.config"), data.to_vec()) else {
        return;
    };
    assert_eq!(
        src.doc.to_bytes(),
        data,
        "decode/encode is not the identity"
    );
    for section in SECTIONS {
        for scope in [Scope::File, Scope::Location("site/app".into())] {
            let Ok((view, refused)) = ops::read_source_for_list(&src, section, &scope) else {
                continue;
            };
            let l = Listed {
                section,
                view,
                locked: false,
                refused,
            };
            let _ = l.warnings("fuzz.config");
            let _ = list::fragment(std::slice::from_ref(&l), Detail::Set, false);
            let _ = list::fragment(std::slice::from_ref(&l), Detail::All, true);
            let _ = list::detail_view(&l, "fuzz.config", false, true);
            let _ = list::json(&l, "fuzz.config", false);
        }
    }
});
