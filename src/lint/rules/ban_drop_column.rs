//! A column dropped in an upgrade.
//!
//! **Why**: the data is gone for good (a downgrade brings the column back empty), and the
//! version still running during the deploy may select or insert it: SQLAlchemy models
//! list every mapped column, so even code that never mentions it fails. PostgreSQL takes
//! a brief `ACCESS EXCLUSIVE` lock and does not rewrite the table. Downgrades are not
//! checked: dropping what the upgrade added is their job.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.drop_column("users", "legacy_id")
//! ```
//!
//! ## Fix
//!
//! Stop using the column first (remove it from the model, deploy), then drop it in a later
//! migration, and say so with a suppression so reviewers see it was deliberate:
//!
//! ```python
//! def upgrade():
//!     op.drop_column("users", "legacy_id")  # alembic-planner: ignore[ban-drop-column]
//! ```

use crate::base::Severity;
use crate::lint::{Check, LockClaim, Rule, StepCx};
use crate::ops::Operation;

pub static RULE: Rule = Rule {
    id: "ban-drop-column",
    severity: Severity::Warning,
    dialects: &[],
    default_on: true,
    check: Check::Step(check),
    lock: Some(LockClaim {
        lock: "AccessExclusiveLock",
        rewrites: false,
        table: "t",
        setup: crate::lint::TABLE_WITH_ROWS,
        statement: "ALTER TABLE t DROP COLUMN c",
    }),
    source: include_str!("ban_drop_column.rs"),
};

fn check(cx: &StepCx, out: &mut Vec<String>) {
    if let Operation::DropColumn { table, column, .. } = cx.op {
        if cx.upgrade() && cx.has_rows(table) {
            out.push(format!(
                "column `{table}.{column}` is dropped with its data; code still reading it breaks"
            ));
        }
    }
}
