//! The partial evaluator for the ordinary Python around migration operations: literals,
//! collections, string formatting, comprehensions, a few builtins, and names bound earlier.

use std::collections::HashMap;

use ruff_python_ast::{self as ast, Expr, Operator};

use super::budget::Budget;
use super::value::{short_name, HostRef, Val};
use crate::base::limits::{MAX_RANGE, MAX_VALUE_BYTES};

/// The most items a list the evaluator builds may hold (each takes a `Val`'s size before
/// what it holds), so a list refused here is one the budget's measure would refuse.
const MAX_VALUE_ITEMS: usize = MAX_VALUE_BYTES / std::mem::size_of::<Val>();

/// Names the evaluator knows: locals, module-level values and imports.
#[derive(Clone, Debug, Default)]
pub struct Env {
    pub vars: HashMap<String, Val>,
}

impl Env {
    /// Binds an import: known libraries become `Ref`s to qualified names, anything else is
    /// opaque (the application's own code cannot be known).
    pub fn import(&mut self, bound: &str, qualified: &str) {
        let known = [
            "sqlalchemy",
            "alembic",
            "typing",
            "datetime",
            "uuid",
            "enum",
            "json",
            "decimal",
            "collections_abc",
            "collections",
        ];
        let root = qualified.split('.').next().unwrap_or("");
        let v = if known.contains(&root) || THIRD_PARTY_TYPES.contains(&qualified) {
            Val::Ref(qualified.to_string())
        } else {
            Val::Opaque(imported(bound, qualified))
        };
        self.vars.insert(bound.to_string(), v);
    }
}

const OUTSIDE: &str = "`, outside SQLAlchemy and Alembic";

/// Column types of third-party packages the renderer models (`render::types`), bound as
/// references like SQLAlchemy's own rather than opaque: SQLModel's `AutoString`.
pub const THIRD_PARTY_TYPES: &[&str] = &["sqlmodel.sql.sqltypes.AutoString", "sqlmodel.AutoString"];

/// Why a name imported from outside SQLAlchemy and Alembic is opaque; names the name as
/// written and as qualified, so a type mapping (`--type-map`) can name either.
fn imported(bound: &str, qualified: &str) -> String {
    format!("`{bound}` comes from `{qualified}{OUTSIDE}")
}

/// The qualified name of a value imported from outside SQLAlchemy and Alembic, from the
/// reason it is opaque: `glance.db.migration.CONTRACT_BRANCH`.
pub fn imported_name(reason: &str) -> Option<&str> {
    let rest = reason.strip_prefix('`')?.strip_suffix(OUTSIDE)?;
    Some(rest.split_once("` comes from `")?.1)
}

/// `prefect.server.UUID` after `import prefect`: the attribute of an imported name keeps
/// the whole dotted name in its reason (not only `prefect`'s).
fn imported_attribute(reason: &str, attr: &str) -> Option<String> {
    let rest = reason.strip_prefix('`')?.strip_suffix(OUTSIDE)?;
    let (bound, qualified) = rest.split_once("` comes from `")?;
    Some(imported(
        &format!("{bound}.{attr}"),
        &format!("{qualified}.{attr}"),
    ))
}

/// An attribute of an opaque value: of an imported name, the longer dotted name (a
/// reference when it names a third-party type the renderer models); otherwise as opaque.
fn attribute_of_opaque(reason: String, attr: &str) -> Val {
    match imported_attribute(&reason, attr) {
        Some(longer) => match imported_name(&longer) {
            Some(q) if THIRD_PARTY_TYPES.contains(&q) => Val::Ref(q.to_string()),
            _ => Val::Opaque(longer),
        },
        None => Val::Opaque(reason),
    }
}

/// An opaque value: of a name imported from the application (`models.Webhook.__tablename__`),
/// what the hook makes of it ([`Callee::Value`]); otherwise, or when the hook does not
/// know, opaque.
fn imported_value(reason: String, hook: &mut CallHook) -> Val {
    match imported_name(&reason).and_then(|q| hook(Callee::Value(q), &[], &[])) {
        Some(v) => v,
        None => Val::Opaque(reason),
    }
}

/// A call of an opaque value: of a name imported from the application, what the hook
/// makes of it ([`Callee::Imported`]); otherwise, or when the hook does not know, opaque.
fn call_imported(
    reason: String,
    args: &[Val],
    kwargs: &[(String, Val)],
    hook: &mut CallHook,
) -> Val {
    let q = imported_name(&reason);
    if let Some(v) = q.and_then(|q| standard_library(q, args, kwargs)) {
        return v;
    }
    match q.and_then(|q| hook(Callee::Imported(q), args, kwargs)) {
        Some(v) => v,
        None => Val::Opaque(reason),
    }
}

/// What a call calls.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Callee<'a> {
    /// A qualified name of a known library: `sqlalchemy.Column`, `alembic.op.add_column`.
    Name(&'a str),
    /// An object of the host ([`Val::Host`]), or one of its methods: `helper(...)` (no
    /// method), `batch_op.add_column(...)`, `bind.execute(...)`.
    Host {
        object: HostRef,
        method: Option<&'a str>,
    },
    /// A method of a plain value: `sa.Enum(...).create(bind)`, `T.with_variant(...)`.
    Method { receiver: &'a Val, name: &'a str },
    /// An attribute of a plain value, read (no call): `nodes.c` of a `sa.table(...)`;
    /// `None` leaves it opaque.
    Property { receiver: &'a Val, name: &'a str },
    /// An attribute of an object of the host, read (no call, no arguments):
    /// `op.get_bind().dialect`; `None` leaves it opaque.
    Attribute { object: HostRef, name: &'a str },
    /// A name imported from outside the libraries the evaluator knows, by its qualified
    /// name (`myapp.types.Uuid`): the application's own code, which a hook that has read
    /// it may give a value; `None` leaves the call opaque.
    Imported(&'a str),
    /// Not a call: the value of a name imported from outside the libraries the evaluator
    /// knows (`myapp.models.Webhook.__tablename__`), which a hook that has read the
    /// application's source may know; `None` leaves it opaque.
    Value(&'a str),
}

/// Called for each call the evaluator cannot compute itself, with its evaluated
/// arguments. `Some` is the call's value; `None` keeps it structured (a `Call` of a name, a
/// `Method` of a value; an opaque value for a host object).
pub type CallHook<'h> = dyn FnMut(Callee, &[Val], &[(String, Val)]) -> Option<Val> + 'h;

/// Evaluates an expression. `hook` lets the layer above give calls their meaning
/// (operations, helpers); it returns `None` to keep a call structured. `budget` bounds the
/// depth, steps and bytes of the whole file's evaluation (a bound reached makes the value
/// opaque).
pub fn eval(e: &Expr, env: &Env, hook: &mut CallHook, budget: &mut Budget) -> Val {
    if let Err(r) = budget.enter() {
        return Val::Opaque(r);
    }
    let v = eval_expr(e, env, hook, budget);
    budget.leave();
    v
}

fn eval_expr(e: &Expr, env: &Env, hook: &mut CallHook, budget: &mut Budget) -> Val {
    match e {
        Expr::StringLiteral(s) if s.value.iter().any(|p| p.flags.is_invalid()) => {
            Val::Opaque(crate::python::invalid_string_reason())
        }
        Expr::StringLiteral(s) => Val::Str(s.value.to_str().to_string()),
        Expr::BytesLiteral(_) => Val::Opaque("a bytes literal".into()),
        Expr::NumberLiteral(n) => match &n.value {
            ast::Number::Int(i) => i
                .as_i64()
                .map(Val::Int)
                .unwrap_or_else(|| Val::Opaque("a very large integer".into())),
            ast::Number::Float(f) => Val::Float(f.to_string()),
            ast::Number::Complex { .. } => Val::Opaque("a complex number".into()),
        },
        Expr::BooleanLiteral(b) => Val::Bool(b.value),
        Expr::NoneLiteral(_) => Val::None,
        Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. }) => {
            sequence(elts, env, hook, budget)
        }
        // a set iterates in Python's hash order (randomised for strings), never in the
        // order written: known only when it holds one value (membership tests against a
        // set written in place are read in `Compare`)
        Expr::Set(ast::ExprSet { elts, .. }) => unordered(sequence(elts, env, hook, budget)),
        Expr::ListComp(c) => comprehension(&c.elt, &c.generators, env, hook, budget),
        Expr::SetComp(c) => unordered(comprehension(&c.elt, &c.generators, env, hook, budget)),
        Expr::Generator(c) => comprehension(&c.elt, &c.generators, env, hook, budget),
        Expr::Dict(d) => Val::Dict(
            d.items
                .iter()
                .map(|it| {
                    let k = it
                        .key
                        .as_ref()
                        .map(|k| eval(k, env, hook, budget))
                        .unwrap_or(Val::Opaque("a ** expansion".into()));
                    (k, eval(&it.value, env, hook, budget))
                })
                .collect(),
        ),
        Expr::Name(n) => match env.vars.get(n.id.as_str()) {
            // a name imported from the application: its value, when the hook knows it
            Some(Val::Opaque(r)) => imported_value(r.clone(), hook),
            // a copy: charged to the file's budget
            Some(v) => budget.admit(v.clone()),
            None => Val::Opaque(format!(
                "`{}` is not defined where the planner can see it",
                n.id
            )),
        },
        Expr::Attribute(a) => match eval(&a.value, env, hook, budget) {
            // Alembic's objects reached through attributes (`op._proxy.migration_context`)
            // are the hook's to give meaning to
            Val::Ref(q) if q.starts_with("alembic.") => {
                let q = format!("{q}.{}", a.attr);
                hook(Callee::Value(&q), &[], &[]).unwrap_or(Val::Ref(q))
            }
            Val::Ref(q) => Val::Ref(format!("{q}.{}", a.attr)),
            Val::Opaque(r) => match attribute_of_opaque(r, &a.attr) {
                Val::Opaque(r) => imported_value(r, hook),
                other => other,
            },
            Val::Host(object) => hook(
                Callee::Attribute {
                    object,
                    name: a.attr.as_str(),
                },
                &[],
                &[],
            )
            .unwrap_or_else(|| {
                Val::Opaque(format!(
                    "attribute `{}` of an object that exists only when the migration runs",
                    a.attr
                ))
            }),
            other => hook(
                Callee::Property {
                    receiver: &other,
                    name: a.attr.as_str(),
                },
                &[],
                &[],
            )
            .unwrap_or_else(|| {
                Val::Opaque(format!("attribute `{}` of {}", a.attr, other.render()))
            }),
        },
        Expr::Call(c) => {
            let args = call_args(&c.arguments, env, hook, budget);
            let mut kwargs: Vec<(String, Val)> = Vec::new();
            for k in c.arguments.keywords.iter() {
                let v = eval(&k.value, env, hook, budget);
                match (&k.arg, v) {
                    (Some(a), v) => kwargs.push((a.to_string(), v)),
                    // `**{"postgresql_include": [...]}`: a dict of known string keys is
                    // its keywords; anything else stays one `**` argument
                    (None, Val::Dict(items))
                        if items.iter().all(|(key, _)| matches!(key, Val::Str(_))) =>
                    {
                        kwargs.extend(items.into_iter().filter_map(|(key, v)| match key {
                            Val::Str(key) => Some((key, v)),
                            _ => None,
                        }));
                    }
                    (None, v) => kwargs.push(("**".into(), v)),
                }
            }
            match c.func.as_ref() {
                // a method: of a module (a qualified name), of a host object, of a value
                Expr::Attribute(a) => match eval(&a.value, env, hook, budget) {
                    Val::Ref(q) => call_name(&format!("{q}.{}", a.attr), args, kwargs, hook),
                    Val::Opaque(r) => match attribute_of_opaque(r, &a.attr) {
                        Val::Ref(q) => call_name(&q, args, kwargs, hook),
                        Val::Opaque(r) => call_imported(r, &args, &kwargs, hook),
                        other => other,
                    },
                    Val::Host(object) => hook(
                        Callee::Host {
                            object,
                            method: Some(a.attr.as_str()),
                        },
                        &args,
                        &kwargs,
                    )
                    .unwrap_or_else(|| {
                        Val::Opaque(format!(
                            "a `.{}()` call on an object that exists only when the migration runs",
                            a.attr
                        ))
                    }),
                    Val::Str(fmt) if a.attr.as_str() == "format" => {
                        str_format(&fmt, &args, &kwargs)
                    }
                    // a known dict's views and lookups, in insertion order as Python's
                    Val::Dict(items)
                        if matches!(a.attr.as_str(), "keys" | "values" | "items" | "get") =>
                    {
                        // (keys the planner cannot know, or written twice, could be any)
                        let plain = items.iter().enumerate().all(|(i, (k, _))| {
                            k.opaque_reason().is_none() && !items[..i].iter().any(|(p, _)| p == k)
                        });
                        match (a.attr.as_str(), args.as_slice(), kwargs.is_empty() && plain) {
                            ("keys", [], true) => {
                                budget.list(items.into_iter().map(|(k, _)| k).collect())
                            }
                            ("values", [], true) => {
                                budget.list(items.into_iter().map(|(_, v)| v).collect())
                            }
                            ("items", [], true) => budget.list(
                                items
                                    .into_iter()
                                    .map(|(k, v)| Val::List(vec![k, v]))
                                    .collect(),
                            ),
                            ("get", [key, rest @ ..], true) if rest.len() <= 1 => {
                                match key.opaque_reason() {
                                    Some(r) => Val::Opaque(r),
                                    None => items
                                        .into_iter()
                                        .find(|(k, _)| k == key)
                                        .map(|(_, v)| v)
                                        .unwrap_or_else(|| {
                                            rest.first().cloned().unwrap_or(Val::None)
                                        }),
                                }
                            }
                            _ => Val::Opaque(format!(
                                "a dict's `.{}()` with arguments the planner does not follow",
                                a.attr
                            )),
                        }
                    }
                    Val::Str(s) if STR_METHODS.contains(&a.attr.as_str()) => {
                        match str_method(&s, &a.attr, &args).filter(|_| kwargs.is_empty()) {
                            Some(v) => budget.admit(v),
                            None => Val::Opaque(format!(
                                "a string's `.{}()` with arguments the planner does not know",
                                a.attr
                            )),
                        }
                    }
                    receiver => {
                        let callee = Callee::Method {
                            receiver: &receiver,
                            name: a.attr.as_str(),
                        };
                        match hook(callee, &args, &kwargs) {
                            Some(v) => v,
                            None => Val::Method {
                                receiver: Box::new(receiver.clone()),
                                name: a.attr.to_string(),
                                args,
                                kwargs,
                            },
                        }
                    }
                },
                Expr::Name(n)
                    if !env.vars.contains_key(n.id.as_str())
                        && BUILTINS.contains(&n.id.as_str()) =>
                {
                    builtin(n.id.as_str(), &args, budget)
                }
                // `dict(table_name=t, ...)`, `dict(mapping, key=v)`
                Expr::Name(n) if n.id.as_str() == "dict" && !env.vars.contains_key("dict") => {
                    dict_call(args, kwargs)
                }
                // `print(...)` has an effect (offline, its text is in the script): the
                // layer above decides what it prints
                Expr::Name(n) if n.id.as_str() == "print" && !env.vars.contains_key("print") => {
                    call_name("builtins.print", args, kwargs, hook)
                }
                other => match eval(other, env, hook, budget) {
                    Val::Ref(q) => call_name(&q, args, kwargs, hook),
                    Val::Host(object) => hook(
                        Callee::Host {
                            object,
                            method: None,
                        },
                        &args,
                        &kwargs,
                    )
                    .unwrap_or_else(|| {
                        Val::Opaque(
                            "a call of an object that exists only when the migration runs".into(),
                        )
                    }),
                    Val::Opaque(r) => call_imported(r, &args, &kwargs, hook),
                    other => Val::Opaque(format!("a call of {}", other.render())),
                },
            }
        }
        // a left-leaning chain (`"a" + "b" + ...`) is walked down its left side in a loop, so
        // a long chain costs no stack
        Expr::BinOp(_) => {
            let mut chain: Vec<(Operator, &Expr)> = Vec::new();
            let mut left = e;
            while let Expr::BinOp(b) = left {
                chain.push((b.op, &b.right));
                left = &b.left;
            }
            let mut acc = eval(left, env, hook, budget);
            for (op, right) in chain.into_iter().rev() {
                let r = eval(right, env, hook, budget);
                acc = binop(op, acc, r, budget);
            }
            acc
        }
        Expr::FString(f) => {
            let mut built = 0usize;
            let text = fstring(f, |x| {
                let x = x.ok_or_else(|| {
                    "an f-string placeholder with a conversion or format the planner does not apply"
                        .to_string()
                })?;
                let part = py_str(&eval(x, env, hook, budget))?;
                built += part.len();
                if built > MAX_VALUE_BYTES {
                    return Err(budget.too_large().opaque_reason().unwrap_or_default());
                }
                Ok(part)
            });
            match text {
                Ok(t) => budget.string(t),
                Err(r) => Val::Opaque(r),
            }
        }
        Expr::Compare(c) if c.ops.len() == 1 => {
            let l = eval(&c.left, env, hook, budget);
            let r = match (&c.ops[0], &c.comparators[0]) {
                // `x in {"a", "b"}`: membership does not depend on the set's order
                (ast::CmpOp::In | ast::CmpOp::NotIn, Expr::Set(set)) => {
                    sequence(&set.elts, env, hook, budget)
                }
                (_, right) => eval(right, env, hook, budget),
            };
            if let Some(reason) = l.opaque_reason().or_else(|| r.opaque_reason()) {
                return Val::Opaque(reason);
            }
            let contains = |hay: &Val, needle: &Val| match hay {
                Val::List(v) => Some(v.contains(needle)),
                Val::Str(h) => needle.as_str().map(|n| h.contains(n)),
                Val::Dict(d) => Some(d.iter().any(|(k, _)| k == needle)),
                _ => None,
            };
            // SQLAlchemy overloads comparisons on its objects (`t.c.x == None` is a SQL
            // condition, not `False`): such a comparison stays structured, a call of
            // Python's `operator.eq`, `operator.lt`... the layer above may read
            let structured = |v: &Val| matches!(v, Val::Call { .. } | Val::Method { .. });
            let func = match c.ops[0] {
                ast::CmpOp::Eq => Some("operator.eq"),
                ast::CmpOp::NotEq => Some("operator.ne"),
                ast::CmpOp::Lt => Some("operator.lt"),
                ast::CmpOp::LtE => Some("operator.le"),
                ast::CmpOp::Gt => Some("operator.gt"),
                ast::CmpOp::GtE => Some("operator.ge"),
                _ => None,
            };
            if let Some(func) = func.filter(|_| structured(&l) || structured(&r)) {
                return Val::Call {
                    func: func.into(),
                    args: vec![l, r],
                    kwargs: Vec::new(),
                };
            }
            // a module attribute whose value the planner does not know (`op._proxy.x.name`)
            // is not unequal to a literal for it: only the same name is known equal
            let unknown = [&l, &r].into_iter().find_map(|v| match v {
                Val::Ref(q) => Some(q),
                _ => None,
            });
            if let (
                ast::CmpOp::Eq | ast::CmpOp::Is | ast::CmpOp::NotEq | ast::CmpOp::IsNot,
                Some(q),
            ) = (&c.ops[0], unknown)
            {
                if l != r {
                    return Val::Opaque(format!(
                        "a comparison of `{}`, whose value the planner does not know",
                        short_name(q)
                    ));
                }
            }
            let b = match c.ops[0] {
                ast::CmpOp::Eq | ast::CmpOp::Is => Some(l == r),
                ast::CmpOp::NotEq | ast::CmpOp::IsNot => Some(l != r),
                ast::CmpOp::In => contains(&r, &l),
                ast::CmpOp::NotIn => contains(&r, &l).map(|x| !x),
                ast::CmpOp::Lt | ast::CmpOp::LtE | ast::CmpOp::Gt | ast::CmpOp::GtE => {
                    match (&l, &r) {
                        (Val::Int(a), Val::Int(b)) => Some(match c.ops[0] {
                            ast::CmpOp::Lt => a < b,
                            ast::CmpOp::LtE => a <= b,
                            ast::CmpOp::Gt => a > b,
                            _ => a >= b,
                        }),
                        _ => None,
                    }
                }
            };
            b.map(Val::Bool)
                .unwrap_or_else(|| Val::Opaque("a comparison the planner cannot decide".into()))
        }
        Expr::BoolOp(b) => {
            let vals: Vec<Val> = b
                .values
                .iter()
                .map(|x| eval(x, env, hook, budget))
                .collect();
            let truth = |v: &Val| match v {
                Val::Bool(x) => Some(*x),
                Val::None => Some(false),
                Val::Int(i) => Some(*i != 0),
                Val::Str(s) => Some(!s.is_empty()),
                Val::List(l) => Some(!l.is_empty()),
                _ => None,
            };
            let and = matches!(b.op, ast::BoolOp::And);
            for v in &vals {
                match truth(v) {
                    Some(t) if t != and => return v.clone(),
                    Some(_) => {}
                    None => {
                        return Val::Opaque(
                            v.opaque_reason()
                                .unwrap_or_else(|| "a condition on unknown values".into()),
                        )
                    }
                }
            }
            vals.last().cloned().unwrap_or(Val::None)
        }
        Expr::UnaryOp(u) => match (u.op, eval(&u.operand, env, hook, budget)) {
            (ast::UnaryOp::USub, Val::Int(i)) => Val::Int(i.wrapping_neg()),
            (_, Val::Opaque(r)) => Val::Opaque(r),
            // `not x` of any value whose truth Python defines the planner knows
            (ast::UnaryOp::Not, v) => match truth(&v) {
                Some(t) => Val::Bool(!t),
                None => {
                    Val::Opaque("a `not` of a value whose truth the planner does not know".into())
                }
            },
            _ => Val::Opaque("a unary operation".into()),
        },
        Expr::Subscript(s) => match (
            eval(&s.value, env, hook, budget),
            eval(&s.slice, env, hook, budget),
        ) {
            (Val::List(v), Val::Int(i)) => {
                let i = if i < 0 { v.len() as i64 + i } else { i };
                v.get(i as usize)
                    .cloned()
                    .unwrap_or(Val::Opaque("an index out of range".into()))
            }
            (Val::Dict(d), k) => d
                .iter()
                .find(|(kk, _)| *kk == k)
                .map(|(_, v)| v.clone())
                .unwrap_or(Val::Opaque("a missing key".into())),
            (Val::Ref(q), _) => Val::Ref(q),
            (Val::Opaque(r), _) | (_, Val::Opaque(r)) => Val::Opaque(r),
            _ => Val::Opaque("a subscript".into()),
        },
        // `a if cond else b`: the branch the condition picks, when its truth is known
        Expr::If(x) => match eval(&x.test, env, hook, budget) {
            Val::Opaque(r) => Val::Opaque(r),
            test => match truth(&test) {
                Some(true) => eval(&x.body, env, hook, budget),
                Some(false) => eval(&x.orelse, env, hook, budget),
                None => Val::Opaque(
                    "a conditional expression on a value whose truth the planner does not know"
                        .into(),
                ),
            },
        },
        _ => Val::Opaque("an expression the planner does not evaluate".into()),
    }
}

/// The positional arguments of a call, `*args` flattened where the sequence is known.
fn call_args(
    arguments: &ast::Arguments,
    env: &Env,
    hook: &mut CallHook,
    budget: &mut Budget,
) -> Vec<Val> {
    let mut flat = Vec::new();
    for x in arguments.args.iter() {
        match x {
            Expr::Starred(s) => match eval(&s.value, env, hook, budget) {
                Val::List(v) => flat.extend(v),
                other => flat.push(other),
            },
            other => flat.push(eval(other, env, hook, budget)),
        }
    }
    flat
}

/// A call of a qualified name: the hook's value, or the call kept structured.
fn call_name(q: &str, args: Vec<Val>, kwargs: Vec<(String, Val)>, hook: &mut CallHook) -> Val {
    if let Some(v) = standard_library(q, &args, &kwargs) {
        return v;
    }
    match hook(Callee::Name(q), &args, &kwargs) {
        Some(v) => v,
        None => Val::Call {
            func: q.to_string(),
            args,
            kwargs,
        },
    }
}

/// A call of the standard library's functions the evaluator knows, however the name was
/// imported (`from textwrap import dedent`, `import textwrap`).
fn standard_library(q: &str, args: &[Val], kwargs: &[(String, Val)]) -> Option<Val> {
    match (q, args, kwargs) {
        ("textwrap.dedent", [Val::Str(text)], []) => Some(Val::Str(dedent(text))),
        _ => None,
    }
}

/// Python's `textwrap.dedent`: the margin every line shares (spaces and tabs, compared as
/// written) removed; lines of white space only become empty.
pub fn dedent(text: &str) -> String {
    let blank = |l: &str| l.trim_matches([' ', '\t']).is_empty();
    let mut margin: Option<&str> = None;
    for line in text.split('\n').filter(|l| !blank(l)) {
        let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
        margin = Some(match margin {
            None => indent,
            Some(m) => {
                let common = m
                    .char_indices()
                    .zip(indent.chars())
                    .find(|((_, a), b)| a != b)
                    .map_or(m.len().min(indent.len()), |((i, _), _)| i);
                &m[..common]
            }
        });
    }
    let margin = margin.unwrap_or("");
    text.split('\n')
        .map(|l| {
            if blank(l) {
                ""
            } else {
                l.strip_prefix(margin).unwrap_or(l)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One binary operation on values the evaluator combines; strings and lists built are
/// charged to the budget.
fn binop(op: Operator, l: Val, r: Val, budget: &mut Budget) -> Val {
    match (op, l, r) {
        // refused before it is built when the result would be too large
        (Operator::Add, Val::Str(a), Val::Str(b)) if a.len() + b.len() > MAX_VALUE_BYTES => {
            budget.too_large()
        }
        (Operator::Add, Val::Str(a), Val::Str(b)) => budget.string(a + &b),
        (Operator::Add, Val::List(a), Val::List(b)) if a.len() + b.len() > MAX_VALUE_ITEMS => {
            budget.too_large()
        }
        (Operator::Add, Val::List(mut a), Val::List(b)) => {
            a.extend(b);
            budget.list(a)
        }
        (Operator::Add, Val::Int(a), Val::Int(b)) => Val::Int(a.wrapping_add(b)),
        (Operator::Sub, Val::Int(a), Val::Int(b)) => Val::Int(a.wrapping_sub(b)),
        (Operator::Mult, Val::Int(a), Val::Int(b)) => Val::Int(a.wrapping_mul(b)),
        // Python's floor division and modulo (the sign of the divisor); by zero it raises
        (Operator::FloorDiv | Operator::Mod, Val::Int(a), Val::Int(b)) => {
            match (a.checked_div(b), a.checked_rem(b)) {
                (Some(q), Some(m)) => {
                    let floor = m != 0 && ((m < 0) != (b < 0));
                    Val::Int(match (op, floor) {
                        (Operator::FloorDiv, true) => q - 1,
                        (Operator::FloorDiv, false) => q,
                        (_, true) => m + b,
                        (_, false) => m,
                    })
                }
                _ => Val::Opaque("a division by zero (or out of range)".into()),
            }
        }
        (Operator::Mod, Val::Str(fmt), arg) => match percent_format(&fmt, &arg) {
            Val::Str(s) => budget.string(s),
            other => other,
        },
        (_, Val::Opaque(r), _) | (_, _, Val::Opaque(r)) => Val::Opaque(r),
        _ => Val::Opaque("an operation on values the planner does not combine".into()),
    }
}

/// An f-string's text: literal parts as written, each placeholder from `interp`; the
/// first `Err` stops.
/// A placeholder with a conversion other than `!s` (`!r`), a format spec (`:>10`) or `=`
/// is given to `interp` as `None`: its text is not the value's `str()`.
pub fn fstring<E>(
    f: &ast::ExprFString,
    mut interp: impl FnMut(Option<&Expr>) -> Result<String, E>,
) -> Result<String, E> {
    let mut out = String::new();
    for part in f.value.iter() {
        match part {
            ast::FStringPart::Literal(l) => out.push_str(&l.value),
            ast::FStringPart::FString(fs) => {
                for el in fs.elements.iter() {
                    match el {
                        ast::InterpolatedStringElement::Literal(l) => out.push_str(&l.value),
                        ast::InterpolatedStringElement::Interpolation(i) => {
                            // (`!s` is `str()`, as a plain placeholder is)
                            let plain = matches!(
                                i.conversion,
                                ast::ConversionFlag::None | ast::ConversionFlag::Str
                            ) && i.format_spec.is_none()
                                && i.debug_text.is_none();
                            out.push_str(&interp(plain.then_some(&*i.expression))?)
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Python's `str(v)` where the planner knows it exactly: strings, integers, booleans,
/// `None` and the bounds of `datetime`'s types. Anything else (a module attribute such as
/// `datetime.now`, a SQLAlchemy object,
/// a float written another way) is `Err` with the reason, never its Python source.
pub fn py_str(v: &Val) -> Result<String, String> {
    if let Some(t) = match v {
        Val::Ref(q) => datetime_bound(q),
        _ => None,
    } {
        return Ok(t.into());
    }
    match v {
        Val::Str(s) => Ok(s.clone()),
        Val::Int(i) => Ok(i.to_string()),
        Val::Bool(b) => Ok(if *b { "True" } else { "False" }.into()),
        Val::None => Ok("None".into()),
        Val::Opaque(r) => Err(r.clone()),
        other => Err(format!(
            "the text of {}, which the planner does not know without running it",
            other.render()
        )),
    }
}

/// The bounds of `datetime`'s types, constants printed as Python prints them.
fn datetime_bound(q: &str) -> Option<&'static str> {
    Some(match q {
        "datetime.datetime.min" => "0001-01-01 00:00:00",
        "datetime.datetime.max" => "9999-12-31 23:59:59.999999",
        "datetime.date.min" => "0001-01-01",
        "datetime.date.max" => "9999-12-31",
        _ => return None,
    })
}

/// Python's `repr(v)` for a string without quotes, backslashes or control characters;
/// `str` for the other values [`py_str`] knows.
fn py_repr(v: &Val) -> Result<String, String> {
    match v {
        Val::Str(s) if !s.chars().any(|c| c == '\'' || c == '\\' || c.is_control()) => {
            Ok(format!("'{s}'"))
        }
        Val::Str(_) => Err("the repr() of a string with quotes or escapes".into()),
        other => py_str(other),
    }
}

/// `"..." % args` for `%s`, `%d`, `%r` and `%%`.
fn percent_format(fmt: &str, arg: &Val) -> Val {
    // `"%(name)s" % {"name": ...}`: the keys of a mapping
    if let (Val::Dict(map), true) = (arg, fmt.contains("%(")) {
        return percent_format_mapping(fmt, map);
    }
    let args: Vec<Val> = match arg {
        Val::List(v) => v.clone(),
        other => vec![other.clone()],
    };
    let mut out = String::new();
    let mut it = args.iter();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if out.len() > MAX_VALUE_BYTES {
            return Val::Opaque("a %-format longer than the planner builds".into());
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some(k @ ('s' | 'd' | 'r')) => {
                let Some(v) = it.next() else {
                    return Val::Opaque("a %-format with too few arguments".into());
                };
                match percent_conversion(k, v) {
                    Ok(t) => out.push_str(&t),
                    Err(r) => return Val::Opaque(r),
                }
            }
            _ => return Val::Opaque("a %-format the planner does not handle".into()),
        }
    }
    Val::Str(out)
}

/// One `%s`, `%d` or `%r` of `v`, as Python writes it.
fn percent_conversion(k: char, v: &Val) -> Result<String, String> {
    match (k, v) {
        ('d', Val::Int(i)) => Ok(i.to_string()),
        ('d', Val::Bool(b)) => Ok(if *b { "1" } else { "0" }.into()),
        ('d', _) => Err("a %d of a value that is not an integer".into()),
        ('r', v) => py_repr(v),
        (_, v) => py_str(v),
    }
}

/// `fmt % mapping` where every placeholder names a key: `%(key)s`, `%(key)d`, `%(key)r`,
/// `%%`. Anything else, or a key the mapping lacks (Python raises), is opaque.
fn percent_format_mapping(fmt: &str, map: &[(Val, Val)]) -> Val {
    let mut out = String::new();
    let mut rest = fmt;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        if out.len() > MAX_VALUE_BYTES {
            return Val::Opaque("a %-format longer than the planner builds".into());
        }
        let after = &rest[at + 1..];
        if let Some(tail) = after.strip_prefix('%') {
            out.push('%');
            rest = tail;
            continue;
        }
        let Some(named) = after.strip_prefix('(') else {
            return Val::Opaque("a %-format mixing keys and positions".into());
        };
        let Some(close) = named.find(')') else {
            return Val::Opaque("a %-format the planner does not handle".into());
        };
        let key = &named[..close];
        let mut conv = named[close + 1..].chars();
        let Some(k) = conv.next() else {
            return Val::Opaque("a %-format the planner does not handle".into());
        };
        let Some(v) = map
            .iter()
            .find(|(x, _)| x.as_str() == Some(key))
            .map(|(_, v)| v)
        else {
            return Val::Opaque(format!("a %-format of a key the mapping lacks: `{key}`"));
        };
        if !matches!(k, 's' | 'd' | 'r') {
            return Val::Opaque("a %-format the planner does not handle".into());
        }
        match percent_conversion(k, v) {
            Ok(t) => out.push_str(&t),
            Err(r) => return Val::Opaque(r),
        }
        rest = conv.as_str();
    }
    out.push_str(rest);
    Val::Str(out)
}

/// The string methods [`str_method`] computes.
const STR_METHODS: &[&str] = &[
    "startswith",
    "endswith",
    "lower",
    "upper",
    "strip",
    "lstrip",
    "rstrip",
    "replace",
    "join",
];

/// A method of a known string with known arguments, as Python computes it: tests
/// (`startswith`, `endswith`), case (`lower`, `upper`), `strip` and its sides, `replace`,
/// `join` of known strings. `None` for anything else (kept opaque by the caller).
fn str_method(s: &str, name: &str, args: &[Val]) -> Option<Val> {
    let text = |v: &Val| v.as_str().map(str::to_string);
    // `startswith("a")` or `startswith(("a", "b"))`
    let prefixes = |v: &Val| -> Option<Vec<String>> {
        match v {
            Val::Str(p) => Some(vec![p.clone()]),
            Val::List(items) => items.iter().map(text).collect(),
            _ => None,
        }
    };
    let strip_set = |args: &[Val]| -> Option<Option<Vec<char>>> {
        match args {
            [] | [Val::None] => Some(None),
            [Val::Str(chars)] => Some(Some(chars.chars().collect())),
            _ => None,
        }
    };
    Some(match (name, args) {
        ("startswith", [p]) => Val::Bool(prefixes(p)?.iter().any(|p| s.starts_with(p.as_str()))),
        ("endswith", [p]) => Val::Bool(prefixes(p)?.iter().any(|p| s.ends_with(p.as_str()))),
        ("lower", []) => Val::Str(s.to_lowercase()),
        ("upper", []) => Val::Str(s.to_uppercase()),
        ("strip" | "lstrip" | "rstrip", _) => {
            let set = strip_set(args)?;
            let is = |c: char| match &set {
                None => c.is_whitespace(),
                Some(cs) => cs.contains(&c),
            };
            Val::Str(
                match name {
                    "strip" => s.trim_matches(is),
                    "lstrip" => s.trim_start_matches(is),
                    _ => s.trim_end_matches(is),
                }
                .to_string(),
            )
        }
        // (the result's size is bounded before it is built: a blown-up value is opaque)
        ("replace", [Val::Str(old), Val::Str(new)]) if !old.is_empty() => {
            let grown = s.matches(old.as_str()).count().saturating_mul(new.len());
            if s.len().saturating_add(grown) > MAX_VALUE_BYTES {
                return Some(Val::Opaque("a string past the planner's size bound".into()));
            }
            Val::Str(s.replace(old.as_str(), new))
        }
        ("join", [Val::List(items)]) => {
            let parts = items.iter().map(text).collect::<Option<Vec<_>>>()?;
            let size = parts
                .iter()
                .map(String::len)
                .sum::<usize>()
                .saturating_add(s.len().saturating_mul(parts.len()));
            if size > MAX_VALUE_BYTES {
                return Some(Val::Opaque("a string past the planner's size bound".into()));
            }
            Val::Str(parts.join(s))
        }
        _ => return None,
    })
}

/// `"...{}...{name}".format(...)` with plain placeholders.
fn str_format(fmt: &str, args: &[Val], kwargs: &[(String, Val)]) -> Val {
    let mut out = String::new();
    let mut next = 0usize;
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if out.len() > MAX_VALUE_BYTES {
            return Val::Opaque("a .format() longer than the planner builds".into());
        }
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut field = String::new();
                for d in chars.by_ref() {
                    if d == '}' {
                        break;
                    }
                    field.push(d);
                }
                let v = if field.is_empty() {
                    next += 1;
                    args.get(next - 1)
                } else if let Ok(i) = field.parse::<usize>() {
                    args.get(i)
                } else {
                    kwargs.iter().find(|(k, _)| *k == field).map(|(_, v)| v)
                };
                match v.map(py_str) {
                    Some(Ok(t)) => out.push_str(&t),
                    Some(Err(r)) => return Val::Opaque(r),
                    None => return Val::Opaque("a .format() placeholder without a value".into()),
                }
            }
            c => out.push(c),
        }
    }
    Val::Str(out)
}

/// `[elt for target in iter if cond ...]` over sequences the evaluator knows.
/// Python's truth of a plain value (`None`, `False`, `0`, `""`, empty lists and dicts are
/// false); `None` for a value whose truth the planner cannot know.
pub fn truth(v: &Val) -> Option<bool> {
    match v {
        Val::Bool(b) => Some(*b),
        Val::None => Some(false),
        Val::Int(i) => Some(*i != 0),
        Val::Str(s) => Some(!s.is_empty()),
        Val::List(v) => Some(!v.is_empty()),
        Val::Dict(v) => Some(!v.is_empty()),
        _ => None,
    }
}

/// The values of a list, tuple or set display, in the order written.
fn sequence(elts: &[Expr], env: &Env, hook: &mut CallHook, budget: &mut Budget) -> Val {
    let mut items = Vec::with_capacity(elts.len());
    for x in elts {
        match x {
            // `[*known, x]`: a known sequence unpacked in place; anything else unknown
            Expr::Starred(s) => match eval(&s.value, env, hook, budget) {
                Val::List(v) => items.extend(v),
                Val::Opaque(r) => return Val::Opaque(r),
                _ => return Val::Opaque("a `*` of a value that is not a known sequence".into()),
            },
            other => items.push(eval(other, env, hook, budget)),
        }
    }
    budget.list(items)
}

/// A set's values: known as a sequence only when at most one distinct value makes its
/// order moot.
fn unordered(v: Val) -> Val {
    match v {
        Val::List(items) => {
            let mut distinct: Vec<&Val> = Vec::new();
            for x in &items {
                if !distinct.contains(&x) {
                    distinct.push(x);
                }
                if distinct.len() > 1 {
                    return Val::Opaque(
                        "a set of several values, which Python iterates in hash order, not as written"
                            .into(),
                    );
                }
            }
            Val::List(distinct.into_iter().cloned().collect())
        }
        other => other,
    }
}

fn comprehension(
    elt: &Expr,
    generators: &[ast::Comprehension],
    env: &Env,
    hook: &mut CallHook,
    budget: &mut Budget,
) -> Val {
    let Some((first, rest)) = generators.split_first() else {
        return Val::List(vec![eval(elt, env, hook, budget)]);
    };
    let items = match eval(&first.iter, env, hook, budget) {
        Val::List(v) => v,
        Val::Opaque(r) => return Val::Opaque(r),
        other => {
            return Val::Opaque(format!(
                "a comprehension over {}, which the planner cannot list",
                other.render()
            ))
        }
    };
    let mut out = Vec::new();
    for item in items {
        // each turn copies the names in scope
        if let Err(r) = budget
            .step()
            .and_then(|_| budget.charge(env.vars.len() * std::mem::size_of::<Val>()))
        {
            return Val::Opaque(r);
        }
        let mut local = env.clone();
        assign(&first.target, item, &mut local, budget);
        let mut keep = true;
        for cond in &first.ifs {
            match eval(cond, &local, hook, budget) {
                Val::Bool(b) => keep &= b,
                Val::None => keep = false,
                Val::Int(i) => keep &= i != 0,
                Val::Str(s) => keep &= !s.is_empty(),
                Val::List(l) => keep &= !l.is_empty(),
                Val::Opaque(r) => return Val::Opaque(r),
                _ => return Val::Opaque("a comprehension condition on unknown values".into()),
            }
        }
        if !keep {
            continue;
        }
        match comprehension(elt, rest, &local, hook, budget) {
            Val::List(v) => out.extend(v),
            other => return other,
        }
        if out.len() > MAX_VALUE_ITEMS {
            return budget.too_large();
        }
    }
    budget.list(out)
}

/// Binds an assignment or `for` target (a name, or nested tuples/lists of names) to a
/// value; an unpacking the evaluator cannot follow binds each name to an opaque value. A
/// value too large or too deeply nested to keep is bound as opaque.
pub fn assign(target: &Expr, v: Val, env: &mut Env, budget: &mut Budget) {
    match target {
        Expr::Name(n) => {
            let v = budget.admit(v);
            env.vars.insert(n.id.to_string(), v);
        }
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
            match v {
                Val::List(items) if items.len() == elts.len() => {
                    for (t, x) in elts.iter().zip(items) {
                        assign(t, x, env, budget);
                    }
                }
                other => {
                    let r = other
                        .opaque_reason()
                        .unwrap_or_else(|| "an unpacking of unknown values".into());
                    for t in elts {
                        assign(t, Val::Opaque(r.clone()), env, budget);
                    }
                }
            }
        }
        // `d["k"] = v`, `items[0] = v`: the container changed in place, when both it and
        // the key are known; otherwise the container is no longer known
        Expr::Subscript(sub) => {
            let Some(root) = root_name(target) else {
                return;
            };
            let key = match &*sub.value {
                Expr::Name(_) => Some(eval(&sub.slice, env, &mut |_, _, _| None, budget)),
                _ => None,
            };
            let changed = match (env.vars.get(root), key) {
                (Some(Val::Dict(items)), Some(k)) if k.opaque_reason().is_none() => {
                    let mut items = items.clone();
                    match items.iter_mut().find(|(x, _)| *x == k) {
                        Some(slot) => slot.1 = v,
                        None => items.push((k, v)),
                    }
                    Val::Dict(items)
                }
                (Some(Val::List(items)), Some(Val::Int(i)))
                    if (0..items.len() as i64).contains(&i) =>
                {
                    let mut items = items.clone();
                    items[i as usize] = v;
                    Val::List(items)
                }
                _ => changed_in_place(root),
            };
            let changed = budget.admit(changed);
            env.vars.insert(root.to_string(), changed);
        }
        // `obj.attr = v` and anything else: the object is no longer known
        other => {
            if let Some(root) = root_name(other) {
                env.vars.insert(root.to_string(), changed_in_place(root));
            }
        }
    }
}

/// The name a target or receiver chain starts from: `d` of `d["k"]`, `a` of `a.b[c]`.
fn root_name(e: &Expr) -> Option<&str> {
    match e {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Subscript(s) => root_name(&s.value),
        Expr::Attribute(a) => root_name(&a.value),
        _ => None,
    }
}

/// What a name holds once it was changed in a way the planner does not follow.
pub fn changed_in_place(name: &str) -> Val {
    Val::Opaque(format!(
        "`{name}` is changed in place in a way the planner does not follow"
    ))
}

const BUILTINS: &[&str] = &[
    "reversed",
    "list",
    "tuple",
    "sorted",
    "len",
    "range",
    "str",
    "int",
    "set",
    "enumerate",
    "zip",
];

/// `dict(...)` of known values: keywords, a known dict or list of pairs, then keywords over
/// it, in Python's order (a key given again keeps its first place, takes the new value).
fn dict_call(args: Vec<Val>, kwargs: Vec<(String, Val)>) -> Val {
    let mut items: Vec<(Val, Val)> = match args.as_slice() {
        [] => Vec::new(),
        [Val::Dict(d)] => d.clone(),
        [Val::List(pairs)] => match pairs
            .iter()
            .map(|p| match p {
                Val::List(kv) if kv.len() == 2 => Some((kv[0].clone(), kv[1].clone())),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
        {
            Some(v) => v,
            None => return Val::Opaque("a `dict()` of something other than pairs".into()),
        },
        _ => return Val::Opaque("a `dict()` of values the planner does not know".into()),
    };
    for (k, v) in kwargs {
        if k == "**" {
            return Val::Opaque("a `dict(**...)` of values the planner does not know".into());
        }
        let key = Val::Str(k);
        match items.iter_mut().find(|(x, _)| *x == key) {
            Some(slot) => slot.1 = v,
            None => items.push((key, v)),
        }
    }
    if let Some(r) = items.iter().find_map(|(k, _)| k.opaque_reason()) {
        return Val::Opaque(r);
    }
    Val::Dict(items)
}

/// The few builtins migration code uses on known values.
fn builtin(name: &str, args: &[Val], budget: &mut Budget) -> Val {
    let seq = |v: Option<&Val>| -> Option<Vec<Val>> {
        match v {
            Some(Val::List(l)) => Some(l.clone()),
            Some(Val::Str(s)) => Some(s.chars().map(|c| Val::Str(c.to_string())).collect()),
            Some(Val::Dict(d)) => Some(d.iter().map(|(k, _)| k.clone()).collect()),
            _ => None,
        }
    };
    if let Some(r) = args.iter().find_map(|a| a.opaque_reason()) {
        return Val::Opaque(r);
    }
    let out = match name {
        "reversed" => seq(args.first()).map(|mut v| {
            v.reverse();
            Val::List(v)
        }),
        "list" | "tuple" | "set" => seq(args.first()).map(Val::List),
        "sorted" => seq(args.first()).and_then(|mut v| {
            if v.iter().all(|x| matches!(x, Val::Str(_))) {
                v.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                Some(Val::List(v))
            } else if v.iter().all(|x| matches!(x, Val::Int(_))) {
                v.sort_by_key(|x| if let Val::Int(i) = x { *i } else { 0 });
                Some(Val::List(v))
            } else {
                None
            }
        }),
        "len" => seq(args.first()).map(|v| Val::Int(v.len() as i64)),
        "range" => {
            let ints: Vec<i64> = args
                .iter()
                .filter_map(|a| if let Val::Int(i) = a { Some(*i) } else { None })
                .collect();
            let (start, stop) = match ints.as_slice() {
                [stop] => (0, *stop),
                [start, stop, ..] => (*start, *stop),
                _ => (0, -1),
            };
            (stop >= start && stop - start <= MAX_RANGE)
                .then(|| Val::List((start..stop).map(Val::Int).collect()))
        }
        "str" => args.first().map(|a| match py_str(a) {
            Ok(s) => Val::Str(s),
            Err(r) => Val::Opaque(r),
        }),
        "int" => match args.first() {
            Some(Val::Int(i)) => Some(Val::Int(*i)),
            Some(Val::Str(s)) => s.trim().parse().ok().map(Val::Int),
            _ => None,
        },
        "enumerate" => seq(args.first()).map(|v| {
            Val::List(
                v.into_iter()
                    .enumerate()
                    .map(|(i, x)| Val::List(vec![Val::Int(i as i64), x]))
                    .collect(),
            )
        }),
        "zip" => {
            let seqs: Option<Vec<Vec<Val>>> = args.iter().map(|a| seq(Some(a))).collect();
            seqs.map(|s| {
                let n = s.iter().map(|x| x.len()).min().unwrap_or(0);
                Val::List(
                    (0..n)
                        .map(|i| Val::List(s.iter().map(|x| x[i].clone()).collect()))
                        .collect(),
                )
            })
        }
        _ => None,
    };
    match out {
        // what a builtin makes is a copy: charged, and bounded like any value
        Some(v) => budget.admit(v),
        None => Val::Opaque(format!("`{name}()` on values the planner cannot list")),
    }
}
