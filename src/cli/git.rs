//! A versions folder as it was at a git revision (`main`, `origin/main`, a commit), read
//! from the objects of the repository that holds the folder: no checkout, no `git` binary
//! (gix). Also the fork point of a review: the merge base of the two sides.

use std::path::{Path, PathBuf};

use alembic_planner::input::{intake, Intake, MAX_FILE_BYTES};
use alembic_planner::InputFile;

/// The repository holding `folder`, and the folder's path inside it (`/`-separated).
fn open(folder: &Path) -> Result<(gix::Repository, String), String> {
    let abs = folder
        .canonicalize()
        .map_err(|e| format!("{}: {e}", folder.display()))?;
    let repo = gix::discover(&abs)
        .map_err(|e| format!("{} is not inside a git repository: {e}", folder.display()))?;
    let root: PathBuf = repo
        .workdir()
        .ok_or("a bare repository has no working folder to locate the versions folder in")?
        .canonicalize()
        .map_err(|e| e.to_string())?;
    let rel = abs
        .strip_prefix(&root)
        .map_err(|_| {
            format!(
                "{} is outside the repository at {}",
                abs.display(),
                root.display()
            )
        })?
        .to_string_lossy()
        .replace('\\', "/");
    Ok((repo, rel))
}

/// The commit a revision names.
fn commit_of(repo: &gix::Repository, spec: &str) -> Result<gix::ObjectId, String> {
    let id = repo
        .rev_parse_single(spec)
        .map_err(|e| format!("git revision {spec:?}: {e}"))?;
    let commit = id
        .object()
        .map_err(|e| e.to_string())?
        .peel_to_commit()
        .map_err(|e| format!("git revision {spec:?} is not a commit: {e}"))?;
    Ok(commit.id)
}

/// The files of the folder at `rel` in commit `id` that the planner reads (scripts and
/// alembic.ini), paths relative to the folder.
fn files_at(
    repo: &gix::Repository,
    id: gix::ObjectId,
    rel: &str,
) -> Result<Vec<InputFile>, String> {
    let commit = repo
        .find_object(id)
        .map_err(|e| e.to_string())?
        .into_commit();
    let tree = commit.tree().map_err(|e| e.to_string())?;
    let folder = if rel.is_empty() {
        tree
    } else {
        match tree.lookup_entry_by_path(rel).map_err(|e| e.to_string())? {
            Some(entry) => entry
                .object()
                .map_err(|e| e.to_string())?
                .try_into_tree()
                .map_err(|_| format!("{rel} is not a folder at commit {id}"))?,
            None => return Ok(Vec::new()),
        }
    };
    let entries = folder
        .traverse()
        .breadthfirst
        .files()
        .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for e in entries {
        if !e.mode.is_blob() {
            continue;
        }
        let path = e.filepath.to_string();
        if path.split('/').any(|p| p == "__pycache__") {
            continue;
        }
        let header = repo.find_header(e.oid).map_err(|e| e.to_string())?;
        match intake(&path, header.size()) {
            Intake::PathOnly => out.push(InputFile::new(path, Vec::new())),
            Intake::TooLarge => {
                eprintln!(
                    "alembic-planner: {path} at {id}: larger than {MAX_FILE_BYTES} bytes, not read"
                )
            }
            Intake::Read => {
                let obj = repo.find_object(e.oid).map_err(|e| e.to_string())?;
                out.push(InputFile::new(path, obj.data.clone()));
            }
        }
    }
    Ok(out)
}

/// Whether `spec` is read from git: it names no file or folder on disk.
pub fn is_revision(spec: &Path) -> bool {
    !spec.exists()
}

/// The versions folder `folder` as it is at git revision `spec`.
pub fn read_at(folder: &Path, spec: &str) -> Result<Vec<InputFile>, String> {
    let (repo, rel) = open(folder)?;
    let id = commit_of(&repo, spec)?;
    files_at(&repo, id, &rel)
}

/// The versions folder at the merge base of `base` and `head` (`HEAD` when the PR is the
/// working folder): the revisions both sides started from.
pub fn read_fork(folder: &Path, base: &str, head: Option<&str>) -> Result<Vec<InputFile>, String> {
    let (repo, rel) = open(folder)?;
    let a = commit_of(&repo, base)?;
    let b = commit_of(&repo, head.unwrap_or("HEAD"))?;
    let fork = repo.merge_base(a, b).map_err(|e| {
        format!(
            "no fork point between {base} and {}: {e}",
            head.unwrap_or("HEAD")
        )
    })?;
    files_at(&repo, fork.detach(), &rel)
}
