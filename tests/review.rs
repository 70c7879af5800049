//! Pull-request review and `merge`. Each folder under `tests/fixtures/review/` holds a base
//! branch's versions folder (`base/`) and a PR's (`pr/`); `expected.txt` is the review as
//! text and `expected.md` as the PR comment (the merge file's `Create Date` line blanked),
//! each with the exit status. `merge` is checked against real `alembic merge`: the file it
//! writes, byte for byte but the `Create Date` line, with Alembic's default template and
//! with a project's own (`_template/script.py.mako`), and Alembic's refusals.

mod support;

use std::path::{Path, PathBuf};

use support::{
    diverging_repo, git, oracle_python, repo_root, run_oracle, run_planner_raw, snapshot,
};

fn cases() -> Vec<PathBuf> {
    let root = repo_root().join("tests/fixtures/review");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("base").is_dir() && p.join("pr").is_dir())
        .collect();
    v.sort();
    v
}

/// The `Create Date` line of a rendered template holds the clock: blanked.
fn without_dates(s: &str) -> String {
    s.lines()
        .map(|l| {
            if l.starts_with("Create Date:") {
                "Create Date: <now>"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn review(case: &Path, format: &str) -> String {
    let argv: Vec<String> = [
        "--versions",
        "pr",
        "review",
        "--base",
        "base",
        "--merge-rev-id",
        "0f0f0f0f0f0f",
        "--format",
        format,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let run = run_planner_raw(case, &argv);
    format!(
        "{}\n$ status {}\n",
        without_dates(&run.stdout).trim_end(),
        run.status
    )
}

#[test]
fn reviews_match_expected() {
    let cases = cases();
    assert!(cases.len() >= 4, "review fixtures: {cases:?}");
    for c in &cases {
        snapshot(&c.join("expected.txt"), &review(c, "text"));
        snapshot(&c.join("expected.md"), &review(c, "markdown"));
    }
}

#[test]
fn the_json_names_what_a_ci_job_reads() {
    let case = repo_root().join("tests/fixtures/review/sibling_heads");
    let out = review(&case, "json");
    let json = out.split("\n$ status").next().unwrap();
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(v["added"], serde_json::json!(["c3"]));
    assert_eq!(v["heads_after"], serde_json::json!(["b2", "c3"]));
    assert_eq!(v["removed"], serde_json::json!([]));
    assert_eq!(v["fork_points"], serde_json::json!(["a1"]));
    assert_eq!(v["modified"], serde_json::json!([]));
    assert_eq!(v["conflicts"][0]["object"], "accounts.status");
    assert_eq!(v["conflicts"][0]["pr"]["revision"], "c3");
    assert_eq!(v["conflicts"][0]["base"]["revision"], "b2");
    assert_eq!(v["blocking"], true);
    assert!(out.ends_with("$ status 1\n"));
    let gh = review(&case, "github");
    assert!(
        gh.starts_with("::error title=alembic-planner: several heads after the merge::"),
        "{gh}"
    );
    assert!(gh.contains("::warning file="), "{gh}");
}

/// A temporary Alembic project: `scripts/` (the script directory, with `template` as its
/// `script.py.mako` when given) and `scripts/versions/` holding `versions`' files.
fn project(versions: &Path, template: Option<&str>, tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "alembic-planner-merge-{}-{tag}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let scripts = dir.join("scripts");
    std::fs::create_dir_all(scripts.join("versions")).unwrap();
    for e in std::fs::read_dir(versions).unwrap().flatten() {
        std::fs::copy(e.path(), scripts.join("versions").join(e.file_name())).unwrap();
    }
    std::fs::copy(
        repo_root().join("tests/fixtures/graph/_env/env.py"),
        scripts.join("env.py"),
    )
    .unwrap();
    let default = repo_root().join("src/review/default_script.py.mako");
    let t = template
        .map(String::from)
        .unwrap_or_else(|| std::fs::read_to_string(default).unwrap());
    std::fs::write(scripts.join("script.py.mako"), t).unwrap();
    std::fs::write(
        dir.join("alembic.ini"),
        "[alembic]\nscript_location = %(here)s/scripts\npath_separator = os\nsqlalchemy.url = postgresql://\n",
    )
    .unwrap();
    dir
}

/// The one file `merge` added to the project's versions folder, by name.
fn written(dir: &Path, before: &[String]) -> Option<(String, String)> {
    std::fs::read_dir(dir.join("scripts/versions"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| !before.contains(n) && n.ends_with(".py"))
        .map(|n| {
            let text = std::fs::read_to_string(dir.join("scripts/versions").join(&n)).unwrap();
            (n, without_dates(&text))
        })
}

#[test]
#[ignore = "needs the Alembic oracle (.venv); scripts/dev.sh test runs it"]
fn merge_writes_what_alembic_merge_writes() {
    let python = oracle_python();
    let own =
        std::fs::read_to_string(repo_root().join("tests/fixtures/review/_template/script.py.mako"))
            .unwrap();
    let versions = repo_root().join("tests/fixtures/review/sibling_heads/pr");
    let base = repo_root().join("tests/fixtures/review/sibling_heads/base");
    // the base's b2 beside the PR's c3: two heads to merge
    let two_heads =
        std::env::temp_dir().join(format!("alembic-planner-two-heads-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&two_heads);
    std::fs::create_dir_all(&two_heads).unwrap();
    for d in [&versions, &base] {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            std::fs::copy(e.path(), two_heads.join(e.file_name())).unwrap();
        }
    }
    // the merged history's heads, as the review computes them, are real Alembic's
    let merged = project(&two_heads, None, "heads");
    let heads = run_oracle(&python, &[(merged.clone(), vec!["heads".to_string()])]).remove(0);
    let mut alembic_heads: Vec<String> = heads
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .collect();
    alembic_heads.sort();
    let json = review(
        &repo_root().join("tests/fixtures/review/sibling_heads"),
        "json",
    );
    let v: serde_json::Value =
        serde_json::from_str(json.split("\n$ status").next().unwrap()).unwrap();
    let mut ours: Vec<String> = v["heads_after"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap().to_string())
        .collect();
    ours.sort();
    assert_eq!(
        ours, alembic_heads,
        "heads of the merged history: {}",
        heads.stdout
    );
    let _ = std::fs::remove_dir_all(&merged);
    let commands: Vec<Vec<&str>> = vec![
        vec!["merge", "--rev-id", "aa11bb22cc33", "heads"],
        vec![
            "merge",
            "--rev-id",
            "aa11bb22cc34",
            "-m",
            "Merge the status branches, finally (ticket #42)",
            "heads",
        ],
        vec![
            "merge",
            "--rev-id",
            "aa11bb22cc35",
            "-m",
            "join",
            "--branch-label",
            "accounts",
            "c3",
            "b2",
        ],
        vec![
            "merge",
            "--rev-id",
            "aa11bb22cc36",
            "-m",
            "a very long message that goes well past the forty characters of a slug",
            "b2",
            "c3",
        ],
        vec!["merge", "--rev-id", "bad-id", "heads"],
        vec!["merge", "--rev-id", "aa11bb22cc37", "b2", "b2"],
        vec!["merge", "--rev-id", "aa11bb22cc38", "a1", "b2"],
        vec!["merge", "--rev-id", "aa11bb22cc39", "zz9"],
    ];
    let mut failures = Vec::new();
    for (t, template) in [("default", None), ("own", Some(own.as_str()))] {
        for (k, argv) in commands.iter().enumerate() {
            let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
            let theirs_dir = project(&two_heads, template, &format!("{t}-{k}-alembic"));
            let ours_dir = project(&two_heads, template, &format!("{t}-{k}-planner"));
            let before: Vec<String> = std::fs::read_dir(theirs_dir.join("scripts/versions"))
                .unwrap()
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            let theirs = run_oracle(&python, &[(theirs_dir.clone(), argv.clone())]).remove(0);
            let ours = run_planner_raw(&ours_dir, &argv);
            let (tf, of) = (written(&theirs_dir, &before), written(&ours_dir, &before));
            let strip = |s: &str, d: &Path| {
                s.replace(&d.canonicalize().unwrap().display().to_string(), "<dir>")
            };
            let (ts, os) = (
                strip(&theirs.stdout, &theirs_dir),
                strip(&ours.stdout, &ours_dir),
            );
            if tf != of || ts != os || theirs.status != ours.status {
                failures.push(format!(
                    "{t} template, `{}`:\n  alembic ({}): {ts:?} {tf:?}\n  planner ({}): {os:?} {of:?}",
                    argv.join(" "),
                    theirs.status,
                    ours.status
                ));
            }
            let _ = std::fs::remove_dir_all(&theirs_dir);
            let _ = std::fs::remove_dir_all(&ours_dir);
        }
    }
    let _ = std::fs::remove_dir_all(&two_heads);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// `--base main` is read from the repository's objects at the versions folder's path, and
/// the fork point tells a revision the PR deleted from one the base added since.
#[test]
fn git_revisions_and_the_fork_point() {
    let repo = diverging_repo("review");
    let review = |args: &[&str]| -> serde_json::Value {
        let mut argv: Vec<String> = [
            "--versions",
            "app/migrations/versions",
            "review",
            "--format",
            "json",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        argv.extend(args.iter().map(|s| s.to_string()));
        let run = run_planner_raw(&repo, &argv);
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
    };
    // the PR (feature) against main, both read from git while main is checked out
    let v = review(&["--base", "main", "--head", "feature"]);
    assert_eq!(v["added"], serde_json::json!(["c3"]));
    assert_eq!(v["base_since_fork"], serde_json::json!(["b2"]));
    assert_eq!(v["heads_after"], serde_json::json!(["b2", "c3"]));
    // main rewrites a1 after the fork: the fork point says the base edited it, not the PR
    git(&repo, &["checkout", "-q", "main"]);
    let a1 = repo.join("app/migrations/versions/a1_accounts.py");
    let text = std::fs::read_to_string(&a1).unwrap();
    std::fs::write(&a1, text.replace("sa.String(200)", "sa.String(320)")).unwrap();
    git(&repo, &["commit", "-qam", "wider emails"]);
    let v = review(&["--base", "main", "--head", "feature"]);
    assert_eq!(v["modified"][0]["revision"], "a1");
    assert_eq!(v["modified"][0]["edited_by"], "base");
    assert!(
        !v["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["kind"] == "edited-base-revision"),
        "{v}"
    );
    // a PR that deletes main's head: only the fork point can tell
    git(&repo, &["checkout", "-q", "-b", "drop-b2"]);
    git(
        &repo,
        &["rm", "-q", "app/migrations/versions/b2_account_status.py"],
    );
    git(&repo, &["commit", "-qm", "drop b2"]);
    let v = review(&["--base", "main"]);
    assert_eq!(v["removed"], serde_json::json!(["b2"]));
    assert_eq!(v["problems"][0]["kind"], "removed-base-revision");
    assert_eq!(v["blocking"], true);
    let _ = std::fs::remove_dir_all(&repo);
}
