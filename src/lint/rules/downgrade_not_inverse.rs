//! A downgrade that does not bring the schema back to what it was before the upgrade.
//!
//! **Why**: the planner simulates the upgrade and then the downgrade on the schema just
//! before the revision; whatever differs (a column not dropped, an index not recreated, a
//! type not narrowed back, a table left behind) is what a rollback leaves wrong, and the
//! next upgrade may fail on it. Revisions with steps the planner cannot follow (raw SQL it
//! cannot model, calls it cannot read), or whose steps contradict the simulated schema
//! (so it is not the real one there), are not judged.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.add_column("users", sa.Column("nickname", sa.String(50)))
//!     op.create_index("ix_users_nickname", "users", ["nickname"])
//!
//!
//! def downgrade():
//!     op.drop_index("ix_users_nickname", table_name="users")
//! ```
//!
//! ## Fix
//!
//! ```python
//! def upgrade():
//!     op.add_column("users", sa.Column("nickname", sa.String(50)))
//!     op.create_index("ix_users_nickname", "users", ["nickname"])
//!
//!
//! def downgrade():
//!     op.drop_index("ix_users_nickname", table_name="users")
//!     op.drop_column("users", "nickname")
//! ```

use crate::base::Severity;
use crate::lint::{Check, RevCx, Rule};

pub static RULE: Rule = Rule {
    id: "downgrade-not-inverse",
    severity: Severity::Warning,
    dialects: &[],
    default_on: true,
    check: Check::Revision(check),
    lock: None,
    source: include_str!("downgrade_not_inverse.rs"),
};

/// How many differences a message lists before "and N more".
const SHOWN: usize = 5;

fn check(cx: &RevCx, out: &mut Vec<(u32, String)>) {
    let Some(diff) = &cx.not_restored else { return };
    if diff.is_empty() {
        return;
    }
    let mut list = diff
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if diff.len() > SHOWN {
        list.push_str(&format!("; and {} more", diff.len() - SHOWN));
    }
    out.push((
        crate::lint::context::def_line(cx.text, "downgrade"),
        format!("after upgrade then downgrade the schema differs from before: {list}"),
    ));
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::pg;

    #[test]
    fn type_spellings_and_column_order_do_not_count() {
        let body = "def upgrade():\n    op.create_table(\"t\", sa.Column(\"a\", sa.String(10)), sa.Column(\"b\", sa.Integer()))\n    op.alter_column(\"t\", \"a\", type_=sa.String(20))\n    op.drop_column(\"t\", \"b\")\n\n\ndef downgrade():\n    op.add_column(\"t\", sa.Column(\"b\", sa.INTEGER()))\n    op.alter_column(\"t\", \"a\", type_=sa.String(length=10))\n    op.drop_table(\"t\")\n";
        assert!(pg("downgrade-not-inverse", body).is_empty());
    }

    #[test]
    fn a_type_the_planner_cannot_know_is_no_difference_but_a_narrowed_one_is() {
        use crate::base::Dialect;
        use crate::lint::rules::testing::findings;
        let first = "revision = \"r1\"\ndown_revision = None\nfrom alembic import op\nimport sqlalchemy as sa\nfrom myapp.types import Slug\n\n\ndef upgrade():\n    op.create_table(\"t\", sa.Column(\"a\", Slug()), sa.Column(\"b\", sa.Boolean()))\n\n\ndef downgrade():\n    op.drop_table(\"t\")\n";
        let second = "revision = \"r2\"\ndown_revision = \"r1\"\nfrom alembic import op\nimport sqlalchemy as sa\n\n\ndef upgrade():\n    op.alter_column(\"t\", \"a\", type_=sa.Text())\n    op.drop_column(\"t\", \"b\")\n\n\ndef downgrade():\n    op.add_column(\"t\", sa.Column(\"b\", sa.Integer()))\n    op.alter_column(\"t\", \"a\", type_=sa.String(40))\n";
        let got: Vec<String> = findings(
            "downgrade-not-inverse",
            Dialect::Postgresql,
            &[("r1.py", first.to_string()), ("r2.py", second.to_string())],
        )
        .into_iter()
        .map(|f| format!("{}:{} {}", f.path, f.line, f.message))
        .collect();
        assert_eq!(
            got,
            vec!["r2.py:12 after upgrade then downgrade the schema differs from before: `t`: column b BOOLEAN is not restored; `t`: column b INTEGER is left behind"]
        );
    }
}
