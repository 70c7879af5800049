//! A file whose name or docstring disagrees with its identifiers: the docstring's
//! `Revision ID:` or `Revises:` lines, or the id at the start of the file name, are not
//! the `revision` and `down_revision` variables.
//!
//! **Why**: Alembic reads only the variables; people read the file name and the
//! docstring. After a hand-edited rebase or a copied file they disagree, and a reviewer
//! checking the order by the docstring approves the wrong graph.
//!
//! ## Example
//!
//! ```python
//! """add nickname
//!
//! Revision ID: a1b2c3d4e5f6
//! Revises: 111111111111
//! """
//! from alembic import op
//!
//! revision = "a1b2c3d4e5f6"
//! down_revision = None
//!
//!
//! def upgrade():
//!     pass
//! ```
//!
//! ## Fix
//!
//! ```python
//! """add nickname
//!
//! Revision ID: a1b2c3d4e5f6
//! Revises:
//! """
//! from alembic import op
//!
//! revision = "a1b2c3d4e5f6"
//! down_revision = None
//!
//!
//! def upgrade():
//!     pass
//! ```

use crate::base::Severity;
use crate::lint::{Check, RevCx, Rule};

pub static RULE: Rule = Rule {
    id: "revision-id-mismatch",
    severity: Severity::Warning,
    dialects: &[],
    default_on: true,
    check: Check::Revision(check),
    lock: None,
    source: include_str!("revision_id_mismatch.rs"),
};

/// The value of a `Key: value` line of the docstring, with its line in the file.
fn doc_field(text: &str, key: &str) -> Option<(u32, String)> {
    // the docstring is the file's first lines
    for (i, l) in text.lines().enumerate().take(40) {
        if let Some(v) = l.trim_start().strip_prefix(key) {
            return Some((
                i as u32 + 1,
                v.trim().trim_end_matches("\"\"\"").trim().to_string(),
            ));
        }
    }
    None
}

fn ids(list: &str) -> Vec<String> {
    let mut v: Vec<String> = list
        .split(|c: char| c == ',' || c.is_whitespace())
        .map(|s| s.trim_matches(|c| c == '(' || c == ')' || c == '\'' || c == '"'))
        .filter(|s| !s.is_empty() && *s != "None")
        .map(str::to_string)
        .collect();
    v.sort();
    v
}

fn check(cx: &RevCx, out: &mut Vec<(u32, String)>) {
    let Some(rev) = &cx.script.revision else {
        return;
    };
    if let Some((line, doc)) = doc_field(cx.text, "Revision ID:") {
        if !doc.is_empty() && doc != *rev {
            out.push((
                line,
                format!("the docstring says Revision ID {doc}, the file's `revision` is {rev}"),
            ));
        }
    }
    if let (Some((line, doc)), Some(downs)) =
        (doc_field(cx.text, "Revises:"), &cx.script.down_revision)
    {
        let mut vars = downs.clone();
        vars.sort();
        if ids(&doc) != vars {
            out.push((
                line,
                format!(
                    "the docstring says Revises: {}, the file's `down_revision` is {}",
                    if doc.is_empty() { "(nothing)" } else { &doc },
                    if vars.is_empty() {
                        "None".to_string()
                    } else {
                        vars.join(", ")
                    }
                ),
            ));
        }
    }
    // `<rev>_slug.py`: a file name that starts with another hex id
    let name = cx.script.path.rsplit('/').next().unwrap_or("");
    let stem = name.strip_suffix(".py").unwrap_or(name);
    let first = stem.split('_').next().unwrap_or("");
    if !stem.contains(rev.as_str())
        && first.len() == 12
        && rev.len() == 12
        && first.chars().all(|c| c.is_ascii_hexdigit())
    {
        out.push((
            cx.script.revision_line,
            format!("the file name starts with {first}, the file's `revision` is {rev}"),
        ));
    }
}
