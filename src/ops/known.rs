//! What the renderer models exactly: one table of the keyword arguments each operation,
//! construct (`Column`, `ForeignKey`, constraints, `Index`) and type is known to render as
//! Alembic does (or to have no effect on the DDL), and the check that reports everything
//! else. The planner never prints a silently different statement: a call with a keyword
//! outside this table, a construct it does not render (`sa.Identity()`, `sa.Computed()`,
//! `sa.Sequence()`), an expression where it expects a name, or a value of a kind it does
//! not model (`nullable=flag`), makes that statement annotated (`-- alembic-planner:
//! path:line: not modelled: ...`) where its SQL is printed.
//!
//! The table is the contract: a keyword is added here only with a fixture that shows
//! Alembic's output for it (tests/render.rs and the differential tests), and the test of
//! this module feeds every entry an unknown keyword to prove the check is not bypassed.

use crate::base::Dialect;
use crate::python::{short_name, Val};

/// The values a keyword is modelled with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Takes {
    /// Any value (the renderer handles every value, or the keyword has no DDL effect).
    Any,
    /// `True`, `False` or `None`.
    Bool,
    /// A name: a string, `op.f("...")` or `None`.
    Name,
    /// Only `None` (`schema=None`): any other value is not modelled.
    Nothing,
    /// `False` or `None` (`Boolean(create_constraint=False)`).
    Falsy,
    /// A SQL expression the renderer writes exactly: a string, `sa.text("...")`,
    /// `sa.literal_column("...")`, `sa.true()`/`sa.false()`, `sa.func.f(literals)`, `None`.
    Expression,
    /// What `op.execute` runs: an [`Expression`], or an UPDATE of a `sa.table()` the
    /// renderer writes exactly (`ops::dml`).
    Statement,
    /// A list of column names (strings, `op.f`, `sa.column("x")`, `sa.text("lower(x)")`).
    Names,
    /// A dict of strings to strings (`postgresql_ops={"id": "DESC"}`).
    NameMap,
    /// `bulk_insert` rows: dicts whose values are literals the renderer inlines exactly
    /// (`None`, booleans, numbers, strings, `op.inline_literal(...)` of one); a value such
    /// as `datetime.now()` is the running migration's, never printed as Python.
    Rows,
}

/// The keywords one operation, construct or type is known to render.
pub struct Known {
    /// `op.create_index`, `Column`, `String`...
    pub construct: &'static str,
    pub keywords: &'static [(&'static str, Takes)],
}

use Takes::*;

/// Alembic's operations (`op.<name>`, `batch_op.<name>`). Positional parameters are those
/// of the operation's signature (`ops::build::SIGNATURES`), also accepted as keywords.
pub const OPERATIONS: &[Known] = &[
    Known {
        construct: "create_table",
        // `extend_existing`/`keep_existing` act on a MetaData that already holds the
        // table; Alembic builds each operation's table in a fresh one
        keywords: &[
            ("table_name", Name),
            ("comment", Name),
            ("schema", Nothing),
            ("extend_existing", Bool),
            ("keep_existing", Bool),
            ("if_not_exists", Bool),
        ],
    },
    Known {
        construct: "drop_table",
        keywords: &[
            ("table_name", Name),
            ("schema", Nothing),
            ("if_exists", Bool),
        ],
    },
    Known {
        construct: "rename_table",
        keywords: &[
            ("old_table_name", Name),
            ("new_table_name", Name),
            ("schema", Nothing),
        ],
    },
    Known {
        construct: "create_table_comment",
        keywords: &[
            ("table_name", Name),
            ("comment", Name),
            ("existing_comment", Any),
            ("schema", Nothing),
        ],
    },
    Known {
        construct: "drop_table_comment",
        keywords: &[
            ("table_name", Name),
            ("existing_comment", Any),
            ("schema", Nothing),
        ],
    },
    Known {
        construct: "add_column",
        keywords: &[
            ("table_name", Name),
            ("column", Any),
            ("schema", Nothing),
            ("if_not_exists", Bool),
        ],
    },
    Known {
        construct: "drop_column",
        keywords: &[
            ("table_name", Name),
            ("column_name", Name),
            ("schema", Nothing),
            ("if_exists", Bool),
        ],
    },
    Known {
        construct: "alter_column",
        keywords: &[
            ("table_name", Name),
            ("column_name", Name),
            ("nullable", Bool),
            ("existing_nullable", Bool),
            ("autoincrement", Bool),
            ("existing_autoincrement", Bool),
            ("type_", Any),
            ("existing_type", Any),
            ("server_default", Expression),
            ("existing_server_default", Any),
            ("comment", Any),
            ("existing_comment", Any),
            ("new_column_name", Name),
            ("schema", Nothing),
        ],
    },
    Known {
        construct: "create_index",
        keywords: &[
            ("index_name", Name),
            ("table_name", Name),
            ("columns", Names),
            ("unique", Bool),
            ("if_not_exists", Bool),
            ("postgresql_using", Name),
            ("postgresql_where", Expression),
            ("postgresql_concurrently", Bool),
            ("postgresql_include", Names),
            ("postgresql_ops", NameMap),
            ("sqlite_where", Expression),
            ("schema", Nothing),
            ("info", Any),
        ],
    },
    Known {
        construct: "drop_index",
        keywords: &[
            ("index_name", Name),
            ("table_name", Name),
            ("if_exists", Bool),
            ("postgresql_concurrently", Bool),
            ("schema", Nothing),
        ],
    },
    Known {
        construct: "create_unique_constraint",
        keywords: &[
            ("constraint_name", Name),
            ("table_name", Name),
            ("columns", Names),
            ("schema", Nothing),
        ],
    },
    Known {
        construct: "create_primary_key",
        keywords: &[
            ("constraint_name", Name),
            ("table_name", Name),
            ("columns", Names),
            ("schema", Nothing),
        ],
    },
    Known {
        construct: "create_check_constraint",
        keywords: &[
            ("constraint_name", Name),
            ("table_name", Name),
            ("condition", Expression),
            ("schema", Nothing),
        ],
    },
    Known {
        construct: "create_foreign_key",
        keywords: &[
            ("constraint_name", Name),
            ("source_table", Name),
            ("referent_table", Name),
            ("local_cols", Names),
            ("remote_cols", Names),
            ("ondelete", Name),
            ("onupdate", Name),
            ("deferrable", Bool),
            ("initially", Name),
            ("use_alter", Bool),
            ("source_schema", Nothing),
            ("referent_schema", Nothing),
        ],
    },
    Known {
        construct: "drop_constraint",
        keywords: &[
            ("constraint_name", Name),
            ("table_name", Name),
            ("type_", Name),
            ("schema", Nothing),
            ("if_exists", Bool),
        ],
    },
    Known {
        construct: "execute",
        keywords: &[("sqltext", Statement), ("execution_options", Any)],
    },
    Known {
        construct: "bulk_insert",
        keywords: &[("table", Any), ("rows", Rows), ("multiinsert", Any)],
    },
];

/// SQLAlchemy constructs inside operations.
pub const CONSTRUCTS: &[Known] = &[
    Known {
        construct: "Column",
        keywords: &[
            ("name", Name),
            ("type_", Any),
            ("nullable", Bool),
            ("primary_key", Bool),
            ("server_default", Expression),
            ("comment", Name),
            ("unique", Bool),
            ("index", Bool),
            ("autoincrement", Bool),
            // Python-side only: no DDL (a `default=` only keeps an integer primary key
            // from autoincrementing, which the renderer models)
            ("default", Any),
            ("onupdate", Any),
            ("server_onupdate", Any),
            ("doc", Any),
            ("info", Any),
            ("key", Any),
        ],
    },
    Known {
        construct: "ForeignKey",
        keywords: &[
            ("column", Name),
            ("name", Name),
            ("ondelete", Name),
            ("onupdate", Name),
            ("deferrable", Bool),
            ("initially", Name),
            ("use_alter", Bool),
        ],
    },
    Known {
        construct: "ForeignKeyConstraint",
        keywords: &[
            ("columns", Names),
            ("refcolumns", Names),
            ("name", Name),
            ("ondelete", Name),
            ("onupdate", Name),
            ("deferrable", Bool),
            ("initially", Name),
            ("use_alter", Bool),
        ],
    },
    Known {
        construct: "PrimaryKeyConstraint",
        keywords: &[("name", Name)],
    },
    Known {
        construct: "UniqueConstraint",
        keywords: &[("name", Name)],
    },
    Known {
        construct: "CheckConstraint",
        keywords: &[("sqltext", Expression), ("name", Name)],
    },
    Known {
        construct: "Index",
        keywords: &[
            ("name", Name),
            ("unique", Bool),
            ("postgresql_using", Name),
            ("postgresql_where", Expression),
            ("postgresql_ops", NameMap),
            ("sqlite_where", Expression),
            ("info", Any),
        ],
    },
];

/// Types that share the keywords their DDL is known for.
pub struct KnownTypes {
    /// Class names: `String`, `VARCHAR`...
    pub names: &'static [&'static str],
    pub keywords: &'static [(&'static str, Takes)],
}

/// Column types and the keywords their DDL is known for. A type not listed here is left
/// to the type compiler, which names what it does not know; a listed type's other
/// keywords (`collation=`, `native_uuid=`...) are not modelled.
pub const TYPES: &[KnownTypes] = &[
    KnownTypes {
        names: &[
            "String",
            "VARCHAR",
            "Unicode",
            "NVARCHAR",
            "CHAR",
            "NCHAR",
            "Text",
            "TEXT",
            "UnicodeText",
        ],
        // `collation`: `COLLATE` after the type (`render::types::with_collation`)
        keywords: &[("length", Any), ("collation", Name)],
    },
    KnownTypes {
        names: &["Numeric", "NUMERIC", "DECIMAL"],
        keywords: &[
            ("precision", Any),
            ("scale", Any),
            ("asdecimal", Any),
            ("decimal_return_scale", Any),
        ],
    },
    KnownTypes {
        names: &["Float", "FLOAT"],
        keywords: &[
            ("precision", Any),
            ("asdecimal", Any),
            ("decimal_return_scale", Any),
        ],
    },
    KnownTypes {
        names: &["DateTime", "TIMESTAMP", "Time"],
        keywords: &[("timezone", Bool)],
    },
    KnownTypes {
        names: &["DATETIME"],
        keywords: &[("timezone", Bool), ("fsp", Any)],
    },
    KnownTypes {
        // `create_constraint=True`: a CHECK on MySQL and SQLite only (`type_`); `name`
        // names that CHECK
        names: &["Boolean"],
        keywords: &[("create_constraint", Any), ("name", Any)],
    },
    KnownTypes {
        // `length`: its VARCHAR when not native
        names: &["Enum"],
        keywords: &[
            ("name", Name),
            ("native_enum", Bool),
            ("create_type", Bool),
            ("length", Any),
            ("validate_strings", Any),
            ("metadata", Any),
            ("inherit_schema", Any),
            ("schema", Nothing),
            ("create_constraint", Falsy),
        ],
    },
    KnownTypes {
        names: &["ENUM"],
        keywords: &[
            ("name", Name),
            ("native_enum", Bool),
            ("create_type", Bool),
            ("validate_strings", Any),
            ("metadata", Any),
            ("inherit_schema", Any),
            ("schema", Nothing),
            ("create_constraint", Falsy),
        ],
    },
    KnownTypes {
        names: &["ARRAY"],
        keywords: &[
            ("item_type", Any),
            ("dimensions", Any),
            ("as_tuple", Any),
            ("zero_indexes", Any),
        ],
    },
    KnownTypes {
        names: &["JSON", "JSONB"],
        keywords: &[("none_as_null", Any), ("astext_type", Any)],
    },
    KnownTypes {
        names: &["UUID", "Uuid"],
        keywords: &[("as_uuid", Any)],
    },
    KnownTypes {
        names: &["INTEGER", "INT", "BIGINT", "SMALLINT"],
        keywords: &[("display_width", Any), ("unsigned", Bool)],
    },
    KnownTypes {
        names: &["TINYINT", "MEDIUMINT"],
        keywords: &[("display_width", Any)],
    },
    KnownTypes {
        // SQLModel's (python::eval::THIRD_PARTY_TYPES)
        names: &["AutoString"],
        keywords: &[("length", Any)],
    },
    KnownTypes {
        names: &["PickleType"],
        keywords: &[("protocol", Any), ("pickler", Any)],
    },
];

/// SQLAlchemy calls a Column accepts positionally that the renderer does not write.
const UNRENDERED_COLUMN_ARGS: &[&str] = &["FetchedValue"];

/// A `ForeignKey`'s target: `ForeignKey("t.c")` or `ForeignKey(column="t.c")`.
pub fn fk_target<'v>(args: &'v [Val], kwargs: &'v [(String, Val)]) -> Option<&'v Val> {
    args.first()
        .or_else(|| kwargs.iter().find(|(k, _)| k == "column").map(|(_, v)| v))
}

/// A `sa.Computed(...)` the renderer writes exactly: its expression a string or
/// `sa.text("...")` (positional or `sqltext=`), `persisted` `True`, `False` or `None`, and
/// nothing else; `None` for any other.
pub fn computed(v: &Val) -> Option<crate::ops::Computed> {
    let Val::Call { args, kwargs, .. } = v else {
        return None;
    };
    let text = |x: &Val| match x {
        Val::Str(s) => Some(s.clone()),
        Val::Call { func, args, .. } if matches!(last(func), "text") => match args.as_slice() {
            [Val::Str(s)] => Some(s.clone()),
            _ => None,
        },
        _ => None,
    };
    let mut sqltext = match args.as_slice() {
        [x] => Some(text(x)?),
        [] => None,
        _ => return None,
    };
    let mut persisted = None;
    for (k, x) in kwargs {
        match (k.as_str(), x) {
            ("sqltext", x) if sqltext.is_none() => sqltext = Some(text(x)?),
            ("persisted", Val::Bool(b)) => persisted = Some(*b),
            ("persisted", Val::None) => {}
            _ => return None,
        }
    }
    Some(crate::ops::Computed {
        sqltext: sqltext?,
        persisted,
    })
}

fn find(table: &'static [Known], name: &str) -> Option<&'static Known> {
    table.iter().find(|k| k.construct == name)
}

/// The last part of a callable's name: `sqlalchemy.dialects.postgresql.JSONB` → `JSONB`.
fn last(func: &str) -> &str {
    func.rsplit('.').next().unwrap_or(func)
}

/// Something in an operation's call the renderer does not model exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmodelled {
    /// A short description: `ForeignKey(onupdate='CASCADE')`.
    pub what: String,
    /// The only dialect whose DDL it changes (a `postgresql_include=` keyword): the SQL
    /// of every other dialect is exact, since SQLAlchemy's dialects ignore one another's
    /// options. `None`: every dialect's.
    pub dialect: Option<Dialect>,
}

impl From<String> for Unmodelled {
    fn from(what: String) -> Self {
        Unmodelled {
            what,
            dialect: None,
        }
    }
}

impl Unmodelled {
    /// Whether it changes `dialect`'s DDL.
    pub fn affects(&self, dialect: Dialect) -> bool {
        self.dialect.is_none_or(|d| d == dialect)
    }
}

/// What the check found.
pub type Findings = Vec<Unmodelled>;

/// The dialect-specific keywords (`<dialect>_<option>`) each SQLAlchemy construct accepts,
/// as the dialects' `construct_arguments` list them in SQLAlchemy 2.1.9 (`*`: any). A
/// construct also accepts those of its base classes (every constraint: `Constraint`'s).
/// A keyword outside this table makes SQLAlchemy raise `ArgumentError` whatever the
/// dialect rendered; one inside it changes only its own dialect's DDL.
const DIALECT_ARGUMENTS: &[(&str, &str, &[&str])] = &[
    (
        "postgresql",
        "Index",
        &[
            "concurrently",
            "include",
            "invalid",
            "nulls_not_distinct",
            "ops",
            "tablespace",
            "using",
            "where",
            "with",
        ],
    ),
    (
        "postgresql",
        "Table",
        &[
            "ignore_search_path",
            "inherits",
            "on_commit",
            "partition_by",
            "tablespace",
            "using",
            "with",
            "with_oids",
        ],
    ),
    ("postgresql", "CheckConstraint", &["not_valid"]),
    ("postgresql", "ForeignKeyConstraint", &["not_valid"]),
    ("postgresql", "PrimaryKeyConstraint", &["include"]),
    (
        "postgresql",
        "UniqueConstraint",
        &["include", "nulls_not_distinct"],
    ),
    ("mysql", "Table", &["*"]),
    ("mysql", "PrimaryKeyConstraint", &["using"]),
    (
        "mysql",
        "Index",
        &["length", "prefix", "using", "with_parser"],
    ),
    ("mariadb", "Table", &["*"]),
    ("mariadb", "PrimaryKeyConstraint", &["using"]),
    (
        "mariadb",
        "Index",
        &["length", "prefix", "using", "with_parser"],
    ),
    (
        "sqlite",
        "Table",
        &["autoincrement", "strict", "with_rowid"],
    ),
    ("sqlite", "Index", &["where"]),
    (
        "sqlite",
        "Column",
        &[
            "on_conflict_not_null",
            "on_conflict_primary_key",
            "on_conflict_unique",
        ],
    ),
    ("sqlite", "Constraint", &["on_conflict"]),
    ("mssql", "PrimaryKeyConstraint", &["clustered"]),
    ("mssql", "UniqueConstraint", &["clustered"]),
    (
        "mssql",
        "Index",
        &["clustered", "columnstore", "include", "where"],
    ),
    ("mssql", "Column", &["identity_increment", "identity_start"]),
    (
        "oracle",
        "Table",
        &["compress", "on_commit", "resolve_synonyms", "tablespace"],
    ),
    ("oracle", "Index", &["bitmap", "compress", "vector"]),
];

/// The SQLAlchemy class that receives an operation's or construct's extra keywords.
fn sqlalchemy_class(construct: &str) -> Option<&'static str> {
    Some(match construct {
        "create_table" | "drop_table" => "Table",
        "create_index" | "drop_index" | "Index" => "Index",
        "create_primary_key" | "PrimaryKeyConstraint" => "PrimaryKeyConstraint",
        "create_unique_constraint" | "UniqueConstraint" => "UniqueConstraint",
        "create_check_constraint" | "CheckConstraint" => "CheckConstraint",
        "create_foreign_key" | "ForeignKeyConstraint" => "ForeignKeyConstraint",
        "Column" => "Column",
        _ => return None,
    })
}

/// The dialect of a `<dialect>_<option>` keyword `class` accepts.
pub(crate) fn dialect_keyword(class: &str, k: &str) -> Option<&'static str> {
    DIALECT_ARGUMENTS.iter().find_map(|(dialect, on, options)| {
        let option = k.strip_prefix(dialect)?.strip_prefix('_')?;
        let applies = *on == class || (*on == "Constraint" && class.ends_with("Constraint"));
        (applies && (options.contains(&"*") || options.contains(&option))).then_some(*dialect)
    })
}

/// Dialect options the renderer writes exactly: MySQL's table options (`mysql_engine=`,
/// `mysql_charset=`..., any string) after `CREATE TABLE`'s closing parenthesis.
fn dialect_option_modelled(dialect: &str, class: &str, v: &Val) -> bool {
    dialect == "mysql" && class == "Table" && matches!(v, Val::Str(_))
}

/// Everything in an operation's call the renderer does not model exactly. `params` are the
/// positional parameters as bound (name, value); `rest` the arguments past them
/// (`create_table`'s columns and constraints).
pub fn unmodelled(
    op: &str,
    params: &[(&str, &Val)],
    rest: &[Val],
    kwargs: &[(String, Val)],
) -> Findings {
    let mut out = Findings::new();
    let Some(known) = find(OPERATIONS, op) else {
        return out;
    };
    let bound = params
        .iter()
        .map(|(k, v)| (*k, *v))
        .chain(kwargs.iter().map(|(k, v)| (k.as_str(), v)));
    for (k, v) in bound {
        keyword(
            &format!("op.{op}"),
            sqlalchemy_class(op),
            known.keywords,
            k,
            v,
            &mut out,
        );
        match (op, k) {
            ("add_column", "column") => column(v, &mut out),
            ("alter_column", "type_") => type_(v, &mut out),
            _ => {}
        }
    }
    for el in rest {
        table_element(el, &mut out);
    }
    out
}

/// A keyword of `known`: known and of a modelled kind, or a finding. A dialect's option
/// the construct (`class`) accepts is a finding for that dialect only, unless the renderer
/// writes it.
fn keyword(
    shown: &str,
    class: Option<&str>,
    known: &[(&str, Takes)],
    k: &str,
    v: &Val,
    out: &mut Findings,
) {
    let what = || format!("{shown}({k}={})", brief(v));
    match known.iter().find(|(n, _)| *n == k) {
        None => match class.and_then(|c| dialect_keyword(c, k).map(|d| (c, d))) {
            Some((c, dialect)) => {
                if !dialect_option_modelled(dialect, c, v) {
                    // mariadb_ and oracle_ options: no dialect the planner renders
                    if let Some(d) = Dialect::from_name(dialect) {
                        out.push(Unmodelled {
                            what: what(),
                            dialect: Some(d),
                        });
                    }
                }
            }
            None => out.push(what().into()),
        },
        Some((_, takes)) if !takes_value(*takes, v) => out.push(what().into()),
        Some(_) => {}
    }
}

/// Whether a value is of a kind the keyword is modelled with.
pub fn takes_value(takes: Takes, v: &Val) -> bool {
    match takes {
        Any => true,
        Bool => matches!(v, Val::Bool(_) | Val::None),
        Name => matches!(v, Val::None) || v.name().is_some(),
        Nothing => matches!(v, Val::None),
        Falsy => matches!(v, Val::None | Val::Bool(false)),
        Expression => expression(v),
        Statement => {
            expression(v)
                || matches!(crate::ops::dml::update(v), Some(Ok(_)))
                || matches!(crate::ops::build::sequence_ddl(v), Some(Ok(_)))
        }
        Names => match v {
            Val::List(items) => items.iter().all(name_element),
            other => name_element(other),
        },
        NameMap => match v {
            Val::Dict(items) => items
                .iter()
                .all(|(k, x)| matches!((k, x), (Val::Str(_), Val::Str(_)))),
            _ => false,
        },
        Rows => match v {
            Val::List(rows) => rows.iter().all(|row| match row {
                Val::Dict(items) => items.iter().all(|(_, x)| row_literal(x)),
                _ => false,
            }),
            _ => false,
        },
    }
}

/// A value `bulk_insert` inlines exactly.
fn row_literal(v: &Val) -> bool {
    match v {
        Val::None | Val::Bool(_) | Val::Int(_) | Val::Float(_) | Val::Str(_) => true,
        Val::Call { func, args, .. } if func.ends_with("inline_literal") => {
            matches!(args.as_slice(), [x] if row_literal(x))
        }
        _ => false,
    }
}

/// An element of a list of columns the renderer writes exactly.
fn name_element(v: &Val) -> bool {
    if crate::ops::build::function_element(v).is_some() {
        return true;
    }
    match v {
        Val::Call { func, args, .. } => match short_name(func).as_str() {
            "op.f" | "column" | "expression.column" | "text" | "expression.text" => {
                matches!(args.first(), Some(Val::Str(_)))
            }
            _ => false,
        },
        other => other.name().is_some(),
    }
}

/// A SQL expression the renderer writes exactly.
pub fn expression(v: &Val) -> bool {
    match v {
        Val::None | Val::Str(_) => true,
        Val::Call { func, args, kwargs } => {
            let short = short_name(func);
            // as `render::default_sql_generic` reads it
            let short = short.strip_prefix("expression.").unwrap_or(&short);
            let short = match short.rsplit('.').next() {
                Some(c @ ("False_" | "True_")) => c,
                _ => short,
            };
            match short {
                "False_" | "True_" => args.is_empty() && kwargs.is_empty(),
                "text" | "literal_column" => {
                    matches!(args.first(), Some(Val::Str(_))) && kwargs.is_empty()
                }
                "false" | "true" => args.is_empty(),
                s => {
                    s.starts_with("func.")
                        && kwargs.is_empty()
                        && args.iter().all(|a| {
                            matches!(
                                a,
                                Val::None
                                    | Val::Bool(_)
                                    | Val::Int(_)
                                    | Val::Float(_)
                                    | Val::Str(_)
                            )
                        })
                }
            }
        }
        _ => false,
    }
}

/// `create_table`'s elements: columns, constraints, indexes.
fn table_element(v: &Val, out: &mut Findings) {
    let Val::Call { func, .. } = v else {
        return;
    };
    match last(func) {
        "Column" => column(v, out),
        "Index" => construct_call(v, out),
        name if find(CONSTRUCTS, name).is_some() => construct_call(v, out),
        _ => {}
    }
}

/// A construct's keywords (and, for an `Index`, its elements).
fn construct_call(v: &Val, out: &mut Findings) {
    let Val::Call { func, args, kwargs } = v else {
        return;
    };
    let name = last(func);
    let Some(known) = find(CONSTRUCTS, name) else {
        return;
    };
    for (k, val) in kwargs {
        keyword(
            &format!("sa.{name}"),
            sqlalchemy_class(name),
            known.keywords,
            k,
            val,
            out,
        );
    }
    match name {
        "Index" => {
            for el in args.iter().skip(1) {
                if !name_element(el) {
                    out.push(format!("sa.Index element {}", brief(el)).into());
                }
            }
        }
        "CheckConstraint" => {
            if let Some(c) = args.first().filter(|c| !expression(c)) {
                out.push(format!("sa.CheckConstraint({})", brief(c)).into());
            }
        }
        "PrimaryKeyConstraint" | "UniqueConstraint" => {
            for el in args.iter().filter(|a| !name_element(a)) {
                out.push(format!("sa.{name} element {}", brief(el)).into());
            }
        }
        "ForeignKeyConstraint" => {
            for el in args.iter().take(2).filter(|a| !takes_value(Names, a)) {
                out.push(format!("sa.ForeignKeyConstraint columns {}", brief(el)).into());
            }
        }
        _ => {}
    }
}

/// `sa.Column(...)`: its keywords, type, foreign keys and other positional constructs.
fn column(v: &Val, out: &mut Findings) {
    let Val::Call { func, args, kwargs } = v else {
        return;
    };
    if last(func) != "Column" {
        return;
    }
    let known = find(CONSTRUCTS, "Column").expect("Column is in the table");
    for (k, val) in kwargs {
        keyword("sa.Column", Some("Column"), known.keywords, k, val, out);
        if k == "type_" {
            type_(val, out);
        }
    }
    for a in args {
        match a {
            Val::Call {
                func,
                args: fk_args,
                kwargs: fk_kwargs,
            } if last(func) == "ForeignKey" => {
                construct_call(a, out);
                // its target, positional or `column=`, as a "table.column" name: a target
                // given some other way (a model's attribute) would leave it out
                let target = fk_target(fk_args, fk_kwargs);
                if target.and_then(|t| t.name()).is_none()
                    && target.and_then(|t| t.opaque_reason()).is_none()
                {
                    out.push(format!("sa.Column(..., {})", brief(a)).into());
                }
            }
            Val::Call { func, .. } if last(func) == "Computed" && computed(a).is_none() => {
                out.push(format!("sa.Column(..., {})", brief(a)).into())
            }
            // `sa.Identity(...)`: `always` a boolean, options SQLAlchemy writes
            Val::Call { func, args, kwargs }
                if last(func) == "Identity"
                    && !(args.is_empty()
                        && crate::ops::build::identity_options(kwargs, &["always"]).is_ok()
                        && kwargs
                            .iter()
                            .all(|(k, v)| k != "always" || matches!(v, Val::Bool(_)))) =>
            {
                out.push(format!("sa.Column(..., {})", brief(a)).into())
            }
            Val::Call { func, .. } if UNRENDERED_COLUMN_ARGS.contains(&last(func)) => {
                out.push(format!("sa.Column(..., {})", brief(a)).into())
            }
            // as a table's, written after the column's clauses
            Val::Call { func, .. } if last(func) == "CheckConstraint" => construct_call(a, out),
            Val::Call { .. } | Val::Ref(_) | Val::Method { .. } => type_(a, out),
            _ => {}
        }
    }
}

/// A type's keywords; `.with_variant(...)` checks each variant.
fn type_(v: &Val, out: &mut Findings) {
    match v {
        Val::Call { func, args, kwargs } => {
            let name = last(func);
            // SQLAlchemy's MySQL and SQLite dialects have no native boolean: a Boolean with
            // `create_constraint=True` adds `CHECK (c IN (0, 1))` there, which the renderer
            // does not write; PostgreSQL and SQL Server ignore it
            if name == "Boolean"
                && kwargs.iter().any(|(k, v)| {
                    k == "create_constraint" && !matches!(v, Val::None | Val::Bool(false))
                })
            {
                for d in [Dialect::Mysql, Dialect::Sqlite] {
                    out.push(Unmodelled {
                        what: "sa.Boolean(create_constraint=True)".into(),
                        dialect: Some(d),
                    });
                }
            }
            match TYPES.iter().find(|t| t.names.contains(&name)) {
                Some(known) => {
                    // MySQL's own TIMESTAMP and TIME take fractional seconds, the generic
                    // ones do not
                    let mysql_fsp = func.starts_with("sqlalchemy.dialects.mysql.")
                        && matches!(name, "TIMESTAMP" | "TIME");
                    for (k, val) in kwargs {
                        if mysql_fsp && k == "fsp" {
                            continue;
                        }
                        keyword(&format!("sa.{name}"), None, known.keywords, k, val, out);
                    }
                }
                None => {
                    // types the compiler does not know already say so; a known-named
                    // type with keywords it does not list is not modelled
                    if !kwargs.is_empty() && crate::ops::build::is_type(func) {
                        let (k, val) = &kwargs[0];
                        out.push(format!("sa.{name}({k}={})", brief(val)).into());
                    }
                }
            }
            if matches!(name, "ARRAY") {
                if let Some(item) = args.first() {
                    type_(item, out);
                }
            }
        }
        Val::Method {
            receiver,
            name,
            args,
            ..
        } => {
            type_(receiver, out);
            if name == "with_variant" {
                if let Some(variant) = args.first() {
                    type_(variant, out);
                }
            }
        }
        _ => {}
    }
}

/// A value shortened for a message.
fn brief(v: &Val) -> String {
    let s = v.render();
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(57).collect();
        format!("{cut}...")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_and_keyword_is_listed_once() {
        let types = TYPES.iter().map(|t| (t.names, t.keywords));
        let single = OPERATIONS
            .iter()
            .chain(CONSTRUCTS)
            .map(|k| (std::slice::from_ref(&k.construct), k.keywords));
        let mut seen: Vec<&str> = Vec::new();
        for (names, keywords) in single.chain(types) {
            for n in names {
                // an operation and a construct never share a name, nor two types
                assert!(!seen.contains(n), "{n} is listed twice");
                seen.push(n);
            }
            let mut kws: Vec<&str> = keywords.iter().map(|(n, _)| *n).collect();
            kws.sort();
            let n = kws.len();
            kws.dedup();
            assert_eq!(n, kws.len(), "{names:?}: a keyword is listed twice");
        }
    }

    #[test]
    fn use_alter_is_modelled_in_add_column_and_create_table() {
        let fk = Val::Call {
            func: "sqlalchemy.ForeignKey".into(),
            args: vec![Val::Str("ledgers.id".into())],
            kwargs: vec![("use_alter".into(), Val::Bool(true))],
        };
        let col = Val::Call {
            func: "sqlalchemy.Column".into(),
            args: vec![Val::Str("ledger_id".into()), fk],
            kwargs: Vec::new(),
        };
        let table = Val::Str("notes".into());
        let added = unmodelled(
            "add_column",
            &[("table_name", &table), ("column", &col)],
            &[],
            &[],
        );
        assert!(added.is_empty(), "{added:?}");
        // (add_column adds it with its own ALTER TABLE; create_table leaves it out where
        // the dialect can ALTER: FkRules::left_out_of_create_table)
        let created = unmodelled("create_table", &[("table_name", &table)], &[col], &[]);
        assert!(created.is_empty(), "{created:?}");
    }

    #[test]
    fn every_modelled_operation_has_an_entry() {
        for sig in crate::ops::build::SIGNATURES {
            if matches!(
                sig.name,
                "f" | "inline_literal" | "batch_alter_table" | "get_bind" | "get_context"
            ) {
                continue;
            }
            let known = find(OPERATIONS, sig.name)
                .unwrap_or_else(|| panic!("op.{} has no entry in OPERATIONS", sig.name));
            for p in sig.params {
                assert!(
                    known.keywords.iter().any(|(n, _)| n == p),
                    "op.{}: parameter {p} is not in its entry",
                    sig.name
                );
            }
        }
    }

    #[test]
    fn expressions_the_renderer_writes_are_recognised() {
        let call = |f: &str, args: Vec<Val>| Val::Call {
            func: f.into(),
            args,
            kwargs: vec![],
        };
        assert!(expression(&Val::Str("x".into())));
        assert!(expression(&call(
            "sqlalchemy.text",
            vec![Val::Str("now()".into())]
        )));
        assert!(expression(&call("sqlalchemy.false", vec![])));
        assert!(expression(&call("sqlalchemy.sql.expression.false", vec![])));
        assert!(expression(&call("sqlalchemy.func.now", vec![])));
        assert!(!expression(&call(
            "sqlalchemy.func.lower",
            vec![call("sqlalchemy.column", vec![Val::Str("x".into())])]
        )));
        assert!(!expression(&call("sqlalchemy.cast", vec![])));
    }
}
