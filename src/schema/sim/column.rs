//! Columns: add (with what a column creates), drop, alter.

use super::super::event::{EventAction, ObjectKind};
use super::super::model::SchemaColumn;
use super::super::type_text;
use super::{default_text, Sim};
use crate::ops::{Change, Column, ColumnChanges, Operation};

impl Sim<'_> {
    pub(super) fn add_column(&mut self, table: &str, c: &Column, in_create: bool) {
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
            computed: c.computed.clone(),
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

    pub(super) fn column_extras(&mut self, table: &str, c: &Column) {
        self.enum_of(&c.type_);
        for k in c.implied_constraints().iter().chain(&c.checks) {
            self.add_constraint(table, k);
        }
        if let Some(ix) = c.implied_index(table) {
            self.add_index(table, &ix.name, &ix.columns, ix.unique);
        }
    }

    /// `drop_column`, with the indexes and constraints that use the column.
    pub(super) fn drop_column(&mut self, op: &Operation) {
        let Operation::DropColumn { table, column, .. } = op else {
            return;
        };
        let Some(t) = self.table_mut(table, &format!("drop_column {table}.{column}")) else {
            return;
        };
        let before = t.columns.len();
        t.columns.retain(|c| c.name != *column);
        if t.columns.len() == before {
            self.missing(
                "schema-missing-column",
                table,
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

    pub(super) fn alter_column(&mut self, table: &str, column: &str, changes: &ColumnChanges) {
        let dialect = self.dialect;
        let Some(t) = self.table_mut(table, &format!("alter_column {table}.{column}")) else {
            return;
        };
        let Some(c) = t.columns.iter_mut().find(|c| c.name == column) else {
            self.missing(
                "schema-missing-column",
                table,
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
}
