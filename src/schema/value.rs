//! Values: loose command-line input to the one canonical spelling, and the strict check of a
//! value already in a file (what ASP.NET will accept when it loads the section).

use super::{AttributeDef, TimeUnit, ValueType};

/// Why a value of a connection-string attribute (`sqlConnectionString`, which ADO.NET parses)
/// would be refused, never quoting it.
/// A value without `=` names a `<connectionStrings>` entry instead (ASP.NET looks it up).
fn connection_string_problem(attr: &AttributeDef, value: &str) -> Option<String> {
    (attr.name == "sqlConnectionString" && value.contains('='))
        .then(|| super::connstr::malformed(value))
        .flatten()
}

/// A command-line value refused for an attribute: which attribute, the value as given, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidValue {
    /// The attribute.
    pub attribute: &'static str,
    /// The value as given.
    pub raw: String,
    /// Why it is refused.
    pub problem: Problem,
}

/// Why a value is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Not one of the values the type allows (`allowed` says which), with the nearest one.
    NotAllowed {
        /// The nearest allowed spelling, when one is close.
        hint: Option<&'static str>,
        /// What the type allows, in words.
        allowed: String,
    },
    /// A clock time that is not a whole number of the attribute's unit.
    NotWhole {
        /// The unit (minutes, seconds).
        unit: &'static str,
    },
    /// A connection string ADO.NET would refuse, and why (the reason never quotes the value).
    ConnectionString(String),
}

impl std::fmt::Display for InvalidValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (attr, raw) = (self.attribute, &self.raw);
        match &self.problem {
            Problem::NotAllowed { hint, allowed } => {
                write!(f, "Invalid value \"{raw}\" for attribute \"{attr}\"")?;
                if let Some(h) = hint {
                    write!(f, " (did you mean \"{h}\"?)")?;
                }
                write!(f, ": {allowed}")
            }
            Problem::NotWhole { unit } => write!(
                f,
                "Invalid value \"{raw}\" for attribute \"{attr}\": {} is not a whole number of {unit}",
                raw.trim()
            ),
            Problem::ConnectionString(why) => {
                write!(f, "{attr} is not a connection string ADO.NET reads: {why}")
            }
        }
    }
}

impl std::error::Error for InvalidValue {}

/// The canonical spelling of command-line input, or why it is refused.
pub fn parse_input(attr: &AttributeDef, raw: &str) -> Result<String, InvalidValue> {
    let invalid = |problem| InvalidValue {
        attribute: attr.name,
        raw: raw.to_string(),
        problem,
    };
    let refuse = || {
        let hint = match &attr.ty {
            ValueType::Enum(values) => super::suggest(raw.trim(), values.iter().map(|v| v.name)),
            ValueType::Bool => super::suggest(raw.trim(), ["true", "false"].into_iter()),
            _ => None,
        };
        invalid(Problem::NotAllowed {
            hint,
            allowed: allowed(attr),
        })
    };
    match &attr.ty {
        ValueType::String => match connection_string_problem(attr, raw) {
            Some(why) => Err(invalid(Problem::ConnectionString(why))),
            None => Ok(raw.to_string()),
        },
        ValueType::Bool => match raw.trim().to_ascii_lowercase().as_str() {
            "true" => Ok("true".into()),
            "false" => Ok("false".into()),
            _ => Err(refuse()),
        },
        ValueType::Enum(values) => {
            let t = raw.trim();
            for v in values.iter() {
                if v.name.eq_ignore_ascii_case(t)
                    || v.aliases.iter().any(|a| a.eq_ignore_ascii_case(t))
                {
                    return Ok(v.name.to_string());
                }
            }
            Err(refuse())
        }
        ValueType::Int { min, max } => match raw.trim().parse::<i64>() {
            Ok(n) if (*min..=*max).contains(&n) => Ok(n.to_string()),
            _ => Err(refuse()),
        },
        ValueType::TimeSpan { unit, min, max } => {
            let t = raw.trim();
            if t.eq_ignore_ascii_case("infinite") {
                return Ok("Infinite".into());
            }
            let n = if t.contains(':') {
                let secs = parse_clock(t).ok_or_else(refuse)?;
                if secs % unit.seconds() != 0 {
                    return Err(invalid(Problem::NotWhole { unit: unit.name() }));
                }
                i64::try_from(secs / unit.seconds()).map_err(|_| refuse())?
            } else {
                t.parse::<i64>().map_err(|_| refuse())?
            };
            if (*min..=*max).contains(&n) {
                Ok(n.to_string())
            } else {
                Err(refuse())
            }
        }
    }
}

/// Parse `[-][d.]hh:mm:ss[.fraction]` into whole seconds (a fraction must be zero).
pub fn parse_clock(t: &str) -> Option<u64> {
    let (days, clock) = match t.split_once('.') {
        Some((d, rest)) if !d.contains(':') => (d.parse::<u64>().ok()?, rest),
        _ => (0, t),
    };
    let (clock, fraction) = match clock.rsplit_once('.') {
        Some((c, f)) if c.matches(':').count() == 2 => (c, Some(f)),
        _ => (clock, None),
    };
    if let Some(f) = fraction {
        if f.is_empty() || !f.bytes().all(|b| b == b'0') {
            return None;
        }
    }
    let parts: Vec<&str> = clock.split(':').collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let h: u64 = parts[0].parse().ok()?;
    let m: u64 = parts[1].parse().ok()?;
    let s: u64 = parts[2].parse().ok()?;
    if h > 23 || m > 59 || s > 59 {
        return None;
    }
    // A day count too large for the sum is refused, as .NET's TimeSpan refuses one past its
    // range (a wrapped sum would pass for a small value).
    days.checked_mul(86_400)?.checked_add(h * 3600 + m * 60 + s)
}

/// What is allowed for an attribute, in words (appcmd's phrasing for enums).
pub fn allowed(attr: &AttributeDef) -> String {
    match &attr.ty {
        ValueType::String => "any text".into(),
        ValueType::Bool => "must be true or false".into(),
        ValueType::Enum(values) => {
            let names: Vec<&str> = values.iter().map(|v| v.name).collect();
            let aliases: Vec<&str> = values.iter().flat_map(|v| v.aliases.iter().copied()).collect();
            if aliases.is_empty() {
                format!("Enum must be one of {}", names.join(", "))
            } else {
                format!(
                    "Enum must be one of {} (or the legacy {})",
                    names.join(", "),
                    aliases.join(", ")
                )
            }
        }
        ValueType::Int { min, max } => format!("must be an integer from {min} to {max}"),
        ValueType::TimeSpan { unit, min, max } => format!(
            "must be a whole number of {u} from {min} to {max}, a time span [d.]hh:mm:ss of whole {u}, or Infinite",
            u = unit.name()
        ),
    }
}

/// Whether a value is a deployment placeholder rather than a secret: the whole value (white
/// space around it aside) is a token that a release pipeline replaces, as Octopus
/// (`#{DbPassword}`), MSBuild and Azure Pipelines (`$(DbPassword)`), shell-style tools
/// (`${DB_PASSWORD}`), Jinja and Handlebars templates such as Ansible's (`{{ db_password }}`),
/// the Replace Tokens task of Azure Pipelines (`#{DbPassword}#`, its default, and
/// `__DbPassword__`) and environment expansion (`%DB_PASSWORD%`) write them. Nothing secret is in the file: such a value is shown as it is and not reported.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    let word = |w: &str| {
        !w.is_empty()
            && w.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    };
    let wrapped = |open: &str, close: &str| {
        v.len() > open.len() + close.len()
            && v.starts_with(open)
            && v.ends_with(close)
            && !v[open.len()..v.len() - close.len()].trim().is_empty()
            && !v[open.len()..v.len() - close.len()].contains(close)
    };
    wrapped("#{", "}")
        || wrapped("#{", "}#")
        || wrapped("$(", ")")
        || wrapped("${", "}")
        || wrapped("{{", "}}")
        || (v.len() > 4
            && v.starts_with("__")
            && v.ends_with("__")
            && word(v[2..v.len() - 2].trim_matches('_')))
        || (v.len() > 2 && v.starts_with('%') && v.ends_with('%') && word(&v[1..v.len() - 1]))
}

/// The verdict on a value found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// Spelled as ASP.NET reads it.
    Valid,
    /// A deployment placeholder (`#{Session.Timeout}`, `__Mode__`, see
    /// [`is_placeholder`]) that a release pipeline replaces:
    /// what ASP.NET will read is not in the file, so nothing is judged.
    Placeholder,
    /// Not spelled as ASP.NET reads it.
    Invalid {
        /// What is wrong.
        message: String,
        /// The safe canonical spelling, when the meaning is unambiguous.
        fix: Option<String>,
        /// Whether ASP.NET fails to load the section because of it (a wrong-case bool loads).
        breaks_runtime: bool,
    },
}

/// The value ASP.NET reads for a comma-separated list of names (`Off, InProc`) of an attribute
/// read through `GenericEnumConverter`: as .NET Framework's `Enum.Parse`, each name trimmed and
/// matched case-sensitively, their numbers or'ed together: the name of the result, or the
/// number no name has (a mode the session module does not know). `None` for a single name and
/// for a list with a part that names nothing. The converter refuses white space at either end
/// and a leading digit or sign before `Enum.Parse` sees the value.
fn combined_names(
    attr: &AttributeDef,
    values: &'static [super::EnumValue],
    value: &str,
) -> Option<Result<&'static str, i32>> {
    if !attr.names_combine
        || !value.contains(',')
        || value.trim() != value
        || value.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+')
    {
        return None;
    }
    let mut number = 0;
    for part in value.split(',') {
        let part = part.trim();
        number |= values.iter().find(|v| v.name == part)?.number;
    }
    Some(
        values
            .iter()
            .find(|v| v.number == number)
            .map(|v| v.name)
            .ok_or(number),
    )
}

/// Check a value as written in a file.
pub fn check_stored(attr: &AttributeDef, value: &str) -> Stored {
    if is_placeholder(value) {
        return Stored::Placeholder;
    }
    let invalid = |message: String, fix: Option<String>, breaks_runtime: bool| Stored::Invalid {
        message,
        fix,
        breaks_runtime,
    };
    match &attr.ty {
        ValueType::String => match connection_string_problem(attr, value) {
            Some(why) => {
                let e = InvalidValue {
                    attribute: attr.name,
                    raw: value.to_string(),
                    problem: Problem::ConnectionString(why),
                };
                invalid(e.to_string(), None, true)
            }
            None => Stored::Valid,
        },
        ValueType::Bool => match value {
            "true" | "false" => Stored::Valid,
            _ => match value.trim().to_ascii_lowercase().as_str() {
                v @ ("true" | "false") => invalid(
                    format!("{} is written \"{value}\"; write \"{v}\"", attr.name),
                    Some(v.to_string()),
                    false,
                ),
                _ => invalid(
                    format!(
                        "{}=\"{value}\" is not a boolean: {}",
                        attr.name,
                        allowed(attr)
                    ),
                    None,
                    true,
                ),
            },
        },
        ValueType::Enum(values) => {
            if values
                .iter()
                .any(|v| v.name == value || v.aliases.contains(&value))
            {
                return Stored::Valid;
            }
            match combined_names(attr, values, value) {
                Some(Ok(read)) => return invalid(
                    format!(
                        "{}=\"{value}\" is read as {read}: Enum.Parse takes a comma-separated list of names as one value (their numbers or'ed together); write \"{read}\"",
                        attr.name
                    ),
                    Some(read.to_string()),
                    false,
                ),
                Some(Err(number)) => {
                    return invalid(
                        format!(
                            "{}=\"{value}\" is not valid: Enum.Parse reads the list as {number} (their numbers or'ed together), which is no mode; {}",
                            attr.name,
                            allowed(attr)
                        ),
                        None,
                        true,
                    )
                }
                None => {}
            }
            let fix = parse_input(attr, value).ok();
            let message = match &fix {
                // .NET's GenericEnumConverter refuses a value with white space at either end
                // before Enum.Parse (which is case-sensitive) sees it.
                Some(f) => {
                    let why = if value.trim() == f.as_str() {
                        "the spaces around it count"
                    } else if value.trim() != value {
                        "values are case-sensitive and the spaces around it count"
                    } else {
                        "values are case-sensitive"
                    };
                    format!(
                        "{}=\"{value}\" is not valid: {why}, write \"{f}\"",
                        attr.name
                    )
                }
                None => format!("{}=\"{value}\" is not valid: {}", attr.name, allowed(attr)),
            };
            invalid(message, fix, true)
        }
        ValueType::Int { min, max } => match value.trim().parse::<i64>() {
            Ok(n) if (*min..=*max).contains(&n) => Stored::Valid,
            _ => invalid(
                format!("{}=\"{value}\" is not valid: {}", attr.name, allowed(attr)),
                None,
                true,
            ),
        },
        ValueType::TimeSpan { unit, min, max } => {
            if value == "Infinite" {
                return Stored::Valid;
            }
            if value.trim().eq_ignore_ascii_case("infinite") {
                return invalid(
                    format!(
                        "{}=\"{value}\" is not valid: write exactly \"Infinite\"",
                        attr.name
                    ),
                    Some("Infinite".into()),
                    true,
                );
            }
            if let Ok(n) = value.trim().parse::<i64>() {
                if (*min..=*max).contains(&n) {
                    return Stored::Valid;
                }
                return invalid(
                    format!(
                        "{}=\"{value}\" is out of range: {}",
                        attr.name,
                        match unit {
                            TimeUnit::Minutes => format!("whole minutes from {min} to {max}"),
                            TimeUnit::Seconds => format!("whole seconds from {min} to {max}"),
                        }
                    ),
                    None,
                    true,
                );
            }
            let fix = if value.contains(':') {
                parse_input(attr, value).ok()
            } else {
                None
            };
            let message = match &fix {
                Some(f) => format!(
                    "{}=\"{value}\" is not valid: ASP.NET reads an integer number of {} here, write \"{f}\"",
                    attr.name,
                    unit.name()
                ),
                None => format!(
                    "{}=\"{value}\" is not valid: ASP.NET reads an integer number of {} or Infinite",
                    attr.name,
                    unit.name()
                ),
            };
            invalid(message, fix, true)
        }
    }
}

/// Whether a value already in a file means the same as a canonical one and is spelled so that
/// ASP.NET reads it (`cookieless="true"` for `UseUri`, `timeout="20"` for `00:20:00`): such a
/// value is left alone by `set` (SPEC §2).
pub fn same_meaning(attr: &AttributeDef, stored: &str, canonical: &str) -> bool {
    if stored == canonical {
        return true;
    }
    check_stored(attr, stored) == Stored::Valid
        && parse_input(attr, stored).is_ok_and(|c| c == canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_of_mode_names_is_read_as_enum_parse_reads_it() {
        let mode = crate::schema::SESSION_STATE.attribute("mode").unwrap();
        let ValueType::Enum(values) = &mode.ty else {
            panic!("mode is an enum")
        };
        let read = |v: &str| combined_names(mode, values, v);
        assert_eq!(read("Off, InProc"), Some(Ok("InProc")));
        assert_eq!(read("InProc , StateServer"), Some(Ok("SQLServer")));
        assert_eq!(read("Custom,Custom"), Some(Ok("Custom")));
        assert_eq!(read("InProc, Custom"), Some(Err(5)));
        // What the converter refuses before Enum.Parse, and lists with a part naming nothing.
        for refused in [
            " Off, InProc",
            "Off, InProc ",
            "off, InProc",
            "Off,,InProc",
            "InProc,",
            "InProc",
        ] {
            assert_eq!(read(refused), None, "{refused}");
        }
        // cookieless has a converter of its own, which takes one name.
        let cookieless = crate::schema::SESSION_STATE
            .attribute("cookieless")
            .unwrap();
        let ValueType::Enum(values) = &cookieless.ty else {
            panic!("cookieless is an enum")
        };
        assert_eq!(
            combined_names(cookieless, values, "UseUri, UseCookies"),
            None
        );
    }

    #[test]
    fn deployment_placeholders_are_told_from_values() {
        for p in [
            "#{DbPassword}",
            "#{DbPassword}#",
            "#{Project.Db Password}",
            "$(DbPassword)",
            "${DB_PASSWORD}",
            "{{ db_password }}",
            "__DbPassword__",
            "__DB_PASSWORD__",
            " %DB_PASSWORD% ",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for v in [
            "hunter2",
            "#{",
            "#{}",
            "#{}#",
            "#{a}#b",
            "$()",
            "{{ }}",
            "____",
            "__a b__",
            "%%",
            "%a b%",
            "#{a}b",
            "a#{b}",
            "{{a}} {{b}}",
            "S3cr3t!",
        ] {
            assert!(!is_placeholder(v), "{v}");
        }
    }
}
