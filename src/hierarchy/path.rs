//! Config paths (`MACHINE/WEBROOT/APPHOST/Site/vpath`) and location paths, with the one
//! normalisation every layer uses: segments compared case-insensitively, `""` and `"."` naming
//! a file's own level.

use std::fmt;

/// A configuration path as appcmd prints it: `MACHINE`, `MACHINE/WEBROOT`,
/// `MACHINE/WEBROOT/APPHOST`, then the site name and the virtual path's segments.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
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
    /// Inside `<location path="...">`.
    Location(String),
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
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
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

/// A `<location path>` normalised for comparison: segments joined with `/`, lower case; `""`
/// for the file's own level (`""`, `"."`, `"/"`).
pub fn normalize_location(path: &str) -> String {
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
pub fn covers(location: &str, target: &str) -> bool {
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
}
