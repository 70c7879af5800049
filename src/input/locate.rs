//! Finding the versions folder in what a user gives: a picked or dropped folder, or an
//! archive, whose paths may start with the folder's own name.

use super::files::{normalize_path, InputFile, LoadOptions};
use super::ini::AlembicIni;

/// A folder or archive as the user gave it, narrowed to its versions folder.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Located {
    /// Where the versions folder is inside what was given (`proj/migrations/versions`), or
    /// the given folder's own name.
    pub name: String,
    /// The versions folder's files, paths relative to it.
    pub files: Vec<InputFile>,
    /// The other files given (paths as given): the project's own modules, when a project
    /// folder was picked, dropped or archived (`script::constants_from_files`).
    pub others: Vec<InputFile>,
    pub options: LoadOptions,
    /// How the folder was found, for the summary.
    pub how: String,
}

/// Finds the versions folder in a picked folder, dropped folder or archive, whose paths
/// start with the given folder's own name or not:
/// 1. an `alembic.ini` (the shallowest) names it: `script_location` + `/versions`, and
///    `recursive_version_locations`;
/// 2. otherwise the shallowest folder named `versions`;
/// 3. otherwise the folder the files share.
pub fn locate_versions(files: Vec<InputFile>) -> Located {
    let depth = |p: &str| p.matches('/').count();
    let dir_of = |p: &str| {
        p.rsplit_once('/')
            .map_or(String::new(), |(d, _)| d.to_string())
    };
    let ini = files
        .iter()
        .filter(|f| f.path == "alembic.ini" || f.path.ends_with("/alembic.ini"))
        .min_by_key(|f| depth(&f.path));
    let mut options = LoadOptions::default();
    let (root, how) = match ini.and_then(|f| {
        let ini = AlembicIni::parse(&String::from_utf8_lossy(&f.bytes), ".");
        let loc = ini.script_location?;
        let here = dir_of(&f.path);
        let root = [here.as_str(), loc.as_str(), "versions"]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("/");
        let root = normalize_path(&root);
        Some((root, ini.recursive, f.path.clone()))
    }) {
        Some((root, recursive, ini_path)) => {
            options.recursive = recursive;
            let how = format!("script_location in {ini_path}");
            (root, how)
        }
        None => {
            let versions = files
                .iter()
                .filter_map(|f| {
                    let parts: Vec<&str> = f.path.split('/').collect();
                    let k = parts[..parts.len() - 1]
                        .iter()
                        .position(|c| *c == "versions")?;
                    Some(parts[..=k].join("/"))
                })
                .min_by_key(|p| (depth(p), p.clone()));
            match versions {
                Some(v) => (v, "the first folder named versions".to_string()),
                None => {
                    let mut common: Option<Vec<&str>> = None;
                    for f in &files {
                        let parts: Vec<&str> = f.path.split('/').collect();
                        let dirs = &parts[..parts.len() - 1];
                        common = Some(match common {
                            None => dirs.to_vec(),
                            Some(c) => c
                                .iter()
                                .zip(dirs)
                                .take_while(|(a, b)| a == b)
                                .map(|(a, _)| *a)
                                .collect(),
                        });
                    }
                    (
                        common.unwrap_or_default().join("/"),
                        "the folder given".to_string(),
                    )
                }
            }
        }
    };
    let prefix = if root.is_empty() {
        String::new()
    } else {
        format!("{root}/")
    };
    let (inside, others): (Vec<InputFile>, Vec<InputFile>) =
        files.into_iter().partition(|f| f.path.starts_with(&prefix));
    let files = inside
        .into_iter()
        .map(|f| InputFile {
            path: f.path[prefix.len()..].to_string(),
            bytes: f.bytes,
        })
        .collect();
    Located {
        name: root,
        files,
        others,
        options,
        how,
    }
}
