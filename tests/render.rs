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

/// A load for one dialect (the web app's, the SQL commands') reads a revision that reads the
/// dialect's name again for another dialect when asked: the same operations as a load that
/// read every dialect at once, on every render fixture and on generated rich projects.
#[test]
fn a_load_for_one_dialect_reads_the_others_when_asked() {
    use alembic_planner::base::Dialect;
    use alembic_planner::input::Operations;
    use alembic_planner::{InputFile, LoadOptions, Project};
    use support::schemagen::{self, Flavor};

    let mut projects: Vec<(String, Vec<(String, String)>)> = fixture_dirs()
        .iter()
        .map(|d| {
            let name = d.file_name().unwrap().to_string_lossy().into_owned();
            (name, support::read_dir_files(&d.join("versions")))
        })
        .collect();
    for (seed, flavor) in [(3, Flavor::Postgresql), (4, Flavor::Sqlite)] {
        projects.push((
            format!("rich {seed}"),
            schemagen::generate_rich(seed, 120, flavor),
        ));
    }
    let mut dialect_readers = 0;
    for (name, texts) in &projects {
        let files: Vec<InputFile> = texts
            .iter()
            .map(|(p, t)| InputFile::new(format!("versions/{p}"), t.as_bytes()))
            .collect();
        let load = |operations| {
            Project::load(
                &files,
                LoadOptions {
                    operations,
                    ..LoadOptions::default()
                },
            )
        };
        let every = load(Operations::Every);
        dialect_readers += (0..every.map.len())
            .filter(|&r| every.migration_ops(r).reads_dialect)
            .count();
        for one in Dialect::ALL {
            let single = load(Operations::For(one));
            for rev in 0..every.map.len() {
                for d in Dialect::ALL {
                    assert_eq!(
                        format!("{:?}", single.migration_ops_for(rev, d)),
                        format!("{:?}", every.migration_ops_for(rev, d)),
                        "{name}: revision {} loaded for {one:?}, read for {d:?}",
                        every.map.rev(rev).id
                    );
                }
            }
        }
    }
    assert!(
        dialect_readers >= 20,
        "revisions that read the dialect: {dialect_readers}"
    );
}
