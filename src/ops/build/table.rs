//! `create_table`, `drop_table`, `rename_table`, table comments.

use super::column::column_from;
use super::constraint::constraint_from;
use super::{Args, Built};
use crate::ops::ir::{Operation, TableIndex};
use crate::python::Val;

pub(super) fn create_table(a: &Args) -> Built {
    let table = a
        .opt_name("table_name")
        .ok_or("`create_table` without a known table name")?;
    let mut columns = Vec::new();
    let mut constraints = Vec::new();
    let mut indexes = Vec::new();
    for el in a.rest {
        match el {
            Val::Call { func, .. } if func.ends_with("Column") => columns.push(column_from(el)?),
            // a `MetaData()` among the elements (as if the table were `sa.Table(name,
            // metadata, ...)`): SQLAlchemy takes it and the DDL is the same
            Val::Call { func, args, kwargs }
                if args.is_empty()
                    && kwargs.is_empty()
                    && matches!(
                        func.as_str(),
                        "sqlalchemy.MetaData" | "sqlalchemy.schema.MetaData"
                    ) => {}
            other => match constraint_from(other) {
                Some(c) => constraints.push(c),
                None => match table_index(other)? {
                    Some(i) => indexes.push(i),
                    None => {
                        return Err(format!(
                            "`create_table {table}` has an element the planner cannot read: {}",
                            other.render()
                        ))
                    }
                },
            },
        }
    }
    Ok(Some(Operation::CreateTable {
        table,
        columns,
        constraints,
        comment: a.get("comment").and_then(|v| v.name()),
        indexes,
        options: a
            .kwargs
            .iter()
            .filter_map(|(k, v)| match v {
                Val::Str(s) if crate::ops::known::dialect_keyword("Table", k).is_some() => {
                    Some((k.clone(), s.clone()))
                }
                _ => None,
            })
            .collect(),
        if_not_exists: a.is_true("if_not_exists"),
    }))
}

/// An `sa.Index(name, *columns, unique=..., <dialect>_<option>=...)` inside `create_table`.
fn table_index(v: &Val) -> Result<Option<TableIndex>, String> {
    let Val::Call { func, args, kwargs } = v else {
        return Ok(None);
    };
    if !func.ends_with("Index") {
        return Ok(None);
    }
    let name = args
        .first()
        .and_then(|a| a.name())
        .ok_or("an `Index` inside `create_table` without a known name")?;
    Ok(Some(TableIndex {
        name,
        columns: args[1..]
            .iter()
            .map(|a| match a {
                Val::Call { func, args, .. } if func.ends_with(".text") => {
                    args.first().and_then(|x| x.name()).unwrap_or_default()
                }
                other => other.name().unwrap_or_else(|| other.render()),
            })
            .collect(),
        unique: matches!(
            kwargs.iter().find(|(k, _)| k == "unique"),
            Some((_, Val::Bool(true)))
        ),
        dialect_kw: kwargs
            .iter()
            .filter(|(k, _)| k.contains('_'))
            .cloned()
            .collect(),
    }))
}

pub(super) fn drop_table(a: &Args) -> Built {
    Ok(Some(Operation::DropTable {
        table: a.name("table_name")?,
        if_exists: a.is_true("if_exists"),
    }))
}

pub(super) fn rename_table(a: &Args) -> Built {
    Ok(Some(Operation::RenameTable {
        table: a.name("old_table_name")?,
        new_name: a.name("new_table_name")?,
    }))
}

pub(super) fn create_table_comment(a: &Args) -> Built {
    Ok(Some(Operation::TableComment {
        table: a.name("table_name")?,
        comment: a.opt_name("comment"),
    }))
}

pub(super) fn drop_table_comment(a: &Args) -> Built {
    Ok(Some(Operation::TableComment {
        table: a.name("table_name")?,
        comment: None,
    }))
}
