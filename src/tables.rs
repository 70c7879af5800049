//! The table-to-migration map and the interpretation coverage, from every revision's
//! interpreted operations in upgrade order (oldest first).

use crate::offline::Dialect;
use crate::ops::{MigrationOps, Step};
use crate::project::Project;
use crate::schema::Simulation;

/// Interpretation coverage of a whole project.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    pub statements: usize,
    pub interpreted: usize,
    /// `(path, line, reason)` of every opaque step.
    pub opaque: Vec<(String, u32, String)>,
}

impl Project {
    /// The interpreted `upgrade()`/`downgrade()` of a revision (interpreted when the
    /// project was loaded).
    pub fn migration_ops(&self, rev: usize) -> &MigrationOps {
        &self.ops[self.map.revs[rev].script]
    }

    /// Revisions oldest first (the reverse of history order).
    pub fn upgrade_order(&self) -> Vec<usize> {
        let mut v = self.history_order();
        v.reverse();
        v
    }

    /// Every revision's upgrade applied in upgrade order: the table-to-migration map
    /// (`Simulation::by_table`), each revision's tables, and the contradictions found.
    pub fn table_map(&self, dialect: Dialect) -> Simulation {
        self.simulate(&self.upgrade_order(), dialect)
    }

    /// `tables` as text: each table, then what each revision does to it and its parts.
    pub fn tables_text(&self, sim: &Simulation) -> String {
        let mut out = String::new();
        for (table, events) in sim.by_table() {
            out.push_str(&format!("{table}\n"));
            for ev in events {
                let what = ev.object_label();
                out.push_str(&format!(
                    "  {} {:<6} {}  ({}:{})\n",
                    self.map.rev(ev.rev).id,
                    ev.action,
                    [what.as_str(), ev.detail.as_str()]
                        .iter()
                        .filter(|p| !p.is_empty())
                        .copied()
                        .collect::<Vec<_>>()
                        .join(" "),
                    self.map.script_of(ev.rev).path,
                    ev.line
                ));
            }
        }
        out
    }

    /// The "Migration | Tables created | Dependencies" table, as Markdown, in upgrade order.
    pub fn revisions_markdown(&self, sim: &Simulation) -> String {
        let mut out = String::from(
            "| Migration | Message | Creates | Changes | Drops | Depends on (FK) | Data |\n|---|---|---|---|---|---|---|\n",
        );
        let cell = |v: &[String]| -> String {
            if v.is_empty() {
                String::new()
            } else {
                v.join(", ")
            }
        };
        for r in &sim.revisions {
            let rev = self.map.rev(r.rev);
            let message = self.map.script_of(r.rev).summary().replace('|', "\\|");
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} |\n",
                rev.id,
                message,
                cell(&r.creates),
                cell(&r.changes),
                cell(&r.drops),
                cell(&r.depends_on),
                cell(&r.writes_data)
            ));
        }
        out
    }

    /// How much of every `upgrade()` and `downgrade()` the planner interpreted.
    pub fn coverage(&self) -> Coverage {
        let mut c = Coverage::default();
        for rev in self.upgrade_order() {
            let ops = self.migration_ops(rev);
            c.statements += ops.statements;
            c.interpreted += ops.interpreted;
            let path = &self.map.script_of(rev).path;
            for st in ops.upgrade.iter().chain(ops.downgrade.iter()) {
                if let Step::Opaque { reason } = &st.step {
                    c.opaque.push((path.clone(), st.line, reason.clone()));
                }
            }
        }
        c
    }
}
