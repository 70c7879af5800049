//! SQL Server: the generic grammar with its own type names; rendered for the basic types
//! (Alembic itself fails on the richer ones).

use super::DdlDialect;
use crate::base::Dialect;
use crate::python::Val;

pub struct Mssql;

impl DdlDialect for Mssql {
    fn dialect(&self) -> Dialect {
        Dialect::Mssql
    }

    fn native_boolean(&self) -> bool {
        false
    }

    fn type_override(&self, name: &str, t: &Val) -> Option<Result<String, String>> {
        Some(Ok(match name {
            "Boolean" | "BOOLEAN" => "BIT".into(),
            "Text" | "TEXT" => "VARCHAR(max)".into(),
            "UnicodeText" => "NVARCHAR(max)".into(),
            "Unicode" => format!("NVARCHAR{}", super::types::length(t)),
            "LargeBinary" | "PickleType" => "VARBINARY(max)".into(),
            "Uuid" => "UNIQUEIDENTIFIER".into(),
            "DateTime" if super::types::bool_kw(t, "timezone") == Some(true) => {
                "DATETIMEOFFSET".into()
            }
            _ => return None,
        }))
    }

    fn serial_type(&self, type_sql: &str) -> String {
        format!("{type_sql} IDENTITY")
    }
}
