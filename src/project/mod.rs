//! Layer 8, **project**: one call from input files to everything known about them: the
//! revision scripts selected and decoded, each parsed once for both its identifiers and
//! its operations, and the revision map built over them ([`Project`]). [`Loading`] does the
//! same in steps, for a shell that must keep painting.

use std::sync::OnceLock;

use crate::base::{Diagnostic, Dialect, LineIndex};
use crate::graph::{AlembicFailure, RevisionMap};
use crate::input::{
    select, select_owned, InputFile, LoadOptions, Operations, Selection, SourceFile,
};
use crate::ops::{interpret_parsed, MigrationOps, Step};
use crate::python::parse_module;
use crate::script::{read_parsed, Script};

/// The analysis of a versions folder.
#[derive(Clone, Debug, Default)]
pub struct Project {
    pub map: RevisionMap,
    /// The revision scripts' text, parallel to `map.scripts`.
    pub sources: Vec<SourceFile>,
    /// Files present but not revision scripts.
    pub ignored: Vec<String>,
    /// Every diagnostic: files, scripts, graph.
    pub diagnostics: Vec<Diagnostic>,
    /// Each script's interpreted operations, parallel to `sources`.
    pub(crate) ops: Vec<MigrationOps>,
    /// Other dialects' readings of the scripts that read the dialect's name, made when first
    /// asked for (a load for one dialect reads those scripts for it alone).
    later: LaterReadings,
    /// The diagnostics of choosing the scripts among the files (kept to load again).
    selection: Vec<Diagnostic>,
}

impl Project {
    /// Reads and analyses a versions folder. Never fails.
    pub fn load(files: &[InputFile], opts: LoadOptions) -> Project {
        let mut loading = Loading::new(files, opts);
        loading.read = read_all(&mut loading.sel.scripts, &loading.opts);
        loading.finish()
    }

    /// [`Project::load`] taking the files (the CLI's): each script's bytes become its text
    /// in place, so a folder is held once, not twice.
    pub fn load_owned(files: Vec<InputFile>, opts: LoadOptions) -> Project {
        let mut loading = Loading::from_selection(select_owned(files, opts.clone()), opts);
        loading.read = read_all(&mut loading.sel.scripts, &loading.opts);
        loading.finish()
    }

    /// The same scripts loaded again with other options (the CLI's second load, with the
    /// project's constants): the files are not needed again. The selection (`recursive`)
    /// stays the first load's.
    pub fn reload(self, opts: LoadOptions) -> Project {
        debug_assert!(!self.later.opts.release_texts, "a reload of released texts");
        let sel = Selection {
            scripts: self.sources,
            ignored: self.ignored,
            diagnostics: self.selection,
        };
        let mut loading = Loading::from_selection(sel, opts);
        loading.read = read_all(&mut loading.sel.scripts, &loading.opts);
        loading.finish()
    }

    /// Convenience for tests and tools: `(path, text)` pairs.
    pub fn from_texts<P: AsRef<str>, T: AsRef<str>>(files: &[(P, T)]) -> Project {
        let input: Vec<InputFile> = files
            .iter()
            .map(|(p, t)| InputFile::new(p.as_ref(), t.as_ref().as_bytes()))
            .collect();
        Project::load(&input, LoadOptions::default())
    }
}

/// Interpretation coverage of a whole project.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Coverage {
    pub statements: usize,
    pub interpreted: usize,
    /// Every opaque step.
    pub opaque: Vec<OpaqueStep>,
}

/// A step the interpreter could not know, where and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct OpaqueStep {
    pub path: String,
    pub line: u32,
    pub reason: String,
}

impl Project {
    /// The interpreted `upgrade()`/`downgrade()` of a revision (interpreted when the
    /// project was loaded).
    pub fn migration_ops(&self, rev: usize) -> &MigrationOps {
        &self.ops[self.map.revs[rev].script]
    }

    /// [`Project::migration_ops`] as a run for `dialect` does them: a revision that reads
    /// the dialect's name (`op.get_bind().dialect.name`) does what that dialect's branch does.
    /// Loaded for another dialect (`Operations::For`), such a revision is read again for
    /// this one the first time it is asked for, and kept.
    pub fn migration_ops_for(&self, rev: usize, dialect: Dialect) -> &MigrationOps {
        let script = self.map.revs[rev].script;
        let ops = &self.ops[script];
        match self.later.opts.operations {
            Operations::For(one) if one != dialect && ops.reads_dialect => self.later.made
                [dialect as usize][script]
                .get_or_init(|| Box::new(self.read_again(script, dialect))),
            _ => ops.for_dialect(dialect),
        }
    }

    /// Whether the load read the revisions' operations (`Operations::Skip` reads only their
    /// identifiers: every revision's operations are then empty, not known to be none).
    pub fn operations_read(&self) -> bool {
        self.later.opts.operations != Operations::Skip
    }

    /// Makes every revision's reading for `dialect` now (the analysis worker, while the
    /// page draws), so a later request for it reads nothing.
    pub fn read_for(&self, dialect: Dialect) {
        for rev in 0..self.map.len() {
            self.migration_ops_for(rev, dialect);
        }
    }

    /// A script read again for `dialect`, as the load read it for its own dialect: the same
    /// constants, type mapping and `@compiles` hooks.
    fn read_again(&self, script: usize, dialect: Dialect) -> MigrationOps {
        if self.later.opts.release_texts {
            let opaque = || {
                vec![crate::ops::LocatedStep {
                    line: 1,
                    step: Step::Opaque {
                        reason: format!(
                            "not read for {}: the load freed the file's text (`LoadOptions::release_texts`)",
                            dialect.label()
                        ),
                    },
                    batch: None,
                    conv_names: Vec::new(),
                }]
            };
            return MigrationOps {
                upgrade: opaque(),
                downgrade: opaque(),
                functions: self.later.opts.functions,
                ..MigrationOps::default()
            };
        }
        let f = &self.sources[script];
        let parsed = parse_module(&f.text);
        let lines = LineIndex::new(&f.text);
        let opts = &self.later.opts;
        let mut ops =
            interpret_parsed(&parsed, &lines, &opts.constants, &[dialect], opts.functions);
        finish_reading(&mut ops, &self.later.opts, &self.later.hooks);
        ops
    }

    /// Revisions newest first, in Alembic's `history` order.
    pub fn history_order(&self) -> Vec<usize> {
        self.map.history_order()
    }

    /// Revisions oldest first (the reverse of history order).
    pub fn upgrade_order(&self) -> Vec<usize> {
        let mut v = self.history_order();
        v.reverse();
        v
    }

    /// The revisions `alembic upgrade TARGET` applies from an empty database, oldest first.
    pub fn upgrade_path(&self, target: &str) -> Result<Vec<usize>, AlembicFailure> {
        let plan = crate::plan::request(&self.map, crate::plan::Direction::Upgrade, target, &[])?;
        if let Some(f) = plan.failure {
            return Err(f);
        }
        Ok(plan.steps.iter().filter_map(|s| s.rev).collect())
    }

    /// The revisions applied in a database whose version table holds `current`, oldest
    /// first (each one's upgrade path, merged in upgrade order).
    pub fn applied_through(&self, current: &[String]) -> Vec<usize> {
        let mut applied = vec![false; self.map.len()];
        for id in current {
            for rev in self.upgrade_path(id).unwrap_or_default() {
                applied[rev] = true;
            }
        }
        self.upgrade_order()
            .into_iter()
            .filter(|&r| applied[r])
            .collect()
    }

    /// The revision defined by the file at `path`, if it made it into the graph.
    pub fn revision_of_path(&self, path: &str) -> Option<usize> {
        let si = self.map.scripts.iter().position(|s| s.path == path)?;
        self.map.revs.iter().position(|r| r.script == si)
    }

    /// The tables a revision's upgrade or downgrade names, sorted, each once.
    pub fn tables_touched(&self, rev: usize) -> Vec<String> {
        let mut v: Vec<String> = self
            .migration_ops(rev)
            .readings()
            .flat_map(|ops| ops.upgrade.iter().chain(ops.downgrade.iter()))
            .filter_map(|s| match &s.step {
                Step::Op(op) => Some(op.tables()),
                Step::Opaque { .. }
                | Step::NotModelled { .. }
                | Step::Autocommit { .. }
                | Step::Print { .. } => None,
            })
            .flatten()
            .map(String::from)
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// How much of every `upgrade()` and `downgrade()` the planner interpreted.
    pub fn coverage(&self) -> Coverage {
        let mut c = Coverage::default();
        for rev in self.upgrade_order() {
            // a revision read per dialect: its least interpreted reading, and every
            // reading's opaque steps once
            let ops = self.migration_ops(rev);
            let Some(worst) = ops
                .readings()
                .max_by_key(|o| o.statements.saturating_sub(o.interpreted))
            else {
                continue;
            };
            c.statements += worst.statements;
            c.interpreted += worst.interpreted;
            let path = &self.map.script_of(rev).path;
            let mut seen = std::collections::BTreeSet::new();
            for st in ops
                .readings()
                .flat_map(|o| o.upgrade.iter().chain(o.downgrade.iter()))
            {
                if let Step::Opaque { reason } = &st.step {
                    if seen.insert((st.line, reason)) {
                        c.opaque.push(OpaqueStep {
                            path: path.clone(),
                            line: st.line,
                            reason: reason.clone(),
                        });
                    }
                }
            }
        }
        c
    }
}

/// A load in steps, for a shell that must stay responsive (the browser has one thread):
/// `step` reads some files, `finish` builds the graph. `Project::load` is all of it at once.
pub struct Loading {
    sel: crate::input::Selection,
    opts: LoadOptions,
    read: Vec<(Script, MigrationOps)>,
    /// The graph of an earlier load whose identifiers this one reads alike
    /// (`Loading::again`): only the operations are read, `read`'s scripts left empty.
    known: Option<RevisionMap>,
}

impl Loading {
    pub fn new(files: &[InputFile], opts: LoadOptions) -> Loading {
        let sel = select(files, opts.clone());
        Loading::from_selection(sel, opts)
    }

    fn from_selection(sel: Selection, mut opts: LoadOptions) -> Loading {
        // a type the user mapped to SQL is theirs, not its `impl`'s
        let mapped = |q: &str| {
            opts.type_map
                .iter()
                .any(|(n, _)| n == q || q.rsplit('.').next() == Some(n.as_str()))
        };
        opts.constants.types.retain(|q, _| !mapped(q));
        opts.constants.opaque_types.retain(|q, _| !mapped(q));
        Loading {
            sel,
            opts,
            read: Vec::new(),
            known: None,
        }
    }

    /// `project`'s scripts loaded again with `opts`, from the texts it holds (the files
    /// are not needed; the selection stays the project's, as `Project::reload`). When
    /// `opts` reads the identifiers as the project's load did (the same constants), the
    /// project's graph is kept and only the operations are read: a shell that drew a
    /// folder's graph from a load without operations (`Operations::Skip`) reads them after
    /// without building the graph again.
    pub fn again(project: &Project, opts: LoadOptions) -> Loading {
        debug_assert!(
            !project.later.opts.release_texts,
            "a load again of released texts"
        );
        let sel = Selection {
            scripts: project.sources.clone(),
            ignored: project.ignored.clone(),
            diagnostics: project.selection.clone(),
        };
        let mut loading = Loading::from_selection(sel, opts);
        // (both as `from_selection` leaves them: the project's options are its loading's)
        if loading.opts.constants == project.later.opts.constants {
            loading.known = Some(project.map.clone());
        }
        loading
    }

    /// How many revision scripts there are to read.
    pub fn total(&self) -> usize {
        self.sel.scripts.len()
    }

    /// How many are read.
    pub fn done(&self) -> usize {
        self.read.len()
    }

    /// Reads up to `n` more scripts; true once all are read.
    pub fn step(&mut self, n: usize) -> bool {
        let start = self.read.len();
        let end = start.saturating_add(n).min(self.sel.scripts.len());
        for f in &mut self.sel.scripts[start..end] {
            self.read.push(match self.known {
                Some(_) => (Script::default(), read_operations(f, &self.opts)),
                None => read_one(f, &self.opts),
            });
            release(f, &self.opts);
        }
        self.read.len() == self.sel.scripts.len()
    }

    /// Reads what is left and builds the revision map.
    pub fn finish(mut self) -> Project {
        self.step(usize::MAX);
        let sel = self.sel;
        let opts = self.opts;
        let selection = sel.diagnostics.clone();
        let mut diagnostics = sel.diagnostics;
        let (read, mut ops): (Vec<_>, Vec<_>) = self.read.into_iter().unzip();
        // the graph known already (its scripts), or the one the scripts read make
        let known = self.known;
        let scripts: &[Script] = match &known {
            Some(map) => &map.scripts,
            None => &read,
        };
        // a revision's @compiles hook changes the SQL of every revision (Alembic imports
        // them all before it runs any)
        // (and so does one of the project's modules a revision imports)
        let hooks: Vec<(String, crate::ops::CompilerHook)> = scripts
            .iter()
            .zip(&ops)
            .flat_map(|(s, o)| o.compiler_hooks.iter().map(|h| (s.path.clone(), h.clone())))
            .chain(opts.constants.compiler_hooks.iter().map(|h| {
                let hook = crate::ops::CompilerHook {
                    construct: h.construct.clone(),
                    dialects: h.dialects.clone(),
                    line: h.line,
                };
                (h.path.clone(), hook)
            }))
            .collect();
        for o in ops.iter_mut() {
            finish_reading(o, &opts, &hooks);
        }
        for (s, o) in scripts.iter().zip(&ops) {
            diagnostics.extend(s.diagnostics.iter().cloned());
            for (line, reason) in &o.limits {
                diagnostics.push(crate::script::limit_diagnostic(&s.path, *line, reason));
            }
        }
        let map = match known {
            Some(map) => map,
            None => RevisionMap::build(read),
        };
        diagnostics.extend(map.diagnostics.iter().cloned());
        let n = sel.scripts.len();
        let made = match opts.operations {
            Operations::For(_) => {
                std::array::from_fn(|_| (0..n).map(|_| OnceLock::new()).collect())
            }
            Operations::Every | Operations::Skip => Default::default(),
        };
        Project {
            map,
            sources: sel.scripts,
            ignored: sel.ignored,
            diagnostics,
            selection,
            ops,
            later: LaterReadings { opts, hooks, made },
        }
    }
}

/// What reading a script again for another dialect needs, and the readings made.
#[derive(Clone, Debug, Default)]
struct LaterReadings {
    /// The options the project was loaded with.
    opts: LoadOptions,
    /// Every `@compiles` hook of the revisions and of the project's modules, with its file.
    hooks: Vec<(String, crate::ops::CompilerHook)>,
    /// By dialect (`Dialect as usize`), by script: the readings made so far (empty unless
    /// the load was for one dialect).
    made: [Vec<OnceLock<Box<MigrationOps>>>; Dialect::ALL.len()],
}

/// What every reading of a script gets once all are read: the user's type mapping and the
/// `@compiles` hooks (a revision's hook changes the SQL of every revision: Alembic imports
/// them all before it runs any).
fn finish_reading(
    ops: &mut MigrationOps,
    opts: &LoadOptions,
    hooks: &[(String, crate::ops::CompilerHook)],
) {
    if !opts.type_map.is_empty() {
        crate::ops::map_types(ops, &opts.type_map);
    }
    for (path, hook) in hooks {
        crate::ops::mark_compiler_hook(ops, path, hook);
    }
}
impl Project {
    /// Qualified names the revisions' identifiers import from outside SQLAlchemy and
    /// Alembic and no constant given resolved, and dotted names their operations call from
    /// outside the libraries the planner knows (the project's own column types), sorted,
    /// each once.
    pub fn unresolved_imports(&self) -> Vec<String> {
        let mut v: Vec<String> = (0..self.map.revs.len())
            .flat_map(|i| self.map.script_of(i).unresolved_imports.iter().cloned())
            .chain(
                self.ops
                    .iter()
                    .flat_map(|o| o.project_names.iter().cloned()),
            )
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

/// Parses each file once, for both its identifiers and its operations.
fn read_one(f: &SourceFile, opts: &LoadOptions) -> (Script, MigrationOps) {
    let parsed = parse_module(&f.text);
    let lines = LineIndex::new(&f.text);
    let ops = operations_parsed(&parsed, &lines, opts);
    (
        read_parsed(&f.path, &f.text, &parsed, &lines, &opts.constants),
        ops,
    )
}

/// The operations `opts` asks for in a parsed file.
fn operations_parsed(
    parsed: &crate::python::ParsedFile,
    lines: &LineIndex,
    opts: &LoadOptions,
) -> MigrationOps {
    match opts.operations {
        Operations::Skip => MigrationOps::default(),
        every_or_one => interpret_parsed(
            parsed,
            lines,
            &opts.constants,
            &every_or_one.dialects(),
            opts.functions,
        ),
    }
}

/// Parses a file for its operations only (its identifiers known already).
fn read_operations(f: &SourceFile, opts: &LoadOptions) -> MigrationOps {
    if opts.operations == Operations::Skip {
        return MigrationOps::default();
    }
    let parsed = parse_module(&f.text);
    operations_parsed(&parsed, &LineIndex::new(&f.text), opts)
}

/// A file's text freed once read, when the load is told to (`LoadOptions::release_texts`).
fn release(f: &mut SourceFile, opts: &LoadOptions) {
    if opts.release_texts {
        f.text = String::new();
    }
}

/// Reads a file (then frees its text if told to).
fn read_and_release(f: &mut SourceFile, opts: &LoadOptions) -> (Script, MigrationOps) {
    let read = read_one(f, opts);
    release(f, opts);
    read
}

/// Reads every file, natively on every core (files are independent); in the browser on
/// the one thread there is. The result is in input order either way.
fn read_all(files: &mut [SourceFile], opts: &LoadOptions) -> Vec<(Script, MigrationOps)> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if threads > 1 && files.len() >= 64 {
            let chunk = files.len().div_ceil(threads);
            return std::thread::scope(|s| {
                let handles: Vec<_> = files
                    .chunks_mut(chunk)
                    .map(|c| {
                        s.spawn(|| {
                            c.iter_mut()
                                .map(|f| read_and_release(f, opts))
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                    .collect()
            });
        }
    }
    files
        .iter_mut()
        .map(|f| read_and_release(f, opts))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::Step;

    #[test]
    fn loading_in_steps_is_loading_at_once() {
        let files: Vec<InputFile> = (0..7)
            .map(|i| {
                let down = if i == 0 { "None".to_string() } else { format!("'r{}'", i / 2) };
                InputFile::new(
                    format!("r{i}_x.py"),
                    format!("revision = 'r{i}'\ndown_revision = {down}\ndef upgrade():\n    op.create_table('t{i}')\n"),
                )
            })
            .collect();
        let mut loading = Loading::new(&files, LoadOptions::default());
        assert_eq!((loading.total(), loading.done()), (7, 0));
        let mut steps = 1;
        while !loading.step(3) {
            steps += 1;
        }
        assert_eq!((steps, loading.done()), (3, 7));
        let stepped = loading.finish();
        let whole = Project::load(&files, LoadOptions::default());
        assert_eq!(stepped.map.revs, whole.map.revs);
        assert_eq!(stepped.map.heads, whole.map.heads);
        assert_eq!(stepped.diagnostics, whole.diagnostics);
        assert_eq!(stepped.ops, whole.ops);
    }

    #[test]
    fn a_load_again_from_a_project_is_the_load_at_once() {
        let mut files: Vec<InputFile> = (0..9)
            .map(|i| {
                let down = if i == 0 { "None".to_string() } else { format!("'r{}'", i - 1) };
                InputFile::new(
                    format!("r{i}_x.py"),
                    format!("from app.names import LABEL\nrevision = 'r{i}'\ndown_revision = {down}\ndef upgrade():\n    op.create_table('t{i}')\n"),
                )
            })
            .collect();
        // a compiles hook in one revision marks every revision's reading; a label from the
        // project's constants; a revision whose identifiers have problems
        files.push(InputFile::new(
            "hook.py",
            "import sqlalchemy as sa\nfrom sqlalchemy.ext.compiler import compiles\nfrom app.names import LABEL\nrevision = 'h'\ndown_revision = 'r8'\nbranch_labels = (LABEL,)\n@compiles(sa.String, 'mysql')\ndef s(e, c, **kw):\n    return 'TEXT'\ndef upgrade():\n    op.add_column('t1', sa.Column('c', sa.String(9)))\n",
        ));
        files.push(InputFile::new(
            "bad.py",
            "revision = 'b'\ndown_revision = 'nowhere'\ndef upgrade(:\n",
        ));
        let with_constants = LoadOptions {
            constants: crate::input::ProjectConstants {
                values: [(
                    "app.names.LABEL".to_string(),
                    crate::input::ProjectConstant {
                        value: "lbl".into(),
                        path: "app/names.py".into(),
                        line: 3,
                    },
                )]
                .into_iter()
                .collect(),
                ..Default::default()
            },
            ..LoadOptions::default()
        };
        let for_ = |operations, base: &LoadOptions| LoadOptions {
            operations,
            ..base.clone()
        };
        for (first, then) in [
            (
                for_(Operations::Skip, &LoadOptions::default()),
                for_(Operations::For(Dialect::Mysql), &LoadOptions::default()),
            ),
            (
                for_(Operations::Skip, &with_constants),
                for_(Operations::Every, &with_constants),
            ),
            // other constants: the identifiers are read again, the graph built again
            (
                for_(Operations::Skip, &LoadOptions::default()),
                for_(Operations::Every, &with_constants),
            ),
            (
                for_(Operations::Skip, &with_constants),
                for_(
                    Operations::For(Dialect::Postgresql),
                    &LoadOptions::default(),
                ),
            ),
        ] {
            let drawn = Project::load(&files, first);
            let whole = Project::load(&files, then.clone());
            let mut loading = Loading::again(&drawn, then.clone());
            let reused = loading.known.is_some();
            assert_eq!(reused, drawn.later.opts.constants == then.constants);
            while !loading.step(4) {}
            let again = loading.finish();
            assert_eq!(again.map.revs, whole.map.revs);
            assert_eq!(again.map.scripts, whole.map.scripts);
            assert_eq!(again.map.heads, whole.map.heads);
            assert_eq!(again.diagnostics, whole.diagnostics);
            assert_eq!(again.ops, whole.ops);
            assert_eq!(again.sources, whole.sources);
            assert_eq!(again.later.hooks.len(), whole.later.hooks.len());
            assert!(!whole.later.hooks.is_empty());
        }
    }

    /// The CLI's `upgrade --sql` load: `upgrade()` alone, each file's text freed once read.
    #[test]
    fn a_lean_load_reads_upgrade_as_a_whole_load_does() {
        let files = [
            InputFile::new("r0_x.py", "from alembic import op\nimport sqlalchemy as sa\nrevision = 'r0'\ndown_revision = None\ndef upgrade():\n    op.create_table('t', sa.Column('id', sa.Integer()))\ndef downgrade():\n    op.drop_table('t')\n"),
            InputFile::new("r1_x.py", "from alembic import op\nrevision = 'r1'\ndown_revision = 'r0'\ndef upgrade():\n    if op.get_bind().dialect.name == 'mysql':\n        op.create_table('m')\n    else:\n        op.create_table('o')\ndef downgrade():\n    op.drop_table('o')\n"),
            InputFile::new("r2_x.py", "revision = 'r2'\ndown_revision = 'r1'\ndef upgrade():\n    op.create_table('u')\ndef downgrade(:\n"),
        ];
        let one = |functions, release_texts| LoadOptions {
            operations: Operations::For(Dialect::Postgresql),
            functions,
            release_texts,
            ..LoadOptions::default()
        };
        let whole = Project::load(&files, one(crate::input::Functions::Both, false));
        let lean = Project::load(&files, one(crate::input::Functions::Upgrade, true));
        assert_eq!(lean.map.revs, whole.map.revs);
        assert_eq!(lean.diagnostics, whole.diagnostics);
        for rev in 0..3 {
            let (l, w) = (lean.migration_ops(rev), whole.migration_ops(rev));
            assert_eq!(l.upgrade, w.upgrade);
            assert!(!l.upgrade.is_empty() && l.downgrade.is_empty());
        }
        // (r2's `downgrade()` does not parse: no function to read in either load)
        let downgrades = |p: &Project| {
            (0..3)
                .filter(|&r| !p.migration_ops(r).downgrade.is_empty())
                .count()
        };
        assert_eq!((downgrades(&whole), downgrades(&lean)), (2, 0));
        let paths = |p: &Project| p.sources.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
        assert_eq!(paths(&lean), paths(&whole));
        assert!(lean.sources.iter().all(|f| f.text.is_empty()));
        assert!(whole.sources.iter().all(|f| !f.text.is_empty()));
        // another dialect's reading of the file that reads the dialect's name: nothing
        // left to read, and it says so
        let r1 = lean.map.revs.iter().position(|r| r.id == "r1").unwrap();
        assert!(
            matches!(&whole.migration_ops_for(r1, Dialect::Mysql).upgrade[0].step,
            Step::Op(op) if op.describe().starts_with("create_table m"))
        );
        let mysql = &lean.migration_ops_for(r1, Dialect::Mysql).upgrade;
        assert!(
            matches!(&mysql[..], [s] if matches!(&s.step, Step::Opaque { reason } if reason.contains("freed the file's text"))),
            "{mysql:?}"
        );
        // a load in steps frees alike
        let mut loading = Loading::new(&files, one(crate::input::Functions::Upgrade, true));
        while !loading.step(2) {}
        let stepped = loading.finish();
        assert_eq!(stepped.ops, lean.ops);
        assert!(stepped.sources.iter().all(|f| f.text.is_empty()));
    }

    #[test]
    fn mapped_application_types_become_sql() {
        let text = "from alembic import op\nimport sqlalchemy as sa\nfrom myapp.types import Slug\n\nrevision = 'a1'\ndown_revision = None\n\ndef upgrade():\n    op.create_table('t', sa.Column('slug', Slug(64)))\n    op.add_column('t', sa.Column('alt', Slug()))\n";
        let files = [InputFile::new("a1_x.py", text.as_bytes())];
        let opaque = |p: &Project| {
            p.migration_ops(0)
                .upgrade
                .iter()
                .filter(|s| matches!(s.step, Step::Opaque { .. }))
                .count()
        };
        let plain = Project::load(&files, LoadOptions::default());
        assert_eq!(opaque(&plain), 2);
        let opts = LoadOptions {
            type_map: crate::input::parse_type_map("myapp.types.Slug = VARCHAR(64)\nnot a mapping"),
            ..LoadOptions::default()
        };
        let mapped = Project::load(&files, opts);
        assert_eq!(opaque(&mapped), 0);
        let text = mapped.migration_ops(0).to_text("a1_x.py");
        assert_eq!(text.matches("VARCHAR(64)").count(), 2, "{text}");
    }

    /// `import prefect` then `prefect.server.utilities.database.UUID()`: the type is named
    /// by its whole dotted path (not `prefect`), and a mapping of either that path or its
    /// last part applies.
    #[test]
    fn types_reached_through_an_imported_module_keep_their_dotted_name() {
        let text = "from alembic import op\nimport sqlalchemy as sa\nimport prefect\n\nrevision = 'a1'\ndown_revision = None\n\ndef upgrade():\n    op.add_column('t', sa.Column('id', prefect.server.utilities.database.UUID(), nullable=False))\n";
        let files = [InputFile::new("a1_x.py", text.as_bytes())];
        let plain = Project::load(&files, LoadOptions::default());
        let shown = plain.migration_ops(0).to_text("a1_x.py");
        assert!(
            shown.contains("`prefect.server.utilities.database.UUID` comes from"),
            "{shown}"
        );
        for name in ["prefect.server.utilities.database.UUID", "UUID"] {
            let opts = LoadOptions {
                type_map: crate::input::parse_type_map(&format!("{name}=UUID")),
                ..LoadOptions::default()
            };
            let mapped = Project::load(&files, opts);
            let text = mapped.migration_ops(0).to_text("a1_x.py");
            assert!(!text.contains("OPAQUE"), "{name}: {text}");
            assert!(text.contains("add_column t.id \"UUID\""), "{name}: {text}");
        }
    }
}
