//! Layer 11, **schema**: the schema at any revision, simulated step by step from the
//! operations (renames followed, contradictions diagnosed, unknown effects recorded), the
//! per-object events that make the table-to-migration map, and differences between schemas.

pub mod sim;

pub use sim::*;
