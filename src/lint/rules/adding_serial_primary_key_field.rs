//! A primary key added to a table that may hold rows (`create_primary_key`, or a new
//! column with `primary_key=True`).
//!
//! **Why**: PostgreSQL builds the primary key's unique index under an `ACCESS EXCLUSIVE`
//! lock (and adding a serial column fills it for every row, rewriting the table). Build a
//! unique index `CONCURRENTLY` first and attach it with `ADD CONSTRAINT ... PRIMARY KEY
//! USING INDEX`.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.create_primary_key("pk_events", "events", ["id"])
//! ```
//!
//! ## Fix
//!
//! ```python
//! def upgrade():
//!     with op.get_context().autocommit_block():
//!         op.create_index("pk_events", "events", ["id"], unique=True, postgresql_concurrently=True)
//!     op.execute("ALTER TABLE events ADD CONSTRAINT pk_events PRIMARY KEY USING INDEX pk_events")
//! ```

use crate::base::{Dialect, Severity};
use crate::lint::{Check, LockClaim, Rule, StepCx};
use crate::ops::{Constraint, Operation};

pub static RULE: Rule = Rule {
    id: "adding-serial-primary-key-field",
    severity: Severity::Warning,
    dialects: &[Dialect::Postgresql],
    default_on: true,
    check: Check::Step(check),
    lock: Some(LockClaim {
        lock: "AccessExclusiveLock",
        rewrites: false,
        table: "t",
        setup: "CREATE TABLE t (id int NOT NULL); INSERT INTO t SELECT generate_series(1, 100);",
        statement: "ALTER TABLE t ADD PRIMARY KEY (id)",
    }),
    source: include_str!("adding_serial_primary_key_field.rs"),
};

fn check(cx: &StepCx, out: &mut Vec<String>) {
    let (table, what) = match cx.op {
        Operation::AddConstraint {
            table,
            constraint: Constraint::PrimaryKey { columns, .. },
        } => (table, format!("a primary key ({})", columns.join(", "))),
        Operation::AddColumn { table, column, .. } if column.primary_key => {
            (table, format!("primary key column `{}`", column.name))
        }
        _ => return,
    };
    if cx.has_rows(table) {
        out.push(format!(
            "{what} is added to `{table}`: its index is built under an ACCESS EXCLUSIVE lock; build a unique index CONCURRENTLY and add the key USING INDEX"
        ));
    }
}
