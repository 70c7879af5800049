//! A 32-bit or 16-bit integer column (`sa.Integer`, `sa.SmallInteger`). Off by default (`extend-select = ["prefer-bigint-over-int"]`).
//!
//! **Why**: identifiers and counters outgrow 2,147,483,647 sooner than expected, and widening the column later rewrites the table under an `ACCESS EXCLUSIVE` lock; `BIGINT` costs four more bytes a row.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.add_column("items", sa.Column("hits", sa.Integer()))
//! ```
//!
//! ## Fix
//!
//! ```python
//! def upgrade():
//!     op.add_column("items", sa.Column("hits", sa.BigInteger()))
//! ```

use crate::base::{Dialect, Severity};
use crate::lint::context::judge_declared_types;
use crate::lint::{Check, Rule, StepCx};

pub static RULE: Rule = Rule {
    id: "prefer-bigint-over-int",
    severity: Severity::Warning,
    dialects: &[Dialect::Postgresql],
    default_on: false,
    check: Check::Step(check),
    lock: None,
    source: include_str!("prefer_bigint_over_int.rs"),
};

fn check(cx: &StepCx, out: &mut Vec<String>) {
    judge_declared_types(cx, out, matches);
}

fn matches(t: &crate::python::Val) -> Option<String> {
    let name = crate::lint::context::type_name(t)?;
    match name.to_ascii_lowercase().as_str() {
        "integer" | "int" => Some("is a 32-bit INTEGER: prefer BIGINT".into()),
        "smallinteger" | "smallint" => Some("is a 16-bit SMALLINT: prefer BIGINT".into()),
        _ => None,
    }
}
