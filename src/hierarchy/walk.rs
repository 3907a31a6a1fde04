//! Walking a server's sites for their web.config files (each virtual directory's folder and
//! its subfolders), every configuration file of a server in hierarchy order, and `search
//! config`: every level that sets a section.

use std::path::{Path, PathBuf};

use super::chain::{load_apphost, load_optional};
use super::error::Error;
use super::path::ConfigPath;
use super::server::Server;
use super::source::{path_key, Source};
use super::topology::{Site, Topology};
use crate::schema::SectionDef;

/// One level that sets a section, for `search config`.
#[derive(Clone, Debug)]
pub struct Found {
    /// Its config path.
    pub config_path: String,
    /// The section.
    pub section: &'static SectionDef,
    /// The file.
    pub file: PathBuf,
    /// The line of the section element.
    pub line: usize,
}

/// Every configuration file of a server with its config path, the topology, and
/// applicationHost.config as read (`search config`).
pub struct ServerFiles {
    /// (config path, file), in hierarchy order.
    pub files: Vec<(ConfigPath, PathBuf)>,
    /// What applicationHost.config declares.
    pub topology: Topology,
    /// applicationHost.config.
    pub apphost: Source,
    /// Virtual directories whose folder is not here (a drive with no `--drive` mapping, a
    /// network path): (site, physical path, why). Their web.config files are not in `files`.
    pub unmapped: Vec<(String, String, String)>,
}

/// Every configuration file of the server in hierarchy order, with its config path: the
/// machine.config and root web.config of the selected runtime and bitness, applicationHost.config,
/// then each site's web.config files (each virtual directory's folder, walked).
pub fn server_files(server: &Server) -> Result<ServerFiles, Error> {
    let (apphost_path, apphost, topo) = load_apphost(server)?;
    let fw = crate::hierarchy::server::Framework {
        clr: server.clr.unwrap_or(crate::hierarchy::server::Clr::V4),
        bits32: server.bits32.unwrap_or(false),
    };
    let mut out = vec![
        (ConfigPath::server_level(1), server.machine_config(fw)),
        (ConfigPath::server_level(2), server.root_web_config(fw)),
        (ConfigPath::server_level(3), apphost_path),
    ];
    // Sites are walked in parallel (each is independent), then joined in site order; a folder
    // reached twice (two virtual directories, or a folder below another's) keeps the first
    // config path it was reached by, as one walk in that order would.
    let walked = crate::par::map(&topo.sites, 64, |site| walk_sites(server, site));
    let mut seen = std::collections::HashSet::new();
    let mut unmapped = Vec::new();
    for (site, part) in topo.sites.iter().zip(walked) {
        let (files, missing) = part?;
        out.extend(files.into_iter().filter(|(_, f)| seen.insert(f.clone())));
        unmapped.extend(
            missing
                .into_iter()
                .map(|(phys, why)| (site.name.clone(), phys, why)),
        );
    }
    Ok(ServerFiles {
        files: out,
        topology: topo,
        apphost,
        unmapped,
    })
}

/// The web.config files of a site, its virtual directories shortest path first (found, not
/// read), and the virtual directories whose folder is not here. A folder that cannot be read
/// is an error: the list would be incomplete.
#[allow(clippy::type_complexity)]
fn walk_sites(
    server: &Server,
    site: &Site,
) -> Result<(Vec<(ConfigPath, PathBuf)>, Vec<(String, String)>), Error> {
    let walk = walk_site(server, site, false);
    if let Some((dir, e)) = walk.errors.into_iter().next() {
        return Err(Error::io(&dir, e));
    }
    let files = walk
        .files
        .into_iter()
        .map(|f| (f.config_path, f.path))
        .collect();
    let unmapped = walk
        .unmapped
        .into_iter()
        .map(|(phys, why, _)| (phys, why))
        .collect();
    Ok((files, unmapped))
}

/// A web.config a walk found, read as it was found (through its folder) when the walk reads.
pub struct WalkedFile {
    /// Its config path.
    pub config_path: ConfigPath,
    /// Its path.
    pub path: PathBuf,
    /// Its bytes, or why they could not be read (`None`: the walk was asked not to read).
    pub raw: Option<std::io::Result<crate::doc::Raw>>,
}

/// What the walk of one site found.
pub struct SiteWalk {
    /// Each web.config, in walk order.
    pub files: Vec<WalkedFile>,
    /// Every folder walked, as walked: a level in one of them without a file in `files` has
    /// no web.config, with no need to look.
    pub folders: Vec<PathBuf>,
    /// Folders that exist but could not be opened or listed (permissions), in walk order:
    /// what is below them is unknown, so a walk that must be complete fails on the first.
    pub errors: Vec<(PathBuf, std::io::Error)>,
    /// Virtual directories whose physical path cannot be mapped to a folder here (a drive
    /// with no `--drive` mapping, a network path): their physical path, why, and the offset
    /// in applicationHost.config of the first `<virtualDirectory>` naming it.
    pub unmapped: Vec<(String, String, usize)>,
}

/// Whether an error opening or listing a folder means it is not there (gone since its
/// parent was listed, or never there): nothing to walk, rather than something unreadable.
fn not_there(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
    )
}

/// Walk the folders of a site's virtual directories (shortest path first) for web.config
/// files, reading each as it is found when `read`.
pub fn walk_site(server: &Server, site: &Site, read: bool) -> SiteWalk {
    let mut out = Vec::new();
    let mut seen = Walked {
        read,
        ..Walked::default()
    };
    let mut unmapped = Vec::new();
    {
        let mut folders: Vec<(Vec<String>, &str, usize)> = Vec::new();
        for app in &site.apps {
            for vdir in &app.vdirs {
                let mut url: Vec<String> = crate::hierarchy::path::split(&app.path)
                    .into_iter()
                    .map(str::to_string)
                    .collect();
                url.extend(
                    crate::hierarchy::path::split(&vdir.path)
                        .into_iter()
                        .map(str::to_string),
                );
                folders.push((url, &vdir.physical, vdir.offset));
            }
        }
        folders.sort_by(|a, b| a.0.len().cmp(&b.0.len()).then(a.0.cmp(&b.0)));
        for (url, phys, offset) in folders {
            // As spelled first (one open instead of a probe, then an open); the disk's own
            // spelling only when that folder is not there.
            let spelled = match server.windows_path_spelled(phys) {
                Ok(p) => p,
                Err(e) => {
                    if !unmapped.iter().any(|(p, _, _)| p == phys) {
                        unmapped.push((phys.to_string(), e.to_string(), offset));
                    }
                    continue;
                }
            };
            // Below a folder already walked, any spelling of it was walked with that folder:
            // nothing to read again, and no open of a folder that is not there.
            if seen.covers(&spelled) {
                continue;
            }
            if !walk_root(&site.name, url.clone(), &spelled, &mut seen, &mut out) {
                // Not there as spelled: look for it case-insensitively.
                if let Ok(dir) = server.windows_path(phys) {
                    if dir != spelled {
                        walk_root(&site.name, url, &dir, &mut seen, &mut out);
                    }
                }
            }
        }
    }
    SiteWalk {
        files: out,
        folders: seen.seen.into_keys().collect(),
        errors: seen.errors,
        unmapped,
    }
}

/// How deep below a virtual directory's folder the walk goes.
const MAX_DEPTH: usize = 16;

/// Whether the walk skips a subfolder of this name: a version-control store (`.git`, `.svn`,
/// `.hg`, `.bzr`), which holds no configuration IIS reads and can hold thousands of folders.
/// Other folders starting with `.` are walked: IIS serves them, and `.well-known` (where ACME
/// clients such as win-acme put a web.config of their own) is in many sites.
fn skipped_folder(name: &str) -> bool {
    [".git", ".svn", ".hg", ".bzr"]
        .iter()
        .any(|v| name.eq_ignore_ascii_case(v))
}

/// What a site's walk has seen: each folder walked and its depth, and (in lower case) every
/// symbolic link or junction met in a walked folder that the walk did not follow.
#[derive(Default)]
struct Walked {
    seen: foldhash::HashMap<PathBuf, usize>,
    links: foldhash::HashSet<String>,
    /// For each link to a folder followed on the way to the folder being walked, the real
    /// path (links resolved) of the folder that held it.
    on_the_way: Vec<PathBuf>,
    /// The fewest components of a folder in `seen` (none above it can be one).
    fewest: usize,
    /// Whether each web.config is read as it is found.
    read: bool,
    /// Folders that could not be opened or listed though they are there.
    errors: Vec<(PathBuf, std::io::Error)>,
}

impl Walked {
    /// Remember a link the walk did not follow.
    fn not_followed(&mut self, link: &Path) {
        self.links.insert(path_key(link));
    }

    /// Whether to follow `link`, a link to a folder found in the folder `here`. Not when it
    /// leads to a folder on the way to it, or above one: the walk would go round for ever. The
    /// folders on the way lie, by their real paths (links resolved), at or above `here`'s or
    /// the folder of an earlier link followed on the way (`on_the_way`). When it is followed,
    /// `here`'s real path goes on `on_the_way`, for the caller to take off after the walk
    /// below the link.
    fn follow(&mut self, here: &Path, link: &Path) -> bool {
        let (Ok(target), Ok(here)) = (std::fs::canonicalize(link), std::fs::canonicalize(here))
        else {
            return false;
        };
        if self
            .on_the_way
            .iter()
            .chain(std::iter::once(&here))
            .any(|p| p.starts_with(&target))
        {
            return false;
        }
        self.on_the_way.push(here);
        true
    }

    /// Whether `dir` lies below a folder already walked that walked it too, whatever its
    /// spelling: no skipped folder and no link on the way, within `MAX_DEPTH`.
    fn covers(&self, dir: &Path) -> bool {
        if self.seen.is_empty() {
            return false;
        }
        let mut below = 0;
        let mut cur = dir;
        let mut components = dir.components().count();
        loop {
            if cur
                .file_name()
                .is_some_and(|n| skipped_folder(&n.to_string_lossy()))
                || self.links.contains(&path_key(cur))
            {
                return false;
            }
            let Some(parent) = cur.parent() else {
                return false;
            };
            below += 1;
            components -= 1;
            if components < self.fewest {
                return false;
            }
            if let Some(&depth) = self.seen.get(parent) {
                return depth + below <= MAX_DEPTH;
            }
            cur = parent;
        }
    }
}

/// Walk a virtual directory's folder `dir` and its subfolders for web.config files. False
/// when `dir` is not there (a folder there but unreadable is kept in `seen.errors`).
fn walk_root(
    site: &str,
    url: Vec<String>,
    dir: &Path,
    seen: &mut Walked,
    out: &mut Vec<WalkedFile>,
) -> bool {
    if seen.seen.contains_key(dir) {
        return true;
    }
    match crate::doc::folder::Folder::open(dir) {
        Ok(folder) => {
            // Every folder walked lies at or below a root: the roots have the fewest components.
            let components = dir.components().count();
            if seen.seen.is_empty() || components < seen.fewest {
                seen.fewest = components;
            }
            walk_folder(site, url, folder, 0, seen, out);
            true
        }
        Err(e) if not_there(&e) => false,
        Err(e) => {
            seen.errors.push((dir.to_path_buf(), e));
            true
        }
    }
}

/// Walk an open folder and its subfolders for web.config files.
fn walk_folder(
    site: &str,
    url: Vec<String>,
    mut folder: crate::doc::folder::Folder,
    depth: usize,
    seen: &mut Walked,
    out: &mut Vec<WalkedFile>,
) {
    use crate::doc::folder::Kind;
    let entries = match folder.entries() {
        Ok(entries) => entries,
        Err(e) => {
            if !not_there(&e) {
                seen.errors.push((folder.path().to_path_buf(), e));
            }
            return;
        }
    };
    seen.seen.insert(folder.path().to_path_buf(), depth);
    // (name as text, name, whether it is a link to a folder)
    let mut subdirs = Vec::new();
    let mut file = None;
    for e in entries {
        let name = e.name.to_string_lossy();
        match e.kind {
            Kind::Folder if !skipped_folder(&name) => {
                subdirs.push((name.into_owned(), e.name, false))
            }
            // Links are followed as IIS follows them: a web.config that is a link is read
            // through it (one that leads nowhere then fails to be read, as it does for IIS),
            // and a link to a folder is walked as the folder it leads to, under its own URL.
            Kind::Link => {
                if folder.link_to_folder(&e.name) {
                    if !skipped_folder(&name) {
                        subdirs.push((name.into_owned(), e.name, true));
                    }
                } else if name.eq_ignore_ascii_case("web.config") {
                    file = Some(e.name);
                } else {
                    seen.not_followed(&folder.path().join(&e.name));
                }
            }
            Kind::File if name.eq_ignore_ascii_case("web.config") => file = Some(e.name),
            _ => {}
        }
    }
    if let Some(f) = file {
        let mut cp = Vec::with_capacity(url.len() + 1);
        cp.push(site.to_string());
        cp.extend(url.iter().cloned());
        out.push(WalkedFile {
            config_path: ConfigPath::under_apphost(&cp),
            path: folder.path().join(&f),
            raw: seen.read.then(|| folder.read(&f)),
        });
    }
    if depth >= MAX_DEPTH {
        return;
    }
    subdirs.sort();
    for (d, name, link) in subdirs {
        let path = folder.path().join(&name);
        if seen.seen.contains_key(&path) {
            continue;
        }
        // A link that leads back to a folder on the way here (or above one) is not followed:
        // the walk would go round for ever.
        if link && !seen.follow(folder.path(), &path) {
            seen.not_followed(&path);
            continue;
        }
        match folder.folder(&name) {
            Ok(sub) => {
                let mut u = url.clone();
                u.push(d);
                walk_folder(site, u, sub, depth + 1, seen, out);
            }
            Err(e) => {
                if !not_there(&e) {
                    seen.errors.push((path, e));
                }
            }
        }
        if link {
            seen.on_the_way.pop();
        }
    }
}

/// What `search config` found, and the virtual directories it could not look in.
#[derive(Debug)]
pub struct Searched {
    /// The definitions found, in hierarchy order.
    pub found: Vec<Found>,
    /// (site, physical path, why) of each virtual directory whose folder is not here.
    pub unmapped: Vec<(String, String, String)>,
}

/// `search config [PATH] [/section:S]`: every level that sets the sections, in hierarchy order.
pub fn search(
    server: &Server,
    under: Option<&ConfigPath>,
    sections: &[&'static SectionDef],
) -> Result<Searched, Error> {
    let ServerFiles {
        files,
        mut unmapped,
        ..
    } = server_files(server)?;
    // Under a PATH, only its site's folders matter.
    if let Some(site) = under.and_then(|u| u.site_path().first()) {
        unmapped.retain(|(s, _, _)| s.eq_ignore_ascii_case(site));
    }
    let mut out = Vec::new();
    for (level, file) in files {
        let Some(src) = load_optional(&file)? else {
            continue;
        };
        let server_file = level.depth() <= 3;
        for def in sections {
            for inst in crate::hierarchy::discover::instances(&src.doc, def) {
                let cp = if inst.path.is_file_level() {
                    level.to_string()
                } else if server_file {
                    let written = inst
                        .location
                        .and_then(|l| src.doc.attr_value(l, "path"))
                        .unwrap_or_default();
                    let segs: Vec<String> = crate::hierarchy::path::split(&written)
                        .into_iter()
                        .map(str::to_string)
                        .collect();
                    ConfigPath::under_apphost(&segs).to_string()
                } else {
                    let written = inst
                        .location
                        .and_then(|l| src.doc.attr_value(l, "path"))
                        .unwrap_or_default();
                    format!(
                        "{level}/{}",
                        crate::hierarchy::path::split(&written).join("/")
                    )
                };
                if let Some(u) = under {
                    let Some(p) = ConfigPath::parse(&cp) else {
                        continue;
                    };
                    if !u.is_ancestor_of(&p) {
                        continue;
                    }
                }
                out.push(Found {
                    config_path: cp,
                    section: def,
                    file: file.clone(),
                    line: src.line_of(inst.el),
                });
            }
        }
    }
    Ok(Searched {
        found: out,
        unmapped,
    })
}
