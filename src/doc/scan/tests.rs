//! The scanner against hand-made documents, and the split scan against the one-part scan.

use super::*;

/// `scan_split` at `at` either declines or gives exactly the one-part outline; it never
/// accepts a text the one-part scan refuses.
fn check_split(text: &str, at: usize) {
    let whole = scan(text);
    match (scan_split(text, at), whole) {
        (Some(parts), Ok(whole)) => assert!(parts == whole, "split at {at} of {text:?}"),
        (Some(_), Err(e)) => panic!("split at {at} accepted {text:?}, refused with {e:?}"),
        (None, _) => {}
    }
}

fn tag_starts(text: &str) -> Vec<usize> {
    memchr::memchr_iter(b'<', text.as_bytes()).collect()
}

#[test]
fn split_scans_equal_one_part_scans_at_every_tag() {
    let mut texts: Vec<String> = vec![
        "<a><b/><c>t</c></a>".into(),
        "<?xml version=\"1.0\"?>\n<!-- c -->\n<configuration xmlns:x=\"urn:x\">\n  <a x:k=\"1\"/>\n  <b>\n    <c/><!-- c --><d>t &amp; u</d>\n  </b>\n  <![CDATA[ <e> ]]>\n</configuration>\n<!-- tail -->\n<?pi x?>\n".into(),
        "<a>\n  <b>\n  </c>\n</a>".into(),
        "<a>\n  <b/>\n</a>\n<a/>".into(),
        "<a>\n  <b/>\n</a>\ntext".into(),
        "<a>\n  <b>\n</a>".into(),
        "<a>\n  <b/>\n  <c/>\n</a></a>".into(),
        "<a>\n<!--\n  <b/>\n-->\n  <c>]]></c>\n</a>".into(),
        "<a xmlns:p=\"u\">\n  <p:b/>\n  <c xmlns:q=\"v\"><q:d/></c>\n</a>".into(),
    ];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["fixtures", "../shared/corpus"] {
        let Ok(walk) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        let mut stack: Vec<std::path::PathBuf> = walk.flatten().map(|e| e.path()).collect();
        while let Some(p) = stack.pop() {
            if p.is_dir() {
                stack.extend(std::fs::read_dir(&p).unwrap().flatten().map(|e| e.path()));
            } else if let Ok(t) = std::fs::read_to_string(&p) {
                if t.trim_start_matches('\u{FEFF}').starts_with('<') && t.len() < 200_000 {
                    texts.push(t.trim_start_matches('\u{FEFF}').to_string());
                }
            }
        }
    }
    assert!(texts.len() > 20, "fixtures found: {}", texts.len());
    for t in &texts {
        for at in tag_starts(t) {
            check_split(t, at);
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
    /// Texts made of XML-ish pieces, well-formed or not, split at every `<`.
    #[test]
    fn split_scans_are_sound_on_any_text(
        picks in proptest::collection::vec(0usize..22, 1..24)
    ) {
        const PIECES: &[&str] = &[
            "<a>", "</a>", "<b/>", "<b>", "</b>", "\n  ", "text", "&amp;", "&", "<!-- c -->",
            "<!--", "-->", "<![CDATA[ x ]]>", "]]>", "<?p d?>", "<x:c/>",
            "<d xmlns:x=\"u\">", "</d>", "<e k=\"1\">", "</e>", "\n<f>", "</f>",
        ];
        let mut t = String::from("<r>\n");
        for p in picks {
            t.push_str(PIECES[p]);
        }
        t.push_str("\n</r>\n");
        for at in tag_starts(&t) {
            check_split(&t, at);
        }
    }
}

#[test]
fn a_large_document_is_scanned_in_two_parts() {
    let mut t = String::from("<configuration>\r\n");
    for i in 0..40_000 {
        t.push_str(&format!("  <location path=\"s{i}\"><system.web><sessionState timeout=\"{i}\"/></system.web></location>\r\n"));
    }
    t.push_str("</configuration>\r\n<!-- end -->\r\n");
    let at = split_point(&t).expect("a split point");
    let parts = scan_split(&t, at).expect("the split works out");
    let whole = scan(&t).unwrap();
    assert!(parts == whole);
    // The second part's elements are kept as the outline's tail; every look-up across the
    // seam answers as the one-part outline does.
    assert!(!parts.head.is_empty() && !parts.tail.is_empty());
    assert_eq!(parts.len(), whole.len());
    for id in 0..whole.len() {
        assert_eq!(parts.get(id), whole.get(id), "element {id}");
        let start = whole.get(id).start as usize;
        for at in [start, start + 1] {
            assert_eq!(
                parts.partition_point(|e| e.start as usize <= at),
                whole.partition_point(|e| e.start as usize <= at),
            );
        }
    }
    // One end tag too many after the split, or one missing: declined.
    let extra = t.replacen("</configuration>", "</location></configuration>", 1);
    assert!(scan_split(&extra, split_point(&extra).unwrap()).is_none());
    assert!(scan(&extra).is_err());
    let missing = t.replacen("</configuration>", "", 1);
    assert!(scan_split(&missing, split_point(&missing).unwrap()).is_none());
}

#[test]
fn forbidden_chars_are_found_at_any_alignment() {
    // Across several of the 32-byte chunks the check reads, tabs and line ends between.
    for at in 0..100 {
        for bad in ['\u{1}', '\u{b}', '\u{1f}', '\u{fffe}'] {
            let mut t = "a\tb\r\nc".repeat(20);
            t.insert(at, bad);
            assert_eq!(find_forbidden_char(&t), Some(at), "{t:?}");
        }
    }
    assert_eq!(find_forbidden_char("ok\t\r\n\u{FFFD}"), None);
    assert_eq!(find_forbidden_char("x\u{FFFE}"), Some(1));
    assert_eq!(find_forbidden_char("\u{0}"), Some(0));
}

#[test]
fn text_with_brackets_is_refused_only_for_the_cdata_end() {
    let error = |t: &str| scan(t).err().map(|e| (e.offset, e.message));
    assert_eq!(error("<a>x]y]]z] ]</a>"), None);
    // `]]>` anywhere in text, at its first bracket (also after a lone one).
    assert_eq!(
        error("<a>x]]]>y</a>"),
        Some((5, "']]>' is not allowed in text".into()))
    );
    assert_eq!(
        error("<a>x]]>y<b/>"),
        Some((4, "']]>' is not allowed in text".into()))
    );
    // Text that runs to the end of the file: the element left open is what is said.
    assert_eq!(
        error("<a>x]]>y"),
        Some((
            0,
            "element <a> is never closed (the file ends first)".into()
        ))
    );
    // A fragment (the region re-checked after an edit) ending in text is checked to its end.
    assert!(scan_fragment("x]]>", Vec::new()).is_err());
    assert!(scan_fragment("x]]", Vec::new()).is_ok());
}

#[test]
fn names_longer_than_one_step_and_with_colons_are_read_whole() {
    let long = "n".repeat(40);
    let doc = format!("<{long} a{long}=\"1\" xmlns:p=\"u\" p:{long}=\"2\"><p:{long}/></{long}>");
    let outline = scan(&doc).unwrap();
    assert_eq!(outline.len(), 2);
    assert_eq!(outline.get(0).name_end as usize, 1 + long.len());
    // An undeclared prefix past the first 16 bytes is still seen.
    let bad = format!("<{long}:x/>");
    assert!(scan(&bad)
        .unwrap_err()
        .message
        .contains("undeclared prefix"));
}

#[test]
fn the_scan_refuses_a_forbidden_character_wherever_it_stands() {
    // No separate pass looks for them: each place the scan skips through checks on the way.
    let places = [
        "<a>X</a>",
        "<a>text X more</a>",
        "<a b=\"X\"/>",
        "<a b='v X'/>",
        "<a><!-- X --></a>",
        "<!-- X --><a/>",
        "<a/><!-- X -->",
        "<a><?pi X?></a>",
        "<a><![CDATA[ X ]]></a>",
        "<a>\r\n    <b c=\"0123456789abcdefghijX\" />\r\n</a>",
    ];
    for place in places {
        for bad in ["\u{0}", "\u{1}", "\u{b}", "\u{1f}", "\u{fffe}", "\u{ffff}"] {
            let t = place.replace('X', bad);
            let e = scan(&t).expect_err(&t);
            assert_eq!(
                (e.offset, e.message.starts_with("character U+")),
                (place.find('X').unwrap(), true),
                "{t:?}: {}",
                e.message
            );
        }
        // Characters whose UTF-8 starts with the same byte as U+FFFE are allowed.
        for good in ["\u{fffd}", "\u{feff}", "\u{ff21}", "\u{e000}", "\t\r\n"] {
            let t = place.replace('X', good);
            assert!(scan(&t).is_ok(), "{t:?}");
        }
    }
    // Past a split point too: the second part checks what it scans.
    let line = "  <location path=\"a\"><system.web /></location>\n";
    let mut big = format!("<configuration>\n{}", line.repeat(40_000));
    big.push_str("  <a b=\"\u{1}\" />\n</configuration>\n");
    let at = split_point(&big).unwrap();
    assert!(scan_split(&big, at).is_none());
    assert!(scan(&big).is_err());
}

#[test]
fn a_document_with_a_forbidden_character_and_another_fault_names_the_character() {
    // As before the scan checked characters itself: the first forbidden character is what is
    // reported, even after an earlier fault of another kind.
    let doc = crate::doc::Document::parse(b"<a><b></a>\n<c x=\"\x01\"/>".to_vec());
    let e = doc.err().unwrap();
    assert_eq!(e.message, "character U+0001 is not allowed in XML");
    assert_eq!((e.line, e.column), (2, 7));
}
