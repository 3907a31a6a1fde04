//! No secret of any kind appears in any output (SPEC §5): a server whose files hold a
//! password in sqlConnectionString, a provider with `password` and `accessKey` attributes and a
//! StackExchange.Redis-style connection string, run through every command and format.

use crate::common::{copy_tree, repo, run};

/// Every secret the server below holds.
const SECRETS: [&str; 4] = ["Xq1alpha", "Xq2bravo", "Xq3charlie", "Xq4delta"];

const SITE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<configuration>
    <connectionStrings>
        <add name="Sessions" connectionString="Server=db;User ID=s;Password=Xq4delta" />
    </connectionStrings>
    <system.web>
        <sessionState mode="Custom" customProvider="redis" sqlConnectionString="data source=db;user id=sa;password=Xq1alpha" timeout="20">
            <providers>
                <add name="redis" type="Microsoft.Web.Redis.RedisSessionStateProvider" connectionString="cache01:6380,password=Xq3charlie,ssl=True" accessKey="Xq2bravo" />
                <add name="other" type="T" password="Xq1alpha" keyName="k1" />
            </providers>
        </sessionState>
    </system.web>
</configuration>
"#;

#[test]
fn no_command_prints_a_secret_in_any_format() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    copy_tree(&repo().join("fixtures/server"), &dir.join("server"));
    std::fs::write(dir.join("server/inetpub/wwwroot/web.config"), SITE).unwrap();
    let site = "Default Web Site";
    let runs: Vec<Vec<&str>> = vec![
        vec!["list", "config", site, "--root", "server"],
        vec!["list", "config", site, "--root", "server", "/config:*"],
        vec!["list", "config", site, "--root", "server", "/text:*"],
        vec![
            "list",
            "config",
            site,
            "--root",
            "server",
            "/text:sqlConnectionString",
        ],
        vec!["list", "config", site, "--root", "server", "/xml"],
        vec!["list", "config", site, "--root", "server", "--json"],
        vec!["list", "config", site, "--root", "server", "--show-origin"],
        vec!["search", "config", "--root", "server", "--json"],
        vec![
            "set",
            "config",
            site,
            "--root",
            "server",
            "/section:sessionState",
            "/timeout:30",
            "--dry-run",
        ],
        vec![
            "set",
            "config",
            site,
            "--root",
            "server",
            "/section:sessionState",
            "/timeout:31",
            "--json",
            "--dry-run",
        ],
        vec![
            "set",
            "config",
            site,
            "--root",
            "server",
            "/section:sessionState",
            "/+providers.[name='more',type='T',password='Xq1alpha',accessKey='Xq2bravo']",
            "--dry-run",
        ],
        vec![
            "set",
            "config",
            site,
            "--root",
            "server",
            "/section:sessionState",
            "/+providers.[name='redis',type='T']",
        ],
        vec![
            "set",
            "config",
            site,
            "--root",
            "server",
            "/section:sessionState",
            "/sqlConnectionString:Server=x;Password=Xq1alpha;Database=d",
            "/mode:SQLServer",
        ],
        vec!["lint", "--root", "server"],
        vec!["lint", "--root", "server", "--format", "json"],
        vec!["lint", "--root", "server", "--format", "sarif"],
        vec!["lint", "--root", "server", "--format", "github"],
        vec!["lint", "server/inetpub/wwwroot/web.config"],
        vec![
            "lint",
            "--select",
            "SS102",
            "server/inetpub/wwwroot/web.config",
            "--fix",
            "--dry-run",
        ],
    ];
    for args in &runs {
        let out = run(dir, args);
        for s in SECRETS {
            assert!(
                !out.stdout().contains(s) && !out.stderr().contains(s),
                "sessctl {args:?} printed {s}:\n{}{}",
                out.stdout(),
                out.stderr()
            );
        }
    }
    // The DSC resource's states.
    for verb in ["get", "test", "export"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sessctl"))
            .args(["dsc", verb])
            .current_dir(dir)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(br#"{"root":"server","path":"Default Web Site","timeout":20}"#)
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "dsc {verb}: {text}");
        for s in SECRETS {
            assert!(!text.contains(s), "dsc {verb} printed {s}:\n{text}");
        }
    }
    // --show-secrets shows them.
    let shown = run(
        dir,
        &[
            "list",
            "config",
            site,
            "--root",
            "server",
            "--show-secrets",
            "/xml",
        ],
    );
    assert!(shown.stdout().contains("Xq2bravo"), "{}", shown.stdout());
}
