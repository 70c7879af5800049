//! An `# alembic-planner: ignore[...]` comment that silences nothing.
//!
//! **Why**: the problem it silenced was fixed or moved, or the rule id is misspelt; a
//! stale suppression would silently hide the next real finding on that line.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.add_column("users", sa.Column("nickname", sa.Text()))  # alembic-planner: ignore[ban-drop-column]
//! ```
//!
//! ## Fix
//!
//! Remove the comment, or correct the rule id.
//!
//! ```python
//! def upgrade():
//!     op.add_column("users", sa.Column("nickname", sa.Text()))
//! ```

use crate::base::Severity;
use crate::lint::{Check, Rule};

pub static RULE: Rule = Rule {
    id: "unused-suppression",
    severity: Severity::Warning,
    dialects: &[],
    default_on: true,
    check: Check::Framework,
    lock: None,
    source: include_str!("unused_suppression.rs"),
};

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::pg;

    #[test]
    fn used_and_unknown_suppressions() {
        let body = "def upgrade():\n    op.drop_column(\"t\", \"c\")  # alembic-planner: ignore[ban-drop-column, no-such-rule]\n    # alembic-planner: ignore[renaming-table]\n    op.rename_table(\"a\", \"b\")\n";
        // unused-suppression is checked with ban-drop-column off: it then names only the unknown id
        assert_eq!(
            pg("unused-suppression", body),
            vec!["17: this suppression of `no-such-rule` (no such rule) silences nothing"]
        );
    }
}
