//! A column renamed (`alter_column(..., new_column_name=...)`).
//!
//! **Why**: the rename itself is quick (a brief `ACCESS EXCLUSIVE` lock, no rewrite), but
//! every query of the version still running during the deploy uses the old name and
//! fails from the moment the migration commits until the new code is everywhere. Only
//! upgrades are checked: a downgrade that renames back is the undo of one.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.alter_column("users", "mail", new_column_name="email")
//! ```
//!
//! ## Fix
//!
//! Expand and contract: add the new column, write both, backfill, move reads, and drop
//! the old column in a later release (or expose the new name through a view first).
//!
//! ```python
//! def upgrade():
//!     op.add_column("users", sa.Column("email", sa.String(255), nullable=True))
//! ```

use crate::base::Severity;
use crate::lint::{Check, LockClaim, Rule, StepCx};
use crate::ops::Operation;

pub static RULE: Rule = Rule {
    id: "renaming-column",
    severity: Severity::Warning,
    dialects: &[],
    default_on: true,
    check: Check::Step(check),
    lock: Some(LockClaim {
        lock: "AccessExclusiveLock",
        rewrites: false,
        table: "t",
        setup: crate::lint::TABLE_WITH_ROWS,
        statement: "ALTER TABLE t RENAME COLUMN c TO d",
    }),
    source: include_str!("renaming_column.rs"),
};

fn check(cx: &StepCx, out: &mut Vec<String>) {
    if !cx.upgrade() {
        return;
    }
    if let Operation::AlterColumn {
        table,
        column,
        changes,
    } = cx.op
    {
        if let (Some(new), true) = (&changes.new_column_name, cx.has_rows(table)) {
            out.push(format!(
                "`{table}.{column}` is renamed to `{new}`: code still using the old name breaks as soon as this commits"
            ));
        }
    }
}
