//! A revision whose upgrade and downgrade both do nothing.
//!
//! **Why**: usually an autogenerate run that found no changes (a model change not
//! imported, a type autogenerate does not compare) and was committed anyway; it adds a
//! step to every deploy and hides the change that was meant. Merge revisions and
//! revisions that only declare a branch label are empty by design and exempt; so are
//! release markers, which is why this is a note rather than a warning.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     pass
//!
//!
//! def downgrade():
//!     pass
//! ```
//!
//! ## Fix
//!
//! Delete the revision, or write the change it was meant to make.
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
    id: "empty-migration",
    severity: Severity::Info,
    dialects: &[],
    default_on: true,
    check: Check::Revision(check),
    lock: None,
    source: include_str!("empty_migration.rs"),
};

fn check(cx: &RevCx, out: &mut Vec<(u32, String)>) {
    if cx.ops.upgrade.is_empty()
        && cx.ops.downgrade.is_empty()
        && cx.ops.statements == 0
        && !cx.is_merge()
        && cx.script.branch_labels.is_empty()
        && cx.script.has_upgrade
    {
        out.push((
            crate::lint::context::def_line(cx.text, "upgrade"),
            "the revision does nothing in either direction".into(),
        ));
    }
}
