//! Layer 4, **script**: one revision file's identifiers as Alembic reads them after
//! importing it (`revision`, `down_revision`, `branch_labels`, `depends_on`, the docstring),
//! from ruff's syntax tree, never by running the file.

pub mod constants;
pub mod read;

pub use constants::{
    candidate_files, constants_from_files, project_constants, project_root, read_constants,
};
pub use read::{limit_diagnostic, module_name, py_strip, read_parsed, read_script, Script};
