//! SQLAlchemy Core statements passed to `op.execute` (or the offline connection's
//! `execute`): `t.update().where(t.c.x == None).values({"x": "y"})` on a lightweight
//! `sa.table(...)`, the data fix-up real migrations write next to their DDL. Alembic's
//! offline mode compiles such a statement with its values inlined; the rules below are
//! SQLAlchemy 2.1's (checked against it in `tests/fixtures/render/core_update`):
//!
//! - `SET` lists the columns in the table's order, unqualified; `WHERE` conditions are
//!   qualified (`nodes.state IS NULL`) and joined with `AND`, in the order written;
//! - a plain Python value takes the column's type: a string in a string column, an integer
//!   in an integer one, a boolean in a `Boolean` (`true` or `1` as the dialect spells it);
//!   `op.inline_literal(v)` and `sa.literal(v)` take the value's own type;
//! - `== None`, `== sa.null()` and `.is_(None)` are `IS NULL`.
//!
//! Anything else (a value of another kind than its column, a column with `onupdate=`, an
//! untyped column given a plain value, which SQLAlchemy refuses, other operators,
//! `.returning()`) is not modelled: the builder says so and the statement is annotated,
//! never guessed. Strings are inlined as the env of Alembic's template compiles them
//! (`paramstyle="named"`: a `%` is written once), as everywhere else in the renderer.

use crate::python::Val;

/// `t.c`, the column collection of a table value.
const COLUMNS: &str = "sqlalchemy.sql.ColumnCollection";
/// `t.c.x`, one column of a table value: `(table, name)`.
const COLUMN: &str = "sqlalchemy.sql.TableColumn";

/// A value of an UPDATE: a literal as SQLAlchemy inlines it, typed (each dialect spells
/// it: `render`), or another column of the row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SqlValue {
    Null,
    Bool(bool),
    Int(i64),
    /// A string; `national` when its column is `Unicode` (SQL Server writes `N'...'`).
    Str {
        text: String,
        national: bool,
    },
    /// `t.c.other`: the row's value of another column (`SET a=t.b`).
    Column(String),
}

/// One condition of an UPDATE's `WHERE`: `table.column = value`, `!=`, `IS [NOT] NULL`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowFilter {
    pub column: String,
    /// `=` / `IS NULL` when true, `!=` / `IS NOT NULL` when false.
    pub equal: bool,
    pub value: SqlValue,
}

/// `UPDATE table SET ... [WHERE ...]`, as the builder read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowUpdate {
    pub table: String,
    /// In the table's column order.
    pub set: Vec<(String, SqlValue)>,
    pub filter: Vec<RowFilter>,
}

/// The last part of a SQLAlchemy (or `op.`) callable's name: `table` of
/// `sqlalchemy.sql.expression.table`; `None` for the application's own callables.
fn sa_name(func: &str) -> Option<&str> {
    if func.starts_with("sqlalchemy.") || func.starts_with("alembic.op.") {
        func.rsplit('.').next()
    } else {
        None
    }
}

/// A table value's name and columns, `(name, the column's call)` in order: `sa.table("t",
/// sa.column("x", sa.String()))`, `sa.Table("t", metadata, sa.Column(...))` or the table
/// `op.create_table` returns.
fn table_of(v: &Val) -> Option<(&str, Vec<(&str, &Val)>)> {
    let Val::Call { func, args, .. } = v else {
        return None;
    };
    if !matches!(sa_name(func), Some("table" | "Table")) {
        return None;
    }
    let name = args.first()?.as_str()?;
    let columns = args
        .iter()
        .skip(1)
        .filter_map(|c| match c {
            Val::Call { func, args, .. } if matches!(sa_name(func), Some("column" | "Column")) => {
                Some((args.first()?.as_str()?, c))
            }
            _ => None,
        })
        .collect();
    Some((name, columns))
}

/// An attribute of a value the evaluator keeps structured: a table's `c` (or `columns`)
/// and a column of it. `None` for anything else (left opaque).
pub fn property(receiver: &Val, name: &str) -> Option<Val> {
    match receiver {
        Val::Call { func, args, .. } if func == COLUMNS => {
            let (_, columns) = table_of(args.first()?)?;
            Some(if columns.iter().any(|(c, _)| *c == name) {
                Val::Call {
                    func: COLUMN.into(),
                    args: vec![args[0].clone(), Val::Str(name.into())],
                    kwargs: Vec::new(),
                }
            } else {
                Val::Opaque(format!("the table has no column `{name}`"))
            })
        }
        table if matches!(name, "c" | "columns") && table_of(table).is_some() => Some(Val::Call {
            func: COLUMNS.into(),
            args: vec![table.clone()],
            kwargs: Vec::new(),
        }),
        _ => None,
    }
}

/// A method of Core's values, as the evaluator's hook answers it: `Some(None)` keeps the
/// call structured (`update()` of a table value, `where`/`values` of one: the statement
/// the builder reads); `Some(Some(v))` is its value (a column's `.is_(None)` /
/// `.is_not(None)`, a call of Python's `operator` like `==`); `None` when it is neither.
pub fn method(receiver: &Val, name: &str, args: &[Val]) -> Option<Option<Val>> {
    match name {
        "update" if table_of(receiver).is_some() => Some(None),
        "where" | "values" if root(receiver).is_some() => Some(None),
        "is_" | "is_not" | "isnot" => match (receiver, args) {
            (Val::Call { func, .. }, [x]) if func == COLUMN && null(x) => Some(Some(Val::Call {
                func: if name == "is_" {
                    "operator.eq"
                } else {
                    "operator.ne"
                }
                .into(),
                args: vec![receiver.clone(), Val::None],
                kwargs: Vec::new(),
            })),
            _ => None,
        },
        _ => None,
    }
}

/// The table an UPDATE chain starts from: `t.update()` or `sa.update(t)`.
fn root(v: &Val) -> Option<&Val> {
    match v {
        Val::Method { receiver, name, .. } if name == "update" => {
            table_of(receiver).map(|_| receiver.as_ref())
        }
        Val::Method { receiver, name, .. } if name == "where" || name == "values" => root(receiver),
        Val::Call { func, args, kwargs }
            if sa_name(func) == Some("update") && kwargs.is_empty() =>
        {
            match args.as_slice() {
                [t] if table_of(t).is_some() => Some(t),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether `v` is an UPDATE statement of a table value (modelled or not).
pub fn is_update(v: &Val) -> bool {
    root(v).is_some()
}

/// `v` as an UPDATE the renderer writes exactly, or why it is not modelled; `None` when it
/// is not an UPDATE statement at all.
pub fn update(v: &Val) -> Option<Result<RowUpdate, String>> {
    let table = root(v)?;
    Some(read_update(v, table))
}

fn read_update(v: &Val, table: &Val) -> Result<RowUpdate, String> {
    let (name, columns) = table_of(table).ok_or("an UPDATE of an unknown table")?;
    // the chain from the root out: `where`s and `values` in the order written
    let mut chain = Vec::new();
    let mut at = v;
    while let Val::Method {
        receiver,
        name,
        args,
        kwargs,
    } = at
    {
        if name == "update" {
            if !args.is_empty() || !kwargs.is_empty() {
                return Err("`update()` with arguments".into());
            }
            break;
        }
        chain.push((name.as_str(), args, kwargs));
        at = receiver;
    }
    chain.reverse();
    // SQLAlchemy adds every column with `onupdate=` to the SET: any keyword but these is
    // not modelled, whichever columns the statement names
    for (c, _) in &columns {
        column_type(&columns, name, c)?;
    }
    let type_of = |c: &str| column_type(&columns, name, c);
    let mut assigned: Vec<(String, SqlValue)> = Vec::new();
    let mut filter = Vec::new();
    for (method, args, kwargs) in chain {
        match method {
            "where" => {
                if !kwargs.is_empty() {
                    return Err("`where()` with keyword arguments".into());
                }
                for a in args {
                    conditions(a, name, &columns, &mut filter)?;
                }
            }
            _ => {
                let mut pairs: Vec<(String, &Val)> = Vec::new();
                match args.as_slice() {
                    [] => {}
                    [Val::Dict(items)] => {
                        for (k, x) in items {
                            let key = match k {
                                Val::Str(s) => s.clone(),
                                c => column_name(c, name)
                                    .ok_or("a `values()` key that is not a column")?,
                            };
                            pairs.push((key, x));
                        }
                    }
                    _ => return Err("`values()` arguments other than one dict".into()),
                }
                pairs.extend(kwargs.iter().map(|(k, x)| (k.clone(), x)));
                for (c, x) in pairs {
                    let lit = set_value(x, type_of(&c)?, name)
                        .ok_or_else(|| format!("`{c}` set to {}", x.render()))?;
                    assigned.retain(|(n, _)| *n != c);
                    assigned.push((c, lit));
                }
            }
        }
    }
    if assigned.is_empty() {
        return Err("an UPDATE without `values()`".into());
    }
    let set = columns
        .iter()
        .filter_map(|(c, _)| assigned.iter().find(|(n, _)| n == c).cloned())
        .collect();
    Ok(RowUpdate {
        table: name.to_string(),
        set,
        filter,
    })
}

/// The type of column `c` of the table `table` (`None`: untyped), or why it is not
/// modelled (no such column, an `onupdate=` SQLAlchemy would add to the `SET`).
fn column_type<'t>(
    columns: &[(&str, &'t Val)],
    table: &str,
    c: &str,
) -> Result<Option<&'t Val>, String> {
    let (_, call) = columns
        .iter()
        .find(|(n, _)| *n == c)
        .ok_or_else(|| format!("`{c}` is not a column of the `sa.table()` ({table})"))?;
    let Val::Call { args, kwargs, .. } = call else {
        return Ok(None);
    };
    if let Some((k, _)) = kwargs
        .iter()
        .find(|(k, _)| !matches!(k.as_str(), "nullable" | "default" | "primary_key"))
    {
        return Err(format!("a column `{c}` with `{k}=`"));
    }
    Ok(args.get(1))
}

/// The name of `c` when it is a column of the table `table`.
fn column_name(c: &Val, table: &str) -> Option<String> {
    match c {
        Val::Call { func, args, .. } if func == COLUMN => match args.as_slice() {
            [t, Val::Str(n)] if table_of(t).is_some_and(|(tn, _)| tn == table) => Some(n.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// The conditions of one `where()` argument (`sa.and_(...)` flattened) into `out`.
fn conditions(
    v: &Val,
    table: &str,
    columns: &[(&str, &Val)],
    out: &mut Vec<RowFilter>,
) -> Result<(), String> {
    let Val::Call { func, args, kwargs } = v else {
        return Err(format!("the condition {}", v.render()));
    };
    if !kwargs.is_empty() {
        return Err(format!("the condition {}", v.render()));
    }
    if sa_name(func) == Some("and_") {
        if args.is_empty() {
            return Err("an empty `and_()`".into());
        }
        for a in args {
            conditions(a, table, columns, out)?;
        }
        return Ok(());
    }
    let equal = match func.as_str() {
        "operator.eq" => true,
        "operator.ne" => false,
        _ => return Err(format!("the condition {}", v.render())),
    };
    let (column, value) = match args.as_slice() {
        [c, x] if column_name(c, table).is_some() => (column_name(c, table), x),
        [x, c] if column_name(c, table).is_some() => (column_name(c, table), x),
        _ => (None, &Val::None),
    };
    let column = column.ok_or_else(|| format!("the condition {}", v.render()))?;
    let value = where_value(value, column_type(columns, table, &column)?)
        .ok_or_else(|| format!("`{column}` compared with {}", value.render()))?;
    out.push(RowFilter {
        column,
        equal,
        value,
    });
    Ok(())
}

/// `None` and `sa.null()`.
fn null(v: &Val) -> bool {
    match v {
        Val::None => true,
        Val::Call { func, args, kwargs } => {
            args.is_empty() && kwargs.is_empty() && sa_name(func) == Some("null")
        }
        _ => false,
    }
}

/// What kind of values a column type takes as they are: `None` for a type the module
/// does not know (not modelled).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Str { national: bool },
    Int,
    Bool,
}

fn kind_of(type_: &Val) -> Option<Kind> {
    let (func, args, kwargs) = match type_ {
        Val::Call { func, args, kwargs } => (func.as_str(), args.as_slice(), kwargs.as_slice()),
        Val::Ref(func) => (func.as_str(), &[][..], &[][..]),
        _ => return None,
    };
    let plain = |k: Kind| {
        // a length, or Boolean's create_constraint/name: no effect on a literal
        let simple = args.iter().all(|a| matches!(a, Val::Int(_)))
            && kwargs.iter().all(|(k, v)| {
                matches!(k.as_str(), "length" | "create_constraint" | "name")
                    && matches!(v, Val::Int(_) | Val::Bool(_) | Val::Str(_) | Val::None)
            });
        simple.then_some(k)
    };
    match sa_name(func)? {
        "String" | "Text" | "VARCHAR" | "CHAR" | "TEXT" => plain(Kind::Str { national: false }),
        "Unicode" | "UnicodeText" => plain(Kind::Str { national: true }),
        "Integer" | "SmallInteger" | "BigInteger" | "INTEGER" | "SMALLINT" | "BIGINT" => {
            plain(Kind::Int)
        }
        "Boolean" | "BOOLEAN" => plain(Kind::Bool),
        _ => None,
    }
}

/// A Python value as it is, in a column of `kind`.
fn typed(v: &Val, kind: Kind) -> Option<SqlValue> {
    match (v, kind) {
        (Val::Str(s), Kind::Str { national }) => Some(SqlValue::Str {
            text: s.clone(),
            national,
        }),
        (Val::Int(i), Kind::Int) => Some(SqlValue::Int(*i)),
        (Val::Bool(b), Kind::Bool) => Some(SqlValue::Bool(*b)),
        _ => None,
    }
}

/// A Python value with its own type (`sa.literal("0")`, an untyped column's comparison).
fn own_type(v: &Val) -> Option<SqlValue> {
    match v {
        Val::Str(_) => typed(v, Kind::Str { national: false }),
        Val::Int(_) => typed(v, Kind::Int),
        Val::Bool(_) => typed(v, Kind::Bool),
        _ => None,
    }
}

/// A SQL construct that carries its own value: `sa.null()`, `sa.true()`, `sa.false()`,
/// `op.inline_literal(v)`, `sa.literal(v)`; `None` when `v` is not one.
fn construct(v: &Val) -> Option<Option<SqlValue>> {
    if null(v) {
        return Some(Some(SqlValue::Null));
    }
    let Val::Call { func, args, kwargs } = v else {
        return None;
    };
    let short = sa_name(func)?;
    Some(match (short, args.as_slice()) {
        ("true" | "false", []) if kwargs.is_empty() => Some(SqlValue::Bool(short == "true")),
        ("inline_literal" | "literal", [x]) if kwargs.is_empty() => own_type(x),
        _ => None,
    })
}

/// A `values()` value: another column of the row, or a literal; SQLAlchemy refuses a
/// plain value in an untyped column.
fn set_value(v: &Val, type_: Option<&Val>, table: &str) -> Option<SqlValue> {
    if let Some(c) = column_name(v, table) {
        return Some(SqlValue::Column(c));
    }
    literal(v, type_, false)
}

/// A value compared with a column: an untyped column's takes the value's own type.
fn where_value(v: &Val, type_: Option<&Val>) -> Option<SqlValue> {
    literal(v, type_, true)
}

/// A literal for a column of `type_`: a construct that carries its own value, `None`, or a
/// plain value of the column's kind; in an untyped column, of its own kind when
/// `untyped_ok`.
fn literal(v: &Val, type_: Option<&Val>, untyped_ok: bool) -> Option<SqlValue> {
    if let Some(c) = construct(v) {
        return c;
    }
    match (v, type_) {
        (Val::None, _) => Some(SqlValue::Null),
        (_, Some(t)) => typed(v, kind_of(t)?),
        (_, None) if untyped_ok => own_type(v),
        (_, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::ops::{interpret, Operation, Step};

    /// The steps of `upgrade()` holding `body`, after two `sa.table()`s: `t` of four columns,
    /// `w` with an `onupdate=` column.
    fn steps(body: &str) -> Vec<Step> {
        let text = format!(
            "from alembic import op\nimport sqlalchemy as sa\nrevision = 'a'\ndown_revision = None\n\
             t = sa.table('t', sa.column('s', sa.String(9)), sa.column('n', sa.Integer()), \
             sa.column('b', sa.Boolean()), sa.column('u'))\n\
             w = sa.table('w', sa.Column('o', sa.Integer(), onupdate=1), sa.column('s', sa.String(9)))\n\
             def upgrade():\n    {body}\n"
        );
        interpret(&text)
            .upgrade
            .into_iter()
            .map(|s| s.step)
            .collect()
    }

    fn update_of(body: &str) -> super::RowUpdate {
        match steps(body).as_slice() {
            [Step::Op(op)] => match op.as_ref() {
                Operation::UpdateRows(u) => u.clone(),
                other => panic!("{body}: {other:?}"),
            },
            other => panic!("{body}: {other:?}"),
        }
    }

    /// Why the statement is not rendered: the reason of its one opaque step.
    fn refused(body: &str) -> String {
        match steps(body).as_slice() {
            [Step::Opaque { reason }] => reason.clone(),
            other => panic!("{body}: expected a not-modelled UPDATE, got {other:?}"),
        }
    }

    #[test]
    fn set_follows_the_table_s_column_order_and_conditions_the_order_written() {
        let u = update_of(
            "op.execute(t.update().where(t.c.b == True).where(t.c.s != None).values(n=1, s='x'))",
        );
        let set: Vec<&str> = u.set.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(set, ["s", "n"]);
        let filter: Vec<(&str, bool)> = u
            .filter
            .iter()
            .map(|f| (f.column.as_str(), f.equal))
            .collect();
        assert_eq!(filter, [("b", true), ("s", false)]);
    }

    #[test]
    fn what_sqlalchemy_would_write_otherwise_is_not_modelled() {
        for (body, why) in [
            // SQLAlchemy refuses a plain value in an untyped column
            ("op.execute(t.update().values(u='x'))", "`u` set to"),
            // Integer's literal processor would write `5`: a kind the module does not map
            ("op.execute(t.update().values(n='5'))", "`n` set to"),
            // an onupdate column joins the SET
            (
                "op.execute(w.update().values(s='x'))",
                "`o` with `onupdate=`",
            ),
            (
                "op.execute(t.update().where(t.c.n > 1).values(n=2))",
                "the condition",
            ),
            (
                "op.execute(t.update().values(zz=1))",
                "`zz` is not a column",
            ),
            ("op.execute(t.update())", "without `values()`"),
            ("op.execute(t.update().values(n=2).returning(t.c.n))", ""),
        ] {
            let reason = refused(body);
            assert!(reason.contains(why), "{body}: {reason}");
        }
    }

    #[test]
    fn a_missing_column_is_opaque_where_python_would_fail() {
        let reason = refused("op.execute(t.update().where(t.c.nope == 1).values(n=2))");
        assert!(reason.contains("no column `nope`"), "{reason}");
    }

    #[test]
    fn comparisons_of_sqlalchemy_objects_are_not_decided_as_python_values() {
        // `sa.Integer() == sa.Integer()` is False in Python (no equality of types): the
        // evaluator keeps it structured rather than answer True
        let text = "from alembic import op\nimport sqlalchemy as sa\nrevision = 'a'\ndown_revision = None\n\
                    def upgrade():\n    if sa.Integer() == sa.Integer():\n        op.drop_table('x')\n";
        let steps: Vec<Step> = interpret(text)
            .upgrade
            .into_iter()
            .map(|s| s.step)
            .collect();
        assert!(
            !steps.iter().any(|s| matches!(s, Step::Op(_))),
            "an undecidable condition must not pick a branch: {steps:?}"
        );
    }
}
