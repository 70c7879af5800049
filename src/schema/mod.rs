//! Layer 11, **schema**: the schema at any revision, simulated step by step from the
//! operations (renames followed, contradictions diagnosed, unknown effects recorded), the
//! per-object events that make the table-to-migration map, and differences between schemas.
//!
//! `model.rs` the schema (tables, keys, indexes, enums); `event.rs` what the simulation
//! records; `sim/` the simulator, one file per object kind; `text.rs` the schema as text and
//! `diff`.

pub mod event;
pub mod model;
pub mod sim;
pub mod text;

pub use event::{Event, EventAction, ObjectKind, RevisionTables, Simulation, Unknown};
pub use model::{type_text, Check, ForeignKey, Index, Key, Schema, SchemaColumn, Table};
pub use sim::{schema_at, simulate, table_map, SimulationRun, Simulator};
pub use text::diff;
