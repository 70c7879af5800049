//! A `VARCHAR(n)` column (`sa.String(n)`). Off by default (`extend-select = ["prefer-text-field"]`).
//!
//! **Why**: changing the length later needs an `ACCESS EXCLUSIVE` lock (and shortening it, a table rewrite), while `TEXT` performs the same on PostgreSQL; put the limit in a `CHECK` constraint, which can be changed `NOT VALID` without blocking.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.add_column("items", sa.Column("name", sa.String(100)))
//! ```
//!
//! ## Fix
//!
//! ```python
//! def upgrade():
//!     op.add_column("items", sa.Column("name", sa.Text()))
//! ```

use crate::base::{Dialect, Severity};
use crate::lint::context::judge_declared_types;
use crate::lint::{Check, Rule, StepCx};

pub static RULE: Rule = Rule {
    id: "prefer-text-field",
    severity: Severity::Warning,
    dialects: &[Dialect::Postgresql],
    default_on: false,
    check: Check::Step(check),
    lock: None,
    source: include_str!("prefer_text_field.rs"),
};

fn check(cx: &StepCx, out: &mut Vec<String>) {
    judge_declared_types(cx, out, matches);
}

fn matches(t: &crate::python::Val) -> Option<String> {
    let name = crate::lint::context::type_name(t)?;
    let n = crate::lint::context::type_int(t, 0, "length")?;
    matches!(
        name.to_ascii_lowercase().as_str(),
        "string" | "varchar" | "unicode" | "nvarchar"
    )
    .then(|| format!("is VARCHAR({n}): prefer TEXT (with a CHECK on the length if one is needed)"))
}
