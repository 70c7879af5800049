//! Values of the partial evaluator: what the planner can know without running anything.
//! Literals, collections, and calls of SQLAlchemy/Alembic callables kept as structured
//! `Call`s (`sa.Column("id", sa.Integer())` stays a call of `sqlalchemy.Column`). What
//! cannot be known (application imports, query results) is an `Opaque` value carrying the
//! reason.

/// An object owned by the evaluator's host, by number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct HostRef(pub u32);

/// The pseudo-method marking a type named as a class, not called (`existing_type=
/// UtcDateTime`, a project type whose SQL is an instance): it compiles as the instance,
/// but SQLAlchemy reads no affinity from a class (`render::types::is_instance`).
pub const AS_CLASS: &str = "<class>";

/// A value of the partial evaluator.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    None,
    Bool(bool),
    Int(i64),
    /// A float, kept as written.
    Float(String),
    Str(String),
    List(Vec<Val>),
    Dict(Vec<(Val, Val)>),
    /// A known callable, called: qualified name, positional and keyword arguments.
    Call {
        func: String,
        args: Vec<Val>,
        kwargs: Vec<(String, Val)>,
    },
    /// A method called on a known value, kept structured: `sa.Integer().with_variant(
    /// mysql.BIGINT(), "mysql")` is the `with_variant` method of the `Integer()` call.
    Method {
        receiver: Box<Val>,
        name: String,
        args: Vec<Val>,
        kwargs: Vec<(String, Val)>,
    },
    /// A known module attribute, not called: a qualified name (`sqlalchemy.Integer`,
    /// `alembic.op`).
    Ref(String),
    /// An object the layer that drives the evaluator owns and gives meaning to (a batch
    /// block's `batch_op`, the connection `op.get_bind()` returns, a helper function of the
    /// file): calls of it and of its methods go to that layer's hook as [`Callee::Host`].
    ///
    /// [`Callee::Host`]: super::eval::Callee::Host
    Host(HostRef),
    /// Not knowable without running code; the reason says why.
    Opaque(String),
}

impl Val {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A string, or the name `op.f(...)` / `op.inline_literal(...)` wraps.
    pub fn name(&self) -> Option<String> {
        match self {
            Val::Str(s) => Some(s.clone()),
            Val::Call { func, args, .. } if func == "alembic.op.f" => {
                args.first().and_then(|a| a.name())
            }
            _ => None,
        }
    }

    pub fn kwarg(&self, key: &str) -> Option<&Val> {
        match self {
            Val::Call { kwargs, .. } => kwargs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn items(&self) -> Option<&[Val]> {
        match self {
            Val::List(v) => Some(v),
            _ => None,
        }
    }

    /// `self.with_variant(variant, "dialect", ...)`, as SQLAlchemy's type method writes it.
    pub fn with_variant(self, variant: Val, dialects: impl IntoIterator<Item = String>) -> Val {
        Val::Method {
            receiver: Box::new(self),
            name: "with_variant".into(),
            args: std::iter::once(variant)
                .chain(dialects.into_iter().map(Val::Str))
                .collect(),
            kwargs: Vec::new(),
        }
    }

    /// This value rebuilt with `f` applied top-down: where `f` gives a value it replaces
    /// the node, elsewhere the calls, methods and lists inside are mapped the same way.
    pub fn map(&self, f: &mut dyn FnMut(&Val) -> Option<Val>) -> Val {
        if let Some(v) = f(self) {
            return v;
        }
        let mut each = |xs: &[Val]| xs.iter().map(|x| x.map(&mut *f)).collect::<Vec<_>>();
        match self {
            Val::Call { func, args, kwargs } => Val::Call {
                func: func.clone(),
                args: each(args),
                kwargs: kwargs
                    .iter()
                    .map(|(k, x)| (k.clone(), x.map(&mut *f)))
                    .collect(),
            },
            Val::Method {
                receiver,
                name,
                args,
                kwargs,
            } => Val::Method {
                receiver: Box::new(receiver.map(&mut *f)),
                name: name.clone(),
                args: args.iter().map(|x| x.map(&mut *f)).collect(),
                kwargs: kwargs
                    .iter()
                    .map(|(k, x)| (k.clone(), x.map(&mut *f)))
                    .collect(),
            },
            Val::List(xs) => Val::List(each(xs)),
            other => other.clone(),
        }
    }

    /// The names written with `op.f(...)` anywhere inside this value (SQLAlchemy's `conv`
    /// names: shortened past the dialect's limit instead of refused), added to `out`.
    pub fn conv_names(&self, out: &mut Vec<String>) {
        match self {
            Val::Call { func, args, .. } if func == "alembic.op.f" => {
                if let Some(n) = args.first().and_then(Val::name) {
                    out.push(n);
                }
            }
            Val::List(v) => v.iter().for_each(|x| x.conv_names(out)),
            Val::Dict(v) => v.iter().for_each(|(k, x)| {
                k.conv_names(out);
                x.conv_names(out);
            }),
            Val::Call { args, kwargs, .. } | Val::Method { args, kwargs, .. } => {
                if let Val::Method { receiver, .. } = self {
                    receiver.conv_names(out);
                }
                args.iter().for_each(|x| x.conv_names(out));
                kwargs.iter().for_each(|(_, x)| x.conv_names(out));
            }
            _ => {}
        }
    }

    /// The first opaque reason inside this value, if any.
    pub fn opaque_reason(&self) -> Option<String> {
        match self {
            Val::Opaque(r) => Some(r.clone()),
            Val::List(v) => v.iter().find_map(|x| x.opaque_reason()),
            Val::Dict(v) => v
                .iter()
                .find_map(|(k, x)| k.opaque_reason().or_else(|| x.opaque_reason())),
            Val::Call { args, kwargs, .. } => args
                .iter()
                .find_map(|x| x.opaque_reason())
                .or_else(|| kwargs.iter().find_map(|(_, x)| x.opaque_reason())),
            // a variant the planner cannot know matters to its dialects only: the render
            // layer says so when it compiles the type for one of them
            Val::Method {
                receiver,
                name,
                args,
                kwargs,
            } => receiver
                .opaque_reason()
                .or_else(|| {
                    let skip = usize::from(name == "with_variant");
                    args.iter().skip(skip).find_map(|x| x.opaque_reason())
                })
                .or_else(|| kwargs.iter().find_map(|(_, x)| x.opaque_reason())),
            _ => None,
        }
    }

    /// Python-ish rendering, for operation text.
    pub fn render(&self) -> String {
        match self {
            Val::None => "None".into(),
            Val::Bool(b) => if *b { "True" } else { "False" }.into(),
            Val::Int(i) => i.to_string(),
            Val::Float(f) => f.clone(),
            Val::Str(s) => format!("{s:?}"),
            Val::List(v) => format!(
                "[{}]",
                v.iter().map(|x| x.render()).collect::<Vec<_>>().join(", ")
            ),
            Val::Dict(v) => format!(
                "{{{}}}",
                v.iter()
                    .map(|(k, x)| format!("{}: {}", k.render(), x.render()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Val::Call { func, args, kwargs } => {
                let mut parts: Vec<String> = args.iter().map(|a| a.render()).collect();
                parts.extend(kwargs.iter().map(|(k, v)| format!("{k}={}", v.render())));
                format!("{}({})", short_name(func), parts.join(", "))
            }
            Val::Method {
                receiver,
                name,
                args,
                kwargs,
            } => {
                let mut parts: Vec<String> = args.iter().map(|a| a.render()).collect();
                parts.extend(kwargs.iter().map(|(k, v)| format!("{k}={}", v.render())));
                format!("{}.{name}({})", receiver.render(), parts.join(", "))
            }
            Val::Ref(r) => short_name(r),
            Val::Host(_) => "<object>".into(),
            Val::Opaque(r) => format!("<unknown: {r}>"),
        }
    }
}

/// `sqlalchemy.dialects.postgresql.JSONB` → `postgresql.JSONB`; `sqlalchemy.Integer` → `Integer`.
pub fn short_name(q: &str) -> String {
    for d in ["postgresql", "mysql", "sqlite", "mssql", "oracle"] {
        if let Some(rest) = q.strip_prefix(&format!("sqlalchemy.dialects.{d}.")) {
            return format!("{d}.{rest}");
        }
    }
    for p in [
        "sqlalchemy.types.",
        "sqlalchemy.sql.",
        "sqlalchemy.schema.",
        "sqlalchemy.",
        "alembic.",
    ] {
        if let Some(rest) = q.strip_prefix(p) {
            return rest.to_string();
        }
    }
    q.to_string()
}
