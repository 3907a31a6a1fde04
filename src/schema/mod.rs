//! The session-state schema: one table of sections and attributes (name, type, default, unit,
//! range, enum spellings, documentation), read by validation, `list config /config:*`, `/?` help,
//! completions and JSON output alike. Also value parsing ([`value`]) and the runtime rules that
//! ASP.NET enforces ([`rules`]).

pub mod collection;
pub mod connstr;
pub mod rules;
pub use collection::same_key;
pub mod value;

/// A unit for timeSpan attributes, which the file writes as an integer in that unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeUnit {
    /// Whole minutes.
    Minutes,
    /// Whole seconds.
    Seconds,
}

impl TimeUnit {
    /// Seconds in one unit.
    pub fn seconds(self) -> u64 {
        match self {
            TimeUnit::Minutes => 60,
            TimeUnit::Seconds => 1,
        }
    }

    /// The unit's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            TimeUnit::Minutes => "minutes",
            TimeUnit::Seconds => "seconds",
        }
    }
}

/// One value of an enum attribute.
#[derive(Debug)]
pub struct EnumValue {
    /// The spelling ASP.NET reads.
    pub name: &'static str,
    /// The numeric value in the schema (.NET's enums are `int`: `Unspecified` is -1).
    pub number: i32,
    /// Other spellings ASP.NET accepts that mean this value (`true` for UseUri).
    pub aliases: &'static [&'static str],
}

/// The type of an attribute, with its constraints.
#[derive(Debug)]
pub enum ValueType {
    /// `true` or `false`.
    Bool,
    /// One of a fixed set of case-sensitive names.
    Enum(&'static [EnumValue]),
    /// An integer in `unit` within `min..=max`, or `Infinite`.
    TimeSpan {
        /// The unit the file uses.
        unit: TimeUnit,
        /// Smallest allowed value.
        min: i64,
        /// Largest allowed value.
        max: i64,
    },
    /// A decimal integer within `min..=max`.
    Int {
        /// Smallest allowed value.
        min: i64,
        /// Largest allowed value.
        max: i64,
    },
    /// Free text.
    String,
}

impl ValueType {
    /// A short type name for help and JSON.
    pub fn name(&self) -> &'static str {
        match self {
            ValueType::Bool => "bool",
            ValueType::Enum(_) => "enum",
            ValueType::TimeSpan {
                unit: TimeUnit::Minutes,
                ..
            } => "timeSpan (minutes)",
            ValueType::TimeSpan {
                unit: TimeUnit::Seconds,
                ..
            } => "timeSpan (seconds)",
            ValueType::Int { .. } => "int",
            ValueType::String => "string",
        }
    }
}

/// One attribute of a section.
#[derive(Debug)]
pub struct AttributeDef {
    /// The case-sensitive attribute name.
    pub name: &'static str,
    /// Its type and constraints.
    pub ty: ValueType,
    /// The default, spelled as the file would spell it.
    pub default: &'static str,
    /// One line of documentation.
    pub doc: &'static str,
    /// False for attributes ASP.NET knows but IIS's schema does not (cookieSameSite).
    pub in_iis_schema: bool,
    /// The modes that read it (`None`: every mode); SS201 flags it under any other.
    pub read_by: Option<&'static [&'static str]>,
    /// Whether it says where the store of the modes that read it is (the state server, the
    /// database, the custom provider): what every server of a farm must agree on.
    pub locates_store: bool,
    /// Whether ASP.NET reads it with `GenericEnumConverter`, whose `Enum.Parse` reads a
    /// comma-separated list of names as the bitwise or of their numbers (`mode`; cookieless
    /// and cookieSameSite have converters of their own that take one name).
    pub names_combine: bool,
}

/// A collection of a section (`<providers>`), keyed by `name`.
#[derive(Debug)]
pub struct CollectionDef {
    /// Element name of the collection.
    pub name: &'static str,
    /// The key attribute.
    pub key: &'static str,
    /// Attributes every `add` must have.
    pub required: &'static [&'static str],
}

/// Where a section may be defined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllowDefinition {
    /// machine.config, root web.config, applicationHost.config and application roots only.
    MachineToApplication,
    /// Any level.
    Everywhere,
}

/// A configuration section sessctl manages.
#[derive(Debug)]
pub struct SectionDef {
    /// The short name, which is also the element name.
    pub name: &'static str,
    /// The full path, `system.web/NAME`.
    pub path: &'static str,
    /// The section group element that holds it.
    pub group: &'static str,
    /// Attributes in schema order.
    pub attributes: &'static [AttributeDef],
    /// The collection, if the section has one.
    pub collection: Option<CollectionDef>,
    /// Where it may be defined.
    pub allow_definition: AllowDefinition,
}

/// Attributes every section element may carry that are not part of its schema: the
/// configuration system's own, XML namespaces, and XDT transform markers.
pub fn is_general_attribute(name: &str) -> bool {
    matches!(name, "configSource" | "configProtectionProvider")
        || LOCK_ATTRIBUTES.contains(&name)
        || is_markup_attribute(name)
}

/// The configuration system's lock attributes, which every element of a section takes (a
/// collection and its items too).
pub const LOCK_ATTRIBUTES: [&str; 5] = [
    "lockAttributes",
    "lockAllAttributesExcept",
    "lockElements",
    "lockAllElementsExcept",
    "lockItem",
];

/// An XML namespace declaration or an XDT transform marker: markup of the file, not a setting
/// (judged by no rule).
pub fn is_markup_attribute(name: &str) -> bool {
    name == "xmlns" || name.starts_with("xmlns:") || name.starts_with("xdt:")
}

impl SectionDef {
    /// The attribute called exactly `name`.
    pub fn attribute(&self, name: &str) -> Option<&'static AttributeDef> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// A close attribute name for a misspelling, if any.
    pub fn suggest(&self, name: &str) -> Option<&'static str> {
        suggest(name, self.attributes.iter().map(|a| a.name))
    }
}

/// The closest of `candidates` to `input`: a case-insensitive match, else the nearest by
/// Damerau-Levenshtein distance (a transposition such as `lsit` or `mdoe` counts as one edit),
/// within a third of the candidate's length.
pub fn suggest<'a>(
    input: &str,
    candidates: impl Iterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    if let Some(c) = candidates.clone().find(|c| c.eq_ignore_ascii_case(input)) {
        return Some(c);
    }
    let lower = input.to_ascii_lowercase();
    candidates
        .map(|c| {
            (
                strsim::damerau_levenshtein(&lower, &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|&(d, c)| d <= (c.len().max(3) / 3).max(1))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

const MODES: &[EnumValue] = &[
    EnumValue {
        name: "Off",
        number: 0,
        aliases: &[],
    },
    EnumValue {
        name: "InProc",
        number: 1,
        aliases: &[],
    },
    EnumValue {
        name: "StateServer",
        number: 2,
        aliases: &[],
    },
    EnumValue {
        name: "SQLServer",
        number: 3,
        aliases: &[],
    },
    EnumValue {
        name: "Custom",
        number: 4,
        aliases: &[],
    },
];

const COOKIELESS: &[EnumValue] = &[
    EnumValue {
        name: "UseUri",
        number: 0,
        aliases: &["true"],
    },
    EnumValue {
        name: "UseCookies",
        number: 1,
        aliases: &["false"],
    },
    EnumValue {
        name: "AutoDetect",
        number: 2,
        aliases: &[],
    },
    EnumValue {
        name: "UseDeviceProfile",
        number: 3,
        aliases: &[],
    },
];

// `Unspecified` is `(SameSiteMode)(-1)`, no SameSite attribute on the cookie, which the .NET
// Framework updates of December 2019 (KB4531182, KB4524421) read from config files. Last, as
// `Enum.GetNames` lists it (by the unsigned value).
const SAME_SITE: &[EnumValue] = &[
    EnumValue {
        name: "None",
        number: 0,
        aliases: &[],
    },
    EnumValue {
        name: "Lax",
        number: 1,
        aliases: &[],
    },
    EnumValue {
        name: "Strict",
        number: 2,
        aliases: &[],
    },
    EnumValue {
        name: "Unspecified",
        number: -1,
        aliases: &[],
    },
];

const I32_MAX: i64 = i32::MAX as i64;

/// `system.web/sessionState`.
pub static SESSION_STATE: SectionDef = SectionDef {
    name: "sessionState",
    path: "system.web/sessionState",
    group: "system.web",
    allow_definition: AllowDefinition::MachineToApplication,
    collection: Some(CollectionDef {
        name: "providers",
        key: "name",
        required: &["name", "type"],
    }),
    attributes: &[
        AttributeDef {
            name: "allowCustomSqlDatabase",
            ty: ValueType::Bool,
            default: "false",
            doc: "Lets sqlConnectionString name its own database (Database / Initial Catalog).",
            read_by: Some(&["SQLServer"]),
            locates_store: false,
            in_iis_schema: true,
            names_combine: false,
        },
        AttributeDef {
            name: "cookieless",
            ty: ValueType::Enum(COOKIELESS),
            default: "UseCookies",
            doc: "How the session ID travels: in a cookie or in the URL.",
            read_by: None,
            locates_store: false,
            in_iis_schema: true,
            names_combine: false,
        },
        AttributeDef {
            name: "cookieName",
            ty: ValueType::String,
            default: "ASP.NET_SessionId",
            doc: "Name of the session ID cookie.",
            read_by: None,
            locates_store: false,
            in_iis_schema: true,
            names_combine: false,
        },
        AttributeDef {
            name: "customProvider",
            ty: ValueType::String,
            default: "",
            doc: "With mode Custom, the name of the <providers> entry to use.",
            read_by: Some(&["Custom"]),
            locates_store: true,
            in_iis_schema: true,
            names_combine: false,
        },
        AttributeDef {
            name: "mode",
            ty: ValueType::Enum(MODES),
            default: "InProc",
            doc: "Where session data is stored.",
            read_by: None,
            locates_store: false,
            in_iis_schema: true,
            names_combine: true,
        },
        AttributeDef {
            name: "partitionResolverType",
            ty: ValueType::String,
            default: "",
            doc: "Type that spreads sessions over several state servers (StateServer, SQLServer).",
            read_by: None,
            locates_store: false,
            in_iis_schema: true,
            names_combine: false,
        },
        AttributeDef {
            name: "regenerateExpiredSessionId",
            ty: ValueType::Bool,
            default: "true",
            doc: "Issue a new session ID when a client presents an expired one.",
            read_by: None,
            locates_store: false,
            in_iis_schema: true,
            names_combine: false,
        },
        AttributeDef {
            name: "sessionIDManagerType",
            ty: ValueType::String,
            default: "",
            doc: "Type of a custom session ID manager.",
            read_by: None,
            locates_store: false,
            in_iis_schema: true,
            names_combine: false,
        },
        AttributeDef {
            name: "sqlCommandTimeout",
            ty: ValueType::TimeSpan {
                unit: TimeUnit::Seconds,
                min: 0,
                max: I32_MAX,
            },
            default: "30",
            doc: "Seconds a SQL command of the SQLServer mode may run.",
            read_by: Some(&["SQLServer"]),
            locates_store: false,
            in_iis_schema: true,
            names_combine: false,
        },
        AttributeDef {
            name: "sqlConnectionString",
            ty: ValueType::String,
            default: "data source=localhost;Integrated Security=SSPI",
            doc: "Connection string of the SQLServer mode, or a <connectionStrings> name.",
            read_by: Some(&["SQLServer"]),
            locates_store: true,
            in_iis_schema: true,
            names_combine: false,
        },
        AttributeDef {
            name: "stateConnectionString",
            ty: ValueType::String,
            default: "tcpip=loopback:42424",
            doc: "tcpip=HOST:PORT of the state server for the StateServer mode.",
            read_by: Some(&["StateServer"]),
            locates_store: true,
            in_iis_schema: true,
            names_combine: false,
        },
        AttributeDef {
            name: "stateNetworkTimeout",
            ty: ValueType::TimeSpan {
                unit: TimeUnit::Seconds,
                min: 1,
                max: I32_MAX,
            },
            default: "10",
            doc: "Seconds the network connection to the state server may be idle.",
            read_by: Some(&["StateServer"]),
            locates_store: false,
            in_iis_schema: true,
            names_combine: false,
        },
        AttributeDef {
            name: "timeout",
            ty: ValueType::TimeSpan {
                unit: TimeUnit::Minutes,
                min: 1,
                max: 35_791_394,
            },
            default: "20",
            doc: "Minutes a session may be idle before it is abandoned.",
            read_by: None,
            locates_store: false,
            in_iis_schema: true,
            names_combine: false,
        },
        AttributeDef {
            name: "useHostingIdentity",
            ty: ValueType::Bool,
            default: "true",
            doc: "Connect to the state store as the process identity rather than the caller.",
            read_by: None,
            locates_store: false,
            in_iis_schema: true,
            names_combine: false,
        },
        AttributeDef {
            name: "sqlConnectionRetryInterval",
            ty: ValueType::TimeSpan {
                unit: TimeUnit::Seconds,
                min: 0,
                max: I32_MAX,
            },
            default: "0",
            doc: "Seconds between retries of a failed SQL connection (IIS 8.0 and later).",
            read_by: Some(&["SQLServer"]),
            locates_store: false,
            in_iis_schema: true,
            names_combine: false,
        },
        AttributeDef {
            name: "compressionEnabled",
            ty: ValueType::Bool,
            default: "false",
            doc: "Compress session data stored out of process (IIS 8.0 and later).",
            read_by: Some(&["StateServer", "SQLServer", "Custom"]),
            locates_store: false,
            in_iis_schema: true,
            names_combine: false,
        },
        AttributeDef {
            name: "cookieSameSite",
            ty: ValueType::Enum(SAME_SITE),
            default: "Lax",
            doc: "SameSite mode of the session cookie (.NET 4.7.2+; not in any IIS schema).",
            read_by: None,
            locates_store: false,
            in_iis_schema: false,
            names_combine: false,
        },
    ],
};

/// `system.web/sessionPageState`.
pub static SESSION_PAGE_STATE: SectionDef = SectionDef {
    name: "sessionPageState",
    path: "system.web/sessionPageState",
    group: "system.web",
    allow_definition: AllowDefinition::Everywhere,
    collection: None,
    attributes: &[AttributeDef {
        name: "historySize",
        ty: ValueType::Int {
            min: 1,
            max: I32_MAX,
        },
        default: "9",
        doc: "How many page states SessionPageStatePersister keeps per session.",
        read_by: None,
        locates_store: false,
        in_iis_schema: true,
        names_combine: false,
    }],
};

/// Every section sessctl manages, in the order `list config` shows them.
pub static SECTIONS: [&SectionDef; 2] = [&SESSION_STATE, &SESSION_PAGE_STATE];

/// Look a section up by short or full name, case-insensitively.
pub fn find_section(name: &str) -> Option<&'static SectionDef> {
    let name = name.trim();
    SECTIONS
        .iter()
        .copied()
        .find(|s| s.name.eq_ignore_ascii_case(name) || s.path.eq_ignore_ascii_case(name))
}
