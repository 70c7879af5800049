//! What each migration does: `upgrade()` and `downgrade()` interpreted into typed
//! operations with source lines, without running them.
//!
//! Statements are walked in order with a partial evaluator (`pyeval`): local and module
//! values, loops over known sequences, `if` on known values (offline mode is assumed, as
//! for `--sql`), helper functions of the same file, `with op.batch_alter_table(...)`.
//! A statement that cannot be known without running the application or a database becomes
//! an opaque step with its line and reason; the rest of the function is still interpreted.

use std::collections::HashMap;

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_python_parser::{parse_unchecked, Mode, ParseOptions, Parsed};
use ruff_text_size::Ranged;

use crate::pyeval::{self, assign, short_name, Env, Val};
use crate::text::LineIndex;

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
}

/// `sa.ForeignKey("table.column", name=..., ondelete=...)` on a column.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnForeignKey {
    pub referent: String,
    pub remote: String,
    pub name: Option<String>,
    pub ondelete: Option<String>,
}

impl Column {
    /// The constraints the column creates with itself, in SQLAlchemy's creation order:
    /// one foreign key per `sa.ForeignKey`, then `unique=True`.
    pub fn implied_constraints(&self) -> Vec<Constraint> {
        let mut out: Vec<Constraint> = self
            .foreign_keys
            .iter()
            .map(|fk| Constraint::ForeignKey {
                name: fk.name.clone(),
                columns: vec![self.name.clone()],
                referent: fk.referent.clone(),
                remote: vec![fk.remote.clone()],
                ondelete: fk.ondelete.clone(),
            })
            .collect();
        if self.unique {
            out.push(Constraint::Unique {
                name: None,
                columns: vec![self.name.clone()],
            });
        }
        out
    }

    /// The index `index=True` creates: SQLAlchemy's default name `ix_<table>_<column>`.
    pub fn implied_index(&self, table: &str) -> Option<String> {
        self.index.then(|| format!("ix_{table}_{}", self.name))
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
        ondelete: Option<String>,
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

/// One migration operation.
#[derive(Clone, Debug, PartialEq)]
pub enum Operation {
    CreateTable {
        table: String,
        columns: Vec<Column>,
        constraints: Vec<Constraint>,
        comment: Option<String>,
        /// `sa.Index(...)` elements, created right after the table.
        indexes: Vec<TableIndex>,
    },
    DropTable {
        table: String,
    },
    RenameTable {
        table: String,
        new_name: String,
    },
    AddColumn {
        table: String,
        column: Column,
    },
    DropColumn {
        table: String,
        column: String,
    },
    AlterColumn {
        table: String,
        column: String,
        changes: Vec<(String, Val)>,
    },
    CreateIndex {
        name: String,
        table: String,
        columns: Vec<String>,
        unique: bool,
        /// Dialect options as written: `postgresql_where`, `postgresql_using`, ...
        dialect_kw: Vec<(String, Val)>,
    },
    DropIndex {
        name: String,
        table: Option<String>,
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
        kind: Option<String>,
    },
    TableComment {
        table: String,
        comment: Option<String>,
    },
    /// `op.execute(...)`: SQL text (or a construct, rendered).
    Execute {
        sql: String,
    },
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
    /// The tables the operation touches, with what it does to each.
    pub fn touches(&self) -> Vec<(String, &'static str)> {
        match self {
            Operation::CreateTable { table, .. } => vec![(table.clone(), "create")],
            Operation::DropTable { table } => vec![(table.clone(), "drop")],
            Operation::RenameTable { table, new_name } => {
                vec![(table.clone(), "rename"), (new_name.clone(), "rename")]
            }
            Operation::AddColumn { table, .. }
            | Operation::DropColumn { table, .. }
            | Operation::AlterColumn { table, .. }
            | Operation::CreateIndex { table, .. }
            | Operation::AddConstraint { table, .. }
            | Operation::DropConstraint { table, .. }
            | Operation::TableComment { table, .. } => vec![(table.clone(), "alter")],
            Operation::DropIndex { table: Some(t), .. } => vec![(t.clone(), "alter")],
            Operation::BulkInsert { table, .. } => vec![(table.clone(), "data")],
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
            Operation::DropTable { table } => format!("drop_table {table}"),
            Operation::RenameTable { table, new_name } => {
                format!("rename_table {table} -> {new_name}")
            }
            Operation::AddColumn { table, column } => {
                format!("add_column {table}.{}", describe_column(column))
            }
            Operation::DropColumn { table, column } => format!("drop_column {table}.{column}"),
            Operation::AlterColumn {
                table,
                column,
                changes,
            } => format!(
                "alter_column {table}.{column} {}",
                changes
                    .iter()
                    .map(|(k, v)| format!("{k}={}", v.render()))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
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
            Operation::DropIndex { name, table } => format!(
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
            Operation::DropConstraint { name, table, kind } => format!(
                "drop_constraint {name} on {table}{}",
                kind.as_ref().map(|k| format!(" ({k})")).unwrap_or_default()
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
    Opaque { reason: String },
}

/// A step with its 1-based source line.
#[derive(Clone, Debug, PartialEq)]
pub struct LocatedStep {
    pub line: u32,
    pub step: Step,
    /// The `with op.batch_alter_table(...)` block the step belongs to, if any.
    pub batch: Option<BatchBlock>,
}

/// A `with op.batch_alter_table(...)` block. Alembic collects its operations and runs them
/// when the block ends; on SQLite (or with `recreate="always"`) most need the table
/// rebuilt ("move and copy").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchBlock {
    /// The line of the `with` statement: steps of one block share it.
    pub line: u32,
    pub table: String,
    /// `auto` (the default), `always` or `never`.
    pub recreate: String,
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
}

impl MigrationOps {
    /// The steps of `upgrade()` (or of `downgrade()`).
    pub fn steps(&self, upgrade: bool) -> &[LocatedStep] {
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

struct Interp<'a> {
    lines: LineIndex,
    helpers: HashMap<String, &'a ast::StmtFunctionDef>,
    depth: usize,
    steps: Vec<LocatedStep>,
    /// Open batch blocks and the steps they collected, innermost last.
    batches: Vec<(BatchBlock, Vec<LocatedStep>)>,
    /// Opaque steps recorded so far (a statement is interpreted if it adds none).
    opaque_steps: usize,
    statements: usize,
    interpreted: usize,
}

/// Gives application-defined column types the SQL the user mapped them to
/// ([`crate::LoadOptions::type_map`]): the column of a `create_table`/`add_column`/
/// `alter_column` whose type names a mapped name gets that SQL type, and the opaque step
/// that said the type was unknown goes.
pub fn map_types(ops: &mut MigrationOps, map: &[(String, String)]) {
    let lookup = |reason: &str| {
        map.iter()
            .find(|(name, _)| reason.contains(&format!("`{name}`")))
            .map(|(_, sql)| Val::Str(sql.clone()))
    };
    for steps in [&mut ops.upgrade, &mut ops.downgrade] {
        let mut mapped: Vec<(u32, String)> = Vec::new();
        for st in steps.iter_mut() {
            let Step::Op(op) = &mut st.step else { continue };
            let mut types: Vec<&mut Option<Val>> = match op.as_mut() {
                Operation::CreateTable { columns, .. } => {
                    columns.iter_mut().map(|c| &mut c.type_).collect()
                }
                Operation::AddColumn { column, .. } => vec![&mut column.type_],
                _ => Vec::new(),
            };
            for t in types.iter_mut() {
                if let Some(Val::Opaque(r)) = &**t {
                    if let Some(sql) = lookup(r) {
                        mapped.push((st.line, r.clone()));
                        **t = Some(sql);
                    }
                }
            }
            if let Operation::AlterColumn { changes, .. } = op.as_mut() {
                for (k, v) in changes.iter_mut() {
                    if let (true, Val::Opaque(r)) = (k == "type_" || k == "existing_type", &*v) {
                        if let Some(sql) = lookup(r) {
                            *v = sql;
                        }
                    }
                }
            }
        }
        steps.retain(|st| match &st.step {
            Step::Opaque { reason } => !mapped
                .iter()
                .any(|(line, r)| *line == st.line && reason.contains(r.as_str())),
            Step::Op(_) => true,
        });
    }
}

/// Interprets a revision file's `upgrade()` and `downgrade()`. Never fails.
pub fn interpret(text: &str) -> MigrationOps {
    let parsed = parse_unchecked(text, ParseOptions::from(Mode::Module));
    interpret_parsed(&parsed, &LineIndex::new(text))
}

/// [`interpret`] on a file already parsed (the project parses each file once, for both
/// its identifiers and its operations).
pub fn interpret_parsed(parsed: &Parsed<ast::Mod>, lines: &LineIndex) -> MigrationOps {
    let ast::Mod::Module(module) = parsed.syntax() else {
        return MigrationOps::default();
    };
    let mut env = Env::default();
    env.vars.insert("op".into(), Val::Ref("alembic.op".into()));
    let mut helpers: HashMap<String, &ast::StmtFunctionDef> = HashMap::new();
    // module level: imports, constants, helpers
    let mut probe = Interp::new(lines.clone(), HashMap::new());
    for stmt in module.body.iter() {
        match stmt {
            Stmt::FunctionDef(f) => {
                helpers.insert(f.name.to_string(), f);
                env.vars
                    .insert(f.name.to_string(), Val::Ref(format!("helper:{}", f.name)));
            }
            Stmt::Import(_) | Stmt::ImportFrom(_) => bind_imports(stmt, &mut env),
            Stmt::Assign(_) | Stmt::AnnAssign(_) => {
                probe.exec(stmt, &mut env);
            }
            _ => {}
        }
    }
    let mut out = MigrationOps::default();
    for (name, target) in [
        ("upgrade", &mut out.upgrade),
        ("downgrade", &mut out.downgrade),
    ] {
        let Some(f) = helpers.get(name) else { continue };
        let mut it = Interp::new(lines.clone(), helpers.clone());
        let mut local = env.clone();
        for p in f.parameters.args.iter() {
            let pname = p.parameter.name.to_string();
            // `def upgrade(op, ...)`: projects whose env passes Alembic's `op` in
            let v = if pname == "op" {
                Val::Ref("alembic.op".into())
            } else if let Some(d) = &p.default {
                it.eval(d, &env)
            } else {
                Val::Opaque(format!("`{pname}` is passed in by the project's env.py"))
            };
            local.vars.insert(pname, v);
        }
        it.block(&f.body, &mut local);
        *target = it.steps;
        out.statements += it.statements;
        out.interpreted += it.interpreted;
    }
    out
}

fn bind_imports(stmt: &Stmt, env: &mut Env) {
    match stmt {
        Stmt::Import(i) => {
            for a in &i.names {
                let full = a.name.to_string();
                match &a.asname {
                    Some(b) => env.import(b, &full),
                    None => {
                        let root = full.split('.').next().unwrap_or(&full).to_string();
                        env.import(&root, &root);
                    }
                }
            }
        }
        Stmt::ImportFrom(i) => {
            let module = i.module.as_ref().map(|m| m.to_string()).unwrap_or_default();
            let module = if i.level > 0 {
                format!("{}{module}", ".".repeat(i.level as usize))
            } else {
                module
            };
            for a in &i.names {
                let bound = a.asname.as_ref().unwrap_or(&a.name).to_string();
                env.import(&bound, &format!("{module}.{}", a.name));
            }
        }
        _ => {}
    }
}

/// A call seen while evaluating an expression, acted on afterwards: `(function, args, kwargs)`.
type PendingCall = (String, Vec<Val>, Vec<(String, Val)>);

/// Outcome of running a statement block.
enum Flow {
    Next,
    Return,
}

impl<'a> Interp<'a> {
    fn new(lines: LineIndex, helpers: HashMap<String, &'a ast::StmtFunctionDef>) -> Self {
        Interp {
            lines,
            helpers,
            depth: 0,
            steps: Vec::new(),
            batches: Vec::new(),
            opaque_steps: 0,
            statements: 0,
            interpreted: 0,
        }
    }

    fn line<T: Ranged>(&self, n: &T) -> u32 {
        self.lines.line(n.range().start().to_u32())
    }

    fn opaque(&mut self, line: u32, reason: String) {
        self.opaque_steps += 1;
        self.steps.push(LocatedStep {
            line,
            step: Step::Opaque { reason },
            batch: None,
        });
    }

    fn block(&mut self, body: &'a [Stmt], env: &mut Env) -> Flow {
        for stmt in body {
            if let Flow::Return = self.exec(stmt, env) {
                return Flow::Return;
            }
        }
        Flow::Next
    }

    fn exec(&mut self, stmt: &'a Stmt, env: &mut Env) -> Flow {
        let line = self.line(stmt);
        let is_doc =
            matches!(stmt, Stmt::Expr(e) if matches!(e.value.as_ref(), Expr::StringLiteral(_)));
        let counted = !matches!(stmt, Stmt::Pass(_)) && !is_doc;
        if counted {
            self.statements += 1;
        }
        let before = self.opaque_steps;
        let flow = match stmt {
            Stmt::Pass(_) => Flow::Next,
            Stmt::Expr(e) => {
                if !matches!(e.value.as_ref(), Expr::StringLiteral(_)) {
                    match self.eval(&e.value, env) {
                        // a helper's return value is not needed when the call is a statement
                        Val::Opaque(r) if r.starts_with("the return value of helper") => {}
                        Val::Opaque(r) => self.opaque(line, r),
                        // a call made for its effect that no rule models: say so, never drop it
                        Val::Call { func, .. } if !func.starts_with("sqlalchemy.") => self.opaque(
                            line,
                            format!(
                                "a call of `{}` whose effect the planner does not model",
                                short_name(&func)
                            ),
                        ),
                        _ => {}
                    }
                }
                Flow::Next
            }
            Stmt::Assign(a) => {
                let v = self.eval(&a.value, env);
                for t in &a.targets {
                    assign(t, v.clone(), env);
                }
                Flow::Next
            }
            Stmt::AnnAssign(a) => {
                if let Some(value) = &a.value {
                    let v = self.eval(value, env);
                    assign(&a.target, v, env);
                }
                Flow::Next
            }
            Stmt::AugAssign(a) => {
                let cur = self.eval(&a.target, env);
                let rhs = self.eval(&a.value, env);
                let v = match (cur, rhs) {
                    (Val::Str(x), Val::Str(y)) => Val::Str(x + &y),
                    (Val::List(mut x), Val::List(y)) => {
                        x.extend(y);
                        Val::List(x)
                    }
                    (Val::Int(x), Val::Int(y)) => Val::Int(x + y),
                    _ => Val::Opaque("an augmented assignment on unknown values".into()),
                };
                assign(&a.target, v, env);
                Flow::Next
            }
            Stmt::Import(_) | Stmt::ImportFrom(_) => {
                bind_imports(stmt, env);
                Flow::Next
            }
            Stmt::With(w) => {
                let open = self.batches.len();
                for item in &w.items {
                    let v = self.eval(&item.context_expr, env);
                    let bound = match &v {
                        Val::Call { func, args, kwargs }
                            if func == "alembic.op.batch_alter_table" =>
                        {
                            let kw = |k: &str| kwargs.iter().find(|(n, _)| n == k).map(|(_, v)| v);
                            let table = args
                                .first()
                                .and_then(|a| a.name())
                                .or_else(|| kw("table_name").and_then(|v| v.name()));
                            match table {
                                Some(t) => {
                                    self.batches.push((
                                        BatchBlock {
                                            line,
                                            table: t.clone(),
                                            recreate: kw("recreate")
                                                .and_then(|v| v.name())
                                                .unwrap_or_else(|| "auto".into()),
                                            copy_from: kw("copy_from").is_some(),
                                        },
                                        Vec::new(),
                                    ));
                                    Val::Ref(format!("batch:{line}:{t}"))
                                }
                                None => Val::Opaque(
                                    "a batch_alter_table whose table name is unknown".into(),
                                ),
                            }
                        }
                        Val::Opaque(r) => {
                            self.opaque(line, r.clone());
                            v.clone()
                        }
                        other => other.clone(),
                    };
                    if let Some(var) = &item.optional_vars {
                        assign(var, bound, env);
                    }
                }
                let flow = self.block(&w.body, env);
                // each batch runs its operations as its block ends, innermost first
                while self.batches.len() > open {
                    let (block, steps) = self.batches.pop().expect("an open batch");
                    self.steps.extend(steps.into_iter().map(|mut st| {
                        st.batch = Some(block.clone());
                        st
                    }));
                }
                flow
            }
            Stmt::For(f) => match self.eval(&f.iter, env) {
                Val::List(items) => {
                    for item in items {
                        assign(&f.target, item, env);
                        if let Flow::Return = self.block(&f.body, env) {
                            return Flow::Return;
                        }
                    }
                    Flow::Next
                }
                other => {
                    let reason = other
                        .opaque_reason()
                        .unwrap_or_else(|| "a loop over values the planner cannot list".into());
                    self.opaque(line, format!("loop not interpreted: {reason}"));
                    Flow::Next
                }
            },
            Stmt::If(i) => match self.truth(&i.test, env) {
                Some(true) => self.block(&i.body, env),
                Some(false) => {
                    for clause in &i.elif_else_clauses {
                        match &clause.test {
                            None => return self.block(&clause.body, env),
                            Some(t) => match self.truth(t, env) {
                                Some(true) => return self.block(&clause.body, env),
                                Some(false) => continue,
                                None => {
                                    self.opaque(line, "a condition that depends on values the planner cannot know".into());
                                    return Flow::Next;
                                }
                            },
                        }
                    }
                    Flow::Next
                }
                None => {
                    let reason = self
                        .eval(&i.test, env)
                        .opaque_reason()
                        .unwrap_or_else(|| "a condition on unknown values".into());
                    self.opaque(line, format!("branch not interpreted: {reason}"));
                    Flow::Next
                }
            },
            Stmt::Try(t) => {
                let f = self.block(&t.body, env);
                if let Flow::Next = f {
                    self.block(&t.finalbody, env)
                } else {
                    f
                }
            }
            Stmt::Return(_) => Flow::Return,
            Stmt::FunctionDef(f) => {
                self.helpers.insert(f.name.to_string(), f);
                env.vars
                    .insert(f.name.to_string(), Val::Ref(format!("helper:{}", f.name)));
                Flow::Next
            }
            other => {
                self.opaque(line, format!("a `{}` statement", stmt_kind(other)));
                Flow::Next
            }
        };
        if counted && self.opaque_steps == before {
            self.interpreted += 1;
        }
        flow
    }

    fn truth(&mut self, test: &Expr, env: &Env) -> Option<bool> {
        match self.eval(test, env) {
            Val::Bool(b) => Some(b),
            Val::None => Some(false),
            Val::Int(i) => Some(i != 0),
            Val::Str(s) => Some(!s.is_empty()),
            Val::List(v) => Some(!v.is_empty()),
            _ => None,
        }
    }

    fn eval(&mut self, e: &Expr, env: &Env) -> Val {
        let line = self.line(e);
        let mut calls: Vec<PendingCall> = Vec::new();
        let mut inline: Vec<PendingCall> = Vec::new();
        let helpers = &self.helpers;
        let v = pyeval::eval(e, env, &mut |func, args, kwargs, _node| {
            side_effect_value(func, args, kwargs, helpers, &mut calls, &mut inline)
        });
        for (func, args, kwargs) in calls {
            self.record(line, &func, &args, &kwargs);
        }
        for (name, args, kwargs) in inline {
            self.call_helper(line, &name, args, kwargs, env);
        }
        v
    }

    fn call_helper(
        &mut self,
        line: u32,
        name: &str,
        args: Vec<Val>,
        kwargs: Vec<(String, Val)>,
        env: &Env,
    ) {
        let Some(f) = self.helpers.get(name).copied() else {
            return;
        };
        if self.depth >= 8 {
            self.opaque(line, format!("helper `{name}` calls nest too deeply"));
            return;
        }
        let mut local = env.clone();
        for (k, p) in f.parameters.args.iter().enumerate() {
            let pname = p.parameter.name.to_string();
            let v = args
                .get(k)
                .cloned()
                .or_else(|| {
                    kwargs
                        .iter()
                        .find(|(n, _)| *n == pname)
                        .map(|(_, v)| v.clone())
                })
                .unwrap_or(Val::Opaque(format!(
                    "parameter `{pname}` of `{name}` has a default the planner does not evaluate"
                )));
            local.vars.insert(pname, v);
        }
        self.depth += 1;
        self.block(&f.body, &mut local);
        self.depth -= 1;
    }

    /// Turns an `op.*` / `batch_op.*` / `Enum.create` call into a step.
    fn record(&mut self, line: u32, func: &str, args: &[Val], kwargs: &[(String, Val)]) {
        let before = self.steps.len();
        self.record_step(line, func, args, kwargs);
        // a `batch_op.*` call waits for the end of its block
        let batch_line = func
            .strip_prefix("batch:")
            .and_then(|r| r.split_once(':'))
            .and_then(|(l, _)| l.parse::<u32>().ok());
        if let Some(bl) = batch_line {
            if let Some((_, pending)) = self.batches.iter_mut().rev().find(|(b, _)| b.line == bl) {
                pending.extend(self.steps.drain(before..));
            }
        }
    }

    fn record_step(&mut self, line: u32, func: &str, args: &[Val], kwargs: &[(String, Val)]) {
        let call = Val::Call {
            func: func.to_string(),
            args: args.to_vec(),
            kwargs: kwargs.to_vec(),
        };
        // a column of an application-defined type still makes a column: the operation is
        // kept (its type unknown) and the unknown part is an opaque step of its own
        let partial = func.ends_with(".create_table") || func.ends_with(".add_column");
        let unknown = call.opaque_reason();
        if let Some(r) = &unknown {
            if !partial {
                self.opaque(
                    line,
                    format!(
                        "`{}` has an argument the planner cannot know: {r}",
                        short_name(func)
                    ),
                );
                return;
            }
        }
        if let Some(which) = func.strip_prefix("method:") {
            if let Some(Val::Call {
                args: eargs,
                kwargs: ekw,
                ..
            }) = args.first()
            {
                let name = ekw
                    .iter()
                    .find(|(k, _)| k == "name")
                    .and_then(|(_, v)| v.name())
                    .unwrap_or_default();
                let values: Vec<String> = eargs.iter().filter_map(|a| a.name()).collect();
                let op = if which == "create" {
                    Operation::CreateEnum { name, values }
                } else {
                    Operation::DropEnum { name }
                };
                self.steps.push(LocatedStep {
                    line,
                    step: Step::Op(Box::new(op)),
                    batch: None,
                });
            }
            return;
        }
        let (batch_table, name) = match func.strip_prefix("alembic.op.") {
            Some(n) => (None, n.to_string()),
            None => match func.strip_prefix("batch:") {
                Some(rest) => {
                    let rest = rest.split_once(':').map_or(rest, |(_, r)| r);
                    let (t, n) = rest.rsplit_once('.').unwrap_or((rest, ""));
                    (Some(t.to_string()), n.to_string())
                }
                None => (None, func.to_string()),
            },
        };
        match op_from_call(&name, batch_table.as_deref(), args, kwargs) {
            Ok(Some(op)) => {
                self.steps.push(LocatedStep {
                    line,
                    step: Step::Op(Box::new(op)),
                    batch: None,
                });
                if let Some(r) = unknown {
                    self.opaque(
                        line,
                        format!(
                            "`{}` has an argument the planner cannot know: {r}; the rest of the operation is applied",
                            short_name(func)
                        ),
                    );
                }
            }
            Ok(None) => {}
            Err(reason) => self.opaque(line, reason),
        }
    }
}

/// What a call evaluates to, and whether it is an operation (recorded) or a helper
/// (interpreted after). `None` keeps it as a structured call.
fn side_effect_value(
    func: &str,
    args: &[Val],
    kwargs: &[(String, Val)],
    helpers: &HashMap<String, &ast::StmtFunctionDef>,
    calls: &mut Vec<PendingCall>,
    inline: &mut Vec<PendingCall>,
) -> Option<Val> {
    // the connection and context of offline mode
    if func == "alembic.op.get_bind" {
        return Some(Val::Ref("alembic.op.get_bind()".into()));
    }
    if func == "alembic.op.get_context" {
        return Some(Val::Ref("alembic.op.get_context()".into()));
    }
    if func == "alembic.op.get_context().autocommit_block" {
        return Some(Val::Ref("autocommit_block".into()));
    }
    if func == "alembic.op.get_bind().execute" || func == "alembic.op.get_bind().exec_driver_sql" {
        // offline, Alembic's mock connection emits the statement as op.execute would
        calls.push((
            "alembic.op.execute".to_string(),
            args.to_vec(),
            kwargs.to_vec(),
        ));
        return Some(Val::Opaque(
            "the result of a statement run on the database connection; unknown offline".into(),
        ));
    }
    if func.starts_with("alembic.op.get_bind()") || func.starts_with("alembic.op.get_context()") {
        return Some(Val::Opaque(format!(
            "`{}` needs a live database",
            short_name(func)
        )));
    }
    if func == "alembic.context.is_offline_mode" {
        // the planner models offline (`--sql`) runs
        return Some(Val::Bool(true));
    }
    if let Some(op) = func.strip_prefix("alembic.op.") {
        return match op {
            "f" | "inline_literal" | "batch_alter_table" => None,
            _ => {
                calls.push((func.to_string(), args.to_vec(), kwargs.to_vec()));
                Some(Val::None)
            }
        };
    }
    if func.starts_with("batch:") {
        if func.ends_with(".f") {
            return None;
        }
        calls.push((func.to_string(), args.to_vec(), kwargs.to_vec()));
        return Some(Val::None);
    }
    if func == "sqlalchemy.inspect" {
        return Some(Val::Opaque(
            "sa.inspect() reads the live database schema; unknown offline".into(),
        ));
    }
    if func.starts_with("sqlalchemy.orm.") {
        return Some(Val::Opaque(format!(
            "an ORM `{}` needs the application's models and a live database",
            short_name(func)
        )));
    }
    // `Integer().with_variant(BIGINT(), "mysql")` and other type modifiers keep the type
    if func == "method:with_variant" || func == "method:evaluates_none" {
        if let Some(Val::Call {
            func: tf,
            args: ta,
            kwargs: tk,
        }) = args.first()
        {
            let mut kw = tk.clone();
            if func == "method:with_variant" {
                let dialects: Vec<String> = args.iter().skip(2).filter_map(|d| d.name()).collect();
                kw.push((
                    format!("variant[{}]", dialects.join(",")),
                    args.get(1).cloned().unwrap_or(Val::None),
                ));
            }
            return Some(Val::Call {
                func: tf.clone(),
                args: ta.clone(),
                kwargs: kw,
            });
        }
    }
    // `some_enum.create(bind)` / `.drop(bind)`
    if func == "method:create" || func == "method:drop" {
        if let Some(Val::Call { func: f, .. }) = args.first() {
            if f.ends_with("Enum") || f.ends_with("ENUM") {
                calls.push((func.to_string(), args.to_vec(), kwargs.to_vec()));
                return Some(Val::None);
            }
        }
        return Some(Val::Opaque(format!(
            "`.{}()` on a value the planner does not know",
            &func[7..]
        )));
    }
    if let Some(m) = func.strip_prefix("method:") {
        return Some(Val::Opaque(format!(
            "a `.{m}()` call on a value the planner does not model"
        )));
    }
    if let Some(name) = func.strip_prefix("helper:") {
        if helpers.contains_key(name) {
            inline.push((name.to_string(), args.to_vec(), kwargs.to_vec()));
            return Some(Val::Opaque(format!("the return value of helper `{name}`")));
        }
    }
    if helpers.contains_key(func) {
        inline.push((func.to_string(), args.to_vec(), kwargs.to_vec()));
        return Some(Val::None);
    }
    None
}

fn stmt_kind(s: &Stmt) -> &'static str {
    match s {
        Stmt::While(_) => "while",
        Stmt::Raise(_) => "raise",
        Stmt::Assert(_) => "assert",
        Stmt::Delete(_) => "del",
        Stmt::Global(_) => "global",
        Stmt::Nonlocal(_) => "nonlocal",
        Stmt::ClassDef(_) => "class",
        Stmt::Match(_) => "match",
        Stmt::Break(_) => "break",
        Stmt::Continue(_) => "continue",
        _ => "statement",
    }
}

/// Binds positional and keyword arguments to parameter names, Alembic's signature order.
fn bind<'v>(
    params: &[&str],
    args: &'v [Val],
    kwargs: &'v [(String, Val)],
) -> HashMap<String, &'v Val> {
    let mut m: HashMap<String, &Val> = HashMap::new();
    for (p, a) in params.iter().zip(args.iter()) {
        m.insert(p.to_string(), a);
    }
    for (k, v) in kwargs {
        m.insert(k.clone(), v);
    }
    m
}

fn req_name(m: &HashMap<String, &Val>, key: &str, op: &str) -> Result<String, String> {
    m.get(key)
        .and_then(|v| v.name())
        .ok_or_else(|| format!("`{op}` without a known `{key}`"))
}

fn names(v: Option<&&Val>) -> Vec<String> {
    match v {
        Some(Val::List(items)) => items
            .iter()
            .map(|i| match i {
                Val::Call { func, args, .. }
                    if func.ends_with(".column") || func.ends_with(".Column") =>
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

fn opt_str(v: Option<&&Val>) -> Option<String> {
    v.and_then(|v| match v {
        Val::Str(s) => Some(s.clone()),
        Val::Call { args, .. } => args.first().and_then(|a| a.as_str()).map(String::from),
        _ => None,
    })
}

fn is_type(func: &str) -> bool {
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

/// Reads `sa.Column(...)`.
pub fn column_from(v: &Val) -> Result<Column, String> {
    let Val::Call { func, args, kwargs } = v else {
        return Err(format!("a column the planner cannot read: {}", v.render()));
    };
    if !(func.ends_with("Column") || func.ends_with(".column")) {
        return Err(format!(
            "`{}` where a Column was expected",
            short_name(func)
        ));
    }
    let mut col = Column {
        name: String::new(),
        type_: None,
        nullable: None,
        primary_key: false,
        server_default: None,
        comment: None,
        foreign_keys: Vec::new(),
        unique: false,
        index: false,
    };
    for a in args {
        match a {
            Val::Str(s) if col.name.is_empty() => col.name = s.clone(),
            Val::Call {
                func: f,
                args: fa,
                kwargs: fkw,
            } if f.ends_with("ForeignKey") => {
                if let Some(t) = fa.first().and_then(|x| x.name()) {
                    let (tbl, c) = t.rsplit_once('.').unwrap_or((t.as_str(), "id"));
                    let kw = |k: &str| fkw.iter().find(|(n, _)| n == k).and_then(|(_, v)| v.name());
                    col.foreign_keys.push(ColumnForeignKey {
                        referent: tbl.to_string(),
                        remote: c.to_string(),
                        name: kw("name"),
                        ondelete: kw("ondelete"),
                    });
                }
            }
            Val::Call { func: f, .. } if is_type(f) => col.type_ = Some(a.clone()),
            Val::Ref(f) if is_type(f) => col.type_ = Some(a.clone()),
            Val::Call { func: f, .. }
                if f.ends_with("Computed")
                    || f.ends_with("Identity")
                    || f.ends_with("Sequence") => {}
            other => {
                if let Some(r) = other.opaque_reason() {
                    // an application-defined column type
                    col.type_ = Some(Val::Opaque(r));
                }
            }
        }
    }
    for (k, v) in kwargs {
        match (k.as_str(), v) {
            ("name", Val::Str(s)) => col.name = s.clone(),
            ("type_", _) => col.type_ = Some(v.clone()),
            ("nullable", Val::Bool(b)) => col.nullable = Some(*b),
            ("primary_key", Val::Bool(b)) => col.primary_key = *b,
            ("server_default", Val::None) => {}
            ("server_default", _) => col.server_default = Some(v.clone()),
            ("comment", Val::Str(s)) => col.comment = Some(s.clone()),
            ("unique", Val::Bool(b)) => col.unique = *b,
            ("index", Val::Bool(b)) => col.index = *b,
            _ => {}
        }
    }
    if col.name.is_empty() {
        return Err("a Column without a name".into());
    }
    Ok(col)
}

/// Reads a table-level constraint (`sa.PrimaryKeyConstraint(...)`, ...).
fn constraint_from(v: &Val) -> Option<Constraint> {
    let Val::Call { func, args, kwargs } = v else {
        return None;
    };
    let name = kwargs
        .iter()
        .find(|(k, _)| k == "name")
        .and_then(|(_, v)| v.name());
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
                .map(|a| match a {
                    Val::Str(s) => s.clone(),
                    other => opt_str(Some(&other)).unwrap_or_else(|| other.render()),
                })
                .unwrap_or_default(),
        },
        "ForeignKeyConstraint" => {
            let cols = args.first().map(|a| names(Some(&a))).unwrap_or_default();
            let refs = args.get(1).map(|a| names(Some(&a))).unwrap_or_default();
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
            let ondelete = kwargs
                .iter()
                .find(|(k, _)| k == "ondelete")
                .and_then(|(_, v)| v.name());
            Constraint::ForeignKey {
                name,
                columns: cols,
                referent,
                remote,
                ondelete,
            }
        }
        _ => return None,
    })
}

/// The table a `bulk_insert` targets: `sa.table("name", ...)` or a `Table`.
fn table_name_of(v: &Val) -> Option<String> {
    match v {
        Val::Call { func, args, .. } if func.ends_with(".table") || func.ends_with(".Table") => {
            args.first().and_then(|a| a.name())
        }
        _ => None,
    }
}

/// An operation from an `op.<name>(...)` call, or a `batch_op.<name>(...)` on `batch_table`.
/// `Ok(None)`: a call that changes nothing (`op.f`); `Err`: the reason it is opaque.
fn op_from_call(
    name: &str,
    batch: Option<&str>,
    args: &[Val],
    kwargs: &[(String, Val)],
) -> Result<Option<Operation>, String> {
    // batch operations take the table from the block: prepend it
    let mut full: Vec<Val> = Vec::new();
    if let Some(t) = batch {
        match name {
            "create_foreign_key" => {
                // (name, referent_table, local_cols, remote_cols)
                full.extend(args.first().cloned());
                full.push(Val::Str(t.to_string()));
                full.extend(args.iter().skip(1).cloned());
            }
            "create_index"
            | "create_unique_constraint"
            | "create_check_constraint"
            | "create_primary_key"
            | "drop_constraint" => {
                full.extend(args.first().cloned());
                full.push(Val::Str(t.to_string()));
                full.extend(args.iter().skip(1).cloned());
            }
            "drop_index" => {
                full.extend(args.first().cloned());
                full.push(Val::Str(t.to_string()));
            }
            _ => {
                full.push(Val::Str(t.to_string()));
                full.extend(args.iter().cloned());
            }
        }
    } else {
        full.extend(args.iter().cloned());
    }
    let args = &full[..];
    let op = match name {
        "create_table" => {
            let table = args
                .first()
                .and_then(|a| a.name())
                .ok_or("`create_table` without a known table name")?;
            let mut columns = Vec::new();
            let mut constraints = Vec::new();
            let mut indexes = Vec::new();
            for a in &args[1..] {
                match a {
                    Val::Call { func, .. } if func.ends_with("Column") => {
                        columns.push(column_from(a)?)
                    }
                    other => {
                        match constraint_from(other) {
                            Some(c) => constraints.push(c),
                            None => {
                                if let Val::Call {
                                    func,
                                    args: iargs,
                                    kwargs: ikw,
                                } = other
                                {
                                    if func.ends_with("Index") {
                                        let name = iargs.first().and_then(|a| a.name()).ok_or(
                                            "an `Index` inside `create_table` without a known name",
                                        )?;
                                        indexes.push(TableIndex {
                                            name,
                                            columns: iargs[1..]
                                                .iter()
                                                .map(|a| match a {
                                                    Val::Call { func, args, .. }
                                                        if func.ends_with(".text") =>
                                                    {
                                                        args.first()
                                                            .and_then(|x| x.name())
                                                            .unwrap_or_default()
                                                    }
                                                    other => other
                                                        .name()
                                                        .unwrap_or_else(|| other.render()),
                                                })
                                                .collect(),
                                            unique: matches!(
                                                ikw.iter().find(|(k, _)| k == "unique"),
                                                Some((_, Val::Bool(true)))
                                            ),
                                            dialect_kw: ikw
                                                .iter()
                                                .filter(|(k, _)| k.contains('_'))
                                                .cloned()
                                                .collect(),
                                        });
                                        continue;
                                    }
                                }
                                return Err(format!("`create_table {table}` has an element the planner cannot read: {}", other.render()));
                            }
                        }
                    }
                }
            }
            let comment = kwargs
                .iter()
                .find(|(k, _)| k == "comment")
                .and_then(|(_, v)| v.name());
            Operation::CreateTable {
                table,
                columns,
                constraints,
                comment,
                indexes,
            }
        }
        "drop_table" => Operation::DropTable {
            table: req_name(&bind(&["table_name"], args, kwargs), "table_name", name)?,
        },
        "rename_table" => {
            let m = bind(&["old_table_name", "new_table_name"], args, kwargs);
            Operation::RenameTable {
                table: req_name(&m, "old_table_name", name)?,
                new_name: req_name(&m, "new_table_name", name)?,
            }
        }
        "add_column" => {
            let m = bind(&["table_name", "column"], args, kwargs);
            let col = m.get("column").ok_or("`add_column` without a column")?;
            Operation::AddColumn {
                table: req_name(&m, "table_name", name)?,
                column: column_from(col)?,
            }
        }
        "drop_column" => {
            let m = bind(&["table_name", "column_name"], args, kwargs);
            Operation::DropColumn {
                table: req_name(&m, "table_name", name)?,
                column: req_name(&m, "column_name", name)?,
            }
        }
        "alter_column" => {
            let m = bind(&["table_name", "column_name"], args, kwargs);
            let changes: Vec<(String, Val)> = kwargs
                .iter()
                .filter(|(k, _)| !matches!(k.as_str(), "table_name" | "column_name" | "schema"))
                .cloned()
                .collect();
            Operation::AlterColumn {
                table: req_name(&m, "table_name", name)?,
                column: req_name(&m, "column_name", name)?,
                changes,
            }
        }
        "create_index" => {
            let m = bind(&["index_name", "table_name", "columns"], args, kwargs);
            let unique = matches!(m.get("unique"), Some(Val::Bool(true)));
            Operation::CreateIndex {
                name: req_name(&m, "index_name", name)?,
                table: req_name(&m, "table_name", name)?,
                columns: names(m.get("columns")),
                unique,
                dialect_kw: kwargs
                    .iter()
                    .filter(|(k, _)| {
                        ["postgresql_", "mysql_", "sqlite_", "mssql_"]
                            .iter()
                            .any(|p| k.starts_with(p))
                    })
                    .cloned()
                    .collect(),
            }
        }
        "drop_index" => {
            let m = bind(&["index_name", "table_name"], args, kwargs);
            Operation::DropIndex {
                name: req_name(&m, "index_name", name)?,
                table: m.get("table_name").and_then(|v| v.name()),
            }
        }
        "create_unique_constraint" | "create_primary_key" => {
            let m = bind(&["constraint_name", "table_name", "columns"], args, kwargs);
            let cname = m.get("constraint_name").and_then(|v| v.name());
            let columns = names(m.get("columns"));
            let constraint = if name == "create_primary_key" {
                Constraint::PrimaryKey {
                    name: cname,
                    columns,
                }
            } else {
                Constraint::Unique {
                    name: cname,
                    columns,
                }
            };
            Operation::AddConstraint {
                table: req_name(&m, "table_name", name)?,
                constraint,
            }
        }
        "create_check_constraint" => {
            let m = bind(
                &["constraint_name", "table_name", "condition"],
                args,
                kwargs,
            );
            let condition = opt_str(m.get("condition"))
                .ok_or("`create_check_constraint` with a condition the planner cannot read")?;
            Operation::AddConstraint {
                table: req_name(&m, "table_name", name)?,
                constraint: Constraint::Check {
                    name: m.get("constraint_name").and_then(|v| v.name()),
                    condition,
                },
            }
        }
        "create_foreign_key" => {
            let m = bind(
                &[
                    "constraint_name",
                    "source_table",
                    "referent_table",
                    "local_cols",
                    "remote_cols",
                ],
                args,
                kwargs,
            );
            Operation::AddConstraint {
                table: req_name(&m, "source_table", name)?,
                constraint: Constraint::ForeignKey {
                    name: m.get("constraint_name").and_then(|v| v.name()),
                    columns: names(m.get("local_cols")),
                    referent: req_name(&m, "referent_table", name)?,
                    remote: names(m.get("remote_cols")),
                    ondelete: m.get("ondelete").and_then(|v| v.name()),
                },
            }
        }
        "drop_constraint" => {
            let m = bind(&["constraint_name", "table_name", "type_"], args, kwargs);
            Operation::DropConstraint {
                name: req_name(&m, "constraint_name", name)?,
                table: req_name(&m, "table_name", name)?,
                kind: m.get("type_").and_then(|v| v.name()),
            }
        }
        "create_table_comment" => {
            let m = bind(&["table_name", "comment"], args, kwargs);
            Operation::TableComment {
                table: req_name(&m, "table_name", name)?,
                comment: m.get("comment").and_then(|v| v.name()),
            }
        }
        "drop_table_comment" => Operation::TableComment {
            table: req_name(&bind(&["table_name"], args, kwargs), "table_name", name)?,
            comment: None,
        },
        "execute" => {
            let m = bind(&["sqltext"], args, kwargs);
            let sql = match m.get("sqltext") {
                Some(Val::Str(s)) => s.clone(),
                Some(v @ Val::Call { func, .. }) if func.ends_with(".text") => {
                    opt_str(Some(v)).unwrap_or_else(|| v.render())
                }
                Some(other) => other.render(),
                None => return Err("`execute` without SQL".into()),
            };
            Operation::Execute { sql }
        }
        "bulk_insert" => {
            let m = bind(&["table", "rows"], args, kwargs);
            let table = m
                .get("table")
                .and_then(|t| table_name_of(t))
                .ok_or("`bulk_insert` into a table the planner cannot read")?;
            let columns: Vec<String> = match m.get("table") {
                Some(Val::Call { args, .. }) => args
                    .iter()
                    .skip(1)
                    .filter_map(|c| match c {
                        Val::Call { args, .. } => args.first().and_then(|n| n.name()),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let rows = m
                .get("rows")
                .and_then(|r| r.items())
                .ok_or("`bulk_insert` rows the planner cannot list")?
                .iter()
                .map(|row| match row {
                    Val::Dict(items) => Ok(items
                        .iter()
                        .filter_map(|(k, v)| k.name().map(|k| (k, v.clone())))
                        .collect()),
                    other => Err(format!(
                        "a `bulk_insert` row that is not a dict: {}",
                        other.render()
                    )),
                })
                .collect::<Result<Vec<_>, String>>()?;
            Operation::BulkInsert {
                table,
                columns,
                rows,
            }
        }
        "f" | "inline_literal" | "batch_alter_table" | "get_bind" | "get_context" => {
            return Ok(None)
        }
        other => {
            return Err(format!(
                "`op.{other}` is not an operation the planner knows"
            ))
        }
    };
    Ok(Some(op))
}
