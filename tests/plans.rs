//! Plans against Alembic: `upgrade/downgrade/stamp RANGE --sql` on generated projects (whose
//! migrations are empty, so the whole script compares byte for byte) for every identifier
//! and range form, four dialects and both transaction modes; and on the sample (PostgreSQL,
//! its migrations' DDL included), byte for byte.

mod support;

use std::path::PathBuf;

use support::generator::{self, GenProject, Rng};
use support::{first_difference, run_oracle, run_planner_raw, Run};

/// One comparison: Alembic's argv and the planner's argv on the same folder.
struct Job {
    dir: PathBuf,
    alembic: Vec<String>,
    planner: Vec<String>,
}

const DIALECTS: [&str; 4] = ["postgresql", "mysql", "sqlite", "mssql"];

fn job(dir: &std::path::Path, dialect: &str, tpm: bool, cmd: &str, range: &str) -> Job {
    let mut alembic = vec!["-x".to_string(), format!("url={dialect}://")];
    let mut planner = vec![
        "--strict".to_string(),
        "--dialect".to_string(),
        dialect.to_string(),
    ];
    if tpm {
        alembic.extend(["-x".to_string(), "tpm=true".to_string()]);
        planner.push("--transaction-per-migration".to_string());
    }
    for a in [&mut alembic, &mut planner] {
        a.extend([cmd.to_string(), range.to_string(), "--sql".to_string()]);
    }
    Job {
        dir: dir.to_path_buf(),
        alembic,
        planner,
    }
}

/// Range forms drawn from a project's revisions.
fn ranges(p: &GenProject, rng: &mut Rng) -> Vec<(&'static str, String)> {
    let n = p.revs.len();
    let pick = |rng: &mut Rng| p.revs[rng.below(n)].id.clone();
    // an ancestor/descendant pair along down_revision
    let b = rng.below(n);
    let mut a = b;
    for _ in 0..1 + rng.below(4) {
        if let Some(d) = p.revs[a].down.first() {
            a = p.revs.iter().position(|r| &r.id == d).unwrap();
        }
    }
    let (ida, idb) = (p.revs[a].id.clone(), p.revs[b].id.clone());
    let mut v: Vec<(&'static str, String)> = vec![
        ("upgrade", "heads".into()),
        ("upgrade", "head".into()),
        ("upgrade", "base:heads".into()),
        ("upgrade", ida.clone()),
        ("upgrade", idb[..6].to_string()),
        ("upgrade", format!("{ida}:{idb}")),
        ("upgrade", format!("{}:{}", &ida[..5], &idb[..7])),
        ("upgrade", format!("{idb}:{ida}")),
        ("upgrade", "+1".into()),
        ("upgrade", "+3".into()),
        ("upgrade", "base:+2".into()),
        ("upgrade", format!("{ida}:+1")),
        ("upgrade", format!("{ida}+1")),
        ("upgrade", format!("{idb}-1")),
        ("upgrade", "head-1".into()),
        ("upgrade", format!("{}@head", pick(rng))),
        ("upgrade", format!("{ida}:{}", pick(rng))),
        ("downgrade", "heads:base".into()),
        ("downgrade", "head:base".into()),
        ("downgrade", format!("{idb}:{ida}")),
        ("downgrade", format!("{ida}:{idb}")),
        ("downgrade", format!("{idb}:-1")),
        ("downgrade", format!("{idb}:-2")),
        ("downgrade", format!("{idb}:base")),
        ("downgrade", "base".into()),
        ("stamp", "heads".into()),
        ("stamp", format!("{ida}:{idb}")),
        ("stamp", format!("{idb}:{ida}")),
        ("stamp", format!("{idb}:base")),
        ("stamp", format!("{}:{}", pick(rng), pick(rng))),
        ("downgrade", format!("{}:{}", pick(rng), pick(rng))),
    ];
    if let Some(l) = p
        .revs
        .iter()
        .flat_map(|r| r.labels.iter())
        .nth(rng.below(2))
    {
        v.push(("upgrade", format!("{l}@head")));
        v.push(("upgrade", format!("{l}@+1")));
        v.push(("upgrade", format!("{l}@base:{l}@head")));
        v.push(("downgrade", format!("{l}@head:{l}@base")));
        v.push(("downgrade", format!("{l}@head:-1")));
    }
    v
}

#[test]
#[ignore = "needs the Alembic oracle (.venv); scripts/dev.sh test runs it"]
fn offline_plans_match_alembic() {
    let py = support::oracle_python();
    let tmp = std::env::temp_dir().join(format!("alembic-planner-plans-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let mut jobs: Vec<Job> = Vec::new();
    let sample = support::repo_root().join("migrations-sample");
    for (cmd, range) in [
        ("upgrade", "heads"),
        ("upgrade", "reporting@head"),
        ("upgrade", "9d1f3b5a7c2e"),
        ("upgrade", "4d6f8a0b2c3e:71c3e5a9b0d2"),
        ("upgrade", "e3f5:+3"),
        ("upgrade", "base:heads"),
        ("upgrade", "head"),
        ("downgrade", "08a2c4e6f8b0:2a4c6e8b0d1f"),
        ("downgrade", "71c3e5a9b0d2:4d6f8a0b2c3e"),
        ("downgrade", "9d1f3b5a7c2e:-3"),
        ("downgrade", "71c3e5a9b0d2:base"),
    ] {
        // the sample's env.py is the stock one: PostgreSQL, one transaction
        jobs.push(job(&sample, "postgresql", false, cmd, range));
    }
    let seed_base: u64 = std::env::var("ALEMBIC_PLANNER_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261121);
    let mut projects = 0;
    for k in 0..40u64 {
        let seed = seed_base.wrapping_add(1000 + k);
        let mut rng = Rng::new(seed);
        let n = if k % 8 == 0 {
            80 + rng.below(120)
        } else {
            4 + rng.below(30)
        };
        let p = generator::generate(seed, n);
        let dir = tmp.join(format!("p{k:03}_seed{seed}"));
        generator::write(&p, &dir, seed);
        for (i, (cmd, range)) in ranges(&p, &mut rng).into_iter().enumerate() {
            let dialect = if i % 3 == 0 {
                DIALECTS[(k as usize + i) % 4]
            } else {
                "postgresql"
            };
            let tpm = (i + k as usize).is_multiple_of(5);
            jobs.push(job(&dir, dialect, tpm, cmd, &range));
        }
        projects += 1;
    }
    let oracle_jobs: Vec<(PathBuf, Vec<String>)> = jobs
        .iter()
        .map(|j| (j.dir.clone(), j.alembic.clone()))
        .collect();
    let expected = run_oracle(&py, &oracle_jobs);
    let mut mismatches = Vec::new();
    let mut steps_seen = 0usize;
    for (j, want) in jobs.iter().zip(&expected) {
        let got: Run = run_planner_raw(&j.dir, &j.planner);
        let (w, g) = (want.stdout.clone(), got.stdout.clone());
        steps_seen += w.matches("-- Running ").count();
        if w != g || want.status != got.status {
            mismatches.push(format!(
                "{} $ alembic {}\n  alembic exit {}, planner exit {}\n{}",
                j.dir.display(),
                j.alembic.join(" "),
                want.status,
                got.status,
                first_difference(&w, &g)
            ));
        }
    }
    println!(
        "plans: compared {} offline scripts ({} on the sample, {projects} generated projects, {steps_seen} steps); {} mismatches",
        jobs.len(),
        11,
        mismatches.len()
    );
    if mismatches.is_empty() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} scripts differ from Alembic:\n{}",
        mismatches.len(),
        jobs.len(),
        mismatches
            .iter()
            .take(12)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
