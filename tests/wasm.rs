//! The analysis core compiled to wasm32 and run in headless Chromium: the same results as
//! natively, on the bundled sample.
#![cfg(target_arch = "wasm32")]

use alembic_planner::alembic::commands::{self, Context};
use alembic_planner::{InputFile, LoadOptions, Project};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

include!(concat!(env!("OUT_DIR"), "/sample.rs"));

fn sample() -> Project {
    let files: Vec<InputFile> = SAMPLE_FILES
        .iter()
        .map(|(p, t)| InputFile::new(*p, t.as_bytes()))
        .collect();
    Project::load(&files, LoadOptions::default())
}

#[wasm_bindgen_test]
fn sample_graph_in_the_browser() {
    let p = sample();
    assert_eq!(p.map.len(), SAMPLE_FILES.len());
    assert_eq!(p.map.heads.len(), 2);
    assert!(p.map.alembic_failure.is_none());
    let rows = alembic_planner::present::views::history_rows(&p);
    assert_eq!(rows.len(), p.map.len());
    assert!(rows.last().unwrap().is_base);
}

#[wasm_bindgen_test]
fn history_text_matches_native_rules() {
    let p = sample();
    let out = commands::history(&p.map, &Context::default(), None, false);
    assert_eq!(out.status, 0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), p.map.len());
    assert!(lines.last().unwrap().starts_with("<base> -> "));
    assert!(out.stdout.contains("(mergepoint)"));
    assert!(out.stdout.contains("(reporting) (head)"));
}

#[path = "support/hostile.rs"]
mod hostile;

/// The hostile folder in the browser (whose stack is far smaller than a native thread's):
/// each file ends with its diagnostic and the rest is analysed, every output produced.
#[wasm_bindgen_test]
fn hostile_files_end_with_diagnostics_in_the_browser() {
    let files = hostile::folder();
    let p = Project::from_texts(&files);
    assert_eq!(p.map.len(), files.len());
    for (k, c) in hostile::cases().iter().enumerate() {
        let path = &files[k + 1].0;
        assert!(
            p.diagnostics
                .iter()
                .any(|d| &d.path == path && d.code == c.expect),
            "{}: no {}",
            c.name,
            c.expect
        );
    }
    let ctx = Context::default();
    let _ = commands::history(&p.map, &ctx, None, true);
    let _ = alembic_planner::present::layout::layout(&p);
    for d in alembic_planner::base::Dialect::ALL {
        let sim = alembic_planner::schema::table_map(&p, d);
        assert!(!sim.schema.tables.is_empty());
        let _ = alembic_planner::alembic::offline::run(
            &p,
            &ctx,
            true,
            "base:heads",
            alembic_planner::alembic::offline::OfflineOptions {
                dialect: d,
                transaction_per_migration: false,
            },
        );
    }
}

#[wasm_bindgen_test]
fn a_long_cycle_in_the_browser() {
    let p = Project::from_texts(&hostile::cycle(20_000));
    assert!(p.map.alembic_failure.is_some());
    let _ = commands::heads(&p.map, &Context::default(), true, false);
}

/// The web app leaves Unicode's character-name tables out of its download
/// (vendor/unicode_names2): a `\N{...}` string is unknown there, said at its line, and
/// every statement using it is opaque; the file is no syntax error and the rest is read.
/// (Natively the same file reads every name: tests/fixtures/ops/char_names.txt.)
#[wasm_bindgen_test]
fn character_names_are_unknown_in_the_browser_and_said_so() {
    let text = include_str!("fixtures/ops/char_names.py");
    let p = Project::from_texts(&[("versions/e5_char_names.py", text)]);
    assert_eq!(p.map.len(), 1);
    assert!(
        p.map.alembic_failure.is_none(),
        "{:?}",
        p.map.alembic_failure
    );
    let codes: Vec<&str> = p.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"char-name-not-looked-up"), "{codes:?}");
    assert!(!codes.contains(&"python-syntax-error"), "{codes:?}");
    let named = p
        .diagnostics
        .iter()
        .find(|d| d.code == "char-name-not-looked-up")
        .unwrap();
    assert_eq!(named.line, 11, "the first name's line");
    let ops = alembic_planner::ops::interpret(text).to_text("e5_char_names.py");
    // what the browser cannot know is opaque, each time with the reason; the rest is read
    let unknown = "a string holding a `\\N{...}` character name, which the web app does not look up (Unicode's name tables are left out of its download; the command-line tool reads them), or an escape Python refuses";
    let expected = [
        "upgrade():".to_string(),
        format!("  e5_char_names.py:16 OPAQUE: `op.execute` has an argument the planner cannot know: {unknown}"),
        "  e5_char_names.py:17 NOT MODELLED: sa.Column(server_default=<unknown: a string holding a `\\N{...}` character name, wh...)".to_string(),
        format!("  e5_char_names.py:17 add_column notes.mark String(20) default <unknown: {unknown}>"),
        format!("  e5_char_names.py:17 OPAQUE: `op.add_column` has an argument the planner cannot know: {unknown}; the rest of the operation is applied"),
        "  e5_char_names.py:18 OPAQUE: not interpreted: it holds a `\\N{...}` character name, which the web app does not look up (Unicode's name tables are left out of its download; the command-line tool reads them)".to_string(),
        "  e5_char_names.py:19 create_index ix_notes_mark on notes (mark)".to_string(),
        "downgrade():".to_string(),
        "  e5_char_names.py:23 drop_index ix_notes_mark on notes".to_string(),
        "  e5_char_names.py:24 drop_column notes.mark".to_string(),
        "interpreted 3 of 6 statements".to_string(),
    ];
    assert_eq!(ops.lines().collect::<Vec<_>>(), expected, "{ops}");
}
