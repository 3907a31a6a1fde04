//! Phase one of argument parsing: split argv into positionals, GNU options and appcmd
//! `/name:value` parameters, without knowing anything about sections or attributes.

/// A GNU-style option sessctl takes anywhere on the line. One table drives parsing, clap's
/// help and shell completions.
pub struct Flag {
    /// The long name, without `--`.
    pub long: &'static str,
    /// The value's name, for options that take one.
    pub value: Option<&'static str>,
    /// Help text.
    pub help: &'static str,
    /// What its value may be (help, parsing and completions read it).
    pub values: Values,
    /// May be given more than once.
    pub multiple: bool,
}

/// The values an option takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Values {
    /// It takes no value.
    None,
    /// Any text.
    Any,
    /// One of these words (any case).
    Words(&'static [&'static str]),
    /// Lint rule codes or names.
    Rules,
    /// A file.
    Files,
    /// A folder.
    Dirs,
}

/// Every GNU option.
pub const FLAGS: &[Flag] = &[
    Flag {
        long: "root",
        value: Some("DIR"),
        help: "The server tree that stands for the system drive (default: $SESSCTL_ROOT; on Windows the machine itself, its %SystemDrive%)",
        values: Values::Dirs,
        multiple: false,
    },
    Flag {
        long: "bitness",
        value: Some("32|64"),
        help: "Read the 32-bit (Framework) or 64-bit (Framework64) machine.config and root web.config",
        values: Values::Words(&["32", "64"]),
        multiple: false,
    },
    Flag {
        long: "drive",
        value: Some("X:=DIR"),
        help: "Map another drive letter (X:=DIR) or a network share (\\\\server\\share=DIR) of the server to a folder",
        values: Values::Any,
        multiple: true,
    },
    Flag {
        long: "show-origin",
        value: None,
        help: "list: show the file and line each effective value comes from",
        values: Values::None,
        multiple: false,
    },
    Flag {
        long: "file",
        value: Some("FILE"),
        help: "Work on this one configuration file (the commit target)",
        values: Values::Files,
        multiple: false,
    },
    Flag {
        long: "dry-run",
        value: None,
        help: "Print the unified diff of what would change; write nothing",
        values: Values::None,
        multiple: false,
    },
    Flag {
        long: "diff",
        value: None,
        help: "Write the change and print its unified diff",
        values: Values::None,
        multiple: false,
    },
    Flag {
        long: "create",
        value: None,
        help: "set --file: create FILE when it does not exist (a missing FILE is an error otherwise)",
        values: Values::None,
        multiple: false,
    },
    Flag {
        long: "force",
        value: None,
        help: "Write even if the result breaks an ASP.NET runtime rule",
        values: Values::None,
        multiple: false,
    },
    Flag {
        long: "json",
        value: None,
        help: "Print one JSON document on stdout",
        values: Values::None,
        multiple: false,
    },
    Flag {
        long: "color",
        value: Some("WHEN"),
        help: "Colour: auto (on a terminal), always or never",
        values: Values::Words(&["auto", "always", "never"]),
        multiple: false,
    },
    Flag {
        long: "show-secrets",
        value: None,
        help: "Print passwords in connection strings instead of ****",
        values: Values::None,
        multiple: false,
    },
    Flag {
        long: "format",
        value: Some("FORMAT"),
        help: "lint: human, json, sarif or github",
        values: Values::Words(&["human", "json", "sarif", "github"]),
        multiple: false,
    },
    Flag {
        long: "fix",
        value: None,
        help: "lint: apply the safe fixes (with --dry-run: print them)",
        values: Values::None,
        multiple: false,
    },
    Flag {
        long: "deny",
        value: Some("warnings"),
        help: "lint: fail on warnings too",
        values: Values::Words(&["warnings"]),
        multiple: false,
    },
    Flag {
        long: "select",
        value: Some("RULES"),
        help: "lint: run only these rules (codes or names, comma-separated)",
        values: Values::Rules,
        multiple: true,
    },
    Flag {
        long: "ignore",
        value: Some("RULES"),
        help: "lint: skip these rules (codes or names, comma-separated)",
        values: Values::Rules,
        multiple: true,
    },
    Flag {
        long: "what-if",
        value: None,
        help: "dsc set: compute and report the final state; write nothing",
        values: Values::None,
        multiple: false,
    },
    Flag {
        long: "farm",
        value: None,
        help: "lint: compare the servers ROOT ROOT... of a web farm (SS301-SS304)",
        values: Values::None,
        multiple: false,
    },
    Flag {
        long: "exclude",
        value: Some("GLOB"),
        help: "lint: leave out paths matching GLOB (gitignore syntax) in the folder walk",
        values: Values::Any,
        multiple: true,
    },
    Flag {
        long: "max-timeout",
        value: Some("MINUTES"),
        help: "lint: SS105's threshold (default 60)",
        values: Values::Any,
        multiple: false,
    },
    Flag {
        long: "explain",
        value: Some("RULE"),
        help: "lint: print a rule's documentation",
        values: Values::Rules,
        multiple: false,
    },
];

/// An appcmd parameter: `/name:value`, `-name:value` or `/name`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// The name (after any `!` escape).
    pub name: String,
    /// The value after the first `:` outside an indexer, if any.
    pub value: Option<String>,
    /// Written `/!name`: never a general parameter.
    pub escaped: bool,
}

/// argv after phase one.
#[derive(Debug, Default)]
pub struct Raw {
    /// Verb, object, identifier, in order.
    pub positionals: Vec<String>,
    /// GNU options as (long name, value).
    pub options: Vec<(String, Option<String>)>,
    /// appcmd parameters in order.
    pub params: Vec<Param>,
    /// `/?`, `-?` or `-h` was given.
    pub appcmd_help: bool,
    /// What was wrong with the tokens (reported once the verb is known).
    pub error: Option<String>,
}

/// Split argv (without the program name). Never fails: a problem is kept in `Raw::error` so
/// the caller can still see the verb (lint reports bad command lines with its own exit code).
pub fn split(args: &[String]) -> Raw {
    let mut raw = Raw::default();
    let mut i = 0;
    let mut only_positionals = false;
    while i < args.len() {
        let tok = &args[i];
        i += 1;
        if only_positionals {
            raw.positionals.push(tok.clone());
        } else if tok == "--" {
            only_positionals = true;
        } else if let Some(body) = tok.strip_prefix("--").filter(|b| is_appcmd_param(b)) {
            // `--commit:site` is `/commit:site`: every prefix appcmd's parameters take.
            raw.params.push(param(body));
        } else if let Some(long) = tok.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (long.to_string(), None),
            };
            let takes_value = FLAGS.iter().any(|f| f.long == name && f.value.is_some());
            let value = match (takes_value, inline) {
                (true, Some(v)) => Some(v),
                // `lint --explain` alone lists the rules.
                (true, None)
                    if name == "explain"
                        && args.get(i).is_none_or(|next| next.starts_with('-')) =>
                {
                    None
                }
                (true, None) => {
                    let Some(v) = args.get(i).cloned() else {
                        raw.error = Some(format!("--{name} needs a value"));
                        break;
                    };
                    i += 1;
                    Some(v)
                }
                (false, v) => v,
            };
            // A path that is empty (`--file ""`, an unset shell variable) names nothing.
            let takes_path = FLAGS
                .iter()
                .any(|f| f.long == name && matches!(f.values, Values::Files | Values::Dirs));
            if takes_path && value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                raw.error = Some(format!(
                    "--{name} needs a path, and it was given an empty one"
                ));
                break;
            }
            raw.options.push((name, value));
        } else if tok.starts_with('/')
            && tok.len() > 1
            && raw
                .positionals
                .first()
                .is_some_and(|v| v.eq_ignore_ascii_case("lint"))
        {
            // lint takes paths, and an absolute Unix path starts with '/'.
            raw.positionals.push(tok.clone());
        } else if tok == "/?" || tok == "-?" || tok == "-h" {
            raw.appcmd_help = true;
        } else if tok.len() > 1 && (tok.starts_with('/') || tok.starts_with('-')) {
            raw.params.push(param(&tok[1..]));
        } else {
            raw.positionals.push(tok.clone());
        }
    }
    raw
}

/// Whether the text after `--` is an appcmd parameter (`commit:site`, `!timeout:5`) rather than
/// a GNU option: a `:` comes before any `=`, and the name before it is no GNU option.
fn is_appcmd_param(body: &str) -> bool {
    let Some(colon) = body.find(':') else {
        return false;
    };
    if body.find('=').is_some_and(|eq| eq < colon) {
        return false;
    }
    let name = body[..colon].trim_start_matches('!');
    !FLAGS.iter().any(|f| f.long == name)
}

/// Parse the text after the leading `/` or `-`.
pub fn param(body: &str) -> Param {
    let (escaped, body) = match body.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, body),
    };
    match split_colon(body) {
        Some(i) => Param {
            name: body[..i].to_string(),
            value: Some(body[i + 1..].to_string()),
            escaped,
        },
        None => Param {
            name: body.to_string(),
            value: None,
            escaped,
        },
    }
}

/// The first `:` outside `[...]` and outside single quotes within it.
fn split_colon(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quoted = false;
    for (i, c) in s.char_indices() {
        match c {
            '\'' if depth > 0 => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted => depth = depth.saturating_sub(1),
            ':' if depth == 0 && !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

/// Attribute (name, value) pairs in order.
pub type Pairs = Vec<(String, String)>;

/// A collection indexer: `[name='n',type='t']` as (key, value) pairs, and what follows it.
pub fn indexer(s: &str) -> Result<(Pairs, &str), IndexerError> {
    let error = |problem| IndexerError {
        indexer: s.to_string(),
        problem,
    };
    let mut rest = s
        .strip_prefix('[')
        .ok_or_else(|| error(IndexerProblem::NoBracket))?;
    let mut pairs = Vec::new();
    loop {
        let eq = rest
            .find('=')
            .ok_or_else(|| error(IndexerProblem::NoPair))?;
        let key = rest[..eq].trim().to_string();
        if key.is_empty() || key.contains([',', ']', '[', '\'']) {
            return Err(error(IndexerProblem::BadKey));
        }
        rest = &rest[eq + 1..];
        let value;
        if let Some(q) = rest.strip_prefix('\'') {
            // '' inside quotes is a literal quote.
            let mut v = String::new();
            let mut chars = q.char_indices().peekable();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                if c == '\'' {
                    if let Some(&(_, '\'')) = chars.peek() {
                        chars.next();
                        v.push('\'');
                        continue;
                    }
                    end = Some(i);
                    break;
                }
                v.push(c);
            }
            let end = end.ok_or_else(|| error(IndexerProblem::UnclosedQuote))?;
            value = v;
            rest = &q[end + 1..];
        } else {
            let stop = rest
                .find([',', ']'])
                .ok_or_else(|| error(IndexerProblem::UnclosedBracket))?;
            value = rest[..stop].trim().to_string();
            rest = &rest[stop..];
        }
        pairs.push((key, value));
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix(',') {
            rest = r;
        } else if let Some(r) = rest.strip_prefix(']') {
            return Ok((pairs, r));
        } else {
            return Err(error(IndexerProblem::NoSeparator));
        }
    }
}

/// A collection indexer that does not parse, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexerError {
    /// The indexer as given.
    pub indexer: String,
    /// What is wrong.
    pub problem: IndexerProblem,
}

/// What is wrong with an indexer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexerProblem {
    /// It does not start with `[`.
    NoBracket,
    /// No `=` after a key.
    NoPair,
    /// An empty key, or one with `,[]'` in it.
    BadKey,
    /// A quoted value without its closing quote.
    UnclosedQuote,
    /// No `]`.
    UnclosedBracket,
    /// Something other than `,` or `]` after a value.
    NoSeparator,
}

impl std::fmt::Display for IndexerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = &self.indexer;
        match self.problem {
            IndexerProblem::NoBracket => write!(f, "expected '[' in \"{s}\""),
            IndexerProblem::NoPair => write!(f, "expected key='value' in \"{s}\""),
            IndexerProblem::BadKey => write!(f, "malformed indexer \"{s}\": expected key='value'"),
            IndexerProblem::UnclosedQuote => write!(f, "unclosed quote in \"{s}\""),
            IndexerProblem::UnclosedBracket => write!(f, "unclosed '[' in \"{s}\""),
            IndexerProblem::NoSeparator => write!(f, "expected ',' or ']' in \"{s}\""),
        }
    }
}
