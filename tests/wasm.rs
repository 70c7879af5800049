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
