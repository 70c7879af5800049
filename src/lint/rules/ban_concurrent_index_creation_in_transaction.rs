//! `CREATE INDEX CONCURRENTLY` (or `DROP INDEX CONCURRENTLY`) inside the migration's
//! transaction.
//!
//! **Why**: PostgreSQL refuses it: `CREATE INDEX CONCURRENTLY cannot run inside a
//! transaction block`. Alembic runs each migration in a transaction on PostgreSQL, so the
//! deploy fails at this step, unless the step is inside
//! `op.get_context().autocommit_block()`, which commits first and opens a new transaction
//! after.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.create_index("ix_users_email", "users", ["email"], postgresql_concurrently=True)
//! ```
//!
//! ## Fix
//!
//! ```python
//! def upgrade():
//!     with op.get_context().autocommit_block():
//!         op.create_index(
//!             "ix_users_email", "users", ["email"], postgresql_concurrently=True
//!         )
//! ```

use crate::base::{Dialect, Severity};
use crate::lint::context::dialect_flag;
use crate::lint::{Check, Rule, StepCx};
use crate::ops::Operation;

pub static RULE: Rule = Rule {
    id: "ban-concurrent-index-creation-in-transaction",
    severity: Severity::Error,
    dialects: &[Dialect::Postgresql],
    default_on: true,
    check: Check::Step(check),
    lock: None,
    source: include_str!("ban_concurrent_index_creation_in_transaction.rs"),
};

fn check(cx: &StepCx, out: &mut Vec<String>) {
    if cx.autocommit {
        return;
    }
    let what = match cx.op {
        Operation::CreateIndex {
            name, dialect_kw, ..
        } if dialect_flag(dialect_kw, "postgresql_concurrently") => {
            format!("CREATE INDEX CONCURRENTLY `{name}`")
        }
        Operation::DropIndex {
            name, dialect_kw, ..
        } if dialect_flag(dialect_kw, "postgresql_concurrently") => {
            format!("DROP INDEX CONCURRENTLY `{name}`")
        }
        Operation::Execute { sql } if sql.to_ascii_uppercase().contains("CONCURRENTLY") => {
            "SQL with CONCURRENTLY".to_string()
        }
        _ => return,
    };
    out.push(format!(
        "{what} runs inside the migration's transaction, which PostgreSQL refuses; put it in `with op.get_context().autocommit_block():`"
    ));
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::pg;

    #[test]
    fn raw_sql_is_checked_too() {
        let body = "def upgrade():\n    op.execute(\"CREATE INDEX CONCURRENTLY ix ON t (c)\")\n    with op.get_context().autocommit_block():\n        op.execute(\"DROP INDEX CONCURRENTLY ix\")\n";
        assert_eq!(
            pg("ban-concurrent-index-creation-in-transaction", body).len(),
            1
        );
    }
}
