//! Hostile input is normal input: each file of `support::hostile` ends with a diagnostic
//! naming it (Python's own refusal, or an evaluation bound reached), the rest of the folder
//! is analysed, and every output is produced, on a thread with a 1 MiB stack like the
//! browser's, so no bound depends on a native thread's larger stack.

mod support;

use alembic_planner::alembic::commands::{self, Context};
use alembic_planner::alembic::offline::{self, OfflineOptions};
use alembic_planner::base::Dialect;
use alembic_planner::Project;
use support::hostile;

/// Runs `f` on a thread with a browser-sized stack.
fn small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .unwrap_or_else(|p| std::panic::resume_unwind(p))
}

/// Everything a user can ask of a project, in every dialect.
fn every_output(p: &Project) {
    let ctx = Context::default();
    let _ = commands::history(&p.map, &ctx, None, true);
    let _ = commands::heads(&p.map, &ctx, true, true);
    let _ = commands::branches(&p.map, &ctx, true);
    let _ = alembic_planner::present::views::history_rows(p);
    let _ = alembic_planner::present::layout::layout(p).to_text(p);
    let _ = p.coverage();
    for d in Dialect::ALL {
        let sim = alembic_planner::schema::table_map(p, d);
        let _ = alembic_planner::present::tables::tables_text(p, &sim);
        let opts = OfflineOptions {
            dialect: d,
            transaction_per_migration: false,
        };
        let _ = offline::run(p, &ctx, true, "base:heads", opts);
        let _ = offline::run(p, &ctx, false, "heads:base", opts);
        let mut config = alembic_planner::lint::Config::new(d);
        config.select = vec!["ALL".into()];
        let lint = alembic_planner::lint::lint(p, &config);
        let _ = alembic_planner::present::lint::text(&lint);
        let _ = alembic_planner::present::lint::sarif(&lint);
    }
}

/// `upgrade heads --sql` for PostgreSQL.
fn upgrade_sql(p: &Project) -> commands::Output {
    let opts = OfflineOptions {
        dialect: Dialect::Postgresql,
        transaction_per_migration: false,
    };
    offline::run(p, &Context::default(), true, "heads", opts)
}

#[test]
fn each_hostile_file_ends_with_a_diagnostic_naming_it() {
    let files = hostile::folder();
    let cases = hostile::cases();
    small_stack(move || {
        let p = Project::from_texts(&files);
        every_output(&p);
        // every revision is in the graph, in a line
        assert_eq!(p.map.len(), files.len());
        for (k, c) in cases.iter().enumerate() {
            let path = &files[k + 1].0;
            let found: Vec<String> = p
                .diagnostics
                .iter()
                .filter(|d| &d.path == path)
                .map(|d| format!("{d}"))
                .collect();
            assert!(
                p.diagnostics
                    .iter()
                    .any(|d| &d.path == path && d.code == c.expect && d.line > 0),
                "{}: expected {} with a line, found {found:#?}",
                c.name,
                c.expect
            );
        }
    });
}

#[test]
fn a_legal_long_chain_is_evaluated_without_stack() {
    // CPython compiles a 2,000-term concatenation; the planner evaluates it in a loop
    let sql = vec!["\"ab\""; 2_000].join(" + ");
    let text = format!(
        "revision = 'a'\ndown_revision = None\ndef upgrade():\n    op.execute({sql})\ndef downgrade():\n    pass\n"
    );
    small_stack(move || {
        let p = Project::from_texts(&[("a.py", text)]);
        let ops = p.migration_ops(0).to_text("a.py");
        assert!(ops.contains(&"ab".repeat(50)), "{ops}");
        assert!(!ops.contains("OPAQUE"), "{ops}");
    });
}

#[test]
fn a_loop_of_operations_stops_at_the_bound_and_says_where() {
    use alembic_planner::base::limits::MAX_FUNCTION_STEPS;
    let text = "revision = 'a'\ndown_revision = None\ndef upgrade():\n    for a in range(300):\n        for b in range(300):\n            op.execute('SELECT 1')\ndef downgrade():\n    pass\n";
    let p = Project::from_texts(&[("a.py", text)]);
    let ops = p.migration_ops(0);
    // the bound's operations, then one step saying the rest is not interpreted
    assert_eq!(ops.upgrade.len(), MAX_FUNCTION_STEPS + 1);
    let d = p
        .diagnostics
        .iter()
        .find(|d| d.code == "evaluation-limit")
        .expect("a limit diagnostic");
    assert_eq!(d.line, 6, "{d}");
    assert!(d.message.contains("50,000 operations"), "{d}");
}

#[test]
fn a_contradiction_repeated_by_a_loop_is_said_once_with_its_count() {
    let text = "revision = 'a'\ndown_revision = None\ndef upgrade():\n    for i in range(500):\n        op.drop_column('nowhere', 'c')\ndef downgrade():\n    pass\n";
    let p = Project::from_texts(&[("a.py", text)]);
    let sim = alembic_planner::schema::table_map(&p, Dialect::Postgresql);
    let said: Vec<String> = sim.diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(said.len(), 1, "{said:#?}");
    assert!(said[0].contains("(500 times at this line)"), "{said:#?}");
}

#[test]
fn ten_thousand_rows_of_seed_data_are_kept_whole() {
    // seed data this large is real (country and currency tables); within every bound
    let mut text = String::from("import sqlalchemy as sa\nfrom alembic import op\nrevision = 'a'\ndown_revision = None\ndef upgrade():\n    t = sa.table('t', sa.column('id'), sa.column('name'), sa.column('code'))\n    op.bulk_insert(t, [\n");
    for i in 0..10_000 {
        text.push_str(&format!(
            "        {{'id': {i}, 'name': 'row number {i}', 'code': 'C{i:05}'}},\n"
        ));
    }
    text.push_str("    ])\ndef downgrade():\n    pass\n");
    let p = Project::from_texts(&[("a.py", text)]);
    assert!(p.diagnostics.is_empty(), "{:#?}", p.diagnostics);
    let sql = upgrade_sql(&p);
    assert_eq!(sql.status, 0);
    assert_eq!(sql.stdout.matches("INSERT INTO t").count(), 10_000);
    assert!(sql.stdout.contains("'row number 9999'"));
}

#[test]
fn a_twenty_thousand_revision_cycle_is_diagnosed() {
    let files = hostile::cycle(20_000);
    small_stack(move || {
        let p = Project::from_texts(&files);
        every_output(&p);
        assert!(p.map.alembic_failure.is_some());
        assert!(p.diagnostics.iter().any(|d| d.code == "revision-cycle"));
    });
}

#[test]
fn five_thousand_heads_merged_at_once() {
    let files = hostile::wide_merge(5_000);
    small_stack(move || {
        let p = Project::from_texts(&files);
        let out = commands::heads(&p.map, &Context::default(), false, false);
        assert_eq!(out.stdout.trim(), "mmerge (head)");
        let sql = upgrade_sql(&p);
        assert_eq!(sql.status, 0);
        assert!(sql.stdout.contains("-- Running upgrade"));
    });
}

#[test]
fn dense_depends_on_is_analysed() {
    let files = hostile::dense_depends_on(1_500, 40);
    small_stack(move || {
        let p = Project::from_texts(&files);
        assert_eq!(p.map.len(), 1_500);
        assert!(
            p.map.alembic_failure.is_none(),
            "{:?}",
            p.map.alembic_failure
        );
        let out = commands::history(&p.map, &Context::default(), None, false);
        assert_eq!(out.stdout.lines().count(), 1_500);
    });
}

fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        for (name, bytes) in entries {
            w.start_file(*name, deflated).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn archives_that_are_bombs_truncated_or_escaping_end_with_diagnostics() {
    use alembic_planner::input::read_zip;
    let ok = b"revision = 'a'\ndown_revision = None\n".to_vec();
    // a bomb: entries of 8 MiB of zeros, deflated to a few KiB each
    let zeros = vec![0u8; 8 << 20];
    let mut bomb: Vec<(String, Vec<u8>)> = (0..4)
        .map(|i| (format!("versions/z{i}.txt"), zeros.clone()))
        .collect();
    bomb.push(("versions/a.py".into(), ok.clone()));
    let entries: Vec<(&str, Vec<u8>)> = bomb.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let bytes = zip_of(&entries);
    assert!(bytes.len() < 2 << 20, "the bomb is small: {}", bytes.len());
    let (files, diags) = read_zip("bomb.zip", &bytes);
    assert!(files
        .iter()
        .all(|f| f.bytes.len() <= alembic_planner::input::MAX_FILE_BYTES));
    assert!(files.iter().any(|f| f.path == "versions/a.py"));
    // every oversized entry is left uninflated (non-scripts without a word, as in a folder)
    assert!(
        diags.iter().all(|d| d.code != "unreadable-file"),
        "{diags:?}"
    );
    // a script that inflates past the limit is named
    let big_script = vec![b'#'; 5 << 20];
    let bytes = zip_of(&[("v/huge.py", big_script), ("v/a.py", ok.clone())]);
    let (files, diags) = read_zip("big.zip", &bytes);
    assert!(files.iter().any(|f| f.path == "v/a.py"));
    assert!(diags
        .iter()
        .any(|d| d.code == "file-too-large" && d.path == "v/huge.py"));
    // entries the planner does not need are listed by path and never inflated: this
    // archive would inflate to 600 MiB
    let three = vec![0u8; 3 << 20];
    let names: Vec<String> = (0..200).map(|i| format!("v/dump{i}.sql")).collect();
    let mut entries: Vec<(&str, Vec<u8>)> =
        names.iter().map(|n| (n.as_str(), three.clone())).collect();
    entries.push(("v/a.py", ok.clone()));
    let (files, diags) = read_zip("dumps.zip", &zip_of(&entries));
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(files.len(), 201);
    assert!(files
        .iter()
        .all(|f| f.bytes.is_empty() == f.path.ends_with(".sql")));
    // truncated anywhere: a diagnostic, never a panic
    let bytes = zip_of(&[("v/a.py", ok.clone()), ("v/b.py", ok.clone())]);
    for cut in (0..bytes.len()).step_by(7) {
        let _ = read_zip("cut.zip", &bytes[..cut]);
    }
    // a path that leaves the archive is skipped with a diagnostic
    let bytes = zip_of(&[("../../etc/evil.py", ok.clone()), ("v/a.py", ok)]);
    let (files, diags) = read_zip("escape.zip", &bytes);
    assert_eq!(
        files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(),
        ["v/a.py"]
    );
    assert_eq!(diags.iter().filter(|d| d.code == "unsafe-path").count(), 1);
}

#[test]
fn many_entries_are_read_up_to_the_bound() {
    use alembic_planner::base::limits::MAX_ARCHIVE_ENTRIES;
    use alembic_planner::input::read_zip;
    let names: Vec<String> = (0..MAX_ARCHIVE_ENTRIES + 10)
        .map(|i| format!("f{i}.txt"))
        .collect();
    let entries: Vec<(&str, Vec<u8>)> = names.iter().map(|n| (n.as_str(), Vec::new())).collect();
    let bytes = zip_of(&entries);
    let (files, diags) = read_zip("many.zip", &bytes);
    assert_eq!(files.len(), MAX_ARCHIVE_ENTRIES);
    assert!(diags.iter().any(|d| d.code == "archive-too-large"));
}
