//! Our scanner against roxmltree (the oracle), on the inputs where they are meant to differ.
//! Each intended difference is pinned here with the reason; everywhere else the two must agree,
//! which `fuzz/fuzz_targets/scan_vs_roxmltree.rs` checks in both directions.
//!
//! | input | sessctl | roxmltree | why |
//! |---|---|---|---|
//! | a DTD (`<!DOCTYPE ...>`) | refused | parsed (internal subset, entities expanded) | configuration files never carry one; refusing it rules out entity expansion attacks (SPEC §7) |
//! | `&#xD800;` (a surrogate) | refused | accepted | a surrogate is not a Char of XML 1.0; .NET refuses it too |
//! | `encoding="utf-16"` declared on UTF-8 bytes | refused | accepted (it reads `&str`) | the declaration contradicts the bytes (SPEC §7) |
//! | `<:a/>`, `<a b:="1"/>`, `<a></:a>` (an empty prefix or local part) | refused | accepted | not a QName of Namespaces in XML 1.0; .NET: "Name cannot begin with the ':' character" (found by the differential fuzz target) |
//! | `<?pi\u{2001}x?>` (no white space after a PI's target) | refused | accepted | XML 1.0 production 16 needs S there; U+2001 is not XML white space (found by the differential fuzz target) |
//! | `<a xmlns="urn:x" xmlns="urn:x"/>` (a namespace declaration twice) | refused | accepted | XML 1.0 WFC "Unique Att Spec" holds for `xmlns` too (found by the differential fuzz target) |
//! | two byte-order marks | refused (the second is a character before the root) | accepted (it skips U+FEFF at the start of its text) | only one BOM is a BOM (found by the differential fuzz target) |
//! | `<xml:a/>` (an element with the prefix xml) | accepted | refused ("unknown namespace prefix") | Namespaces in XML binds xml by definition, for elements too (found by the differential fuzz target) |
//! | `<?xmL version="1.0"?>` (a PI target `xml` in another case) | refused | accepted | XML 1.0 reserves PI targets matching `[Xx][Mm][Ll]`; .NET refuses it too (found by the differential fuzz target) |

use sessctl::doc::{Document, Encoding};

fn ours(text: &str) -> Result<(), String> {
    Document::from_text(text.to_string(), Encoding::Utf8 { bom: false })
        .map(|_| ())
        .map_err(|e| e.message)
}

fn theirs(text: &str) -> Result<(), String> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, opts)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[test]
fn a_dtd_is_refused_where_roxmltree_expands_it() {
    let text = "<!DOCTYPE c [<!ENTITY e \"x\">]><c a=\"&e;\"/>";
    assert!(ours(text).unwrap_err().contains("DTD"));
    assert!(theirs(text).is_ok());
}

#[test]
fn a_surrogate_character_reference_is_refused() {
    let text = "<c a=\"&#xD800;\"/>";
    assert!(ours(text)
        .unwrap_err()
        .contains("character reference to a character XML does not allow"));
    assert_eq!(theirs(text).is_ok(), ROXMLTREE_ACCEPTS_SURROGATE_REFERENCES);
}

/// roxmltree's behaviour on `&#xD800;`, pinned: if a new version starts refusing it, this test
/// says so and the table above loses a row.
const ROXMLTREE_ACCEPTS_SURROGATE_REFERENCES: bool = true;

#[test]
fn a_declaration_that_contradicts_the_bytes_is_refused() {
    let bytes = b"<?xml version=\"1.0\" encoding=\"utf-16\"?><c/>".to_vec();
    assert!(Document::parse(bytes).is_err());
    assert!(theirs("<?xml version=\"1.0\" encoding=\"utf-16\"?><c/>").is_ok());
}

/// The namespace and name rules we added agree with roxmltree.
#[test]
fn names_and_namespaces_agree_with_roxmltree() {
    let zeros = "0".repeat(40);
    let cases = [
        "<a\u{d7}b/>".to_string(),
        "<p:a/>".to_string(),
        "<a p:x=\"1\"/>".to_string(),
        "<a xmlns:xml=\"urn:x\"/>".to_string(),
        "<a xmlns:p=\"urn:p\" xmlns:q=\"urn:p\" p:x=\"1\" q:x=\"2\"/>".to_string(),
        "<a:b:c xmlns:a=\"urn:a\"/>".to_string(),
        "<a xmlns:p=\"urn:p\"><p:b p:c=\"1\"/></a>".to_string(),
        "<a xmlns=\"urn:d\" xml:lang=\"en\"/>".to_string(),
        format!("<a v=\"&#x{zeros}41;\"/>"),
        "<\u{e9}l\u{e8}ve \u{b7}x=\"1\"/>".to_string(),
        "<a \u{b7}x=\"1\"/>".to_string(),
        "<xml:-/>".to_string(),
        "<a xmlns:p=\"urn:p\" p:1=\"x\"/>".to_string(),
    ];
    for c in &cases {
        assert_eq!(
            ours(c).is_ok(),
            theirs(c).is_ok(),
            "{c:?}: sessctl {:?}, roxmltree {:?}",
            ours(c),
            theirs(c)
        );
    }
}

#[test]
fn a_processing_instruction_named_xml_in_another_case_is_refused() {
    let text = "<?xmL version=\"1.0\"?><c/>";
    assert!(ours(text)
        .unwrap_err()
        .contains("XML declaration is only allowed"));
    assert!(theirs(text).is_ok());
}

#[test]
fn a_name_with_an_empty_prefix_is_refused() {
    let text = "<:a/>";
    assert!(ours(text)
        .unwrap_err()
        .contains("is not a valid qualified name"));
    assert!(theirs(text).is_ok());
}

#[test]
fn an_end_tag_with_an_empty_prefix_does_not_close_the_element() {
    let text = "<a></:a>";
    assert!(ours(text).unwrap_err().contains("does not match start tag"));
    assert!(theirs(text).is_ok());
}

#[test]
fn a_processing_instruction_target_needs_white_space_after_it() {
    let text = "<c><?pi\u{2001}x?></c>";
    assert!(ours(text)
        .unwrap_err()
        .contains("character '\u{2001}' (U+2001) is not allowed in a name"));
    assert!(theirs(text).is_ok());
    let text = "<c><?pi<x?></c>";
    assert!(ours(text)
        .unwrap_err()
        .contains("after the processing instruction's target"));
}

#[test]
fn a_namespace_declaration_given_twice_is_refused() {
    let text = "<a xmlns=\"urn:x\" xmlns=\"urn:x\"/>";
    assert!(ours(text)
        .unwrap_err()
        .contains("duplicate attribute \"xmlns\""));
    assert!(theirs(text).is_ok());
}

#[test]
fn a_second_byte_order_mark_is_text_before_the_root() {
    let bytes = b"\xEF\xBB\xBF\xEF\xBB\xBF<c/>".to_vec();
    assert!(Document::parse(bytes).is_err());
    assert!(theirs("\u{feff}<c/>").is_ok());
}

#[test]
fn an_element_with_the_prefix_xml_is_accepted() {
    let text = "<c><xml:a/></c>";
    assert!(ours(text).is_ok());
    assert!(theirs(text).unwrap_err().contains("prefix 'xml'"));
}
