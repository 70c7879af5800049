//! A unique constraint added to a table that may hold rows (`create_unique_constraint`,
//! or a new column with `unique=True`).
//!
//! **Why**: PostgreSQL builds the constraint's index while holding an `ACCESS EXCLUSIVE`
//! lock: no reads, no writes until the build ends. Build a unique index `CONCURRENTLY`
//! first, then attach it with `ADD CONSTRAINT ... UNIQUE USING INDEX`, which is instant.
//! It may also fail outright if existing rows hold duplicates.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.create_unique_constraint("uq_users_email", "users", ["email"])
//! ```
//!
//! ## Fix
//!
//! ```python
//! def upgrade():
//!     with op.get_context().autocommit_block():
//!         op.create_index(
//!             "uq_users_email", "users", ["email"], unique=True, postgresql_concurrently=True
//!         )
//!     op.execute(
//!         "ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE USING INDEX uq_users_email"
//!     )
//! ```

use crate::base::{Dialect, Severity};
use crate::lint::{Check, LockClaim, Rule, StepCx};
use crate::ops::{Constraint, Operation};

pub static RULE: Rule = Rule {
    id: "disallowed-unique-constraint",
    severity: Severity::Warning,
    dialects: &[Dialect::Postgresql],
    default_on: true,
    check: Check::Step(check),
    lock: Some(LockClaim {
        lock: "AccessExclusiveLock",
        rewrites: false,
        table: "t",
        setup: crate::lint::TABLE_WITH_ROWS,
        statement: "ALTER TABLE t ADD CONSTRAINT t_c_key UNIQUE (c)",
    }),
    source: include_str!("disallowed_unique_constraint.rs"),
};

fn check(cx: &StepCx, out: &mut Vec<String>) {
    let (table, what) = match cx.op {
        Operation::AddConstraint {
            table,
            constraint: Constraint::Unique { name, columns },
        } => (
            table,
            format!(
                "unique constraint {}({})",
                name.as_ref().map(|n| format!("`{n}` ")).unwrap_or_default(),
                columns.join(", ")
            ),
        ),
        Operation::AddColumn { table, column, .. } if column.unique && !column.index => {
            (table, format!("column `{}` with unique=True", column.name))
        }
        _ => return,
    };
    if cx.has_rows(table) {
        out.push(format!(
            "{what} is added to `{table}`: its index is built under an ACCESS EXCLUSIVE lock; build a unique index CONCURRENTLY and add the constraint USING INDEX"
        ));
    }
}
