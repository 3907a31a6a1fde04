//! The library's parts on their own, with exact messages and positions: the scanner, value
//! rules, runtime rules and the appcmd argument parser.

use sessctl::cli::args;
use sessctl::doc::{DocError, Document};
use sessctl::schema::rules::{check_tcpip, custom_database_key};
use sessctl::schema::value::{check_stored, parse_input, Stored};
use sessctl::schema::{find_section, SESSION_PAGE_STATE, SESSION_STATE};

fn error(text: &str) -> DocError {
    Document::parse(text.as_bytes().to_vec()).expect_err(text)
}

#[test]
fn malformed_documents_are_refused_with_line_and_column() {
    let cases: &[(&str, usize, usize, &str)] = &[
        ("", 1, 1, "no root element: the document is empty"),
        (
            "<configuration>",
            1,
            1,
            "element <configuration> is never closed (the file ends first)",
        ),
        (
            "<a>\n  <b>\n</a>",
            3,
            1,
            "end tag </a> does not match start tag <b>",
        ),
        ("<a x=\"1\" x=\"2\"/>", 1, 10, "duplicate attribute \"x\""),
        ("<a x=1/>", 1, 6, "attribute values must be in quotes"),
        (
            "<a x=\"<\"/>",
            1,
            7,
            "'<' is not allowed in an attribute value",
        ),
        ("<a>&nbsp;</a>", 1, 4, "undefined entity &nbsp;"),
        (
            "<a>&#0;</a>",
            1,
            4,
            "character reference to a character XML does not allow",
        ),
        (
            "<a>fish & chips</a>",
            1,
            9,
            "'&' must start an entity reference such as &amp;",
        ),
        (
            "<a/><b/>",
            1,
            5,
            "content after the root element (a document has exactly one root)",
        ),
        (
            "text<a/>",
            1,
            1,
            "text is not allowed before the root element",
        ),
        (
            "<a><!-- x -- y --></a>",
            1,
            11,
            "'--' is not allowed inside a comment",
        ),
        ("<a>]]></a>", 1, 4, "']]>' is not allowed in text"),
        (
            "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY b \"c\">]>\n<a>&b;</a>",
            2,
            1,
            "a DTD (<!DOCTYPE>) is not allowed in configuration files",
        ),
        (
            "<a>\n<?xml version=\"1.0\"?></a>",
            2,
            1,
            "the XML declaration is only allowed at the very start of the file",
        ),
        (
            "<?xml encoding=\"utf-8\"?><a/>",
            1,
            7,
            "the XML declaration must start with version",
        ),
        (
            "<a b=\"1\"c=\"2\"/>",
            1,
            9,
            "expected whitespace, '>' or '/>', found 'c'",
        ),
        (
            "<a>\u{0}</a>",
            1,
            4,
            "character U+0000 is not allowed in XML",
        ),
        ("<1a/>", 1, 2, "expected a name, found '1'"),
        ("<a x=\"1", 1, 4, "attribute value is never closed"),
        (
            "<a",
            1,
            1,
            "start tag is never closed (the file ends first)",
        ),
    ];
    for (text, line, column, message) in cases {
        let e = error(text);
        assert_eq!(
            (e.line, e.column, e.message.as_str()),
            (*line, *column, *message),
            "{text:?}"
        );
    }
}

#[test]
fn invalid_utf8_and_contradicting_declarations() {
    let e = Document::parse(b"<a>\n caf\xE9</a>".to_vec()).unwrap_err();
    assert_eq!((e.offset, e.line, e.column), (8, 2, 5));
    assert_eq!(e.message, "invalid UTF-8 at byte offset 8");
    let e = error("<?xml version=\"1.0\" encoding=\"utf-16\"?><a/>");
    assert_eq!(
        e.message,
        "the XML declaration says encoding=\"utf-16\" but the file is UTF-8"
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "<?xml version=\"1.0\" encoding=\"utf-8\"?><a/>".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let e = Document::parse(utf16).unwrap_err();
    assert_eq!(
        e.message,
        "the XML declaration says encoding=\"utf-8\" but the file is UTF-16LE"
    );
    let e = Document::parse(b"<\0a\0/\0>\0".to_vec()).unwrap_err();
    assert!(
        e.message.contains("UTF-16 without a byte-order mark"),
        "{}",
        e.message
    );
}

#[test]
fn deep_nesting_is_fine_and_costs_no_recursion() {
    let depth = 100_000;
    let text = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
    let doc = Document::parse(text.into_bytes()).unwrap();
    assert_eq!(doc.len(), depth);
    let unclosed = "<a>".repeat(depth);
    assert_eq!(error(&unclosed).column, 1 + 3 * (depth - 1));
}

#[test]
fn outline_ranges_and_attributes() {
    let text =
        "\u{feff}<c>\r\n  <s a='1' b=\"x&amp;y&#10;z\"\r\n     c=\"line\r\nbreak\" />\r\n</c>";
    let doc = Document::parse(text.as_bytes().to_vec()).unwrap();
    let s = doc.children(doc.root()).next().unwrap();
    assert_eq!(doc.name(s), "s");
    assert!(doc.element(s).self_closed());
    assert_eq!(doc.indent_of(s), Some("  "));
    let attrs: Vec<(String, String, u8)> = doc
        .attrs(s)
        .map(|a| {
            (
                doc.attr_name(&a).to_string(),
                doc.value(&a).into_owned(),
                a.quote,
            )
        })
        .collect();
    assert_eq!(
        attrs,
        vec![
            ("a".into(), "1".into(), b'\''),
            ("b".into(), "x&y\nz".into(), b'"'),
            ("c".into(), "line break".into(), b'"'),
        ]
    );
    assert_eq!(doc.eol_near(10), "\r\n");
    assert_eq!(doc.to_bytes(), text.as_bytes());
}

#[test]
fn command_line_values_are_canonicalized() {
    let a = |n: &str| SESSION_STATE.attribute(n).unwrap();
    let ok = |n: &str, v: &str| parse_input(a(n), v).unwrap();
    assert_eq!(ok("mode", "sqlserver"), "SQLServer");
    assert_eq!(ok("mode", " stateSERVER "), "StateServer");
    assert_eq!(ok("cookieless", "true"), "UseUri");
    assert_eq!(ok("cookieless", "FALSE"), "UseCookies");
    assert_eq!(ok("timeout", "00:30:00"), "30");
    assert_eq!(ok("timeout", "1.00:00:00"), "1440");
    assert_eq!(ok("timeout", "infinite"), "Infinite");
    assert_eq!(ok("stateNetworkTimeout", "00:01:00"), "60");
    assert_eq!(ok("sqlCommandTimeout", "00:00:05.000"), "5");
    assert_eq!(ok("regenerateExpiredSessionId", "False"), "false");
    assert_eq!(ok("cookieName", ""), "");
    assert_eq!(
        parse_input(SESSION_PAGE_STATE.attribute("historySize").unwrap(), "20").unwrap(),
        "20"
    );
    assert_eq!(
        parse_input(a("timeout"), "00:00:30")
            .unwrap_err()
            .to_string(),
        "Invalid value \"00:00:30\" for attribute \"timeout\": 00:00:30 is not a whole number of minutes"
    );
    assert_eq!(
        parse_input(a("mode"), "redis").unwrap_err().to_string(),
        "Invalid value \"redis\" for attribute \"mode\": Enum must be one of Off, InProc, StateServer, SQLServer, Custom"
    );
    for (n, v) in [
        ("timeout", "0"),
        ("timeout", "35791395"),
        ("timeout", "25:00:00"),
        ("stateNetworkTimeout", "0"),
        ("useHostingIdentity", "yes"),
    ] {
        assert!(parse_input(a(n), v).is_err(), "{n}={v}");
    }
}

#[test]
fn stored_values_are_judged_as_asp_net_reads_them() {
    let a = |n: &str| SESSION_STATE.attribute(n).unwrap();
    assert_eq!(check_stored(a("mode"), "SQLServer"), Stored::Valid);
    assert_eq!(check_stored(a("cookieless"), "false"), Stored::Valid);
    // A release pipeline's token: nothing to judge in the file.
    for (n, v) in [
        ("mode", "#{Session.Mode}"),
        ("timeout", "__SessionTimeout__"),
        ("sqlConnectionString", "$(SessionDb)"),
        ("cookieless", "{{ cookieless }}"),
    ] {
        assert_eq!(check_stored(a(n), v), Stored::Placeholder, "{n}={v}");
    }
    match check_stored(a("mode"), "sqlserver") {
        Stored::Invalid {
            fix,
            breaks_runtime,
            ..
        } => assert_eq!((fix.as_deref(), breaks_runtime), (Some("SQLServer"), true)),
        v => panic!("{v:?}"),
    }
    match check_stored(a("timeout"), "00:20:00") {
        Stored::Invalid {
            fix,
            breaks_runtime,
            ..
        } => assert_eq!((fix.as_deref(), breaks_runtime), (Some("20"), true)),
        v => panic!("{v:?}"),
    }
    match check_stored(a("compressionEnabled"), "True") {
        Stored::Invalid {
            fix,
            breaks_runtime,
            ..
        } => assert_eq!((fix.as_deref(), breaks_runtime), (Some("true"), false)),
        v => panic!("{v:?}"),
    }
    assert!(matches!(
        check_stored(a("timeout"), "0"),
        Stored::Invalid { fix: None, .. }
    ));
    // A day count whose seconds overflow has no fix (it once wrapped around to "32").
    assert!(matches!(
        check_stored(a("timeout"), "118494710195703717.00:00:00"),
        Stored::Invalid { fix: None, .. }
    ));
}

#[test]
fn state_server_connection_strings() {
    for ok in [
        "tcpip=loopback:42424",
        "tcpip=10.0.0.5:0",
        "tcpip=[::1]:42424",
        "tcpip=state-01.corp:65535",
    ] {
        assert_eq!(check_tcpip(ok), Ok(()), "{ok}");
    }
    for (bad, why) in [
        (
            "tcpip=server",
            "it has no port, and there is no default (write tcpip=HOST:42424)",
        ),
        (
            "TCPIP=a:1",
            "it must start with \"tcpip=\" (lower case) followed by HOST:PORT",
        ),
        (
            "tcpip=a:65536",
            "port \"65536\" is not a number from 0 to 65535",
        ),
        (
            "tcpip=::1:42424",
            "put an IPv6 address in brackets (tcpip=[::1]:42424)",
        ),
        ("tcpip=[::g]:1", "\"::g\" is not an IPv6 address"),
        (
            "tcpip=h st:1",
            "\"h st\" is not an IPv4 address or host name",
        ),
    ] {
        assert_eq!(
            check_tcpip(bad).map_err(|e| e.to_string()),
            Err(why.to_string()),
            "{bad}"
        );
    }
    assert_eq!(
        custom_database_key("Server=a; initial catalog =b"),
        Some("initial catalog".into())
    );
    assert_eq!(
        custom_database_key("AttachDbFileName=|DataDirectory|x.mdf"),
        Some("AttachDbFileName".into())
    );
    assert_eq!(
        custom_database_key("data source=a;Integrated Security=SSPI"),
        None
    );
}

#[test]
fn appcmd_parameters_and_indexers() {
    let argv: Vec<String> = [
        "set",
        "config",
        "--file",
        "/tmp/w.config",
        "/section:x",
        "-mode:Off",
        "/!section:y",
        "/+providers.[name='a:b',type='T']",
        "/?",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let raw = args::split(&argv);
    assert_eq!(raw.error, None);
    assert_eq!(raw.positionals, vec!["set", "config"]);
    assert_eq!(
        raw.options,
        vec![("file".to_string(), Some("/tmp/w.config".to_string()))]
    );
    assert!(raw.appcmd_help);
    let names: Vec<(&str, Option<&str>, bool)> = raw
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.value.as_deref(), p.escaped))
        .collect();
    assert_eq!(
        names,
        vec![
            ("section", Some("x"), false),
            ("mode", Some("Off"), false),
            ("section", Some("y"), true),
            ("+providers.[name='a:b',type='T']", None, false),
        ]
    );
    let (pairs, rest) = args::indexer("[name='it''s',type='A, B]',x=plain].port").unwrap();
    assert_eq!(
        pairs,
        vec![
            ("name".into(), "it's".into()),
            ("type".into(), "A, B]".into()),
            ("x".into(), "plain".into())
        ]
    );
    assert_eq!(rest, ".port");
    assert!(args::indexer("[name='open").is_err());
    assert!(args::indexer("[name]").is_err());
    assert_eq!(
        find_section("System.Web/SessionState").unwrap().name,
        "sessionState"
    );
    assert!(find_section("system.web/sessionStateX").is_none());
}

/// Found by fuzzing parse_set_reparse (the oracle, not sessctl, was wrong): a set for a
/// location path that no `<location>` has appends a new `<location>` to the root, even when
/// another location exists.
#[test]
fn a_location_scope_without_a_matching_location_appends_a_new_one() {
    use sessctl::hierarchy::path::Scope;
    use sessctl::hierarchy::source::Source;
    use sessctl::ops::{plan_set, Change};
    let text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<configuration>\r\n    <location path=\"Default Web Site\">\r\n        <system.web>\r\n            <sessionState mode=\"InProc\" timeout=\"20\" />\r\n        </system.web>\r\n    </location>\r\n</configuration>\r\n";
    let src = Source::parse(std::path::Path::new("web.config"), text.as_bytes().to_vec()).unwrap();
    let change = [Change::SetAttr {
        name: "timeout".into(),
        value: "30".into(),
    }];
    let mut splices = plan_set(
        &src,
        &SESSION_STATE,
        &Scope::Location("site/app".into()),
        &change,
        false,
    )
    .unwrap();
    let edited = src.doc.apply(&mut splices).unwrap();
    assert_eq!(
        edited.text(),
        text.replace(
            "    </location>\r\n</configuration>",
            "    </location>\r\n    <location path=\"site/app\">\r\n        <system.web>\r\n            <sessionState timeout=\"30\" />\r\n        </system.web>\r\n    </location>\r\n</configuration>"
        )
    );
}

/// Found by fuzzing parse_set_reparse (again the oracle): clearing the last attribute of a
/// section whose content is only whitespace removes the section and the `<system.web>` it
/// leaves empty, whatever odd whitespace and line ends they hold.
#[test]
fn clearing_the_last_attribute_removes_the_emptied_scaffolding() {
    use sessctl::hierarchy::path::Scope;
    use sessctl::hierarchy::source::Source;
    use sessctl::ops::{plan_set, Change};
    let text = "<configuration>\r\n  <system.web>\r\n    <sessionState   timeout=\"20\n\">\t\n    </sessionState>\r\n  </system.web>\r\n</configuration>\r\n";
    let src = Source::parse(std::path::Path::new("web.config"), text.as_bytes().to_vec()).unwrap();
    let change = [Change::ClearAttr {
        name: "timeout".into(),
    }];
    let mut splices = plan_set(&src, &SESSION_STATE, &Scope::File, &change, false).unwrap();
    assert_eq!(
        src.doc.apply(&mut splices).unwrap().text(),
        "<configuration>\r\n</configuration>\r\n"
    );
}

#[test]
fn utf16_errors_have_line_column_and_the_right_byte_offset() {
    // An astral character (two UTF-16 units) before an unpaired surrogate on line 2.
    let mut bytes = vec![0xFF, 0xFE];
    for u in "<configuration>\n \u{1F600}".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let at = bytes.len();
    bytes.extend_from_slice(&[0x00, 0xDC]);
    let e = Document::parse(bytes).unwrap_err();
    assert_eq!((e.offset, e.line, e.column), (at, 2, 3));
    assert_eq!(e.message, "invalid UTF-16: unpaired surrogate");
}

/// SPEC §7: a result that is not well-formed is never produced, so never written.
#[test]
fn an_edit_that_would_not_be_well_formed_is_refused() {
    use sessctl::doc::Splice;
    let doc = Document::parse(b"<configuration><a x=\"1\" /></configuration>".to_vec()).unwrap();
    let mut bad = vec![Splice::replace(21..22, "<")];
    let e = doc.apply(&mut bad).unwrap_err();
    assert_eq!(e.message, "internal error: the edit would not be well-formed: '<' is not allowed in an attribute value");
    let mut overlapping = vec![Splice::replace(16..20, "b"), Splice::replace(18..22, "c")];
    assert!(doc
        .apply(&mut overlapping)
        .unwrap_err()
        .message
        .starts_with("internal error: overlapping edits"));
    assert_eq!(doc.text(), "<configuration><a x=\"1\" /></configuration>");
}

/// Line numbers answered by counting from the last look-up (before the index is built) and from
/// the index agree with counting from byte 0, in any order of look-ups.
#[test]
fn line_numbers_agree_in_any_order_of_look_ups() {
    let mut text = String::from("<configuration>\r\n");
    for i in 0..400 {
        text.push_str(&format!("  <a n=\"{i}\" é=\"x\" />\n"));
    }
    text.push_str("</configuration>");
    let mut doc = Document::parse(text.clone().into_bytes()).unwrap();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for i in 0..400 {
        // A fresh document now and then, so that both ways of answering are exercised.
        if i % 8 == 0 && i < 200 {
            doc = Document::parse(text.clone().into_bytes()).unwrap();
        }
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut at = (seed % text.len() as u64) as usize;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        assert_eq!(doc.line_col(at), sessctl::doc::line_col(&text, at), "{at}");
    }
}

/// A diff built from the window around an edit's splices is the whole files' diff, for edits
/// near the start, the middle and the end, and for several splices at once.
#[test]
fn windowed_diffs_equal_whole_file_diffs() {
    use sessctl::doc::Splice;
    use sessctl::output::diff::{unified, unified_at, WINDOW_LINES};
    let mut text = String::from("<configuration>\r\n");
    for i in 0..300 {
        text.push_str(&format!("  <a n=\"{}\" />\r\n", i % 7));
    }
    text.push_str("</configuration>\r\n");
    let at = |line: usize| {
        let mut off = 0;
        for _ in 0..line {
            off += text[off..].find('\n').unwrap() + 1;
        }
        off
    };
    let cases: Vec<Vec<Splice>> = vec![
        vec![Splice::replace(at(1) + 8..at(1) + 9, "9")],
        vec![Splice::insert(at(150), "  <b />\r\n")],
        vec![Splice::delete(at(299)..at(300))],
        vec![
            Splice::replace(at(20) + 8..at(20) + 9, "8"),
            Splice::insert(at(40), "  <c />\r\n"),
        ],
        vec![Splice::insert(at(301), "  <d />\r\n")],
    ];
    for splices in cases {
        let doc = Document::parse(text.clone().into_bytes()).unwrap();
        let edit = doc.into_edit(splices.clone()).unwrap();
        let whole = unified("web.config", edit.before(), &edit.after(), false, true);
        let (first, before, after) = edit.window(WINDOW_LINES + 1);
        let windowed = unified_at("web.config", before, &after, first, false, true);
        assert!(!whole.is_empty());
        assert_eq!(windowed, whole, "{splices:?}");
    }
}
