//! Reading the versions folder from disk: `--versions DIR|ZIP`, or where `./alembic.ini`
//! says (`script_location`, `version_locations`), into the `(path, bytes)` pairs the core
//! takes. The only file system access of the CLI.

use std::path::{Path, PathBuf};

use alembic_planner::alembic::commands::Context;
use alembic_planner::base::Diagnostic;
use alembic_planner::input::ini::ini_values;
use alembic_planner::input::{
    intake, locate_versions, read_zip, too_large, AlembicIni, Intake, ProjectConstants,
    MAX_FILE_BYTES,
};
use alembic_planner::script;
use alembic_planner::InputFile;

/// Where the versions come from.
#[derive(Clone)]
pub struct Source {
    pub roots: Vec<PathBuf>,
    pub recursive: bool,
    /// The script directory (`script_location`), where `script.py.mako` lives.
    pub script_dir: Option<PathBuf>,
    /// alembic.ini's `[alembic]` values, when the source is an alembic.ini.
    pub ini: Vec<(String, String)>,
}

impl Source {
    /// A versions folder given on the command line (its script directory is its parent).
    pub fn folder(dir: PathBuf) -> Source {
        Source {
            script_dir: dir.parent().map(Path::to_path_buf),
            roots: vec![dir],
            recursive: true,
            ini: Vec::new(),
        }
    }
}

/// What was read: the files, how their paths print, and problems reading them.
pub struct Read {
    pub files: Vec<InputFile>,
    pub recursive: bool,
    pub diagnostics: Vec<Diagnostic>,
    /// The folders read (not an archive's), where the project's root is looked for.
    pub folders: Vec<PathBuf>,
}

/// Where the project's own modules are: `--project`, or the core's `project_root` over
/// the folders above each versions folder read (nearest first, 12 at most), asked of the
/// file system.
pub fn project_root(
    given: Option<&Path>,
    folders: &[PathBuf],
    wanted: &[String],
) -> Option<PathBuf> {
    if let Some(p) = given {
        return Some(p.to_path_buf());
    }
    let ancestors: Vec<String> = folders
        .iter()
        .flat_map(|f| {
            let f = f.canonicalize().unwrap_or_else(|_| f.clone());
            f.ancestors()
                .skip(1)
                .take(12)
                .map(|d| d.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    script::project_root(&ancestors, wanted, &|p| Path::new(p).is_file()).map(PathBuf::from)
}

/// The core's `project_constants` under `root`, each file read from disk (within the
/// size bound).
pub fn project_constants(root: &Path, wanted: &[String]) -> ProjectConstants {
    script::project_constants(&root.to_string_lossy(), wanted, &|p| {
        let meta = std::fs::metadata(p).ok()?;
        if !meta.is_file() || meta.len() > MAX_FILE_BYTES as u64 {
            return None;
        }
        std::fs::read_to_string(p).ok()
    })
}

/// The versions folders an `alembic.ini` names, as Alembic finds them.
pub fn read_ini(path: &Path) -> Result<Source, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let here = path
        .parent()
        .map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        })
        .unwrap_or(Path::new("."));
    let here = here.canonicalize().unwrap_or_else(|_| here.to_path_buf());
    let ini = AlembicIni::parse(&text, &here.to_string_lossy());
    let script_location = ini
        .script_location
        .ok_or("No 'script_location' key found in configuration.")?;
    let resolve = |p: &str| {
        let pb = PathBuf::from(p);
        if pb.is_absolute() {
            pb
        } else {
            here.join(pb)
        }
    };
    let roots = if ini.version_locations.is_empty() {
        vec![resolve(&script_location).join("versions")]
    } else {
        ini.version_locations.iter().map(|v| resolve(v)).collect()
    };
    Ok(Source {
        roots,
        recursive: ini.recursive,
        script_dir: Some(resolve(&script_location)),
        ini: ini_values(&text),
    })
}

/// Every file under `root`, paths relative to it with `prefix`, as `os.walk` sees them:
/// symbolic links to folders are listed but not entered (so a link loop ends), caches
/// skipped. Only revision scripts and `alembic.ini` are read ([`intake`]); a script over
/// the size bound is diagnosed, not read. The files are read on every core once the
/// folder is walked (5,000 files were a quarter of `heads`' time on one).
fn walk_dir(root: &Path, prefix: &str, out: &mut Vec<InputFile>, diags: &mut Vec<Diagnostic>) {
    let mut slots = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_dir() {
                if e.file_name() != "__pycache__" {
                    stack.push(p);
                }
                continue;
            }
            if kind.is_symlink() && p.is_dir() {
                // os.walk(followlinks=False) does not descend
                continue;
            }
            let rel = p
                .strip_prefix(root)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            let path = format!("{prefix}{rel}");
            let size = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
            slots.push(match intake(&path, size) {
                Intake::PathOnly => Slot::Read(Ok(InputFile::new(path, Vec::new()))),
                Intake::TooLarge => Slot::Read(Err(too_large(&path, size))),
                Intake::Read => Slot::ToRead(path, p),
            });
        }
    }
    read_slots(&mut slots);
    for slot in slots {
        match slot {
            Slot::Read(Ok(f)) => out.push(f),
            Slot::Read(Err(d)) => diags.push(d),
            Slot::ToRead(..) => {}
        }
    }
}

/// A file the walk found: to read (its path as shown, and on disk), or read (or why not).
enum Slot {
    ToRead(String, PathBuf),
    Read(Result<InputFile, Diagnostic>),
}

impl Slot {
    fn read(&mut self) {
        if let Slot::ToRead(path, p) = self {
            let path = std::mem::take(path);
            *self = Slot::Read(match std::fs::read(p) {
                Ok(bytes) => Ok(InputFile::new(path, bytes)),
                Err(e) => Err(Diagnostic::error(
                    "unreadable-file",
                    &path,
                    0,
                    format!("cannot be read: {e}"),
                )),
            });
        }
    }
}

/// Reads the slots' files, split across the cores (in place: the order stays the walk's).
fn read_slots(slots: &mut [Slot]) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || slots.len() < 64 {
        slots.iter_mut().for_each(Slot::read);
        return;
    }
    let chunk = slots.len().div_ceil(threads);
    std::thread::scope(|s| {
        for part in slots.chunks_mut(chunk) {
            s.spawn(|| part.iter_mut().for_each(Slot::read));
        }
    });
}

/// Another versions folder (a review's base): a `.zip`, or a folder that is the versions
/// folder or holds it (found as the web app finds it: `alembic.ini`, then the shallowest
/// `versions/`).
pub fn read_other(path: &Path) -> Result<Read, String> {
    if path.is_file() {
        return read(Source::folder(path.to_path_buf()), &mut Context::default());
    }
    if !path.is_dir() {
        return Err(format!("{} is neither a folder nor a .zip", path.display()));
    }
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    walk_dir(path, "", &mut files, &mut diagnostics);
    let located = locate_versions(files);
    Ok(Read {
        files: located.files,
        recursive: located.options.recursive,
        diagnostics,
        folders: vec![path.to_path_buf()],
    })
}

/// The prefix of the paths read from the `i`th of several version locations.
fn root_prefix(i: usize) -> String {
    format!("{i:04}/")
}

/// Which of several version locations a read path comes from (its [`root_prefix`]).
pub fn root_of(path: &str) -> Option<usize> {
    let (dir, _) = path.split_once('/')?;
    (dir.len() == 4).then(|| dir.parse().ok()).flatten()
}

/// Reads the source's files; a lone `.zip` is opened as an archive whose versions folder
/// is found as the web app finds it. Records how paths print in `ctx`.
pub fn read(source: Source, ctx: &mut Context) -> Result<Read, String> {
    if let [zip] = source.roots.as_slice() {
        if zip.is_file()
            && zip
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
        {
            let name = zip.display().to_string();
            let bytes = std::fs::read(zip).map_err(|e| format!("cannot read {name}: {e}"))?;
            let (entries, diagnostics) = read_zip(&name, &bytes);
            let located = locate_versions(entries);
            ctx.path_roots.push((
                String::new(),
                format!("{name}/{}/", located.name).replace("//", "/"),
            ));
            return Ok(Read {
                files: located.files,
                recursive: located.options.recursive,
                diagnostics,
                folders: Vec::new(),
            });
        }
    }
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    let multi = source.roots.len() > 1;
    for (i, root) in source.roots.iter().enumerate() {
        if !root.is_dir() {
            continue;
        }
        let prefix = if multi { root_prefix(i) } else { String::new() };
        walk_dir(root, &prefix, &mut files, &mut diagnostics);
        let abs = root.canonicalize().unwrap_or_else(|_| root.clone());
        ctx.path_roots.push((
            prefix,
            format!("{}/", abs.to_string_lossy().trim_end_matches('/')),
        ));
    }
    if !source.roots.is_empty() && source.roots.iter().all(|r| !r.is_dir()) {
        eprintln!(
            "alembic-planner: no versions folder at {}",
            source
                .roots
                .iter()
                .map(|r| r.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(Read {
        files,
        recursive: source.recursive,
        diagnostics,
        folders: source
            .roots
            .iter()
            .filter(|r| r.is_dir())
            .cloned()
            .collect(),
    })
}
