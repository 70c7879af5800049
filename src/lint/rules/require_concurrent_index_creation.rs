//! An index created without `postgresql_concurrently=True` on a table that may hold rows.
//!
//! **Why**: a plain `CREATE INDEX` takes a `SHARE` lock on the table for the whole build:
//! reads go on, but every `INSERT`, `UPDATE` and `DELETE` waits until the index is built,
//! which on a large table is minutes. `CREATE INDEX CONCURRENTLY` builds it without
//! blocking writes (it must run outside a transaction: see
//! `ban-concurrent-index-creation-in-transaction`). Tables created in the same migration
//! are exempt.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.create_index("ix_orders_placed_at", "orders", ["placed_at"])
//! ```
//!
//! ## Fix
//!
//! ```python
//! def upgrade():
//!     with op.get_context().autocommit_block():
//!         op.create_index(
//!             "ix_orders_placed_at", "orders", ["placed_at"], postgresql_concurrently=True
//!         )
//! ```

use crate::base::{Dialect, Severity};
use crate::lint::context::dialect_flag;
use crate::lint::{Check, LockClaim, Rule, StepCx};
use crate::ops::Operation;

pub static RULE: Rule = Rule {
    id: "require-concurrent-index-creation",
    severity: Severity::Warning,
    dialects: &[Dialect::Postgresql],
    default_on: true,
    check: Check::Step(check),
    lock: Some(LockClaim {
        lock: "ShareLock",
        rewrites: false,
        table: "t",
        setup: crate::lint::TABLE_WITH_ROWS,
        statement: "CREATE INDEX t_c ON t (c)",
    }),
    source: include_str!("require_concurrent_index_creation.rs"),
};

fn check(cx: &StepCx, out: &mut Vec<String>) {
    if let Operation::CreateIndex {
        name,
        table,
        dialect_kw,
        ..
    } = cx.op
    {
        if cx.has_rows(table) && !dialect_flag(dialect_kw, "postgresql_concurrently") {
            out.push(format!(
                "index `{name}` is built on `{table}` without CONCURRENTLY: writes to the table wait for the whole build (SHARE lock)"
            ));
        }
    }
}
