//! Operations from calls: `op.<name>(...)` and `batch_op.<name>(...)` with their
//! arguments bound to Alembic's signatures, and the SQLAlchemy constructs inside them
//! (`Column`, constraints, `Index`, `table`).

use std::collections::HashMap;

use super::ir::*;
use crate::python::{short_name, Val};

/// Binds positional and keyword arguments to parameter names, Alembic's signature order.
fn bind<'v>(
    params: &[&str],
    args: &'v [Val],
    kwargs: &'v [(String, Val)],
) -> HashMap<String, &'v Val> {
    let mut m: HashMap<String, &Val> = HashMap::new();
    for (p, a) in params.iter().zip(args.iter()) {
        m.insert(p.to_string(), a);
    }
    for (k, v) in kwargs {
        m.insert(k.clone(), v);
    }
    m
}

fn req_name(m: &HashMap<String, &Val>, key: &str, op: &str) -> Result<String, String> {
    m.get(key)
        .and_then(|v| v.name())
        .ok_or_else(|| format!("`{op}` without a known `{key}`"))
}

fn names(v: Option<&&Val>) -> Vec<String> {
    match v {
        Some(Val::List(items)) => items
            .iter()
            .map(|i| match i {
                Val::Call { func, args, .. }
                    if func.ends_with(".column") || func.ends_with(".Column") =>
                {
                    args.first()
                        .and_then(|a| a.name())
                        .unwrap_or_else(|| i.render())
                }
                other => other.name().unwrap_or_else(|| other.render()),
            })
            .collect(),
        Some(v) => v.name().into_iter().collect(),
        None => Vec::new(),
    }
}

fn opt_str(v: Option<&&Val>) -> Option<String> {
    v.and_then(|v| match v {
        Val::Str(s) => Some(s.clone()),
        Val::Call { args, .. } => args.first().and_then(|a| a.as_str()).map(String::from),
        _ => None,
    })
}

fn is_type(func: &str) -> bool {
    let last = func.rsplit('.').next().unwrap_or(func);
    last.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && !matches!(
            last,
            "Column"
                | "ForeignKey"
                | "ForeignKeyConstraint"
                | "PrimaryKeyConstraint"
                | "UniqueConstraint"
                | "CheckConstraint"
                | "Index"
                | "Computed"
                | "Identity"
                | "Sequence"
        )
}

/// Reads `sa.Column(...)`.
pub fn column_from(v: &Val) -> Result<Column, String> {
    let Val::Call { func, args, kwargs } = v else {
        return Err(format!("a column the planner cannot read: {}", v.render()));
    };
    if !(func.ends_with("Column") || func.ends_with(".column")) {
        return Err(format!(
            "`{}` where a Column was expected",
            short_name(func)
        ));
    }
    let mut col = Column {
        name: String::new(),
        type_: None,
        nullable: None,
        primary_key: false,
        server_default: None,
        comment: None,
        foreign_keys: Vec::new(),
        unique: false,
        index: false,
    };
    for a in args {
        match a {
            Val::Str(s) if col.name.is_empty() => col.name = s.clone(),
            Val::Call {
                func: f,
                args: fa,
                kwargs: fkw,
            } if f.ends_with("ForeignKey") => {
                if let Some(t) = fa.first().and_then(|x| x.name()) {
                    let (tbl, c) = t.rsplit_once('.').unwrap_or((t.as_str(), "id"));
                    let kw = |k: &str| fkw.iter().find(|(n, _)| n == k).and_then(|(_, v)| v.name());
                    col.foreign_keys.push(ColumnForeignKey {
                        referent: tbl.to_string(),
                        remote: c.to_string(),
                        name: kw("name"),
                        ondelete: kw("ondelete"),
                    });
                }
            }
            Val::Call { func: f, .. } if is_type(f) => col.type_ = Some(a.clone()),
            Val::Ref(f) if is_type(f) => col.type_ = Some(a.clone()),
            Val::Call { func: f, .. }
                if f.ends_with("Computed")
                    || f.ends_with("Identity")
                    || f.ends_with("Sequence") => {}
            other => {
                if let Some(r) = other.opaque_reason() {
                    // an application-defined column type
                    col.type_ = Some(Val::Opaque(r));
                }
            }
        }
    }
    for (k, v) in kwargs {
        match (k.as_str(), v) {
            ("name", Val::Str(s)) => col.name = s.clone(),
            ("type_", _) => col.type_ = Some(v.clone()),
            ("nullable", Val::Bool(b)) => col.nullable = Some(*b),
            ("primary_key", Val::Bool(b)) => col.primary_key = *b,
            ("server_default", Val::None) => {}
            ("server_default", _) => col.server_default = Some(v.clone()),
            ("comment", Val::Str(s)) => col.comment = Some(s.clone()),
            ("unique", Val::Bool(b)) => col.unique = *b,
            ("index", Val::Bool(b)) => col.index = *b,
            _ => {}
        }
    }
    if col.name.is_empty() {
        return Err("a Column without a name".into());
    }
    Ok(col)
}

/// Reads a table-level constraint (`sa.PrimaryKeyConstraint(...)`, ...).
fn constraint_from(v: &Val) -> Option<Constraint> {
    let Val::Call { func, args, kwargs } = v else {
        return None;
    };
    let name = kwargs
        .iter()
        .find(|(k, _)| k == "name")
        .and_then(|(_, v)| v.name());
    let strs = |vals: &[Val]| -> Vec<String> { vals.iter().filter_map(|a| a.name()).collect() };
    let last = func.rsplit('.').next().unwrap_or(func);
    Some(match last {
        "PrimaryKeyConstraint" => Constraint::PrimaryKey {
            name,
            columns: strs(args),
        },
        "UniqueConstraint" => Constraint::Unique {
            name,
            columns: strs(args),
        },
        "CheckConstraint" => Constraint::Check {
            name,
            condition: args
                .first()
                .map(|a| match a {
                    Val::Str(s) => s.clone(),
                    other => opt_str(Some(&other)).unwrap_or_else(|| other.render()),
                })
                .unwrap_or_default(),
        },
        "ForeignKeyConstraint" => {
            let cols = args.first().map(|a| names(Some(&a))).unwrap_or_default();
            let refs = args.get(1).map(|a| names(Some(&a))).unwrap_or_default();
            let referent = refs
                .first()
                .and_then(|r| r.rsplit_once('.'))
                .map(|(t, _)| t.to_string())
                .unwrap_or_default();
            let remote = refs
                .iter()
                .map(|r| {
                    r.rsplit_once('.')
                        .map(|(_, c)| c.to_string())
                        .unwrap_or_else(|| r.clone())
                })
                .collect();
            let ondelete = kwargs
                .iter()
                .find(|(k, _)| k == "ondelete")
                .and_then(|(_, v)| v.name());
            Constraint::ForeignKey {
                name,
                columns: cols,
                referent,
                remote,
                ondelete,
            }
        }
        _ => return None,
    })
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

/// An operation from an `op.<name>(...)` call, or a `batch_op.<name>(...)` on `batch_table`.
/// `Ok(None)`: a call that changes nothing (`op.f`); `Err`: the reason it is opaque.
pub(crate) fn op_from_call(
    name: &str,
    batch: Option<&str>,
    args: &[Val],
    kwargs: &[(String, Val)],
) -> Result<Option<Operation>, String> {
    // batch operations take the table from the block: prepend it
    let mut full: Vec<Val> = Vec::new();
    if let Some(t) = batch {
        match name {
            "create_foreign_key" => {
                // (name, referent_table, local_cols, remote_cols)
                full.extend(args.first().cloned());
                full.push(Val::Str(t.to_string()));
                full.extend(args.iter().skip(1).cloned());
            }
            "create_index"
            | "create_unique_constraint"
            | "create_check_constraint"
            | "create_primary_key"
            | "drop_constraint" => {
                full.extend(args.first().cloned());
                full.push(Val::Str(t.to_string()));
                full.extend(args.iter().skip(1).cloned());
            }
            "drop_index" => {
                full.extend(args.first().cloned());
                full.push(Val::Str(t.to_string()));
            }
            _ => {
                full.push(Val::Str(t.to_string()));
                full.extend(args.iter().cloned());
            }
        }
    } else {
        full.extend(args.iter().cloned());
    }
    let args = &full[..];
    let op = match name {
        "create_table" => {
            let table = args
                .first()
                .and_then(|a| a.name())
                .ok_or("`create_table` without a known table name")?;
            let mut columns = Vec::new();
            let mut constraints = Vec::new();
            let mut indexes = Vec::new();
            for a in &args[1..] {
                match a {
                    Val::Call { func, .. } if func.ends_with("Column") => {
                        columns.push(column_from(a)?)
                    }
                    other => {
                        match constraint_from(other) {
                            Some(c) => constraints.push(c),
                            None => {
                                if let Val::Call {
                                    func,
                                    args: iargs,
                                    kwargs: ikw,
                                } = other
                                {
                                    if func.ends_with("Index") {
                                        let name = iargs.first().and_then(|a| a.name()).ok_or(
                                            "an `Index` inside `create_table` without a known name",
                                        )?;
                                        indexes.push(TableIndex {
                                            name,
                                            columns: iargs[1..]
                                                .iter()
                                                .map(|a| match a {
                                                    Val::Call { func, args, .. }
                                                        if func.ends_with(".text") =>
                                                    {
                                                        args.first()
                                                            .and_then(|x| x.name())
                                                            .unwrap_or_default()
                                                    }
                                                    other => other
                                                        .name()
                                                        .unwrap_or_else(|| other.render()),
                                                })
                                                .collect(),
                                            unique: matches!(
                                                ikw.iter().find(|(k, _)| k == "unique"),
                                                Some((_, Val::Bool(true)))
                                            ),
                                            dialect_kw: ikw
                                                .iter()
                                                .filter(|(k, _)| k.contains('_'))
                                                .cloned()
                                                .collect(),
                                        });
                                        continue;
                                    }
                                }
                                return Err(format!("`create_table {table}` has an element the planner cannot read: {}", other.render()));
                            }
                        }
                    }
                }
            }
            let comment = kwargs
                .iter()
                .find(|(k, _)| k == "comment")
                .and_then(|(_, v)| v.name());
            Operation::CreateTable {
                table,
                columns,
                constraints,
                comment,
                indexes,
            }
        }
        "drop_table" => Operation::DropTable {
            table: req_name(&bind(&["table_name"], args, kwargs), "table_name", name)?,
        },
        "rename_table" => {
            let m = bind(&["old_table_name", "new_table_name"], args, kwargs);
            Operation::RenameTable {
                table: req_name(&m, "old_table_name", name)?,
                new_name: req_name(&m, "new_table_name", name)?,
            }
        }
        "add_column" => {
            let m = bind(&["table_name", "column"], args, kwargs);
            let col = m.get("column").ok_or("`add_column` without a column")?;
            Operation::AddColumn {
                table: req_name(&m, "table_name", name)?,
                column: column_from(col)?,
            }
        }
        "drop_column" => {
            let m = bind(&["table_name", "column_name"], args, kwargs);
            Operation::DropColumn {
                table: req_name(&m, "table_name", name)?,
                column: req_name(&m, "column_name", name)?,
            }
        }
        "alter_column" => {
            let m = bind(&["table_name", "column_name"], args, kwargs);
            let changes: Vec<(String, Val)> = kwargs
                .iter()
                .filter(|(k, _)| !matches!(k.as_str(), "table_name" | "column_name" | "schema"))
                .cloned()
                .collect();
            Operation::AlterColumn {
                table: req_name(&m, "table_name", name)?,
                column: req_name(&m, "column_name", name)?,
                changes,
            }
        }
        "create_index" => {
            let m = bind(&["index_name", "table_name", "columns"], args, kwargs);
            let unique = matches!(m.get("unique"), Some(Val::Bool(true)));
            Operation::CreateIndex {
                name: req_name(&m, "index_name", name)?,
                table: req_name(&m, "table_name", name)?,
                columns: names(m.get("columns")),
                unique,
                dialect_kw: kwargs
                    .iter()
                    .filter(|(k, _)| {
                        ["postgresql_", "mysql_", "sqlite_", "mssql_"]
                            .iter()
                            .any(|p| k.starts_with(p))
                    })
                    .cloned()
                    .collect(),
            }
        }
        "drop_index" => {
            let m = bind(&["index_name", "table_name"], args, kwargs);
            Operation::DropIndex {
                name: req_name(&m, "index_name", name)?,
                table: m.get("table_name").and_then(|v| v.name()),
            }
        }
        "create_unique_constraint" | "create_primary_key" => {
            let m = bind(&["constraint_name", "table_name", "columns"], args, kwargs);
            let cname = m.get("constraint_name").and_then(|v| v.name());
            let columns = names(m.get("columns"));
            let constraint = if name == "create_primary_key" {
                Constraint::PrimaryKey {
                    name: cname,
                    columns,
                }
            } else {
                Constraint::Unique {
                    name: cname,
                    columns,
                }
            };
            Operation::AddConstraint {
                table: req_name(&m, "table_name", name)?,
                constraint,
            }
        }
        "create_check_constraint" => {
            let m = bind(
                &["constraint_name", "table_name", "condition"],
                args,
                kwargs,
            );
            let condition = opt_str(m.get("condition"))
                .ok_or("`create_check_constraint` with a condition the planner cannot read")?;
            Operation::AddConstraint {
                table: req_name(&m, "table_name", name)?,
                constraint: Constraint::Check {
                    name: m.get("constraint_name").and_then(|v| v.name()),
                    condition,
                },
            }
        }
        "create_foreign_key" => {
            let m = bind(
                &[
                    "constraint_name",
                    "source_table",
                    "referent_table",
                    "local_cols",
                    "remote_cols",
                ],
                args,
                kwargs,
            );
            Operation::AddConstraint {
                table: req_name(&m, "source_table", name)?,
                constraint: Constraint::ForeignKey {
                    name: m.get("constraint_name").and_then(|v| v.name()),
                    columns: names(m.get("local_cols")),
                    referent: req_name(&m, "referent_table", name)?,
                    remote: names(m.get("remote_cols")),
                    ondelete: m.get("ondelete").and_then(|v| v.name()),
                },
            }
        }
        "drop_constraint" => {
            let m = bind(&["constraint_name", "table_name", "type_"], args, kwargs);
            Operation::DropConstraint {
                name: req_name(&m, "constraint_name", name)?,
                table: req_name(&m, "table_name", name)?,
                kind: m.get("type_").and_then(|v| v.name()),
            }
        }
        "create_table_comment" => {
            let m = bind(&["table_name", "comment"], args, kwargs);
            Operation::TableComment {
                table: req_name(&m, "table_name", name)?,
                comment: m.get("comment").and_then(|v| v.name()),
            }
        }
        "drop_table_comment" => Operation::TableComment {
            table: req_name(&bind(&["table_name"], args, kwargs), "table_name", name)?,
            comment: None,
        },
        "execute" => {
            let m = bind(&["sqltext"], args, kwargs);
            let sql = match m.get("sqltext") {
                Some(Val::Str(s)) => s.clone(),
                Some(v @ Val::Call { func, .. }) if func.ends_with(".text") => {
                    opt_str(Some(v)).unwrap_or_else(|| v.render())
                }
                Some(other) => other.render(),
                None => return Err("`execute` without SQL".into()),
            };
            Operation::Execute { sql }
        }
        "bulk_insert" => {
            let m = bind(&["table", "rows"], args, kwargs);
            let table = m
                .get("table")
                .and_then(|t| table_name_of(t))
                .ok_or("`bulk_insert` into a table the planner cannot read")?;
            let columns: Vec<String> = match m.get("table") {
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
            let rows = m
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
            Operation::BulkInsert {
                table,
                columns,
                rows,
            }
        }
        "f" | "inline_literal" | "batch_alter_table" | "get_bind" | "get_context" => {
            return Ok(None)
        }
        other => {
            return Err(format!(
                "`op.{other}` is not an operation the planner knows"
            ))
        }
    };
    Ok(Some(op))
}
