//! SQLAlchemy types compiled to SQL, as `GenericTypeCompiler` and the dialects' type
//! compilers spell them. A type is the evaluator's value of the expression written in the
//! migration (`sa.String(255)`, `postgresql.ARRAY(sa.Integer())`, `sa.Integer().with_variant(
//! mysql.BIGINT(), "mysql")`).

use super::DdlDialect;
use crate::base::Dialect;
use crate::python::{short_name, Val};

/// Positional argument `k`, or keyword `key`.
pub fn arg<'a>(t: &'a Val, k: usize, key: &str) -> Option<&'a Val> {
    match t {
        Val::Call { args, kwargs, .. } => args
            .get(k)
            .or_else(|| kwargs.iter().find(|(n, _)| n == key).map(|(_, v)| v)),
        _ => None,
    }
}

pub fn int_arg(t: &Val, k: usize, key: &str) -> Option<i64> {
    match arg(t, k, key) {
        Some(Val::Int(i)) => Some(*i),
        _ => None,
    }
}

pub fn bool_kw(t: &Val, key: &str) -> Option<bool> {
    match t.kwarg(key) {
        Some(Val::Bool(b)) => Some(*b),
        _ => None,
    }
}

/// The type a dialect uses: `T.with_variant(V, "mysql", "mariadb")` is `V` on MySQL and
/// `T` elsewhere; `T.evaluates_none()` is `T`.
pub fn for_dialect(t: &Val, dialect: Dialect) -> &Val {
    match t {
        Val::Method {
            receiver,
            name,
            args,
            ..
        } if name == "with_variant" => {
            let named = args
                .iter()
                .skip(1)
                .flat_map(|a| match a {
                    Val::List(v) => v.iter().filter_map(|x| x.name()).collect::<Vec<_>>(),
                    other => other.name().into_iter().collect(),
                })
                .any(|d| d == dialect.name());
            match (named, args.first()) {
                (true, Some(v)) => for_dialect(v, dialect),
                _ => for_dialect(receiver, dialect),
            }
        }
        Val::Method { receiver, name, .. }
            if name == "evaluates_none" || name == crate::python::AS_CLASS =>
        {
            for_dialect(receiver, dialect)
        }
        other => other,
    }
}

/// Whether a type value is an instance (`sa.DateTime()`), not a class (`sa.DateTime`):
/// Alembic's MySQL `alter_column` asks a type's `_type_affinity`, which a class does not
/// answer (a class's DATETIME is `MODIFY`d, an instance's `CHANGE`d).
pub fn is_instance(t: &Val) -> bool {
    match t {
        Val::Ref(_) => false,
        Val::Method { name, receiver, .. } if name != crate::python::AS_CLASS => {
            is_instance(receiver)
        }
        Val::Method { .. } => false,
        _ => true,
    }
}

/// The class name of a type value: `String`, `JSONB`, `BIGINT` (of the base type when it
/// has per-dialect variants).
pub fn type_name(t: &Val) -> Option<String> {
    match t {
        Val::Call { func, .. } | Val::Ref(func) => Some(
            short_name(func)
                .rsplit('.')
                .next()
                .unwrap_or("")
                .to_string(),
        ),
        Val::Method { receiver, .. } => type_name(receiver),
        _ => None,
    }
}

/// `(precision, scale)` style suffix: `(10, 2)`, `(10)`, or nothing.
fn precision(t: &Val, first: &str, second: &str) -> String {
    match (int_arg(t, 0, first), int_arg(t, 1, second)) {
        (Some(p), Some(s)) => format!("({p}, {s})"),
        (Some(p), None) => format!("({p})"),
        _ => String::new(),
    }
}

/// The string types' `(length)` suffix.
pub fn length(t: &Val) -> String {
    int_arg(t, 0, "length")
        .map(|n| format!("({n})"))
        .unwrap_or_default()
}

/// Compiles a type for a dialect; `Err` is SQLAlchemy's `CompileError` text or the reason
/// the planner cannot know the type.
pub fn compile_type<R: DdlDialect + ?Sized>(t: &Val, r: &R) -> Result<String, String> {
    // a type with an argument the planner cannot know (`String(length=ID_LEN)`, `ID_LEN`
    // from the application) is not known either: never the type without it
    let unknown = match for_dialect(t, r.dialect()) {
        Val::Opaque(reason) => Some(reason.clone()),
        chosen => chosen.opaque_reason(),
    };
    if let Some(reason) = unknown {
        return Err(format!(
            "a column type the planner cannot know: {reason} (map it to SQL with a type mapping, `--type-map NAME=SQL`)"
        ));
    }
    if let Val::Str(sql) = t {
        // a type written in SQL (from `op.execute` DDL)
        return Ok(sql.clone());
    }
    // `.with_variant(T, "dialect", ...)`, `.evaluates_none()`
    if let Val::Method { .. } = t {
        let resolved = for_dialect(t, r.dialect());
        return match resolved {
            Val::Method { name, .. } => Err(format!(
                "the planner does not know how {} compiles a type's `.{name}()`",
                r.dialect().name()
            )),
            other => compile_type(other, r),
        };
    }
    let name = type_name(t).ok_or_else(|| format!("not a type: {}", t.render()))?;
    if name == "AutoString" {
        // SQLModel's: a TypeDecorator over `String` (its arguments), 255 long on MySQL
        // when no length is given
        if let Val::Call { args, kwargs, .. } = t {
            let mut s = Val::Call {
                func: "sqlalchemy.String".into(),
                args: args.clone(),
                kwargs: kwargs.clone(),
            };
            if r.dialect() == Dialect::Mysql && int_arg(&s, 0, "length").is_none() {
                s = Val::Call {
                    func: "sqlalchemy.String".into(),
                    args: vec![Val::Int(255)],
                    kwargs: Vec::new(),
                };
            }
            return compile_type(&s, r);
        }
    }
    let sql = match r.type_override(&name, t) {
        Some(over) => over?,
        None => generic(&name, t, r)?,
    };
    Ok(with_collation(sql, &name, t, r))
}

/// The string types' `COLLATE` clause (`String(collation=...)`, also their second
/// positional argument): SQLAlchemy quotes the collation as an identifier on PostgreSQL
/// and SQLite (`COLLATE "C"`), writes it as it is on MySQL and SQL Server.
fn with_collation<R: DdlDialect + ?Sized>(sql: String, name: &str, t: &Val, r: &R) -> String {
    let string = matches!(
        name,
        "String"
            | "VARCHAR"
            | "Unicode"
            | "NVARCHAR"
            | "CHAR"
            | "NCHAR"
            | "Text"
            | "TEXT"
            | "UnicodeText"
            | "AutoString"
    );
    match arg(t, 1, "collation").and_then(Val::name) {
        Some(c) if string => match r.dialect() {
            Dialect::Postgresql | Dialect::Sqlite => format!("{sql} COLLATE {}", r.quote(&c)),
            Dialect::Mysql | Dialect::Mssql => format!("{sql} COLLATE {c}"),
        },
        _ => sql,
    }
}

fn generic<R: DdlDialect + ?Sized>(name: &str, t: &Val, r: &R) -> Result<String, String> {
    Ok(match name {
        "Integer" | "INTEGER" | "INT" => "INTEGER".into(),
        "BigInteger" | "BIGINT" => "BIGINT".into(),
        "SmallInteger" | "SMALLINT" => "SMALLINT".into(),
        "String" | "VARCHAR" | "Unicode" | "NVARCHAR" => {
            let base = if name == "NVARCHAR" {
                "NVARCHAR"
            } else {
                "VARCHAR"
            };
            format!("{base}{}", length(t))
        }
        "CHAR" | "NCHAR" => format!("{name}{}", length(t)),
        "Text" | "TEXT" | "UnicodeText" => format!("TEXT{}", length(t)),
        "CLOB" => "CLOB".into(),
        "Boolean" | "BOOLEAN" => "BOOLEAN".into(),
        "DateTime" | "DATETIME" => "DATETIME".into(),
        "TIMESTAMP" => "TIMESTAMP".into(),
        "Date" | "DATE" => "DATE".into(),
        "Time" | "TIME" => "TIME".into(),
        "Numeric" | "NUMERIC" => format!("NUMERIC{}", precision(t, "precision", "scale")),
        "DECIMAL" => format!("DECIMAL{}", precision(t, "precision", "scale")),
        // SQLAlchemy's generic compiler (SQLite's) writes no precision; PostgreSQL's,
        // MySQL's and SQL Server's do
        "Float" | "FLOAT" if r.dialect() == Dialect::Sqlite => "FLOAT".into(),
        "Float" | "FLOAT" => format!(
            "FLOAT{}",
            int_arg(t, 0, "precision")
                .map(|p| format!("({p})"))
                .unwrap_or_default()
        ),
        "Double" | "DOUBLE" => "DOUBLE".into(),
        "DOUBLE_PRECISION" => "DOUBLE PRECISION".into(),
        "REAL" => "REAL".into(),
        "LargeBinary" | "BLOB" => "BLOB".into(),
        "BINARY" => format!("BINARY{}", length(t)),
        "VARBINARY" => format!("VARBINARY{}", length(t)),
        "JSON" => "JSON".into(),
        "Uuid" => "CHAR(32)".into(),
        "UUID" => "UUID".into(),
        "Interval" => "DATETIME".into(),
        "Enum" => {
            // without native enums: VARCHAR as long as the longest value
            let longest = enum_values(t)
                .iter()
                .map(|v| v.chars().count())
                .max()
                .unwrap_or(0);
            match int_arg(t, usize::MAX, "length") {
                Some(n) => format!("VARCHAR({n})"),
                None => format!("VARCHAR({longest})"),
            }
        }
        "PickleType" => "BLOB".into(),
        other => {
            let _ = r;
            return Err(format!(
                "the planner does not know how {} compiles type `{other}`",
                r.dialect().name()
            ));
        }
    })
}

/// An `Enum(...)`'s values (positional strings).
pub fn enum_values(t: &Val) -> Vec<String> {
    match t {
        Val::Call { args, .. } => args.iter().filter_map(|a| a.name()).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::interpret;
    use crate::render::renderer;

    /// The type of the first column of the first `create_table` in `upgrade()`.
    fn column_type(type_src: &str) -> Val {
        let ops = interpret(&format!(
            "import sqlalchemy as sa\nfrom sqlalchemy.dialects import mysql, sqlite\nfrom alembic import op\n\ndef upgrade():\n    op.create_table('t', sa.Column('x', {type_src}))\n"
        ));
        match &ops.upgrade[0].step {
            crate::ops::Step::Op(op) => match op.as_ref() {
                crate::ops::Operation::CreateTable { columns, .. } => {
                    columns[0].type_.clone().expect("a type")
                }
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn with_variant_names_every_dialect_it_applies_to() {
        // one variant for two dialects: was stored as `variant[mysql,mariadb]`, never found
        let t = column_type("sa.Integer().with_variant(mysql.BIGINT(), 'mysql', 'mariadb')");
        let on = |d: Dialect| compile_type(&t, renderer(d)).unwrap();
        assert_eq!(on(Dialect::Mysql), "BIGINT");
        assert_eq!(on(Dialect::Postgresql), "INTEGER");
        // chained variants, the last written for its dialect
        let t = column_type(
            "sa.String(20).with_variant(mysql.VARCHAR(30), 'mysql').with_variant(sa.Text(), 'sqlite')",
        );
        let on = |d: Dialect| compile_type(&t, renderer(d)).unwrap();
        assert_eq!(on(Dialect::Mysql), "VARCHAR(30)");
        assert_eq!(on(Dialect::Sqlite), "TEXT");
        assert_eq!(on(Dialect::Postgresql), "VARCHAR(20)");
        // `evaluates_none()` keeps the type
        let t = column_type("sa.JSON().evaluates_none()");
        assert_eq!(
            compile_type(&t, renderer(Dialect::Postgresql)).unwrap(),
            "JSON"
        );
    }
}
