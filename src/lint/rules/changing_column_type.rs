//! A column's type changed (`alter_column(..., type_=...)`) on a table that may hold rows.
//!
//! **Why**: most type changes make PostgreSQL rewrite the table and rebuild its indexes
//! under an `ACCESS EXCLUSIVE` lock, blocking every read and write for as long as that
//! takes; code still running the previous version may also break on the new type. The
//! changes that only touch the catalog are exempt: `VARCHAR(n)` to `TEXT` or to a longer
//! (or unlimited) `VARCHAR`.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.alter_column("invoices", "amount", existing_type=sa.Integer(), type_=sa.BigInteger())
//! ```
//!
//! ## Fix
//!
//! Add a new column of the new type, write both from the application, backfill in
//! batches, then switch reads and drop the old column. Widening a `VARCHAR` is safe:
//!
//! ```python
//! def upgrade():
//!     op.alter_column("invoices", "note", existing_type=sa.String(50), type_=sa.String(200))
//! ```

use crate::base::{Dialect, Severity};
use crate::lint::context::{type_int, type_name};
use crate::lint::{Check, LockClaim, Rule, StepCx};
use crate::ops::Operation;
use crate::python::Val;

pub static RULE: Rule = Rule {
    id: "changing-column-type",
    severity: Severity::Warning,
    dialects: &[Dialect::Postgresql],
    default_on: true,
    check: Check::Step(check),
    lock: Some(LockClaim {
        lock: "AccessExclusiveLock",
        rewrites: true,
        table: "t",
        setup: crate::lint::TABLE_WITH_ROWS,
        statement: "ALTER TABLE t ALTER COLUMN c TYPE bigint",
    }),
    source: include_str!("changing_column_type.rs"),
};

/// `Some(length)` for a character-varying type (`None` inside: unlimited), else `None`.
fn varchar(t: &Val) -> Option<Option<i64>> {
    let name = type_name(t)?.to_ascii_lowercase();
    match name.as_str() {
        "string" | "varchar" | "unicode" | "nvarchar" => Some(type_int(t, 0, "length")),
        "text" | "unicodetext" => Some(None),
        _ => None,
    }
}

/// Whether going from `old` to `new` only changes the catalog (or nothing: the same type
/// again, as `alter_column(..., new_column_name=..., type_=...)` restates it).
fn catalog_only(old: &Val, new: &Val) -> bool {
    if old.render() == new.render() {
        return true;
    }
    match (varchar(old), varchar(new)) {
        (Some(_), Some(None)) => true,
        (Some(Some(a)), Some(Some(b))) => b >= a,
        _ => false,
    }
}

fn check(cx: &StepCx, out: &mut Vec<String>) {
    let Operation::AlterColumn {
        table,
        column,
        changes,
    } = cx.op
    else {
        return;
    };
    let Some(new) = &changes.type_ else { return };
    if !cx.has_rows(table) {
        return;
    }
    let old = changes
        .existing_type
        .clone()
        .or_else(|| cx.column(table, column).and_then(|c| c.type_.clone()));
    if old.as_ref().is_some_and(|o| catalog_only(o, new)) {
        return;
    }
    out.push(format!(
        "`{table}.{column}` changes type{} to {}: PostgreSQL rewrites the table and its indexes under an ACCESS EXCLUSIVE lock",
        old.map(|o| format!(" from {}", o.render())).unwrap_or_default(),
        new.render()
    ));
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::pg;

    #[test]
    fn the_old_type_comes_from_the_schema_when_not_written() {
        let body = "def upgrade():\n    op.create_table(\"t\", sa.Column(\"c\", sa.String(10)))\n\n\ndef downgrade():\n    op.alter_column(\"t\", \"c\", type_=sa.Text())\n    op.alter_column(\"t\", \"c\", type_=sa.Integer())\n";
        assert_eq!(
            pg("changing-column-type", body),
            vec!["22: `t.c` changes type from Text() to Integer(): PostgreSQL rewrites the table and its indexes under an ACCESS EXCLUSIVE lock"]
        );
    }

    /// A rename that restates the column's type (Airflow's dataset → asset renames) does
    /// not change it: PostgreSQL does not rewrite the table.
    #[test]
    fn the_same_type_restated_is_not_a_change() {
        let body = "def upgrade():\n    op.create_table(\"t\", sa.Column(\"c\", sa.Integer()))\n\n\ndef downgrade():\n    op.alter_column(\"t\", \"c\", new_column_name=\"d\", type_=sa.Integer(), nullable=False)\n    op.alter_column(\"t\", \"d\", type_=sa.String(10), existing_type=sa.Integer())\n";
        assert_eq!(
            pg("changing-column-type", body),
            vec!["22: `t.d` changes type from Integer() to String(10): PostgreSQL rewrites the table and its indexes under an ACCESS EXCLUSIVE lock"]
        );
    }
}
