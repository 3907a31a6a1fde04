//! The single-byte encodings a declaration names (windows-1252, ISO-8859-1): any bytes after such
//! a declaration read back to exactly those bytes, and where both parse, our scanner and
//! roxmltree (on the text encoding_rs decodes) find the same elements.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sessctl::doc::Document;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let label = if pick % 2 == 0 {
        "windows-1252"
    } else {
        "iso-8859-1"
    };
    let mut bytes = format!("<?xml version=\"1.0\" encoding=\"{label}\"?>").into_bytes();
    bytes.extend_from_slice(rest);
    let ours = Document::parse(bytes.clone());
    let text: String = if label == "iso-8859-1" {
        bytes.iter().map(|&b| b as char).collect()
    } else {
        encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(&bytes)
            .0
            .into_owned()
    };
    if let Ok(d) = &ours {
        assert_eq!(d.to_bytes(), bytes, "the bytes did not come back");
        assert_eq!(d.text(), text, "decoded otherwise than encoding_rs");
    }
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: u32::MAX,
        ..roxmltree::ParsingOptions::default()
    };
    if let (Ok(d), Ok(r)) = (&ours, roxmltree::Document::parse_with_options(&text, opts)) {
        let elements = r.descendants().filter(|n| n.is_element()).count();
        assert_eq!(d.len(), elements, "element counts differ");
    }
});
