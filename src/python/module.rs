//! The module level of a file, bound as importing it would bind names: imports,
//! assignments (also inside module-level `if`/`try` blocks, where which branch runs is not
//! known: those bindings are marked conditional, the last one written wins), and function
//! definitions, which become host objects ([`Val::Host`]) numbered in file order.
//!
//! One binder serves every reader of a file: the revision identifiers (`script` layer) and
//! the interpreter of `upgrade()`/`downgrade()` (`ops` layer).

use std::collections::HashMap;

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use super::budget::Budget;
use super::eval::{assign, eval, CallHook, Env};
use super::value::{HostRef, Val};
use crate::base::LineIndex;

/// Where a module-level name was last bound.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    /// The 1-based line of the statement that bound it.
    pub line: u32,
    /// Bound inside an `if` or `try` block.
    pub conditional: bool,
    /// The qualified name it was imported as (`myapp.cli.EXPAND_BRANCH`), for an import.
    pub imported: Option<String>,
}

/// A file's module level, bound.
pub struct ModuleScope<'a> {
    /// Every name bound, with its value.
    pub env: Env,
    /// Where each name was bound.
    pub bindings: HashMap<String, Binding>,
    /// The functions defined at module level, in file order: `Val::Host(HostRef(k))` is
    /// `functions[k]`.
    pub functions: Vec<&'a ast::StmtFunctionDef>,
    /// The assignment expression each name was last bound from (not for imports or
    /// unpacked names), for readers that explain a value they cannot know.
    pub sources: HashMap<String, &'a Expr>,
    /// Where binding reached one of the evaluation bounds first, and which.
    pub limit: Option<(u32, String)>,
}

impl<'a> ModuleScope<'a> {
    /// The function a host object of this scope stands for.
    pub fn function(&self, h: HostRef) -> Option<&'a ast::StmtFunctionDef> {
        self.functions.get(h.0 as usize).copied()
    }

    /// The module-level function of that name (the last one defined, as Python binds it).
    pub fn function_named(&self, name: &str) -> Option<&'a ast::StmtFunctionDef> {
        self.functions
            .iter()
            .rev()
            .copied()
            .find(|f| f.name.as_str() == name)
    }
}

/// Binds a module's top-level statements. `hook` gives calls at module level their
/// meaning (the caller's; calls of the file's own functions reach it as hosts); `budget` is
/// the file's.
pub fn bind_module<'a>(
    body: &'a [Stmt],
    lines: &LineIndex,
    hook: &mut CallHook,
    budget: &mut Budget,
) -> ModuleScope<'a> {
    let mut scope = ModuleScope {
        env: Env::default(),
        bindings: HashMap::new(),
        functions: Vec::new(),
        sources: HashMap::new(),
        limit: None,
    };
    block(&mut scope, body, lines, false, hook, budget, 0);
    scope
}

fn block<'a>(
    scope: &mut ModuleScope<'a>,
    body: &'a [Stmt],
    lines: &LineIndex,
    conditional: bool,
    hook: &mut CallHook,
    budget: &mut Budget,
    depth: usize,
) {
    for stmt in body {
        let line = lines.line(stmt.range().start().to_u32());
        if budget.spent() || depth > crate::base::limits::MAX_STATEMENT_DEPTH {
            let reason = budget.exhausted.clone().unwrap_or_else(|| {
                format!(
                    "statements nested more than {} levels deep, which the planner does not follow",
                    crate::base::limits::MAX_STATEMENT_DEPTH
                )
            });
            scope.limit.get_or_insert((line, reason));
            return;
        }
        let _ = budget.step();
        let bound = |scope: &mut ModuleScope<'a>, name: &str, imported: Option<String>| {
            scope.bindings.insert(
                name.to_string(),
                Binding {
                    line,
                    conditional,
                    imported,
                },
            );
        };
        match stmt {
            Stmt::Assign(a) => {
                let v = eval(&a.value, &scope.env, hook, budget);
                for t in &a.targets {
                    assign(t, v.clone(), &mut scope.env, budget);
                    for name in target_names(t) {
                        bound(scope, name, None);
                        scope.sources.remove(name);
                        if let Expr::Name(_) = t {
                            scope.sources.insert(name.to_string(), &a.value);
                        }
                    }
                }
            }
            Stmt::AnnAssign(a) => {
                if let Some(value) = &a.value {
                    let v = eval(value, &scope.env, hook, budget);
                    assign(&a.target, v, &mut scope.env, budget);
                    for name in target_names(&a.target) {
                        bound(scope, name, None);
                        scope.sources.insert(name.to_string(), value);
                    }
                }
            }
            Stmt::Import(i) => {
                for a in &i.names {
                    let full = a.name.to_string();
                    let (name, qualified) = match &a.asname {
                        Some(b) => (b.to_string(), full.clone()),
                        None => {
                            let root = full.split('.').next().unwrap_or(&full).to_string();
                            (root.clone(), root)
                        }
                    };
                    scope.env.import(&name, &qualified);
                    scope.sources.remove(&name);
                    bound(scope, &name, Some(full));
                }
            }
            Stmt::ImportFrom(i) => {
                for (name, qualified) in import_from_names(i) {
                    scope.env.import(&name, &qualified);
                    scope.sources.remove(&name);
                    bound(scope, &name, Some(qualified));
                }
            }
            Stmt::FunctionDef(f) => {
                let h = HostRef(scope.functions.len() as u32);
                scope.functions.push(f);
                scope.env.vars.insert(f.name.to_string(), Val::Host(h));
                scope.sources.remove(f.name.as_str());
                bound(scope, f.name.as_str(), None);
            }
            Stmt::ClassDef(c) => {
                scope.env.vars.insert(
                    c.name.to_string(),
                    Val::Opaque(format!("`{}` is a class defined in the file", c.name)),
                );
                scope.sources.remove(c.name.as_str());
                bound(scope, c.name.as_str(), None);
            }
            Stmt::If(s) => {
                block(scope, &s.body, lines, true, hook, budget, depth + 1);
                for clause in &s.elif_else_clauses {
                    block(scope, &clause.body, lines, true, hook, budget, depth + 1);
                }
            }
            Stmt::Try(t) => {
                block(scope, &t.body, lines, true, hook, budget, depth + 1);
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    block(scope, &h.body, lines, true, hook, budget, depth + 1);
                }
                block(scope, &t.orelse, lines, true, hook, budget, depth + 1);
                block(scope, &t.finalbody, lines, true, hook, budget, depth + 1);
            }
            _ => {}
        }
        if let Some(r) = &budget.exhausted {
            scope.limit.get_or_insert((line, r.clone()));
        }
    }
}

/// The names `from M import a as b, c` binds, each with the qualified name it imports
/// (`M.a`; a relative import keeps its dots: `.base.ID_LEN`).
pub fn import_from_names(i: &ast::StmtImportFrom) -> Vec<(String, String)> {
    let module = i.module.as_ref().map(|m| m.to_string()).unwrap_or_default();
    let module = format!("{}{module}", ".".repeat(i.level as usize));
    i.names
        .iter()
        .map(|a| {
            let name = a.asname.as_ref().unwrap_or(&a.name).to_string();
            (name, format!("{module}.{}", a.name))
        })
        .collect()
}

/// A module-level function's `@compiles(<construct>, "dialect"...)` decorator
/// (SQLAlchemy's compiler extension): registered when the module is imported.
pub struct CompilesDecorator<'a> {
    /// The construct as written.
    pub target: &'a Expr,
    /// The dialects named; empty: every dialect.
    pub dialects: Vec<String>,
    /// The decorator's 1-based line.
    pub line: u32,
}

/// The `@compiles(...)` decorators of a module's top-level functions, in file order.
pub fn compiles_decorators<'a>(body: &'a [Stmt], lines: &LineIndex) -> Vec<CompilesDecorator<'a>> {
    let mut out = Vec::new();
    for st in body {
        let Stmt::FunctionDef(f) = st else {
            continue;
        };
        for d in &f.decorator_list {
            let Expr::Call(call) = &d.expression else {
                continue;
            };
            let is_compiles = match &*call.func {
                Expr::Name(n) => n.id.as_str() == "compiles",
                Expr::Attribute(a) => a.attr.as_str() == "compiles",
                _ => false,
            };
            let Some(target) = call.arguments.args.first().filter(|_| is_compiles) else {
                continue;
            };
            out.push(CompilesDecorator {
                target,
                dialects: call.arguments.args[1..]
                    .iter()
                    .filter_map(|a| match a {
                        Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
                        _ => None,
                    })
                    .collect(),
                line: lines.line(d.range().start().to_u32()),
            });
        }
    }
    out
}

/// The names an assignment target binds (a name, or nested tuples and lists of names).
pub fn target_names(t: &Expr) -> Vec<&str> {
    match t {
        Expr::Name(n) => vec![n.id.as_str()],
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
            elts.iter().flat_map(target_names).collect()
        }
        _ => Vec::new(),
    }
}
