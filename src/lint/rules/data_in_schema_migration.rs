//! Rows written inside a schema migration: `INSERT`, `UPDATE`, `DELETE` (and `MERGE`,
//! `TRUNCATE`, `COPY`) through `op.execute`, `op.bulk_insert` or the connection.
//!
//! **Why**: a data change in the DDL transaction holds the schema locks for as long as
//! the rows take, runs again on every fresh database (tests, new environments) where the
//! data may not exist, and is invisible in a schema review. Many teams keep migrations
//! to DDL and backfill separately; seed data that must ship with the schema is the
//! exception, silenced where it is written.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.execute("UPDATE accounts SET plan = 'free' WHERE plan IS NULL")
//! ```
//!
//! ## Fix
//!
//! Move the backfill to a job or a data-migration script, or mark seed data as deliberate:
//!
//! ```python
//! def upgrade():
//!     op.execute("UPDATE accounts SET plan = 'free' WHERE plan IS NULL")  # alembic-planner: ignore[data-in-schema-migration]
//! ```

use crate::base::Severity;
use crate::lint::{Check, Rule, StepCx};
use crate::ops::Operation;
use crate::sql::SqlKind;

pub static RULE: Rule = Rule {
    id: "data-in-schema-migration",
    severity: Severity::Warning,
    dialects: &[],
    default_on: true,
    check: Check::Step(check),
    lock: None,
    source: include_str!("data_in_schema_migration.rs"),
};

fn check(cx: &StepCx, out: &mut Vec<String>) {
    match cx.op {
        Operation::BulkInsert { table, rows, .. } => out.push(format!(
            "{} row{} inserted into `{table}` by bulk_insert",
            rows.len(),
            if rows.len() == 1 { "" } else { "s" }
        )),
        Operation::UpdateRows(u) => out.push(format!(
            "UPDATE changes rows on `{}` inside the schema migration",
            u.table
        )),
        Operation::Execute { .. } => {
            for s in cx.sql.iter().flat_map(|a| &a.statements) {
                if s.kind == SqlKind::Dml {
                    out.push(format!(
                        "{} {}changes rows inside the schema migration",
                        s.verb,
                        if s.writes.is_empty() {
                            String::new()
                        } else {
                            format!("on `{}` ", s.writes.join("`, `"))
                        }
                    ));
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::pg;

    #[test]
    fn ddl_and_queries_are_not_data() {
        let body = "def upgrade():\n    op.execute(\"CREATE TABLE x (id int)\")\n    op.execute(\"SELECT setval('s', 1)\")\n    op.bulk_insert(sa.table(\"x\", sa.column(\"id\")), [{\"id\": 1}])\n";
        assert_eq!(
            pg("data-in-schema-migration", body),
            vec!["19: 1 row inserted into `x` by bulk_insert"]
        );
    }
}
