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

/// `upgrade base:heads --sql` on 5,000 schema-changing revisions, natively and with Alembic.
fn offline_sql_bench(root: &Path, with_alembic: bool) {
    use alembic_planner::alembic::offline::{self, OfflineOptions};
    use alembic_planner::base::Dialect;
    let files = schemagen::generate(5, 5_000, schemagen::Flavor::Postgresql);
    let input: Vec<InputFile> = files
        .iter()
        .map(|(n, t)| InputFile::new(n.clone(), t.as_bytes().to_vec()))
        .collect();
    let opts = OfflineOptions {
        dialect: Dialect::Postgresql,
        transaction_per_migration: false,
    };
    let mut bytes = 0;
    let (min, med) = time(Duration::from_secs(5), || {
        let p = Project::load(&input, LoadOptions::default());
        let out = offline::run(&p, &Context::default(), true, "base:heads", opts);
        bytes = out.stdout.len();
        std::hint::black_box(out);
    });
    let (lmin, _) = time(Duration::from_secs(2), || {
        std::hint::black_box(Project::load(&input, LoadOptions::default()));
    });
    let (imin, _) = time(Duration::from_secs(2), || {
        let p = Project::load(&input, LoadOptions::default());
        for i in 0..p.map.len() {
            std::hint::black_box(p.migration_ops(i));
        }
    });
    println!(
        "{:<46} {:>12} {:>12}",
        "schema 5000: of which load / load+interpret",
        ms(lmin),
        ms(imin)
    );
    println!(
        "{:<46} {:>12} {:>12}",
        format!(
            "schema 5000: upgrade base:heads --sql ({} KB)",
            bytes / 1024
        ),
        ms(min),
        ms(med)
    );
    let alembic = root.join(".venv/bin/alembic");
    if !(with_alembic && alembic.exists()) {
        return;
    }
    let dir = root.join("target/bench-projects/schema5000");
    let _ = std::fs::remove_dir_all(&dir);
    generator::write_files(&dir, &files);
    let t = Instant::now();
    let out = std::process::Command::new(&alembic)
        .args(["upgrade", "base:heads", "--sql"])
        .current_dir(&dir)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run alembic");
    let took = t.elapsed();
    assert!(out.status.success(), "alembic upgrade --sql failed");
    println!(
        "{:<46} {:>12} {:>12}",
        "schema 5000: real `alembic upgrade --sql` (1 run)",
        ms(took),
        ""
    );
}
