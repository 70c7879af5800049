//! `create_index`, `drop_index`.

use super::{Args, Built};
use crate::ops::ir::Operation;
use crate::python::Val;

pub(super) fn create_index(a: &Args) -> Built {
    Ok(Some(Operation::CreateIndex {
        name: a.name("index_name")?,
        table: a.name("table_name")?,
        columns: a.names("columns"),
        unique: a.is_true("unique"),
        dialect_kw: dialect_kw(a),
        if_not_exists: a.is_true("if_not_exists"),
    }))
}

pub(super) fn drop_index(a: &Args) -> Built {
    Ok(Some(Operation::DropIndex {
        name: a.name("index_name")?,
        table: a.opt_name("table_name"),
        if_exists: a.is_true("if_exists"),
        dialect_kw: dialect_kw(a),
    }))
}

/// The `<dialect>_<option>` keywords of an index operation, as written.
fn dialect_kw(a: &Args) -> Vec<(String, Val)> {
    a.kwargs
        .iter()
        .filter(|(k, _)| crate::ops::known::dialect_keyword("Index", k).is_some())
        .cloned()
        .collect()
}
