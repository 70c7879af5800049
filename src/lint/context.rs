//! What a rule sees: one operation with the schema just before it ([`StepCx`]), or one
//! revision as a whole ([`RevCx`]), and the helpers rules share (types, dialect options).

use std::collections::BTreeSet;

use super::{Config, Direction};
use crate::ops::{LocatedStep, MigrationOps, Operation};
use crate::project::Project;
use crate::python::Val;
use crate::schema::{Schema, SchemaColumn, Table};
use crate::script::Script;

/// One operation of `upgrade()` or `downgrade()`, as a step rule sees it.
pub struct StepCx<'a> {
    pub project: &'a Project,
    pub config: &'a Config,
    pub rev: usize,
    pub direction: Direction,
    pub step: &'a LocatedStep,
    pub op: &'a Operation,
    /// The schema just before the step (tables the simulation does not know are assumed
    /// to exist already, created before the history starts or outside Alembic).
    pub schema: &'a Schema,
    /// Tables this function created before the step: they hold no rows yet, so rules
    /// about locks and rewrites leave them alone.
    pub created: &'a BTreeSet<String>,
    /// Tables this function drops after the step: what happens to them first does not
    /// matter (a downgrade dropping a table's indexes, then the table).
    pub dropped_later: &'a BTreeSet<String>,
    /// Whether the step runs inside `op.get_context().autocommit_block()`.
    pub autocommit: bool,
    /// Whether the function set `lock_timeout` before the step.
    pub lock_timeout: bool,
    /// An `op.execute`'s SQL, parsed and classified once for every rule.
    pub sql: Option<&'a crate::sql::SqlAnalysis>,
    /// What the operation's call has that the renderer does not model
    /// (`op.create_foreign_key(postgresql_not_valid=True)`).
    pub unmodelled: &'a [String],
}

impl<'a> StepCx<'a> {
    /// Whether the table may hold rows that matter: not created by this function before
    /// the step, nor dropped by it afterwards.
    pub fn has_rows(&self, table: &str) -> bool {
        !self.created.contains(table) && !self.dropped_later.contains(table)
    }

    pub fn table(&self, table: &str) -> Option<&'a Table> {
        self.schema.tables.get(table)
    }

    pub fn column(&self, table: &str, column: &str) -> Option<&'a SchemaColumn> {
        self.table(table).and_then(|t| t.column(column))
    }

    /// The PostgreSQL major version linted for (11 unless configured).
    pub fn postgresql_version(&self) -> u32 {
        self.config.postgresql_version.unwrap_or(11)
    }

    pub fn upgrade(&self) -> bool {
        self.direction == Direction::Upgrade
    }
}

/// One revision, as a revision rule sees it.
pub struct RevCx<'a> {
    pub project: &'a Project,
    pub config: &'a Config,
    pub rev: usize,
    pub script: &'a Script,
    pub ops: &'a MigrationOps,
    /// The file's text.
    pub text: &'a str,
    /// What the downgrade leaves different from the schema before the upgrade, one line
    /// each; `None` when that cannot be known (a step the planner cannot follow, or no
    /// downgrade to compare).
    pub not_restored: Option<Vec<String>>,
}

impl RevCx<'_> {
    /// Whether the revision merges branches (no operations expected).
    pub fn is_merge(&self) -> bool {
        self.project.map.rev(self.rev).down.len() > 1
    }
}

/// A dialect option of an operation: `postgresql_concurrently=True`.
pub fn dialect_flag(kw: &[(String, Val)], key: &str) -> bool {
    kw.iter()
        .any(|(k, v)| k == key && matches!(v, Val::Bool(true)))
}

/// The class name of a column type as written (`String`, `VARCHAR`, `DateTime`).
pub fn type_name(t: &Val) -> Option<String> {
    crate::render::types::type_name(t)
}

/// A type's integer argument (`String(255)`, `String(length=255)`).
pub fn type_int(t: &Val, k: usize, key: &str) -> Option<i64> {
    crate::render::types::int_arg(t, k, key)
}

/// A type's boolean keyword (`DateTime(timezone=True)`).
pub fn type_flag(t: &Val, key: &str) -> Option<bool> {
    crate::render::types::bool_kw(t, key)
}

/// The column types an operation declares or sets, with the column's name.
pub fn declared_types(op: &Operation) -> Vec<(&str, &Val)> {
    match op {
        Operation::CreateTable { columns, .. } => columns
            .iter()
            .filter_map(|c| c.type_.as_ref().map(|t| (c.name.as_str(), t)))
            .collect(),
        Operation::AddColumn { column, .. } => column
            .type_
            .as_ref()
            .map(|t| vec![(column.name.as_str(), t)])
            .unwrap_or_default(),
        Operation::AlterColumn {
            column, changes, ..
        } => changes
            .type_
            .as_ref()
            .map(|t| vec![(column.as_str(), t)])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// A type preference rule's check: each column type the operation declares or sets that
/// `judge` has something to say about, as `` `table.column` <what judge says> ``.
pub fn judge_declared_types(cx: &StepCx, out: &mut Vec<String>, judge: fn(&Val) -> Option<String>) {
    let table = cx.op.tables().first().copied().unwrap_or_default();
    for (column, t) in declared_types(cx.op) {
        if let Some(m) = judge(t) {
            out.push(format!("`{table}.{column}` {m}"));
        }
    }
}

/// The line of `def <name>(` at the top level of a file (0 when absent).
pub fn def_line(text: &str, name: &str) -> u32 {
    let prefix = format!("def {name}(");
    text.lines()
        .position(|l| l.starts_with(&prefix))
        .map(|i| i as u32 + 1)
        .unwrap_or(0)
}
