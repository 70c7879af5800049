//! An existing column set `NOT NULL` (`alter_column(..., nullable=False)`) on a table
//! that may hold rows.
//!
//! **Why**: PostgreSQL scans the whole table to check that no row is null, holding an
//! `ACCESS EXCLUSIVE` lock all the while: nothing reads or writes the table until the
//! scan ends. The table is not rewritten. From PostgreSQL 12 the scan is skipped when a
//! valid `CHECK (column IS NOT NULL)` constraint already proves it.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.alter_column("orders", "customer_id", existing_type=sa.Integer(), nullable=False)
//! ```
//!
//! ## Fix
//!
//! Add a `CHECK (customer_id IS NOT NULL) NOT VALID` constraint, `VALIDATE` it in a
//! separate migration (which takes a weaker lock), then set `NOT NULL` (instant once the
//! check proves it) and drop the check.
//!
//! ```python
//! def upgrade():
//!     op.execute(
//!         "ALTER TABLE orders ADD CONSTRAINT orders_customer_id_not_null "
//!         "CHECK (customer_id IS NOT NULL) NOT VALID"
//!     )
//! ```

use crate::base::{Dialect, Severity};
use crate::lint::{Check, LockClaim, Rule, StepCx};
use crate::ops::Operation;

pub static RULE: Rule = Rule {
    id: "adding-not-nullable-field",
    severity: Severity::Warning,
    dialects: &[Dialect::Postgresql],
    default_on: true,
    check: Check::Step(check),
    lock: Some(LockClaim {
        lock: "AccessExclusiveLock",
        rewrites: false,
        table: "t",
        setup: crate::lint::TABLE_WITH_ROWS,
        statement: "ALTER TABLE t ALTER COLUMN c SET NOT NULL",
    }),
    source: include_str!("adding_not_nullable_field.rs"),
};

fn check(cx: &StepCx, out: &mut Vec<String>) {
    let Operation::AlterColumn {
        table,
        column,
        changes,
    } = cx.op
    else {
        return;
    };
    if changes.nullable != Some(false) || !cx.has_rows(table) {
        return;
    }
    // already NOT NULL in the simulated schema: nothing to scan
    if cx.column(table, column).is_some_and(|c| !c.nullable) {
        return;
    }
    out.push(format!(
        "`{table}.{column}` is set NOT NULL: PostgreSQL scans the whole table under an ACCESS EXCLUSIVE lock"
    ));
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::pg;

    #[test]
    fn a_column_already_not_null_is_not_scanned() {
        let body = "def upgrade():\n    op.create_table(\"t\", sa.Column(\"id\", sa.Integer(), nullable=False))\n\n\ndef downgrade():\n    op.alter_column(\"t\", \"id\", nullable=False)\n";
        assert!(pg("adding-not-nullable-field", body).is_empty());
    }
}
