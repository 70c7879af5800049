//! Reading one revision script: the module-level identifiers Alembic reads from it
//! (`revision`, `down_revision`, `branch_labels`, `depends_on`) and its docstring.
//!
//! The file is parsed with ruff's Python parser, never run. Module-level constants resolve
//! (`REV = "ab12"; revision = REV`); a name imported from elsewhere cannot be known, so it
//! gives a diagnostic and a best-effort value (the name as written). Parsing never fails:
//! a file with syntax errors still yields what the parser recovered, plus diagnostics.

use std::collections::HashMap;

use ruff_python_ast::{self as ast, Expr, Operator, Stmt};
use ruff_python_parser::{parse_unchecked, Mode, ParseOptions, Parsed};
use ruff_text_size::Ranged;

use crate::base::diag::Diagnostic;
use crate::base::LineIndex;

/// What one revision script declares, as Alembic would read it after importing the module.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Script {
    /// Path relative to the versions folder.
    pub path: String,
    /// The revision id (`revision = "..."`, or the legacy hex file name).
    pub revision: Option<String>,
    pub revision_line: u32,
    /// `down_revision` after Alembic's `to_tuple`; `None` when the name is not defined at all.
    pub down_revision: Option<Vec<String>>,
    pub down_revision_line: u32,
    /// `branch_labels`, in the order written.
    pub branch_labels: Vec<String>,
    pub branch_labels_line: u32,
    /// `depends_on` as written (ids or labels), in order.
    pub depends_on: Vec<String>,
    pub depends_on_line: u32,
    /// The module docstring as Python's `__doc__` holds it (CPython 3.11: not dedented).
    pub docstring: Option<String>,
    /// Whether the file parsed without syntax errors.
    pub syntax_ok: bool,
    /// The exception Python raises importing the file, if it cannot (e.g. `SyntaxError: ...`).
    pub import_error: Option<String>,
    /// Whether the module defines `upgrade()` / `downgrade()` at top level.
    pub has_upgrade: bool,
    pub has_downgrade: bool,
    pub diagnostics: Vec<Diagnostic>,
}

impl Script {
    /// `longdoc` in Alembic: the docstring stripped of surrounding white space.
    pub fn longdoc(&self) -> String {
        self.docstring
            .as_deref()
            .map(|d| py_strip(d).to_string())
            .unwrap_or_default()
    }

    /// `doc` in Alembic: the long doc up to the first blank line (`re.split("\n\n", ...)[0]`).
    pub fn doc(&self) -> String {
        let long = self.longdoc();
        match long.find("\n\n") {
            Some(i) => long[..i].to_string(),
            None => long,
        }
    }

    /// The first line of `doc()`: one line's worth of message for tables and graphs.
    pub fn summary(&self) -> String {
        self.doc().lines().next().unwrap_or("").to_string()
    }
}

/// Python's `str.strip()` with no argument: strips Unicode white space.
pub fn py_strip(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

/// A value of the tiny subset of Python the module level of a revision file uses.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    None,
    Str(String),
    Int(i64),
    Seq(Vec<Value>),
    /// Not knowable without running code; carries a best-effort text and the reason.
    Unknown {
        guess: String,
        reason: String,
    },
}

#[derive(Clone, Debug)]
enum Binding {
    Value(Value, u32),
    Imported { module: String, line: u32 },
}

const KEYS: [&str; 4] = ["revision", "down_revision", "branch_labels", "depends_on"];

struct Reader<'a> {
    path: &'a str,
    text: &'a str,
    lines: LineIndex,
    env: HashMap<String, Binding>,
    diags: Vec<Diagnostic>,
}

/// Reads one revision script. Never fails.
pub fn read_script(path: &str, text: &str) -> Script {
    let parsed = parse_unchecked(text, ParseOptions::from(Mode::Module));
    read_parsed(path, text, &parsed, &LineIndex::new(text))
}

/// [`read_script`] on a file already parsed.
pub fn read_parsed(path: &str, text: &str, parsed: &Parsed<ast::Mod>, lines: &LineIndex) -> Script {
    let mut r = Reader {
        path,
        text,
        lines: lines.clone(),
        env: HashMap::new(),
        diags: Vec::new(),
    };
    let mut script = Script {
        path: path.to_string(),
        syntax_ok: parsed.errors().is_empty(),
        ..Script::default()
    };
    if let Some(first) = parsed.errors().first() {
        let line = r.lines.line(first.location.start().to_u32());
        let mut msg = format!("Python syntax error: {}", first.error);
        if let Some(py2) = python2_hint(text) {
            msg = format!(
                "{msg} (this looks like Python 2: {py2}; Alembic cannot import it on Python 3)"
            );
        }
        if parsed.errors().len() > 1 {
            msg.push_str(&format!(" (and {} more)", parsed.errors().len() - 1));
        }
        script.import_error = Some(format!("SyntaxError: {}", first.error));
        r.diags.push(Diagnostic::error(
            "python-syntax-error",
            path,
            line,
            format!("{msg}; identifiers were read from what could be parsed"),
        ));
    }
    let module = match parsed.syntax() {
        ast::Mod::Module(m) => m,
        ast::Mod::Expression(_) => unreachable!("parsed in module mode"),
    };
    if let Some(Stmt::Expr(e)) = module.body.first() {
        if let Expr::StringLiteral(s) = e.value.as_ref() {
            script.docstring = Some(s.value.to_str().to_string());
        }
    }
    r.exec_block(&module.body, false);
    for stmt in module.body.iter() {
        if let Stmt::FunctionDef(f) = stmt {
            match f.name.as_str() {
                "upgrade" => script.has_upgrade = true,
                "downgrade" => script.has_downgrade = true,
                _ => {}
            }
        }
    }

    if text.trim().is_empty() {
        r.diags.push(Diagnostic::error(
            "empty-file",
            path,
            0,
            "empty file: it declares no revision",
        ));
    }

    // revision
    match r.take("revision") {
        Some((Value::Str(s), line)) => {
            script.revision = Some(s);
            script.revision_line = line;
        }
        Some((Value::Unknown { guess, reason }, line)) => {
            r.diags.push(Diagnostic::warning(
                "unresolved-identifier",
                path,
                line,
                format!("`revision` {reason}; using `{guess}` as its value"),
            ));
            script.revision = Some(guess);
            script.revision_line = line;
        }
        Some((other, line)) => {
            r.diags.push(Diagnostic::error(
                "invalid-revision",
                path,
                line,
                format!(
                    "`revision` must be a string, found {}; the file is skipped",
                    describe(&other)
                ),
            ));
        }
        None => {
            let name = path.rsplit('/').next().unwrap_or(path);
            let stem = name.strip_suffix(".py").unwrap_or(name);
            if !stem.is_empty()
                && stem
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            {
                script.revision = Some(stem.to_string());
                r.diags.push(Diagnostic::info(
                    "legacy-revision-id",
                    path,
                    0,
                    format!(
                        "no `revision` variable; Alembic takes the id `{stem}` from the file name"
                    ),
                ));
            } else {
                r.diags.push(Diagnostic::error(
                    "missing-revision",
                    path,
                    0,
                    format!("Could not determine revision id from filename {name}. Be sure the 'revision' variable is declared inside the script (please see 'Upgrading from Alembic 0.1 to 0.2' in the documentation)."),
                ));
            }
        }
    }

    // down_revision
    match r.take("down_revision") {
        Some((v, line)) => {
            script.down_revision_line = line;
            script.down_revision = Some(r.id_list(&v, "down_revision", line));
        }
        None => {
            if script.revision.is_some() {
                r.diags.push(Diagnostic::error(
                    "missing-down-revision",
                    path,
                    0,
                    "no `down_revision` variable: Alembic fails with AttributeError: module has no attribute 'down_revision'; the planner treats the revision as a base",
                ));
            }
        }
    }
    if let Some((v, line)) = r.take("branch_labels") {
        script.branch_labels_line = line;
        script.branch_labels = r.id_list(&v, "branch_labels", line);
    }
    if let Some((v, line)) = r.take("depends_on") {
        script.depends_on_line = line;
        script.depends_on = r.id_list(&v, "depends_on", line);
    }
    if let (Some(rev), Some(downs)) = (&script.revision, &script.down_revision) {
        if downs.iter().any(|d| d.is_empty()) {
            r.diags.push(Diagnostic::error(
                "empty-down-revision",
                path,
                script.down_revision_line,
                format!("`down_revision` of {rev} contains an empty string: Alembic fails with KeyError: ''; the planner ignores it"),
            ));
            script.down_revision = Some(downs.iter().filter(|d| !d.is_empty()).cloned().collect());
        }
    }
    if script.revision.is_some() && script.syntax_ok {
        for (has, name) in [
            (script.has_upgrade, "upgrade"),
            (script.has_downgrade, "downgrade"),
        ] {
            if !has {
                r.diags.push(Diagnostic::warning(
                    "missing-migration-function",
                    path,
                    0,
                    format!("no top-level `{name}()` function: Alembic fails with AttributeError whenever a plan runs this revision's {name}"),
                ));
            }
        }
    }
    script.diagnostics = r.diags;
    script
}

/// The module name Alembic gives a revision file (`load_python_file`: non-word characters
/// of the file name become `_`).
pub fn module_name(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::None => "None",
        Value::Str(_) => "a string",
        Value::Int(_) => "an integer",
        Value::Seq(_) => "a sequence",
        Value::Unknown { .. } => "an unknown value",
    }
}

/// Finds a line that only Python 2 accepts, for a friendlier message.
fn python2_hint(text: &str) -> Option<String> {
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        let n = i + 1;
        if let Some(rest) = t.strip_prefix("print ") {
            let rest = rest.trim_start();
            if !rest.starts_with('(') && !rest.starts_with('=') {
                return Some(format!("`print` statement at line {n}"));
            }
        }
        if t.starts_with("except ") && t.contains(", ") && !t.contains('(') && t.ends_with(':') {
            return Some(format!("`except X, e:` at line {n}"));
        }
        if t.starts_with("raise ") && t.contains(", ") && !t.contains('(') {
            return Some(format!("`raise E, msg` at line {n}"));
        }
        if t.starts_with("exec ") && !t.contains('(') {
            return Some(format!("`exec` statement at line {n}"));
        }
    }
    None
}

impl<'a> Reader<'a> {
    fn line_of<T: Ranged>(&self, node: &T) -> u32 {
        self.lines.line(node.range().start().to_u32())
    }

    fn source_of<T: Ranged>(&self, node: &T) -> &'a str {
        let r = node.range();
        &self.text[r.start().to_usize()..r.end().to_usize()]
    }

    fn take(&mut self, key: &str) -> Option<(Value, u32)> {
        match self.env.get(key)? {
            Binding::Value(v, l) => Some((v.clone(), *l)),
            Binding::Imported { module, line } => Some((
                Value::Unknown {
                    guess: key.to_string(),
                    reason: format!("is imported from `{module}`"),
                },
                *line,
            )),
        }
    }

    /// Runs the module's top-level statements the way importing it would bind names.
    fn exec_block(&mut self, body: &[Stmt], conditional: bool) {
        for stmt in body {
            match stmt {
                Stmt::Assign(a) => {
                    let line = self.line_of(a);
                    let value = self.eval(&a.value);
                    for target in &a.targets {
                        self.assign(target, value.clone(), line, conditional);
                    }
                }
                Stmt::AnnAssign(a) => {
                    if let Some(v) = &a.value {
                        let line = self.line_of(a);
                        let value = self.eval(v);
                        self.assign(&a.target, value, line, conditional);
                    }
                }
                Stmt::ImportFrom(i) => {
                    let module = format!(
                        "{}{}",
                        ".".repeat(i.level as usize),
                        i.module.as_ref().map(|m| m.as_str()).unwrap_or("")
                    );
                    let line = self.line_of(i);
                    for alias in &i.names {
                        let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                        self.env.insert(
                            bound.to_string(),
                            Binding::Imported {
                                module: format!("{module}.{}", alias.name),
                                line,
                            },
                        );
                    }
                }
                Stmt::Import(i) => {
                    let line = self.line_of(i);
                    for alias in &i.names {
                        let full = alias.name.to_string();
                        let bound = match &alias.asname {
                            Some(a) => a.to_string(),
                            None => full.split('.').next().unwrap_or(&full).to_string(),
                        };
                        self.env
                            .insert(bound, Binding::Imported { module: full, line });
                    }
                }
                Stmt::If(s) => {
                    self.exec_block(&s.body, true);
                    for clause in &s.elif_else_clauses {
                        self.exec_block(&clause.body, true);
                    }
                }
                Stmt::Try(t) => {
                    self.exec_block(&t.body, true);
                    for h in &t.handlers {
                        let ast::ExceptHandler::ExceptHandler(h) = h;
                        self.exec_block(&h.body, true);
                    }
                    self.exec_block(&t.orelse, true);
                    self.exec_block(&t.finalbody, true);
                }
                _ => {}
            }
        }
    }

    fn assign(&mut self, target: &Expr, value: Value, line: u32, conditional: bool) {
        match target {
            Expr::Name(n) => {
                let name = n.id.as_str();
                if conditional && KEYS.contains(&name) {
                    self.diags.push(Diagnostic::warning(
                        "conditional-identifier",
                        self.path,
                        line,
                        format!("`{name}` is assigned inside an `if`/`try` block; the planner uses the last assignment in the file"),
                    ));
                }
                self.env
                    .insert(name.to_string(), Binding::Value(value, line));
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                match value {
                    Value::Seq(vals) if vals.len() == elts.len() => {
                        for (t, v) in elts.iter().zip(vals) {
                            self.assign(t, v, line, conditional);
                        }
                    }
                    other => {
                        for t in elts {
                            let guess = match &other {
                                Value::Unknown { guess, .. } => guess.clone(),
                                _ => self.source_of(t).to_string(),
                            };
                            self.assign(
                                t,
                                Value::Unknown {
                                    guess,
                                    reason: "comes from an unpacking the planner cannot follow"
                                        .into(),
                                },
                                line,
                                conditional,
                            );
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn eval(&self, e: &Expr) -> Value {
        match e {
            Expr::StringLiteral(s) => Value::Str(s.value.to_str().to_string()),
            Expr::NoneLiteral(_) => Value::None,
            Expr::NumberLiteral(n) => match &n.value {
                ast::Number::Int(i) => i.as_i64().map(Value::Int).unwrap_or(Value::Unknown {
                    guess: self.source_of(e).to_string(),
                    reason: "is a number too large to read".into(),
                }),
                _ => Value::Unknown {
                    guess: self.source_of(e).to_string(),
                    reason: "is not a string".into(),
                },
            },
            Expr::Tuple(t) => Value::Seq(t.elts.iter().map(|x| self.eval(x)).collect()),
            Expr::List(t) => Value::Seq(t.elts.iter().map(|x| self.eval(x)).collect()),
            Expr::Set(t) => Value::Seq(t.elts.iter().map(|x| self.eval(x)).collect()),
            Expr::Name(n) => match self.env.get(n.id.as_str()) {
                Some(Binding::Value(v, _)) => v.clone(),
                Some(Binding::Imported { module, .. }) => Value::Unknown {
                    guess: n.id.to_string(),
                    reason: format!("comes from `{}`, imported from `{module}`", n.id),
                },
                None => Value::Unknown {
                    guess: n.id.to_string(),
                    reason: format!("refers to `{}`, which is not defined in the file", n.id),
                },
            },
            Expr::Attribute(a) => {
                let text = self.source_of(e).to_string();
                let root = root_name(&a.value);
                let origin = root
                    .and_then(|r| match self.env.get(r) {
                        Some(Binding::Imported { module, .. }) => {
                            Some(format!(", imported from `{module}`"))
                        }
                        _ => None,
                    })
                    .unwrap_or_default();
                Value::Unknown {
                    guess: a.attr.to_string(),
                    reason: format!("comes from `{text}`{origin}"),
                }
            }
            Expr::BinOp(b) if b.op == Operator::Add => {
                match (self.eval(&b.left), self.eval(&b.right)) {
                    (Value::Str(l), Value::Str(r)) => Value::Str(l + &r),
                    (Value::Seq(mut l), Value::Seq(r)) => {
                        l.extend(r);
                        Value::Seq(l)
                    }
                    (Value::Unknown { reason, .. }, _) | (_, Value::Unknown { reason, .. }) => {
                        Value::Unknown {
                            guess: self.source_of(e).to_string(),
                            reason,
                        }
                    }
                    _ => Value::Unknown {
                        guess: self.source_of(e).to_string(),
                        reason: "is an expression the planner cannot evaluate".into(),
                    },
                }
            }
            // An f-string without placeholders is a plain string.
            Expr::FString(f) => match crate::python::fstring(f, |_| Err(())) {
                Ok(text) => Value::Str(text),
                Err(()) => Value::Unknown {
                    guess: self.source_of(e).to_string(),
                    reason: "is an f-string with placeholders".into(),
                },
            },
            _ => Value::Unknown {
                guess: self.source_of(e).to_string(),
                reason: "is an expression the planner cannot evaluate".into(),
            },
        }
    }

    /// Alembic's `util.to_tuple` over a value that should hold revision ids or labels.
    fn id_list(&mut self, v: &Value, key: &str, line: u32) -> Vec<String> {
        let items: Vec<Value> = match v {
            Value::None => return Vec::new(),
            Value::Seq(items) => items.clone(),
            other => vec![other.clone()],
        };
        let mut out = Vec::new();
        for item in items {
            match item {
                Value::Str(s) => out.push(s),
                Value::Unknown { guess, reason } => {
                    self.diags.push(Diagnostic::warning(
                        "unresolved-identifier",
                        self.path,
                        line,
                        format!("a value in `{key}` {reason}; the planner cannot know it without running the code and uses `{guess}`"),
                    ));
                    out.push(guess);
                }
                Value::None => {}
                other => {
                    self.diags.push(Diagnostic::error(
                        "invalid-identifier",
                        self.path,
                        line,
                        format!(
                            "`{key}` holds {}, not a string; it is ignored",
                            describe(&other)
                        ),
                    ));
                }
            }
        }
        out
    }
}

fn root_name(e: &Expr) -> Option<&str> {
    match e {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => root_name(&a.value),
        _ => None,
    }
}
