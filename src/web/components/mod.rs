//! Leaf components: each takes data and callbacks as props, nothing else.

pub mod detail;
pub mod diagnostics;
pub mod graph;
pub mod guide;
pub mod history;
pub mod plan;
pub mod schema;
pub mod sql;
pub mod tables;
pub mod toolbar;
