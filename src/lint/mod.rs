//! Layer 13, **lint**: findings, a migration linter that reads Alembic's own files. Each
//! rule is a file of `rules/` with its documentation (what it finds, why it matters, an
//! example and the fix) as its module doc; a rule sees every operation with its line, the
//! schema simulated just before it, what the same revision created, whether it runs in a
//! transaction, and both directions. The planner's own diagnostics are rules of the same
//! registry (`diagnostics.rs`), configuration comes from `[tool.alembic-planner]`
//! (`config.rs`) and inline comments silence findings (`suppress.rs`).

pub mod config;
pub mod context;
pub mod diagnostics;
pub mod losses;
pub mod rules;
pub mod suppress;
mod walk;

pub use config::{Config, RuleLevel};
pub use context::{RevCx, StepCx};
pub use rules::RULES;
pub use walk::LintRun;

use crate::base::{Dialect, Severity};
use crate::project::Project;

/// Which function of the revision a finding is in.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Upgrade,
    Downgrade,
}

impl Direction {
    pub fn name(self) -> &'static str {
        match self {
            Direction::Upgrade => "upgrade",
            Direction::Downgrade => "downgrade",
        }
    }
}

/// One finding: a rule's message at a file and line.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// The rule's kebab-case id.
    pub rule: &'static str,
    pub severity: Severity,
    /// Path relative to the versions folder; empty for a finding about the whole project.
    pub path: String,
    /// 1-based line; 0 for the whole file.
    pub line: u32,
    /// 1-based column of the line's first character that is not white space.
    pub column: u32,
    /// The revision the finding is in, if any.
    pub revision: Option<String>,
    pub direction: Option<Direction>,
    pub message: String,
}

/// Where a rule looks.
#[derive(Clone, Copy)]
pub enum Check {
    /// At each operation of `upgrade()` and `downgrade()`, with the schema just before it.
    Step(fn(&StepCx, &mut Vec<String>)),
    /// Once per revision: (line, message) pairs.
    Revision(fn(&RevCx, &mut Vec<(u32, String)>)),
    /// Once per project (`multiple-heads`); findings with their places.
    Project(fn(&Project, &mut Vec<Finding>)),
    /// Raised by the framework itself (`unused-suppression`).
    Framework,
}

/// What a PostgreSQL lock rule claims, checked on a real server by `tests/locks.rs`: the
/// statement run after `setup` takes `lock` on the table `table` and rewrites it or not.
#[derive(Clone, Copy, Debug)]
pub struct LockClaim {
    /// `pg_locks.mode`: `AccessExclusiveLock`, `ShareLock`, ...
    pub lock: &'static str,
    pub rewrites: bool,
    pub table: &'static str,
    pub setup: &'static str,
    pub statement: &'static str,
}

/// The lock claims' usual setup: a table `t (id, c)` holding 100 rows.
pub const TABLE_WITH_ROWS: &str =
    "CREATE TABLE t (id int, c int); INSERT INTO t SELECT g, g FROM generate_series(1, 100) g;";

/// A rule of the registry.
pub struct Rule {
    /// Stable kebab-case id (Squawk's where the meaning is the same).
    pub id: &'static str,
    pub severity: Severity,
    /// The dialects it applies to; empty: all.
    pub dialects: &'static [Dialect],
    /// Off unless selected (`select = ["prefer-text-field"]`).
    pub default_on: bool,
    pub check: Check,
    pub lock: Option<LockClaim>,
    /// The rule's source file (`include_str!`): its module doc is the rule's documentation.
    pub source: &'static str,
}

impl Rule {
    /// The documentation: the module doc of the rule's file, as Markdown.
    pub fn doc(&self) -> String {
        let mut out = String::new();
        for l in self.source.lines() {
            let Some(rest) = l.strip_prefix("//!") else {
                if out.is_empty() && l.trim().is_empty() {
                    continue;
                }
                break;
            };
            out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
            out.push('\n');
        }
        out
    }

    /// The first sentence of the documentation.
    pub fn summary(&self) -> String {
        let doc = self.doc();
        let first = doc.split("\n\n").next().unwrap_or("").replace('\n', " ");
        first.trim().to_string()
    }

    pub fn applies_to(&self, dialect: Dialect) -> bool {
        self.dialects.is_empty() || self.dialects.contains(&dialect)
    }
}

/// A rule of the registry, or a diagnostic code of the planner's own.
pub fn find_rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.id == id)
}

/// The registry's own `&'static` id for `id`: a rule's or a diagnostic's code.
pub fn registered_id(id: &str) -> Option<&'static str> {
    find_rule(id).map(|r| r.id).or_else(|| {
        diagnostics::DIAGNOSTICS
            .iter()
            .find(|(code, _, _)| *code == id)
            .map(|(code, _, _)| *code)
    })
}

/// Whether `id` names a rule or one of the planner's diagnostic codes.
pub fn is_known(id: &str) -> bool {
    registered_id(id).is_some()
}

/// The outcome of linting a project.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Lint {
    /// Sorted by path, line, rule.
    pub findings: Vec<Finding>,
    /// Findings an inline comment silenced, for `--show-suppressed`-style reports.
    pub suppressed: usize,
    /// The ids of the rules that ran.
    pub rules: Vec<&'static str>,
    pub dialect: Dialect,
}

impl Lint {
    /// Whether an error-level finding remains (the CLI's exit status 1).
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// How many findings each revision (index in the map) has: the markers of the
    /// history and the graph.
    pub fn per_revision(&self, project: &Project) -> std::collections::HashMap<usize, usize> {
        let by_path: std::collections::HashMap<&str, usize> = (0..project.map.len())
            .map(|r| (project.map.script_of(r).path.as_str(), r))
            .collect();
        let mut per = std::collections::HashMap::new();
        for f in &self.findings {
            if let Some(&r) = by_path.get(f.path.as_str()) {
                *per.entry(r).or_default() += 1;
            }
        }
        per
    }

    /// How many findings each rule made, most first.
    pub fn counts(&self) -> Vec<(&'static str, usize)> {
        let mut m: std::collections::BTreeMap<&'static str, usize> = Default::default();
        for f in &self.findings {
            *m.entry(f.rule).or_default() += 1;
        }
        let mut v: Vec<_> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v
    }
}

/// Lints the project: every enabled rule over every revision, then the planner's own
/// diagnostics, the configuration's severities and the files' suppressions.
pub fn lint(project: &Project, config: &Config) -> Lint {
    walk::run(project, config)
}

/// The 1-based column of a line's first non-blank character (1 when unknown).
pub(crate) fn first_column(text: &str, line: u32) -> u32 {
    if line == 0 {
        return 1;
    }
    text.lines()
        .nth(line as usize - 1)
        .map(|l| (l.len() - l.trim_start().len()) as u32 + 1)
        .unwrap_or(1)
}
