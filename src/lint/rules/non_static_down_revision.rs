//! A `down_revision` (or `revision`) computed by code instead of written as a literal.
//!
//! **Why**: the revision graph is then only known by running the file: tools that read
//! it (this one, `alembic-guard`, reviewers) must guess, and a helper that derives the
//! parent from git history or the file system gives different answers on different
//! machines. Alembic's own template writes literals.
//!
//! ## Example
//!
//! ```python
//! from myapp.migrations import previous
//!
//! revision = "a1b2c3d4e5f6"
//! down_revision = previous(revision)
//!
//!
//! def upgrade():
//!     pass
//! ```
//!
//! ## Fix
//!
//! ```python
//! revision = "a1b2c3d4e5f6"
//! down_revision = "0f9e8d7c6b5a"
//!
//!
//! def upgrade():
//!     pass
//! ```

use crate::base::Severity;
use crate::lint::{Check, RevCx, Rule};

pub static RULE: Rule = Rule {
    id: "non-static-down-revision",
    severity: Severity::Warning,
    dialects: &[],
    default_on: true,
    check: Check::Revision(check),
    lock: None,
    source: include_str!("non_static_down_revision.rs"),
};

/// Whether the value after `=` (with the lines it continues on) is made only of string
/// literals, `None`, brackets and commas.
fn literal(text: &str, line: u32) -> bool {
    let lines: Vec<&str> = text.lines().collect();
    let Some(first) = lines.get(line as usize - 1) else {
        return true;
    };
    let Some(eq) = first.find('=') else {
        return true;
    };
    let mut value = first[eq + 1..].to_string();
    let mut k = line as usize;
    let depth = |s: &str| {
        s.chars().filter(|c| matches!(c, '(' | '[')).count() as i64
            - s.chars().filter(|c| matches!(c, ')' | ']')).count() as i64
    };
    while depth(&value) > 0 && k < lines.len() && k < line as usize + 50 {
        value.push(' ');
        value.push_str(lines[k]);
        k += 1;
    }
    // strings out, then only punctuation and None may remain
    let mut rest = String::new();
    let mut quote: Option<char> = None;
    for c in value.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' => break,
            None => rest.push(c),
        }
    }
    let rest = rest.replace("None", "");
    rest.chars()
        .all(|c| c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | ',' | ':'))
        || rest.trim_start().starts_with("str") && !rest.contains('(') // `down_revision: str = "x"` annotation
}

fn check(cx: &RevCx, out: &mut Vec<(u32, String)>) {
    for (name, line) in [
        ("revision", cx.script.revision_line),
        ("down_revision", cx.script.down_revision_line),
    ] {
        if line > 0 && !literal(cx.text, line) {
            out.push((
                line,
                format!("`{name}` is computed, not written as a literal: the revision graph is only known by running the file"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::literal;

    #[test]
    fn literals_tuples_and_annotations_are_static() {
        assert!(literal("down_revision = 'a'", 1));
        assert!(literal("down_revision = ('a',\n    'b')", 1));
        assert!(literal("down_revision = None", 1));
        assert!(literal("down_revision: Union[str, None] = 'a'", 1));
        assert!(!literal("down_revision = previous('a')", 1));
        assert!(!literal("down_revision = base.REV", 1));
    }
}
