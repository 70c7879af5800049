//! A column added `NOT NULL` without a server default to a table that may hold rows.
//!
//! **Why**: the database must fill the new column for every existing row and has no
//! value to put there, so the `ALTER TABLE` fails on any table that is not empty (on
//! PostgreSQL: `column "..." contains null values`). The deploy stops halfway, and code
//! still running the old version, which inserts rows without the column, breaks too. A
//! table created earlier in the same migration is empty and exempt.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.add_column("accounts", sa.Column("plan", sa.String(20), nullable=False))
//! ```
//!
//! ## Fix
//!
//! Give the column a server default (removable later), or add it nullable, backfill it,
//! then set `NOT NULL` in a later migration.
//!
//! ```python
//! def upgrade():
//!     op.add_column(
//!         "accounts",
//!         sa.Column("plan", sa.String(20), nullable=False, server_default="free"),
//!     )
//! ```

use crate::base::Severity;
use crate::lint::{Check, Rule, StepCx};
use crate::ops::Operation;

pub static RULE: Rule = Rule {
    id: "adding-required-field",
    severity: Severity::Error,
    dialects: &[],
    default_on: true,
    check: Check::Step(check),
    lock: None,
    source: include_str!("adding_required_field.rs"),
};

/// An integer primary key gets its values from a sequence (`SERIAL`), so it is not
/// "required" in this sense: `adding-serial-primary-key-field` covers it.
fn serial(c: &crate::ops::Column) -> bool {
    c.primary_key
        && c.autoincrement != Some(false)
        && c.type_
            .as_ref()
            .and_then(crate::lint::context::type_name)
            .is_some_and(|t| t.to_ascii_lowercase().contains("int"))
}

fn check(cx: &StepCx, out: &mut Vec<String>) {
    let Operation::AddColumn { table, column, .. } = cx.op else {
        return;
    };
    let not_null = column.nullable == Some(false) || column.primary_key;
    if not_null && column.server_default.is_none() && cx.has_rows(table) && !serial(column) {
        out.push(format!(
            "`{table}.{}` is added NOT NULL without a server default: the ALTER fails on a table with rows",
            column.name
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::pg;

    #[test]
    fn new_tables_and_serial_keys_are_exempt() {
        let body = "def upgrade():\n    op.create_table(\"t\", sa.Column(\"id\", sa.Integer(), primary_key=True))\n    op.add_column(\"t\", sa.Column(\"x\", sa.Integer(), nullable=False))\n    op.add_column(\"u\", sa.Column(\"id\", sa.Integer(), primary_key=True))\n    op.add_column(\"u\", sa.Column(\"y\", sa.Integer(), primary_key=True, autoincrement=False))\n";
        assert_eq!(
            pg("adding-required-field", body),
            vec!["20: `u.y` is added NOT NULL without a server default: the ALTER fails on a table with rows"]
        );
    }

    #[test]
    fn a_table_emptied_first_holds_no_rows() {
        let body = "def upgrade():\n    op.execute(\"DELETE FROM t\")\n    op.add_column(\"t\", sa.Column(\"x\", sa.Integer(), nullable=False))\n    op.execute(\"DELETE FROM u WHERE id > 3\")\n    op.add_column(\"u\", sa.Column(\"x\", sa.Integer(), nullable=False))\n";
        assert_eq!(pg("adding-required-field", body).len(), 1);
    }
}
