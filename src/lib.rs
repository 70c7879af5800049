//! alembic-planner's analysis core: Alembic revision scripts in as `(path, bytes)` pairs,
//! plain values out. No IO, no clock, no UI: the CLI and the web app are shells over it.

pub mod commands;
pub mod diag;
pub mod export;
pub mod layout;
pub mod offline;
pub mod ops;
pub mod plan;
pub mod project;
pub mod pyeval;
pub mod render;
pub mod revmap;
pub mod route;
pub mod schema;
pub mod script;
pub mod source;
pub mod sql;
pub mod tables;
pub mod text;
pub mod views;
pub mod walk;

pub use project::Project;
pub use source::{InputFile, LoadOptions};
