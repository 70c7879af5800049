//! `op.drop_constraint(None, ...)`: a constraint dropped by no name, as autogenerate
//! leaves it when the model's constraint had no name.
//!
//! **Why**: SQLAlchemy cannot compile `DROP CONSTRAINT` without a name, so the migration
//! fails on every dialect (and `--sql` fails too). The constraint has the name the
//! database gave it (`orders_customer_id_fkey` on PostgreSQL), which differs between
//! databases. Name constraints with a naming convention on the metadata so autogenerate
//! writes the names.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.drop_constraint(None, "orders", type_="foreignkey")
//! ```
//!
//! ## Fix
//!
//! ```python
//! def upgrade():
//!     op.drop_constraint("orders_customer_id_fkey", "orders", type_="foreignkey")
//! ```

use crate::base::Severity;
use crate::lint::{Check, RevCx, Rule};

pub static RULE: Rule = Rule {
    id: "unnamed-constraint",
    severity: Severity::Error,
    dialects: &[],
    default_on: true,
    check: Check::Revision(check),
    lock: None,
    source: include_str!("unnamed_constraint.rs"),
};

fn check(cx: &RevCx, out: &mut Vec<(u32, String)>) {
    for (i, l) in cx.text.lines().enumerate() {
        let code = l.split('#').next().unwrap_or("");
        let Some(at) = code.find("drop_constraint(") else {
            continue;
        };
        let rest = code[at + "drop_constraint(".len()..].trim_start();
        let unnamed = rest.starts_with("None")
            || rest.is_empty() && {
                // the argument on the next line
                cx.text
                    .lines()
                    .nth(i + 1)
                    .is_some_and(|n| n.trim_start().starts_with("None"))
            };
        if unnamed {
            out.push((
                i as u32 + 1,
                "a constraint is dropped with no name (None): SQLAlchemy cannot compile it and the migration fails".into(),
            ));
        }
    }
}
