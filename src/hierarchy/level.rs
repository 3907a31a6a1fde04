//! The levels of the configuration hierarchy: what kind each is (machine.config down to a page)
//! and a level's config path and file.

use std::path::PathBuf;

use super::path::ConfigPath;

/// What a level is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LevelKind {
    /// machine.config
    Machine,
    /// the root web.config
    WebRoot,
    /// applicationHost.config
    AppHost,
    /// a site's root
    Site,
    /// an application root
    Application,
    /// a virtual directory that is not an application
    VirtualDirectory,
    /// a folder inside one
    Folder,
    /// a file (a page) in a folder: it has no web.config of its own, only the `<location>`s
    /// that name it
    File,
}

impl LevelKind {
    /// Whether the level's file is one of the server-wide files, where location paths name the
    /// site first.
    pub fn is_server_file(self) -> bool {
        matches!(
            self,
            LevelKind::Machine | LevelKind::WebRoot | LevelKind::AppHost
        )
    }
}

/// One level of a PATH.
#[derive(Clone, Debug)]
pub struct Level {
    /// What it is.
    pub kind: LevelKind,
    /// Its config path.
    pub config_path: ConfigPath,
    /// Its configuration file (it may not exist).
    pub file: PathBuf,
}
