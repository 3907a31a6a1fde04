//! The completion scripts know the domain. The bash script is driven the way bash drives it:
//! `COMP_WORDS` split at `:` and `=` (both are in `COMP_WORDBREAKS`), `COMP_CWORD` on the last
//! word, and the candidates read back from `COMPREPLY`. zsh and fish are driven too when they are
//! installed; every script must carry the same lists, read from the schema and rule tables.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::run;
use sessctl::cli::complete::Lists;

fn script(dir: &Path, shell: &str) -> String {
    let out = run(dir, &["completions", shell]);
    assert_eq!(out.code, 0);
    out.stdout()
}

/// Split a command line as bash's completion splits it: at spaces, and `:`/`=` as words of
/// their own.
fn bash_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    for w in line.split(' ') {
        let mut cur = String::new();
        for c in w.chars() {
            if c == ':' || c == '=' {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
                words.push(c.to_string());
            } else {
                cur.push(c);
            }
        }
        if !cur.is_empty() || w.is_empty() {
            words.push(cur);
        }
    }
    // A line ending in ':' completes the ':' word itself, as bash does.
    words
}

fn bash_complete(script_path: &Path, line: &str) -> Vec<String> {
    let words = bash_words(line);
    let out = Command::new("bash")
        .arg("-c")
        .arg(
            "source \"$0\"; COMP_WORDS=(\"$@\"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _sessctl; printf '%s\\n' \"${COMPREPLY[@]}\"",
        )
        .arg(script_path)
        .args(&words)
        .output()
        .expect("bash");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_verbs_sections_attributes_values_rules_and_shells() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("sessctl.bash");
    std::fs::write(&path, script(tmp.path(), "bash")).unwrap();
    let cases: &[(&str, &[&str])] = &[
        (
            "sessctl ",
            &[
                "set",
                "list",
                "clear",
                "search",
                "lock",
                "unlock",
                "add",
                "restore",
                "delete",
                "lint",
                "dsc",
                "completions",
                "help",
            ],
        ),
        ("sessctl search ", &["config"]),
        ("sessctl set --bit", &["--bitness"]),
        ("sessctl li", &["list", "lint"]),
        ("sessctl set ", &["config"]),
        (
            "sessctl set config /section:",
            &[
                "sessionState",
                "system.web/sessionState",
                "sessionPageState",
                "system.web/sessionPageState",
            ],
        ),
        (
            "sessctl set config /section:sessionP",
            &["sessionPageState"],
        ),
        // sessionPageState has no collection: no provider forms.
        (
            "sessctl set config /section:sessionPageState /",
            &[
                "/historySize:",
                "/section:",
                "/commit:",
                "/in",
                "/apphostconfig:",
                "/clr:",
            ],
        ),
        (
            "sessctl set config /section:sessionState /-",
            &["/-providers.["],
        ),
        (
            "sessctl set config /section:system.web/sessionState /+",
            &["/+providers.["],
        ),
        ("sessctl set config /section:sessionState /i", &["/in"]),
        (
            "sessctl list config /",
            &[
                "/section:",
                "/config:*",
                "/text:",
                "/xml",
                "/commit:",
                "/apphostconfig:",
                "/clr:",
            ],
        ),
        ("sessctl list config /x", &["/xml"]),
        ("sessctl list ", &["config", "backup"]),
        ("sessctl add ", &["backup"]),
        ("sessctl restore ", &["backup"]),
        ("sessctl delete b", &["backup"]),
        ("sessctl list backup /", &[]),
        (
            "sessctl dsc ",
            &["get", "test", "set", "delete", "export", "manifest"],
        ),
        ("sessctl dsc --wh", &["--what-if"]),
        (
            "sessctl search config /",
            &["/section:", "/apphostconfig:", "/clr:"],
        ),
        (
            "sessctl clear config /section:sessionPageState /",
            &[
                "/historySize",
                "/section:",
                "/commit:",
                "/apphostconfig:",
                "/clr:",
            ],
        ),
        ("sessctl set --bitness ", &["32", "64"]),
        (
            "sessctl set config /section:sessionState /in:Cargo.to",
            &["Cargo.toml"],
        ),
        (
            "sessctl set config /section:sessionState /st",
            &["/stateConnectionString:", "/stateNetworkTimeout:"],
        ),
        (
            "sessctl set config /section:sessionState /mode:",
            &["Off", "InProc", "StateServer", "SQLServer", "Custom"],
        ),
        (
            "sessctl set config /section:sessionState /mode:S",
            &["StateServer", "SQLServer"],
        ),
        (
            "sessctl set config /section:sessionState /cookieless:Use",
            &["UseUri", "UseCookies", "UseDeviceProfile"],
        ),
        (
            "sessctl set config /section:sessionState /useHostingIdentity:",
            &["true", "false"],
        ),
        (
            "sessctl set config /section:sessionState /commit:web",
            &["webroot"],
        ),
        (
            "sessctl list config /section:sessionPageState /text:",
            &["*", "historySize"],
        ),
        ("sessctl list config /config:", &["*"]),
        (
            "sessctl clear config /section:sessionPageState /h",
            &["/historySize"],
        ),
        (
            "sessctl lint --select SS10",
            &[
                "SS101", "SS102", "SS103", "SS104", "SS105", "SS106", "SS107", "SS108", "SS109",
            ],
        ),
        ("sessctl lint --ignore long", &["long-timeout"]),
        (
            "sessctl lint --explain SS00",
            &[
                "SS001", "SS002", "SS003", "SS004", "SS005", "SS006", "SS007", "SS008", "SS009",
            ],
        ),
        (
            "sessctl lint --format=",
            &["human", "json", "sarif", "github"],
        ),
        ("sessctl lint --format s", &["sarif"]),
        ("sessctl lint --color a", &["auto", "always"]),
        (
            "sessctl completions ",
            &["bash", "zsh", "fish", "powershell", "elvish"],
        ),
        ("sessctl help s", &["set", "search"]),
        ("sessctl help d", &["delete", "dsc"]),
        ("sessctl set config --dry", &["--dry-run"]),
        // After a verb, only its options: list has no --fix, add backup no --dry-run.
        ("sessctl list config --f", &["--file"]),
        ("sessctl lint --f", &["--farm", "--format", "--fix"]),
        (
            "sessctl add backup --",
            &["--root", "--json", "--color", "--help", "--version"],
        ),
        ("sessctl --fi", &["--file", "--fix"]),
    ];
    let mut failures = Vec::new();
    for (line, want) in cases {
        let got = bash_complete(&path, line);
        if got != *want {
            failures.push(format!("{line:?}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // With ':' removed from COMP_WORDBREAKS the word arrives whole and the candidates keep
    // their parameter.
    let out = Command::new("bash")
        .arg("-c")
        .arg("source \"$0\"; COMP_WORDS=(sessctl set config /section:sessionState /mode:In); COMP_CWORD=4; _sessctl; printf '%s\\n' \"${COMPREPLY[@]}\"")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "/mode:InProc\n");
}

#[test]
fn zsh_and_fish_complete_the_same_when_installed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let has = |shell: &str| {
        Command::new(shell)
            .arg("-c")
            .arg("exit 0")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    // CI installs both (.ci/run sets SESSCTL_REQUIRE_SHELLS): there a missing shell is a failure.
    let required = std::env::var_os("SESSCTL_REQUIRE_SHELLS").is_some();
    for shell in ["zsh", "fish"] {
        assert!(
            !required || has(shell),
            "{shell} is required (SESSCTL_REQUIRE_SHELLS) but not installed"
        );
    }
    if has("zsh") {
        std::fs::write(dir.join("_sessctl"), script(dir, "zsh")).unwrap();
        // Real compadd filters by prefix; the stand-in prints what the script offers.
        let harness = "compadd() { local p=\"\" s; while [[ $1 != -- ]]; do case $1 in -P) p=$2; shift 2;; -S) shift 2;; *) shift;; esac; done; shift; for s in \"$@\"; do print -r -- \"$p$s\"; done }\n_files() { print -r -- \"<files>\"; }\ncompset() { :; }\ncompdef() { :; }\nsource ./_sessctl\nwords=(\"$@\"); CURRENT=$#; _sessctl; exit 0\n";
        std::fs::write(dir.join("harness.zsh"), harness).unwrap();
        let zsh = |args: &[&str]| -> String {
            let out = Command::new("zsh")
                .arg("harness.zsh")
                .args(args)
                .current_dir(dir)
                .output()
                .unwrap();
            assert!(
                out.status.success() && out.stderr.is_empty(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        assert_eq!(
            zsh(&[
                "sessctl",
                "set",
                "config",
                "/section:sessionState",
                "/mode:"
            ]),
            "/mode:Off\n/mode:InProc\n/mode:StateServer\n/mode:SQLServer\n/mode:Custom\n"
        );
        assert_eq!(
            zsh(&[
                "sessctl",
                "list",
                "config",
                "/section:sessionPageState",
                "/text:"
            ]),
            "/text:*\n/text:historySize\n"
        );
        assert_eq!(
            zsh(&["sessctl", "completions", ""]),
            "bash\nzsh\nfish\npowershell\nelvish\n"
        );
        assert_eq!(
            zsh(&["sessctl", "dsc", ""]),
            "get\ntest\nset\ndelete\nexport\nmanifest\n"
        );
        assert_eq!(zsh(&["sessctl", "restore", ""]), "backup\n");
        assert_eq!(
            zsh(&["sessctl", "set", "config", "/section:sessionPageState", "/"]),
            "/historySize:\n/section:\n/commit:\n/in\n/apphostconfig:\n/clr:\n"
        );
        assert_eq!(
            zsh(&["sessctl", "list", "config", "/"]),
            "/section:\n/config:*\n/text:\n/xml\n/commit:\n/apphostconfig:\n/clr:\n"
        );
        assert_eq!(zsh(&["sessctl", "list", "backup", "/"]), "");
        assert_eq!(zsh(&["sessctl", "set", "config", "/in:x"]), "<files>\n");
        assert_eq!(zsh(&["sessctl", "lint", ""]), "<files>\n");
        assert_eq!(
            zsh(&["sessctl", "dsc", "get", "--"]),
            "--what-if\n--help\n--version\n"
        );
    } else {
        eprintln!("zsh is not installed: its script is checked for its lists only");
    }
    if has("fish") {
        std::fs::write(dir.join("sessctl.fish"), script(dir, "fish")).unwrap();
        let fish = |line: &str| -> String {
            let out = Command::new("fish")
                .arg("-c")
                .arg(format!("source sessctl.fish; complete -C '{line}'"))
                .current_dir(dir)
                .env("HOME", dir)
                .output()
                .unwrap();
            assert!(
                out.status.success() && out.stderr.is_empty(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        assert_eq!(
            fish("sessctl set config /section:sessionState /cookieless:UseC"),
            "/cookieless:UseCookies\n"
        );
        assert_eq!(fish("sessctl lint --format=s"), "--format=sarif\n");
        assert_eq!(
            fish("sessctl set config /section:sess"),
            "/section:sessionPageState\n/section:sessionState\n"
        );
        assert_eq!(
            fish("sessctl dsc "),
            "delete\nexport\nget\nmanifest\nset\ntest\n"
        );
        assert_eq!(fish("sessctl delete "), "backup\n");
        // fish sorts the candidates.
        assert_eq!(
            fish("sessctl set config /section:sessionPageState /"),
            "/apphostconfig:\n/clr:\n/commit:\n/historySize:\n/in\n/section:\n"
        );
        assert_eq!(
            fish("sessctl set config /section:sessionState /-"),
            "/-providers.[\n"
        );
        assert_eq!(fish("sessctl list config /x"), "/xml\n");
        assert_eq!(fish("sessctl list backup /"), "");
        assert_eq!(fish("sessctl list config --f"), "--file\n");
        std::fs::write(dir.join("input.xml"), "").unwrap();
        assert_eq!(
            fish("sessctl set config /section:sessionState /in:inp"),
            "/in:input.xml\n"
        );
    } else {
        eprintln!("fish is not installed: its script is checked for its lists only");
    }
}

#[test]
fn every_script_carries_the_lists_of_the_tables() {
    let tmp = tempfile::tempdir().unwrap();
    let l = Lists::new();
    let mut lists: Vec<(String, String)> = vec![
        ("verbs".into(), l.verbs.clone()),
        ("sections".into(), l.sections.clone()),
        ("commits".into(), l.commits.clone()),
        ("shells".into(), l.shells.clone()),
        ("flags".into(), l.flags.clone()),
    ];
    for (s, a) in &l.attributes {
        lists.push((format!("attributes of {s}"), a.clone()));
    }
    for (a, v) in &l.values {
        lists.push((format!("values of {a}"), v.clone()));
    }
    for (f, v) in &l.flag_values {
        lists.push((format!("values of {f}"), v.clone()));
    }
    // The rule list is complete: every code and name of the registry.
    for r in sessctl::lint::rules::RULES {
        assert!(l.rules.split(' ').any(|w| w == r.code));
        assert!(l.rules.split(' ').any(|w| w == r.name));
    }
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let text = script(tmp.path(), shell);
        for (what, list) in &lists {
            let ps: Vec<String> = list.split(' ').map(|w| format!("'{w}'")).collect();
            let ps = format!("@({})", ps.join(", "));
            assert!(
                text.contains(list.as_str()) || (shell == "powershell" && text.contains(&ps)),
                "the {shell} script lacks the {what}: {list}"
            );
        }
    }
}
