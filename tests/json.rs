//! The JSON the CLI prints is the core's report types serialised (`present::report`), one
//! schema for every command. Each `--format json` output of the sample is kept as a
//! snapshot (`tests/fixtures/json/`, `UPDATE_EXPECT=1` rewrites), and its shape is checked
//! key by key against the schema the README documents.

mod support;

use serde_json::Value;

fn sample_json(args: &str) -> Value {
    let dir = support::repo_root().join("migrations-sample");
    let run = support::run_planner_raw(&dir, &support::words(args));
    assert_eq!(run.status, 0, "{args}: {}", run.stdout);
    let name = args
        .split_whitespace()
        .take_while(|w| !w.starts_with("--"))
        .collect::<Vec<_>>()
        .join("-")
        .replace(':', "-");
    support::snapshot(
        &support::repo_root().join(format!("tests/fixtures/json/{name}.json")),
        &run.stdout,
    );
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{args}: not JSON: {e}"))
}

/// The keys of an object, sorted.
fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect();
    k.sort();
    k
}

#[test]
fn plan_json() {
    let v = sample_json("plan upgrade heads --format json");
    assert_eq!(keys(&v), ["alembic_failure", "end", "start", "steps"]);
    let steps = v["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 32);
    assert_eq!(
        keys(&steps[0]),
        [
            "destroys",
            "direction",
            "from",
            "message",
            "path",
            "revision",
            "to",
            "version_table"
        ]
    );
    assert_eq!(steps[0]["direction"], "upgrade");
    assert_eq!(steps[0]["version_table"][0]["op"], "insert");
    assert_eq!(steps[0]["destroys"], serde_json::json!([]));
    // a downgrade names what it drops, with the line
    let down = sample_json("plan downgrade base --from c7f9b1d3e5a8 --format json");
    let drops = &down["steps"][0]["destroys"][0];
    assert_eq!(keys(drops), ["line", "what"]);
    assert!(drops["what"]
        .as_str()
        .unwrap()
        .starts_with("table `report_subscriptions` and its rows"));
    assert!(steps
        .iter()
        .any(|s| s["version_table"][0]["op"] == "update"));
    // a merge step deletes one parent row and updates the other
    assert!(steps.iter().any(|s| s["version_table"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["op"] == "delete")));
    let down = sample_json("plan downgrade 71c3e5a9b0d2:base --format json");
    assert_eq!(down["end"], Value::Array(vec![]));
    assert_eq!(down["steps"][0]["direction"], "downgrade");
}

#[test]
fn tables_json() {
    let v = sample_json("tables --format json");
    assert_eq!(keys(&v), ["diagnostics", "revisions", "tables"]);
    let events: Vec<&Value> = v["tables"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|e| e.as_array().unwrap())
        .collect();
    for e in &events {
        assert_eq!(
            keys(e),
            ["action", "detail", "kind", "line", "name", "path", "revision"]
        );
    }
    assert!(events
        .iter()
        .any(|e| e["kind"] == "table" && e["action"] == "create"));
    assert!(events
        .iter()
        .any(|e| e["kind"] == "column" && e["action"] == "create"));
    assert_eq!(
        keys(&v["revisions"][0]),
        [
            "changes",
            "creates",
            "depends_on",
            "drops",
            "path",
            "reads_data",
            "revision",
            "writes_data"
        ]
    );
}

#[test]
fn schema_json() {
    let v = sample_json("schema --format json");
    assert_eq!(keys(&v), ["diagnostics", "enums", "tables", "unknown"]);
    let t = &v["tables"][0];
    assert_eq!(
        keys(t),
        [
            "checks",
            "columns",
            "comment",
            "created_by",
            "foreign_keys",
            "indexes",
            "name",
            "primary_key",
            "unique"
        ]
    );
    assert_eq!(
        keys(&t["columns"][0]),
        ["comment", "default", "name", "nullable", "type"]
    );
    let fk = v["tables"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["foreign_keys"].as_array().unwrap())
        .next()
        .expect("the sample has foreign keys");
    assert_eq!(
        keys(fk),
        [
            "columns",
            "deferrable",
            "initially",
            "name",
            "ondelete",
            "onupdate",
            "referent",
            "remote"
        ]
    );
}

#[test]
fn coverage_json() {
    let v = sample_json("coverage --format json");
    assert_eq!(keys(&v), ["interpreted", "opaque", "statements"]);
    assert_eq!(v["interpreted"], v["statements"]);
}

#[test]
fn diagnostics_serialise_with_their_severity_in_words() {
    let d = alembic_planner::base::Diagnostic::warning("a-code", "x.py", 3, "m");
    let v: Value = serde_json::to_value(&d).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"severity": "warning", "code": "a-code", "path": "x.py", "line": 3, "message": "m"})
    );
}
