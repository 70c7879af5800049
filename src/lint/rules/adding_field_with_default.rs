//! A column added with a server default that makes PostgreSQL rewrite the table: a
//! volatile default (`random()`, `gen_random_uuid()`, `clock_timestamp()`), or any
//! default before PostgreSQL 11.
//!
//! **Why**: since PostgreSQL 11 a constant default is stored once in the catalog and the
//! `ALTER TABLE` is instant; a volatile default must be computed for each existing row,
//! so the table and its indexes are rewritten while an `ACCESS EXCLUSIVE` lock blocks
//! every read and write. Before 11, every default rewrites. Set `postgresql-version` in
//! `[tool.alembic-planner]` for an older server. Tables created in the same migration
//! are exempt.
//!
//! ## Example
//!
//! ```python
//! def upgrade():
//!     op.add_column(
//!         "events",
//!         sa.Column("token", sa.Uuid(), server_default=sa.text("gen_random_uuid()")),
//!     )
//! ```
//!
//! ## Fix
//!
//! Add the column without the default (or with a constant one), set the default for new
//! rows with `alter_column`, and backfill existing rows in batches.
//!
//! ```python
//! def upgrade():
//!     op.add_column("events", sa.Column("token", sa.Uuid(), nullable=True))
//!     op.alter_column("events", "token", server_default=sa.text("gen_random_uuid()"))
//! ```

use crate::base::{Dialect, Severity};
use crate::lint::{Check, LockClaim, Rule, StepCx};
use crate::ops::Operation;

pub static RULE: Rule = Rule {
    id: "adding-field-with-default",
    severity: Severity::Warning,
    dialects: &[Dialect::Postgresql],
    default_on: true,
    check: Check::Step(check),
    lock: Some(LockClaim {
        lock: "AccessExclusiveLock",
        rewrites: true,
        table: "t",
        setup: "CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 100);",
        statement: "ALTER TABLE t ADD COLUMN r float8 DEFAULT random()",
    }),
    source: include_str!("adding_field_with_default.rs"),
};

/// Functions PostgreSQL marks immutable or stable that defaults use: calling one does
/// not force a rewrite. Anything else is taken as volatile, as Squawk does.
const NOT_VOLATILE: &[&str] = &[
    "now",
    "current_timestamp",
    "current_date",
    "current_time",
    "localtimestamp",
    "localtime",
    "statement_timestamp",
    "transaction_timestamp",
    "timezone",
    "lower",
    "upper",
    "coalesce",
    "concat",
    "to_char",
    "to_date",
    "to_timestamp",
    "date_trunc",
    "length",
    "abs",
    "round",
    "json_build_object",
    "jsonb_build_object",
    "json_build_array",
    "jsonb_build_array",
    "array",
    "make_interval",
    "interval",
    "current_user",
    "session_user",
    "current_schema",
    "nullif",
    "greatest",
    "least",
    "cast",
    "btrim",
    "trim",
    "replace",
    "md5",
];

/// The functions a SQL expression calls, lower case.
fn functions(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = sql.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c != b'(' {
            continue;
        }
        let mut j = i;
        while j > 0 && (b[j - 1] == b' ') {
            j -= 1;
        }
        let end = j;
        while j > 0 && (b[j - 1].is_ascii_alphanumeric() || b[j - 1] == b'_' || b[j - 1] == b'.') {
            j -= 1;
        }
        if j < end {
            let name = sql[j..end].to_ascii_lowercase();
            out.push(name.rsplit('.').next().unwrap_or("").to_string());
        }
    }
    out
}

fn check(cx: &StepCx, out: &mut Vec<String>) {
    let Operation::AddColumn { table, column, .. } = cx.op else {
        return;
    };
    let Some(default) = &column.server_default else {
        return;
    };
    // a default the renderer does not write exactly: its SQL, and so its volatility,
    // is not known (the SQL view says so where it prints it)
    if !cx.has_rows(table) || !crate::ops::known::expression(default) {
        return;
    }
    let sql =
        crate::render::default_sql_generic(crate::render::renderer(Dialect::Postgresql), default);
    if cx.postgresql_version() < 11 {
        out.push(format!(
            "`{table}.{}` is added with a default ({sql}): before PostgreSQL 11 this rewrites the whole table under an ACCESS EXCLUSIVE lock",
            column.name
        ));
        return;
    }
    if let Some(f) = functions(&sql)
        .into_iter()
        .find(|f| !NOT_VOLATILE.contains(&f.as_str()))
    {
        out.push(format!(
            "`{table}.{}` is added with the volatile default {sql} (`{f}()`): PostgreSQL rewrites the whole table under an ACCESS EXCLUSIVE lock",
            column.name
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{findings, module, ID};

    #[test]
    fn function_names_are_found() {
        assert_eq!(functions("now()"), vec!["now"]);
        assert_eq!(functions("(pg_catalog.random () * 10)"), vec!["random"]);
        assert!(functions("'a(b'").iter().all(|f| f.is_empty() || f == "a"));
    }

    #[test]
    fn constant_defaults_rewrite_only_before_11() {
        let body = "def upgrade():\n    op.add_column(\"t\", sa.Column(\"x\", sa.Integer(), server_default=\"0\"))\n    op.add_column(\"t\", sa.Column(\"y\", sa.DateTime(), server_default=sa.func.now()))\n";
        let files = [(format!("{ID}_x.py"), module(body))];
        let files: Vec<(&str, String)> =
            files.iter().map(|(a, b)| (a.as_str(), b.clone())).collect();
        assert!(findings(RULE.id, Dialect::Postgresql, &files).is_empty());
        let project = crate::project::Project::from_texts(&files);
        let mut config = crate::lint::Config::new(Dialect::Postgresql);
        config.postgresql_version = Some(10);
        let n = crate::lint::lint(&project, &config)
            .findings
            .iter()
            .filter(|f| f.rule == RULE.id)
            .count();
        assert_eq!(n, 2);
    }
}
