//! What the simulation records: every change to a schema object (the table-to-migration
//! map), each revision's tables, where an effect is unknown, and the whole outcome.

use std::collections::BTreeMap;

use super::model::Schema;
use crate::base::Diagnostic;

/// The kind of schema object an event is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ObjectKind {
    Table,
    Column,
    Index,
    Constraint,
    Enum,
}

impl ObjectKind {
    pub fn name(self) -> &'static str {
        match self {
            ObjectKind::Table => "table",
            ObjectKind::Column => "column",
            ObjectKind::Index => "index",
            ObjectKind::Constraint => "constraint",
            ObjectKind::Enum => "enum",
        }
    }
}

/// What an event does to its object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventAction {
    Create,
    Alter,
    Rename,
    Drop,
    /// Rows written.
    Data,
    /// Rows read.
    Read,
}

impl EventAction {
    pub fn name(self) -> &'static str {
        match self {
            EventAction::Create => "create",
            EventAction::Alter => "alter",
            EventAction::Rename => "rename",
            EventAction::Drop => "drop",
            EventAction::Data => "data",
            EventAction::Read => "read",
        }
    }
}

impl std::fmt::Display for EventAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.name())
    }
}

/// What a revision did to one schema object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub rev: usize,
    pub line: u32,
    pub kind: ObjectKind,
    /// The table the object belongs to (the enum's name for an enum).
    pub table: String,
    /// The object's name: the column, index or constraint (the table's own name for a table).
    pub name: String,
    pub action: EventAction,
    pub detail: String,
}

impl Event {
    /// What the event is about, for display: `column email`, `index ix_a`; just the kind
    /// for a rename (the detail says `old -> new`); empty for the table itself.
    pub fn object_label(&self) -> String {
        match (self.kind, self.action) {
            (ObjectKind::Table, _) => String::new(),
            (k, EventAction::Rename) => k.name().to_string(),
            (k, _) => format!("{} {}", k.name(), self.name),
        }
    }
}

/// Per revision: the "Migration | Tables created | Dependencies" row.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RevisionTables {
    pub rev: usize,
    pub creates: Vec<String>,
    pub changes: Vec<String>,
    pub drops: Vec<String>,
    /// Tables its new foreign keys point to.
    pub depends_on: Vec<String>,
    /// Tables its SQL writes rows to, and reads.
    pub writes_data: Vec<String>,
    pub reads_data: Vec<String>,
}

/// Where the simulation could not know the effect of a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unknown {
    pub rev: usize,
    pub line: u32,
    pub reason: String,
}

/// The outcome of applying revisions' upgrades in order.
#[derive(Clone, Debug, Default)]
pub struct Simulation {
    pub schema: Schema,
    /// Every event, in the order applied.
    pub events: Vec<Event>,
    pub revisions: Vec<RevisionTables>,
    pub unknown: Vec<Unknown>,
    pub diagnostics: Vec<Diagnostic>,
    /// The `schema-missing-*` diagnostics about a table's parts, or the table itself:
    /// (index in `diagnostics`, the table).
    pub missing: Vec<(usize, String)>,
}

impl Simulation {
    /// Events grouped by table (renames appear under both names), tables sorted.
    pub fn by_table(&self) -> BTreeMap<String, Vec<&Event>> {
        let mut m: BTreeMap<String, Vec<&Event>> = BTreeMap::new();
        for e in &self.events {
            if e.kind == ObjectKind::Enum {
                continue;
            }
            m.entry(e.table.clone()).or_default().push(e);
            if e.kind == ObjectKind::Table && e.action == EventAction::Rename && e.name != e.table {
                m.entry(e.name.clone()).or_default().push(e);
            }
        }
        m
    }
}
