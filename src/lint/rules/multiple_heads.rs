//! More than one head: `alembic upgrade head` fails with "Multiple head revisions are
//! present".
//!
//! **Why**: usually two branches each added a revision on the same parent and were both
//! merged; every deploy that runs `upgrade head` stops until someone writes a merge
//! revision. Projects that keep independent branches on purpose (with branch labels,
//! upgraded with `heads` or `label@head`) turn this rule off. Said at each head's file.
//!
//! ## Fix
//!
//! `alembic-planner merge heads` (or `alembic merge heads`) writes the merge revision; or
//! re-parent the newer revision onto the other head if it has not been deployed.
//!
//! ```python
//! revision = "c3"
//! down_revision = ("a1", "b2")
//! ```

use crate::base::Severity;
use crate::lint::{first_column, Check, Finding, Rule};
use crate::project::Project;

pub static RULE: Rule = Rule {
    id: "multiple-heads",
    severity: Severity::Warning,
    dialects: &[],
    default_on: true,
    check: Check::Project(check),
    lock: None,
    source: include_str!("multiple_heads.rs"),
};

fn check(project: &Project, out: &mut Vec<Finding>) {
    let map = &project.map;
    if map.heads.len() < 2 {
        return;
    }
    let all = map.heads.join(", ");
    for h in &map.heads {
        let Some(i) = map.index_of(h) else { continue };
        let script = map.script_of(i);
        let text = project
            .sources
            .iter()
            .find(|s| s.path == script.path)
            .map(|s| s.text.as_str())
            .unwrap_or("");
        out.push(Finding {
            rule: RULE.id,
            severity: RULE.severity,
            path: script.path.clone(),
            line: script.revision_line,
            column: first_column(text, script.revision_line),
            revision: Some(h.clone()),
            direction: None,
            message: format!(
                "{h} is one of {} heads ({all}): `alembic upgrade head` fails; merge them with `alembic-planner merge heads`",
                map.heads.len()
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::base::Dialect;
    use crate::lint::rules::testing::findings;

    #[test]
    fn each_head_is_named() {
        let f = |id: &str, down: &str| {
            (
                format!("{id}.py"),
                format!("revision = \"{id}\"\ndown_revision = {down}\ndef upgrade():\n    pass\ndef downgrade():\n    pass\n"),
            )
        };
        let files = [f("a", "None"), f("b", "\"a\""), f("c", "\"a\"")];
        let files: Vec<(&str, String)> =
            files.iter().map(|(p, t)| (p.as_str(), t.clone())).collect();
        let got = findings("multiple-heads", Dialect::Postgresql, &files);
        let mut paths: Vec<&str> = got.iter().map(|f| f.path.as_str()).collect();
        paths.sort();
        assert_eq!(paths, vec!["b.py", "c.py"]);
        assert_eq!(got[0].line, 1);
    }
}
