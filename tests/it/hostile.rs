//! Hostile and broken input through the real binary. Every case in the catalogue must end in
//! a clear error (exact exit code and message, kept in `tests/data/hostile.txt`) with the file
//! on disk untouched, bytes and modification time; the hostile-but-valid inputs must work
//! exactly. `SESSCTL_BLESS=1 cargo test --test it hostile::` rewrites the expectations for review.

use crate::common;

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use common::{repo, run, tree};

const F: &str = "web.config";

fn wrap(body: &str) -> Vec<u8> {
    format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration>\r\n  <system.web>\r\n{body}  </system.web>\r\n</configuration>\r\n").into_bytes()
}

fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut out = match (bom, le) {
        (false, _) => vec![],
        (true, true) => vec![0xFF, 0xFE],
        (true, false) => vec![0xFE, 0xFF],
    };
    for u in text.encode_utf16() {
        out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

fn junk() -> Vec<u8> {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

const SET: &[&str] = &[
    "set",
    "config",
    "--file",
    F,
    "/section:sessionState",
    "/timeout:30",
];
const LIST: &[&str] = &["list", "config", "--file", F, "/section:sessionState"];

type Setup = Box<dyn Fn(&Path)>;

fn file(bytes: Vec<u8>) -> Setup {
    Box::new(move |d: &Path| fs::write(d.join(F), &bytes).unwrap())
}

fn files(list: Vec<(&'static str, Vec<u8>)>) -> Setup {
    Box::new(move |d: &Path| {
        for (name, bytes) in &list {
            let p = d.join(name);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, bytes).unwrap();
        }
    })
}

fn catalogue() -> Vec<(&'static str, Setup, Vec<&'static str>)> {
    let deep_open = format!("<configuration>{}", "<a>".repeat(100_000)).into_bytes();
    let mut huge_unclosed =
        b"<configuration>\n  <system.web>\n    <sessionState cookieName=\"".to_vec();
    huge_unclosed.resize(huge_unclosed.len() + 50 * 1024 * 1024, b'a');
    let mut huge_lt = huge_unclosed.clone();
    huge_lt.extend_from_slice(b"<\" />\n  </system.web>\n</configuration>\n");
    let mut many_attrs = String::from("<configuration a0=\"0\"");
    for i in 1..10_000 {
        many_attrs.push_str(&format!(" a{i}=\"{i}\""));
    }
    many_attrs.push_str(" a5000=\"dup\"/>");
    let decl16 = "<?xml version=\"1.0\" encoding=\"utf-16\"?>\r\n<configuration/>\r\n";
    let decl8 = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration/>\r\n";
    let mut lone_surrogate = utf16("<configuration>", true, true);
    lone_surrogate.extend_from_slice(&[0x00, 0xD8, b'<', 0]);
    let mut odd16 = utf16("<configuration/>", true, true);
    odd16.push(b'\n');
    let mut bom8_decl16 = b"\xEF\xBB\xBF".to_vec();
    bom8_decl16.extend_from_slice(decl16.as_bytes());
    let ok = wrap("    <sessionState mode=\"InProc\" />\r\n");
    let mut attrs_20000 = String::from("    <sessionState");
    for i in 0..20_000 {
        attrs_20000.push_str(&format!(" a{i}=\"{i}\""));
    }
    attrs_20000.push_str(" a19999=\"dup\" />\r\n");
    let attrs_20000 = wrap(&attrs_20000);
    vec![
        ("truncated-in-a-tag", file(b"<configuration>\r\n  <system.web>\r\n    <sessionSt".to_vec()), SET.to_vec()),
        ("truncated-in-an-attribute-value", file(b"<configuration>\r\n  <system.web>\r\n    <sessionState mode=\"InPr".to_vec()), SET.to_vec()),
        ("truncated-after-the-declaration", file(b"<?xml version=\"1.0\"?>\r\n".to_vec()), SET.to_vec()),
        ("unclosed-root", file(b"<configuration>\r\n  <system.web>\r\n  </system.web>\r\n".to_vec()), SET.to_vec()),
        ("unclosed-section", file(wrap("    <sessionState mode=\"InProc\">\r\n")), SET.to_vec()),
        ("stray-end-tag", file(b"<configuration>\r\n  </system.web>\r\n</configuration>\r\n".to_vec()), LIST.to_vec()),
        ("duplicate-attribute", file(wrap("    <sessionState mode=\"InProc\" timeout=\"5\" mode=\"Off\" />\r\n")), SET.to_vec()),
        ("billion-laughs", file(b"<?xml version=\"1.0\"?>\r\n<!DOCTYPE lolz [\r\n <!ENTITY lol \"lol\">\r\n <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\r\n <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\r\n]>\r\n<configuration>&lol3;</configuration>\r\n".to_vec()), LIST.to_vec()),
        ("external-entity", file(b"<?xml version=\"1.0\"?>\r\n<!DOCTYPE configuration [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]>\r\n<configuration><system.web><sessionState cookieName=\"&xxe;\" /></system.web></configuration>\r\n".to_vec()), LIST.to_vec()),
        ("parameter-entity", file(b"<!DOCTYPE configuration [ <!ENTITY % p SYSTEM \"http://example.invalid/x.dtd\"> %p; ]>\r\n<configuration/>\r\n".to_vec()), SET.to_vec()),
        ("doctype-without-subset", file(b"<!DOCTYPE configuration>\r\n<configuration/>\r\n".to_vec()), SET.to_vec()),
        ("entity-used-without-dtd", file(wrap("    <sessionState cookieName=\"&xxe;\" />\r\n")), LIST.to_vec()),
        ("nesting-100000-deep-unclosed", file(deep_open), SET.to_vec()),
        ("attribute-50mb-never-closed", file(huge_unclosed), SET.to_vec()),
        ("attribute-50mb-with-lt", file(huge_lt), LIST.to_vec()),
        ("nul-in-text", file(b"<configuration>\0</configuration>".to_vec()), SET.to_vec()),
        ("nul-in-attribute", file(wrap("    <sessionState cookieName=\"a\0b\" />\r\n")), LIST.to_vec()),
        ("control-character", file(wrap("    <sessionState cookieName=\"a\x1Bb\" />\r\n")), LIST.to_vec()),
        ("utf8-bom-declares-utf16", file(bom8_decl16), SET.to_vec()),
        ("utf16-bom-declares-utf8", file(utf16(decl8, true, true)), SET.to_vec()),
        ("utf16be-bom-declares-utf8", file(utf16(decl8, false, true)), LIST.to_vec()),
        ("no-bom-declares-utf16", file(decl16.as_bytes().to_vec()), SET.to_vec()),
        ("utf16-odd-length", file(odd16), SET.to_vec()),
        ("utf16-lone-surrogate", file(lone_surrogate), SET.to_vec()),
        ("utf16-without-bom", file(utf16("<configuration/>", true, false)), SET.to_vec()),
        ("invalid-utf8", file(wrap("    <sessionState cookieName=\"caf\u{e9}\" />\r\n").into_iter().map(|b| if b == 0xC3 { 0xE9 } else { b }).filter(|&b| b != 0xA9).collect()), SET.to_vec()),
        ("binary-junk", file(junk()), SET.to_vec()),
        ("empty-file", file(vec![]), SET.to_vec()),
        ("whitespace-only", file(b" \r\n\t\r\n".to_vec()), LIST.to_vec()),
        ("comment-only", file(b"<!-- nothing here -->\r\n".to_vec()), SET.to_vec()),
        ("root-is-not-configuration", file(b"<appSettings>\r\n  <add key=\"a\" value=\"b\" />\r\n</appSettings>\r\n".to_vec()), SET.to_vec()),
        ("text-before-root", file(b"hello<configuration/>".to_vec()), SET.to_vec()),
        ("two-roots", file(b"<configuration/>\r\n<configuration/>\r\n".to_vec()), SET.to_vec()),
        ("lt-in-attribute", file(wrap("    <sessionState cookieName=\"a<b\" />\r\n")), SET.to_vec()),
        ("bare-ampersand", file(wrap("    <sessionState sqlConnectionString=\"a=b&c=d\" />\r\n")), SET.to_vec()),
        ("char-reference-to-nul", file(wrap("    <sessionState cookieName=\"&#0;\" />\r\n")), SET.to_vec()),
        ("double-dash-in-comment", file(wrap("    <!-- a -- b -->\r\n")), SET.to_vec()),
        ("unclosed-comment", file(b"<configuration>\r\n  <!-- forever\r\n</configuration>\r\n".to_vec()), SET.to_vec()),
        ("unclosed-cdata", file(b"<configuration><![CDATA[ forever </configuration>".to_vec()), SET.to_vec()),
        ("declaration-not-first", file(b"\r\n<?xml version=\"1.0\"?>\r\n<configuration/>\r\n".to_vec()), SET.to_vec()),
        ("unquoted-attribute", file(wrap("    <sessionState mode=InProc />\r\n")), SET.to_vec()),
        ("attributes-without-space", file(wrap("    <sessionState mode=\"InProc\"timeout=\"5\" />\r\n")), SET.to_vec()),
        ("10000-attributes-then-a-duplicate", file(many_attrs.into_bytes()), SET.to_vec()),
        ("duplicate-section", file(wrap("    <sessionState mode=\"InProc\" />\r\n    <sessionState mode=\"Off\" />\r\n")), SET.to_vec()),
        ("folder-where-a-file-should-be", Box::new(|d: &Path| fs::create_dir(d.join(F)).unwrap()), SET.to_vec()),
        ("read-only-file", Box::new(move |d: &Path| {
            fs::write(d.join(F), wrap("    <sessionState mode=\"InProc\" />\r\n")).unwrap();
            let mut p = fs::metadata(d.join(F)).unwrap().permissions();
            p.set_readonly(true);
            fs::set_permissions(d.join(F), p).unwrap();
        }), SET.to_vec()),
        ("missing-parent-folder", Box::new(|_: &Path| {}), vec!["set", "config", "--file", "no/such/folder/web.config", "/section:sessionState", "/mode:Off"]),
        ("missing-file-for-list", Box::new(|_: &Path| {}), LIST.to_vec()),
        ("config-source-absolute", file(wrap("    <sessionState configSource=\"C:\\inetpub\\session.config\" />\r\n")), SET.to_vec()),
        ("config-source-is-a-folder", files(vec![(F, wrap("    <sessionState configSource=\"Config\" />\r\n")), ("Config/keep", vec![])]), SET.to_vec()),
        ("config-source-malformed", files(vec![(F, wrap("    <sessionState configSource=\"s.config\" />\r\n")), ("s.config", b"<sessionState mode=\"InProc\">".to_vec())]), SET.to_vec()),
        ("config-source-wrong-root", files(vec![(F, wrap("    <sessionState configSource=\"s.config\" />\r\n")), ("s.config", b"<configuration/>".to_vec())]), LIST.to_vec()),
        ("config-source-with-other-attributes", file(wrap("    <sessionState configSource=\"s.config\" mode=\"Off\" />\r\n")), SET.to_vec()),
        ("indexer-unclosed-quote", file(ok.clone()), vec!["set", "config", "--file", F, "/section:sessionState", "/+providers.[name='x,type='T']"]),
        ("indexer-without-brackets", file(ok.clone()), vec!["set", "config", "--file", F, "/section:sessionState", "/+providers.name='x'"]),
        ("indexer-without-name", file(ok.clone()), vec!["set", "config", "--file", F, "/section:sessionState", "/-providers.[type='x']"]),
        ("enum-value-with-newline", file(ok.clone()), vec!["set", "config", "--file", F, "/section:sessionState", "/mode:In\nProc"]),
        ("timeout-overflow", file(ok.clone()), vec!["set", "config", "--file", F, "/section:sessionState", "/timeout:99999999999999999999999"]),
        // Days whose seconds wrap around 2^64 to 1,920 (32 minutes): once taken as timeout="32".
        ("timeout-time-span-days-overflow", file(ok.clone()), vec!["set", "config", "--file", F, "/section:sessionState", "/timeout:118494710195703717.00:00:00"]),
        ("section-path-with-junk", file(ok.clone()), vec!["set", "config", "--file", F, "/section:system.web/sessionState/x", "/mode:Off"]),
        ("attributes-20000-with-a-duplicate-last", file(attrs_20000), SET.to_vec()),
        ("name-with-a-character-xml-forbids", file(wrap("    <session\u{d7}State mode=\"InProc\" />\r\n")), LIST.to_vec()),
        ("name-starting-with-a-combining-mark", file(wrap("    <\u{301}x />\r\n")), LIST.to_vec()),
        ("undeclared-element-prefix", file(wrap("    <p:sessionState mode=\"InProc\" />\r\n")), LIST.to_vec()),
        ("undeclared-xdt-prefix", file(wrap("    <sessionState mode=\"InProc\" xdt:Transform=\"Replace\" />\r\n")), SET.to_vec()),
        ("xml-prefix-rebound", file(b"<configuration xmlns:xml=\"urn:other\"/>".to_vec()), LIST.to_vec()),
        ("xmlns-prefix-declared", file(b"<configuration xmlns:xmlns=\"urn:x\"/>".to_vec()), LIST.to_vec()),
        ("xmlns-element-prefix", file(b"<xmlns:configuration xmlns:p=\"urn:p\"/>".to_vec()), LIST.to_vec()),
        ("duplicate-expanded-attribute", file(b"<configuration xmlns:a=\"urn:x\" xmlns:b=\"urn:x\" a:k=\"1\" b:k=\"2\"/>".to_vec()), LIST.to_vec()),
        ("two-colons-in-a-name", file(b"<configuration xmlns:a=\"urn:a\"><a:b:c/></configuration>".to_vec()), LIST.to_vec()),
        ("empty-prefixed-namespace", file(b"<configuration xmlns:p=\"\"/>".to_vec()), LIST.to_vec()),
        ("connection-string-never-echoed", file(ok), vec!["set", "config", "--file", F, "/section:sessionState", "/mode:SQLServer", "/sqlConnectionString:Server=db;Database=x;Password=hunter2"]),
    ]
}

#[cfg(unix)]
fn symlink_cases() -> Vec<(&'static str, Setup, Vec<&'static str>)> {
    vec![
        (
            "symlink-loop",
            Box::new(|d: &Path| std::os::unix::fs::symlink(F, d.join(F)).unwrap()),
            SET.to_vec(),
        ),
        (
            "dangling-symlink",
            Box::new(|d: &Path| std::os::unix::fs::symlink("gone.config", d.join(F)).unwrap()),
            LIST.to_vec(),
        ),
    ]
}

#[cfg(not(unix))]
fn symlink_cases() -> Vec<(&'static str, Setup, Vec<&'static str>)> {
    vec![]
}

fn age_all(dir: &Path) {
    let old = SystemTime::now() - Duration::from_secs(86_400);
    for (rel, _) in tree(dir) {
        if let Ok(f) = fs::File::options().write(true).open(dir.join(&rel)) {
            let _ = f.set_modified(old);
        }
    }
}

fn mtimes(dir: &Path) -> Vec<(String, Option<SystemTime>)> {
    tree(dir)
        .into_keys()
        .map(|rel| {
            (
                rel.clone(),
                fs::metadata(dir.join(&rel)).and_then(|m| m.modified()).ok(),
            )
        })
        .collect()
}

#[test]
fn every_hostile_input_is_a_clear_error_and_leaves_the_file_untouched() {
    let mut cases = catalogue();
    cases.extend(symlink_cases());
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut transcript = String::new();
    let mut untouched_failures = Vec::new();
    for (name, setup, args) in &cases {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        setup(dir);
        age_all(dir);
        let (before, times) = (tree(dir), mtimes(dir));
        let out = run(dir, args);
        if (tree(dir), mtimes(dir)) != (before, times) {
            untouched_failures.push(*name);
        }
        assert_ne!(out.code, 0, "{name} succeeded");
        assert!(
            out.stdout.is_empty(),
            "{name} printed on stdout: {}",
            out.stdout()
        );
        let stderr = out.stderr();
        assert!(!stderr.contains("panicked"), "{name} panicked: {stderr}");
        assert!(!stderr.contains("hunter2"), "{name} echoed a password");
        assert!(
            stderr.len() < 1000,
            "{name}: a {} byte message",
            stderr.len()
        );
        transcript.push_str(&format!("== {name}\nexit {}\n{stderr}", out.code));
    }
    assert!(
        untouched_failures.is_empty(),
        "files changed in: {untouched_failures:?}"
    );
    let path = repo().join("tests/data/hostile.txt");
    if std::env::var_os("SESSCTL_BLESS").is_some() {
        fs::write(&path, &transcript).unwrap();
    }
    let expected = fs::read_to_string(&path).unwrap_or_default();
    for (e, a) in expected.split("== ").zip(transcript.split("== ")) {
        assert_eq!(e, a);
    }
    assert_eq!(expected, transcript);
}

#[test]
fn hostile_but_valid_input_is_written_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let base = wrap("    <sessionState mode=\"InProc\" />\r\n");
    // Paths with spaces and non-ASCII names.
    for rel in [
        "my site/web config.config",
        "s\u{ee}te/w\u{e9}b.config",
        "\u{65e5}\u{672c}/web.config",
    ] {
        let p = dir.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, &base).unwrap();
        let out = run(
            dir,
            &[
                "set",
                "config",
                "--file",
                rel,
                "/section:sessionState",
                "/timeout:7",
            ],
        );
        assert_eq!(out.code, 0, "{rel}: {}", out.stderr());
        assert_eq!(
            out.stdout(),
            format!("Applied configuration changes to section \"system.web/sessionState\" for \"{rel}\" at configuration commit path \"{rel}\"\n")
        );
        assert_eq!(
            fs::read(&p).unwrap(),
            wrap("    <sessionState mode=\"InProc\" timeout=\"7\" />\r\n")
        );
    }
    // Quotes, newlines, tabs, '<' and '&' in values; ']' and quotes in indexers.
    fs::write(dir.join(F), &base).unwrap();
    let out = run(
        dir,
        &[
            "set",
            "config",
            "--file",
            F,
            "/section:sessionState",
            "/cookieName:a\"b'c<d>&e\nf\tg",
            "/+providers.[name='a]b,c',type='it''s \"T\"',x='[y]']",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr());
    assert_eq!(
        String::from_utf8(fs::read(dir.join(F)).unwrap()).unwrap(),
        String::from_utf8(wrap(concat!(
            "    <sessionState mode=\"InProc\" cookieName=\"a&quot;b'c&lt;d>&amp;e&#xA;f&#x9;g\">\r\n",
            "      <providers>\r\n",
            "        <add name=\"a]b,c\" type=\"it's &quot;T&quot;\" x=\"[y]\" />\r\n",
            "      </providers>\r\n",
            "    </sessionState>\r\n"
        ))).unwrap()
    );
    let text = run(
        dir,
        &[
            "list",
            "config",
            "--file",
            F,
            "/section:sessionState",
            "/text:cookieName",
        ],
    );
    assert_eq!(text.stdout(), "a\"b'c<d>&e\nf\tg\n");
    let removed = run(
        dir,
        &[
            "set",
            "config",
            "--file",
            F,
            "/section:sessionState",
            "/-providers.[name='a]b,c']",
        ],
    );
    assert_eq!(removed.code, 0, "{}", removed.stderr());
    // 100,000-deep nesting that is well-formed, and a 50 MB attribute value.
    let deep = format!(
        "<configuration>\r\n  <deep>{}{}</deep>\r\n  <system.web>\r\n    <sessionState cookieName=\"{}\" />\r\n  </system.web>\r\n</configuration>\r\n",
        "<a>".repeat(100_000),
        "</a>".repeat(100_000),
        "x".repeat(50 * 1024 * 1024)
    );
    fs::write(dir.join(F), &deep).unwrap();
    let out = run(
        dir,
        &[
            "set",
            "config",
            "--file",
            F,
            "/section:sessionState",
            "/timeout:9",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr());
    let after = fs::read_to_string(dir.join(F)).unwrap();
    assert_eq!(
        after,
        deep.replace(
            "\" />\r\n  </system.web>",
            "\" timeout=\"9\" />\r\n  </system.web>"
        )
    );
}

/// Valid input the stricter scanner must still take: a character reference with more than 40
/// digits, declared prefixes (XDT transforms), non-ASCII names XML allows, and the .NET 2.0
/// default namespace on `<configuration>` for set, list and lint.
#[test]
fn namespace_aware_and_long_references_still_work() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let zeros = "0".repeat(40);
    let cases = [
        format!("<configuration>\r\n  <system.web>\r\n    <sessionState cookieName=\"&#x{zeros}41;&#{zeros}66;\" />\r\n  </system.web>\r\n</configuration>\r\n"),
        "<configuration xmlns:xdt=\"http://schemas.microsoft.com/XML-Document-Transform\">\r\n  <system.web>\r\n    <sessionState mode=\"InProc\" xdt:Transform=\"SetAttributes\" />\r\n  </system.web>\r\n</configuration>\r\n".to_string(),
        "<configuration xmlns=\"http://schemas.microsoft.com/.NetConfiguration/v2.0\">\r\n  <system.web>\r\n    <sessionState mode=\"InProc\" />\r\n    <p\u{e4}ges \u{e9}t\u{e9}=\"1\" xml:lang=\"fr\" />\r\n  </system.web>\r\n</configuration>\r\n".to_string(),
    ];
    for text in &cases {
        fs::write(dir.join(F), text).unwrap();
        let list = run(dir, LIST);
        assert_eq!(list.code, 0, "{text}: {}", list.stderr());
        let lint = run(dir, &["lint", "--select", "SS001", F]);
        assert_eq!(lint.stdout(), "1 file checked: no problems\n", "{text}");
        let set = run(dir, SET);
        assert_eq!(set.code, 0, "{text}: {}", set.stderr());
        let after = fs::read_to_string(dir.join(F)).unwrap();
        assert_eq!(after.replace(" timeout=\"30\"", ""), *text);
    }
    let first = {
        fs::write(dir.join(F), &cases[0]).unwrap();
        run(
            dir,
            &[
                "list",
                "config",
                "--file",
                F,
                "/section:sessionState",
                "/text:cookieName",
            ],
        )
    };
    assert_eq!(first.stdout(), "AB\n");
}
