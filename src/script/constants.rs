//! The project's own modules, read for their string constants, never run: what a revision
//! imports from them (`branch_labels = (migration.CONTRACT_BRANCH,)`) becomes known.

use crate::base::LineIndex;
use crate::input::{ProjectConstant, ProjectConstants, ProjectType};
use crate::python::{bind_module, eval, parse_module, Budget, Callee, Val};
use ruff_python_ast as ast;
use ruff_text_size::Ranged;

/// The module a file defines, from its path relative to the project's root:
/// `glance/db/migration.py` → `glance.db.migration`, `pkg/__init__.py` → `pkg`.
pub fn module_of(path: &str) -> Option<String> {
    let stem = path.strip_suffix(".py")?;
    let stem = stem.strip_suffix("/__init__").unwrap_or(stem);
    (!stem.is_empty()).then(|| stem.replace('/', "."))
}

/// The files that may define `qualified` (a name and the modules it could live in):
/// `a.b.c.NAME` → `a/b/c.py`, `a/b/c/__init__.py`, then `a/b.py`... (longest first).
pub fn candidate_files(qualified: &str) -> Vec<String> {
    let parts: Vec<&str> = qualified.split('.').collect();
    let mut out = Vec::new();
    for k in (1..parts.len()).rev() {
        let dir = parts[..k].join("/");
        out.push(format!("{dir}.py"));
        out.push(format!("{dir}/__init__.py"));
    }
    out
}

/// Adds the module-level string constants of `path` (`NAME = "value"`, also through other
/// constants of the same module) and its `TypeDecorator` column types (their `impl`, or
/// why not) to `into`, qualified by the module's name.
pub fn read_constants(path: &str, text: &str, into: &mut ProjectConstants) {
    let Some(module) = module_of(path) else {
        return;
    };
    let parsed = parse_module(text);
    let ast::Mod::Module(m) = parsed.parsed.syntax() else {
        return;
    };
    let lines = LineIndex::new(text);
    let mut budget = Budget::new();
    let scope = bind_module(
        &m.body,
        &lines,
        &mut |callee, _, _| match callee {
            Callee::Host { .. } => Some(Val::Opaque("a function of the module".into())),
            _ => None,
        },
        &mut budget,
    );
    for st in &m.body {
        let ast::Stmt::ClassDef(c) = st else {
            continue;
        };
        let (name, line) = (
            format!("{module}.{}", c.name),
            lines.line(c.range().start().to_u32()),
        );
        match type_decorator_impl(c, &scope.env, &mut budget) {
            Some(Ok(impl_type)) => {
                into.types.insert(
                    name,
                    ProjectType {
                        impl_type,
                        path: path.to_string(),
                        line,
                    },
                );
            }
            Some(Err(why)) => {
                into.opaque_types.insert(
                    name,
                    ProjectConstant {
                        value: why,
                        path: path.to_string(),
                        line,
                    },
                );
            }
            None => {}
        }
    }
    for (name, b) in &scope.bindings {
        if b.conditional || b.imported.is_some() {
            continue;
        }
        if let Some(Val::Str(value)) = scope.env.vars.get(name) {
            into.values.insert(
                format!("{module}.{name}"),
                ProjectConstant {
                    value: value.clone(),
                    path: path.to_string(),
                    line: b.line,
                },
            );
        }
    }
}

/// Of a class that subclasses SQLAlchemy's `TypeDecorator` directly: its `impl`, when it
/// leaves its SQL to it (no `__init__` or `load_dialect_impl` of its own, and an `impl`
/// that is a SQLAlchemy type class or instance adding nothing to the schema by itself, not
/// an `Enum` or `Boolean`, which can create a type or a constraint), or why not. `None`
/// for any other class.
fn type_decorator_impl(
    c: &ast::StmtClassDef,
    env: &crate::python::Env,
    budget: &mut Budget,
) -> Option<Result<Val, String>> {
    let mut no_calls = |_: Callee, _: &[Val], _: &[(String, Val)]| None;
    let bases = c.arguments.as_ref()?;
    let is_decorator = bases.args.iter().any(|b| {
        matches!(eval(b, env, &mut no_calls, budget),
            Val::Ref(q) if q.starts_with("sqlalchemy.") && q.ends_with(".TypeDecorator"))
    });
    if !is_decorator {
        return None;
    }
    let mut found = None;
    for st in &c.body {
        match st {
            ast::Stmt::FunctionDef(f)
                if matches!(f.name.as_str(), "__init__" | "load_dialect_impl") =>
            {
                return Some(Err(format!(
                    "its `{}` decides its SQL in code, which the planner does not run",
                    f.name
                )));
            }
            ast::Stmt::Assign(a)
                if a.targets.len() == 1
                    && matches!(&a.targets[0], ast::Expr::Name(n) if n.id.as_str() == "impl") =>
            {
                found = Some(eval(&a.value, env, &mut no_calls, budget));
            }
            _ => {}
        }
    }
    let Some(found) = found else {
        return Some(Err("it has no `impl` the planner can read".into()));
    };
    let class = match &found {
        Val::Ref(q) => q,
        Val::Call { func, .. } => func,
        _ => return Some(Err("its `impl` is not a type the planner can read".into())),
    };
    let last = class.rsplit('.').next().unwrap_or("");
    let plain = class.starts_with("sqlalchemy.")
        && !matches!(
            last.to_ascii_lowercase().as_str(),
            "enum" | "boolean" | "interval" | "pickletype" | "typedecorator" | "variant"
        );
    Some(if plain {
        Ok(found)
    } else {
        Err(format!(
            "its `impl`, `{}`, is not a SQLAlchemy type the planner takes as it is",
            crate::python::short_name(class)
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_are_read_by_qualified_name() {
        let mut c = ProjectConstants::default();
        read_constants(
            "app/db/migration.py",
            "import os\nEXPAND = 'expand'\nBOTH = EXPAND + '_contract'\nif os.environ:\n    X = 'x'\ndef f():\n    return 1\nN = f()\n",
            &mut c,
        );
        let got: Vec<(&str, &str, u32)> = c
            .values
            .iter()
            .map(|(k, v)| (k.as_str(), v.value.as_str(), v.line))
            .collect();
        assert_eq!(
            got,
            [
                ("app.db.migration.BOTH", "expand_contract", 3),
                ("app.db.migration.EXPAND", "expand", 2)
            ]
        );
        assert_eq!(module_of("pkg/__init__.py").as_deref(), Some("pkg"));
        assert_eq!(
            candidate_files("a.b.NAME"),
            ["a/b.py", "a/b/__init__.py", "a.py", "a/__init__.py"]
        );
    }
}
