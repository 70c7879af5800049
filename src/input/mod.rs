//! Layer 3, **input**: what the shells hand the core. Files as `(path, bytes)` pairs, which
//! of them are revision scripts and in which order Alembic loads them, decoding, archives,
//! `alembic.ini`, and finding the versions folder in a project.

pub mod archive;
pub mod files;
pub mod ini;
pub mod locate;

pub use archive::read_zip;
pub use files::{
    intake, is_script_name, param_mark, parse_type_map, select, select_owned, too_large, Functions,
    InputFile, Intake, LoadOptions, Operations, ProjectConstant, ProjectConstants, ProjectHook,
    ProjectInt, ProjectObject, ProjectType, Selection, SourceFile, TypeInit, MAX_FILE_BYTES,
};
pub use ini::AlembicIni;
pub use locate::{locate_versions, Located};
