//! What each migration does: `upgrade()` and `downgrade()` interpreted into typed
//! operations with source lines, without running them.
//!
//! Statements are walked in order with the partial evaluator (`python`): local and module
//! values, loops over known sequences, `if` on known values (offline mode is assumed, as
//! for `--sql`), helper functions of the same file, `with op.batch_alter_table(...)`.
//! A statement that cannot be known without running the application or a database becomes
//! an opaque step with its line and reason; the rest of the function is still interpreted.

use std::collections::HashMap;

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_python_parser::{parse_unchecked, Mode, ParseOptions, Parsed};
use ruff_text_size::Ranged;

use super::build::op_from_call;
use super::ir::*;
use crate::base::LineIndex;
use crate::python::{self, assign, short_name, Env, Val};

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
        let v = python::eval(e, env, &mut |func, args, kwargs, _node| {
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
