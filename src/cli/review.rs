//! `review` and `merge`: the shell's side of the core's [`review`] layer. It reads the
//! other folder, the clock, the project's `script.py.mako` and alembic.ini's settings, draws
//! a revision id, and writes the merge revision; everything else is the core's.
//!
//! [`review`]: alembic_planner::review

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};

use alembic_planner::alembic::commands::Output;
use alembic_planner::input::ini::ini_get;
use alembic_planner::present::review as show;
use alembic_planner::review::{self, CreateDate, MergeRequest, ReviewOptions};
use alembic_planner::{LoadOptions, Project};
use chrono::{Datelike, Timelike};

use crate::args::ReviewFormat;
use crate::git;
use crate::load;
use crate::run::Global;

/// `uuid4().hex[-12:]`: twelve random hexadecimal digits.
fn new_rev_id() -> String {
    let mut h = RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.write_u32(std::process::id());
    format!("{:012x}", h.finish() & 0xffff_ffff_ffff)
}

/// `datetime.now()`, or `datetime.now(tz)` when alembic.ini sets `timezone` (UTC only:
/// the planner carries no time-zone database).
fn create_date(ini: &[(String, String)]) -> Result<CreateDate, String> {
    let tz = ini_get(ini, "timezone").filter(|t| !t.is_empty());
    let (naive, offset) = match tz {
        None => (chrono::Local::now().naive_local(), None),
        Some(t) if t.eq_ignore_ascii_case("utc") => {
            (chrono::Utc::now().naive_utc(), Some("+00:00".to_string()))
        }
        Some(t) => {
            return Err(format!(
                "alembic.ini's timezone {t:?}: the planner knows only UTC; write the file with `alembic merge`"
            ))
        }
    };
    Ok(CreateDate {
        year: naive.year(),
        month: naive.month(),
        day: naive.day(),
        hour: naive.hour(),
        minute: naive.minute(),
        second: naive.second(),
        microsecond: naive.nanosecond() / 1000 % 1_000_000,
        epoch: chrono::Utc::now().timestamp(),
        utc_offset: offset,
    })
}

/// alembic.ini's value with configparser's `%%` escapes undone.
fn ini_value(ini: &[(String, String)], key: &str) -> Option<String> {
    ini_get(ini, key).map(|v| v.replace("%%", "%"))
}

/// The project's `script.py.mako`, if it has one.
fn template(script_dir: Option<&Path>) -> Option<String> {
    std::fs::read_to_string(script_dir?.join("script.py.mako")).ok()
}

fn merge_request(
    revisions: Vec<String>,
    message: Option<String>,
    branch_labels: Vec<String>,
    rev_id: Option<String>,
    splice: bool,
    script_dir: Option<&Path>,
    ini: &[(String, String)],
) -> Result<MergeRequest, String> {
    Ok(MergeRequest {
        revisions,
        message,
        rev_id: rev_id.unwrap_or_else(new_rev_id),
        branch_labels,
        splice,
        create_date: create_date(ini)?,
        template: template(script_dir),
        file_template: ini_value(ini, "file_template"),
        truncate_slug_length: ini_get(ini, "truncate_slug_length")
            .and_then(|v| v.trim().parse().ok()),
    })
}

/// What `review` was given.
pub struct ReviewArgs<'a> {
    pub base: &'a Path,
    pub head: Option<&'a Path>,
    pub format: ReviewFormat,
    pub merge_rev_id: Option<&'a str>,
}

/// `review --base DIR|ZIP [--head DIR|ZIP]`.
pub fn review(
    head: &Project,
    g: &Global,
    a: ReviewArgs,
    opts: &LoadOptions,
    script_dir: Option<&Path>,
    ini: &[(String, String)],
    versions: Option<&Path>,
) -> Output {
    let (base, other_head, format) = (a.base, a.head, a.format);
    let in_git = |spec: &Path| git::is_revision(spec) && versions.is_some();
    let load_other = |p: &Path| -> Result<Project, String> {
        if in_git(p) {
            let folder = versions.expect("checked by in_git");
            let files = git::read_at(folder, &p.to_string_lossy())?;
            return Ok(Project::load(&files, opts.clone()));
        }
        let read = load::read_other(p)?;
        let mut o = opts.clone();
        o.recursive = read.recursive;
        let mut project = Project::load(&read.files, o);
        project.diagnostics.splice(0..0, read.diagnostics);
        Ok(project)
    };
    // with git on both sides (or the working folder as the PR), the fork point tells a
    // deleted revision from one the base added since
    let fork = match versions.filter(|_| in_git(base) && other_head.is_none_or(in_git)) {
        Some(folder) => {
            let head_rev = other_head.map(|h| h.to_string_lossy().into_owned());
            match git::read_fork(folder, &base.to_string_lossy(), head_rev.as_deref()) {
                Ok(files) => Some(Project::load(&files, opts.clone())),
                Err(e) => return Output::default().fail(&e),
            }
        }
        None => None,
    };
    let base_project = match load_other(base) {
        Ok(p) => p,
        Err(e) => return Output::default().fail(&e),
    };
    let head_loaded;
    let head = match other_head {
        Some(h) => match load_other(h) {
            Ok(p) => {
                head_loaded = p;
                &head_loaded
            }
            Err(e) => return Output::default().fail(&e),
        },
        None => head,
    };
    let merge = match merge_request(
        vec!["heads".into()],
        None,
        Vec::new(),
        a.merge_rev_id.map(String::from),
        false,
        script_dir,
        ini,
    ) {
        Ok(m) => m,
        Err(e) => return Output::default().fail(&e),
    };
    let mut warnings = String::new();
    let lint_config = crate::lint::file_config(g.dialect, None, versions, &mut warnings).ok();
    let (r, merged) = review::review_merged(
        &base_project,
        head,
        &ReviewOptions {
            dialect: g.dialect,
            fork,
            merge,
            load: opts.clone(),
            lint: lint_config,
        },
    );
    let stdout = match format {
        ReviewFormat::Text => show::text(&r, &show::graph(&merged, &r).text(&merged)),
        ReviewFormat::Markdown => show::markdown(&r, &show::graph(&merged, &r).text(&merged)),
        ReviewFormat::Json => serde_json::to_string_pretty(&r).expect("a review serializes") + "\n",
        ReviewFormat::Github => show::github(&r, |p| g.ctx.display_path(p)),
    };
    Output {
        stdout,
        stderr: warnings,
        status: i32::from(r.blocking),
    }
}

/// What `merge` was given.
pub struct MergeArgs<'a> {
    pub revisions: &'a [String],
    pub message: Option<&'a str>,
    pub branch_labels: &'a [String],
    pub rev_id: Option<&'a str>,
    pub splice: bool,
}

/// `merge`: writes the merge revision into the versions folder, as `alembic merge`.
pub fn merge(
    p: &Project,
    versions: &[PathBuf],
    script_dir: Option<&Path>,
    ini: &[(String, String)],
    a: MergeArgs,
) -> Output {
    let req = match merge_request(
        a.revisions.to_vec(),
        a.message.map(String::from),
        a.branch_labels.to_vec(),
        a.rev_id.map(String::from),
        a.splice,
        script_dir,
        ini,
    ) {
        Ok(r) => r,
        Err(e) => return Output::default().fail(&e),
    };
    let m = match review::merge_revision(&p.map, &req) {
        Ok(m) => m,
        Err(e) => return Output::default().fail(e.message()),
    };
    // several version locations: the first merged head's, as Alembic picks
    let dir = match versions {
        [one] => one.clone(),
        many => {
            let first = m.merges.first().and_then(|id| p.map.index_of(id));
            let prefix = first.and_then(|i| load::root_of(&p.map.script_of(i).path));
            match prefix.and_then(|k| many.get(k)) {
                Some(d) => d.clone(),
                None => {
                    return Output::default()
                        .fail("Multiple version locations present, please specify --version-path")
                }
            }
        }
    };
    let dir = dir.canonicalize().unwrap_or(dir);
    let path = dir.join(&m.file_name);
    let mut o = Output::default();
    o.stdout
        .push_str(&format!("Generating {} ...", path.display()));
    match std::fs::write(&path, &m.text) {
        Ok(()) => o.stdout.push_str("  done\n"),
        Err(e) => {
            o.stdout.push_str("  FAILED\n");
            return o.fail(&format!("cannot write {}: {e}", path.display()));
        }
    }
    if !m.project_template {
        o.stderr.push_str(&format!(
            "alembic-planner: no script.py.mako{}; Alembic's default template was used\n",
            script_dir
                .map(|d| format!(" in {}", d.display()))
                .unwrap_or_default()
        ));
    }
    o
}
