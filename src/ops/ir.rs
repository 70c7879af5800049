//! The operation IR: what a migration does, as typed values with the arguments the
//! renderers and the simulator need. Built by the interpreter (`interp.rs`) from Python
//! calls and by the SQL layer from DDL text.

use crate::python::Val;

/// A column as `sa.Column(...)` declares it.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub name: String,
    /// The type as written (`String(length=255)`, `postgresql.JSONB()`), or `None`.
    pub type_: Option<Val>,
    pub nullable: Option<bool>,
    pub primary_key: bool,
    pub server_default: Option<Val>,
    pub comment: Option<String>,
    /// Each `sa.ForeignKey("table.column", ...)` of the column.
    pub foreign_keys: Vec<ColumnForeignKey>,
    pub unique: bool,
    pub index: bool,
    /// `autoincrement=True/False`; `None` is SQLAlchemy's `"auto"`.
    pub autoincrement: Option<bool>,
    /// A Python-side `default=` (no DDL of its own, but it keeps an integer primary key
    /// from being the table's autoincrement column).
    pub has_default: bool,
    /// `sa.Computed("a * 2", persisted=True)`: a generated column.
    pub computed: Option<Computed>,
    /// A `sa.Sequence(...)` among its arguments: its `optional` flag. Where the dialect
    /// has sequences, a non-optional one keeps the column from being `SERIAL`/`IDENTITY`
    /// (`create_table` does not create the sequence).
    pub sequence: Option<bool>,
    /// `sa.Identity(...)`: an identity column where the dialect has them (PostgreSQL);
    /// elsewhere it only makes the column `NOT NULL` unless told otherwise.
    pub identity: Option<Identity>,
    /// `sa.CheckConstraint(...)` among its arguments, each a [`Constraint::Check`]:
    /// SQLAlchemy writes them after the column's own clauses (`x INT CONSTRAINT ck CHECK
    /// (x > 0)`), in `CREATE TABLE` and in Alembic's `ADD COLUMN`.
    pub checks: Vec<Constraint>,
}

/// `sa.Identity(always=..., start=..., increment=...)`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Identity {
    /// `GENERATED ALWAYS` rather than `BY DEFAULT`.
    pub always: bool,
    /// The options as SQLAlchemy writes them (`INCREMENT BY 2 START WITH 5`), or empty.
    pub options: String,
}

/// A generated column's expression and `persisted` flag (`STORED` when `true`, `VIRTUAL`
/// when `false`, neither when `None`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Computed {
    pub sqltext: String,
    pub persisted: Option<bool>,
}

/// `sa.ForeignKey("table.column", name=..., ondelete=...)` on a column.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnForeignKey {
    pub referent: String,
    pub remote: String,
    pub name: Option<String>,
    pub rules: FkRules,
}

/// What a foreign key does on delete and update, and when it is checked: SQLAlchemy
/// writes them after `REFERENCES` in this order (`ON DELETE`, `ON UPDATE`, `DEFERRABLE`
/// or `NOT DEFERRABLE`, `INITIALLY`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct FkRules {
    pub ondelete: Option<String>,
    pub onupdate: Option<String>,
    pub deferrable: Option<bool>,
    pub initially: Option<String>,
    /// `use_alter=True`: `CREATE TABLE` leaves the key out where the dialect can `ALTER`
    /// (SQLAlchemy expects a later `ALTER TABLE ... ADD CONSTRAINT`; `create_table` of
    /// Alembic emits none); SQLite keeps it inline. (How the key is created, not what it
    /// is: left out of JSON, where a key of the schema is what it is.)
    #[serde(skip_serializing)]
    pub use_alter: bool,
}

impl FkRules {
    /// Whether `CREATE TABLE` in `dialect` leaves this key out.
    pub fn left_out_of_create_table(&self, dialect: crate::base::Dialect) -> bool {
        self.use_alter && dialect != crate::base::Dialect::Sqlite
    }

    /// The clauses in SQLAlchemy's order: (keywords, the value as written, if any).
    fn clauses(&self) -> Vec<(&'static str, Option<&str>)> {
        let mut v = Vec::new();
        if let Some(o) = &self.ondelete {
            v.push(("ON DELETE", Some(o.as_str())));
        }
        if let Some(o) = &self.onupdate {
            v.push(("ON UPDATE", Some(o.as_str())));
        }
        match self.deferrable {
            Some(true) => v.push(("DEFERRABLE", None)),
            Some(false) => v.push(("NOT DEFERRABLE", None)),
            None => {}
        }
        if let Some(i) = &self.initially {
            v.push(("INITIALLY", Some(i.as_str())));
        }
        v
    }

    fn render(&self, keyword: impl Fn(&str) -> String) -> String {
        self.clauses()
            .into_iter()
            .map(|(k, v)| match v {
                Some(v) => format!(" {} {v}", keyword(k)),
                None => format!(" {}", keyword(k)),
            })
            .collect()
    }

    /// The SQL after `REFERENCES t (c)`, with its leading space.
    pub fn sql(&self) -> String {
        self.render(str::to_string)
    }

    /// For people, the values as written: ` on delete CASCADE on update SET NULL
    /// deferrable initially DEFERRED`.
    pub fn describe(&self) -> String {
        self.render(str::to_lowercase)
    }
}

impl Column {
    /// The constraints the column creates with itself, in SQLAlchemy's creation order:
    /// `unique=True` (unless `index=True` too, which makes a unique index instead), made as
    /// the column joins its table, then one foreign key per `sa.ForeignKey`, made just
    /// after (when the table's attach event reaches the key).
    pub fn implied_constraints(&self) -> Vec<Constraint> {
        let mut out = Vec::new();
        if self.unique && !self.index {
            out.push(Constraint::Unique {
                name: None,
                columns: vec![self.name.clone()],
            });
        }
        out.extend(self.foreign_keys.iter().map(|fk| Constraint::ForeignKey {
            name: fk.name.clone(),
            columns: vec![self.name.clone()],
            referent: fk.referent.clone(),
            remote: vec![fk.remote.clone()],
            rules: fk.rules.clone(),
        }));
        out
    }

    /// The index `index=True` creates: SQLAlchemy's default name `ix_<table>_<column>`,
    /// unique when the column is `unique=True` too.
    pub fn implied_index(&self, table: &str) -> Option<TableIndex> {
        self.index.then(|| TableIndex {
            name: format!("ix_{table}_{}", self.name),
            columns: vec![self.name.clone()],
            unique: self.unique,
            dialect_kw: Vec::new(),
        })
    }
}

/// An `sa.Index(name, *columns, unique=..., postgresql_where=...)` inside `create_table`.
#[derive(Clone, Debug, PartialEq)]
pub struct TableIndex {
    pub name: String,
    pub columns: Vec<String>,
    pub unique: bool,
    pub dialect_kw: Vec<(String, Val)>,
}

/// A whole table as `create_table` would make it: what a renderer needs to create a
/// table as it stands (SQLite's batch "move and copy" rebuilds it from one).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct TableShape {
    pub name: String,
    pub columns: Vec<Column>,
    /// The primary key first, then the other constraints.
    pub constraints: Vec<Constraint>,
    pub indexes: Vec<TableIndex>,
    pub comment: Option<String>,
}

/// A table-level constraint.
#[derive(Clone, Debug, PartialEq)]
pub enum Constraint {
    PrimaryKey {
        name: Option<String>,
        columns: Vec<String>,
    },
    ForeignKey {
        name: Option<String>,
        columns: Vec<String>,
        referent: String,
        remote: Vec<String>,
        rules: FkRules,
    },
    Unique {
        name: Option<String>,
        columns: Vec<String>,
    },
    Check {
        name: Option<String>,
        condition: String,
    },
}

impl Constraint {
    /// The constraint's name, when it has one.
    pub fn name(&self) -> Option<&str> {
        self.name_slot().as_deref()
    }

    /// Where the constraint's name is kept.
    pub fn name_slot(&self) -> &Option<String> {
        match self {
            Constraint::PrimaryKey { name, .. }
            | Constraint::ForeignKey { name, .. }
            | Constraint::Unique { name, .. }
            | Constraint::Check { name, .. } => name,
        }
    }

    /// Where the constraint's name is kept, to change it.
    pub fn name_slot_mut(&mut self) -> &mut Option<String> {
        match self {
            Constraint::PrimaryKey { name, .. }
            | Constraint::ForeignKey { name, .. }
            | Constraint::Unique { name, .. }
            | Constraint::Check { name, .. } => name,
        }
    }
}

/// A constraint's kind, as `drop_constraint(type_=...)` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConstraintKind {
    ForeignKey,
    Primary,
    Unique,
    Check,
}

impl ConstraintKind {
    /// Alembic's spelling: `foreignkey`, `primary`, `unique`, `check`.
    pub fn name(self) -> &'static str {
        match self {
            ConstraintKind::ForeignKey => "foreignkey",
            ConstraintKind::Primary => "primary",
            ConstraintKind::Unique => "unique",
            ConstraintKind::Check => "check",
        }
    }

    pub fn from_name(name: &str) -> Option<ConstraintKind> {
        [
            ConstraintKind::ForeignKey,
            ConstraintKind::Primary,
            ConstraintKind::Unique,
            ConstraintKind::Check,
        ]
        .into_iter()
        .find(|k| k.name() == name)
    }
}

/// A change that can set a value, drop it, or leave it (Alembic's `server_default` and
/// `comment` arguments of `alter_column`: absent or `False` leaves it, `None` drops it).
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Change<T> {
    #[default]
    Keep,
    Drop,
    Set(T),
}

/// What `alter_column` changes, and what it says of the column as it is (`existing_*`,
/// which some dialects need to write the full column again).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ColumnChanges {
    pub nullable: Option<bool>,
    pub type_: Option<Val>,
    pub server_default: Change<Val>,
    pub comment: Change<String>,
    pub new_column_name: Option<String>,
    pub autoincrement: Option<bool>,
    pub existing_type: Option<Val>,
    pub existing_nullable: Option<bool>,
    pub existing_server_default: Option<Val>,
    pub existing_comment: Option<String>,
    pub existing_autoincrement: Option<bool>,
    /// Other keywords, as written (dialect options such as `postgresql_using`).
    pub other: Vec<(String, Val)>,
}

impl ColumnChanges {
    /// The changes as `key=value` words, in Alembic's signature order.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut kv = |k: &str, v: String| parts.push(format!("{k}={v}"));
        if let Some(b) = self.nullable {
            kv("nullable", Val::Bool(b).render());
        }
        match &self.comment {
            Change::Keep => {}
            Change::Drop => kv("comment", "None".into()),
            Change::Set(c) => kv("comment", Val::Str(c.clone()).render()),
        }
        match &self.server_default {
            Change::Keep => {}
            Change::Drop => kv("server_default", "None".into()),
            Change::Set(v) => kv("server_default", v.render()),
        }
        if let Some(n) = &self.new_column_name {
            kv("new_column_name", Val::Str(n.clone()).render());
        }
        if let Some(t) = &self.type_ {
            kv("type_", t.render());
        }
        if let Some(t) = &self.existing_type {
            kv("existing_type", t.render());
        }
        if let Some(d) = &self.existing_server_default {
            kv("existing_server_default", d.render());
        }
        if let Some(b) = self.existing_nullable {
            kv("existing_nullable", Val::Bool(b).render());
        }
        if let Some(c) = &self.existing_comment {
            kv("existing_comment", Val::Str(c.clone()).render());
        }
        if let Some(b) = self.autoincrement {
            kv("autoincrement", Val::Bool(b).render());
        }
        if let Some(b) = self.existing_autoincrement {
            kv("existing_autoincrement", Val::Bool(b).render());
        }
        for (k, v) in &self.other {
            kv(k, v.render());
        }
        parts.join(" ")
    }
}

/// One migration operation.
// Steps hold operations boxed (`Step::Op`), so the size of the largest variant costs little.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Operation {
    CreateTable {
        table: String,
        columns: Vec<Column>,
        constraints: Vec<Constraint>,
        comment: Option<String>,
        /// `sa.Index(...)` elements, created right after the table.
        indexes: Vec<TableIndex>,
        /// Dialect options with a string value (`mysql_engine="InnoDB"`), as written:
        /// (keyword, value).
        options: Vec<(String, String)>,
        /// `if_not_exists=True`: `CREATE TABLE IF NOT EXISTS` (its indexes and comments are
        /// still created as they are).
        if_not_exists: bool,
    },
    DropTable {
        table: String,
        /// `if_exists=True`: `DROP TABLE IF EXISTS` (and no complaint when it is absent).
        if_exists: bool,
    },
    RenameTable {
        table: String,
        new_name: String,
    },
    AddColumn {
        table: String,
        column: Column,
        /// `if_not_exists=True`: `ADD COLUMN IF NOT EXISTS`.
        if_not_exists: bool,
    },
    DropColumn {
        table: String,
        column: String,
        /// `if_exists=True`: `DROP COLUMN IF EXISTS`.
        if_exists: bool,
    },
    AlterColumn {
        table: String,
        column: String,
        changes: ColumnChanges,
    },
    CreateIndex {
        name: String,
        table: String,
        /// Column names, or SQL expressions as written (`sa.text("lower(x)")`, `"end_time
        /// DESC"`: [`index_expression`]).
        columns: Vec<String>,
        /// The positions in `columns` of SQLAlchemy function calls (`sa.func.lower(
        /// sa.column("email"))`, written `lower(email)`): MySQL groups them in parentheses.
        functions: Vec<usize>,
        unique: bool,
        /// Dialect options as written: `postgresql_where`, `postgresql_using`, ...
        dialect_kw: Vec<(String, Val)>,
        /// `if_not_exists=True`: `CREATE INDEX IF NOT EXISTS`.
        if_not_exists: bool,
    },
    DropIndex {
        name: String,
        table: Option<String>,
        /// `if_exists=True`: `DROP INDEX IF EXISTS` (and no complaint when it is absent).
        if_exists: bool,
        /// Dialect options as written (`postgresql_concurrently`).
        dialect_kw: Vec<(String, Val)>,
    },
    /// `ALTER INDEX a RENAME TO b` (from SQL).
    RenameIndex {
        name: String,
        new_name: String,
    },
    AddConstraint {
        table: String,
        constraint: Constraint,
    },
    DropConstraint {
        name: String,
        table: String,
        /// `type_=`: what kind of constraint it is (MySQL needs it).
        kind: Option<ConstraintKind>,
        /// `if_exists=True`: `DROP CONSTRAINT IF EXISTS` (MySQL's forms have no such
        /// clause: Alembic leaves it out there).
        if_exists: bool,
    },
    TableComment {
        table: String,
        comment: Option<String>,
    },
    /// `op.execute(...)`: SQL text (or a construct, rendered).
    Execute {
        sql: String,
    },
    /// `op.execute(t.update().where(...).values(...))`: SQLAlchemy Core's UPDATE of a
    /// `sa.table()`, its values inlined as Alembic's offline mode compiles them.
    UpdateRows(crate::ops::dml::RowUpdate),
    BulkInsert {
        table: String,
        /// The columns of the `sa.table(...)`, in order.
        columns: Vec<String>,
        /// Each row's `(column, value)` pairs.
        rows: Vec<Vec<(String, Val)>>,
    },
    /// `Enum(...).create(bind)` / `.drop(bind)`.
    CreateEnum {
        name: String,
        values: Vec<String>,
    },
    DropEnum {
        name: String,
    },
}

impl Operation {
    /// The index and constraint names the operation writes (named constraints of its
    /// columns and table, its indexes, the one it creates or drops).
    pub fn constraint_names(&self) -> Vec<&str> {
        fn of_column(c: &Column) -> impl Iterator<Item = &str> {
            c.foreign_keys.iter().filter_map(|fk| fk.name.as_deref())
        }
        match self {
            Operation::CreateTable {
                columns,
                constraints,
                indexes,
                ..
            } => columns
                .iter()
                .flat_map(of_column)
                .chain(constraints.iter().filter_map(Constraint::name))
                .chain(indexes.iter().map(|i| i.name.as_str()))
                .collect(),
            Operation::AddColumn { column, .. } => of_column(column).collect(),
            Operation::CreateIndex { name, .. }
            | Operation::DropIndex { name, .. }
            | Operation::DropConstraint { name, .. } => vec![name],
            Operation::AddConstraint { constraint, .. } => constraint.name().into_iter().collect(),
            _ => Vec::new(),
        }
    }

    /// The tables the operation names (both names of a rename).
    pub fn tables(&self) -> Vec<&str> {
        match self {
            Operation::CreateTable { table, .. }
            | Operation::DropTable { table, .. }
            | Operation::AddColumn { table, .. }
            | Operation::DropColumn { table, .. }
            | Operation::AlterColumn { table, .. }
            | Operation::CreateIndex { table, .. }
            | Operation::AddConstraint { table, .. }
            | Operation::DropConstraint { table, .. }
            | Operation::TableComment { table, .. }
            | Operation::BulkInsert { table, .. } => vec![table],
            Operation::UpdateRows(u) => vec![&u.table],
            Operation::RenameTable { table, new_name } => vec![table, new_name],
            Operation::DropIndex { table: Some(t), .. } => vec![t],
            _ => vec![],
        }
    }

    /// One line of text: `create_table users (id, email, ...)`.
    pub fn describe(&self) -> String {
        match self {
            Operation::CreateTable {
                table,
                columns,
                constraints,
                indexes,
                ..
            } => format!(
                "create_table {table} ({}){}{}",
                columns
                    .iter()
                    .map(describe_column)
                    .collect::<Vec<_>>()
                    .join(", "),
                if constraints.is_empty() {
                    String::new()
                } else {
                    format!(
                        " + {}",
                        constraints
                            .iter()
                            .map(describe_constraint)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
                indexes
                    .iter()
                    .map(|i| format!(" + index {} ({})", i.name, i.columns.join(", ")))
                    .collect::<String>()
            ),
            Operation::DropTable { table, .. } => format!("drop_table {table}"),
            Operation::RenameTable { table, new_name } => {
                format!("rename_table {table} -> {new_name}")
            }
            Operation::AddColumn { table, column, .. } => {
                format!("add_column {table}.{}", describe_column(column))
            }
            Operation::DropColumn { table, column, .. } => format!("drop_column {table}.{column}"),
            Operation::AlterColumn {
                table,
                column,
                changes,
            } => format!("alter_column {table}.{column} {}", changes.describe()),
            Operation::CreateIndex {
                name,
                table,
                columns,
                unique,
                ..
            } => {
                format!(
                    "create_index {name} on {table} ({}){}",
                    columns.join(", "),
                    if *unique { " unique" } else { "" }
                )
            }
            Operation::DropIndex { name, table, .. } => format!(
                "drop_index {name}{}",
                table
                    .as_ref()
                    .map(|t| format!(" on {t}"))
                    .unwrap_or_default()
            ),
            Operation::RenameIndex { name, new_name } => {
                format!("rename_index {name} -> {new_name}")
            }
            Operation::AddConstraint { table, constraint } => {
                format!("add_constraint {table} {}", describe_constraint(constraint))
            }
            Operation::DropConstraint {
                name, table, kind, ..
            } => format!(
                "drop_constraint {name} on {table}{}",
                kind.map(|k| format!(" ({})", k.name())).unwrap_or_default()
            ),
            Operation::TableComment { table, comment } => match comment {
                Some(c) => format!("table_comment {table} {c:?}"),
                None => format!("drop_table_comment {table}"),
            },
            Operation::Execute { sql } => format!(
                "execute {:?}",
                sql.split_whitespace().collect::<Vec<_>>().join(" ")
            ),
            Operation::BulkInsert { table, rows, .. } => {
                format!("bulk_insert {table} ({} rows)", rows.len())
            }
            Operation::UpdateRows(u) => format!(
                "update {} set {}{}",
                u.table,
                u.set
                    .iter()
                    .map(|(c, _)| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                if u.filter.is_empty() {
                    ""
                } else {
                    " where ..."
                }
            ),
            Operation::CreateEnum { name, values } => {
                format!("create_enum {name} ({})", values.join(", "))
            }
            Operation::DropEnum { name } => format!("drop_enum {name}"),
        }
    }
}

fn describe_column(c: &Column) -> String {
    let mut s = c.name.clone();
    if let Some(t) = &c.type_ {
        s.push(' ');
        s.push_str(&t.render());
    }
    if c.primary_key {
        s.push_str(" pk");
    }
    if c.nullable == Some(false) {
        s.push_str(" not null");
    }
    if let Some(d) = &c.server_default {
        s.push_str(&format!(" default {}", d.render()));
    }
    for ColumnForeignKey {
        referent: t,
        remote: col,
        ..
    } in &c.foreign_keys
    {
        s.push_str(&format!(" -> {t}.{col}"));
    }
    s
}

fn describe_constraint(c: &Constraint) -> String {
    match c {
        Constraint::PrimaryKey { columns, .. } => format!("primary key ({})", columns.join(", ")),
        Constraint::ForeignKey {
            columns,
            referent,
            remote,
            ..
        } => format!(
            "foreign key ({}) -> {referent} ({})",
            columns.join(", "),
            remote.join(", ")
        ),
        Constraint::Unique { columns, .. } => format!("unique ({})", columns.join(", ")),
        Constraint::Check { condition, .. } => format!("check ({condition})"),
    }
}

/// A step of a migration function: an operation, or something the planner cannot know.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Op(Box<Operation>),
    Opaque {
        reason: String,
    },
    /// The next step's operation has something the renderer does not model exactly
    /// ([`known`](super::known)): its SQL is printed after a note saying what.
    NotModelled {
        what: Vec<super::known::Unmodelled>,
    },
    /// `with op.get_context().autocommit_block():` entered (`enter`) or left. Offline, on a
    /// dialect with transactional DDL, Alembic prints `COMMIT` on entering and `BEGIN` on
    /// leaving, so what runs inside (`CREATE INDEX CONCURRENTLY`) is outside a transaction.
    Autocommit {
        enter: bool,
    },
    /// `print(...)`: offline, Alembic's script has its text where it runs (the text as
    /// Python writes it, `end` included).
    Print {
        text: String,
    },
}

/// A step with its 1-based source line.
#[derive(Clone, Debug, PartialEq)]
pub struct LocatedStep {
    pub line: u32,
    pub step: Step,
    /// The `with op.batch_alter_table(...)` block the step belongs to, if any.
    pub batch: Option<BatchBlock>,
    /// The index and constraint names the call wrote with `op.f(...)`: SQLAlchemy shortens
    /// such a name past the dialect's limit (`render::fit_names`) where it refuses any other.
    pub conv_names: Vec<String>,
}

/// `batch_alter_table(recreate=...)`: when Alembic rebuilds the table ("move and copy").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Recreate {
    /// Only where the dialect cannot alter in place (SQLite), the default.
    #[default]
    Auto,
    Always,
    Never,
}

impl Recreate {
    pub fn from_name(name: &str) -> Option<Recreate> {
        match name {
            "auto" => Some(Recreate::Auto),
            "always" => Some(Recreate::Always),
            "never" => Some(Recreate::Never),
            _ => None,
        }
    }
}

/// A `with op.batch_alter_table(...)` block. Alembic collects its operations and runs them
/// when the block ends; on SQLite (or with `recreate="always"`) most need the table
/// rebuilt ("move and copy").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchBlock {
    /// The line of the `with` statement: steps of one block share it.
    pub line: u32,
    pub table: String,
    pub recreate: Recreate,
    /// Whether the block passes `copy_from=` (so Alembic need not reflect the table).
    pub copy_from: bool,
}

/// The interpreted `upgrade()` and `downgrade()` of one revision file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MigrationOps {
    pub upgrade: Vec<LocatedStep>,
    pub downgrade: Vec<LocatedStep>,
    /// Statements seen (both functions) and how many were interpreted.
    pub statements: usize,
    pub interpreted: usize,
    /// Where interpreting `upgrade()` or `downgrade()` reached an evaluation bound
    /// (`base::limits`), and which: the first in each function.
    pub limits: Vec<(u32, String)>,
    /// `@compiles(...)` hooks the module defines at its top level: Alembic imports every
    /// revision file, so each changes how SQLAlchemy compiles its construct for every
    /// revision.
    pub compiler_hooks: Vec<CompilerHook>,
    /// Dotted names the file calls that may be the project's own (`myapp.types.Uuid`):
    /// a shell that has the project's source reads their modules.
    pub project_names: Vec<String>,
    /// Whether the file reads the dialect's name (`op.get_bind().dialect.name`), which
    /// offline is the URL's: then `by_dialect` holds the file read for each dialect.
    pub reads_dialect: bool,
    pub by_dialect: Vec<(crate::base::Dialect, MigrationOps)>,
    /// The functions read: `downgrade` is empty, not known to do nothing, unless both were.
    pub functions: crate::input::Functions,
}

/// `@compiles(sa.ForeignKeyConstraint, "postgresql")` on a module-level function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompilerHook {
    /// The SQLAlchemy construct's qualified name (`sqlalchemy.ForeignKeyConstraint`).
    pub construct: String,
    /// The dialects it is registered for; empty: all.
    pub dialects: Vec<String>,
    pub line: u32,
}

impl MigrationOps {
    /// The file's readings: one per dialect when it reads the dialect's name, otherwise
    /// the one for every dialect.
    pub fn readings(&self) -> impl Iterator<Item = &MigrationOps> {
        let per: Vec<&MigrationOps> = self.by_dialect.iter().map(|(_, o)| o).collect();
        let all = if per.is_empty() { vec![self] } else { per };
        all.into_iter()
    }

    /// What the file does when run for `dialect`: read for that dialect when it reads the
    /// dialect's name, otherwise the same for every dialect.
    pub fn for_dialect(&self, dialect: crate::base::Dialect) -> &MigrationOps {
        self.by_dialect
            .iter()
            .find(|(d, _)| *d == dialect)
            .map_or(self, |(_, ops)| ops)
    }

    /// The steps of `upgrade()` (or of `downgrade()`).
    pub fn steps(&self, upgrade: bool) -> &[LocatedStep] {
        debug_assert!(
            upgrade || self.functions == crate::input::Functions::Both,
            "downgrade() asked of a load that read upgrade() alone"
        );
        if upgrade {
            &self.upgrade
        } else {
            &self.downgrade
        }
    }

    /// Text form: each function's steps as `path:line operation` (or `OPAQUE: reason`).
    pub fn to_text(&self, path: &str) -> String {
        let mut out = String::new();
        for (label, steps) in [("upgrade", &self.upgrade), ("downgrade", &self.downgrade)] {
            out.push_str(&format!("{label}():\n"));
            for st in steps {
                let text = match &st.step {
                    Step::Op(op) => op.describe(),
                    Step::Opaque { reason } => format!("OPAQUE: {reason}"),
                    Step::Autocommit { enter: true } => "autocommit_block {".into(),
                    Step::Autocommit { enter: false } => "} autocommit_block".into(),
                    Step::Print { text } => format!("print {text:?}"),
                    Step::NotModelled { what } => format!(
                        "NOT MODELLED: {}",
                        what.iter()
                            .map(|u| match u.dialect {
                                Some(d) => format!("{} (only {})", u.what, d.name()),
                                None => u.what.clone(),
                            })
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                };
                out.push_str(&format!("  {path}:{} {text}\n", st.line));
            }
        }
        out.push_str(&format!(
            "interpreted {} of {} statements\n",
            self.interpreted, self.statements
        ));
        out
    }
}

/// Whether an element of an index's column list is a SQL expression written as text
/// (`lower(email)`, `end_time DESC`), written as it is, rather than a column's name.
pub fn index_expression(element: &str) -> bool {
    element.contains('(') || element.contains(char::is_whitespace)
}
