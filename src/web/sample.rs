//! The bundled `migrations-sample/versions`, embedded at build time by `build.rs`.

use alembic_planner::InputFile;

include!(concat!(env!("OUT_DIR"), "/sample.rs"));

/// The sample as the loader would have read it from disk.
pub fn sample_input() -> (String, Vec<InputFile>) {
    let files = SAMPLE_FILES
        .iter()
        .map(|(p, t)| InputFile::new(*p, t.as_bytes()))
        .collect();
    ("migrations-sample/versions".to_string(), files)
}
