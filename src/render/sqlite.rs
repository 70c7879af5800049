//! SQLite: no native booleans, `CURRENT_TIMESTAMP` for `now()`, parenthesised expression
//! defaults, and Alembic's refusal of constraint ALTERs outside batch mode.

use super::DdlDialect;
use crate::base::Dialect;
use crate::python::Val;

pub struct Sqlite;

/// Alembic's `alter_column(comment=...)` outside batch mode: its `ColumnComment` construct
/// has no SQLite compilation (the compiler's address, which changes every run, left out as
/// the differential tests' oracle leaves it out).
const NO_COLUMN_COMMENT: &str = "sqlalchemy.exc.UnsupportedCompilationError: Compiler <sqlalchemy.dialects.sqlite.base.SQLiteDDLCompiler object> can't render element of type <class 'alembic.ddl.base.ColumnComment'>: <class 'alembic.ddl.base.ColumnComment'> construct has no default compilation handler. (Background on this error at: https://sqlalche.me/e/21/l7de)";

const NO_ALTER: &str = "NotImplementedError: No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode feature which allows for SQLite migrations using a copy-and-move strategy.";

impl DdlDialect for Sqlite {
    fn generated_after_not_null(&self) -> bool {
        true
    }

    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn native_boolean(&self) -> bool {
        false
    }

    fn type_override(&self, name: &str, t: &Val) -> Option<Result<String, String>> {
        let _ = t;
        Some(Ok(match name {
            "JSONB" => "JSONB".into(),
            "UUID" => "UUID".into(),
            _ => return None,
        }))
    }

    fn now_sql(&self) -> &'static str {
        "CURRENT_TIMESTAMP"
    }

    fn default_sql(&self, v: &Val) -> String {
        // SQLAlchemy wraps an expression default in parentheses unless it is a literal
        super::parenthesize_expression(&super::default_sql_generic(self, v))
    }

    /// `op.create_table_comment` / `drop_table_comment`: SQLAlchemy's generic statement,
    /// though SQLite has no comments (`create_table(comment=...)` prints none: the
    /// dialect says it does not support them).
    fn table_comment(&self, table: &str, comment: Option<&str>) -> Vec<String> {
        vec![format!(
            "COMMENT ON TABLE {} IS {}",
            self.quote(table),
            comment
                .map(|c| self.string_literal(c))
                .unwrap_or_else(|| "NULL".into())
        )]
    }

    fn add_constraint(&self, table: &str, c: &crate::ops::Constraint) -> Result<String, String> {
        let _ = (table, c);
        Err(NO_ALTER.into())
    }

    fn drop_constraint(
        &self,
        name: &str,
        table: &str,
        kind: Option<crate::ops::ConstraintKind>,
    ) -> Result<String, String> {
        let _ = (name, table, kind);
        Err(NO_ALTER.into())
    }

    fn alter_column(
        &self,
        table: &str,
        column: &str,
        changes: &crate::ops::ColumnChanges,
    ) -> Result<Vec<String>, String> {
        if changes.comment != super::Change::Keep {
            return Err(NO_COLUMN_COMMENT.into());
        }
        // Alembic emits the generic statements (not valid SQLite), except the rename
        let mut out = super::alter_column_generic(self, table, column, changes)?;
        for s in out.iter_mut() {
            if let Some(rest) =
                s.strip_prefix(&format!("ALTER TABLE {} RENAME ", self.quote(table)))
            {
                *s = format!("ALTER TABLE {} RENAME COLUMN {rest}", self.quote(table));
            }
        }
        Ok(out)
    }
}
