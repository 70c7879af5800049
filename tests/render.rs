//! The renderer's DDL per dialect, checked without Python: each fixture folder under
//! `tests/fixtures/render/` holds revisions written to exercise one family of operations,
//! and `expected.txt` holds what real Alembic printed for `upgrade base:heads --sql` and
//! `downgrade heads:base --sql` in PostgreSQL, MySQL and SQLite (recorded with
//! `UPDATE_EXPECT=1`; an ignored test checks the recording against live Alembic). SQL Server
//! is not among them: its DDL is approximate (README, "What agrees with Alembic").

mod support;

use std::path::PathBuf;

use support::run_planner;

const DIALECTS: [&str; 3] = ["postgresql", "mysql", "sqlite"];

fn fixture_dirs() -> Vec<PathBuf> {
    support::fixture_dirs("render")
}

/// Every fixture runs each dialect's whole upgrade and whole downgrade.
fn commands() -> Vec<Vec<String>> {
    support::whole_scripts(&DIALECTS)
}

/// Alembic's output for every command of every fixture, in one oracle run.
fn alembic_outputs(dirs: &[PathBuf]) -> Vec<String> {
    support::alembic_renders(dirs, &commands())
}

#[test]
fn each_dialect_renders_as_alembic_printed() {
    let dirs = fixture_dirs();
    assert!(dirs.len() >= 5, "render fixtures: {dirs:?}");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        for (d, text) in dirs.iter().zip(alembic_outputs(&dirs)) {
            std::fs::write(d.join("expected.txt"), text).unwrap();
        }
    }
    let failures: Vec<String> = dirs
        .iter()
        .filter_map(|d| {
            let text = support::planner_renders(d, &commands(), run_planner);
            support::check_recorded(&d.join("expected.txt"), &text).err()
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The recordings are what today's Alembic prints (not stale).
#[test]
#[ignore = "needs the Alembic oracle (.venv); scripts/dev.sh test runs it"]
fn recordings_are_what_alembic_prints() {
    let dirs = fixture_dirs();
    let failures: Vec<String> = dirs
        .iter()
        .zip(alembic_outputs(&dirs))
        .filter_map(|(d, text)| support::check_recorded(&d.join("expected.txt"), &text).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
