//! The CI integration, run locally on a git repository with diverging branches: the
//! GitHub Action's script (`scripts/review-comment.sh`, which `action.yml` runs) with a
//! stand-in `gh` that records the API calls, and the pre-commit hooks of
//! `.pre-commit-hooks.yaml`, each entry run as pre-commit runs it (from the repository's
//! root, no file names).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{diverging_repo, git, repo_root};

/// A `gh` that appends its arguments to `$GH_LOG` (arguments split by US, calls by RS) and answers the
/// comment listing with `$GH_EXISTING` (a comment id, or nothing).
fn fake_gh(dir: &Path) -> PathBuf {
    let bin = dir.join("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let gh = bin.join("gh");
    std::fs::write(
        &gh,
        "#!/usr/bin/env bash\nprintf '%s\\x1f' \"$@\" >> \"$GH_LOG\"\nprintf '\\x1e' >> \"$GH_LOG\"\ncase \"$*\" in *--paginate*) [ -n \"${GH_EXISTING:-}\" ] && echo \"$GH_EXISTING\";; esac\nexit 0\n",
    )
    .unwrap();
    Command::new("chmod").arg("+x").arg(&gh).status().unwrap();
    bin
}

struct ActionRun {
    status: i32,
    stdout: String,
    calls: Vec<Vec<String>>,
    summary: String,
}

fn run_action(repo: &Path, existing: Option<&str>) -> ActionRun {
    let bin = fake_gh(repo);
    let log = repo.join("gh.log");
    let summary = repo.join("summary.md");
    let _ = std::fs::remove_file(&log);
    let _ = std::fs::remove_file(&summary);
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .arg(repo_root().join("scripts/review-comment.sh"))
        .current_dir(repo)
        .env("PATH", path)
        .env("ALEMBIC_PLANNER", env!("CARGO_BIN_EXE_alembic-planner"))
        .env("REVIEW_BASE", "main")
        .env("GITHUB_REPOSITORY", "acme/shop")
        .env("PR_NUMBER", "7")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GH_LOG", &log)
        .env("GH_EXISTING", existing.unwrap_or(""))
        .output()
        .expect("run the Action's script with bash");
    let calls = std::fs::read_to_string(&log)
        .unwrap_or_default()
        .split('\x1e')
        .filter(|l| !l.is_empty())
        .map(|l| {
            l.split('\x1f')
                .filter(|a| !a.is_empty())
                .map(String::from)
                .collect()
        })
        .collect();
    ActionRun {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        calls,
        summary: std::fs::read_to_string(&summary).unwrap_or_default(),
    }
}

#[test]
fn the_action_posts_then_updates_one_comment_and_fails_the_check() {
    let repo = diverging_repo("action");
    git(&repo, &["checkout", "-q", "feature"]);
    // first run: no comment yet, one is posted
    let first = run_action(&repo, None);
    assert_eq!(first.status, 1, "{}", first.stdout);
    assert!(
        first
            .stdout
            .contains("::error title=alembic-planner: several heads after the merge::"),
        "{}",
        first.stdout
    );
    assert!(first.summary.starts_with("<!-- alembic-planner review -->"));
    let post = first.calls.last().expect("gh called");
    assert_eq!(
        post[..4],
        [
            "api",
            "--method",
            "POST",
            "repos/acme/shop/issues/7/comments"
        ]
    );
    assert!(post[5].starts_with("body=<!-- alembic-planner review -->\n### Migrations"));
    assert!(post[5].contains("accounts.status"));
    // second run: the marked comment exists, it is edited in place
    let second = run_action(&repo, Some("9001"));
    let patch = second.calls.last().expect("gh called");
    assert_eq!(
        patch[..4],
        [
            "api",
            "--method",
            "PATCH",
            "repos/acme/shop/issues/comments/9001"
        ]
    );
    assert_eq!(second.calls.len(), 2, "{:?}", second.calls);
    // a PR on top of the base's head passes
    git(&repo, &["checkout", "-q", "main"]);
    git(&repo, &["checkout", "-q", "-b", "on-top"]);
    let v = repo.join("app/migrations/versions");
    let a1 = std::fs::read_to_string(v.join("a1_accounts.py")).unwrap();
    std::fs::write(
        v.join("d4_notes.py"),
        a1.replace("revision = 'a1'", "revision = 'd4'")
            .replace("down_revision = None", "down_revision = 'b2'")
            .replace("'accounts'", "'notes'"),
    )
    .unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "d4"]);
    let ok = run_action(&repo, Some("9001"));
    assert_eq!(ok.status, 0, "{}", ok.stdout);
    let _ = std::fs::remove_dir_all(&repo);
}

/// The hooks' `entry` lines, by id.
fn hooks() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml")).unwrap();
    let mut out = Vec::new();
    let mut id = None;
    for line in text.lines() {
        if let Some(v) = line.strip_prefix("- id: ") {
            id = Some(v.trim().to_string());
        } else if let Some(v) = line.trim().strip_prefix("entry: ") {
            out.push((
                id.clone().expect("an entry belongs to a hook"),
                v.trim().to_string(),
            ));
        }
    }
    out
}

fn run_hook(repo: &Path, entry: &str) -> i32 {
    let mut words = entry.split_whitespace();
    assert_eq!(words.next(), Some("alembic-planner"), "{entry}");
    Command::new(env!("CARGO_BIN_EXE_alembic-planner"))
        .args(words)
        .current_dir(repo)
        .status()
        .unwrap()
        .code()
        .unwrap_or(-1)
}

#[test]
fn the_pre_commit_hooks_pass_on_one_head_and_fail_on_two() {
    let hooks = hooks();
    let ids: Vec<&str> = hooks.iter().map(|(i, _)| i.as_str()).collect();
    assert_eq!(
        ids,
        [
            "alembic-planner-single-head",
            "alembic-planner-check",
            "alembic-planner-lint"
        ]
    );
    let repo = diverging_repo("hooks");
    for (_, entry) in &hooks {
        assert_eq!(run_hook(&repo, entry), 0, "{entry} on main");
    }
    // main with the feature branch merged in: two heads
    git(&repo, &["merge", "-q", "--no-edit", "feature"]);
    let single = &hooks[0].1;
    assert_eq!(run_hook(&repo, single), 1, "{single} after the merge");
    // the merge revision the planner writes makes it pass again
    let merge = Command::new(env!("CARGO_BIN_EXE_alembic-planner"))
        .args(["merge", "-m", "merge status branches", "heads"])
        .current_dir(&repo)
        .status()
        .unwrap();
    assert!(merge.success());
    assert_eq!(
        run_hook(&repo, single),
        0,
        "{single} after alembic-planner merge heads"
    );
    let _ = std::fs::remove_dir_all(&repo);
}
