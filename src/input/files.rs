//! The input boundary: a versions folder given as `(path, bytes)` pairs.
//!
//! This module decides which files are revision scripts and in which order Alembic loads
//! them: Alembic walks the folder top-down, taking each folder's files sorted by name, then
//! its sub-folders sorted by name (`recursive_version_locations`), skipping `__pycache__`, and
//! keeps the files whose name matches `(?!\.#|__init__)(.*\.py)$`.

use crate::base::diag::Diagnostic;

pub use crate::base::limits::MAX_FILE_BYTES;

/// One file as the shell read it. `path` is relative to the versions folder, with `/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl InputFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        InputFile {
            path: normalize_path(&path.into()),
            bytes: bytes.into(),
        }
    }
}

/// A revision script selected for parsing, decoded to text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

/// How the folder is read.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadOptions {
    /// Descend into sub-folders, as Alembic's `recursive_version_locations = true` does.
    pub recursive: bool,
    /// Application-defined column types mapped to SQL by the user: `(name, SQL type)`.
    /// A type the planner cannot know whose reason names `name` in backticks (the name it
    /// is bound to, or its dotted origin: `Slug`, `myapp.types.Slug`) becomes that SQL.
    pub type_map: Vec<(String, String)>,
    /// String constants of the project's own modules (read, never run), for names the
    /// revisions import from them: `branch_labels = (migration.CONTRACT_BRANCH,)`.
    pub constants: ProjectConstants,
    /// How much of each revision's `upgrade()` and `downgrade()` to read: a shell that
    /// prints only the graph needs none of it, one that prints one dialect's SQL only that
    /// dialect's reading of a file that reads the dialect's name.
    pub operations: Operations,
    /// Which of each revision's functions to interpret: `upgrade --sql` runs no
    /// `downgrade()`, and reading it was a third of the load's time and memory.
    pub functions: Functions,
    /// Frees each script's text once it is read (the project's `sources` keep their
    /// paths): a shell that prints only what the load read (the CLI's `upgrade --sql`)
    /// needs none of it after, and a 5,000-revision folder's text is 13 MB. A reading
    /// asked for afterwards (another dialect's) says it had nothing to read.
    pub release_texts: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            recursive: true,
            type_map: Vec::new(),
            constants: ProjectConstants::default(),
            operations: Operations::Every,
            functions: Functions::Both,
            release_texts: false,
        }
    }
}

/// Which readings of the revisions' operations a load makes (see [`LoadOptions`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Operations {
    /// Every reading: a file that reads the dialect's name is read once per dialect.
    #[default]
    Every,
    /// Every file read for this dialect only: asked for another dialect, a file that reads
    /// the dialect's name answers for this one.
    For(crate::base::Dialect),
    /// None: only the revision identifiers, docstrings and syntax (`heads`, `history`).
    /// Every revision's operations are then empty.
    Skip,
}

impl Operations {
    /// The dialects a file that reads the dialect's name is read for.
    pub fn dialects(self) -> Vec<crate::base::Dialect> {
        crate::base::Dialect::ALL
            .into_iter()
            .filter(|d| match self {
                Operations::Every => true,
                Operations::For(one) => *d == one,
                Operations::Skip => false,
            })
            .collect()
    }
}

/// Which of a revision's functions a load interprets (see [`LoadOptions`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Functions {
    #[default]
    Both,
    /// `upgrade()` alone: what `upgrade --sql` runs. Its reading is the same as in a load
    /// of both (it is read first). `downgrade()` has no such load of its own: it is read
    /// on what `upgrade()` left of the file's evaluation budget (`base::limits`).
    Upgrade,
}

impl Functions {
    /// How many of `upgrade()`, `downgrade()` (in that order) are read.
    pub fn count(self) -> usize {
        match self {
            Functions::Both => 2,
            Functions::Upgrade => 1,
        }
    }
}

/// Module-level string constants of the project's own source, by qualified name
/// (`glance.db.migration.CONTRACT_BRANCH`), each with where it is written; and the column
/// types it defines as `TypeDecorator`s whose SQL is their `impl`'s.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProjectConstants {
    pub values: std::collections::BTreeMap<String, ProjectConstant>,
    pub types: std::collections::BTreeMap<String, ProjectType>,
    /// The project's column types whose SQL its code decides (`load_dialect_impl`,
    /// `__init__`, an `impl` the planner does not model), with why and where.
    pub opaque_types: std::collections::BTreeMap<String, ProjectConstant>,
    /// Module-level integer constants (`ID_LEN = 250`), by qualified name.
    pub ints: std::collections::BTreeMap<String, ProjectInt>,
    /// Names a module re-exports from another of the project's modules (`from .base import
    /// ID_LEN` in `airflow/models/__init__.py`, also under `if TYPE_CHECKING:`): the name as
    /// the revision imports it → the name where it is defined.
    pub aliases: std::collections::BTreeMap<String, String>,
    /// Other module-level values the evaluator knows whole (a dict or list of known
    /// values, a `sa.MetaData(naming_convention={...})`), by qualified name.
    pub objects: std::collections::BTreeMap<String, ProjectObject>,
    /// The `@compiles(<construct>, "dialect")` functions of the modules read: importing
    /// the module (as a revision does) registers them for every revision of the run.
    pub compiler_hooks: Vec<ProjectHook>,
}

/// A value of the project's own source other than a string or an integer, and where it
/// is written.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectObject {
    pub value: crate::python::Val,
    /// The module's file, as the shell names it.
    pub path: String,
    pub line: u32,
}

/// A `@compiles` hook of the project's own source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectHook {
    /// The construct's qualified name (`sqlalchemy.DateTime`), or the name written when the
    /// planner cannot tell which SQLAlchemy construct it is.
    pub construct: String,
    /// The dialects it is registered for; empty: all.
    pub dialects: Vec<String>,
    /// The module's file, as the shell names it, and the decorator's line.
    pub path: String,
    pub line: u32,
}

impl ProjectConstants {
    /// `q` with the project's re-exports followed (a bounded number of hops): the name the
    /// other maps hold it under.
    pub fn canonical<'a>(&'a self, q: &'a str) -> &'a str {
        let mut at = q;
        for _ in 0..crate::base::limits::MAX_ALIAS_HOPS {
            match self.aliases.get(at) {
                Some(next) if next != at => at = next,
                _ => break,
            }
        }
        at
    }

    /// Nothing read.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
            && self.types.is_empty()
            && self.opaque_types.is_empty()
            && self.ints.is_empty()
            && self.objects.is_empty()
            && self.compiler_hooks.is_empty()
    }
}

/// An integer constant of the project's own source, and where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectInt {
    pub value: i64,
    /// The module's file, as the shell names it.
    pub path: String,
    pub line: u32,
}

/// A column type of the project's own: `class Uuid(TypeDecorator): impl = String(36)`.
/// SQLAlchemy compiles it as its `impl`: a class is called with the type's own arguments
/// (`Uuid(50)` is `String(50)`), an instance is taken as it is; a `load_dialect_impl`
/// that chooses by the dialect's name gives other dialects other types. A class whose
/// `__init__` or `load_dialect_impl` decides the SQL otherwise is not kept.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectType {
    /// `impl`'s value: a `Ref` to a type class, or a `Call` (an instance).
    pub impl_type: crate::python::Val,
    /// `load_dialect_impl`'s branches, first first: the dialects each names and its type
    /// (`None`: the `impl`).
    pub variants: Vec<(Vec<String>, Option<crate::python::Val>)>,
    /// What `load_dialect_impl` returns for the other dialects, when not the `impl`.
    pub rest: Option<crate::python::Val>,
    /// A type factory's parameters (`def String(length): return sa.String(length=length)`)
    /// with their defaults: `impl_type` then holds [`param_mark`]s where they are used.
    pub params: Vec<(String, Option<crate::python::Val>)>,
    /// What the class's own `__init__` does with a call's arguments.
    pub init: TypeInit,
    /// The module's file, as the shell names it, and the class's line.
    pub path: String,
    pub line: u32,
}

/// What a `TypeDecorator` class does with the arguments it is called with.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum TypeInit {
    /// No `__init__` of its own: `TypeDecorator.__init__` hands them to the `impl` class.
    #[default]
    Impl,
    /// Its own `__init__` keeps them for Python (`super().__init__()`: the `impl` is made
    /// with none), except the parameter (name, position after `self`) that replaces the
    /// `impl` when given and not `None` (`if sa_column_type is not None: self.impl =
    /// sa_column_type`).
    Own { impl_param: Option<(String, usize)> },
}

impl ProjectType {
    /// The type a call `Name(args, kwargs)` of it makes, as SQLAlchemy compiles it.
    pub fn instantiate(
        &self,
        args: &[crate::python::Val],
        kwargs: &[(String, crate::python::Val)],
    ) -> crate::python::Val {
        use crate::python::Val;
        if !self.params.is_empty() {
            // a factory's call: its arguments where its parameters are used
            let given = |k: usize, name: &str| {
                args.get(k)
                    .or_else(|| kwargs.iter().find(|(n, _)| n == name).map(|(_, v)| v))
            };
            let bound: Vec<(String, Val)> = self
                .params
                .iter()
                .enumerate()
                .map(|(k, (name, default))| {
                    let v = given(k, name).cloned().or_else(|| default.clone());
                    (
                        param_mark(name),
                        v.unwrap_or_else(|| {
                            Val::Opaque(format!(
                                "parameter `{name}` of a type factory is not given"
                            ))
                        }),
                    )
                })
                .collect();
            if args.len() > self.params.len() {
                return Val::Opaque(
                    "a type factory called with more arguments than it takes".into(),
                );
            }
            return substitute(&self.impl_type, &bound);
        }
        let (args, kwargs) = match &self.init {
            TypeInit::Impl => (args, kwargs),
            TypeInit::Own { impl_param } => {
                let given = impl_param.as_ref().and_then(|(name, k)| {
                    args.get(*k)
                        .or_else(|| kwargs.iter().find(|(n, _)| n == name).map(|(_, v)| v))
                        .filter(|v| !matches!(v, Val::None))
                });
                match given {
                    // the impl replaced by an instance, compiled as it is (a class is not
                    // made an instance there: SQLAlchemy fails on it)
                    Some(Val::Ref(class)) => {
                        return Val::Opaque(format!(
                            "the type's `impl` replaced by the class `{class}`, not an instance"
                        ))
                    }
                    Some(other) => return other.clone(),
                    None => (&[][..], &[][..]),
                }
            }
        };
        let own = match &self.impl_type {
            Val::Ref(class) => Val::Call {
                func: class.clone(),
                args: args.to_vec(),
                kwargs: kwargs.to_vec(),
            },
            instance => instance.clone(),
        };
        let mut t = self.rest.clone().unwrap_or_else(|| own.clone());
        // `T.with_variant(V, "mysql")` is what the render layer reads per dialect; the first
        // branch outermost, as `load_dialect_impl` tries it first
        for (dialects, v) in self.variants.iter().rev() {
            let variant = v.clone().unwrap_or_else(|| own.clone());
            t = t.with_variant(variant, dialects.iter().cloned());
        }
        t
    }
}

/// Where a type factory's parameter is used in its returned type (an opaque value no
/// evaluation produces otherwise).
pub fn param_mark(name: &str) -> String {
    format!("\u{0}parameter {name}")
}

/// `v` with each parameter mark replaced by its bound value.
fn substitute(
    v: &crate::python::Val,
    bound: &[(String, crate::python::Val)],
) -> crate::python::Val {
    v.map(&mut |x| match x {
        crate::python::Val::Opaque(m) => bound
            .iter()
            .find(|(mark, _)| mark == m)
            .map(|(_, b)| b.clone()),
        _ => None,
    })
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectConstant {
    pub value: String,
    /// The module's file, as the shell names it.
    pub path: String,
    pub line: u32,
}

/// Parses a type mapping written one `NAME=SQL TYPE` per line (or per argument); blank
/// lines and lines without `=` are skipped.
pub fn parse_type_map(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(n, t)| (n.trim().to_string(), t.trim().to_string()))
        .filter(|(n, t)| !n.is_empty() && !t.is_empty())
        .collect()
}

/// The outcome of selecting files: revision scripts in Alembic's load order, and the rest.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub scripts: Vec<SourceFile>,
    /// Files that are not revision scripts (READMEs, `__init__.py`, caches, ...), by path.
    pub ignored: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

pub(crate) fn normalize_path(p: &str) -> String {
    let p = p.replace('\\', "/");
    let parts: Vec<&str> = p
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    parts.join("/")
}

/// Whether Alembic takes a file of this name as a revision script.
pub fn is_script_name(name: &str) -> bool {
    name.ends_with(".py") && !name.starts_with(".#") && !name.starts_with("__init__")
}

/// What a shell does with a file before reading it, known from its path and size alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intake {
    /// Its contents are needed: a revision script, an `alembic.ini` or a package's
    /// `__init__.py`, small enough.
    Read,
    /// Only its path is (it is listed among the ignored files, or shows where the versions
    /// folder is): passed with no bytes, so a project's videos, dumps and `node_modules`
    /// are not read into memory, nor an archive's bomb inflated.
    PathOnly,
    /// A revision script over [`MAX_FILE_BYTES`]: not read, diagnosed with [`too_large`].
    TooLarge,
}

/// Whether a shell reads a file, from its path (relative, `/`-separated) and size.
pub fn intake(path: &str, size: u64) -> Intake {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == "alembic.ini" {
        // read within the same bound (an ini that large is not one)
        return if size > MAX_FILE_BYTES as u64 {
            Intake::PathOnly
        } else {
            Intake::Read
        };
    }
    // a package's `__init__.py` is no revision, but the project reader may need it (the
    // names a package re-exports: `script::constants`); small, read within the same bound
    if name == "__init__.py" {
        return if size > MAX_FILE_BYTES as u64 {
            Intake::PathOnly
        } else {
            Intake::Read
        };
    }
    if !is_script_name(name) {
        Intake::PathOnly
    } else if size > MAX_FILE_BYTES as u64 {
        Intake::TooLarge
    } else {
        Intake::Read
    }
}

/// The key that sorts paths in Alembic's walk order: a folder's own files (sorted by name)
/// come before its sub-folders (sorted by name), depth first.
fn walk_key(path: &str) -> Vec<(u8, &str)> {
    let parts: Vec<&str> = path.split('/').collect();
    let last = parts.len() - 1;
    parts
        .iter()
        .enumerate()
        .map(|(i, s)| (if i == last { 0 } else { 1 }, *s))
        .collect()
}

/// Picks and orders the revision scripts of a versions folder, decoding each to text.
/// Never fails: unreadable files become diagnostics.
pub fn select(files: &[InputFile], opts: LoadOptions) -> Selection {
    select_owned(files.to_vec(), opts)
}

/// [`select`] taking the files: a script's bytes become its text without a copy (the CLI
/// holds one copy of a folder, not two).
pub fn select_owned(files: Vec<InputFile>, opts: LoadOptions) -> Selection {
    let mut out = Selection::default();
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_cached_key(|&i| walk_key(&files[i].path));
    let mut slots: Vec<Option<InputFile>> = files.into_iter().map(Some).collect();
    let mut last_path: Option<String> = None;
    for i in order {
        let Some(f) = slots[i].take() else { continue };
        if last_path.as_deref() == Some(f.path.as_str()) {
            out.diagnostics.push(Diagnostic::warning(
                "duplicate-file",
                &f.path,
                0,
                "file given twice; the first copy is used",
            ));
            continue;
        }
        last_path = Some(f.path.clone());
        let (dirs, name) = match f.path.rsplit_once('/') {
            Some((d, n)) => (Some(d), n),
            None => (None, f.path.as_str()),
        };
        let in_cache = dirs.is_some_and(|d| d.split('/').any(|c| c.ends_with("__pycache__")));
        let nested = dirs.is_some();
        if in_cache || !is_script_name(name) || (nested && !opts.recursive) {
            out.ignored.push(f.path.clone());
            continue;
        }
        if f.bytes.len() > MAX_FILE_BYTES {
            out.diagnostics
                .push(too_large(&f.path, f.bytes.len() as u64));
            continue;
        }
        match decode(f.bytes) {
            Ok(text) => out.scripts.push(SourceFile { path: f.path, text }),
            Err(msg) => out
                .diagnostics
                .push(Diagnostic::error("unreadable-file", &f.path, 0, msg)),
        }
    }
    out
}

/// A revision script over [`MAX_FILE_BYTES`], left unparsed.
/// The diagnostic for a revision script over [`MAX_FILE_BYTES`], which is not parsed.
pub fn too_large(path: &str, size: u64) -> Diagnostic {
    Diagnostic::error(
        "file-too-large",
        path,
        0,
        format!("file is {size} bytes, over the {MAX_FILE_BYTES} byte limit; it was not parsed"),
    )
}

/// Decodes a Python source file: UTF-8 (with or without BOM), or Latin-1 when a coding
/// cookie says so. Binary content (NUL bytes) is refused.
fn decode(mut bytes: Vec<u8>) -> Result<String, String> {
    if bytes.contains(&0) {
        return Err("binary file (contains NUL bytes); not a Python source file".into());
    }
    if bytes.starts_with(b"\xef\xbb\xbf") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let valid_up_to = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let head: Vec<&[u8]> = bytes.split(|b| *b == b'\n').take(2).collect();
            let latin = head.iter().any(|l| {
                let l = String::from_utf8_lossy(l).to_ascii_lowercase();
                l.starts_with('#')
                    && l.contains("coding")
                    && (l.contains("latin-1") || l.contains("iso-8859-1") || l.contains("latin1"))
            });
            if latin {
                Ok(bytes.iter().map(|&b| b as char).collect())
            } else {
                let line = bytes[..valid_up_to].iter().filter(|b| **b == b'\n').count() + 1;
                Err(format!(
                    "not valid UTF-8 (line {line}) and no Latin-1 coding declaration"
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(files: &[(&str, &str)], recursive: bool) -> Vec<String> {
        let input: Vec<InputFile> = files.iter().map(|(p, t)| InputFile::new(*p, *t)).collect();
        select(
            &input,
            LoadOptions {
                recursive,
                ..LoadOptions::default()
            },
        )
        .scripts
        .into_iter()
        .map(|s| s.path)
        .collect()
    }

    #[test]
    fn only_scripts_and_the_ini_are_read() {
        let big = MAX_FILE_BYTES as u64 + 1;
        assert_eq!(intake("v/1_a.py", 10), Intake::Read);
        assert_eq!(intake("proj/alembic.ini", 10), Intake::Read);
        assert_eq!(intake("v/1_a.py", big), Intake::TooLarge);
        assert_eq!(intake("proj/alembic.ini", big), Intake::PathOnly);
        assert_eq!(intake("v/README.md", 10), Intake::PathOnly);
        assert_eq!(intake("v/dump.sql", big), Intake::PathOnly);
        // a package's module: read for the project reader, never a revision
        assert_eq!(intake("v/__init__.py", 10), Intake::Read);
        assert_eq!(intake("v/__init__.py", big), Intake::PathOnly);
    }

    #[test]
    fn walk_order_files_before_subfolders() {
        let files = [
            ("b/x.py", ""),
            ("z.py", ""),
            ("a/y.py", ""),
            ("a.py", ""),
            ("__init__.py", ""),
            ("a/__pycache__/y.cpython-311.py", ""),
            ("README", ""),
            (".#lock.py", ""),
        ];
        assert_eq!(paths(&files, true), ["a.py", "z.py", "a/y.py", "b/x.py"]);
        assert_eq!(paths(&files, false), ["a.py", "z.py"]);
    }

    #[test]
    fn binary_and_bad_encoding_are_diagnosed() {
        let input = vec![
            InputFile::new("bin.py", vec![0u8, 1, 2]),
            InputFile::new("bad.py", vec![b'a', 0xff, b'\n']),
            InputFile::new(
                "latin.py",
                b"# -*- coding: latin-1 -*-\nx = '\xe9'\n".to_vec(),
            ),
        ];
        let s = select(&input, LoadOptions::default());
        assert_eq!(s.scripts.len(), 1);
        assert!(s.scripts[0].text.contains('\u{e9}'));
        assert_eq!(s.diagnostics.len(), 2);
    }
}
