//! Inline suppressions, written in the migration where the reason is:
//!
//! ```python
//! op.drop_column("users", "legacy_id")  # alembic-planner: ignore[ban-drop-column]
//!
//! # alembic-planner: ignore[require-concurrent-index-creation]
//! op.create_index("ix_users_email", "users", ["email"])
//!
//! # alembic-planner: ignore-file[data-in-schema-migration]
//! ```
//!
//! `ignore[...]` silences the listed rules on its own line, or, alone on a line, on the
//! next line; `ignore-file[...]` silences them in the whole file. Without the brackets every
//! rule is silenced. A suppression that silences nothing is itself a finding
//! (`unused-suppression`), so stale ones do not pile up.

use std::collections::HashMap;

use super::{first_column, Finding, RuleLevel};

const MARKER: &str = "alembic-planner:";

/// One suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    pub line: u32,
    /// The rules named; empty: all.
    pub rules: Vec<String>,
    pub file: bool,
    /// The comment is alone on its line (so it covers the next line).
    pub standalone: bool,
}

/// The suppressions of a file, in line order.
pub fn parse(text: &str) -> Vec<Suppression> {
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let Some(hash) = l.find('#') else { continue };
        let comment = l[hash + 1..].trim_start();
        let Some(rest) = comment.strip_prefix(MARKER) else {
            continue;
        };
        let rest = rest.trim_start();
        let (file, rest) = if let Some(r) = rest.strip_prefix("ignore-file") {
            (true, r)
        } else if let Some(r) = rest.strip_prefix("ignore") {
            (false, r)
        } else {
            continue;
        };
        let rules = match rest.trim_start().strip_prefix('[') {
            Some(r) => r
                .split(']')
                .next()
                .unwrap_or("")
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            None => Vec::new(),
        };
        out.push(Suppression {
            line: i as u32 + 1,
            rules,
            file,
            standalone: l[..hash].trim().is_empty(),
        });
    }
    out
}

impl Suppression {
    fn names(&self, rule: &str) -> bool {
        self.rules.is_empty() || self.rules.iter().any(|r| r == rule)
    }

    fn covers(&self, f: &Finding) -> bool {
        self.names(f.rule)
            && (self.file || f.line == self.line || (self.standalone && f.line == self.line + 1))
    }
}

/// Drops the findings a suppression covers; adds `unused-suppression` findings (at
/// `unused`'s level) for each rule a suppression names that silenced nothing, when that
/// rule runs. Returns the findings and how many were silenced.
pub fn apply(
    findings: Vec<Finding>,
    texts: &HashMap<&str, &str>,
    enabled: &[&str],
    unused: RuleLevel,
) -> (Vec<Finding>, usize) {
    let mut by_file: HashMap<&str, (Vec<Suppression>, Vec<Vec<bool>>)> = HashMap::new();
    for (path, text) in texts {
        if !text.contains(MARKER) {
            continue;
        }
        let s = parse(text);
        let used = s
            .iter()
            .map(|x| vec![false; x.rules.len().max(1)])
            .collect();
        by_file.insert(path, (s, used));
    }
    let mut kept = Vec::new();
    let mut silenced = 0;
    for f in findings {
        let Some((sups, used)) = by_file.get_mut(f.path.as_str()) else {
            kept.push(f);
            continue;
        };
        let mut hit = false;
        for (k, s) in sups.iter().enumerate() {
            if s.covers(&f) {
                hit = true;
                let slot = s.rules.iter().position(|r| r == f.rule).unwrap_or(0);
                used[k][slot] = true;
            }
        }
        if hit {
            silenced += 1;
        } else {
            kept.push(f);
        }
    }
    if let RuleLevel::On(severity) = unused {
        for (path, (sups, used)) in &by_file {
            let text = texts.get(path).copied().unwrap_or("");
            for (s, u) in sups.iter().zip(used) {
                let stale: Vec<String> = if s.rules.is_empty() {
                    if u[0] {
                        continue;
                    }
                    vec!["every rule".to_string()]
                } else {
                    s.rules
                        .iter()
                        .zip(u)
                        .filter(|(r, used)| {
                            !**used && (enabled.contains(&r.as_str()) || !super::is_known(r))
                        })
                        .map(|(r, _)| {
                            if !super::is_known(r) {
                                format!("`{r}` (no such rule)")
                            } else {
                                format!("`{r}`")
                            }
                        })
                        .collect()
                };
                if stale.is_empty() {
                    continue;
                }
                kept.push(Finding {
                    rule: super::rules::unused_suppression::RULE.id,
                    severity,
                    path: path.to_string(),
                    line: s.line,
                    column: first_column(text, s.line),
                    revision: None,
                    direction: None,
                    message: format!(
                        "this suppression of {} silences nothing{}",
                        stale.join(", "),
                        if s.file { " in the file" } else { "" }
                    ),
                });
            }
        }
    }
    (kept, silenced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_read_with_their_scope() {
        let text = "x = 1  # alembic-planner: ignore[a, b]\n    # alembic-planner: ignore\n# alembic-planner: ignore-file[c]\ns = '#nothing'\n";
        assert_eq!(
            parse(text),
            vec![
                Suppression {
                    line: 1,
                    rules: vec!["a".into(), "b".into()],
                    file: false,
                    standalone: false
                },
                Suppression {
                    line: 2,
                    rules: vec![],
                    file: false,
                    standalone: true
                },
                Suppression {
                    line: 3,
                    rules: vec!["c".into()],
                    file: true,
                    standalone: true
                },
            ]
        );
    }
}
