//! What .NET's configuration system refuses in a file's structure, and with it the whole file:
//! the root element ([`root_faults`]), the `<location>` elements ([`location_faults`],
//! [`above_sites_location_faults`]) and a section that is not where .NET declares it, or is
//! spelt in another case ([`unrecognized_sections`]).

use super::discover::is_configuration;
use crate::doc::{Document, ElementId};

/// Something in a `<location>` element that .NET's configuration system refuses, and with it
/// the whole file (`BaseConfigurationRecord.ScanLocationSection`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocationFault {
    /// The `<location>` element.
    pub location: ElementId,
    /// Where it is: the attribute at fault (`name="value"`), or the element's name.
    pub at: std::ops::Range<usize>,
    /// What is wrong, in words, ending with "ASP.NET refuses the whole file".
    pub message: String,
    /// The attribute value's range and the spelling .NET reads, when only the letter case is
    /// wrong (`allowOverride="False"`, `overrideMode="deny"`).
    pub fix: Option<(std::ops::Range<usize>, &'static str)>,
}

/// The namespace .NET takes on `<configuration>` (Visual Studio 2005 wrote it).
pub const CONFIGURATION_NAMESPACE: &str = "http://schemas.microsoft.com/.NetConfiguration/v2.0";

/// What .NET refuses in the root element of a file it reads, each with the range at fault and
/// why, as `BaseConfigurationRecord.ScanFactories` checks it: a root other than
/// `<configuration>`; `xmlns` other than [`CONFIGURATION_NAMESPACE`]; any other attribute, a
/// namespace declaration such as `xmlns:xdt` included (Mono refuses that too). Each makes
/// ASP.NET refuse the whole file.
pub fn root_faults(doc: &Document) -> Vec<(std::ops::Range<usize>, String)> {
    const REFUSED: &str = "ASP.NET refuses the whole file";
    let root = doc.root();
    if !is_configuration(doc) {
        let name = doc.name(root);
        let start = doc.element(root).start as usize + 1;
        return vec![(
            start..start + name.len(),
            format!("the root element is <{name}>, not <configuration>; {REFUSED}"),
        )];
    }
    doc.attrs(root)
        .filter_map(|a| {
            let name = doc.attr_name(&a);
            let why = match name {
                "xmlns" if doc.value(&a) == CONFIGURATION_NAMESPACE => return None,
                "xmlns" => format!(
                    "<configuration xmlns=\"{}\">: .NET knows no namespace there but {CONFIGURATION_NAMESPACE}",
                    doc.value(&a)
                ),
                n => format!("<configuration> has no attribute {n} (.NET knows only xmlns there)"),
            };
            Some((a.range(), format!("{why}; {REFUSED}")))
        })
        .collect()
}

/// What .NET refuses in the top-level `<location>` elements of a `<configuration>` document,
/// in file order, as `ScanLocationSection` checks each: the path
/// ([`super::path::location_path_fault`]); attributes other than `path`, `allowOverride`,
/// `overrideMode` and `inheritInChildApplications` (namespace declarations and prefixed ones,
/// such as XDT's, are left to the tools that use them); both `allowOverride` and
/// `overrideMode`; booleans other than exactly `true`/`false`; an `overrideMode` other than
/// exactly `Allow`, `Deny` or `Inherit`; a `<location>` inside another or inside
/// `<system.web>`.
pub fn location_faults(doc: &Document) -> Vec<LocationFault> {
    const REFUSED: &str = "ASP.NET refuses the whole file";
    let root = doc.root();
    let mut out = Vec::new();
    if !is_configuration(doc) {
        return out;
    }
    for loc in doc.children_named(root, "location") {
        let mut lock_attr: Option<String> = None;
        for a in doc.attrs(loc) {
            let name = doc.attr_name(&a);
            let value = doc.value(&a);
            let mut fault = |message: String, fix: Option<&'static str>| {
                out.push(LocationFault {
                    location: loc,
                    at: a.range(),
                    message: format!("{message}; {REFUSED}"),
                    fix: fix.map(|f| (a.value.clone(), f)),
                })
            };
            match name {
                "path" => {
                    if let Some(why) = super::path::location_path_fault(&value) {
                        fault(format!("<location path=\"{value}\">: {why}"), None);
                    }
                }
                "allowOverride" | "overrideMode" => {
                    if let Some(other) = lock_attr.replace(name.to_string()) {
                        fault(
                            format!("<location> carries both {other} and {name} (only one of the two is allowed)"),
                            None,
                        );
                    }
                    let allowed: &[&'static str] = if name == "overrideMode" {
                        &["Allow", "Deny", "Inherit"]
                    } else {
                        &["true", "false"]
                    };
                    if !allowed.contains(&&*value) {
                        let fix = allowed
                            .iter()
                            .copied()
                            .find(|v| v.eq_ignore_ascii_case(&value));
                        fault(
                            format!(
                                "{name}=\"{value}\" must be exactly {}",
                                if name == "overrideMode" {
                                    "\"Allow\", \"Deny\" or \"Inherit\""
                                } else {
                                    "\"true\" or \"false\""
                                }
                            ),
                            fix,
                        );
                    }
                }
                "inheritInChildApplications" => {
                    if value != "true" && value != "false" {
                        let fix = ["true", "false"]
                            .into_iter()
                            .find(|v| v.eq_ignore_ascii_case(&value));
                        fault(
                            format!("{name}=\"{value}\" must be exactly \"true\" or \"false\""),
                            fix,
                        );
                    }
                }
                n if n == "xmlns" || n.contains(':') => {}
                _ => fault(
                    format!("<location> has no attribute {name} (ASP.NET knows path, allowOverride, overrideMode and inheritInChildApplications)"),
                    None,
                ),
            }
        }
        nested_locations(doc, loc, "another <location>", &mut out);
    }
    // Nor inside a section group: `<system.web>` is one (ScanSectionsRecursive refuses a
    // <location> anywhere but at the top of the file).
    let groups = doc.children_named(root, "system.web").chain(
        doc.children_named(root, "location")
            .flat_map(|loc| doc.children_named(loc, "system.web")),
    );
    for group in groups {
        nested_locations(doc, group, "<system.web>", &mut out);
    }
    out.sort_by_key(|f| f.at.start);
    out
}

/// A fault for each `<location>` child of `parent` (`Config_location_location_not_allowed`).
fn nested_locations(doc: &Document, parent: ElementId, what: &str, out: &mut Vec<LocationFault>) {
    for inner in doc.children_named(parent, "location") {
        let e = doc.element(inner);
        out.push(LocationFault {
            location: inner,
            at: e.start as usize + 1..e.name_end as usize,
            message: format!(
                "a <location> cannot stand inside {what}; ASP.NET refuses the whole file"
            ),
            fix: None,
        });
    }
}

/// What .NET refuses only in machine.config and the root web.config: a `<location>` with no
/// path (or `""`, `"."`) and `inheritInChildApplications="false"`, which could only mean the
/// levels below a file that has no child applications of its own
/// (`Location_invalid_inheritInChildApplications_in_machine_or_root_web_config`).
pub fn above_sites_location_faults(doc: &Document) -> Vec<LocationFault> {
    let root = doc.root();
    if !is_configuration(doc) {
        return Vec::new();
    }
    doc.children_named(root, "location")
        .filter(|&loc| {
            doc.attr_value(loc, "path")
                .is_none_or(|p| p.is_empty() || p == ".")
        })
        .filter_map(|loc| {
            let a = doc.attr(loc, "inheritInChildApplications")?;
            (doc.value(&a) == "false").then(|| LocationFault {
                location: loc,
                at: a.range(),
                message: "inheritInChildApplications=\"false\" on a <location> without a path is not allowed in machine.config or the root web.config; ASP.NET refuses the whole file".to_string(),
                fix: None,
            })
        })
        .collect()
}

/// The elements that name what sessctl reads where no section of that name is declared: a
/// name in another letter case (element names are case-sensitive) of the `<system.web>` group,
/// `<location>` or `<connectionStrings>` at the file's level, or of a session section or
/// `<machineKey>` in `<system.web>` (`<SessionState>`, `<System.Web>`, `<Location>`); and a
/// session section or `<machineKey>` outside `<system.web>`, at the file's level or directly
/// in a `<location>`; `<connectionStrings>` or `<system.web>` inside `<system.web>`; and a
/// session section, `<machineKey>` or `<system.web>` directly inside another section group
/// (`<system.webServer>`, IIS's, which .NET and Mono ignore whole; `<system.net>` and the
/// other groups .NET declares), where no section of that name is declared. IIS's
/// configuration system refuses every request the file applies to (HTTP 500.19, "cannot be
/// read because it is missing a section declaration", as for a `<rewrite>` on a server
/// without URL Rewrite); Mono refuses the application ("Unrecognized
/// configuration section"); .NET's own reader records an error local to the undeclared
/// section (`ScanSectionsRecursive`), which nothing reads. Either way what the element was
/// meant to be is not read. In file order, each with the range of its name and why.
pub fn unrecognized_sections(doc: &Document) -> Vec<(std::ops::Range<usize>, String)> {
    const GROUP: &str = "system.web";
    // Section groups whose sections are declared elsewhere and never include ours: IIS's
    // (in applicationHost.config) and those of .NET's machine.config and root web.config.
    const OTHER_GROUPS: [&str; 10] = [
        "system.webServer",
        "system.applicationHost",
        "system.ftpServer",
        "system.net",
        "system.serviceModel",
        "system.serviceModel.activation",
        "system.runtime.serialization",
        "system.transactions",
        "system.web.extensions",
        "system.xml.serialization",
    ];
    const TOP: [&str; 3] = [GROUP, "location", "connectionStrings"];
    let mut out = Vec::new();
    if !is_configuration(doc) {
        return out;
    }
    let root = doc.root();
    let mut fault = |el: ElementId, what: String| {
        let e = doc.element(el);
        let key = doc.name(el);
        out.push((
            e.start as usize + 1..e.name_end as usize,
            format!("{what}; IIS's configuration system refuses the whole file (HTTP 500.19: \"The configuration section '{key}' cannot be read because it is missing a section declaration\")"),
        ));
    };
    let in_group = || {
        crate::schema::SECTIONS
            .iter()
            .map(|d| d.name)
            .chain(["machineKey"])
    };
    fn miscased(name: &str, mut known: impl Iterator<Item = &'static str>) -> Option<&'static str> {
        known.find(|k| *k != name && k.eq_ignore_ascii_case(name))
    }
    let case = |name: &str, meant: &str| {
        format!(
            "<{name}> is not a configuration section (element names are case-sensitive: <{meant}>)"
        )
    };
    let scopes = std::iter::once(root).chain(doc.children_named(root, "location"));
    for scope in scopes {
        for el in doc.children(scope) {
            let name = doc.name(el);
            if name != GROUP {
                // (A <location> inside another is refused for that already.)
                let top = TOP
                    .iter()
                    .copied()
                    .filter(|k| scope == root || *k != "location");
                if let Some(meant) = miscased(name, top) {
                    fault(el, case(name, meant));
                } else if let Some(meant) = in_group().find(|k| k.eq_ignore_ascii_case(name)) {
                    let what = format!("<{name}> is not a configuration section here: <{meant}> belongs in <{GROUP}>");
                    fault(el, what);
                } else if OTHER_GROUPS.contains(&name) {
                    for inner in doc.children(el) {
                        let inner_name = doc.name(inner);
                        if inner_name.eq_ignore_ascii_case(GROUP) {
                            let what = format!("<{inner_name}> is not a section group inside <{name}>: <{GROUP}> belongs directly in <configuration> or a <location>");
                            fault(inner, what);
                        } else if let Some(meant) =
                            in_group().find(|k| k.eq_ignore_ascii_case(inner_name))
                        {
                            let what = format!("<{inner_name}> is not a configuration section in <{name}>: <{meant}> belongs in <{GROUP}>");
                            fault(inner, what);
                        }
                    }
                }
                continue;
            }
            for inner in doc.children(el) {
                let name = doc.name(inner);
                if let Some(meant) = miscased(name, in_group()) {
                    fault(inner, case(name, meant));
                } else if let Some(meant) = [GROUP, "connectionStrings"]
                    .into_iter()
                    .find(|k| k.eq_ignore_ascii_case(name))
                {
                    // (A <location> there is SS014's: .NET refuses it before any section.)
                    let what = format!("<{name}> is not a configuration section inside <{GROUP}>: <{meant}> belongs directly in <configuration>");
                    fault(inner, what);
                }
            }
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    out
}
