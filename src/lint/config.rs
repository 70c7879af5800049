//! The linter's configuration: which rules run, at what severity, for which PostgreSQL,
//! from which revision on; read from `[tool.alembic-planner]` in `pyproject.toml`:
//!
//! ```toml
//! [tool.alembic-planner]
//! select = ["ALL"]                  # replaces the default set; ids or "ALL"
//! extend-select = ["prefer-text-field"]
//! ignore = ["ban-drop-column"]
//! postgresql-version = 12           # below 11, any column default rewrites the table
//! skip-before = "3f2a9c1d0b7e"      # ancestors of this revision are not linted
//! dialect = "postgresql"
//!
//! [tool.alembic-planner.severity]
//! renaming-column = "error"         # error | warning | info | off
//! ```

use std::collections::BTreeMap;

use super::{Rule, RULES};
use crate::base::{Dialect, Severity};

/// A TOML value as written, for messages (`"loud"`, `10`, `a table`).
fn shown(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("{s:?}"),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        other => format!("a {}", other.type_str()),
    }
}

/// A rule's level as configured: a severity, or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleLevel {
    On(Severity),
    Off,
}

impl RuleLevel {
    pub fn from_name(name: &str) -> Option<RuleLevel> {
        Some(match name {
            "error" => RuleLevel::On(Severity::Error),
            "warning" => RuleLevel::On(Severity::Warning),
            "info" => RuleLevel::On(Severity::Info),
            "off" => RuleLevel::Off,
            _ => return None,
        })
    }
}

/// What to lint and how.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub dialect: Dialect,
    /// Replaces the default set when not empty: rule ids, or `ALL`. A severity only
    /// re-levels the rules selected.
    pub select: Vec<String>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, RuleLevel>,
    /// The PostgreSQL major version deployed to; `None`: 11 or later.
    pub postgresql_version: Option<u32>,
    /// A revision id: its strict ancestors are not linted (they are deployed everywhere).
    pub skip_before: Option<String>,
    /// When set, only these revisions' files are linted (a pull request's own).
    pub only_revisions: Option<Vec<String>>,
}

impl Config {
    pub fn new(dialect: Dialect) -> Config {
        Config {
            dialect,
            select: Vec::new(),
            extend_select: Vec::new(),
            ignore: Vec::new(),
            severity: BTreeMap::new(),
            postgresql_version: None,
            skip_before: None,
            only_revisions: None,
        }
    }

    fn names(list: &[String], id: &str) -> bool {
        list.iter().any(|s| s == id || s == "ALL")
    }

    /// Whether the rule runs, and at what severity.
    pub fn level(&self, rule: &Rule) -> RuleLevel {
        let selected = if self.select.is_empty() {
            rule.default_on
        } else {
            Self::names(&self.select, rule.id)
        } || self.extend_select.iter().any(|s| s == rule.id);
        if !selected || self.ignore.iter().any(|s| s == rule.id) {
            return RuleLevel::Off;
        }
        // a severity re-levels a selected rule (or turns it off); it does not select one
        self.severity
            .get(rule.id)
            .copied()
            .unwrap_or(RuleLevel::On(rule.severity))
    }

    /// The severity of one of the planner's diagnostics as a finding (`None`: off).
    pub fn diagnostic_level(&self, code: &str, severity: Severity) -> Option<Severity> {
        match self.severity.get(code) {
            Some(RuleLevel::Off) => return None,
            Some(RuleLevel::On(s)) => return Some(*s),
            None => {}
        }
        if self.ignore.iter().any(|s| s == code) {
            return None;
        }
        Some(severity)
    }

    /// Reads `[tool.alembic-planner]` of a `pyproject.toml` onto this configuration; each
    /// problem (unknown key, unknown rule, bad value) is a message naming it, and the rest
    /// still applies.
    pub fn apply_pyproject(&mut self, text: &str) -> Vec<String> {
        let mut problems = Vec::new();
        let doc: toml::Table = match toml::from_str(text) {
            Ok(d) => d,
            Err(e) => return vec![format!("pyproject.toml is not valid TOML: {e}")],
        };
        let Some(section) = doc
            .get("tool")
            .and_then(|t| t.get("alembic-planner"))
            .and_then(|t| t.as_table())
        else {
            return problems;
        };
        let strings = |key: &str, v: &toml::Value, problems: &mut Vec<String>| -> Vec<String> {
            match v.as_array() {
                Some(a) => a
                    .iter()
                    .filter_map(|x| match x.as_str() {
                        Some(s) => Some(s.to_string()),
                        None => {
                            problems.push(format!("`{key}`: {} is not a string", shown(x)));
                            None
                        }
                    })
                    .collect(),
                None => {
                    problems.push(format!("`{key}` must be a list of rule ids"));
                    Vec::new()
                }
            }
        };
        for (key, v) in section {
            match key.as_str() {
                "select" => self.select = strings(key, v, &mut problems),
                "extend-select" => self.extend_select = strings(key, v, &mut problems),
                "ignore" => self.ignore = strings(key, v, &mut problems),
                "postgresql-version" => match v.as_integer() {
                    Some(n) if (9..=99).contains(&n) => self.postgresql_version = Some(n as u32),
                    _ => problems.push(format!(
                        "`postgresql-version` must be a major version such as 16, not {}", shown(v)
                    )),
                },
                "skip-before" => match v.as_str() {
                    Some(s) => self.skip_before = Some(s.to_string()),
                    None => problems.push("`skip-before` must be a revision id".into()),
                },
                "dialect" => match v.as_str().and_then(Dialect::from_name) {
                    Some(d) => self.dialect = d,
                    None => problems.push(format!(
                        "`dialect` must be one of postgresql, mysql, sqlite, mssql, not {}", shown(v)
                    )),
                },
                "severity" => match v.as_table() {
                    Some(t) => {
                        for (id, level) in t {
                            match level.as_str().and_then(RuleLevel::from_name) {
                                Some(l) => {
                                    self.severity.insert(id.clone(), l);
                                }
                                None => problems.push(format!(
                                    "`severity.{id}` must be error, warning, info or off, not {}", shown(level)
                                )),
                            }
                        }
                    }
                    None => problems.push("`severity` must be a table of rule = level".into()),
                },
                other => problems.push(format!(
                    "unknown key `{other}` in [tool.alembic-planner] (known: select, extend-select, ignore, severity, postgresql-version, skip-before, dialect)"
                )),
            }
        }
        let named = self
            .select
            .iter()
            .chain(&self.extend_select)
            .chain(&self.ignore)
            .chain(self.severity.keys());
        for id in named {
            if id != "ALL" && !super::is_known(id) {
                problems.push(format!("unknown rule `{id}`"));
            }
        }
        problems
    }

    /// The rules that run, with their severities.
    pub fn enabled(&self) -> Vec<(&'static Rule, Severity)> {
        RULES
            .iter()
            .copied()
            .filter(|r| r.applies_to(self.dialect))
            .filter_map(|r| match self.level(r) {
                RuleLevel::On(s) => Some((r, s)),
                RuleLevel::Off => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::find_rule;

    #[test]
    fn pyproject_section_is_read_and_its_mistakes_named() {
        let mut c = Config::new(Dialect::Postgresql);
        let problems = c.apply_pyproject(
            r#"
[project]
name = "x"

[tool.alembic-planner]
extend-select = ["prefer-text-field"]
ignore = ["ban-drop-column", "no-such-rule"]
postgresql-version = 10
skip-before = "abc"
colour = "blue"

[tool.alembic-planner.severity]
renaming-column = "error"
ban-drop-table = "loud"
"#,
        );
        assert_eq!(
            problems,
            vec![
                "unknown key `colour` in [tool.alembic-planner] (known: select, extend-select, ignore, severity, postgresql-version, skip-before, dialect)".to_string(),
                "`severity.ban-drop-table` must be error, warning, info or off, not \"loud\"".to_string(),
                "unknown rule `no-such-rule`".to_string(),
            ]
        );
        assert_eq!(c.postgresql_version, Some(10));
        assert_eq!(c.skip_before.as_deref(), Some("abc"));
        let level = |id: &str| c.level(find_rule(id).unwrap());
        assert_eq!(level("prefer-text-field"), RuleLevel::On(Severity::Warning));
        assert_eq!(level("ban-drop-column"), RuleLevel::Off);
        assert_eq!(level("renaming-column"), RuleLevel::On(Severity::Error));
        assert_eq!(level("prefer-bigint-over-int"), RuleLevel::Off);
    }

    #[test]
    fn select_replaces_the_default_set() {
        let mut c = Config::new(Dialect::Postgresql);
        c.select = vec!["renaming-table".into()];
        let on: Vec<&str> = c.enabled().iter().map(|(r, _)| r.id).collect();
        assert_eq!(on, vec!["renaming-table"]);
        c.select = vec!["ALL".into()];
        assert!(c.enabled().len() > 20);
    }
}
