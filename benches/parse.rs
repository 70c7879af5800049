//! Benchmarks (not tests): `scripts/dev.sh bench` or `cargo bench --bench parse`.
//!
//! - parsing the bundled sample (read scripts + build the graph + history text);
//! - planning `upgrade base:heads` (steps + version-table bookkeeping);
//! - parse + graph + `history` for generated projects of 1,000, 5,000 and 10,000
//!   revisions, beside real `alembic history` on the same folders when the oracle
//!   virtualenv exists (`.venv/bin/alembic`; skip with `--no-alembic`);
//! - `upgrade base:heads --sql` for 5,000 schema-changing revisions (load, interpret,
//!   render), beside real `alembic upgrade base:heads --sql` on the same folder.
//!
//! Prints a table of wall-clock figures; nothing here asserts a time.

#[path = "../tests/support/generator.rs"]
mod generator;
#[path = "../tests/support/schemagen.rs"]
mod schemagen;

use std::path::Path;

/// The allocator the CLI uses (src/main.rs), so the figures are the CLI's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::{Duration, Instant};

use alembic_planner::alembic::commands::{self, Context};
use alembic_planner::input::{Functions, Operations};
use alembic_planner::plan;
use alembic_planner::{InputFile, LoadOptions, Project};

fn read_dir(dir: &Path) -> Vec<InputFile> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_file() {
            out.push(InputFile::new(
                e.file_name().to_string_lossy(),
                std::fs::read(&p).unwrap(),
            ));
        }
    }
    out
}

/// Runs `f` repeatedly for about `budget` (at least 3 times); returns (min, median).
fn time<F: FnMut()>(budget: Duration, mut f: F) -> (Duration, Duration) {
    let mut samples = Vec::new();
    let start = Instant::now();
    while samples.len() < 3 || (start.elapsed() < budget && samples.len() < 200) {
        let t = Instant::now();
        f();
        samples.push(t.elapsed());
    }
    samples.sort();
    (samples[0], samples[samples.len() / 2])
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn pipeline(files: &[InputFile]) -> usize {
    let p = Project::load(files, LoadOptions::default());
    let out = commands::history(&p.map, &Context::default(), None, false);
    out.stdout.len()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let with_alembic = !args.iter().any(|a| a == "--no-alembic");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));

    println!("{:<46} {:>12} {:>12}", "benchmark", "min", "median");
    let sample = read_dir(&root.join("migrations-sample/versions"));
    let (min, med) = time(Duration::from_secs(2), || {
        std::hint::black_box(pipeline(&sample));
    });
    println!(
        "{:<46} {:>12} {:>12}",
        format!("sample: parse + graph + history ({} files)", sample.len()),
        ms(min),
        ms(med)
    );

    let alembic = root.join(".venv/bin/alembic");
    offline_sql_bench(root, with_alembic);
    // Kept after the run: tests/e2e/bench-browser.mjs uploads the same folders to the app.
    let tmp = root.join("target/bench-projects");
    let mut cases: Vec<(String, usize, generator::GenProject)> = Vec::new();
    for n in [1_000usize, 5_000, 10_000] {
        cases.push((
            format!("generated {n}"),
            n,
            generator::generate(42 + n as u64, n),
        ));
    }
    let mut rng = generator::Rng::new(7);
    cases.push((
        "realistic 10000".to_string(),
        10_000,
        generator::generate_shaped(&mut rng, 10_000, generator::Shape::REALISTIC),
    ));
    for (label, n, project) in cases {
        let files: Vec<InputFile> = generator::render_files(&project, 42)
            .into_iter()
            .map(|(name, text)| InputFile::new(name, text.into_bytes()))
            .collect();
        let (min, med) = time(Duration::from_secs(3), || {
            std::hint::black_box(pipeline(&files));
        });
        println!(
            "{:<46} {:>12} {:>12}",
            format!("{label}: parse + graph + history"),
            ms(min),
            ms(med)
        );
        let loaded = Project::load(&files, LoadOptions::default());
        let (min, med) = time(Duration::from_secs(3), || {
            let steps = plan::upgrade_steps(&loaded.map, "heads", &[]).expect("plan");
            std::hint::black_box(plan::plan_steps(&loaded.map, &[], &steps, true));
        });
        println!(
            "{:<46} {:>12} {:>12}",
            format!("{label}: plan upgrade base:heads"),
            ms(min),
            ms(med)
        );
        let dir = tmp.join(if label.starts_with("realistic") {
            format!("realistic{n}")
        } else {
            format!("n{n}")
        });
        let _ = std::fs::remove_dir_all(&dir);
        generator::write(&project, &dir, 42);
        if with_alembic && alembic.exists() {
            let t = Instant::now();
            let out = std::process::Command::new(&alembic)
                .arg("history")
                .current_dir(&dir)
                .env("PYTHONDONTWRITEBYTECODE", "1")
                .output()
                .expect("run alembic");
            let took = t.elapsed();
            assert!(out.status.success(), "alembic history failed");
            println!(
                "{:<46} {:>12} {:>12}",
                format!("{label}: real `alembic history` (1 run)"),
                ms(took),
                ""
            );
        }
    }
}

/// Runs `program args` in `dir` once under `/usr/bin/time`: (wall time, peak resident KB,
/// stdout length). The peak is `None` where `/usr/bin/time` is missing.
fn run_measured(program: &Path, args: &[&str], dir: &Path) -> (Duration, Option<u64>, usize) {
    let timer = Path::new("/usr/bin/time");
    let mut cmd = if timer.exists() {
        let mut c = std::process::Command::new(timer);
        c.args(["-f", "peak-kb %M"]).arg(program);
        c
    } else {
        std::process::Command::new(program)
    };
    let t = Instant::now();
    let out = cmd
        .args(args)
        .current_dir(dir)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run");
    let took = t.elapsed();
    assert!(
        out.status.success(),
        "{} {args:?} failed: {}",
        program.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let peak = stderr
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("peak-kb ")?.trim().parse().ok());
    (took, peak, out.stdout.len())
}

fn mb(kb: Option<u64>) -> String {
    kb.map_or("n/a".into(), |k| format!("{:.1} MB", k as f64 / 1024.0))
}

/// `upgrade base:heads --sql`, `heads` and `history` on 5,000 schema-changing revisions as
/// rich as real ones: in process (load, interpret, render), the Python parser alone on the
/// same files (the floor), and the CLI and real Alembic as processes side by side, with
/// each one's peak memory.
fn offline_sql_bench(root: &Path, with_alembic: bool) {
    use alembic_planner::alembic::offline::{self, OfflineOptions};
    use alembic_planner::base::Dialect;
    let files = schemagen::generate_rich(5, 5_000, schemagen::Flavor::Postgresql);
    let size: usize = files.iter().map(|(_, t)| t.len()).sum();
    println!(
        "rich 5000: {} files, {:.1} MB, {} B a file",
        files.len(),
        size as f64 / 1e6,
        size / files.len()
    );
    let input: Vec<InputFile> = files
        .iter()
        .map(|(n, t)| InputFile::new(n.clone(), t.as_bytes().to_vec()))
        .collect();
    let opts = OfflineOptions {
        dialect: Dialect::Postgresql,
        transaction_per_migration: false,
    };
    // as the CLI loads for each command: one dialect's reading of `upgrade()` alone, each
    // file's text freed once read, for the SQL; no operations for heads
    let for_sql = || LoadOptions {
        operations: Operations::For(Dialect::Postgresql),
        functions: Functions::Upgrade,
        release_texts: true,
        ..LoadOptions::default()
    };
    let for_graph = || LoadOptions {
        operations: Operations::Skip,
        ..LoadOptions::default()
    };
    let mut bytes = 0;
    let (min, med) = time(Duration::from_secs(5), || {
        let p = Project::load(&input, for_sql());
        let out = offline::run(&p, &Context::default(), true, "base:heads", opts);
        bytes = out.stdout.len();
        std::hint::black_box(out);
    });
    let (pmin, _) = time(Duration::from_secs(2), || {
        for (_, text) in &files {
            std::hint::black_box(ruff_python_parser::parse_module(text).is_ok());
        }
    });
    let (gmin, _) = time(Duration::from_secs(2), || {
        let p = Project::load(&input, for_graph());
        std::hint::black_box(commands::heads(&p.map, &Context::default(), false, false));
    });
    let (lmin, _) = time(Duration::from_secs(2), || {
        std::hint::black_box(Project::load(&input, for_sql()));
    });
    let (emin, _) = time(Duration::from_secs(2), || {
        std::hint::black_box(Project::load(&input, LoadOptions::default()));
    });
    println!(
        "{:<46} {:>12} {:>12}",
        "rich 5000: Python parser alone, one thread",
        ms(pmin),
        ""
    );
    println!(
        "{:<46} {:>12} {:>12}",
        "rich 5000: heads (load without operations)",
        ms(gmin),
        ""
    );
    println!(
        "{:<46} {:>12} {:>12}",
        "rich 5000: load for one dialect / every dialect",
        ms(lmin),
        ms(emin)
    );
    println!(
        "{:<46} {:>12} {:>12}",
        format!("rich 5000: upgrade base:heads --sql ({} KB)", bytes / 1024),
        ms(min),
        ms(med)
    );
    let dir = root.join("target/bench-projects/rich5000");
    let _ = std::fs::remove_dir_all(&dir);
    generator::write_files(&dir, &files);
    // the CLI and Alembic as a user runs them: a process each, reading the folder from disk
    let cli = Path::new(env!("CARGO_BIN_EXE_alembic-planner"));
    let alembic = root.join(".venv/bin/alembic");
    let commands: [&[&str]; 3] = [
        &["upgrade", "base:heads", "--sql"],
        &["heads"],
        &["history"],
    ];
    println!(
        "{:<46} {:>12} {:>12} {:>10} {:>10}",
        "rich 5000, processes (best of 3 / 1 run)", "planner", "alembic", "ratio", "peak"
    );
    for args in commands {
        let best = (0..3)
            .map(|_| run_measured(cli, args, &dir))
            .min_by_key(|r| r.0)
            .expect("three runs");
        let theirs = (with_alembic && alembic.exists()).then(|| run_measured(&alembic, args, &dir));
        println!(
            "{:<46} {:>12} {:>12} {:>10} {:>10}",
            format!("  {}", args.join(" ")),
            ms(best.0),
            theirs.as_ref().map_or("-".into(), |t| ms(t.0)),
            theirs.as_ref().map_or("-".into(), |t| format!(
                "{:.0}x",
                t.0.as_secs_f64() / best.0.as_secs_f64()
            )),
            format!(
                "{} / {}",
                mb(best.1),
                theirs.as_ref().map_or("-".into(), |t| mb(t.1))
            ),
        );
    }
}
