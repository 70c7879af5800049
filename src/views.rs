//! Plain view models the shells render: what a history row or a revision's detail shows.
//! Shells only lay these out; every decision about content is made here.

use crate::project::Project;
use crate::walk::Arg;

/// One line of the history view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryRow {
    /// Index of the revision in the map.
    pub index: usize,
    pub id: String,
    pub message: String,
    pub down: Vec<String>,
    pub dependencies: Vec<String>,
    pub labels: Vec<String>,
    pub is_head: bool,
    pub is_effective_head: bool,
    pub is_base: bool,
    pub is_branch_point: bool,
    pub is_merge_point: bool,
    pub path: String,
    /// Diagnostics in this revision's file.
    pub problems: usize,
    /// Alembic's `history` line for this revision.
    pub alembic_line: String,
}

/// Everything the detail pane shows for one revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevisionDetail {
    pub row: HistoryRow,
    pub docstring: String,
    pub parents: Vec<(usize, String)>,
    pub children: Vec<(usize, String)>,
    pub depends_on: Vec<(usize, String)>,
    pub source: String,
}

impl Project {
    /// Revisions newest first, in Alembic's `history` order.
    pub fn history_order(&self) -> Vec<usize> {
        let map = &self.map;
        match map.iterate_upgrade(&Arg::s("heads"), &Arg::s("base"), false, true, false) {
            Ok(order) if order.len() == map.len() => order,
            _ => (0..map.len()).rev().collect(),
        }
    }

    pub fn history_row(&self, i: usize) -> HistoryRow {
        let entry = crate::commands::Entry::new(&self.map, i);
        let r = entry.rev;
        HistoryRow {
            index: i,
            id: r.id.clone(),
            message: entry.script.doc(),
            down: r.down.clone(),
            dependencies: r.dependencies.clone(),
            labels: r.labels.clone(),
            is_head: r.is_real_head(),
            is_effective_head: r.is_head() && !r.is_real_head(),
            is_base: r.is_base(),
            is_branch_point: r.is_branch_point(),
            is_merge_point: r.is_merge_point(),
            path: entry.script.path.clone(),
            problems: self
                .diagnostics
                .iter()
                .filter(|d| d.path == entry.script.path)
                .count(),
            alembic_line: entry.head_only(true, true, true, true),
        }
    }

    /// The history view: every revision, newest first.
    pub fn history_rows(&self) -> Vec<HistoryRow> {
        self.history_order()
            .into_iter()
            .map(|i| self.history_row(i))
            .collect()
    }

    /// The revision defined by the file at `path`, if it made it into the graph.
    pub fn revision_of_path(&self, path: &str) -> Option<usize> {
        let si = self.map.scripts.iter().position(|s| s.path == path)?;
        self.map.revs.iter().position(|r| r.script == si)
    }

    /// The detail pane for one revision.
    pub fn revision_detail(&self, i: usize) -> RevisionDetail {
        let map = &self.map;
        let r = map.rev(i);
        let named = |v: &[usize]| v.iter().map(|j| (*j, map.rev(*j).id.clone())).collect();
        RevisionDetail {
            row: self.history_row(i),
            docstring: map.script_of(i).longdoc(),
            parents: named(&r.down_idx),
            children: named(&r.all_nextrev),
            depends_on: named(&r.resolved_deps),
            source: self.sources[r.script].text.clone(),
        }
    }
}
