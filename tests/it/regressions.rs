//! Regression tests named after the problems they pin (issue 7: what users hit first). Each runs
//! the real binary; the multi-step ones (add then remove, set then clear) cannot be case folders.

use crate::common;

use std::fs;
use std::path::Path;

use common::{repo, run};

fn write(dir: &Path, name: &str, text: &str) {
    fs::write(dir.join(name), text).unwrap();
}

const QUOTED_PASSWORD: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration>\r\n  <system.web>\r\n    <sessionState mode=\"SQLServer\" sqlConnectionString=\"Data Source=sql01;User ID=app;Password=&quot;Qu1x;Z7pw&quot;\" timeout=\"20\" />\r\n  </system.web>\r\n</configuration>\r\n";

/// A password quoted with `"` and holding `;` was only half masked (`Password=****;ter2&quot;`).
#[test]
fn a_quoted_password_holding_a_semicolon_is_masked_in_every_output() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = "/section:sessionState";
    let runs: &[&[&str]] = &[
        &["list", "config", "--file", "web.config"],
        &["list", "config", "--file", "web.config", s, "/config:*"],
        &["list", "config", "--file", "web.config", s, "/text:*"],
        &[
            "list",
            "config",
            "--file",
            "web.config",
            s,
            "/text:sqlConnectionString",
        ],
        &["list", "config", "--file", "web.config", s, "--json"],
        &[
            "set",
            "config",
            "--file",
            "web.config",
            s,
            "/timeout:31",
            "--dry-run",
        ],
        &[
            "set",
            "config",
            "--file",
            "web.config",
            s,
            "/timeout:31",
            "--dry-run",
            "--json",
        ],
        &[
            "set",
            "config",
            "--file",
            "web.config",
            s,
            "/sqlConnectionString:Server=x;Password=\"Qu1x;Z7pw\"",
            "--dry-run",
        ],
        &[
            "set",
            "config",
            "--file",
            "web.config",
            s,
            "/sqlConnectionString:Server=x;Password='Qu1x;Z7pw'",
            "--dry-run",
            "--json",
        ],
        &["clear", "config", "--file", "web.config", s, "--dry-run"],
        &[
            "clear",
            "config",
            "--file",
            "web.config",
            s,
            "--dry-run",
            "--json",
        ],
        &["lint", "web.config"],
        &["lint", "--format", "json", "web.config"],
        &["lint", "--format", "sarif", "web.config"],
        &["lint", "--format", "github", "web.config"],
        // An error that quotes the file's line.
        &[
            "set",
            "config",
            "--file",
            "web.config",
            s,
            "/mode:Custom",
            "--json",
        ],
    ];
    for args in runs {
        write(dir, "web.config", QUOTED_PASSWORD);
        let out = run(dir, args);
        let all = format!("{}{}", out.stdout(), out.stderr());
        for fragment in ["Qu1x", "Z7pw"] {
            assert!(
                !all.contains(fragment),
                "{args:?} printed part of the password ({fragment}):\n{all}"
            );
        }
    }
    // --diff writes and masks the same way.
    write(dir, "web.config", QUOTED_PASSWORD);
    let out = run(
        dir,
        &[
            "set",
            "config",
            "--file",
            "web.config",
            s,
            "/timeout:32",
            "--diff",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr());
    assert!(
        out.stdout()
            .contains("sqlConnectionString=\"Data Source=sql01;User ID=app;Password=****\""),
        "{}",
        out.stdout()
    );
    // The code frame shows the masked line exactly.
    write(dir, "web.config", QUOTED_PASSWORD);
    let lint = run(dir, &["lint", "web.config"]);
    assert!(
        lint.stdout().contains("4 |     <sessionState mode=\"SQLServer\" sqlConnectionString=\"Data Source=sql01;User ID=app;Password=****\" timeout=\"20\" />\n"),
        "{}",
        lint.stdout()
    );
}

fn sessctl_ok(dir: &Path, args: &[&str]) {
    let out = run(dir, args);
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr());
}

/// Add then remove a provider, or set then clear a section, must give back the original bytes:
/// a self-closed section, `...></sessionState>`, and `</system.web>` sharing its line.
#[test]
fn add_then_remove_and_set_then_clear_give_back_the_original_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let section = [
        "<configuration>\r\n  <system.web>\r\n    <sessionState mode=\"InProc\" cookieless=\"true\" />\r\n  </system.web>\r\n</configuration>\r\n",
        "<configuration>\n  <system.web>\n    <sessionState mode=\"InProc\" cookieless=\"true\"/>\n    <pages/>\n  </system.web>\n</configuration>\n",
        "<configuration>\n  <system.web>\n    <sessionState mode=\"InProc\"></sessionState>\n  </system.web>\n</configuration>\n",
        "<configuration>\n\t<system.web>\n\t\t<sessionState mode=\"InProc\" />\n\t</system.web>\n</configuration>",
        // A file written on one line: the provider goes on that line, and away again.
        "<configuration><system.web><sessionState mode=\"InProc\"/></system.web></configuration>",
    ];
    let f = "web.config";
    let s = "/section:sessionState";
    for text in section {
        write(dir, f, text);
        sessctl_ok(
            dir,
            &[
                "set",
                "config",
                "--file",
                f,
                s,
                "/+providers.[name='P',type='T']",
            ],
        );
        assert_ne!(fs::read_to_string(dir.join(f)).unwrap(), text);
        sessctl_ok(
            dir,
            &["set", "config", "--file", f, s, "/-providers.[name='P']"],
        );
        assert_eq!(fs::read_to_string(dir.join(f)).unwrap(), text, "{text:?}");
    }
    let shared_line = [
        "<configuration>\n  <system.web>\n    <pages /><!-- pages --></system.web>\n</configuration>\n",
        "<configuration>\r\n  <system.web>\r\n    <pages />\r\n    <!-- x --></system.web>\r\n</configuration>\r\n",
        "<configuration>\n  <system.web>\n    <pages></pages></system.web>\n</configuration>\n",
        // One line: the section goes inline, and clearing it gives back the line.
        "<configuration><system.web><pages/></system.web></configuration>",
        "<?xml version=\"1.0\"?>\r\n<configuration><system.web><compilation /></system.web><system.webServer /></configuration>\r\n",
    ];
    for text in shared_line {
        write(dir, f, text);
        sessctl_ok(dir, &["set", "config", "--file", f, s, "/timeout:30"]);
        let after = fs::read_to_string(dir.join(f)).unwrap();
        assert!(after.contains("<sessionState timeout=\"30\""), "{after}");
        // A root element on one line stays on one line.
        if text
            .lines()
            .any(|l| l.contains("<configuration>") && l.contains("</configuration>"))
        {
            assert_eq!(after.lines().count(), text.lines().count(), "{after}");
        }
        sessctl_ok(dir, &["clear", "config", "--file", f, s]);
        assert_eq!(fs::read_to_string(dir.join(f)).unwrap(), text, "{text:?}");
    }
}

/// Every verb has its own help with examples, reachable as `VERB --help` and `help VERB`.
#[test]
fn each_verb_has_its_own_help_with_examples() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for verb in ["set", "clear", "list", "lint", "completions"] {
        let a = run(dir, &[verb, "--help"]);
        let b = run(dir, &["help", verb]);
        assert_eq!(a.code, 0);
        assert_eq!(a.stdout, b.stdout, "{verb}");
        let text = a.stdout();
        assert!(
            text.starts_with(&format!("Usage: sessctl {verb}")),
            "{text}"
        );
        assert!(text.contains("\nExamples:\n  sessctl "), "{verb}: {text}");
    }
    let set = run(dir, &["set", "config", "--help"]).stdout();
    assert!(set.contains("--force "), "{set}");
    let lint = run(dir, &["lint", "--help"]).stdout();
    assert!(lint.contains("--format FORMAT"), "{lint}");
    let unknown = run(dir, &["help", "frob"]);
    assert_eq!(unknown.code, 87);
    // `lint --explain` with no rule lists them all.
    let out = run(dir, &["lint", "--explain"]);
    assert_eq!(out.code, 0);
    let lines: Vec<String> = out.stdout().lines().map(str::to_string).collect();
    assert_eq!(
        lines.len(),
        1 + sessctl::lint::rules::RULES.len(),
        "{lines:?}"
    );
    assert!(
        lines[3].starts_with("  SS003 invalid-value"),
        "{}",
        lines[3]
    );
}

/// Did-you-mean finds transpositions, sections, values and rule names.
#[test]
fn did_you_mean_covers_transpositions_sections_and_values() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let cases: &[(&[&str], &str)] = &[
        (&["lsit", "config"], "(did you mean \"list\"?)"),
        (
            &[
                "set",
                "config",
                "--file",
                "w.config",
                "/section:sessionState",
                "/mdoe:InProc",
            ],
            "(did you mean \"mode\"?)",
        ),
        (
            &[
                "set",
                "config",
                "--file",
                "w.config",
                "/section:sesionState",
                "/mode:InProc",
            ],
            "(did you mean \"sessionState\"?)",
        ),
        (
            &[
                "set",
                "config",
                "--file",
                "w.config",
                "/section:sessionState",
                "/mode:InProcc",
            ],
            "(did you mean \"InProc\"?)",
        ),
        (
            &[
                "set",
                "config",
                "--file",
                "w.config",
                "/section:sessionState",
                "/cookieless:UseCookeis",
            ],
            "(did you mean \"UseCookies\"?)",
        ),
        (
            &["lint", "--explain", "long-timout"],
            "(did you mean \"long-timeout\"?)",
        ),
    ];
    for (args, hint) in cases {
        let out = run(dir, args);
        assert_ne!(out.code, 0);
        assert!(out.stderr().contains(hint), "{args:?}: {}", out.stderr());
    }
}

/// `--format SARIF` is accepted in any case.
#[test]
fn format_names_are_accepted_in_any_case() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::copy(
        repo().join("fixtures/site/web.config"),
        dir.join("web.config"),
    )
    .unwrap();
    let upper = run(dir, &["lint", "--format", "SARIF", "web.config"]);
    let lower = run(dir, &["lint", "--format", "sarif", "web.config"]);
    assert_eq!(upper.stdout, lower.stdout);
    assert!(upper.stdout().contains("\"version\": \"2.1.0\""));
    let json = run(dir, &["lint", "--format=Json", "web.config"]);
    assert!(json.stdout().starts_with("{\n  \"version\": 1,"));
}

/// `lint --root` skips opening a virtual directory's folder when a walked folder above it
/// already covered every spelling of it: a folder reached through a link (which the walk
/// follows, as IIS does) and a folder spelled in another case than on disk are each linted
/// once, though a virtual directory names them too.
#[cfg(unix)]
#[test]
fn lint_root_walks_a_virtual_directory_behind_a_link_and_a_miscased_one_once() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("server");
    common::copy_tree(&repo().join("fixtures/server"), &root);
    let inetpub = root.join("inetpub");
    fs::create_dir_all(inetpub.join("elsewhere")).unwrap();
    let bad = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration>\r\n  <system.web>\r\n    <sessionState timeout=\"soon\" />\r\n  </system.web>\r\n</configuration>\r\n";
    write(&inetpub.join("elsewhere"), "web.config", bad);
    std::os::unix::fs::symlink(inetpub.join("elsewhere"), inetpub.join("shop/assets")).unwrap();
    fs::create_dir_all(inetpub.join("shop/docs")).unwrap();
    write(&inetpub.join("shop/docs"), "web.config", bad);
    let apphost = root.join("Windows/System32/inetsrv/config/applicationHost.config");
    let text = fs::read_to_string(&apphost).unwrap();
    let text = text.replacen(
        "<virtualDirectory path=\"/\" physicalPath=\"%SystemDrive%\\inetpub\\shop\" />",
        "<virtualDirectory path=\"/\" physicalPath=\"%SystemDrive%\\inetpub\\shop\" />\r\n                    <virtualDirectory path=\"/assets\" physicalPath=\"%SystemDrive%\\inetpub\\shop\\assets\" />\r\n                    <virtualDirectory path=\"/docs\" physicalPath=\"%SystemDrive%\\inetpub\\shop\\DOCS\" />",
        1,
    );
    fs::write(&apphost, text).unwrap();
    let out = run(
        tmp.path(),
        &["lint", "--root", "server", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_str(&out.stdout()).unwrap();
    let files: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "SS003")
        .map(|f| f["file"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        files,
        [
            "server/inetpub/shop/assets/web.config",
            "server/inetpub/shop/docs/web.config"
        ],
        "{}",
        out.stdout()
    );
}

/// A web.config that is a link to a file (a shared configuration linked into each site, a
/// mounted file) is what IIS reads, through the link: `lint --root`, `search config` and
/// `lint DIR` passed it over in silence while `list` and `set` read it. One that leads nowhere
/// was taken for no file at all (`list` showed the defaults), where IIS fails to read it.
#[cfg(unix)]
#[test]
fn a_web_config_that_is_a_link_to_a_file_is_read_by_every_walk() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("server");
    common::copy_tree(&repo().join("fixtures/server"), &root);
    let shop = root.join("inetpub/shop");
    fs::create_dir_all(root.join("shared")).unwrap();
    fs::rename(shop.join("web.config"), root.join("shared/shop.config")).unwrap();
    std::os::unix::fs::symlink("../../shared/shop.config", shop.join("web.config")).unwrap();
    // The same tree with the file itself, for what the walks must agree on.
    let plain = tmp.path().join("plain");
    common::copy_tree(&repo().join("fixtures/server"), &plain);
    for (tree, shown) in [("server", "server"), ("plain", "plain")] {
        let out = run(tmp.path(), &["lint", "--root", tree]);
        assert!(
            out.stdout().contains(&format!(
                "{shown}/inetpub/shop/web.config:4:23: warning[SS106] web-garden-inproc"
            )) && out
                .stdout()
                .ends_with("7 files checked: 0 errors, 3 warnings, 2 infos\n"),
            "{tree}: {}",
            out.stdout()
        );
        let out = run(tmp.path(), &["search", "config", "--root", tree]);
        assert!(
            out.stdout()
                .contains("CONFIGSEARCH \"MACHINE/WEBROOT/APPHOST/Default Web Site/shop\"\n"),
            "{tree}: {}",
            out.stdout()
        );
        let out = run(
            tmp.path(),
            &["lint", "--format", "json", &format!("{tree}/inetpub/shop")],
        );
        let json: serde_json::Value = serde_json::from_str(&out.stdout()).unwrap();
        assert_eq!(json["summary"]["files"], 1, "{tree}: {}", out.stdout());
    }
    // A link to a folder is followed too: IIS serves /shop/linked from app1's folder, where
    // ASP.NET refuses app1's <sessionState>, since /shop/linked is not an application.
    std::os::unix::fs::symlink("../wwwroot/app1", shop.join("linked")).unwrap();
    let out = run(tmp.path(), &["lint", "--root", "server"]);
    assert!(
        out.stdout().contains(
            "server/inetpub/shop/linked/web.config:5:6: error[SS010] section-below-application: <sessionState> applies to \"MACHINE/WEBROOT/APPHOST/Default Web Site/shop/linked\", below the application root \"MACHINE/WEBROOT/APPHOST/Default Web Site/shop\""
        ),
        "{}",
        out.stdout()
    );
    let out = run(tmp.path(), &["search", "config", "--root", "server"]);
    assert!(
        out.stdout()
            .contains("CONFIGSEARCH \"MACHINE/WEBROOT/APPHOST/Default Web Site/shop/linked\"\n"),
        "{}",
        out.stdout()
    );
    fs::remove_file(shop.join("linked")).unwrap();
    // A web.config linked to a file that is gone cannot be read, by IIS or by sessctl: every
    // command that reads it says so (exit 2), none takes the site for one without a file.
    fs::remove_file(root.join("shared/shop.config")).unwrap();
    let said = "ERROR ( message:server/inetpub/shop/web.config: the symbolic link cannot be followed (it leads to ../../shared/shop.config, which is not there) )\n";
    for args in [
        &[
            "list",
            "config",
            "Default Web Site/shop",
            "--root",
            "server",
            "/section:sessionState",
        ][..],
        &["lint", "--root", "server"],
        &["search", "config", "--root", "server"],
        &["lint", "server/inetpub/shop"],
        &[
            "set",
            "config",
            "Default Web Site/shop",
            "--root",
            "server",
            "/section:sessionState",
            "/timeout:30",
        ],
    ] {
        let out = run(tmp.path(), args);
        assert_eq!((out.code, out.stderr()), (2, said.to_string()), "{args:?}");
    }
    // Nothing was written in the link's place, nor where it leads.
    assert_eq!(
        fs::read_link(shop.join("web.config")).unwrap(),
        Path::new("../../shared/shop.config")
    );
    assert!(!root.join("shared/shop.config").exists());
}

/// A link to a folder inside a site is walked (IIS serves through it), but one that leads back
/// to a folder on the way to it, or above one, would make the walk go round for ever: such
/// links are passed over, as a walk that follows links must (`find -L` says "File system
/// loop detected"). The server's findings and levels are then those of the same tree without
/// the links.
#[cfg(unix)]
#[test]
fn a_walk_through_links_that_lead_back_up_ends_and_finds_each_file_once() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("server");
    common::copy_tree(&repo().join("fixtures/server"), &root);
    let plain = tmp.path().join("plain");
    common::copy_tree(&repo().join("fixtures/server"), &plain);
    let shop = root.join("inetpub/shop");
    fs::create_dir_all(shop.join("a/b")).unwrap();
    fs::create_dir_all(plain.join("inetpub/shop/a/b")).unwrap();
    let link = |to: &str, at: &Path| std::os::unix::fs::symlink(to, at).unwrap();
    link(".", &shop.join("self"));
    link("..", &shop.join("up"));
    link("/", &shop.join("top"));
    link("../../../shop", &shop.join("a/b/back"));
    // Two links that lead into each other's folders: a/b/over -> c, c/under -> a.
    fs::create_dir_all(root.join("inetpub/c")).unwrap();
    fs::create_dir_all(plain.join("inetpub/c")).unwrap();
    link("../../../c", &shop.join("a/b/over"));
    link("../shop/a", &root.join("inetpub/c/under"));
    let bad = "<configuration>\n  <system.web>\n    <sessionState timeout=\"soon\" />\n  </system.web>\n</configuration>\n";
    write(&shop.join("a/b"), "web.config", bad);
    write(&plain.join("inetpub/shop/a/b"), "web.config", bad);
    let lint = run(tmp.path(), &["lint", "--root", "server"]);
    let files: Vec<String> = lint
        .stdout()
        .lines()
        .filter(|l| l.contains("error[SS003]"))
        .map(|l| l.split(':').next().unwrap().to_string())
        .collect();
    // shop/a/b/over leads to c, not on the way: followed; c/under leads back to shop/a, which
    // is: passed over.
    assert_eq!(
        files,
        ["server/inetpub/shop/a/b/web.config"],
        "{}",
        lint.stdout()
    );
    let plain_lint = run(tmp.path(), &["lint", "--root", "plain"]);
    assert_eq!(
        lint.stdout(),
        plain_lint.stdout().replace("plain/", "server/")
    );
    assert_eq!(lint.code, 1);
    let search = run(tmp.path(), &["search", "config", "--root", "server"]);
    let plain_search = run(tmp.path(), &["search", "config", "--root", "plain"]);
    assert_eq!(search.stdout(), plain_search.stdout());
    assert!(search
        .stdout()
        .contains("CONFIGSEARCH \"MACHINE/WEBROOT/APPHOST/Default Web Site/shop/a/b\"\n"));
}

/// `lint --root` judged a file in an application pool of another runtime or bitness (here
/// v2.0, 32-bit) with the default runtime's machine.config, while `list config` and ASP.NET read
/// the pool's own: a provider declared there was reported missing.
#[test]
fn lint_root_reads_the_framework_files_of_each_files_pool() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("server");
    common::copy_tree(&repo().join("fixtures/server"), &root);
    write(
        &root.join("inetpub/legacy"),
        "web.config",
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration>\r\n  <system.web>\r\n    <sessionState mode=\"Custom\" customProvider=\"LegacyStore\" />\r\n  </system.web>\r\n</configuration>\r\n",
    );
    let lint = || {
        let out = run(
            tmp.path(),
            &["lint", "--root", "server", "--format", "json"],
        );
        let json: serde_json::Value = serde_json::from_str(&out.stdout()).unwrap();
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["file"] == "server/inetpub/legacy/web.config")
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(lint(), ["SS008"]);
    let v2 = root.join("Windows/Microsoft.NET/Framework/v2.0.50727/Config/machine.config");
    let text = fs::read_to_string(&v2).unwrap().replacen(
        "<processModel autoConfig=\"true\" />",
        "<processModel autoConfig=\"true\" />\n        <sessionState>\n            <providers>\n                <add name=\"LegacyStore\" type=\"Contoso.LegacyStore, Contoso\" />\n            </providers>\n        </sessionState>",
        1,
    );
    fs::write(&v2, text).unwrap();
    assert_eq!(lint(), Vec::<String>::new());
}

/// A folder two sites reach (here `inetpub\shop`, Default Web Site's /shop and Locked Site's
/// /store) is linted once, with the config path of the site met first, as one walk in site
/// order would: the same report as without the second site's virtual directory.
#[test]
fn lint_root_lints_a_folder_shared_by_two_sites_once() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("server");
    common::copy_tree(&repo().join("fixtures/server"), &root);
    // The report without applicationHost.config's own findings (its lines move below the
    // new virtual directory).
    let lint = || {
        let out = run(
            tmp.path(),
            &["lint", "--root", "server", "--format", "json"],
        );
        let mut json: serde_json::Value = serde_json::from_str(&out.stdout()).unwrap();
        json["findings"].as_array_mut().unwrap().retain(|f| {
            !f["file"]
                .as_str()
                .unwrap()
                .ends_with("applicationHost.config")
        });
        serde_json::to_string_pretty(&json).unwrap()
    };
    let before = lint();
    let apphost = root.join("Windows/System32/inetsrv/config/applicationHost.config");
    let text = fs::read_to_string(&apphost).unwrap().replacen(
        "<virtualDirectory path=\"/\" physicalPath=\"%SystemDrive%\\inetpub\\locked\" />",
        "<virtualDirectory path=\"/\" physicalPath=\"%SystemDrive%\\inetpub\\locked\" />\r\n                    <virtualDirectory path=\"/store\" physicalPath=\"%SystemDrive%\\inetpub\\shop\" />",
        1,
    );
    fs::write(&apphost, text).unwrap();
    let after = lint();
    assert!(
        before.contains("\"file\": \"server/inetpub/shop/web.config\"")
            && before.contains("\"files\": 7"),
        "{before}"
    );
    assert_eq!(after, before);
}

/// A walked web.config that is not well-formed is read through its folder (not by path) under
/// `lint --root`: it is still SS001 with its file, line and column, the run fails (exit 1),
/// the other files are still linted, and nothing is written.
#[test]
fn lint_root_reports_a_malformed_walked_file_where_it_breaks() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("server");
    common::copy_tree(&repo().join("fixtures/server"), &root);
    let bad = "<?xml version=\"1.0\"?>\r\n<configuration>\r\n  <system.web>\r\n    <sessionState mode=\"InProc\" timeout=20 />\r\n  </system.web>\r\n</configuration>\r\n";
    write(&root.join("inetpub/legacy"), "web.config", bad);
    let before = common::tree(&root);
    let out = run(tmp.path(), &["lint", "--root", "server"]);
    assert_eq!(out.code, 1, "{}", out.stderr());
    assert!(
        out.stdout().contains(
            "server/inetpub/legacy/web.config:4:41: error[SS001] xml-malformed: attribute values must be in quotes\n"
        ),
        "{}",
        out.stdout()
    );
    assert!(
        out.stdout().contains("server/inetpub/shop/web.config:"),
        "{}",
        out.stdout()
    );
    assert!(out.stdout().contains("8 files checked"), "{}", out.stdout());
    assert_eq!(common::tree(&root), before);
}

/// `fixtures/server` copied to `TMP/server` with `unreadable` (a path inside it) made mode 000,
/// and sessctl run in TMP with `args` by a user who cannot read it: nobody, through setpriv,
/// when the tests run as root (a file of mode 000 is readable for root). The tree is checked
/// unchanged afterwards.
#[cfg(unix)]
fn run_with_unreadable(unreadable: &str, args: &[&str]) -> common::Output {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("server");
    common::copy_tree(&repo().join("fixtures/server"), &root);
    let locked = root.join(unreadable);
    let before = common::tree(&root);
    let mode = fs::metadata(&locked).unwrap().permissions().mode();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).unwrap();
    // The binary is copied beside the tree: nobody may not be able to reach the build's.
    let bin = tmp.path().join("sessctl");
    fs::copy(env!("CARGO_BIN_EXE_sessctl"), &bin).unwrap();
    let mut cmd = if unsafe { libc::geteuid() } == 0 {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin);
        c
    } else {
        std::process::Command::new(&bin)
    };
    let out = cmd
        .args(args)
        .current_dir(tmp.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .expect("run sessctl");
    fs::set_permissions(&locked, fs::Permissions::from_mode(mode)).unwrap();
    assert_eq!(common::tree(&root), before);
    common::Output {
        code: out.status.code().unwrap_or(-1),
        stdout: out.stdout,
        stderr: out.stderr,
    }
}

/// A walked web.config that cannot be read was skipped without a word by `lint --root` (its
/// folder's other files linted, exit 0), while `lint DIR` stops with exit 2. IIS cannot read it
/// either (HTTP 500.19): the lint is incomplete, so it is an error naming the file.
#[cfg(unix)]
#[test]
fn lint_root_refuses_a_walked_web_config_it_cannot_read() {
    let out = run_with_unreadable("inetpub/wwwroot/web.config", &["lint", "--root", "server"]);
    assert_eq!(
        out.stderr(),
        "ERROR ( message:server/inetpub/wwwroot/web.config: permission denied )\n"
    );
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout(), "");
}

/// A folder of a site that cannot be listed hides the web.config files below it: `lint --root`
/// skipped it without a word, and so did `search config`. Both now stop, naming the folder
/// (exit 2 for lint, 5 for access denied elsewhere, as appcmd).
#[cfg(unix)]
#[test]
fn a_site_folder_that_cannot_be_listed_stops_lint_root_and_search() {
    let out = run_with_unreadable("inetpub/wwwroot/app1", &["lint", "--root", "server"]);
    assert_eq!(
        out.stderr(),
        "ERROR ( message:server/inetpub/wwwroot/app1: permission denied )\n"
    );
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout(), "");
    let out = run_with_unreadable(
        "inetpub/wwwroot/app1",
        &["search", "config", "--root", "server"],
    );
    assert_eq!(
        out.stderr(),
        "ERROR ( message:server/inetpub/wwwroot/app1: permission denied )\n"
    );
    assert_eq!(out.code, 5);
    assert_eq!(out.stdout(), "");
}
