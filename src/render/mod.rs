//! Layer 10, **render**: migration operations rendered as the SQL Alembic 1.20 prints offline (`--sql`) with
//! SQLAlchemy 2.1's DDL compilers. One trait, [`DdlDialect`], holds the shared DDL
//! grammar with defaults; each dialect file (`postgresql.rs`, `mysql.rs`, `sqlite.rs`,
//! `mssql.rs`) overrides only where its compiler differs.
//!
//! Statements come out as Alembic compiles them, before its `static_output` layout (tabs
//! become four spaces, then the terminator): the offline script in the `alembic` layer adds the rest.
//! Where Alembic itself raises offline (SQLite constraint ALTERs, MySQL without an
//! existing type), the renderer returns Alembic's failure; steps the planner could not
//! interpret render as a marked SQL comment naming file, line and reason.

pub mod batch;
mod mssql;
mod mysql;
mod postgresql;
mod sqlite;
pub mod types;

use crate::base::Dialect;
use crate::graph::revmap::AlembicFailure;
use crate::ops::dml::{RowUpdate, SqlValue};
use crate::ops::known::Unmodelled;
use crate::ops::{
    Change, Column, ColumnChanges, Constraint, ConstraintKind, LocatedStep, Operation, Step,
    TableIndex,
};
use crate::python::{short_name, Val};

pub use types::compile_type;

/// The DDL grammar of one dialect. Defaults follow SQLAlchemy's generic `DDLCompiler` and
/// Alembic's `DefaultImpl`; dialects override what differs.
pub trait DdlDialect {
    fn dialect(&self) -> Dialect;

    /// An identifier as the dialect writes it: quoted only when it must be.
    fn quote(&self, name: &str) -> String {
        self.dialect().quote(name)
    }

    fn quote_list(&self, cols: &[String]) -> String {
        cols.iter()
            .map(|c| self.quote(c))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `CONSTRAINT name ` before a named constraint.
    fn constraint_name(&self, name: &Option<String>) -> String {
        name.as_ref()
            .map(|n| format!("CONSTRAINT {} ", self.quote(n)))
            .unwrap_or_default()
    }

    /// The dialect's spelling of a type, when it differs from the generic compiler's:
    /// `name` is SQLAlchemy's class name (`String`, `JSONB`, `BIGINT`).
    fn type_override(&self, name: &str, t: &Val) -> Option<Result<String, String>> {
        let _ = (name, t);
        None
    }

    /// Whether booleans are native (`true`/`false`) or rendered as `1`/`0`.
    fn native_boolean(&self) -> bool {
        true
    }

    /// The autoincrement column's type and keywords (`SERIAL`; MySQL's `AUTO_INCREMENT`).
    fn serial_type(&self, type_sql: &str) -> String {
        type_sql.to_string()
    }

    /// `name TYPE[ DEFAULT x][ NOT NULL]` (SQLAlchemy's `get_column_specification`).
    fn column_spec(&self, c: &Column, autoincrement: bool) -> Result<String, String> {
        let ty = self.column_type(c)?;
        // a sequence of its own (not `optional`) where the dialect has them: no SERIAL
        let autoincrement =
            autoincrement && !(c.sequence == Some(false) && self.dialect().supports_sequences());
        let ty = if autoincrement {
            self.serial_type(&ty)
        } else {
            ty
        };
        let mut s = format!("{} {ty}", self.quote(&c.name));
        if let Some(d) = &c.server_default {
            s.push_str(&format!(" DEFAULT {}", self.default_sql(d)));
        }
        let generated = c.computed.as_ref().map(computed_sql);
        if let Some(g) = generated
            .as_ref()
            .filter(|_| !self.generated_after_not_null())
        {
            s.push(' ');
            s.push_str(g);
        }
        if !nullable(c) {
            s.push_str(" NOT NULL");
        }
        if let Some(g) = generated
            .as_ref()
            .filter(|_| self.generated_after_not_null())
        {
            s.push(' ');
            s.push_str(g);
        }
        Ok(s)
    }

    /// Whether a generated column's clause follows `NOT NULL` (SQLite) rather than
    /// preceding it (PostgreSQL, MySQL).
    fn generated_after_not_null(&self) -> bool {
        false
    }

    fn column_type(&self, c: &Column) -> Result<String, String> {
        // (asked first by every dialect's column spec: a server default the planner cannot
        // know leaves the whole column unknown, never `DEFAULT <a guess>`)
        if let Some(r) = c.server_default.as_ref().and_then(Val::opaque_reason) {
            return Err(format!(
                "the server default of column `{}`, which the planner cannot know: {r}",
                c.name
            ));
        }
        match &c.type_ {
            Some(t) => compile_type(t, self),
            None => Err(format!("column `{}` has no type", c.name)),
        }
    }

    /// A server default's SQL (`'a'`, `now()`, `false`).
    fn default_sql(&self, v: &Val) -> String {
        default_sql_generic(self, v)
    }

    /// A string as the dialect's compiler inlines it (`'it''s'`; MySQL also doubles
    /// backslashes, in values, defaults, comments and enum labels alike).
    fn string_literal(&self, s: &str) -> String {
        literal_str(s)
    }

    fn bool_sql(&self, b: bool) -> String {
        match (self.native_boolean(), b) {
            (true, true) => "true".into(),
            (true, false) => "false".into(),
            (false, true) => "1".into(),
            (false, false) => "0".into(),
        }
    }

    /// `func.now()` and friends.
    /// How the dialect's compiler spells `func.now()`.
    fn now_sql(&self) -> &'static str {
        "now()"
    }

    fn function_sql(&self, name: &str, args: &[Val]) -> String {
        match name.to_ascii_lowercase().as_str() {
            "now" if args.is_empty() => self.now_sql().to_string(),
            "current_timestamp" | "current_date" | "current_time" | "localtimestamp"
                if args.is_empty() =>
            {
                name.to_ascii_uppercase()
            }
            _ => format!(
                "{name}({})",
                args.iter()
                    .map(|a| self.literal(a))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// A Python value as an inlined SQL literal (`bulk_insert`, function arguments).
    fn literal(&self, v: &Val) -> String {
        match v {
            Val::None => "NULL".into(),
            Val::Bool(b) => self.bool_sql(*b),
            Val::Int(i) => i.to_string(),
            Val::Float(f) => f.clone(),
            Val::Str(s) => self.string_literal(s),
            Val::Call { func, args, .. } if func.ends_with("inline_literal") => {
                args.first().map(|a| self.literal(a)).unwrap_or_default()
            }
            other => self.default_sql(other),
        }
    }

    /// A typed literal of SQLAlchemy Core's statements (`ops::dml`), as the dialect's
    /// literal processors write it: SQL Server marks a `Unicode` column's strings `N'...'`.
    fn sql_literal(&self, table: &str, l: &SqlValue) -> String {
        match l {
            SqlValue::Column(c) => format!("{}.{}", self.quote(table), self.quote(c)),
            SqlValue::Null => "NULL".into(),
            SqlValue::Bool(b) => self.bool_sql(*b),
            SqlValue::Int(i) => i.to_string(),
            SqlValue::Str { text, national } => match self.dialect() {
                Dialect::Mssql if *national => format!("N{}", self.string_literal(text)),
                _ => self.string_literal(text),
            },
        }
    }

    /// `UPDATE t SET a=1 WHERE t.b IS NULL`, as SQLAlchemy compiles `t.update()`.
    fn update_rows(&self, u: &RowUpdate) -> String {
        let set: Vec<String> = u
            .set
            .iter()
            .map(|(c, v)| format!("{}={}", self.quote(c), self.sql_literal(&u.table, v)))
            .collect();
        let mut sql = format!("UPDATE {} SET {}", self.quote(&u.table), set.join(", "));
        let conditions: Vec<String> = u
            .filter
            .iter()
            .map(|f| {
                let column = format!("{}.{}", self.quote(&u.table), self.quote(&f.column));
                match (&f.value, f.equal) {
                    (SqlValue::Null, true) => format!("{column} IS NULL"),
                    (SqlValue::Null, false) => format!("{column} IS NOT NULL"),
                    (v, true) => format!("{column} = {}", self.sql_literal(&u.table, v)),
                    (v, false) => format!("{column} != {}", self.sql_literal(&u.table, v)),
                }
            })
            .collect();
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        sql
    }

    /// `CREATE TABLE` and what Alembic emits with it (enum types, indexes, comments).
    fn create_table(
        &self,
        table: &str,
        columns: &[Column],
        constraints: &[Constraint],
        comment: Option<&str>,
        indexes: &[TableIndex],
        options: &[(String, String)],
    ) -> Result<Vec<String>, String> {
        let mut out = self.before_create_table(columns);
        let pk_cols: Vec<String> = match constraints.iter().find_map(|c| match c {
            Constraint::PrimaryKey { columns, .. } => Some(columns.clone()),
            _ => None,
        }) {
            Some(cols) => cols,
            None => columns
                .iter()
                .filter(|c| c.primary_key)
                .map(|c| c.name.clone())
                .collect(),
        };
        // a foreign key written as a table-level constraint counts as the column's own
        let fk_columns: Vec<&str> = constraints
            .iter()
            .filter_map(|c| match c {
                Constraint::ForeignKey { columns, .. } => Some(columns),
                _ => None,
            })
            .flatten()
            .map(String::as_str)
            .collect();
        let auto = autoincrement_column(columns, &pk_cols, &fk_columns, self.dialect());
        let mut lines = Vec::new();
        for c in columns {
            let mut c = c.clone();
            if pk_cols.contains(&c.name) {
                c.primary_key = true;
            }
            lines.push(format!(
                "\t{}",
                self.column_spec(&c, auto.as_deref() == Some(c.name.as_str()))?
            ));
        }
        // the primary key first, then the other constraints in creation order: those
        // written as arguments, then those the columns create (ForeignKey, unique=True)
        let explicit_pk = constraints.iter().find_map(|c| match c {
            Constraint::PrimaryKey { name, .. } => Some(name.clone()),
            _ => None,
        });
        if !pk_cols.is_empty() {
            lines.push(format!(
                "\t{}PRIMARY KEY ({})",
                self.constraint_name(&explicit_pk.flatten()),
                pk_cols
                    .iter()
                    .map(|c| self.quote(c))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let inline = |c: &Constraint| match c {
            Constraint::PrimaryKey { .. } => false,
            Constraint::ForeignKey { rules, .. } => !rules.left_out_of_create_table(self.dialect()),
            _ => true,
        };
        for c in constraints.iter().filter(|c| inline(c)) {
            lines.push(format!("\t{}", self.constraint_sql(c)));
        }
        for c in columns
            .iter()
            .flat_map(|c| c.implied_constraints())
            .filter(|c| inline(c))
        {
            lines.push(format!("\t{}", self.constraint_sql(&c)));
        }
        out.push(format!(
            "CREATE TABLE {} (\n{}\n){}",
            self.quote(table),
            lines.join(", \n"),
            self.table_suffix(comment, options)
        ));
        for c in columns {
            if let Some(ix) = c.implied_index(table) {
                out.push(self.create_index(&ix.name, table, &ix.columns, ix.unique, &[], false));
            }
        }
        // `Table.indexes` is a set: with several indexes Alembic's order follows hash order
        for i in indexes {
            out.push(self.create_index(&i.name, table, &i.columns, i.unique, &i.dialect_kw, false));
        }
        out.extend(self.table_comments(table, columns, comment));
        Ok(out)
    }

    /// Statements before `CREATE TABLE` (PostgreSQL's `CREATE TYPE ... AS ENUM`).
    fn before_create_table(&self, columns: &[Column]) -> Vec<String> {
        let _ = columns;
        Vec::new()
    }

    /// Text after the closing parenthesis (MySQL's table options and inline comment; none
    /// by default: other dialects' options have no effect).
    fn table_suffix(&self, comment: Option<&str>, options: &[(String, String)]) -> String {
        let _ = (comment, options);
        String::new()
    }

    /// `COMMENT ON` statements after `CREATE TABLE` (where comments are not inline).
    fn table_comments(
        &self,
        table: &str,
        columns: &[Column],
        comment: Option<&str>,
    ) -> Vec<String> {
        let _ = (table, columns, comment);
        Vec::new()
    }

    fn constraint_sql(&self, c: &Constraint) -> String {
        match c {
            Constraint::PrimaryKey { name, columns } => format!(
                "{}PRIMARY KEY ({})",
                self.constraint_name(name),
                self.quote_list(columns)
            ),
            Constraint::Unique { name, columns } => {
                format!(
                    "{}UNIQUE ({})",
                    self.constraint_name(name),
                    self.quote_list(columns)
                )
            }
            Constraint::Check { name, condition } => {
                format!("{}CHECK ({condition})", self.constraint_name(name))
            }
            Constraint::ForeignKey {
                name,
                columns,
                referent,
                remote,
                rules,
            } => format!(
                "{}FOREIGN KEY({}) REFERENCES {} ({}){}",
                self.constraint_name(name),
                self.quote_list(columns),
                self.quote(referent),
                self.quote_list(remote),
                rules.sql()
            ),
        }
    }

    fn drop_table(&self, table: &str) -> Vec<String> {
        vec![format!("DROP TABLE {}", self.quote(table))]
    }

    /// `ADD COLUMN` and what Alembic's `add_column` creates with it: the column's
    /// constraints, index and comment. A failure keeps the statements printed before it
    /// (SQLite prints the `ADD COLUMN`, then refuses the foreign key).
    fn add_column(&self, table: &str, c: &Column) -> Result<Vec<String>, Failure> {
        let mut out = vec![format!(
            "ALTER TABLE {} ADD COLUMN {}",
            self.quote(table),
            self.column_spec(c, false).map_err(Failure::from)?
        )];
        // Alembic's add_column also creates the column's constraints and index
        for k in c.implied_constraints() {
            match self.add_constraint(table, &k) {
                Ok(s) => out.push(s),
                Err(message) => {
                    return Err(Failure {
                        emitted: out,
                        message,
                    })
                }
            }
        }
        if let Some(ix) = c.implied_index(table) {
            out.push(self.create_index(&ix.name, table, &ix.columns, ix.unique, &[], false));
        }
        out.extend(self.table_comments(table, std::slice::from_ref(c), None));
        Ok(out)
    }

    fn drop_column(&self, table: &str, column: &str) -> Vec<String> {
        vec![format!(
            "ALTER TABLE {} DROP COLUMN {}",
            self.quote(table),
            self.quote(column)
        )]
    }

    /// `alter_column`: nullability, default, type, comment, then the new name.
    fn alter_column(
        &self,
        table: &str,
        column: &str,
        changes: &ColumnChanges,
    ) -> Result<Vec<String>, String> {
        alter_column_generic(self, table, column, changes)
    }

    /// `CREATE [UNIQUE] INDEX name ON table [USING m] (cols) [WHERE cond]`; the `USING`
    /// and `WHERE` come from `<dialect>_using` / `<dialect>_where` options.
    fn create_index(
        &self,
        name: &str,
        table: &str,
        columns: &[String],
        unique: bool,
        dialect_kw: &[(String, Val)],
        if_not_exists: bool,
    ) -> String {
        let pg = self.dialect() == Dialect::Postgresql;
        let opt = |k: &str| {
            let key = format!("{}_{k}", self.dialect().name());
            dialect_kw
                .iter()
                .find(|(n, _)| *n == key)
                .map(|(_, v)| match v {
                    Val::Str(s) => s.clone(),
                    other => self.default_sql(other),
                })
        };
        let using = opt("using")
            .filter(|_| pg)
            .map(|u| format!("USING {} ", u.to_lowercase()))
            .unwrap_or_default();
        let concurrently = if pg && dialect_flag(dialect_kw, "postgresql_concurrently") {
            "CONCURRENTLY "
        } else {
            ""
        };
        let exists = if if_not_exists { "IF NOT EXISTS " } else { "" };
        let include = match dialect_kw.iter().find(|(k, _)| k == "postgresql_include") {
            Some((_, v)) if pg => {
                let names = crate::ops::build::names(Some(v));
                if names.is_empty() {
                    String::new()
                } else {
                    format!(" INCLUDE ({})", self.quote_list(&names))
                }
            }
            _ => String::new(),
        };
        let where_ = opt("where")
            .filter(|_| matches!(self.dialect(), Dialect::Postgresql | Dialect::Sqlite))
            .map(|w| format!(" WHERE {w}"))
            .unwrap_or_default();
        format!(
            "CREATE {}INDEX {concurrently}{exists}{} ON {} {using}({}){include}{where_}",
            if unique { "UNIQUE " } else { "" },
            self.quote(name),
            self.quote(table),
            columns
                .iter()
                .map(|c| if crate::ops::ir::index_expression(c) {
                    c.clone()
                } else {
                    // `postgresql_ops={"id": "DESC"}`: written after the column it names
                    match pg.then(|| index_op(dialect_kw, c)).flatten() {
                        Some(o) => format!("{} {o}", self.quote(c)),
                        None => self.quote(c),
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        )
    }

    /// `DROP INDEX`; PostgreSQL's `CONCURRENTLY` before `IF EXISTS`.
    fn drop_index(
        &self,
        name: &str,
        table: Option<&str>,
        if_exists: bool,
        dialect_kw: &[(String, Val)],
    ) -> String {
        let _ = table;
        let concurrently = self.dialect() == Dialect::Postgresql
            && dialect_flag(dialect_kw, "postgresql_concurrently");
        format!(
            "DROP INDEX {}{}{}",
            if concurrently { "CONCURRENTLY " } else { "" },
            if if_exists { "IF EXISTS " } else { "" },
            self.quote(name)
        )
    }

    fn add_constraint(&self, table: &str, c: &Constraint) -> Result<String, String> {
        Ok(format!(
            "ALTER TABLE {} ADD {}",
            self.quote(table),
            self.constraint_sql(c)
        ))
    }

    fn drop_constraint(
        &self,
        name: &str,
        table: &str,
        kind: Option<ConstraintKind>,
    ) -> Result<String, String> {
        let _ = kind;
        Ok(format!(
            "ALTER TABLE {} DROP CONSTRAINT {}",
            self.quote(table),
            self.quote(name)
        ))
    }

    fn rename_table(&self, table: &str, new_name: &str) -> String {
        format!(
            "ALTER TABLE {} RENAME TO {}",
            self.quote(table),
            self.quote(new_name)
        )
    }

    fn table_comment(&self, table: &str, comment: Option<&str>) -> Vec<String> {
        let _ = (table, comment);
        Vec::new()
    }

    /// `alter_column(comment=...)` where comments are separate statements.
    fn column_comment(&self, table: &str, column: &str, comment: Option<&str>) -> Vec<String> {
        let _ = (table, column, comment);
        Vec::new()
    }
}

/// The generic compiler's server default.
pub fn default_sql_generic<R: DdlDialect + ?Sized>(r: &R, v: &Val) -> String {
    match v {
        Val::Str(s) => r.string_literal(s),
        Val::Call { func, args, .. } => {
            let short = short_name(func);
            // `sqlalchemy.sql.expression.false` is `sqlalchemy.false`, and the classes
            // `sqlalchemy.sql.False_()` / `True_()` compile as they do
            let short = short.strip_prefix("expression.").unwrap_or(&short);
            let short = match short.rsplit('.').next() {
                Some("False_") if args.is_empty() => "false",
                Some("True_") if args.is_empty() => "true",
                _ => short,
            };
            match short {
                "text" | "literal_column" => args
                    .first()
                    .and_then(|a| a.as_str())
                    .map(String::from)
                    .unwrap_or_else(|| v.render()),
                "false" => r.bool_sql(false),
                "true" => r.bool_sql(true),
                _ => match short.strip_prefix("func.") {
                    Some(f) => r.function_sql(f, args),
                    None => v.render(),
                },
            }
        }
        Val::Bool(b) => r.bool_sql(*b),
        Val::Int(i) => i.to_string(),
        Val::Float(f) => f.clone(),
        other => other.render(),
    }
}

/// Alembic's `DefaultImpl.alter_column`: nullability, default, type, then the new name.
pub fn alter_column_generic<R: DdlDialect + ?Sized>(
    r: &R,
    table: &str,
    column: &str,
    changes: &ColumnChanges,
) -> Result<Vec<String>, String> {
    let t = r.quote(table);
    let c = r.quote(column);
    let mut out = Vec::new();
    let type_sql = |ty: &Val| -> Result<String, String> {
        Ok(format!(
            "ALTER TABLE {t} ALTER COLUMN {c} TYPE {}",
            compile_type(ty, r)?
        ))
    };
    // Alembic's PostgresqlImpl.alter_column emits the type change before the rest; the
    // default implementation after the nullability and default
    let type_first = r.dialect() == Dialect::Postgresql;
    if let (true, Some(ty)) = (type_first, &changes.type_) {
        out.push(type_sql(ty)?);
    }
    if let Some(n) = changes.nullable {
        out.push(format!(
            "ALTER TABLE {t} ALTER COLUMN {c} {} NOT NULL",
            if n { "DROP" } else { "SET" }
        ));
    }
    match &changes.server_default {
        Change::Keep => {}
        Change::Drop => out.push(format!("ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT")),
        Change::Set(v) => out.push(format!(
            "ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT {}",
            r.default_sql(v)
        )),
    }
    if let (false, Some(ty)) = (type_first, &changes.type_) {
        out.push(type_sql(ty)?);
    }
    match &changes.comment {
        Change::Set(text) => out.extend(r.column_comment(table, column, Some(text))),
        Change::Drop => out.extend(r.column_comment(table, column, None)),
        Change::Keep => {}
    }
    if let Some(v) = &changes.new_column_name {
        out.push(format!("ALTER TABLE {t} RENAME {c} TO {}", r.quote(v)));
    }
    Ok(out)
}

/// SQLAlchemy's `visit_computed_column`: `GENERATED ALWAYS AS (expr)`, then `STORED` or
/// `VIRTUAL` when `persisted` says so.
pub fn computed_sql(c: &crate::ops::Computed) -> String {
    let suffix = match c.persisted {
        Some(true) => " STORED",
        Some(false) => " VIRTUAL",
        None => "",
    };
    format!("GENERATED ALWAYS AS ({}){suffix}", c.sqltext)
}

/// Whether a column's DDL allows NULL: as written, else not for a primary key column
/// (SQLAlchemy keeps an explicit `nullable=True` even on a primary key column and then
/// writes no `NOT NULL`; Cinder's `encryption_id` relies on it).
pub fn nullable(c: &Column) -> bool {
    c.nullable.unwrap_or(!c.primary_key)
}

/// SQLAlchemy's `PrimaryKeyConstraint._autoincrement_column`: with one primary key column,
/// that column unless `autoincrement=False`, and (when `"auto"`) only if it is an integer
/// without a foreign key (its own `ForeignKey` or one of a table's `ForeignKeyConstraint`,
/// `fk_columns`), a server default or a Python default; with several, the one marked
/// `autoincrement=True`.
fn autoincrement_column(
    columns: &[Column],
    pk: &[String],
    fk_columns: &[&str],
    dialect: Dialect,
) -> Option<String> {
    let integer = |c: &Column| match c.type_.as_ref().map(|t| types::for_dialect(t, dialect)) {
        Some(Val::Call { func, .. }) | Some(Val::Ref(func)) => matches!(
            short_name(func).rsplit('.').next().unwrap_or(""),
            "Integer" | "BigInteger" | "SmallInteger" | "INTEGER" | "BIGINT" | "SMALLINT" | "INT"
        ),
        _ => false,
    };
    let cols: Vec<&Column> = pk
        .iter()
        .filter_map(|n| columns.iter().find(|c| c.name == *n))
        .collect();
    match cols.as_slice() {
        [c] => match c.autoincrement {
            Some(false) => None,
            Some(true) => integer(c).then(|| c.name.clone()),
            None => (integer(c)
                && c.foreign_keys.is_empty()
                && !fk_columns.contains(&c.name.as_str())
                && c.server_default.is_none()
                && !c.has_default)
                .then(|| c.name.clone()),
        },
        _ => cols
            .iter()
            .find(|c| c.autoincrement == Some(true) && integer(c))
            .map(|c| c.name.clone()),
    }
}

/// A default expression as MySQL and SQLite write it: parenthesised unless it is a literal
/// (starts with a quote or parenthesis) or a single word (SQLAlchemy's `re.match(".*\W.*")`).
pub fn parenthesize_expression(sql: &str) -> String {
    let literal = sql.trim_start().starts_with(['\'', '"', '(']);
    if !literal && sql.chars().any(|c| !(c.is_alphanumeric() || c == '_')) {
        format!("({sql})")
    } else {
        sql.to_string()
    }
}

/// `'text'` with quotes doubled.
pub fn literal_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Prefix of a render error that Alembic reports as `FAILED: ...` (a `CommandError`);
/// any other error is an exception with a traceback.
pub const COMMAND_ERROR: &str = "alembic.util.exc.CommandError: ";

/// The renderer of a dialect.
pub fn renderer(d: Dialect) -> &'static dyn DdlDialect {
    match d {
        Dialect::Postgresql => &postgresql::Postgresql,
        Dialect::Mysql => &mysql::Mysql,
        Dialect::Sqlite => &sqlite::Sqlite,
        Dialect::Mssql => &mssql::Mssql,
    }
}

/// The SQL of one migration function's steps, in order, or Alembic's failure where it
/// would stop (with the statements before it).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RenderedSteps {
    pub statements: Vec<String>,
    pub failure: Option<AlembicFailure>,
}

/// What one run of Alembic remembers between the operations it renders: the PostgreSQL
/// ENUM types `create_table` has created (SQLAlchemy's `_check_for_name_in_memos` keeps them
/// on the DDL runner, which is Alembic's implementation object, alive for the whole run:
/// a second table with an `Enum` of the same name, in the same revision or a later one,
/// creates no type again).
#[derive(Clone, Debug, Default)]
pub struct RunMemo {
    /// The types' names as `CREATE TYPE` writes them (quoted, with their schema).
    enums: std::collections::BTreeSet<String>,
}

impl RunMemo {
    /// `create_table`'s statements without the `CREATE TYPE`s of types this run has
    /// already created; the others are remembered. (Those statements come first, from
    /// [`DdlDialect::before_create_table`].)
    fn created_once(&mut self, statements: Vec<String>) -> Vec<String> {
        let mut leading = true;
        statements
            .into_iter()
            .filter(|st| {
                let name = st
                    .strip_prefix("CREATE TYPE ")
                    .and_then(|rest| rest.split_once(" AS ENUM ("))
                    .map(|(name, _)| name.to_string());
                leading &= name.is_some();
                match name {
                    Some(name) if leading => self.enums.insert(name),
                    _ => true,
                }
            })
            .collect()
    }
}

/// Renders interpreted steps. An opaque step becomes a marked comment
/// (`-- alembic-planner: path:line: ...`); with `strict`, it stops the script instead,
/// as Alembic would not get past it without the application. `memo` is the run's.
pub fn render_steps(
    steps: &[LocatedStep],
    dialect: Dialect,
    path: &str,
    strict: bool,
    memo: &mut RunMemo,
) -> RenderedSteps {
    let r = renderer(dialect);
    let mut out = RenderedSteps::default();
    for st in steps {
        match &st.step {
            Step::Opaque { reason } => {
                if strict {
                    out.failure = Some(AlembicFailure::Command(format!(
                        "{path}:{}: the planner cannot render this step without running the application: {reason}",
                        st.line
                    )));
                    return out;
                }
                out.statements.push(not_rendered(path, st.line, reason));
            }
            Step::NotModelled { what } => {
                let Some(note) = not_modelled(path, st.line, what, dialect) else {
                    continue;
                };
                if strict {
                    out.failure = Some(AlembicFailure::Command(format!(
                        "{path}:{}: the planner does not model {} exactly",
                        st.line,
                        unmodelled_in(what, dialect).unwrap_or_default()
                    )));
                    return out;
                }
                out.statements.push(note);
            }
            // `autocommit_block()` offline: Alembic ends the transaction DDL runs in and
            // opens a new one after the block (`emit_commit` / `emit_begin`)
            Step::Print { text } => out.statements.push(format!("{PRINTED}{text}")),
            Step::Autocommit { enter } => {
                if dialect.transactional_ddl() {
                    let sql = if *enter { "COMMIT;" } else { dialect.begin() };
                    out.statements.push(sql.trim_end_matches(';').to_string());
                }
            }
            Step::Op(op) => match fit_names(op, &st.conv_names, dialect)
                .map_err(Failure::from)
                .and_then(|op| render_op(r, &op))
            {
                Ok(v) if matches!(&st.step, Step::Op(op) if matches!(**op, Operation::CreateTable { .. })) => {
                    out.statements.extend(memo.created_once(v))
                }
                Ok(v) => out.statements.extend(v),
                Err(Failure {
                    emitted,
                    message: e,
                }) => {
                    out.statements.extend(emitted);
                    if strict {
                        out.failure = Some(match e.strip_prefix(COMMAND_ERROR) {
                            Some(m) => AlembicFailure::Command(m.to_string()),
                            None => AlembicFailure::Crash(e),
                        });
                        return out;
                    }
                    // what the planner cannot know (an application's column type) is
                    // not Alembic failing: Alembic with the application importable
                    // would print it
                    out.statements.push(if e.contains("the planner") {
                        not_rendered(path, st.line, &e)
                    } else {
                        format!(
                            "-- alembic-planner: {path}:{}: Alembic fails here offline: {}",
                            st.line,
                            e.replace('\n', " ")
                        )
                    });
                }
            },
        }
    }
    out
}

/// What a rendered statement starts with when it is the text a `print()` wrote: the
/// script has it as it is (no `;`, no blank line after).
pub const PRINTED: &str = "\u{1}printed\u{1}";

/// The comment an opaque step prints as: `-- alembic-planner: path:line: not rendered: ...`.
pub fn not_rendered(path: &str, line: u32, reason: &str) -> String {
    format!(
        "-- alembic-planner: {path}:{line}: not rendered: {}",
        reason.replace('\n', " ")
    )
}

/// The note printed before an operation's SQL when part of it is not modelled:
/// `-- alembic-planner: path:line: not modelled: ForeignKey(onupdate='CASCADE'); ...`.
/// Whether a dialect option is set to `True` (`postgresql_concurrently=True`).
fn dialect_flag(dialect_kw: &[(String, Val)], key: &str) -> bool {
    dialect_kw
        .iter()
        .any(|(k, v)| k == key && matches!(v, Val::Bool(true)))
}

/// What of `what` the renderer does not model for `dialect`, joined by commas; `None`
/// when everything in it concerns other dialects only.
fn unmodelled_in(what: &[Unmodelled], dialect: Dialect) -> Option<String> {
    let here: Vec<&str> = what
        .iter()
        .filter(|u| u.affects(dialect))
        .map(|u| u.what.as_str())
        .collect();
    (!here.is_empty()).then(|| here.join(", "))
}

/// The note above a statement that holds what the renderer does not model for `dialect`;
/// `None` when everything in `what` concerns other dialects only.
pub fn not_modelled(
    path: &str,
    line: u32,
    what: &[Unmodelled],
    dialect: Dialect,
) -> Option<String> {
    unmodelled_in(what, dialect).map(|here| format!(
        "-- alembic-planner: {path}:{line}: not modelled: {}; the SQL below leaves it out or writes it differently from Alembic",
        here.replace('\n', " ")
    ))
}

/// Where rendering an operation stops as Alembic would: the statements printed before
/// the failure, and the failure's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub emitted: Vec<String>,
    pub message: String,
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure {
            emitted: Vec::new(),
            message,
        }
    }
}

/// `op` with its index and constraint names as SQLAlchemy writes them for `dialect`
/// (`IdentifierPreparer.format_constraint`): a name written with `op.f()` (`conv`, listed
/// in `conv`) longer than the dialect's limit is shortened to its first `limit - 8`
/// characters, `_` and the last four hex digits of its MD5; any other name longer than
/// the identifier limit is SQLAlchemy's `IdentifierError`, where Alembic stops.
pub fn fit_names<'o>(
    op: &'o Operation,
    conv: &[String],
    dialect: Dialect,
) -> Result<std::borrow::Cow<'o, Operation>, String> {
    let limit = dialect.max_constraint_name_length();
    // (the common case, every name short, borrows: no operation is copied)
    if op
        .constraint_names()
        .iter()
        .all(|n| n.chars().count() <= limit)
    {
        return Ok(std::borrow::Cow::Borrowed(op));
    }
    let mut fitted = op.clone();
    each_name(&mut fitted, &mut |n| {
        let len = n.chars().count();
        if conv.iter().any(|c| c == n) {
            if len > limit {
                use md5::Digest;
                let hex = format!("{:x}", md5::Md5::digest(n.as_bytes()));
                let head: String = n.chars().take(limit - 8).collect();
                *n = format!("{head}_{}", &hex[hex.len() - 4..]);
            }
        } else if len > dialect.max_identifier_length() {
            return Err(format!(
                "sqlalchemy.exc.IdentifierError: Identifier '{n}' exceeds maximum length of {} characters",
                dialect.max_identifier_length()
            ));
        }
        Ok(())
    })?;
    Ok(std::borrow::Cow::Owned(fitted))
}

/// Calls `f` on each index and constraint name `op` writes, in place.
fn each_name(
    op: &mut Operation,
    f: &mut dyn FnMut(&mut String) -> Result<(), String>,
) -> Result<(), String> {
    fn column(
        c: &mut Column,
        f: &mut dyn FnMut(&mut String) -> Result<(), String>,
    ) -> Result<(), String> {
        c.foreign_keys
            .iter_mut()
            .try_for_each(|fk| fk.name.as_mut().map_or(Ok(()), &mut *f))
    }
    match op {
        Operation::CreateTable {
            columns,
            constraints,
            indexes,
            ..
        } => {
            for c in columns {
                column(c, f)?;
            }
            for c in constraints {
                c.name_slot_mut().as_mut().map_or(Ok(()), &mut *f)?;
            }
            indexes.iter_mut().try_for_each(|i| f(&mut i.name))
        }
        Operation::AddColumn { column: c, .. } => column(c, f),
        Operation::CreateIndex { name, .. }
        | Operation::DropIndex { name, .. }
        | Operation::DropConstraint { name, .. } => f(name),
        Operation::AddConstraint { constraint: c, .. } => {
            c.name_slot_mut().as_mut().map_or(Ok(()), f)
        }
        _ => Ok(()),
    }
}

/// The operator class or order `postgresql_ops` gives `column`, if any.
fn index_op<'v>(dialect_kw: &'v [(String, Val)], column: &str) -> Option<&'v str> {
    match dialect_kw.iter().find(|(k, _)| k == "postgresql_ops") {
        Some((_, Val::Dict(items))) => items.iter().find_map(|(k, v)| match (k, v) {
            (Val::Str(k), Val::Str(v)) if k == column => Some(v.as_str()),
            _ => None,
        }),
        _ => None,
    }
}

/// `statements` with `clause` (`IF NOT EXISTS `) after `head` in the first statement that
/// starts with it (the table's own, after any `CREATE TYPE`), when `on`: SQLAlchemy writes
/// the clause there in every dialect.
fn if_exists_clause(
    mut statements: Vec<String>,
    on: bool,
    head: &str,
    clause: &str,
) -> Vec<String> {
    if on {
        if let Some(s) = statements.iter_mut().find(|s| s.starts_with(head)) {
            s.insert_str(head.len(), clause);
        }
    }
    statements
}

fn render_op(r: &dyn DdlDialect, op: &Operation) -> Result<Vec<String>, Failure> {
    Ok(match op {
        Operation::CreateTable {
            table,
            columns,
            constraints,
            comment,
            indexes,
            options,
            if_not_exists,
        } => if_exists_clause(
            r.create_table(
                table,
                columns,
                constraints,
                comment.as_deref(),
                indexes,
                options,
            )?,
            *if_not_exists,
            "CREATE TABLE ",
            "IF NOT EXISTS ",
        ),
        Operation::DropTable { table, if_exists } => {
            if_exists_clause(r.drop_table(table), *if_exists, "DROP TABLE ", "IF EXISTS ")
        }
        Operation::RenameTable { table, new_name } => vec![r.rename_table(table, new_name)],
        Operation::AddColumn {
            table,
            column,
            if_not_exists,
        } => {
            return r.add_column(table, column).map(|out| {
                let at = format!("ALTER TABLE {} ADD COLUMN ", r.quote(table));
                if_exists_clause(out, *if_not_exists, &at, "IF NOT EXISTS ")
            })
        }
        Operation::DropColumn {
            table,
            column,
            if_exists,
        } => {
            let at = format!("ALTER TABLE {} DROP COLUMN ", r.quote(table));
            if_exists_clause(r.drop_column(table, column), *if_exists, &at, "IF EXISTS ")
        }
        Operation::AlterColumn {
            table,
            column,
            changes,
        } => r.alter_column(table, column, changes)?,
        Operation::CreateIndex {
            name,
            table,
            columns,
            unique,
            dialect_kw,
            if_not_exists,
        } => vec![r.create_index(name, table, columns, *unique, dialect_kw, *if_not_exists)],
        Operation::DropIndex {
            name,
            table,
            if_exists,
            dialect_kw,
        } => vec![r.drop_index(name, table.as_deref(), *if_exists, dialect_kw)],
        Operation::RenameIndex { name, new_name } => {
            vec![format!(
                "ALTER INDEX {} RENAME TO {}",
                r.quote(name),
                r.quote(new_name)
            )]
        }
        Operation::AddConstraint { table, constraint } => {
            vec![r.add_constraint(table, constraint)?]
        }
        Operation::DropConstraint {
            name,
            table,
            kind,
            if_exists,
        } => {
            let at = format!("ALTER TABLE {} DROP CONSTRAINT ", r.quote(table));
            if_exists_clause(
                vec![r.drop_constraint(name, table, *kind)?],
                *if_exists,
                &at,
                "IF EXISTS ",
            )
        }
        Operation::TableComment { table, comment } => r.table_comment(table, comment.as_deref()),
        Operation::Execute { sql } => vec![sql.clone()],
        Operation::UpdateRows(u) => vec![r.update_rows(u)],
        Operation::BulkInsert {
            table,
            columns,
            rows,
        } => rows
            .iter()
            .map(|row| {
                // the table's column order, for the keys the row has
                let mut cols: Vec<&String> = columns
                    .iter()
                    .filter(|c| row.iter().any(|(k, _)| k == *c))
                    .collect();
                for (k, _) in row {
                    if !cols.contains(&k) {
                        cols.push(k);
                    }
                }
                let values: Vec<String> = cols
                    .iter()
                    .map(|c| {
                        row.iter()
                            .find(|(k, _)| k == *c)
                            .map(|(_, v)| r.literal(v))
                            .unwrap_or_default()
                    })
                    .collect();
                format!(
                    "INSERT INTO {} ({}) VALUES ({})",
                    r.quote(table),
                    cols.iter()
                        .map(|c| r.quote(c))
                        .collect::<Vec<_>>()
                        .join(", "),
                    values.join(", ")
                )
            })
            .collect(),
        // `Enum.create(bind)` / `.drop(bind)`: only PostgreSQL has enum types of their
        // own; elsewhere SQLAlchemy emits nothing
        Operation::CreateEnum { .. } | Operation::DropEnum { .. }
            if r.dialect() != Dialect::Postgresql =>
        {
            Vec::new()
        }
        Operation::CreateEnum { name, values } => vec![format!(
            "CREATE TYPE {} AS ENUM ({})",
            r.quote(name),
            values
                .iter()
                .map(|v| literal_str(v))
                .collect::<Vec<_>>()
                .join(", ")
        )],
        Operation::DropEnum { name } => vec![format!("DROP TYPE {}", r.quote(name))],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(name: &str) -> Operation {
        Operation::CreateIndex {
            name: name.into(),
            table: "t".into(),
            columns: vec!["c".into()],
            unique: false,
            dialect_kw: Vec::new(),
            if_not_exists: false,
        }
    }

    fn name_of(op: &Operation) -> &str {
        op.constraint_names()[0]
    }

    #[test]
    fn conv_names_past_the_limit_are_shortened_as_sqlalchemy_does() {
        // the name and digests of tests/fixtures/render/long_names (recorded from Alembic)
        let long = "ix_observatory_instrument_calibration_schedule_calibration_window_start";
        let op = index(long);
        let conv = vec![long.to_string()];
        let pg = fit_names(&op, &conv, Dialect::Postgresql).unwrap();
        assert_eq!(
            name_of(&pg),
            "ix_observatory_instrument_calibration_schedule_calibrat_80e8"
        );
        let my = fit_names(&op, &conv, Dialect::Mysql).unwrap();
        assert_eq!(name_of(&my).chars().count(), 64 - 3);
        // SQLite's limit is 9999: unchanged, and nothing copied
        assert!(matches!(
            fit_names(&op, &conv, Dialect::Sqlite).unwrap(),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn other_names_past_the_identifier_limit_are_sqlalchemys_error() {
        let long = "ix_observatory_instrument_calibration_schedule_calibration_window_start";
        let err = fit_names(&index(long), &[], Dialect::Postgresql).unwrap_err();
        assert_eq!(
            err,
            format!("sqlalchemy.exc.IdentifierError: Identifier '{long}' exceeds maximum length of 63 characters")
        );
        // MySQL refuses only past 255 (its index limit, 64, applies to conv names)
        assert!(fit_names(&index(long), &[], Dialect::Mysql).is_ok());
        let drop = Operation::DropConstraint {
            name: "x".repeat(64),
            table: "t".into(),
            kind: None,
            if_exists: false,
        };
        assert!(fit_names(&drop, &[], Dialect::Postgresql).is_err());
        assert!(fit_names(&drop, &["x".repeat(64)], Dialect::Postgresql).is_ok());
    }

    /// Constraints Alembic's MySQL compiler cannot drop: one of unknown kind (no `type_=`)
    /// fails as Alembic does, never a generic `DROP CONSTRAINT` MySQL would not take.
    #[test]
    fn mysql_drops_a_constraint_only_of_a_known_kind() {
        let r = renderer(Dialect::Mysql);
        let err = r.drop_constraint("ck_x", "t", None).unwrap_err();
        assert!(
            err.starts_with("NotImplementedError: No generic 'DROP CONSTRAINT' in MySQL"),
            "{err}"
        );
        assert_eq!(
            r.drop_constraint("ck_x", "t", Some(ConstraintKind::Check))
                .unwrap(),
            "ALTER TABLE t DROP CHECK ck_x"
        );
    }

    /// SQLite's ALTER of a column's comment is Alembic's compile error, not nothing.
    #[test]
    fn sqlite_alter_column_comment_fails_as_alembic_does() {
        let changes = ColumnChanges {
            comment: Change::Set("note".into()),
            ..Default::default()
        };
        let err = renderer(Dialect::Sqlite)
            .alter_column("t", "c", &changes)
            .unwrap_err();
        assert!(
            err.contains("can't render element of type <class 'alembic.ddl.base.ColumnComment'>"),
            "{err}"
        );
    }
}
