//! An upgrade that changes the schema with a downgrade that does nothing (absent, or only
//! `pass`).
//!
//! **Why**: `alembic downgrade` then records the revision as undone while the schema keeps
//! the change: the database and the version table disagree, and the next upgrade fails
//! on objects that already exist. A migration that cannot be undone should say so by
//! raising, so a rollback stops loudly instead of lying. Migrations that only change
//! data (rows, through SQL or the ORM) are left alone: a `pass` downgrade is the usual,
//! deliberate choice there.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.add_column("users", sa.Column("nickname", sa.String(50)))
//!
//!
//! def downgrade():
//!     pass
//! ```
//!
//! ## Fix
//!
//! ```python
//! def upgrade():
//!     op.add_column("users", sa.Column("nickname", sa.String(50)))
//!
//!
//! def downgrade():
//!     op.drop_column("users", "nickname")
//! ```

use crate::base::Severity;
use crate::lint::{Check, RevCx, Rule};

pub static RULE: Rule = Rule {
    id: "missing-downgrade",
    severity: Severity::Warning,
    dialects: &[],
    default_on: true,
    check: Check::Revision(check),
    lock: None,
    source: include_str!("missing_downgrade.rs"),
};

/// Whether a step changes the schema (not only rows).
fn changes_schema(st: &crate::ops::LocatedStep, dialect: crate::base::Dialect) -> bool {
    use crate::ops::{Operation, Step};
    let Step::Op(op) = &st.step else { return false };
    match op.as_ref() {
        Operation::BulkInsert { .. } | Operation::UpdateRows(_) => false,
        Operation::Execute { sql } => crate::sql::analyze(sql, dialect)
            .statements
            .iter()
            .any(|s| s.kind == crate::sql::SqlKind::Ddl),
        _ => true,
    }
}

fn check(cx: &RevCx, out: &mut Vec<(u32, String)>) {
    if !cx.ops.downgrade.is_empty() || !cx.script.has_downgrade {
        return;
    }
    if !cx
        .ops
        .upgrade
        .iter()
        .any(|st| changes_schema(st, cx.config.dialect))
    {
        return;
    }
    let line = crate::lint::context::def_line(cx.text, "downgrade");
    out.push((
        line,
        "the upgrade changes the schema but downgrade() does nothing: a rollback would record the revision as undone while the change stays; undo it, or raise to say it cannot be undone".into(),
    ));
}
