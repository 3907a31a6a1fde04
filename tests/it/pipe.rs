//! appcmd's copy pipe: `list config "Site A/app" /section:S /xml | set config "Site B/app" /in`
//! makes Site B's explicitly set session state equal Site A's, providers included, with the
//! byte-exact engine; a second run changes nothing; foreign input writes nothing.

use crate::common;

use std::fs;
use std::io::Write;
use std::process::Stdio;

use common::{command, copy_tree, repo, run, tree};

fn with_stdin(dir: &std::path::Path, args: &[&str], input: &[u8]) -> (i32, String, String) {
    let mut child = command(dir, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn list_xml_piped_into_set_in_copies_a_section_with_its_providers() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    copy_tree(&repo().join("fixtures/server"), &dir.join("server"));
    // Site A: Custom mode with a provider of its own, on top of what it inherits.
    fs::write(
        dir.join("server/inetpub/wwwroot/app1/Config/Session.config"),
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<sessionState mode=\"Custom\" customProvider=\"Redis\" cookieName=\"__app1\">\r\n  <providers>\r\n    <add name=\"Redis\" type=\"Microsoft.Web.Redis.RedisSessionStateProvider\" host=\"cache01\" />\r\n  </providers>\r\n</sessionState>\r\n",
    )
    .unwrap();
    let a = [
        "Default Web Site/app1",
        "--root",
        "server",
        "/section:sessionState",
    ];
    let b = [
        "Default Web Site/shop",
        "--root",
        "server",
        "/section:sessionState",
    ];
    let xml = run(
        dir,
        &[&["list", "config"][..], &a, &["/xml", "--show-secrets"]].concat(),
    );
    assert_eq!(xml.code, 0, "{}", xml.stderr());
    assert!(xml.stdout().starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<appcmd>\n    <CONFIG CONFIG.SECTION=\"system.web/sessionState\" path=\"MACHINE/WEBROOT/APPHOST/Default Web Site/app1\" overrideMode=\"Inherit\" locked=\"false\">\n        <system.web-sessionState "), "{}", xml.stdout());
    let before = tree(&dir.join("server"));
    let (code, stdout, stderr) = with_stdin(
        dir,
        &[&["set", "config"][..], &b, &["/in"]].concat(),
        &xml.stdout,
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "Applied configuration changes to section \"system.web/sessionState\" for \"MACHINE/WEBROOT/APPHOST/Default Web Site/shop\" at configuration commit path \"MACHINE/WEBROOT/APPHOST/Default Web Site/shop\"\n");
    // Only Site B's web.config changed.
    let after = tree(&dir.join("server"));
    let changed: Vec<&String> = after
        .keys()
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert_eq!(changed, ["inetpub/shop/web.config"]);
    assert_eq!(
        fs::read_to_string(dir.join("server/inetpub/shop/web.config")).unwrap(),
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration>\r\n    <system.web>\r\n        <sessionState mode=\"Custom\" cookieName=\"__app1\" customProvider=\"Redis\" timeout=\"20\">\r\n            <providers>\r\n                <add name=\"Redis\" type=\"Microsoft.Web.Redis.RedisSessionStateProvider\" host=\"cache01\" />\r\n            </providers>\r\n        </sessionState>\r\n    </system.web>\r\n</configuration>\r\n"
    );
    // The two now list the same.
    let list_a = run(dir, &[&["list", "config"][..], &a].concat());
    let list_b = run(dir, &[&["list", "config"][..], &b].concat());
    assert_eq!(list_a.stdout(), list_b.stdout());
    // A second run changes nothing.
    let (code, stdout, _) = with_stdin(
        dir,
        &[&["set", "config"][..], &b, &["/in", "--json"]].concat(),
        &xml.stdout,
    );
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["changed"], false);
    // Masked passwords, foreign and malformed input write nothing.
    let untouched = tree(&dir.join("server"));
    let masked = xml.stdout().replace(
        "mode=\"Custom\"",
        "mode=\"Custom\" sqlConnectionString=\"Server=x;Password=****\"",
    );
    for (input, message) in [
        (masked.as_str(), "holds a masked password"),
        ("<configuration/>", "must be appcmd's /xml document"),
        ("<appcmd><CONFIG CONFIG.SECTION=\"system.web/pages\"/></appcmd>", "holds section \"system.web/pages\""),
        ("<appcmd><CONFIG CONFIG.SECTION=\"system.web/sessionState\"><system.web-sessionState Mode=\"InProc\"/></CONFIG></appcmd>", "unknown attribute \"Mode\""),
        ("<appcmd><CONFIG", "is not well-formed XML"),
        ("<appcmd><CONFIG CONFIG.SECTION=\"system.web/sessionState\"><system.web-sessionState mode=\"sideways\"/></CONFIG></appcmd>", "Invalid value \"sideways\""),
    ] {
        let (code, _, stderr) = with_stdin(dir, &[&["set", "config"][..], &b, &["/in"]].concat(), input.as_bytes());
        assert_eq!(code, 87, "{input}: {stderr}");
        assert!(stderr.contains(message), "{input}: {stderr}");
        assert_eq!(tree(&dir.join("server")), untouched);
    }
}

#[test]
fn in_reads_a_file_and_applies_every_section_of_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    copy_tree(&repo().join("fixtures/server"), &dir.join("server"));
    let xml = run(
        dir,
        &[
            "list",
            "config",
            "Default Web Site/app1/reports",
            "--root",
            "server",
            "/xml",
        ],
    );
    assert_eq!(xml.code, 0);
    assert_eq!(
        xml.stdout().matches("<CONFIG ").count(),
        2,
        "{}",
        xml.stdout()
    );
    fs::write(dir.join("copy.xml"), &xml.stdout).unwrap();
    let out = run(
        dir,
        &[
            "set",
            "config",
            "Default Web Site/legacy",
            "--root",
            "server",
            "/in:copy.xml",
            "/commit:webroot",
            "--dry-run",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr());
    assert!(
        out.stdout()
            .contains("+    <location path=\"Default Web Site/legacy\">"),
        "{}",
        out.stdout()
    );
    assert!(
        out.stdout().contains("sessionPageState historySize=\"12\""),
        "{}",
        out.stdout()
    );
}
