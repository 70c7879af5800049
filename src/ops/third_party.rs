//! Column types of third-party packages that migrations import and the planner knows
//! without their source: what a call of one is, as SQLAlchemy sees it once the package
//! runs. Each entry is checked against Alembic with the package installed (the real-world
//! corpus, `scripts/dev.sh corpus`); what depends on the package's configuration is a
//! variant the planner cannot know for the dialects it concerns, never a guess.
//!
//! - Apache Airflow's `airflow.migrations.db_types` (used by Airflow's migrations and its
//!   providers'): a module whose `__getattr__` picks a type by the dialect of
//!   `context.get_bind()`. `StringID(*, length=250, **kw)` is `String(length, **kw)` plus
//!   `COLLATION_ARGS`, which is `collation="utf8mb3_bin"` when Airflow's configured
//!   connection is MySQL (or `[database] sql_engine_collation_for_ids` when set): the
//!   planner takes the default configuration on PostgreSQL and SQLite and annotates MySQL.
//!   `TIMESTAMP(*args, timezone=True, **kw)` is `sa.TIMESTAMP` with `timezone=True`, on
//!   MySQL `mysql.TIMESTAMP(fsp=6, timezone=True)`, on SQL Server a `DATETIME2(precision=6)`
//!   subclass (annotated: SQL Server is approximate).
//! - OpenStack's `oslo_db.sqlalchemy.types`: `JsonEncodedDict()` / `JsonEncodedList()`
//!   are `Text`, `Text().with_variant(mysql.LONGTEXT(), "mysql")` with
//!   `mysql_as_long=True`, `MEDIUMTEXT` with `mysql_as_medium=True`; their class attribute
//!   `impl` is `Text`; `SoftDeleteInteger()` is `Integer`.
//! - SQLAlchemy-Utils (`sqlalchemy_utils`, as `sqlalchemy_utils.X`, `sqlalchemy_utils.types.X`
//!   or `sqlalchemy_utils.types.<module>.X`), the types whose DDL needs no other package:
//!   `UUIDType(binary=True, native=True)` is `UUID` on PostgreSQL when native, `BINARY(16)`
//!   (or `CHAR(32)` with `binary=False`) elsewhere, SQL Server's `UNIQUEIDENTIFIER` annotated;
//!   `ChoiceType(choices, impl=None)` is its `impl` or `Unicode(255)`; `EmailType(length=255)`
//!   `Unicode(length)`; `JSONType()` `JSON` on PostgreSQL, `UnicodeText` elsewhere;
//!   `URLType()` and `ScalarListType(coerce_func, separator)` `UnicodeText`; `CountryType()`
//!   `String(2)`; `IPAddressType(max_length=50)` `Unicode(max_length)`. The types that need
//!   babel, colour, passlib, arrow or phonenumbers stay unknown.

use crate::python::{truth, Val};

/// `Airflow's StringID`: its `ID_LEN`.
const AIRFLOW_ID_LEN: i64 = 250;

/// What a call of the third-party type `q` (its qualified name) is, or `None` when `q` is
/// not one the planner knows (or the call is one the package would refuse).
pub fn call(q: &str, args: &[Val], kwargs: &[(String, Val)]) -> Option<Val> {
    match q {
        "airflow.migrations.db_types.StringID" | "airflow.models.base.StringID" => {
            if !args.is_empty() {
                return None; // keyword-only: Python refuses positional arguments
            }
            let mut kw = vec![(
                "length".to_string(),
                kwarg(kwargs, "length").unwrap_or(Val::Int(AIRFLOW_ID_LEN)),
            )];
            kw.extend(kwargs.iter().filter(|(k, _)| k != "length").cloned());
            let plain = Val::Call {
                func: "sqlalchemy.String".into(),
                args: Vec::new(),
                kwargs: kw,
            };
            Some(variant(
                plain,
                Val::Opaque(format!(
                    "Airflow's `StringID` takes the collation of its configured connection on MySQL (`utf8mb3_bin` when `[database] sql_alchemy_conn` is MySQL), which the planner does not read ({q})"
                )),
                "mysql",
            ))
        }
        "airflow.migrations.db_types.TIMESTAMP" => {
            let with = |func: &str, fixed: &[(&str, Val)]| {
                let mut kw: Vec<(String, Val)> = fixed
                    .iter()
                    .map(|(k, v)| (k.to_string(), kwarg(kwargs, k).unwrap_or(v.clone())))
                    .collect();
                kw.extend(
                    kwargs
                        .iter()
                        .filter(|(k, _)| !fixed.iter().any(|(f, _)| f == k))
                        .cloned(),
                );
                Val::Call {
                    func: func.into(),
                    args: args.to_vec(),
                    kwargs: kw,
                }
            };
            let generic = with("sqlalchemy.TIMESTAMP", &[("timezone", Val::Bool(true))]);
            let mysql = with(
                "sqlalchemy.dialects.mysql.TIMESTAMP",
                &[("fsp", Val::Int(6)), ("timezone", Val::Bool(true))],
            );
            let t = variant(generic, mysql, "mysql");
            Some(variant(
                t,
                Val::Opaque(format!(
                    "Airflow's `TIMESTAMP` is a `DATETIME2(precision=6)` subclass on SQL Server, which the planner does not render ({q})"
                )),
                "mssql",
            ))
        }
        "oslo_db.sqlalchemy.types.JsonEncodedDict"
        | "oslo_db.sqlalchemy.types.JsonEncodedList"
        | "oslo_db.sqlalchemy.types.JsonEncodedType" => {
            if !args.is_empty() {
                return None;
            }
            let flag = |name: &str| match kwarg(kwargs, name) {
                None | Some(Val::None) | Some(Val::Bool(false)) => Some(false),
                Some(Val::Bool(true)) => Some(true),
                Some(_) => None,
            };
            if kwargs
                .iter()
                .any(|(k, _)| k != "mysql_as_long" && k != "mysql_as_medium")
            {
                return None;
            }
            let text = Val::Call {
                func: "sqlalchemy.Text".into(),
                args: Vec::new(),
                kwargs: Vec::new(),
            };
            let long = |class: &str| {
                variant(
                    text.clone(),
                    Val::Call {
                        func: format!("sqlalchemy.dialects.mysql.{class}"),
                        args: Vec::new(),
                        kwargs: Vec::new(),
                    },
                    "mysql",
                )
            };
            match (flag("mysql_as_long")?, flag("mysql_as_medium")?) {
                (false, false) => Some(text),
                (true, false) => Some(long("LONGTEXT")),
                (false, true) => Some(long("MEDIUMTEXT")),
                // oslo_db raises TypeError: mutually exclusive
                (true, true) => None,
            }
        }
        // `class SoftDeleteInteger(TypeDecorator): impl = Integer` (a bind processor only)
        "oslo_db.sqlalchemy.types.SoftDeleteInteger" if args.is_empty() && kwargs.is_empty() => {
            Some(Val::Call {
                func: "sqlalchemy.Integer".into(),
                args: Vec::new(),
                kwargs: Vec::new(),
            })
        }
        _ => sqlalchemy_utils(q, args, kwargs),
    }
}

/// A SQLAlchemy-Utils type (see the module's documentation), or `None`.
fn sqlalchemy_utils(q: &str, args: &[Val], kwargs: &[(String, Val)]) -> Option<Val> {
    let rest = q.strip_prefix("sqlalchemy_utils.")?;
    let (module, class) = match rest.rsplit_once('.') {
        Some((m, c)) => (Some(m), c),
        None => (None, rest),
    };
    // where the class is defined (`types.uuid`), also exported by `types` and the package
    let home = match class {
        "UUIDType" => "uuid",
        "ChoiceType" => "choice",
        "EmailType" => "email",
        "JSONType" => "json",
        "URLType" => "url",
        "ScalarListType" => "scalar_list",
        "CountryType" => "country",
        "IPAddressType" => "ip_address",
        _ => return None,
    };
    if !matches!(module, None | Some("types")) && module != Some(&format!("types.{home}")) {
        return None;
    }
    let sa = |class: &str, args: Vec<Val>| Val::Call {
        func: format!("sqlalchemy.{class}"),
        args,
        kwargs: Vec::new(),
    };
    match class {
        "UUIDType" => {
            let [binary, native] = bind(args, kwargs, ["binary", "native"])?;
            let binary = binary.map_or(Some(true), |v| truth(&v))?;
            let native = native.map_or(Some(true), |v| truth(&v))?;
            let fallback = if binary {
                sa("BINARY", vec![Val::Int(16)])
            } else {
                sa("CHAR", vec![Val::Int(32)])
            };
            if !native {
                return Some(fallback);
            }
            let t = variant(
                fallback,
                sa("dialects.postgresql.UUID", Vec::new()),
                "postgresql",
            );
            Some(variant(
                t,
                Val::Opaque(format!(
                    "SQLAlchemy-Utils' `UUIDType` is `UNIQUEIDENTIFIER` on SQL Server, which the planner does not render ({q})"
                )),
                "mssql",
            ))
        }
        "ChoiceType" => {
            let [choices, impl_] = bind(args, kwargs, ["choices", "impl"])?;
            choices?; // required
            match impl_ {
                None | Some(Val::None) => Some(sa("Unicode", vec![Val::Int(255)])),
                Some(t @ Val::Call { .. }) => Some(t),
                Some(_) => None,
            }
        }
        "EmailType" => {
            let [length] = bind(args, kwargs, ["length"])?;
            Some(sa("Unicode", vec![length.unwrap_or(Val::Int(255))]))
        }
        "IPAddressType" => {
            let [length] = bind(args, kwargs, ["max_length"])?;
            Some(sa("Unicode", vec![length.unwrap_or(Val::Int(50))]))
        }
        "JSONType" => {
            bind(args, kwargs, [])?;
            Some(variant(
                sa("UnicodeText", Vec::new()),
                sa("dialects.postgresql.JSON", Vec::new()),
                "postgresql",
            ))
        }
        "URLType" => {
            bind(args, kwargs, [])?;
            Some(sa("UnicodeText", Vec::new()))
        }
        "ScalarListType" => {
            bind(args, kwargs, ["coerce_func", "separator"])?;
            Some(sa("UnicodeText", Vec::new()))
        }
        "CountryType" => {
            bind(args, kwargs, [])?;
            Some(sa("String", vec![Val::Int(2)]))
        }
        _ => None,
    }
}

/// The arguments of a call bound to the parameters `names` as Python binds them
/// (positional first, then by keyword); `None` where Python raises `TypeError` (too many,
/// unknown or repeated arguments).
fn bind<const N: usize>(
    args: &[Val],
    kwargs: &[(String, Val)],
    names: [&str; N],
) -> Option<[Option<Val>; N]> {
    if args.len() > N {
        return None;
    }
    let mut out: [Option<Val>; N] = std::array::from_fn(|i| args.get(i).cloned());
    for (k, v) in kwargs {
        let i = names.iter().position(|n| n == k)?;
        if out[i].is_some() {
            return None;
        }
        out[i] = Some(v.clone());
    }
    Some(out)
}

/// `JsonEncodedDict(mysql_as_long=True).impl`: oslo_db's instance sets its `impl` to the
/// type [`call`] already gives the instance (`Text()`, with a MySQL variant), so the
/// attribute is that same value. `None` for any other value: a plain SQLAlchemy type has no
/// `impl` (Python raises), so a value of this shape comes from oslo_db's types.
pub fn instance_impl(receiver: &Val) -> Option<Val> {
    let q = "oslo_db.sqlalchemy.types.JsonEncodedDict";
    let flag = |k: &str| vec![(k.to_string(), Val::Bool(true))];
    [Vec::new(), flag("mysql_as_long"), flag("mysql_as_medium")]
        .into_iter()
        .filter_map(|kwargs| call(q, &[], &kwargs))
        .find(|v| v == receiver)
}

/// The value of a third-party name the planner knows without a call (`JsonEncodedDict.impl`
/// is the class `Text`), or `None`.
pub fn value(q: &str) -> Option<Val> {
    match q {
        "oslo_db.sqlalchemy.types.JsonEncodedDict.impl"
        | "oslo_db.sqlalchemy.types.JsonEncodedList.impl" => {
            Some(Val::Ref("sqlalchemy.Text".into()))
        }
        _ => None,
    }
}

fn kwarg(kwargs: &[(String, Val)], name: &str) -> Option<Val> {
    kwargs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

/// `t.with_variant(v, dialect)`.
fn variant(t: Val, v: Val, dialect: &str) -> Val {
    t.with_variant(v, [dialect.to_string()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn airflow_string_id_is_a_string_of_its_length() {
        let t = call("airflow.migrations.db_types.StringID", &[], &[]).unwrap();
        let Val::Method { receiver, args, .. } = &t else {
            panic!("{t:?}")
        };
        assert_eq!(
            **receiver,
            Val::Call {
                func: "sqlalchemy.String".into(),
                args: vec![],
                kwargs: vec![("length".into(), Val::Int(250))],
            }
        );
        assert!(matches!(&args[0], Val::Opaque(r) if r.contains("collation")));
        let short = call(
            "airflow.models.base.StringID",
            &[],
            &[("length".into(), Val::Int(32))],
        )
        .unwrap();
        assert!(short.render().contains("32"), "{}", short.render());
        // keyword-only: a positional length is Python's TypeError, not a guess
        assert_eq!(
            call("airflow.migrations.db_types.StringID", &[Val::Int(5)], &[]),
            None
        );
        assert_eq!(call("myapp.types.StringID", &[], &[]), None);
    }

    #[test]
    fn sqlalchemy_utils_types_bind_their_arguments_as_python_does() {
        let uuid = |args: &[Val], kw: &[(String, Val)]| {
            call("sqlalchemy_utils.types.uuid.UUIDType", args, kw).map(|v| v.render())
        };
        let native = uuid(&[], &[]).unwrap();
        assert!(
            native.contains("BINARY(16)") && native.contains("UUID"),
            "{native}"
        );
        let text = uuid(&[Val::Bool(false)], &[]).unwrap();
        assert!(text.contains("CHAR(32)"), "{text}");
        // not native: no PostgreSQL variant
        let plain = uuid(&[], &[("native".into(), Val::Bool(false))]).unwrap();
        assert_eq!(plain, "BINARY(16)");
        // Python's TypeError: a repeated or unknown argument, one too many
        assert_eq!(
            uuid(&[Val::Bool(true)], &[("binary".into(), Val::Bool(true))]),
            None
        );
        assert_eq!(uuid(&[], &[("length".into(), Val::Int(3))]), None);
        assert_eq!(uuid(&[Val::None, Val::None, Val::None], &[]), None);
        // only where SQLAlchemy-Utils defines or exports the class
        assert!(call("sqlalchemy_utils.UUIDType", &[], &[]).is_some());
        assert!(call("sqlalchemy_utils.types.UUIDType", &[], &[]).is_some());
        assert_eq!(call("sqlalchemy_utils.types.json.UUIDType", &[], &[]), None);
        assert_eq!(call("sqlalchemy_utils.PasswordType", &[], &[]), None);
        // ChoiceType needs its choices; its impl replaces Unicode(255)
        assert_eq!(call("sqlalchemy_utils.ChoiceType", &[], &[]), None);
        let choice = call("sqlalchemy_utils.ChoiceType", &[Val::List(vec![])], &[]).unwrap();
        assert_eq!(choice.render(), "Unicode(255)");
    }

    #[test]
    fn oslo_db_json_types_are_text_longer_on_mysql_when_asked() {
        let q = "oslo_db.sqlalchemy.types.JsonEncodedDict";
        assert_eq!(call(q, &[], &[]).unwrap().render(), "Text()");
        let long = call(q, &[], &[("mysql_as_long".into(), Val::Bool(true))]).unwrap();
        assert!(long.render().contains("LONGTEXT"), "{}", long.render());
        let both = [
            ("mysql_as_long".to_string(), Val::Bool(true)),
            ("mysql_as_medium".to_string(), Val::Bool(true)),
        ];
        assert_eq!(call(q, &[], &both), None);
        assert_eq!(
            value("oslo_db.sqlalchemy.types.JsonEncodedList.impl"),
            Some(Val::Ref("sqlalchemy.Text".into()))
        );
    }

    #[test]
    fn oslo_db_soft_delete_integer_is_an_integer() {
        let q = "oslo_db.sqlalchemy.types.SoftDeleteInteger";
        assert_eq!(call(q, &[], &[]).unwrap().render(), "Integer()");
        assert_eq!(call(q, &[Val::Int(1)], &[]), None);
    }

    /// `JsonEncodedDict(mysql_as_long=True).impl` is the instance's own type; `.impl` of a
    /// plain SQLAlchemy type (Python raises) is nothing the planner makes up.
    #[test]
    fn an_oslo_instance_s_impl_is_its_type() {
        let long = vec![("mysql_as_long".to_string(), Val::Bool(true))];
        let t = call("oslo_db.sqlalchemy.types.JsonEncodedDict", &[], &long).unwrap();
        assert_eq!(instance_impl(&t), Some(t.clone()));
        let string = Val::Call {
            func: "sqlalchemy.String".into(),
            args: vec![Val::Int(5)],
            kwargs: Vec::new(),
        };
        assert_eq!(instance_impl(&string), None);
    }
}
