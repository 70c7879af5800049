//! An index dropped without `postgresql_concurrently=True`.
//!
//! **Why**: `DROP INDEX` takes an `ACCESS EXCLUSIVE` lock on the index's table: short,
//! but it queues behind any long query and every later query queues behind it, so a busy
//! table stalls. `DROP INDEX CONCURRENTLY` waits for running queries instead of blocking
//! new ones (and must run outside a transaction). Indexes of tables created in the same
//! migration are exempt.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.drop_index("ix_orders_placed_at", table_name="orders")
//! ```
//!
//! ## Fix
//!
//! ```python
//! def upgrade():
//!     with op.get_context().autocommit_block():
//!         op.drop_index(
//!             "ix_orders_placed_at", table_name="orders", postgresql_concurrently=True
//!         )
//! ```

use crate::base::{Dialect, Severity};
use crate::lint::context::dialect_flag;
use crate::lint::{Check, LockClaim, Rule, StepCx};
use crate::ops::Operation;

pub static RULE: Rule = Rule {
    id: "require-concurrent-index-deletion",
    severity: Severity::Warning,
    dialects: &[Dialect::Postgresql],
    default_on: true,
    check: Check::Step(check),
    lock: Some(LockClaim {
        lock: "AccessExclusiveLock",
        rewrites: false,
        table: "t",
        setup: "CREATE TABLE t (id int, c int); CREATE INDEX t_c ON t (c);",
        statement: "DROP INDEX t_c",
    }),
    source: include_str!("require_concurrent_index_deletion.rs"),
};

fn check(cx: &StepCx, out: &mut Vec<String>) {
    if let Operation::DropIndex {
        name,
        table,
        dialect_kw,
        ..
    } = cx.op
    {
        if table.as_deref().is_some_and(|t| !cx.has_rows(t)) {
            return;
        }
        if !dialect_flag(dialect_kw, "postgresql_concurrently") {
            out.push(format!(
                "index `{name}` is dropped without CONCURRENTLY: its table is locked ACCESS EXCLUSIVE, queued behind running queries"
            ));
        }
    }
}
