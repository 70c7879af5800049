//! Components. The leaves take data and callbacks as props, nothing else; the workspace
//! (`workspace.rs`) reads the app's state from its context and wires the leaves to it.

pub mod detail;
pub mod diagnostics;
pub mod findings;
pub mod graph;
pub mod guide;
pub mod history;
pub mod options;
pub mod plan;
pub mod review;
pub mod schema;
pub mod sql;
pub mod summary;
pub mod tables;
pub mod toolbar;
pub mod workspace;
