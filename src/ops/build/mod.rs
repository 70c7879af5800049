//! Operations from calls: `op.<name>(...)` and `batch_op.<name>(...)`, their arguments
//! bound to Alembic's signatures ([`SIGNATURES`]), and one small builder per operation,
//! by family: tables (`table.rs`), columns (`column.rs`), indexes (`index.rs`),
//! constraints (`constraint.rs`), data and SQL (`data.rs`).

mod column;
mod constraint;
mod data;
mod index;
mod table;

use std::collections::HashMap;

use super::ir::Operation;
use crate::python::Val;

pub use column::column_from;
pub(crate) use data::{identity_options, sequence_ddl};
pub(crate) use index::function_element;

/// What a builder returns: the operation, `None` for a call that changes nothing
/// (`op.f`), or the reason the call is opaque.
type Built = Result<Option<Operation>, String>;

/// One Alembic operation as the planner reads it.
pub struct Signature {
    /// `op.<name>`.
    pub name: &'static str,
    /// Alembic's positional parameters, in order.
    pub params: &'static [&'static str],
    /// The parameter a `batch_alter_table` block supplies (its table), left out of the
    /// batch form's positional parameters; `None` when the operation has no batch form.
    pub batch_table: Option<&'static str>,
    build: fn(&Args) -> Built,
}

/// Every operation the planner models, by name.
pub const SIGNATURES: &[Signature] = &[
    Signature {
        name: "create_table",
        params: &["table_name"],
        batch_table: None,
        build: table::create_table,
    },
    Signature {
        name: "drop_table",
        params: &["table_name"],
        batch_table: None,
        build: table::drop_table,
    },
    Signature {
        name: "rename_table",
        params: &["old_table_name", "new_table_name"],
        batch_table: None,
        build: table::rename_table,
    },
    Signature {
        name: "create_table_comment",
        params: &["table_name", "comment"],
        batch_table: Some("table_name"),
        build: table::create_table_comment,
    },
    Signature {
        name: "drop_table_comment",
        params: &["table_name"],
        batch_table: Some("table_name"),
        build: table::drop_table_comment,
    },
    Signature {
        name: "add_column",
        params: &["table_name", "column"],
        batch_table: Some("table_name"),
        build: column::add_column,
    },
    Signature {
        name: "drop_column",
        params: &["table_name", "column_name"],
        batch_table: Some("table_name"),
        build: column::drop_column,
    },
    Signature {
        name: "alter_column",
        params: &["table_name", "column_name"],
        batch_table: Some("table_name"),
        build: column::alter_column,
    },
    Signature {
        name: "create_index",
        params: &["index_name", "table_name", "columns"],
        batch_table: Some("table_name"),
        build: index::create_index,
    },
    Signature {
        name: "drop_index",
        params: &["index_name", "table_name"],
        batch_table: Some("table_name"),
        build: index::drop_index,
    },
    Signature {
        name: "create_unique_constraint",
        params: &["constraint_name", "table_name", "columns"],
        batch_table: Some("table_name"),
        build: constraint::create_unique_constraint,
    },
    Signature {
        name: "create_primary_key",
        params: &["constraint_name", "table_name", "columns"],
        batch_table: Some("table_name"),
        build: constraint::create_primary_key,
    },
    Signature {
        name: "create_check_constraint",
        params: &["constraint_name", "table_name", "condition"],
        batch_table: Some("table_name"),
        build: constraint::create_check_constraint,
    },
    Signature {
        name: "create_foreign_key",
        params: &[
            "constraint_name",
            "source_table",
            "referent_table",
            "local_cols",
            "remote_cols",
        ],
        batch_table: Some("source_table"),
        build: constraint::create_foreign_key,
    },
    Signature {
        name: "drop_constraint",
        params: &["constraint_name", "table_name", "type_"],
        batch_table: Some("table_name"),
        build: constraint::drop_constraint,
    },
    Signature {
        name: "execute",
        params: &["sqltext"],
        batch_table: None,
        build: data::execute,
    },
    Signature {
        name: "bulk_insert",
        params: &["table", "rows"],
        batch_table: None,
        build: data::bulk_insert,
    },
    // calls that make no operation by themselves
    Signature {
        name: "f",
        params: &["name"],
        batch_table: None,
        build: nothing,
    },
    Signature {
        name: "inline_literal",
        params: &["value"],
        batch_table: None,
        build: nothing,
    },
    Signature {
        name: "batch_alter_table",
        params: &["table_name"],
        batch_table: None,
        build: nothing,
    },
    Signature {
        name: "get_bind",
        params: &[],
        batch_table: None,
        build: nothing,
    },
    Signature {
        name: "get_context",
        params: &[],
        batch_table: None,
        build: nothing,
    },
];

fn nothing(_: &Args) -> Built {
    Ok(None)
}

/// The signature of `op.<name>`, if the planner models it.
pub fn signature(name: &str) -> Option<&'static Signature> {
    SIGNATURES.iter().find(|s| s.name == name)
}

/// A call's arguments bound to its operation's parameter names: positional arguments in
/// signature order, then keywords (a keyword wins over a position).
pub(crate) struct Args<'v> {
    /// `op.<name>`, for messages.
    pub op: &'static str,
    named: HashMap<&'v str, &'v Val>,
    /// Every keyword argument, as written.
    pub kwargs: &'v [(String, Val)],
    /// Positional arguments past the signature's (`create_table`'s columns, ...).
    pub rest: &'v [Val],
}

impl<'v> Args<'v> {
    pub fn get(&self, key: &str) -> Option<&'v Val> {
        self.named.get(key).copied()
    }

    /// A required name (a string, or `op.f(...)`).
    pub fn name(&self, key: &str) -> Result<String, String> {
        self.get(key)
            .and_then(|v| v.name())
            .ok_or_else(|| format!("`{}` without a known `{key}`", self.op))
    }

    /// An optional name.
    pub fn opt_name(&self, key: &str) -> Option<String> {
        self.get(key).and_then(|v| v.name())
    }

    /// A list of column names (names, `op.f`, `sa.column("x")`), or one name.
    pub fn names(&self, key: &str) -> Vec<String> {
        names(self.get(key))
    }

    pub fn is_true(&self, key: &str) -> bool {
        matches!(self.get(key), Some(Val::Bool(true)))
    }
}

/// A list of column names (names, `op.f`, `sa.column("x")`), or one name.
pub(crate) fn names(v: Option<&Val>) -> Vec<String> {
    match v {
        Some(Val::List(items)) => items
            .iter()
            .map(|i| match i {
                Val::Call { func, args, .. }
                    if func.ends_with(".column")
                        || func.ends_with(".Column")
                        || func.ends_with(".text") =>
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

/// A string, or the string a `sa.text("...")` wraps.
pub(crate) fn text_of(v: &Val) -> Option<String> {
    match v {
        Val::Str(s) => Some(s.clone()),
        Val::Call { args, .. } => args.first().and_then(|a| a.as_str()).map(String::from),
        _ => None,
    }
}

/// Whether a value is a SQLAlchemy type: a class of one, or an instance, or one with a
/// per-dialect variant (`.with_variant(...)`).
pub(crate) fn is_type_val(v: &Val) -> bool {
    match v {
        Val::Call { func, .. } | Val::Ref(func) => is_type(func),
        Val::Method { receiver, name, .. } => {
            matches!(
                name.as_str(),
                "with_variant" | "evaluates_none" | crate::python::AS_CLASS
            ) && is_type_val(receiver)
        }
        _ => false,
    }
}

/// Whether a callable's name is a type's (capitalised, not a schema construct).
pub(crate) fn is_type(func: &str) -> bool {
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

/// The positional parameters of an operation, without the batch block's table.
fn positional(sig: &Signature, batch: bool) -> Vec<&'static str> {
    match (batch, sig.batch_table) {
        (true, Some(p)) => sig.params.iter().copied().filter(|x| *x != p).collect(),
        _ => sig.params.to_vec(),
    }
}

/// What an operation's call holds that the renderer does not model exactly (see
/// [`known`](crate::ops::known)): empty for a call whose SQL is exactly Alembic's.
pub(crate) fn unmodelled_in_call(
    name: &str,
    batch: bool,
    args: &[Val],
    kwargs: &[(String, Val)],
) -> crate::ops::known::Findings {
    let Some(sig) = signature(name) else {
        return Vec::new();
    };
    let params = positional(sig, batch);
    let bound: Vec<(&str, &Val)> = params.iter().copied().zip(args.iter()).collect();
    let rest = args.get(params.len()..).unwrap_or(&[]);
    crate::ops::known::unmodelled(name, &bound, rest, kwargs)
}

/// An operation from an `op.<name>(...)` call, or a `batch_op.<name>(...)` inside a block
/// on table `batch`. `Ok(None)`: a call that changes nothing (`op.f`); `Err`: the reason
/// it is opaque.
pub(crate) fn op_from_call(
    name: &str,
    batch: Option<&str>,
    args: &[Val],
    kwargs: &[(String, Val)],
) -> Built {
    let Some(sig) = signature(name) else {
        return Err(format!("`op.{name}` is not an operation the planner knows"));
    };
    let batch_table = batch.map(|t| Val::Str(t.to_string()));
    let mut named: HashMap<&str, &Val> = HashMap::new();
    let params = positional(sig, batch.is_some());
    if let (Some(t), Some(p)) = (&batch_table, sig.batch_table) {
        named.insert(p, t);
    }
    for (p, a) in params.iter().zip(args.iter()) {
        named.insert(p, a);
    }
    for (k, v) in kwargs {
        named.insert(k.as_str(), v);
    }
    let bound = Args {
        op: sig.name,
        named,
        kwargs,
        rest: args.get(params.len()..).unwrap_or(&[]),
    };
    (sig.build)(&bound)
}
