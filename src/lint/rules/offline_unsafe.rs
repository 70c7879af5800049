//! A migration that reads the database (`op.get_bind()` results, `sa.inspect(bind)`,
//! reflection, the ORM) where offline mode is not excluded with
//! `context.is_offline_mode()`; on SQLite, also a `batch_alter_table` that must rebuild
//! the table without `copy_from=`.
//!
//! **Why**: `alembic upgrade --sql` has no connection: such a migration fails there, or
//! prints SQL built from a mock's empty answers, so the offline script reviewers and
//! DBAs read is not what runs. The planner has the same blind spot, and says where.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     conn = op.get_bind()
//!     if sa.inspect(conn).has_table("legacy"):
//!         op.drop_table("legacy")
//! ```
//!
//! ## Fix
//!
//! Decide from what the revision history guarantees instead of from the database; where
//! a live check is unavoidable, keep it out of offline mode:
//!
//! ```python
//! from alembic import context
//!
//!
//! def upgrade():
//!     if not context.is_offline_mode():
//!         conn = op.get_bind()
//!         if sa.inspect(conn).has_table("legacy"):
//!             op.drop_table("legacy")
//! ```

use crate::base::{Dialect, Severity};
use crate::lint::{Check, RevCx, Rule};
use crate::ops::{reads_database, Step};

pub static RULE: Rule = Rule {
    id: "offline-unsafe",
    severity: Severity::Warning,
    dialects: &[],
    default_on: true,
    check: Check::Revision(check),
    lock: None,
    source: include_str!("offline_unsafe.rs"),
};

fn check(cx: &RevCx, out: &mut Vec<(u32, String)>) {
    for (name, steps) in [
        ("upgrade", &cx.ops.upgrade),
        ("downgrade", &cx.ops.downgrade),
    ] {
        // said once per function, where it first reads, with how many more places do
        let reads: Vec<(u32, &String)> = steps
            .iter()
            .filter_map(|st| match &st.step {
                Step::Opaque { reason } if reads_database(reason) => Some((st.line, reason)),
                _ => None,
            })
            .collect();
        if let Some((line, reason)) = reads.first() {
            let more = match reads.len() - 1 {
                0 => String::new(),
                1 => " (and at 1 more line)".into(),
                n => format!(" (and at {n} more lines)"),
            };
            out.push((
                *line,
                format!(
                    "{name}() reads the database here ({reason}){more}: `--sql` has no connection"
                ),
            ));
        }
        if cx.config.dialect == Dialect::Sqlite {
            for chunk in crate::render::batch::chunks(steps) {
                let Some(b) = &chunk[0].batch else { continue };
                if !b.copy_from && crate::render::batch::needs_recreate(Dialect::Sqlite, b, chunk) {
                    out.push((
                        b.line,
                        format!("batch_alter_table(\"{}\") must rebuild the table on SQLite and has no copy_from=: offline, Alembic cannot reflect it and `--sql` fails", b.table),
                    ));
                }
            }
        }
    }
}
