//! One function per command, each from the loaded project to an [`Output`]: Alembic's
//! commands print what Alembic prints; the planner's own print text or the JSON of the
//! core's reports (`present::report`).

use alembic_planner::alembic::commands::{self, Context, Output};
use alembic_planner::alembic::offline::{self, OfflineOptions};
use alembic_planner::base::{Dialect, Severity};
use alembic_planner::graph::{AlembicFailure, Arg};
use alembic_planner::plan;
use alembic_planner::present::report;
use alembic_planner::present::{export, layout, tables};
use alembic_planner::schema;
use alembic_planner::Project;
use serde::Serialize;

use crate::args::{Direction, ExportFormat, Format};

/// How the global options read for one command.
pub struct Global<'a> {
    pub ctx: &'a Context,
    pub dialect: Dialect,
    pub transaction_per_migration: bool,
}

impl Global<'_> {
    fn offline(&self) -> OfflineOptions {
        OfflineOptions {
            dialect: self.dialect,
            transaction_per_migration: self.transaction_per_migration,
        }
    }
}

fn text(stdout: String) -> Output {
    Output {
        stdout,
        ..Output::default()
    }
}

/// A report as pretty-printed JSON, one document per run.
fn json<T: Serialize>(v: &T) -> Output {
    text(json_text(v))
}

/// Pretty-printed JSON with a final newline.
pub fn json_text<T: Serialize>(v: &T) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

fn failure_output(f: &AlembicFailure) -> Output {
    match f {
        AlembicFailure::Command(m) | AlembicFailure::Revision(m) => Output::default().fail(m),
        AlembicFailure::Crash(m) => Output::default().crash(m),
    }
}

/// `history [-r A:B] [-v] [-i]`.
pub fn history(
    p: &Project,
    g: &Global,
    range: Option<&str>,
    verbose: bool,
    current: bool,
) -> Output {
    if current {
        return Output::default().fail(
            "history --indicate-current needs a database connection (not available offline)",
        );
    }
    commands::history(&p.map, g.ctx, range, verbose)
}

/// `upgrade|downgrade REVISION [--sql]`.
pub fn migrate(p: &Project, g: &Global, upgrade: bool, revision: &str, sql: bool) -> Output {
    if sql {
        offline::run(p, g.ctx, upgrade, revision, g.offline())
    } else if revision.contains(':') {
        Output::default().fail("Range revision not allowed")
    } else {
        Output::default().fail("the planner never connects to a database: add --sql for the offline script, or see the steps with `alembic-planner plan`")
    }
}

/// `stamp REVISION... [--sql] [--purge]`.
pub fn stamp(p: &Project, g: &Global, revisions: &[String], sql: bool, purge: bool) -> Output {
    if sql {
        offline::run_stamp(p, g.ctx, revisions, purge, g.offline())
    } else {
        Output::default().fail("the planner never connects to a database: add --sql for the offline script, or see the steps with `alembic-planner plan stamp`")
    }
}

/// `plan upgrade|downgrade|stamp RANGE [--from ...]`: the steps as Alembic would run them,
/// from `FROM` of the range, from `--from` (a database's current rows), or from base.
pub fn plan(
    p: &Project,
    g: &Global,
    direction: Direction,
    range: &str,
    from: &[String],
    format: Format,
) -> Output {
    let map = &p.map;
    let direction = match direction {
        Direction::Upgrade => plan::Direction::Upgrade,
        Direction::Downgrade => plan::Direction::Downgrade,
        Direction::Stamp => plan::Direction::Stamp,
    };
    let plan = match plan::request(map, direction, range, from) {
        Ok(p) => p,
        Err(f) => return failure_output(&f),
    };
    let mut out = match format {
        Format::Json => json(&report::plan_report(p, &plan, g.dialect)),
        Format::Text => {
            let rows = |v: &[String]| {
                if v.is_empty() {
                    "<base>".to_string()
                } else {
                    v.join(", ")
                }
            };
            let mut s = format!("from: {}\n", rows(&plan.start));
            let losses = alembic_planner::lint::losses::plan_losses(p, &plan, g.dialect);
            for (n, step) in plan.steps.iter().enumerate() {
                let doc = step
                    .rev
                    .map(|r| map.script_of(r).doc())
                    .unwrap_or_else(|| "stamp (no migration runs)".into());
                let ops: Vec<String> = step.version_ops.iter().map(|o| o.describe("->")).collect();
                s.push_str(&format!(
                    "{:>4}. {}, {}\n      version table: {}\n",
                    n + 1,
                    step.short_log(),
                    doc,
                    ops.join("; ")
                ));
                if let (Some(rev), Some(l)) = (step.rev, losses.get(n)) {
                    let path = g.ctx.display_path(&map.script_of(rev).path);
                    for loss in l {
                        s.push_str(&format!(
                            "      destroys: {} ({path}:{})\n",
                            loss.what, loss.line
                        ));
                    }
                }
            }
            s.push_str(&format!("to: {}\n", rows(&plan.end)));
            text(s)
        }
    };
    if let Some(f) = &plan.failure {
        out.stderr.push_str(&format!(
            "alembic-planner: Alembic itself would crash at the last step: {}\n",
            f.message()
        ));
    }
    out
}

/// `ops REV`: a revision's operations, step by step.
pub fn ops(p: &Project, rev: &str) -> Output {
    let map = &p.map;
    match map.get_revision(&Arg::Str(rev.to_string())) {
        Ok(Some(i)) => text(p.migration_ops(i).to_text(&map.script_of(i).path)),
        Ok(None) => Output::default().fail("base has no operations"),
        Err(e) => Output::default().fail(&e.command_message(None, None, None)),
    }
}

/// `tables [--by-revision]`.
pub fn tables(p: &Project, g: &Global, by_revision: bool, format: Format) -> Output {
    let sim = schema::table_map(p, g.dialect);
    match (format, by_revision) {
        (Format::Json, _) => json(&report::tables_report(&p.map, &sim)),
        (Format::Text, true) => text(tables::revisions_markdown(p, &sim)),
        (Format::Text, false) => text(tables::tables_text(p, &sim)),
    }
}

/// `graph`: the lanes as text.
pub fn graph(p: &Project) -> Output {
    text(layout::layout(p).to_text(p))
}

/// `export --format markdown|mermaid|svg [--title T]`.
pub fn export(p: &Project, g: &Global, format: ExportFormat, title: Option<&str>) -> Output {
    let lay = layout::layout(p);
    text(match format {
        ExportFormat::Markdown => {
            let sim = schema::table_map(p, g.dialect);
            let title = title.map(String::from).unwrap_or_else(|| {
                let root = g.ctx.path_roots.first().map_or("", |(_, p)| p.as_str());
                let parts: Vec<&str> = root.split('/').filter(|c| !c.is_empty()).collect();
                parts[parts.len().saturating_sub(2)..].join("/")
            });
            export::markdown(p, &lay, &sim, &title)
        }
        ExportFormat::Mermaid => export::mermaid(p, &lay),
        ExportFormat::Svg => export::svg(p, &lay),
    })
}

/// `schema [--at TARGET] [--since REV]`.
pub fn schema(p: &Project, g: &Global, at: &str, since: Option<&str>, format: Format) -> Output {
    let sims = schema::schema_at(p, at, g.dialect).and_then(|b| {
        let a = since
            .map(|s| schema::schema_at(p, s, g.dialect))
            .transpose()?;
        Ok((a, b))
    });
    let (before, sim) = match sims {
        Err(e) => return Output::default().fail(e.message()),
        Ok(v) => v,
    };
    let mut o = match (format, &before) {
        (Format::Json, _) => json(&report::schema_report(&p.map, &sim)),
        (Format::Text, Some(a)) => text(schema::diff(&a.schema, &sim.schema)),
        (Format::Text, None) => text(sim.schema.to_text()),
    };
    for u in &sim.unknown {
        o.stderr.push_str(&format!(
            "{}:{}: unknown effect: {}\n",
            g.ctx.display_path(&p.map.script_of(u.rev).path),
            u.line,
            u.reason
        ));
    }
    o
}

/// `coverage`: how much of every migration function was interpreted.
pub fn coverage(p: &Project, g: &Global, format: Format) -> Output {
    let c = p.coverage();
    if let Format::Json = format {
        return json(&c);
    }
    let pct = if c.statements == 0 {
        100.0
    } else {
        100.0 * c.interpreted as f64 / c.statements as f64
    };
    let mut s = format!(
        "{} of {} statements interpreted ({pct:.1}%)\n",
        c.interpreted, c.statements
    );
    for op in &c.opaque {
        s.push_str(&format!(
            "{}:{}: {}\n",
            g.ctx.display_path(&op.path),
            op.line,
            op.reason
        ));
    }
    text(s)
}

/// `single-head`: `heads`, and status 1 with the way out when there are several.
pub fn single_head(p: &Project, ctx: &Context) -> Output {
    let mut o = commands::heads(&p.map, ctx, false, false);
    if o.status == 0 && p.map.heads.len() > 1 {
        o.stderr.push_str(&format!(
            "alembic-planner: {} heads ({}): `alembic upgrade head` fails; merge them with `alembic-planner merge heads` (or `alembic merge heads`)\n",
            p.map.heads.len(),
            p.map.heads.join(", ")
        ));
        o.status = 1;
    }
    o
}

/// `check`: every diagnostic, one per line; status 1 when one is an error.
pub fn check(p: &Project, g: &Global) -> Output {
    let mut o = Output::default();
    let sim = schema::table_map(p, g.dialect);
    for d in p.diagnostics.iter().chain(sim.diagnostics.iter()) {
        o.stdout.push_str(&g.ctx.display_diag_path(d));
        o.stdout.push('\n');
    }
    if p.diagnostics.iter().any(|d| d.severity == Severity::Error) {
        o.status = 1;
    }
    o
}
