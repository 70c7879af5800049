//! A migration that takes an `ACCESS EXCLUSIVE` lock on a table that may hold rows
//! without setting `lock_timeout` first.
//!
//! **Why**: even an instant `ALTER TABLE` must wait for every query already running on
//! the table, and while it waits every new query queues behind it: one slow report turns
//! a millisecond migration into an outage. With `SET lock_timeout` the migration gives up
//! instead (and can be retried). Said once per migration, at its first such step. Off by
//! default, as in Squawk (`extend-select = ["require-timeout-settings"]`): projects often
//! set the timeout once in `env.py`, which the planner does not read.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.add_column("orders", sa.Column("note", sa.Text(), nullable=True))
//! ```
//!
//! ## Fix
//!
//! ```python
//! def upgrade():
//!     op.execute("SET lock_timeout = '2s'")
//!     op.add_column("orders", sa.Column("note", sa.Text(), nullable=True))
//! ```

use std::collections::BTreeSet;

use crate::base::{Dialect, Severity};
use crate::lint::{Check, RevCx, Rule};
use crate::ops::{Operation, Step};

pub static RULE: Rule = Rule {
    id: "require-timeout-settings",
    severity: Severity::Warning,
    dialects: &[Dialect::Postgresql],
    default_on: false,
    check: Check::Revision(check),
    lock: None,
    source: include_str!("require_timeout_settings.rs"),
};

/// The table an operation locks `ACCESS EXCLUSIVE`, if any.
fn locked(op: &Operation) -> Option<&str> {
    match op {
        Operation::AddColumn { table, .. }
        | Operation::DropColumn { table, .. }
        | Operation::AlterColumn { table, .. }
        | Operation::RenameTable { table, .. }
        | Operation::DropTable { table, .. }
        | Operation::AddConstraint { table, .. }
        | Operation::DropConstraint { table, .. } => Some(table),
        Operation::DropIndex {
            table: Some(table),
            dialect_kw,
            ..
        } if !crate::lint::context::dialect_flag(dialect_kw, "postgresql_concurrently") => {
            Some(table)
        }
        _ => None,
    }
}

fn check(cx: &RevCx, out: &mut Vec<(u32, String)>) {
    let mut created: BTreeSet<&str> = BTreeSet::new();
    for st in &cx.ops.upgrade {
        let Step::Op(op) = &st.step else { continue };
        match op.as_ref() {
            Operation::CreateTable { table, .. } => {
                created.insert(table);
            }
            Operation::Execute { sql } if sql.to_ascii_lowercase().contains("lock_timeout") => {
                return;
            }
            other => {
                if let Some(t) = locked(other).filter(|t| !created.contains(t)) {
                    out.push((
                        st.line,
                        format!(
                            "`{t}` is locked ACCESS EXCLUSIVE with no lock_timeout set: behind one long query, every query on it waits; `op.execute(\"SET lock_timeout = '2s'\")` first"
                        ),
                    ));
                    return;
                }
            }
        }
    }
}
