//! A timestamp without time zone (`sa.DateTime()`, `TIMESTAMP`). Off by default (`extend-select = ["prefer-timestamptz"]`).
//!
//! **Why**: `timestamp` drops the UTC offset, so the same instant reads differently from servers in other zones and around daylight saving changes; `timestamptz` stores the instant.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.add_column("items", sa.Column("seen_at", sa.DateTime()))
//! ```
//!
//! ## Fix
//!
//! ```python
//! def upgrade():
//!     op.add_column("items", sa.Column("seen_at", sa.DateTime(timezone=True)))
//! ```

use crate::base::{Dialect, Severity};
use crate::lint::context::judge_declared_types;
use crate::lint::{Check, Rule, StepCx};

pub static RULE: Rule = Rule {
    id: "prefer-timestamptz",
    severity: Severity::Warning,
    dialects: &[Dialect::Postgresql],
    default_on: false,
    check: Check::Step(check),
    lock: None,
    source: include_str!("prefer_timestamptz.rs"),
};

fn check(cx: &StepCx, out: &mut Vec<String>) {
    judge_declared_types(cx, out, matches);
}

fn matches(t: &crate::python::Val) -> Option<String> {
    let name = crate::lint::context::type_name(t)?;
    let tz = crate::lint::context::type_flag(t, "timezone").unwrap_or(false);
    (matches!(name.as_str(), "DateTime" | "TIMESTAMP" | "DATETIME") && !tz)
        .then(|| "is a timestamp without time zone: prefer DateTime(timezone=True)".into())
}
