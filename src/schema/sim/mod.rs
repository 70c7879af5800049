//! The simulator: a plan's operations applied one at a time to a schema. The core here
//! (recording events, contradictions and unknown effects) dispatches each operation to its
//! object kind's file: `table.rs`, `column.rs`, `index.rs`, `constraint.rs`, `enums.rs`,
//! and `sql.rs` for SQL text.

mod column;
mod constraint;
mod enums;
mod index;
mod sql;
mod table;

use std::collections::{BTreeMap, HashMap};

use super::event::{Event, EventAction, ObjectKind, RevisionTables, Simulation, Unknown};
use super::model::{Schema, Table};
use crate::base::{Diagnostic, Dialect, Severity};
use crate::graph::AlembicFailure;
use crate::ops::{LocatedStep, Operation, Step};
use crate::project::Project;
use crate::python::Val;

/// The simulator: applies one operation at a time.
struct Sim<'p> {
    project: &'p Project,
    dialect: Dialect,
    out: Simulation,
    rev: usize,
    line: u32,
    summary: RevisionTables,
    /// `fk-missing-table` diagnostics to complete once every creator is known:
    /// (diagnostic index, revision, missing table).
    fk_missing: Vec<(usize, usize, String)>,
    /// Each diagnostic said so far, with how often: a loop repeating the same operation
    /// says its contradiction once, with the count (a hostile loop said it 6,000 times).
    said: HashMap<(usize, u32, &'static str, String), (usize, u32)>,
}

/// A server default as the dialect's compiler writes it: `'a'`, `now()`, `false`.
fn default_text(dialect: Dialect, v: &Val) -> String {
    crate::render::default_sql_generic(crate::render::renderer(dialect), v)
}

impl Sim<'_> {
    pub(super) fn default_text(&self, v: &Val) -> String {
        default_text(self.dialect, v)
    }

    pub(super) fn path(&self) -> String {
        self.project.map.script_of(self.rev).path.clone()
    }

    /// A warning at the current line; `true` when it is new (not a repeat of one already
    /// said at this line of this revision).
    pub(super) fn contradiction(&mut self, code: &'static str, message: String) -> bool {
        let key = (self.rev, self.line, code, message);
        if let Some((_, count)) = self.said.get_mut(&key) {
            *count += 1;
            return false;
        }
        let path = self.path();
        self.said
            .insert(key.clone(), (self.out.diagnostics.len(), 1));
        self.out.diagnostics.push(Diagnostic::new(
            Severity::Warning,
            code,
            path,
            self.line,
            key.3,
        ));
        true
    }

    /// [`contradiction`](Self::contradiction) about something `table` lacks (or lacks
    /// altogether): the diagnostic is also recorded against the table in
    /// `Simulation::missing`, so a reader can tell which table each is about.
    pub(super) fn missing(&mut self, code: &'static str, table: &str, message: String) {
        if self.contradiction(code, message) {
            let k = self.out.diagnostics.len() - 1;
            self.out.missing.push((k, table.to_string()));
        }
    }

    /// The simulation, each repeated warning saying how often it happened.
    fn finish(mut self) -> Simulation {
        for (k, count) in self.said.into_values() {
            if count > 1 {
                self.out.diagnostics[k]
                    .message
                    .push_str(&format!(" ({count} times at this line)"));
            }
        }
        self.out
    }

    pub(super) fn event(
        &mut self,
        kind: ObjectKind,
        table: &str,
        name: &str,
        action: EventAction,
        detail: String,
    ) {
        self.out.events.push(Event {
            rev: self.rev,
            line: self.line,
            kind,
            table: table.to_string(),
            name: name.to_string(),
            action,
            detail,
        });
        let list = match (kind, action) {
            (ObjectKind::Table, EventAction::Create) => &mut self.summary.creates,
            (ObjectKind::Table, EventAction::Drop) => &mut self.summary.drops,
            (_, EventAction::Data) => &mut self.summary.writes_data,
            (_, EventAction::Read) => &mut self.summary.reads_data,
            (ObjectKind::Enum, _) => return,
            _ if self.summary.creates.iter().any(|t| t == table) => return,
            _ => &mut self.summary.changes,
        };
        if !list.iter().any(|t| t == table) {
            list.push(table.to_string());
        }
    }

    pub(super) fn unknown(&mut self, reason: String) {
        self.out.unknown.push(Unknown {
            rev: self.rev,
            line: self.line,
            reason,
        });
    }

    fn has_column(&self, table: &str, column: &str) -> bool {
        self.out
            .schema
            .tables
            .get(table)
            .is_some_and(|t| t.column(column).is_some())
    }

    /// The table, or a diagnostic saying it does not exist here.
    pub(super) fn table_mut(&mut self, table: &str, what: &str) -> Option<&mut Table> {
        if !self.out.schema.tables.contains_key(table) {
            self.missing(
                "schema-missing-table",
                table,
                format!("{what}: table `{table}` does not exist at this revision"),
            );
            return None;
        }
        self.out.schema.tables.get_mut(table)
    }

    pub(super) fn check_columns(&mut self, table: &str, columns: &[String], what: &str) {
        let missing: Vec<String> = match self.out.schema.tables.get(table) {
            Some(t) => columns
                .iter()
                .filter(|c| t.column(c).is_none() && !crate::ops::ir::index_expression(c))
                .cloned()
                .collect(),
            None => return,
        };
        for c in missing {
            self.missing(
                "schema-missing-column",
                table,
                format!("{what}: column `{table}.{c}` does not exist at this revision"),
            );
        }
    }

    /// Applies one operation, as the database would.
    fn apply(&mut self, op: &Operation) {
        match op {
            // `IF [NOT] EXISTS` where the database finds it so: nothing happens
            Operation::CreateTable {
                table,
                if_not_exists: true,
                ..
            } if self.out.schema.tables.contains_key(table) => {}
            Operation::DropTable {
                table,
                if_exists: true,
            } if !self.out.schema.tables.contains_key(table) => {}
            Operation::CreateTable { .. } => self.create_table(op),
            Operation::DropTable { .. } => self.drop_table(op),
            Operation::RenameTable { .. } => self.rename_table(op),
            Operation::TableComment { .. } => self.table_comment(op),
            Operation::BulkInsert { .. } => self.bulk_insert(op),
            Operation::UpdateRows(u) => self.update_rows(u),
            Operation::AddColumn {
                table,
                column,
                if_not_exists: true,
            } if self.has_column(table, &column.name) => {}
            Operation::DropColumn {
                table,
                column,
                if_exists: true,
            } if !self.has_column(table, column) => {}
            Operation::AddColumn { table, column, .. } => self.add_column(table, column, false),
            Operation::DropColumn { .. } => self.drop_column(op),
            Operation::AlterColumn {
                table,
                column,
                changes,
            } => self.alter_column(table, column, changes),
            Operation::CreateIndex {
                name,
                table,
                columns,
                unique,
                ..
            } => self.add_index(table, name, columns, *unique),
            Operation::DropIndex { .. } => self.drop_index(op),
            Operation::RenameIndex { .. } => self.rename_index(op),
            Operation::AddConstraint { table, constraint } => {
                self.add_constraint(table, constraint)
            }
            Operation::DropConstraint { .. } => self.drop_constraint(op),
            Operation::Execute { sql } => self.execute(sql),
            Operation::CreateEnum { .. } => self.create_enum(op),
            Operation::DropEnum { .. } => self.drop_enum(op),
        }
    }
}

impl<'p> Sim<'p> {
    pub(super) fn new(project: &'p Project, dialect: Dialect, schema: Schema) -> Self {
        Sim {
            project,
            dialect,
            out: Simulation {
                schema,
                ..Simulation::default()
            },
            rev: 0,
            line: 0,
            summary: RevisionTables::default(),
            fk_missing: Vec::new(),
            said: HashMap::new(),
        }
    }

    pub(super) fn steps(&mut self, rev: usize, steps: &[LocatedStep]) {
        self.rev = rev;
        for st in steps {
            self.line = st.line;
            match &st.step {
                Step::Op(op) => self.apply(op),
                Step::Opaque { reason } => self.unknown(reason.clone()),
                // the schema keeps what the operation does; only its SQL is approximate
                Step::NotModelled { .. } | Step::Autocommit { .. } | Step::Print { .. } => {}
            }
        }
    }
}

/// The schema followed step by step, for a renderer that needs the tables as they are
/// at a point of a plan (SQLite's batch "move and copy").
pub struct Simulator<'p> {
    sim: Sim<'p>,
}

impl<'p> Simulator<'p> {
    /// Starts from the schema after upgrading through `revs` (oldest first).
    pub fn new(project: &'p Project, dialect: Dialect, revs: &[usize]) -> Self {
        let mut sim = Sim::new(project, dialect, Schema::default());
        for &rev in revs {
            sim.steps(rev, &project.migration_ops_for(rev, dialect).upgrade);
        }
        Simulator { sim }
    }

    /// Starts from a schema as it is (a part of one: what a single revision touches).
    pub fn from_schema(project: &'p Project, dialect: Dialect, schema: Schema) -> Self {
        Simulator {
            sim: Sim::new(project, dialect, schema),
        }
    }

    /// Takes a table the history never created as existing, with no known columns (a
    /// table made before the first revision, or outside Alembic), so that the steps that
    /// change it can be followed.
    pub fn assume_table(&mut self, name: &str) {
        self.sim
            .out
            .schema
            .tables
            .entry(name.to_string())
            .or_insert_with(|| Table {
                name: name.to_string(),
                ..Table::default()
            });
    }

    /// Applies steps of revision `rev` (its upgrade's or its downgrade's).
    pub fn apply(&mut self, rev: usize, steps: &[LocatedStep]) {
        self.sim.steps(rev, steps);
    }

    pub fn schema(&self) -> &Schema {
        &self.sim.out.schema
    }

    /// The contradictions found so far (a step naming what does not exist, adding what
    /// does): where there are any, the simulated schema is not the real one.
    pub fn diagnostics(&self) -> &[crate::base::Diagnostic] {
        &self.sim.out.diagnostics
    }

    /// What `steps` would make of the current schema, leaving it unchanged.
    pub fn preview(&self, rev: usize, steps: &[LocatedStep]) -> Schema {
        let mut scratch = Sim::new(self.sim.project, self.sim.dialect, self.schema().clone());
        scratch.steps(rev, steps);
        scratch.out.schema
    }
}

/// Every revision's upgrade applied in upgrade order: the table-to-migration map
/// (`Simulation::by_table`), each revision's tables, and the contradictions found.
pub fn table_map(project: &Project, dialect: Dialect) -> Simulation {
    simulate(project, &project.upgrade_order(), dialect)
}

/// Applies the upgrades of `revs` (oldest first) to an empty schema.
pub fn simulate(project: &Project, revs: &[usize], dialect: Dialect) -> Simulation {
    let mut run = SimulationRun::new(project, revs.to_vec(), dialect);
    run.step(usize::MAX);
    run.finish()
}

/// A simulation a few revisions at a time, for a shell that must keep painting (the
/// browser's table map of 5,000 rich revisions is most of a second): `step` applies some
/// revisions, `finish` what is left and the notes that need every revision.
pub struct SimulationRun<'p> {
    sim: Sim<'p>,
    revs: Vec<usize>,
    done: usize,
}

impl<'p> SimulationRun<'p> {
    /// The upgrades of `revs` (oldest first), from an empty schema.
    pub fn new(project: &'p Project, revs: Vec<usize>, dialect: Dialect) -> Self {
        SimulationRun {
            sim: Sim::new(project, dialect, Schema::default()),
            revs,
            done: 0,
        }
    }

    /// The table map's run: every revision in upgrade order.
    pub fn table_map(project: &'p Project, dialect: Dialect) -> Self {
        SimulationRun::new(project, project.upgrade_order(), dialect)
    }

    /// `(applied, of)` revisions.
    pub fn progress(&self) -> (usize, usize) {
        (self.done, self.revs.len())
    }

    /// Applies up to `n` more revisions' upgrades; true once every one is applied.
    pub fn step(&mut self, n: usize) -> bool {
        let end = self.done.saturating_add(n).min(self.revs.len());
        let (project, dialect) = (self.sim.project, self.sim.dialect);
        for &rev in &self.revs[self.done..end] {
            self.sim.summary = RevisionTables {
                rev,
                ..Default::default()
            };
            self.sim
                .steps(rev, &project.migration_ops_for(rev, dialect).upgrade);
            let summary = std::mem::take(&mut self.sim.summary);
            self.sim.out.revisions.push(summary);
        }
        self.done = end;
        self.done == self.revs.len()
    }

    /// The simulation, the revisions not applied yet applied first.
    pub fn finish(mut self) -> Simulation {
        self.step(usize::MAX);
        let mut sim = self.sim;
        let project = sim.project;
        let fk_missing = std::mem::take(&mut sim.fk_missing);
        // a foreign key to a table not there yet: say which revision creates it, and
        // whether that revision comes later on this path or on another branch
        let creators: BTreeMap<&str, usize> = sim
            .out
            .events
            .iter()
            .filter(|e| e.kind == ObjectKind::Table && e.action == EventAction::Create)
            .map(|e| (e.table.as_str(), e.rev))
            .collect();
        let mut notes = Vec::new();
        for (k, rev, table) in fk_missing {
            let Some(&creator) = creators.get(table.as_str()) else {
                continue;
            };
            let who = format!(
                "{} ({})",
                project.map.rev(creator).id,
                project.map.script_of(creator).path
            );
            let note = if project.map.ancestors_among(&[creator], &[rev])[0] {
                format!("; it is created later, by {who}")
            } else {
                format!("; it is created by {who}, on another branch: nothing orders it before this revision")
            };
            notes.push((k, note));
        }
        for (k, note) in notes {
            sim.out.diagnostics[k].message.push_str(&note);
        }
        sim.finish()
    }
}

/// The schema after `alembic upgrade TARGET` from an empty database.
pub fn schema_at(
    project: &Project,
    target: &str,
    dialect: Dialect,
) -> Result<Simulation, AlembicFailure> {
    Ok(simulate(project, &project.upgrade_path(target)?, dialect))
}
