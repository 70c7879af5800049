//! A foreign key or check constraint added to a table that may hold rows without
//! `postgresql_not_valid=True`.
//!
//! **Why**: PostgreSQL checks every existing row while it holds the lock: a foreign key
//! takes `SHARE ROW EXCLUSIVE` on both tables (writes blocked), a check constraint
//! `ACCESS EXCLUSIVE` (everything blocked), for as long as the scan takes. Added
//! `NOT VALID`, the constraint applies to new rows at once and the scan happens later in
//! `VALIDATE CONSTRAINT`, which only takes `SHARE UPDATE EXCLUSIVE`.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.create_foreign_key("fk_orders_customer", "orders", "customers", ["customer_id"], ["id"])
//! ```
//!
//! ## Fix
//!
//! ```python
//! def upgrade():
//!     op.create_foreign_key(
//!         "fk_orders_customer", "orders", "customers", ["customer_id"], ["id"],
//!         postgresql_not_valid=True,
//!     )
//! ```
//!
//! and in a later migration:
//!
//! ```sql
//! ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_customer;
//! ```

use crate::base::{Dialect, Severity};
use crate::lint::{Check, LockClaim, Rule, StepCx};
use crate::ops::{Constraint, Operation};

pub static RULE: Rule = Rule {
    id: "constraint-missing-not-valid",
    severity: Severity::Warning,
    dialects: &[Dialect::Postgresql],
    default_on: true,
    check: Check::Step(check),
    lock: Some(LockClaim {
        lock: "ShareRowExclusiveLock",
        rewrites: false,
        table: "t",
        setup: "CREATE TABLE p (id int PRIMARY KEY); INSERT INTO p SELECT generate_series(1, 100); CREATE TABLE t (id int, p_id int); INSERT INTO t SELECT g, g FROM generate_series(1, 100) g;",
        statement: "ALTER TABLE t ADD CONSTRAINT t_p_fk FOREIGN KEY (p_id) REFERENCES p (id)",
    }),
    source: include_str!("constraint_missing_not_valid.rs"),
};

fn check(cx: &StepCx, out: &mut Vec<String>) {
    let Operation::AddConstraint { table, constraint } = cx.op else {
        return;
    };
    let (what, lock) = match constraint {
        Constraint::ForeignKey { name, referent, .. } => (
            format!(
                "foreign key {}to `{referent}`",
                name.as_ref().map(|n| format!("`{n}` ")).unwrap_or_default()
            ),
            "SHARE ROW EXCLUSIVE on both tables",
        ),
        Constraint::Check { name, .. } => (
            format!(
                "check constraint {}",
                name.as_ref().map(|n| format!("`{n}`")).unwrap_or_default()
            )
            .trim_end()
            .to_string(),
            "ACCESS EXCLUSIVE",
        ),
        _ => return,
    };
    let not_valid = cx.unmodelled.iter().any(|u| u.contains("not_valid=True"));
    if cx.has_rows(table) && !not_valid {
        out.push(format!(
            "{what} is added to `{table}` without NOT VALID: every row is checked under {lock}"
        ));
    }
}
