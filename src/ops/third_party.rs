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
//!   `impl` is `Text`.

use crate::python::Val;

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
        _ => None,
    }
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
}
