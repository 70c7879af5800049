//! Enough of Mako to render Alembic's `script.py.mako` templates as `alembic merge` does:
//! text with `${expression}` substitutions (and `| filter` lists), `%` control lines (`if`,
//! `elif`, `else`, `for`, with their `end` lines), `##` comment lines, `<%text>` literal
//! blocks, `%%` escapes and `\` line continuations. Expressions are the small part of
//! Python templates use: names, literals, `x if c else y`, `and`/`or`/`not`, comparisons,
//! `repr()`, `str()`, `len()`, `comma()` and `", ".join(...)`. Anything else (`<% %>`
//! Python blocks, `<%def>`, attributes of `config`) is an error naming its line, never
//! a guess.
//!
//! Values follow Mako and Python: a name the template was not given is `UNDEFINED`
//! (false, and an error when printed); `${x}` prints `str(x)` unless the `n` filter is
//! listed.

use std::collections::BTreeMap;

use ruff_python_ast::{self as ast, Expr};

use crate::base::limits::MAX_VALUE_BYTES;

/// A value inside a template.
#[derive(Clone, Debug, PartialEq)]
pub enum TValue {
    /// Python's `None`.
    None,
    /// Mako's `UNDEFINED`: a name the template was not given.
    Undefined,
    Bool(bool),
    Int(i64),
    Str(String),
    Tuple(Vec<TValue>),
    /// A `datetime` as `str()` prints it (its `repr()` is not modelled).
    Date(String),
    /// A function the template may call or use as a filter (`comma`).
    Function(&'static str),
}

impl TValue {
    fn truthy(&self) -> bool {
        match self {
            TValue::None | TValue::Undefined => false,
            TValue::Bool(b) => *b,
            TValue::Int(i) => *i != 0,
            TValue::Str(s) => !s.is_empty(),
            TValue::Tuple(t) => !t.is_empty(),
            TValue::Date(_) | TValue::Function(_) => true,
        }
    }

    /// Python's `str()`.
    fn str(&self) -> Result<String, String> {
        Ok(match self {
            TValue::None => "None".into(),
            TValue::Undefined => return Err("NameError: Undefined".into()),
            TValue::Bool(b) => if *b { "True" } else { "False" }.into(),
            TValue::Int(i) => i.to_string(),
            TValue::Str(s) | TValue::Date(s) => s.clone(),
            TValue::Tuple(_) => self.repr()?,
            TValue::Function(f) => return Err(format!("printing the function `{f}`")),
        })
    }

    /// Python's `repr()`.
    fn repr(&self) -> Result<String, String> {
        Ok(match self {
            TValue::Str(s) => py_repr_str(s),
            TValue::Tuple(items) => {
                let parts: Result<Vec<String>, String> = items.iter().map(|i| i.repr()).collect();
                let parts = parts?;
                if parts.len() == 1 {
                    format!("({},)", parts[0])
                } else {
                    format!("({})", parts.join(", "))
                }
            }
            TValue::Date(_) => return Err("the repr() of a datetime".into()),
            TValue::Undefined => return Err("NameError: Undefined".into()),
            other => other.str()?,
        })
    }
}

/// Python's `repr()` of a string: single quotes unless the text holds one and no double
/// quote; backslashes, the quote and control characters escaped.
pub fn py_repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Alembic's `format_as_comma`: `None` → ``, a string as is, a tuple joined by `, `.
fn comma(v: &TValue) -> Result<TValue, String> {
    Ok(match v {
        TValue::None => TValue::Str(String::new()),
        TValue::Str(_) => v.clone(),
        TValue::Tuple(items) => TValue::Str(
            items
                .iter()
                .map(|i| i.str())
                .collect::<Result<Vec<_>, _>>()?
                .join(", "),
        ),
        other => return Err(format!("comma() of {other:?}")),
    })
}

/// A template's names and values.
pub type Context = BTreeMap<String, TValue>;

/// An `if`/`elif`/`else` branch: its condition and line (`None` for `else`), its body.
type Branch = (Option<(String, u32)>, Vec<Node>);

/// One parsed piece of a template.
#[derive(Debug)]
enum Node {
    Text(String),
    Expr {
        code: String,
        line: u32,
    },
    If(Vec<Branch>),
    For {
        var: String,
        iter: String,
        line: u32,
        body: Vec<Node>,
    },
}

/// Renders `template` with `ctx`, or says what (and on which line) it cannot render.
pub fn render(template: &str, ctx: &Context) -> Result<String, String> {
    let nodes = parse(template)?;
    let mut out = String::new();
    let mut ctx = ctx.clone();
    emit(&nodes, &mut ctx, &mut out)?;
    Ok(out)
}

fn emit(nodes: &[Node], ctx: &mut Context, out: &mut String) -> Result<(), String> {
    for n in nodes {
        if out.len() > MAX_VALUE_BYTES {
            return Err("the rendered template grows past the planner's bound".into());
        }
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Expr { code, line } => {
                out.push_str(&substitute(code, ctx).map_err(|e| format!("line {line}: {e}"))?)
            }
            Node::If(branches) => {
                for (cond, body) in branches {
                    let go = match cond {
                        None => true,
                        Some((c, line)) => eval_str(c, ctx)
                            .map_err(|e| format!("line {line}: {e}"))?
                            .truthy(),
                    };
                    if go {
                        emit(body, ctx, out)?;
                        break;
                    }
                }
            }
            Node::For {
                var,
                iter,
                line,
                body,
            } => {
                let items = match eval_str(iter, ctx).map_err(|e| format!("line {line}: {e}"))? {
                    TValue::Tuple(items) => items,
                    TValue::Str(s) => s.chars().map(|c| TValue::Str(c.to_string())).collect(),
                    other => return Err(format!("line {line}: cannot iterate over {other:?}")),
                };
                for item in items {
                    ctx.insert(var.clone(), item);
                    emit(body, ctx, out)?;
                }
            }
        }
    }
    Ok(())
}

/// `${code}`: the expression, its filters applied left to right, then `str` unless `n`.
fn substitute(code: &str, ctx: &Context) -> Result<String, String> {
    let (expr, filters) = split_filters(code);
    let mut v = eval_str(expr, ctx)?;
    let mut as_str = true;
    for f in filters {
        match f {
            "n" => as_str = false,
            "str" | "unicode" => v = TValue::Str(v.str()?),
            "trim" => v = TValue::Str(v.str()?.trim().to_string()),
            "comma" => v = comma(&v)?,
            other => {
                return Err(format!(
                    "the filter `{other}` is not one the planner renders"
                ))
            }
        }
    }
    if as_str {
        v.str()
    } else {
        match v {
            TValue::Str(s) => Ok(s),
            other => other.str(),
        }
    }
}

/// `expr | f1, f2`: the expression and its filters (a `|` inside a string is left alone).
fn split_filters(code: &str) -> (&str, Vec<&str>) {
    let mut quote: Option<char> = None;
    for (i, c) in code.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '|') => {
                let filters = code[i + 1..]
                    .split(',')
                    .map(str::trim)
                    .filter(|f| !f.is_empty())
                    .collect();
                return (&code[..i], filters);
            }
            _ => {}
        }
    }
    (code, Vec::new())
}

fn eval_str(code: &str, ctx: &Context) -> Result<TValue, String> {
    let parsed = ruff_python_parser::parse_expression(code.trim())
        .map_err(|e| format!("`{}` is not a Python expression: {e}", code.trim()))?;
    eval(&parsed.syntax().body, ctx, 0)
}

const MAX_DEPTH: usize = 64;

fn eval(e: &Expr, ctx: &Context, depth: usize) -> Result<TValue, String> {
    if depth > MAX_DEPTH {
        return Err("an expression nested deeper than the planner evaluates".into());
    }
    let ev = |x: &Expr| eval(x, ctx, depth + 1);
    Ok(match e {
        Expr::Name(n) => ctx
            .get(n.id.as_str())
            .cloned()
            .unwrap_or(match n.id.as_str() {
                "repr" => TValue::Function("repr"),
                "str" => TValue::Function("str"),
                "len" => TValue::Function("len"),
                _ => TValue::Undefined,
            }),
        Expr::StringLiteral(s) => TValue::Str(s.value.to_str().to_string()),
        Expr::NoneLiteral(_) => TValue::None,
        Expr::BooleanLiteral(b) => TValue::Bool(b.value),
        Expr::NumberLiteral(n) => match &n.value {
            ast::Number::Int(i) => TValue::Int(i.as_i64().ok_or("a very large integer")?),
            _ => return Err("a non-integer number".into()),
        },
        Expr::Tuple(t) => TValue::Tuple(t.elts.iter().map(ev).collect::<Result<_, _>>()?),
        Expr::If(i) => {
            if ev(&i.test)?.truthy() {
                ev(&i.body)?
            } else {
                ev(&i.orelse)?
            }
        }
        Expr::BoolOp(b) => {
            let mut last = TValue::None;
            for v in &b.values {
                last = ev(v)?;
                let stop = match b.op {
                    ast::BoolOp::And => !last.truthy(),
                    ast::BoolOp::Or => last.truthy(),
                };
                if stop {
                    break;
                }
            }
            last
        }
        Expr::UnaryOp(u) if u.op == ast::UnaryOp::Not => TValue::Bool(!ev(&u.operand)?.truthy()),
        Expr::Compare(c) if c.ops.len() == 1 => {
            let (l, r) = (ev(&c.left)?, ev(&c.comparators[0])?);
            let same = l == r;
            TValue::Bool(match c.ops[0] {
                ast::CmpOp::Eq | ast::CmpOp::Is => same,
                ast::CmpOp::NotEq | ast::CmpOp::IsNot => !same,
                ast::CmpOp::In | ast::CmpOp::NotIn => {
                    let inside = match &r {
                        TValue::Tuple(items) => items.contains(&l),
                        TValue::Str(s) => matches!(&l, TValue::Str(x) if s.contains(x.as_str())),
                        other => return Err(format!("`in` on {other:?}")),
                    };
                    inside == (c.ops[0] == ast::CmpOp::In)
                }
                op => match (&l, &r) {
                    (TValue::Int(a), TValue::Int(b)) => match op {
                        ast::CmpOp::Lt => a < b,
                        ast::CmpOp::LtE => a <= b,
                        ast::CmpOp::Gt => a > b,
                        _ => a >= b,
                    },
                    _ => return Err("an ordering comparison of values other than integers".into()),
                },
            })
        }
        Expr::Call(call) if call.arguments.keywords.is_empty() => {
            let args: Vec<TValue> = call
                .arguments
                .args
                .iter()
                .map(ev)
                .collect::<Result<_, _>>()?;
            match &*call.func {
                Expr::Attribute(a) if a.attr.as_str() == "join" => {
                    let sep = ev(&a.value)?;
                    match (sep, args.as_slice()) {
                        (TValue::Str(sep), [TValue::Tuple(items)]) => TValue::Str(
                            items
                                .iter()
                                .map(|i| match i {
                                    TValue::Str(s) => Ok(s.clone()),
                                    other => Err(format!("join() of {other:?}")),
                                })
                                .collect::<Result<Vec<_>, _>>()?
                                .join(&sep),
                        ),
                        _ => return Err("a join() the planner does not evaluate".into()),
                    }
                }
                f => match (ev(f)?, args.as_slice()) {
                    (TValue::Function("repr"), [v]) => TValue::Str(v.repr()?),
                    (TValue::Function("str"), [v]) => TValue::Str(v.str()?),
                    (TValue::Function("comma"), [v]) => comma(v)?,
                    (TValue::Function("len"), [TValue::Tuple(t)]) => TValue::Int(t.len() as i64),
                    (TValue::Function("len"), [TValue::Str(s)]) => {
                        TValue::Int(s.chars().count() as i64)
                    }
                    (TValue::Undefined, _) => {
                        return Err("a call of a name the template was not given".into())
                    }
                    _ => return Err("a call the planner does not evaluate".into()),
                },
            }
        }
        Expr::Attribute(a) => {
            return Err(format!(
                "the attribute `{}` (only Alembic's plain template values are rendered)",
                a.attr
            ))
        }
        _ => return Err("an expression the planner does not evaluate".into()),
    })
}

/// Splits the template into nodes: control lines and their bodies, comments dropped,
/// `<%text>` kept literally, substitutions found in the text.
fn parse(template: &str) -> Result<Vec<Node>, String> {
    // (the open blocks: an `if` with its branches, or a `for`)
    enum Open {
        If(Vec<Branch>),
        For {
            var: String,
            iter: String,
            line: u32,
        },
    }
    let mut stack: Vec<(Open, Vec<Node>)> = Vec::new();
    let mut cur: Vec<Node> = Vec::new();
    let mut lines = template.split_inclusive('\n').enumerate().peekable();
    let mut literal: Option<String> = None;
    while let Some((k, raw)) = lines.next() {
        let line = k as u32 + 1;
        if let Some(lit) = literal.as_mut() {
            match raw.find("</%text>") {
                Some(end) => {
                    lit.push_str(&raw[..end]);
                    cur.push(Node::Text(std::mem::take(lit)));
                    literal = None;
                    text_nodes(&raw[end + "</%text>".len()..], line, &mut cur)?;
                }
                None => lit.push_str(raw),
            }
            continue;
        }
        let trimmed = raw.trim_start();
        if trimmed.starts_with("##") {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix('%') {
            if let Some(text) = rest.strip_prefix('%') {
                let lead = &raw[..raw.len() - trimmed.len()];
                text_nodes(&format!("{lead}%{text}"), line, &mut cur)?;
                continue;
            }
            let stmt = rest.trim().trim_end_matches(':').trim();
            let word = stmt.split_whitespace().next().unwrap_or("");
            match word {
                "if" => {
                    let cond = stmt["if".len()..].trim().to_string();
                    stack.push((
                        Open::If(vec![(Some((cond, line)), Vec::new())]),
                        std::mem::take(&mut cur),
                    ));
                }
                "elif" | "else" => {
                    let Some((Open::If(branches), _)) = stack.last_mut() else {
                        return Err(format!("line {line}: `% {word}` outside an `% if`"));
                    };
                    branches.last_mut().expect("an if has a branch").1 = std::mem::take(&mut cur);
                    let cond =
                        (word == "elif").then(|| (stmt["elif".len()..].trim().to_string(), line));
                    branches.push((cond, Vec::new()));
                }
                "endif" => {
                    let Some((Open::If(mut branches), outer)) = stack.pop() else {
                        return Err(format!("line {line}: `% endif` without its `% if`"));
                    };
                    branches.last_mut().expect("an if has a branch").1 = std::mem::take(&mut cur);
                    cur = outer;
                    cur.push(Node::If(branches));
                }
                "for" => {
                    let Some((var, iter)) = stmt["for".len()..].split_once(" in ") else {
                        return Err(format!("line {line}: a `% for` the planner does not read"));
                    };
                    let var = var.trim().to_string();
                    if !var.chars().all(|c| c.is_alphanumeric() || c == '_') {
                        return Err(format!("line {line}: a `% for` over several names"));
                    }
                    stack.push((
                        Open::For {
                            var,
                            iter: iter.trim().to_string(),
                            line,
                        },
                        std::mem::take(&mut cur),
                    ));
                }
                "endfor" => {
                    let Some((
                        Open::For {
                            var,
                            iter,
                            line: at,
                        },
                        outer,
                    )) = stack.pop()
                    else {
                        return Err(format!("line {line}: `% endfor` without its `% for`"));
                    };
                    let body = std::mem::take(&mut cur);
                    cur = outer;
                    cur.push(Node::For {
                        var,
                        iter,
                        line: at,
                        body,
                    });
                }
                other => {
                    return Err(format!(
                        "line {line}: the control line `% {other}` is not one the planner renders"
                    ))
                }
            }
            continue;
        }
        // a backslash before the newline joins the next line
        let mut text = raw.to_string();
        while text.ends_with("\\\n") {
            text.truncate(text.len() - 2);
            match lines.next() {
                Some((_, next)) => text.push_str(next),
                None => break,
            }
        }
        if let Some(start) = text.find("<%text>") {
            text_nodes(&text[..start], line, &mut cur)?;
            let after = &text[start + "<%text>".len()..];
            match after.find("</%text>") {
                Some(end) => {
                    cur.push(Node::Text(after[..end].to_string()));
                    text_nodes(&after[end + "</%text>".len()..], line, &mut cur)?;
                }
                None => literal = Some(after.to_string()),
            }
            continue;
        }
        text_nodes(&text, line, &mut cur)?;
    }
    if literal.is_some() {
        return Err("a `<%text>` block without its `</%text>`".into());
    }
    if let Some((open, _)) = stack.last() {
        return Err(match open {
            Open::If(b) => format!(
                "line {}: `% if` without its `% endif`",
                b[0].0.as_ref().map_or(0, |c| c.1)
            ),
            Open::For { line, .. } => format!("line {line}: `% for` without its `% endfor`"),
        });
    }
    Ok(cur)
}

/// Text with `${...}` substitutions; Mako tags other than `<%text>` are refused.
fn text_nodes(text: &str, line: u32, out: &mut Vec<Node>) -> Result<(), String> {
    if let Some(i) = text.find("<%") {
        let tag: String = text[i..].chars().take(12).collect();
        return Err(format!(
            "line {line}: the Mako tag `{tag}` is not one the planner renders"
        ));
    }
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push(Node::Text(rest[..start].to_string()));
        let body = &rest[start + 2..];
        let end = closing_brace(body)
            .ok_or_else(|| format!("line {line}: a `${{` without its closing brace"))?;
        out.push(Node::Expr {
            code: body[..end].to_string(),
            line,
        });
        rest = &body[end + 1..];
    }
    out.push(Node::Text(rest.to_string()));
    Ok(())
}

/// The `}` closing a substitution, past braces and strings inside it.
fn closing_brace(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '{') => depth += 1,
            (None, '}') if depth == 0 => return Some(i),
            (None, '}') => depth -= 1,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(pairs: &[(&str, TValue)]) -> Context {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn substitutions_filters_and_undefined_names() {
        let c = ctx(&[
            ("up_revision", TValue::Str("abc".into())),
            (
                "down_revision",
                TValue::Tuple(vec![TValue::Str("a1".into()), TValue::Str("b2".into())]),
            ),
            ("branch_labels", TValue::None),
            ("comma", TValue::Function("comma")),
        ]);
        let t = "Revises: ${down_revision | comma,n}\nrev = ${repr(up_revision)}\ndown = ${repr(down_revision)}\nlabels = ${repr(branch_labels)}\n    ${upgrades if upgrades else \"pass\"}\n${imports if imports else \"\"}\n";
        assert_eq!(
            render(t, &c).unwrap(),
            "Revises: a1, b2\nrev = 'abc'\ndown = ('a1', 'b2')\nlabels = None\n    pass\n\n"
        );
        assert!(render("${imports}\n", &c)
            .unwrap_err()
            .contains("NameError"));
    }

    #[test]
    fn control_lines_comments_text_blocks_and_continuations() {
        let c = ctx(&[(
            "down_revision",
            TValue::Tuple(vec![TValue::Str("a".into()), TValue::Str("b".into())]),
        )]);
        let t = "## a comment\n% if len(down_revision) > 1:\nmerge\n% else:\nplain\n% endif\n% for d in down_revision:\n- ${d}\n% endfor\n<%text>${not evaluated}</%text>\nab\\\ncd\n%% literal\n";
        assert_eq!(
            render(t, &c).unwrap(),
            "merge\n- a\n- b\n${not evaluated}\nabcd\n% literal\n"
        );
    }

    #[test]
    fn what_is_not_modelled_names_its_line() {
        let c = Context::new();
        assert!(render("x\n<%! import re %>\n", &c)
            .unwrap_err()
            .starts_with("line 2:"));
        assert!(render("${config.get_main_option('x')}\n", &c)
            .unwrap_err()
            .contains("attribute"));
        assert!(render("% while True:\n% endwhile\n", &c).is_err());
        assert!(render("% if x:\nno end\n", &c)
            .unwrap_err()
            .contains("endif"));
    }

    #[test]
    fn python_repr_of_strings() {
        assert_eq!(py_repr_str("ab"), "'ab'");
        assert_eq!(py_repr_str("it's"), "\"it's\"");
        assert_eq!(py_repr_str("a'\"b"), "'a\\'\"b'");
        assert_eq!(py_repr_str("tab\there\\"), "'tab\\there\\\\'");
    }
}
