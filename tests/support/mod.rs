//! Shared test support: running the planner's CLI and the Alembic oracle on the same
//! project folders, normalising Alembic's documented hash-order effects, and generating
//! projects from a seed.
#![allow(dead_code)]

pub mod fuzzing;
pub mod generator;
pub mod hostile;
pub mod pg;
pub mod schemagen;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One command's observable result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub stdout: String,
    pub status: i32,
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `alembic-planner --strict ARGV` in `dir` (which holds an alembic.ini).
/// The files of a folder (not recursive) as `(name, text)` pairs.
pub fn read_dir_files(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    out
}

pub fn run_planner(dir: &Path, argv: &[String]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_alembic-planner"))
        .arg("--strict")
        .args(argv)
        .current_dir(dir)
        .output()
        .expect("run alembic-planner");
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        status: out.status.code().unwrap_or(-1),
    }
}

/// Why a test is `#[ignore]`d: it needs real Alembic (and for some, PostgreSQL), which
/// `scripts/dev.sh setup` installs; `scripts/dev.sh test` runs them with
/// `cargo test -- --include-ignored`, so a missing oracle fails CI instead of skipping.
pub const NEEDS_ORACLE: &str = "needs the Alembic oracle (.venv); scripts/dev.sh test runs it";

/// The Python interpreter of the oracle virtualenv (`ALEMBIC_PLANNER_PYTHON`, or `.venv`).
/// Panics when it is missing: a test that needs the oracle never passes without it.
pub fn oracle_python() -> PathBuf {
    let p = std::env::var_os("ALEMBIC_PLANNER_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(".venv/bin/python"));
    assert!(
        p.exists(),
        "this test needs the Alembic oracle, but {} does not exist (run scripts/dev.sh setup)",
        p.display()
    );
    p
}

/// One snapshot helper for every area: `actual` must equal the file at `path`;
/// `UPDATE_EXPECT=1` rewrites the file instead (expect-test's own convention), and the
/// rewrite shows up in review as a diff.
pub fn snapshot(path: &Path, actual: &str) {
    expect_test::expect_file![path].assert_eq(actual);
}

/// `actual` must equal an expectation recorded from real Alembic (`path`); unlike
/// [`snapshot`], never rewritten from the planner's own output.
pub fn check_recorded(path: &Path, actual: &str) -> Result<(), String> {
    let expected = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "{}: {e} (record it from Alembic with UPDATE_EXPECT=1)",
            path.display()
        )
    })?;
    if expected == actual {
        Ok(())
    } else {
        Err(format!(
            "{}: the planner differs from what Alembic printed\n{}",
            path.display(),
            first_difference(&expected, actual)
        ))
    }
}

/// Runs `alembic-planner ARGV` (no --strict added) in `dir`.
pub fn run_planner_raw(dir: &Path, argv: &[String]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_alembic-planner"))
        .args(argv)
        .current_dir(dir)
        .output()
        .expect("run alembic-planner");
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        status: out.status.code().unwrap_or(-1),
    }
}

/// Runs every job through real Alembic in one Python process.
pub fn run_oracle(python: &Path, jobs: &[(PathBuf, Vec<String>)]) -> Vec<Run> {
    let payload = serde_json::Value::Array(
        jobs.iter()
            .map(|(d, a)| serde_json::json!({"dir": d.to_string_lossy(), "argv": a}))
            .collect(),
    );
    let mut child = Command::new(python)
        .arg(repo_root().join("tests/oracle/alembic_oracle.py"))
        .env("PYTHONHASHSEED", "0")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the Alembic oracle");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(payload.to_string().as_bytes()).unwrap();
    }
    let out = child.wait_with_output().expect("oracle output");
    assert!(out.status.success(), "the oracle failed");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("oracle JSON");
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| Run {
            stdout: r["stdout"].as_str().unwrap().to_string(),
            status: r["status"].as_i64().unwrap() as i32,
        })
        .collect()
}

fn sort_items(list: &str) -> String {
    let mut items: Vec<&str> = list.split(", ").collect();
    items.sort();
    items.join(", ")
}

/// Normalises only the orderings that follow Python's hash order in Alembic: comma lists
/// in parentheses (branch labels), `Branch names:` and `Branches into:` lines, the order
/// of the `-> child` lines of `branches`, and which of two revisions a duplicate-label
/// error names first. Paths under `dir` become `<DIR>`.
pub fn normalize(text: &str, dir: &Path) -> String {
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let text = text.replace(&*dir.to_string_lossy(), "<DIR>");
    let mut lines: Vec<String> = Vec::new();
    for line in text.split('\n') {
        let mut l = line.to_string();
        // Which of two revisions sharing a label is named first follows set order.
        if let Some(rest) = line.strip_prefix("FAILED: Branch name '") {
            if let Some((label, tail)) = rest.split_once("' in revision ") {
                if let Some((a, b)) = tail.split_once(" already used by revision ") {
                    let (x, y) = if a <= b { (a, b) } else { (b, a) };
                    l = format!("FAILED: Branch name '{label}' in revision {x} already used by revision {y}");
                }
            }
        }
        for prefix in ["Branch names: ", "Branches into: "] {
            if let Some(rest) = line.strip_prefix(prefix) {
                l = format!("{prefix}{}", sort_items(rest));
            }
        }
        // parenthesised comma lists
        let mut out = String::new();
        let mut rest = l.as_str();
        while let Some(open) = rest.find('(') {
            match rest[open..].find(')') {
                Some(close) => {
                    let inner = &rest[open + 1..open + close];
                    out.push_str(&rest[..open + 1]);
                    if inner.contains(", ") && !inner.contains('(') {
                        out.push_str(&sort_items(inner));
                    } else {
                        out.push_str(inner);
                    }
                    out.push(')');
                    rest = &rest[open + close + 1..];
                }
                None => break,
            }
        }
        out.push_str(rest);
        lines.push(out);
    }
    // sort the `   -> child` entries of `branches` (an entry may run over several lines
    // when a revision's message is several lines long)
    let mut i = 0;
    let mut out: Vec<String> = Vec::new();
    while i < lines.len() {
        if lines[i].trim_start().starts_with("-> ") {
            let mut groups: Vec<Vec<String>> = Vec::new();
            while i < lines.len() && !lines[i].is_empty() {
                if lines[i].trim_start().starts_with("-> ") || groups.is_empty() {
                    groups.push(Vec::new());
                }
                groups.last_mut().unwrap().push(lines[i].clone());
                i += 1;
            }
            groups.sort();
            out.extend(groups.into_iter().flatten());
        } else {
            out.push(lines[i].clone());
            i += 1;
        }
    }
    let lines = out;
    lines.join("\n")
}

/// Renders runs as an expectation file: `$ argv` then stdout, then `[exit N]` if non-zero.
pub fn render(cases: &[(Vec<String>, Run)], dir: &Path) -> String {
    let mut s = String::new();
    for (argv, run) in cases {
        s.push_str(&format!("$ {}\n", argv.join(" ")));
        s.push_str(&normalize(&run.stdout, dir));
        if !run.stdout.is_empty() && !run.stdout.ends_with('\n') {
            s.push('\n');
        }
        if run.status != 0 {
            s.push_str(&format!("[exit {}]\n", run.status));
        }
    }
    s
}

/// The planner's global options as Alembic spells them for the fixtures' env.py.
pub fn alembic_argv(planner: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < planner.len() {
        match planner[i].as_str() {
            "--dialect" if i + 1 < planner.len() => {
                out.extend(["-x".to_string(), format!("url={}://", planner[i + 1])]);
                i += 2;
                continue;
            }
            "--transaction-per-migration" => out.extend(["-x".to_string(), "tpm=true".to_string()]),
            other => out.push(other.to_string()),
        }
        i += 1;
    }
    out
}

/// Splits a command line into words (no quoting needed in test command files).
pub fn words(line: &str) -> Vec<String> {
    line.split_whitespace().map(String::from).collect()
}

/// Where two texts first differ, with the command (`$ ...` line) it falls under.
pub fn first_difference(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    for i in 0..e.len().max(a.len()) {
        let (x, y) = (
            e.get(i).copied().unwrap_or("<end>"),
            a.get(i).copied().unwrap_or("<end>"),
        );
        if x != y {
            let ctx = e[..i.min(e.len())]
                .iter()
                .rev()
                .find(|l| l.starts_with("$ "))
                .copied()
                .unwrap_or("");
            return format!(
                "  at line {} (after `{ctx}`)\n  expected: {x}\n  actual:   {y}",
                i + 1
            );
        }
    }
    String::new()
}

/// How the planner's SQL for one revision compares with Alembic's (what the real-world
/// corpus and the never-silent test count).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fidelity {
    /// Byte for byte Alembic's, once the planner's notes are removed.
    Identical,
    /// Different (or maybe different), and the planner says so with a note.
    Annotated,
    /// Different with no note: the failure the planner must never have.
    Silent,
}

/// Splits rendered output (see [`render`]) into blocks: one per command (`$ ...`) and, in
/// it, one per migration (`-- Running upgrade a -> b`); keys name both.
fn blocks(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut command = String::new();
    for line in text.split_inclusive('\n') {
        if let Some(c) = line.strip_prefix("$ ") {
            command = c.trim_end().to_string();
            out.push((command.clone(), String::new()));
        } else if line.starts_with("-- Running ") {
            out.push((format!("{command} | {}", line.trim_end()), line.to_string()));
        } else if let Some((_, b)) = out.last_mut() {
            b.push_str(line);
        }
    }
    out
}

/// Each migration block of Alembic's output, classified against the planner's.
pub fn fidelity(planner: &str, alembic: &str) -> Vec<(String, Fidelity)> {
    let ours: std::collections::HashMap<String, String> = blocks(planner).into_iter().collect();
    blocks(alembic)
        .into_iter()
        .map(|(key, theirs)| {
            let mine = ours.get(&key).cloned().unwrap_or_default();
            (key, compare_statements(&mine, &theirs))
        })
        .collect()
}

/// A block's statements (split at blank lines), each marked when it is a planner note.
/// The indexes a `CREATE TABLE` creates come sorted: Alembic emits them from a Python set
/// of `Index` objects, whose order is not deterministic (ARCHITECTURE.md, "Hash order").
fn statements(block: &str) -> Vec<(String, bool)> {
    let parts: Vec<(String, bool)> = block
        .split("\n\n")
        .map(|s| s.trim_matches('\n'))
        .filter(|s| !s.is_empty())
        .map(|s| (s.to_string(), s.starts_with("-- alembic-planner:")))
        .collect();
    let is_index = |s: &str| s.starts_with("CREATE INDEX") || s.starts_with("CREATE UNIQUE INDEX");
    let mut out = Vec::with_capacity(parts.len());
    let mut k = 0;
    while k < parts.len() {
        out.push(parts[k].clone());
        // (a planner note about a `create_table` may stand where Alembic's CREATE TABLE is;
        // a note inside the run stays above the index statement after it)
        if parts[k].0.starts_with("CREATE TABLE")
            || (parts[k].1 && parts[k].0.contains("create_table"))
        {
            let start = k + 1;
            // (another table's note starts its own run)
            while k + 1 < parts.len()
                && (is_index(&parts[k + 1].0)
                    || (parts[k + 1].1 && !parts[k + 1].0.contains("create_table")))
            {
                k += 1;
            }
            // each note stays with the statement after it, the pairs sorted by statement
            let mut groups: Vec<Vec<(String, bool)>> = Vec::new();
            let mut pending: Vec<(String, bool)> = Vec::new();
            for p in &parts[start..k + 1] {
                pending.push(p.clone());
                if !p.1 {
                    groups.push(std::mem::take(&mut pending));
                }
            }
            groups.sort_by(|a, b| a.last().map(|x| &x.0).cmp(&b.last().map(|x| &x.0)));
            out.extend(groups.into_iter().flatten());
            out.extend(pending);
        }
        k += 1;
    }
    out
}

/// How many matched statements a note may stand above a difference it covers: an
/// operation prints a few statements, the first of which may come out identical.
const NOTE_REACH: usize = 3;

/// Compares one migration statement by statement: the planner's statements (notes left
/// out) are aligned with Alembic's (longest common subsequence); every stretch where they
/// differ must have a planner note inside it, or just above it (the note of an operation
/// whose first statements came out identical: at most [`NOTE_REACH`] matched statements
/// between), or the block is silently different. A note about one statement does not
/// cover a difference elsewhere in the same migration.
pub fn compare_statements(planner: &str, alembic: &str) -> Fidelity {
    let p = statements(planner);
    let a: Vec<String> = statements(alembic).into_iter().map(|(s, _)| s).collect();
    // positions in `p` of the planner's statements that are not notes
    let idx: Vec<usize> = (0..p.len()).filter(|&i| !p[i].1).collect();
    let (n, m) = (idx.len(), a.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if p[idx[i]].0 == a[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    // the alignment: which statements of `p` matched, and the differing stretches as
    // (first position in `p` after the last match, position of the next match)
    let mut matched = vec![false; p.len()];
    let mut stretches: Vec<(usize, usize)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    let mut from = 0usize;
    let mut open = false;
    while i < n || j < m {
        if i < n && j < m && p[idx[i]].0 == a[j] && lcs[i][j] == lcs[i + 1][j + 1] + 1 {
            if open {
                stretches.push((from, idx[i]));
                open = false;
            }
            matched[idx[i]] = true;
            from = idx[i] + 1;
            i += 1;
            j += 1;
        } else {
            open = true;
            if j < m && (i >= n || lcs[i][j + 1] >= lcs[i + 1][j]) {
                j += 1;
            } else {
                i += 1;
            }
        }
    }
    if open {
        stretches.push((from, p.len()));
    }
    let covered = |(from, to): (usize, usize)| {
        p[from..to].iter().any(|(_, note)| *note) || {
            // up through matched statements to a note
            let mut k = from;
            let mut seen = 0;
            loop {
                if k == 0 {
                    break false;
                }
                k -= 1;
                if p[k].1 {
                    break true;
                }
                if !matched[k] || seen == NOTE_REACH {
                    break false;
                }
                seen += 1;
            }
        }
    };
    match (stretches.is_empty(), stretches.iter().all(|s| covered(*s))) {
        (true, _) => Fidelity::Identical,
        (false, true) => Fidelity::Annotated,
        (false, false) => Fidelity::Silent,
    }
}

/// The fixture folders (each holding an `alembic.ini`) under `tests/fixtures/<area>`,
/// sorted.
pub fn fixture_dirs(area: &str) -> Vec<PathBuf> {
    let root = repo_root().join("tests/fixtures").join(area);
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("alembic.ini").exists())
        .collect();
    dirs.sort();
    dirs
}

/// `--dialect D upgrade base:heads --sql` and `--dialect D downgrade heads:base --sql`
/// for each dialect: a fixture's whole offline scripts.
pub fn whole_scripts(dialects: &[&str]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for d in dialects {
        for range in [["upgrade", "base:heads"], ["downgrade", "heads:base"]] {
            let mut argv = vec!["--dialect".to_string(), d.to_string()];
            argv.extend(range.iter().map(|s| s.to_string()));
            argv.push("--sql".into());
            out.push(argv);
        }
    }
    out
}

/// The planner's output for each command in `dir` (`run` is [`run_planner`] or
/// [`run_planner_raw`]), rendered as [`render`] does.
pub fn planner_renders(
    dir: &Path,
    commands: &[Vec<String>],
    run: fn(&Path, &[String]) -> Run,
) -> String {
    let cases: Vec<(Vec<String>, Run)> =
        commands.iter().map(|c| (c.clone(), run(dir, c))).collect();
    render(&cases, dir)
}

/// Real Alembic's output for every command (the planner's argv) in every folder, rendered
/// per folder as [`render`] does. One Python process per folder: a revision's `@compiles` hook changes SQLAlchemy for the
/// rest of the process, so a folder's recording must not see another folder's hooks.
pub fn alembic_renders(dirs: &[PathBuf], commands: &[Vec<String>]) -> Vec<String> {
    let py = oracle_python();
    dirs.iter()
        .map(|d| {
            let jobs: Vec<(PathBuf, Vec<String>)> = commands
                .iter()
                .map(|c| (d.clone(), alembic_argv(c)))
                .collect();
            let cases: Vec<(Vec<String>, Run)> = commands
                .iter()
                .cloned()
                .zip(run_oracle(&py, &jobs))
                .collect();
            render(&cases, d)
        })
        .collect()
}

/// Runs `git` in `dir`: tests build their repositories with the git command (the planner
/// reads them with gix, without one).
pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("this test builds a repository with the `git` command, which is missing");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A fresh git repository with diverging branches, from the `sibling_heads` review
/// fixture: `main` holds a1 then b2, `feature` a1 then c3 (both add `accounts.status`);
/// the versions folder is `app/migrations/versions`, named by `alembic.ini`; `main` is
/// checked out.
pub fn diverging_repo(tag: &str) -> PathBuf {
    let repo =
        std::env::temp_dir().join(format!("alembic-planner-git-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&repo);
    let versions = repo.join("app/migrations/versions");
    std::fs::create_dir_all(&versions).unwrap();
    std::fs::write(
        repo.join("alembic.ini"),
        "[alembic]\nscript_location = app/migrations\nsqlalchemy.url = postgresql://\n",
    )
    .unwrap();
    let fixture = repo_root().join("tests/fixtures/review/sibling_heads");
    let copy = |from: &str, name: &str| {
        std::fs::copy(fixture.join(from).join(name), versions.join(name)).unwrap();
    };
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["config", "user.email", "review@example.com"]);
    git(&repo, &["config", "user.name", "review"]);
    copy("base", "a1_accounts.py");
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "a1"]);
    git(&repo, &["checkout", "-q", "-b", "feature"]);
    copy("pr", "c3_account_status_as_a_number.py");
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "c3"]);
    git(&repo, &["checkout", "-q", "main"]);
    copy("base", "b2_account_status.py");
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "b2"]);
    repo
}
