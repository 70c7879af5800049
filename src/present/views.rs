//! Plain view models the shells render: what a history row or a revision's detail shows.
//! Shells only lay these out; every decision about content is made here.

use crate::project::Project;

/// One line of the history view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryRow {
    /// Index of the revision in the map.
    pub index: usize,
    pub id: String,
    pub message: String,
    pub down: Vec<String>,
    pub dependencies: Vec<String>,
    /// The branch labels the file declares.
    pub labels: Vec<String>,
    /// The labels it carries from its ancestors and descendants (Alembic's propagation):
    /// shown on demand, not on every row of a long branch.
    pub inherited_labels: Vec<String>,
    pub is_head: bool,
    pub is_effective_head: bool,
    pub is_base: bool,
    pub is_branch_point: bool,
    pub is_merge_point: bool,
    pub path: String,
    /// Diagnostics in this revision's file.
    pub problems: usize,
    /// Alembic's `history` line for this revision.
    pub alembic_line: String,
}

/// Everything the detail pane shows for one revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevisionDetail {
    pub row: HistoryRow,
    pub docstring: String,
    pub parents: Vec<(usize, String)>,
    pub children: Vec<(usize, String)>,
    pub depends_on: Vec<(usize, String)>,
    pub source: String,
}

pub fn history_row(project: &Project, i: usize) -> HistoryRow {
    let path = &project.map.script_of(i).path;
    let problems = project
        .diagnostics
        .iter()
        .filter(|d| d.path == *path)
        .count();
    row_with(project, i, problems)
}

/// [`history_row`], its diagnostics counted already.
fn row_with(project: &Project, i: usize, problems: usize) -> HistoryRow {
    let entry = crate::alembic::commands::Entry::new(&project.map, i);
    let r = entry.rev;
    HistoryRow {
        index: i,
        id: r.id.clone(),
        message: entry.script.message(),
        down: r.down.clone(),
        dependencies: r.dependencies.clone(),
        labels: r.own_labels.clone(),
        inherited_labels: project
            .map
            .labels(i)
            .into_iter()
            .filter(|l| !r.own_labels.iter().any(|o| o == l))
            .map(String::from)
            .collect(),
        is_head: r.is_real_head(),
        is_effective_head: r.is_head() && !r.is_real_head(),
        is_base: r.is_base(),
        is_branch_point: r.is_branch_point(),
        is_merge_point: r.is_merge_point(),
        path: entry.script.path.clone(),
        problems,
        alembic_line: entry.head_only(true, true, true, true),
    }
}

/// The history view: every revision, newest first.
pub fn history_rows(project: &Project) -> Vec<HistoryRow> {
    // each file's diagnostics counted in one pass (not a pass per revision)
    let mut per_path: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for d in &project.diagnostics {
        *per_path.entry(d.path.as_str()).or_default() += 1;
    }
    project
        .history_order()
        .into_iter()
        .map(|i| {
            let path = project.map.script_of(i).path.as_str();
            row_with(project, i, per_path.get(path).copied().unwrap_or(0))
        })
        .collect()
}

/// The detail pane for one revision.
pub fn revision_detail(project: &Project, i: usize) -> RevisionDetail {
    let map = &project.map;
    let r = map.rev(i);
    let named = |v: &[usize]| v.iter().map(|j| (*j, map.rev(*j).id.clone())).collect();
    RevisionDetail {
        row: history_row(project, i),
        docstring: map.script_of(i).longdoc(),
        parents: named(&r.down_idx),
        children: named(&r.all_nextrev),
        depends_on: named(&r.resolved_deps),
        source: project.sources[r.script].text.clone(),
    }
}

/// One step of the plan view.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PlanRow {
    pub number: usize,
    pub index: usize,
    pub id: String,
    /// `upgrade A -> B`.
    pub short_log: String,
    pub message: String,
    /// The version-table statements, in words: `insert x`, `update a -> b`, `delete y`.
    pub version_ops: Vec<String>,
    /// What the step destroys (tables and columns with their data, narrowed types), with
    /// the line of each.
    pub destroys: Vec<crate::lint::losses::Loss>,
}

/// What the plan builder shows for a request.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PlanView {
    pub start: Vec<String>,
    pub end: Vec<String>,
    pub rows: Vec<PlanRow>,
    /// Alembic's refusal (`FAILED: ...` text or the exception), if it refuses.
    pub error: Option<String>,
    /// The offline script (`alembic upgrade|downgrade RANGE --sql`), when the request is a
    /// range Alembic accepts offline.
    pub sql: Option<String>,
    /// The Alembic command that prints `sql`.
    pub sql_command: Option<String>,
}

/// A plan request in Alembic's own syntax.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PlanRequest {
    pub upgrade: bool,
    /// What follows `alembic upgrade` / `alembic downgrade`: `heads`, `ae10:+2`, `base`...
    pub target: String,
    /// The database's current revisions (comma or space separated); empty = base. Ignored
    /// when `target` is a `FROM:TO` range.
    pub current: String,
    pub dialect: crate::base::Dialect,
    pub transaction_per_migration: bool,
}

/// The branch labels the files declare, sorted, and every revision id newest first.
fn labels_and_ids(project: &Project) -> (Vec<&str>, Vec<String>) {
    let map = &project.map;
    let mut labels: Vec<&str> = map
        .revs
        .iter()
        .flat_map(|r| r.own_labels.iter().map(|l| l.as_str()))
        .collect();
    labels.sort();
    let ids = project
        .history_order()
        .into_iter()
        .map(|i| map.rev(i).id.clone())
        .collect();
    (labels, ids)
}

/// Identifiers to suggest while typing a target: symbols, labels, revision ids.
pub fn identifier_suggestions(project: &Project) -> Vec<String> {
    let (labels, ids) = labels_and_ids(project);
    let mut out: Vec<String> = ["heads", "head", "base", "+1", "-1"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for l in labels {
        out.push(format!("{l}@head"));
        out.push(format!("{l}@base"));
    }
    out.extend(ids);
    out
}

/// What the plan form offers, each list only what works there.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanSuggestions {
    /// Targets of an upgrade: `heads` (`head` when there is one), `+1`, `label@head`, ids.
    pub upgrade: Vec<String>,
    /// Targets of a downgrade: `base`, `-1`, `label@base`, ids.
    pub downgrade: Vec<String>,
    /// Where a database can be: revisions as `alembic_version` holds them (all the heads
    /// together first), never a symbol (`heads` there is Alembic's "Multiple head
    /// revisions" error for a downgrade).
    pub current: Vec<String>,
}

pub fn plan_suggestions(project: &Project) -> PlanSuggestions {
    let map = &project.map;
    let (labels, ids) = labels_and_ids(project);
    let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut upgrade = words(&["heads"]);
    if map.heads.len() == 1 {
        upgrade.push("head".into());
    }
    upgrade.push("+1".into());
    upgrade.extend(labels.iter().map(|l| format!("{l}@head")));
    upgrade.extend(ids.iter().cloned());
    let mut downgrade = words(&["base", "-1"]);
    downgrade.extend(labels.iter().map(|l| format!("{l}@base")));
    downgrade.extend(ids.iter().cloned());
    let mut current = Vec::new();
    if map.heads.len() > 1 {
        current.push(map.heads.join(", "));
    }
    current.extend(ids);
    PlanSuggestions {
        upgrade,
        downgrade,
        current,
    }
}

/// The plan builder: steps, bookkeeping and offline SQL for a request.
pub fn plan_view(project: &Project, req: &PlanRequest) -> PlanView {
    use crate::plan;
    let map = &project.map;
    let target = req.target.trim();
    if target.is_empty() {
        return PlanView::default();
    }
    let current: Vec<String> = req
        .current
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    let direction = if req.upgrade {
        plan::Direction::Upgrade
    } else {
        plan::Direction::Downgrade
    };
    let mut view = PlanView::default();
    let p = match plan::request(map, direction, target, &current) {
        Ok(p) => p,
        Err(f) => {
            view.error = Some(f.message().to_string());
            return view;
        }
    };
    let start = p.start.clone();
    let mut losses = crate::lint::losses::plan_losses(project, &p, req.dialect);
    view.rows = p
        .steps
        .iter()
        .enumerate()
        .filter_map(|(k, s)| s.rev.map(|rev| (k, s, rev)))
        .map(|(k, s, rev)| PlanRow {
            number: k + 1,
            index: rev,
            id: map.rev(rev).id.clone(),
            short_log: s.short_log(),
            message: map.script_of(rev).message(),
            version_ops: s.version_ops.iter().map(|op| op.describe("→")).collect(),
            destroys: losses.get_mut(k).map(std::mem::take).unwrap_or_default(),
        })
        .collect();
    view.start = p.start.clone();
    view.end = p.end.clone();
    view.error = p.failure.as_ref().map(|f| {
        format!(
            "Alembic itself would crash at the last step: {}",
            f.message()
        )
    });
    // Offline mode needs FROM:TO for downgrades; from a current state, show it as one.
    let range = if target.contains(':') {
        target.to_string()
    } else if start.is_empty() {
        if req.upgrade {
            target.to_string()
        } else {
            format!("base:{target}")
        }
    } else if start.len() == 1 {
        format!("{}:{target}", start[0])
    } else {
        String::new()
    };
    if !range.is_empty() {
        let opts = crate::alembic::offline::OfflineOptions {
            dialect: req.dialect,
            transaction_per_migration: req.transaction_per_migration,
        };
        let out = crate::alembic::offline::run(
            project,
            &crate::alembic::commands::Context::default(),
            req.upgrade,
            &range,
            opts,
        );
        view.sql = Some(out.stdout);
        view.sql_command = Some(format!(
            "alembic {} {range} --sql",
            if req.upgrade { "upgrade" } else { "downgrade" }
        ));
    }
    view
}

/// One change in a table's timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineRow {
    pub rev: usize,
    pub rev_id: String,
    pub path: String,
    pub line: u32,
    pub action: crate::schema::EventAction,
    /// `column email`, `index ix_a`, ... (empty for the table itself).
    pub object: String,
    pub detail: String,
}

/// A table in the Tables view: its timeline and whether it exists at the heads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableCard {
    pub name: String,
    pub exists_at_heads: bool,
    pub timeline: Vec<TimelineRow>,
}

/// The Tables view: the tables matching a query (by table, column, index or constraint
/// name), each with its timeline in upgrade order, out of how many tables in all.
pub struct TablesView {
    pub cards: Vec<TableCard>,
    pub total: usize,
}

/// The Tables view for a query.
pub fn tables_view(project: &Project, sim: &crate::schema::Simulation, query: &str) -> TablesView {
    let q = query.trim().to_lowercase();
    let all = sim.by_table();
    let total = all.len();
    let cards = all
        .into_iter()
        .filter(|(t, events)| {
            q.is_empty()
                || t.to_lowercase().contains(&q)
                || events.iter().any(|e| e.name.to_lowercase().contains(&q))
        })
        .map(|(name, events)| TableCard {
            exists_at_heads: sim.schema.tables.contains_key(&name),
            timeline: events
                .iter()
                .map(|e| TimelineRow {
                    rev: e.rev,
                    rev_id: project.map.rev(e.rev).id.clone(),
                    path: project.map.script_of(e.rev).path.clone(),
                    line: e.line,
                    action: e.action,
                    object: e.object_label(),
                    detail: e.detail.clone(),
                })
                .collect(),
            name,
        })
        .collect();
    TablesView { cards, total }
}

/// The Schema view: the schema at a target, or its difference from another.
#[derive(Clone, Debug, Default)]
pub struct SchemaView {
    pub error: Option<String>,
    pub schema: crate::schema::Schema,
    /// `schema::diff` text when comparing.
    pub diff: Option<String>,
    /// `(revision index, line, reason)` of steps whose effect is unknown.
    pub unknown: Vec<(usize, u32, String)>,
    pub diagnostics: Vec<crate::base::diag::Diagnostic>,
}

/// The schema after `upgrade AT` from empty; with `since`, also what changed since it.
pub fn schema_view(
    project: &Project,
    at: &str,
    since: &str,
    dialect: crate::base::Dialect,
) -> SchemaView {
    SchemaViewRun::new(project, at, since, dialect).finish()
}

/// [`schema_view`] a few revisions at a time, for a shell that must keep painting (the
/// schema at the heads of 10,000 revisions is a quarter of a second in the browser).
pub struct SchemaViewRun<'p> {
    at: Result<crate::schema::SimulationRun<'p>, String>,
    since: Option<Result<crate::schema::SimulationRun<'p>, String>>,
}

impl<'p> SchemaViewRun<'p> {
    pub fn new(project: &'p Project, at: &str, since: &str, dialect: crate::base::Dialect) -> Self {
        let run = |target: &str| {
            project
                .upgrade_path(target)
                .map(|revs| crate::schema::SimulationRun::new(project, revs, dialect))
                .map_err(|f| f.message().to_string())
        };
        let at = match at.trim() {
            "" => "heads",
            at => at,
        };
        SchemaViewRun {
            at: run(at),
            since: (!since.trim().is_empty()).then(|| run(since.trim())),
        }
    }

    /// Applies up to `n` more revisions of each schema; true once both are complete.
    pub fn step(&mut self, n: usize) -> bool {
        let at = self.at.as_mut().map_or(true, |r| r.step(n));
        let since = match &mut self.since {
            Some(Ok(r)) => r.step(n),
            _ => true,
        };
        at && since
    }

    /// The view (what is left applied first).
    pub fn finish(self) -> SchemaView {
        let sim = match self.at {
            Ok(run) => run.finish(),
            Err(error) => {
                return SchemaView {
                    error: Some(error),
                    ..SchemaView::default()
                }
            }
        };
        let mut view = SchemaView {
            unknown: sim
                .unknown
                .iter()
                .map(|u| (u.rev, u.line, u.reason.clone()))
                .collect(),
            diagnostics: sim.diagnostics.clone(),
            ..SchemaView::default()
        };
        match self.since {
            Some(Ok(before)) => {
                view.diff = Some(crate::schema::diff(&before.finish().schema, &sim.schema))
            }
            Some(Err(error)) => view.error = Some(error),
            None => {}
        }
        view.schema = sim.schema;
        view
    }
}

#[cfg(test)]
mod suggestion_tests {
    use super::*;

    #[test]
    fn each_field_offers_only_what_works_there() {
        let f = |id: &str, down: &str, label: &str| {
            (
                format!("{id}.py"),
                format!("revision = \"{id}\"\ndown_revision = {down}\nbranch_labels = {label}\n"),
            )
        };
        let files = [
            f("a", "None", "None"),
            f("b", "\"a\"", "(\"x\",)"),
            f("c", "\"a\"", "None"),
        ];
        let p = Project::from_texts(&files);
        let s = plan_suggestions(&p);
        assert_eq!(s.upgrade[..3], ["heads", "+1", "x@head"]);
        assert!(!s.downgrade.iter().any(|t| t == "heads" || t == "+1"));
        assert_eq!(s.downgrade[..3], ["base", "-1", "x@base"]);
        assert_eq!(s.current[0], p.map.heads.join(", "));
        assert!(!s.current.iter().any(|t| t == "heads" || t == "base"));
    }
}

/// The dialect a project is written for, and why the planner thinks so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DialectGuess {
    pub dialect: crate::base::Dialect,
    /// For people: `alembic.ini's sqlalchemy.url`, `12 revisions use mysql_* options`.
    pub reason: String,
}

/// The dialect of a database URL's scheme (`mysql+pymysql://`, `postgresql://`).
fn url_dialect(url: &str) -> Option<crate::base::Dialect> {
    use crate::base::Dialect;
    let scheme = url.trim().split("://").next()?.split('+').next()?;
    match scheme {
        "postgresql" | "postgres" => Some(Dialect::Postgresql),
        "mysql" | "mariadb" => Some(Dialect::Mysql),
        "sqlite" => Some(Dialect::Sqlite),
        "mssql" => Some(Dialect::Mssql),
        _ => None,
    }
}

/// Detects the dialect from what was opened: `alembic.ini`'s `sqlalchemy.url` (not the
/// template's `driver://`), then a database URL written in `env.py`, then the dialect
/// options and imports the revisions use (`mysql_engine=`, `postgresql.JSONB`), the
/// dialect most revisions speak. `files` are the other files read (`alembic.ini`,
/// `env.py`), as `(path, text)`.
pub fn detect_dialect(project: &Project, files: &[(&str, &str)]) -> Option<DialectGuess> {
    dialect_configured(files).or_else(|| {
        let mut tally = DialectTally::default();
        for src in &project.sources {
            tally.add(&src.text);
        }
        tally.guess()
    })
}

/// The dialect `alembic.ini`'s `sqlalchemy.url` or a database URL in `env.py` names, among
/// `files`: the first two of `detect_dialect`'s answers.
pub fn dialect_configured(files: &[(&str, &str)]) -> Option<DialectGuess> {
    use crate::base::Dialect;
    let named = |suffix: &str| {
        files
            .iter()
            .find(|(p, _)| *p == suffix || p.ends_with(&format!("/{suffix}")))
            .map(|(_, t)| *t)
    };
    if let Some(ini) = named("alembic.ini") {
        let vals = crate::input::ini::ini_values(ini);
        if let Some(d) = crate::input::ini::ini_get(&vals, "sqlalchemy.url").and_then(url_dialect) {
            return Some(DialectGuess {
                dialect: d,
                reason: "alembic.ini's sqlalchemy.url".into(),
            });
        }
    }
    let env = named("env.py")?;
    Dialect::ALL.into_iter().find_map(|d| {
        let schemes: &[&str] = match d {
            Dialect::Postgresql => &[
                "\"postgresql://",
                "\"postgresql+",
                "'postgresql://",
                "'postgresql+",
            ],
            Dialect::Mysql => &["\"mysql://", "\"mysql+", "'mysql://", "'mysql+"],
            Dialect::Sqlite => &["\"sqlite://", "'sqlite://"],
            Dialect::Mssql => &["\"mssql+", "'mssql+"],
        };
        schemes
            .iter()
            .any(|s| env.contains(s))
            .then(|| DialectGuess {
                dialect: d,
                reason: "a database URL in env.py".into(),
            })
    })
}

/// How many revisions use each dialect's options or types (`dialects_used`), counted a
/// file at a time (a shell can count a slice of a large folder per turn): the last of
/// `detect_dialect`'s answers.
#[derive(Clone, Debug, Default)]
pub struct DialectTally([usize; 4]);

impl DialectTally {
    /// Counts one revision file's text.
    pub fn add(&mut self, text: &str) {
        for (n, used) in self.0.iter_mut().zip(dialects_used(text)) {
            *n += usize::from(used);
        }
    }

    /// The dialect more revisions use than any other, if one does.
    pub fn guess(&self) -> Option<DialectGuess> {
        use crate::base::Dialect;
        let mut counts: Vec<(Dialect, usize)> = Dialect::ALL.into_iter().zip(self.0).collect();
        counts.sort_by_key(|c| std::cmp::Reverse(c.1));
        match (counts[0], counts[1]) {
            ((d, n), (_, m)) if n > 0 && n > m => Some(DialectGuess {
                dialect: d,
                reason: format!(
                    "{n} revision{} use{} {}_* options or its types",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "s" } else { "" },
                    d.name()
                ),
            }),
            _ => None,
        }
    }
}

/// Which dialects (in `Dialect::ALL`'s order) a file uses by name: `mysql_engine=` (the
/// name followed by `_`), `dialects.mysql`, `dialects import mysql`. Every dialect's name
/// holds `sql`, so one search for it finds them all (a search per name took 60 ms of one
/// task on 10,000 files in the browser).
pub fn dialects_used(text: &str) -> [bool; 4] {
    use crate::base::Dialect;
    let mut used = [false; 4];
    // (in bytes: the names are ASCII, the text need not be)
    let b = text.as_bytes();
    let at = |start: usize, name: &str| {
        b[start + name.len()..].starts_with(b"_")
            || b[..start].ends_with(b"dialects.")
            || b[..start].ends_with(b"dialects import ")
    };
    for (i, _) in text.match_indices("sql") {
        for (k, d) in Dialect::ALL.iter().enumerate() {
            let name = d.name();
            let Some(offset) = name.find("sql") else {
                continue;
            };
            let Some(start) = i.checked_sub(offset) else {
                continue;
            };
            if !used[k] && b[start..].starts_with(name.as_bytes()) && at(start, name) {
                used[k] = true;
            }
        }
    }
    used
}

/// Modules revision files import that do not name a project: the standard library's
/// commonest, SQLAlchemy, Alembic, and the libraries migrations use for column types.
const NOT_A_PROJECT: &[&str] = &[
    "__future__",
    "abc",
    "alembic",
    "alembic_utils",
    "base64",
    "citext",
    "collections",
    "contextlib",
    "copy",
    "dataclasses",
    "datetime",
    "decimal",
    "enum",
    "functools",
    "geoalchemy2",
    "hashlib",
    "importlib",
    "itertools",
    "json",
    "logging",
    "math",
    "os",
    "pathlib",
    "pgvector",
    "pickle",
    "random",
    "re",
    "secrets",
    "sqlalchemy",
    "sqlalchemy_utc",
    "sqlalchemy_utils",
    "sqlmodel",
    "string",
    "sys",
    "textwrap",
    "time",
    "typing",
    "typing_extensions",
    "uuid",
    "warnings",
];

/// What the summary calls what was opened, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectTitle {
    pub name: String,
    /// Set when the name is not the folder's own: what it was taken from.
    pub why: Option<String>,
}

/// The name for the summary: what was opened (`proj/migrations/versions`, `x.zip:
/// versions`), or, when that is a bare `versions` folder (the browser never says what holds
/// it), the application package most of its revisions import at module level
/// (`airflow: versions`), when one package leads.
pub fn project_title(project: &Project, opened: &str) -> ProjectTitle {
    let plain = ProjectTitle {
        name: opened.to_string(),
        why: None,
    };
    let last = opened.rsplit([':', '/']).next().unwrap_or("").trim();
    if !last.eq_ignore_ascii_case("versions") || opened.contains('/') {
        return plain;
    }
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for src in &project.sources {
        let mut seen = std::collections::BTreeSet::new();
        for line in src.text.lines() {
            let rest = line
                .strip_prefix("from ")
                .or_else(|| line.strip_prefix("import "));
            let Some(module) = rest.and_then(|r| r.split([' ', '.', ',']).next()) else {
                continue;
            };
            if !module.is_empty()
                && module
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !NOT_A_PROJECT.contains(&module)
            {
                seen.insert(module);
            }
        }
        for m in seen {
            *counts.entry(m).or_default() += 1;
        }
    }
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    ranked.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    match ranked.as_slice() {
        [(name, n), rest @ ..] if rest.first().is_none_or(|(_, m)| m < n) => ProjectTitle {
            name: format!("{name}: {opened}"),
            why: Some(format!(
                "named after the package {n} of its {} revision files import",
                project.sources.len()
            )),
        },
        _ => plain,
    }
}

#[cfg(test)]
mod title_tests {
    use super::*;

    #[test]
    fn a_bare_versions_folder_is_named_after_the_package_its_revisions_import() {
        let rev = |id: &str, imports: &str| {
            format!(
                "{imports}\nrevision = '{id}'\ndown_revision = None\ndef upgrade():\n    pass\n"
            )
        };
        let (a, b, c) = (
            rev(
                "a",
                "from alembic import op\nimport sqlalchemy as sa\nfrom shop.db.types import Money",
            ),
            rev("b", "import shop.models\nimport datetime"),
            rev("c", "from billing import x"),
        );
        let p = Project::from_texts(&[("a.py", &a), ("b.py", &b), ("c.py", &c)]);
        let t = project_title(&p, "versions");
        assert_eq!(t.name, "shop: versions");
        assert_eq!(
            t.why.as_deref(),
            Some("named after the package 2 of its 3 revision files import")
        );
        // a folder inside a named project keeps its own name
        assert_eq!(
            project_title(&p, "proj/db/versions").name,
            "proj/db/versions"
        );
        assert_eq!(project_title(&p, "sample").name, "sample");
        // no package leads: the folder's own name
        let p = Project::from_texts(&[
            ("a.py", &rev("a", "import x")),
            ("b.py", &rev("b", "import y")),
        ]);
        assert_eq!(project_title(&p, "versions").name, "versions");
    }
}

#[cfg(test)]
mod dialect_tests {
    use super::*;
    use crate::base::Dialect;

    #[test]
    fn the_ini_then_env_then_the_revisions_say_which_dialect() {
        let p = Project::from_texts(&[(
            "a.py",
            "revision = 'a'\ndown_revision = None\ndef upgrade():\n    op.create_table('t', mysql_engine='InnoDB')\n",
        )]);
        let guess =
            |files: &[(&str, &str)]| detect_dialect(&p, files).map(|g| (g.dialect, g.reason));
        assert_eq!(
            guess(&[]),
            Some((
                Dialect::Mysql,
                "1 revision uses mysql_* options or its types".into()
            ))
        );
        assert_eq!(
            guess(&[(
                "alembic.ini",
                "[alembic]\nsqlalchemy.url = postgresql+psycopg://u@h/db\n"
            )]),
            Some((Dialect::Postgresql, "alembic.ini's sqlalchemy.url".into()))
        );
        // the template's placeholder says nothing; env.py's URL does
        assert_eq!(
            guess(&[
                (
                    "proj/alembic.ini",
                    "[alembic]\nsqlalchemy.url = driver://user:pass@localhost/dbname\n"
                ),
                ("proj/env.py", "URL = \"sqlite:///app.db\"\n"),
            ]),
            Some((Dialect::Sqlite, "a database URL in env.py".into()))
        );
        let plain = Project::from_texts(&[("a.py", "revision = 'a'\ndown_revision = None\n")]);
        assert_eq!(detect_dialect(&plain, &[]), None);
    }

    /// The one search for `sql` finds what a search for each dialect's name finds.
    #[test]
    fn one_search_finds_every_dialect_used() {
        let by_name = |text: &str| -> [bool; 4] {
            let mut out = [false; 4];
            for (k, d) in Dialect::ALL.iter().enumerate() {
                let name = d.name();
                out[k] = text.match_indices(name).any(|(i, _)| {
                    text[i + name.len()..].starts_with('_')
                        || text[..i].ends_with("dialects.")
                        || text[..i].ends_with("dialects import ")
                });
            }
            out
        };
        let pieces = [
            "mysql_engine='InnoDB'",
            "postgresql_using='gin'",
            "sqlite_autoincrement=True",
            "mssql_clustered=True",
            "from sqlalchemy.dialects import postgresql",
            "sa.dialects.mysql.TINYINT",
            "mysqlite_",
            "mysql",
            "postgresql",
            "sql_",
            "sqlite",
            "é sqlite_on_conflict",
            "dialects.mssql",
            "mssq",
            "_sql",
            "ms",
            "my_sql_",
        ];
        let mut checked = 0;
        for a in pieces {
            for b in pieces {
                for text in [
                    format!("{a} {b}"),
                    format!("{a}{b}"),
                    format!("x = ({a}, {b})"),
                ] {
                    assert_eq!(dialects_used(&text), by_name(&text), "{text}");
                    checked += 1;
                }
            }
        }
        assert_eq!(
            dialects_used("op.create_table('t', mysql_engine='InnoDB')"),
            [false, true, false, false]
        );
        assert!(checked > 800);
    }
}
