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
        // Alembic makes a string a `text()`: both compile the same way
        Some(Val::Str(s)) => offline_text(s),
        Some(v @ Val::Call { func, .. }) if func.ends_with(".text") => text_of(v)
            .map(|t| offline_text(&t))
            .unwrap_or_else(|| v.render()),
        Some(other) => other.render(),
        None => return Err("`execute` without SQL".into()),
    };
    Ok(Some(Operation::Execute { sql }))
}

/// A `text()` as SQLAlchemy compiles it offline (values inlined): each bind parameter
/// (`:name`, not `::cast`, `12:30` or `\:escaped`) has no value there, so it is `NULL`;
/// an escaped colon loses its backslash. SQLAlchemy 2.1's `BIND_PARAMS` and
/// `BIND_PARAMS_ESC` expressions, which know nothing of SQL quotes: `':x'` is `'NULL'` too.
fn offline_text(text: &str) -> String {
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = i.checked_sub(1).map(|k| chars[k]);
        if c == ':' {
            let end = (i + 1..chars.len())
                .find(|&k| !word(chars[k]))
                .unwrap_or(chars.len());
            let named = end > i + 1;
            let next_ok = chars.get(end).is_none_or(|&n| n != ':' && !word(n));
            // `\:name` (the name may be empty): the backslash goes, the rest stays
            if prev == Some('\\') && next_ok {
                out.pop();
                out.extend(&chars[i..end]);
                i = end;
                continue;
            }
            if named && next_ok && !prev.is_some_and(|p| p == ':' || word(p)) {
                out.push_str("NULL");
                i = end;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
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
                // columns only: a table's constraints and indexes name columns too
                // (`sa.PrimaryKeyConstraint("id")` of the `Table` `op.create_table` returns)
                Val::Call { func, args, .. }
                    if func.ends_with(".Column") || func.ends_with(".column") =>
                {
                    args.first().and_then(|n| n.name())
                }
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
