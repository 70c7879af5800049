//! The revision graph against Alembic: hand-made fixtures checked against their expected
//! text (recorded from real Alembic), and differential runs against live Alembic on the
//! fixtures, the sample and seeded generated projects.

mod support;

use std::path::{Path, PathBuf};

use support::generator::{self, Rng};
use support::{first_difference, normalize, render, run_oracle, run_planner, words, Run};

/// Commands every graph fixture runs.
const COMMON: &[&str] = &[
    "history",
    "history --verbose",
    "heads",
    "heads --verbose",
    "heads --resolve-dependencies",
    "branches",
    "branches --verbose",
    "show heads",
    "show head",
    "history -r base:heads",
    "history -r abc",
];

fn fixture_dirs() -> Vec<PathBuf> {
    support::fixture_dirs("graph")
}

/// Each fixture also has an offline env.py (`-x url=...` picks the dialect) so plan
/// commands in `commands.txt` run in both Alembic and the planner.
fn fixture_commands(dir: &Path) -> Vec<Vec<String>> {
    let mut cmds: Vec<Vec<String>> = COMMON.iter().map(|c| words(c)).collect();
    if let Ok(extra) = std::fs::read_to_string(dir.join("commands.txt")) {
        cmds.extend(
            extra
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .map(words),
        );
    }
    cmds
}

/// `check` for graph fixtures: the planner's output equals `expected.txt`, recorded from
/// real Alembic (`UPDATE_EXPECT=1` records it again).
fn check_fixture(dir: &Path) -> Result<(), String> {
    let cmds = fixture_commands(dir);
    let expected_path = dir.join("expected.txt");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        let py = support::oracle_python();
        let jobs: Vec<(PathBuf, Vec<String>)> = cmds
            .iter()
            .map(|c| (dir.to_path_buf(), support::alembic_argv(c)))
            .collect();
        let runs = run_oracle(&py, &jobs);
        let cases: Vec<(Vec<String>, Run)> = cmds.iter().cloned().zip(runs).collect();
        std::fs::write(&expected_path, render(&cases, dir)).unwrap();
    }
    let cases: Vec<(Vec<String>, Run)> = cmds
        .iter()
        .map(|c| (c.clone(), run_planner(dir, c)))
        .collect();
    support::check_recorded(&expected_path, &render(&cases, dir))
}

#[test]
fn graph_fixtures_match_expected() {
    let failures: Vec<String> = fixture_dirs()
        .iter()
        .filter_map(|d| check_fixture(d).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Commands for a generated project, drawn from its revisions.
fn generated_commands(p: &generator::GenProject, rng: &mut Rng) -> Vec<Vec<String>> {
    let mut cmds: Vec<Vec<String>> = [
        "history",
        "history --verbose",
        "heads",
        "heads --verbose",
        "heads --resolve-dependencies",
        "branches",
        "branches --verbose",
        "show heads",
    ]
    .iter()
    .map(|c| words(c))
    .collect();
    let pick = |rng: &mut Rng| p.revs[rng.below(p.revs.len())].id.clone();
    for _ in 0..3 {
        let a = pick(rng);
        let b = pick(rng);
        cmds.push(vec!["history".into(), "-r".into(), format!("{a}:{b}")]);
    }
    let a = pick(rng);
    cmds.push(vec!["history".into(), "-r".into(), format!("{}:", &a[..6])]);
    let b = pick(rng);
    cmds.push(vec!["history".into(), "-r".into(), format!(":{b}")]);
    let c = pick(rng);
    cmds.push(vec!["history".into(), "-r".into(), format!("{c}:+2")]);
    cmds.push(vec!["history".into(), "-r".into(), format!("-1:{c}")]);
    cmds.push(vec!["show".into(), pick(rng)]);
    cmds.push(vec!["show".into(), pick(rng)[..5].to_string()]);
    if let Some(l) = p
        .revs
        .iter()
        .flat_map(|r| r.labels.iter())
        .nth(rng.below(3))
    {
        cmds.push(vec!["show".into(), format!("{l}@head")]);
        cmds.push(vec![
            "history".into(),
            "-r".into(),
            format!("{l}@base:{l}@head"),
        ]);
    }
    cmds
}

#[test]
#[ignore = "needs the Alembic oracle (.venv); scripts/dev.sh test runs it"]
fn differential_against_alembic() {
    let py = support::oracle_python();
    let tmp = std::env::temp_dir().join(format!("alembic-planner-diff-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let mut jobs: Vec<(PathBuf, Vec<String>)> = Vec::new();
    for d in fixture_dirs() {
        for c in fixture_commands(&d) {
            jobs.push((d.clone(), c));
        }
        // (planner argv; Alembic's argv is derived by `alembic_argv`)
    }
    let sample = support::repo_root().join("migrations-sample");
    for c in COMMON.iter().map(|c| words(c)).chain(
        [
            "show 71c3",
            "history -r 4d6f8a0b2c3e:71c3e5a9b0d2",
            "history -r reporting@base:reporting@head",
            "show reporting@head",
            "history -r 93b5:+2",
            "history -r :-3",
        ]
        .iter()
        .map(|c| words(c)),
    ) {
        jobs.push((sample.clone(), c));
    }
    // Seeded generated projects: 60 per run, 5 to 500 revisions.
    let seed_base: u64 = std::env::var("ALEMBIC_PLANNER_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261121);
    let mut projects = 0;
    let mut revisions = 0;
    for k in 0..60u64 {
        let seed = seed_base.wrapping_add(k);
        let mut rng = Rng::new(seed);
        let n = match k % 10 {
            0 => 300 + rng.below(201),
            1 | 2 => 60 + rng.below(140),
            _ => 5 + rng.below(50),
        };
        let p = generator::generate(seed, n);
        let dir = tmp.join(format!("p{k:03}_seed{seed}"));
        generator::write(&p, &dir, seed);
        for c in generated_commands(&p, &mut rng) {
            jobs.push((dir.clone(), c));
        }
        projects += 1;
        revisions += n;
    }
    let oracle_jobs: Vec<(PathBuf, Vec<String>)> = jobs
        .iter()
        .map(|(d, a)| (d.clone(), support::alembic_argv(a)))
        .collect();
    let expected = run_oracle(&py, &oracle_jobs);
    let mut mismatches = Vec::new();
    for ((dir, argv), want) in jobs.iter().zip(&expected) {
        let got = run_planner(dir, argv);
        let (w, g) = (normalize(&want.stdout, dir), normalize(&got.stdout, dir));
        if w != g || want.status != got.status {
            mismatches.push(format!(
                "{} $ {}\n  alembic (exit {}), planner (exit {})\n{}",
                dir.display(),
                argv.join(" "),
                want.status,
                got.status,
                first_difference(&w, &g)
            ));
        }
    }
    println!(
        "differential: compared {} outputs ({} fixtures, the sample, {projects} generated projects with {revisions} revisions); {} mismatches",
        jobs.len(),
        fixture_dirs().len(),
        mismatches.len()
    );
    if mismatches.is_empty() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} outputs differ from Alembic:\n{}",
        mismatches.len(),
        jobs.len(),
        mismatches
            .iter()
            .take(15)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// `check` for diagnostics: `alembic-planner check` on each fixture equals `diagnostics.txt`
/// (the planner's own output, reviewed in diffs; `UPDATE_EXPECT=1` rewrites it).
#[test]
fn diagnostics_match_expected() {
    for dir in fixture_dirs() {
        let run = run_planner(&dir, &words("--versions versions check"));
        support::snapshot(&dir.join("diagnostics.txt"), &normalize(&run.stdout, &dir));
    }
}

/// "Which candidates are ancestors of these heads" answered through the first-parent
/// tree's intervals where it can, walked otherwise: the same as walking every time, on
/// generated histories (branches, merges, `depends_on`) and on one with a cycle.
#[test]
fn ancestry_answers_as_a_walk_does() {
    use alembic_planner::Project;
    let walked =
        |p: &Project, h: usize, c: usize| p.map.related(&[h], |r| r.normalized_down()).contains(&c);
    let mut projects: Vec<Project> = (0..6u64)
        .map(|seed| {
            let g = generator::generate(100 + seed, 70);
            Project::from_texts(&generator::render_files(&g, seed))
        })
        .collect();
    let rev = |id: &str, down: &str| {
        (
            format!("{id}.py"),
            format!("revision = '{id}'\ndown_revision = {down}\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n"),
        )
    };
    projects.push(Project::from_texts(&[
        rev("a", "None"),
        rev("b", "'a'"),
        rev("c", "('b', 'e')"),
        rev("d", "'c'"),
        rev("e", "'d'"),
        rev("f", "'b'"),
    ]));
    let mut checked = 0;
    for p in &projects {
        let n = p.map.len();
        for h in 0..n {
            let all: Vec<usize> = (0..n).collect();
            let fast = p.map.ancestors_among(&[h], &all);
            for (c, &ancestor) in fast.iter().enumerate() {
                assert_eq!(
                    ancestor,
                    walked(p, h, c),
                    "is {} an ancestor of {}?",
                    p.map.rev(c).id,
                    p.map.rev(h).id
                );
                assert_eq!(p.map.ancestors_among(&[h], &[c])[0], ancestor);
                checked += 1;
            }
        }
    }
    assert!(checked > 25_000, "{checked}");
}
