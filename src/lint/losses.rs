//! What a plan destroys, step by step: tables and columns dropped with their data, types
//! changed so that values are cut or must convert. The plan is followed on the simulated
//! schema from the database's starting revisions, so each loss names what is there at
//! that point (a column's type, a table's columns).

use crate::base::Dialect;
use crate::ops::{Operation, Step};
use crate::plan::Plan;
use crate::project::Project;
use crate::python::Val;
use crate::render::types::compile_type;
use crate::schema::Simulator;

/// One thing a step destroys.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Loss {
    /// The line of the operation in the revision file.
    pub line: u32,
    pub what: String,
}

/// For each step of `plan`, what it destroys (empty for a stamp or a harmless step).
pub fn plan_losses(project: &Project, plan: &Plan, dialect: Dialect) -> Vec<Vec<Loss>> {
    let mut sim = Simulator::new(project, dialect, &project.applied_through(&plan.start));
    let r = crate::render::renderer(dialect);
    let sql = |t: &Val| compile_type(t, r).ok();
    let mut out = Vec::new();
    for step in &plan.steps {
        let mut losses = Vec::new();
        let Some(rev) = step.rev.filter(|_| !step.stamp) else {
            out.push(losses);
            continue;
        };
        let steps = project.migration_ops_for(rev, dialect).steps(step.upgrade);
        for st in steps {
            if let Step::Op(op) = &st.step {
                let schema = sim.schema();
                let what = match op.as_ref() {
                    Operation::DropTable { table, .. } => Some(match schema.tables.get(table) {
                        Some(t) if !t.columns.is_empty() => format!(
                            "table `{table}` and its rows ({} column{}: {})",
                            t.columns.len(),
                            if t.columns.len() == 1 { "" } else { "s" },
                            t.columns
                                .iter()
                                .map(|c| c.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        _ => format!("table `{table}` and its rows"),
                    }),
                    Operation::DropColumn { table, column, .. } => {
                        let ty = schema
                            .tables
                            .get(table)
                            .and_then(|t| t.column(column))
                            .and_then(|c| c.type_.as_ref())
                            .and_then(sql);
                        Some(format!(
                            "column `{table}.{column}`{} and its data",
                            ty.map(|t| format!(" ({t})")).unwrap_or_default()
                        ))
                    }
                    Operation::AlterColumn {
                        table,
                        column,
                        changes,
                    } => changes.type_.as_ref().and_then(|new| {
                        let old = changes.existing_type.clone().or_else(|| {
                            schema
                                .tables
                                .get(table)
                                .and_then(|t| t.column(column))
                                .and_then(|c| c.type_.clone())
                        })?;
                        let (o, n) = (sql(&old)?, sql(new)?);
                        narrowing(&o, &n).then(|| {
                            format!("column `{table}.{column}` narrowed from {o} to {n}: values that do not fit are cut or fail")
                        })
                    }),
                    Operation::DropEnum { name } => Some(format!("enum type `{name}`")),
                    _ => None,
                };
                if let Some(what) = what {
                    losses.push(Loss {
                        line: st.line,
                        what,
                    });
                }
            }
            sim.apply(rev, std::slice::from_ref(st));
        }
        out.push(losses);
    }
    out
}

/// The bounds of a type: `VARCHAR(20)` is (`VARCHAR`, 20).
fn parts(t: &str) -> (String, Option<i64>) {
    match t.split_once('(') {
        Some((base, rest)) => (
            base.trim().to_ascii_uppercase(),
            rest.trim_end_matches(')')
                .split(',')
                .next()
                .and_then(|n| n.trim().parse().ok()),
        ),
        None => (t.trim().to_ascii_uppercase(), None),
    }
}

/// Whether going from type `old` to `new` can lose values: a shorter length or
/// precision, a smaller integer, text to a bounded string, or any other change of kind.
fn narrowing(old: &str, new: &str) -> bool {
    if old == new {
        return false;
    }
    let (ob, ol) = (parts(old).0, parts(old).1);
    let (nb, nl) = (parts(new).0, parts(new).1);
    let ints = ["SMALLINT", "INTEGER", "BIGINT"];
    let rank = |b: &str| ints.iter().position(|i| *i == b);
    if let (Some(a), Some(b)) = (rank(&ob), rank(&nb)) {
        return b < a;
    }
    let text = |b: &str| matches!(b, "TEXT" | "VARCHAR" | "CHAR" | "NVARCHAR" | "CLOB");
    if text(&ob) && text(&nb) {
        return match (ol, nl) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(a), Some(b)) => b < a,
        };
    }
    if ob == nb {
        // the same kind with a smaller bound: NUMERIC(10, 2) -> NUMERIC(8, 2)
        return matches!((ol, nl), (Some(a), Some(b)) if b < a) || (ol.is_none() && nl.is_some());
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrowing_is_told_from_widening() {
        assert!(narrowing("VARCHAR(40)", "VARCHAR(20)"));
        assert!(!narrowing("VARCHAR(20)", "VARCHAR(40)"));
        assert!(!narrowing("VARCHAR(20)", "TEXT"));
        assert!(narrowing("TEXT", "VARCHAR(20)"));
        assert!(narrowing("BIGINT", "INTEGER"));
        assert!(!narrowing("INTEGER", "BIGINT"));
        assert!(narrowing("TEXT", "INTEGER"));
        assert!(narrowing("NUMERIC(10, 2)", "NUMERIC(8, 2)"));
    }

    #[test]
    fn a_downgrade_names_what_it_drops() {
        let files = [
            (
                "r1.py",
                "revision = 'r1'\ndown_revision = None\nfrom alembic import op\nimport sqlalchemy as sa\ndef upgrade():\n    op.create_table('t', sa.Column('id', sa.Integer()), sa.Column('note', sa.String(40)))\ndef downgrade():\n    op.drop_table('t')\n",
            ),
            (
                "r2.py",
                "revision = 'r2'\ndown_revision = 'r1'\nfrom alembic import op\nimport sqlalchemy as sa\ndef upgrade():\n    op.add_column('t', sa.Column('flag', sa.Boolean()))\n    op.alter_column('t', 'note', type_=sa.Text())\ndef downgrade():\n    op.alter_column('t', 'note', type_=sa.String(40))\n    op.drop_column('t', 'flag')\n",
            ),
        ];
        let p = Project::from_texts(&files);
        let plan = crate::plan::request(
            &p.map,
            crate::plan::Direction::Downgrade,
            "base",
            &["r2".to_string()],
        )
        .unwrap();
        let l = plan_losses(&p, &plan, Dialect::Postgresql);
        let shown: Vec<Vec<String>> = l
            .iter()
            .map(|s| {
                s.iter()
                    .map(|x| format!("{}: {}", x.line, x.what))
                    .collect()
            })
            .collect();
        assert_eq!(
            shown,
            vec![
                vec![
                    "9: column `t.note` narrowed from TEXT to VARCHAR(40): values that do not fit are cut or fail".to_string(),
                    "10: column `t.flag` (BOOLEAN) and its data".to_string()
                ],
                vec!["8: table `t` and its rows (2 columns: id, note)".to_string()],
            ]
        );
    }
}
