//! A table dropped in an upgrade.
//!
//! **Why**: its rows are gone for good (a downgrade recreates it empty), and the version
//! still running during the deploy may query it. Downgrades are not checked, nor tables
//! the same migration created.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.drop_table("audit_log")
//! ```
//!
//! ## Fix
//!
//! Remove every use first and deploy; then drop it in a later migration, with a
//! suppression that says it was deliberate:
//!
//! ```python
//! def upgrade():
//!     op.drop_table("audit_log")  # alembic-planner: ignore[ban-drop-table]
//! ```

use crate::base::Severity;
use crate::lint::{Check, LockClaim, Rule, StepCx};
use crate::ops::Operation;

pub static RULE: Rule = Rule {
    id: "ban-drop-table",
    severity: Severity::Warning,
    dialects: &[],
    default_on: true,
    check: Check::Step(check),
    lock: Some(LockClaim {
        lock: "AccessExclusiveLock",
        rewrites: false,
        table: "t",
        setup: "CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 100);",
        statement: "DROP TABLE t",
    }),
    source: include_str!("ban_drop_table.rs"),
};

fn check(cx: &StepCx, out: &mut Vec<String>) {
    if let Operation::DropTable { table, .. } = cx.op {
        if cx.upgrade() && cx.has_rows(table) {
            out.push(format!(
                "table `{table}` is dropped with its rows; code still using it breaks"
            ));
        }
    }
}
