//! Layer 1, **base**: what every other layer speaks. The SQL [`Dialect`] with its
//! transaction and quoting rules, [`Diagnostic`]s (a problem as a plain value naming file
//! and line), and text positions. Nothing here knows about Python, Alembic or SQL syntax.

pub mod diag;
pub mod dialect;
pub mod limits;
mod reserved;
pub mod text;

pub use diag::{Diagnostic, Severity};
pub use dialect::Dialect;
pub use text::LineIndex;
