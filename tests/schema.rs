//! Schema simulation and the table-to-migration map: each fixture folder
//! (`tests/fixtures/schema/<case>/versions/`) against its `expected.txt` (schema at heads,
//! contradictions, unknown effects, per-table events, per-revision table), and the
//! sample's map and schema. `UPDATE_EXPECT=1` rewrites the expectations.

mod support;

use alembic_planner::base::Dialect;
use alembic_planner::{InputFile, LoadOptions, Project};
use std::path::Path;

fn load(dir: &Path) -> Project {
    let mut files: Vec<InputFile> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            InputFile::new(
                e.file_name().to_string_lossy(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Project::load(&files, LoadOptions::default())
}

/// Everything the simulation reports about a project, as text.
fn report(p: &Project) -> String {
    let mut out = String::from("## schema at heads\n");
    let at = alembic_planner::schema::schema_at(p, "heads", Dialect::Postgresql).unwrap();
    out.push_str(&at.schema.to_text());
    let map = alembic_planner::schema::table_map(p, Dialect::Postgresql);
    out.push_str("## diagnostics\n");
    for d in &map.diagnostics {
        out.push_str(&format!("{d}\n"));
    }
    out.push_str("## unknown effects\n");
    for u in &map.unknown {
        out.push_str(&format!(
            "{}:{}: {}\n",
            p.map.script_of(u.rev).path,
            u.line,
            u.reason
        ));
    }
    out.push_str("## tables\n");
    out.push_str(&alembic_planner::present::tables::tables_text(p, &map));
    out.push_str("## revisions\n");
    out.push_str(&alembic_planner::present::tables::revisions_markdown(
        p, &map,
    ));
    out
}

/// `check` for schema: the report against the expected file.
fn check(p: &Project, expected_path: &Path) {
    support::snapshot(expected_path, &report(p));
}

#[test]
fn schema_fixtures() {
    let root = support::repo_root().join("tests/fixtures/schema");
    let mut cases: Vec<_> = std::fs::read_dir(&root).unwrap().flatten().collect();
    cases.sort_by_key(|e| e.file_name());
    assert!(!cases.is_empty());
    for c in &cases {
        let p = load(&c.path().join("versions"));
        check(&p, &c.path().join("expected.txt"));
    }
}

#[test]
fn sample_schema_and_map() {
    let p = load(&support::repo_root().join("migrations-sample/versions"));
    check(
        &p,
        &support::repo_root().join("tests/fixtures/sample-schema.txt"),
    );
}

#[test]
fn schema_at_each_revision_matches_its_upgrade_path() {
    // the schema at a revision is its ancestors' upgrades applied in plan order: a table
    // created by a revision exists at every descendant until something drops or renames it
    let p = load(&support::repo_root().join("migrations-sample/versions"));
    for i in 0..p.map.len() {
        let id = p.map.rev(i).id.clone();
        let sim = alembic_planner::schema::schema_at(&p, &id, Dialect::Postgresql).unwrap();
        for t in sim.schema.tables.values() {
            let creator = t.created_by.expect("every simulated table has a creator");
            assert!(
                p.map.ancestors_among(&[i], &[creator])[0],
                "{id}: table {} created by a non-ancestor",
                t.name
            );
        }
    }
}
