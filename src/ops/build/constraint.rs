//! `create_unique_constraint`, `create_primary_key`, `create_check_constraint`,
//! `create_foreign_key`, `drop_constraint`, and the constraint constructs of `create_table`.

use super::{names, text_of, Args, Built};
use crate::ops::ir::{Constraint, ConstraintKind, FkRules, Operation};
use crate::python::Val;

/// `ondelete=`, `onupdate=`, `deferrable=`, `initially=` of a `ForeignKey` or
/// `ForeignKeyConstraint` call.
pub(super) fn fk_rules(kwargs: &[(String, Val)]) -> FkRules {
    let kw = |k: &str| kwargs.iter().find(|(n, _)| n == k).map(|(_, v)| v);
    FkRules {
        ondelete: kw("ondelete").and_then(|v| v.name()),
        onupdate: kw("onupdate").and_then(|v| v.name()),
        deferrable: kw("deferrable").and_then(bool_of),
        initially: kw("initially").and_then(|v| v.name()),
        use_alter: matches!(kw("use_alter"), Some(Val::Bool(true))),
    }
}

fn bool_of(v: &Val) -> Option<bool> {
    match v {
        Val::Bool(b) => Some(*b),
        _ => None,
    }
}

pub(super) fn create_unique_constraint(a: &Args) -> Built {
    Ok(Some(Operation::AddConstraint {
        table: a.name("table_name")?,
        constraint: Constraint::Unique {
            name: a.opt_name("constraint_name"),
            columns: a.names("columns"),
        },
    }))
}

pub(super) fn create_primary_key(a: &Args) -> Built {
    Ok(Some(Operation::AddConstraint {
        table: a.name("table_name")?,
        constraint: Constraint::PrimaryKey {
            name: a.opt_name("constraint_name"),
            columns: a.names("columns"),
        },
    }))
}

pub(super) fn create_check_constraint(a: &Args) -> Built {
    let condition = a
        .get("condition")
        .and_then(text_of)
        .ok_or("`create_check_constraint` with a condition the planner cannot read")?;
    Ok(Some(Operation::AddConstraint {
        table: a.name("table_name")?,
        constraint: Constraint::Check {
            name: a.opt_name("constraint_name"),
            condition,
        },
    }))
}

pub(super) fn create_foreign_key(a: &Args) -> Built {
    Ok(Some(Operation::AddConstraint {
        table: a.name("source_table")?,
        constraint: Constraint::ForeignKey {
            name: a.opt_name("constraint_name"),
            columns: a.names("local_cols"),
            referent: a.name("referent_table")?,
            remote: a.names("remote_cols"),
            rules: FkRules {
                ondelete: a.opt_name("ondelete"),
                onupdate: a.opt_name("onupdate"),
                deferrable: a.get("deferrable").and_then(bool_of),
                initially: a.opt_name("initially"),
                // (an `ALTER TABLE ... ADD CONSTRAINT` already: `use_alter` changes nothing)
                use_alter: false,
            },
        },
    }))
}

pub(super) fn drop_constraint(a: &Args) -> Built {
    Ok(Some(Operation::DropConstraint {
        name: a.name("constraint_name")?,
        table: a.name("table_name")?,
        kind: a
            .opt_name("type_")
            .and_then(|k| ConstraintKind::from_name(&k)),
        if_exists: a.is_true("if_exists"),
    }))
}

/// Reads a table-level constraint (`sa.PrimaryKeyConstraint(...)`, ...).
pub(super) fn constraint_from(v: &Val) -> Option<Constraint> {
    let Val::Call { func, args, kwargs } = v else {
        return None;
    };
    let kw = |k: &str| {
        kwargs
            .iter()
            .find(|(n, _)| n == k)
            .and_then(|(_, v)| v.name())
    };
    let name = kw("name");
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
                .map(|a| text_of(a).unwrap_or_else(|| a.render()))
                .unwrap_or_default(),
        },
        "ForeignKeyConstraint" => {
            let arg = |k: usize, key: &str| {
                args.get(k)
                    .or_else(|| kwargs.iter().find(|(n, _)| n == key).map(|(_, v)| v))
            };
            let cols = names(arg(0, "columns"));
            let refs = names(arg(1, "refcolumns"));
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
            Constraint::ForeignKey {
                name,
                columns: cols,
                referent,
                remote,
                rules: fk_rules(kwargs),
            }
        }
        _ => return None,
    })
}
