//! appcmd-style `/?` help, generated from the schema table.

use crate::schema::value::allowed;
use crate::schema::{SectionDef, ValueType, SECTIONS};

/// Help for `VERB config [/section:S] /?`.
pub(crate) fn appcmd_help(verb: &str, section: Option<&'static SectionDef>) -> String {
    let mut out = String::new();
    let usage = match verb {
        "set" => "sessctl set config [PATH] [--root DIR | --file FILE] /section:S /ATTR:VALUE... [--dry-run|--diff] [/commit:C] [--force] [--json]",
        "clear" => "sessctl clear config [PATH] [--root DIR | --file FILE] /section:S [/ATTR...] [/providers.[name='N']]",
        _ => "sessctl list config [PATH] [--root DIR | --file FILE] [/section:S] [/config:*] [/text:ATTR|*] [--json]",
    };
    out.push_str(&format!("Usage: {usage}\n\n"));
    let sections: Vec<&'static SectionDef> = match section {
        Some(s) => vec![s],
        None => SECTIONS.to_vec(),
    };
    for s in sections {
        out.push_str(&format!("Attributes of {} (schema order):\n", s.path));
        for a in s.attributes {
            let values = match &a.ty {
                ValueType::Enum(_) | ValueType::Int { .. } | ValueType::TimeSpan { .. } => {
                    format!("\n      {}", allowed(a))
                }
                _ => String::new(),
            };
            let default = if a.default.is_empty() {
                "(empty)"
            } else {
                a.default
            };
            let note = if a.in_iis_schema {
                ""
            } else {
                " [not in the IIS schema]"
            };
            out.push_str(&format!(
                "  /{:<28} {:<20} default: {default}{note}\n      {}{values}\n",
                a.name,
                a.ty.name(),
                a.doc
            ));
        }
        if let Some(c) = &s.collection {
            out.push_str(&format!(
                "Collection <{0}> (key: {1}; {2} required, other attributes are passed to the provider):\n  \
                 /+{0}.[name='NAME',type='TYPE',...]   add an entry\n  \
                 /-{0}.[name='NAME']                   remove an entry\n  \
                 /{0}.[name='NAME'].ATTR:VALUE         change an entry's attribute\n",
                c.name,
                c.key,
                c.required.join(" and ")
            ));
        }
        out.push('\n');
    }
    out
}

/// `lint --explain` with no rule: every rule, one line each.
pub(crate) fn rule_list() -> String {
    let mut out = String::from("Rules (sessctl lint --explain CODE prints one in full):\n");
    for r in crate::lint::rules::RULES {
        out.push_str(&format!(
            "  {} {:<26} {:<7} {}\n",
            r.code,
            r.name,
            r.severity.name(),
            r.summary
        ));
    }
    out
}

/// What one verb's help says: usage, what it does, its options, examples.
struct VerbHelp {
    verb: &'static str,
    usage: &'static [&'static str],
    about: &'static str,
    examples: &'static [&'static str],
}

const VERB_HELP: &[VerbHelp] = &[
    VerbHelp {
        verb: "set",
        usage: &[
            "sessctl set config [PATH] /section:S /ATTR:VALUE... [/commit:C] [--root DIR | --file FILE]",
            "sessctl set config [PATH] [--root DIR | --file FILE] /section:S \"/+providers.[name='N',type='T',...]\"",
            "sessctl set config [PATH] [--root DIR | --file FILE] /section:S \"/-providers.[name='N']\"",
            "sessctl set config [PATH] [--root DIR | --file FILE] /section:S \"/providers.[name='N'].ATTR:VALUE\"",
        ],
        about: "Set attributes of system.web/sessionState or system.web/sessionPageState, or add, remove\nand change providers. Input is loose (any case, hh:mm:ss); the file gets the spelling ASP.NET\nreads. A value that already means the same is left alone and nothing is written. The result is\nchecked against ASP.NET's runtime rules before anything is written (--force skips them, with a\nwarning for each); on a server, so are the levels below the PATH: a change that would make\nASP.NET refuse what one of them says is refused (exit 13, naming it). With --file, PATH selects\n<location path=\"PATH\"> inside the file.",
        examples: &[
            "sessctl set config /commit:WEBROOT /section:sessionState /mode:StateServer /stateConnectionString:tcpip=loopback:42424 --root C:/",
            "sessctl set config \"Default Web Site/app1\" /section:sessionState /timeout:30 /commit:site --dry-run",
            "sessctl set config --file web.config /section:sessionState /mode:StateServer /stateConnectionString:tcpip=10.0.0.5:42424",
            "sessctl set config --file web.config /section:sessionState /timeout:00:30:00 --dry-run",
            "sessctl set config --file web.config /section:sessionState \"/+providers.[name='Redis',type='Microsoft.Web.Redis.RedisSessionStateProvider']\" /mode:Custom /customProvider:Redis",
            "sessctl set config \"Default Web Site/app1\" --file applicationHost.config /section:sessionState /cookieless:UseCookies --json",
        ],
    },
    VerbHelp {
        verb: "clear",
        usage: &[
            "sessctl clear config [PATH] /section:S [/commit:C] [--root DIR | --file FILE]",
            "sessctl clear config [PATH] [--root DIR | --file FILE] /section:S /ATTR... \"/providers.[name='N']\"",
        ],
        about: "Remove the section (and a <system.web> or <location> that this leaves empty), or only the\nnamed attributes or providers. An attribute that is neither in the schema nor in the section is\nrefused (exit 87), so a typo never passes as a success. On a server, a removal that would make\nASP.NET refuse what a level below the PATH says (a provider a site selects) is refused (exit\n13, naming it) unless --force.",
        examples: &[
            "sessctl clear config --file web.config /section:sessionState /timeout /cookieless",
            "sessctl clear config --file web.config /section:sessionState --dry-run",
            "sessctl clear config --file web.config /section:sessionState \"/providers.[name='Redis']\"",
        ],
    },
    VerbHelp {
        verb: "list",
        usage: &[
            "sessctl list config [PATH] [/section:S] [/config:*] [/text:ATTR|*] [--show-origin] [--json] [--root DIR | --file FILE]",
        ],
        about: "Show the effective section: explicitly set values as an XML fragment (attributes in schema\norder), every attribute with defaults (/config:*), one value alone on a line (/text:ATTR), or\nappcmd's detail view (/text:*). Passwords are masked unless --show-secrets.",
        examples: &[
            "sessctl list config \"Default Web Site/app1\" /section:sessionState --show-origin",
            "sessctl list config http://localhost/app1 /section:sessionState /text:mode",
            "sessctl list config \"Site A/app\" /section:sessionState /xml | sessctl set config \"Site B/app\" /in",
            "sessctl list config --file web.config /section:sessionState '/config:*'",
            "sessctl list config --file web.config /section:sessionState /text:mode",
            "sessctl list config \"Default Web Site\" --file applicationHost.config --json",
        ],
    },
    VerbHelp {
        verb: "add",
        usage: &["sessctl add backup [NAME] --root DIR"],
        about: "Snapshot the server's configuration under Windows/System32/inetsrv/backup/NAME/:\napplicationHost.config, administration.config, redirection.config, and every machine.config\nand root web.config (all runtimes and bitnesses). Without NAME: yyyyMMddTHHmmss.",
        examples: &["sessctl add backup before-session-change", "sessctl list backup"],
    },
    VerbHelp {
        verb: "restore",
        usage: &["sessctl restore backup NAME [--dry-run|--diff] [--json] --root DIR"],
        about: "Write every file of the backup back, atomically and byte for byte, under the same locks\nas set. Files that are already equal are left alone.",
        examples: &["sessctl restore backup before-session-change --dry-run"],
    },
    VerbHelp {
        verb: "delete",
        usage: &["sessctl delete backup NAME --root DIR"],
        about: "Remove a backup.",
        examples: &["sessctl delete backup before-session-change"],
    },
    VerbHelp {
        verb: "dsc",
        usage: &["sessctl dsc get|test|set|delete|export [--what-if] < instance.json", "sessctl dsc manifest"],
        about: "The DSC v3 resource Sessctl.IIS/SessionState: one JSON object on stdin, JSON Lines on\nstdout, traces as JSON lines on stderr. `_exist: false` (or `delete`) removes the section\nfrom the commit level. `manifest` prints dsc/sessctl.dsc.resource.json.",
        examples: &["echo '{\"root\":\"C:/\",\"commit\":\"webroot\",\"mode\":\"StateServer\"}' | sessctl dsc test"],
    },
    VerbHelp {
        verb: "search",
        usage: &["sessctl search config [PATH] [/section:S] [--json] --root DIR"],
        about: "List every level of the server (or below PATH) that sets the section, one\nCONFIGSEARCH \"CONFIG_PATH\" line each in hierarchy order; --json adds the file and line.",
        examples: &[
            "sessctl search config /section:sessionState",
            "sessctl search config \"Default Web Site\" --json",
        ],
    },
    VerbHelp {
        verb: "lock",
        usage: &["sessctl lock config [PATH] /section:S [/commit:C] [--root DIR | --file FILE]"],
        about: "Write overrideMode=\"Deny\" for the section on the PATH's location in the commit file\n(applicationHost.config without /commit, as appcmd does). ASP.NET does not enforce a lock\nkept in applicationHost.config: use /commit:WEBROOT (or a site's web.config) for one it does.\nOn a server, the definitions below the PATH that the lock would bind are found first: a lock\nthat ASP.NET would enforce over them is refused (exit 13, naming them) unless --force; those\nonly IIS's tools refuse are warned of.",
        examples: &[
            "sessctl lock config \"Default Web Site\" /section:sessionState /commit:WEBROOT",
            "sessctl lock config \"Default Web Site\" /section:sessionState --dry-run",
        ],
    },
    VerbHelp {
        verb: "unlock",
        usage: &["sessctl unlock config [PATH] /section:S [/commit:C] [--root DIR | --file FILE]"],
        about: "Write overrideMode=\"Allow\" where the lock is; a lock held at another level is\nnamed in the error (exit 33).",
        examples: &["sessctl unlock config \"Default Web Site\" /section:sessionState /commit:WEBROOT"],
    },
    VerbHelp {
        verb: "lint",
        usage: &[
            "sessctl lint [FILES-OR-FOLDERS...] [--format human|json|sarif|github] [--fix [--dry-run]]",
            "sessctl lint --root DIR [--drive X:=DIR|\\\\server\\share=DIR] [--format ...]",
            "sessctl lint --farm ROOT ROOT... [--drive \\\\server\\share=DIR|X:=DIR] [--format ...]",
        ],
        about: "Check configuration files against the IIS schema and ASP.NET's runtime rules. Folders are\nwalked for web.config, applicationHost.config, machine.config and *.config files whose root is\n<configuration>. Exit 0 clean, 1 findings at or above the failing severity, 2 could not run.\n`sessctl lint --explain` lists the rules; `--explain CODE` prints one. With --farm, a share's\nDIR is read by every server; a drive letter's DIR is relative to each ROOT (each server's own).",
        examples: &[
            "sessctl lint .",
            "sessctl lint --format sarif src/ > sessctl.sarif",
            "sessctl lint --fix --dry-run web.config",
            "sessctl lint --select SS006,state-connection-string --deny warnings web.config",
            "sessctl lint --explain SS003",
            "sessctl lint --root C:/ --format sarif > server.sarif",
            "sessctl lint --farm farm/web1/C farm/web2/C --drive D:=../D",
        ],
    },
    VerbHelp {
        verb: "completions",
        usage: &["sessctl completions bash|zsh|fish|powershell|elvish"],
        about: "Print a shell completion script that knows the verbs, sections, attributes, values and lint\nrules.",
        examples: &[
            "sessctl completions bash > /etc/bash_completion.d/sessctl",
            "sessctl completions zsh > \"${fpath[1]}/_sessctl\"",
            "sessctl completions fish > ~/.config/fish/completions/sessctl.fish",
        ],
    },
];

/// The help of one verb (`sessctl VERB --help`, `sessctl help VERB`), or None for an unknown one.
pub(crate) fn verb_help(verb: &str) -> Option<String> {
    let h = VERB_HELP
        .iter()
        .find(|h| h.verb.eq_ignore_ascii_case(verb))?;
    let mut out = String::from("Usage: ");
    out.push_str(&h.usage.join("\n       "));
    out.push_str("\n\n");
    out.push_str(h.about);
    out.push('\n');
    let options = super::grammar::verb(h.verb).map_or(&[][..], |v| v.options);
    if !options.is_empty() {
        out.push_str("\nOptions:\n");
        for name in options {
            let Some(f) = super::args::FLAGS.iter().find(|f| f.long == *name) else {
                continue;
            };
            let left = match f.value {
                Some(v) => format!("--{} {v}", f.long),
                None => format!("--{}", f.long),
            };
            out.push_str(&format!("  {left:<24} {}\n", f.help));
        }
    }
    out.push_str("\nExamples:\n");
    for e in h.examples {
        out.push_str(&format!("  {e}\n"));
    }
    Some(out)
}
