//! A table renamed (`op.rename_table`).
//!
//! **Why**: the rename is quick (a brief `ACCESS EXCLUSIVE` lock, no rewrite), but the
//! version still running during the deploy queries the old name and fails until the new
//! code is everywhere. Only upgrades are checked.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.rename_table("customer", "customers")
//! ```
//!
//! ## Fix
//!
//! Rename, then create a view with the old name for the old code, and drop the view in a
//! later release (updatable simple views keep writes working on PostgreSQL).
//!
//! ```python
//! def upgrade():
//!     op.create_table("customers", sa.Column("id", sa.Integer(), primary_key=True))
//! ```

use crate::base::Severity;
use crate::lint::{Check, LockClaim, Rule, StepCx};
use crate::ops::Operation;

pub static RULE: Rule = Rule {
    id: "renaming-table",
    severity: Severity::Warning,
    dialects: &[],
    default_on: true,
    check: Check::Step(check),
    lock: Some(LockClaim {
        lock: "AccessExclusiveLock",
        rewrites: false,
        table: "t",
        setup: "CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 100);",
        statement: "ALTER TABLE t RENAME TO t2",
    }),
    source: include_str!("renaming_table.rs"),
};

fn check(cx: &StepCx, out: &mut Vec<String>) {
    if let Operation::RenameTable { table, new_name } = cx.op {
        if cx.upgrade() && cx.has_rows(table) {
            out.push(format!(
                "table `{table}` is renamed to `{new_name}`: code still using the old name breaks as soon as this commits"
            ));
        }
    }
}
