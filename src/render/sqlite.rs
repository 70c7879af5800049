//! SQLite: no native booleans, `CURRENT_TIMESTAMP` for `now()`, parenthesised expression
//! defaults, and Alembic's refusal of constraint ALTERs outside batch mode.

use super::DdlDialect;
use crate::base::Dialect;
use crate::python::Val;

pub struct Sqlite;

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
