//! The simulated schema against real databases. For seeded projects whose migrations change
//! a schema (`support::schemagen`), Alembic's own offline SQL (`upgrade base:head --sql`) is
//! run on a real PostgreSQL (started here on a Unix socket) and on SQLite; the schema read
//! back from their catalogs (`tests/oracle/realdb.py`) must equal the planner's schema at
//! head: tables, columns with type and nullability, primary, foreign and unique keys, and
//! indexes.

mod support;

use std::collections::BTreeSet;
use std::process::Command;

use alembic_planner::offline::Dialect;
use alembic_planner::pyeval::{short_name, Val};
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

/// `check` for real databases: every project's simulated schema against the database's.
fn check(flavor: Flavor, seeds: std::ops::Range<u64>, revisions: usize) {
    let Some(python) = support::oracle_python() else {
        return;
    };
    let pg = match flavor {
        Flavor::Postgresql => match support::pg::Pg::start("realdb") {
            Some(pg) => Some(pg),
            None => return,
        },
        Flavor::Sqlite => None,
    };
    let (dialect, url) = match flavor {
        Flavor::Postgresql => (Dialect::Postgresql, "postgresql"),
        Flavor::Sqlite => (Dialect::Sqlite, "sqlite"),
    };
    let work = std::env::temp_dir().join(format!(
        "alembic-planner-realdb-{url}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&work);
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
        let sql = dir.join("upgrade.sql");
        std::fs::write(&sql, &script.stdout).unwrap();
        let mut cmd = Command::new(&python);
        cmd.arg(support::repo_root().join("tests/oracle/realdb.py"))
            .arg(url)
            .arg(&sql);
        if let Some(pg) = &pg {
            cmd.arg(&pg.socket).arg(format!("p{seed}"));
        }
        let out = cmd.output().expect("run realdb.py");
        assert!(
            out.status.success(),
            "seed {seed}: the database rejected Alembic's SQL: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let real: BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        let sim = project.schema_at("heads", dialect).unwrap();
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
fn simulated_schema_equals_postgresql() {
    check(Flavor::Postgresql, 1..13, 30);
}

#[test]
fn simulated_schema_equals_sqlite() {
    check(Flavor::Sqlite, 101..113, 30);
}
