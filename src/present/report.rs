//! The JSON the shells print: reports built from the core's values, serialised as they
//! are. Revisions are named by id (never by index into the map), files by their path in
//! the versions folder, lines 1-based. Every `--format json` of the CLI is one of these
//! types serialised, so the schema is the types below (documented in the README, tested by
//! `tests/json.rs`).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::base::{Diagnostic, Dialect};
use crate::graph::RevisionMap;
use crate::lint::losses::Loss;
use crate::plan::{Plan, VersionOp};
use crate::project::Project;
use crate::schema::{Check, EventAction, ForeignKey, Index, Key, ObjectKind, Simulation};

/// `plan upgrade|downgrade|stamp TARGET --format json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanReport {
    /// The version rows before the first step (empty: an empty database).
    pub start: Vec<String>,
    /// The version rows after the last step.
    pub end: Vec<String>,
    pub steps: Vec<PlanStepReport>,
    /// What Alembic itself would print where it stops at the last step, if it does.
    pub alembic_failure: Option<String>,
}

/// One step of a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanStepReport {
    /// The revision whose migration runs (`None` for a stamp step).
    pub revision: Option<String>,
    pub direction: StepKind,
    /// The revisions on the left of Alembic's `-- Running upgrade A, B -> C`.
    pub from: Vec<String>,
    /// The revisions on its right.
    pub to: Vec<String>,
    /// The revision's message (its docstring's first paragraph).
    pub message: Option<String>,
    pub path: Option<String>,
    /// What the step does to `alembic_version`.
    pub version_table: Vec<VersionOp>,
    /// What the step destroys: tables and columns dropped with their data, types narrowed.
    pub destroys: Vec<Loss>,
}

/// What a plan step runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepKind {
    Upgrade,
    Downgrade,
    /// Only the version table changes; no migration code runs.
    Stamp,
}

/// The report of a plan.
pub fn plan_report(project: &Project, p: &Plan, dialect: Dialect) -> PlanReport {
    let map = &project.map;
    let mut losses = crate::lint::losses::plan_losses(project, p, dialect).into_iter();
    PlanReport {
        start: p.start.clone(),
        end: p.end.clone(),
        steps: p
            .steps
            .iter()
            .map(|s| PlanStepReport {
                revision: s.rev.map(|r| map.rev(r).id.clone()),
                direction: if s.stamp {
                    StepKind::Stamp
                } else if s.upgrade {
                    StepKind::Upgrade
                } else {
                    StepKind::Downgrade
                },
                from: s.from.clone(),
                to: s.to.clone(),
                message: s.rev.map(|r| map.script_of(r).doc()),
                path: s.rev.map(|r| map.script_of(r).path.clone()),
                version_table: s.version_ops.clone(),
                destroys: losses.next().unwrap_or_default(),
            })
            .collect(),
        alembic_failure: p.failure.as_ref().map(|f| f.message().to_string()),
    }
}

/// `tables --format json`: for every table, what each revision did to it and its parts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TablesReport {
    /// Table name → its events in upgrade order (a renamed table appears under both names).
    pub tables: BTreeMap<String, Vec<EventReport>>,
    /// Per revision, in upgrade order: the tables it creates, changes, drops, points its new
    /// foreign keys to, writes rows to and reads.
    pub revisions: Vec<RevisionTablesReport>,
    /// The contradictions the simulation found.
    pub diagnostics: Vec<Diagnostic>,
}

/// One change to a schema object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EventReport {
    pub revision: String,
    pub path: String,
    pub line: u32,
    pub kind: ObjectKind,
    /// The column, index or constraint (the table's own name for the table).
    pub name: String,
    pub action: EventAction,
    pub detail: String,
}

/// What one revision does to tables.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RevisionTablesReport {
    pub revision: String,
    pub path: String,
    pub creates: Vec<String>,
    pub changes: Vec<String>,
    pub drops: Vec<String>,
    pub depends_on: Vec<String>,
    pub writes_data: Vec<String>,
    pub reads_data: Vec<String>,
}

pub fn tables_report(map: &RevisionMap, sim: &Simulation) -> TablesReport {
    TablesReport {
        tables: sim
            .by_table()
            .into_iter()
            .map(|(t, events)| {
                let evs = events
                    .iter()
                    .map(|e| EventReport {
                        revision: map.rev(e.rev).id.clone(),
                        path: map.script_of(e.rev).path.clone(),
                        line: e.line,
                        kind: e.kind,
                        name: e.name.clone(),
                        action: e.action,
                        detail: e.detail.clone(),
                    })
                    .collect();
                (t, evs)
            })
            .collect(),
        revisions: sim
            .revisions
            .iter()
            .map(|r| RevisionTablesReport {
                revision: map.rev(r.rev).id.clone(),
                path: map.script_of(r.rev).path.clone(),
                creates: r.creates.clone(),
                changes: r.changes.clone(),
                drops: r.drops.clone(),
                depends_on: r.depends_on.clone(),
                writes_data: r.writes_data.clone(),
                reads_data: r.reads_data.clone(),
            })
            .collect(),
        diagnostics: sim.diagnostics.clone(),
    }
}

/// `schema --format json`: the simulated schema.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SchemaReport {
    pub tables: Vec<TableReport>,
    /// Enum types (PostgreSQL) and their values.
    pub enums: BTreeMap<String, Vec<String>>,
    /// Steps whose effect on the schema cannot be known without the application.
    pub unknown: Vec<UnknownReport>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TableReport {
    pub name: String,
    pub comment: Option<String>,
    /// The revision whose upgrade created it.
    pub created_by: Option<String>,
    pub columns: Vec<ColumnReport>,
    pub primary_key: Option<Key>,
    pub unique: Vec<Key>,
    pub foreign_keys: Vec<ForeignKey>,
    pub checks: Vec<Check>,
    pub indexes: Vec<Index>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ColumnReport {
    pub name: String,
    /// The type as written in the migration (`String(255)`), `?` when unknown.
    #[serde(rename = "type")]
    pub type_: String,
    pub nullable: bool,
    /// The server default as SQL.
    pub default: Option<String>,
    pub comment: Option<String>,
}

/// A step whose effect is unknown, where and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnknownReport {
    pub revision: String,
    pub path: String,
    pub line: u32,
    pub reason: String,
}

pub fn schema_report(map: &RevisionMap, sim: &Simulation) -> SchemaReport {
    SchemaReport {
        tables: sim
            .schema
            .tables
            .values()
            .map(|t| TableReport {
                name: t.name.clone(),
                comment: t.comment.clone(),
                created_by: t.created_by.map(|r| map.rev(r).id.clone()),
                columns: t
                    .columns
                    .iter()
                    .map(|c| ColumnReport {
                        name: c.name.clone(),
                        type_: crate::schema::type_text(&c.type_),
                        nullable: c.nullable,
                        default: c.default.clone(),
                        comment: c.comment.clone(),
                    })
                    .collect(),
                primary_key: t.primary_key.clone(),
                unique: t.uniques.clone(),
                foreign_keys: t.foreign_keys.clone(),
                checks: t.checks.clone(),
                indexes: t.indexes.clone(),
            })
            .collect(),
        enums: sim.schema.enums.clone(),
        unknown: sim
            .unknown
            .iter()
            .map(|u| UnknownReport {
                revision: map.rev(u.rev).id.clone(),
                path: map.script_of(u.rev).path.clone(),
                line: u.line,
                reason: u.reason.clone(),
            })
            .collect(),
        diagnostics: sim.diagnostics.clone(),
    }
}
