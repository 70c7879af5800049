//! The fuzz targets' bodies, shared by `fuzz/` (cargo-fuzz, libFuzzer, coverage-guided)
//! and `tests/fuzz.rs` (which replays every crash found, kept as a regression fixture in
//! `tests/fixtures/fuzz/<target>/`). Each takes the fuzzer's bytes; the structure-aware
//! ones read them with `arbitrary` as Python-shaped migrations, so the fuzzer spends its time
//! inside the interpreter, the simulator and the renderers rather than in the parser's
//! error paths.
#![allow(dead_code)]

use arbitrary::{Arbitrary, Unstructured};

use alembic_planner::alembic::commands::{self, Context};
use alembic_planner::alembic::offline::{self, OfflineOptions};
use alembic_planner::base::Dialect;
use alembic_planner::{InputFile, LoadOptions, Project};

/// A fuzz target: bytes in, panics are the findings.
pub type Target = fn(&[u8]);

/// The targets, by name (the `fuzz/fuzz_targets/<name>.rs` files and the regression
/// folders).
pub const TARGETS: &[(&str, Target)] = &[
    ("read_script", read_script),
    ("interpret", interpret),
    ("project", project),
    ("sql", sql),
    ("read_zip", read_zip),
    ("route", route),
];

/// Bytes as one revision file: reading its identifiers, interpreting it, every output.
pub fn read_script(data: &[u8]) {
    let p = Project::load(&[InputFile::new("f.py", data)], LoadOptions::default());
    outputs(&p, &["heads", "base:heads"]);
}

/// A structure-aware migration file (`Migration`), interpreted and rendered.
pub fn interpret(data: &[u8]) {
    let Ok(m) = Migration::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let text = m.source("a1", &[]);
    let p = Project::from_texts(&[("a1_x.py", text)]);
    outputs(&p, &["heads", "base:heads"]);
}

/// A structure-aware project: revisions with arbitrary links, labels, dependencies and
/// bodies; every plan and script of it in every dialect.
pub fn project(data: &[u8]) {
    let Ok(p) = FuzzProject::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let files = p.files();
    let project = Project::from_texts(&files);
    let mut targets: Vec<String> = vec!["heads".into(), "base:heads".into(), "head".into()];
    if let Some(r) = project.map.revs.first() {
        targets.push(format!("{}:+2", r.id));
        targets.push(format!(
            "{}@head",
            p.labels.first().cloned().unwrap_or_default()
        ));
    }
    let refs: Vec<&str> = targets.iter().map(String::as_str).collect();
    outputs(&project, &refs);
}

/// Bytes as SQL text, in every dialect: classified, and highlighted.
pub fn sql(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for d in Dialect::ALL {
        let _ = alembic_planner::sql::analyze(&text, d);
        let _ = alembic_planner::sql::highlight(&text, d);
    }
}

/// Bytes as a `.zip`: read, and its versions folder found and analysed.
pub fn read_zip(data: &[u8]) {
    let (files, _) = alembic_planner::input::read_zip("f.zip", data);
    let located = alembic_planner::input::locate_versions(files);
    let p = Project::load(&located.files, located.options);
    outputs(&p, &["heads"]);
}

/// Bytes as the web app's address: parsed, written, parsed again to the same route.
pub fn route(data: &[u8]) {
    use alembic_planner::present::route::Route;
    let text = String::from_utf8_lossy(data);
    let r = Route::parse(&text);
    let again = Route::parse(&r.to_fragment());
    assert_eq!(r, again, "a route survives its own fragment");
}

/// Every command and document of a project, plans to `targets` in every dialect.
fn outputs(p: &Project, targets: &[&str]) {
    let ctx = Context::default();
    let _ = commands::history(&p.map, &ctx, None, true);
    let _ = commands::heads(&p.map, &ctx, true, true);
    let _ = commands::branches(&p.map, &ctx, true);
    let _ = alembic_planner::present::views::history_rows(p);
    let layout = alembic_planner::present::layout::layout(p);
    let _ = alembic_planner::present::export::svg(p, &layout);
    let _ = p.coverage();
    for d in Dialect::ALL {
        let sim = alembic_planner::schema::table_map(p, d);
        let _ = alembic_planner::present::export::markdown(p, &layout, &sim, "x");
        let _ = alembic_planner::present::report::schema_report(&p.map, &sim);
        for t in targets {
            for upgrade in [true, false] {
                let range = if upgrade {
                    t.to_string()
                } else {
                    format!("{t}:base")
                };
                let _ = offline::run(
                    p,
                    &ctx,
                    upgrade,
                    &range,
                    OfflineOptions {
                        dialect: d,
                        transaction_per_migration: upgrade,
                    },
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Python-shaped migrations

/// Names the generated code uses: tables, columns, locals.
const NAMES: &[&str] = &[
    "users", "orders", "t", "id", "email", "name", "user_id", "x", "items", "i", "col", "ix",
];

/// Callables of the migration vocabulary.
const FUNCS: &[&str] = &[
    "op.create_table",
    "op.drop_table",
    "op.rename_table",
    "op.add_column",
    "op.drop_column",
    "op.alter_column",
    "op.create_index",
    "op.drop_index",
    "op.create_unique_constraint",
    "op.create_foreign_key",
    "op.create_check_constraint",
    "op.create_primary_key",
    "op.drop_constraint",
    "op.execute",
    "op.bulk_insert",
    "op.create_table_comment",
    "op.f",
    "op.get_bind",
    "op.get_context",
    "sa.Column",
    "sa.String",
    "sa.Integer",
    "sa.BigInteger",
    "sa.Boolean",
    "sa.DateTime",
    "sa.Enum",
    "sa.Numeric",
    "sa.JSON",
    "sa.ForeignKey",
    "sa.PrimaryKeyConstraint",
    "sa.UniqueConstraint",
    "sa.ForeignKeyConstraint",
    "sa.CheckConstraint",
    "sa.Index",
    "sa.text",
    "sa.func.now",
    "sa.table",
    "sa.column",
    "sa.true",
    "postgresql.JSONB",
    "postgresql.ARRAY",
    "mysql.BIGINT",
    "helper",
    "len",
    "range",
    "str",
    "sorted",
    "app.types.Slug",
];

const KWARGS: &[&str] = &[
    "nullable",
    "server_default",
    "type_",
    "existing_type",
    "unique",
    "index",
    "primary_key",
    "name",
    "ondelete",
    "postgresql_where",
    "comment",
    "new_column_name",
    "table_name",
    "recreate",
    "copy_from",
    "timezone",
    "length",
];

const SQL: &[&str] = &[
    "UPDATE users SET email = lower(email)",
    "CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL DEFAULT 'x')",
    "ALTER TABLE users ADD COLUMN x INTEGER",
    "ALTER TABLE users RENAME COLUMN x TO y",
    "DROP TABLE IF EXISTS t",
    "CREATE INDEX ix ON users (email)",
    "INSERT INTO users (id) VALUES (1)",
    "SELECT setval('s', 1)",
    "CREATE TYPE mood AS ENUM ('a', 'b')",
    "not sql at all (",
];

#[derive(Arbitrary, Debug)]
pub enum Expr {
    Str(u8),
    Sql(u8),
    Int(i16),
    Bool(bool),
    None,
    Name(u8),
    Call {
        func: u8,
        args: Vec<Expr>,
        kwargs: Vec<(u8, Expr)>,
    },
    Method {
        receiver: Box<Expr>,
        name: u8,
        args: Vec<Expr>,
    },
    Add(Box<Expr>, Box<Expr>),
    Mod(Box<Expr>, Box<Expr>),
    Format(Box<Expr>, Box<Expr>),
    FString(Box<Expr>),
    List(Vec<Expr>),
    Dict(Vec<(u8, Expr)>),
    Compare(Box<Expr>, Box<Expr>),
    Comprehension(Box<Expr>, u8, Box<Expr>),
    Subscript(Box<Expr>, i8),
}

/// A `batch_op.<method>(args, key=value)` call: method, arguments, keywords.
pub type BatchCall = (u8, Vec<Expr>, Vec<(u8, Expr)>);

#[derive(Arbitrary, Debug)]
pub enum Stmt {
    Expr(Expr),
    Assign(u8, Expr),
    AugAssign(u8, Expr),
    For(u8, Expr, Vec<Stmt>),
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    Batch(u8, Vec<BatchCall>),
    Try(Vec<Stmt>),
    Return,
    Pass,
    Raise,
    Def(Vec<Stmt>),
}

const METHODS: &[&str] = &[
    "with_variant",
    "create",
    "drop",
    "execute",
    "autocommit_block",
    "format",
    "upper",
    "evaluates_none",
];

impl Expr {
    fn source(&self, depth: usize) -> String {
        if depth > 12 {
            return "1".into();
        }
        let d = depth + 1;
        let pick = |k: &u8, v: &[&str]| v[*k as usize % v.len()].to_string();
        match self {
            Expr::Str(k) => format!("{:?}", pick(k, NAMES)),
            Expr::Sql(k) => format!("{:?}", pick(k, SQL)),
            Expr::Int(i) => i.to_string(),
            Expr::Bool(b) => if *b { "True" } else { "False" }.into(),
            Expr::None => "None".into(),
            Expr::Name(k) => pick(k, NAMES),
            Expr::Call { func, args, kwargs } => {
                let mut parts: Vec<String> = args.iter().take(6).map(|a| a.source(d)).collect();
                parts.extend(
                    kwargs
                        .iter()
                        .take(4)
                        .map(|(k, v)| format!("{}={}", pick(k, KWARGS), v.source(d))),
                );
                format!("{}({})", pick(func, FUNCS), parts.join(", "))
            }
            Expr::Method {
                receiver,
                name,
                args,
            } => format!(
                "{}.{}({})",
                receiver.source(d),
                pick(name, METHODS),
                args.iter()
                    .take(3)
                    .map(|a| a.source(d))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Expr::Add(a, b) => format!("({} + {})", a.source(d), b.source(d)),
            Expr::Mod(a, b) => format!("({} % {})", a.source(d), b.source(d)),
            Expr::Format(a, b) => format!("{}.format({})", a.source(d), b.source(d)),
            Expr::FString(a) => format!("f\"x{{{}}}y\"", a.source(d)),
            Expr::List(v) => format!(
                "[{}]",
                v.iter()
                    .take(6)
                    .map(|a| a.source(d))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Expr::Dict(v) => format!(
                "{{{}}}",
                v.iter()
                    .take(5)
                    .map(|(k, x)| format!("{:?}: {}", pick(k, NAMES), x.source(d)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Expr::Compare(a, b) => format!("({} == {})", a.source(d), b.source(d)),
            Expr::Comprehension(e, k, it) => format!(
                "[{} for {} in {}]",
                e.source(d),
                pick(k, NAMES),
                it.source(d)
            ),
            Expr::Subscript(e, i) => format!("{}[{i}]", e.source(d)),
        }
    }
}

impl Stmt {
    fn source(&self, indent: usize, out: &mut String) {
        if indent > 10 {
            return;
        }
        let pad = "    ".repeat(indent);
        let pick = |k: &u8, v: &[&str]| v[*k as usize % v.len()].to_string();
        let block = |body: &[Stmt], out: &mut String| {
            let before = out.len();
            for s in body.iter().take(8) {
                s.source(indent + 1, out);
            }
            if out.len() == before {
                out.push_str(&format!("{pad}    pass\n"));
            }
        };
        match self {
            Stmt::Expr(e) => out.push_str(&format!("{pad}{}\n", e.source(0))),
            Stmt::Assign(k, e) => {
                out.push_str(&format!("{pad}{} = {}\n", pick(k, NAMES), e.source(0)))
            }
            Stmt::AugAssign(k, e) => {
                out.push_str(&format!("{pad}{} += {}\n", pick(k, NAMES), e.source(0)))
            }
            Stmt::For(k, e, body) => {
                out.push_str(&format!(
                    "{pad}for {} in {}:\n",
                    pick(k, NAMES),
                    e.source(0)
                ));
                block(body, out);
            }
            Stmt::If(c, a, b) => {
                out.push_str(&format!("{pad}if {}:\n", c.source(0)));
                block(a, out);
                out.push_str(&format!("{pad}else:\n"));
                block(b, out);
            }
            Stmt::Batch(t, ops) => {
                out.push_str(&format!(
                    "{pad}with op.batch_alter_table({:?}) as batch_op:\n",
                    pick(t, NAMES)
                ));
                let before = out.len();
                for (f, args, kwargs) in ops.iter().take(6) {
                    let name = pick(f, FUNCS).trim_start_matches("op.").to_string();
                    let mut parts: Vec<String> = args.iter().take(4).map(|a| a.source(0)).collect();
                    parts.extend(
                        kwargs
                            .iter()
                            .take(3)
                            .map(|(k, v)| format!("{}={}", pick(k, KWARGS), v.source(0))),
                    );
                    out.push_str(&format!("{pad}    batch_op.{name}({})\n", parts.join(", ")));
                }
                if out.len() == before {
                    out.push_str(&format!("{pad}    pass\n"));
                }
            }
            Stmt::Try(body) => {
                out.push_str(&format!("{pad}try:\n"));
                block(body, out);
                out.push_str(&format!("{pad}except Exception:\n{pad}    pass\n"));
            }
            Stmt::Return => out.push_str(&format!("{pad}return\n")),
            Stmt::Pass => out.push_str(&format!("{pad}pass\n")),
            Stmt::Raise => out.push_str(&format!("{pad}raise ValueError('x')\n")),
            Stmt::Def(body) => {
                out.push_str(&format!("{pad}def helper(x=None):\n"));
                block(body, out);
            }
        }
    }
}

/// One migration file: module-level statements, `upgrade()` and `downgrade()`.
#[derive(Arbitrary, Debug)]
pub struct Migration {
    pub module: Vec<Stmt>,
    pub upgrade: Vec<Stmt>,
    pub downgrade: Vec<Stmt>,
}

impl Migration {
    /// The file's text, declaring revision `id` with the given down revisions.
    pub fn source(&self, id: &str, downs: &[String]) -> String {
        let mut s = String::from(
            "\"\"\"fuzz\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\nfrom sqlalchemy.dialects import postgresql, mysql\nimport app.types\n\n",
        );
        s.push_str(&format!("revision = {id:?}\n"));
        s.push_str(&match downs {
            [] => "down_revision = None\n".to_string(),
            [one] => format!("down_revision = {one:?}\n"),
            many => format!(
                "down_revision = ({})\n",
                many.iter()
                    .map(|d| format!("{d:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
        for st in self.module.iter().take(4) {
            st.source(0, &mut s);
        }
        for (name, body) in [("upgrade", &self.upgrade), ("downgrade", &self.downgrade)] {
            s.push_str(&format!("\n\ndef {name}():\n"));
            let before = s.len();
            for st in body.iter().take(12) {
                st.source(1, &mut s);
            }
            if s.len() == before {
                s.push_str("    pass\n");
            }
        }
        s
    }
}

/// A revision of a fuzzed project: links by index into the project's revisions.
#[derive(Arbitrary, Debug)]
pub struct FuzzRevision {
    pub downs: Vec<u8>,
    pub depends: Vec<u8>,
    pub label: Option<u8>,
    pub body: Migration,
}

#[derive(Arbitrary, Debug)]
pub struct FuzzProject {
    pub revisions: Vec<FuzzRevision>,
    pub labels: Vec<String>,
}

impl FuzzProject {
    pub fn files(&self) -> Vec<(String, String)> {
        let n = self.revisions.len().clamp(1, 12);
        let id = |k: usize| format!("r{k:02}");
        self.revisions
            .iter()
            .take(n)
            .enumerate()
            .map(|(k, r)| {
                let downs: Vec<String> = r
                    .downs
                    .iter()
                    .take(3)
                    .map(|d| id(*d as usize % n))
                    .collect();
                let mut text = r.body.source(&id(k), &downs);
                if let Some(l) = r.label {
                    text.push_str(&format!(
                        "\nbranch_labels = ({:?},)\n",
                        format!("l{}", l % 4)
                    ));
                }
                if !r.depends.is_empty() {
                    let deps: Vec<String> = r
                        .depends
                        .iter()
                        .take(3)
                        .map(|d| format!("{:?}", id(*d as usize % n)))
                        .collect();
                    text.push_str(&format!("\ndepends_on = ({},)\n", deps.join(", ")));
                }
                (format!("{}_x.py", id(k)), text)
            })
            .collect()
    }
}
