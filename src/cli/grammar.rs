//! The verb tree: which verbs there are, what may follow each one, and which appcmd parameters
//! a verb on `config` takes. The parser and the shell completions read this one table, so a
//! verb, an object or a parameter cannot be known to one and missing from the other.

/// What the words after a verb are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// The first word is one of these (an object, or an operation); later words are free.
    Words(&'static [&'static str]),
    /// The first word is a shell name.
    Shells,
    /// The first word is a verb.
    Verbs,
    /// Every word is a file or folder.
    Files,
}

/// The appcmd parameters a verb takes on `config`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ConfigParams {
    /// The section's attributes as parameters: `Some(":")` for `/ATTR:`, `Some("")` for a bare
    /// `/ATTR`, `None` when the verb takes none.
    pub attributes: Option<&'static str>,
    /// The collection forms, `{}` standing for the section's collection name (a section without
    /// a collection gets none of them).
    pub collection: &'static [&'static str],
    /// The verb's general parameters, as typed.
    pub general: &'static [&'static str],
}

/// One verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Verb {
    /// The verb (commands take it in any case).
    pub name: &'static str,
    /// What follows it.
    pub next: Next,
    /// Its parameters on `config`, if it works on `config`.
    pub params: Option<ConfigParams>,
    /// The GNU options it takes, by long name (besides `--help` and `--version`, which every
    /// verb takes). Any other is refused, never ignored: `add backup --dry-run`
    /// must not write a backup. Its help lists these.
    pub options: &'static [&'static str],
}

/// The options of the verbs that write a configuration file, with any `extra` (`set`'s
/// `--create`): one list, so the writing verbs cannot drift apart.
macro_rules! write_options {
    ($($extra:literal),*) => {
        &[
            "root", "bitness", "drive", "file", $($extra,)* "dry-run", "diff", "force", "json",
            "color", "show-secrets",
        ]
    };
}
/// The options every verb takes.
pub(crate) const EVERY_VERB_OPTIONS: &[&str] = &["help", "version"];

/// The objects of `set`, `clear` and friends.
const CONFIG: &[&str] = &["config"];
/// The general parameters every server command reads.
const SERVER: &[&str] = &["/section:", "/commit:", "/apphostconfig:", "/clr:"];

/// Every verb, in the order help lists them.
pub(crate) const VERBS: &[Verb] = &[
    Verb {
        name: "set",
        next: Next::Words(CONFIG),
        params: Some(ConfigParams {
            attributes: Some(":"),
            collection: &["/+{}.[", "/-{}.[", "/{}.["],
            general: &["/section:", "/commit:", "/in", "/apphostconfig:", "/clr:"],
        }),
        options: write_options!("create"),
    },
    Verb {
        name: "list",
        next: Next::Words(&["config", "backup"]),
        params: Some(ConfigParams {
            attributes: None,
            collection: &[],
            general: &[
                "/section:",
                "/config:*",
                "/text:",
                "/xml",
                "/commit:",
                "/apphostconfig:",
                "/clr:",
            ],
        }),
        options: &[
            "root",
            "bitness",
            "drive",
            "file",
            "show-origin",
            "json",
            "color",
            "show-secrets",
        ],
    },
    Verb {
        name: "clear",
        next: Next::Words(CONFIG),
        params: Some(ConfigParams {
            attributes: Some(""),
            collection: &["/{}.["],
            general: SERVER,
        }),
        options: write_options!(),
    },
    Verb {
        name: "search",
        next: Next::Words(CONFIG),
        params: Some(ConfigParams {
            attributes: None,
            collection: &[],
            general: &["/section:", "/apphostconfig:", "/clr:"],
        }),
        options: &["root", "bitness", "drive", "json", "color"],
    },
    Verb {
        name: "lock",
        next: Next::Words(CONFIG),
        params: Some(ConfigParams {
            attributes: None,
            collection: &[],
            general: SERVER,
        }),
        options: write_options!(),
    },
    Verb {
        name: "unlock",
        next: Next::Words(CONFIG),
        params: Some(ConfigParams {
            attributes: None,
            collection: &[],
            general: SERVER,
        }),
        options: write_options!(),
    },
    Verb {
        name: "add",
        next: Next::Words(BACKUP),
        params: None,
        options: &["root", "json", "color"],
    },
    Verb {
        name: "restore",
        next: Next::Words(BACKUP),
        params: None,
        options: &["root", "dry-run", "diff", "json", "color", "show-secrets"],
    },
    Verb {
        name: "delete",
        next: Next::Words(BACKUP),
        params: None,
        options: &["root", "json", "color"],
    },
    Verb {
        name: "lint",
        next: Next::Files,
        params: None,
        options: &[
            "root",
            "bitness",
            "drive",
            "farm",
            "exclude",
            "format",
            "json",
            "fix",
            "dry-run",
            "deny",
            "select",
            "ignore",
            "max-timeout",
            "explain",
            "color",
            "show-secrets",
        ],
    },
    Verb {
        name: "dsc",
        next: Next::Words(DSC_OPERATIONS),
        params: None,
        options: &["what-if"],
    },
    Verb {
        name: "completions",
        next: Next::Shells,
        params: None,
        options: &[],
    },
    Verb {
        name: "help",
        next: Next::Verbs,
        params: None,
        options: &[],
    },
];

/// The object of the backup verbs.
const BACKUP: &[&str] = &["backup"];

/// `sessctl dsc OPERATION`.
pub(crate) const DSC_OPERATIONS: &[&str] = &["get", "test", "set", "delete", "export", "manifest"];

/// The verb named `name` (lower case).
pub(crate) fn verb(name: &str) -> Option<&'static Verb> {
    VERBS.iter().find(|v| v.name == name)
}

/// The verbs' names, in table order.
pub(crate) fn verb_names() -> impl Iterator<Item = &'static str> + Clone {
    VERBS.iter().map(|v| v.name)
}

/// The verbs that work on backups.
pub(crate) fn backup_verbs() -> impl Iterator<Item = &'static str> {
    VERBS
        .iter()
        .filter(|v| matches!(v.next, Next::Words(w) if w.contains(&"backup")))
        .map(|v| v.name)
}

/// The verbs that take the object `config`.
pub(crate) fn config_verbs() -> impl Iterator<Item = &'static Verb> {
    VERBS.iter().filter(|v| v.params.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::args::FLAGS;

    /// Every option a verb names is in the flags table, and every option of that table is
    /// taken by some verb (an option nobody takes could only ever be refused).
    #[test]
    fn verb_options_and_the_flags_table_agree() {
        for v in VERBS {
            for o in v.options.iter().chain(EVERY_VERB_OPTIONS) {
                assert!(
                    FLAGS.iter().any(|f| f.long == *o) || matches!(*o, "help" | "version"),
                    "{} names the unknown option --{o}",
                    v.name
                );
            }
        }
        for f in FLAGS {
            assert!(
                VERBS.iter().any(|v| v.options.contains(&f.long)),
                "no verb takes --{}",
                f.long
            );
        }
    }
}
