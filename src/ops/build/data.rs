//! `execute` and `bulk_insert`: SQL text and rows.

use super::{text_of, Args, Built};
use crate::ops::ir::Operation;
use crate::python::Val;

pub(super) fn execute(a: &Args) -> Built {
    // SQLAlchemy Core's UPDATE of a `sa.table()`: written exactly, or said not modelled
    if let Some(update) = a.get("sqltext").and_then(crate::ops::dml::update) {
        return update
            .map(|u| Some(Operation::UpdateRows(u)))
            .map_err(|why| {
                format!("an UPDATE statement the planner does not render exactly: {why}")
            });
    }
    let sql = match a.get("sqltext") {
        Some(Val::Str(s)) => s.clone(),
        Some(v @ Val::Call { func, .. }) if func.ends_with(".text") => {
            text_of(v).unwrap_or_else(|| v.render())
        }
        Some(other) => other.render(),
        None => return Err("`execute` without SQL".into()),
    };
    Ok(Some(Operation::Execute { sql }))
}

/// The table a `bulk_insert` targets: `sa.table("name", ...)` or a `Table`.
fn table_name_of(v: &Val) -> Option<String> {
    match v {
        Val::Call { func, args, .. } if func.ends_with(".table") || func.ends_with(".Table") => {
            args.first().and_then(|a| a.name())
        }
        _ => None,
    }
}

pub(super) fn bulk_insert(a: &Args) -> Built {
    let table = a
        .get("table")
        .and_then(table_name_of)
        .ok_or("`bulk_insert` into a table the planner cannot read")?;
    let columns: Vec<String> = match a.get("table") {
        Some(Val::Call { args, .. }) => args
            .iter()
            .skip(1)
            .filter_map(|c| match c {
                Val::Call { args, .. } => args.first().and_then(|n| n.name()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let rows = a
        .get("rows")
        .and_then(|r| r.items())
        .ok_or("`bulk_insert` rows the planner cannot list")?
        .iter()
        .map(|row| match row {
            Val::Dict(items) => Ok(items
                .iter()
                .filter_map(|(k, v)| k.name().map(|k| (k, v.clone())))
                .collect()),
            other => Err(format!(
                "a `bulk_insert` row that is not a dict: {}",
                other.render()
            )),
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Some(Operation::BulkInsert {
        table,
        columns,
        rows,
    }))
}
