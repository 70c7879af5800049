//! The text Alembic prints for `history`, `heads`, `branches` and `show`, byte for byte.
//!
//! Each command returns an [`Output`] (stdout, stderr, exit status) instead of printing, so
//! the CLI prints it and the web app shows it. `--strict` makes a command stop where
//! Alembic would stop; otherwise the planner works on the repaired graph and says on
//! stderr what Alembic would have refused.

use crate::graph::revmap::{AlembicFailure, Rev, RevisionMap};
use crate::graph::walk::{Arg, RevError};
use crate::script::Script;

/// What a command prints and how it exits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
}

impl Output {
    /// Alembic's `util.err`: `FAILED: <msg>` on stdout, exit status 255.
    pub fn fail(mut self, msg: &str) -> Output {
        self.stdout.push_str(&format!("FAILED: {msg}\n"));
        self.status = 255;
        self
    }

    /// An uncaught Python exception in Alembic: a traceback on stderr, exit status 1.
    pub fn crash(mut self, exc: &str) -> Output {
        self.stderr.push_str(&format!(
            "Traceback (most recent call last):\n  (Alembic would stop here with an uncaught exception)\n{exc}\n"
        ));
        self.status = 1;
        self
    }
}

/// How commands present paths and react to what Alembic refuses.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// How script paths print in `Path:` lines: `(internal prefix, printed prefix)` pairs.
    /// Alembic prints absolute paths, so the CLI maps `""` to `/abs/versions/`.
    pub path_roots: Vec<(String, String)>,
    /// Fail wherever Alembic fails, with Alembic's message.
    pub strict: bool,
}

impl Context {
    /// The path of a script as Alembic prints it.
    pub fn display_path(&self, path: &str) -> String {
        for (internal, printed) in &self.path_roots {
            if let Some(rest) = path.strip_prefix(internal.as_str()) {
                return format!("{printed}{rest}");
            }
        }
        path.to_string()
    }

    /// A diagnostic with its path as the user knows it.
    pub fn display_diag_path(&self, d: &crate::base::diag::Diagnostic) -> String {
        let mut d = d.clone();
        if !d.path.is_empty() {
            d.path = self.display_path(&d.path);
        }
        d.to_string()
    }
}

/// Python's `str.splitlines()`.
pub fn py_splitlines(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let is_break = matches!(
            c,
            '\n' | '\r'
                | '\u{0b}'
                | '\u{0c}'
                | '\u{1c}'
                | '\u{1d}'
                | '\u{1e}'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        );
        if is_break {
            out.push(&s[start..i]);
            let mut end = i + c.len_utf8();
            if c == '\r' {
                if let Some((_, '\n')) = chars.peek() {
                    chars.next();
                    end += 1;
                }
            }
            start = end;
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// Formats a revision the ways Alembic's `Script` does.
pub struct Entry<'a> {
    pub map: &'a RevisionMap,
    /// The revision's index in the map.
    pub index: usize,
    pub rev: &'a Rev,
    pub script: &'a Script,
}

impl<'a> Entry<'a> {
    pub fn new(map: &'a RevisionMap, i: usize) -> Self {
        Entry {
            map,
            index: i,
            rev: map.rev(i),
            script: map.script_of(i),
        }
    }

    /// `_format_down_revision`.
    pub fn format_down(&self) -> String {
        if self.rev.down.is_empty() {
            "<base>".into()
        } else {
            self.rev.down.join(", ")
        }
    }

    /// `_head_only`.
    pub fn head_only(
        &self,
        include_branches: bool,
        include_doc: bool,
        include_parents: bool,
        tree_indicators: bool,
    ) -> String {
        let r = self.rev;
        let mut text = r.id.clone();
        if include_parents {
            text = if !r.dependencies.is_empty() {
                format!(
                    "{} ({}) -> {text}",
                    self.format_down(),
                    r.dependencies.join(", ")
                )
            } else {
                format!("{} -> {text}", self.format_down())
            };
        }
        let labels = self.map.labels(self.index);
        if include_branches && !labels.is_empty() {
            text.push_str(&format!(" ({})", labels.join(", ")));
        }
        if r.is_real_head() {
            text.push_str(" (head)");
        }
        if r.is_head() && !r.is_real_head() {
            text.push_str(" (effective head)");
        }
        if tree_indicators {
            if r.is_branch_point() {
                text.push_str(" (branchpoint)");
            }
            if r.is_merge_point() {
                text.push_str(" (mergepoint)");
            }
        }
        if include_doc {
            text.push_str(&format!(", {}", self.script.doc()));
        }
        text
    }

    /// `log_entry`, the verbose form (ends with a newline).
    pub fn log_entry(&self, ctx: &Context) -> String {
        let r = self.rev;
        let mut e = format!(
            "Rev: {}{}{}{}\n",
            r.id,
            if r.is_head() { " (head)" } else { "" },
            if r.is_branch_point() {
                " (branchpoint)"
            } else {
                ""
            },
            if r.is_merge_point() {
                " (mergepoint)"
            } else {
                ""
            },
        );
        if r.is_merge_point() {
            e.push_str(&format!("Merges: {}\n", self.format_down()));
        } else {
            e.push_str(&format!("Parent: {}\n", self.format_down()));
        }
        if !r.dependencies.is_empty() {
            e.push_str(&format!("Also depends on: {}\n", r.dependencies.join(", ")));
        }
        if r.is_branch_point() {
            let kids: Vec<&str> = r
                .nextrev
                .iter()
                .map(|i| self.map.rev(*i).id.as_str())
                .collect();
            e.push_str(&format!("Branches into: {}\n", kids.join(", ")));
        }
        let labels = self.map.labels(self.index);
        if !labels.is_empty() {
            e.push_str(&format!("Branch names: {}\n", labels.join(", ")));
        }
        e.push_str(&format!("Path: {}\n", ctx.display_path(&self.script.path)));
        let long = self.script.longdoc();
        let body: Vec<String> = py_splitlines(&long)
            .iter()
            .map(|l| format!("    {l}"))
            .collect();
        e.push_str(&format!("\n{}\n", body.join("\n")));
        e
    }

    pub fn cmd_format(
        &self,
        verbose: bool,
        include_branches: bool,
        include_doc: bool,
        include_parents: bool,
        tree_indicators: bool,
        ctx: &Context,
    ) -> String {
        if verbose {
            self.log_entry(ctx)
        } else {
            self.head_only(
                include_branches,
                include_doc,
                include_parents,
                tree_indicators,
            )
        }
    }
}

/// Applies the map's own Alembic failure: in strict mode it ends the command.
fn preflight(map: &RevisionMap, ctx: &Context) -> Result<Output, Output> {
    preflight_as(map, ctx, false)
}

/// `uncaught`: the command reads the map outside Alembic's error handler, so even a
/// `CommandError`-style failure surfaces as a traceback.
fn preflight_as(map: &RevisionMap, ctx: &Context, uncaught: bool) -> Result<Output, Output> {
    let mut out = Output::default();
    for d in &map.diagnostics {
        if d.code == "duplicate-revision" {
            out.stderr.push_str(&format!(
                "UserWarning: {}\n",
                d.message.split(" (also").next().unwrap_or(&d.message)
            ));
        }
    }
    if let Some(f) = &map.alembic_failure {
        if ctx.strict {
            return Err(match f {
                AlembicFailure::Revision(m) if uncaught => {
                    out.crash(&format!("alembic.script.revision.RevisionError: {m}"))
                }
                AlembicFailure::Command(m) | AlembicFailure::Revision(m) => out.fail(m),
                AlembicFailure::Crash(m) => out.crash(m),
            });
        }
        out.stderr.push_str(&format!(
            "alembic-planner: Alembic itself would stop here: {}\nalembic-planner: continuing on the repaired graph (see diagnostics); use --strict to fail as Alembic does\n",
            f.message()
        ));
    }
    Ok(out)
}

fn rev_error(out: Output, e: &RevError, start: Option<&str>, end: Option<&str>) -> Output {
    if e.is_crash() {
        out.crash(&e.command_message(start, end, None))
    } else {
        out.fail(&e.command_message(start, end, None))
    }
}

/// `alembic history [-r RANGE] [--verbose]`.
pub fn history(map: &RevisionMap, ctx: &Context, rev_range: Option<&str>, verbose: bool) -> Output {
    // Alembic checks the range's form before it loads the revision map.
    if rev_range.is_some_and(|r| !r.contains(':')) {
        return Output::default().fail("History range requires [start]:[end], [start]:, or :[end]");
    }
    let mut out = match preflight(map, ctx) {
        Ok(o) => o,
        Err(o) => return o,
    };
    let (base, head) = match rev_range {
        Some(r) => {
            let parts: Vec<&str> = r.trim().split(':').collect();
            if parts.len() != 2 {
                return out.crash(&format!(
                    "ValueError: too many values to unpack (expected 2, got {})",
                    parts.len()
                ));
            }
            (parts[0].to_string(), parts[1].to_string())
        }
        None => (String::new(), String::new()),
    };
    if base == "current" || head == "current" {
        return out.fail("history with 'current' needs a database connection; give the current revisions with --from instead (not available offline)");
    }
    let base_arg = if base.is_empty() {
        "base".to_string()
    } else {
        base.clone()
    };
    let head_arg = if head.is_empty() {
        "heads".to_string()
    } else {
        head.clone()
    };
    match map.iterate_upgrade(
        &Arg::Str(head_arg.clone()),
        &Arg::Str(base_arg.clone()),
        false,
        true,
        false,
    ) {
        Ok(order) => {
            for i in order {
                let e = Entry::new(map, i);
                out.stdout
                    .push_str(&e.cmd_format(verbose, true, true, true, true, ctx));
                out.stdout.push('\n');
            }
            out
        }
        Err(e) => rev_error(out, &e, Some(&base_arg), Some(&head_arg)),
    }
}

/// `alembic heads [--verbose] [--resolve-dependencies]`.
pub fn heads(
    map: &RevisionMap,
    ctx: &Context,
    verbose: bool,
    resolve_dependencies: bool,
) -> Output {
    // `get_heads()` loads the map outside `_catch_revision_errors`.
    let mut out = match preflight_as(map, ctx, !resolve_dependencies) {
        Ok(o) => o,
        Err(o) => return o,
    };
    let ids = if resolve_dependencies {
        Arg::s("heads")
    } else {
        Arg::Tuple(map.heads.clone())
    };
    match map.get_revisions(&ids) {
        Ok(nodes) => {
            for n in nodes {
                if let Some(crate::graph::walk::Node::Rev(i)) = n {
                    let e = Entry::new(map, i);
                    out.stdout
                        .push_str(&e.cmd_format(verbose, true, false, false, false, ctx));
                    out.stdout.push('\n');
                }
            }
            out
        }
        Err(e) => rev_error(out, &e, None, None),
    }
}

/// `alembic branches [--verbose]`.
pub fn branches(map: &RevisionMap, ctx: &Context, verbose: bool) -> Output {
    let mut out = match preflight(map, ctx) {
        Ok(o) => o,
        Err(o) => return o,
    };
    match map.iterate_upgrade(&Arg::s("heads"), &Arg::s("base"), false, true, false) {
        Ok(order) => {
            for i in order {
                let e = Entry::new(map, i);
                if !e.rev.is_branch_point() {
                    continue;
                }
                let pad = " ".repeat(e.rev.id.chars().count());
                let kids: Vec<String> = e
                    .rev
                    .nextrev
                    .iter()
                    .map(|k| {
                        format!(
                            "{pad} -> {}",
                            Entry::new(map, *k).head_only(true, verbose, false, true)
                        )
                    })
                    .collect();
                out.stdout.push_str(&format!(
                    "{}\n{}\n\n",
                    e.cmd_format(verbose, true, false, false, true, ctx),
                    kids.join("\n")
                ));
            }
            out
        }
        Err(e) => rev_error(out, &e, Some("base"), Some("heads")),
    }
}

/// `alembic show REV`.
pub fn show(map: &RevisionMap, ctx: &Context, rev: &str) -> Output {
    let mut out = match preflight(map, ctx) {
        Ok(o) => o,
        Err(o) => return o,
    };
    if rev == "current" {
        return out.fail("show current needs a database connection (not available offline)");
    }
    match map.get_revisions(&Arg::s(rev)) {
        Ok(nodes) => {
            for n in nodes {
                if let Some(crate::graph::walk::Node::Rev(i)) = n {
                    out.stdout.push_str(&Entry::new(map, i).log_entry(ctx));
                    out.stdout.push('\n');
                } else {
                    return out
                        .crash("AttributeError: 'NoneType' object has no attribute 'log_entry'");
                }
            }
            out
        }
        Err(e) => rev_error(out, &e, None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::py_splitlines;

    #[test]
    fn splitlines_like_python() {
        assert_eq!(
            py_splitlines("a\n\nb\r\nc\rd"),
            vec!["a", "", "b", "c", "d"]
        );
        assert_eq!(py_splitlines("a\n"), vec!["a"]);
        assert!(py_splitlines("").is_empty());
    }
}
