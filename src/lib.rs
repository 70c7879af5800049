//! alembic-planner's analysis core: Alembic revision scripts in as `(path, bytes)` pairs,
//! plain values out. No IO, no clock, no UI: the CLI (`src/cli/`) and the web app
//! (`src/web/`) are shells over it.
//!
//! The core is a stack of layers, one folder each, listed here from the bottom up. A layer
//! imports only from the layers below it (`tests/layers.rs` enforces the order):
//!
//! 1. [`base`]: dialects and their rules, diagnostics, text positions;
//! 2. [`python`]: Python values and the partial evaluator (read, never run);
//! 3. [`input`]: files, archives, `alembic.ini`, finding the versions folder;
//! 4. [`script`]: one revision file's identifiers (`revision`, `down_revision`, ...);
//! 5. [`graph`]: Alembic's revision map and its walks (identifiers, ranges);
//! 6. [`plan`]: upgrade, downgrade and stamp plans with their version-table bookkeeping;
//! 7. [`ops`]: the operation IR and the interpreter of `upgrade()`/`downgrade()`;
//! 8. [`project`]: one call from files to scripts, graph and operations;
//! 9. [`sql`]: SQL text parsed and classified;
//! 10. [`render`]: operations compiled to each dialect's DDL;
//! 11. [`schema`]: the schema simulated step by step, and differences between schemas;
//! 12. [`alembic`]: Alembic's commands and offline `--sql` scripts, byte for byte;
//! 13. [`lint`]: findings: a rule registry over every operation with the schema just
//!     before it, both directions, suppressions and configuration;
//! 14. [`review`]: a pull request's versions folder against its base's: what it adds,
//!     edits and deletes, the heads once merged, colliding changes, the deploy SQL, and
//!     the merge revision `alembic merge` would write;
//! 15. [`present`]: view models, the graph layout, exports and the web address.

pub mod alembic;
pub mod base;
pub mod graph;
pub mod input;
pub mod lint;
pub mod ops;
pub mod plan;
pub mod present;
pub mod project;
pub mod python;
pub mod render;
pub mod review;
pub mod schema;
pub mod script;
pub mod sql;

pub use input::{InputFile, LoadOptions};
pub use project::Project;
