//! Tables: create, drop, rename, comment, rows written.

use super::super::event::{EventAction, ObjectKind};
use super::super::model::Table;
use super::Sim;
use crate::ops::{Constraint, Operation};

impl Sim<'_> {
    /// `create_table`: the table, its columns, then its constraints and indexes.
    pub(super) fn create_table(&mut self, op: &Operation) {
        let Operation::CreateTable {
            table,
            columns,
            constraints,
            comment,
            indexes,
            ..
        } = op
        else {
            return;
        };
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
        // a `use_alter` foreign key is left out of `CREATE TABLE` where the dialect can ALTER
        let dialect = self.dialect;
        for c in columns {
            let mut c = c.clone();
            c.foreign_keys
                .retain(|fk| !fk.rules.left_out_of_create_table(dialect));
            self.add_column(table, &c, true);
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
            if let Constraint::ForeignKey { rules, .. } = c {
                if rules.left_out_of_create_table(dialect) {
                    continue;
                }
            }
            self.add_constraint(table, c);
        }
        for i in indexes {
            self.add_index(table, &i.name, &i.columns, i.unique);
        }
    }

    /// `drop_table`; a foreign key still pointing at it is a contradiction.
    pub(super) fn drop_table(&mut self, op: &Operation) {
        let Operation::DropTable { table, .. } = op else {
            return;
        };
        if self.table_mut(table, "drop_table").is_none() {
            return;
        }
        let referenced_by: Vec<String> = self
            .out
            .schema
            .tables
            .values()
            .filter(|t| t.name != *table && t.foreign_keys.iter().any(|f| f.referent == *table))
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

    /// `rename_table`, following the foreign keys that point at it.
    pub(super) fn rename_table(&mut self, op: &Operation) {
        let Operation::RenameTable { table, new_name } = op else {
            return;
        };
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

    /// `create_table_comment` / `drop_table_comment`.
    pub(super) fn table_comment(&mut self, op: &Operation) {
        let Operation::TableComment { table, comment } = op else {
            return;
        };
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

    /// `bulk_insert`: rows written.
    pub(super) fn bulk_insert(&mut self, op: &Operation) {
        let Operation::BulkInsert { table, rows, .. } = op else {
            return;
        };
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

    /// `UPDATE t SET ... WHERE ...` of SQLAlchemy Core: rows change, the table and the
    /// columns it names must exist.
    pub(super) fn update_rows(&mut self, u: &crate::ops::dml::RowUpdate) {
        if self.table_mut(&u.table, "update").is_none() {
            return;
        }
        let mut columns: Vec<String> = u.set.iter().map(|(c, _)| c.clone()).collect();
        columns.extend(u.set.iter().filter_map(|(_, v)| match v {
            crate::ops::dml::SqlValue::Column(c) => Some(c.clone()),
            _ => None,
        }));
        columns.extend(u.filter.iter().map(|f| f.column.clone()));
        columns.sort();
        columns.dedup();
        self.check_columns(&u.table, &columns, "update");
        self.event(
            ObjectKind::Table,
            &u.table,
            &u.table,
            EventAction::Data,
            format!(
                "update ({})",
                u.set
                    .iter()
                    .map(|(c, _)| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
}
