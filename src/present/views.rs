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
        problems: project
            .diagnostics
            .iter()
            .filter(|d| d.path == entry.script.path)
            .count(),
        alembic_line: entry.head_only(true, true, true, true),
    }
}

/// The history view: every revision, newest first.
pub fn history_rows(project: &Project) -> Vec<HistoryRow> {
    project
        .history_order()
        .into_iter()
        .map(|i| history_row(project, i))
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
#[derive(Clone, Debug, PartialEq, Eq)]
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
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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
#[derive(Clone, Debug, PartialEq, Eq)]
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

/// Identifiers to suggest while typing a target: symbols, labels, revision ids.
pub fn identifier_suggestions(project: &Project) -> Vec<String> {
    let mut out: Vec<String> = ["heads", "head", "base", "+1", "-1"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut labels: Vec<&str> = project
        .map
        .revs
        .iter()
        .flat_map(|r| r.own_labels.iter().map(|l| l.as_str()))
        .collect();
    labels.sort();
    for l in labels {
        out.push(format!("{l}@head"));
        out.push(format!("{l}@base"));
    }
    for i in project.history_order() {
        out.push(project.map.rev(i).id.clone());
    }
    out
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
    let at = if at.trim().is_empty() {
        "heads"
    } else {
        at.trim()
    };
    let sim = match crate::schema::schema_at(project, at, dialect) {
        Ok(s) => s,
        Err(f) => {
            return SchemaView {
                error: Some(f.message().to_string()),
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
    if !since.trim().is_empty() {
        match crate::schema::schema_at(project, since.trim(), dialect) {
            Ok(before) => view.diff = Some(crate::schema::diff(&before.schema, &sim.schema)),
            Err(f) => view.error = Some(f.message().to_string()),
        }
    }
    view.schema = sim.schema;
    view
}
