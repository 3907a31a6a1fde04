//! The README cannot drift from the binary: every `$ sessctl ...` line in a ```` ```text ````
//! block of README.md is run against a fresh copy of `fixtures/`, and the lines after it (up to
//! the next `$ ` line or the end of the block) must be exactly what it prints: stdout, then
//! stderr (CRLF shown as LF). A trailing `# exit N` on the command line states a non-zero exit
//! code.

use crate::common;

use common::{copy_tree, repo, run};

/// Split a command line as a POSIX shell would for these examples: single and double quotes,
/// backslash escapes outside single quotes, no expansions.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    cur.push(c);
                }
            }
            '"' => {
                in_word = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => {
                            if let Some(&n) = chars.peek() {
                                if matches!(n, '"' | '\\' | '$' | '`') {
                                    cur.push(n);
                                    chars.next();
                                    continue;
                                }
                            }
                            cur.push('\\');
                        }
                        c => cur.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

struct Example {
    line: usize,
    command: String,
    expected: String,
    code: i32,
}

fn examples(readme: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut in_text = false;
    let mut current: Option<Example> = None;
    for (i, line) in readme.lines().enumerate() {
        if line.starts_with("```") {
            if in_text {
                out.extend(current.take());
            }
            in_text = line == "```text";
            continue;
        }
        if !in_text {
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ ") {
            out.extend(current.take());
            let (cmd, code) = match cmd.rsplit_once("  # exit ") {
                Some((c, n)) => (c.to_string(), n.trim().parse().expect("exit code")),
                None => (cmd.to_string(), 0),
            };
            current = Some(Example {
                line: i + 1,
                command: cmd,
                expected: String::new(),
                code,
            });
        } else if let Some(ex) = &mut current {
            ex.expected.push_str(line);
            ex.expected.push('\n');
        }
    }
    out.extend(current);
    // A blank line separates one example's output from the next command.
    for ex in &mut out {
        while ex.expected.ends_with("\n\n") {
            ex.expected.pop();
        }
        if ex.expected == "\n" {
            ex.expected.clear();
        }
    }
    out
}

#[test]
fn every_readme_example_prints_what_the_readme_says() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let examples = examples(&readme);
    assert!(examples.len() >= 5, "the README has no examples to check");
    let mut failures = Vec::new();
    let mut outputs = Vec::new();
    for ex in &examples {
        let words = shell_words(&ex.command);
        assert_eq!(words[0], "sessctl", "README line {}", ex.line);
        let tmp = tempfile::tempdir().unwrap();
        copy_tree(&repo().join("fixtures"), &tmp.path().join("fixtures"));
        let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
        let out = run(tmp.path(), &args);
        // Diffs of CRLF files carry CRs that a Markdown file cannot show; the bytes themselves
        // are pinned by the case folders.
        let actual = format!("{}{}", out.stdout(), out.stderr()).replace("\r\n", "\n");
        outputs.push(actual.clone());
        let code = if cfg!(unix) { ex.code & 0xFF } else { ex.code };
        if actual != ex.expected || out.code != code {
            failures.push(format!(
                "README.md:{}: $ {}\n--- README (exit {})\n{}--- sessctl (exit {})\n{}",
                ex.line, ex.command, ex.code, ex.expected, out.code, actual
            ));
        }
    }
    if std::env::var_os("SESSCTL_BLESS").is_some() {
        bless(&readme, &examples, &outputs);
        return;
    }
    assert!(
        failures.is_empty(),
        "{}\n(SESSCTL_BLESS=1 cargo test --test it readme:: rewrites the README's outputs for review)",
        failures.join("\n")
    );
}

/// Rewrite each example's output in README.md with what the binary printed.
fn bless(readme: &str, examples: &[Example], outputs: &[String]) {
    let lines: Vec<&str> = readme.lines().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut next = 0;
    while i < lines.len() {
        let line = lines[i];
        out.push_str(line);
        out.push('\n');
        i += 1;
        if next < examples.len() && examples[next].line == i {
            // Skip the old output: up to the next command or the end of the block.
            let mut j = i;
            while j < lines.len() && !lines[j].starts_with("$ ") && !lines[j].starts_with("```") {
                j += 1;
            }
            out.push_str(&outputs[next]);
            if j < lines.len() && lines[j].starts_with("$ ") {
                out.push('\n');
            }
            i = j;
            next += 1;
        }
    }
    std::fs::write(repo().join("README.md"), out).unwrap();
}

#[test]
fn shell_words_split_like_sh() {
    assert_eq!(
        shell_words(
            r#"sessctl set config "Default Web Site/app" '/config:*' "/+providers.[name='R']" a\ b"#
        ),
        vec![
            "sessctl",
            "set",
            "config",
            "Default Web Site/app",
            "/config:*",
            "/+providers.[name='R']",
            "a b"
        ]
    );
}
