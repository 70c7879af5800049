//! The project's own modules, read for their string constants, never run: what a revision
//! imports from them (`branch_labels = (migration.CONTRACT_BRANCH,)`) becomes known.

use crate::base::LineIndex;
use crate::input::{
    param_mark, ProjectConstant, ProjectConstants, ProjectHook, ProjectInt, ProjectObject,
    ProjectType, TypeInit,
};
use crate::python::{bind_module, eval, parse_module, Budget, Callee, Val};
use ruff_python_ast as ast;
use ruff_text_size::Ranged;
use std::collections::BTreeMap;

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

/// Where the project's own modules are: the first of `ancestors` (folders above the
/// versions folder, nearest first) under which the first part of a wanted name is a
/// package or a module (`glance/` for `glance.db.migration.CONTRACT_BRANCH`); `exists`
/// says whether a file is there. The CLI asks its file system, the browser the files of
/// the folder given to it.
pub fn project_root<'a>(
    ancestors: &'a [String],
    wanted: &[String],
    exists: &dyn Fn(&str) -> bool,
) -> Option<&'a str> {
    let tops: Vec<&str> = wanted.iter().filter_map(|q| q.split('.').next()).collect();
    ancestors
        .iter()
        .find(|d| {
            tops.iter().any(|t| {
                exists(&in_folder(d, &format!("{t}/__init__.py")))
                    || exists(&in_folder(d, &format!("{t}.py")))
            })
        })
        .map(String::as_str)
}

/// The constants and column types of the modules under `root` that may define `wanted`:
/// only the files Python would import for those names, each read once (`read` gives a
/// file's text, `None` when it is not there or too large).
pub fn project_constants(
    root: &str,
    wanted: &[String],
    read: &dyn Fn(&str) -> Option<String>,
) -> ProjectConstants {
    let mut out = ProjectConstants::default();
    let mut seen = std::collections::HashSet::new();
    let mut frontier: Vec<String> = wanted.to_vec();
    // a name re-exported from another module (`from .base import ID_LEN` in a package's
    // `__init__`) sends the next round to that module's files
    for _ in 0..=crate::base::limits::MAX_ALIAS_HOPS {
        for q in &frontier {
            for rel in candidate_files(q) {
                if !seen.insert(rel.clone()) {
                    continue;
                }
                if let Some(text) = read(&in_folder(root, &rel)) {
                    read_constants(&rel, &text, &mut out);
                }
            }
        }
        frontier = frontier
            .iter()
            .filter_map(|q| out.aliases.get(q).cloned())
            .collect();
        if frontier.is_empty() {
            break;
        }
    }
    out
}

/// The module's `@compiles(<construct>, "dialect"...)` functions. The construct is
/// SQLAlchemy's when the planner can tell (`sa.DateTime`, or `db.DateTime` of a
/// Flask-SQLAlchemy `db = SQLAlchemy()`, which re-exports SQLAlchemy's names, taken as
/// SQLAlchemy's class of that name, so that what it may change is marked).
fn compiler_hooks(
    body: &[ast::Stmt],
    env: &crate::python::Env,
    path: &str,
    lines: &LineIndex,
    budget: &mut Budget,
    into: &mut Vec<ProjectHook>,
) {
    for d in crate::python::compiles_decorators(body, lines) {
        // (a hook on the project's own construct, `@compiles(random_uuid, "mysql")` of
        // a `FunctionElement` class, is left out: the planner does not render that
        // construct anyway, and says so where it is used)
        let construct = match eval(d.target, env, &mut |_, _, _| None, budget) {
            Val::Ref(q) if q.starts_with("sqlalchemy.") => q,
            _ => match d.target {
                ast::Expr::Attribute(a) if a.attr.starts_with(|c: char| c.is_ascii_uppercase()) => {
                    format!("sqlalchemy.{}", a.attr)
                }
                _ => continue,
            },
        };
        into.push(ProjectHook {
            construct,
            dialects: d.dialects,
            path: path.to_string(),
            line: d.line,
        });
    }
}

/// An import's qualified name made absolute: `.base.ID_LEN` imported by the module
/// `airflow.models` (a package's `__init__` when `package`) is `airflow.models.base.ID_LEN`.
fn absolute(module: &str, package: bool, q: &str) -> Option<String> {
    let level = q.len() - q.trim_start_matches('.').len();
    if level == 0 {
        return Some(q.to_string());
    }
    let mut parts: Vec<&str> = module.split('.').collect();
    let up = if package { level - 1 } else { level };
    if up >= parts.len() {
        return None;
    }
    parts.truncate(parts.len() - up);
    Some(format!("{}.{}", parts.join("."), &q[level..]))
}

/// The names a module imports inside `if TYPE_CHECKING:` blocks (the names the type checker
/// sees; a package exporting them lazily through `__getattr__` gives the same objects), with
/// what they import.
fn type_checking_imports(body: &[ast::Stmt]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for st in body {
        let ast::Stmt::If(s) = st else { continue };
        let named = match &*s.test {
            ast::Expr::Name(n) => n.id.as_str() == "TYPE_CHECKING",
            ast::Expr::Attribute(a) => a.attr.as_str() == "TYPE_CHECKING",
            _ => false,
        };
        if !named {
            continue;
        }
        for inner in &s.body {
            if let ast::Stmt::ImportFrom(i) = inner {
                out.extend(crate::python::import_from_names(i));
            }
        }
    }
    out
}

/// `rel` inside `dir` (`""` is the top).
fn in_folder(dir: &str, rel: &str) -> String {
    if dir.is_empty() {
        rel.to_string()
    } else {
        format!("{dir}/{rel}")
    }
}

/// The project's own modules among files given beside the versions folder (a project
/// folder picked or dropped in the browser, an archive): [`project_root`] above
/// `versions_dir` and [`project_constants`] under it, over the files in memory.
pub fn constants_from_files(
    files: &[crate::input::InputFile],
    versions_dir: &str,
    wanted: &[String],
) -> ProjectConstants {
    let by_path: std::collections::HashMap<&str, &crate::input::InputFile> =
        files.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut ancestors = Vec::new();
    let mut dir = versions_dir;
    while let Some((parent, _)) = dir.rsplit_once('/') {
        ancestors.push(parent.to_string());
        dir = parent;
    }
    if !versions_dir.is_empty() {
        ancestors.push(String::new());
    }
    let Some(root) = project_root(&ancestors, wanted, &|p| by_path.contains_key(p)) else {
        return ProjectConstants::default();
    };
    project_constants(root, wanted, &|p| {
        by_path
            .get(p)
            .filter(|f| f.bytes.len() <= crate::input::MAX_FILE_BYTES)
            .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
    })
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
    read_module(&module, path, &m.body, &LineIndex::new(text), into);
}

/// [`read_constants`] of a module already parsed, named `module` (a revision file reads its
/// own `TypeDecorator` classes this way: `ops::interp`).
pub fn read_module(
    module: &str,
    path: &str,
    body: &[ast::Stmt],
    lines: &LineIndex,
    into: &mut ProjectConstants,
) {
    let module = module.to_string();
    let mut budget = Budget::new();
    let scope = bind_module(
        body,
        lines,
        &mut |callee, _, _| match callee {
            Callee::Host { .. } => Some(Val::Opaque("a function of the module".into())),
            _ => None,
        },
        &mut budget,
    );
    let mut classes = BTreeMap::new();
    // functions that only return a type (`def MediumText(): return sa.Text()...`)
    let mut factories: BTreeMap<String, Val> = BTreeMap::new();
    for st in body {
        if let ast::Stmt::FunctionDef(f) = st {
            let hook = factory_hook(&scope.functions, &factories);
            if let Some((t, params)) = type_factory(f, &module, &scope.env, into, hook, &mut budget)
            {
                if params.is_empty() {
                    factories.insert(f.name.to_string(), t.clone());
                }
                into.types.insert(
                    format!("{module}.{}", f.name),
                    ProjectType {
                        impl_type: t,
                        variants: Vec::new(),
                        rest: None,
                        params,
                        init: TypeInit::Impl,
                        path: path.to_string(),
                        line: lines.line(f.range().start().to_u32()),
                    },
                );
            }
            continue;
        }
        let ast::Stmt::ClassDef(c) = st else {
            continue;
        };
        class_strings(&module, c, &scope.env, path, lines, &mut budget, into);
        let (name, line) = (
            format!("{module}.{}", c.name),
            lines.line(c.range().start().to_u32()),
        );
        let hook = factory_hook(&scope.functions, &factories);
        let Some(read) = type_decorator(c, &scope.env, &classes, hook, &mut budget) else {
            continue;
        };
        match &read {
            Ok(d) => {
                let (variants, rest) = d.dialect_impl.clone().unwrap_or_default();
                into.types.insert(
                    name,
                    ProjectType {
                        impl_type: d.impl_type.clone().unwrap_or(Val::None),
                        variants,
                        rest,
                        params: Vec::new(),
                        init: d.init.clone(),
                        path: path.to_string(),
                        line,
                    },
                );
            }
            Err(why) => {
                into.opaque_types.insert(
                    name,
                    ProjectConstant {
                        value: why.clone(),
                        path: path.to_string(),
                        line,
                    },
                );
            }
        }
        classes.insert(c.name.to_string(), read);
    }
    compiler_hooks(
        body,
        &scope.env,
        path,
        lines,
        &mut budget,
        &mut into.compiler_hooks,
    );
    let package = path.ends_with("__init__.py");
    let mut alias = |name: &str, q: &str| {
        let own = format!("{module}.{name}");
        // SQLAlchemy's and Alembic's names are the evaluator's, not the project's
        if q.starts_with("sqlalchemy.") || q.starts_with("alembic.") {
            return;
        }
        if let Some(target) = absolute(&module, package, q).filter(|t| *t != own) {
            into.aliases.insert(own, target);
        }
    };
    for (name, q) in type_checking_imports(body) {
        alias(&name, &q);
    }
    for (name, b) in &scope.bindings {
        if b.conditional {
            continue;
        }
        if let Some(q) = b.imported.as_deref().filter(|q| q.contains('.')) {
            alias(name, q);
        }
        // a SQLAlchemy class the module imports (`from sqlalchemy import String`): the
        // project's modules re-export them, and a revision importing `String` from there
        // means SQLAlchemy's (called, it is that class's call)
        if b.imported.is_some() {
            if let Some(Val::Ref(q)) = scope.env.vars.get(name) {
                let last = q.rsplit('.').next().unwrap_or("");
                if q.starts_with("sqlalchemy.")
                    && last.starts_with(|c: char| c.is_ascii_uppercase())
                {
                    into.types.insert(
                        format!("{module}.{name}"),
                        ProjectType {
                            impl_type: Val::Ref(q.clone()),
                            variants: Vec::new(),
                            rest: None,
                            params: Vec::new(),
                            init: TypeInit::Impl,
                            path: path.to_string(),
                            line: b.line,
                        },
                    );
                }
            }
            continue;
        }
        let (q, path, line) = (format!("{module}.{name}"), path.to_string(), b.line);
        match scope.env.vars.get(name) {
            Some(Val::Str(value)) => {
                let value = value.clone();
                into.values.insert(q, ProjectConstant { value, path, line });
            }
            Some(Val::Int(value)) => {
                let value = *value;
                into.ints.insert(q, ProjectInt { value, path, line });
            }
            // a dict or list of known values, SQLAlchemy's `MetaData(...)` (its naming
            // convention): kept whole
            Some(v)
                if (matches!(v, Val::Dict(_) | Val::List(_))
                    || matches!(v, Val::Call { func, .. } if func == "sqlalchemy.MetaData"))
                    && v.opaque_reason().is_none() =>
            {
                let value = v.clone();
                into.objects.insert(q, ProjectObject { value, path, line });
            }
            _ => {}
        }
    }
}

/// A class's string attributes written in its body (`__tablename__ = "webhooks"` of an ORM
/// model), as `module.Class.attr`.
fn class_strings(
    module: &str,
    c: &ast::StmtClassDef,
    env: &crate::python::Env,
    path: &str,
    lines: &LineIndex,
    budget: &mut Budget,
    into: &mut ProjectConstants,
) {
    let mut no_calls = |_: Callee, _: &[Val], _: &[(String, Val)]| None;
    for st in &c.body {
        let (target, value) = match st {
            ast::Stmt::Assign(a) if a.targets.len() == 1 => (&a.targets[0], &*a.value),
            ast::Stmt::AnnAssign(a) => match &a.value {
                Some(v) => (&*a.target, &**v),
                None => continue,
            },
            _ => continue,
        };
        let ast::Expr::Name(n) = target else {
            continue;
        };
        if let Val::Str(value) = eval(value, env, &mut no_calls, budget) {
            into.values.insert(
                format!("{module}.{}.{}", c.name, n.id),
                ProjectConstant {
                    value,
                    path: path.to_string(),
                    line: lines.line(st.range().start().to_u32()),
                },
            );
        }
    }
}

/// A type factory's parameters with their defaults.
type Params = Vec<(String, Option<Val>)>;

/// A `load_dialect_impl` read: the dialects each branch names with its type (`None`: the
/// `impl`), first first, and what the other dialects get (`None`: the `impl`).
type DialectTypes = (Vec<(Vec<String>, Option<Val>)>, Option<Val>);

/// What a class of the module says about its SQL, kept while the module is read so that a
/// subclass of it (`class Json(LongText)`) starts from its parent's.
#[derive(Clone)]
struct Decorator {
    /// `impl`, as written (a type class or instance).
    impl_type: Option<Val>,
    /// `load_dialect_impl`, read: per-dialect types, the first branch first, and what the
    /// rest return (`None`: `self.impl`).
    dialect_impl: Option<DialectTypes>,
    /// Its `__init__`, read.
    init: TypeInit,
}

/// Of a class that subclasses SQLAlchemy's `TypeDecorator`, or a `TypeDecorator` of the same
/// module (`parents`): its SQL, as SQLAlchemy compiles it, or why the planner cannot know
/// it. Its `impl` is a SQLAlchemy type class or instance adding nothing to the schema by
/// itself (not an `Enum` or `Boolean`, which can create a type or a constraint); a
/// `load_dialect_impl` is read when it only chooses a type by the dialect's name
/// (`if dialect.name == "mysql": return dialect.type_descriptor(mysql.LONGTEXT())`, then
/// `return self.impl` or another type); an `__init__` decides the SQL in code. `None` for
/// any other class.
fn type_decorator(
    c: &ast::StmtClassDef,
    env: &crate::python::Env,
    parents: &BTreeMap<String, Result<Decorator, String>>,
    mut factories: impl FnMut(Callee, &[Val], &[(String, Val)]) -> Option<Val>,
    budget: &mut Budget,
) -> Option<Result<Decorator, String>> {
    let mut no_calls = |_: Callee, _: &[Val], _: &[(String, Val)]| None;
    let bases = c.arguments.as_ref()?;
    let mut parent = None;
    for b in bases.args.iter() {
        if let ast::Expr::Name(n) = b {
            if let Some(p) = parents.get(n.id.as_str()) {
                parent = Some(p.clone());
                break;
            }
        }
        match eval(b, env, &mut no_calls, budget) {
            Val::Ref(q) if q.starts_with("sqlalchemy.") && q.ends_with(".TypeDecorator") => {
                parent = Some(Ok(Decorator {
                    impl_type: None,
                    dialect_impl: None,
                    init: TypeInit::Impl,
                }));
                break;
            }
            // a subclass of a SQLAlchemy type that only changes what Python does with its
            // values (`class ExecutorConfigType(PickleType)` with a `bind_processor`)
            // compiles as that type, called with the same arguments
            Val::Ref(q) if sqlalchemy_type_class(&q) => {
                return python_side_only(c).then_some(Ok(Decorator {
                    impl_type: Some(Val::Ref(q)),
                    dialect_impl: None,
                    init: TypeInit::Impl,
                }));
            }
            _ => {}
        }
    }
    let mut d = match parent? {
        Ok(d) => d,
        Err(why) => return Some(Err(why)),
    };
    // (read once the class's `impl` is known, wherever the body assigns it)
    let mut load_dialect_impl = None;
    for st in &c.body {
        match st {
            ast::Stmt::FunctionDef(f) if f.name.as_str() == "load_dialect_impl" => {
                load_dialect_impl = Some(f);
            }
            // `@overload` signatures only describe the one that runs
            ast::Stmt::FunctionDef(f) if overload(f) => {}
            ast::Stmt::FunctionDef(f) if f.name.as_str() == "__init__" => {
                match own_init(f) {
                    Some(init) => d.init = init,
                    None => return Some(Err(
                        "its `__init__` decides its SQL in code, which the planner does not run"
                            .into(),
                    )),
                }
            }
            ast::Stmt::FunctionDef(f)
                if matches!(
                    f.name.as_str(),
                    "type_engine" | "dialect_impl" | "compile" | "_gen_dialect_impl"
                ) =>
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
                if let Err(why) = set_impl(&mut d, &a.value, env, parents, &mut factories, budget) {
                    return Some(Err(why));
                }
            }
            // annotated: `impl: TypeEngine[Any] = sa.Uuid()`
            ast::Stmt::AnnAssign(a) if matches!(&*a.target, ast::Expr::Name(n) if n.id.as_str() == "impl") => {
                if let Some(v) = &a.value {
                    if let Err(why) = set_impl(&mut d, v, env, parents, &mut factories, budget) {
                        return Some(Err(why));
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(f) = load_dialect_impl {
        if matches!(
            d.init,
            TypeInit::Own {
                impl_param: Some(_)
            }
        ) {
            return Some(Err(
                "its `__init__` can replace the `impl` its `load_dialect_impl` chooses from".into(),
            ));
        }
        let parent_decides = d.dialect_impl.is_some();
        match dialect_impl(f, env, parent_decides, d.impl_type.as_ref(), budget) {
            Some(read) => d.dialect_impl = Some(read),
            None => {
                return Some(Err(
                    "its `load_dialect_impl` decides its SQL in code the planner does not run"
                        .into(),
                ))
            }
        }
    }
    Some(match &d.impl_type {
        None => Err("it has no `impl` the planner can read".into()),
        // (a type with per-dialect variants, `sa.Text().with_variant(...)`, too)
        Some(t @ Val::Method { .. }) if plain_type_val(t) => Ok(d.clone()),
        Some(t) => plain_type(t, "`impl`").map(|_| d.clone()),
    })
    .map(|r| {
        r.and_then(|d| {
            if let Some((branches, rest)) = &d.dialect_impl {
                // (a type a dialect's driver adapts in a way the planner does not model
                // is opaque for that dialect only)
                let types = branches.iter().filter_map(|(_, t)| t.as_ref()).chain(rest);
                for t in types.filter(|t| !matches!(t, Val::Opaque(_))) {
                    plain_type(t, "`load_dialect_impl`'s type")?;
                }
            }
            Ok(d)
        })
    })
}

/// A class's `impl` assignment: a type (`impl = MediumText()`: a type factory of the
/// module), or another `TypeDecorator` class of the module (`impl = JSON`), which
/// SQLAlchemy compiles through that class's own `load_dialect_impl`, so the class takes its
/// read whole.
fn set_impl(
    d: &mut Decorator,
    value: &ast::Expr,
    env: &crate::python::Env,
    classes: &BTreeMap<String, Result<Decorator, String>>,
    factories: &mut impl FnMut(Callee, &[Val], &[(String, Val)]) -> Option<Val>,
    budget: &mut Budget,
) -> Result<(), String> {
    if let ast::Expr::Name(n) = value {
        if let Some(other) = classes.get(n.id.as_str()) {
            let other = other
                .as_ref()
                .map_err(|why| format!("its `impl` is `{}`, whose SQL: {why}", n.id))?;
            d.impl_type = other.impl_type.clone();
            d.dialect_impl = other.dialect_impl.clone();
            return Ok(());
        }
    }
    d.impl_type = Some(eval(value, env, factories, budget));
    Ok(())
}

/// A function decorated `@overload` (`@typing.overload`): a signature, not code.
fn overload(f: &ast::StmtFunctionDef) -> bool {
    f.decorator_list.iter().any(|d| match &d.expression {
        ast::Expr::Name(n) => n.id.as_str() == "overload",
        ast::Expr::Attribute(a) => a.attr.as_str() == "overload",
        _ => false,
    })
}

/// A `TypeDecorator`'s `__init__` that leaves the SQL to the `impl`: it calls
/// `super().__init__()` with no arguments, keeps its arguments on other attributes of
/// `self` (for Python), and at most replaces the `impl` by one of its parameters when that
/// is given (`if sa_column_type is not None: self.impl = sa_column_type`). `None` for any
/// other body.
fn own_init(f: &ast::StmtFunctionDef) -> Option<TypeInit> {
    let params: Vec<&str> = f
        .parameters
        .posonlyargs
        .iter()
        .chain(&f.parameters.args)
        .skip(1)
        .map(|p| p.parameter.name.as_str())
        .collect();
    fn self_attr(e: &ast::Expr) -> Option<&str> {
        match e {
            ast::Expr::Attribute(a) => {
                matches!(&*a.value, ast::Expr::Name(n) if n.id.as_str() == "self")
                    .then_some(a.attr.as_str())
            }
            _ => None,
        }
    }
    // `self.x = ...` (also annotated): which attribute
    fn assigned(st: &ast::Stmt) -> Option<&str> {
        match st {
            ast::Stmt::Assign(a) if a.targets.len() == 1 => self_attr(&a.targets[0]),
            ast::Stmt::AnnAssign(a) if a.value.is_some() => self_attr(&a.target),
            _ => None,
        }
    }
    let mut impl_param = None;
    let mut supered = false;
    for st in without_docstring(&f.body) {
        match st {
            ast::Stmt::Expr(e) => {
                // `super().__init__()`
                let ast::Expr::Call(call) = &*e.value else {
                    return None;
                };
                let ast::Expr::Attribute(a) = &*call.func else {
                    return None;
                };
                let is_super = matches!(&*a.value, ast::Expr::Call(s)
                    if matches!(&*s.func, ast::Expr::Name(n) if n.id.as_str() == "super"));
                if !(is_super && a.attr.as_str() == "__init__" && call.arguments.is_empty()) {
                    return None;
                }
                supered = true;
            }
            ast::Stmt::If(i) if i.elif_else_clauses.is_empty() && i.body.len() == 1 => {
                // `if p is not None: self.impl = p`
                let ast::Expr::Compare(c) = &*i.test else {
                    return None;
                };
                let (ast::Expr::Name(p), [ast::CmpOp::IsNot], [ast::Expr::NoneLiteral(_)]) =
                    (&*c.left, &c.ops[..], &c.comparators[..])
                else {
                    return None;
                };
                let value = match &i.body[0] {
                    ast::Stmt::Assign(a) => Some(&*a.value),
                    ast::Stmt::AnnAssign(a) => a.value.as_deref(),
                    _ => None,
                };
                let names_p = matches!(value, Some(ast::Expr::Name(v)) if v.id == p.id);
                let k = params.iter().position(|q| *q == p.id.as_str())?;
                if !(names_p && assigned(&i.body[0]) == Some("impl") && impl_param.is_none()) {
                    return None;
                }
                impl_param = Some((p.id.to_string(), k));
            }
            other => match assigned(other) {
                Some(attr) if !matches!(attr, "impl" | "impl_instance") => {}
                _ => return None,
            },
        }
    }
    supered.then_some(TypeInit::Own { impl_param })
}

/// A generic SQLAlchemy column type class (`sqlalchemy.PickleType`,
/// `sqlalchemy.types.String`) whose subclass compiles as it does when it adds no SQL of
/// its own: not `Enum` or `Boolean` (they create a type or a constraint), nor the classes
/// a subclass gives its own SQL (`TypeDecorator`, `UserDefinedType`).
fn sqlalchemy_type_class(q: &str) -> bool {
    const PLAIN: &[&str] = &[
        "String",
        "Text",
        "Unicode",
        "UnicodeText",
        "Integer",
        "SmallInteger",
        "BigInteger",
        "Numeric",
        "Float",
        "Double",
        "DateTime",
        "Date",
        "Time",
        "Interval",
        "LargeBinary",
        "PickleType",
        "JSON",
        "Uuid",
    ];
    let Some((module, last)) = q.rsplit_once('.') else {
        return false;
    };
    matches!(
        module,
        "sqlalchemy" | "sqlalchemy.types" | "sqlalchemy.sql.sqltypes"
    ) && PLAIN.contains(&last)
}

/// Whether a class body only changes what Python does with a type's values: a docstring,
/// `cache_ok`, and the value processors (`bind_processor`, `process_bind_param`...).
fn python_side_only(c: &ast::StmtClassDef) -> bool {
    c.body.iter().all(|st| match st {
        ast::Stmt::Expr(e) => e.value.is_string_literal_expr(),
        ast::Stmt::Pass(_) => true,
        ast::Stmt::Assign(a) => {
            matches!(&a.targets[..], [ast::Expr::Name(n)] if n.id.as_str() == "cache_ok")
        }
        ast::Stmt::FunctionDef(f) => matches!(
            f.name.as_str(),
            "bind_processor"
                | "result_processor"
                | "literal_processor"
                | "process_bind_param"
                | "process_result_value"
                | "process_literal_param"
                | "compare_values"
                | "copy_value"
                | "python_type"
        ),
        _ => false,
    })
}

/// The module's type factories as a call hook: a call of one of its functions that
/// returns a type is that type.
fn factory_hook<'f>(
    functions: &'f [&'f ast::StmtFunctionDef],
    factories: &'f BTreeMap<String, Val>,
) -> impl FnMut(Callee, &[Val], &[(String, Val)]) -> Option<Val> + 'f {
    move |callee, args, kwargs| match callee {
        Callee::Host {
            object,
            method: None,
        } if args.is_empty() && kwargs.is_empty() => functions
            .get(object.0 as usize)
            .and_then(|f| factories.get(f.name.as_str()))
            .cloned(),
        _ => None,
    }
}

/// Of a module-level function whose body only returns a SQLAlchemy type
/// (`def MediumText(): return sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql")`,
/// `def String(length): return sa.String(length=length)`), or a `TypeDecorator` of the
/// module made mutable (`MutableDict.as_mutable(JsonText)`, which returns the type
/// itself): that type, with [`param_mark`]s where its parameters are used, and its
/// parameters with their defaults. `None` for any other function.
fn type_factory(
    f: &ast::StmtFunctionDef,
    module: &str,
    env: &crate::python::Env,
    read: &ProjectConstants,
    mut hook: impl FnMut(Callee, &[Val], &[(String, Val)]) -> Option<Val>,
    budget: &mut Budget,
) -> Option<(Val, Params)> {
    let p = &f.parameters;
    if !p.posonlyargs.is_empty() || p.vararg.is_some() || p.kwarg.is_some() {
        return None;
    }
    let mut local = env.clone();
    let mut params = Vec::new();
    for a in p.args.iter().chain(p.kwonlyargs.iter()) {
        let name = a.parameter.name.to_string();
        let default = a
            .default
            .as_deref()
            .map(|d| eval(d, env, &mut |_, _, _| None, budget));
        local
            .vars
            .insert(name.clone(), Val::Opaque(param_mark(&name)));
        params.push((name, default));
    }
    let body = without_docstring(&f.body);
    let [ast::Stmt::Return(r)] = body else {
        return None;
    };
    let e = r.value.as_deref()?;
    if let ast::Expr::Call(call) = e {
        if let (ast::Expr::Attribute(a), [ast::Expr::Name(n)]) =
            (&*call.func, &*call.arguments.args)
        {
            if a.attr.as_str() == "as_mutable" && params.is_empty() {
                return read
                    .types
                    .get(&format!("{module}.{}", n.id))
                    .map(|t| (t.instantiate(&[], &[]), Vec::new()));
            }
        }
    }
    let t = eval(e, &local, &mut hook, budget);
    sqlalchemy_type_val(&t).then_some((t, params))
}

/// Whether a value is a call of a SQLAlchemy class (a type, as a factory returns it: the
/// column's type itself, so an `Enum` or a `Boolean` too), or one with variants.
fn sqlalchemy_type_val(t: &Val) -> bool {
    with_variants(t, &|leaf| match leaf {
        Val::Call { func, .. } => {
            func.starts_with("sqlalchemy.")
                && func
                    .rsplit('.')
                    .next()
                    .is_some_and(|l| l.starts_with(|c: char| c.is_ascii_uppercase()))
        }
        _ => false,
    })
}

/// Whether a type value, with its per-dialect variants, is one the planner takes as it is.
fn plain_type_val(t: &Val) -> bool {
    with_variants(t, &|leaf| {
        matches!(leaf, Val::Call { .. }) && plain_type(leaf, "type").is_ok()
    })
}

/// Whether `leaf` holds for a type and each of its `.with_variant(...)` variants.
fn with_variants(t: &Val, leaf: &dyn Fn(&Val) -> bool) -> bool {
    match t {
        Val::Method {
            receiver,
            name,
            args,
            ..
        } if name == "with_variant" => {
            with_variants(receiver, leaf) && args.first().is_some_and(|v| with_variants(v, leaf))
        }
        other => leaf(other),
    }
}

/// `Ok` when `t` is a SQLAlchemy type the planner takes as it is, or why not.
fn plain_type(t: &Val, what: &str) -> Result<(), String> {
    let class = match t {
        Val::Ref(q) => q,
        Val::Call { func, .. } => func,
        _ => return Err(format!("its {what} is not a type the planner can read")),
    };
    let last = class.rsplit('.').next().unwrap_or("");
    let plain = class.starts_with("sqlalchemy.")
        && !matches!(
            last.to_ascii_lowercase().as_str(),
            "enum" | "boolean" | "interval" | "pickletype" | "typedecorator" | "variant"
        );
    if plain {
        Ok(())
    } else {
        Err(format!(
            "its {what}, `{}`, is not a SQLAlchemy type the planner takes as it is",
            crate::python::short_name(class)
        ))
    }
}

/// A `load_dialect_impl(self, dialect)` that only chooses a type by `dialect.name`: its
/// branches (the dialects each names, the type it returns: `None` for the `impl`) in order,
/// and what the rest return (`None` for the `impl`: `return self.impl`,
/// `super().load_dialect_impl(dialect)`). `None` when it does anything else.
fn dialect_impl(
    f: &ast::StmtFunctionDef,
    env: &crate::python::Env,
    parent_decides: bool,
    impl_type: Option<&Val>,
    budget: &mut Budget,
) -> Option<DialectTypes> {
    let params = &f.parameters;
    let dialect = params.args.get(1)?.parameter.name.as_str().to_string();
    let mut branches = Vec::new();
    let body = without_docstring(&f.body);
    let mut ret = |b: &[ast::Stmt]| returned(b, &dialect, env, parent_decides, budget);
    // `dialect.type_descriptor(self.impl)`: the impl as it is where no driver adapts its
    // class (whatever arguments each use gives it), otherwise not read
    let impl_class = match impl_type {
        Some(Val::Ref(c)) => Some(c.as_str()),
        Some(Val::Call { func, .. }) => Some(func.as_str()),
        _ => None,
    };
    let unadapted = impl_class.is_some_and(|c| {
        let t = Val::Call {
            func: c.to_string(),
            args: Vec::new(),
            kwargs: Vec::new(),
        };
        ["postgresql", "mysql", "sqlite"]
            .iter()
            .all(|d| adapt(&t, d) == t)
    });
    let mut ret = |b: &[ast::Stmt]| match ret(b)? {
        Ret::AdaptedImpl if unadapted => Some(Ret::Impl),
        Ret::AdaptedImpl => None,
        r => Some(r),
    };
    for (k, st) in body.iter().enumerate() {
        match st {
            ast::Stmt::If(i) => {
                branches.push((dialect_names(&i.test, &dialect)?, ret(&i.body)?));
                for clause in &i.elif_else_clauses {
                    let r = ret(&clause.body)?;
                    match &clause.test {
                        Some(test) => branches.push((dialect_names(test, &dialect)?, r)),
                        // an `else`: the rest of the function is never reached
                        None => return Some(resolve(branches, r)),
                    }
                }
            }
            ast::Stmt::Return(_) if k + 1 == body.len() => {
                let r = ret(std::slice::from_ref(st))?;
                return Some(resolve(branches, r));
            }
            _ => return None,
        }
    }
    None
}

/// A function's body without its docstring.
fn without_docstring(body: &[ast::Stmt]) -> &[ast::Stmt] {
    match body.first() {
        Some(ast::Stmt::Expr(e)) if e.value.is_string_literal_expr() => &body[1..],
        _ => body,
    }
}

/// What one branch of `load_dialect_impl` returns.
enum Ret {
    /// `self.impl`, `super().load_dialect_impl(dialect)`.
    Impl,
    /// A type as it is: `return mysql.TIMESTAMP(fsp=6)`.
    Type(Val),
    /// `dialect.type_descriptor(T)`: `T` as the dialect's driver adapts it.
    Adapted(Val),
    /// `dialect.type_descriptor(self.impl)`: read only where no driver adapts the impl's
    /// class (see [`dialect_impl`]).
    AdaptedImpl,
}

/// Branches and the rest as types per dialect: an adapted type becomes what each dialect's
/// driver adapts it to ([`adapt`]), a variant per dialect where that differs.
fn resolve(branches: Vec<(Vec<String>, Ret)>, rest: Ret) -> DialectTypes {
    let mut out = Vec::new();
    let mut named = std::collections::BTreeSet::new();
    for (names, ret) in branches {
        named.extend(names.iter().cloned());
        match ret {
            // (`AdaptedImpl` is read as `Impl` before it comes here, or not at all)
            Ret::Impl | Ret::AdaptedImpl => out.push((names, None)),
            Ret::Type(t) => out.push((names, Some(t))),
            Ret::Adapted(t) => {
                for d in names {
                    let a = adapt(&t, &d);
                    out.push((vec![d], Some(a)));
                }
            }
        }
    }
    let rest = match rest {
        Ret::Impl | Ret::AdaptedImpl => None,
        Ret::Type(t) => Some(t),
        Ret::Adapted(t) => {
            // the dialects the planner renders that no earlier branch names
            let others = crate::base::Dialect::ALL.map(|d| d.name());
            for d in others.into_iter().filter(|d| !named.contains(*d)) {
                let a = adapt(&t, d);
                if a != t {
                    out.push((vec![d.to_string()], Some(a)));
                }
            }
            Some(t)
        }
    };
    (out, rest)
}

/// What `dialect.type_descriptor(t)` gives on `dialect`'s default driver (SQLAlchemy 2.1's
/// psycopg, mysqlclient, pysqlite): its `colspecs` adapt some types to others that compile
/// differently (`Text()` is `VARCHAR` on PostgreSQL, `TIMESTAMP` is `DATETIME` on SQLite).
/// Measured by compiling each SQLAlchemy type both ways (ARCHITECTURE.md, "Project
/// types"); what the table does not settle is opaque, never a guess.
pub fn adapt(t: &Val, dialect: &str) -> Val {
    let Val::Call { func, args, kwargs } = t else {
        return t.clone();
    };
    let last = func.rsplit('.').next().unwrap_or("");
    let to = |class: &str, keep: bool| Val::Call {
        func: format!("sqlalchemy.{class}"),
        args: if keep { args.clone() } else { Vec::new() },
        kwargs: if keep { kwargs.clone() } else { Vec::new() },
    };
    let unknown = || {
        Val::Opaque(format!(
            "`{}` handed to `dialect.type_descriptor()`: the planner does not model how {dialect}'s driver adapts it",
            crate::python::short_name(func)
        ))
    };
    if func.contains(".mssql.") || dialect == "mssql" {
        return unknown();
    }
    match (dialect, last) {
        (
            "postgresql",
            "Text" | "TEXT" | "UnicodeText" | "CHAR" | "NCHAR" | "NVARCHAR" | "CLOB",
        ) => to("String", true),
        ("postgresql" | "mysql" | "mariadb", "DECIMAL") => to("Numeric", true),
        ("postgresql", "DATETIME") => to("DateTime", true),
        ("postgresql", "REAL" | "DOUBLE" | "Double" | "DOUBLE_PRECISION") => to("Float", true),
        ("postgresql", "JSONB") if func.contains(".sqlite.") => to("JSON", false),
        ("mysql" | "mariadb", "REAL" | "DOUBLE_PRECISION") => unknown(),
        ("sqlite", "TIMESTAMP") => to("DateTime", false),
        ("sqlite", "JSONB") if func.contains(".postgresql.") => to("JSON", false),
        _ => t.clone(),
    }
}

/// The dialect names a test of `dialect.name` names: `dialect.name == "mysql"`,
/// `dialect.name in ("mysql", "mariadb")`.
fn dialect_names(test: &ast::Expr, dialect: &str) -> Option<Vec<String>> {
    let ast::Expr::Compare(c) = test else {
        return None;
    };
    let ([op], [right]) = (&*c.ops, &*c.comparators) else {
        return None;
    };
    let is_name = |e: &ast::Expr| {
        matches!(e, ast::Expr::Attribute(a) if a.attr.as_str() == "name"
            && matches!(&*a.value, ast::Expr::Name(n) if n.id.as_str() == dialect))
    };
    let string = |e: &ast::Expr| match e {
        ast::Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
        _ => None,
    };
    let literal = |e: &ast::Expr| match e {
        ast::Expr::Tuple(ast::ExprTuple { elts, .. })
        | ast::Expr::List(ast::ExprList { elts, .. }) => elts.iter().map(string).collect(),
        single => string(single).map(|s| vec![s]),
    };
    match op {
        ast::CmpOp::Eq if is_name(&c.left) => literal(right).filter(|v| v.len() == 1),
        ast::CmpOp::Eq if is_name(right) => literal(&c.left).filter(|v| v.len() == 1),
        ast::CmpOp::In if is_name(&c.left) => literal(right),
        _ => None,
    }
}

/// What a block that is one `return` returns: `dialect.type_descriptor(T)`, `T` (a class is
/// instantiated with nothing), or the `impl` (`self.impl`, and
/// `super().load_dialect_impl(dialect)` unless the parent class has a `load_dialect_impl`
/// of its own: `parent_decides`, not read).
fn returned(
    body: &[ast::Stmt],
    dialect: &str,
    env: &crate::python::Env,
    parent_decides: bool,
    budget: &mut Budget,
) -> Option<Ret> {
    let [ast::Stmt::Return(r)] = body else {
        return None;
    };
    let mut e: &ast::Expr = r.value.as_deref()?;
    let is_self_impl = |e: &ast::Expr| {
        matches!(e, ast::Expr::Attribute(a) if matches!(a.attr.as_str(), "impl" | "impl_instance")
            && matches!(&*a.value, ast::Expr::Name(n) if n.id.as_str() == "self"))
    };
    let mut adapted = false;
    if let ast::Expr::Call(call) = e {
        if let ast::Expr::Attribute(a) = &*call.func {
            let on_dialect = matches!(&*a.value, ast::Expr::Name(n) if n.id.as_str() == dialect);
            if on_dialect && a.attr.as_str() == "type_descriptor" {
                let [arg] = &*call.arguments.args else {
                    return None;
                };
                e = arg;
                adapted = true;
            } else if a.attr.as_str() == "load_dialect_impl"
                && matches!(&*a.value, ast::Expr::Call(s)
                    if matches!(&*s.func, ast::Expr::Name(n) if n.id.as_str() == "super"))
            {
                return (!parent_decides).then_some(Ret::Impl);
            }
        }
    }
    if is_self_impl(e) {
        return Some(if adapted { Ret::AdaptedImpl } else { Ret::Impl });
    }
    let mut no_calls = |_: Callee, _: &[Val], _: &[(String, Val)]| None;
    let t = match eval(e, env, &mut no_calls, budget) {
        Val::Ref(class) => Val::Call {
            func: class,
            args: Vec::new(),
            kwargs: Vec::new(),
        },
        v @ Val::Call { .. } => v,
        _ => return None,
    };
    Some(if adapted {
        Ret::Adapted(t)
    } else {
        Ret::Type(t)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_projects_modules_are_found_among_the_files_given() {
        let file = |path: &str, text: &str| crate::input::InputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        };
        let files = [
            file("shop/myshop/__init__.py", ""),
            file(
                "shop/myshop/db/__init__.py",
                "from typing import TYPE_CHECKING\nfrom .types import LABEL as DEFAULT_LABEL\nif TYPE_CHECKING:\n    from myshop.db.sizes import WIDTH\n",
            ),
            file("shop/myshop/db/sizes.py", "WIDTH = 12 * 10\n"),
            file(
                "shop/myshop/db/types.py",
                "import sqlalchemy as sa\nLABEL = 'expand'\nclass Slug(sa.TypeDecorator):\n    impl = sa.String(40)\n",
            ),
            file("shop/myshop/unrelated.py", "X = 'never read'\n"),
        ];
        let wanted = [
            "myshop.db.types.Slug".to_string(),
            "myshop.db.types.LABEL".to_string(),
            "myshop.db.DEFAULT_LABEL".to_string(),
            "myshop.db.WIDTH".to_string(),
        ];
        let c = constants_from_files(&files, "shop/myshop/db/migrations/versions", &wanted);
        assert_eq!(c.values["myshop.db.types.LABEL"].value, "expand");
        assert_eq!(c.values["myshop.db.types.LABEL"].path, "myshop/db/types.py");
        assert!(c.types.contains_key("myshop.db.types.Slug"));
        assert!(!c.values.contains_key("myshop.unrelated.X"));
        // names the package re-exports, followed to the module that defines them
        assert_eq!(
            c.canonical("myshop.db.DEFAULT_LABEL"),
            "myshop.db.types.LABEL"
        );
        assert_eq!(c.ints[c.canonical("myshop.db.WIDTH")].value, 120);
        // no package of that name above the versions folder: nothing
        let none = constants_from_files(&files, "other/versions", &["elsewhere.X".to_string()]);
        assert_eq!(none, ProjectConstants::default());
    }

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
