//! The schema at any revision: a plan's operations applied in order to an empty database,
//! following renames. Operations that contradict the schema so far (dropping what does
//! not exist, adding what exists, a foreign key to a table not yet created) become
//! diagnostics naming file and line; steps the planner could not interpret are recorded as
//! "unknown effect" so the result says where it may differ from a real database.
//!
//! The same walk records, for every table, column, index and constraint, which revision
//! creates, alters, renames or drops it: the table-to-migration map.

use std::collections::BTreeMap;

use crate::base::diag::{Diagnostic, Severity};
use crate::base::Dialect;
use crate::graph::revmap::AlembicFailure;
use crate::ops::{
    Change, Column, ColumnChanges, Constraint, LocatedStep, Operation, Step, TableIndex, TableShape,
};
use crate::project::Project;
use crate::python::Val;
use crate::sql::{self, SqlKind};

/// A column of a simulated table.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaColumn {
    pub name: String,
    /// The SQLAlchemy type as written (`String(255)`), or `None` when unknown.
    pub type_: Option<Val>,
    pub nullable: bool,
    /// The server default as SQL text.
    pub default: Option<String>,
    /// The server default as written (what a renderer compiles again).
    pub server_default: Option<Val>,
    pub comment: Option<String>,
}

/// A primary key or unique constraint.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Key {
    pub name: Option<String>,
    pub columns: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ForeignKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub referent: String,
    pub remote: Vec<String>,
    pub ondelete: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Check {
    pub name: Option<String>,
    pub condition: String,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Index {
    pub name: String,
    pub columns: Vec<String>,
    pub unique: bool,
}

/// A simulated table.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Table {
    pub name: String,
    pub columns: Vec<SchemaColumn>,
    pub primary_key: Option<Key>,
    pub foreign_keys: Vec<ForeignKey>,
    pub uniques: Vec<Key>,
    pub checks: Vec<Check>,
    pub indexes: Vec<Index>,
    pub comment: Option<String>,
    /// The revision whose upgrade created it (index in the map).
    pub created_by: Option<usize>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&SchemaColumn> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The table as `create_table` would make it as it stands: columns, the primary key,
    /// unique constraints, checks and foreign keys (in that order), indexes, comment.
    pub fn shape(&self) -> TableShape {
        let mut constraints: Vec<Constraint> = Vec::new();
        if let Some(pk) = &self.primary_key {
            constraints.push(Constraint::PrimaryKey {
                name: pk.name.clone(),
                columns: pk.columns.clone(),
            });
        }
        // `Table.constraints` is a set: Alembic's order here follows hash order
        constraints.extend(self.uniques.iter().map(|k| Constraint::Unique {
            name: k.name.clone(),
            columns: k.columns.clone(),
        }));
        constraints.extend(self.checks.iter().map(|c| Constraint::Check {
            name: c.name.clone(),
            condition: c.condition.clone(),
        }));
        constraints.extend(self.foreign_keys.iter().map(|f| Constraint::ForeignKey {
            name: f.name.clone(),
            columns: f.columns.clone(),
            referent: f.referent.clone(),
            remote: f.remote.clone(),
            ondelete: f.ondelete.clone(),
        }));
        TableShape {
            name: self.name.clone(),
            columns: self
                .columns
                .iter()
                .map(|c| Column {
                    name: c.name.clone(),
                    type_: c.type_.clone(),
                    nullable: Some(c.nullable),
                    primary_key: false,
                    server_default: c.server_default.clone(),
                    comment: c.comment.clone(),
                    foreign_keys: Vec::new(),
                    unique: false,
                    index: false,
                })
                .collect(),
            constraints,
            indexes: self
                .indexes
                .iter()
                .map(|i| TableIndex {
                    name: i.name.clone(),
                    columns: i.columns.clone(),
                    unique: i.unique,
                    dialect_kw: Vec::new(),
                })
                .collect(),
            comment: self.comment.clone(),
        }
    }
}

/// Tables and enum types.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Schema {
    pub tables: BTreeMap<String, Table>,
    pub enums: BTreeMap<String, Vec<String>>,
}

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

/// The type as shown: `String(255)`; `?` when unknown.
pub fn type_text(t: &Option<Val>) -> String {
    match t {
        None => "?".into(),
        Some(Val::Str(sql)) => sql.clone(),
        Some(Val::Opaque(r)) => format!("<unknown: {r}>"),
        Some(v) => v.render(),
    }
}

/// PostgreSQL's name for an unnamed constraint (`users_pkey`, `orders_user_id_fkey`),
/// truncated to 63 bytes as PostgreSQL does; other dialects keep it unnamed.
fn default_name(dialect: Dialect, table: &str, columns: &[String], suffix: &str) -> Option<String> {
    if dialect != Dialect::Postgresql {
        return None;
    }
    let mut s = if columns.is_empty() || suffix == "pkey" {
        format!("{table}_{suffix}")
    } else {
        format!("{table}_{}_{suffix}", columns.join("_"))
    };
    if s.len() > 63 {
        // PostgreSQL shortens the table and column parts; keep it recognisable
        let mut cut = 63;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    Some(s)
}

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
}

/// A server default as the dialect's compiler writes it: `'a'`, `now()`, `false`.
fn default_text(dialect: Dialect, v: &Val) -> String {
    crate::render::default_sql_generic(crate::render::renderer(dialect), v)
}

impl<'p> Sim<'p> {
    fn default_text(&self, v: &Val) -> String {
        default_text(self.dialect, v)
    }

    fn path(&self) -> String {
        self.project.map.script_of(self.rev).path.clone()
    }

    fn contradiction(&mut self, code: &'static str, message: String) {
        let path = self.path();
        self.out.diagnostics.push(Diagnostic::new(
            Severity::Warning,
            code,
            path,
            self.line,
            message,
        ));
    }

    fn event(
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

    fn unknown(&mut self, reason: String) {
        self.out.unknown.push(Unknown {
            rev: self.rev,
            line: self.line,
            reason,
        });
    }

    /// The table, or a diagnostic saying it does not exist here.
    fn table_mut(&mut self, table: &str, what: &str) -> Option<&mut Table> {
        if !self.out.schema.tables.contains_key(table) {
            self.contradiction(
                "schema-missing-table",
                format!("{what}: table `{table}` does not exist at this revision"),
            );
            return None;
        }
        self.out.schema.tables.get_mut(table)
    }

    fn check_columns(&mut self, table: &str, columns: &[String], what: &str) {
        let missing: Vec<String> = match self.out.schema.tables.get(table) {
            Some(t) => columns
                .iter()
                .filter(|c| t.column(c).is_none() && !c.contains('('))
                .cloned()
                .collect(),
            None => return,
        };
        for c in missing {
            self.contradiction(
                "schema-missing-column",
                format!("{what}: column `{table}.{c}` does not exist at this revision"),
            );
        }
    }

    fn foreign_key_target(&mut self, table: &str, fk: &ForeignKey) {
        if !self.summary.depends_on.contains(&fk.referent)
            && fk.referent != table
            && !self.summary.creates.contains(&fk.referent)
        {
            self.summary.depends_on.push(fk.referent.clone());
        }
        match self.out.schema.tables.get(&fk.referent) {
            None if fk.referent == table => {}
            None => {
                self.fk_missing
                    .push((self.out.diagnostics.len(), self.rev, fk.referent.clone()));
                self.contradiction(
                    "fk-missing-table",
                    format!(
                    "foreign key {table}({}) -> {}({}): table `{}` does not exist at this revision",
                    fk.columns.join(", "),
                    fk.referent,
                    fk.remote.join(", "),
                    fk.referent
                ),
                )
            }
            Some(t) => {
                let missing: Vec<String> = fk
                    .remote
                    .iter()
                    .filter(|c| t.column(c).is_none())
                    .cloned()
                    .collect();
                if let Some(creator) = t.created_by {
                    let ok = self.project.map.ancestors_among(&[self.rev], &[creator])[0];
                    if !ok {
                        let other = self.project.map.rev(creator).id.clone();
                        self.contradiction(
                            "fk-across-branches",
                            format!(
                                "foreign key {table}({}) -> {}: `{}` is created by {other}, which is not an ancestor of this revision; the order between them is not guaranteed",
                                fk.columns.join(", "),
                                fk.referent,
                                fk.referent
                            ),
                        );
                    }
                }
                for c in missing {
                    self.contradiction(
                        "schema-missing-column",
                        format!(
                            "foreign key {table}({}) -> {}: column `{}.{c}` does not exist at this revision",
                            fk.columns.join(", "),
                            fk.referent,
                            fk.referent
                        ),
                    );
                }
            }
        }
    }

    fn add_constraint(&mut self, table: &str, c: &Constraint) {
        let dialect = self.dialect;
        match c {
            Constraint::PrimaryKey { name, columns } => {
                self.check_columns(table, columns, "primary key");
                let name = name
                    .clone()
                    .or_else(|| default_name(dialect, table, columns, "pkey"));
                let Some(t) = self.table_mut(table, "create_primary_key") else {
                    return;
                };
                let existed = t.primary_key.is_some();
                t.primary_key = Some(Key {
                    name: name.clone(),
                    columns: columns.clone(),
                });
                for col in t.columns.iter_mut() {
                    if columns.contains(&col.name) {
                        col.nullable = false;
                    }
                }
                if existed {
                    self.contradiction(
                        "schema-constraint-exists",
                        format!("table `{table}` already has a primary key"),
                    );
                }
                let label = name.clone().unwrap_or_else(|| "primary key".into());
                self.event(
                    ObjectKind::Constraint,
                    table,
                    &label,
                    EventAction::Create,
                    format!("primary key ({})", columns.join(", ")),
                );
            }
            Constraint::Unique { name, columns } => {
                self.check_columns(table, columns, "unique constraint");
                let name = name
                    .clone()
                    .or_else(|| default_name(dialect, table, columns, "key"));
                if let Some(n) = &name {
                    if self.constraint_exists(table, n) {
                        self.contradiction(
                            "schema-constraint-exists",
                            format!("constraint `{n}` already exists on `{table}`"),
                        );
                    }
                }
                let Some(t) = self.table_mut(table, "create_unique_constraint") else {
                    return;
                };
                t.uniques.push(Key {
                    name: name.clone(),
                    columns: columns.clone(),
                });
                let label = name.unwrap_or_else(|| format!("unique ({})", columns.join(", ")));
                self.event(
                    ObjectKind::Constraint,
                    table,
                    &label,
                    EventAction::Create,
                    format!("unique ({})", columns.join(", ")),
                );
            }
            Constraint::Check { name, condition } => {
                let name = name
                    .clone()
                    .or_else(|| default_name(dialect, table, &[], "check"));
                let Some(t) = self.table_mut(table, "create_check_constraint") else {
                    return;
                };
                t.checks.push(Check {
                    name: name.clone(),
                    condition: condition.clone(),
                });
                let label = name.unwrap_or_else(|| format!("check ({condition})"));
                self.event(
                    ObjectKind::Constraint,
                    table,
                    &label,
                    EventAction::Create,
                    format!("check ({condition})"),
                );
            }
            Constraint::ForeignKey {
                name,
                columns,
                referent,
                remote,
                ondelete,
            } => {
                self.check_columns(table, columns, "foreign key");
                let fk = ForeignKey {
                    name: name
                        .clone()
                        .or_else(|| default_name(dialect, table, columns, "fkey")),
                    columns: columns.clone(),
                    referent: referent.clone(),
                    remote: remote.clone(),
                    ondelete: ondelete.clone(),
                };
                self.foreign_key_target(table, &fk);
                let Some(t) = self.table_mut(table, "create_foreign_key") else {
                    return;
                };
                t.foreign_keys.push(fk.clone());
                let detail = format!(
                    "foreign key ({}) -> {referent} ({})",
                    columns.join(", "),
                    remote.join(", ")
                );
                let label = fk.name.clone().unwrap_or_else(|| detail.clone());
                self.event(
                    ObjectKind::Constraint,
                    table,
                    &label,
                    EventAction::Create,
                    detail,
                );
            }
        }
    }

    fn constraint_exists(&self, table: &str, name: &str) -> bool {
        let Some(t) = self.out.schema.tables.get(table) else {
            return false;
        };
        let n = Some(name.to_string());
        t.primary_key.as_ref().is_some_and(|k| k.name == n)
            || t.uniques.iter().any(|k| k.name == n)
            || t.checks.iter().any(|k| k.name == n)
            || t.foreign_keys.iter().any(|k| k.name == n)
    }

    fn add_index(&mut self, table: &str, name: &str, columns: &[String], unique: bool) {
        self.check_columns(table, columns, &format!("index `{name}`"));
        let exists = self
            .out
            .schema
            .tables
            .values()
            .any(|t| t.indexes.iter().any(|i| i.name == name));
        if exists {
            self.contradiction(
                "schema-index-exists",
                format!("create_index: index `{name}` already exists"),
            );
        }
        let Some(t) = self.table_mut(table, &format!("create_index {name}")) else {
            return;
        };
        t.indexes.retain(|i| i.name != name);
        t.indexes.push(Index {
            name: name.to_string(),
            columns: columns.to_vec(),
            unique,
        });
        self.event(
            ObjectKind::Index,
            table,
            name,
            EventAction::Create,
            format!(
                "{}({})",
                if unique { "unique " } else { "" },
                columns.join(", ")
            ),
        );
    }

    fn add_column(&mut self, table: &str, c: &Column, in_create: bool) {
        let default = c.server_default.as_ref().map(|d| self.default_text(d));
        let Some(t) = self.table_mut(table, &format!("add_column {table}.{}", c.name)) else {
            return;
        };
        if t.column(&c.name).is_some() {
            self.contradiction(
                "schema-column-exists",
                format!("column `{table}.{}` already exists", c.name),
            );
            return;
        }
        t.columns.push(SchemaColumn {
            name: c.name.clone(),
            type_: c.type_.clone(),
            nullable: c.nullable.unwrap_or(!c.primary_key),
            default,
            server_default: c.server_default.clone(),
            comment: c.comment.clone(),
        });
        if !in_create {
            self.event(
                ObjectKind::Column,
                table,
                &c.name,
                EventAction::Create,
                type_text(&c.type_),
            );
        }
        // Alembic's add_column also creates the column's constraints and index
        self.column_extras(table, c);
    }

    fn column_extras(&mut self, table: &str, c: &Column) {
        self.enum_of(&c.type_);
        for k in c.implied_constraints() {
            self.add_constraint(table, &k);
        }
        if let Some(ix) = c.implied_index(table) {
            self.add_index(table, &ix.name, &ix.columns, ix.unique);
        }
    }

    /// A PostgreSQL enum type a column creates with its table (`create_type` defaults on).
    fn enum_of(&mut self, t: &Option<Val>) {
        if self.dialect != Dialect::Postgresql {
            return;
        }
        let Some(Val::Call { func, args, kwargs }) = t
            .as_ref()
            .map(|t| crate::render::types::for_dialect(t, Dialect::Postgresql))
        else {
            return;
        };
        if !(func.ends_with(".Enum") || func.ends_with(".ENUM")) {
            return;
        }
        let kw = |k: &str| kwargs.iter().find(|(n, _)| n == k).map(|(_, v)| v);
        if matches!(kw("create_type"), Some(Val::Bool(false))) {
            return;
        }
        let Some(name) = kw("name").and_then(|v| v.name()) else {
            return;
        };
        if self.out.schema.enums.contains_key(&name) {
            return;
        }
        let values: Vec<String> = args.iter().filter_map(|a| a.name()).collect();
        self.out.schema.enums.insert(name.clone(), values.clone());
        self.event(
            ObjectKind::Enum,
            &name,
            &name,
            EventAction::Create,
            format!("enum ({})", values.join(", ")),
        );
    }

    fn apply(&mut self, op: &Operation) {
        match op {
            Operation::CreateTable {
                table,
                columns,
                constraints,
                comment,
                indexes,
            } => {
                if self.out.schema.tables.contains_key(table) {
                    self.contradiction(
                        "schema-table-exists",
                        format!("create_table: table `{table}` already exists"),
                    );
                    return;
                }
                self.out.schema.tables.insert(
                    table.clone(),
                    Table {
                        name: table.clone(),
                        comment: comment.clone(),
                        created_by: Some(self.rev),
                        ..Table::default()
                    },
                );
                self.event(
                    ObjectKind::Table,
                    table,
                    table,
                    EventAction::Create,
                    format!(
                        "({})",
                        columns
                            .iter()
                            .map(|c| c.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                for c in columns {
                    self.add_column(table, c, true);
                }
                let pk: Vec<String> = columns
                    .iter()
                    .filter(|c| c.primary_key)
                    .map(|c| c.name.clone())
                    .collect();
                let has_pk_constraint = constraints
                    .iter()
                    .any(|c| matches!(c, Constraint::PrimaryKey { .. }));
                if !pk.is_empty() && !has_pk_constraint {
                    self.add_constraint(
                        table,
                        &Constraint::PrimaryKey {
                            name: None,
                            columns: pk,
                        },
                    );
                }
                for c in constraints {
                    self.add_constraint(table, c);
                }
                for i in indexes {
                    self.add_index(table, &i.name, &i.columns, i.unique);
                }
            }
            Operation::DropTable { table } => {
                if self.table_mut(table, "drop_table").is_none() {
                    return;
                }
                let referenced_by: Vec<String> = self
                    .out
                    .schema
                    .tables
                    .values()
                    .filter(|t| {
                        t.name != *table && t.foreign_keys.iter().any(|f| f.referent == *table)
                    })
                    .map(|t| t.name.clone())
                    .collect();
                for other in referenced_by {
                    self.contradiction(
                        "schema-drop-referenced",
                        format!("drop_table {table}: `{other}` still has a foreign key to it"),
                    );
                }
                self.out.schema.tables.remove(table);
                self.event(
                    ObjectKind::Table,
                    table,
                    table,
                    EventAction::Drop,
                    String::new(),
                );
            }
            Operation::RenameTable { table, new_name } => {
                if self.out.schema.tables.contains_key(new_name) {
                    self.contradiction(
                        "schema-table-exists",
                        format!("rename_table {table} -> {new_name}: `{new_name}` already exists"),
                    );
                    return;
                }
                let Some(t) = self.table_mut(table, "rename_table") else {
                    return;
                };
                let mut t = std::mem::take(t);
                t.name = new_name.clone();
                self.out.schema.tables.remove(table);
                self.out.schema.tables.insert(new_name.clone(), t);
                for other in self.out.schema.tables.values_mut() {
                    for fk in other.foreign_keys.iter_mut() {
                        if fk.referent == *table {
                            fk.referent = new_name.clone();
                        }
                    }
                }
                self.event(
                    ObjectKind::Table,
                    table,
                    new_name,
                    EventAction::Rename,
                    format!("{table} -> {new_name}"),
                );
            }
            Operation::AddColumn { table, column } => self.add_column(table, column, false),
            Operation::DropColumn { table, column } => {
                let Some(t) = self.table_mut(table, &format!("drop_column {table}.{column}"))
                else {
                    return;
                };
                let before = t.columns.len();
                t.columns.retain(|c| c.name != *column);
                if t.columns.len() == before {
                    self.contradiction(
                        "schema-missing-column",
                        format!("drop_column: column `{table}.{column}` does not exist at this revision"),
                    );
                    return;
                }
                // the database drops the indexes and constraints that use the column
                let has = |cols: &Vec<String>| cols.iter().any(|c| c == column);
                t.indexes.retain(|i| !has(&i.columns));
                t.uniques.retain(|k| !has(&k.columns));
                t.foreign_keys.retain(|k| !has(&k.columns));
                if t.primary_key.as_ref().is_some_and(|k| has(&k.columns)) {
                    t.primary_key = None;
                }
                self.event(
                    ObjectKind::Column,
                    table,
                    column,
                    EventAction::Drop,
                    String::new(),
                );
            }
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
            Operation::DropIndex { name, table } => {
                let owner = self
                    .out
                    .schema
                    .tables
                    .values()
                    .find(|t| t.indexes.iter().any(|i| i.name == *name))
                    .map(|t| t.name.clone());
                match owner {
                    Some(t) => {
                        if let Some(tt) = self.out.schema.tables.get_mut(&t) {
                            tt.indexes.retain(|i| i.name != *name);
                        }
                        self.event(
                            ObjectKind::Index,
                            &t,
                            name,
                            EventAction::Drop,
                            String::new(),
                        );
                    }
                    None => {
                        let on = table
                            .as_ref()
                            .map(|t| format!(" on `{t}`"))
                            .unwrap_or_default();
                        self.contradiction(
                            "schema-missing-index",
                            format!(
                                "drop_index: index `{name}`{on} does not exist at this revision"
                            ),
                        );
                    }
                }
            }
            Operation::RenameIndex { name, new_name } => {
                let owner = self.out.schema.tables.values_mut().find_map(|t| {
                    let i = t.indexes.iter_mut().find(|i| i.name == *name)?;
                    i.name = new_name.clone();
                    Some(t.name.clone())
                });
                match owner {
                    Some(t) => self.event(
                        ObjectKind::Index,
                        &t,
                        new_name,
                        EventAction::Rename,
                        format!("{name} -> {new_name}"),
                    ),
                    None => self.contradiction(
                        "schema-missing-index",
                        format!("rename index: index `{name}` does not exist at this revision"),
                    ),
                }
            }
            Operation::AddConstraint { table, constraint } => {
                self.add_constraint(table, constraint)
            }
            Operation::DropConstraint { name, table, .. } => {
                let Some(t) = self.table_mut(table, &format!("drop_constraint {name}")) else {
                    return;
                };
                let n = Some(name.clone());
                let mut found = false;
                if t.primary_key.as_ref().is_some_and(|k| k.name == n) {
                    t.primary_key = None;
                    found = true;
                }
                for list_len in [
                    {
                        let b = t.uniques.len();
                        t.uniques.retain(|k| k.name != n);
                        b - t.uniques.len()
                    },
                    {
                        let b = t.checks.len();
                        t.checks.retain(|k| k.name != n);
                        b - t.checks.len()
                    },
                    {
                        let b = t.foreign_keys.len();
                        t.foreign_keys.retain(|k| k.name != n);
                        b - t.foreign_keys.len()
                    },
                    {
                        // a unique constraint created as a unique index
                        let b = t.indexes.len();
                        t.indexes.retain(|k| !(k.unique && k.name == *name));
                        b - t.indexes.len()
                    },
                ] {
                    found |= list_len > 0;
                }
                if !found {
                    self.contradiction(
                        "schema-missing-constraint",
                        format!("drop_constraint: constraint `{name}` does not exist on `{table}` at this revision"),
                    );
                    return;
                }
                self.event(
                    ObjectKind::Constraint,
                    table,
                    name,
                    EventAction::Drop,
                    String::new(),
                );
            }
            Operation::TableComment { table, comment } => {
                let Some(t) = self.table_mut(table, "table comment") else {
                    return;
                };
                t.comment = comment.clone();
                self.event(
                    ObjectKind::Table,
                    table,
                    table,
                    EventAction::Alter,
                    match comment {
                        Some(c) => format!("comment {c:?}"),
                        None => "drop comment".into(),
                    },
                );
            }
            Operation::Execute { sql } => self.execute(sql),
            Operation::BulkInsert { table, rows, .. } => {
                if self.table_mut(table, "bulk_insert").is_some() {
                    self.event(
                        ObjectKind::Table,
                        table,
                        table,
                        EventAction::Data,
                        format!("bulk insert ({} rows)", rows.len()),
                    );
                }
            }
            Operation::CreateEnum { name, values } => {
                if self.out.schema.enums.contains_key(name) {
                    self.contradiction(
                        "schema-enum-exists",
                        format!("enum type `{name}` already exists"),
                    );
                }
                self.out.schema.enums.insert(name.clone(), values.clone());
                self.event(
                    ObjectKind::Enum,
                    name,
                    name,
                    EventAction::Create,
                    format!("enum ({})", values.join(", ")),
                );
            }
            Operation::DropEnum { name } => {
                if self.out.schema.enums.remove(name).is_none()
                    && self.dialect == Dialect::Postgresql
                {
                    self.contradiction(
                        "schema-missing-enum",
                        format!("enum type `{name}` does not exist at this revision"),
                    );
                }
                self.event(
                    ObjectKind::Enum,
                    name,
                    name,
                    EventAction::Drop,
                    String::new(),
                );
            }
        }
    }

    fn alter_column(&mut self, table: &str, column: &str, changes: &ColumnChanges) {
        let dialect = self.dialect;
        let Some(t) = self.table_mut(table, &format!("alter_column {table}.{column}")) else {
            return;
        };
        let Some(c) = t.columns.iter_mut().find(|c| c.name == column) else {
            self.contradiction(
                "schema-missing-column",
                format!("alter_column: column `{table}.{column}` does not exist at this revision"),
            );
            return;
        };
        let mut parts = Vec::new();
        if let Some(v) = &changes.type_ {
            c.type_ = Some(v.clone());
            parts.push(format!("type {}", type_text(&c.type_)));
        }
        if let Some(b) = changes.nullable {
            c.nullable = b;
            parts.push(if b { "null" } else { "not null" }.to_string());
        }
        match &changes.server_default {
            Change::Keep => {}
            Change::Drop => {
                c.default = None;
                c.server_default = None;
                parts.push("drop default".into());
            }
            Change::Set(v) => {
                let d = default_text(dialect, v);
                parts.push(format!("default {d}"));
                c.default = Some(d);
                c.server_default = Some(v.clone());
            }
        }
        match &changes.comment {
            Change::Keep => {}
            Change::Drop => {
                c.comment = None;
                parts.push("drop comment".into());
            }
            Change::Set(s) => {
                c.comment = Some(s.clone());
                parts.push(format!("comment {s:?}"));
            }
        }
        let rename = changes.new_column_name.clone();
        if let Some(n) = &rename {
            c.name = n.clone();
        }
        if let Some(new) = &rename {
            let fix = |cols: &mut Vec<String>| {
                for x in cols.iter_mut() {
                    if x == column {
                        *x = new.clone();
                    }
                }
            };
            t.indexes.iter_mut().for_each(|i| fix(&mut i.columns));
            t.uniques.iter_mut().for_each(|i| fix(&mut i.columns));
            t.foreign_keys.iter_mut().for_each(|i| fix(&mut i.columns));
            if let Some(pk) = t.primary_key.as_mut() {
                fix(&mut pk.columns);
            }
            let table_name = t.name.clone();
            for other in self.out.schema.tables.values_mut() {
                for fk in other.foreign_keys.iter_mut() {
                    if fk.referent == table_name {
                        fix(&mut fk.remote);
                    }
                }
            }
            self.event(
                ObjectKind::Column,
                table,
                column,
                EventAction::Rename,
                format!("{column} -> {new}"),
            );
        }
        if !parts.is_empty() {
            let name = rename.as_deref().unwrap_or(column).to_string();
            self.event(
                ObjectKind::Column,
                table,
                &name,
                EventAction::Alter,
                parts.join(", "),
            );
        }
    }

    fn execute(&mut self, text: &str) {
        let a = sql::analyze(text, self.dialect);
        if let Some(e) = &a.parse_error {
            let path = self.path();
            self.out.diagnostics.push(Diagnostic::new(
                Severity::Info,
                "sql-unparsed",
                path,
                self.line,
                format!(
                    "sqlparser ({}) could not parse this SQL ({e}); classified by a keyword scan",
                    self.dialect.name()
                ),
            ));
        }
        for st in &a.statements {
            for w in &st.writes {
                let action = match (st.kind, st.verb.split(' ').next()) {
                    (SqlKind::Ddl, Some("CREATE")) => EventAction::Create,
                    (SqlKind::Ddl, Some("DROP")) => EventAction::Drop,
                    (SqlKind::Ddl, _) => EventAction::Alter,
                    _ => EventAction::Data,
                };
                if st.kind == SqlKind::Ddl && st.effects.is_some() {
                    // followed below as operations
                    continue;
                }
                self.event(
                    ObjectKind::Table,
                    w,
                    w,
                    action,
                    format!("{} (SQL)", st.verb),
                );
            }
            for r in &st.reads {
                self.event(
                    ObjectKind::Table,
                    r,
                    r,
                    EventAction::Read,
                    format!("{} reads (SQL)", st.verb),
                );
            }
            match &st.effects {
                Some(ops) => {
                    for op in ops {
                        self.apply(op);
                    }
                }
                None if st.kind == SqlKind::Ddl => self.unknown(format!(
                    "`{}` in SQL changes the schema in a way the simulation does not follow",
                    st.verb
                )),
                None => {}
            }
        }
    }
}

impl<'p> Sim<'p> {
    fn new(project: &'p Project, dialect: Dialect, schema: Schema) -> Self {
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
        }
    }

    fn steps(&mut self, rev: usize, steps: &[LocatedStep]) {
        self.rev = rev;
        for st in steps {
            self.line = st.line;
            match &st.step {
                Step::Op(op) => self.apply(op),
                Step::Opaque { reason } => self.unknown(reason.clone()),
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
            sim.steps(rev, &project.migration_ops(rev).upgrade);
        }
        Simulator { sim }
    }

    /// Applies steps of revision `rev` (its upgrade's or its downgrade's).
    pub fn apply(&mut self, rev: usize, steps: &[LocatedStep]) {
        self.sim.steps(rev, steps);
    }

    pub fn schema(&self) -> &Schema {
        &self.sim.out.schema
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
    let mut sim = Sim::new(project, dialect, Schema::default());
    for &rev in revs {
        sim.summary = RevisionTables {
            rev,
            ..Default::default()
        };
        sim.steps(rev, &project.migration_ops(rev).upgrade);
        let summary = std::mem::take(&mut sim.summary);
        sim.out.revisions.push(summary);
    }
    let fk_missing = std::mem::take(&mut sim.fk_missing);
    let mut out = sim.out;
    // a foreign key to a table not there yet: say which revision creates it, and
    // whether that revision comes later on this path or on another branch
    let creators: BTreeMap<&str, usize> = out
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
        out.diagnostics[k].message.push_str(&note);
    }
    out
}

/// The schema after `alembic upgrade TARGET` from an empty database.
pub fn schema_at(
    project: &Project,
    target: &str,
    dialect: Dialect,
) -> Result<Simulation, AlembicFailure> {
    Ok(simulate(project, &project.upgrade_path(target)?, dialect))
}

impl Schema {
    /// Text form, one table after another, sorted.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (name, values) in &self.enums {
            out.push_str(&format!(
                "enum {name} ({})\n",
                values
                    .iter()
                    .map(|v| format!("'{v}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        for t in self.tables.values() {
            out.push_str(&t.to_text());
        }
        out
    }
}

fn named(name: &Option<String>) -> String {
    name.as_ref().map(|n| format!(" {n}")).unwrap_or_default()
}

impl Table {
    pub fn to_text(&self) -> String {
        let mut out = format!("table {}", self.name);
        if let Some(c) = &self.comment {
            out.push_str(&format!(" -- {c}"));
        }
        out.push('\n');
        for c in &self.columns {
            out.push_str(&format!("  {}\n", c.to_text()));
        }
        if let Some(pk) = &self.primary_key {
            out.push_str(&format!(
                "  primary key{} ({})\n",
                named(&pk.name),
                pk.columns.join(", ")
            ));
        }
        for k in &self.uniques {
            out.push_str(&format!(
                "  unique{} ({})\n",
                named(&k.name),
                k.columns.join(", ")
            ));
        }
        for f in &self.foreign_keys {
            out.push_str(&format!(
                "  foreign key{} ({}) -> {} ({}){}\n",
                named(&f.name),
                f.columns.join(", "),
                f.referent,
                f.remote.join(", "),
                f.ondelete
                    .as_ref()
                    .map(|o| format!(" on delete {o}"))
                    .unwrap_or_default()
            ));
        }
        for k in &self.checks {
            out.push_str(&format!("  check{} ({})\n", named(&k.name), k.condition));
        }
        let mut idx: Vec<&Index> = self.indexes.iter().collect();
        idx.sort_by(|a, b| a.name.cmp(&b.name));
        for i in idx {
            out.push_str(&format!(
                "  {}index {} ({})\n",
                if i.unique { "unique " } else { "" },
                i.name,
                i.columns.join(", ")
            ));
        }
        out
    }
}

impl SchemaColumn {
    pub fn to_text(&self) -> String {
        let mut s = format!("{} {}", self.name, type_text(&self.type_));
        if !self.nullable {
            s.push_str(" not null");
        }
        if let Some(d) = &self.default {
            s.push_str(&format!(" default {d}"));
        }
        if let Some(c) = &self.comment {
            s.push_str(&format!(" -- {c}"));
        }
        s
    }
}

/// What changed between two schemas, as `+`/`-`/`~` lines per table.
pub fn diff(a: &Schema, b: &Schema) -> String {
    let mut out = String::new();
    for (name, values) in &a.enums {
        match b.enums.get(name) {
            None => out.push_str(&format!("- enum {name}\n")),
            Some(v) if v != values => out.push_str(&format!(
                "~ enum {name} ({}) -> ({})\n",
                values.join(", "),
                v.join(", ")
            )),
            _ => {}
        }
    }
    for name in b.enums.keys() {
        if !a.enums.contains_key(name) {
            out.push_str(&format!("+ enum {name}\n"));
        }
    }
    let names: std::collections::BTreeSet<&String> =
        a.tables.keys().chain(b.tables.keys()).collect();
    for name in names {
        match (a.tables.get(name), b.tables.get(name)) {
            (Some(_), None) => out.push_str(&format!("- table {name}\n")),
            (None, Some(t)) => {
                for line in t.to_text().lines() {
                    out.push_str(&format!("+ {line}\n"));
                }
            }
            (Some(x), Some(y)) => {
                let (xt, yt) = (x.to_text(), y.to_text());
                if xt == yt {
                    continue;
                }
                out.push_str(&format!("~ table {name}\n"));
                let xl: Vec<&str> = xt.lines().skip(1).map(str::trim).collect();
                let yl: Vec<&str> = yt.lines().skip(1).map(str::trim).collect();
                for l in &xl {
                    if !yl.contains(l) {
                        out.push_str(&format!("  - {l}\n"));
                    }
                }
                for l in &yl {
                    if !xl.contains(l) {
                        out.push_str(&format!("  + {l}\n"));
                    }
                }
            }
            _ => {}
        }
    }
    out
}
