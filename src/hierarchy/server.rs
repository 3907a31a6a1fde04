//! The server layout of SPEC §4: a folder that stands for the system drive, the machine.config
//! and root web.config of each runtime and bitness, applicationHost.config (or where
//! redirection.config or `/apphostconfig` puts it), and the sites, applications, virtual
//! directories and pools it declares. A PATH (site path, config path or URL) resolves to its
//! chain of levels, each with its config path and file, and a `/commit` value to one of them.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use super::error::{Error, Problem, Usage};
use super::source::config_source::find_case_insensitive;
use super::source::Source;

pub use super::level::{Level, LevelKind};

/// The .NET runtime whose machine.config and root web.config a level reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clr {
    /// v2.0.50727 (`/clr:2`, `managedRuntimeVersion="v2.0"`).
    V2,
    /// v4.0.30319 (the default).
    V4,
}

impl Clr {
    /// The folder name under `Framework` / `Framework64`.
    pub fn dir(self) -> &'static str {
        match self {
            Clr::V2 => "v2.0.50727",
            Clr::V4 => "v4.0.30319",
        }
    }

    /// Parse `/clr:` (`2`, `2.0`, `v2.0`, `4`, `v4.0`, any case).
    pub fn parse(s: &str) -> Option<Clr> {
        let t = s.trim().trim_start_matches(['v', 'V']);
        match t {
            "2" | "2.0" | "2.0.50727" => Some(Clr::V2),
            "4" | "4.0" | "4.0.30319" => Some(Clr::V4),
            _ => None,
        }
    }
}

/// A runtime and bitness: which of the four machine.config / root web.config pairs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Framework {
    /// The runtime.
    pub clr: Clr,
    /// `Framework` (32-bit) instead of `Framework64`.
    pub bits32: bool,
}

impl Framework {
    /// The folder under `Windows/Microsoft.NET` (`Framework` or `Framework64`).
    pub fn folder(self) -> &'static str {
        if self.bits32 {
            "Framework"
        } else {
            "Framework64"
        }
    }

    /// The four runtimes and bitnesses a server can have.
    pub const ALL: [Framework; 4] = [
        Framework {
            clr: Clr::V4,
            bits32: false,
        },
        Framework {
            clr: Clr::V4,
            bits32: true,
        },
        Framework {
            clr: Clr::V2,
            bits32: false,
        },
        Framework {
            clr: Clr::V2,
            bits32: true,
        },
    ];
}

/// Whether `path` is where a server keeps a root web.config (`<Framework folder>/<runtime
/// folder>/Config/web.config`, any case), as in a copy of a server's files linted alone.
pub fn is_root_web_config_file(path: &Path) -> bool {
    // Asked of every file a lint reads: the names are compared as they are, not copied.
    let mut names = path
        .components()
        .rev()
        .map(|c| c.as_os_str().as_encoded_bytes());
    let (Some(file), Some(config), Some(runtime), Some(framework)) =
        (names.next(), names.next(), names.next(), names.next())
    else {
        return false;
    };
    file.eq_ignore_ascii_case(b"web.config")
        && config.eq_ignore_ascii_case(b"config")
        && Framework::ALL.iter().any(|fw| {
            runtime.eq_ignore_ascii_case(fw.clr.dir().as_bytes())
                && framework.eq_ignore_ascii_case(fw.folder().as_bytes())
        })
}

impl Default for Framework {
    fn default() -> Self {
        Framework {
            clr: Clr::V4,
            bits32: false,
        }
    }
}

/// A server tree and the choices that select its files.
#[derive(Clone, Debug)]
pub struct Server {
    /// The folder standing for the system drive (`C:\`).
    pub root: PathBuf,
    /// Other drive letters and network shares of the server, each standing for a folder
    /// (`--drive D:=DIR`, `--drive \\server\share=DIR`).
    pub drives: Vec<(Mount, PathBuf)>,
    /// `/clr:` when given.
    pub clr: Option<Clr>,
    /// `--bitness 32` (true) or `64` (false) when given.
    pub bits32: Option<bool>,
    /// `/apphostconfig:FILE` when given.
    pub apphost_override: Option<PathBuf>,
    /// The server is the Windows machine sessctl runs on (no `--root`): a drive or share no
    /// `--drive` maps is read where Windows finds it (`D:\`, `\\server\share\`).
    pub live: bool,
    /// Paths already looked up (a server lint resolves thousands of PATHs).
    pub cache: PathCache,
}

/// A drive letter or a network share of the server, which `--drive` maps to a folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mount {
    /// A drive letter, upper case (`D:`).
    Drive(char),
    /// A network share, `\\server\share` (the names as given; compared without regard to
    /// case, as Windows compares them).
    Share(String, String),
}

impl Mount {
    /// `D:` (or `D`), or `\\server\share` (either separator), as `--drive` takes them.
    pub fn parse(s: &str) -> Option<Mount> {
        let s = s.trim();
        if let Some(rest) = s.strip_prefix("\\\\").or_else(|| s.strip_prefix("//")) {
            let mut parts = rest.split(['\\', '/']);
            let (server, share) = (parts.next()?, parts.next()?);
            let bad = |n: &str| n.is_empty() || n.contains(['%', '?', '*', ':', '=']);
            if bad(server) || bad(share) || parts.any(|p| !p.is_empty()) {
                return None;
            }
            return Some(Mount::Share(server.to_string(), share.to_string()));
        }
        let mut chars = s.trim_end_matches(':').chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_ascii_alphabetic() => {
                Some(Mount::Drive(c.to_ascii_uppercase()))
            }
            _ => None,
        }
    }

    /// A mapping as `--drive` (and the DSC resource's `drives`) takes it: `X:=DIR` or
    /// `\\server\share=DIR` (a share name never holds `=`, a folder may).
    pub fn mapping(s: &str) -> Option<(Mount, PathBuf)> {
        let (mount, dir) = s.split_once('=')?;
        // No folder is no mapping (an empty path would be read as the current folder).
        (!dir.is_empty()).then_some(())?;
        Some((Mount::parse(mount)?, PathBuf::from(dir)))
    }

    fn is_share(&self, server: &str, share: &str) -> bool {
        matches!(self, Mount::Share(a, b) if a.eq_ignore_ascii_case(server) && b.eq_ignore_ascii_case(share))
    }
}

impl std::fmt::Display for Mount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mount::Drive(c) => write!(f, "{c}:"),
            Mount::Share(server, share) => write!(f, "\\\\{server}\\{share}"),
        }
    }
}

/// A runtime and bitness, and its Config folder, machine.config and root web.config.
type FrameworkPaths = (Framework, [PathBuf; 3]);

/// Memoised look-ups of the server's paths: each is a few case-insensitive directory probes.
#[derive(Clone, Debug, Default)]
pub struct PathCache {
    windows: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, PathBuf>>>,
    /// Per runtime and bitness: the Config folder, machine.config and the root web.config.
    frameworks: std::sync::Arc<std::sync::Mutex<Vec<FrameworkPaths>>>,
}

impl Server {
    /// `Windows/Microsoft.NET/Framework[64]/vX/Config` under the root, matched case-insensitively.
    pub fn config_dir(&self, fw: Framework) -> PathBuf {
        self.framework_paths(fw, 0)
    }

    /// The Config folder (0), machine.config (1) or the root web.config (2) of a runtime and
    /// bitness, found once per run (every file of `lint --root` names them).
    fn framework_paths(&self, fw: Framework, which: usize) -> PathBuf {
        if let Ok(cache) = self.cache.frameworks.lock() {
            if let Some((_, p)) = cache.iter().find(|(f, _)| *f == fw) {
                return p[which].clone();
            }
        }
        let dir = self.config_dir_uncached(fw);
        let paths = [
            dir.clone(),
            find_case_insensitive(&dir, Path::new("machine.config")),
            find_case_insensitive(&dir, Path::new("web.config")),
        ];
        let p = paths[which].clone();
        if let Ok(mut cache) = self.cache.frameworks.lock() {
            cache.push((fw, paths));
        }
        p
    }

    fn config_dir_uncached(&self, fw: Framework) -> PathBuf {
        let rel = format!(
            "Windows/Microsoft.NET/{}/{}/Config",
            fw.folder(),
            fw.clr.dir()
        );
        find_case_insensitive(&self.root, Path::new(&rel))
    }

    /// machine.config of a runtime and bitness.
    pub fn machine_config(&self, fw: Framework) -> PathBuf {
        self.framework_paths(fw, 1)
    }

    /// The root web.config of a runtime and bitness.
    pub fn root_web_config(&self, fw: Framework) -> PathBuf {
        self.framework_paths(fw, 2)
    }

    /// `Windows/System32/inetsrv/config` under the root.
    pub fn inetsrv_config(&self) -> PathBuf {
        find_case_insensitive(&self.root, Path::new("Windows/System32/inetsrv/config"))
    }

    /// applicationHost.config: `/apphostconfig`, else where redirection.config points when it
    /// enables redirection, else `inetsrv/config`.
    pub fn apphost_path(&self) -> Result<PathBuf, Error> {
        if let Some(p) = &self.apphost_override {
            return Ok(p.clone());
        }
        let dir = self.inetsrv_config();
        let redirection = find_case_insensitive(&dir, Path::new("redirection.config"));
        if redirection.is_file() {
            let src = Source::load(&redirection)?;
            let doc = &src.doc;
            let found = doc
                .children_named(doc.root(), "configurationRedirection")
                .next();
            if let Some(r) = found {
                let enabled = doc
                    .attr_value(r, "enabled")
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
                if let (true, Some(path)) = (enabled, doc.attr_value(r, "path")) {
                    let folder = self.windows_path(&path).map_err(|e| match e {
                        Error::Usage(u) => Error::Invalid {
                            file: redirection.clone(),
                            at: doc.attr(r, "path").map(|a| doc.line_col(a.value.start)),
                            problem: Box::new(Problem::Redirection(u)),
                        },
                        other => other,
                    })?;
                    return Ok(find_case_insensitive(
                        &folder,
                        Path::new("applicationHost.config"),
                    ));
                }
            }
        }
        Ok(find_case_insensitive(
            &dir,
            Path::new("applicationHost.config"),
        ))
    }

    /// A Windows path of the server (`%SystemDrive%\inetpub\wwwroot`, `D:\sites\a`) as a path
    /// under the root or a mapped drive.
    pub fn windows_path(&self, p: &str) -> Result<PathBuf, Error> {
        if let Some(found) = self
            .cache
            .windows
            .lock()
            .ok()
            .and_then(|c| c.get(p).cloned())
        {
            return Ok(found);
        }
        let found = self.windows_path_uncached(p)?;
        if let Ok(mut c) = self.cache.windows.lock() {
            c.insert(p.to_string(), found.clone());
        }
        Ok(found)
    }

    fn windows_path_uncached(&self, p: &str) -> Result<PathBuf, Error> {
        let (base, rest) = self.windows_parts(p)?;
        Ok(find_case_insensitive(&base, Path::new(&rest)))
    }

    /// `windows_path` as spelled, without probing the disk for each component's case (for
    /// callers that match the result case-insensitively against files they walked).
    pub fn windows_path_spelled(&self, p: &str) -> Result<PathBuf, Error> {
        let (base, rest) = self.windows_parts(p)?;
        let mut out = PathBuf::with_capacity(base.as_os_str().len() + rest.len() + 1);
        out.push(&base);
        if !rest.is_empty() {
            out.push(rest);
        }
        Ok(out)
    }

    /// The letter of the drive the root stands for: C in a server tree (its `C:` and
    /// `%SystemDrive%` are the root), the machine's own `%SystemDrive%` on a live one.
    fn system_drive(&self) -> char {
        if self.live {
            live_system_drive()
        } else {
            'C'
        }
    }

    /// The folder standing for a Windows path's drive, and the rest of the path (`/`-separated).
    pub(crate) fn windows_parts(&self, p: &str) -> Result<(Cow<'_, Path>, String), Error> {
        self.windows_parts_on(p, self.system_drive())
    }

    /// [`windows_parts`](Self::windows_parts) on a machine whose system drive is `system`.
    fn windows_parts_on(&self, p: &str, system: char) -> Result<(Cow<'_, Path>, String), Error> {
        let mut expanded = expand_env(p.trim(), system);
        // A Win32 device path to a drive (`\\?\D:\sites\shop`, `\\.\D:\...`) names the same
        // folder as `D:\sites\shop`, and `\\?\UNC\server\share\...` as `\\server\share\...`.
        if is_drive_device_path(&expanded) {
            expanded.drain(..4);
        } else if is_unc_device_path(&expanded) {
            expanded.replace_range(..8, "\\\\");
        }
        if expanded.starts_with("\\\\") || expanded.starts_with("//") {
            return self.share_parts(p, &expanded);
        }
        let b = expanded.as_bytes();
        if b.len() < 2 || b[1] != b':' || !b[0].is_ascii_alphabetic() {
            if let Some(var) = unexpanded_variable(&expanded) {
                return Err(Error::Usage(Usage::UnknownVariable(
                    p.to_string(),
                    var.to_string(),
                )));
            }
            return Err(Error::Usage(Usage::NotAbsolute(p.to_string())));
        }
        let letter = (b[0] as char).to_ascii_uppercase();
        let mapped = self.drives.iter().find(|(m, _)| *m == Mount::Drive(letter));
        let base = match mapped {
            _ if letter == system => Cow::Borrowed(self.root.as_path()),
            Some((_, d)) => Cow::Borrowed(d.as_path()),
            None if self.live => Cow::Owned(PathBuf::from(format!("{letter}:\\"))),
            None => return Err(Error::Usage(Usage::DriveNotMapped(p.to_string(), letter))),
        };
        // The rest with `/` for `\`, leading separators dropped, in the expanded string's own
        // memory (both are ASCII, so the text stays UTF-8).
        let mut rest = expanded.into_bytes();
        for c in &mut rest {
            if *c == b'\\' {
                *c = b'/';
            }
        }
        let start = 2 + rest[2..].iter().take_while(|&&c| c == b'/').count();
        rest.drain(..start);
        let rest =
            String::from_utf8(rest).map_err(|_| Error::Usage(Usage::NotAbsolute(p.to_string())))?;
        Ok((base, resolve_dots(rest)))
    }

    /// [`windows_parts`](Self::windows_parts) of a network path (`\\server\share\rest`): the
    /// folder `--drive` maps its share to.
    fn share_parts(&self, p: &str, unc: &str) -> Result<(Cow<'_, Path>, String), Error> {
        let mut parts = unc[2..].splitn(3, ['\\', '/']);
        let (server, share) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        if server.is_empty() || share.is_empty() {
            return Err(Error::Usage(Usage::NetworkPath(p.to_string(), None)));
        }
        let mount = Mount::Share(server.to_string(), share.to_string());
        let base = match self.drives.iter().find(|(m, _)| m.is_share(server, share)) {
            Some((_, d)) => Cow::Borrowed(d.as_path()),
            None if self.live => Cow::Owned(PathBuf::from(format!("{mount}\\"))),
            None => {
                let share = Some(mount.to_string());
                return Err(Error::Usage(Usage::NetworkPath(p.to_string(), share)));
            }
        };
        let rest = parts.next().unwrap_or("").replace('\\', "/");
        let rest = rest.trim_start_matches('/').to_string();
        Ok((base, resolve_dots(rest)))
    }

    pub(crate) fn explicit_or(&self, pool: Framework) -> Framework {
        Framework {
            clr: self.clr.unwrap_or(pool.clr),
            bits32: self.bits32.unwrap_or(pool.bits32),
        }
    }

    /// The runtime and bitness whose framework files a PATH reads: `--clr` and `--bitness`
    /// when given, else its pool's (`None`: outside any application).
    pub fn framework_for(&self, pool: Option<Framework>) -> Framework {
        self.explicit_or(pool.unwrap_or_default())
    }
}

/// A drive-relative Windows path (`/`-separated, no leading separator) with its `.` and `..`
/// segments and repeated separators resolved as Windows resolves them, by the text alone
/// (`GetFullPathName`: `%SystemRoot%\..\inetpub\site` is `C:\inetpub\site`, and a `..`
/// at the drive's root stays there), and the periods and spaces that end its last segment
/// removed when it does not end with a separator (`C:\inetpub\site.` is `C:\inetpub\site`).
/// A path without any of them is returned as it is.
fn resolve_dots(rest: String) -> String {
    let odd = |seg: &str| seg.is_empty() || seg == "." || seg == "..";
    let segments = rest.trim_end_matches('/');
    let trim_last = !rest.ends_with('/')
        && rest
            .rsplit('/')
            .next()
            .is_some_and(|last| !odd(last) && last.ends_with(['.', ' ']));
    if !trim_last && !segments.split('/').any(odd) {
        return rest;
    }
    let mut out: Vec<&str> = Vec::new();
    for seg in segments.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    if trim_last {
        match out.pop().map(|last| last.trim_end_matches(['.', ' '])) {
            Some(last) if !last.is_empty() => out.push(last),
            _ => {}
        }
    }
    out.join("/")
}

/// The machine-wide environment variables a physical path may use, with their values on
/// Windows Server, and which of them are expanded. `%ProgramFiles%` and `%CommonProgramFiles%`
/// are not: their value depends on the bitness of the worker process that reads the path
/// (`Program Files (x86)` in a 32-bit one).
const VARIABLES: [(&str, Option<&str>); 12] = [
    ("SystemDrive", Some("C:")),
    ("SystemRoot", Some("C:\\Windows")),
    ("windir", Some("C:\\Windows")),
    ("ProgramData", Some("C:\\ProgramData")),
    ("ALLUSERSPROFILE", Some("C:\\ProgramData")),
    ("PUBLIC", Some("C:\\Users\\Public")),
    ("ProgramFiles(x86)", Some("C:\\Program Files (x86)")),
    ("ProgramW6432", Some("C:\\Program Files")),
    (
        "CommonProgramFiles(x86)",
        Some("C:\\Program Files (x86)\\Common Files"),
    ),
    (
        "CommonProgramW6432",
        Some("C:\\Program Files\\Common Files"),
    ),
    ("ProgramFiles", None),
    ("CommonProgramFiles", None),
];

/// The letter of a live Windows machine's system drive, from `%SystemDrive%` (C when it is
/// not set or not a drive).
pub fn live_system_drive() -> char {
    static DRIVE: std::sync::OnceLock<char> = std::sync::OnceLock::new();
    *DRIVE.get_or_init(|| system_drive_of(std::env::var("SystemDrive").ok().as_deref()))
}

/// The drive letter `%SystemDrive%` names (`D:`), C when it names none.
fn system_drive_of(value: Option<&str>) -> char {
    match value.map(|v| v.trim().as_bytes()) {
        Some([l, b':', ..]) if l.is_ascii_alphabetic() => l.to_ascii_uppercase() as char,
        _ => 'C',
    }
}

/// The folder a live Windows machine's system drive is (`C:\`): the root when no `--root`.
pub fn live_root() -> PathBuf {
    PathBuf::from(format!("{}:\\", live_system_drive()))
}

/// Expand the machine-wide environment variables of `VARIABLES` (any case) that have one value
/// on every Windows Server installed on the drive `system`; any other `%name%` is left as
/// written.
fn expand_env(p: &str, system: char) -> String {
    let mut out = String::with_capacity(p.len());
    let mut rest = p;
    while let Some(i) = memchr::memchr(b'%', rest.as_bytes()) {
        let Some(j) = memchr::memchr(b'%', &rest.as_bytes()[i + 1..]) else {
            break;
        };
        let name = &rest[i + 1..i + 1 + j];
        out.push_str(&rest[..i]);
        match VARIABLES.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            // Every value lies on the system drive: "C:..." with its letter.
            Some((_, Some(value))) => {
                out.push(system);
                out.push_str(&value[1..]);
            }
            _ => out.push_str(&rest[i..i + j + 2]),
        }
        rest = &rest[i + j + 2..];
    }
    out.push_str(rest);
    out
}

/// Whether `b` begins as a Win32 device path does (`\\?\` or `\\.\`, either separator).
fn is_device_prefix(b: &[u8]) -> bool {
    let sep = |c: u8| c == b'\\' || c == b'/';
    b.len() >= 4 && sep(b[0]) && sep(b[1]) && matches!(b[2], b'?' | b'.') && sep(b[3])
}

/// Whether `p` is a Win32 device path to a drive (`\\?\D:\...`, `\\.\D:\...`, either separator),
/// whose four-byte prefix can be dropped (`\\?\UNC\...` is not).
fn is_drive_device_path(p: &str) -> bool {
    let b = p.as_bytes();
    is_device_prefix(b) && b.len() >= 6 && b[4].is_ascii_alphabetic() && b[5] == b':'
}

/// Whether `p` is a Win32 device path to a network share (`\\?\UNC\server\share\...`, either
/// separator, any case), whose eight-byte prefix stands for `\\`.
fn is_unc_device_path(p: &str) -> bool {
    let b = p.as_bytes();
    is_device_prefix(b)
        && b.len() >= 8
        && b[4..7].eq_ignore_ascii_case(b"UNC")
        && matches!(b[7], b'\\' | b'/')
}

/// The first `%name%` left in an expanded path, for the error that says why it cannot be read.
fn unexpanded_variable(expanded: &str) -> Option<&str> {
    let i = expanded.find('%')?;
    let j = expanded[i + 1..].find('%')?;
    Some(&expanded[i..i + j + 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each (Windows path, folder of its drive, rest) as `server` splits it on a machine whose
    /// system drive is `system`.
    fn assert_parts(server: &Server, system: char, cases: &[(&str, &str, &str)]) {
        for (p, base, rest) in cases {
            let (b, r) = server.windows_parts_on(p, system).unwrap();
            assert_eq!(
                (b.into_owned(), r),
                (PathBuf::from(base), rest.to_string()),
                "{p}"
            );
        }
    }

    /// A server at `root` with `drives` mapped, live (the Windows machine itself) or a tree.
    fn server(root: impl Into<PathBuf>, drives: Vec<(Mount, PathBuf)>, live: bool) -> Server {
        Server {
            root: root.into(),
            drives,
            clr: None,
            bits32: None,
            apphost_override: None,
            live,
            cache: PathCache::default(),
        }
    }
    use crate::doc::Document;
    use crate::hierarchy::path::ConfigPath;
    use crate::hierarchy::resolve::SiteResolver;
    use crate::hierarchy::topology::Topology;

    #[test]
    fn a_device_path_to_a_drive_names_the_drive_and_a_unc_one_stays_a_network_path() {
        assert!(is_drive_device_path(r"\\?\D:\sites\shop"));
        assert!(is_drive_device_path(r"\\.\c:\inetpub"));
        assert!(is_drive_device_path("//?/D:/sites"));
        assert!(!is_drive_device_path(r"\\?\UNC\fs01\sites"));
        assert!(!is_drive_device_path(r"\\fs01\sites"));
        assert!(!is_drive_device_path(r"\\?\"));
        assert!(!is_drive_device_path(r"D:\sites"));
    }

    #[test]
    fn a_mount_is_a_drive_letter_or_a_share_as_drive_takes_them() {
        assert_eq!(Mount::parse("d:"), Some(Mount::Drive('D')));
        assert_eq!(Mount::parse(" E "), Some(Mount::Drive('E')));
        let share = Mount::Share("fs01".into(), "Content$".into());
        assert_eq!(Mount::parse(r"\\fs01\Content$"), Some(share.clone()));
        assert_eq!(Mount::parse("//fs01/Content$/"), Some(share.clone()));
        assert_eq!(share.to_string(), r"\\fs01\Content$");
        for bad in [
            "",
            "DD:",
            "1:",
            r"\\fs01",
            r"\\fs01\",
            r"\\fs01\a\b",
            r"\\%X%\a",
        ] {
            assert_eq!(Mount::parse(bad), None, "{bad}");
        }
        assert!(is_unc_device_path(r"\\?\UNC\fs01\content"));
        assert!(is_unc_device_path("//./unc/fs01/content"));
        assert!(!is_unc_device_path(r"\\?\D:\sites"));
    }

    /// A network path reads from the folder `--drive` maps its share to, its share compared
    /// without regard to case, however the path is spelled; an unmapped share names itself.
    #[test]
    fn a_network_path_is_read_where_its_share_is_mapped() {
        let server = server(
            PathBuf::from("/srv"),
            vec![(
                Mount::Share("FS01".into(), "content".into()),
                PathBuf::from("/nas"),
            )],
            false,
        );
        let spelled = |p: &str| server.windows_path_spelled(p).map_err(|e| e.to_string());
        for p in [
            r"\\fs01\Content\shop\",
            "//FS01/content/shop",
            r"\\?\UNC\fs01\content\shop",
            r"\\fs01\content\a\..\shop\.",
        ] {
            assert_eq!(spelled(p), Ok(PathBuf::from("/nas/shop")), "{p}");
        }
        assert_eq!(spelled(r"\\fs01\content"), Ok(PathBuf::from("/nas")));
        assert_eq!(
            spelled(r"\\fs02\content\shop"),
            Err(r#""\\fs02\content\shop" is on the network share \\fs02\content, which is not mapped: give --drive \\fs02\content=DIR"#.to_string())
        );
        assert!(spelled(r"\\fs01").is_err());
    }

    /// On a Windows machine whose system drive is D:, the root (D:\\) stands for D: and
    /// `%SystemDrive%`, `%windir%` and the like; `C:\\...` is C: itself.
    #[test]
    fn the_live_server_on_another_system_drive_reads_c_as_c() {
        let server = server(PathBuf::from("D:\\"), Vec::new(), true);
        assert_parts(
            &server,
            'D',
            &[
                (r"C:\inetpub\wwwroot", "C:\\", "inetpub/wwwroot"),
                (r"%SystemDrive%\inetpub\wwwroot", "D:\\", "inetpub/wwwroot"),
                (r"%windir%\Temp", "D:\\", "Windows/Temp"),
                (r"d:\sites", "D:\\", "sites"),
            ],
        );
        assert_eq!(system_drive_of(Some("D:")), 'D');
        assert_eq!(system_drive_of(Some("e:")), 'E');
        assert_eq!(system_drive_of(Some("")), 'C');
        assert_eq!(system_drive_of(None), 'C');
    }

    /// On the Windows machine itself (no `--root`), a drive or share no `--drive` maps is read
    /// where Windows finds it; a mapping given still wins.
    #[test]
    fn the_live_server_reads_its_own_drives_and_shares() {
        let server = server(
            PathBuf::from("C:\\"),
            vec![(Mount::Drive('E'), PathBuf::from("/copy-of-e"))],
            true,
        );
        assert_parts(
            &server,
            server.system_drive(),
            &[
                (r"d:\sites\intranet", "D:\\", "sites/intranet"),
                (r"E:\shop", "/copy-of-e", "shop"),
                (r"\\?\UNC\fs01\content\shop", r"\\fs01\content\", "shop"),
                (r"%SystemDrive%\inetpub", "C:\\", "inetpub"),
            ],
        );
        let tree = Server {
            live: false,
            ..server.clone()
        };
        assert!(tree.windows_parts(r"D:\sites").is_err());
        assert!(tree.windows_parts(r"\\fs01\content\shop").is_err());
    }

    /// `.` and `..` in a physical path are resolved by the text, as Windows resolves them,
    /// so a folder has one spelling however its path was written.
    #[test]
    fn dots_in_a_physical_path_are_resolved_as_windows_resolves_them() {
        let server = server(
            PathBuf::from("/srv"),
            vec![(Mount::Drive('D'), PathBuf::from("/d"))],
            false,
        );
        let spelled = |p: &str| server.windows_path_spelled(p).unwrap();
        assert_eq!(
            spelled(r"%SystemRoot%\..\inetpub\site\"),
            Path::new("/srv/inetpub/site")
        );
        assert_eq!(spelled(r"C:\..\..\inetpub"), Path::new("/srv/inetpub"));
        assert_eq!(spelled(r"D:\sites\.\a\\b\c\.."), Path::new("/d/sites/a/b"));
        assert_eq!(spelled(r"C:\inetpub\.."), Path::new("/srv"));
        assert_eq!(
            spelled(r"c:/inetpub/wwwroot/"),
            Path::new("/srv/inetpub/wwwroot/")
        );
        assert_eq!(spelled(r"C:\in..pub\a..b"), Path::new("/srv/in..pub/a..b"));
        // The last segment's trailing periods and spaces go, unless a separator follows.
        assert_eq!(
            spelled(r"C:\inetpub\site. ."),
            Path::new("/srv/inetpub/site")
        );
        assert_eq!(spelled(r"C:\inetpub\..\site..."), Path::new("/srv/site"));
        assert_eq!(spelled(r"C:\inetpub\..."), Path::new("/srv/inetpub"));
        assert_eq!(
            spelled(r"C:\inetpub\site.\"),
            Path::new("/srv/inetpub/site./")
        );
        assert_eq!(
            spelled(r"C:\inetpub\site.x"),
            Path::new("/srv/inetpub/site.x")
        );
    }

    /// A site's resolver gives, URL after URL in walk order, the levels, pool, framework and
    /// locations `resolve_known` gives for each PATH on its own.
    #[test]
    fn a_site_resolver_agrees_with_resolve_known() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/server");
        let server = server(
            root.clone(),
            vec![(Mount::Drive('D'), root.join("inetpub"))],
            false,
        );
        let apphost = server.apphost_path().unwrap();
        let doc = Document::parse(std::fs::read(&apphost).unwrap()).unwrap();
        let topo = Topology::read(&doc);
        let urls: [&[&str]; 7] = [
            &[],
            &["app1"],
            &["app1", "reports"],
            &["shop"],
            &["shop", "api"],
            &["app1"],
            &["legacy"],
        ];
        let mut compared = 0;
        for site in &topo.sites {
            let mut resolver = SiteResolver::new(&server, &topo, site);
            for url in urls {
                let url: Vec<String> = url.iter().map(|s| s.to_string()).collect();
                let mut path = vec![site.name.clone()];
                path.extend(url.iter().cloned());
                let whole = server.resolve_known(
                    Some(&ConfigPath::under_apphost(&path).to_string()),
                    &topo,
                    &apphost,
                );
                let placed = resolver.place(&url);
                let (Ok(whole), Ok(placed)) = (whole, placed) else {
                    assert!(
                        server
                            .resolve_known(
                                Some(&ConfigPath::under_apphost(&path).to_string()),
                                &topo,
                                &apphost
                            )
                            .is_err()
                            && resolver.place(&url).is_err(),
                        "{path:?}"
                    );
                    continue;
                };
                let site_levels: Vec<(LevelKind, PathBuf)> = whole.levels[3..]
                    .iter()
                    .map(|l| (l.kind, l.file.clone()))
                    .collect();
                assert_eq!(placed.levels, &site_levels[..], "{path:?}");
                assert_eq!(
                    placed.app.map(|a| a.pool.name.clone()),
                    whole.pool.as_ref().map(|p| p.name.clone())
                );
                assert_eq!(placed.framework, whole.framework, "{path:?}");
                assert_eq!(
                    server.machine_config(placed.framework),
                    whole.levels[0].file
                );
                assert_eq!(
                    resolver.location_in_server_files(&url),
                    whole.location_from(2),
                    "{path:?}"
                );
                for k in 0..url.len() {
                    assert_eq!(
                        SiteResolver::location_from_level(&url, k),
                        whole.location_from(3 + k),
                        "{path:?} level {k}"
                    );
                }
                compared += 1;
            }
        }
        // Three sites, seven URLs each; the v2.0 32-bit pool (/legacy) among them.
        assert_eq!(compared, 21);
    }

    #[test]
    fn root_web_configs_are_known_by_their_place() {
        for yes in [
            "srv/Windows/Microsoft.NET/Framework64/v4.0.30319/Config/web.config",
            "FRAMEWORK/V2.0.50727/CONFIG/Web.Config",
        ] {
            assert!(is_root_web_config_file(Path::new(yes)), "{yes}");
        }
        for no in [
            "inetpub/wwwroot/web.config",
            "Framework64/v4.0.30319/Config/machine.config",
            "Framework64/v4.5/Config/web.config",
            "Config/web.config",
        ] {
            assert!(!is_root_web_config_file(Path::new(no)), "{no}");
        }
    }

    #[test]
    fn environment_variables_expand_to_the_system_drive() {
        assert_eq!(expand_env("%SystemDrive%\\inetpub", 'C'), "C:\\inetpub");
        assert_eq!(expand_env("%WINDIR%\\x", 'C'), "C:\\Windows\\x");
        assert_eq!(expand_env("%other%\\x", 'C'), "%other%\\x");
        assert_eq!(
            expand_env("%programdata%\\a;%ProgramFiles(x86)%\\b;%PUBLIC%", 'C'),
            "C:\\ProgramData\\a;C:\\Program Files (x86)\\b;C:\\Users\\Public"
        );
        // Its value depends on the worker process's bitness: left as written.
        assert_eq!(expand_env("%ProgramFiles%\\x", 'C'), "%ProgramFiles%\\x");
        assert_eq!(
            unexpanded_variable("%ProgramFiles%\\x"),
            Some("%ProgramFiles%")
        );
        assert_eq!(unexpanded_variable("C:\\x"), None);
    }

    #[test]
    fn clr_values_parse() {
        assert_eq!(Clr::parse("2"), Some(Clr::V2));
        assert_eq!(Clr::parse("v4.0"), Some(Clr::V4));
        assert_eq!(Clr::parse("3"), None);
    }
}
