//! Operations: each fixture file's interpreted `upgrade()`/`downgrade()` against its expected
//! text (`tests/fixtures/ops/NAME.py` → `NAME.txt`; `UPDATE_EXPECT=1` rewrites), and the
//! sample's table-to-migration map and full coverage.

mod support;

use alembic_planner::ops;
use alembic_planner::{InputFile, LoadOptions, Project};

/// `check` for operations: interpret the file, compare with the expected text.
fn check(name: &str) {
    let dir = support::repo_root().join("tests/fixtures/ops");
    let text = std::fs::read_to_string(dir.join(format!("{name}.py"))).unwrap();
    let actual = ops::interpret(&text).to_text(&format!("{name}.py"));
    support::snapshot(&dir.join(format!("{name}.txt")), &actual);
}

#[test]
fn ops_fixtures() {
    let dir = support::repo_root().join("tests/fixtures/ops");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".py"))
                .map(String::from)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 3);
    for n in &names {
        check(n);
    }
}

fn sample() -> Project {
    let dir = support::repo_root().join("migrations-sample/versions");
    let files: Vec<InputFile> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| {
            InputFile::new(
                e.file_name().to_string_lossy(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    Project::load(&files, LoadOptions::default())
}

#[test]
fn sample_is_fully_interpreted() {
    let c = sample().coverage();
    assert!(c.statements > 100);
    assert_eq!(c.interpreted, c.statements, "opaque: {:?}", c.opaque);
}
