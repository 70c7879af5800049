//! What each migration does: `upgrade()` and `downgrade()` interpreted into typed
//! operations with source lines, without running them.
//!
//! Statements are walked in order with the partial evaluator (`python`): local and module
//! values, loops over known sequences, `if` on known values (offline mode is assumed, as
//! for `--sql`), helper functions of the same file, `with op.batch_alter_table(...)`.
//! A statement that cannot be known without running the application or a database becomes
//! an opaque step with its line and reason; the rest of the function is still interpreted.
//!
//! The objects migration code holds that exist only when it runs (the connection
//! `op.get_bind()` returns, a batch block's `batch_op`, the file's own functions) are the
//! evaluator's host objects, typed here as [`Host`]; calls reach [`Interp::on_call`], which
//! turns them into operations, inlined helpers, or opaque values.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_python_parser::Parsed;
use ruff_text_size::Ranged;

use super::build::{op_from_call, unmodelled_in_call};
use super::ir::*;
use crate::base::limits::{thousands, MAX_FUNCTION_STEPS, MAX_HELPER_DEPTH, MAX_STATEMENT_DEPTH};
use crate::base::{Dialect, LineIndex};
use crate::input::{Functions, ProjectConstants};
use crate::ops::known::Unmodelled;
use crate::python::module::bind_module;
use crate::python::{
    self, assign, parse_module, short_name, unread_statement_reason, Budget, Callee, Env, HostRef,
    ParsedFile, Val,
};

/// Words of every opaque reason that is a read of the database (what `--sql` cannot do).
const LIVE_DATABASE: &str = "live database";
/// Why the dialect's name is not known where the file is read for every dialect at once.
const DIALECT_NAME: &str =
    "the dialect's name (`op.get_bind().dialect.name`), known only per dialect";
const DATABASE_CONNECTION: &str = "database connection";
/// The value of `conn.execute(...)` offline (its statement is in the script): unknown, and
/// nothing to say when the call is a statement of its own (its result unused).
const STATEMENT_RESULT: &str =
    "the result of a statement run on the database connection; unknown offline";

/// Whether an opaque step is one that reads the database: offline (`--sql`) Alembic has
/// no connection, so the migration fails or does something else there.
pub fn reads_database(reason: &str) -> bool {
    reason.contains(LIVE_DATABASE) || reason.contains(DATABASE_CONNECTION)
}

/// An object migration code holds that exists only when it runs.
#[derive(Clone, Debug)]
enum Host<'a> {
    /// A function defined in the file, inlined where it is called.
    Helper(&'a ast::StmtFunctionDef),
    /// `op.get_bind()`: offline, Alembic's mock connection.
    Bind,
    /// `op.get_context()`.
    Context,
    /// `op.get_context().autocommit_block()`.
    AutocommitBlock,
    /// `batch_op` of `with op.batch_alter_table(...) as batch_op`.
    Batch(BatchBlock),
    /// `op.get_bind().dialect`: offline, the dialect of the URL.
    Dialect,
}

/// A call to act on once its expression is evaluated.
enum Pending<'a> {
    /// `op.<name>(...)`, or `batch_op.<name>(...)` inside a block.
    Op {
        name: String,
        batch: Option<BatchBlock>,
        args: Vec<Val>,
        kwargs: Vec<(String, Val)>,
    },
    /// `sa.Enum(...).create(bind)` / `.drop(bind)`.
    Enum { create: bool, enum_type: Val },
    /// `print(...)` of known values: offline, its text is in the script where it runs.
    Print { text: String },
    /// A helper function of the file, inlined.
    Helper {
        def: &'a ast::StmtFunctionDef,
        args: Vec<Val>,
        kwargs: Vec<(String, Val)>,
    },
}

struct Interp<'a> {
    lines: LineIndex,
    /// Where the parser could not read the file (each statement holding one is opaque).
    parse_errors: &'a [ruff_python_parser::ParseError],
    /// Host objects by `HostRef` number: the file's functions first, in file order.
    hosts: Vec<Host<'a>>,
    bind: HostRef,
    context: HostRef,
    autocommit: HostRef,
    /// Helper calls in progress.
    depth: usize,
    /// Blocks entered (helpers' bodies included).
    nesting: usize,
    /// The file's evaluation budget, shared by everything interpreted in it.
    budget: Budget,
    /// Where a bound of the budget was reached first, and which.
    limit: Option<(u32, String)>,
    steps: Vec<LocatedStep>,
    /// Open batch blocks and the steps they collected, innermost last.
    batches: Vec<(BatchBlock, Vec<LocatedStep>)>,
    /// Opaque steps recorded so far (a statement is interpreted if it adds none).
    opaque_steps: usize,
    /// Operations recorded so far (batch blocks' included).
    operations: usize,
    statements: usize,
    interpreted: usize,
    /// The project's own column types.
    types: &'a ProjectConstants,
    /// Dotted names called that may be the project's own.
    project_names: std::cell::RefCell<std::collections::BTreeSet<String>>,
    dialect_host: HostRef,
    /// The dialect the file is read for (`op.get_bind().dialect.name` is its name), or
    /// `None`: read for every dialect at once.
    dialect: Option<Dialect>,
    /// Whether the file read the dialect's name where it was not known.
    reads_dialect: std::cell::Cell<bool>,
    /// The module's names, which a helper's body sees.
    module_env: Env,
    /// Helpers evaluated for their return value so far, and how deep they nest now.
    pure_calls: std::cell::Cell<usize>,
    pure_depth: std::cell::Cell<usize>,
}

/// At most this many helper calls per file are evaluated for their return value, each
/// within [`PURE_STEPS`] steps and [`PURE_BYTES`] bytes (hostile files stay bounded).
const MAX_PURE_CALLS: usize = 512;
const PURE_STEPS: u64 = 10_000;
const PURE_BYTES: u64 = 1 << 20;

/// Gives application-defined column types the SQL the user mapped them to
/// ([`crate::input::LoadOptions::type_map`]): the column of a `create_table`/`add_column`/
/// `alter_column` whose type names a mapped name gets that SQL type, and the opaque step
/// that said the type was unknown goes.
pub fn map_types(ops: &mut MigrationOps, map: &[(String, String)]) {
    let lookup = |reason: &str| {
        map.iter()
            // the name as written or as qualified (`Slug`, `myapp.types.Slug`), or the
            // last part of either (`UUID` for `prefect.server.utilities.database.UUID`)
            .find(|(name, _)| {
                reason.contains(&format!("`{name}`")) || reason.contains(&format!(".{name}`"))
            })
            .map(|(_, sql)| Val::Str(sql.clone()))
    };
    for steps in [&mut ops.upgrade, &mut ops.downgrade] {
        let mut mapped: Vec<(u32, String)> = Vec::new();
        for st in steps.iter_mut() {
            let Step::Op(op) = &mut st.step else { continue };
            let alter = matches!(op.as_ref(), Operation::AlterColumn { .. });
            let mut types: Vec<&mut Option<Val>> = match op.as_mut() {
                Operation::CreateTable { columns, .. } => {
                    columns.iter_mut().map(|c| &mut c.type_).collect()
                }
                Operation::AddColumn { column, .. } => vec![&mut column.type_],
                Operation::AlterColumn { changes, .. } => {
                    vec![&mut changes.type_, &mut changes.existing_type]
                }
                _ => Vec::new(),
            };
            for t in types.iter_mut() {
                if let Some(Val::Opaque(r)) = &**t {
                    if let Some(sql) = lookup(r) {
                        if !alter {
                            mapped.push((st.line, r.clone()));
                        }
                        **t = Some(sql);
                    }
                }
            }
        }
        steps.retain(|st| match &st.step {
            Step::Opaque { reason } => !mapped
                .iter()
                .any(|(line, r)| *line == st.line && reason.contains(r.as_str())),
            Step::Op(_)
            | Step::NotModelled { .. }
            | Step::Autocommit { .. }
            | Step::Print { .. } => true,
        });
    }
}

/// The module's `@compiles(<SQLAlchemy construct>, "dialect"...)` functions. A hook on
/// the project's own construct (a `FunctionElement` subclass of the file) is left out: the
/// planner cannot render that construct anyway and says so where it is used.
fn compiler_hooks(
    body: &[ast::Stmt],
    env: &Env,
    lines: &LineIndex,
    budget: &mut Budget,
) -> Vec<CompilerHook> {
    python::compiles_decorators(body, lines)
        .into_iter()
        .filter_map(
            |d| match python::eval(d.target, env, &mut |_, _, _| None, budget) {
                Val::Ref(construct) if construct.starts_with("sqlalchemy.") => Some(CompilerHook {
                    construct,
                    dialects: d.dialects,
                    line: d.line,
                }),
                _ => None,
            },
        )
        .collect()
}

/// Marks every operation whose SQL a project's `@compiles` hook (`path`, `hook`) changes:
/// a not-modelled note for the hook's dialects before it.
pub fn mark_compiler_hook(ops: &mut MigrationOps, path: &str, hook: &CompilerHook) {
    let construct = hook.construct.rsplit('.').next().unwrap_or(&hook.construct);
    let dialects: Vec<Option<Dialect>> = if hook.dialects.is_empty() {
        vec![None]
    } else {
        hook.dialects
            .iter()
            .filter_map(|d| Dialect::from_name(d))
            .map(Some)
            .collect()
    };
    if dialects.is_empty() {
        return; // a dialect the planner does not render
    }
    for steps in [&mut ops.upgrade, &mut ops.downgrade] {
        let mut k = 0;
        while k < steps.len() {
            let touched = match &steps[k].step {
                Step::Op(op) => hook_touches(construct, op),
                _ => false,
            };
            if touched {
                let what: Vec<Unmodelled> = dialects
                    .iter()
                    .map(|d| Unmodelled {
                        what: format!(
                            "`{}` is compiled by a @compiles hook at {path}:{} (Alembic imports every revision file)",
                            hook.construct, hook.line
                        ),
                        dialect: *d,
                    })
                    .collect();
                let (line, batch) = (steps[k].line, steps[k].batch.clone());
                let prev_same_line = k > 0 && steps[k - 1].line == line;
                match k.checked_sub(1).map(|p| &mut steps[p].step) {
                    Some(Step::NotModelled { what: w }) if prev_same_line => w.extend(what),
                    _ => {
                        steps.insert(
                            k,
                            LocatedStep {
                                line,
                                step: Step::NotModelled { what },
                                batch,
                                conv_names: Vec::new(),
                            },
                        );
                        k += 1;
                    }
                }
            }
            k += 1;
        }
    }
}

/// Whether compiling `op` involves the SQLAlchemy construct named `construct`; a
/// construct the planner does not map counts as involved everywhere.
fn hook_touches(construct: &str, op: &Operation) -> bool {
    let fk = |c: &Constraint| matches!(c, Constraint::ForeignKey { .. });
    fn columns_of(op: &Operation) -> Vec<&Column> {
        match op {
            Operation::CreateTable { columns, .. } => columns.iter().collect(),
            Operation::AddColumn { column, .. } => vec![column],
            _ => Vec::new(),
        }
    }
    let constraints = |op: &Operation| -> Vec<Constraint> {
        let mut v: Vec<Constraint> = columns_of(op)
            .iter()
            .flat_map(|c| c.implied_constraints().into_iter().chain(c.checks.clone()))
            .collect();
        match op {
            Operation::CreateTable { constraints, .. } => v.extend(constraints.iter().cloned()),
            Operation::AddConstraint { constraint, .. } => v.push(constraint.clone()),
            _ => {}
        }
        v
    };
    match construct {
        "ForeignKeyConstraint" | "ForeignKey" => constraints(op).iter().any(fk),
        "UniqueConstraint" => constraints(op)
            .iter()
            .any(|c| matches!(c, Constraint::Unique { .. })),
        "PrimaryKeyConstraint" => {
            matches!(op, Operation::CreateTable { .. })
                || constraints(op)
                    .iter()
                    .any(|c| matches!(c, Constraint::PrimaryKey { .. }))
        }
        "CheckConstraint" => constraints(op)
            .iter()
            .any(|c| matches!(c, Constraint::Check { .. })),
        "CreateTable" | "Table" => matches!(op, Operation::CreateTable { .. }),
        "DropTable" => matches!(op, Operation::DropTable { .. }),
        "CreateIndex" | "Index" => {
            matches!(op, Operation::CreateIndex { .. })
                || matches!(op, Operation::CreateTable { indexes, columns, .. }
                    if !indexes.is_empty() || columns.iter().any(|c| c.index))
        }
        "DropIndex" => matches!(op, Operation::DropIndex { .. }),
        "Column" | "CreateColumn" => !columns_of(op).is_empty(),
        "AddColumn" => matches!(op, Operation::AddColumn { .. }),
        "DropColumn" => matches!(op, Operation::DropColumn { .. }),
        "AlterColumn" | "ColumnNullable" | "ColumnType" | "ColumnDefault" | "ColumnName"
        | "ColumnComment" => matches!(op, Operation::AlterColumn { .. }),
        "RenameTable" => matches!(op, Operation::RenameTable { .. }),
        "AddConstraint" => matches!(op, Operation::AddConstraint { .. }),
        "DropConstraint" => matches!(op, Operation::DropConstraint { .. }),
        "TextClause" => matches!(op, Operation::Execute { .. }),
        "Insert" => matches!(op, Operation::BulkInsert { .. }),
        "Update" => matches!(op, Operation::UpdateRows(_)),
        // a column type: the operations that write that type's SQL
        t if crate::ops::build::is_type(t) => column_types(op).any(|v| names_type(v, t)),
        _ => true,
    }
}

/// The column types an operation writes (`alter_column`'s existing type too: MySQL
/// restates it).
fn column_types(op: &Operation) -> Box<dyn Iterator<Item = &Val> + '_> {
    match op {
        Operation::CreateTable { columns, .. } => {
            Box::new(columns.iter().filter_map(|c| c.type_.as_ref()))
        }
        Operation::AddColumn { column, .. } => Box::new(column.type_.iter()),
        Operation::AlterColumn { changes, .. } => {
            Box::new(changes.type_.iter().chain(changes.existing_type.iter()))
        }
        _ => Box::new(std::iter::empty()),
    }
}

/// Whether a type value is, or is made of, the SQLAlchemy class named `class`.
fn names_type(v: &Val, class: &str) -> bool {
    let named = |q: &str| q.rsplit('.').next() == Some(class);
    match v {
        Val::Ref(q) => named(q),
        Val::Call { func, args, kwargs } => {
            named(func)
                || args.iter().any(|a| names_type(a, class))
                || kwargs.iter().any(|(_, a)| names_type(a, class))
        }
        Val::Method {
            receiver,
            args,
            kwargs,
            ..
        } => {
            names_type(receiver, class)
                || args.iter().any(|a| names_type(a, class))
                || kwargs.iter().any(|(_, a)| names_type(a, class))
        }
        Val::List(items) => items.iter().any(|a| names_type(a, class)),
        _ => false,
    }
}

/// Interprets a revision file's `upgrade()` and `downgrade()`. Never fails.
pub fn interpret(text: &str) -> MigrationOps {
    interpret_parsed(
        &parse_module(text),
        &LineIndex::new(text),
        &ProjectConstants::default(),
        &Dialect::ALL,
        Functions::Both,
    )
}

/// What a call of `q`, imported from outside the libraries the planner knows, is: a column
/// type of the project's own (its `impl`), one whose SQL its code decides (opaque, naming
/// where), or not known (`None`, and `q` is recorded as a name worth reading).
fn imported_call(
    types: &ProjectConstants,
    q: &str,
    args: &[Val],
    kwargs: &[(String, Val)],
    names: &mut std::collections::BTreeSet<String>,
) -> Option<Val> {
    let at = types.canonical(q);
    if let Some(t) = types.types.get(at) {
        return Some(t.instantiate(args, kwargs));
    }
    if let Some(why) = types.opaque_types.get(at) {
        return Some(Val::Opaque(format!(
            "`{}` is the project's own column type `{q}` ({}:{}): {}",
            short_name(q).rsplit('.').next().unwrap_or(q),
            why.path,
            why.line,
            why.value
        )));
    }
    // a third-party package's type the planner knows (Airflow's `StringID`)
    if let Some(v) = super::third_party::call(q, args, kwargs) {
        return Some(v);
    }
    names.insert(q.to_string());
    None
}

/// `Column` keywords that only act in Python (a default computed by the application, an
/// update hook, documentation): their values never reach the DDL, so one the planner
/// cannot know (`default=lambda: int(time.time())`) leaves the operation known.
const PYTHON_SIDE_COLUMN_KEYWORDS: &[&str] = &["default", "onupdate", "info", "doc"];

/// The first opaque reason inside an operation's argument that matters to its DDL:
/// [`Val::opaque_reason`], except inside a `Column`'s Python-side keywords.
fn ddl_opaque_reason(v: &Val) -> Option<String> {
    match v {
        Val::Call { func, args, kwargs } => {
            let column = short_name(func).rsplit('.').next() == Some("Column");
            args.iter().find_map(ddl_opaque_reason).or_else(|| {
                kwargs
                    .iter()
                    .filter(|(k, _)| !(column && PYTHON_SIDE_COLUMN_KEYWORDS.contains(&k.as_str())))
                    .find_map(|(_, x)| ddl_opaque_reason(x))
            })
        }
        Val::List(items) => items.iter().find_map(ddl_opaque_reason),
        other => other.opaque_reason(),
    }
}

/// `MetaData(naming_convention=...).naming_convention` (a project's `meta` read whole);
/// SQLAlchemy's default convention when none is given.
fn metadata_property(receiver: &Val, name: &str) -> Option<Val> {
    match (receiver, name) {
        (Val::Call { func, kwargs, .. }, "naming_convention") if func == "sqlalchemy.MetaData" => {
            Some(
                kwargs
                    .iter()
                    .find(|(k, _)| k == "naming_convention")
                    .map(|(_, v)| v.clone())
                    .unwrap_or_else(|| {
                        Val::Dict(vec![(
                            Val::Str("ix".into()),
                            Val::Str("ix_%(column_0_label)s".into()),
                        )])
                    }),
            )
        }
        _ => None,
    }
}

/// A string the project's source defines (a module constant, a class attribute such as an
/// ORM model's `__tablename__`), read from its source by the shell.
fn project_value(types: &ProjectConstants, q: &str) -> Option<Val> {
    let at = types.canonical(q);
    types
        .values
        .get(at)
        .map(|c| Val::Str(c.value.clone()))
        .or_else(|| types.ints.get(at).map(|c| Val::Int(c.value)))
        .or_else(|| types.objects.get(at).map(|c| c.value.clone()))
        .or_else(|| super::third_party::value(q))
}

/// `v` with each class of the project's own column types named without a call, as
/// SQLAlchemy takes a type class (`Column("at", UtcDateTime)` is `UtcDateTime()`): its
/// `impl`, or why the planner cannot know it.
fn bare_project_types(v: &Val, types: &ProjectConstants) -> Val {
    v.map(&mut |x| {
        let Val::Opaque(reason) = x else {
            return None;
        };
        let q = crate::python::imported_name(reason)?;
        let at = types.canonical(q);
        if !(types.types.contains_key(at) || types.opaque_types.contains_key(at)) {
            return None;
        }
        Some(
            match imported_call(types, q, &[], &[], &mut Default::default())? {
                t @ (Val::Call { .. } | Val::Method { .. }) => Val::Method {
                    receiver: Box::new(t),
                    name: crate::python::AS_CLASS.into(),
                    args: Vec::new(),
                    kwargs: Vec::new(),
                },
                other => other,
            },
        )
    })
}

/// The text `print(*args, sep=..., end=...)` writes to standard output, or why the
/// planner cannot know it (a value it cannot turn into text, another `file=`).
fn printed(args: &[Val], kwargs: &[(String, Val)]) -> Result<String, String> {
    let (mut sep, mut end) = (" ".to_string(), "\n".to_string());
    for (k, v) in kwargs {
        match (k.as_str(), v) {
            ("sep", Val::Str(s)) => sep = s.clone(),
            ("end", Val::Str(s)) => end = s.clone(),
            ("sep" | "end", Val::None) | ("flush", _) => {}
            _ => {
                return Err(format!(
                    "print() with `{k}=`, whose output the planner does not follow"
                ))
            }
        }
    }
    let words: Vec<String> = args
        .iter()
        .map(|a| python::eval::py_str(a).map_err(|r| format!("print() of {r}")))
        .collect::<Result<_, _>>()?;
    Ok(words.join(&sep) + &end)
}

/// [`interpret`] on a file already parsed (the project parses each file once, for both
/// its identifiers and its operations); a call of one of `types` is its `impl`. A file
/// that reads the dialect's name is read again for each of `dialects`; given one dialect,
/// every file is read for it alone (and answers for it whatever dialect is asked).
pub fn interpret_parsed(
    file: &ParsedFile,
    lines: &LineIndex,
    types: &ProjectConstants,
    dialects: &[Dialect],
    functions: Functions,
) -> MigrationOps {
    if let [one] = dialects {
        // read for one dialect only: that reading is the file's
        return interpret_for(file, lines, types, Some(*one), functions);
    }
    let mut out = interpret_for(file, lines, types, None, functions);
    if out.reads_dialect {
        // `if op.get_bind().dialect.name == "mysql":` is known offline: the URL's dialect
        out.by_dialect = dialects
            .iter()
            .copied()
            .map(|d| (d, interpret_for(file, lines, types, Some(d), functions)))
            .collect();
    }
    out
}

/// [`interpret_parsed`] for one dialect, or for every dialect at once (`None`).
fn interpret_for(
    file: &ParsedFile,
    lines: &LineIndex,
    types: &ProjectConstants,
    dialect: Option<Dialect>,
    functions: Functions,
) -> MigrationOps {
    let mut out = interpret_module(&file.parsed, lines, types, dialect, functions);
    if let Some(r) = &file.refused {
        // what comes after the line Python refuses is not read
        for steps in [&mut out.upgrade, &mut out.downgrade]
            .into_iter()
            .take(functions.count())
        {
            steps.push(LocatedStep {
                line: r.line,
                step: Step::Opaque {
                    reason: format!(
                        "not interpreted from here on: Python refuses to compile the file ({})",
                        r.error
                    ),
                },
                batch: None,
                conv_names: Vec::new(),
            });
        }
    }
    out
}

/// The module a revision file's own classes are read under (`__revision__.Timestamp`).
const REVISION_MODULE: &str = "__revision__";

/// A revision file's operations. Column types the file defines itself (`class
/// PreciseTimestamp(TypeDecorator)`) are read as the project's modules are (their `impl`,
/// their `load_dialect_impl` by dialect) and its calls of them resolved the same way.
fn interpret_module(
    parsed: &Parsed<ast::Mod>,
    lines: &LineIndex,
    types: &ProjectConstants,
    dialect: Option<Dialect>,
    functions: Functions,
) -> MigrationOps {
    let ast::Mod::Module(module) = parsed.syntax() else {
        return MigrationOps {
            functions,
            ..MigrationOps::default()
        };
    };
    let classes: Vec<&str> = module
        .body
        .iter()
        .filter_map(|s| match s {
            Stmt::ClassDef(c) => Some(c.name.as_str()),
            _ => None,
        })
        .collect();
    if classes.is_empty() {
        return interpret_body(parsed, lines, types, dialect, functions, &[]);
    }
    let mut own = types.clone();
    crate::script::constants::read_module(
        REVISION_MODULE,
        "this file",
        &module.body,
        lines,
        &mut own,
    );
    let read: Vec<&str> = classes
        .into_iter()
        .filter(|c| {
            let q = format!("{REVISION_MODULE}.{c}");
            own.types.contains_key(&q) || own.opaque_types.contains_key(&q)
        })
        .collect();
    interpret_body(parsed, lines, &own, dialect, functions, &read)
}

fn interpret_body<'a>(
    parsed: &'a Parsed<ast::Mod>,
    lines: &LineIndex,
    types: &'a ProjectConstants,
    dialect: Option<Dialect>,
    functions: Functions,
    own_classes: &[&str],
) -> MigrationOps {
    let ast::Mod::Module(module) = parsed.syntax() else {
        return MigrationOps {
            functions,
            ..MigrationOps::default()
        };
    };
    // module level: imports, constants, helpers (calls there are not operations)
    let mut budget = Budget::new();
    let mut project_names = std::collections::BTreeSet::new();
    let scope = bind_module(
        &module.body,
        lines,
        &mut |callee, args, kwargs| match callee {
            Callee::Imported(q) => imported_call(types, q, args, kwargs, &mut project_names),
            Callee::Property { receiver, name } => metadata_property(receiver, name),
            // a name the project's source may define: worth reading when not known yet
            Callee::Value(q) if q.starts_with("alembic.") => None,
            Callee::Value(q) => project_value(types, q).or_else(|| {
                project_names.insert(q.to_string());
                None
            }),
            Callee::Name("alembic.context.is_offline_mode") => Some(Val::Bool(true)),
            Callee::Host { .. } => Some(Val::Opaque(
                "the value of a call made when the module is imported".into(),
            )),
            _ => None,
        },
        &mut budget,
    );
    // names imported from outside the libraries the planner knows may be the project's
    // own column types, used without a call: a shell with the project's source reads them
    for v in scope.env.vars.values() {
        if let Val::Opaque(reason) = v {
            if let Some(q) = crate::python::imported_name(reason) {
                project_names.insert(q.to_string());
            }
        }
    }
    let mut env = scope.env.clone();
    env.vars
        .entry("op".into())
        .or_insert_with(|| Val::Ref("alembic.op".into()));
    // the file's own column types: called, their SQL as the project's types give it
    for c in own_classes {
        env.import(c, &format!("{REVISION_MODULE}.{c}"));
    }
    for (name, b) in &scope.bindings {
        if b.conditional {
            env.vars.insert(
                name.clone(),
                Val::Opaque(format!(
                    "`{name}` is bound inside a module-level `if`/`try` block; which branch runs is not known"
                )),
            );
        }
    }
    // (a bound reached at module level is reported by the identifier reader, which binds
    // the same module)
    let mut out = MigrationOps {
        compiler_hooks: compiler_hooks(&module.body, &env, lines, &mut budget),
        functions,
        ..MigrationOps::default()
    };
    // `upgrade()` first: `downgrade()` is read on what it leaves of the budget
    for (name, target) in [
        ("upgrade", &mut out.upgrade),
        ("downgrade", &mut out.downgrade),
    ]
    .into_iter()
    .take(functions.count())
    {
        let Some(f) = scope.function_named(name) else {
            continue;
        };
        let mut it = Interp::new(
            lines.clone(),
            &scope.functions,
            std::mem::take(&mut budget),
            types,
            dialect,
        );
        it.module_env = env.clone();
        it.parse_errors = parsed.errors();
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
        out.limits.extend(it.limit);
        project_names.extend(it.project_names.into_inner());
        out.reads_dialect |= it.reads_dialect.get();
        budget = it.budget;
    }
    out.project_names = project_names.into_iter().collect();
    out
}

/// Outcome of running a statement block.
enum Flow {
    Next,
    Return,
    /// `continue` / `break` of the innermost loop.
    Continue,
    Break,
}

impl<'a> Interp<'a> {
    fn new(
        lines: LineIndex,
        functions: &[&'a ast::StmtFunctionDef],
        budget: Budget,
        types: &'a ProjectConstants,
        dialect: Option<Dialect>,
    ) -> Self {
        let mut hosts: Vec<Host<'a>> = functions.iter().map(|f| Host::Helper(f)).collect();
        let mut add = |h: Host<'a>| {
            hosts.push(h);
            HostRef(hosts.len() as u32 - 1)
        };
        let bind = add(Host::Bind);
        let context = add(Host::Context);
        let autocommit = add(Host::AutocommitBlock);
        let dialect_host = add(Host::Dialect);
        Interp {
            module_env: Env::default(),
            parse_errors: &[],
            pure_calls: Default::default(),
            pure_depth: Default::default(),
            dialect_host,
            dialect,
            reads_dialect: Default::default(),
            lines,
            hosts,
            bind,
            context,
            autocommit,
            depth: 0,
            nesting: 0,
            budget,
            limit: None,
            steps: Vec::new(),
            batches: Vec::new(),
            opaque_steps: 0,
            operations: 0,
            statements: 0,
            interpreted: 0,
            types,
            project_names: Default::default(),
        }
    }

    fn host(&mut self, h: Host<'a>) -> HostRef {
        self.hosts.push(h);
        HostRef(self.hosts.len() as u32 - 1)
    }

    fn line<T: Ranged>(&self, n: &T) -> u32 {
        self.lines.line(n.range().start().to_u32())
    }

    fn push(&mut self, line: u32, step: Step) {
        self.steps.push(LocatedStep {
            line,
            step,
            batch: None,
            conv_names: Vec::new(),
        });
    }

    fn opaque(&mut self, line: u32, reason: String) {
        self.opaque_steps += 1;
        self.steps.push(LocatedStep {
            line,
            step: Step::Opaque { reason },
            batch: None,
            conv_names: Vec::new(),
        });
    }

    fn block(&mut self, body: &'a [Stmt], env: &mut Env) -> Flow {
        let Some(first) = body.first() else {
            return Flow::Next;
        };
        if self.nesting >= MAX_STATEMENT_DEPTH {
            let line = self.line(first);
            self.reached_limit(
                line,
                format!("statements nested more than {MAX_STATEMENT_DEPTH} levels deep (helpers included), which the planner does not follow"),
            );
            return Flow::Next;
        }
        self.nesting += 1;
        let mut flow = Flow::Next;
        for stmt in body {
            if self.budget.spent() {
                // the rest is not interpreted: said once, where it stopped
                let line = self.line(stmt);
                let reason = self.budget.exhausted.clone().unwrap_or_default();
                self.reached_limit(line, reason);
                break;
            }
            if self.operations + self.opaque_steps >= MAX_FUNCTION_STEPS {
                let line = self.line(stmt);
                self.reached_limit(
                    line,
                    format!("the function makes more than {} operations (a loop too long to follow); the rest is not interpreted", thousands(MAX_FUNCTION_STEPS as u64)),
                );
                break;
            }
            match self.exec(stmt, env) {
                Flow::Next => {}
                other => {
                    flow = other;
                    break;
                }
            }
        }
        self.nesting -= 1;
        flow
    }

    /// A bound of the budget reached at `line`: an opaque step the first time, and the
    /// place it happened for the file's diagnostic.
    fn reached_limit(&mut self, line: u32, reason: String) {
        if self.limit.is_none() {
            self.limit = Some((line, reason.clone()));
            self.opaque(line, format!("not interpreted: {reason}"));
        }
    }

    /// One statement; it counts as interpreted when it adds no opaque step.
    fn exec(&mut self, stmt: &'a Stmt, env: &mut Env) -> Flow {
        let line = self.line(stmt);
        let is_doc =
            matches!(stmt, Stmt::Expr(e) if matches!(e.value.as_ref(), Expr::StringLiteral(_)));
        let counted = !matches!(stmt, Stmt::Pass(_)) && !is_doc;
        if counted {
            self.statements += 1;
        }
        let before = self.opaque_steps;
        let was_exhausted = self.budget.exhausted.is_some();
        let _ = self.budget.step();
        // what the parser could not read is not guessed at (a compound statement's own
        // statements are each checked as they run)
        let unread = (!is_compound(stmt)).then(|| self.unread(stmt)).flatten();
        let flow = match stmt {
            _ if unread.is_some() => {
                self.opaque(
                    line,
                    unread.map(unread_statement_reason).unwrap_or_default(),
                );
                Flow::Next
            }
            Stmt::Pass(_) => Flow::Next,
            Stmt::Expr(_) if is_doc => Flow::Next,
            Stmt::Expr(e) => self.exec_expr(line, &e.value, env),
            Stmt::Assign(a) => {
                let v = self.eval(&a.value, env);
                for t in &a.targets {
                    assign(t, v.clone(), env, &mut self.budget);
                }
                Flow::Next
            }
            Stmt::AnnAssign(a) => {
                if let Some(value) = &a.value {
                    let v = self.eval(value, env);
                    assign(&a.target, v, env, &mut self.budget);
                }
                Flow::Next
            }
            Stmt::AugAssign(a) => self.exec_aug_assign(a, env),
            Stmt::Import(_) | Stmt::ImportFrom(_) => {
                bind_imports(stmt, env);
                Flow::Next
            }
            Stmt::With(w) => self.exec_with(line, w, env),
            Stmt::For(f) => self.exec_for(line, f, env),
            Stmt::If(i) => self.exec_if(line, i, env),
            Stmt::Try(t) => {
                let f = self.block(&t.body, env);
                if let Flow::Next = f {
                    self.block(&t.finalbody, env)
                } else {
                    f
                }
            }
            Stmt::Return(_) => Flow::Return,
            Stmt::Continue(_) => Flow::Continue,
            Stmt::Break(_) => Flow::Break,
            Stmt::FunctionDef(f) => {
                let h = self.host(Host::Helper(f));
                env.vars.insert(f.name.to_string(), Val::Host(h));
                Flow::Next
            }
            other => {
                self.opaque(line, format!("a `{}` statement", stmt_kind(other)));
                Flow::Next
            }
        };
        // a bound reached by this statement (not one an earlier function reached)
        if let (false, Some(r)) = (was_exhausted, &self.budget.exhausted) {
            let r = r.clone();
            self.reached_limit(line, r);
        }
        if counted && self.opaque_steps == before {
            self.interpreted += 1;
        }
        flow
    }

    /// The first parse error inside `stmt`, if any.
    fn unread(&self, stmt: &Stmt) -> Option<&'a ruff_python_parser::ParseError> {
        let r = stmt.range();
        self.parse_errors.iter().find(|e| {
            r.contains_range(e.location)
                || (e.location.is_empty() && r.contains(e.location.start()))
        })
    }

    /// An expression statement: a call made for its effect.
    fn exec_expr(&mut self, line: u32, e: &Expr, env: &mut Env) -> Flow {
        if let Some(flow) = self.exec_mutation(line, e, env) {
            return flow;
        }
        match self.eval(e, env) {
            // a helper's return value is not needed when the call is a statement
            Val::Opaque(r) if r.starts_with("the return value of helper") => {}
            Val::Opaque(r) if r == STATEMENT_RESULT => {}
            Val::Opaque(r) => self.opaque(line, r),
            // a call made for its effect that no rule models: say so, never drop it
            Val::Call { func, .. } if !func.starts_with("sqlalchemy.") => self.opaque(
                line,
                format!(
                    "a call of `{}` whose effect the planner does not model",
                    short_name(&func)
                ),
            ),
            Val::Method { name, .. } => self.opaque(
                line,
                format!("a `.{name}()` call whose effect the planner does not model"),
            ),
            _ => {}
        }
        Flow::Next
    }

    /// A method that changes a list or dict a name holds (`cols.append(c)`,
    /// `opts.update({...})`): the new value when the planner follows it (`append`,
    /// `extend`, `update` with known values), otherwise the name is no longer known and the
    /// statement is opaque. `None` for any other expression.
    fn exec_mutation(&mut self, line: u32, e: &Expr, env: &mut Env) -> Option<Flow> {
        let Expr::Call(c) = e else {
            return None;
        };
        let Expr::Attribute(a) = &*c.func else {
            return None;
        };
        let Expr::Name(n) = &*a.value else {
            return None;
        };
        let name = n.id.as_str();
        let current = match env.vars.get(name) {
            Some(v @ (Val::List(_) | Val::Dict(_))) => v.clone(),
            _ => return None,
        };
        let args: Vec<Val> = c.arguments.args.iter().map(|x| self.eval(x, env)).collect();
        let plain =
            c.arguments.keywords.is_empty() && args.iter().all(|x| x.opaque_reason().is_none());
        let changed = match (current, a.attr.as_str(), args.as_slice()) {
            (Val::List(mut v), "append", [x]) if plain => {
                v.push(x.clone());
                Some(Val::List(v))
            }
            (Val::List(mut v), "extend", [Val::List(xs)]) if plain => {
                v.extend(xs.iter().cloned());
                Some(Val::List(v))
            }
            (Val::Dict(mut d), "update", [Val::Dict(more)]) if plain => {
                for (k, x) in more {
                    match d.iter_mut().find(|(y, _)| y == k) {
                        Some(slot) => slot.1 = x.clone(),
                        None => d.push((k.clone(), x.clone())),
                    }
                }
                Some(Val::Dict(d))
            }
            _ => None,
        };
        let value = match changed {
            Some(v) => self.budget.admit(v),
            None => {
                self.opaque(
                    line,
                    format!(
                        "a `.{}()` call that changes `{name}` in a way the planner does not follow",
                        a.attr
                    ),
                );
                python::changed_in_place(name)
            }
        };
        env.vars.insert(name.to_string(), value);
        Some(Flow::Next)
    }

    fn exec_aug_assign(&mut self, a: &ast::StmtAugAssign, env: &mut Env) -> Flow {
        let cur = self.eval(&a.target, env);
        let rhs = self.eval(&a.value, env);
        let v = match (cur, rhs) {
            (Val::Str(x), Val::Str(y)) => Val::Str(x + &y),
            (Val::List(mut x), Val::List(y)) => {
                x.extend(y);
                Val::List(x)
            }
            (Val::Int(x), Val::Int(y)) => Val::Int(x.wrapping_add(y)),
            _ => Val::Opaque("an augmented assignment on unknown values".into()),
        };
        assign(&a.target, v, env, &mut self.budget);
        Flow::Next
    }

    /// `with op.batch_alter_table(...) as batch_op:` opens a batch block whose operations
    /// run when it ends; any other context manager just runs its body.
    fn exec_with(&mut self, line: u32, w: &'a ast::StmtWith, env: &mut Env) -> Flow {
        let open = self.batches.len();
        let mut autocommit = 0;
        for item in &w.items {
            let v = self.eval(&item.context_expr, env);
            let bound = match v {
                Val::Host(h) if h == self.autocommit => {
                    autocommit += 1;
                    self.push(line, Step::Autocommit { enter: true });
                    Val::None
                }
                Val::Call { func, args, kwargs } if func == "alembic.op.batch_alter_table" => {
                    self.open_batch(line, &args, &kwargs)
                }
                Val::Opaque(r) => {
                    self.opaque(line, r.clone());
                    Val::Opaque(r)
                }
                other => other,
            };
            if let Some(var) = &item.optional_vars {
                assign(var, bound, env, &mut self.budget);
            }
        }
        let flow = self.block(&w.body, env);
        for _ in 0..autocommit {
            self.push(line, Step::Autocommit { enter: false });
        }
        // each batch runs its operations as its block ends, innermost first
        while self.batches.len() > open {
            let Some((block, steps)) = self.batches.pop() else {
                break;
            };
            self.steps.extend(steps.into_iter().map(|mut st| {
                st.batch = Some(block.clone());
                st
            }));
        }
        flow
    }

    fn open_batch(&mut self, line: u32, args: &[Val], kwargs: &[(String, Val)]) -> Val {
        let kw = |k: &str| kwargs.iter().find(|(n, _)| n == k).map(|(_, v)| v);
        let table = args
            .first()
            .and_then(|a| a.name())
            .or_else(|| kw("table_name").and_then(|v| v.name()));
        let Some(table) = table else {
            return Val::Opaque("a batch_alter_table whose table name is unknown".into());
        };
        let recreate = match kw("recreate") {
            None => Recreate::Auto,
            Some(v) => match v.name().as_deref().and_then(Recreate::from_name) {
                Some(r) => r,
                None => {
                    return Val::Opaque(format!(
                        "a batch_alter_table with `recreate={}`, which the planner cannot read",
                        v.render()
                    ))
                }
            },
        };
        let block = BatchBlock {
            line,
            table,
            recreate,
            copy_from: kw("copy_from").is_some(),
        };
        self.batches.push((block.clone(), Vec::new()));
        Val::Host(self.host(Host::Batch(block)))
    }

    fn exec_for(&mut self, line: u32, f: &'a ast::StmtFor, env: &mut Env) -> Flow {
        match self.eval(&f.iter, env) {
            Val::List(items) => {
                let mut broke = false;
                for item in items {
                    if self.budget.step().is_err() {
                        broke = true;
                        break;
                    }
                    assign(&f.target, item, env, &mut self.budget);
                    match self.block(&f.body, env) {
                        Flow::Return => return Flow::Return,
                        Flow::Break => {
                            broke = true;
                            break;
                        }
                        Flow::Next | Flow::Continue => {}
                    }
                }
                // `for ... else:` runs when the loop was not broken
                if !broke {
                    return self.block(&f.orelse, env);
                }
            }
            other => {
                let reason = other
                    .opaque_reason()
                    .unwrap_or_else(|| "a loop over values the planner cannot list".into());
                self.opaque(line, format!("loop not interpreted: {reason}"));
            }
        }
        Flow::Next
    }

    fn exec_if(&mut self, line: u32, i: &'a ast::StmtIf, env: &mut Env) -> Flow {
        match self.truth(&i.test, env) {
            Some(true) => self.block(&i.body, env),
            Some(false) => {
                for clause in &i.elif_else_clauses {
                    match &clause.test {
                        None => return self.block(&clause.body, env),
                        Some(t) => match self.truth(t, env) {
                            Some(true) => return self.block(&clause.body, env),
                            Some(false) => continue,
                            None => {
                                self.opaque(
                                    line,
                                    "a condition that depends on values the planner cannot know"
                                        .into(),
                                );
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
        }
    }

    fn truth(&mut self, test: &Expr, env: &Env) -> Option<bool> {
        let v = self.eval(test, env);
        python::truth(&v)
    }

    /// Evaluates an expression, then acts on the calls it made: operations are recorded,
    /// helpers inlined, in the order they were called.
    fn eval(&mut self, e: &Expr, env: &Env) -> Val {
        let line = self.line(e);
        let mut pending: Vec<Pending<'a>> = Vec::new();
        let mut budget = std::mem::take(&mut self.budget);
        let v = {
            let this = &*self;
            python::eval(
                e,
                env,
                &mut |callee, args, kwargs| this.on_call(callee, args, kwargs, &mut pending),
                &mut budget,
            )
        };
        self.budget = budget;
        for p in pending {
            match p {
                Pending::Op {
                    name,
                    batch,
                    args,
                    kwargs,
                } => self.record(line, &name, batch, &args, &kwargs),
                Pending::Enum { create, enum_type } => self.record_enum(line, create, &enum_type),
                Pending::Print { text } => self.push(line, Step::Print { text }),
                Pending::Helper { def, args, kwargs } => {
                    self.call_helper(line, def, args, kwargs, env)
                }
            }
        }
        v
    }

    /// What a call evaluates to; an operation or a helper is queued in `pending`.
    fn on_call(
        &self,
        callee: Callee,
        args: &[Val],
        kwargs: &[(String, Val)],
        pending: &mut Vec<Pending<'a>>,
    ) -> Option<Val> {
        let op = |name: &str, batch: Option<BatchBlock>| Pending::Op {
            name: name.to_string(),
            batch,
            args: args.to_vec(),
            kwargs: kwargs.to_vec(),
        };
        // SQLAlchemy Core's methods: the `update().where().values()` chain kept for the
        // builder, a column's `.is_(None)` (`ops::dml`)
        if let Callee::Method { receiver, name } = callee {
            if let Some(v) = crate::ops::dml::method(receiver, name, args) {
                return v;
            }
        }
        match callee {
            // the project's own column type: its `impl`, as SQLAlchemy compiles it
            Callee::Imported(q) => imported_call(
                self.types,
                q,
                args,
                kwargs,
                &mut self.project_names.borrow_mut(),
            ),
            // `op._proxy.migration_context`: the Operations object's context, as
            // `op.get_context()` returns it
            Callee::Value("alembic.op._proxy.migration_context") => Some(Val::Host(self.context)),
            Callee::Value(q) if q.starts_with("alembic.") => None,
            Callee::Value(q) => project_value(self.types, q).or_else(|| {
                self.project_names.borrow_mut().insert(q.to_string());
                None
            }),
            // the connection and context of offline mode
            Callee::Name("alembic.op.get_bind" | "alembic.context.get_bind") => {
                Some(Val::Host(self.bind))
            }
            Callee::Name("alembic.op.get_context" | "alembic.context.get_context") => {
                Some(Val::Host(self.context))
            }
            // offline, the mock connection and the context have the URL's dialect
            Callee::Attribute { object, name } => {
                match (self.hosts.get(object.0 as usize)?, name) {
                    (Host::Bind | Host::Context, "dialect") => Some(Val::Host(self.dialect_host)),
                    // offline the bind is SQLAlchemy's mock connection: its `engine` is
                    // itself, its `name` the dialect's
                    (Host::Bind, "engine") => Some(Val::Host(self.bind)),
                    // the context's `bind` and `connection` are that mock connection
                    (Host::Context, "bind" | "connection") => Some(Val::Host(self.bind)),
                    (Host::Dialect, "supports_sequences") => {
                        self.reads_dialect.set(true);
                        Some(match self.dialect {
                            Some(d) => Val::Bool(d.supports_sequences()),
                            None => Val::Opaque(DIALECT_NAME.into()),
                        })
                    }
                    (Host::Dialect | Host::Bind, "name") => {
                        self.reads_dialect.set(true);
                        Some(match self.dialect {
                            Some(d) => Val::Str(d.name().into()),
                            None => Val::Opaque(DIALECT_NAME.into()),
                        })
                    }
                    _ => None,
                }
            }
            // the planner models offline (`--sql`) runs
            Callee::Name("alembic.context.is_offline_mode") => Some(Val::Bool(true)),
            // offline, what `print` writes to standard output is in the script
            Callee::Name("builtins.print") => Some(match printed(args, kwargs) {
                Ok(text) => {
                    pending.push(Pending::Print { text });
                    Val::None
                }
                Err(reason) => Val::Opaque(reason),
            }),
            Callee::Name("sqlalchemy.inspect") => Some(Val::Opaque(format!(
                "sa.inspect() reads the {LIVE_DATABASE} schema; unknown offline"
            ))),
            Callee::Name(q) if q.starts_with("sqlalchemy.orm.") => Some(Val::Opaque(format!(
                "an ORM `{}` needs the application's models and a {LIVE_DATABASE}",
                short_name(q)
            ))),
            Callee::Name(q) => match q.strip_prefix("alembic.op.") {
                // calls whose value is kept structured (`op.f` names, the batch block)
                Some("f" | "inline_literal" | "batch_alter_table") => None,
                Some(name) => {
                    pending.push(op(name, None));
                    // `op.create_table` returns the new `Table`, which migrations pass to
                    // `op.bulk_insert` to seed it
                    if name == "create_table" {
                        return Some(Val::Call {
                            func: "sqlalchemy.Table".into(),
                            args: args.to_vec(),
                            kwargs: kwargs.to_vec(),
                        });
                    }
                    Some(Val::None)
                }
                None => None,
            },
            Callee::Host { object, method } => {
                match (self.hosts.get(object.0 as usize)?, method) {
                    (Host::Helper(def), None) => {
                        // a helper that only computes a value (`def _column(): return
                        // sa.Column(...)`) is that value; one that runs operations is
                        // inlined where it is called
                        if let Some(v) = self.pure_return(def, args, kwargs) {
                            return Some(v);
                        }
                        pending.push(Pending::Helper {
                            def,
                            args: args.to_vec(),
                            kwargs: kwargs.to_vec(),
                        });
                        Some(Val::Opaque(format!(
                            "the return value of helper `{}`",
                            def.name
                        )))
                    }
                    (Host::Context, Some("autocommit_block")) => Some(Val::Host(self.autocommit)),
                    // offline, the connection is SQLAlchemy's mock one, which has no
                    // `exec_driver_sql`: Alembic stops there
                    (Host::Bind, Some("exec_driver_sql")) => Some(Val::Opaque(
                        "Alembic fails here offline: AttributeError: 'MockConnection' object has no attribute 'exec_driver_sql'".into(),
                    )),
                    (Host::Bind, Some("execute")) => {
                        // offline, Alembic's mock connection emits the statement as
                        // op.execute would; the parameters given with it are not used (a
                        // `text()`'s binds print as NULL), unless they are what Python
                        // would fail on
                        let unused_ok = args.iter().skip(1).chain(kwargs.iter().map(|(_, v)| v)).all(|v| {
                            v.opaque_reason()
                                .is_none_or(|r| crate::python::imported_name(&r).is_some())
                        });
                        let (args, kwargs) = if unused_ok {
                            (args.iter().take(1).cloned().collect(), Vec::new())
                        } else {
                            (args.to_vec(), kwargs.to_vec())
                        };
                        pending.push(Pending::Op {
                            name: "execute".into(),
                            batch: None,
                            args,
                            kwargs,
                        });
                        Some(Val::Opaque(STATEMENT_RESULT.into()))
                    }
                    (Host::Bind, Some(m)) => Some(Val::Opaque(format!(
                        "`op.get_bind().{m}` needs a {LIVE_DATABASE}"
                    ))),
                    (Host::Context | Host::AutocommitBlock, Some(m)) => Some(Val::Opaque(format!(
                        "`op.get_context().{m}` needs a {LIVE_DATABASE}"
                    ))),
                    // a batch block's own connection and context are the migration's
                    (Host::Batch(_), Some("get_bind")) => Some(Val::Host(self.bind)),
                    (Host::Batch(_), Some("get_context")) => Some(Val::Host(self.context)),
                    (Host::Batch(_), Some("f")) => Some(Val::Call {
                        func: "alembic.op.f".into(),
                        args: args.to_vec(),
                        kwargs: kwargs.to_vec(),
                    }),
                    (Host::Batch(b), Some(m)) => {
                        pending.push(op(m, Some(b.clone())));
                        Some(Val::None)
                    }
                    (_, _) => Some(Val::Opaque(
                        "a call of an object that exists only when the migration runs".into(),
                    )),
                }
            }
            // an oslo_db type's `.impl`; SQLAlchemy Core's `t.c.x` (`ops::dml`)
            Callee::Property {
                receiver,
                name: "impl",
            } => super::third_party::instance_impl(receiver),
            Callee::Property { receiver, name } => metadata_property(receiver, name)
                .or_else(|| crate::ops::dml::property(receiver, name)),
            // `sa.false().compile(op.get_bind())`: the dialect's spelling of the literal
            Callee::Method {
                receiver:
                    Val::Call {
                        func,
                        args: a,
                        kwargs: k,
                    },
                name: "compile",
            } if a.is_empty()
                && k.is_empty()
                && func.starts_with("sqlalchemy.")
                && matches!(func.rsplit('.').next(), Some("true" | "false"))
                && match (args, kwargs) {
                    ([Val::Host(h)], []) => *h == self.bind,
                    ([], [(k, Val::Host(h))]) => k == "bind" && *h == self.bind,
                    _ => false,
                } =>
            {
                self.reads_dialect.set(true);
                let value = func.ends_with(".true");
                Some(match self.dialect {
                    // native booleans are written as words, the others as 1 and 0
                    Some(Dialect::Postgresql | Dialect::Mysql) => Val::Str(value.to_string()),
                    Some(Dialect::Sqlite | Dialect::Mssql) => Val::Str(u8::from(value).to_string()),
                    None => Val::Opaque(DIALECT_NAME.into()),
                })
            }
            // `Integer().with_variant(BIGINT(), "mysql")` and other type modifiers keep the type
            Callee::Method {
                receiver: Val::Call { .. } | Val::Method { .. },
                name: "with_variant" | "evaluates_none",
            } => None,
            // `some_enum.create(bind)` / `.drop(bind)`
            Callee::Method {
                receiver: enum_type @ Val::Call { func, .. },
                name: which @ ("create" | "drop"),
            } if func.ends_with("Enum") || func.ends_with("ENUM") => {
                pending.push(Pending::Enum {
                    create: which == "create",
                    enum_type: enum_type.clone(),
                });
                Some(Val::None)
            }
            Callee::Method {
                name: which @ ("create" | "drop"),
                ..
            } => Some(Val::Opaque(format!(
                "`.{which}()` on a value the planner does not know"
            ))),
            Callee::Method { name, .. } => Some(Val::Opaque(format!(
                "a `.{name}()` call on a value the planner does not model"
            ))),
        }
    }

    fn call_helper(
        &mut self,
        line: u32,
        f: &'a ast::StmtFunctionDef,
        args: Vec<Val>,
        kwargs: Vec<(String, Val)>,
        env: &Env,
    ) {
        let name = f.name.as_str();
        if self.depth >= MAX_HELPER_DEPTH {
            self.opaque(line, format!("helper `{name}` calls nest too deeply"));
            return;
        }
        let mut local = env.clone();
        // (defaults are evaluated in the module's names: a copy only when one is needed)
        let has_defaults = f
            .parameters
            .iter_non_variadic_params()
            .any(|p| p.default.is_some());
        let module_env = if has_defaults {
            self.module_env.clone()
        } else {
            Env::default()
        };
        let bound = bind_params(f, &args, &kwargs, &mut |d| self.eval(d, &module_env));
        for (pname, v) in bound {
            let v = v.unwrap_or_else(|| {
                Val::Opaque(format!("parameter `{pname}` of `{name}` is not given"))
            });
            local.vars.insert(pname, v);
        }
        self.depth += 1;
        self.block(&f.body, &mut local);
        self.depth -= 1;
    }

    /// What a helper returns, when its body only binds names, branches on what is known
    /// and returns (no operation, no call the planner gives a side effect): `None`
    /// otherwise, or past the bounds ([`MAX_PURE_CALLS`], [`MAX_HELPER_DEPTH`]).
    fn pure_return(
        &self,
        f: &'a ast::StmtFunctionDef,
        args: &[Val],
        kwargs: &[(String, Val)],
    ) -> Option<Val> {
        if self.pure_calls.get() >= MAX_PURE_CALLS || self.pure_depth.get() >= MAX_HELPER_DEPTH {
            return None;
        }
        self.pure_calls.set(self.pure_calls.get() + 1);
        self.pure_depth.set(self.pure_depth.get() + 1);
        let mut budget = Budget::limited(PURE_STEPS, PURE_BYTES);
        let mut side_effects = false;
        let mut eval = |e: &Expr, env: &Env, budget: &mut Budget| {
            let mut pending = Vec::new();
            let v = python::eval(
                e,
                env,
                &mut |callee, a, k| self.on_call(callee, a, k, &mut pending),
                budget,
            );
            side_effects |= !pending.is_empty();
            v
        };
        let mut local = self.module_env.clone();
        let mut ok = true;
        let module_env = &self.module_env;
        for (pname, v) in bind_params(f, args, kwargs, &mut |d| eval(d, module_env, &mut budget)) {
            match v {
                Some(v) => {
                    local.vars.insert(pname, v);
                }
                None => ok = false,
            }
        }
        let out = if ok {
            pure_block(&f.body, &mut local, &mut eval, &mut budget, 0).flatten()
        } else {
            None
        };
        self.pure_depth.set(self.pure_depth.get() - 1);
        out.filter(|_| !side_effects && budget.exhausted.is_none())
    }

    fn push_step(&mut self, line: u32, op: Operation, conv_names: Vec<String>) {
        self.operations += 1;
        self.steps.push(LocatedStep {
            line,
            step: Step::Op(Box::new(op)),
            batch: None,
            conv_names,
        });
    }

    /// Turns an `op.*` / `batch_op.*` call into a step; a `batch_op.*` one waits for the
    /// end of its block.
    fn record(
        &mut self,
        line: u32,
        name: &str,
        batch: Option<BatchBlock>,
        args: &[Val],
        kwargs: &[(String, Val)],
    ) {
        let before = self.steps.len();
        self.record_step(line, name, batch.as_ref(), args, kwargs);
        if let Some(b) = batch {
            if let Some((_, pending)) = self
                .batches
                .iter_mut()
                .rev()
                .find(|(o, _)| o.line == b.line)
            {
                pending.extend(self.steps.drain(before..));
            }
        }
    }

    fn record_step(
        &mut self,
        line: u32,
        name: &str,
        batch: Option<&BatchBlock>,
        args: &[Val],
        kwargs: &[(String, Val)],
    ) {
        // (written only when a step says why it is opaque)
        let shown = || {
            if batch.is_some() {
                format!("batch_op.{name}")
            } else {
                format!("op.{name}")
            }
        };
        // the project's own column types named without a call (`sa.Column("at", UtcDateTime)`)
        // (with none known, the arguments as they are: no copy)
        let mapped: (Vec<Val>, Vec<(String, Val)>);
        let (args, kwargs) = if self.types.types.is_empty() && self.types.opaque_types.is_empty() {
            (args, kwargs)
        } else {
            mapped = (
                args.iter()
                    .map(|v| bare_project_types(v, self.types))
                    .collect(),
                kwargs
                    .iter()
                    .map(|(k, v)| (k.clone(), bare_project_types(v, self.types)))
                    .collect(),
            );
            (&mapped.0[..], &mapped.1[..])
        };
        let mut unknown: Option<String> = None;
        for v in args.iter().chain(kwargs.iter().map(|(_, v)| v)) {
            if let Some(r) = ddl_opaque_reason(v) {
                unknown = Some(r);
                break;
            }
        }
        // a column of an application-defined type still makes a column: the operation is
        // kept (its type unknown) and the unknown part is an opaque step of its own
        let partial = matches!(name, "create_table" | "add_column");
        if let Some(r) = &unknown {
            if !partial {
                self.opaque(
                    line,
                    format!("`{}` has an argument the planner cannot know: {r}", shown()),
                );
                return;
            }
        }
        match op_from_call(name, batch.map(|b| b.table.as_str()), args, kwargs) {
            Ok(Some(op)) => {
                let what = unmodelled_in_call(name, batch.is_some(), args, kwargs);
                if !what.is_empty() {
                    self.steps.push(LocatedStep {
                        line,
                        step: Step::NotModelled { what },
                        batch: None,
                        conv_names: Vec::new(),
                    });
                }
                let mut conv = Vec::new();
                args.iter()
                    .chain(kwargs.iter().map(|(_, v)| v))
                    .for_each(|v| v.conv_names(&mut conv));
                self.push_step(line, op, conv);
                if let Some(r) = unknown {
                    self.opaque(
                        line,
                        format!(
                            "`{}` has an argument the planner cannot know: {r}; the rest of the operation is applied",
                            shown()
                        ),
                    );
                }
            }
            Ok(None) => {}
            Err(reason) => self.opaque(line, reason),
        }
    }

    /// `sa.Enum(..., name=...).create(bind)` / `.drop(bind)`.
    fn record_enum(&mut self, line: u32, create: bool, enum_type: &Val) {
        if let Some(r) = enum_type.opaque_reason() {
            self.opaque(
                line,
                format!(
                    "`Enum.{}` has an argument the planner cannot know: {r}",
                    if create { "create" } else { "drop" }
                ),
            );
            return;
        }
        let Val::Call { args, kwargs, .. } = enum_type else {
            return;
        };
        let name = kwargs
            .iter()
            .find(|(k, _)| k == "name")
            .and_then(|(_, v)| v.name())
            .unwrap_or_default();
        let op = if create {
            Operation::CreateEnum {
                name,
                values: args.iter().filter_map(|a| a.name()).collect(),
            }
        } else {
            Operation::DropEnum { name }
        };
        self.push_step(line, op, Vec::new());
    }
}

/// Binds an `import` inside a function.
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
            let module = format!("{}{module}", ".".repeat(i.level as usize));
            for a in &i.names {
                let bound = a.asname.as_ref().unwrap_or(&a.name).to_string();
                env.import(&bound, &format!("{module}.{}", a.name));
            }
        }
        _ => {}
    }
}

/// Whether a statement holds a block of statements (each run, and checked, on its own).
fn is_compound(stmt: &Stmt) -> bool {
    matches!(
        stmt,
        Stmt::If(_)
            | Stmt::For(_)
            | Stmt::While(_)
            | Stmt::With(_)
            | Stmt::Try(_)
            | Stmt::FunctionDef(_)
            | Stmt::ClassDef(_)
            | Stmt::Match(_)
    )
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

/// A helper's parameters bound to a call's arguments as Python binds them: positional
/// ones in order, then by keyword (keyword-only ones too), then defaults (evaluated by
/// `default`); `*args` gets the extra positional arguments, `**kwargs` the extra keywords.
/// `None` for a parameter given no value.
fn bind_params(
    f: &ast::StmtFunctionDef,
    args: &[Val],
    kwargs: &[(String, Val)],
    default: &mut dyn FnMut(&Expr) -> Val,
) -> Vec<(String, Option<Val>)> {
    let params = &f.parameters;
    let positional: Vec<_> = params
        .posonlyargs
        .iter()
        .chain(params.args.iter())
        .collect();
    let mut out = Vec::new();
    let mut named = std::collections::BTreeSet::new();
    for (k, p) in positional
        .iter()
        .copied()
        .chain(params.kwonlyargs.iter())
        .enumerate()
    {
        let pname = p.parameter.name.as_str();
        let given = (k < positional.len())
            .then(|| args.get(k))
            .flatten()
            .or_else(|| kwargs.iter().find(|(n, _)| n == pname).map(|(_, v)| v));
        named.insert(pname);
        let v = match (given, &p.default) {
            (Some(v), _) => Some(v.clone()),
            (None, Some(d)) => Some(default(d)),
            (None, None) => None,
        };
        out.push((pname.to_string(), v));
    }
    if let Some(rest) = &params.vararg {
        let extra = args.iter().skip(positional.len()).cloned().collect();
        out.push((rest.name.to_string(), Some(Val::List(extra))));
    }
    if let Some(rest) = &params.kwarg {
        let extra = kwargs
            .iter()
            .filter(|(n, _)| !named.contains(n.as_str()))
            .map(|(n, v)| (Val::Str(n.clone()), v.clone()))
            .collect();
        out.push((rest.name.to_string(), Some(Val::Dict(extra))));
    }
    out
}

/// Runs a block of a helper evaluated for its value: `Some(Some(v))` when it returns `v`,
/// `Some(None)` when it falls through, `None` when it does anything but bind names,
/// branch on known values and return.
fn pure_block(
    body: &[Stmt],
    env: &mut Env,
    eval: &mut dyn FnMut(&Expr, &Env, &mut Budget) -> Val,
    budget: &mut Budget,
    depth: usize,
) -> Option<Option<Val>> {
    if depth > MAX_STATEMENT_DEPTH {
        return None;
    }
    for st in body {
        budget.step().ok()?;
        match st {
            Stmt::Expr(e) if e.value.is_string_literal_expr() => {}
            Stmt::Pass(_) => {}
            Stmt::Return(r) => {
                return Some(Some(match &r.value {
                    Some(v) => eval(v, env, budget),
                    None => Val::None,
                }));
            }
            Stmt::Assign(a) => {
                let [Expr::Name(n)] = &*a.targets else {
                    return None;
                };
                let v = eval(&a.value, env, budget);
                env.vars.insert(n.id.to_string(), v);
            }
            Stmt::AnnAssign(a) => {
                let (Expr::Name(n), Some(value)) = (&*a.target, &a.value) else {
                    return None;
                };
                let v = eval(value, env, budget);
                env.vars.insert(n.id.to_string(), v);
            }
            Stmt::If(i) => {
                let mut branch = None;
                match python::truth(&eval(&i.test, env, budget))? {
                    true => branch = Some(&i.body),
                    false => {
                        for clause in &i.elif_else_clauses {
                            let taken = match &clause.test {
                                None => true,
                                Some(t) => python::truth(&eval(t, env, budget))?,
                            };
                            if taken {
                                branch = Some(&clause.body);
                                break;
                            }
                        }
                    }
                }
                if let Some(b) = branch {
                    if let Some(ret) = pure_block(b, env, eval, budget, depth + 1)? {
                        return Some(Some(ret));
                    }
                }
            }
            _ => return None,
        }
    }
    Some(None)
}
