//! A fixed-length `CHAR(n)` column. Off by default (`extend-select = ["ban-char-field"]`).
//!
//! **Why**: `character(n)` pads values with spaces, compares them ignoring the padding and is no faster than `varchar` or `text` on PostgreSQL; it is almost always a mistake.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.add_column("items", sa.Column("code", sa.CHAR(3)))
//! ```
//!
//! ## Fix
//!
//! ```python
//! def upgrade():
//!     op.add_column("items", sa.Column("code", sa.String(3)))
//! ```

use crate::base::{Dialect, Severity};
use crate::lint::context::judge_declared_types;
use crate::lint::{Check, Rule, StepCx};

pub static RULE: Rule = Rule {
    id: "ban-char-field",
    severity: Severity::Warning,
    dialects: &[Dialect::Postgresql],
    default_on: false,
    check: Check::Step(check),
    lock: None,
    source: include_str!("ban_char_field.rs"),
};

fn check(cx: &StepCx, out: &mut Vec<String>) {
    judge_declared_types(cx, out, matches);
}

fn matches(t: &crate::python::Val) -> Option<String> {
    let name = crate::lint::context::type_name(t)?;
    matches!(name.as_str(), "CHAR" | "NCHAR" | "CHARACTER")
        .then(|| format!("is a fixed-length {name}: prefer VARCHAR or TEXT"))
}
