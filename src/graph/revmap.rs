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

use std::collections::{HashMap, HashSet};

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

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
    /// Labels after Alembic's propagation: own labels as written, then inherited ones in
    /// the order the labels were registered (file load order).
    pub labels: Vec<String>,
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
    fn compute_norm_down(&self) -> Vec<usize> {
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
    ids: HashMap<String, usize>,
    /// Label → revision, in the order labels were registered.
    labels: Vec<(String, usize)>,
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
}

struct Obj {
    id: String,
    script: usize,
}

impl RevisionMap {
    /// Builds the map from scripts in load order. Never fails.
    pub fn build(scripts: Vec<Script>) -> RevisionMap {
        let mut map = RevisionMap {
            scripts,
            ..RevisionMap::default()
        };
        let mut failures: Vec<AlembicFailure> = Vec::new();
        let mut diags: Vec<Diagnostic> = Vec::new();

        // 1. Script construction: ids, self-loops, illegal characters.
        let mut objs: Vec<Obj> = Vec::new();
        for (si, s) in map.scripts.iter().enumerate() {
            if let Some(e) = &s.import_error {
                failures.push(AlembicFailure::Crash(e.clone()));
            }
            let Some(id) = s.revision.clone() else {
                if s.diagnostics.iter().any(|d| d.code == "missing-revision") {
                    let name = s.path.rsplit('/').next().unwrap_or(&s.path);
                    failures.push(AlembicFailure::Command(format!("Could not determine revision id from filename {name}. Be sure the 'revision' variable is declared inside the script (please see 'Upgrading from Alembic 0.1 to 0.2' in the documentation).")));
                }
                continue;
            };
            let downs = s.down_revision.clone().unwrap_or_default();
            if s.down_revision.is_none() {
                failures.push(AlembicFailure::Crash(
                    "AttributeError: module has no attribute 'down_revision'".into(),
                ));
            }
            if downs.contains(&id) {
                failures.push(AlembicFailure::Revision(format!(
                    "Self-loop is detected in revisions ({id})"
                )));
                diags.push(Diagnostic::error(
                    "self-loop",
                    &s.path,
                    s.down_revision_line,
                    format!("revision {id} names itself as its down_revision; it is left out of the graph"),
                ));
                continue;
            }
            if s.depends_on.contains(&id) {
                failures.push(AlembicFailure::Revision(format!(
                    "Dependency self-loop is detected in revisions ({id})"
                )));
                diags.push(Diagnostic::error(
                    "self-loop",
                    &s.path,
                    s.depends_on_line,
                    format!("revision {id} depends on itself; it is left out of the graph"),
                ));
                continue;
            }
            let mut illegal: Vec<char> = id.chars().filter(|c| "@-+:".contains(*c)).collect();
            if !illegal.is_empty() {
                illegal.sort();
                illegal.dedup();
                let list: Vec<String> = illegal.iter().map(|c| c.to_string()).collect();
                let msg = format!(
                    "Character(s) '{}' not allowed in revision identifier '{id}'",
                    list.join(", ")
                );
                failures.push(AlembicFailure::Revision(msg.clone()));
                diags.push(Diagnostic::error(
                    "illegal-revision-id",
                    &s.path,
                    s.revision_line,
                    format!("{msg}; the file is left out of the graph"),
                ));
                continue;
            }
            objs.push(Obj { id, script: si });
        }

        // 2. The map: a duplicate id keeps its first position and its last file.
        let mut order: Vec<String> = Vec::new();
        let mut winner: HashMap<String, usize> = HashMap::new();
        for (oi, o) in objs.iter().enumerate() {
            if let Some(prev) = winner.insert(o.id.clone(), oi) {
                let kept = &map.scripts[o.script].path;
                let lost = &map.scripts[objs[prev].script];
                diags.push(Diagnostic::warning(
                    "duplicate-revision",
                    &lost.path,
                    lost.revision_line,
                    format!("Revision {} is present more than once (also in {kept}); Alembic keeps the file loaded last, {kept}, and still counts this copy as an extra head", o.id),
                ));
            } else {
                order.push(o.id.clone());
            }
        }

        // Cycle repair needs the raw edges first.
        let script_of = |id: &str| -> &Script { &map.scripts[objs[winner[id]].script] };
        let mut label_owner: HashMap<String, String> = HashMap::new();
        let mut label_order: Vec<(String, String)> = Vec::new();
        for id in &order {
            let s = script_of(id);
            for l in &s.branch_labels {
                if winner.contains_key(l) || label_owner.contains_key(l) {
                    let other = label_owner.get(l).cloned().unwrap_or_else(|| l.clone());
                    let msg = format!(
                        "Branch name '{l}' in revision {id} already used by revision {other}"
                    );
                    failures.push(AlembicFailure::Revision(msg.clone()));
                    diags.push(Diagnostic::error(
                        "duplicate-branch-label",
                        &s.path,
                        s.branch_labels_line,
                        format!("{msg}; the planner keeps it on {other}"),
                    ));
                } else {
                    label_owner.insert(l.clone(), id.clone());
                    label_order.push((l.clone(), id.clone()));
                }
            }
        }
        let lookup = |k: &str| -> Option<String> {
            if winner.contains_key(k) {
                Some(k.to_string())
            } else {
                label_owner.get(k).cloned()
            }
        };
        // depends_on resolution (before down_revision checks, as Alembic does).
        let mut deps_of: HashMap<String, Vec<String>> = HashMap::new();
        for id in &order {
            let s = script_of(id);
            let mut v = Vec::new();
            for d in &s.depends_on {
                match lookup(d) {
                    Some(t) => v.push(t),
                    None => {
                        failures.push(AlembicFailure::Crash(format!("KeyError: '{d}'")));
                        diags.push(Diagnostic::error("missing-dependency", &s.path, s.depends_on_line, format!("revision {id} depends on '{d}', which is neither a revision nor a branch label here (Alembic fails with KeyError: '{d}'); the dependency is ignored")));
                    }
                }
            }
            deps_of.insert(id.clone(), v);
        }
        let mut downs_of: HashMap<String, Vec<String>> = HashMap::new();
        for id in &order {
            let s = script_of(id);
            let mut v = Vec::new();
            for d in s.down_revision.clone().unwrap_or_default() {
                if winner.contains_key(&d) {
                    v.push(d);
                } else {
                    failures.push(AlembicFailure::Crash(format!("KeyError: '{d}'")));
                    diags.push(Diagnostic::error("missing-down-revision-target", &s.path, s.down_revision_line, format!("Revision {d} referenced from {id} is not present (Alembic warns, then fails with KeyError: '{d}'); the planner treats the link as absent")));
                }
            }
            downs_of.insert(id.clone(), v);
        }

        // Cycles: strongly connected components of the raw graph.
        let mut raw: DiGraph<String, EdgeKind> = DiGraph::new();
        let nodes: HashMap<String, NodeIndex> = order
            .iter()
            .map(|id| (id.clone(), raw.add_node(id.clone())))
            .collect();
        for id in &order {
            for d in &downs_of[id] {
                raw.add_edge(nodes[d], nodes[id], EdgeKind::Down);
            }
            for d in &deps_of[id] {
                raw.add_edge(nodes[d], nodes[id], EdgeKind::DependsOn);
            }
        }
        let mut cyclic: HashSet<String> = HashSet::new();
        let mut cycle_failure = None;
        for comp in tarjan_scc(&raw) {
            if comp.len() > 1 {
                let mut ids: Vec<String> = comp.iter().map(|n| raw[*n].clone()).collect();
                ids.sort();
                let only_down = {
                    let set: HashSet<NodeIndex> = comp.iter().copied().collect();
                    // a cycle through down_revision edges alone?
                    let mut sub: DiGraph<(), ()> = DiGraph::new();
                    let local: HashMap<NodeIndex, NodeIndex> =
                        comp.iter().map(|n| (*n, sub.add_node(()))).collect();
                    for e in raw.edge_indices() {
                        let (a, b) = raw.edge_endpoints(e).unwrap();
                        if raw[e] == EdgeKind::Down && set.contains(&a) && set.contains(&b) {
                            sub.add_edge(local[&a], local[&b], ());
                        }
                    }
                    tarjan_scc(&sub).iter().any(|c| c.len() > 1)
                };
                let kind = if only_down {
                    "Cycle"
                } else {
                    "Dependency cycle"
                };
                for id in &ids {
                    let s = script_of(id);
                    diags.push(Diagnostic::error(
                        "revision-cycle",
                        &s.path,
                        s.down_revision_line,
                        format!(
                            "{kind} through revisions {}; revision {id} is left out of the graph",
                            ids.join(", ")
                        ),
                    ));
                }
                cyclic.extend(ids);
            }
        }
        if !cyclic.is_empty() {
            cycle_failure = Some(alembic_cycle_message(&order, &downs_of, &deps_of));
        }

        // 3. The repaired map, built with Alembic's rules.
        let kept: Vec<String> = order
            .into_iter()
            .filter(|id| !cyclic.contains(id))
            .collect();
        let index: HashMap<String, usize> = kept
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), i))
            .collect();
        for (i, id) in kept.iter().enumerate() {
            let oi = winner[id];
            let s = &map.scripts[objs[oi].script];
            let down: Vec<String> = downs_of[id]
                .iter()
                .filter(|d| index.contains_key(*d))
                .cloned()
                .collect();
            let deps: Vec<usize> = deps_of[id]
                .iter()
                .filter_map(|d| index.get(d).copied())
                .collect();
            let mut resolved = Vec::new();
            for d in deps {
                if !resolved.contains(&d) {
                    resolved.push(d);
                }
            }
            map.revs.push(Rev {
                id: id.clone(),
                script: objs[oi].script,
                down_idx: down.iter().map(|d| index[d]).collect(),
                down,
                dependencies: s
                    .depends_on
                    .iter()
                    .filter(|d| lookup(d).is_some_and(|t| index.contains_key(&t)))
                    .cloned()
                    .collect(),
                own_labels: s
                    .branch_labels
                    .iter()
                    .filter(|l| label_owner.get(*l) == Some(id))
                    .cloned()
                    .collect(),
                labels: Vec::new(),
                resolved_deps: resolved,
                normalized_deps: Vec::new(),
                norm_down: Vec::new(),
                nextrev: Vec::new(),
                all_nextrev: Vec::new(),
            });
            debug_assert_eq!(map.revs.len() - 1, i);
        }
        map.ids = index;
        map.labels = label_order
            .into_iter()
            .filter_map(|(l, id)| map.ids.get(&id).map(|i| (l, *i)))
            .collect();
        for (i, r) in map.revs.clone().iter().enumerate() {
            for &d in &r.all_down() {
                map.revs[d].all_nextrev.push(i);
                if r.down_idx.contains(&d) {
                    map.revs[d].nextrev.push(i);
                }
            }
        }
        for i in 0..map.revs.len() {
            map.graph.add_node(i);
        }
        for (i, r) in map.revs.iter().enumerate() {
            for &d in &r.down_idx {
                map.graph
                    .add_edge(NodeIndex::new(d), NodeIndex::new(i), EdgeKind::Down);
            }
            for &d in &r.resolved_deps {
                if !r.down_idx.contains(&d) {
                    map.graph
                        .add_edge(NodeIndex::new(d), NodeIndex::new(i), EdgeKind::DependsOn);
                }
            }
        }
        // heads/bases over every object, duplicates included (Alembic's OrderedSet of objects).
        for o in &objs {
            let Some(&i) = map.ids.get(&o.id) else {
                continue;
            };
            let is_winner = objs[winner[&o.id]].script == o.script;
            let r = &map.revs[i];
            let s = &map.scripts[o.script];
            let (head, real_head) = if is_winner {
                (r.is_head(), r.is_real_head())
            } else {
                (true, true)
            };
            let base = s.down_revision.as_ref().is_none_or(|d| d.is_empty());
            if head {
                map.heads.push(o.id.clone());
            }
            if real_head {
                map.real_heads.push(o.id.clone());
            }
            if base {
                map.bases.push(o.id.clone());
                if s.depends_on.is_empty() {
                    map.real_bases.push(o.id.clone());
                }
            }
        }
        // _normalize_depends_on
        for i in 0..map.revs.len() {
            if map.revs[i].resolved_deps.is_empty() {
                continue;
            }
            let mut norm = map.revs[i].resolved_deps.clone();
            for a in map.ancestors(&[i], false) {
                if a != i {
                    let ad = &map.revs[a].resolved_deps;
                    norm.retain(|d| !ad.contains(d));
                }
            }
            map.revs[i].normalized_deps = norm;
        }
        for r in map.revs.iter_mut() {
            r.norm_down = r.compute_norm_down();
        }
        if let Some(f) = cycle_failure {
            failures.push(f);
        } else if !map.revs.is_empty() && (map.heads.is_empty() || map.bases.is_empty()) {
            failures.push(AlembicFailure::Revision(format!(
                "Cycle is detected in revisions ({})",
                kept.join(", ")
            )));
        }
        map.add_branches();
        map.rank = vec![0; map.revs.len()];
        if let Ok(order) = petgraph::algo::toposort(&map.graph, None) {
            for (r, n) in order.into_iter().enumerate() {
                map.rank[n.index()] = r;
            }
        }
        map.alembic_failure = failures.into_iter().next();
        map.diagnostics = diags;
        map
    }

    /// `_add_branches`: labels spread to every descendant, and down to the ancestors up to
    /// the nearest branch or merge point. Revisions are processed in insertion order (where
    /// Alembic iterates a set), each spreading the labels it holds at that moment. Label sets
    /// are bitsets: in a long linear history every revision ends up with every label.
    fn add_branches(&mut self) {
        let n = self.revs.len();
        let nl = self.labels.len();
        let words = nl.div_ceil(64).max(1);
        let mut bits = vec![0u64; n * words];
        let label_index: HashMap<&str, usize> = self
            .labels
            .iter()
            .enumerate()
            .map(|(k, (l, _))| (l.as_str(), k))
            .collect();
        for (i, r) in self.revs.iter().enumerate() {
            for l in &r.own_labels {
                if let Some(&k) = label_index.get(l.as_str()) {
                    bits[i * words + k / 64] |= 1 << (k % 64);
                }
            }
        }
        for i in 0..n {
            if self.revs[i].own_labels.is_empty() {
                continue;
            }
            let labels: Vec<u64> = bits[i * words..(i + 1) * words].to_vec();
            let or_into = |bits: &mut [u64], j: usize| {
                for (w, l) in labels.iter().enumerate() {
                    bits[j * words + w] |= l;
                }
            };
            let mut last = i;
            for d in self.related(&[i], |r| &r.nextrev) {
                or_into(&mut bits, d);
                last = d;
            }
            let mut parent = Some(last);
            while let Some(p) = parent {
                let r = &self.revs[p];
                if r.is_real_branch_point() || r.is_merge_point() {
                    break;
                }
                or_into(&mut bits, p);
                parent = r.down_idx.first().copied();
            }
        }
        for i in 0..n {
            let mut labels = self.revs[i].own_labels.clone();
            for (k, (l, _)) in self.labels.iter().enumerate() {
                if bits[i * words + k / 64] & (1 << (k % 64)) != 0
                    && !self.revs[i].own_labels.contains(l)
                {
                    labels.push(l.clone());
                }
            }
            self.revs[i].labels = labels;
        }
    }

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
        let floor = candidates.iter().map(|c| self.rank[*c]).min().unwrap_or(0);
        let mut found = vec![false; candidates.len()];
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

/// Alembic's `_detect_cycles` message on the raw (unrepaired) graph.
fn alembic_cycle_message(
    order: &[String],
    downs: &HashMap<String, Vec<String>>,
    deps: &HashMap<String, Vec<String>>,
) -> AlembicFailure {
    let mut next: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut all_next: HashMap<&str, Vec<&str>> = HashMap::new();
    for id in order {
        for d in &downs[id] {
            next.entry(d).or_default().push(id);
            all_next.entry(d).or_default().push(id);
        }
        for d in &deps[id] {
            all_next.entry(d).or_default().push(id);
        }
    }
    let reach = |starts: Vec<&str>, f: &dyn Fn(&str) -> Vec<String>| -> HashSet<String> {
        let mut seen: HashSet<String> = HashSet::new();
        let mut todo: Vec<String> = starts.into_iter().map(String::from).collect();
        while let Some(r) = todo.pop() {
            if seen.insert(r.clone()) {
                todo.extend(f(&r));
            }
        }
        seen
    };
    let heads: Vec<&str> = order
        .iter()
        .filter(|i| !next.contains_key(i.as_str()))
        .map(|s| s.as_str())
        .collect();
    let bases: Vec<&str> = order
        .iter()
        .filter(|i| downs[*i].is_empty())
        .map(|s| s.as_str())
        .collect();
    if heads.is_empty() || bases.is_empty() {
        return AlembicFailure::Revision(format!(
            "Cycle is detected in revisions ({})",
            order.join(", ")
        ));
    }
    let down_f = |r: &str| downs[r].clone();
    let up_f = |r: &str| {
        next.get(r)
            .map(|v| v.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default()
    };
    let space: HashSet<String> = reach(heads, &down_f)
        .intersection(&reach(bases, &up_f))
        .cloned()
        .collect();
    let mut deleted: Vec<&String> = order.iter().filter(|i| !space.contains(*i)).collect();
    if !deleted.is_empty() {
        deleted.sort();
        let d: Vec<&str> = deleted.iter().map(|s| s.as_str()).collect();
        return AlembicFailure::Revision(format!(
            "Cycle is detected in revisions ({})",
            d.join(", ")
        ));
    }
    let real_heads: Vec<&str> = order
        .iter()
        .filter(|i| !all_next.contains_key(i.as_str()))
        .map(|s| s.as_str())
        .collect();
    let real_bases: Vec<&str> = order
        .iter()
        .filter(|i| downs[*i].is_empty() && deps[*i].is_empty())
        .map(|s| s.as_str())
        .collect();
    if real_heads.is_empty() || real_bases.is_empty() {
        return AlembicFailure::Revision(format!(
            "Dependency cycle is detected in revisions ({})",
            order.join(", ")
        ));
    }
    let all_down_f = |r: &str| {
        let mut v = downs[r].clone();
        v.extend(deps[r].iter().cloned());
        v
    };
    let all_up_f = |r: &str| {
        all_next
            .get(r)
            .map(|v| v.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default()
    };
    let space: HashSet<String> = reach(real_heads, &all_down_f)
        .intersection(&reach(real_bases, &all_up_f))
        .cloned()
        .collect();
    let mut deleted: Vec<&String> = order.iter().filter(|i| !space.contains(*i)).collect();
    deleted.sort();
    let d: Vec<&str> = deleted.iter().map(|s| s.as_str()).collect();
    AlembicFailure::Revision(format!(
        "Dependency cycle is detected in revisions ({})",
        d.join(", ")
    ))
}
