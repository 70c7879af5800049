//! `add_column`, `drop_column`, `alter_column`, and `sa.Column(...)` itself.

use super::{is_type_val, Args, Built};
use crate::ops::ir::{Change, Column, ColumnChanges, ColumnForeignKey, Operation};
use crate::python::{short_name, Val};

pub(super) fn add_column(a: &Args) -> Built {
    let col = a.get("column").ok_or("`add_column` without a column")?;
    Ok(Some(Operation::AddColumn {
        table: a.name("table_name")?,
        column: column_from(col)?,
        if_not_exists: a.is_true("if_not_exists"),
    }))
}

pub(super) fn drop_column(a: &Args) -> Built {
    Ok(Some(Operation::DropColumn {
        table: a.name("table_name")?,
        column: a.name("column_name")?,
        if_exists: a.is_true("if_exists"),
    }))
}

pub(super) fn alter_column(a: &Args) -> Built {
    Ok(Some(Operation::AlterColumn {
        table: a.name("table_name")?,
        column: a.name("column_name")?,
        changes: column_changes(a.kwargs)?,
    }))
}

/// `alter_column`'s keywords, read with Alembic's defaults: `server_default` and
/// `comment` left alone when absent or `False`, dropped when `None`.
fn column_changes(kwargs: &[(String, Val)]) -> Result<ColumnChanges, String> {
    let mut c = ColumnChanges::default();
    let flag = |k: &str, v: &Val| match v {
        Val::Bool(b) => Ok(Some(*b)),
        Val::None => Ok(None),
        other => Err(format!(
            "`alter_column` with `{k}={}`, which is not True, False or None",
            other.render()
        )),
    };
    let text = |k: &str, v: &Val| match v {
        Val::Str(s) => Ok(Some(s.clone())),
        Val::None | Val::Bool(false) => Ok(None),
        other => v.name().map(Some).ok_or_else(|| {
            format!(
                "`alter_column` with `{k}={}`, which is not a string",
                other.render()
            )
        }),
    };
    let given = |v: &Val| !matches!(v, Val::None | Val::Bool(false));
    for (k, v) in kwargs {
        match k.as_str() {
            "table_name" | "column_name" | "schema" => {}
            "nullable" => c.nullable = flag(k, v)?,
            "autoincrement" => c.autoincrement = flag(k, v)?,
            "existing_nullable" => c.existing_nullable = flag(k, v)?,
            "existing_autoincrement" => c.existing_autoincrement = flag(k, v)?,
            "type_" => c.type_ = given(v).then(|| v.clone()),
            "existing_type" => c.existing_type = given(v).then(|| v.clone()),
            "server_default" => {
                c.server_default = match v {
                    Val::Bool(false) => Change::Keep,
                    Val::None => Change::Drop,
                    other => Change::Set(other.clone()),
                }
            }
            "existing_server_default" => {
                c.existing_server_default = given(v).then(|| v.clone());
            }
            "comment" => {
                c.comment = match v {
                    Val::Bool(false) => Change::Keep,
                    Val::None => Change::Drop,
                    other => Change::Set(text(k, other)?.unwrap_or_default()),
                }
            }
            "existing_comment" => c.existing_comment = text(k, v)?,
            "new_column_name" => c.new_column_name = text(k, v)?,
            _ => c.other.push((k.clone(), v.clone())),
        }
    }
    Ok(c)
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
        autoincrement: None,
        has_default: false,
        computed: None,
        sequence: None,
        identity: None,
        checks: Vec::new(),
    };
    for a in args {
        match a {
            Val::Str(s) if col.name.is_empty() => col.name = s.clone(),
            Val::Call {
                func: f,
                args: fa,
                kwargs: fkw,
            } if f.ends_with("ForeignKey") => {
                if let Some(t) = crate::ops::known::fk_target(fa, fkw).and_then(|x| x.name()) {
                    let (tbl, c) = t.rsplit_once('.').unwrap_or((t.as_str(), "id"));
                    let kw = |k: &str| fkw.iter().find(|(n, _)| n == k).and_then(|(_, v)| v.name());
                    col.foreign_keys.push(ColumnForeignKey {
                        referent: tbl.to_string(),
                        remote: c.to_string(),
                        name: kw("name"),
                        rules: super::constraint::fk_rules(fkw),
                    });
                }
            }
            t if is_type_val(t) => col.type_ = Some(a.clone()),
            // `sa.Computed("a * 2")` / `sa.Computed(sa.text("..."), persisted=True)`
            // (`ops::known::computed` says when it is written otherwise)
            Val::Call { func: f, .. } if f.ends_with("Computed") => {
                col.computed = crate::ops::known::computed(a);
            }
            Val::Call {
                func: f, kwargs, ..
            } if f.ends_with(".Sequence") => {
                col.sequence = Some(matches!(
                    kwargs.iter().find(|(k, _)| k == "optional"),
                    Some((_, Val::Bool(true)))
                ));
            }
            // (`ops::known` says when one is written otherwise)
            Val::Call { func: f, .. } if f.ends_with(".CheckConstraint") => {
                col.checks.extend(super::constraint::constraint_from(a));
            }
            Val::Call {
                func: f, kwargs, ..
            } if f.ends_with(".Identity") => {
                // (`ops::known` says when it is written otherwise)
                col.identity = super::data::identity_options(kwargs, &["always"])
                    .ok()
                    .and_then(|options| {
                        let always = match kwargs.iter().find(|(k, _)| k == "always") {
                            None | Some((_, Val::Bool(false))) => false,
                            Some((_, Val::Bool(true))) => true,
                            Some(_) => return None,
                        };
                        Some(crate::ops::ir::Identity { always, options })
                    });
            }
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
            ("autoincrement", Val::Bool(b)) => col.autoincrement = Some(*b),
            ("default", Val::None) => {}
            ("default", _) => col.has_default = true,
            _ => {}
        }
    }
    if col.name.is_empty() {
        return Err("a Column without a name".into());
    }
    Ok(col)
}
