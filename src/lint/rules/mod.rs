//! The registry: one file per rule. A rule's file opens with its documentation (what it
//! finds, why it matters, an `## Example` that fires and a `## Fix` that does not), then
//! `RULE` (id, severity, dialects, default, check, and for PostgreSQL lock rules the lock
//! claim `tests/locks.rs` verifies on a real server), then the check and its tests.

use super::Rule;

pub mod adding_field_with_default;
pub mod adding_not_nullable_field;
pub mod adding_required_field;
pub mod adding_serial_primary_key_field;
pub mod ban_char_field;
pub mod ban_concurrent_index_creation_in_transaction;
pub mod ban_drop_column;
pub mod ban_drop_table;
pub mod changing_column_type;
pub mod constraint_missing_not_valid;
pub mod data_in_schema_migration;
pub mod disallowed_unique_constraint;
pub mod downgrade_not_inverse;
pub mod empty_migration;
pub mod missing_downgrade;
pub mod multiple_heads;
pub mod non_static_down_revision;
pub mod offline_unsafe;
pub mod prefer_bigint_over_int;
pub mod prefer_text_field;
pub mod prefer_timestamptz;
pub mod renaming_column;
pub mod renaming_table;
pub mod require_concurrent_index_creation;
pub mod require_concurrent_index_deletion;
pub mod require_timeout_settings;
pub mod revision_id_mismatch;
pub mod unnamed_constraint;
pub mod unused_suppression;

/// Every rule, by id.
pub static RULES: &[&Rule] = &[
    &adding_field_with_default::RULE,
    &adding_not_nullable_field::RULE,
    &adding_required_field::RULE,
    &adding_serial_primary_key_field::RULE,
    &ban_char_field::RULE,
    &ban_concurrent_index_creation_in_transaction::RULE,
    &ban_drop_column::RULE,
    &ban_drop_table::RULE,
    &changing_column_type::RULE,
    &constraint_missing_not_valid::RULE,
    &data_in_schema_migration::RULE,
    &disallowed_unique_constraint::RULE,
    &downgrade_not_inverse::RULE,
    &empty_migration::RULE,
    &missing_downgrade::RULE,
    &multiple_heads::RULE,
    &non_static_down_revision::RULE,
    &offline_unsafe::RULE,
    &prefer_bigint_over_int::RULE,
    &prefer_text_field::RULE,
    &prefer_timestamptz::RULE,
    &renaming_column::RULE,
    &renaming_table::RULE,
    &require_concurrent_index_creation::RULE,
    &require_concurrent_index_deletion::RULE,
    &require_timeout_settings::RULE,
    &revision_id_mismatch::RULE,
    &unnamed_constraint::RULE,
    &unused_suppression::RULE,
];

/// Shared by the rules' tests: lint a one-file project with one rule selected.
#[cfg(test)]
pub(crate) mod testing {
    use crate::base::Dialect;
    use crate::lint::{lint, Config, Finding};
    use crate::project::Project;

    pub const ID: &str = "a1b2c3d4e5f6";

    /// A revision module: `body` with the imports and identifiers `alembic revision`
    /// writes added when it has none.
    pub fn module(body: &str) -> String {
        if body.contains("revision =") {
            return body.to_string();
        }
        format!(
            "\"\"\"example\n\nRevision ID: {ID}\nRevises:\n\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\nfrom sqlalchemy.dialects import postgresql\n\nrevision = \"{ID}\"\ndown_revision = None\nbranch_labels = None\ndepends_on = None\n\n\n{body}"
        )
    }

    /// The findings of rule `id` on `files`, the rule selected (even if off by default).
    pub fn findings(id: &str, dialect: Dialect, files: &[(&str, String)]) -> Vec<Finding> {
        let project = Project::from_texts(files);
        let mut config = Config::new(dialect);
        config.select = vec![id.to_string()];
        lint(&project, &config)
            .findings
            .into_iter()
            .filter(|f| f.rule == id)
            .collect()
    }

    /// `line: message` of rule `id` on one revision made of `body`.
    pub fn messages(id: &str, dialect: Dialect, body: &str) -> Vec<String> {
        findings(id, dialect, &[(&format!("{ID}_example.py"), module(body))])
            .into_iter()
            .map(|f| format!("{}: {}", f.line, f.message))
            .collect()
    }

    /// On PostgreSQL.
    pub fn pg(id: &str, body: &str) -> Vec<String> {
        messages(id, Dialect::Postgresql, body)
    }
}

#[cfg(test)]
mod tests {
    use super::testing;
    use super::*;
    use crate::lint::Check;

    /// The first ```python block after a `## heading` of a rule's doc.
    fn block_after(doc: &str, heading: &str) -> Option<String> {
        let at = doc.find(&format!("## {heading}\n"))?;
        let rest = &doc[at..];
        let start = rest.find("```python\n")? + "```python\n".len();
        let end = rest[start..].find("```")?;
        Some(rest[start..start + end].to_string())
    }

    /// A contradiction after a step of the same revision the planner could not follow (a
    /// column a helper makes) is a note naming that step's line, not a warning.
    #[test]
    fn a_contradiction_after_a_step_not_followed_is_a_note() {
        let body = |add: &str| {
            testing::module(&format!(
                "def upgrade():\n    op.create_table(\"t\", sa.Column(\"id\", sa.Integer()))\n    {add}\n    op.create_index(\"ix\", \"t\", [\"c\"])\n\n\ndef downgrade():\n    op.drop_table(\"t\")\n"
            ))
        };
        let of = |add: &str| {
            testing::findings(
                "schema-missing-column",
                crate::base::Dialect::Postgresql,
                &[(&format!("{}_example.py", testing::ID), body(add))],
            )
            .into_iter()
            .map(|f| (f.severity, f.line, f.message))
            .collect::<Vec<_>>()
        };
        let unknown = of("op.add_column(\"t\", make_column())");
        assert_eq!(unknown.len(), 1, "{unknown:?}");
        assert_eq!(unknown[0].0, crate::base::Severity::Info);
        assert!(
            unknown[0].2.ends_with(
                "(after line 18, a step the planner could not follow: this may be wrong)"
            ),
            "{unknown:?}"
        );
        let known = of("op.add_column(\"t\", sa.Column(\"d\", sa.Integer()))");
        assert_eq!(known.len(), 1, "{known:?}");
        assert_eq!(known[0].0, crate::base::Severity::Warning, "{known:?}");
    }

    #[test]
    fn ids_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::BTreeSet::new();
        for r in RULES {
            assert!(seen.insert(r.id), "{} is registered twice", r.id);
            assert!(
                r.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{} is not kebab-case",
                r.id
            );
            let file = r.id.replace('-', "_") + ".rs";
            assert!(
                r.source.contains(&format!("id: \"{}\"", r.id)),
                "{}'s source is not rules/{file}",
                r.id
            );
            let doc = r.doc();
            assert!(!r.summary().is_empty(), "{} has no summary", r.id);
            for part in ["**Why**", "## Fix"] {
                assert!(doc.contains(part), "{}'s doc has no {part}", r.id);
            }
        }
    }

    /// Every documented bad example fires, every documented fix does not.
    #[test]
    fn examples_fire_and_fixes_do_not() {
        for r in RULES {
            if matches!(r.check, Check::Project(_) | Check::Framework) {
                continue;
            }
            let doc = r.doc();
            let bad = block_after(&doc, "Example")
                .unwrap_or_else(|| panic!("{} has no ## Example python block", r.id));
            let good = block_after(&doc, "Fix")
                .unwrap_or_else(|| panic!("{} has no ## Fix python block", r.id));
            let dialect = r.dialects.first().copied().unwrap_or_default_pg();
            assert!(
                !testing::messages(r.id, dialect, &bad).is_empty(),
                "{}: the example does not fire:\n{bad}",
                r.id
            );
            let fired = testing::messages(r.id, dialect, &good);
            assert!(
                fired.is_empty(),
                "{}: the fix fires: {fired:?}\n{good}",
                r.id
            );
        }
    }

    trait OrPg {
        fn unwrap_or_default_pg(self) -> crate::base::Dialect;
    }
    impl OrPg for Option<crate::base::Dialect> {
        fn unwrap_or_default_pg(self) -> crate::base::Dialect {
            self.unwrap_or(crate::base::Dialect::Postgresql)
        }
    }
}
