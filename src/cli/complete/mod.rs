//! Shell completion scripts that know the domain: verbs and objects, `/section:` values, the
//! `/ATTR:` names of the chosen section, enum and bool values, `/commit:` keywords, rule codes
//! and names for `--select`, `--ignore` and `--explain`, and shell names. Every list comes from
//! the schema, rule, flag and verb tables ([`Lists`]; after a verb, `--` offers only its
//! options), and each script carries the same lists, so
//! they cannot drift apart. Elvish gets clap's generic script.
//!
//! Bash splits words at `:` and `=` (they are in `COMP_WORDBREAKS`), so `/section:sess` reaches
//! the bash function as the three words `/section`, `:`, `sess`; the script rebuilds the
//! parameter from them (and also handles a `COMP_WORDBREAKS` without `:`).

mod bash;
mod fish;
mod powershell;
mod zsh;

pub use bash::bash;
pub use fish::fish;
pub use powershell::powershell;
pub use zsh::zsh;

use super::args::{Values, FLAGS};
use super::grammar::{self, ConfigParams, Next};
use crate::lint::rules::RULES;
use crate::schema::{ValueType, SECTIONS};

/// The shells `completions` takes.
pub const SHELLS: &[&str] = &["bash", "zsh", "fish", "powershell", "elvish"];

/// Every list a completion script needs, space-separated, from the tables.
#[derive(Debug, Clone)]
pub struct Lists {
    /// Verbs.
    pub verbs: String,
    /// `/section:` values.
    pub sections: String,
    /// `/commit:` values.
    pub commits: String,
    /// Rule codes and names.
    pub rules: String,
    /// Shell names.
    pub shells: String,
    /// GNU options with their `--` (before a verb: every one).
    pub flags: String,
    /// (verb, the GNU options it takes with their `--`), from the verb table.
    pub verb_flags: Vec<(&'static str, String)>,
    /// (section short name, attribute names).
    pub attributes: Vec<(&'static str, String)>,
    /// (section short name, its collection's name, or "").
    pub collections: Vec<(&'static str, String)>,
    /// (attribute name, its enum or bool values), for attributes that have a closed set.
    pub values: Vec<(&'static str, String)>,
    /// (option, its values), for options with a closed set.
    pub flag_values: Vec<(&'static str, String)>,
}

impl Lists {
    /// The lists, read from the tables.
    pub fn new() -> Lists {
        let mut values: Vec<(&'static str, String)> = Vec::new();
        for s in SECTIONS {
            for a in s.attributes {
                let v = match &a.ty {
                    ValueType::Enum(e) => e.iter().map(|v| v.name).collect::<Vec<_>>().join(" "),
                    ValueType::Bool => "true false".to_string(),
                    ValueType::TimeSpan { .. } => "Infinite".to_string(),
                    _ => continue,
                };
                if !values.iter().any(|(n, _)| *n == a.name) {
                    values.push((a.name, v));
                }
            }
        }
        let rules: Vec<&str> = RULES.iter().flat_map(|r| [r.code, r.name]).collect();
        let mut flags: Vec<String> = FLAGS.iter().map(|f| format!("--{}", f.long)).collect();
        flags.extend(["--help".to_string(), "--version".to_string()]);
        let mut commits: Vec<&str> = crate::hierarchy::path::Commit::KEYWORDS.to_vec();
        commits.extend(["MACHINE", "MACHINE/WEBROOT", "MACHINE/WEBROOT/APPHOST"]);
        let flag_values = FLAGS
            .iter()
            .filter_map(|f| {
                let v = match f.values {
                    Values::Words(w) => w.join(" "),
                    Values::Rules => rules.join(" "),
                    _ => return None,
                };
                Some((f.long, v))
            })
            .collect();
        Lists {
            verbs: grammar::verb_names().collect::<Vec<_>>().join(" "),
            sections: SECTIONS
                .iter()
                .flat_map(|s| [s.name, s.path])
                .collect::<Vec<_>>()
                .join(" "),
            commits: commits.join(" "),
            rules: rules.join(" "),
            shells: SHELLS.join(" "),
            flags: flags.join(" "),
            verb_flags: grammar::VERBS
                .iter()
                .map(|v| {
                    let names = v.options.iter().chain(grammar::EVERY_VERB_OPTIONS);
                    let flags: Vec<String> = names.map(|o| format!("--{o}")).collect();
                    (v.name, flags.join(" "))
                })
                .collect(),
            attributes: SECTIONS
                .iter()
                .map(|s| {
                    (
                        s.name,
                        s.attributes
                            .iter()
                            .map(|a| a.name)
                            .collect::<Vec<_>>()
                            .join(" "),
                    )
                })
                .collect(),
            collections: SECTIONS
                .iter()
                .map(|s| {
                    (
                        s.name,
                        s.collection
                            .as_ref()
                            .map(|c| c.name)
                            .unwrap_or("")
                            .to_string(),
                    )
                })
                .collect(),
            values,
            flag_values,
        }
    }

    /// Every attribute name of every section.
    pub(super) fn all_attributes(&self) -> String {
        union(&self.attributes)
    }

    /// Every collection name of every section.
    pub(super) fn all_collections(&self) -> String {
        union(&self.collections)
    }

    /// The words offered right after `verb`.
    pub(super) fn first_words(&self, verb: &grammar::Verb) -> Option<String> {
        match verb.next {
            Next::Words(w) => Some(w.join(" ")),
            Next::Shells => Some(self.shells.clone()),
            Next::Verbs => Some(self.verbs.clone()),
            Next::Files => None,
        }
    }
}

/// The words of every list, each once, in first-seen order.
fn union(lists: &[(&'static str, String)]) -> String {
    let mut all: Vec<&str> = Vec::new();
    for (_, a) in lists {
        for n in a.split(' ').filter(|n| !n.is_empty()) {
            if !all.contains(&n) {
                all.push(n);
            }
        }
    }
    all.join(" ")
}

/// The verbs whose words are files (`lint`).
pub(super) fn file_verbs() -> Vec<&'static str> {
    grammar::VERBS
        .iter()
        .filter(|v| v.next == Next::Files)
        .map(|v| v.name)
        .collect()
}

impl Default for Lists {
    fn default() -> Self {
        Lists::new()
    }
}

/// A `case` arm per (key, list), in the given shell's syntax.
pub(super) fn arms(pairs: &[(&str, String)], arm: impl Fn(&str, &str) -> String) -> String {
    pairs.iter().map(|(k, v)| arm(k, v)).collect()
}

/// One `case` arm per verb that takes parameters on `config`.
pub(super) fn param_arms(arm: impl Fn(&str, &ConfigParams) -> String) -> String {
    grammar::config_verbs()
        .filter_map(|v| v.params.as_ref().map(|p| arm(v.name, p)))
        .collect()
}

/// The script for `shell`.
pub fn script(shell: clap_complete::Shell) -> String {
    let l = Lists::new();
    match shell {
        clap_complete::Shell::Bash => bash(&l),
        clap_complete::Shell::Zsh => zsh(&l),
        clap_complete::Shell::Fish => fish(&l),
        clap_complete::Shell::PowerShell => powershell(&l),
        other => {
            let mut buf = Vec::new();
            clap_complete::generate(other, &mut super::request::command(), "sessctl", &mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        }
    }
}
