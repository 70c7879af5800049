//! One revision's steps rendered as Alembic runs them offline: each batch block flushed
//! when it ends, and a block that SQLite (or `recreate="always"`) must "move and copy"
//! rebuilt from the schema simulated up to that step. Alembic can only do that offline
//! when the block passes `copy_from=` (a complete `Table`); otherwise it needs a live
//! database to reflect the table and stops. The planner takes the table from the
//! simulation either way, and says so when Alembic itself could not have.

use crate::base::Dialect;
use crate::graph::AlembicFailure;
use crate::ops::{LocatedStep, Step};
use crate::render::{
    self, batch::chunks, batch::move_and_copy, batch::needs_recreate, RenderedSteps,
};
use crate::schema::Simulator;

/// Alembic's refusal of a move and copy offline, without `copy_from`.
fn no_reflection(dialect: Dialect, table: &str) -> String {
    format!(
        "This operation cannot proceed in --sql mode; batch mode with dialect {} requires a live database connection with which to reflect the table \"{table}\". To generate a batch SQL migration script using table \"move and copy\", a complete Table object should be passed to the \"copy_from\" argument of the batch_alter_table() method so that table reflection can be skipped.",
        dialect.name()
    )
}

/// Renders one revision's steps like [`render::render_steps`], with batch blocks that need a
/// move and copy rebuilt from `sim` (the schema just before these steps, advanced past
/// them here); `memo` is the run's ([`render::RunMemo`]). Without `copy_from`, Alembic stops there offline: with `strict` so does
/// this; otherwise the rebuild is preceded by a comment saying it goes beyond Alembic.
pub fn render_revision(
    steps: &[LocatedStep],
    dialect: Dialect,
    path: &str,
    strict: bool,
    rev: usize,
    mut sim: Option<&mut Simulator>,
    memo: &mut render::RunMemo,
) -> RenderedSteps {
    let mut out = RenderedSteps::default();
    for chunk in chunks(steps) {
        let rebuild = chunk[0]
            .batch
            .as_ref()
            .filter(|b| needs_recreate(dialect, b, chunk));
        match (rebuild, sim.as_deref_mut()) {
            (Some(b), Some(sim)) => {
                if strict && !b.copy_from {
                    out.failure = Some(AlembicFailure::Command(no_reflection(dialect, &b.table)));
                    return out;
                }
                let before = sim.schema().tables.get(&b.table).map(|t| t.shape());
                let after = sim
                    .preview(rev, chunk)
                    .tables
                    .get(&b.table)
                    .map(|t| t.shape());
                let note = |what: &str| format!("-- alembic-planner: {path}:{}: {what}", b.line);
                match (before, after) {
                    (Some(before), Some(after)) => {
                        match move_and_copy(render::renderer(dialect), &before, &after, chunk) {
                            Ok(v) => {
                                if !b.copy_from {
                                    out.statements.push(note(&format!(
                                        "batch \"move and copy\" of `{}` rendered from the simulated schema (Alembic needs copy_from= or a live database here)",
                                        b.table
                                    )));
                                }
                                out.statements.extend(v);
                            }
                            Err(e) => out.statements.push(note(&format!(
                                "batch \"move and copy\" of `{}` not rendered: {}",
                                b.table,
                                e.replace('\n', " ")
                            ))),
                        }
                    }
                    _ => out.statements.push(note(&format!(
                        "batch \"move and copy\" of `{}` not rendered: the table is not known at this point",
                        b.table
                    ))),
                }
                // opaque steps of the block still say what was left out
                for st in chunk {
                    match &st.step {
                        Step::Opaque { reason } => out
                            .statements
                            .push(render::not_rendered(path, st.line, reason)),
                        Step::NotModelled { what } => out
                            .statements
                            .extend(render::not_modelled(path, st.line, what, dialect)),
                        // printed when the block's operations are collected, before its
                        // SQL: not placed among the block's statements
                        Step::Print { .. } => out.statements.push(render::not_rendered(
                            path,
                            st.line,
                            "print() inside a batch block (Alembic prints it before the block's SQL)",
                        )),
                        Step::Op(_) | Step::Autocommit { .. } => {}
                    }
                }
                sim.apply(rev, chunk);
            }
            (_, sim) => {
                let r = render::render_steps(chunk, dialect, path, strict, memo);
                out.statements.extend(r.statements);
                if r.failure.is_some() {
                    out.failure = r.failure;
                    return out;
                }
                if let Some(sim) = sim {
                    sim.apply(rev, chunk);
                }
            }
        }
    }
    out
}
