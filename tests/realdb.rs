//! The simulated schema against real databases. For seeded projects whose migrations change
//! a schema (`support::schemagen`), Alembic's own offline SQL (`upgrade base:head --sql`) is
//! run on a real PostgreSQL (started here on a Unix socket) and on SQLite; the schema read
//! back from their catalogs (`tests/oracle/realdb.py`) must equal the planner's schema at
//! head: tables, columns with type and nullability, primary, foreign and unique keys, and
//! indexes.

mod support;

use std::collections::BTreeSet;
use std::process::Command;

use alembic_planner::base::Dialect;
use alembic_planner::python::{short_name, Val};
use alembic_planner::schema::Schema;
use alembic_planner::Project;
use support::schemagen::{self, Flavor};

/// A type in the catalog spelling `realdb.py` prints.
fn canonical_type(t: &Option<Val>) -> String {
    let Some(Val::Call { func, args, kwargs }) = t else {
        return format!("{t:?}");
    };
    let arg = |k: usize, key: &str| -> Option<i64> {
        match args
            .get(k)
            .or_else(|| kwargs.iter().find(|(n, _)| n == key).map(|(_, v)| v))
        {
            Some(Val::Int(i)) => Some(*i),
            _ => None,
        }
    };
    match short_name(func).as_str() {
        "Integer" => "integer".into(),
        "BigInteger" => "bigint".into(),
        "SmallInteger" => "smallint".into(),
        "String" => format!("varchar({})", arg(0, "length").unwrap_or(0)),
        "Text" => "text".into(),
        "Boolean" => "boolean".into(),
        "DateTime" => "timestamp".into(),
        "Date" => "date".into(),
        "Numeric" => format!(
            "numeric({},{})",
            arg(0, "precision").unwrap_or(0),
            arg(1, "scale").unwrap_or(0)
        ),
        other => other.to_lowercase(),
    }
}

/// The simulated schema as the facts `realdb.py` prints.
fn facts(schema: &Schema) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for t in schema.tables.values() {
        let n = &t.name;
        out.insert(format!("table {n}"));
        for c in &t.columns {
            out.insert(format!(
                "column {n} {} {} {}",
                c.name,
                canonical_type(&c.type_),
                if c.nullable { "null" } else { "not null" }
            ));
        }
        if let Some(pk) = &t.primary_key {
            out.insert(format!("pk {n} ({})", pk.columns.join(", ")));
        }
        for f in &t.foreign_keys {
            out.insert(format!(
                "fk {n} ({}) -> {} ({})",
                f.columns.join(", "),
                f.referent,
                f.remote.join(", ")
            ));
        }
        for u in &t.uniques {
            out.insert(format!("unique {n} ({})", u.columns.join(", ")));
        }
        for i in &t.indexes {
            out.insert(format!(
                "index {n} {} ({}){}",
                i.name,
                i.columns.join(", "),
                if i.unique { " unique" } else { "" }
            ));
        }
    }
    out
}

/// What a real-database check needs: the oracle's Python, the PostgreSQL server (started
/// for the PostgreSQL flavour), the dialect and its URL scheme, and an empty work folder.
struct Setup {
    python: std::path::PathBuf,
    pg: Option<support::pg::Pg>,
    dialect: Dialect,
    url: &'static str,
    work: std::path::PathBuf,
}

impl Setup {
    fn new(flavor: Flavor, name: &str) -> Setup {
        let python = support::oracle_python();
        let (pg, dialect, url) = match flavor {
            Flavor::Postgresql => (
                Some(support::pg::Pg::start(name)),
                Dialect::Postgresql,
                "postgresql",
            ),
            Flavor::Sqlite => (None, Dialect::Sqlite, "sqlite"),
        };
        let work = std::env::temp_dir().join(format!(
            "alembic-planner-{name}-{url}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&work);
        std::fs::create_dir_all(&work).unwrap();
        Setup {
            python,
            pg,
            dialect,
            url,
            work,
        }
    }
}

/// Runs `script` on a fresh database (`realdb.py`) and returns the catalog's facts.
fn run_script(
    python: &std::path::Path,
    url: &str,
    pg: Option<(&support::pg::Pg, String)>,
    path: &std::path::Path,
    script: &str,
) -> Result<BTreeSet<String>, String> {
    std::fs::write(path, script).unwrap();
    let mut cmd = Command::new(python);
    cmd.arg(support::repo_root().join("tests/oracle/realdb.py"))
        .arg(url)
        .arg(path);
    if let Some((pg, db)) = pg {
        cmd.arg(&pg.socket).arg(db);
    }
    let out = cmd.output().expect("run realdb.py");
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect())
}

/// `check` for real databases: every project's simulated schema against the database's.
fn check(flavor: Flavor, seeds: std::ops::Range<u64>, revisions: usize) {
    let Setup {
        python,
        pg,
        dialect,
        url,
        work,
    } = Setup::new(flavor, "realdb");
    let mut jobs = Vec::new();
    let mut projects = Vec::new();
    for seed in seeds.clone() {
        let files = schemagen::generate(seed, revisions, flavor);
        let dir = work.join(format!("p{seed}"));
        support::generator::write_files(&dir, &files);
        jobs.push((
            dir.clone(),
            vec![
                "-x".to_string(),
                format!("url={url}://"),
                "upgrade".into(),
                "base:head".into(),
                "--sql".into(),
            ],
        ));
        projects.push((seed, dir, Project::from_texts(&files)));
    }
    let scripts = support::run_oracle(&python, &jobs);
    let mut failures = Vec::new();
    let mut facts_compared = 0;
    for ((seed, dir, project), script) in projects.iter().zip(scripts) {
        assert_eq!(script.status, 0, "Alembic failed on seed {seed}");
        let cov = project.coverage();
        assert_eq!(
            cov.interpreted, cov.statements,
            "seed {seed}: opaque steps {:?}",
            cov.opaque
        );
        let db = pg.as_ref().map(|p| (p, format!("p{seed}")));
        let real = run_script(&python, url, db, &dir.join("upgrade.sql"), &script.stdout)
            .unwrap_or_else(|e| panic!("seed {seed}: the database rejected Alembic's SQL: {e}"));
        let sim = alembic_planner::schema::schema_at(project, "heads", dialect).unwrap();
        assert!(
            sim.diagnostics.is_empty() && sim.unknown.is_empty(),
            "seed {seed}: {:?} {:?}",
            sim.diagnostics,
            sim.unknown
        );
        let planned = facts(&sim.schema);
        facts_compared += real.len();
        if planned != real {
            let missing: Vec<_> = real.difference(&planned).collect();
            let extra: Vec<_> = planned.difference(&real).collect();
            failures.push(format!(
                "seed {seed} ({}):\n  in the database only: {missing:?}\n  in the simulation only: {extra:?}",
                dir.display()
            ));
        }
    }
    eprintln!(
        "realdb {url}: {} projects x {revisions} revisions, {facts_compared} catalog facts, {} mismatches",
        projects.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let _ = std::fs::remove_dir_all(&work);
}

#[test]
#[ignore = "needs the Alembic oracle (.venv) and PostgreSQL; scripts/dev.sh test runs it"]
fn simulated_schema_equals_postgresql() {
    check(Flavor::Postgresql, 1..13, 30);
}

#[test]
#[ignore = "needs the Alembic oracle (.venv) and PostgreSQL; scripts/dev.sh test runs it"]
fn simulated_schema_equals_sqlite() {
    check(Flavor::Sqlite, 101..113, 30);
}

/// The planner's own output where Alembic has none, run for real: `upgrade base:head --sql`
/// then `downgrade head:base --sql`, both from the planner, on a fresh database. SQLite
/// projects whose batch blocks lack `copy_from=` (Alembic stops offline; the planner moves
/// and copies from its simulated schema); PostgreSQL projects with steps the planner
/// cannot know (printed as comments). The upgraded schema must equal the simulated one and
/// the downgrade must leave no table behind.
fn check_extras(flavor: Flavor, seeds: std::ops::Range<u64>, revisions: usize) {
    use alembic_planner::alembic::commands::Context;
    use alembic_planner::alembic::offline::{self, OfflineOptions};
    let Setup {
        python,
        pg,
        dialect,
        url,
        work,
    } = Setup::new(flavor, "extras");
    let opts = OfflineOptions {
        dialect,
        transaction_per_migration: false,
    };
    let (mut marked, mut statements) = (0, 0);
    for seed in seeds {
        let mut files = schemagen::generate_with(seed, revisions, flavor, false);
        if flavor == Flavor::Postgresql {
            // every third revision also calls the application, which the planner cannot run
            for (k, (_, text)) in files.iter_mut().enumerate() {
                if k % 3 == 1 {
                    *text = text
                        .replacen(
                            "import sqlalchemy as sa\n",
                            "import sqlalchemy as sa\nimport myapp.sql\n",
                            1,
                        )
                        .replacen(
                            "def upgrade():\n",
                            "def upgrade():\n    op.execute(myapp.sql.refresh_views())\n",
                            1,
                        );
                }
            }
        }
        let project = Project::from_texts(&files);
        let ctx = Context::default();
        let up = offline::run(&project, &ctx, true, "base:head", opts);
        let down = offline::run(&project, &ctx, false, "head:base", opts);
        assert_eq!(
            (up.status, down.status),
            (0, 0),
            "seed {seed}: {}{}",
            up.stderr,
            down.stderr
        );
        let label = match flavor {
            Flavor::Sqlite => "batch \"move and copy\"",
            Flavor::Postgresql => "not rendered",
        };
        marked += up.stdout.matches(label).count() + down.stdout.matches(label).count();
        statements += up.stdout.matches(";\n").count() + down.stdout.matches(";\n").count();
        if flavor == Flavor::Sqlite {
            // beyond the label, the same text as when the blocks pass copy_from= (what the
            // sql test compares with Alembic)
            let with =
                Project::from_texts(&schemagen::generate_with(seed, revisions, flavor, true));
            let unlabelled = |s: &str| {
                s.split("\n\n")
                    .filter(|u| !u.starts_with("-- alembic-planner: "))
                    .collect::<Vec<_>>()
                    .join("\n\n")
            };
            assert_eq!(
                unlabelled(&up.stdout),
                offline::run(&with, &ctx, true, "base:head", opts).stdout,
                "seed {seed}"
            );
        }
        let db = |step: &str| pg.as_ref().map(|p| (p, format!("x{seed}{step}")));
        let sim = alembic_planner::schema::schema_at(&project, "heads", dialect).unwrap();
        let upgraded = run_script(
            &python,
            url,
            db("u"),
            &work.join(format!("{seed}-up.sql")),
            &up.stdout,
        )
        .unwrap_or_else(|e| {
            panic!("seed {seed}: the database rejected the planner's upgrade: {e}")
        });
        assert_eq!(upgraded, facts(&sim.schema), "seed {seed}: upgraded schema");
        let both = format!("{}{}", up.stdout, down.stdout);
        let downgraded = run_script(
            &python,
            url,
            db("d"),
            &work.join(format!("{seed}-down.sql")),
            &both,
        )
        .unwrap_or_else(|e| {
            panic!("seed {seed}: the database rejected the planner's downgrade: {e}")
        });
        assert!(
            downgraded.is_empty(),
            "seed {seed}: left after downgrade: {downgraded:?}"
        );
    }
    eprintln!("extras {url}: {marked} steps beyond Alembic among {statements} statements, upgrade and downgrade ran cleanly");
    assert!(marked > 0, "no step went beyond Alembic");
    let _ = std::fs::remove_dir_all(&work);
}

#[test]
#[ignore = "needs the Alembic oracle (.venv) and PostgreSQL; scripts/dev.sh test runs it"]
fn planner_batch_rebuilds_run_on_sqlite() {
    check_extras(Flavor::Sqlite, 201..213, 30);
}

#[test]
#[ignore = "needs the Alembic oracle (.venv) and PostgreSQL; scripts/dev.sh test runs it"]
fn planner_opaque_comments_run_on_postgresql() {
    check_extras(Flavor::Postgresql, 201..207, 30);
}
