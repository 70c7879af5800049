//! Indexes: create, drop, rename.

use super::super::event::{EventAction, ObjectKind};
use super::super::model::Index;
use super::Sim;
use crate::ops::Operation;

impl Sim<'_> {
    pub(super) fn add_index(&mut self, table: &str, name: &str, columns: &[String], unique: bool) {
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

    /// `drop_index`, found by name on whichever table has it.
    pub(super) fn drop_index(&mut self, op: &Operation) {
        let Operation::DropIndex {
            name,
            table,
            if_exists,
            ..
        } = op
        else {
            return;
        };
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
            // `if_exists=True`: an absent index is what the author allowed for
            None if *if_exists => {}
            None => {
                let on = table
                    .as_ref()
                    .map(|t| format!(" on `{t}`"))
                    .unwrap_or_default();
                let message =
                    format!("drop_index: index `{name}`{on} does not exist at this revision");
                match table {
                    Some(t) => self.missing("schema-missing-index", t, message),
                    None => {
                        self.contradiction("schema-missing-index", message);
                    }
                }
            }
        }
    }

    /// `ALTER INDEX ... RENAME` (from SQL).
    pub(super) fn rename_index(&mut self, op: &Operation) {
        let Operation::RenameIndex { name, new_name } = op else {
            return;
        };
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
            None => {
                self.contradiction(
                    "schema-missing-index",
                    format!("rename index: index `{name}` does not exist at this revision"),
                );
            }
        }
    }
}
