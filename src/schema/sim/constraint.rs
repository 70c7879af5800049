//! Constraints: primary keys, unique, checks and foreign keys (with the tables they point
//! to), added and dropped; PostgreSQL's names for unnamed ones.

use super::super::event::{EventAction, ObjectKind};
use super::super::model::{Check, ForeignKey, Key};
use super::Sim;
use crate::base::Dialect;
use crate::ops::{Constraint, Operation};

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

impl Sim<'_> {
    pub(super) fn add_constraint(&mut self, table: &str, c: &Constraint) {
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
                rules,
            } => {
                self.check_columns(table, columns, "foreign key");
                let fk = ForeignKey {
                    name: name
                        .clone()
                        .or_else(|| default_name(dialect, table, columns, "fkey")),
                    columns: columns.clone(),
                    referent: referent.clone(),
                    remote: remote.clone(),
                    rules: rules.clone(),
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

    pub(super) fn constraint_exists(&self, table: &str, name: &str) -> bool {
        let Some(t) = self.out.schema.tables.get(table) else {
            return false;
        };
        let n = Some(name.to_string());
        t.primary_key.as_ref().is_some_and(|k| k.name == n)
            || t.uniques.iter().any(|k| k.name == n)
            || t.checks.iter().any(|k| k.name == n)
            || t.foreign_keys.iter().any(|k| k.name == n)
    }

    pub(super) fn foreign_key_target(&mut self, table: &str, fk: &ForeignKey) {
        if !self.summary.depends_on.contains(&fk.referent)
            && fk.referent != table
            && !self.summary.creates.contains(&fk.referent)
        {
            self.summary.depends_on.push(fk.referent.clone());
        }
        match self.out.schema.tables.get(&fk.referent) {
            None if fk.referent == table => {}
            None => {
                let k = self.out.diagnostics.len();
                let new = self.contradiction(
                    "fk-missing-table",
                    format!(
                    "foreign key {table}({}) -> {}({}): table `{}` does not exist at this revision",
                    fk.columns.join(", "),
                    fk.referent,
                    fk.remote.join(", "),
                    fk.referent
                ),
                );
                if new {
                    self.fk_missing.push((k, self.rev, fk.referent.clone()));
                }
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
                    self.missing(
                        "schema-missing-column",
                        &fk.referent,
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

    /// `drop_constraint`: a primary key, unique, check or foreign key by name (or a unique index).
    pub(super) fn drop_constraint(&mut self, op: &Operation) {
        let Operation::DropConstraint {
            name,
            table,
            if_exists,
            ..
        } = op
        else {
            return;
        };
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
        if !found && *if_exists {
            return;
        }
        if !found {
            self.missing(
                "schema-missing-constraint",
                table,
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
}
