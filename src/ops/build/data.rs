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
    if let Some(ddl) = a.get("sqltext").and_then(sequence_ddl) {
        return ddl
            .map(|sql| Some(Operation::Execute { sql }))
            .map_err(|why| format!("a sequence statement the planner does not render: {why}"));
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

/// `CreateSequence(sa.Sequence("name", increment=.., start=..))` or `DropSequence(...)` as
/// SQLAlchemy compiles them (`CREATE SEQUENCE name INCREMENT BY 1 START WITH 1`, `DROP
/// SEQUENCE name`), for a name every dialect writes unquoted and no other option; `None`
/// when `v` is neither, `Err` with what is not modelled.
pub(crate) fn sequence_ddl(v: &Val) -> Option<Result<String, String>> {
    let Val::Call { func, args, kwargs } = v else {
        return None;
    };
    let create = match func.rsplit('.').next() {
        Some("CreateSequence") => true,
        Some("DropSequence") => false,
        _ => return None,
    };
    Some((|| {
        if !kwargs.is_empty() {
            return Err(format!("`{}` keywords", kwargs[0].0));
        }
        let Some(Val::Call {
            func: seq,
            args: seq_args,
            kwargs: seq_kwargs,
        }) = args.first().filter(|_| args.len() == 1)
        else {
            return Err("its element is not a `sa.Sequence(...)`".into());
        };
        let name = match (seq.rsplit('.').next(), seq_args.as_slice()) {
            (Some("Sequence"), [Val::Str(name)]) => name,
            _ => return Err("its element is not a `sa.Sequence(name)`".into()),
        };
        if !crate::base::Dialect::unquoted_everywhere(name) {
            return Err(format!("the name `{name}`, which a dialect may quote"));
        }
        // (a drop writes none)
        let options = identity_options(seq_kwargs, &["optional"])?;
        Ok(match (create, options.is_empty()) {
            (true, true) => format!("CREATE SEQUENCE {name}"),
            (true, false) => format!("CREATE SEQUENCE {name} {options}"),
            (false, _) => format!("DROP SEQUENCE {name}"),
        })
    })())
}

/// The options of a `Sequence` or an `Identity` as SQLAlchemy's `get_identity_options`
/// writes them, in its order (`INCREMENT BY 2 START WITH 5 MINVALUE 1 ... CYCLE`), or
/// empty; `other` are the keywords that write nothing there. `Err` names a keyword not
/// modelled.
pub(crate) fn identity_options(kwargs: &[(String, Val)], other: &[&str]) -> Result<String, String> {
    let mut out = Vec::new();
    let kw = |key: &str| kwargs.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    for (key, words) in [
        ("increment", "INCREMENT BY"),
        ("start", "START WITH"),
        ("minvalue", "MINVALUE"),
        ("maxvalue", "MAXVALUE"),
    ] {
        match kw(key) {
            Some(Val::Int(n)) => out.push(format!("{words} {n}")),
            None | Some(Val::None) => {}
            Some(_) => return Err(format!("`{key}=` that is not an integer")),
        }
    }
    for (key, words) in [("nominvalue", "NO MINVALUE"), ("nomaxvalue", "NO MAXVALUE")] {
        match kw(key) {
            None | Some(Val::None) => {}
            Some(Val::Bool(_)) => out.push(words.to_string()),
            Some(_) => return Err(format!("`{key}=` that is not a boolean")),
        }
    }
    match kw("cache") {
        Some(Val::Int(n)) => out.push(format!("CACHE {n}")),
        None | Some(Val::None) => {}
        Some(_) => return Err("`cache=` that is not an integer".into()),
    }
    match kw("cycle") {
        Some(Val::Bool(b)) => out.push(if *b { "CYCLE" } else { "NO CYCLE" }.to_string()),
        None | Some(Val::None) => {}
        Some(_) => return Err("`cycle=` that is not a boolean".into()),
    }
    const WRITTEN: &[&str] = &[
        "increment",
        "start",
        "minvalue",
        "maxvalue",
        "nominvalue",
        "nomaxvalue",
        "cache",
        "cycle",
    ];
    match kwargs
        .iter()
        .find(|(k, _)| !WRITTEN.contains(&k.as_str()) && !other.contains(&k.as_str()))
    {
        Some((k, _)) => Err(format!("`{k}=`")),
        None => Ok(out.join(" ")),
    }
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
