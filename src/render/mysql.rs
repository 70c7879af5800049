//! MySQL: `AUTO_INCREMENT`, `NOT NULL` before `DEFAULT`, inline comments,
//! `MODIFY`/`CHANGE` for column changes, `DROP FOREIGN KEY`/`DROP INDEX ... ON`.

use super::types::{compile_type, enum_values, int_arg, length};
use super::{nullable, DdlDialect};
use crate::base::Dialect;
use crate::ops::{Change, Column, ColumnChanges, ConstraintKind};
use crate::python::Val;

pub struct Mysql;

const NO_GENERIC_DROP: &str =
    "NotImplementedError: No generic 'DROP CONSTRAINT' in MySQL - please specify constraint type";

/// A string literal as MySQL's compiler writes it: quotes and backslashes doubled (the
/// backslash is MySQL's escape character in strings).
fn literal_str(s: &str) -> String {
    super::literal_str(&s.replace('\\', "\\\\"))
}

impl DdlDialect for Mysql {
    fn dialect(&self) -> Dialect {
        Dialect::Mysql
    }

    fn string_literal(&self, s: &str) -> String {
        literal_str(s)
    }

    fn type_override(&self, name: &str, t: &Val) -> Option<Result<String, String>> {
        Some(Ok(match name {
            "Boolean" | "BOOLEAN" => "BOOL".into(),
            "String" | "VARCHAR" | "Unicode" if int_arg(t, 0, "length").is_none() => {
                return Some(Err("sqlalchemy.exc.CompileError: VARCHAR requires a length on dialect mysql".to_string()))
            }
            // a non-native Enum is the generic VARCHAR
            "Enum" if super::types::bool_kw(t, "native_enum") == Some(false) => return None,
            "Enum" | "ENUM" => format!(
                "ENUM({})",
                enum_values(t)
                    .iter()
                    .map(|v| literal_str(v))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            "DateTime" | "DATETIME" => match int_arg(t, usize::MAX, "fsp") {
                Some(f) => format!("DATETIME({f})"),
                None => "DATETIME".into(),
            },
            // `mysql.TIMESTAMP(fsp=6)` (ops::known lets `fsp` through only for MySQL's own)
            "TIMESTAMP" | "TIME" if int_arg(t, usize::MAX, "fsp").is_some_and(|f| f != 0) => {
                format!("{name}({})", int_arg(t, usize::MAX, "fsp").unwrap_or_default())
            }
            "Uuid" => "CHAR(32)".into(),
            "TINYINT" | "MEDIUMINT" => format!("{name}{}", display_width(t)),
            "INTEGER" | "INT" | "BIGINT" | "SMALLINT" if t.kwarg("display_width").is_some() || t.kwarg("unsigned").is_some() => {
                let base = if name == "INT" { "INTEGER" } else { name };
                let mut s = format!("{base}{}", display_width(t));
                if matches!(t.kwarg("unsigned"), Some(Val::Bool(true))) {
                    s.push_str(" UNSIGNED");
                }
                s
            }
            "LONGTEXT" | "MEDIUMTEXT" | "TINYTEXT" | "LONGBLOB" | "MEDIUMBLOB" | "TINYBLOB" | "YEAR" => name.into(),
            "JSONB" | "ARRAY" | "INET" | "TSVECTOR" => {
                return Some(Err(format!(
                    "sqlalchemy.exc.CompileError: (in table) Compiler <sqlalchemy.dialects.mysql.base.MySQLTypeCompiler> can't render element of type {name}"
                )))
            }
            "LargeBinary" => "BLOB".into(),
            "Text" | "TEXT" | "UnicodeText" => format!("TEXT{}", length(t)),
            _ => return None,
        }))
    }

    fn table_suffix(&self, comment: Option<&str>, options: &[(String, String)]) -> String {
        table_options(comment, options)
    }

    fn serial_type(&self, type_sql: &str) -> String {
        type_sql.to_string()
    }

    fn column_spec(&self, c: &Column, autoincrement: bool) -> Result<String, String> {
        let mut parts = vec![self.quote(&c.name), self.column_type(c)?];
        if let Some(g) = &c.computed {
            parts.push(super::computed_sql(g));
        }
        let ty_name = c
            .type_
            .as_ref()
            .map(|t| super::types::for_dialect(t, Dialect::Mysql))
            .and_then(super::types::type_name);
        if !nullable(c) {
            parts.push("NOT NULL".into());
        } else if ty_name.as_deref() == Some("TIMESTAMP") {
            parts.push("NULL".into());
        }
        if let Some(comment) = &c.comment {
            parts.push(format!("COMMENT {}", literal_str(comment)));
        }
        if autoincrement {
            parts.push("AUTO_INCREMENT".into());
        } else if let Some(d) = &c.server_default {
            let sql = self.default_sql(d);
            parts.push(format!("DEFAULT {}", super::parenthesize_expression(&sql)));
        }
        Ok(parts.join(" "))
    }

    /// Alembic's `MySQLImpl.alter_column`: `CHANGE` when renaming (or for a DATETIME whose
    /// default is not dropped), `MODIFY` for nullability/type/comment, else `ALTER ...
    /// DEFAULT`; the full column spec always, from the `existing_*` arguments.
    fn alter_column(
        &self,
        table: &str,
        column: &str,
        changes: &ColumnChanges,
    ) -> Result<Vec<String>, String> {
        let type_ = changes.type_.as_ref().or(changes.existing_type.as_ref());
        let new_name = changes.new_column_name.as_deref();
        let datetime = type_
            .filter(|t| super::types::is_instance(t))
            .map(|t| super::types::for_dialect(t, Dialect::Mysql))
            .and_then(super::types::type_name)
            .is_some_and(|n| matches!(n.as_str(), "DateTime" | "DATETIME" | "TIMESTAMP"));
        let functional_default = datetime && changes.server_default != Change::Drop;
        let modify = changes.nullable.is_some()
            || changes.type_.is_some()
            || changes.autoincrement.is_some()
            || changes.comment != Change::Keep;
        let t = self.quote(table);
        let c = self.quote(column);
        if new_name.is_some() || functional_default || modify {
            let Some(type_) = type_ else {
                return Err(format!(
                    "{}All MySQL CHANGE/MODIFY COLUMN operations require the existing type.",
                    super::COMMAND_ERROR
                ));
            };
            let nullable = changes
                .nullable
                .or(changes.existing_nullable)
                .unwrap_or(true);
            let mut spec = format!(
                "{} {}",
                compile_type(type_, self)?,
                if nullable { "NULL" } else { "NOT NULL" }
            );
            if changes
                .autoincrement
                .or(changes.existing_autoincrement)
                .unwrap_or(false)
            {
                spec.push_str(" AUTO_INCREMENT");
            }
            let default = match &changes.server_default {
                Change::Keep => changes.existing_server_default.as_ref(),
                Change::Drop => None,
                Change::Set(v) => Some(v),
            };
            if let Some(d) = default {
                spec.push_str(&format!(" DEFAULT {}", super::default_sql_generic(self, d)));
            }
            let comment = match &changes.comment {
                Change::Set(text) => Some(text.as_str()),
                Change::Drop => None,
                Change::Keep => changes.existing_comment.as_deref(),
            };
            if let Some(text) = comment {
                spec.push_str(&format!(" COMMENT {}", literal_str(text)));
            }
            let stmt = if new_name.is_some() || functional_default {
                let n = self.quote(new_name.unwrap_or(column));
                format!("ALTER TABLE {t} CHANGE {c} {n} {spec}")
            } else {
                format!("ALTER TABLE {t} MODIFY {c} {spec}")
            };
            return Ok(vec![stmt]);
        }
        Ok(match &changes.server_default {
            Change::Keep => vec![],
            Change::Drop => vec![format!("ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT")],
            Change::Set(v) => vec![format!(
                "ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT {}",
                self.default_sql(v)
            )],
        })
    }
    fn drop_index(
        &self,
        name: &str,
        table: Option<&str>,
        if_exists: bool,
        _dialect_kw: &[(String, Val)],
    ) -> String {
        let exists = if if_exists { "IF EXISTS " } else { "" };
        match table {
            Some(t) => format!(
                "DROP INDEX {exists}{} ON {}",
                self.quote(name),
                self.quote(t)
            ),
            None => format!("DROP INDEX {exists}{}", self.quote(name)),
        }
    }

    fn drop_constraint(
        &self,
        name: &str,
        table: &str,
        kind: Option<ConstraintKind>,
    ) -> Result<String, String> {
        let t = self.quote(table);
        let n = self.quote(name);
        Ok(match kind {
            Some(ConstraintKind::ForeignKey) => format!("ALTER TABLE {t} DROP FOREIGN KEY {n}"),
            Some(ConstraintKind::Unique) => format!("ALTER TABLE {t} DROP INDEX {n}"),
            Some(ConstraintKind::Check) => format!("ALTER TABLE {t} DROP CHECK {n}"),
            Some(ConstraintKind::Primary) => format!("ALTER TABLE {t} DROP PRIMARY KEY"),
            // Alembic's MySQL compiler has no form for a constraint of unknown kind
            None => return Err(NO_GENERIC_DROP.into()),
        })
    }

    fn table_comment(&self, table: &str, comment: Option<&str>) -> Vec<String> {
        vec![format!(
            "ALTER TABLE {} COMMENT {}",
            self.quote(table),
            literal_str(comment.unwrap_or(""))
        )]
    }
}

fn display_width(t: &Val) -> String {
    int_arg(t, 0, "display_width")
        .map(|n| format!("({n})"))
        .unwrap_or_default()
}

/// MySQL's table options after `CREATE TABLE (...)`, as SQLAlchemy's `post_create_table`
/// writes them: the `mysql_<option>` keywords upper-cased in the order written (a later
/// spelling of the same option replaces the value in place), then the table comment as
/// `COMMENT`; `COLLATE` after any character set; the partition options last, in their
/// own order. String options are quoted, some names lose their underscores, and
/// `TABLESPACE`, the character sets and `COLLATE` take a space instead of `=`.
fn table_options(comment: Option<&str>, options: &[(String, String)]) -> String {
    let mut opts: Vec<(String, String)> = Vec::new();
    let mut set = |k: String, v: String| match opts.iter_mut().find(|(o, _)| *o == k) {
        Some(slot) => slot.1 = v,
        None => opts.push((k, v)),
    };
    for (k, v) in options {
        if let Some(option) = k.strip_prefix("mysql_") {
            set(option.to_uppercase(), v.clone());
        }
    }
    if let Some(c) = comment {
        set("COMMENT".into(), c.into());
    }
    const PARTITION: [&str; 4] = [
        "PARTITION_BY",
        "PARTITIONS",
        "SUBPARTITIONS",
        "SUBPARTITION_BY",
    ];
    let (part, plain): (Vec<_>, Vec<_>) = opts
        .into_iter()
        .partition(|(k, _)| PARTITION.contains(&k.as_str()));
    let charsets = [
        "DEFAULT_CHARSET",
        "DEFAULT_CHARACTER_SET",
        "CHARSET",
        "CHARACTER_SET",
    ];
    let plain_order = topological(plain, &charsets.map(|c| (c, "COLLATE")));
    let part_order = topological(
        part,
        &[
            ("PARTITION_BY", "PARTITIONS"),
            ("PARTITION_BY", "SUBPARTITION_BY"),
            ("PARTITION_BY", "SUBPARTITIONS"),
            ("PARTITIONS", "SUBPARTITIONS"),
            ("PARTITIONS", "SUBPARTITION_BY"),
            ("SUBPARTITION_BY", "SUBPARTITIONS"),
        ],
    );
    let mut out = Vec::new();
    for (opt, arg) in plain_order {
        let arg = if matches!(opt.as_str(), "COMMENT" | "PASSWORD" | "CONNECTION") {
            literal_str(&arg)
        } else {
            arg
        };
        let opt = if matches!(
            opt.as_str(),
            "DATA_DIRECTORY"
                | "INDEX_DIRECTORY"
                | "DEFAULT_CHARACTER_SET"
                | "CHARACTER_SET"
                | "DEFAULT_CHARSET"
                | "DEFAULT_COLLATE"
        ) {
            opt.replace('_', " ")
        } else {
            opt
        };
        let joiner = if matches!(
            opt.as_str(),
            "TABLESPACE" | "DEFAULT CHARACTER SET" | "CHARACTER SET" | "COLLATE"
        ) {
            " "
        } else {
            "="
        };
        out.push(format!("{opt}{joiner}{arg}"));
    }
    for (opt, arg) in part_order {
        out.push(format!("{} {arg}", opt.replace('_', " ")));
    }
    out.join(" ")
}

/// SQLAlchemy's `topological.sort`: in rounds, every item none of whose predecessors
/// (`edges`: (before, after)) is still waiting, in the items' own order.
fn topological(mut todo: Vec<(String, String)>, edges: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    while !todo.is_empty() {
        let waiting = |k: &str, todo: &[(String, String)]| {
            edges
                .iter()
                .any(|(before, after)| *after == k && todo.iter().any(|(t, _)| t == before))
        };
        let (ready, rest): (Vec<_>, Vec<_>) =
            todo.iter().cloned().partition(|(k, _)| !waiting(k, &todo));
        if ready.is_empty() {
            // no cycle among the edges above; kept total all the same
            out.extend(rest);
            break;
        }
        out.extend(ready);
        todo = rest;
    }
    out
}
