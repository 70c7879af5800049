//! The linter end to end: fixture folders (`tests/fixtures/lint/<case>/`, each with its
//! `pyproject.toml` and `versions/`) linted by the CLI, the text compared with the case's
//! `expected.txt`; the other formats' shapes; the rules reference in `docs/rules/` kept
//! current; the SARIF validated against SARIF 2.1.0's typed models (sarif-pydantic).

mod support;

use std::path::Path;

use alembic_planner::lint::RULES;
use alembic_planner::present::lint::{rule_page, rules_index};
use support::{repo_root, run_planner_raw, snapshot};

fn cases() -> Vec<std::path::PathBuf> {
    let root = repo_root().join("tests/fixtures/lint");
    let mut v: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("versions").is_dir())
        .collect();
    v.sort();
    v
}

fn argv(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

/// `lint` in the case's folder: stdout with the folder's absolute path taken out, and the
/// exit status.
fn lint(dir: &Path, extra: &[&str]) -> (String, i32) {
    let mut a = argv(&["--versions", "versions", "lint"]);
    a.extend(argv(extra));
    let run = run_planner_raw(dir, &a);
    let prefix = format!("{}/", dir.canonicalize().unwrap().display());
    (run.stdout.replace(&prefix, ""), run.status)
}

/// One check for the area: each case's text output and status against `expected.txt`.
#[test]
fn lint_fixtures() {
    let all = cases();
    assert!(all.len() >= 2, "no lint fixtures found");
    for dir in all {
        let (out, status) = lint(&dir, &[]);
        snapshot(
            &dir.join("expected.txt"),
            &format!("{out}status {status}\n"),
        );
    }
}

#[test]
fn formats_carry_the_same_findings() {
    let dir = repo_root().join("tests/fixtures/lint/schema_aware");
    let (text, status) = lint(&dir, &[]);
    assert_eq!(status, 1, "error-level findings make the status 1");
    let n = text.lines().count() - 1;
    let (json, _) = lint(&dir, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["findings"].as_array().unwrap().len(), n);
    assert_eq!(v["findings"][0]["rule"], "adding-required-field");
    let (gh, _) = lint(&dir, &["--format", "github"]);
    assert_eq!(gh.lines().count(), n);
    assert!(gh.lines().any(|l| l.starts_with(
        "::error file=versions/2b_plans.py,line=14,col=5,title=adding-required-field::"
    )));
    let (md, _) = lint(&dir, &["--format", "markdown"]);
    assert!(md.starts_with("### alembic-planner lint\n"));
    assert_eq!(
        md.lines()
            .filter(|l| l.starts_with("| ") && !l.starts_with("| Line"))
            .count(),
        n
    );
    // the command line narrows the file's configuration
    let (only, status) = lint(&dir, &["--select", "empty-migration"]);
    assert_eq!(status, 0);
    assert!(only.contains("[empty-migration]") && !only.contains("[renaming-column]"));
    let (_, status) = lint(&dir, &["--ignore", "no-such-rule"]);
    assert_eq!(status, 2, "an unknown rule id is refused");
}

#[test]
fn explain_prints_a_rule_or_a_diagnostic() {
    let root = repo_root();
    let run = run_planner_raw(&root, &argv(&["lint", "--explain", "renaming-table"]));
    assert_eq!(run.status, 0);
    assert!(run.stdout.starts_with("# renaming-table\n"));
    let run = run_planner_raw(&root, &argv(&["lint", "--explain", "fk-missing-table"]));
    assert!(run.stdout.contains("foreign key points to a table"));
    let run = run_planner_raw(&root, &argv(&["lint", "--explain", "nope"]));
    assert_eq!(run.status, 2);
    let run = run_planner_raw(&root, &argv(&["lint", "--list-rules"]));
    assert_eq!(run.stdout.lines().count(), RULES.len());
}

/// `docs/rules/` is generated from the rules' docs: one page per rule and an index.
/// `UPDATE_EXPECT=1` rewrites it.
#[test]
fn rules_reference_is_current() {
    let dir = repo_root().join("docs/rules");
    snapshot(&dir.join("README.md"), &rules_index());
    let mut expected: Vec<String> = vec!["README.md".into()];
    for r in RULES {
        let name = format!("{}.md", r.id);
        snapshot(&dir.join(&name), &rule_page(r));
        expected.push(name);
    }
    expected.sort();
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(
        found, expected,
        "docs/rules/ has pages of rules that do not exist"
    );
}

/// SARIF 2.1.0: validated by sarif-pydantic's models of the standard, and checked here
/// for what GitHub code scanning needs (rules listed, indexes right, regions 1-based).
#[test]
#[ignore = "needs the oracle virtualenv (.venv, with sarif-pydantic); scripts/dev.sh test runs it"]
fn sarif_is_valid() {
    let dir = repo_root().join("tests/fixtures/lint/schema_aware");
    let (sarif, _) = lint(&dir, &["--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
    }
    let python = support::oracle_python();
    let path = std::env::temp_dir().join(format!("alembic-planner-{}.sarif", std::process::id()));
    std::fs::write(&path, &sarif).unwrap();
    let out = std::process::Command::new(python)
        .arg("-c")
        .arg("import sys, sarif_pydantic; s = sarif_pydantic.Sarif.model_validate_json(open(sys.argv[1]).read()); print(len(s.runs[0].results))")
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "sarif-pydantic rejects the SARIF: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        results.len().to_string()
    );
}
