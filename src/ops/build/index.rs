//! `create_index`, `drop_index`.

use super::{Args, Built};
use crate::ops::ir::Operation;

pub(super) fn create_index(a: &Args) -> Built {
    Ok(Some(Operation::CreateIndex {
        name: a.name("index_name")?,
        table: a.name("table_name")?,
        columns: a.names("columns"),
        unique: a.is_true("unique"),
        dialect_kw: a
            .kwargs
            .iter()
            .filter(|(k, _)| {
                ["postgresql_", "mysql_", "sqlite_", "mssql_"]
                    .iter()
                    .any(|p| k.starts_with(p))
            })
            .cloned()
            .collect(),
    }))
}

pub(super) fn drop_index(a: &Args) -> Built {
    Ok(Some(Operation::DropIndex {
        name: a.name("index_name")?,
        table: a.opt_name("table_name"),
    }))
}
