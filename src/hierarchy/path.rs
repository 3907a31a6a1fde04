//! Config paths (`MACHINE/WEBROOT/APPHOST/Site/vpath`) and location paths, with the one
//! normalisation every layer uses: segments compared case-insensitively, `""` and `"."` naming
//! a file's own level.

use std::fmt;

/// A configuration path as appcmd prints it: `MACHINE`, `MACHINE/WEBROOT`,
/// `MACHINE/WEBROOT/APPHOST`, then the site name and the virtual path's segments. Two config
/// paths are equal (and hash alike) when IIS takes them for the same: segment by segment,
/// without regard to case; each keeps the spelling it was given for display.
#[derive(Clone, Debug)]
pub struct ConfigPath {
    /// How many of `MACHINE`, `WEBROOT`, `APPHOST` it has (1 to 3); never spelled out, so a
    /// server's 20,000 config paths do not each hold three copies of them.
    fixed: u8,
    /// The site and URL segments below `APPHOST`, as written (empty above it).
    site: Vec<String>,
}

/// Which part of a file a section belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The file's own level: outside any `<location>`.
    File,
    /// Inside `<location path="...">` (the path as written, for writing).
    Location(String),
}

impl Scope {
    /// The location path as compared (the file's own level for [`Scope::File`]).
    pub fn location_path(&self) -> LocationPath {
        match self {
            Scope::File => LocationPath::file_level(),
            Scope::Location(p) => LocationPath::new(p),
        }
    }
}

/// The config path of the machine level.
pub const MACHINE: &str = "MACHINE";
/// The config path of the root web.config.
pub const WEBROOT: &str = "MACHINE/WEBROOT";
/// The config path of applicationHost.config.
pub const APPHOST: &str = "MACHINE/WEBROOT/APPHOST";

/// The fixed first segments, in order.
const FIXED: [&str; 3] = ["MACHINE", "WEBROOT", "APPHOST"];

impl ConfigPath {
    /// Parse a config path; `None` unless it starts with `MACHINE` (any case).
    pub fn parse(s: &str) -> Option<ConfigPath> {
        let segs = split(s);
        segs.first()?;
        for (seg, fixed) in segs.iter().zip(FIXED) {
            if !seg.eq_ignore_ascii_case(fixed) {
                return None;
            }
        }
        Some(ConfigPath {
            fixed: segs.len().min(3) as u8,
            site: segs.iter().skip(3).map(|s| s.to_string()).collect(),
        })
    }

    /// The first `depth` levels: `MACHINE` (1), `MACHINE/WEBROOT` (2) or
    /// `MACHINE/WEBROOT/APPHOST` (3), without parsing.
    pub fn server_level(depth: usize) -> ConfigPath {
        ConfigPath {
            fixed: depth.clamp(1, 3) as u8,
            site: Vec::new(),
        }
    }

    /// `MACHINE/WEBROOT/APPHOST/` followed by a site path (`Site/vpath`).
    pub fn under_apphost(site_path: &[String]) -> ConfigPath {
        ConfigPath {
            fixed: 3,
            site: site_path.to_vec(),
        }
    }

    /// The segments below `MACHINE/WEBROOT/APPHOST` (site name first); empty above it.
    pub fn site_path(&self) -> &[String] {
        &self.site
    }

    /// How many segments: 1 for MACHINE, 2 for WEBROOT, 3 for APPHOST, 4 for a site root.
    pub fn depth(&self) -> usize {
        self.fixed as usize + self.site.len()
    }

    /// Every segment, the fixed ones first.
    fn segments(&self) -> impl Iterator<Item = &str> {
        FIXED[..self.fixed as usize]
            .iter()
            .copied()
            .chain(self.site.iter().map(String::as_str))
    }

    /// Whether `self` is `other` or an ancestor of it.
    pub fn is_ancestor_of(&self, other: &ConfigPath) -> bool {
        self.depth() <= other.depth()
            && self.fixed <= other.fixed
            && self
                .site
                .iter()
                .zip(&other.site)
                .all(|(a, b)| same_segment(a, b))
    }

    /// The segments of `other` below `self` joined with `/` (the location path that names
    /// `other` from a file at `self`), or `None` when `self` is not an ancestor.
    pub fn relative(&self, other: &ConfigPath) -> Option<String> {
        self.is_ancestor_of(other).then(|| {
            other
                .segments()
                .skip(self.depth())
                .collect::<Vec<_>>()
                .join("/")
        })
    }
}

/// Whether two segments name the same thing to IIS: equal without regard to case.
fn same_segment(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
        || (!(a.is_ascii() && b.is_ascii()) && a.to_lowercase() == b.to_lowercase())
}

impl PartialEq for ConfigPath {
    fn eq(&self, other: &ConfigPath) -> bool {
        self.fixed == other.fixed
            && self.site.len() == other.site.len()
            && self
                .site
                .iter()
                .zip(&other.site)
                .all(|(a, b)| same_segment(a, b))
    }
}

impl Eq for ConfigPath {}

impl std::hash::Hash for ConfigPath {
    /// The lower-case bytes of each segment, so that equal paths hash alike.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.fixed.hash(state);
        for seg in &self.site {
            if seg.is_ascii() {
                for b in seg.bytes() {
                    state.write_u8(b.to_ascii_lowercase());
                }
            } else {
                state.write(seg.to_lowercase().as_bytes());
            }
            state.write_u8(0xFF);
        }
    }
}

/// Where a write goes: a `/commit:` keyword (any case) or a config path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Commit {
    /// The PATH's own level (the default).
    Url,
    /// The site's root level.
    Site,
    /// The application's root level.
    App,
    /// The level above the PATH's.
    Parent,
    /// applicationHost.config.
    AppHost,
    /// The root web.config.
    WebRoot,
    /// machine.config.
    Machine,
    /// A level named by its config path.
    Path(ConfigPath),
}

impl Commit {
    /// The keywords of SPEC §4, as `/commit:` takes them (any case).
    pub const KEYWORDS: [&'static str; 7] = [
        "url", "site", "app", "parent", "apphost", "webroot", "machine",
    ];

    /// Whether a write with `commit` (none: the default) on `path` (none: the server level)
    /// goes to applicationHost.config whatever the server's sites are: known before they are
    /// read, so a write can begin its new file while the file is parsed. A commit that goes
    /// there only for some sites answers `false`.
    pub fn surely_apphost(commit: Option<&Commit>, path: Option<&str>) -> bool {
        match commit.unwrap_or(&Commit::Url) {
            Commit::AppHost => true,
            Commit::Url => path.is_none(),
            Commit::Path(cp) => cp.depth() == 3,
            _ => false,
        }
    }

    /// Parse a `/commit:` value: a keyword in any case, or a config path starting with
    /// `MACHINE`; `None` for anything else.
    pub fn parse(value: &str) -> Option<Commit> {
        let v = value.trim();
        let keyword = |k: &str| v.eq_ignore_ascii_case(k);
        Some(match () {
            _ if keyword("url") => Commit::Url,
            _ if keyword("site") => Commit::Site,
            _ if keyword("app") => Commit::App,
            _ if keyword("parent") => Commit::Parent,
            _ if keyword("apphost") => Commit::AppHost,
            _ if keyword("webroot") => Commit::WebRoot,
            _ if keyword("machine") => Commit::Machine,
            _ => Commit::Path(ConfigPath::parse(v)?),
        })
    }
}

impl fmt::Display for Commit {
    /// The keyword in lower case, or the config path.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let k = match self {
            Commit::Path(p) => return p.fmt(f),
            Commit::Url => "url",
            Commit::Site => "site",
            Commit::App => "app",
            Commit::Parent => "parent",
            Commit::AppHost => "apphost",
            Commit::WebRoot => "webroot",
            Commit::Machine => "machine",
        };
        f.write_str(k)
    }
}

impl fmt::Display for ConfigPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.segments().enumerate() {
            if i > 0 {
                f.write_str("/")?;
            }
            f.write_str(seg)?;
        }
        Ok(())
    }
}

/// Split a path into its segments: `/` or `\` separated, empty segments dropped.
pub fn split(s: &str) -> Vec<&str> {
    s.split(['/', '\\'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Why .NET's configuration system refuses a `<location path>` as written (and with it the
/// whole file): `System.Configuration.BaseConfigurationRecord.NormalizeLocationSubPath`, which
/// every file ASP.NET reads goes through for every `<location>`. `None` for a path it takes
/// (`""` and `"."` included).
pub fn location_path_fault(raw: &str) -> Option<&'static str> {
    if raw.is_empty() || raw == "." {
        return None;
    }
    let first = raw.chars().next()?;
    let last = raw.chars().next_back()?;
    if first.is_whitespace() || matches!(first, '\\' | '.' | '/') {
        return Some("a location path cannot start with '/', '\\', '.' or white space");
    }
    if last.is_whitespace() || matches!(last, '\\' | '.' | '/') {
        return Some("a location path cannot end with '/', '\\', '.' or white space");
    }
    if raw.contains(['\\', '?', ':', '*', '"', '<', '>', '|']) {
        return Some("a location path cannot contain any of the characters \\ ? : * \" < > |");
    }
    None
}

/// The `path` a new `<location>` is written with for a location path as given: no white space
/// or `/` around it.
pub fn written_location(path: &str) -> &str {
    path.trim().trim_matches('/')
}

/// The items whose scope an earlier item has: `(first, repeat)` positions in `scopes`, for each
/// repeat in order, `first` the first item of that scope. ASP.NET allows a section once per
/// scope of a file ("Sections must only appear once per config file"): the one reckoning of
/// which definitions repeat a scope, whatever the section.
pub fn repeated_scopes<K: std::hash::Hash + Eq>(
    scopes: impl IntoIterator<Item = K>,
) -> Vec<(usize, usize)> {
    let scopes: Vec<K> = scopes.into_iter().collect();
    let mut out = Vec::new();
    // A web.config holds one or two definitions of a section: compared one by one, with no
    // table; applicationHost.config's thousands go through one.
    if scopes.len() <= 16 {
        for (i, k) in scopes.iter().enumerate() {
            if let Some(first) = scopes[..i].iter().position(|f| f == k) {
                out.push((first, i));
            }
        }
        return out;
    }
    let mut first: foldhash::HashMap<&K, usize> = foldhash::HashMap::default();
    for (i, k) in scopes.iter().enumerate() {
        match first.entry(k) {
            std::collections::hash_map::Entry::Occupied(e) => out.push((*e.get(), i)),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(i);
            }
        }
    }
    out
}

/// A `<location path>` as compared: segments joined with `/`, lower case; empty for the file's
/// own level (`""`, `"."`, `"/"`). It can only be built normalised ([`LocationPath::new`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocationPath(String);

impl LocationPath {
    /// The normalised form of a location path as written.
    pub fn new(path: &str) -> LocationPath {
        LocationPath(normalize_location(path))
    }

    /// The file's own level (no location, or `path=""`/`"."`).
    pub fn file_level() -> LocationPath {
        LocationPath(String::new())
    }

    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether it names the file's own level.
    pub fn is_file_level(&self) -> bool {
        self.0.is_empty()
    }

    /// How many segments (0 at the file's own level).
    pub fn depth(&self) -> usize {
        if self.0.is_empty() {
            0
        } else {
            self.0.split('/').count()
        }
    }

    /// Whether a location at `self` applies to `target` (relative to the same file): the same
    /// path, or an ancestor of it; the file's own level covers everything.
    pub fn covers(&self, target: &LocationPath) -> bool {
        covers(&self.0, &target.0)
    }

    /// Each ancestor of the path and the path itself, shortest first (none at the file level).
    pub fn prefixes(&self) -> impl Iterator<Item = &str> {
        let t = self.0.as_str();
        t.match_indices('/')
            .map(move |(i, _)| &t[..i])
            .chain((!t.is_empty()).then_some(t))
    }
}

impl std::borrow::Borrow<str> for LocationPath {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LocationPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The normalised text of a location path (see [`LocationPath`]).
fn normalize_location(path: &str) -> String {
    if path.is_ascii() {
        // The usual case, byte by byte (`str::trim`'s white space, in ASCII).
        let ws = |c: &u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C);
        let mut out: Vec<u8> = Vec::with_capacity(path.len());
        for seg in path.as_bytes().split(|&c| c == b'/' || c == b'\\') {
            let start = seg.iter().position(|c| !ws(c)).unwrap_or(seg.len());
            let end = seg.iter().rposition(|c| !ws(c)).map_or(start, |i| i + 1);
            if start >= end {
                continue;
            }
            if !out.is_empty() {
                out.push(b'/');
            }
            out.extend(seg[start..end].iter().map(u8::to_ascii_lowercase));
        }
        if out == b"." {
            out.clear();
        }
        return String::from_utf8(out).unwrap_or_default();
    }
    let mut out = String::with_capacity(path.len());
    let mut segs = 0;
    let mut only_dot = false;
    for seg in path
        .split(['/', '\\'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        if segs > 0 {
            out.push('/');
        }
        segs += 1;
        only_dot = segs == 1 && seg == ".";
        if seg.is_ascii() {
            out.extend(seg.bytes().map(|b| b.to_ascii_lowercase() as char));
        } else {
            out.push_str(&seg.to_lowercase());
        }
    }
    if only_dot {
        out.clear();
    }
    out
}

/// Whether a location path (normalised) covers a target path relative to the same file
/// (normalised): the same path, or an ancestor of it.
fn covers(location: &str, target: &str) -> bool {
    location.is_empty()
        || target == location
        || (target.len() > location.len()
            && target.starts_with(location)
            && target.as_bytes()[location.len()] == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_scopes_pairs_each_repeat_with_the_first_of_its_scope_few_or_many() {
        let few = ["", "a", "A/", "", "b", "a"].map(LocationPath::new);
        assert_eq!(repeated_scopes(&few), [(1, 2), (0, 3), (1, 5)]);
        let many: Vec<LocationPath> = (0..40)
            .map(|i| LocationPath::new(&format!("p{}", i % 30)))
            .collect();
        let pairs = repeated_scopes(&many);
        assert_eq!(pairs.len(), 10);
        assert_eq!(pairs[0], (0, 30));
        assert_eq!(pairs[9], (9, 39));
    }

    #[test]
    fn only_commits_that_name_applicationhost_whatever_the_sites_are_sure_of_it() {
        let sure =
            |c: &str, path: Option<&str>| Commit::surely_apphost(Commit::parse(c).as_ref(), path);
        assert!(sure("apphost", Some("Default Web Site")));
        assert!(sure(
            "MACHINE/WEBROOT/APPHOST",
            Some("Default Web Site/app")
        ));
        assert!(sure("url", None));
        assert!(Commit::surely_apphost(None, None));
        assert!(!Commit::surely_apphost(None, Some("Default Web Site")));
        for c in [
            "url",
            "site",
            "app",
            "parent",
            "webroot",
            "machine",
            "MACHINE/WEBROOT",
        ] {
            assert!(!sure(c, Some("Default Web Site")), "{c}");
        }
        assert!(!sure("MACHINE/WEBROOT/APPHOST/Default Web Site", None));
    }

    #[test]
    fn location_paths_are_judged_as_dotnet_judges_them() {
        // BaseConfigurationRecord.NormalizeLocationSubPath, case by case.
        for ok in [
            "",
            ".",
            "app1",
            "app1/sub",
            "Default Web Site/app1",
            "a.b/c",
            "~x",
        ] {
            assert_eq!(location_path_fault(ok), None, "{ok:?}");
        }
        for bad in [
            "/app1", "app1/", ".x", "x.", "\\x", " x", "x ", "\tx", "a:b", "a*b", "a?b", "a|b",
            "a<b", "a>b", "a\"b", "a\\b",
        ] {
            assert!(location_path_fault(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn location_paths_normalise_as_segments_in_lower_case() {
        for (given, want) in [
            ("", ""),
            (".", ""),
            ("/", ""),
            (" . ", ""),
            ("./a", "./a"),
            ("Default Web Site/App1", "default web site/app1"),
            ("\\Site\\ App \\x//y/", "site/app/x/y"),
            ("SÉ/Ünï", "sé/ünï"),
            ("\u{b} A\u{c}/\t.\r/", "a/."),
            ("a/./b", "a/./b"),
        ] {
            let old = {
                let segs = split(given);
                if segs.len() == 1 && segs[0] == "." {
                    String::new()
                } else {
                    segs.join("/").to_lowercase()
                }
            };
            assert_eq!(normalize_location(given), want, "{given:?}");
            assert_eq!(old, want, "{given:?}");
        }
    }

    #[test]
    fn config_paths_parse_display_and_relate() {
        let p = ConfigPath::parse("machine/webroot/apphost/Default Web Site/app1").unwrap();
        assert_eq!(
            p.to_string(),
            "MACHINE/WEBROOT/APPHOST/Default Web Site/app1"
        );
        assert_eq!(p.site_path(), ["Default Web Site", "app1"]);
        for d in 1..=3 {
            assert_eq!(
                ConfigPath::server_level(d),
                ConfigPath::parse(["MACHINE", WEBROOT, APPHOST][d - 1]).unwrap()
            );
        }
        let site = ConfigPath::parse("MACHINE/WEBROOT/APPHOST/default web site").unwrap();
        assert!(site.is_ancestor_of(&p));
        assert_eq!(site.relative(&p).as_deref(), Some("app1"));
        assert!(!p.is_ancestor_of(&site));
        assert_eq!(site.relative(&site).as_deref(), Some(""));
        let machine = ConfigPath::server_level(1);
        assert_eq!(
            machine.relative(&p).as_deref(),
            Some("WEBROOT/APPHOST/Default Web Site/app1")
        );
        assert!(!ConfigPath::server_level(3).is_ancestor_of(&ConfigPath::server_level(2)));
        assert!(ConfigPath::server_level(2).is_ancestor_of(&site));
        assert_eq!(ConfigPath::server_level(2).depth(), 2);
        assert_eq!(p.depth(), 5);
        assert!(ConfigPath::parse("Default Web Site").is_none());
        assert!(ConfigPath::parse("MACHINE/APPHOST").is_none());
    }

    #[test]
    fn locations_normalise_and_cover() {
        assert_eq!(normalize_location("."), "");
        assert_eq!(
            normalize_location(" /Default Web Site/App1/ "),
            "default web site/app1"
        );
        assert!(covers("", "a/b"));
        assert!(covers("a", "a/b"));
        assert!(covers("a/b", "a/b"));
        assert!(!covers("a/b", "a/bc"));
        assert!(!covers("a/b", "a"));
    }

    #[test]
    fn config_paths_are_equal_and_hash_alike_without_regard_to_case() {
        use std::collections::HashSet;
        let a = ConfigPath::parse("MACHINE/WEBROOT/APPHOST/Default Web Site/App1").unwrap();
        let b = ConfigPath::parse("machine/webroot/apphost/default web site/app1").unwrap();
        let c = ConfigPath::parse("MACHINE/WEBROOT/APPHOST/Default Web Site/App2").unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        let set: HashSet<ConfigPath> = [a.clone(), b.clone(), c].into_iter().collect();
        assert_eq!(set.len(), 2);
        // Each keeps its own spelling for display.
        assert_eq!(
            b.to_string(),
            "MACHINE/WEBROOT/APPHOST/default web site/app1"
        );
        // Beyond ASCII too: Unicode lower case.
        let u1 = ConfigPath::parse("MACHINE/WEBROOT/APPHOST/Ünïcode Site").unwrap();
        let u2 = ConfigPath::parse("MACHINE/WEBROOT/APPHOST/üNÏCODE SITE").unwrap();
        assert_eq!(u1, u2);
        let set: HashSet<ConfigPath> = [u1, u2].into_iter().collect();
        assert_eq!(set.len(), 1);
        // Depth counts: a parent is not equal to its child.
        assert_ne!(
            ConfigPath::parse("MACHINE/WEBROOT").unwrap(),
            ConfigPath::parse("MACHINE/WEBROOT/APPHOST").unwrap()
        );
    }

    #[test]
    fn commit_values_parse_once_into_keywords_or_config_paths() {
        assert_eq!(Commit::parse(" WebRoot "), Some(Commit::WebRoot));
        assert_eq!(Commit::parse("APPHOST"), Some(Commit::AppHost));
        assert_eq!(Commit::parse("machine"), Some(Commit::Machine));
        assert_eq!(
            Commit::parse("machine/webroot/apphost/Site"),
            Some(Commit::Path(
                ConfigPath::parse("MACHINE/WEBROOT/APPHOST/Site").unwrap()
            ))
        );
        assert_eq!(Commit::parse(""), None);
        assert_eq!(Commit::parse("MACHINE/FOO"), None);
        assert_eq!(Commit::parse("webrot"), None);
        for k in Commit::KEYWORDS {
            assert_eq!(Commit::parse(k).map(|c| c.to_string()), Some(k.to_string()));
        }
    }

    #[test]
    fn location_paths_are_built_normalised_and_cover_their_descendants() {
        let p = LocationPath::new(" /Default Web Site\\App1/ ");
        assert_eq!(p.as_str(), "default web site/app1");
        assert_eq!(p.depth(), 2);
        assert_eq!(
            p.prefixes().collect::<Vec<_>>(),
            ["default web site", "default web site/app1"]
        );
        assert!(LocationPath::new(".").is_file_level());
        assert_eq!(LocationPath::file_level().prefixes().count(), 0);
        assert!(LocationPath::file_level().covers(&p));
        assert!(LocationPath::new("DEFAULT WEB SITE").covers(&p));
        assert!(!LocationPath::new("Default Web").covers(&p));
        assert!(!p.covers(&LocationPath::new("Default Web Site")));
        assert_eq!(
            Scope::Location("App1/".into()).location_path(),
            LocationPath::new("app1")
        );
    }
}
