//! Behaviour of the real binary that case folders cannot express: modification times,
//! permissions, links, leftover files, environment variables.

use crate::common;

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use common::{command, repo, run};

fn fixture(dir: &Path, name: &str) -> std::path::PathBuf {
    let dest = dir.join("web.config");
    fs::copy(repo().join("fixtures/shapes").join(name), &dest).unwrap();
    dest
}

fn age(path: &Path) {
    let old = SystemTime::now() - Duration::from_secs(86_400);
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(old)
        .unwrap();
}

fn state(path: &Path) -> (Vec<u8>, SystemTime) {
    (
        fs::read(path).unwrap(),
        fs::metadata(path).unwrap().modified().unwrap(),
    )
}

#[test]
fn a_set_to_the_value_already_there_keeps_bytes_and_modification_time() {
    let tmp = tempfile::tempdir().unwrap();
    let f = fixture(tmp.path(), "lf.config");
    age(&f);
    let before = state(&f);
    let out = run(
        tmp.path(),
        &[
            "set",
            "config",
            "--file",
            "web.config",
            "/section:sessionState",
            "/mode:stateserver",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr());
    assert_eq!(state(&f), before);
}

#[test]
fn every_failure_leaves_the_file_untouched() {
    let failing: &[(&[&str], i32)] = &[
        (&["/mode:Bogus"], 87),
        (&["/Mode:Off"], 87),
        (&["/timeout:Infinite"], 13),
        (&["/stateConnectionString:tcpip=host"], 13),
        (&["/+providers.[name='x']"], 87),
        (&["/-providers.[name='x']"], 4312),
    ];
    for (args, code) in failing {
        let tmp = tempfile::tempdir().unwrap();
        let f = fixture(tmp.path(), "lf.config");
        age(&f);
        let before = state(&f);
        let mut argv = vec![
            "set",
            "config",
            "--file",
            "web.config",
            "/section:sessionState",
        ];
        argv.extend_from_slice(args);
        let out = run(tmp.path(), &argv);
        assert_eq!(out.code, code & 0xFF, "{args:?}: {}", out.stderr());
        assert!(
            out.stderr().starts_with("ERROR ( message:"),
            "{}",
            out.stderr()
        );
        assert_eq!(state(&f), before, "{args:?}");
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "{args:?}: stray files"
        );
    }
}

#[test]
fn malformed_file_is_reported_with_line_and_column_and_not_touched() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("web.config");
    fs::write(&f, "<configuration>\n  <system.web>\n    <sessionState mode=\"InProc\" mode=\"Off\" />\n  </system.web>\n</configuration>\n").unwrap();
    age(&f);
    let before = state(&f);
    let out = run(
        tmp.path(),
        &[
            "set",
            "config",
            "--file",
            "web.config",
            "/section:sessionState",
            "/timeout:5",
        ],
    );
    assert_eq!(out.code, 13);
    assert_eq!(
        out.stderr(),
        "ERROR ( message:web.config:3:33: configuration file is not well-formed XML: duplicate attribute \"mode\" )\n"
    );
    assert_eq!(state(&f), before);
}

#[test]
fn no_temporary_files_remain_after_a_write() {
    let tmp = tempfile::tempdir().unwrap();
    fixture(tmp.path(), "providers.config");
    let out = run(
        tmp.path(),
        &[
            "set",
            "config",
            "--file",
            "web.config",
            "/section:sessionState",
            "/timeout:5",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr());
    let names: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("web.config")]);
}

#[cfg(unix)]
#[test]
fn permissions_are_kept_and_links_are_written_through() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("real");
    fs::create_dir(&real).unwrap();
    fs::copy(
        repo().join("fixtures/shapes/lf.config"),
        real.join("web.config"),
    )
    .unwrap();
    fs::set_permissions(real.join("web.config"), fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::symlink("real/web.config", tmp.path().join("link.config")).unwrap();
    let out = run(
        tmp.path(),
        &[
            "set",
            "config",
            "--file",
            "link.config",
            "/section:sessionState",
            "/timeout:7",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr());
    assert!(fs::symlink_metadata(tmp.path().join("link.config"))
        .unwrap()
        .file_type()
        .is_symlink());
    let text = fs::read_to_string(real.join("web.config")).unwrap();
    assert!(
        text.contains("stateConnectionString=\"tcpip=127.0.0.1:42424\" timeout=\"7\" />"),
        "{text}"
    );
    let mode = fs::metadata(real.join("web.config"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o640);
}

#[test]
fn color_always_wins_over_no_color_and_no_color_over_the_default() {
    let tmp = tempfile::tempdir().unwrap();
    fixture(tmp.path(), "lf.config");
    let args = [
        "set",
        "config",
        "--file",
        "web.config",
        "/section:sessionState",
        "/timeout:9",
        "--dry-run",
        "--color",
        "always",
    ];
    let coloured = run(tmp.path(), &args);
    assert!(coloured.stdout().contains("\x1b["));
    // An explicit --color always wins over NO_COLOR (no-color.org).
    let out = command(tmp.path(), &args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("\x1b["));
    // NO_COLOR turns off the default.
    let out = command(tmp.path(), &args[..7])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let plain = String::from_utf8(out.stdout).unwrap();
    assert!(!plain.contains('\x1b'), "{plain}");
    assert!(
        plain.contains("+    <sessionState mode=\"StateServer\""),
        "{plain}"
    );
    // Not a terminal: no colour by default.
    let auto = run(tmp.path(), &args[..8]);
    assert!(!auto.stdout().contains('\x1b'));
}

#[test]
fn help_version_and_completions() {
    let tmp = tempfile::tempdir().unwrap();
    let help = run(tmp.path(), &["--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout().contains("--dry-run"), "{}", help.stdout());
    let version = run(tmp.path(), &["--version"]);
    assert_eq!(
        version.stdout(),
        format!("sessctl {}\n", env!("CARGO_PKG_VERSION"))
    );
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(tmp.path(), &["completions", shell]);
        assert_eq!(out.code, 0, "{shell}");
        assert!(out.stdout().contains("show-secrets"), "{shell}");
    }
    let bad = run(tmp.path(), &["completions", "tcsh"]);
    assert_eq!(bad.code, 87);
    let unknown = run(
        tmp.path(),
        &["list", "config", "--file", "web.config", "--frobnicate"],
    );
    assert_eq!(unknown.code, 87);
    assert!(
        unknown.stderr().starts_with("ERROR ( message:"),
        "{}",
        unknown.stderr()
    );
}

#[test]
fn a_created_file_matches_the_spec_skeleton_and_lists_back() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(
        tmp.path(),
        &[
            "set",
            "config",
            "--file",
            "web.config",
            "/section:sessionPageState",
            "/historySize:4",
            "--create",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr());
    assert_eq!(
        fs::read(tmp.path().join("web.config")).unwrap(),
        b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration>\r\n    <system.web>\r\n        <sessionPageState historySize=\"4\" />\r\n    </system.web>\r\n</configuration>\r\n"
    );
    let text = run(
        tmp.path(),
        &[
            "list",
            "config",
            "--file",
            "web.config",
            "/section:sessionPageState",
            "/text:historySize",
        ],
    );
    assert_eq!(text.stdout(), "4\n");
}

#[test]
fn passwords_are_masked_in_every_output_unless_asked() {
    let secret = "Tr0ub4dor";
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::copy(
        repo().join("fixtures/site/web.config"),
        dir.join("web.config"),
    )
    .unwrap();
    let s = "/section:sessionState";
    let runs: &[&[&str]] = &[
        &["list", "config", "--file", "web.config"],
        &["list", "config", "--file", "web.config", s, "/config:*"],
        &[
            "list",
            "config",
            "--file",
            "web.config",
            s,
            "/text:sqlConnectionString",
        ],
        &["list", "config", "--file", "web.config", s, "/text:*"],
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
            "/sqlConnectionString:Data Source=sql01;Password=Tr0ub4dor&3;Database=x",
            "--dry-run",
        ],
        &["lint", "web.config"],
        &["lint", "--format", "json", "web.config"],
        &["lint", "--format", "sarif", "web.config"],
        &["lint", "--format", "github", "web.config"],
    ];
    for args in runs {
        let out = run(dir, args);
        let all = format!("{}{}", out.stdout(), out.stderr());
        assert!(
            !all.contains(secret),
            "{args:?} printed the password:\n{all}"
        );
        let shown = run(dir, &[*args, &["--show-secrets"]].concat());
        let all_shown = format!("{}{}", shown.stdout(), shown.stderr());
        // Lint's JSON, SARIF and GitHub formats carry no source text; a refused value is
        // never echoed; everything else shows the password when asked to.
        let expect_secret =
            !(args.contains(&"--format") || args.iter().any(|a| a.contains("Database=x")));
        assert_eq!(
            all_shown.contains(secret),
            expect_secret,
            "{args:?} --show-secrets:\n{all_shown}"
        );
    }
    // A write that is refused never echoes the connection string it was given.
    let refused = run(
        dir,
        &[
            "set",
            "config",
            "--file",
            "web.config",
            s,
            "/sqlConnectionString:Data Source=x;Database=y;Password=Tr0ub4dor",
        ],
    );
    assert_eq!(refused.code, 13);
    assert!(
        !refused.stderr().contains("Data Source=x"),
        "{}",
        refused.stderr()
    );
    // --diff writes and masks too.
    let written = run(
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
    assert_eq!(written.code, 0);
    assert!(
        !written.stdout().contains(secret) && written.stdout().contains("Password=****"),
        "{}",
        written.stdout()
    );
}

#[test]
fn the_completion_scripts_in_the_repository_are_current() {
    let tmp = tempfile::tempdir().unwrap();
    for (shell, file) in [
        ("bash", "sessctl.bash"),
        ("zsh", "_sessctl"),
        ("fish", "sessctl.fish"),
        ("powershell", "_sessctl.ps1"),
        ("elvish", "sessctl.elv"),
    ] {
        let out = run(tmp.path(), &["completions", shell]);
        let path = repo().join("completions").join(file);
        if std::env::var_os("SESSCTL_BLESS").is_some() {
            fs::write(&path, &out.stdout).unwrap();
        }
        assert!(
            fs::read(&path).unwrap() == out.stdout,
            "completions/{file} is stale: SESSCTL_BLESS=1 cargo test --test it cli::"
        );
    }
}

/// Colour on a terminal only: under a pseudo-terminal (util-linux `script`, part of every
/// Debian system) `auto` colours, `--color never` and `NO_COLOR` do not.
#[cfg(target_os = "linux")]
#[test]
fn colour_on_a_terminal_only() {
    let tmp = tempfile::tempdir().unwrap();
    fixture(tmp.path(), "mixed-eol-no-final-newline.config");
    let bin = env!("CARGO_BIN_EXE_sessctl");
    let under_tty = |extra: &str, env: &[(&str, &str)]| {
        let cmd = format!("{bin} set config --file web.config /section:sessionState /timeout:9 --dry-run {extra}; {bin} lint --select SS003 web.config {extra}");
        let mut c = std::process::Command::new("script");
        c.args(["-qec", &cmd, "/dev/null"])
            .current_dir(tmp.path())
            .env_remove("NO_COLOR");
        for (k, v) in env {
            c.env(k, v);
        }
        String::from_utf8_lossy(&c.output().expect("script from util-linux").stdout).into_owned()
    };
    let auto = under_tty("", &[]);
    assert!(
        auto.contains("\x1b[31m-    <sessionState timeout=\"30\" />"),
        "{auto:?}"
    );
    assert!(
        auto.contains("files checked") || auto.contains("file checked"),
        "{auto:?}"
    );
    let never = under_tty("--color never", &[]);
    assert!(
        !never.contains('\x1b') && never.contains("-    <sessionState timeout=\"30\" />"),
        "{never:?}"
    );
    let no_color = under_tty("", &[("NO_COLOR", "1")]);
    assert!(!no_color.contains('\x1b'), "{no_color:?}");
    // A dumb terminal cannot show escape sequences.
    let dumb = under_tty("", &[("TERM", "dumb")]);
    assert!(
        !dumb.contains('\x1b') && dumb.contains("-    <sessionState timeout=\"30\" />"),
        "{dumb:?}"
    );
}

/// The process ends with `_exit` once its output is written (Unix): a reader that closed the
/// pipe first (`| head`) is still no error, and the exit code is the command's own.
#[test]
fn a_closed_stdout_is_no_error_and_keeps_the_exit_code() {
    let mut child = command(
        &repo(),
        &["lint", "--root", "fixtures/server", "--format", "json"],
    )
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    // Closed before the child can have written anything.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(out.status.code(), Some(0));
}

/// A SESSCTL_ROOT that names no folder is reported as SESSCTL_ROOT, not as a --root typo.
#[test]
fn a_stale_sessctl_root_is_named_as_such() {
    let tmp = tempfile::tempdir().unwrap();
    let out = command(tmp.path(), &["list", "config", "/section:sessionState"])
        .env("SESSCTL_ROOT", "gone")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(87));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "ERROR ( message:SESSCTL_ROOT=gone: no such folder (it stands for the server's system drive) )\n"
    );
}
