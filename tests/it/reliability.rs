//! Concurrent writers and crash safety, through the real binary.

use crate::common;

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use common::{command, run};

const BASE: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration>\r\n  <system.web>\r\n    <sessionState mode=\"InProc\" timeout=\"20\">\r\n      <providers>\r\n        <clear />\r\n      </providers>\r\n    </sessionState>\r\n  </system.web>\r\n</configuration>\r\n";

/// `set config --file web.config /section:sessionState --force ARGS`.
fn set_argv<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut argv = vec![
        "set",
        "config",
        "--file",
        "web.config",
        "/section:sessionState",
        "--force",
    ];
    argv.extend_from_slice(args);
    argv
}

/// `set_argv` run in `dir`, which must succeed.
fn set(dir: &Path, args: &[&str]) {
    let argv = set_argv(args);
    let out = run(dir, &argv);
    assert_eq!(out.code, 0, "{argv:?}: {}", out.stderr());
}

/// `n` locations of five CRLF lines each (130 bytes a location), to make a file large.
fn filler(n: usize) -> String {
    let mut s = String::with_capacity(n * 130);
    for i in 0..n {
        s.push_str(&format!(
            "  <location path=\"site{i:05}\">\r\n    <system.webServer>\r\n      <defaultDocument enabled=\"true\" />\r\n    </system.webServer>\r\n  </location>\r\n"
        ));
    }
    s
}

/// Two folders `small` and `big` under `tmp`, for a file and its twin made large by `filler`.
fn twin_dirs(tmp: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let (small, big) = (tmp.join("small"), tmp.join("big"));
    fs::create_dir_all(&small).unwrap();
    fs::create_dir_all(&big).unwrap();
    (small, big)
}

#[test]
fn eight_concurrent_writers_lose_no_update() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    fs::write(dir.join("web.config"), BASE).unwrap();
    const ROUNDS: usize = 25;
    let attrs = [
        "cookieName",
        "sessionIDManagerType",
        "sqlConnectionString",
        "partitionResolverType",
    ];
    std::thread::scope(|s| {
        for (w, attr) in attrs.iter().enumerate() {
            let dir = &dir;
            s.spawn(move || {
                for n in 1..=ROUNDS {
                    set(dir, &[&format!("/{attr}:w{w}-{n}")]);
                }
            });
        }
        for p in 0..4 {
            let dir = &dir;
            s.spawn(move || {
                set(
                    dir,
                    &[&format!(
                        "/+providers.[name='p{p}',type='Acme.Store, Acme',n='1']"
                    )],
                );
                for n in 2..=ROUNDS {
                    set(dir, &[&format!("/providers.[name='p{p}'].n:{n}")]);
                }
            });
        }
    });
    let text = fs::read_to_string(dir.join("web.config")).unwrap();
    roxmltree::Document::parse(&text).expect("the result parses");
    for (w, attr) in attrs.iter().enumerate() {
        assert!(
            text.contains(&format!(" {attr}=\"w{w}-{ROUNDS}\"")),
            "{attr} lost its last value:\n{text}"
        );
    }
    for p in 0..4 {
        assert!(
            text.contains(&format!(
                "<add name=\"p{p}\" type=\"Acme.Store, Acme\" n=\"{ROUNDS}\" />"
            )),
            "provider p{p} lost an update:\n{text}"
        );
    }
    let names: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

/// A config of about 4.3 MB, so that a write takes long enough to be interrupted, and over
/// 4 MiB: its write is begun while it is parsed (a copy of it made ahead, `prewrite.rs`), so a
/// kill can land in that copy too.
fn big_config(timeout: u32) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration>\r\n");
    s.push_str(&filler(33_000));
    s.push_str(&format!(
        "  <system.web>\r\n    <sessionState mode=\"InProc\" timeout=\"{timeout}\" />\r\n  </system.web>\r\n</configuration>\r\n"
    ));
    s
}

#[cfg(unix)]
#[test]
fn sigkill_at_any_moment_leaves_the_old_or_the_new_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let file = dir.join("web.config");
    fs::write(&file, big_config(1)).unwrap();
    // How long one write takes here, to spread the kills over it: the quickest of three, as
    // a first run slowed by the other tests running beside it would put most kills after the
    // writes end.
    let mut typical = Duration::MAX;
    for t in 2..=4 {
        let started = Instant::now();
        set(dir, &[&format!("/timeout:{t}")]);
        typical = typical.min(started.elapsed());
    }
    let typical = typical.max(Duration::from_millis(5));
    let mut current = 4u32;
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let (mut interrupted, mut completed) = (0, 0);
    const KILLS: u32 = 220;
    for i in 0..KILLS {
        let next = current + 1;
        let old = big_config(current);
        let new = big_config(next);
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        // From right away to a little past the typical run time.
        let delay = typical.mul_f64((seed % 1200) as f64 / 1000.0);
        let mut child = command(dir, &set_argv(&[&format!("/timeout:{next}")]))
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        let now = fs::read_to_string(&file).unwrap();
        if now == new {
            current = next;
            completed += 1;
        } else {
            assert!(
                now == old,
                "kill {i} left a file that is neither the old nor the new version"
            );
            if !status.success() {
                interrupted += 1;
            }
        }
    }
    eprintln!(
        "{KILLS} kills: {interrupted} interrupted a write, {completed} came after it finished"
    );
    assert!(
        interrupted >= 20,
        "only {interrupted} of {KILLS} kills interrupted a write (completed {completed})"
    );
    // Killed runs leave temporary files; the next normal write removes them.
    set(dir, &[&format!("/timeout:{}", current + 1)]);
    let names: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("web.config")]);
    assert_eq!(fs::read_to_string(&file).unwrap(), big_config(current + 1));
}

/// Files of 1 MiB and more are mapped, not read, and written by copying their unchanged runs
/// inside the kernel. The bytes must be exactly those the in-memory path writes for the same
/// edit: a small twin (the same head and tail without the filler) is edited the same way.
#[test]
fn a_large_mapped_file_is_written_byte_for_byte_like_a_small_one() {
    let head =
        "\u{FEFF}<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration>\r\n  <!-- é -->\r\n";
    let tail = "  <system.web>\r\n    <sessionState mode=\"InProc\" timeout=\"20\" />\r\n  </system.web>\r\n</configuration>\r\n";
    let filler = filler(40_000);
    let tmp = tempfile::tempdir().unwrap();
    let (small_dir, big_dir) = twin_dirs(tmp.path());
    let small = format!("{head}{tail}");
    let big = format!("{head}{filler}{tail}");
    // Over one write-back step (4 MiB): the copy goes in steps, each handed to the disk early.
    assert!(big.len() > 4 << 20);
    fs::write(small_dir.join("web.config"), &small).unwrap();
    fs::write(big_dir.join("web.config"), &big).unwrap();
    let edits: &[&[&str]] = &[
        &["/timeout:45"],
        &[
            "/mode:StateServer",
            "/stateConnectionString:tcpip=10.0.0.5:42424",
        ],
        &["/+providers.[name='p1',type='Acme.Store, Acme']"],
    ];
    for args in edits {
        set(&small_dir, args);
        set(&big_dir, args);
        let small_now = fs::read(small_dir.join("web.config")).unwrap();
        let big_now = fs::read(big_dir.join("web.config")).unwrap();
        let cut = head.len();
        let mut expected = small_now[..cut].to_vec();
        expected.extend_from_slice(filler.as_bytes());
        expected.extend_from_slice(&small_now[cut..]);
        assert!(
            big_now == expected,
            "{args:?}: {}",
            common::first_difference(&expected, &big_now)
        );
    }
    // `set /timeout:T FLAG` on both twins: the changed lines of both diffs must be the same,
    // and the large file's hunk must start after the 40,000 filler locations of five lines.
    let changed = |d: &str| -> Vec<String> {
        d.lines()
            .filter(|l| l.starts_with(['-', '+']))
            .map(str::to_string)
            .collect()
    };
    let both = |timeout: &str, flag: &str| -> String {
        let diffs: Vec<String> = [&small_dir, &big_dir]
            .iter()
            .map(|dir| {
                let t = format!("/timeout:{timeout}");
                let out = run(dir, &set_argv(&[&t, flag]));
                assert_eq!(out.code, 0, "{}", out.stderr());
                out.stdout()
            })
            .collect();
        assert_eq!(changed(&diffs[0]), changed(&diffs[1]));
        assert!(
            diffs[1].contains("\n@@ -200002,7 +200002,7 @@\n"),
            "{}",
            diffs[1]
        );
        diffs[0].clone()
    };
    // A dry run of the large file prints the same diff and leaves it alone.
    let before = fs::read(big_dir.join("web.config")).unwrap();
    let small_diff = both("9", "--dry-run");
    assert!(small_diff.contains("\n-    <sessionState"), "{small_diff}");
    assert_eq!(fs::read(big_dir.join("web.config")).unwrap(), before);
    // --diff writes, then prints the diff from the old text, whose pages were let go while
    // the new file was flushed: read again from the old file, it is the same diff.
    let small_diff = both("10", "--diff");
    assert!(small_diff.contains("\n+    <sessionState"), "{small_diff}");
    let small_now = fs::read(small_dir.join("web.config")).unwrap();
    let mut expected = small_now[..head.len()].to_vec();
    expected.extend_from_slice(filler.as_bytes());
    expected.extend_from_slice(&small_now[head.len()..]);
    assert!(fs::read(big_dir.join("web.config")).unwrap() == expected);
}

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A file of 4 MiB and more read for a write begins its new file while it is parsed: a copy
/// of itself, made on a second thread, of which the write keeps what is before the first
/// change and, while the changes leave the length as it was, what is between them. With the
/// session section before 40,000 filler locations, every edit lands in the copy: the file must
/// be exactly what the same edit makes of a small twin without the filler, whether the edit
/// keeps the length, grows or shrinks it. A dry run, a set that changes nothing and a set
/// refused for a malformed file leave the folder as it was: no temporary file stays behind.
#[test]
fn a_large_file_is_finished_from_a_copy_begun_ahead_byte_for_byte() {
    let head = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration>\r\n  <system.web>\r\n    <sessionState mode=\"InProc\" timeout=\"20\" />\r\n  </system.web>\r\n";
    let end = "</configuration>\r\n";
    let filler = filler(40_000);
    let tmp = tempfile::tempdir().unwrap();
    let (small_dir, big_dir) = twin_dirs(tmp.path());
    assert!(head.len() + filler.len() > 4 << 20);
    fs::write(small_dir.join("web.config"), format!("{head}{end}")).unwrap();
    fs::write(big_dir.join("web.config"), format!("{head}{filler}{end}")).unwrap();
    let expected = || {
        let small = fs::read(small_dir.join("web.config")).unwrap();
        let cut = small.len() - end.len();
        [&small[..cut], filler.as_bytes(), end.as_bytes()].concat()
    };
    let edits: &[&[&str]] = &[
        &["/timeout:45"],
        &["/timeout:100"],
        &["/timeout:7"],
        &["/cookieless:UseUri", "/timeout:8"],
        &["/+providers.[name='p1',type='Acme.Store, Acme']"],
        &["/-providers.[name='p1']"],
    ];
    for args in edits {
        set(&small_dir, args);
        set(&big_dir, args);
        let big_now = fs::read(big_dir.join("web.config")).unwrap();
        let want = expected();
        assert!(
            big_now == want,
            "{args:?}: {}",
            common::first_difference(&want, &big_now)
        );
        assert_eq!(names(&big_dir), vec!["web.config".to_string()]);
    }
    // Nothing written: the folder itself is not touched (its modification time would say so).
    let before = fs::read(big_dir.join("web.config")).unwrap();
    let folder_time = || fs::metadata(&big_dir).unwrap().modified().unwrap();
    let was = folder_time();
    set(&big_dir, &["/timeout:9", "--dry-run"]);
    assert_eq!(folder_time(), was, "a dry run made or removed a file");
    // The value already there: nothing to write (not even the file's modification time), and
    // the copy begun ahead is gone.
    let file_time = || {
        fs::metadata(big_dir.join("web.config"))
            .unwrap()
            .modified()
            .unwrap()
    };
    let written = file_time();
    set(&big_dir, &["/timeout:8"]);
    assert_eq!(names(&big_dir), vec!["web.config".to_string()]);
    assert!(fs::read(big_dir.join("web.config")).unwrap() == before);
    assert_eq!(file_time(), written);
    // Malformed past the copy's first megabytes: refused, file and folder as they were.
    let mut broken = before.clone();
    let at = broken.len() - end.len() - 20;
    broken[at] = b'<';
    fs::write(big_dir.join("web.config"), &broken).unwrap();
    let out = run(&big_dir, &set_argv(&["/timeout:10"]));
    assert_eq!(out.code, 13, "{}", out.stderr());
    assert!(fs::read(big_dir.join("web.config")).unwrap() == broken);
    assert_eq!(names(&big_dir), vec!["web.config".to_string()]);
    // Read-only: refused (exit 5) before anything is begun, file and folder as they were.
    fs::write(big_dir.join("web.config"), &before).unwrap();
    let mut perms = fs::metadata(big_dir.join("web.config"))
        .unwrap()
        .permissions();
    perms.set_readonly(true);
    fs::set_permissions(big_dir.join("web.config"), perms).unwrap();
    let was = folder_time();
    let out = run(&big_dir, &set_argv(&["/timeout:10"]));
    assert_eq!(out.code, 5, "{}", out.stderr());
    assert!(fs::read(big_dir.join("web.config")).unwrap() == before);
    assert_eq!(folder_time(), was, "a refused write made or removed a file");
}

/// The same on a server (`--root`): applicationHost.config, read once under its lock for the
/// sites and the write, begins its new file while it is parsed when the write surely goes
/// there (`/commit:apphost`). The site's `<location>` comes before 40,000 filler locations, and
/// the result is the small server's, filler aside. Writes that go elsewhere (`/commit:site`,
/// or no `/commit` with a PATH) and dry runs begin nothing in its folder.
#[test]
fn a_large_apphost_is_finished_from_a_copy_begun_ahead_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let (small, big) = (tmp.path().join("small"), tmp.path().join("big"));
    common::copy_tree(&common::repo().join("fixtures/server"), &small);
    common::copy_tree(&common::repo().join("fixtures/server"), &big);
    let rel = "Windows/System32/inetsrv/config/applicationHost.config";
    // The filler goes just after the site's `<location>`.
    let cut = |text: &str| {
        let at = text.find("<location path=\"Locked Site\"").unwrap();
        let close = at + text[at..].find("</location>").unwrap();
        close + text[close..].find('\n').unwrap() + 1
    };
    let original = fs::read_to_string(small.join(rel)).unwrap();
    let nl = if original.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut filler = String::new();
    for i in 0..40_000 {
        filler.push_str(&format!(
            "    <location path=\"Intranet/f{i:05}\">{nl}        <system.webServer>{nl}            <defaultDocument enabled=\"true\" />{nl}        </system.webServer>{nl}    </location>{nl}"
        ));
    }
    let padded = |text: &str| {
        let at = cut(text);
        format!("{}{filler}{}", &text[..at], &text[at..])
    };
    fs::write(big.join(rel), padded(&original)).unwrap();
    let config_dir = big.join("Windows/System32/inetsrv/config");
    let folder_time = || fs::metadata(&config_dir).unwrap().modified().unwrap();
    let set_at = |site: &str, root: &Path, value: &str, extra: &[&str]| {
        let r = root.to_str().unwrap();
        let mut args = vec![
            "set",
            "config",
            site,
            "--root",
            r,
            "/section:sessionState",
            value,
        ];
        args.extend_from_slice(extra);
        let out = run(tmp.path(), &args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr());
    };
    let set = |root: &Path, value: &str, extra: &[&str]| set_at("Locked Site", root, value, extra);
    for value in [
        "/timeout:45",
        "/timeout:100",
        "/timeout:7",
        "/cookieless:UseUri",
    ] {
        set(&small, value, &["/commit:apphost"]);
        set(&big, value, &["/commit:apphost"]);
        let want = padded(&fs::read_to_string(small.join(rel)).unwrap());
        let got = fs::read_to_string(big.join(rel)).unwrap();
        assert!(
            got == want,
            "{value}: {}",
            common::first_difference(want.as_bytes(), got.as_bytes())
        );
        assert_eq!(
            names(&config_dir),
            names(&small.join("Windows/System32/inetsrv/config"))
        );
    }
    let was = folder_time();
    set(&big, "/timeout:9", &["/commit:apphost", "--dry-run"]);
    set_at("Default Web Site", &big, "/timeout:9", &["/commit:site"]);
    set_at("Default Web Site", &big, "/timeout:11", &[]);
    assert_eq!(
        folder_time(),
        was,
        "applicationHost.config's folder was touched"
    );
}

/// A large file is mapped, checked as UTF-8 and scanned in two parts at once; whatever breaks
/// it, in either part or across the split, the error is the one-part scan's, at its line and column, with exit 13 and the
/// file untouched by a set. A prefix declared before the split and used after it still works.
#[test]
fn large_files_scanned_in_two_parts_report_the_first_error() {
    let tmp = tempfile::tempdir().unwrap();
    let set = |dir: &std::path::Path| run(dir, &set_argv(&["/timeout:5"]));
    let line = "  <location path=\"a\"><system.web /></location>\n";
    let count = (2 << 20) / line.len();
    let build = |at_line: usize, bad: &[u8]| {
        let mut s = b"<configuration xmlns:x=\"urn:x\">\n".to_vec();
        for i in 0..count {
            s.extend_from_slice(if i == at_line { bad } else { line.as_bytes() });
        }
        s.extend_from_slice(b"</configuration>\n");
        s
    };
    let unquoted = "attribute values must be in quotes";
    // Characters XML forbids, met by the scan itself (no separate pass looks for them), in
    // either part and in text, attribute values and comments.
    let forbidden = |c: &str| format!("character U+{c} is not allowed in XML");
    let (u0001, u000b, u001f, ufffe) = (
        forbidden("0001"),
        forbidden("000B"),
        forbidden("001F"),
        forbidden("FFFE"),
    );
    let cases: [(usize, &[u8], usize, usize, &str); 10] = [
        (10, b"  <x a=1 />\n", 12, 8, unquoted),
        (count - 10, b"  <x a=1 />\n", count - 8, 8, unquoted),
        (10, b"  <x a=\"\xff\" />\n", 12, 9, "invalid UTF-8"),
        (
            count - 10,
            b"  <x a=\"\xff\" />\n",
            count - 8,
            9,
            "invalid UTF-8",
        ),
        (
            count - 10,
            b"  <a></b>\n",
            count - 8,
            6,
            "end tag </b> does not match start tag <a>",
        ),
        (
            count / 2,
            b"  </location>\n",
            count / 2 + 2,
            3,
            "end tag </location> does not match start tag <configuration>",
        ),
        (count - 10, b"  <x a=\"\x01\" />\n", count - 8, 9, &u0001),
        (10, b"  <a>\x0b</a>\n", 12, 6, &u000b),
        (count - 10, b"  <!-- \x1f -->\n", count - 8, 8, &u001f),
        (10, "  <a>\u{fffe}</a>\n".as_bytes(), 12, 6, &ufffe),
    ];
    for (at_line, bad, line_no, col, message) in cases {
        let text = build(at_line, bad);
        fs::write(tmp.path().join("web.config"), &text).unwrap();
        let out = set(tmp.path());
        assert_eq!(out.code, 13, "{message}: {}", out.stderr());
        let want = format!(
            "web.config:{line_no}:{col}: configuration file is not well-formed XML: {message}"
        );
        assert!(
            out.stderr().contains(&want),
            "want {want}\n{}",
            out.stderr()
        );
        assert_eq!(fs::read(tmp.path().join("web.config")).unwrap(), text);
    }
    // A syntax fault in the first part and a forbidden character in the second: the character
    // is what is reported, as when a pass of its own looked for it first.
    let mut both = build(10, b"  <x a=1 />\n");
    let at = both.len() - 30;
    both.splice(at..at, b"\x02".iter().copied());
    fs::write(tmp.path().join("web.config"), &both).unwrap();
    let out = set(tmp.path());
    assert_eq!(out.code, 13, "{}", out.stderr());
    assert!(
        out.stderr().contains(&forbidden("0002")),
        "{}",
        out.stderr()
    );
    assert_eq!(fs::read(tmp.path().join("web.config")).unwrap(), both);
    let ok = build(count - 10, b"  <x:y />\n");
    fs::write(tmp.path().join("web.config"), &ok).unwrap();
    let out = run(
        tmp.path(),
        &[
            "list",
            "config",
            "--file",
            "web.config",
            "/section:sessionState",
            "/text:timeout",
        ],
    );
    assert_eq!(
        (out.code, out.stdout()),
        (0, "20\n".to_string()),
        "{}",
        out.stderr()
    );
}
