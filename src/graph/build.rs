//! Building the revision map from scripts, in Alembic's phases: each script's revision
//! (ids, self-loops, illegal characters), the map with duplicates resolved, branch labels
//! registered, `depends_on` and `down_revision` resolved, cycles found and left out, then
//! the repaired map assembled (links, heads and bases, normalized dependencies, labels
//! spread). Every failure Alembic would hit is recorded; the first one is
//! [`RevisionMap::alembic_failure`].

use std::collections::{HashMap, HashSet};

use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use super::revmap::{AlembicFailure, EdgeKind, Rev, RevisionMap};
use crate::base::Diagnostic;
use crate::script::Script;

/// How many revisions a per-file diagnostic lists before it only counts them.
const MAX_LISTED: usize = 12;

/// A script that declares a usable revision.
struct Obj {
    id: String,
    script: usize,
    /// The id's position in [`Resolved::order`] (set once the map is made).
    pos: usize,
}

/// What the phases collect as they go.
struct Builder {
    scripts: Vec<Script>,
    failures: Vec<AlembicFailure>,
    diags: Vec<Diagnostic>,
}

/// The map in load order before repair, each id by its position in `order` (an id is
/// hashed once, when the map is made; the phases after it work on positions).
struct Resolved {
    objs: Vec<Obj>,
    /// The ids in insertion order.
    order: Vec<String>,
    /// Each id's position.
    pos: HashMap<String, usize>,
    /// By position: the object that won the id (the file loaded last).
    winner: Vec<usize>,
    /// A label's owner (a position).
    label_owner: HashMap<String, usize>,
    label_order: Vec<(String, usize)>,
    /// By position: the `depends_on` and `down_revision` targets found (positions).
    deps_of: Vec<Vec<usize>>,
    downs_of: Vec<Vec<usize>>,
}

impl Resolved {
    fn script<'s>(&self, scripts: &'s [Script], p: usize) -> &'s Script {
        &scripts[self.objs[self.winner[p]].script]
    }

    /// An id or a label, as `_revision_map` looks keys up: its revision's position.
    fn lookup(&self, k: &str) -> Option<usize> {
        self.pos.get(k).or_else(|| self.label_owner.get(k)).copied()
    }

    /// Links by position as the ids Alembic's messages name.
    fn links_by_id(&self, links: &[Vec<usize>]) -> HashMap<String, Vec<String>> {
        self.order
            .iter()
            .zip(links)
            .map(|(id, l)| {
                (
                    id.clone(),
                    l.iter().map(|&q| self.order[q].clone()).collect(),
                )
            })
            .collect()
    }
}

impl RevisionMap {
    /// Builds the map from scripts in load order. Never fails.
    pub fn build(scripts: Vec<Script>) -> RevisionMap {
        let mut b = Builder {
            scripts,
            failures: Vec::new(),
            diags: Vec::new(),
        };
        let objs = b.objects();
        let mut r = b.dedupe(objs);
        b.register_labels(&mut r);
        b.resolve_dependencies(&mut r);
        b.resolve_down_revisions(&mut r);
        let (cyclic, cycle_failure) = b.cycles(&r);
        b.assemble(r, cyclic, cycle_failure)
    }
}

impl Builder {
    /// 1. Script construction: ids, self-loops, illegal characters.
    fn objects(&mut self) -> Vec<Obj> {
        let mut objs: Vec<Obj> = Vec::new();
        for (si, s) in self.scripts.iter().enumerate() {
            if let Some(e) = &s.import_error {
                self.failures.push(AlembicFailure::Crash(e.clone()));
            }
            let Some(id) = s.revision.clone() else {
                if s.diagnostics.iter().any(|d| d.code == "missing-revision") {
                    let name = s.path.rsplit('/').next().unwrap_or(&s.path);
                    self.failures.push(AlembicFailure::Command(format!("Could not determine revision id from filename {name}. Be sure the 'revision' variable is declared inside the script (please see 'Upgrading from Alembic 0.1 to 0.2' in the documentation).")));
                }
                continue;
            };
            let downs = s.down_revision.as_deref().unwrap_or_default();
            if s.down_revision.is_none() {
                self.failures.push(AlembicFailure::Crash(
                    "AttributeError: module has no attribute 'down_revision'".into(),
                ));
            }
            if downs.contains(&id) {
                self.failures.push(AlembicFailure::Revision(format!(
                    "Self-loop is detected in revisions ({id})"
                )));
                self.diags.push(Diagnostic::error(
                    "self-loop",
                    &s.path,
                    s.down_revision_line,
                    format!("revision {id} names itself as its down_revision; it is left out of the graph"),
                ));
                continue;
            }
            if s.depends_on.contains(&id) {
                self.failures.push(AlembicFailure::Revision(format!(
                    "Dependency self-loop is detected in revisions ({id})"
                )));
                self.diags.push(Diagnostic::error(
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
                self.failures.push(AlembicFailure::Revision(msg.clone()));
                self.diags.push(Diagnostic::error(
                    "illegal-revision-id",
                    &s.path,
                    s.revision_line,
                    format!("{msg}; the file is left out of the graph"),
                ));
                continue;
            }
            objs.push(Obj {
                id,
                script: si,
                pos: 0,
            });
        }
        objs
    }

    /// 2. The map: a duplicate id keeps its first position and its last file.
    fn dedupe(&mut self, mut objs: Vec<Obj>) -> Resolved {
        let mut order: Vec<String> = Vec::new();
        let mut pos: HashMap<String, usize> = HashMap::with_capacity(objs.len());
        let mut winner: Vec<usize> = Vec::with_capacity(objs.len());
        for oi in 0..objs.len() {
            let o = &objs[oi];
            match pos.get(&o.id) {
                Some(&p) => {
                    let kept = &self.scripts[o.script].path;
                    let lost = &self.scripts[objs[winner[p]].script];
                    self.diags.push(Diagnostic::warning(
                        "duplicate-revision",
                        &lost.path,
                        lost.revision_line,
                        format!("Revision {} is present more than once (also in {kept}); Alembic keeps the file loaded last, {kept}, and still counts this copy as an extra head", o.id),
                    ));
                    winner[p] = oi;
                    objs[oi].pos = p;
                }
                None => {
                    let p = order.len();
                    pos.insert(o.id.clone(), p);
                    order.push(o.id.clone());
                    winner.push(oi);
                    objs[oi].pos = p;
                }
            }
        }
        let n = order.len();
        Resolved {
            objs,
            order,
            pos,
            winner,
            label_owner: HashMap::new(),
            label_order: Vec::new(),
            deps_of: Vec::with_capacity(n),
            downs_of: Vec::with_capacity(n),
        }
    }

    /// Branch labels, registered in insertion order; a label used twice (or an id used as
    /// a label) is Alembic's failure, and stays with its first owner.
    fn register_labels(&mut self, r: &mut Resolved) {
        for p in 0..r.order.len() {
            let s = r.script(&self.scripts, p);
            for l in &s.branch_labels {
                if r.pos.contains_key(l) || r.label_owner.contains_key(l) {
                    let other = r
                        .label_owner
                        .get(l)
                        .map_or_else(|| l.clone(), |&q| r.order[q].clone());
                    let msg = format!(
                        "Branch name '{l}' in revision {} already used by revision {other}",
                        r.order[p]
                    );
                    self.failures.push(AlembicFailure::Revision(msg.clone()));
                    self.diags.push(Diagnostic::error(
                        "duplicate-branch-label",
                        &s.path,
                        s.branch_labels_line,
                        format!("{msg}; the planner keeps it on {other}"),
                    ));
                } else {
                    r.label_owner.insert(l.clone(), p);
                    r.label_order.push((l.clone(), p));
                }
            }
        }
    }

    /// `depends_on` resolution (before `down_revision` checks, as Alembic does).
    fn resolve_dependencies(&mut self, r: &mut Resolved) {
        for p in 0..r.order.len() {
            let s = r.script(&self.scripts, p);
            let mut v = Vec::new();
            for d in &s.depends_on {
                match r.lookup(d) {
                    Some(t) => v.push(t),
                    None => {
                        let id = &r.order[p];
                        self.failures
                            .push(AlembicFailure::Crash(format!("KeyError: '{d}'")));
                        self.diags.push(Diagnostic::error("missing-dependency", &s.path, s.depends_on_line, format!("revision {id} depends on '{d}', which is neither a revision nor a branch label here (Alembic fails with KeyError: '{d}'); the dependency is ignored")));
                    }
                }
            }
            r.deps_of.push(v);
        }
    }

    /// `down_revision` targets that exist; a missing one is Alembic's `KeyError`.
    fn resolve_down_revisions(&mut self, r: &mut Resolved) {
        for p in 0..r.order.len() {
            let s = r.script(&self.scripts, p);
            let mut v = Vec::new();
            for d in s.down_revision.as_deref().unwrap_or_default() {
                match r.pos.get(d) {
                    Some(&t) => v.push(t),
                    None => {
                        let id = &r.order[p];
                        self.failures
                            .push(AlembicFailure::Crash(format!("KeyError: '{d}'")));
                        self.diags.push(Diagnostic::error("missing-down-revision-target", &s.path, s.down_revision_line, format!("Revision {d} referenced from {id} is not present (Alembic warns, then fails with KeyError: '{d}'); the planner treats the link as absent")));
                    }
                }
            }
            r.downs_of.push(v);
        }
    }

    /// Cycles: the strongly connected components of the raw graph, left out of the map
    /// (by position), and the failure Alembic prints for them.
    fn cycles(&mut self, r: &Resolved) -> (Vec<bool>, Option<AlembicFailure>) {
        let n = r.order.len();
        // node `p` is position `p`
        let mut raw: DiGraph<(), EdgeKind> = DiGraph::with_capacity(n, n);
        for _ in 0..n {
            raw.add_node(());
        }
        for p in 0..n {
            for &d in &r.downs_of[p] {
                raw.add_edge(NodeIndex::new(d), NodeIndex::new(p), EdgeKind::Down);
            }
            for &d in &r.deps_of[p] {
                raw.add_edge(NodeIndex::new(d), NodeIndex::new(p), EdgeKind::DependsOn);
            }
        }
        let mut cyclic = vec![false; n];
        let mut any = false;
        for comp in kosaraju_scc(&raw) {
            if comp.len() <= 1 {
                continue;
            }
            let mut members: Vec<usize> = comp.iter().map(|x| x.index()).collect();
            members.sort_by(|a, b| r.order[*a].cmp(&r.order[*b]));
            let ids: Vec<&str> = members.iter().map(|&p| r.order[p].as_str()).collect();
            // a cycle through down_revision edges alone?
            let only_down = {
                let set: HashSet<NodeIndex> = comp.iter().copied().collect();
                let mut sub: DiGraph<(), ()> = DiGraph::new();
                let local: HashMap<NodeIndex, NodeIndex> =
                    comp.iter().map(|x| (*x, sub.add_node(()))).collect();
                for e in raw.edge_indices() {
                    let Some((a, b)) = raw.edge_endpoints(e) else {
                        continue;
                    };
                    if raw[e] == EdgeKind::Down && set.contains(&a) && set.contains(&b) {
                        sub.add_edge(local[&a], local[&b], ());
                    }
                }
                kosaraju_scc(&sub).iter().any(|c| c.len() > 1)
            };
            let kind = if only_down {
                "Cycle"
            } else {
                "Dependency cycle"
            };
            // each file's diagnostic names the ring, shortened when it is long (a message
            // per file listing every member would grow with the square of the ring)
            let ring = if ids.len() <= MAX_LISTED {
                ids.join(", ")
            } else {
                format!(
                    "{}, … ({} revisions)",
                    ids[..MAX_LISTED].join(", "),
                    ids.len()
                )
            };
            for &p in &members {
                let s = r.script(&self.scripts, p);
                self.diags.push(Diagnostic::error(
                    "revision-cycle",
                    &s.path,
                    s.down_revision_line,
                    format!(
                        "{kind} through revisions {ring}; revision {} is left out of the graph",
                        r.order[p]
                    ),
                ));
                cyclic[p] = true;
            }
            any = true;
        }
        let failure = any.then(|| {
            alembic_cycle_message(
                &r.order,
                &r.links_by_id(&r.downs_of),
                &r.links_by_id(&r.deps_of),
            )
        });
        (cyclic, failure)
    }

    /// 3. The repaired map, built with Alembic's rules.
    fn assemble(
        mut self,
        r: Resolved,
        cyclic: Vec<bool>,
        cycle_failure: Option<AlembicFailure>,
    ) -> RevisionMap {
        // by position: its index in the map, if kept
        let mut index: Vec<Option<usize>> = vec![None; r.order.len()];
        let mut kept = 0usize;
        for (p, c) in cyclic.iter().enumerate() {
            if !c {
                index[p] = Some(kept);
                kept += 1;
            }
        }
        let mut map = RevisionMap::default();
        map.revs.reserve(kept);
        map.ids.reserve(kept);
        for p in (0..r.order.len()).filter(|p| !cyclic[*p]) {
            map.revs.push(revision(&r, &self.scripts, &index, p));
            map.ids.insert(r.order[p].clone(), map.revs.len() - 1);
        }
        map.labels = r
            .label_order
            .iter()
            .filter_map(|(l, p)| index[*p].map(|i| (l.clone(), i)))
            .collect();
        link(&mut map);
        map.rank = vec![0; map.revs.len()];
        // the cyclic revisions are left out, so this holds; if it did not, ranks are all 0
        // and normalize_dependencies walks every ancestor
        let ranked = match petgraph::algo::toposort(&map.graph, None) {
            Ok(order) => {
                for (rank, n) in order.into_iter().enumerate() {
                    map.rank[n.index()] = rank;
                }
                true
            }
            Err(_) => false,
        };
        heads_and_bases(&mut map, &r, &self.scripts, &index);
        normalize_dependencies(&mut map, ranked);
        if let Some(f) = cycle_failure {
            self.failures.push(f);
        } else if !map.revs.is_empty() && (map.heads.is_empty() || map.bases.is_empty()) {
            let kept: Vec<&str> = map.revs.iter().map(|r| r.id.as_str()).collect();
            self.failures.push(AlembicFailure::Revision(format!(
                "Cycle is detected in revisions ({})",
                kept.join(", ")
            )));
        }
        map.add_branches();
        map.alembic_failure = self.failures.into_iter().next();
        map.diagnostics = self.diags;
        map.scripts = self.scripts;
        map
    }
}

/// One revision of the repaired map (the id at position `p`), its links limited to
/// revisions kept.
fn revision(r: &Resolved, scripts: &[Script], index: &[Option<usize>], p: usize) -> Rev {
    let oi = r.winner[p];
    let s = &scripts[r.objs[oi].script];
    let kept = |q: &usize| index[*q].is_some();
    let down: Vec<usize> = r.downs_of[p].iter().copied().filter(kept).collect();
    let mut resolved = Vec::new();
    for d in r.deps_of[p].iter().filter_map(|&q| index[q]) {
        if !resolved.contains(&d) {
            resolved.push(d);
        }
    }
    Rev {
        id: r.order[p].clone(),
        script: r.objs[oi].script,
        down_idx: down.iter().filter_map(|&q| index[q]).collect(),
        down: down.iter().map(|&q| r.order[q].clone()).collect(),
        dependencies: s
            .depends_on
            .iter()
            .filter(|d| r.lookup(d).is_some_and(|t| kept(&t)))
            .cloned()
            .collect(),
        own_labels: s
            .branch_labels
            .iter()
            .filter(|l| r.label_owner.get(*l) == Some(&p))
            .cloned()
            .collect(),
        resolved_deps: resolved,
        normalized_deps: Vec::new(),
        norm_down: Vec::new(),
        nextrev: Vec::new(),
        all_nextrev: Vec::new(),
    }
}

/// Children lists (`nextrev`, `_all_nextrev`) and the petgraph edges.
fn link(map: &mut RevisionMap) {
    for i in 0..map.revs.len() {
        let (down, all) = (map.revs[i].down_idx.clone(), map.revs[i].all_down());
        for d in all {
            map.revs[d].all_nextrev.push(i);
            if down.contains(&d) {
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
}

/// Heads and bases over every object, duplicates included (Alembic's OrderedSet of objects).
fn heads_and_bases(
    map: &mut RevisionMap,
    r: &Resolved,
    scripts: &[Script],
    index: &[Option<usize>],
) {
    for o in &r.objs {
        let Some(i) = index[o.pos] else {
            continue;
        };
        let is_winner = r.objs[r.winner[o.pos]].script == o.script;
        let rev = &map.revs[i];
        let s = &scripts[o.script];
        let (head, real_head) = if is_winner {
            (rev.is_head(), rev.is_real_head())
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
}

/// `_normalize_depends_on`: a dependency an ancestor already depends on is dropped; then
/// each revision's normalized down revisions. An ancestor that depends on `d` comes after
/// `d` in the topological order, so the walk up from a revision stops below its oldest
/// dependency (the whole history is not walked once per revision with dependencies).
fn normalize_dependencies(map: &mut RevisionMap, ranked: bool) {
    let n = map.revs.len();
    let mut stamp = vec![0u32; n];
    let mut stack: Vec<usize> = Vec::new();
    for i in 0..n {
        if map.revs[i].resolved_deps.is_empty() {
            continue;
        }
        let walk = i as u32 + 1;
        let floor = ranked.then(|| {
            map.revs[i]
                .resolved_deps
                .iter()
                .map(|&d| map.rank[d])
                .min()
                .unwrap_or(0)
        });
        let mut norm = map.revs[i].resolved_deps.clone();
        stack.clear();
        stack.extend_from_slice(&map.revs[i].down_idx);
        while let Some(a) = stack.pop() {
            if stamp[a] == walk || floor.is_some_and(|f| map.rank[a] <= f) {
                continue;
            }
            stamp[a] = walk;
            let ad = &map.revs[a].resolved_deps;
            if !ad.is_empty() {
                norm.retain(|d| !ad.contains(d));
            }
            stack.extend_from_slice(&map.revs[a].down_idx);
        }
        map.revs[i].normalized_deps = norm;
    }
    for r in map.revs.iter_mut() {
        r.norm_down = r.compute_norm_down();
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
