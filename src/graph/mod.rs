//! Layer 5, **graph**: Alembic's `RevisionMap` ported rule for rule onto petgraph (heads,
//! bases, labels, dependencies, the failures Alembic would stop on), and its walks: every
//! identifier, relative form and range Alembic accepts.

mod build;
mod labels;
pub mod revmap;
pub mod walk;

pub use revmap::{AlembicFailure, EdgeKind, Rev, RevisionMap};
pub use walk::{Arg, Node, RevError};
