//! The table-to-migration map and the interpretation coverage, from every revision's
//! interpreted operations in upgrade order (oldest first).

use std::collections::BTreeMap;

use crate::ops::{self, MigrationOps, Step};
use crate::project::Project;

/// One thing a revision does to a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableEvent {
    /// Index of the revision in the map.
    pub rev: usize,
    pub line: u32,
    /// `create`, `alter`, `rename`, `drop`, `data`.
    pub action: &'static str,
    pub description: String,
}

/// Interpretation coverage of a whole project.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    pub statements: usize,
    pub interpreted: usize,
    /// `(path, line, reason)` of every opaque step.
    pub opaque: Vec<(String, u32, String)>,
}

impl Project {
    /// The interpreted `upgrade()`/`downgrade()` of a revision. Every revision is
    /// interpreted once, on first use.
    pub fn migration_ops(&self, rev: usize) -> &MigrationOps {
        let all = self.ops.get_or_init(|| {
            self.map
                .revs
                .iter()
                .map(|r| ops::interpret(&self.sources[r.script].text))
                .collect()
        });
        &all[rev]
    }

    /// Revisions oldest first (the reverse of history order).
    pub fn upgrade_order(&self) -> Vec<usize> {
        let mut v = self.history_order();
        v.reverse();
        v
    }

    /// For each table (sorted by name), what each revision's `upgrade()` does to it, in
    /// upgrade order. Renames appear under both names.
    pub fn table_map(&self) -> BTreeMap<String, Vec<TableEvent>> {
        let mut map: BTreeMap<String, Vec<TableEvent>> = BTreeMap::new();
        for rev in self.upgrade_order() {
            for st in &self.migration_ops(rev).upgrade {
                if let Step::Op(op) = &st.step {
                    for (table, action) in op.touches() {
                        map.entry(table).or_default().push(TableEvent {
                            rev,
                            line: st.line,
                            action,
                            description: op.describe(),
                        });
                    }
                }
            }
        }
        map
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
