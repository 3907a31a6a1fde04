//! The exit codes (SPEC §5): appcmd's Win32 error numbers for the config verbs, and the linter
//! convention for `lint`. Only `cli` decides them; every other layer returns typed errors.

/// How sessctl exits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Exit {
    /// Success (also a `set` that changed nothing, a clean lint).
    #[default]
    Success = 0,
    /// appcmd's `/?` help; lint found problems at or above the failing severity; an I/O error
    /// of no other kind.
    Failed = 1,
    /// A file or folder that must exist does not; lint could not run.
    Missing = 2,
    /// Permission denied.
    Denied = 5,
    /// A file is malformed, encrypted or already refused by ASP.NET or IIS, or the result would
    /// break a runtime rule.
    Invalid = 13,
    /// The section or attribute is locked at a parent level.
    Locked = 33,
    /// A bad command line: unknown verb, object, section or attribute; an invalid value.
    Usage = 87,
    /// `/+providers.[…]` names a provider that already exists.
    Exists = 183,
    /// The site, application or backup named does not exist.
    NoSuchObject = 1168,
    /// `/-providers.[…]` names a provider that is not there.
    NoSuchElement = 4312,
}

impl Exit {
    /// Every exit code, in SPEC order.
    pub const ALL: [Exit; 10] = [
        Exit::Success,
        Exit::Failed,
        Exit::Missing,
        Exit::Denied,
        Exit::Invalid,
        Exit::Locked,
        Exit::Usage,
        Exit::Exists,
        Exit::NoSuchObject,
        Exit::NoSuchElement,
    ];

    /// What the code means, in a sentence (DSC's manifest lists them).
    pub fn meaning(self) -> &'static str {
        match self {
            Exit::Success => "Success",
            Exit::Failed => "Failure",
            Exit::Missing => "A file or folder that must exist does not",
            Exit::Denied => "Permission denied",
            Exit::Invalid => {
                "A file is malformed, encrypted or already refused by ASP.NET or IIS, or the result would break an ASP.NET runtime rule"
            }
            Exit::Locked => "The section or attribute is locked at a parent level",
            Exit::Usage => "Invalid input: unknown property, invalid value",
            Exit::Exists => "A provider of that name already exists",
            Exit::NoSuchObject => "The site, application or backup named does not exist",
            Exit::NoSuchElement => "The provider named is not there",
        }
    }

    /// The number (Unix keeps its low 8 bits; the `--json` error document carries it whole).
    pub fn code(self) -> i32 {
        self as i32
    }
}

impl From<Exit> for i32 {
    fn from(e: Exit) -> i32 {
        e.code()
    }
}
