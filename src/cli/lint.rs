//! `lint`: the core's findings with the configuration read from `pyproject.toml` and the
//! command line, printed in the format asked for.

use std::path::{Path, PathBuf};

use alembic_planner::alembic::commands::Output;
use alembic_planner::lint::{self, Config, RULES};
use alembic_planner::present::lint as show;
use alembic_planner::Project;

use crate::args::LintFormat;
use crate::run::Global;

pub struct LintArgs<'a> {
    pub format: LintFormat,
    pub config: Option<&'a Path>,
    pub select: &'a [String],
    pub extend_select: &'a [String],
    pub ignore: &'a [String],
    pub postgresql_version: Option<u32>,
    pub skip_before: Option<&'a str>,
    /// Whether `--dialect` was given (it then wins over the file's `dialect`).
    pub dialect_given: bool,
}

/// `--explain RULE`.
pub fn explain(id: &str) -> Output {
    match show::explain(id) {
        Some(page) => Output {
            stdout: page,
            ..Output::default()
        },
        None => Output {
            stderr: format!("alembic-planner: no rule or diagnostic `{id}` (`alembic-planner lint --list-rules` lists them)\n"),
            status: 2,
            ..Output::default()
        },
    }
}

/// `--list-rules`.
pub fn list_rules() -> Output {
    let mut out = String::new();
    let mut rules: Vec<_> = RULES.to_vec();
    rules.sort_by_key(|r| r.id);
    for r in rules {
        out.push_str(&format!(
            "{:<46} {:<8} {:<4} {}\n",
            r.id,
            r.severity.as_str(),
            if r.default_on { "on" } else { "off" },
            r.summary()
        ));
    }
    Output {
        stdout: out,
        ..Output::default()
    }
}

/// The nearest `pyproject.toml` at or above `start`.
fn find_pyproject(start: &Path) -> Option<PathBuf> {
    let start = start.canonicalize().ok()?;
    start
        .ancestors()
        .map(|d| d.join("pyproject.toml"))
        .find(|p| p.is_file())
}

/// The configuration of `file`, or of the nearest `pyproject.toml` above `versions`; its
/// problems are said on `stderr`. `Err` when the file cannot be read.
pub fn file_config(
    dialect: alembic_planner::base::Dialect,
    file: Option<&Path>,
    versions: Option<&Path>,
    stderr: &mut String,
) -> Result<Config, ()> {
    let mut config = Config::new(dialect);
    let file = file
        .map(Path::to_path_buf)
        .or_else(|| versions.and_then(find_pyproject));
    if let Some(file) = &file {
        match std::fs::read_to_string(file) {
            Ok(text) => {
                for problem in config.apply_pyproject(&text) {
                    stderr.push_str(&format!("alembic-planner: {}: {problem}\n", file.display()));
                }
            }
            Err(e) => {
                stderr.push_str(&format!("alembic-planner: {}: {e}\n", file.display()));
                return Err(());
            }
        }
    }
    Ok(config)
}

pub fn lint(p: &Project, g: &Global, a: LintArgs, versions: Option<&Path>) -> Output {
    let mut o = Output::default();
    let Ok(mut config) = file_config(g.dialect, a.config, versions, &mut o.stderr) else {
        o.status = 2;
        return o;
    };
    if a.dialect_given {
        config.dialect = g.dialect;
    }
    if !a.select.is_empty() {
        // the command line's selection replaces the file's, extensions included
        config.select = a.select.to_vec();
        config.extend_select.clear();
    }
    config.extend_select.extend(a.extend_select.iter().cloned());
    config.ignore.extend(a.ignore.iter().cloned());
    if let Some(v) = a.postgresql_version {
        config.postgresql_version = Some(v);
    }
    if let Some(s) = a.skip_before {
        config.skip_before = Some(s.to_string());
    }
    for id in a.select.iter().chain(a.extend_select).chain(a.ignore) {
        if id != "ALL" && !lint::is_known(id) {
            o.stderr
                .push_str(&format!("alembic-planner: unknown rule `{id}`\n"));
            o.status = 2;
            return o;
        }
    }
    if let Some(s) = &config.skip_before {
        if p.map.lookup_key(s).is_none() {
            o.stderr.push_str(&format!(
                "alembic-planner: skip-before: no revision `{s}`; every revision is linted\n"
            ));
        }
    }
    let mut result = lint::lint(p, &config);
    for f in &mut result.findings {
        if !f.path.is_empty() {
            f.path = g.ctx.display_path(&f.path);
        }
    }
    o.stdout = match a.format {
        LintFormat::Text => show::text(&result),
        LintFormat::Github => show::github(&result),
        LintFormat::Markdown => show::markdown(&result),
        LintFormat::Json => crate::run::json_text(&result),
        LintFormat::Sarif => crate::run::json_text(&show::sarif(&result)),
    };
    if result.has_errors() {
        o.status = 1;
    }
    o
}
