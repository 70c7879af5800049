//! PostgreSQL: `SERIAL`, `TIMESTAMP WITH[OUT] TIME ZONE`, named enum types created before
//! their table, `COMMENT ON`, `ALTER COLUMN ... TYPE`.

use super::types::{arg, bool_kw, compile_type, enum_values, int_arg, length};
use super::{literal_str, DdlDialect};
use crate::base::Dialect;
use crate::ops::Column;
use crate::python::Val;

pub struct Postgresql;

fn timezone(t: &Val, k: usize) -> &'static str {
    if bool_kw(t, "timezone") == Some(true)
        || matches!(arg(t, k, "timezone"), Some(Val::Bool(true)))
    {
        "WITH"
    } else {
        "WITHOUT"
    }
}

impl DdlDialect for Postgresql {
    fn dialect(&self) -> Dialect {
        Dialect::Postgresql
    }

    fn type_override(&self, name: &str, t: &Val) -> Option<Result<String, String>> {
        Some(Ok(match name {
            "DateTime" | "TIMESTAMP" => format!("TIMESTAMP {} TIME ZONE", timezone(t, 0)),
            "Time" | "TIME" => format!("TIME {} TIME ZONE", timezone(t, 0)),
            "Float" | "FLOAT" if int_arg(t, 0, "precision").is_none() => "FLOAT".into(),
            "Double" | "DOUBLE" => "DOUBLE PRECISION".into(),
            // PickleType stores through LargeBinary
            "LargeBinary" | "BYTEA" | "PickleType" => "BYTEA".into(),
            "Uuid" | "UUID" => "UUID".into(),
            "JSONB" => "JSONB".into(),
            "INET" | "CIDR" | "MACADDR" | "TSVECTOR" | "CITEXT" | "MONEY" | "OID" | "HSTORE"
            | "INT4RANGE" | "INT8RANGE" | "NUMRANGE" | "DATERANGE" | "TSRANGE" | "TSTZRANGE" => {
                name.into()
            }
            "Interval" | "INTERVAL" => "INTERVAL".into(),
            "Text" | "TEXT" | "UnicodeText" => "TEXT".into(),
            "BIT" => format!("BIT{}", length(t)),
            "ARRAY" => {
                let Some(item) = arg(t, 0, "item_type") else {
                    return Some(Err("ARRAY without an item type".into()));
                };
                let dims = int_arg(t, usize::MAX, "dimensions").unwrap_or(1).max(1);
                return Some(
                    compile_type(item, self).map(|s| format!("{s}{}", "[]".repeat(dims as usize))),
                );
            }
            // a non-native Enum is the generic VARCHAR
            "Enum" if bool_kw(t, "native_enum") == Some(false) => return None,
            "Enum" | "ENUM" => match t.kwarg("name").and_then(|n| n.name()) {
                Some(n) => self.quote(&n),
                None => return Some(Err("PostgreSQL ENUM type requires a name.".into())),
            },
            _ => return None,
        }))
    }

    fn serial_type(&self, type_sql: &str) -> String {
        match type_sql {
            "BIGINT" => "BIGSERIAL".into(),
            "SMALLINT" => "SMALLSERIAL".into(),
            _ => "SERIAL".into(),
        }
    }

    fn before_create_table(&self, columns: &[Column]) -> Vec<String> {
        let mut out = Vec::new();
        for c in columns {
            let Some(t @ Val::Call { func, .. }) = c
                .type_
                .as_ref()
                .map(|t| super::types::for_dialect(t, Dialect::Postgresql))
            else {
                continue;
            };
            if !(func.ends_with(".Enum") || func.ends_with(".ENUM")) {
                continue;
            }
            if bool_kw(t, "create_type") == Some(false) || bool_kw(t, "native_enum") == Some(false)
            {
                continue;
            }
            if let Some(name) = t.kwarg("name").and_then(|n| n.name()) {
                out.push(format!(
                    "CREATE TYPE {} AS ENUM ({})",
                    self.quote(&name),
                    enum_values(t)
                        .iter()
                        .map(|v| literal_str(v))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        out
    }

    fn table_comments(
        &self,
        table: &str,
        columns: &[Column],
        comment: Option<&str>,
    ) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(c) = comment {
            out.push(format!(
                "COMMENT ON TABLE {} IS {}",
                self.quote(table),
                literal_str(c)
            ));
        }
        for c in columns {
            if let Some(text) = &c.comment {
                out.push(format!(
                    "COMMENT ON COLUMN {}.{} IS {}",
                    self.quote(table),
                    self.quote(&c.name),
                    literal_str(text)
                ));
            }
        }
        out
    }

    fn column_comment(&self, table: &str, column: &str, comment: Option<&str>) -> Vec<String> {
        vec![format!(
            "COMMENT ON COLUMN {}.{} IS {}",
            self.quote(table),
            self.quote(column),
            comment.map(literal_str).unwrap_or_else(|| "NULL".into())
        )]
    }

    fn table_comment(&self, table: &str, comment: Option<&str>) -> Vec<String> {
        vec![format!(
            "COMMENT ON TABLE {} IS {}",
            self.quote(table),
            comment.map(literal_str).unwrap_or_else(|| "NULL".into())
        )]
    }
}
