//! The renderer's DDL per dialect, checked without Python: each fixture folder under
//! `tests/fixtures/render/` holds revisions written to exercise one family of operations,
//! and `expected.txt` holds what real Alembic printed for `upgrade base:heads --sql` and
//! `downgrade heads:base --sql` in PostgreSQL, MySQL and SQLite (recorded with
//! `UPDATE_EXPECT=1`; an ignored test checks the recording against live Alembic). SQL Server
//! is not among them: its DDL is approximate (README, "What agrees with Alembic").

mod support;

use std::path::PathBuf;

use support::{render, run_oracle, run_planner, Run};

const DIALECTS: [&str; 3] = ["postgresql", "mysql", "sqlite"];

fn fixture_dirs() -> Vec<PathBuf> {
    let root = support::repo_root().join("tests/fixtures/render");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("alembic.ini").exists())
        .collect();
    dirs.sort();
    dirs
}

/// Every fixture runs each dialect's whole upgrade and whole downgrade.
fn commands() -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for d in DIALECTS {
        for range in [["upgrade", "base:heads"], ["downgrade", "heads:base"]] {
            let mut argv = vec!["--dialect".to_string(), d.to_string()];
            argv.extend(range.iter().map(|s| s.to_string()));
            argv.push("--sql".into());
            out.push(argv);
        }
    }
    out
}

/// Alembic's output for every command of every fixture, in one oracle run.
fn alembic_outputs(dirs: &[PathBuf]) -> Vec<String> {
    let py = support::oracle_python();
    let jobs: Vec<(PathBuf, Vec<String>)> = dirs
        .iter()
        .flat_map(|d| {
            commands()
                .into_iter()
                .map(move |c| (d.clone(), support::alembic_argv(&c)))
        })
        .collect();
    let runs = run_oracle(&py, &jobs);
    let per = commands().len();
    dirs.iter()
        .enumerate()
        .map(|(k, d)| {
            let cases: Vec<(Vec<String>, Run)> = commands()
                .into_iter()
                .zip(runs[k * per..(k + 1) * per].iter().cloned())
                .collect();
            render(&cases, d)
        })
        .collect()
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
            let cases: Vec<(Vec<String>, Run)> = commands()
                .into_iter()
                .map(|c| {
                    let run = run_planner(d, &c);
                    (c, run)
                })
                .collect();
            support::check_recorded(&d.join("expected.txt"), &render(&cases, d)).err()
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
