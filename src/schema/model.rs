//! The simulated schema: tables with their columns, keys, foreign keys, checks and
//! indexes, and enum types.

use std::collections::BTreeMap;

use crate::ops::{Column, Constraint, FkRules, TableIndex, TableShape};
use crate::python::Val;

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
    /// A generated column's expression (`sa.Computed`).
    pub computed: Option<crate::ops::Computed>,
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
    #[serde(flatten)]
    pub rules: FkRules,
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
            rules: f.rules.clone(),
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
                    autoincrement: None,
                    has_default: false,
                    computed: c.computed.clone(),
                    // (the table as the database has it: a sequence is no part of it)
                    sequence: None,
                    identity: None,
                    checks: Vec::new(),
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

/// The type as shown: `String(255)`; `?` when unknown.
pub fn type_text(t: &Option<Val>) -> String {
    match t {
        None => "?".into(),
        Some(Val::Str(sql)) => sql.clone(),
        Some(Val::Opaque(r)) => format!("<unknown: {r}>"),
        Some(v) => v.render(),
    }
}
