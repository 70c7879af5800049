//! `create_index`, `drop_index`.

use super::{Args, Built};
use crate::ops::ir::Operation;
use crate::python::Val;

pub(super) fn create_index(a: &Args) -> Built {
    let mut columns = a.names("columns");
    let mut functions = Vec::new();
    if let Some(Val::List(items)) = a.get("columns") {
        for (k, el) in items.iter().enumerate() {
            if let (Some(sql), Some(slot)) = (function_element(el), columns.get_mut(k)) {
                *slot = sql;
                functions.push(k);
            }
        }
    }
    Ok(Some(Operation::CreateIndex {
        name: a.name("index_name")?,
        table: a.name("table_name")?,
        columns,
        functions,
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

/// An index element that calls a SQL function on columns, as SQLAlchemy writes it:
/// `sa.func.lower(sa.column("email"))` (or `sa.Column("email")`) is `lower(email)`. Only
/// functions SQLAlchemy writes by their name (`lower`, `upper`, `coalesce`) and column
/// names every dialect writes unquoted; `None` for any other value.
pub(crate) fn function_element(v: &Val) -> Option<String> {
    let Val::Call { func, args, kwargs } = v else {
        return None;
    };
    let name = func.strip_prefix("sqlalchemy.func.")?;
    if !matches!(name, "lower" | "upper" | "coalesce") || !kwargs.is_empty() || args.is_empty() {
        return None;
    }
    let cols = args
        .iter()
        .map(|a| match a {
            Val::Call { func, args, kwargs }
                if (func.ends_with(".column") || func.ends_with(".Column"))
                    && kwargs.is_empty() =>
            {
                match args.as_slice() {
                    [Val::Str(n)] if crate::base::Dialect::unquoted_everywhere(n) => {
                        Some(n.clone())
                    }
                    _ => None,
                }
            }
            _ => None,
        })
        .collect::<Option<Vec<String>>>()?;
    Some(format!("{name}({})", cols.join(", ")))
}
