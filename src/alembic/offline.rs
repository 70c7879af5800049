//! The offline script `alembic upgrade|downgrade A:B --sql` prints: transaction lines,
//! the version table, `-- Running` comments and the version-table statements, laid out as
//! Alembic's `DefaultImpl.static_output` does (each unit, then a blank line).
//!
//! Each step's own SQL comes from `render`: the interpreted `upgrade()`/`downgrade()`
//! rendered in the dialect, as Alembic's `_exec` prints it (tabs as four spaces, stripped,
//! then the terminator).

use crate::alembic::commands::{Context, Output};
use crate::base::Dialect;
use crate::graph::revmap::{AlembicFailure, RevisionMap};
use crate::plan::{self, VersionOp};
use crate::project::Project;
use crate::render;
use crate::schema::Simulator;

/// Options of an offline run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OfflineOptions {
    pub dialect: Dialect,
    pub transaction_per_migration: bool,
}

const VERSION_TABLE: &str = "CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);";

struct Script {
    out: Output,
    dialect: Dialect,
}

impl Script {
    /// `static_output`.
    fn emit(&mut self, text: &str) {
        self.out.stdout.push_str(text);
        self.out.stdout.push_str("\n\n");
    }
    /// A compiled migration statement as `_exec` prints it offline.
    fn exec_sql(&mut self, stmt: &str) {
        // what `print()` wrote goes to the same standard output, as it is
        if let Some(text) = stmt.strip_prefix(crate::render::PRINTED) {
            self.out.stdout.push_str(text);
            return;
        }
        if stmt.starts_with("-- alembic-planner:") {
            self.emit(stmt);
            return;
        }
        self.exec(&format!("{};", stmt.replace('\t', "    ").trim()));
    }
    /// `_exec` of a statement in offline mode.
    fn exec(&mut self, stmt: &str) {
        self.emit(stmt);
        if let Some(sep) = self.dialect.batch_separator() {
            self.emit(sep);
        }
    }
    fn begin(&mut self) {
        let b = self.dialect.begin();
        self.emit(b);
    }
    fn commit(&mut self) {
        self.emit("COMMIT;");
        if let Some(sep) = self.dialect.batch_separator() {
            self.emit(sep);
        }
    }
    fn fail(self, f: &AlembicFailure) -> Output {
        failed(self.out, f)
    }
    /// Ends the script where Alembic stops, keeping what was printed.
    fn fail_here(&mut self, f: &AlembicFailure) {
        let out = std::mem::take(&mut self.out);
        self.out = failed(out, f);
    }
}

/// Alembic's way of stopping: `FAILED: ...` (status 255) or an exception's traceback.
fn failed(out: Output, f: &AlembicFailure) -> Output {
    match f {
        AlembicFailure::Command(m) | AlembicFailure::Revision(m) => out.fail(m),
        AlembicFailure::Crash(m) => out.crash(m),
    }
}

/// The start of every offline script: the outer `BEGIN` (where the dialect has
/// transactional DDL and no per-migration transactions), the map's own failure (strict), and
/// the starting revision resolved as `get_current_heads` does. `Err` is the finished output.
fn frame_start(
    map: &RevisionMap,
    ctx: &Context,
    opts: OfflineOptions,
    starting: Option<&String>,
    purge: bool,
) -> Result<(Script, Vec<String>), Output> {
    let mut s = Script {
        out: Output::default(),
        dialect: opts.dialect,
    };
    if opts.dialect.transactional_ddl() && !opts.transaction_per_migration {
        s.begin();
    }
    if purge {
        return Err(s.fail(&AlembicFailure::Command(
            "Can't use --purge with --sql mode".into(),
        )));
    }
    if let Some(f) = &map.alembic_failure {
        if ctx.strict {
            return Err(s.fail(f));
        }
        s.out.stderr.push_str(&format!(
            "alembic-planner: Alembic itself would stop here: {}\n",
            f.message()
        ));
    }
    match starting {
        Some(st) => match plan::resolve_current(map, std::slice::from_ref(st)) {
            Ok(v) => Ok((s, v)),
            Err(f) => Err(s.fail(&f)),
        },
        None => Ok((s, Vec::new())),
    }
}

/// Prints the plan and the closing `COMMIT`, or Alembic's failure where it stops.
fn frame_finish(
    project: &Project,
    strict: bool,
    mut s: Script,
    plan: &plan::Plan,
    opts: OfflineOptions,
) -> Output {
    let per_step = opts.dialect.transactional_ddl() && opts.transaction_per_migration;
    if !emit_plan(project, strict, &mut s, plan, per_step, opts) {
        return s.out;
    }
    if plan.failure.is_none() && opts.dialect.transactional_ddl() && !opts.transaction_per_migration
    {
        s.commit();
    }
    s.out
}

/// `alembic upgrade RANGE --sql` / `alembic downgrade RANGE --sql`.
pub fn run(
    project: &Project,
    ctx: &Context,
    upgrade: bool,
    range: &str,
    opts: OfflineOptions,
) -> Output {
    let (starting, destination) = match range.split_once(':') {
        Some((a, b)) => {
            if b.contains(':') {
                return Output::default().crash(&format!(
                    "ValueError: too many values to unpack (expected 2, got {})",
                    range.split(':').count().min(3)
                ));
            }
            (Some(a.to_string()), b.to_string())
        }
        None if !upgrade => {
            return Output::default().fail("downgrade with --sql requires <fromrev>:<torev>")
        }
        None => (None, range.to_string()),
    };
    let map = &project.map;
    let (s, start) = match frame_start(map, ctx, opts, starting.as_ref(), false) {
        Ok(v) => v,
        Err(out) => return out,
    };
    plan_and_finish(project, ctx, s, upgrade, &start, &destination, opts)
}

/// The offline script of a database stamped at `current` (several rows, as a database
/// at several heads is) moved to `destination`: what `upgrade`/`downgrade` would run on
/// it. Alembic's `--sql` takes a single starting revision; this is the same script for
/// any number, framed the same way.
pub fn run_between(
    project: &Project,
    ctx: &Context,
    upgrade: bool,
    current: &[String],
    destination: &str,
    opts: OfflineOptions,
) -> Output {
    match frame_at(project, ctx, opts, current) {
        Ok((s, start)) => plan_and_finish(project, ctx, s, upgrade, &start, destination, opts),
        Err(out) => out,
    }
}

/// The frame of a script whose database is stamped at `current` (resolved), or the
/// finished output where Alembic would stop.
fn frame_at(
    project: &Project,
    ctx: &Context,
    opts: OfflineOptions,
    current: &[String],
) -> Result<(Script, Vec<String>), Output> {
    let (s, _) = frame_start(&project.map, ctx, opts, None, false)?;
    match plan::resolve_current(&project.map, current) {
        Ok(start) => Ok((s, start)),
        Err(f) => Err(s.fail(&f)),
    }
}

/// The offline script of given migration steps (revision indices, in the order they
/// run) from a database stamped at `current`: a review's rollback, which undoes exactly
/// the revisions its deploy ran, whatever else the history holds.
pub fn run_steps(
    project: &Project,
    ctx: &Context,
    upgrade: bool,
    current: &[String],
    steps: &[usize],
    opts: OfflineOptions,
) -> Output {
    match frame_at(project, ctx, opts, current) {
        Ok((s, start)) => {
            let plan = plan::plan_steps(&project.map, &start, steps, upgrade);
            frame_finish(project, ctx.strict, s, &plan, opts)
        }
        Err(out) => out,
    }
}

fn plan_and_finish(
    project: &Project,
    ctx: &Context,
    s: Script,
    upgrade: bool,
    start: &[String],
    destination: &str,
    opts: OfflineOptions,
) -> Output {
    let map = &project.map;
    let (start, destination) = (start.to_vec(), destination.to_string());
    let steps = if upgrade {
        plan::upgrade_steps(map, &destination, &start)
    } else {
        plan::downgrade_steps(map, &destination, &start)
    };
    match steps {
        Ok(steps) => frame_finish(
            project,
            ctx.strict,
            s,
            &plan::plan_steps(map, &start, &steps, upgrade),
            opts,
        ),
        Err(f) => s.fail(&f),
    }
}

/// Prints a plan's steps as `MigrationContext.run_migrations` does offline; on a
/// failure (bookkeeping, or a step Alembic cannot render), prints Alembic's failure after
/// the statements already emitted and returns `false`.
fn emit_plan(
    project: &Project,
    strict: bool,
    s: &mut Script,
    plan: &plan::Plan,
    per_step: bool,
    opts: OfflineOptions,
) -> bool {
    let last = plan.steps.len();
    // the schema is followed only when a batch block must be rebuilt from it
    let steps_of = |step: &plan::PlanStep| {
        step.rev.filter(|_| !step.stamp).map(|rev| {
            (
                rev,
                project
                    .migration_ops_for(rev, opts.dialect)
                    .steps(step.upgrade),
            )
        })
    };
    let mut sim = plan
        .steps
        .iter()
        .filter_map(steps_of)
        .any(|(_, steps)| render::batch::any_recreate(opts.dialect, steps))
        .then(|| Simulator::new(project, opts.dialect, &project.applied_through(&plan.start)));
    let mut memo = render::RunMemo::default();
    for (k, step) in plan.steps.iter().enumerate() {
        if per_step {
            s.begin();
        }
        if step.creates_version_table {
            s.exec(VERSION_TABLE);
        }
        s.emit(&format!("-- Running {}", step.short_log()));
        if let Some((rev, steps)) = steps_of(step) {
            let path = &project.map.script_of(rev).path;
            let r = super::migration::render_revision(
                steps,
                opts.dialect,
                path,
                strict,
                rev,
                sim.as_mut(),
                &mut memo,
            );
            for stmt in &r.statements {
                s.exec_sql(stmt);
            }
            if let Some(f) = r.failure {
                s.fail_here(&f);
                return false;
            }
        }
        for op in &step.version_ops {
            let stmt = match op {
                VersionOp::Insert { revision } => opts.dialect.insert_version(revision),
                VersionOp::Update { from, to } => format!("UPDATE alembic_version SET version_num='{to}' WHERE alembic_version.version_num = '{from}';"),
                VersionOp::Delete { revision } => format!("DELETE FROM alembic_version WHERE alembic_version.version_num = '{revision}';"),
            };
            s.exec(&stmt);
        }
        if k + 1 == last {
            if let Some(f) = &plan.failure {
                s.fail_here(f);
                return false;
            }
        }
        if per_step {
            s.commit();
        }
    }
    true
}

/// One revision's own SQL, upgrade or downgrade, as the offline script prints it between
/// its `-- Running` line and the version-table statement (no transaction, no bookkeeping).
/// Batch blocks SQLite moves and copies are rebuilt from the schema just before it.
pub fn revision_sql(project: &Project, rev: usize, upgrade: bool, dialect: Dialect) -> String {
    let steps = project.migration_ops_for(rev, dialect).steps(upgrade);
    let mut sim = render::batch::any_recreate(dialect, steps).then(|| {
        let map = &project.map;
        let before: Vec<String> = if upgrade {
            let r = map.rev(rev);
            r.norm_down
                .iter()
                .chain(r.resolved_deps.iter())
                .map(|&i| map.rev(i).id.clone())
                .collect()
        } else {
            vec![map.rev(rev).id.clone()]
        };
        Simulator::new(project, dialect, &project.applied_through(&before))
    });
    let path = &project.map.script_of(rev).path;
    let r = super::migration::render_revision(
        steps,
        dialect,
        path,
        false,
        rev,
        sim.as_mut(),
        &mut render::RunMemo::default(),
    );
    let mut s = Script {
        out: Output::default(),
        dialect,
    };
    for stmt in &r.statements {
        s.exec_sql(stmt);
    }
    s.out.stdout
}

/// `alembic stamp REVISION... --sql [--purge]`.
pub fn run_stamp(
    project: &Project,
    ctx: &Context,
    revisions: &[String],
    purge: bool,
    opts: OfflineOptions,
) -> Output {
    let mut destinations = Vec::new();
    let mut starting: Option<String> = None;
    for r in revisions {
        let mut r = r.clone();
        if let Some((a, b)) = r.clone().split_once(':') {
            if b.contains(':') {
                return Output::default()
                    .crash("ValueError: too many values to unpack (expected 2, got 3)");
            }
            match &starting {
                None => starting = Some(a.to_string()),
                Some(s) if s != a => return Output::default().fail(
                    "Stamp operation with --sql only supports a single starting revision at a time",
                ),
                _ => {}
            }
            r = b.to_string();
        }
        destinations.push(r);
    }
    let map = &project.map;
    let (s, start) = match frame_start(map, ctx, opts, starting.as_ref(), purge) {
        Ok(v) => v,
        Err(out) => return out,
    };
    match plan::stamp_plan(map, &destinations, &start) {
        Ok(plan) => frame_finish(project, ctx.strict, s, &plan, opts),
        Err(f) => s.fail(&f),
    }
}
