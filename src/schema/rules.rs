//! The runtime rules of SPEC §3: the checks ASP.NET makes when it loads the section or starts
//! the session module. `set` runs them on the section it is about to write; `lint` reports them.
//! Rules see values only (no files, no spans); callers attach locations.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::value::{check_stored, is_placeholder, Stored};
use super::{is_general_attribute, SectionDef, SESSION_STATE};

/// Which rule a violation breaks. Lint maps these to its codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// An attribute the schema does not have (SS002).
    UnknownAttribute,
    /// A value not spelled as ASP.NET reads it (SS003).
    InvalidValue,
    /// InProc or StateServer with a timeout over a year (SS005).
    TimeoutExceedsOneYear,
    /// A malformed stateConnectionString (SS006).
    StateConnectionString,
    /// A database named in sqlConnectionString without allowCustomSqlDatabase (SS007).
    SqlCustomDatabase,
    /// Custom mode without a matching provider (SS008).
    CustomProviderMissing,
    /// partitionResolverType with a mode that does not use it (SS009).
    PartitionResolverMode,
}

/// One broken rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The rule.
    pub rule: Rule,
    /// The attribute at fault, if one is.
    pub attribute: Option<String>,
    /// What is wrong and what would be right.
    pub message: String,
    /// A safe replacement value for the attribute, if there is one.
    pub fix: Option<String>,
    /// Whether ASP.NET refuses to run with it (false only for cosmetic spellings).
    pub breaks_runtime: bool,
    /// Whether it is a rule of the effective mode (what the store reads), judged on the merged
    /// values, rather than of one value as written (which ASP.NET checks in each file).
    pub of_mode: bool,
    /// The level that sets the inherited value it reads (file, line, attribute), when a judge
    /// of the levels names it.
    pub read_from: Option<(std::path::PathBuf, usize, String)>,
}

/// A `<connectionStrings>` entry looked up by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// In scope, with this connection string.
    Found(String),
    /// Known not to be in scope: a `<remove>` or `<clear>` in the files read took it out
    /// (ASP.NET then reads the value itself as the connection string).
    Removed,
    /// Known not to be in scope: every file from machine.config down was read, and none
    /// defines it (ASP.NET then reads the value itself as the connection string).
    Missing,
    /// Not seen: it may be in a file not read here.
    Unknown,
}

/// The values of one section in one scope, as rules see them.
pub struct SectionValues<'a> {
    /// The section.
    pub section: &'static SectionDef,
    /// Attributes as written, in file order, with their logical values.
    pub attrs: &'a [(&'a str, &'a str)],
    /// Names in the effective provider collection.
    pub providers: &'a [String],
    /// Resolves a `<connectionStrings>` entry by name.
    pub connection_string: &'a dyn Fn(&str) -> Entry,
}

impl SectionValues<'_> {
    /// The explicit value of an attribute.
    pub fn explicit(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }

    /// The effective value: explicit, else the schema default.
    pub fn effective(&self, name: &str) -> &str {
        self.explicit(name)
            .or_else(|| self.section.attribute(name).map(|a| a.default))
            .unwrap_or("")
    }
}

const ONE_YEAR_MINUTES: i64 = 525_600;

/// Check every rule; the result lists violations in a stable order.
pub fn check(v: &SectionValues<'_>) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut bad_values = Vec::new();
    for (name, value) in v.attrs {
        match v.section.attribute(name) {
            Some(def) => {
                if let Stored::Invalid {
                    message,
                    fix,
                    breaks_runtime,
                } = check_stored(def, value)
                {
                    out.push(Violation {
                        rule: Rule::InvalidValue,
                        attribute: Some(name.to_string()),
                        message,
                        fix,
                        breaks_runtime,
                        of_mode: false,
                        read_from: None,
                    });
                    if breaks_runtime {
                        bad_values.push(*name);
                    }
                }
            }
            None if is_general_attribute(name) => {}
            None => {
                let hint = v
                    .section
                    .suggest(name)
                    .map(|s| format!(" (did you mean \"{s}\"? attribute names are case-sensitive)"))
                    .unwrap_or_default();
                out.push(Violation {
                    rule: Rule::UnknownAttribute,
                    attribute: Some(name.to_string()),
                    message: format!(
                        "unrecognized attribute \"{name}\" in {}{hint}",
                        v.section.path
                    ),
                    fix: None,
                    breaks_runtime: true,
                    of_mode: false,
                    read_from: None,
                });
            }
        }
    }
    if !std::ptr::eq(v.section, &SESSION_STATE) || bad_values.contains(&"mode") {
        return out;
    }
    let mode = v.effective("mode");
    // A deployment placeholder (`mode="#{Session.Mode}"`) is replaced before ASP.NET reads the
    // file: no rule that depends on the mode can be judged.
    if is_placeholder(mode) {
        return out;
    }
    let violation = |rule, attribute: &str, message: String| Violation {
        rule,
        attribute: Some(attribute.to_string()),
        message,
        fix: None,
        breaks_runtime: true,
        of_mode: true,
        read_from: None,
    };

    if matches!(mode, "InProc" | "StateServer") && !bad_values.contains(&"timeout") {
        let timeout = v.effective("timeout");
        let over = timeout == "Infinite"
            || timeout
                .trim()
                .parse::<i64>()
                .is_ok_and(|n| n > ONE_YEAR_MINUTES);
        if over {
            out.push(violation(
                Rule::TimeoutExceedsOneYear,
                "timeout",
                format!(
                    "timeout=\"{timeout}\" exceeds one year (525600 minutes), the most mode {mode} allows"
                ),
            ));
        }
    }
    // Either store reads its connection string only without a partition resolver
    // (`OutOfProcSessionStateStore.OneTimeInit`, `SqlSessionStateStore.OneTimeInit`): with one,
    // the resolver gives the strings per session and the attribute is not read at all.
    // A placeholder resolver may become one or nothing: the connection strings are then not
    // judged (as with a resolver), nor is the resolver's mode (SS009).
    let resolver = v.effective("partitionResolverType");
    if mode == "StateServer" && resolver.is_empty() {
        let raw = v.effective("stateConnectionString");
        match resolve(v, raw) {
            Resolved::Value(resolved) => {
                if let Err(why) = check_tcpip(&resolved) {
                    out.push(violation(
                        Rule::StateConnectionString,
                        "stateConnectionString",
                        format!("stateConnectionString is not valid for mode StateServer: {why}"),
                    ));
                }
            }
            Resolved::NotInScope(value, because) => {
                if let Err(why) = check_tcpip(&value) {
                    out.push(violation(
                        Rule::StateConnectionString,
                        "stateConnectionString",
                        format!(
                            "stateConnectionString names no <connectionStrings> entry in scope ({because}), so ASP.NET reads it as the connection string, which is not valid for mode StateServer: {why}"
                        ),
                    ));
                }
            }
            Resolved::Unknown => {}
        }
    }
    // The SQL Server store looks sqlConnectionString up as an entry name, then hands it to
    // ADO.NET (`new SqlConnection`), which refuses a string that is no `key=value` list.
    if mode == "SQLServer" && resolver.is_empty() && !bad_values.contains(&"sqlConnectionString") {
        let raw = v.effective("sqlConnectionString");
        let resolved = resolve(v, raw);
        if let Resolved::NotInScope(_, because) = &resolved {
            out.push(violation(
                Rule::InvalidValue,
                "sqlConnectionString",
                format!(
                    "sqlConnectionString names no <connectionStrings> entry in scope ({because}), so ASP.NET hands it to ADO.NET as the connection string, which refuses it: it has no key=value pair"
                ),
            ));
        }
        // A placeholder may become "true": the database key is then not judged.
        let allow = v.effective("allowCustomSqlDatabase");
        let custom_allowed = allow.eq_ignore_ascii_case("true") || is_placeholder(allow);
        if let (false, Resolved::Value(resolved)) = (custom_allowed, &resolved) {
            if let Some(key) = custom_database_key(resolved) {
                out.push(violation(
                    Rule::SqlCustomDatabase,
                    "sqlConnectionString",
                    format!(
                        "sqlConnectionString names a database (\"{key}\"), which ASP.NET refuses unless allowCustomSqlDatabase=\"true\""
                    ),
                ));
            }
        }
    }
    if mode == "Custom" {
        let provider = v.effective("customProvider");
        if provider.is_empty() {
            out.push(violation(
                Rule::CustomProviderMissing,
                "customProvider",
                "mode Custom needs customProvider to name an entry of <providers>".into(),
            ));
        } else if !is_placeholder(provider)
            && !v.providers.iter().any(|p| super::same_key(p, provider))
        {
            out.push(violation(
                Rule::CustomProviderMissing,
                "customProvider",
                format!(
                    "customProvider=\"{provider}\" names no provider in <providers>; {}",
                    in_scope(v.providers)
                ),
            ));
        }
    }
    // With mode Off the module starts nothing, the resolver included
    // (`SessionStateModule.InitModuleFromConfig` returns first).
    if !resolver.is_empty()
        && !is_placeholder(resolver)
        && !matches!(mode, "StateServer" | "SQLServer" | "Off")
    {
        out.push(violation(
            Rule::PartitionResolverMode,
            "partitionResolverType",
            format!("partitionResolverType is only allowed with mode StateServer or SQLServer, not {mode}"),
        ));
    }
    out
}

/// What a connection-string value resolves to.
enum Resolved {
    /// The connection string to judge.
    Value(String),
    /// It names no entry in scope (a `<remove>` or `<clear>` took it out, or no file defines
    /// it; why, in words): ASP.NET finds no such entry and reads the value itself as the
    /// connection string (this one).
    NotInScope(String, String),
    /// It names an entry that may be in a file not read here: nothing can be judged.
    Unknown,
}

/// A connection string, or the `<connectionStrings>` entry it names. ASP.NET
/// (`HandlerBase.CheckAndReadConnectionString`, in .NET's reference source) first looks the
/// value up as an entry name and uses that entry's string when there is one; otherwise it reads
/// the value as the connection string itself.
fn resolve(v: &SectionValues<'_>, raw: &str) -> Resolved {
    // A deployment placeholder: the string ASP.NET will read is not in the file.
    if is_placeholder(raw) {
        return Resolved::Unknown;
    }
    if raw.contains('=') {
        Resolved::Value(raw.to_string())
    } else {
        // A bare name whose entry may sit in a file not read here cannot be judged.
        match (v.connection_string)(raw.trim()) {
            Entry::Found(found) => Resolved::Value(found),
            Entry::Removed => Resolved::NotInScope(
                raw.to_string(),
                format!("a <remove> or <clear> takes \"{}\" out", raw.trim()),
            ),
            // One with a colon (`127.0.0.1:42424`, a `tcpip=` forgotten) is judged as the
            // string it is.
            Entry::Missing | Entry::Unknown if raw.contains(':') => {
                Resolved::Value(raw.to_string())
            }
            Entry::Missing => Resolved::NotInScope(
                raw.to_string(),
                format!(
                    "no file from machine.config down defines \"{}\"",
                    raw.trim()
                ),
            ),
            Entry::Unknown => Resolved::Unknown,
        }
    }
}

/// Check `tcpip=HOST:PORT` as ASP.NET parses it.
pub fn check_tcpip(s: &str) -> Result<(), TcpipError> {
    let Some(rest) = s.strip_prefix("tcpip=") else {
        return Err(TcpipError::Prefix);
    };
    let (host, port) = if let Some(inner) = rest.strip_prefix('[') {
        let Some(close) = inner.find(']') else {
            return Err(TcpipError::UnclosedBracket);
        };
        let host = &inner[..close];
        if host.parse::<Ipv6Addr>().is_err() {
            return Err(TcpipError::NotIpv6(host.to_string()));
        }
        match inner[close + 1..].strip_prefix(':') {
            Some(port) => (host, port),
            None => return Err(TcpipError::NoPortAfterAddress),
        }
    } else {
        match rest.matches(':').count() {
            0 => return Err(TcpipError::NoPort),
            1 => {}
            _ => return Err(TcpipError::Unbracketed),
        }
        let (host, port) = rest.split_once(':').unwrap_or((rest, ""));
        let name_ok = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
        if !(host.parse::<Ipv4Addr>().is_ok() || name_ok) {
            return Err(TcpipError::NotHost(host.to_string()));
        }
        (host, port)
    };
    let _ = host;
    match port.parse::<u32>() {
        Ok(p) if p <= 65_535 && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
            Ok(())
        }
        _ => Err(TcpipError::Port(port.to_string())),
    }
}

/// Why a `stateConnectionString` is not `tcpip=HOST:PORT` as ASP.NET parses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TcpipError {
    /// It does not start with `tcpip=`.
    Prefix,
    /// `[` without `]`.
    UnclosedBracket,
    /// The bracketed host is no IPv6 address.
    NotIpv6(String),
    /// No `:PORT` after `[address]`.
    NoPortAfterAddress,
    /// No port at all.
    NoPort,
    /// An IPv6 address without brackets.
    Unbracketed,
    /// The host is no IPv4 address or host name.
    NotHost(String),
    /// The port is not a number from 0 to 65535.
    Port(String),
}

impl std::fmt::Display for TcpipError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TcpipError::Prefix => {
                write!(
                    f,
                    "it must start with \"tcpip=\" (lower case) followed by HOST:PORT"
                )
            }
            TcpipError::UnclosedBracket => write!(f, "an IPv6 address needs its closing ']'"),
            TcpipError::NotIpv6(host) => write!(f, "\"{host}\" is not an IPv6 address"),
            TcpipError::NoPortAfterAddress => {
                write!(
                    f,
                    "a port is required after the address (tcpip=[::1]:42424)"
                )
            }
            TcpipError::NoPort => write!(
                f,
                "it has no port, and there is no default (write tcpip=HOST:42424)"
            ),
            TcpipError::Unbracketed => {
                write!(f, "put an IPv6 address in brackets (tcpip=[::1]:42424)")
            }
            TcpipError::NotHost(host) => {
                write!(f, "\"{host}\" is not an IPv4 address or host name")
            }
            TcpipError::Port(port) => write!(f, "port \"{port}\" is not a number from 0 to 65535"),
        }
    }
}

/// The first key of a connection string that names a database.
pub fn custom_database_key(conn: &str) -> Option<String> {
    super::connstr::parse(conn)
        .into_iter()
        .find(|p| {
            matches!(
                p.key.as_str(),
                "database" | "initial catalog" | "attachdbfilename"
            )
        })
        .map(|p| p.written_key)
}

/// Whether a connection string holds a non-empty `Password` or `Pwd`.
pub fn has_password(conn: &str) -> bool {
    super::connstr::parse(conn).iter().any(|p| {
        super::connstr::is_secret_key(&p.key) && !p.value.is_empty() && !is_placeholder(&p.value)
    })
}

/// The providers a `customProvider` could name, for its message: `none is in scope`, or each
/// name quoted (`in scope: "A", "B"`).
fn in_scope(providers: &[String]) -> String {
    if providers.is_empty() {
        return "none is in scope".to_string();
    }
    let names: Vec<String> = providers.iter().map(|p| format!("\"{p}\"")).collect();
    format!("in scope: {}", names.join(", "))
}
