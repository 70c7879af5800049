//! Layer 7, **ops**: what each migration does. The operation IR (`ir.rs`: `Operation`,
//! `Column`, `Constraint`, `Step`), the builders that read Alembic calls into it
//! (`build.rs`), and the interpreter that walks `upgrade()` and `downgrade()` statement by
//! statement with source lines (`interp.rs`); what cannot be known offline is an opaque
//! step with its reason, and what the renderer does not model exactly (`known.rs`, one
//! table) a not-modelled step before the operation's own.

pub mod build;
pub mod dml;
pub mod interp;
pub mod ir;
pub mod known;
pub mod third_party;

pub use build::column_from;
pub use interp::{interpret, interpret_parsed, map_types, mark_compiler_hook, reads_database};
pub use ir::*;
