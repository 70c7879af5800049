//! The revision map: Alembic's `RevisionMap`, ported rule for rule onto a petgraph graph.
//!
//! Revisions are kept in Alembic's insertion order (the load order of their files, a
//! duplicated id keeping the position of its first file and the content of its last).
//! Where Alembic iterates a Python `set` (hash order, which changes from run to run), the
//! planner uses that insertion order instead; see ARCHITECTURE.md, "Hash order".
//!
//! Building never fails: what Alembic would refuse (cycles, missing targets, duplicate
//! labels) is recorded as [`RevisionMap::alembic_failure`] with Alembic's own message, and
//! the map is repaired (the offending edges or revisions left out) so analysis goes on.

use std::collections::HashMap;

use petgraph::graph::DiGraph;

use crate::base::diag::Diagnostic;
use crate::script::Script;

/// Kind of a graph edge, pointing from a revision to one that comes after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// `down_revision`.
    Down,
    /// `depends_on`.
    DependsOn,
}

/// How Alembic itself would stop on this folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AlembicFailure {
    /// A `CommandError`: printed as `FAILED: <message>`, exit status 255.
    Command(String),
    /// A `RevisionError` raised while the map loads: `FAILED: <message>` where the command
    /// catches revision errors, a traceback where it does not (`heads`).
    Revision(String),
    /// An uncaught Python exception: a traceback ending in this line, exit status 1.
    Crash(String),
}

impl AlembicFailure {
    pub fn message(&self) -> &str {
        match self {
            AlembicFailure::Command(m) | AlembicFailure::Revision(m) | AlembicFailure::Crash(m) => {
                m
            }
        }
    }
}

/// One revision in the map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rev {
    pub id: String,
    /// Index of the script in [`RevisionMap::scripts`].
    pub script: usize,
    /// `down_revision` ids, in the order written.
    pub down: Vec<String>,
    /// `depends_on` as written (ids or labels).
    pub dependencies: Vec<String>,
    /// The labels the file declares.
    pub own_labels: Vec<String>,
    pub resolved_deps: Vec<usize>,
    pub normalized_deps: Vec<usize>,
    /// `_normalized_down_revisions`, computed once the dependencies are normalized.
    pub norm_down: Vec<usize>,
    /// Resolved `down` (indices), same order.
    pub down_idx: Vec<usize>,
    /// Revisions whose `down_revision` names this one, in insertion order.
    pub nextrev: Vec<usize>,
    /// Revisions whose `down_revision` or `depends_on` names this one.
    pub all_nextrev: Vec<usize>,
}

impl Rev {
    pub fn is_head(&self) -> bool {
        self.nextrev.is_empty()
    }
    pub fn is_real_head(&self) -> bool {
        self.all_nextrev.is_empty()
    }
    pub fn is_base(&self) -> bool {
        self.down.is_empty()
    }
    pub fn is_real_base(&self) -> bool {
        self.down.is_empty() && self.dependencies.is_empty()
    }
    pub fn is_branch_point(&self) -> bool {
        self.nextrev.len() > 1
    }
    pub fn is_real_branch_point(&self) -> bool {
        self.all_nextrev.len() > 1
    }
    pub fn is_merge_point(&self) -> bool {
        self.down.len() > 1
    }
    /// `_normalized_down_revisions`: `down_revision` plus dependencies that no ancestor
    /// already depends on, without repeats (Alembic's `dedupe_tuple`).
    pub fn normalized_down(&self) -> &[usize] {
        &self.norm_down
    }
    pub(super) fn compute_norm_down(&self) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::with_capacity(self.down_idx.len());
        for d in self.down_idx.iter().chain(&self.normalized_deps) {
            if !out.contains(d) {
                out.push(*d);
            }
        }
        out
    }
    /// `_all_down_revisions`.
    pub fn all_down(&self) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::with_capacity(self.down_idx.len());
        for d in self.down_idx.iter().chain(&self.resolved_deps) {
            if !out.contains(d) {
                out.push(*d);
            }
        }
        out
    }
}

/// The revision graph of a versions folder.
#[derive(Clone, Debug, Default)]
pub struct RevisionMap {
    /// Every script read, in load order (including ones left out of the map).
    pub scripts: Vec<Script>,
    /// Revisions in Alembic's map insertion order.
    pub revs: Vec<Rev>,
    /// petgraph view: node `i` is `revs[i]`; edges run from a revision to its successors.
    pub graph: DiGraph<usize, EdgeKind>,
    pub(super) ids: HashMap<String, usize>,
    /// Label → revision, in the order labels were registered.
    pub(super) labels: Vec<(String, usize)>,
    /// Each revision's labels after Alembic's propagation, as bits (label `k` is
    /// `labels[k]`), `label_words` words per revision.
    pub(super) label_bits: Vec<u64>,
    pub(super) label_words: usize,
    /// `heads` (versioned heads), as Alembic orders them; may repeat an id (duplicates).
    pub heads: Vec<String>,
    /// `_real_heads`: heads also counting `depends_on`.
    pub real_heads: Vec<String>,
    pub bases: Vec<String>,
    pub real_bases: Vec<String>,
    /// What Alembic would print instead of working, if anything.
    pub alembic_failure: Option<AlembicFailure>,
    /// A topological rank per revision (ancestors rank lower), from petgraph's toposort.
    pub rank: Vec<usize>,
    pub diagnostics: Vec<Diagnostic>,
    /// The first-parent tree's intervals, made when an ancestry question first needs them.
    pub(super) tree: std::sync::OnceLock<TreeIntervals>,
    /// `history_order`, made when first asked for (the views ask it once each: a walk of
    /// the whole graph, 70-80 ms at 10,000 revisions).
    pub(super) history: std::sync::OnceLock<Vec<usize>>,
}

/// Each revision's interval in a depth-first walk of the tree in which a revision's parent
/// is its first down revision: a revision's tree descendants are within its interval, so
/// "is `a` an ancestor of `d`" is answered at once whenever `a` is `d`'s ancestor through
/// first parents (nearly every case of a mostly linear history); the rest is walked.
#[derive(Clone, Debug, Default)]
pub(super) struct TreeIntervals {
    /// Entry and exit numbers; `u32::MAX` for a revision the walk never reached (a cycle).
    enter: Vec<u32>,
    exit: Vec<u32>,
}

impl TreeIntervals {
    fn new(revs: &[Rev]) -> TreeIntervals {
        let n = revs.len();
        let mut kids: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut roots = Vec::new();
        for (r, rev) in revs.iter().enumerate() {
            match rev.normalized_down().first() {
                Some(&p) if p != r => kids[p].push(r as u32),
                _ => roots.push(r as u32),
            }
        }
        let mut t = TreeIntervals {
            enter: vec![u32::MAX; n],
            exit: vec![u32::MAX; n],
        };
        let mut clock = 0u32;
        // (revision, next child to visit): a loop and a stack, whatever the depth
        let mut stack: Vec<(u32, usize)> = Vec::new();
        for root in roots {
            t.enter[root as usize] = clock;
            clock += 1;
            stack.push((root, 0));
            while let Some((r, next)) = stack.last_mut() {
                let r = *r as usize;
                match kids[r].get(*next) {
                    Some(&c) => {
                        *next += 1;
                        if t.enter[c as usize] == u32::MAX {
                            t.enter[c as usize] = clock;
                            clock += 1;
                            stack.push((c, 0));
                        }
                    }
                    None => {
                        t.exit[r] = clock;
                        clock += 1;
                        stack.pop();
                    }
                }
            }
        }
        t
    }

    /// Whether `a` is `d` or its ancestor through first parents.
    fn contains(&self, a: usize, d: usize) -> bool {
        self.enter[a] != u32::MAX
            && self.enter[d] != u32::MAX
            && self.enter[a] <= self.enter[d]
            && self.exit[d] <= self.exit[a]
    }
}

impl RevisionMap {
    /// `_iterate_related_revisions`: depth-first, a stack, each revision once, in the order
    /// Alembic yields them (with insertion order standing in for set order).
    pub fn related<'a>(
        &'a self,
        targets: &[usize],
        f: impl Fn(&'a Rev) -> &'a [usize],
    ) -> Vec<usize> {
        let mut seen = vec![false; self.revs.len()];
        let mut out = Vec::new();
        let mut todo: Vec<usize> = Vec::new();
        for &t in targets {
            todo.push(t);
            while let Some(r) = todo.pop() {
                if seen[r] {
                    continue;
                }
                seen[r] = true;
                todo.extend_from_slice(f(&self.revs[r]));
                out.push(r);
            }
        }
        out
    }

    /// Ancestors (including the targets); with dependencies they follow normalized deps.
    pub fn ancestors(&self, targets: &[usize], include_dependencies: bool) -> Vec<usize> {
        if include_dependencies {
            self.related(targets, |r| r.normalized_down())
        } else {
            self.related(targets, |r| &r.down_idx)
        }
    }

    /// Descendants (including the targets).
    pub fn descendants(&self, targets: &[usize], include_dependencies: bool) -> Vec<usize> {
        if include_dependencies {
            self.related(targets, |r| &r.all_nextrev)
        } else {
            self.related(targets, |r| &r.nextrev)
        }
    }

    pub fn len(&self) -> usize {
        self.revs.len()
    }

    /// Which of `candidates` are ancestors (with dependencies) of any of `heads`, or are
    /// among them. The walk never goes below the lowest-ranked candidate, so it only visits
    /// the part of the graph between them.
    pub fn ancestors_among(&self, heads: &[usize], candidates: &[usize]) -> Vec<bool> {
        let tree = self.tree.get_or_init(|| TreeIntervals::new(&self.revs));
        let mut found: Vec<bool> = candidates
            .iter()
            .map(|&c| heads.iter().any(|&h| tree.contains(c, h)))
            .collect();
        if found.iter().all(|f| *f) {
            return found;
        }
        let floor = candidates.iter().map(|c| self.rank[*c]).min().unwrap_or(0);
        let mut seen: std::collections::HashSet<usize> = std::collections::HashSet::new();
        let mut todo: Vec<usize> = heads.to_vec();
        while let Some(r) = todo.pop() {
            if self.rank[r] < floor || !seen.insert(r) {
                continue;
            }
            for (k, c) in candidates.iter().enumerate() {
                if *c == r {
                    found[k] = true;
                }
            }
            todo.extend_from_slice(self.revs[r].normalized_down());
        }
        found
    }

    /// A revision's branch labels after Alembic's propagation: its own as written, then
    /// the inherited ones in the order the labels were registered (file load order).
    pub fn labels(&self, i: usize) -> Vec<&str> {
        let own = &self.revs[i].own_labels;
        let mut out: Vec<&str> = own.iter().map(String::as_str).collect();
        let w = self.label_words;
        if w == 0 {
            return out;
        }
        for (k, (l, _)) in self.labels.iter().enumerate() {
            if self.label_bits[i * w + k / 64] & (1 << (k % 64)) != 0 && !own.contains(l) {
                out.push(l);
            }
        }
        out
    }

    /// Whether a revision carries a branch label (its own or inherited).
    pub fn has_label(&self, i: usize, label: &str) -> bool {
        let w = self.label_words;
        self.revs[i].own_labels.iter().any(|l| l == label)
            || self
                .labels
                .iter()
                .position(|(l, _)| l == label)
                .is_some_and(|k| w > 0 && self.label_bits[i * w + k / 64] & (1 << (k % 64)) != 0)
    }

    pub fn is_empty(&self) -> bool {
        self.revs.is_empty()
    }

    /// Index of a revision by full id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.ids.get(id).copied()
    }

    /// A key of Alembic's map: a revision id or a branch label.
    pub fn lookup_key(&self, key: &str) -> Option<usize> {
        self.index_of(key)
            .or_else(|| self.labels.iter().find(|(l, _)| l == key).map(|(_, i)| *i))
    }

    /// Every key of Alembic's map in order: revision ids, then branch labels.
    pub fn keys(&self) -> impl Iterator<Item = (&str, usize)> {
        self.revs
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), i))
            .chain(self.labels.iter().map(|(l, i)| (l.as_str(), *i)))
    }

    pub fn rev(&self, i: usize) -> &Rev {
        &self.revs[i]
    }

    pub fn script_of(&self, i: usize) -> &Script {
        &self.scripts[self.revs[i].script]
    }
}
