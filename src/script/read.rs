//! Reading one revision script: the module-level identifiers Alembic reads from it
//! (`revision`, `down_revision`, `branch_labels`, `depends_on`) and its docstring.
//!
//! The file is parsed with ruff's Python parser, never run. Module-level constants resolve
//! (`REV = "ab12"; revision = REV`); a name imported from elsewhere cannot be known, so it
//! gives a diagnostic and a best-effort value (the name as written). Parsing never fails:
//! a file with syntax errors still yields what the parser recovered, plus diagnostics.

use ruff_python_ast::{self as ast, Expr, Stmt};

use ruff_text_size::Ranged;

use std::cell::RefCell;

use crate::base::{Diagnostic, LineIndex};
use crate::input::{ProjectConstant, ProjectConstants};
use crate::python::{
    bind_module, imported_name, parse_module, short_name, Budget, Callee, ModuleScope, ParsedFile,
    Val,
};

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
    /// Qualified names the identifiers import from outside SQLAlchemy and Alembic that the
    /// project's constants did not hold (`glance.db.migration.CONTRACT_BRANCH`): a shell
    /// with the project's source at hand reads the modules that may define them.
    pub unresolved_imports: Vec<String>,
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

    /// The message to show people: `doc()`, or, when the file has no docstring (its
    /// message is a comment), the file name's slug after the revision id, words spaced:
    /// `3c5e1a7f9b20_create_users_table.py` is "create users table". Alembic's own outputs
    /// keep `doc()`.
    pub fn message(&self) -> String {
        let doc = self.doc();
        if !doc.is_empty() {
            return doc;
        }
        let name = self.path.rsplit('/').next().unwrap_or(&self.path);
        let stem = name.strip_suffix(".py").unwrap_or(name);
        let slug = match self
            .revision
            .as_deref()
            .and_then(|r| stem.find(r).map(|i| (i, r)))
        {
            Some((i, r)) => &stem[i + r.len()..],
            None => stem,
        };
        slug.trim_matches(|c| c == '_' || c == '-')
            .replace('_', " ")
    }

    /// The first line of `message()`: one line's worth of message for tables and graphs.
    pub fn summary(&self) -> String {
        self.message().lines().next().unwrap_or("").to_string()
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

const KEYS: [&str; 4] = ["revision", "down_revision", "branch_labels", "depends_on"];

struct Reader<'a> {
    path: &'a str,
    text: &'a str,
    scope: ModuleScope<'a>,
    diags: Vec<Diagnostic>,
    constants: &'a ProjectConstants,
    /// Imported names resolved from the project's source, and those it did not have.
    resolved: RefCell<Vec<(String, ProjectConstant)>>,
    unresolved: RefCell<Vec<String>>,
}

/// Reads one revision script. Never fails.
pub fn read_script(path: &str, text: &str) -> Script {
    read_parsed(
        path,
        text,
        &parse_module(text),
        &LineIndex::new(text),
        &ProjectConstants::default(),
    )
}

/// [`read_script`] on a file already parsed; names imported from the project's own
/// modules are looked up in `constants`.
pub fn read_parsed(
    path: &str,
    text: &str,
    file: &ParsedFile,
    lines: &LineIndex,
    constants: &ProjectConstants,
) -> Script {
    let parsed = &file.parsed;
    let module = match parsed.syntax() {
        ast::Mod::Module(m) => m,
        ast::Mod::Expression(_) => unreachable!("parsed in module mode"),
    };
    // the module level as an import binds it; calls there cannot be known
    let mut budget = Budget::new();
    let scope = bind_module(
        &module.body,
        lines,
        &mut |callee, _, _| match callee {
            Callee::Host { .. } => Some(Val::Opaque(
                "it is the value of a function of the file, run at import".into(),
            )),
            _ => None,
        },
        &mut budget,
    );
    let mut r = Reader {
        path,
        text,
        scope,
        diags: Vec::new(),
        constants,
        resolved: RefCell::new(Vec::new()),
        unresolved: RefCell::new(Vec::new()),
    };
    if let Some((line, reason)) = r.scope.limit.clone() {
        r.diags.push(limit_diagnostic(path, line, &reason));
    }
    // (a `\N{...}` name the web app cannot look up is not an error of the file)
    let (unlooked, syntax): (Vec<_>, Vec<_>) = parsed
        .errors()
        .iter()
        .partition(|e| crate::python::is_unlooked_char_name(e));
    let mut script = Script {
        path: path.to_string(),
        syntax_ok: syntax.is_empty() && file.refused.is_none(),
        ..Script::default()
    };
    if let Some(first) = unlooked.first() {
        let more = match unlooked.len() {
            1 => String::new(),
            n => format!(" (and {} more in this file)", n - 1),
        };
        r.diags.push(Diagnostic::warning(
            "char-name-not-looked-up",
            path,
            lines.line(first.location.start().to_u32()),
            format!(
                "this string holds {}{more}: its value is unknown here, and the statements using it are not interpreted",
                crate::python::UNLOOKED_CHAR_NAME
            ),
        ));
    }
    if let Some(refusal) = &file.refused {
        script.import_error = Some(refusal.error.clone());
        r.diags.push(Diagnostic::error(
            "python-refused",
            path,
            refusal.line,
            format!(
                "Python refuses to compile this file ({}); Alembic cannot import it, and the planner read it only up to this line",
                refusal.error
            ),
        ));
    }
    // (the syntax of a refused file's first part is not the file's)
    if let Some(first) = syntax.first().filter(|_| file.refused.is_none()) {
        let line = lines.line(first.location.start().to_u32());
        let mut msg = format!("Python syntax error: {}", first.error);
        if let Some(py2) = python2_hint(text) {
            msg = format!(
                "{msg} (this looks like Python 2: {py2}; Alembic cannot import it on Python 3)"
            );
        }
        if syntax.len() > 1 {
            msg.push_str(&format!(" (and {} more)", syntax.len() - 1));
        }
        script.import_error = Some(format!("SyntaxError: {}", first.error));
        r.diags.push(Diagnostic::error(
            "python-syntax-error",
            path,
            line,
            format!("{msg}; identifiers were read from what could be parsed"),
        ));
    }
    if let Some(Stmt::Expr(e)) = module.body.first() {
        if let Expr::StringLiteral(s) = e.value.as_ref() {
            script.docstring = Some(s.value.to_str().to_string());
        }
    }
    for key in KEYS {
        if let Some(b) = r.scope.bindings.get(key).filter(|b| b.conditional) {
            r.diags.push(Diagnostic::warning(
                "conditional-identifier",
                path,
                b.line,
                format!("`{key}` is assigned inside an `if`/`try` block; the planner uses the last assignment in the file"),
            ));
        }
    }
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
                format!("`revision` cannot be known without running the code ({reason}); using `{guess}` as its value"),
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
    for (q, c) in r.resolved.take() {
        r.diags.push(Diagnostic::info(
            "project-constant",
            path,
            0,
            format!(
                "`{q}` is {:?}, read from the project's source ({}:{}) without running it",
                c.value, c.path, c.line
            ),
        ));
    }
    script.unresolved_imports = r.unresolved.take();
    script.diagnostics = r.diags;
    script
}

/// A bound of the evaluation budget reached (`base::limits`): what was not evaluated, and
/// where.
pub fn limit_diagnostic(path: &str, line: u32, reason: &str) -> Diagnostic {
    Diagnostic::warning(
        "evaluation-limit",
        path,
        line,
        format!("the planner stopped following this code: {reason}; what depends on it is unknown"),
    )
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
    fn source_of<T: Ranged>(&self, node: &T) -> &'a str {
        let r = node.range();
        &self.text[r.start().to_usize()..r.end().to_usize()]
    }

    /// A key's value and the line that bound it.
    fn take(&self, key: &str) -> Option<(Value, u32)> {
        let b = self.scope.bindings.get(key)?;
        if let Some(module) = &b.imported {
            return Some((
                Value::Unknown {
                    guess: key.to_string(),
                    reason: format!("it is imported from `{module}`"),
                },
                b.line,
            ));
        }
        let v = self.scope.env.vars.get(key)?;
        let source = self.scope.sources.get(key).copied();
        Some((self.value(v, source, key), b.line))
    }

    /// A value as an identifier key holds it; what cannot be known gets a best-effort
    /// guess from the expression written (`cli.EXPAND_BRANCH` → `EXPAND_BRANCH`).
    fn value(&self, v: &Val, e: Option<&Expr>, fallback: &str) -> Value {
        // a set of labels (`branch_labels = {"a", "b"}`): its values, in the order written
        // (the evaluator keeps no order for a set; Alembic's label lists are in hash order,
        // which the tests compare sorted)
        if let (Val::Opaque(_), Some(Expr::Set(set))) = (v, e) {
            let mut budget = crate::python::Budget::new();
            let items = set
                .elts
                .iter()
                .map(|x| crate::python::eval(x, &self.scope.env, &mut |_, _, _| None, &mut budget))
                .collect();
            return self.value(&Val::List(items), e, fallback);
        }
        match v {
            Val::Str(s) => Value::Str(s.clone()),
            Val::None => Value::None,
            Val::Int(i) => Value::Int(*i),
            Val::List(items) => {
                let elts = e.and_then(|e| match e {
                    Expr::Tuple(t) => Some(&t.elts[..]),
                    Expr::List(l) => Some(&l.elts[..]),
                    Expr::Set(s) => Some(&s.elts[..]),
                    _ => None,
                });
                Value::Seq(
                    items
                        .iter()
                        .enumerate()
                        .map(|(k, x)| {
                            let sub = elts.and_then(|el| el.get(k));
                            let fb = sub.map(|x| self.source_of(x)).unwrap_or(fallback);
                            self.value(x, sub, fb)
                        })
                        .collect(),
                )
            }
            Val::Opaque(r) if imported_name(r).is_some() => {
                let q = imported_name(r).unwrap_or_default();
                match self.constants.values.get(self.constants.canonical(q)) {
                    Some(c) => {
                        self.resolved.borrow_mut().push((q.to_string(), c.clone()));
                        Value::Str(c.value.clone())
                    }
                    None => {
                        self.unresolved.borrow_mut().push(q.to_string());
                        self.unknown(v, e, fallback)
                    }
                }
            }
            _ => self.unknown(v, e, fallback),
        }
    }

    /// What cannot be known, with a best-effort guess from the expression written.
    fn unknown(&self, other: &Val, e: Option<&Expr>, fallback: &str) -> Value {
        Value::Unknown {
            guess: match e {
                Some(Expr::Name(n)) => n.id.to_string(),
                Some(Expr::Attribute(a)) => a.attr.to_string(),
                Some(x) => self.source_of(x).to_string(),
                None => fallback.to_string(),
            },
            reason: match other {
                Val::Opaque(r) => r.clone(),
                Val::Ref(q) => format!("it is `{}`, not a string", short_name(q)),
                Val::Call { func, .. } => {
                    format!("it is the value of a call of `{}`", short_name(func))
                }
                Val::Float(_) | Val::Bool(_) => "it is not a string".into(),
                _ => "it is an expression the planner cannot evaluate".into(),
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
                        format!("a value in `{key}` cannot be known without running the code ({reason}); the planner uses `{guess}`"),
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
