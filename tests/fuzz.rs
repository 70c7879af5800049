//! Property tests: mutated revision folders never make the planner panic, and every command
//! still answers; every input the coverage-guided fuzzer (`fuzz/`, `scripts/dev.sh fuzz`)
//! ever found to crash a target stays fixed (`tests/fixtures/fuzz/<target>/`), and each
//! target's harness runs here on seeded random bytes too. Bounded by iterations and time
//! (not a timed assertion: the bound only stops the loop). `ALEMBIC_PLANNER_FUZZ_SECS`
//! lengthens it for a longer local run.

mod support;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use alembic_planner::alembic::commands::{self, Context};
use alembic_planner::{InputFile, LoadOptions, Project};
use support::generator::{self, Rng};

/// One random edit of one file's bytes.
fn mutate(rng: &mut Rng, text: &mut Vec<u8>, ids: &[String]) {
    let len = text.len().max(1);
    match rng.below(15) {
        0 => text.truncate(rng.below(len)),
        1 => {
            let at = rng.below(len).min(text.len());
            text.insert(at, (rng.next() & 0xff) as u8);
        }
        2 => {
            if !text.is_empty() {
                let at = rng.below(text.len());
                text.remove(at);
            }
        }
        3 => {
            // drop a line
            let s = String::from_utf8_lossy(text).into_owned();
            let mut lines: Vec<&str> = s.lines().collect();
            if !lines.is_empty() {
                lines.remove(rng.below(lines.len()));
            }
            *text = lines.join("\n").into_bytes();
        }
        4 => {
            // point down_revision somewhere else: itself, another id, nowhere
            let s = String::from_utf8_lossy(text).into_owned();
            let target = match rng.below(3) {
                0 => "\"deadbeef0000\"".to_string(),
                1 => format!("{:?}", ids[rng.below(ids.len())]),
                _ => format!(
                    "({:?}, {:?})",
                    ids[rng.below(ids.len())],
                    ids[rng.below(ids.len())]
                ),
            };
            let out: Vec<String> = s
                .lines()
                .map(|l| {
                    if l.starts_with("down_revision") {
                        format!("down_revision = {target}")
                    } else {
                        l.to_string()
                    }
                })
                .collect();
            *text = out.join("\n").into_bytes();
        }
        5 => text.extend_from_slice(b"\nprint \"python 2\"\n"),
        6 => text.extend_from_slice(
            b"\nbranch_labels = (\"dup\",)\ndepends_on = [\"dup\", \"nope\", 3]\n",
        ),
        7 => text.extend_from_slice(&[0, 159, 146, 150]),
        8 => text
            .splice(0..0, b"\"\"\"\n".iter().copied())
            .for_each(drop),
        9 => text.extend_from_slice(
            b"\nrevision = some.module.REV\ndown_revision = None if X else 'a'\n",
        ),
        10 => text.clear(),
        _ => {
            // swap two bytes
            if text.len() > 2 {
                let (a, b) = (rng.below(text.len()), rng.below(text.len()));
                text.swap(a, b);
            }
        }
    }
}

fn exercise(files: &[InputFile]) {
    let p = Project::load(files, LoadOptions::default());
    let ctx = Context::default();
    let _ = alembic_planner::present::views::history_rows(&p);
    let _ = p.coverage();
    let sim = alembic_planner::schema::table_map(&p, alembic_planner::base::Dialect::Postgresql);
    let _ = alembic_planner::present::tables::tables_text(&p, &sim);
    let _ = alembic_planner::schema::schema_at(&p, "heads", alembic_planner::base::Dialect::Sqlite);
    let mut lint = alembic_planner::lint::Config::new(alembic_planner::base::Dialect::Postgresql);
    lint.select = vec!["ALL".into()];
    let _ = alembic_planner::lint::lint(&p, &lint);
    for i in 0..p.map.len().min(3) {
        let _ = alembic_planner::present::views::revision_detail(&p, i);
    }
    let _ = commands::history(&p.map, &ctx, None, true);
    let _ = commands::history(&p.map, &ctx, Some("base:heads"), false);
    let _ = commands::heads(&p.map, &ctx, true, false);
    let _ = commands::heads(&p.map, &ctx, false, true);
    let _ = commands::branches(&p.map, &ctx, true);
    for arg in ["head", "heads", "base", "-1", "+2", "dup@head", "dead"] {
        let _ = commands::show(&p.map, &ctx, arg);
    }
    if let Some(r) = p.map.revs.first() {
        let _ = commands::history(&p.map, &ctx, Some(&format!("{}:+1", r.id)), false);
        let _ = commands::history(
            &p.map,
            &ctx,
            Some(&format!("-1:{}", &r.id[..r.id.len().min(4)])),
            false,
        );
    }
    let strict = Context {
        strict: true,
        ..Context::default()
    };
    let _ = commands::history(&p.map, &strict, None, false);
}

#[test]
fn mutated_folders_never_panic() {
    let secs: u64 = std::env::var("ALEMBIC_PLANNER_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut rng = Rng::new(0xF022);
    let mut runs = 0u32;
    while runs < 4000 && Instant::now() < deadline {
        let seed = rng.next();
        let n = 2 + rng.below(25);
        let project = generator::generate(seed, n);
        let ids: Vec<String> = project.revs.iter().map(|r| r.id.clone()).collect();
        let mut files: Vec<(String, Vec<u8>)> = generator::render_files(&project, seed)
            .into_iter()
            .map(|(n, t)| (n, t.into_bytes()))
            .collect();
        for _ in 0..1 + rng.below(4) {
            let k = rng.below(files.len());
            mutate(&mut rng, &mut files[k].1, &ids);
        }
        let input: Vec<InputFile> = files
            .iter()
            .map(|(n, b)| InputFile::new(n.clone(), b.clone()))
            .collect();
        if std::env::var_os("FUZZ_DUMP").is_some() {
            let dump: Vec<String> = files
                .iter()
                .map(|(n, b)| format!("--- {n}\n{}", String::from_utf8_lossy(b)))
                .collect();
            let _ = std::fs::write("/tmp/fuzz-last.txt", dump.join("\n"));
        }
        if catch_unwind(AssertUnwindSafe(|| exercise(&input))).is_err() {
            let dump: Vec<String> = files
                .iter()
                .map(|(n, b)| format!("--- {n}\n{}", String::from_utf8_lossy(b)))
                .collect();
            panic!("panic on mutated input (seed {seed}):\n{}", dump.join("\n"));
        }
        runs += 1;
    }
    println!("fuzz: {runs} mutated folders, no panic");
    assert!(runs > 50, "too few runs to mean anything: {runs}");
}

/// Every crash the fuzzer found, replayed through its target.
#[test]
fn fuzz_regressions_stay_fixed() {
    let root = support::repo_root().join("tests/fixtures/fuzz");
    let mut replayed = 0;
    for (name, target) in support::fuzzing::TARGETS {
        let Ok(entries) = std::fs::read_dir(root.join(name)) else {
            continue;
        };
        for e in entries.flatten() {
            let data = std::fs::read(e.path()).unwrap();
            if catch_unwind(AssertUnwindSafe(|| target(&data))).is_err() {
                panic!("{name}: {} crashes again", e.path().display());
            }
            replayed += 1;
        }
    }
    eprintln!("fuzz regressions: {replayed} inputs replayed");
    // the folder holds at least the fuzzer's slow units of read_script (a loop of helper
    // calls that once said one warning 5,900 times): an empty replay checks nothing
    assert!(
        replayed > 0,
        "no fuzz regression inputs found under {}",
        root.display()
    );
}

/// Each fuzz target's harness on seeded random bytes (the harness is exercised by every
/// test run, not only under libFuzzer).
#[test]
fn fuzz_targets_run_on_random_bytes() {
    let mut rng = Rng::new(0xF0F0);
    for (name, target) in support::fuzzing::TARGETS {
        for _ in 0..40 {
            let len = rng.below(2048);
            let data: Vec<u8> = (0..len).map(|_| (rng.next() & 0xff) as u8).collect();
            if catch_unwind(AssertUnwindSafe(|| target(&data))).is_err() {
                panic!("{name} panics on {data:?}");
            }
        }
    }
}
