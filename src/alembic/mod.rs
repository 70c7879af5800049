//! Layer 12, **alembic**: what Alembic's own commands print, byte for byte: `history`,
//! `heads`, `branches`, `show`, and the offline `upgrade|downgrade|stamp --sql` scripts, whose
//! frame drives the schema simulator where a batch rebuild needs the table as it stands.

pub mod commands;
pub mod migration;
pub mod offline;
