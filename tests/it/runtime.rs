//! ASP.NET's runtime as the judge (SPEC §9): Mono's System.Web, hosted in-process by
//! `tests/runtime/SessHost.cs`, reads the configuration that sessctl writes and answers what
//! it really runs with. Every test here runs the real runtime; Mono is installed by `.ci/run`
//! (`mono-devel mono-xsp4 libmono-system-web4.0-cil`). Without Mono the tests fail, unless
//! `SESSCTL_SKIP_RUNTIME=1` says to skip them (then they print that they did).
//!
//! - The seed systems end to end: InProc, StateServer (Mono's `asp-state4`), SQLServer (SQLite
//!   through Mono's provider), Custom (a store compiled here), Off, cookieless UseUri, and
//!   cookieName/timeout at application level.
//! - A differential of effective values: seeded hierarchies (root web.config, a site with
//!   locations, application, nested application and folder files; providers added, and taken
//!   out again below) where `sessctl list` must say what the runtime reads at four paths. `SESSCTL_RUNTIME_HIERARCHIES=N` runs N
//!   (default 200), `SESSCTL_RUNTIME_SEED=S` another seed.
//! - A refusal table: values in a file, what the runtime does against what `set` and `lint` do.
//! - Each place where Mono differs from .NET Framework is pinned by a test that names it, with
//!   the reason from .NET's reference source; the differential leaves those shapes out by name.

use crate::common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::OnceLock;

use common::run;

/// Where Mono's own configuration files are (Debian's packages).
const MONO_ETC: &str = "/etc/mono";

/// The compiled host, or `None` when the runtime suite is skipped.
fn host_exe() -> Option<&'static Path> {
    static HOST: OnceLock<Option<(tempfile::TempDir, PathBuf)>> = OnceLock::new();
    HOST.get_or_init(|| {
        let have = Command::new("mcs").arg("--version").output().is_ok()
            && Path::new(MONO_ETC).join("4.5/web.config").is_file();
        if !have {
            if std::env::var_os("SESSCTL_SKIP_RUNTIME").is_some() {
                eprintln!("runtime suite skipped: SESSCTL_SKIP_RUNTIME is set and Mono is not installed");
                return None;
            }
            panic!(
                "the runtime suite needs Mono (apt-get install mono-devel mono-xsp4 libmono-system-web4.0-cil, as .ci/run does); SESSCTL_SKIP_RUNTIME=1 skips it"
            );
        }
        let dir = tempfile::tempdir().unwrap();
        let exe = dir.path().join("SessHost.exe");
        let src = common::repo().join("tests/runtime/SessHost.cs");
        let out = Command::new("mcs")
            .args(["-nologo", "-warnaserror+"])
            .arg(format!("-out:{}", exe.display()))
            .args([
                "-r:System.Web.dll",
                "-r:System.Configuration.dll",
                "-r:System.Data.dll",
                "-r:Mono.Data.Sqlite.dll",
            ])
            .arg(&src)
            .output()
            .expect("run mcs");
        assert!(
            out.status.success(),
            "mcs failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        Some((dir, exe))
    })
    .as_ref()
    .map(|(_, exe)| exe.as_path())
}

/// The folders of the test site below `inetpub/wwwroot`: the site root, an application, an
/// application inside it, and a plain folder of the first application.
const FOLDERS: [&str; 4] = ["", "app1", "app1/nested", "app1/folder"];

/// A server tree sessctl edits and the runtime reads, and the `MONO_CFG_DIR` that points the
/// runtime at its machine.config and root web.config.
struct Server {
    _dir: tempfile::TempDir,
    root: PathBuf,
    cfg: PathBuf,
}

impl Server {
    /// A server with Mono's own machine.config and root web.config as its Framework64 v4
    /// Config files, one site (`Default Web Site`: `/`, `/app1`, `/app1/nested` applications,
    /// `app1/folder` a folder), and the host's pages in every folder.
    fn new(host: &Path) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("server");
        let config = root.join("Windows/Microsoft.NET/Framework64/v4.0.30319/Config");
        std::fs::create_dir_all(&config).unwrap();
        for f in ["machine.config", "web.config"] {
            std::fs::copy(Path::new(MONO_ETC).join("4.5").join(f), config.join(f)).unwrap();
        }
        let inetsrv = root.join("Windows/System32/inetsrv/config");
        std::fs::create_dir_all(&inetsrv).unwrap();
        std::fs::write(inetsrv.join("applicationHost.config"), APPHOST).unwrap();
        let www = root.join("inetpub/wwwroot");
        for f in FOLDERS {
            let d = www.join(f);
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("probe.ashx"), "<%@ WebHandler Class=\"Probe\" %>\n").unwrap();
            std::fs::write(
                d.join("counter.ashx"),
                "<%@ WebHandler Class=\"Counter\" %>\n",
            )
            .unwrap();
        }
        std::fs::create_dir_all(www.join("bin")).unwrap();
        std::fs::copy(host, www.join("bin/SessHost.dll")).unwrap();
        // MONO_CFG_DIR: Mono's dllmap config, and links to the tree's Config files.
        let cfg = dir.path().join("cfg");
        std::fs::create_dir_all(cfg.join("mono/4.5")).unwrap();
        std::fs::copy(Path::new(MONO_ETC).join("config"), cfg.join("mono/config")).unwrap();
        std::os::unix::fs::symlink(
            Path::new(MONO_ETC).join("4.5/Browsers"),
            cfg.join("mono/4.5/Browsers"),
        )
        .unwrap();
        let server = Server {
            _dir: dir,
            root,
            cfg,
        };
        server.point_runtime_at(&server.root);
        server
    }

    /// Point the runtime's machine.config and root web.config at those of the tree `root`
    /// (read by every AppDomain created afterwards).
    fn point_runtime_at(&self, root: &Path) {
        let config = root.join("Windows/Microsoft.NET/Framework64/v4.0.30319/Config");
        for f in ["machine.config", "web.config"] {
            let link = self.cfg.join("mono/4.5").join(f);
            let _ = std::fs::remove_file(&link);
            std::os::unix::fs::symlink(config.join(f), &link).unwrap();
        }
    }

    fn site(&self) -> PathBuf {
        self.root.join("inetpub/wwwroot")
    }

    /// Run sessctl on this server; it must succeed.
    fn sessctl(&self, args: &[&str]) -> String {
        let mut all: Vec<&str> = args.to_vec();
        let root = self.root.to_str().unwrap();
        all.extend(["--root", root]);
        let out = run(&self.root, &all);
        assert_eq!(
            out.code,
            0,
            "sessctl {args:?} failed:\n{}{}",
            out.stdout(),
            out.stderr()
        );
        out.stdout()
    }
}

const APPHOST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<configuration>
    <system.applicationHost>
        <applicationPools>
            <add name="DefaultAppPool" managedRuntimeVersion="v4.0" />
        </applicationPools>
        <sites>
            <site name="Default Web Site" id="1">
                <application path="/">
                    <virtualDirectory path="/" physicalPath="%SystemDrive%\inetpub\wwwroot" />
                </application>
                <application path="/app1">
                    <virtualDirectory path="/" physicalPath="%SystemDrive%\inetpub\wwwroot\app1" />
                </application>
                <application path="/app1/nested">
                    <virtualDirectory path="/" physicalPath="%SystemDrive%\inetpub\wwwroot\app1\nested" />
                </application>
                <bindings>
                    <binding protocol="http" bindingInformation="*:80:" />
                </bindings>
            </site>
            <applicationDefaults applicationPool="DefaultAppPool" />
        </sites>
    </system.applicationHost>
</configuration>
"#;

/// A response of the runtime.
#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `name=value` lines of the body.
    fn values(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for line in self.body.lines() {
            if let Some((k, v)) = line.split_once('=') {
                out.entry(k.to_string())
                    .and_modify(|old: &mut String| {
                        old.push('\n');
                        old.push_str(v)
                    })
                    .or_insert_with(|| v.to_string());
            }
        }
        out
    }

    /// The exception of an error page (its type and message), or the body.
    fn error(&self) -> String {
        let between = |a: &str, b: &str| {
            let start = self.body.find(a)? + a.len();
            let end = self.body[start..].find(b)? + start;
            Some(self.body[start..end].to_string())
        };
        match (
            between("<h1>", "</h1>"),
            between("exceptionMessage\">", "</h2>"),
        ) {
            (Some(t), Some(m)) => format!("{t}: {m}"),
            _ => self.body.clone(),
        }
    }

    /// `NAME=VALUE` of the Set-Cookie header.
    fn cookie(&self) -> Option<String> {
        self.header("Set-Cookie")
            .map(|c| c.split(';').next().unwrap_or("").trim().to_string())
    }
}

/// One host process: Mono with the host, reading requests on standard input.
struct AspNet {
    child: Child,
    stdin: ChildStdin,
    out: BufReader<ChildStdout>,
}

impl AspNet {
    fn start(host: &Path, server: &Server) -> AspNet {
        let mut child = Command::new("mono")
            .arg(host)
            .env("MONO_CFG_DIR", &server.cfg)
            .env("HOME", server.root.parent().unwrap())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start mono");
        let stdin = child.stdin.take().unwrap();
        let out = BufReader::new(child.stdout.take().unwrap());
        AspNet { child, stdin, out }
    }

    fn line(&mut self, line: &str) -> String {
        writeln!(self.stdin, "{line}").unwrap();
        self.stdin.flush().unwrap();
        let mut answer = String::new();
        loop {
            let mut l = String::new();
            let n = self.out.read_line(&mut l).unwrap();
            assert!(n > 0, "the host ended; it had answered:\n{answer}");
            if l == "\u{1e}\n" {
                break;
            }
            answer.push_str(&l);
        }
        // The host ends each answer with a blank line before the mark.
        if answer.ends_with("\n\n") {
            answer.pop();
        }
        answer
    }

    /// A request to `page` (a virtual path of the site) with a Cookie header, served by the
    /// site root's application.
    fn get(&mut self, server: &Server, page: &str, cookie: &str) -> Response {
        self.get_in(&server.site().display().to_string(), page, cookie)
    }

    /// A request served by the application `app` (`PHYSICAL` or `PHYSICAL|/vpath`).
    fn get_in(&mut self, app: &str, page: &str, cookie: &str) -> Response {
        let (page, query) = page.split_once('?').unwrap_or((page, ""));
        let raw = self.line(&format!("{app}\t{page}\t{query}\t{cookie}"));
        // The application could not even start (a configuration its host refuses).
        if raw.starts_with("HOSTERROR=") {
            return Response {
                status: 0,
                headers: Vec::new(),
                body: raw,
            };
        }
        let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
        let mut status = 0;
        let mut headers = Vec::new();
        for l in head.lines() {
            let (n, v) = l.split_once(": ").unwrap_or((l, ""));
            if n == "Status" {
                status = v.parse().unwrap_or(0);
            } else {
                headers.push((n.to_string(), v.to_string()));
            }
        }
        Response {
            status,
            headers,
            body: body.trim_end_matches('\n').to_string() + "\n",
        }
    }

    /// The effective configuration at a folder of the site, as the runtime reads it.
    fn probe(&mut self, server: &Server, folder: &str) -> BTreeMap<String, String> {
        let page = if folder.is_empty() {
            "/probe.ashx".to_string()
        } else {
            format!("/{folder}/probe.ashx")
        };
        let r = self.get(server, &page, "");
        assert_eq!(r.status, 200, "{page}: {r:?}");
        r.values()
    }

    /// End the AppDomain of the application at `site` (its configuration is read anew by
    /// the next request).
    fn unload(&mut self, site: &Path) {
        self.line(&format!("UNLOAD\t{}", site.display()));
    }
}

impl Drop for AspNet {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A server and a host reading it, or `None` when the suite is skipped.
fn start() -> Option<(Server, AspNet, &'static Path)> {
    let host = host_exe()?;
    let server = Server::new(host);
    let asp = AspNet::start(host, &server);
    Some((server, asp, host))
}

/// Two requests with the cookie of the first: the counter must reach 2 in one session.
fn two_requests(asp: &mut AspNet, server: &Server, page: &str) -> (Response, Response) {
    let first = asp.get(server, page, "");
    assert_eq!(first.status, 200, "{first:?}");
    assert_eq!(first.values()["n"], "1", "{first:?}");
    let cookie = first.cookie().expect("a session cookie");
    let second = asp.get(server, page, &cookie);
    assert_eq!(second.values()["n"], "2", "{second:?}");
    assert_eq!(second.values()["id"], first.values()["id"]);
    (first, second)
}

// ---------------------------------------------------------------------------------------
// The seed systems, end to end, configured by sessctl only (Microsoft's /commit:WEBROOT lines).

#[test]
fn seed_inproc_keeps_a_counter_across_two_requests() {
    let Some((server, mut asp, _)) = start() else {
        return;
    };
    server.sessctl(&[
        "set",
        "config",
        "/commit:WEBROOT",
        "/section:sessionState",
        "/mode:InProc",
        "/timeout:20",
    ]);
    let (first, _) = two_requests(&mut asp, &server, "/counter.ashx");
    assert_eq!(first.values()["mode"], "InProc");
    assert!(first
        .header("Set-Cookie")
        .unwrap()
        .starts_with("ASP.NET_SessionId="));
}

/// Mono's state service, on 127.0.0.1:42424 while this lives (it exits when its standard
/// input closes).
struct StateService(Child);

impl StateService {
    fn start() -> StateService {
        let service = StateService(
            Command::new("asp-state4")
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start asp-state4 (package mono-xsp4)"),
        );
        for _ in 0..200 {
            if std::net::TcpStream::connect("127.0.0.1:42424").is_ok() {
                return service;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("asp-state4 did not listen on 127.0.0.1:42424");
    }
}

impl Drop for StateService {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn seed_state_server_keeps_sessions_across_host_processes_and_fails_with_nothing_listening() {
    let Some((server, asp, host)) = start() else {
        return;
    };
    drop(asp);
    let _state = StateService::start();
    server.sessctl(&[
        "set",
        "config",
        "/commit:WEBROOT",
        "/section:sessionState",
        "/mode:StateServer",
        "/stateConnectionString:tcpip=127.0.0.1:42424",
        "/stateNetworkTimeout:10",
    ]);
    let mut asp = AspNet::start(host, &server);
    let first = asp.get(&server, "/counter.ashx", "");
    assert_eq!(first.values()["n"], "1", "{first:?}");
    assert_eq!(first.values()["mode"], "StateServer");
    let cookie = first.cookie().unwrap();
    // A new process: only the state service still has the session.
    drop(asp);
    let mut asp = AspNet::start(host, &server);
    let again = asp.get(&server, "/counter.ashx", &cookie);
    assert_eq!(again.values()["n"], "2", "{again:?}");
    drop(asp);
    // Nothing listening on the port sessctl wrote: the runtime fails the request.
    server.sessctl(&[
        "set",
        "config",
        "/commit:WEBROOT",
        "/section:sessionState",
        "/stateConnectionString:tcpip=127.0.0.1:1",
    ]);
    let mut asp = AspNet::start(host, &server);
    let refused = asp.get(&server, "/counter.ashx", "");
    assert_eq!(refused.status, 500, "{refused:?}");
    assert!(!refused.body.contains("n=1"), "{refused:?}");
}

#[test]
fn seed_sql_server_keeps_sessions_in_one_sqlite_row_across_host_processes() {
    let Some((server, mut asp, host)) = start() else {
        return;
    };
    let db = server.root.parent().unwrap().join("ASPState.sqlite");
    let created = asp.line(&format!("SQLITE\t{}", db.display()));
    assert_eq!(created, "rows=0\n");
    let conn = format!(
        "/sqlConnectionString:DbProviderName=Mono.Data.Sqlite.SqliteFactory, Mono.Data.Sqlite, Version=4.0.0.0, Culture=neutral, PublicKeyToken=0738eb9f132ed756;Data Source={};Version=3",
        db.display()
    );
    server.sessctl(&[
        "set",
        "config",
        "/commit:WEBROOT",
        "/section:sessionState",
        "/mode:SQLServer",
        &conn,
    ]);
    drop(asp);
    let mut asp = AspNet::start(host, &server);
    let first = asp.get(&server, "/counter.ashx", "");
    assert_eq!(first.values()["n"], "1", "{first:?}");
    assert_eq!(first.values()["mode"], "SQLServer");
    let cookie = first.cookie().unwrap();
    drop(asp);
    let mut asp = AspNet::start(host, &server);
    let again = asp.get(&server, "/counter.ashx", &cookie);
    assert_eq!(again.values()["n"], "2", "{again:?}");
    assert_eq!(asp.line(&format!("SQLITE\t{}", db.display())), "rows=1\n");
}

#[test]
fn seed_custom_provider_added_and_selected_by_one_set_serves_the_session() {
    let Some((server, mut asp, _)) = start() else {
        return;
    };
    server.sessctl(&[
        "set",
        "config",
        "/commit:WEBROOT",
        "/section:sessionState",
        "/+providers.[name='mem',type='MemStore, SessHost']",
        "/mode:Custom",
        "/customProvider:mem",
    ]);
    let (_, second) = two_requests(&mut asp, &server, "/counter.ashx");
    assert_eq!(second.values()["mode"], "Custom");
    assert_ne!(
        second.values()["memstore"],
        "0",
        "the custom store was not called"
    );
    let probe = asp.probe(&server, "");
    assert_eq!(probe["provider"], "mem|MemStore, SessHost");
}

#[test]
fn seed_off_serves_no_session_and_no_cookie() {
    let Some((server, mut asp, _)) = start() else {
        return;
    };
    server.sessctl(&[
        "set",
        "config",
        "/commit:WEBROOT",
        "/section:sessionState",
        "/mode:Off",
    ]);
    let r = asp.get(&server, "/counter.ashx", "");
    assert_eq!(r.status, 200);
    assert_eq!(r.body, "session=none\n");
    assert_eq!(r.header("Set-Cookie"), None);
}

#[test]
fn seed_cookieless_use_uri_puts_the_session_id_in_the_url() {
    let Some((server, mut asp, _)) = start() else {
        return;
    };
    server.sessctl(&[
        "set",
        "config",
        "/commit:WEBROOT",
        "/section:sessionState",
        "/cookieless:UseUri",
    ]);
    let first = asp.get(&server, "/counter.ashx", "");
    assert_eq!(first.status, 302, "{first:?}");
    assert_eq!(first.header("Set-Cookie"), None);
    let location = first.header("Location").expect("a redirect").to_string();
    // Mono writes `/(ID)/` where .NET writes `/(S(ID))/`: pinned in
    // mono_difference_cookieless_url_shape; the id is the segment in parentheses either way.
    let id = location
        .split('(')
        .nth(1)
        .and_then(|s| s.split(')').next())
        .expect("the session id in the URL")
        .to_string();
    assert!(id.len() >= 20, "{location}");
    let page = format!("/({id})/counter.ashx");
    let a = asp.get(&server, &page, "");
    assert_eq!(a.values()["n"], "1", "{a:?}");
    assert_eq!(a.values()["cookieless"], "true");
    let b = asp.get(&server, &page, "");
    assert_eq!(b.values()["n"], "2", "{b:?}");
}

#[test]
fn seed_cookie_name_and_timeout_at_application_level() {
    let Some((server, mut asp, _)) = start() else {
        return;
    };
    server.sessctl(&[
        "set",
        "config",
        "Default Web Site/app1",
        "/section:sessionState",
        "/cookieName:App1Session",
        "/timeout:33",
    ]);
    // app1 is an application of its own, as in IIS (Mono reads the files of the application
    // it hosts, from the root web.config down).
    let app1 = server.site().join("app1");
    std::fs::create_dir_all(app1.join("bin")).unwrap();
    std::fs::copy(
        server.site().join("bin/SessHost.dll"),
        app1.join("bin/SessHost.dll"),
    )
    .unwrap();
    let r = asp.get_in(
        &format!("{}|/app1", app1.display()),
        "/app1/counter.ashx",
        "",
    );
    assert_eq!(r.values()["timeout"], "33", "{r:?}");
    let cookie = r.header("Set-Cookie").unwrap();
    assert!(cookie.starts_with("App1Session="), "{cookie}");
    assert!(cookie.contains("path=/"), "{cookie}");
    // The site root keeps the defaults.
    let root = asp.get(&server, "/counter.ashx", "");
    assert_eq!(root.values()["timeout"], "20");
    assert!(root
        .header("Set-Cookie")
        .unwrap()
        .starts_with("ASP.NET_SessionId="));
}

// ---------------------------------------------------------------------------------------
// The differential of effective values.

/// xorshift64*: a small seeded generator, the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

/// A valid attribute of sessionState and a value in the spelling sessctl writes. Where the
/// hosted application's own section is (`app_root`), no SQLServer mode: Mono's session module
/// would open the database on the first request, probe or not.
fn random_attr(rng: &mut Rng, app_root: bool) -> (&'static str, String) {
    match rng.below(8) {
        0 => ("timeout", (1 + rng.below(600)).to_string()),
        1 => ("cookieName", format!("S{}", rng.below(1000))),
        2 => (
            "cookieless",
            rng.pick(&["UseCookies", "UseUri", "AutoDetect", "UseDeviceProfile"])
                .to_string(),
        ),
        3 => (
            "regenerateExpiredSessionId",
            rng.pick(&["true", "false"]).to_string(),
        ),
        4 => ("stateNetworkTimeout", (1 + rng.below(60)).to_string()),
        5 => ("sqlCommandTimeout", (1 + rng.below(100)).to_string()),
        6 if app_root => (
            "mode",
            rng.pick(&["InProc", "StateServer", "Off"]).to_string(),
        ),
        6 => (
            "mode",
            rng.pick(&["InProc", "StateServer", "SQLServer", "Off"])
                .to_string(),
        ),
        _ => (
            "stateConnectionString",
            format!("tcpip=10.0.0.{}:42424", rng.below(255)),
        ),
    }
}

/// One to three attributes, each named once.
fn random_attrs(rng: &mut Rng, app_root: bool) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let (n, v) = random_attr(rng, app_root);
        if !out.iter().any(|(m, _)| *m == n) {
            out.push((n, v));
        }
    }
    out
}

/// A definition of sessionState the generator made: the file (the folder of its level; `None`
/// for the root web.config), the level it applies at (a folder of the site, `None` for the
/// root web.config's own level), and what it sets.
#[derive(Clone, Debug)]
struct Def {
    file: Option<&'static str>,
    at: Option<&'static str>,
    attrs: Vec<(&'static str, String)>,
}

/// Whether site folder `a` is `b` or above it.
fn at_or_above(a: &str, b: &str) -> bool {
    a.is_empty() || a == b || b.starts_with(&format!("{a}/"))
}

/// A place a definition can go: the file (its folder; `None` for the root web.config), the
/// level it applies at, the PATH of the `set`, its `/commit`, and whether it is sessionState
/// (else sessionPageState).
type Place = (
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
    bool,
);

/// Build one hierarchy on `server` with sessctl (and, for a `<location path="">`, which sessctl
/// never writes, the file's text), and return what it defined.
fn generate(server: &Server, rng: &mut Rng) -> Vec<Def> {
    let mut defs = Vec::new();
    let site = "Default Web Site";
    let path_of = |folder: &str| {
        if folder.is_empty() {
            site.to_string()
        } else {
            format!("{site}/{folder}")
        }
    };
    // A <location path=""> in the site's file: the file's own level (SPEC §4).
    if rng.chance(15) {
        let attrs = random_attrs(rng, true);
        let text: String = attrs.iter().map(|(n, v)| format!(" {n}=\"{v}\"")).collect();
        std::fs::write(
            server.site().join("web.config"),
            format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration>\r\n  <location path=\"\">\r\n    <system.web>\r\n      <sessionState{text} />\r\n    </system.web>\r\n  </location>\r\n</configuration>\r\n"
            ),
        )
        .unwrap();
        defs.push(Def {
            file: Some(""),
            at: Some(""),
            attrs,
        });
    }
    // Every folder gets a web.config (with its own historySize): see
    // mono_difference_no_location_for_a_folder_without_web_config.
    for f in FOLDERS {
        let size = format!("/historySize:{}", 1 + rng.below(50));
        server.sessctl(&[
            "set",
            "config",
            &path_of(f),
            "/section:sessionPageState",
            &size,
        ]);
    }
    // (file, level, PATH, commit, section) of every place a definition can go. sessionState
    // is MachineToApplication: never for the folder (sessctl refuses it, as .NET does).
    let places: [Place; 11] = [
        (None, None, None, "webroot", true),
        (Some(""), Some(""), Some(""), "url", true),
        (Some(""), Some("app1"), Some("app1"), "site", true),
        (
            Some(""),
            Some("app1/nested"),
            Some("app1/nested"),
            "site",
            true,
        ),
        (
            Some(""),
            Some("app1/folder"),
            Some("app1/folder"),
            "site",
            false,
        ),
        (
            Some(""),
            Some("app1/nested"),
            Some("app1/nested"),
            "site",
            false,
        ),
        (Some("app1"), Some("app1"), Some("app1"), "url", true),
        (
            Some("app1"),
            Some("app1/nested"),
            Some("app1/nested"),
            "parent",
            true,
        ),
        (
            Some("app1"),
            Some("app1/folder"),
            Some("app1/folder"),
            "app",
            false,
        ),
        (
            Some("app1/nested"),
            Some("app1/nested"),
            Some("app1/nested"),
            "url",
            true,
        ),
        (None, None, None, "webroot", false),
    ];
    for (file, at, path, commit, session) in places {
        if !rng.chance(40) {
            continue;
        }
        let mut attrs = if session {
            random_attrs(rng, at.is_none_or(str::is_empty))
        } else {
            vec![("historySize", (1 + rng.below(50)).to_string())]
        };
        // Now and then a provider added here too (a name no level uses yet).
        if session && rng.chance(25) {
            let name = format!("p{}", defs.len());
            attrs.push(("provider", name));
        }
        let mut args: Vec<String> = vec!["set".into(), "config".into()];
        if let Some(p) = path {
            args.push(path_of(p));
        }
        args.push(
            if session {
                "/section:sessionState"
            } else {
                "/section:sessionPageState"
            }
            .into(),
        );
        args.extend(attrs.iter().map(|(n, v)| match *n {
            "provider" => format!("/+providers.[name='{v}',type='MemStore, SessHost']"),
            _ => format!("/{n}:{v}"),
        }));
        args.push(format!("/commit:{commit}"));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        server.sessctl(&args);
        defs.push(Def { file, at, attrs });
        // Now and then a provider of an earlier definition taken out here: its <add> at this
        // level, or a <remove> when a level above adds it. A name not in effect here is
        // refused (4312) and nothing is written; either way list must say what Mono reads.
        let earlier: Vec<String> = defs
            .iter()
            .flat_map(|d| d.attrs.iter())
            .filter(|(n, v)| *n == "provider" && !v.starts_with('-'))
            .map(|(_, v)| v.clone())
            .collect();
        if session && !earlier.is_empty() && rng.chance(30) {
            let name = &earlier[rng.below(earlier.len() as u64) as usize];
            let mut args: Vec<String> = vec!["set".into(), "config".into()];
            if let Some(p) = path {
                args.push(path_of(p));
            }
            let root = server.root.to_str().unwrap().to_string();
            args.extend([
                "/section:sessionState".to_string(),
                format!("/-providers.[name='{name}']"),
                format!("/commit:{commit}"),
                "--root".to_string(),
                root,
            ]);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = run(&server.root, &args);
            assert!(
                out.code == 0 || out.code == 4312 % 256,
                "sessctl {args:?}: {}",
                out.stderr()
            );
            if out.code == 0 {
                defs.push(Def {
                    file,
                    at,
                    attrs: vec![("provider", format!("-{name}"))],
                });
            }
        }
    }
    defs
}

/// Why the runtime's answer for `attr` at `folder` cannot judge sessctl's, when Mono is known
/// to differ from .NET there: when an ancestor file has a `<location>` naming a level above
/// `folder` and none naming `folder` itself, Mono's `Configuration.FindLocationConfiguration`
/// takes that location (`Locations.FindBest`, the longest prefix) as the parent of `folder`'s
/// file, so the files between lose their say; .NET applies the location once, at the level it
/// names, and the files at or below that level win (its configuration records, SPEC §4). Pinned
/// by mono_difference_prefix_location_drops_the_files_between.
fn mono_drops_files_below_prefix_location(defs: &[Def], folder: &str, attr: &str) -> bool {
    for file in ["", "app1"] {
        if file == folder || !at_or_above(file, folder) {
            continue;
        }
        let located: Vec<&Def> = defs
            .iter()
            .filter(|d| d.file == Some(file) && d.at.is_some_and(|a| a != file))
            .collect();
        if located.iter().any(|d| d.at == Some(folder)) {
            continue;
        }
        let prefix = located
            .iter()
            .any(|d| d.at.is_some_and(|a| a != folder && at_or_above(a, folder)));
        if !prefix {
            continue;
        }
        let between = defs.iter().any(|d| {
            d.file.is_some_and(|g| {
                g != file && g != folder && at_or_above(file, g) && at_or_above(g, folder)
            }) && d.attrs.iter().any(|(n, _)| *n == attr)
        });
        if between {
            return true;
        }
    }
    false
}

/// sessctl's effective values at a folder of the site: every sessionState attribute and
/// historySize.
fn listed(server: &Server, folder: &str) -> BTreeMap<String, String> {
    let path = if folder.is_empty() {
        "Default Web Site".to_string()
    } else {
        format!("Default Web Site/{folder}")
    };
    let out = server.sessctl(&["list", "config", &path, "--json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut values = BTreeMap::new();
    for s in doc["sections"].as_array().unwrap() {
        for (name, a) in s["attributes"].as_object().unwrap() {
            values.insert(name.clone(), a["value"].as_str().unwrap().to_string());
        }
        // The effective providers as the probe prints them: `name|type`, a line each.
        if let Some(items) = s["providers"].as_array().filter(|p| !p.is_empty()) {
            let lines: Vec<String> = items
                .iter()
                .map(|p| {
                    format!(
                        "{}|{}",
                        p["name"].as_str().unwrap_or(""),
                        p["type"].as_str().unwrap_or("")
                    )
                })
                .collect();
            values.insert("provider".to_string(), lines.join("\n"));
        }
    }
    values
}

/// The files of a hierarchy, for a failure message.
fn hierarchy_text(server: &Server) -> String {
    let mut out = String::new();
    for f in FOLDERS {
        let p = server.site().join(f).join("web.config");
        if let Ok(t) = std::fs::read_to_string(&p) {
            out.push_str(&format!("--- {f}/web.config\n{t}\n"));
        }
    }
    out
}

#[test]
fn differential_effective_values_agree_with_the_runtime() {
    let Some(host) = host_exe() else { return };
    let count: usize = std::env::var("SESSCTL_RUNTIME_HIERARCHIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let seed: u64 = std::env::var("SESSCTL_RUNTIME_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5e55_c71d);
    let base = Server::new(host);
    let mut asp = AspNet::start(host, &base);
    let mut rng = Rng(seed | 1);
    let mut compared = 0;
    let mut pinned = 0;
    let mut removals = 0;
    let mut disagreements = Vec::new();
    for n in 0..count {
        let server = Server::new(host);
        let defs = generate(&server, &mut rng);
        removals += defs
            .iter()
            .flat_map(|d| d.attrs.iter())
            .filter(|(n, v)| *n == "provider" && v.starts_with('-'))
            .count();
        // The runtime reads this hierarchy's root web.config.
        base.point_runtime_at(&server.root);
        let app = server.site().display().to_string();
        for folder in FOLDERS {
            let page = if folder.is_empty() {
                "/probe.ashx".to_string()
            } else {
                format!("/{folder}/probe.ashx")
            };
            let response = asp.get_in(&app, &page, "");
            if response.status != 200 {
                disagreements.push(format!(
                    "hierarchy {n}, \"/{folder}\": the runtime answered {}: {}\n{}",
                    response.status,
                    response.error(),
                    hierarchy_text(&server)
                ));
                continue;
            }
            let runtime = response.values();
            let ours = listed(&server, folder);
            if let Some(e) = runtime.get("ERROR") {
                disagreements.push(format!(
                    "hierarchy {n}, {folder:?}: the runtime refused: {e}\n{}",
                    hierarchy_text(&server)
                ));
                continue;
            }
            // Providers sessctl lists that the runtime does not have are a disagreement too.
            let mut runtime = runtime;
            if ours.contains_key("provider") {
                runtime
                    .entry("provider".to_string())
                    .or_insert_with(|| "(none)".to_string());
            }
            for (name, value) in &runtime {
                if mono_drops_files_below_prefix_location(&defs, folder, name) {
                    pinned += 1;
                    continue;
                }
                compared += 1;
                let mine = ours.get(name).map(String::as_str).unwrap_or("(absent)");
                if mine != value {
                    disagreements.push(format!(
                        "hierarchy {n}, \"/{folder}\": {name}: runtime {value:?}, sessctl {mine:?}\n{}",
                        hierarchy_text(&server)
                    ));
                }
            }
        }
        asp.unload(&server.site());
    }
    eprintln!(
        "differential: {count} hierarchies (seed {seed}), {removals} providers taken out below where they were added, {compared} values compared, {pinned} left to the pinned Mono difference (a prefix location drops the files between)"
    );
    assert!(
        disagreements.is_empty(),
        "{} disagreements with the runtime; the first:\n{}",
        disagreements.len(),
        disagreements
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(compared > count * 40, "too few values compared: {compared}");
}

// ---------------------------------------------------------------------------------------
// The refusal table.

/// Serialises the tests that run Mono's state service on its fixed port.
static STATE_PORT: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// One row: a value in the site's web.config, and what .NET, `set` and `lint` do with it.
struct Refusal {
    /// The attributes of `<sessionState>` as written in the file.
    file: &'static str,
    /// The same request through `set` (`/name:value` arguments).
    set: &'static [&'static str],
    /// Whether .NET Framework refuses the file (reference source: the section's validators and
    /// converters, and SessionStateModule's checks at the first request).
    dotnet_refuses: bool,
    /// `set`'s exit code (87 invalid value, 13 a runtime rule, 0 written in ASP.NET's spelling).
    set_code: i32,
    /// Where Mono answers otherwise than .NET: the pinned difference.
    mono_differs: Option<&'static str>,
}

const REFUSALS: &[Refusal] = &[
    Refusal { file: r#"timeout="0""#, set: &["/timeout:0"], dotnet_refuses: true, set_code: 87, mono_differs: None },
    Refusal { file: r#"timeout="-1""#, set: &["/timeout:-1"], dotnet_refuses: true, set_code: 87, mono_differs: None },
    Refusal { file: r#"timeout="525600""#, set: &["/timeout:525600"], dotnet_refuses: false, set_code: 0, mono_differs: None },
    Refusal { file: r#"timeout="525601""#, set: &["/timeout:525601"], dotnet_refuses: true, set_code: 13, mono_differs: None },
    Refusal { file: r#"timeout="00:45:00""#, set: &["/timeout:00:45:00"], dotnet_refuses: true, set_code: 0, mono_differs: None },
    Refusal { file: r#"timeout="Infinite""#, set: &["/timeout:Infinite"], dotnet_refuses: true, set_code: 13, mono_differs: None },
    Refusal { file: r#"mode="Off" timeout="Infinite""#, set: &["/mode:Off", "/timeout:infinite"], dotnet_refuses: false, set_code: 0, mono_differs: None },
    Refusal { file: r#"cookieless="true""#, set: &["/cookieless:true"], dotnet_refuses: false, set_code: 0, mono_differs: None },
    Refusal { file: r#"cookieless="false""#, set: &["/cookieless:false"], dotnet_refuses: false, set_code: 0, mono_differs: None },
    Refusal { file: r#"cookieless="UseDeviceProfile""#, set: &["/cookieless:usedeviceprofile"], dotnet_refuses: false, set_code: 0, mono_differs: None },
    Refusal {
        file: r#"cookieless="useuri""#,
        set: &["/cookieless:useuri"],
        dotnet_refuses: true,
        set_code: 0,
        mono_differs: Some("Mono reads cookieless without regard to case; .NET's HttpCookieModeConverter checks Enum.IsDefined on the exact spelling"),
    },
    Refusal { file: r#"mode="inproc""#, set: &["/mode:inproc"], dotnet_refuses: true, set_code: 0, mono_differs: None },
    // GenericEnumConverter's Enum.Parse reads a list of names as their numbers or'ed together:
    // Off|InProc is InProc; InProc|Custom (5) is no mode (.NET's session module has no store
    // for it, Mono's throws). set writes one name only (IIS's schema takes one).
    Refusal { file: r#"mode="Off, InProc""#, set: &["/mode:Off, InProc"], dotnet_refuses: false, set_code: 87, mono_differs: None },
    Refusal { file: r#"mode="InProc,InProc""#, set: &["/mode:InProc,InProc"], dotnet_refuses: false, set_code: 87, mono_differs: None },
    Refusal { file: r#"mode="InProc, Custom""#, set: &["/mode:InProc, Custom"], dotnet_refuses: true, set_code: 87, mono_differs: None },
    Refusal {
        file: r#"mode=" InProc""#,
        set: &["/mode: InProc"],
        dotnet_refuses: true,
        set_code: 0,
        mono_differs: Some("Mono's GenericEnumConverter hands the value to Enum.Parse, which trims it; .NET's refuses white space at either end first"),
    },
    Refusal { file: r#"timeout=" 30 ""#, set: &["/timeout: 30 "], dotnet_refuses: false, set_code: 0, mono_differs: None },
    Refusal { file: r#"mode="StateServer" stateConnectionString="tcpip=127.0.0.1:42424""#, set: &["/mode:StateServer", "/stateConnectionString:tcpip=127.0.0.1:42424"], dotnet_refuses: false, set_code: 0, mono_differs: None },
    Refusal { file: r#"mode="StateServer" stateConnectionString="127.0.0.1:42424""#, set: &["/mode:StateServer", "/stateConnectionString:127.0.0.1:42424"], dotnet_refuses: true, set_code: 13, mono_differs: None },
    Refusal { file: r#"mode="StateServer" stateConnectionString="tcpip=127.0.0.1""#, set: &["/mode:StateServer", "/stateConnectionString:tcpip=127.0.0.1"], dotnet_refuses: true, set_code: 13, mono_differs: None },
    Refusal { file: r#"sqlCommandTimeout="00:00:30""#, set: &["/sqlCommandTimeout:00:00:30"], dotnet_refuses: true, set_code: 0, mono_differs: None },
    Refusal { file: r#"sqlCommandTimeout="Infinite""#, set: &["/sqlCommandTimeout:infinite"], dotnet_refuses: false, set_code: 0, mono_differs: None },
    Refusal { file: r#"stateNetworkTimeout="0""#, set: &["/stateNetworkTimeout:0"], dotnet_refuses: true, set_code: 87, mono_differs: None },
    Refusal { file: r#"Mode="InProc""#, set: &["/Mode:InProc"], dotnet_refuses: true, set_code: 87, mono_differs: None },
    Refusal { file: r#"foo="1""#, set: &["/foo:1"], dotnet_refuses: true, set_code: 87, mono_differs: None },
    Refusal { file: r#"compressionEnabled="False""#, set: &["/compressionEnabled:False"], dotnet_refuses: false, set_code: 0, mono_differs: None },
    Refusal { file: r#"useHostingIdentity="TRUE""#, set: &["/useHostingIdentity:TRUE"], dotnet_refuses: false, set_code: 0, mono_differs: None },
    Refusal { file: r#"mode="Off" partitionResolverType="Resolver, SessHost""#, set: &["/mode:Off", "/partitionResolverType:Resolver, SessHost"], dotnet_refuses: false, set_code: 0, mono_differs: None },
    Refusal {
        file: r#"mode="InProc" partitionResolverType="Resolver, SessHost""#,
        set: &["/mode:InProc", "/partitionResolverType:Resolver, SessHost"],
        dotnet_refuses: true,
        set_code: 13,
        mono_differs: Some("Mono implements no partition resolver and reads no partitionResolverType; .NET's InitPartitionResolver refuses one beside a mode other than StateServer or SQLServer"),
    },
    Refusal { file: r#"regenerateExpiredSessionId="yes""#, set: &["/regenerateExpiredSessionId:yes"], dotnet_refuses: true, set_code: 87, mono_differs: None },
];

/// Whether the runtime refuses the site's configuration: the section does not load, or the
/// session module fails the first request that uses a session.
fn runtime_refuses(asp: &mut AspNet, server: &Server) -> bool {
    let app = server.site().display().to_string();
    let probe = asp.get_in(&app, "/probe.ashx", "");
    let refused = probe.status != 200
        || probe.values().contains_key("ERROR")
        || asp.get_in(&app, "/counter.ashx", "").status == 500;
    asp.unload(&server.site());
    refused
}

#[test]
fn refusal_table_runtime_set_and_lint_agree_row_by_row() {
    let Some(host) = host_exe() else { return };
    let _port = STATE_PORT.lock().unwrap_or_else(|e| e.into_inner());
    let _state = StateService::start();
    let base = Server::new(host);
    let mut asp = AspNet::start(host, &base);
    let mut failures = Vec::new();
    for row in REFUSALS {
        // The value as a file holds it.
        let server = Server::new(host);
        let file = server.site().join("web.config");
        std::fs::write(
            &file,
            format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <system.web>\n    <sessionState {} />\n  </system.web>\n</configuration>\n",
                row.file
            ),
        )
        .unwrap();
        let refused = runtime_refuses(&mut asp, &server);
        let expected = row.dotnet_refuses != row.mono_differs.is_some();
        if refused != expected {
            failures.push(format!(
                "{}: the runtime {} it (expected {})",
                row.file,
                if refused { "refuses" } else { "accepts" },
                if expected { "a refusal" } else { "acceptance" }
            ));
        }
        let lint = run(
            &server.root,
            &["lint", file.to_str().unwrap(), "--format", "json"],
        );
        let doc: serde_json::Value = serde_json::from_slice(&lint.stdout).unwrap();
        let errors = doc["summary"]["errors"].as_u64().unwrap();
        if (errors > 0) != row.dotnet_refuses {
            failures.push(format!(
                "{}: lint found {errors} errors; .NET {}",
                row.file,
                if row.dotnet_refuses {
                    "refuses it"
                } else {
                    "accepts it"
                }
            ));
        }
        // The same request through set, on a clean server.
        let server = Server::new(host);
        let mut args = vec!["set", "config", "Default Web Site", "/section:sessionState"];
        args.extend(row.set);
        let root = server.root.to_str().unwrap().to_string();
        args.extend(["--root", &root]);
        let out = run(&server.root, &args);
        if out.code != row.set_code {
            failures.push(format!(
                "{:?}: set exited {} (expected {}): {}",
                row.set,
                out.code,
                row.set_code,
                out.stderr()
            ));
        } else if out.code == 0 && runtime_refuses(&mut asp, &server) {
            failures.push(format!(
                "{:?}: set wrote what the runtime refuses:\n{}",
                row.set,
                std::fs::read_to_string(server.site().join("web.config")).unwrap_or_default()
            ));
        } else if out.code != 0 && std::fs::read_to_string(server.site().join("web.config")).is_ok()
        {
            failures.push(format!("{:?}: set refused but wrote the file", row.set));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------------------
// Where Mono differs from .NET Framework: each difference pinned, with .NET's reason.

/// A server whose site files are `files` (folder, web.config text), the runtime's answer for
/// `attr` at `folder` (`ERROR` when it refuses the configuration), and sessctl's.
fn both_answers(files: &[(&str, &str)], folder: &str, attr: &str) -> Option<(String, String)> {
    let (server, mut asp, _) = start()?;
    for (f, text) in files {
        std::fs::write(server.site().join(f).join("web.config"), text).unwrap();
    }
    let page = if folder.is_empty() {
        "/probe.ashx".to_string()
    } else {
        format!("/{folder}/probe.ashx")
    };
    let r = asp.get(&server, &page, "");
    let runtime = if r.status != 200 {
        "ERROR".to_string()
    } else {
        r.values().get(attr).cloned().unwrap_or_default()
    };
    let ours = listed(&server, folder)[attr].clone();
    eprintln!("{attr} at /{folder}: runtime {runtime}, sessctl {ours}");
    Some((runtime, ours))
}

fn config(body: &str) -> String {
    format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n{body}</configuration>\n")
}

const EMPTY: &str = "<?xml version=\"1.0\"?>\n<configuration>\n</configuration>\n";

#[test]
fn a_list_of_modes_is_read_as_their_numbers_ored_together_and_lint_names_that_mode() {
    // GenericEnumConverter hands "StateServer, Off" to Enum.Parse, which ors 2 and 0: the
    // runtime runs StateServer. sessctl lists the value as written and its lint says which
    // mode it is, with that name as the fix.
    let site =
        config("  <system.web>\n    <sessionState mode=\"StateServer, Off\" />\n  </system.web>\n");
    let Some((runtime, ours)) = both_answers(&[("", &site)], "", "mode") else {
        return;
    };
    assert_eq!(runtime, "StateServer");
    assert_eq!(ours, "StateServer, Off");
    let file =
        std::env::temp_dir().join(format!("sessctl-mode-list-{}.config", std::process::id()));
    std::fs::write(&file, &site).unwrap();
    let lint = run(
        &std::env::temp_dir(),
        &["lint", file.to_str().unwrap(), "--format", "json"],
    );
    std::fs::remove_file(&file).ok();
    let doc: serde_json::Value = serde_json::from_slice(&lint.stdout).unwrap();
    let finding = &doc["findings"][0];
    assert_eq!(finding["code"], "SS003");
    assert_eq!(finding["severity"], "info");
    assert_eq!(finding["fix"]["replacement"], "StateServer");
}

#[test]
fn mono_difference_location_dot_is_refused_where_dotnet_reads_the_files_own_level() {
    // .NET: BaseConfigurationRecord normalises a location path of "." to the file's own level
    // (it is how Visual Studio writes inheritInChildApplications="false" wrappers); Mono
    // refuses the path.
    let site = config("  <location path=\".\">\n    <system.web>\n      <sessionState cookieName=\"Dot\" />\n    </system.web>\n  </location>\n");
    let Some((runtime, ours)) = both_answers(&[("", &site)], "", "cookieName") else {
        return;
    };
    assert_eq!(runtime, "ERROR");
    assert_eq!(ours, "Dot");
}

#[test]
fn location_paths_compare_without_regard_to_case() {
    // IIS and .NET compare config paths without regard to case (StringUtil.EqualsIgnoreCase in
    // BaseConfigurationRecord). SPEC §9 says Mono compares them case-sensitively; read through
    // OpenWebConfiguration as this suite reads, it agrees with .NET, and this test says so.
    let site = config(
        "  <location path=\"APP1/Folder\">\n    <system.web>\n      <sessionState cookieName=\"Upper\" />\n    </system.web>\n  </location>\n",
    );
    let Some((runtime, ours)) = both_answers(
        &[("", &site), ("app1", EMPTY), ("app1/folder", EMPTY)],
        "app1/folder",
        "cookieName",
    ) else {
        return;
    };
    assert_eq!((runtime.as_str(), ours.as_str()), ("Upper", "Upper"));
}

#[test]
fn mono_difference_prefix_location_drops_the_files_between() {
    // .NET applies <location path="app1"> at app1's level, before app1's own web.config, and
    // app1/folder inherits both (one configuration record per path). Mono takes that location
    // as the parent of app1/folder's file and skips app1's web.config.
    let site = config("  <location path=\"app1\">\n    <system.web>\n      <sessionState cookieName=\"Site\" />\n    </system.web>\n  </location>\n");
    let app = config("  <system.web>\n    <sessionState timeout=\"77\" />\n  </system.web>\n");
    let Some((runtime, ours)) = both_answers(
        &[("", &site), ("app1", &app), ("app1/folder", EMPTY)],
        "app1/folder",
        "timeout",
    ) else {
        return;
    };
    assert_eq!(runtime, "20");
    assert_eq!(ours, "77");
}

#[test]
fn mono_difference_no_location_for_a_folder_without_web_config() {
    // .NET has a configuration record for every path, file or not, and gathers the locations
    // naming it; Mono reads a folder without a web.config as its parent's configuration.
    let site = config("  <location path=\"app1/folder\">\n    <system.web>\n      <sessionPageState historySize=\"3\" />\n    </system.web>\n  </location>\n");
    let Some((runtime, ours)) = both_answers(&[("", &site)], "app1/folder", "historySize") else {
        return;
    };
    assert_eq!(runtime, "9");
    assert_eq!(ours, "3");
    // With a web.config there (even an empty one), Mono applies the location too.
    let Some((runtime, ours)) = both_answers(
        &[("", &site), ("app1/folder", EMPTY)],
        "app1/folder",
        "historySize",
    ) else {
        return;
    };
    assert_eq!((runtime.as_str(), ours.as_str()), ("3", "3"));
}

#[test]
fn mono_difference_locks_are_not_enforced() {
    // .NET refuses app1's definition below <location path="app1" allowOverride="false">
    // ("This configuration section cannot be used at this path", SectionRecord.Locked);
    // Mono reads it. sessctl shows the values, warns that ASP.NET refuses the file, and lint
    // --root reports SS013 as an error.
    let site = config("  <location path=\"app1\" allowOverride=\"false\">\n    <system.web>\n      <sessionState cookieName=\"Site\" />\n    </system.web>\n  </location>\n");
    let app = config("  <system.web>\n    <sessionState timeout=\"44\" />\n  </system.web>\n");
    let Some((server, mut asp, _)) = start() else {
        return;
    };
    std::fs::write(server.site().join("web.config"), &site).unwrap();
    std::fs::write(server.site().join("app1/web.config"), &app).unwrap();
    assert_eq!(asp.probe(&server, "app1")["timeout"], "44");
    let root = server.root.to_str().unwrap();
    let list = run(
        &server.root,
        &[
            "list",
            "config",
            "Default Web Site/app1",
            "--root",
            root,
            "/section:sessionState",
        ],
    );
    assert_eq!(list.code, 0);
    assert!(
        list.stderr()
            .contains("ASP.NET refuses this file: system.web/sessionState is locked at"),
        "{}",
        list.stderr()
    );
    let lint = run(&server.root, &["lint", "--root", root, "--select", "SS013"]);
    assert_eq!(lint.code, 1, "{}", lint.stdout());
    assert!(lint.stdout().contains("error[SS013]"), "{}", lint.stdout());
}

#[test]
fn mono_difference_inherit_in_child_applications_needs_the_application_boundary() {
    // .NET leaves a location with inheritInChildApplications="false" out of child applications
    // (BaseConfigurationRecord.ShouldSkipDueToInheritInChildApplications); Mono hosts the site
    // root as the one application here, so app1 is a folder to it and inherits.
    let site = config("  <location path=\"\" inheritInChildApplications=\"false\">\n    <system.web>\n      <sessionState cookieName=\"RootOnly\" />\n    </system.web>\n  </location>\n");
    let Some((runtime, ours)) = both_answers(&[("", &site), ("app1", EMPTY)], "app1", "cookieName")
    else {
        return;
    };
    assert_eq!(runtime, "RootOnly");
    assert_eq!(ours, "ASP.NET_SessionId");
    // A folder of the site root's application inherits in both.
    let Some((runtime, ours)) = both_answers(
        &[("", &site), ("app1", EMPTY), ("app1/folder", EMPTY)],
        "",
        "cookieName",
    ) else {
        return;
    };
    assert_eq!((runtime.as_str(), ours.as_str()), ("RootOnly", "RootOnly"));
}

#[test]
fn mono_difference_site_names_in_root_web_config_locations_are_ignored() {
    // In machine.config and the root web.config a location path names the site first
    // ("Default Web Site/app1"), and .NET applies it to that site's path; Mono ignores it.
    let Some((server, mut asp, _)) = start() else {
        return;
    };
    server.sessctl(&[
        "set",
        "config",
        "Default Web Site/app1",
        "/commit:WEBROOT",
        "/section:sessionState",
        "/cookieName:FromRoot",
    ]);
    let text = std::fs::read_to_string(
        server
            .root
            .join("Windows/Microsoft.NET/Framework64/v4.0.30319/Config/web.config"),
    )
    .unwrap();
    assert!(text.contains("<location path=\"Default Web Site/app1\">"));
    std::fs::write(server.site().join("app1/web.config"), EMPTY).unwrap();
    assert_eq!(
        asp.probe(&server, "app1")["cookieName"],
        "ASP.NET_SessionId"
    );
    assert_eq!(listed(&server, "app1")["cookieName"], "FromRoot");
}

#[test]
fn mono_difference_cookieless_url_shape() {
    // .NET writes the id into the URL as /(S(ID))/ (CookielessHelperClass); Mono as /(ID)/.
    let Some((server, mut asp, _)) = start() else {
        return;
    };
    server.sessctl(&[
        "set",
        "config",
        "/commit:WEBROOT",
        "/section:sessionState",
        "/cookieless:UseUri",
    ]);
    let r = asp.get(&server, "/counter.ashx", "");
    let location = r.header("Location").unwrap();
    assert!(
        location.starts_with("/(") && !location.starts_with("/(S("),
        "{location}"
    );
}

/// [`connection_strings_site`] with the ASP.NET State Service listening on its port (held for
/// the request), or `None` when the runtime suite is skipped.
fn state_server_site(entries: &str, session: &str) -> Option<(Server, bool, Vec<String>)> {
    let host = host_exe()?;
    let _port = STATE_PORT.lock().unwrap_or_else(|e| e.into_inner());
    let _state = StateService::start();
    Some(connection_strings_site(host, entries, session))
}

/// A site whose web.config holds `entries` in `<connectionStrings>` and `session` in
/// `<system.web>`: whether the runtime refuses it, and the error codes lint reports for it.
fn connection_strings_site(
    host: &'static Path,
    entries: &str,
    session: &str,
) -> (Server, bool, Vec<String>) {
    let server = Server::new(host);
    let mut asp = AspNet::start(host, &server);
    let file = server.site().join("web.config");
    std::fs::write(
        &file,
        format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <connectionStrings>\n    {entries}\n  </connectionStrings>\n  <system.web>\n    {session}\n  </system.web>\n</configuration>\n"),
    )
    .unwrap();
    let refused = runtime_refuses(&mut asp, &server);
    let lint = run(
        &server.root,
        &["lint", file.to_str().unwrap(), "--format", "json"],
    );
    let doc: serde_json::Value = serde_json::from_slice(&lint.stdout).unwrap();
    let errors = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect();
    (server, refused, errors)
}

/// A stateConnectionString that names an entry a `<clear>` took out: ASP.NET finds no entry
/// (`HandlerBase.CheckAndReadConnectionString` keeps the value) and reads `StateDb` as the
/// connection string, which has no `tcpip=`: refused. Mono, which reads the value without a
/// name lookup at all, refuses it too; lint says so.
#[test]
fn a_state_connection_string_naming_a_cleared_entry_is_refused() {
    let Some((_, refused, errors)) = state_server_site(
        "<clear />",
        r#"<sessionState mode="StateServer" stateConnectionString="StateDb" />"#,
    ) else {
        return;
    };
    assert!(refused, "the runtime accepted it");
    assert_eq!(errors, ["SS006"]);
}

/// A stateConnectionString naming an entry no file from machine.config down defines: ASP.NET
/// finds no entry and reads `StateDb` as the connection string (Mono reads it as written):
/// refused. `lint --root`, which reads every file a name can be found in, says so (SS006, and
/// SS003 for the same name in sqlConnectionString); `lint FILE` alone cannot see the files
/// above and leaves the name unjudged. An entry the site's web.config defines in a
/// `<location path="app1">` is in scope for app1 and below only (.NET's
/// `HandlerBase.CheckAndReadConnectionString` looks the name up in the `<connectionStrings>` of
/// the request's configuration path, `RuntimeConfig.GetConfig()`; Mono looks no name up, so
/// only the reference source judges this): the site's own section naming it is reported, the
/// one of the application app1 is not.
#[test]
fn a_connection_string_name_no_file_defines_is_refused_under_root() {
    let Some((server, refused, errors)) = state_server_site(
        "",
        r#"<sessionState mode="StateServer" stateConnectionString="StateDb" />"#,
    ) else {
        return;
    };
    assert!(refused, "the runtime accepted it");
    assert_eq!(errors, Vec::<String>::new());
    assert_eq!(findings_of(&server, "SS006"), ["web.config:7"]);
    std::fs::write(
        server.site().join("web.config"),
        config("  <system.web>\n    <sessionState mode=\"SQLServer\" sqlConnectionString=\"SessionDb\" />\n  </system.web>\n"),
    )
    .unwrap();
    assert_eq!(findings_of(&server, "SS003"), ["web.config:4"]);
    std::fs::write(
        server.site().join("web.config"),
        config("  <location path=\"app1\">\n    <connectionStrings>\n      <add name=\"SessionDb\" connectionString=\"Data Source=db;Integrated Security=SSPI\" />\n    </connectionStrings>\n  </location>\n  <system.web>\n    <sessionState mode=\"SQLServer\" sqlConnectionString=\"SessionDb\" />\n  </system.web>\n"),
    )
    .unwrap();
    std::fs::write(
        server.site().join("app1/web.config"),
        config("  <system.web>\n    <sessionState mode=\"SQLServer\" sqlConnectionString=\"SessionDb\" />\n  </system.web>\n"),
    )
    .unwrap();
    assert_eq!(findings_of(&server, "SS003"), ["web.config:9"]);
}

/// The SQL Server store hands a name a `<clear>` took out to its provider as the connection
/// string (.NET: `new SqlConnection("SessionDb")` throws; Mono's provider factory cannot read it
/// either): refused by the runtime, by lint (SS003) and by set (exit 13).
#[test]
fn a_sql_connection_string_naming_a_cleared_entry_is_refused() {
    let Some(host) = host_exe() else { return };
    let (server, refused, errors) = connection_strings_site(
        host,
        "<clear />",
        r#"<sessionState mode="SQLServer" sqlConnectionString="SessionDb" />"#,
    );
    assert!(refused, "the runtime accepted it");
    assert_eq!(errors, ["SS003"]);
    std::fs::write(
        server.site().join("web.config"),
        "<configuration><connectionStrings><clear /></connectionStrings></configuration>",
    )
    .unwrap();
    let root = server.root.to_str().unwrap().to_string();
    let set = run(
        &server.root,
        &[
            "set",
            "config",
            "Default Web Site",
            "/section:sessionState",
            "/mode:SQLServer",
            "/sqlConnectionString:SessionDb",
            "--root",
            &root,
        ],
    );
    assert_eq!(set.code, 13, "{}", set.stderr());
}

/// .NET's StateServer store with a partition resolver asks it for each session's connection
/// string and never reads stateConnectionString (`OutOfProcSessionStateStore.OneTimeInit` in
/// the reference source), so a bad one beside a resolver is no error, only a setting never
/// read (SS201), and that is what sessctl says. Mono does not implement resolvers at all: it
/// reads stateConnectionString whatever partitionResolverType names (a resolver type that does
/// not exist loads fine, and one that would give a good string does not help a bad attribute),
/// so it refuses this file.
#[test]
fn mono_difference_partition_resolver_is_ignored() {
    let Some((server, refused, errors)) = state_server_site(
        "<clear />",
        r#"<sessionState mode="StateServer" partitionResolverType="Resolver, SessHost" stateConnectionString="StateDb" />"#,
    ) else {
        return;
    };
    assert!(refused, "Mono accepted it: the pinned difference is gone");
    assert!(errors.is_empty(), "{errors:?}");
    let web_config = server.site().join("web.config");
    let lint = run(
        &server.root,
        &["lint", web_config.to_str().unwrap(), "--select", "SS201"],
    );
    assert!(lint.stdout().contains("info[SS201]"), "{}", lint.stdout());
}

/// .NET looks stateConnectionString up among `<connectionStrings>` first
/// (`HandlerBase.CheckAndReadConnectionString`) and uses the entry's string; Mono reads the
/// value as written. So a name whose entry holds a good `tcpip=` string loads in .NET, and
/// sessctl accepts it as .NET does, while Mono refuses it.
#[test]
fn mono_difference_state_connection_string_names_an_entry() {
    let Some((_, refused, errors)) = state_server_site(
        r#"<add name="StateDb" connectionString="tcpip=127.0.0.1:42424" />"#,
        r#"<sessionState mode="StateServer" stateConnectionString="StateDb" />"#,
    ) else {
        return;
    };
    assert!(refused, "Mono accepted it: the pinned difference is gone");
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn mono_difference_a_location_dotnet_refuses_is_read() {
    // .NET: BaseConfigurationRecord.ScanLocationSection refuses, and with it the whole file
    // (every request below it fails), a location path NormalizeLocationSubPath rejects
    // ("app1/"), a boolean other than exactly true/false, an overrideMode other than exactly
    // Allow/Deny/Inherit, an unknown attribute, and allowOverride beside overrideMode. Mono
    // checks none of them and applies the location. sessctl follows .NET: list exits 13
    // naming the location (lint: SS014).
    let cases = [
        ("app1/", "", "a location path cannot end with"),
        (
            "app1",
            " allowOverride=\"False\"",
            "allowOverride=\"False\" must be exactly",
        ),
        (
            "app1",
            " overrideMode=\"deny\"",
            "overrideMode=\"deny\" must be exactly",
        ),
        (
            "app1",
            " inheritInChildApplication=\"false\"",
            "has no attribute inheritInChildApplication",
        ),
        (
            "app1",
            " allowOverride=\"true\" overrideMode=\"Allow\"",
            "carries both allowOverride and overrideMode",
        ),
    ];
    for (path, attrs, said) in cases {
        let site = config(&format!("  <location path=\"{path}\"{attrs}>\n    <system.web>\n      <sessionState cookieName=\"Mono\" />\n    </system.web>\n  </location>\n"));
        let Some((server, mut asp, _)) = start() else {
            return;
        };
        std::fs::write(server.site().join("web.config"), &site).unwrap();
        std::fs::write(server.site().join("app1").join("web.config"), EMPTY).unwrap();
        let r = asp.get(&server, "/app1/probe.ashx", "");
        assert_eq!(r.status, 200, "{path} {attrs}");
        assert_eq!(
            r.values().get("cookieName").map(String::as_str),
            Some("Mono"),
            "{path} {attrs}"
        );
        let root = server.root.to_str().unwrap().to_string();
        let out = run(
            &server.root,
            &[
                "list",
                "config",
                "Default Web Site/app1",
                "--root",
                &root,
                "/section:sessionState",
            ],
        );
        assert_eq!(out.code, 13, "{path} {attrs}: {}", out.stdout());
        assert!(
            out.stderr().contains(said),
            "{path} {attrs}: {}",
            out.stderr()
        );
    }
}

/// A web.config whose `<configuration>` carries the given attributes, and what the runtime
/// and `sessctl lint` (its SS015 findings) say of it.
fn root_answers(attrs: &str) -> Option<(String, Vec<String>)> {
    let site = format!("<?xml version=\"1.0\"?>\n<configuration{attrs}>\n  <system.web>\n    <sessionState cookieName=\"Root\" />\n  </system.web>\n</configuration>\n");
    let (runtime, _) = both_answers(&[("", &site)], "", "cookieName")?;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("web.config"), &site).unwrap();
    let out = run(
        dir.path(),
        &[
            "lint",
            "--select",
            "SS015",
            "--format",
            "json",
            "web.config",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&out.stdout()).unwrap();
    let findings = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect();
    Some((runtime, findings))
}

#[test]
fn an_attribute_on_configuration_makes_the_runtime_refuse_the_file_and_lint_says_so() {
    // .NET's ScanFactories takes only xmlns on <configuration>; anything else, a namespace
    // declaration such as XDT's included, is "Unrecognized attribute" and the file is refused.
    for attrs in [
        " version=\"2\"",
        " xmlns:xdt=\"http://schemas.microsoft.com/XML-Document-Transform\"",
    ] {
        let Some((runtime, findings)) = root_answers(attrs) else {
            return;
        };
        assert_eq!(runtime, "ERROR", "{attrs}");
        assert_eq!(findings.len(), 1, "{attrs}: {findings:?}");
        assert!(
            findings[0].ends_with("ASP.NET refuses the whole file"),
            "{findings:?}"
        );
    }
    // The namespace Visual Studio 2005 wrote is taken.
    let Some((runtime, findings)) =
        root_answers(" xmlns=\"http://schemas.microsoft.com/.NetConfiguration/v2.0\"")
    else {
        return;
    };
    assert_eq!((runtime.as_str(), findings.len()), ("Root", 0));
}

#[test]
fn mono_difference_another_configuration_namespace_is_read_where_dotnet_refuses_the_file() {
    // .NET: ScanFactories adds Config_namespace_invalid as a Global error for any xmlns on
    // <configuration> but http://schemas.microsoft.com/.NetConfiguration/v2.0, and the whole
    // file is refused. Mono reads the file. sessctl follows .NET (SS015).
    let Some((runtime, findings)) = root_answers(" xmlns=\"urn:other\"") else {
        return;
    };
    assert_eq!(runtime, "Root");
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert!(
        findings[0].starts_with("<configuration xmlns=\"urn:other\">"),
        "{findings:?}"
    );
}

#[test]
fn a_web_config_behind_a_folder_link_applies_and_every_walk_reads_it() {
    // IIS and ASP.NET reach a folder through a symbolic link (or junction) as through any
    // folder, and the web.config there applies at the link's URL. The runtime is asked at
    // /linked (a link to a folder outside the site); `list`, `search config` and
    // `lint --root` must find that file too.
    let Some((server, mut asp, _)) = start() else {
        return;
    };
    let elsewhere = server.root.join("inetpub/elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(
        elsewhere.join("probe.ashx"),
        "<%@ WebHandler Class=\"Probe\" %>\n",
    )
    .unwrap();
    std::fs::write(
        elsewhere.join("web.config"),
        config("  <system.web>\n    <sessionPageState historySize=\"7\" />\n  </system.web>\n"),
    )
    .unwrap();
    std::os::unix::fs::symlink("../elsewhere", server.site().join("linked")).unwrap();
    assert_eq!(asp.probe(&server, "linked")["historySize"], "7");
    assert_eq!(listed(&server, "linked")["historySize"], "7");
    let search = server.sessctl(&["search", "config"]);
    assert!(
        search.contains("CONFIGSEARCH \"MACHINE/WEBROOT/APPHOST/Default Web Site/linked\"\n"),
        "{search}"
    );
    // lint --root reads it too: a value it judges there is reported at the link's path.
    std::fs::write(
        elsewhere.join("web.config"),
        config("  <system.web>\n    <sessionPageState historySize=\"0\" />\n  </system.web>\n"),
    )
    .unwrap();
    let out = run(
        &server.root,
        &[
            "lint",
            "--root",
            server.root.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&out.stdout()).unwrap();
    let files: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "SS003")
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert!(
        files
            .iter()
            .any(|f| f.ends_with("inetpub/wwwroot/linked/web.config")),
        "{}",
        out.stdout()
    );
}

// ---------------------------------------------------------------------------------------
// A provider added twice: .NET's ConfigurationElementCollection.BaseAdd keeps one entry when
// the two are equal (ConfigurationElement.Equals) and refuses the section when they are not;
// ProviderSettingsCollection compares names with StringComparer.OrdinalIgnoreCase.

/// The site's session section with these `<providers>` children, in Custom mode on `mem`.
fn custom_with(items: &str) -> String {
    config(&format!("  <system.web>\n    <sessionState mode=\"Custom\" customProvider=\"mem\">\n      <providers>\n        {items}\n      </providers>\n    </sessionState>\n  </system.web>\n"))
}

const MEM: &str = r#"<add name="mem" type="MemStore, SessHost" />"#;

/// What the runtime and sessctl say of the providers at `folder` with the site files `files`:
/// the runtime's (`ERROR` when it refuses the configuration), `list`'s, and where `lint
/// --root` reports SS012 (file below the site, line).
struct ProviderAnswers {
    runtime: String,
    listed: String,
    ss012: Vec<String>,
}

/// A server whose site folders hold the web.config files `files` (folder, text), and a host
/// reading it, or `None` when the suite is skipped.
fn site_with(files: &[(&str, String)]) -> Option<(Server, AspNet)> {
    let (server, asp, _) = start()?;
    for (f, text) in files {
        std::fs::write(server.site().join(f).join("web.config"), text).unwrap();
    }
    Some((server, asp))
}

fn provider_answers(files: &[(&str, String)], folder: &str) -> Option<ProviderAnswers> {
    let (server, mut asp) = site_with(files)?;
    let r = asp.get(&server, &probe_page(folder, ""), "");
    let values = r.values();
    let runtime = if r.status != 200 || values.contains_key("ERROR") {
        "ERROR".to_string()
    } else {
        values.get("provider").cloned().unwrap_or_default()
    };
    let listed = listed(&server, folder)
        .get("provider")
        .cloned()
        .unwrap_or_default();
    Some(ProviderAnswers {
        runtime,
        listed,
        ss012: findings_of(&server, "SS012"),
    })
}

/// The probe's page at `folder`, with a query.
fn probe_page(folder: &str, query: &str) -> String {
    let q = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    if folder.is_empty() {
        format!("/probe.ashx{q}")
    } else {
        format!("/{folder}/probe.ashx{q}")
    }
}

/// Where `lint --root --select RULE` reports on the server: file below the site, line.
fn findings_of(server: &Server, rule: &str) -> Vec<String> {
    let root = server.root.to_str().unwrap();
    let lint = run(
        &server.root,
        &["lint", "--root", root, "--select", rule, "--format", "json"],
    );
    let doc: serde_json::Value = serde_json::from_slice(&lint.stdout).unwrap();
    let site = format!("{}/", server.site().display());
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap();
            format!(
                "{}:{}",
                file.strip_prefix(site.as_str()).unwrap_or(file),
                f["line"]
            )
        })
        .collect()
}

/// The same `<add>` twice, in one element or at two levels: both runtimes keep one entry,
/// `list` shows one, and lint reports nothing (SS012 reported it as an error before).
#[test]
fn a_provider_added_again_unchanged_is_one_entry() {
    let once = "mem|MemStore, SessHost";
    let Some(same_file) = provider_answers(&[("", custom_with(&format!("{MEM}{MEM}")))], "") else {
        return;
    };
    assert_eq!(
        (same_file.runtime.as_str(), same_file.listed.as_str()),
        (once, once)
    );
    assert_eq!(same_file.ss012, Vec::<String>::new());
    let levels = provider_answers(
        &[("", custom_with(MEM)), ("app1", custom_with(MEM))],
        "app1",
    )
    .unwrap();
    assert_eq!(
        (levels.runtime.as_str(), levels.listed.as_str()),
        (once, once)
    );
    assert_eq!(levels.ss012, Vec::<String>::new());
}

/// A name the level above already gives, added again with another type: the runtime refuses
/// the section (Mono: "Duplicate element in collection"), lint --root reports it in the
/// lower file, and `set` refuses to write such an entry (exit 183, as appcmd).
#[test]
fn a_provider_added_again_below_with_other_attributes_is_refused() {
    let other = r#"<add name="mem" type="MemStore,SessHost" />"#;
    let Some(a) = provider_answers(
        &[("", custom_with(MEM)), ("app1", custom_with(other))],
        "app1",
    ) else {
        return;
    };
    assert_eq!(a.runtime, "ERROR");
    assert_eq!(a.ss012, ["app1/web.config:6"]);
    let host = host_exe().unwrap();
    let server = Server::new(host);
    std::fs::write(server.site().join("web.config"), custom_with(MEM)).unwrap();
    let root = server.root.to_str().unwrap().to_string();
    let out = run(
        &server.root,
        &[
            "set",
            "config",
            "Default Web Site/app1",
            "/section:sessionState",
            "/+providers.[name='MEM',type='MemStore,SessHost']",
            "--root",
            &root,
        ],
    );
    assert_eq!(out.code, 183, "{}", out.stderr());
    assert_eq!(
        out.stderr(),
        "ERROR ( message:Cannot add duplicate collection entry of type 'add' with unique key attribute 'name' set to 'MEM' )\n"
    );
    assert!(!server.site().join("app1/web.config").exists());
}

/// `/-providers.[name='x']` below the level that adds `x` writes `<remove name="x" />` there
/// (as appcmd does), and the runtime has no `x` below it while the level above keeps it.
#[test]
fn an_inherited_provider_taken_out_or_changed_below_is_what_the_runtime_reads() {
    let Some((server, mut asp, host)) = start() else {
        return;
    };
    let x = r#"<add name="x" type="MemStore, SessHost" />"#;
    std::fs::write(
        server.site().join("web.config"),
        custom_with(&format!("{MEM}{x}")),
    )
    .unwrap();
    server.sessctl(&[
        "set",
        "config",
        "Default Web Site/app1",
        "/section:sessionState",
        "/-providers.[name='X']",
    ]);
    let text = std::fs::read_to_string(server.site().join("app1/web.config")).unwrap();
    assert!(text.contains(r#"<remove name="x" />"#), "{text}");
    let at = |asp: &mut AspNet, folder: &str| {
        asp.get(&server, &probe_page(folder, ""), "").values()["provider"].clone()
    };
    assert_eq!(at(&mut asp, "app1"), "mem|MemStore, SessHost");
    assert_eq!(
        at(&mut asp, ""),
        "mem|MemStore, SessHost\nx|MemStore, SessHost"
    );
    assert_eq!(
        listed(&server, "app1")["provider"],
        "mem|MemStore, SessHost"
    );
    // Changing an inherited provider there: <remove> and <add> again, as IIS Manager writes it.
    server.sessctl(&[
        "set",
        "config",
        "Default Web Site/app1",
        "/section:sessionState",
        "/providers.[name='mem'].type:MemStore,SessHost",
    ]);
    let text = std::fs::read_to_string(server.site().join("app1/web.config")).unwrap();
    assert!(
        text.contains(r#"<remove name="mem" />"#)
            && text.contains(r#"<add name="mem" type="MemStore,SessHost" />"#),
        "{text}"
    );
    // A new host reads the changed files (ASP.NET restarts the application when a
    // web.config changes; Mono's host may be recycling it while the files are written).
    drop(asp);
    let mut asp = AspNet::start(host, &server);
    assert_eq!(at(&mut asp, "app1"), "mem|MemStore,SessHost");
    assert_eq!(
        at(&mut asp, ""),
        "mem|MemStore, SessHost\nx|MemStore, SessHost"
    );
    assert_eq!(listed(&server, "app1")["provider"], "mem|MemStore,SessHost");
}

/// A change at the site's level that takes away the provider app1 selects is refused by `set`
/// (exit 13, naming app1's web.config, nothing written), as the runtime then refuses app1's
/// configuration; with --force it is written with a warning, and the runtime refuses app1.
#[test]
fn a_provider_taken_away_above_the_level_that_selects_it_is_refused_as_the_runtime_refuses_it() {
    let site = config(&format!(
        "  <system.web>\n    <sessionState>\n      <providers>\n        {MEM}\n      </providers>\n    </sessionState>\n  </system.web>\n"
    ));
    provider_taken_away_above(&[("web.config", site)], "web.config");
}

/// The same, with the site's section kept in a configSource file: the write lands in that file,
/// and the levels below are judged with its new text (they were judged with the old one, so
/// the change was written and the application failed).
#[test]
fn a_provider_taken_away_in_a_config_source_file_above_is_refused_as_the_runtime_refuses_it() {
    let site = config(
        "  <system.web>\n    <sessionState configSource=\"Session.config\" />\n  </system.web>\n",
    );
    let session =
        format!("<sessionState>\n  <providers>\n    {MEM}\n  </providers>\n</sessionState>\n");
    provider_taken_away_above(
        &[("web.config", site), ("Session.config", session)],
        "Session.config",
    );
}

/// The site's `files` (name, text) add provider `mem`, which app1 selects; taking it away at
/// the site (the write lands in `written`) is refused, exit 13 naming app1's web.config and
/// nothing written; with --force it is written with a warning, and the runtime refuses app1.
fn provider_taken_away_above(files: &[(&str, String)], written: &str) {
    let Some((server, mut asp, host)) = start() else {
        return;
    };
    for (name, text) in files {
        std::fs::write(server.site().join(name), text).unwrap();
    }
    std::fs::write(
        server.site().join("app1/web.config"),
        config("  <system.web>\n    <sessionState mode=\"Custom\" customProvider=\"mem\" />\n  </system.web>\n"),
    )
    .unwrap();
    let provider = |asp: &mut AspNet| {
        let r = asp.get(&server, &probe_page("app1", ""), "");
        match r.values().get("provider") {
            Some(p) if r.status == 200 => p.clone(),
            _ => "ERROR".to_string(),
        }
    };
    assert_eq!(provider(&mut asp), "mem|MemStore, SessHost");
    let root = server.root.to_str().unwrap();
    let take_away = [
        "set",
        "config",
        "Default Web Site",
        "/section:sessionState",
        "/-providers.[name='mem']",
        "--root",
        root,
    ];
    let written = server.site().join(written);
    let before = std::fs::read_to_string(&written).unwrap();
    let refused = run(&server.root, &take_away);
    assert_eq!(refused.code, 13, "{}", refused.stderr());
    assert!(
        refused.stderr().contains(&format!(
            "{}: the change would break 1 definition below it: {}:",
            written.display(),
            server.site().join("app1/web.config").display()
        )) && refused
            .stderr()
            .contains("(SS008: customProvider=\"mem\" names no provider"),
        "{}",
        refused.stderr()
    );
    assert_eq!(std::fs::read_to_string(&written).unwrap(), before);
    let forced = run(&server.root, &[&take_away[..], &["--force"]].concat());
    assert_eq!(forced.code, 0, "{}", forced.stderr());
    assert!(
        forced
            .stderr()
            .contains("the change breaks 1 definition below it (--force)"),
        "{}",
        forced.stderr()
    );
    assert!(
        !std::fs::read_to_string(&written).unwrap().contains("mem"),
        "the forced write lands in {}",
        written.display()
    );
    drop(asp);
    let mut asp = AspNet::start(host, &server);
    assert_eq!(provider(&mut asp), "ERROR");
}

/// .NET compares provider names without regard to case (ProviderSettingsCollection is built
/// with StringComparer.OrdinalIgnoreCase), so `MEM` after `mem` is the same key with another
/// `name` value: not Equal, refused. Mono compares them ordinally and keeps two entries.
/// sessctl follows .NET: lint reports it, and `list` shows the one entry .NET would key.
#[test]
fn mono_difference_provider_names_compare_with_regard_to_case() {
    let upper = r#"<add name="MEM" type="MemStore, SessHost" />"#;
    let Some(a) = provider_answers(&[("", custom_with(&format!("{MEM}{upper}")))], "") else {
        return;
    };
    assert_eq!(a.runtime, "mem|MemStore, SessHost\nMEM|MemStore, SessHost");
    assert_eq!(a.listed, "MEM|MemStore, SessHost");
    assert_eq!(a.ss012, ["web.config:6"]);
}

/// .NET's ProviderSettings makes each of a provider's own attributes a property
/// (OnDeserializeUnrecognizedAttribute), so ConfigurationElement.Equals compares them and an
/// entry that adds a `description` differs: refused. Mono keeps them apart from the
/// properties it compares and takes the second entry as the first. sessctl follows .NET.
#[test]
fn mono_difference_provider_settings_are_left_out_of_the_comparison() {
    let described = r#"<add name="mem" type="MemStore, SessHost" description="x" />"#;
    let Some(a) = provider_answers(&[("", custom_with(&format!("{MEM}{described}")))], "") else {
        return;
    };
    assert_eq!(a.runtime, "mem|MemStore, SessHost");
    assert_eq!(a.ss012, ["web.config:6"]);
}

// ---------------------------------------------------------------------------------------
// A connection string added twice: the same collection rules (ConnectionStringSettingsCollection
// is an add/remove/clear map with StringComparer.OrdinalIgnoreCase); Mono's machine.config,
// as Windows', gives LocalSqlServer.

/// A site file with these `<connectionStrings>` children and InProc session state.
fn with_connection_strings(items: &str) -> String {
    config(&format!("  <connectionStrings>\n    {items}\n  </connectionStrings>\n  <system.web>\n    <sessionState mode=\"InProc\" />\n  </system.web>\n"))
}

/// `<connectionStrings>` twice in one scope of a file: .NET's configuration record refuses the
/// section there ("Sections must only appear once per config file", an error local to the
/// section: every read of it fails), whatever entries each holds; so does the runtime here. A
/// `<location>` naming a folder holds its own scope. lint reports the second (SS017).
#[test]
fn connection_strings_twice_in_one_scope_are_refused_where_read() {
    let twice = config("  <connectionStrings>\n    <add name=\"A\" connectionString=\"x=1\" />\n  </connectionStrings>\n  <connectionStrings>\n    <add name=\"B\" connectionString=\"x=2\" />\n  </connectionStrings>\n  <location path=\"app1\">\n    <connectionStrings>\n      <add name=\"C\" connectionString=\"x=3\" />\n    </connectionStrings>\n  </location>\n  <system.web>\n    <sessionState mode=\"InProc\" />\n  </system.web>\n");
    let Some((server, mut asp)) = site_with(&[("", twice)]) else {
        return;
    };
    assert_eq!(runtime_connection_strings(&mut asp, &server, ""), "ERROR");
    assert_eq!(findings_of(&server, "SS017"), ["web.config:6"]);
    // One in the file's scope and one in a location naming a folder: two scopes.
    let apart = config("  <connectionStrings>\n    <add name=\"A\" connectionString=\"x=1\" />\n  </connectionStrings>\n  <location path=\"app1\">\n    <connectionStrings>\n      <add name=\"C\" connectionString=\"x=3\" />\n    </connectionStrings>\n  </location>\n  <system.web>\n    <sessionState mode=\"InProc\" />\n  </system.web>\n");
    let Some((server, mut asp)) = site_with(&[("", apart)]) else {
        return;
    };
    assert_eq!(runtime_connection_strings(&mut asp, &server, ""), "A|x=1");
    assert!(findings_of(&server, "SS017").is_empty());
}

/// The machine.config (Mono's) entries, as the probe prints them.
const MACHINE_CONNECTION_STRINGS: [&str; 2] = [
    r"LocalSqlServer|data source=.\SQLEXPRESS;Integrated Security=SSPI;AttachDBFilename=|DataDirectory|aspnetdb.mdf;User Instance=true",
    "LocalSqliteServer|Data Source=|DataDirectory|/aspnetdb.sqlite;version=3",
];

/// The runtime's connection strings at `folder` (`name|value` lines, machine.config's own
/// left out), or `ERROR` when it refuses `<connectionStrings>`; and where lint --root reports
/// SS017.
fn connection_string_answers(
    files: &[(&str, String)],
    folder: &str,
) -> Option<(String, Vec<String>)> {
    let (server, mut asp) = site_with(files)?;
    let runtime = runtime_connection_strings(&mut asp, &server, folder);
    Some((runtime, findings_of(&server, "SS017")))
}

/// The runtime's connection strings at `folder` (`name|value` lines, machine.config's own
/// left out), or `ERROR` when it refuses `<connectionStrings>`.
fn runtime_connection_strings(asp: &mut AspNet, server: &Server, folder: &str) -> String {
    let r = asp.get(server, &probe_page(folder, "cs=1"), "");
    let values = r.values();
    if r.status != 200 || values.contains_key("CONNERROR") {
        "ERROR".to_string()
    } else {
        values
            .get("connectionString")
            .map(|v| {
                v.lines()
                    .filter(|l| !MACHINE_CONNECTION_STRINGS.contains(l))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    }
}

/// A `<location path="app1">` in the site's web.config gives its `<connectionStrings>` to app1
/// and below, not to the site's own level, merged level by level: its `<remove>` comes after
/// the site's own entries and before app1's own web.config, which may add the name back. The
/// runtime's configuration system says which entries are in scope at each folder; lint --root
/// judges `sqlConnectionString` names by the same scopes (SS003). That session state looks the
/// name up in the request path's configuration is .NET's word
/// (`HandlerBase.CheckAndReadConnectionString` reads `RuntimeConfig.GetConfig()`): Mono's
/// SQL store looks no name up.
#[test]
fn connection_strings_of_a_location_reach_its_folder_level_by_level() {
    let site = |session: &str| {
        config(&format!("  <connectionStrings>\n    <add name=\"Db\" connectionString=\"x=1\" />\n  </connectionStrings>\n  <location path=\"app1\">\n    <connectionStrings>\n      <remove name=\"Db\" />\n      <add name=\"Only\" connectionString=\"x=3\" />\n    </connectionStrings>\n  </location>\n  <system.web>\n    {session}\n  </system.web>\n"))
    };
    let app1 = |entries: &str, session: &str| {
        config(&format!("  <connectionStrings>\n    {entries}\n  </connectionStrings>\n  <system.web>\n    {session}\n  </system.web>\n"))
    };
    let inproc = r#"<sessionState mode="InProc" />"#;
    let naming =
        |name: &str| format!(r#"<sessionState mode="SQLServer" sqlConnectionString="{name}" />"#);
    let db2 = r#"<add name="Db" connectionString="x=2" />"#;
    let Some((server, mut asp)) = site_with(&[("", site(inproc)), ("app1", app1(db2, inproc))])
    else {
        return;
    };
    assert_eq!(runtime_connection_strings(&mut asp, &server, ""), "Db|x=1");
    assert_eq!(
        runtime_connection_strings(&mut asp, &server, "app1"),
        "Only|x=3\nDb|x=2"
    );
    assert_eq!(
        runtime_connection_strings(&mut asp, &server, "app1/folder"),
        "Only|x=3\nDb|x=2"
    );
    // The same scopes in lint --root: "Only" is missing at the site's own level only.
    std::fs::write(server.site().join("web.config"), site(&naming("Only"))).unwrap();
    std::fs::write(
        server.site().join("app1/web.config"),
        app1(db2, &naming("Only")),
    )
    .unwrap();
    assert_eq!(findings_of(&server, "SS003"), ["web.config:13"]);
    // Without app1's own entry, the location's <remove> stands at app1.
    let Some((server, mut asp)) = site_with(&[("", site(inproc)), ("app1", app1("", inproc))])
    else {
        return;
    };
    assert_eq!(
        runtime_connection_strings(&mut asp, &server, "app1"),
        "Only|x=3"
    );
    std::fs::write(
        server.site().join("app1/web.config"),
        app1("", &naming("Db")),
    )
    .unwrap();
    assert_eq!(findings_of(&server, "SS003"), ["app1/web.config:7"]);
}

/// A `<location>`'s `<connectionStrings>` re-adding a name in scope at its folder with another
/// value: the runtime refuses the section there (and only there), and lint --root reports the
/// `<add>` (SS017) judged against what merges before it at that folder: machine.config's
/// `LocalSqlServer`, the site's own entries, and the web.config of a folder between, whose
/// `<remove>` comes first.
#[test]
fn a_location_adding_a_name_in_scope_again_is_refused_at_its_folder() {
    let site = |location: &str, items: &str| {
        config(&format!("  <connectionStrings>\n    <add name=\"Db\" connectionString=\"x=1\" />\n  </connectionStrings>\n  <location path=\"{location}\">\n    <connectionStrings>\n      {items}\n    </connectionStrings>\n  </location>\n  <system.web>\n    <sessionState mode=\"InProc\" />\n  </system.web>\n"))
    };
    let local = r#"<add name="LocalSqlServer" connectionString="data source=sql01" />"#;
    let Some((server, mut asp)) = site_with(&[
        ("", site("app1", local)),
        ("app1", with_connection_strings("")),
    ]) else {
        return;
    };
    assert_eq!(runtime_connection_strings(&mut asp, &server, ""), "Db|x=1");
    assert_eq!(
        runtime_connection_strings(&mut asp, &server, "app1"),
        "ERROR"
    );
    assert_eq!(findings_of(&server, "SS017"), ["web.config:8"]);
    // With <remove> first in the location, both take it.
    let removed = format!(r#"<remove name="LocalSqlServer" />{local}"#);
    let (server, mut asp) = site_with(&[
        ("", site("app1", &removed)),
        ("app1", with_connection_strings("")),
    ])
    .unwrap();
    assert_eq!(
        runtime_connection_strings(&mut asp, &server, "app1"),
        "Db|x=1\nLocalSqlServer|data source=sql01"
    );
    assert_eq!(findings_of(&server, "SS017"), Vec::<String>::new());
    // The site's own "Db" again with another value, for a folder of app1: refused there...
    // (the folder has a web.config: Mono reads no location for a folder without one, .NET
    // does; see mono_difference_no_location_for_a_folder_without_web_config).
    let db2 = r#"<add name="Db" connectionString="x=2" />"#;
    let (server, mut asp) = site_with(&[
        ("", site("app1/folder", db2)),
        ("app1", with_connection_strings("")),
        ("app1/folder", EMPTY.to_string()),
    ])
    .unwrap();
    assert_eq!(
        runtime_connection_strings(&mut asp, &server, "app1/folder"),
        "ERROR"
    );
    assert_eq!(findings_of(&server, "SS017"), ["web.config:8"]);
    // ...unless app1's web.config, between the site and the folder, takes it out first.
    let remove_db = r#"<remove name="Db" />"#;
    let (server, mut asp) = site_with(&[
        ("", site("app1/folder", db2)),
        ("app1", with_connection_strings(remove_db)),
        ("app1/folder", EMPTY.to_string()),
    ])
    .unwrap();
    assert_eq!(runtime_connection_strings(&mut asp, &server, "app1"), "");
    assert_eq!(
        runtime_connection_strings(&mut asp, &server, "app1/folder"),
        "Db|x=2"
    );
    assert_eq!(findings_of(&server, "SS017"), Vec::<String>::new());
}

/// machine.config's `LocalSqlServer` added again in a site's web.config with another value
/// (the best-known form of "The entry 'LocalSqlServer' has already been added"): the runtime
/// refuses <connectionStrings>, lint --root reports it; with `<remove>` first, or with the
/// very same entry, both take it. An entry of the site root added again with another value
/// in a folder below is refused the same way.
#[test]
fn a_connection_string_added_again_with_another_value_is_refused() {
    let local = r#"<add name="LocalSqlServer" connectionString="data source=sql01;Integrated Security=SSPI" />"#;
    let Some((runtime, ss017)) =
        connection_string_answers(&[("", with_connection_strings(local))], "")
    else {
        return;
    };
    assert_eq!(runtime, "ERROR");
    assert_eq!(ss017, ["web.config:4"]);
    let removed = format!(r#"<remove name="LocalSqlServer" />{local}"#);
    let (runtime, ss017) =
        connection_string_answers(&[("", with_connection_strings(&removed))], "").unwrap();
    assert_eq!(
        runtime,
        "LocalSqlServer|data source=sql01;Integrated Security=SSPI"
    );
    assert_eq!(ss017, Vec::<String>::new());
    let machine = r#"<add name="LocalSqlServer" connectionString="data source=.\SQLEXPRESS;Integrated Security=SSPI;AttachDBFilename=|DataDirectory|aspnetdb.mdf;User Instance=true" providerName="System.Data.SqlClient" />"#;
    let (runtime, ss017) =
        connection_string_answers(&[("", with_connection_strings(machine))], "").unwrap();
    assert_eq!(runtime, "");
    assert_eq!(ss017, Vec::<String>::new());
    let db = |v: &str| format!(r#"<add name="Db" connectionString="x={v}" />"#);
    let (runtime, ss017) = connection_string_answers(
        &[
            ("", with_connection_strings(&db("1"))),
            ("app1", with_connection_strings(&db("2"))),
        ],
        "app1",
    )
    .unwrap();
    assert_eq!(runtime, "ERROR");
    assert_eq!(ss017, ["app1/web.config:4"]);
    let (runtime, ss017) = connection_string_answers(
        &[
            ("", with_connection_strings(&db("1"))),
            ("app1", with_connection_strings(&db("1"))),
        ],
        "app1",
    )
    .unwrap();
    assert_eq!(runtime, "Db|x=1");
    assert_eq!(ss017, Vec::<String>::new());
}

/// `<connectionStrings configSource="cs.config" />`: the runtime reads the entries of that file
/// as the section's, and refuses it the same way when one is machine.config's LocalSqlServer
/// with another value; lint --root reports it at the element that names the file.
#[test]
fn connection_strings_in_a_config_source_file_are_read_and_judged() {
    let Some((server, mut asp, host)) = start() else {
        return;
    };
    std::fs::write(
        server.site().join("web.config"),
        config("  <connectionStrings configSource=\"cs.config\" />\n  <system.web>\n    <sessionState mode=\"InProc\" />\n  </system.web>\n"),
    )
    .unwrap();
    let external = |items: &str| {
        format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<connectionStrings>\n  {items}\n</connectionStrings>\n")
    };
    std::fs::write(
        server.site().join("cs.config"),
        external(r#"<add name="Db" connectionString="x=1" />"#),
    )
    .unwrap();
    let r = asp.get(&server, &probe_page("", "cs=1"), "");
    assert!(
        r.values()["connectionString"].ends_with("\nDb|x=1"),
        "{:?}",
        r.values()
    );
    assert_eq!(findings_of(&server, "SS017"), Vec::<String>::new());
    // A new host for the changed file (see
    // an_inherited_provider_taken_out_or_changed_below_is_what_the_runtime_reads).
    drop(asp);
    let mut asp = AspNet::start(host, &server);
    std::fs::write(
        server.site().join("cs.config"),
        external(r#"<add name="LocalSqlServer" connectionString="x=1" />"#),
    )
    .unwrap();
    let r = asp.get(&server, &probe_page("", "cs=1"), "");
    assert!(r.values().contains_key("CONNERROR"), "{:?}", r.values());
    assert_eq!(findings_of(&server, "SS017"), ["web.config:3"]);
}

/// `<connectionStrings>` in a `<location>` of the file's own level (`path=""`; Visual
/// Studio's wrapper writes `path="."`, which Mono refuses, see
/// mono_difference_location_dot_is_refused_where_dotnet_reads_the_files_own_level) is read
/// as the file's own: machine.config's `LocalSqlServer` added again there with another value
/// is refused by the runtime and reported by lint --root; after a `<remove>` both take the
/// entry, and the folder below reads it too.
#[test]
fn connection_strings_in_a_location_of_the_files_own_level_are_read() {
    let located = |items: &str| {
        config(&format!("  <location path=\"\">\n    <connectionStrings>\n      {items}\n    </connectionStrings>\n  </location>\n  <system.web>\n    <sessionState mode=\"InProc\" />\n  </system.web>\n"))
    };
    let local = r#"<add name="LocalSqlServer" connectionString="x=1" />"#;
    let Some((runtime, ss017)) = connection_string_answers(&[("", located(local))], "") else {
        return;
    };
    assert_eq!(runtime, "ERROR");
    assert_eq!(ss017, ["web.config:5"]);
    let removed = format!(r#"<remove name="LocalSqlServer" />{local}"#);
    let (runtime, ss017) =
        connection_string_answers(&[("", located(&removed))], "app1/folder").unwrap();
    assert_eq!(runtime, "LocalSqlServer|x=1");
    assert_eq!(ss017, Vec::<String>::new());
    // Added again below with another value: refused there, and reported.
    let db = |v: &str| format!(r#"<add name="Db" connectionString="x={v}" />"#);
    let (runtime, ss017) = connection_string_answers(
        &[
            ("", located(&db("1"))),
            ("app1/folder", with_connection_strings(&db("2"))),
        ],
        "app1/folder",
    )
    .unwrap();
    assert_eq!(runtime, "ERROR");
    assert_eq!(ss017, ["app1/folder/web.config:4"]);
}

/// .NET leaves the `<connectionStrings>` of a `<location inheritInChildApplications="false">`
/// out of child applications (`ShouldSkipDueToInheritInChildApplications`, as for any
/// section), so app1 may add the name again with its own value; Mono hosts the site root as
/// the one application here, app1 is a folder to it, inherits the entry and refuses the
/// second. sessctl follows .NET; a folder of the site root's application (app1/folder is in
/// app1, so the site's `<location>` is judged there as app1's parent) is covered by the test
/// above.
#[test]
fn mono_difference_connection_strings_kept_from_child_applications() {
    let site = config("  <location path=\"\" inheritInChildApplications=\"false\">\n    <connectionStrings>\n      <add name=\"Db\" connectionString=\"x=1\" />\n    </connectionStrings>\n  </location>\n");
    let app = with_connection_strings(r#"<add name="Db" connectionString="x=2" />"#);
    let Some((runtime, ss017)) = connection_string_answers(&[("", site), ("app1", app)], "app1")
    else {
        return;
    };
    assert_eq!(runtime, "ERROR");
    assert_eq!(ss017, Vec::<String>::new());
}

/// `<machineKey configSource="...">`: the runtime reads the keys of the file it names, and so
/// does sessctl: SS204 (no explicit keys for StateServer) is not reported, SS109 reports the
/// plaintext keys at the configSource. Keys in the element itself are reported the same way;
/// AutoGenerate is neither.
#[test]
fn machine_keys_behind_config_source_are_read() {
    let (v, d) = (
        "0D2F6A55F04B87E4CC6A1A2E3D2F7E2A6B53C3D1A8F93E4B",
        "B9D3F0A2C1E4D5F6A7B8C9D0E1F2A3B4C5D6E7F8A9B0C1D2",
    );
    let state =
        "<sessionState mode=\"StateServer\" stateConnectionString=\"tcpip=state01:42424\" />";
    let site = config(&format!("  <system.web>\n    <machineKey configSource=\"mk.config\" />\n    {state}\n  </system.web>\n"));
    let Some((server, mut asp)) = site_with(&[("", site)]) else {
        return;
    };
    std::fs::write(
        server.site().join("mk.config"),
        format!("<machineKey validationKey=\"{v}\" decryptionKey=\"{d}\" validation=\"HMACSHA256\" decryption=\"AES\" />\n"),
    )
    .unwrap();
    let r = asp.get(&server, &probe_page("", "mk=1"), "");
    assert_eq!(
        (
            r.values()["validationKey"].as_str(),
            r.values()["decryptionKey"].as_str()
        ),
        (v, d),
        "{:?}",
        r.values()
    );
    assert_eq!(findings_of(&server, "SS204"), Vec::<String>::new());
    assert_eq!(findings_of(&server, "SS109"), ["web.config:4"]);
    // Keys in the element, and AutoGenerate.
    let own = config(&format!("  <system.web>\n    <machineKey validationKey=\"{v}\" decryptionKey=\"AutoGenerate,IsolateApps\" />\n    {state}\n  </system.web>\n"));
    std::fs::write(server.site().join("web.config"), own).unwrap();
    assert_eq!(findings_of(&server, "SS204"), ["web.config:5"]);
    assert_eq!(findings_of(&server, "SS109"), ["web.config:4"]);
    drop(asp);
    let mut asp = AspNet::start(host_exe().unwrap(), &server);
    let r = asp.get(&server, &probe_page("", "mk=1"), "");
    assert_eq!(r.values()["validationKey"], v, "{:?}", r.values());
    assert!(
        r.values()["decryptionKey"].starts_with("AutoGenerate"),
        "{:?}",
        r.values()
    );
}

/// Child elements .NET's `ConfigurationElement.DeserializeElement` refuses inside
/// `<sessionState>`: a second `<providers>` ("may only appear once in this section"), an element
/// the section does not have, an item of `<providers>` other than add, remove and clear
/// ("Unrecognized element"), an attribute `<providers>` (lock attributes only), `<clear>` (none)
/// or `<remove>` (its key only) does not take ("Unrecognized attribute"). The runtime refuses
/// each; lint reports each where it is (SS012, SS002), and nothing in a well-formed section.
#[test]
fn child_elements_the_section_does_not_take_are_refused() {
    let rows = [
        ("<providers /><providers />", "SS012"),
        ("<provider />", "SS002"),
        (
            "<providers><add name=\"P\" type=\"T\" /><item /></providers>",
            "SS002",
        ),
        // An item has no child elements.
        (
            "<providers><add name=\"P\" type=\"T\"><parameters /></add></providers>",
            "SS002",
        ),
        // Attributes the collection's own elements do not take ("Unrecognized attribute").
        ("<providers foo=\"1\" />", "SS002"),
        ("<providers><clear foo=\"1\" /></providers>", "SS002"),
        (
            "<providers><remove name=\"x\" type=\"T\" /></providers>",
            "SS002",
        ),
    ];
    let Some((server, mut asp)) = site_with(&[]) else {
        return;
    };
    for (inner, rule) in rows {
        let site = config(&format!("  <system.web>\n    <sessionState mode=\"InProc\">\n      {inner}\n    </sessionState>\n  </system.web>\n"));
        std::fs::write(server.site().join("web.config"), &site).unwrap();
        assert!(
            runtime_refuses(&mut asp, &server),
            "{inner}: the runtime accepts it"
        );
        assert_eq!(findings_of(&server, rule), ["web.config:5"], "{inner}");
    }
    let site = config("  <system.web>\n    <sessionState mode=\"InProc\">\n      <!-- one -->\n      <providers lockItem=\"true\"><clear /><remove name=\"P\" /></providers>\n    </sessionState>\n  </system.web>\n");
    std::fs::write(server.site().join("web.config"), &site).unwrap();
    assert!(!runtime_refuses(&mut asp, &server));
    assert!(findings_of(&server, "SS002").is_empty());
    assert!(findings_of(&server, "SS012").is_empty());
}

/// Text inside the section, its `<providers>` or an item (a stray character of an edit): .NET's
/// `ConfigurationElement.DeserializeElement` refuses the section ("The configuration section
/// cannot contain a CDATA or text element", on an XmlNodeType.Text or CDATA child); Mono reads
/// past it. lint follows .NET (SS002).
#[test]
fn mono_difference_text_inside_the_section_is_read_where_dotnet_refuses_it() {
    let Some((server, mut asp)) = site_with(&[]) else {
        return;
    };
    for inner in ["x<providers />", "<providers>,</providers>"] {
        let site = config(&format!("  <system.web>\n    <sessionState mode=\"InProc\">{inner}\n    </sessionState>\n  </system.web>\n"));
        std::fs::write(server.site().join("web.config"), &site).unwrap();
        assert!(!runtime_refuses(&mut asp, &server), "{inner}");
        assert_eq!(findings_of(&server, "SS002"), ["web.config:4"], "{inner}");
    }
}

/// `<machineKey>` twice in one `<system.web>` scope: .NET refuses the section there (every
/// read of the keys fails); Mono refuses the application. lint reports the second (SS004); one
/// at the file's level and one in a `<location>` naming a folder are two scopes.
#[test]
fn machine_key_twice_in_one_scope_is_refused() {
    let (v, d) = (
        "0D2F6A55F04B87E4CC6A1A2E3D2F7E2A6B53C3D1A8F93E4B",
        "B9D3F0A2C1E4D5F6A7B8C9D0E1F2A3B4C5D6E7F8A9B0C1D2",
    );
    let key = format!("<machineKey validationKey=\"{v}\" decryptionKey=\"{d}\" />");
    let site = config(&format!("  <system.web>\n    {key}\n    <sessionState mode=\"InProc\" />\n  </system.web>\n  <system.web>\n    {key}\n  </system.web>\n"));
    let Some((server, mut asp)) = site_with(&[("", site)]) else {
        return;
    };
    let r = asp.get(&server, &probe_page("", "mk=1"), "");
    assert!(
        r.status != 200 || r.values().contains_key("MKERROR"),
        "{:?}",
        r.values()
    );
    assert_eq!(findings_of(&server, "SS004"), ["web.config:8"]);
    let apart = config(&format!("  <system.web>\n    {key}\n    <sessionState mode=\"InProc\" />\n  </system.web>\n  <location path=\"app1\">\n    <system.web>\n      {key}\n    </system.web>\n  </location>\n"));
    std::fs::write(server.site().join("web.config"), apart).unwrap();
    drop(asp);
    let mut asp = AspNet::start(host_exe().unwrap(), &server);
    let r = asp.get(&server, &probe_page("", "mk=1"), "");
    assert_eq!(r.values()["validationKey"], v, "{:?}", r.values());
    assert!(findings_of(&server, "SS004").is_empty());
}

/// .NET compares connection string names without regard to case (`db` after `Db` is the same
/// key, with another name value: refused; `<remove name="localsqlserver">` takes out
/// `LocalSqlServer`); Mono compares them ordinally: it keeps both, and its remove misses, so
/// the `<add>` after it is refused. sessctl follows .NET.
#[test]
fn mono_difference_connection_string_names_compare_with_regard_to_case() {
    let items =
        r#"<add name="Db" connectionString="x=1" /><add name="db" connectionString="x=1" />"#;
    let Some((runtime, ss017)) =
        connection_string_answers(&[("", with_connection_strings(items))], "")
    else {
        return;
    };
    assert_eq!(runtime, "Db|x=1\ndb|x=1");
    assert_eq!(ss017, ["web.config:4"]);
    let items =
        r#"<remove name="localsqlserver" /><add name="LocalSqlServer" connectionString="x=1" />"#;
    let (runtime, ss017) =
        connection_string_answers(&[("", with_connection_strings(items))], "").unwrap();
    assert_eq!(runtime, "ERROR");
    assert_eq!(ss017, Vec::<String>::new());
}

/// A `<machineKey>` or `<connectionStrings>` whose `configSource` names no file: the runtime
/// serves the application but cannot read the section (reading it throws), and `lint --root`
/// reports SS011 at the configSource. Linted alone (a repository, where such a file is often
/// kept out on purpose) the missing file is not reported; an absolute path is, everywhere.
#[test]
fn a_whole_section_config_source_with_no_file_cannot_be_read() {
    let site = config("  <connectionStrings configSource=\"cs.config\" />\n  <system.web>\n    <machineKey configSource=\"mk.config\" />\n    <sessionState mode=\"InProc\" />\n  </system.web>\n");
    let Some((server, mut asp)) = site_with(&[("", site)]) else {
        return;
    };
    let r = asp.get(&server, &probe_page("", "mk=1&cs=1"), "");
    assert_eq!(r.status, 200, "{r:?}");
    for part in ["MKERROR", "CONNERROR"] {
        assert!(
            r.values()[part].contains("Unable to open configSource file"),
            "{:?}",
            r.values()
        );
    }
    assert_eq!(
        findings_of(&server, "SS011"),
        ["web.config:3", "web.config:5"]
    );
    let file = server.site().join("web.config");
    let alone = run(
        &server.root,
        &["lint", "--select", "SS011", file.to_str().unwrap()],
    );
    assert_eq!(
        (alone.code, alone.stdout()),
        (0, "1 file checked: no problems\n".to_string())
    );
    // An absolute path: the runtime refuses to read it even though the file is there.
    let keys = server.root.join("keys.config");
    std::fs::write(&keys, "<machineKey validationKey=\"0D2F6A55F04B87E4CC6A1A2E3D2F7E2A6B53C3D1A8F93E4B\" decryptionKey=\"B9D3F0A2C1E4D5F6A7B8C9D0E1F2A3B4C5D6E7F8A9B0C1D2\" />\n").unwrap();
    let site = config(&format!("  <system.web>\n    <machineKey configSource=\"{}\" />\n    <sessionState mode=\"InProc\" />\n  </system.web>\n", keys.display()));
    std::fs::write(&file, site).unwrap();
    drop(asp);
    let mut asp = AspNet::start(host_exe().unwrap(), &server);
    let r = asp.get(&server, &probe_page("", "mk=1"), "");
    assert_eq!(
        r.values()["MKERROR"],
        "ConfigurationErrorsException: The configSource attribute must be a relative physical path."
    );
    let alone = run(
        &server.root,
        &["lint", "--select", "SS011", file.to_str().unwrap()],
    );
    assert_eq!(alone.code, 1, "{}", alone.stdout());
}

/// A setting of a level above that its own mode never reads is read once a level below sets
/// the mode that reads it: the root web.config's `stateConnectionString` without a port is
/// harmless with mode InProc, and breaks the site whose web.config says StateServer. The
/// runtime refuses the site; lint --root reports it at the site's `mode`, which makes it read.
#[test]
fn an_inherited_setting_read_because_of_a_mode_set_below_is_reported_there() {
    let Some((server, mut asp, _)) = start() else {
        return;
    };
    server.sessctl(&[
        "set",
        "config",
        "/commit:WEBROOT",
        "/section:sessionState",
        "/stateConnectionString:tcpip=127.0.0.1",
    ]);
    let site = |mode: &str| {
        config(&format!(
            "  <system.web>\n    <sessionState mode=\"{mode}\" />\n  </system.web>\n"
        ))
    };
    std::fs::write(server.site().join("web.config"), site("InProc")).unwrap();
    assert!(!runtime_refuses(&mut asp, &server));
    assert_eq!(findings_of(&server, "SS006"), Vec::<String>::new());
    std::fs::write(server.site().join("web.config"), site("StateServer")).unwrap();
    assert!(runtime_refuses(&mut asp, &server));
    assert_eq!(findings_of(&server, "SS006"), ["web.config:4"]);
}

/// Element names are case-sensitive: a session section, `<machineKey>`, `<connectionStrings>`,
/// `<location>` or the `<system.web>` group spelt in another case is a section nobody declared.
/// Mono refuses the application ("Unrecognized configuration section"); IIS refuses every
/// request to the file (500.19, "missing a section declaration"; not here); .NET's own reader
/// keeps the error to the undeclared section, which nothing reads. Lint says so (SS002), and
/// `set` and `list` refuse the file as they refuse a section defined twice.
#[test]
fn a_section_spelt_in_another_case_is_refused_with_the_file() {
    for (body, line) in [
        (
            "  <system.web>\n    <SessionState mode=\"Off\" />\n  </system.web>\n",
            4,
        ),
        (
            "  <system.web>\n    <sessionpagestate historySize=\"9\" />\n  </system.web>\n",
            4,
        ),
        (
            "  <System.Web>\n    <sessionState mode=\"Off\" />\n  </System.Web>\n",
            3,
        ),
        (
            "  <Location path=\"app1\">\n    <system.web>\n      <sessionState mode=\"Off\" />\n    </system.web>\n  </Location>\n",
            3,
        ),
        (
            "  <ConnectionStrings>\n    <add name=\"Db\" connectionString=\"x=1\" />\n  </ConnectionStrings>\n",
            3,
        ),
        (
            "  <system.web>\n    <MachineKey validation=\"SHA1\" />\n  </system.web>\n",
            4,
        ),
    ] {
        let Some((server, mut asp)) = site_with(&[("", config(body))]) else {
            return;
        };
        assert!(runtime_refuses(&mut asp, &server), "{body}");
        lint_and_set_refuse_the_file(&server, line);
    }
    // Spelt as declared, the same file runs.
    let body = "  <system.web>\n    <sessionState mode=\"Off\" />\n  </system.web>\n";
    let Some((server, mut asp)) = site_with(&[("", config(body))]) else {
        return;
    };
    assert!(!runtime_refuses(&mut asp, &server));
    assert!(findings_of(&server, "SS002").is_empty());
}

/// A session section outside `<system.web>` (at the file's level, or directly in a
/// `<location>`) is a section no declaration names: IIS refuses every request to the file
/// (500.19, "missing a section declaration"), and .NET keeps its error to that undeclared
/// section, so the session section it was meant to be is never read. Mono finds the
/// `system.web` group's declaration by the bare name and runs it, though it refuses an
/// undeclared `<fooBar>` there. sessctl follows IIS: SS002 refusing the file, and `set` exits
/// 13 leaving the file as it was.
#[test]
fn mono_difference_a_session_section_outside_system_web_is_read_where_iis_refuses_the_file() {
    for (body, line) in [
        ("  <sessionState mode=\"Off\" />\n", 3),
        (
            "  <location path=\"app1\">\n    <sessionState mode=\"Off\" />\n  </location>\n",
            4,
        ),
    ] {
        let Some((server, mut asp)) = site_with(&[("", config(body))]) else {
            return;
        };
        assert!(!runtime_refuses(&mut asp, &server), "{body}");
        lint_and_set_refuse_the_file(&server, line);
    }
    // The same name Mono takes refuses the application when nothing declares it at all.
    let Some((server, mut asp)) = site_with(&[("", config("  <fooBar mode=\"Off\" />\n"))]) else {
        return;
    };
    assert!(runtime_refuses(&mut asp, &server));
}

/// A session section inside another section group is declared by nobody there either (nor is
/// `<connectionStrings>` inside `<system.web>`). In
/// `<system.webServer>`, IIS's group, which .NET and Mono ignore whole, ASP.NET runs the
/// application without it (the session stays InProc for 20 minutes); in `<system.net>`, a
/// group .NET declares, Mono refuses the application ("Unrecognized configuration section").
/// IIS refuses every request to either file (500.19, "missing a section declaration"), and
/// sessctl follows IIS: SS002 refusing the file, and `set` exits 13 leaving it as it was.
#[test]
fn a_session_section_inside_another_section_group_is_not_read() {
    let inside = |group: &str| {
        format!("  <{group}>\n    <sessionState mode=\"Off\" timeout=\"7\" />\n  </{group}>\n")
    };
    let Some((server, mut asp)) = site_with(&[("", config(&inside("system.webServer")))]) else {
        return;
    };
    let r = asp.get(&server, &probe_page("", ""), "");
    let values = r.values();
    assert_eq!(r.status, 200, "{values:?}");
    assert_eq!(
        (values["mode"].as_str(), values["timeout"].as_str()),
        ("InProc", "20")
    );
    asp.unload(&server.site());
    lint_and_set_refuse_the_file(&server, 4);

    let Some((server, mut asp)) = site_with(&[("", config(&inside("system.net")))]) else {
        return;
    };
    assert!(runtime_refuses(&mut asp, &server));
    lint_and_set_refuse_the_file(&server, 4);

    // And the other way round: <connectionStrings> inside <system.web>.
    let strings = "  <system.web>\n    <connectionStrings>\n      <add name=\"s\" connectionString=\"data source=db01\" />\n    </connectionStrings>\n  </system.web>\n";
    let Some((server, mut asp)) = site_with(&[("", config(strings))]) else {
        return;
    };
    assert!(runtime_refuses(&mut asp, &server));
    lint_and_set_refuse_the_file(&server, 4);
}

/// What sessctl says of the site's web.config that a section nobody declared refuses: SS002 at
/// `line`, and a `set` there exits 13 leaving the file as it was.
fn lint_and_set_refuse_the_file(server: &Server, line: usize) {
    assert_eq!(findings_of(server, "SS002"), [format!("web.config:{line}")]);
    let site = server.site().join("web.config");
    let before = std::fs::read(&site).unwrap();
    let file = site.to_str().unwrap();
    let set = [
        "set",
        "config",
        "--file",
        file,
        "/section:sessionState",
        "/timeout:30",
    ];
    assert_eq!(run(&server.root, &set).code, 13, "line {line}");
    assert_eq!(std::fs::read(&site).unwrap(), before);
}
