//! `config` commands on one file (`--file`): the PATH names a `<location>` in it, and the file
//! itself is the commit target. `search` needs a server.

use super::request::{Common, ConfigAction};
use super::server::{applied_line, each_import, options};
use super::{finish_write, list_config, Exit, Run};
use crate::ops::{self, Outcome, Target};

/// Run a `config` command on the file of `target`; `display` is the file as given.
pub(super) fn run(target: &Target, display: &str, action: &ConfigAction, common: &Common) -> Run {
    let display = display.to_string();
    match action {
        ConfigAction::List { sections, view } => {
            list_config(target, &display, sections, view, common)
        }
        ConfigAction::Change {
            section, changes, ..
        } => {
            // A mistyped --file path is no file to create (unless --create says it is).
            if !common.create && std::fs::symlink_metadata(&target.file).is_err() {
                return Run::error(
                    &format!(
                        "{}: no such file (give --create to create it)",
                        target.file.display()
                    ),
                    Exit::Missing,
                );
            }
            let result = ops::set(target, section, changes, &options(common)).map(|mut o| {
                o.config_path = Some(display.clone());
                o
            });
            finish_write(result, common, |o: &Outcome| {
                // A section kept in a configSource file is committed to that file.
                let commit = o
                    .commit_file
                    .as_ref()
                    .filter(|f| **f != target.file)
                    .map_or(display.clone(), |f| f.display().to_string());
                applied_line(section, &display, &commit)
            })
        }
        ConfigAction::ClearSection(section) => {
            let result = ops::clear_section(target, section, &options(common)).map(|mut o| {
                o.config_path = Some(display.clone());
                o.commit_path = Some(display.clone());
                o
            });
            finish_write(result, common, |_: &Outcome| {
                format!(
                    "Cleared section \"{}\" at configuration path \"{display}\"\n",
                    section.path
                )
            })
        }
        ConfigAction::Lock { section, unlock } => {
            let location = match &target.scope {
                crate::hierarchy::path::Scope::File => "",
                crate::hierarchy::path::Scope::Location(p) => p.as_str(),
            };
            let result = crate::ops::lock::set_override_mode(
                &target.file,
                location,
                section,
                if *unlock { "Allow" } else { "Deny" },
                &options(common),
            )
            .map(|mut o| {
                o.config_path = Some(display.clone());
                o.commit_path = Some(display.clone());
                o
            });
            finish_write(result, common, |_| {
                format!(
                    "{} section \"{}\" at configuration path \"{display}\".\n",
                    if *unlock { "Unlocked" } else { "Locked" },
                    section.path
                )
            })
        }
        ConfigAction::Import(imports) => each_import(imports, |section, change| {
            let result = crate::ops::set(
                target,
                section,
                std::slice::from_ref(change),
                &options(common),
            )
            .map(|mut o| {
                o.config_path = Some(display.clone());
                o
            });
            finish_write(result, common, |_| {
                applied_line(section, &display, &display)
            })
        }),
        ConfigAction::Search(_) => Run::error(
            "search config works on a server: give its tree with --root DIR (or SESSCTL_ROOT)",
            Exit::Usage,
        ),
    }
}
