//! The project's own modules, read for their string constants, never run: what a revision
//! imports from them (`branch_labels = (migration.CONTRACT_BRANCH,)`) becomes known.

use crate::base::LineIndex;
use crate::input::{ProjectConstant, ProjectConstants};
use crate::python::{bind_module, parse_module, Budget, Callee, Val};
use ruff_python_ast as ast;

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
/// constants of the same module) to `into`, qualified by the module's name.
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
