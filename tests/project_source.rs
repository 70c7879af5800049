//! The project's own source, read, never run: revisions that import their identifiers from
//! the project's modules (`branch_labels = (branches.EXPAND_BRANCH,)`, `revision =
//! branches.FIRST`) print as Alembic prints them once it can import the project.
//! `tests/fixtures/project_source/` is a small package whose versions folder sits inside it;
//! `expected.txt` is what real Alembic printed (recorded with `UPDATE_EXPECT=1` by the
//! ignored test, which also checks the recording is current).

mod support;

use std::path::{Path, PathBuf};

use support::{render, run_planner_raw, Run};

fn dir() -> PathBuf {
    support::repo_root().join("tests/fixtures/project_source")
}

const VERSIONS: &str = "myshop/db/migrations/versions";

fn commands() -> Vec<Vec<String>> {
    [["history", "-v"], ["heads", "-v"]]
        .iter()
        .map(|c| c.iter().map(|s| s.to_string()).collect())
        .collect()
}

/// Each command of `commands` run by the planner in `dir` on `versions`, with `extra`
/// before it, as the recording prints them.
fn planner_in(dir: &Path, versions: &str, commands: Vec<Vec<String>>, extra: &[&str]) -> String {
    let cases: Vec<(Vec<String>, Run)> = commands
        .into_iter()
        .map(|c| {
            let mut argv: Vec<String> = vec!["--versions".into(), versions.into()];
            argv.extend(extra.iter().map(|s| s.to_string()));
            argv.extend(c.iter().cloned());
            let run = run_planner_raw(dir, &argv);
            (c, run)
        })
        .collect();
    render(&cases, dir)
}

fn planner(extra: &[&str]) -> String {
    planner_in(&dir(), VERSIONS, commands(), extra)
}

#[test]
fn identifiers_imported_from_the_project_print_as_alembic_printed() {
    let found = planner(&[]);
    support::check_recorded(&dir().join("expected.txt"), &found).unwrap();
    // the same with the root given
    let given = planner(&["--project", "."]);
    assert_eq!(found, given);
}

#[test]
fn each_value_says_where_it_was_read() {
    let run = run_planner_raw(
        &dir(),
        &["--versions".into(), VERSIONS.into(), "check".into()],
    );
    for name in ["EXPAND_BRANCH", "CONTRACT_BRANCH", "FIRST"] {
        assert!(
            run.stdout.contains(&format!("myshop.db.branches.{name}`")),
            "{name}: {}",
            run.stdout
        );
    }
    assert!(
        run.stdout.contains("myshop/db/branches.py:2"),
        "{}",
        run.stdout
    );
}

/// Without the project's source, the planner says it guessed (and what from).
#[test]
fn without_the_source_the_guess_is_said() {
    let tmp = std::env::temp_dir().join(format!("ap-project-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    for f in std::fs::read_dir(dir().join(VERSIONS)).unwrap().flatten() {
        std::fs::copy(f.path(), tmp.join(f.file_name())).unwrap();
    }
    let run = run_planner_raw(&tmp, &["--versions".into(), ".".into(), "check".into()]);
    assert!(
        run.stdout.contains("unresolved-identifier"),
        "{}",
        run.stdout
    );
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
#[ignore = "needs the Alembic oracle (.venv); scripts/dev.sh test runs it"]
fn the_recording_is_what_alembic_prints() {
    let text = support::alembic_renders(&[dir()], &commands()).remove(0);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(dir().join("expected.txt"), &text).unwrap();
    }
    support::check_recorded(&dir().join("expected.txt"), &text).unwrap();
}

/// `tests/fixtures/project_types/`: a package whose `TypeDecorator`s the revisions use.
fn types_dir() -> PathBuf {
    support::repo_root().join("tests/fixtures/project_types")
}

const TYPES_VERSIONS: &str = "mybank/db/migrations/versions";

/// The revisions whose types leave their SQL to their `impl` or choose it by the
/// dialect's name, each dialect, both ways.
fn types_commands() -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for d in ["postgresql", "mysql", "sqlite"] {
        for c in ["upgrade base:b2 --sql", "downgrade b2:base --sql"] {
            let mut argv = vec!["--dialect".to_string(), d.to_string()];
            argv.extend(c.split(' ').map(String::from));
            out.push(argv);
        }
    }
    out
}

/// The project's `TypeDecorator`s compile as their `impl` (a class called with the type's
/// arguments, an instance as it is), or as their `load_dialect_impl` chooses by the
/// dialect's name (a subclass's as its parent's), in every dialect, as Alembic printed them.
#[test]
fn the_projects_own_types_print_as_alembic_printed() {
    let found = planner_in(&types_dir(), TYPES_VERSIONS, types_commands(), &[]);
    assert!(!found.contains("alembic-planner:"), "{found}");
    support::check_recorded(&types_dir().join("expected.txt"), &found).unwrap();
}

/// A type whose SQL its own code decides otherwise (`load_dialect_impl` reads the server's
/// version) is said, with where, and a type mapping still gives it SQL.
#[test]
fn a_type_decided_in_code_is_said_with_where() {
    let run = |extra: &[&str]| {
        let mut argv: Vec<String> = vec!["--versions".into(), TYPES_VERSIONS.into()];
        argv.extend(extra.iter().map(|s| s.to_string()));
        argv.extend(["upgrade", "b2:c3", "--sql"].map(String::from));
        run_planner_raw(&types_dir(), &argv).stdout
    };
    let out = run(&[]);
    let types = std::fs::read_to_string(types_dir().join("mybank/db/types.py")).unwrap();
    let line = 1 + types
        .lines()
        .position(|l| l.starts_with("class Versioned"))
        .unwrap();
    assert!(
        out.contains(&format!("`Versioned` is the project's own column type `mybank.db.types.Versioned` (mybank/db/types.py:{line}): its `load_dialect_impl` decides its SQL in code")),
        "{out}"
    );
    assert!(!out.contains("ADD COLUMN settings"), "{out}");
    let mapped = run(&["--type-map", "Versioned=JSONB"]);
    assert!(
        mapped.contains("ALTER TABLE accounts ADD COLUMN settings JSONB;"),
        "{mapped}"
    );
}

/// A `@compiles` hook in a module the revisions import changes that construct's SQL in
/// its dialect for every revision: the operations writing it are marked there, and only
/// there.
#[test]
fn a_projects_compiles_hook_marks_what_it_changes() {
    let run = |dialect: &str| {
        let argv: Vec<String> = ["--versions", TYPES_VERSIONS, "--dialect", dialect]
            .into_iter()
            .chain(["upgrade", "b2:c3", "--sql"])
            .map(String::from)
            .collect();
        run_planner_raw(&types_dir(), &argv).stdout
    };
    let mysql = run("mysql");
    assert!(
        mysql.contains(
            "`sqlalchemy.Interval` is compiled by a @compiles hook at mybank/db/types.py:"
        ),
        "{mysql}"
    );
    let pg = run("postgresql");
    assert!(pg.contains("ADD COLUMN grace INTERVAL"), "{pg}");
    assert!(!pg.contains("@compiles"), "{pg}");
}

#[test]
#[ignore = "needs the Alembic oracle (.venv); scripts/dev.sh test runs it"]
fn the_types_recording_is_what_alembic_prints() {
    let text = support::alembic_renders(&[types_dir()], &types_commands()).remove(0);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(types_dir().join("expected.txt"), &text).unwrap();
    }
    support::check_recorded(&types_dir().join("expected.txt"), &text).unwrap();
}
