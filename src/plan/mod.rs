//! Layer 6, **plan**: which revisions run, in what order, and what each does to
//! `alembic_version`.
//!
//! A port of Alembic's `ScriptDirectory._upgrade_revs` / `_downgrade_revs` (the steps) and
//! `RevisionStep` + `HeadMaintainer` (the bookkeeping). Where Alembic picks from a Python
//! set (which parent row a merge keeps; which rows an unmerge re-inserts), the planner
//! keeps the order of the revision's `down_revision` (then `depends_on`); see
//! ARCHITECTURE.md, "Hash order".

use crate::graph::revmap::{AlembicFailure, RevisionMap};
use crate::graph::walk::{Arg, Node, RevError};

/// One statement on the version table.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum VersionOp {
    Insert { revision: String },
    Update { from: String, to: String },
    Delete { revision: String },
}

impl VersionOp {
    /// In words: `insert x`, `update a -> b` (with the given arrow), `delete y`.
    pub fn describe(&self, arrow: &str) -> String {
        match self {
            VersionOp::Insert { revision } => format!("insert {revision}"),
            VersionOp::Update { from, to } => format!("update {from} {arrow} {to}"),
            VersionOp::Delete { revision } => format!("delete {revision}"),
        }
    }
}

/// What a plan does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Upgrade,
    Downgrade,
    Stamp,
}

/// A plan asked for in Alembic's own syntax: `target` is what follows `alembic upgrade`
/// (`heads`, `ae10:+2`, `label@head`...). A `FROM:TO` target starts from `FROM`; otherwise
/// the plan starts from `current`, the rows a database is stamped at (empty: base).
pub fn request(
    map: &RevisionMap,
    direction: Direction,
    target: &str,
    current: &[String],
) -> Result<Plan, AlembicFailure> {
    let (start, dest) = match target.split_once(':') {
        Some((a, b)) => (vec![a.to_string()], b.to_string()),
        None => (current.to_vec(), target.to_string()),
    };
    let start = resolve_current(map, &start)?;
    match direction {
        Direction::Stamp => stamp_plan(map, std::slice::from_ref(&dest), &start),
        Direction::Upgrade => Ok(plan_steps(
            map,
            &start,
            &upgrade_steps(map, &dest, &start)?,
            true,
        )),
        Direction::Downgrade => Ok(plan_steps(
            map,
            &start,
            &downgrade_steps(map, &dest, &start)?,
            false,
        )),
    }
}

/// One migration step of a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanStep {
    /// Index of the revision in the map (none for a stamp step).
    pub rev: Option<usize>,
    pub upgrade: bool,
    /// A stamp step (`stamp_revision`): no migration code runs.
    pub stamp: bool,
    /// `from_revisions_no_deps` (what `-- Running upgrade A, B -> C` prints on the left).
    pub from: Vec<String>,
    /// `to_revisions_no_deps`.
    pub to: Vec<String>,
    /// No version row exists before this step (offline mode creates the table here).
    pub creates_version_table: bool,
    pub version_ops: Vec<VersionOp>,
}

impl PlanStep {
    /// `MigrationStep.short_log`: `upgrade A, B -> C`.
    pub fn short_log(&self) -> String {
        format!(
            "{} {} -> {}",
            if self.stamp {
                "stamp_revision"
            } else if self.upgrade {
                "upgrade"
            } else {
                "downgrade"
            },
            self.from.join(", "),
            self.to.join(", ")
        )
    }
}

/// A whole plan: the starting rows, the steps, and where Alembic itself would crash
/// during bookkeeping (the steps before it are still listed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub start: Vec<String>,
    /// The version rows after the last step.
    pub end: Vec<String>,
    pub steps: Vec<PlanStep>,
    pub failure: Option<AlembicFailure>,
}

/// An error of the step computation, as Alembic's command layer reports it.
pub fn command_failure(e: &RevError, end: &str, ancestor: &str) -> AlembicFailure {
    let msg = e.command_message(None, Some(end), Some(ancestor));
    if e.is_crash() {
        AlembicFailure::Crash(msg)
    } else {
        AlembicFailure::Command(msg)
    }
}

/// Resolves the revisions a database is stamped at (or an offline `starting_rev`), as
/// `MigrationContext.get_current_heads` does with `ScriptDirectory.get_revision`.
pub fn resolve_current(map: &RevisionMap, revs: &[String]) -> Result<Vec<String>, AlembicFailure> {
    let mut out = Vec::new();
    for r in revs {
        if r == "base" || r.is_empty() {
            continue;
        }
        match map.get_revision(&Arg::Str(r.clone())) {
            Ok(Some(i)) => out.push(map.rev(i).id.clone()),
            Ok(None) => {
                return Err(AlembicFailure::Crash(
                    "AttributeError: 'NoneType' object has no attribute 'revision'".into(),
                ))
            }
            Err(e) => {
                let msg = e.command_message(None, None, None);
                return Err(if e.is_crash() {
                    AlembicFailure::Crash(msg)
                } else {
                    AlembicFailure::Command(msg)
                });
            }
        }
    }
    Ok(out)
}

/// Building a `RevisionStep` reads the module's `upgrade`/`downgrade`: a revision without
/// the function makes Alembic fail before any step runs.
fn check_functions(
    map: &RevisionMap,
    steps: &[usize],
    upgrade: bool,
) -> Result<(), AlembicFailure> {
    for &i in steps {
        let s = map.script_of(i);
        let (has, name) = if upgrade {
            (s.has_upgrade, "upgrade")
        } else {
            (s.has_downgrade, "downgrade")
        };
        if !has {
            return Err(AlembicFailure::Crash(format!(
                "AttributeError: module '{}' has no attribute '{name}'",
                crate::script::module_name(&s.path)
            )));
        }
    }
    Ok(())
}

/// `_upgrade_revs(destination, current)`: the steps, oldest first.
pub fn upgrade_steps(
    map: &RevisionMap,
    destination: &str,
    current: &[String],
) -> Result<Vec<usize>, AlembicFailure> {
    let steps = map
        .iterate_upgrade(
            &Arg::s(destination),
            &Arg::Tuple(current.to_vec()),
            true,
            false,
            true,
        )
        .map(|mut v| {
            v.reverse();
            v
        })
        .map_err(|e| {
            command_failure(
                &e,
                destination,
                "Destination %(end)s is not a valid upgrade target from current head(s)",
            )
        })?;
    check_functions(map, &steps, true)?;
    Ok(steps)
}

/// `_downgrade_revs(destination, current)`: the steps, newest first.
pub fn downgrade_steps(
    map: &RevisionMap,
    destination: &str,
    current: &[String],
) -> Result<Vec<usize>, AlembicFailure> {
    let steps = map
        .iterate_downgrade(
            &Arg::Tuple(current.to_vec()),
            &Arg::s(destination),
            false,
            false,
            true,
        )
        .map_err(|e| {
            command_failure(
                &e,
                destination,
                "Destination %(end)s is not a valid downgrade target from current head(s)",
            )
        })?;
    check_functions(map, &steps, false)?;
    Ok(steps)
}

/// Alembic's `HeadMaintainer` over the version rows, kept in insertion order (each row's
/// slot in a hash map: plans over thousands of open branches look rows up constantly).
struct Heads<'m> {
    map: &'m RevisionMap,
    /// The rows in the order Alembic keeps them, each with its revision in the map (looked
    /// up once, when the row is written); a deleted row leaves its slot empty (the order of
    /// the others is the same as if it were removed, and finding a row is a lookup, not a
    /// scan: a graph of a thousand heads made every step scan them).
    slots: Vec<Option<(String, Option<usize>)>>,
    /// Each row's slot.
    at: std::collections::HashMap<String, usize>,
}

impl<'m> Heads<'m> {
    fn new(map: &'m RevisionMap, rows: &[String]) -> Heads<'m> {
        let mut h = Heads {
            map,
            slots: Vec::with_capacity(rows.len()),
            at: std::collections::HashMap::with_capacity(rows.len()),
        };
        for r in rows {
            // (a repeated row keeps its first slot, as the set of rows did)
            if !h.at.contains_key(r) {
                h.at.insert(r.clone(), h.slots.len());
            }
            h.slots.push(Some((r.clone(), map.lookup_key(r))));
        }
        h
    }
    /// The revisions of the rows other than `except`'s (a row the map does not know is
    /// left out).
    fn revisions_except(&self, except: &[String]) -> std::collections::HashSet<usize> {
        self.slots
            .iter()
            .flatten()
            .filter(|(s, _)| !except.contains(s))
            .filter_map(|(_, r)| *r)
            .collect()
    }
    fn contains(&self, r: &str) -> bool {
        self.at.contains_key(r)
    }
    /// The rows, in order.
    fn rows(&self) -> impl Iterator<Item = &String> {
        self.slots.iter().flatten().map(|(s, _)| s)
    }
    fn is_empty(&self) -> bool {
        self.rows().next().is_none()
    }
    fn into_rows(self) -> Vec<String> {
        self.slots.into_iter().flatten().map(|(s, _)| s).collect()
    }
    fn insert(&mut self, v: &str, ops: &mut Vec<VersionOp>) -> Result<(), AlembicFailure> {
        if self.contains(v) {
            return Err(AlembicFailure::Crash("AssertionError".into()));
        }
        self.at.insert(v.to_string(), self.slots.len());
        self.slots
            .push(Some((v.to_string(), self.map.lookup_key(v))));
        ops.push(VersionOp::Insert {
            revision: v.to_string(),
        });
        Ok(())
    }
    fn delete(&mut self, v: &str, ops: &mut Vec<VersionOp>) -> Result<(), AlembicFailure> {
        let Some(i) = self.at.remove(v) else {
            return Err(AlembicFailure::Crash(format!("KeyError: '{v}'")));
        };
        self.slots[i] = None;
        ops.push(VersionOp::Delete {
            revision: v.to_string(),
        });
        Ok(())
    }
    fn update(
        &mut self,
        from: &str,
        to: &str,
        ops: &mut Vec<VersionOp>,
    ) -> Result<(), AlembicFailure> {
        if self.contains(to) {
            return Err(AlembicFailure::Crash("AssertionError".into()));
        }
        let Some(i) = self.at.remove(from) else {
            return Err(AlembicFailure::Crash(format!("KeyError: '{from}'")));
        };
        self.slots[i] = Some((to.to_string(), self.map.lookup_key(to)));
        self.at.insert(to.to_string(), i);
        ops.push(VersionOp::Update {
            from: from.to_string(),
            to: to.to_string(),
        });
        Ok(())
    }
}

/// The members of `candidates` that are not ancestors of (nor equal to) any of `heads`,
/// in the candidates' order.
fn not_ancestors(map: &RevisionMap, heads: &[String], candidates: &[String]) -> Vec<String> {
    let h: Vec<usize> = heads.iter().filter_map(|x| map.lookup_key(x)).collect();
    let c: Vec<usize> = candidates
        .iter()
        .filter_map(|x| map.lookup_key(x))
        .collect();
    let hit = map.ancestors_among(&h, &c);
    candidates
        .iter()
        .zip(hit)
        .filter(|(_, hit)| !hit)
        .map(|(c, _)| c.clone())
        .collect()
}

/// What an upgrade plan has applied so far: a superset of the ancestors of the current
/// rows (it never shrinks during an upgrade), with the reverse of `_normalized_down_revisions`.
/// A revision is an ancestor of a row only through applied revisions, so "is this parent an
/// ancestor of another row?" is answered by a short upward walk instead of the full
/// ancestor set of every other row that Alembic computes.
struct Applied {
    applied: Vec<bool>,
    up: Vec<Vec<usize>>,
}

impl Applied {
    fn new(map: &RevisionMap, start: &[String]) -> Applied {
        let n = map.len();
        let mut up = vec![Vec::new(); n];
        for i in 0..n {
            for d in map.rev(i).normalized_down() {
                up[*d].push(i);
            }
        }
        let mut a = Applied {
            applied: vec![false; n],
            up,
        };
        let rows: Vec<usize> = start.iter().filter_map(|r| map.lookup_key(r)).collect();
        for r in rows {
            a.mark(map, r);
        }
        a
    }
    /// Marks `r` and its unapplied ancestors.
    fn mark(&mut self, map: &RevisionMap, r: usize) {
        let mut todo = vec![r];
        while let Some(x) = todo.pop() {
            if !self.applied[x] {
                self.applied[x] = true;
                todo.extend(map.rev(x).normalized_down());
            }
        }
    }
    /// Whether `f` is an ancestor of (or equal to) any revision in `others`.
    fn reaches(&self, f: usize, others: &std::collections::HashSet<usize>) -> bool {
        let mut seen = std::collections::HashSet::new();
        let mut todo = vec![f];
        while let Some(x) = todo.pop() {
            if others.contains(&x) {
                return true;
            }
            if !seen.insert(x) {
                continue;
            }
            todo.extend(self.up[x].iter().copied().filter(|u| self.applied[*u]));
        }
        false
    }
}

/// The bookkeeping of one step (`HeadMaintainer.update_to_step`).
fn update_to_step(
    map: &RevisionMap,
    heads: &mut Heads,
    rev: usize,
    upgrade: bool,
    ops: &mut Vec<VersionOp>,
    applied: Option<&Applied>,
) -> Result<(), AlembicFailure> {
    let r = map.rev(rev);
    let id = r.id.clone();
    let downs: Vec<String> = r
        .normalized_down()
        .iter()
        .map(|i| map.rev(*i).id.clone())
        .collect();
    let (from_revs, to_revs): (Vec<String>, Vec<String>) = if upgrade {
        (downs.clone(), vec![id.clone()])
    } else {
        (vec![id.clone()], downs.clone())
    };
    let unmerge_to = |heads: &Heads| -> Vec<String> {
        let others: Vec<String> = heads.rows().filter(|h| **h != id).cloned().collect();
        if !others.is_empty() {
            not_ancestors(map, &others, &to_revs)
        } else {
            // drop each target that is a strict ancestor of another target
            to_revs
                .iter()
                .filter(|t| {
                    let rest: Vec<String> = to_revs.iter().filter(|o| o != t).cloned().collect();
                    !rest.is_empty()
                        && not_ancestors(map, &rest, std::slice::from_ref(t)).len() == 1
                        || rest.is_empty()
                })
                .cloned()
                .collect()
        }
    };
    let in_heads = heads.contains(&id);
    let should_delete = !upgrade && in_heads && (downs.is_empty() || unmerge_to(heads).is_empty());
    let should_create = upgrade && (downs.is_empty() || !downs.iter().any(|d| heads.contains(d)));
    let should_merge =
        upgrade && downs.len() > 1 && downs.iter().filter(|d| heads.contains(d)).count() > 1;
    let should_unmerge = !upgrade && in_heads && downs.len() > 1;
    if should_delete {
        heads.delete(&id, ops)?;
    } else if should_create {
        heads.insert(&id, ops)?;
    } else if should_merge {
        // (the other rows' revisions as the rows hold them: a merge in a graph of a
        // thousand heads looked up every row again)
        let others = || -> Vec<String> {
            heads
                .rows()
                .filter(|h| !from_revs.contains(h))
                .cloned()
                .collect()
        };
        let from: Vec<String> = if heads.rows().all(|h| from_revs.contains(h)) {
            from_revs.clone()
        } else if let Some(a) = applied {
            let other_idx = heads.revisions_except(&from_revs);
            from_revs
                .iter()
                .filter(|f| {
                    map.lookup_key(f)
                        .is_none_or(|fi| !a.reaches(fi, &other_idx))
                })
                .cloned()
                .collect()
        } else {
            not_ancestors(map, &others(), &from_revs)
        };
        let Some((last, rest)) = from.split_last() else {
            return Err(AlembicFailure::Crash(
                "IndexError: list index out of range".into(),
            ));
        };
        for d in rest {
            heads.delete(d, ops)?;
        }
        heads.update(last, &to_revs[0], ops)?;
    } else if should_unmerge {
        let to = unmerge_to(heads);
        let Some((last, rest)) = to.split_last() else {
            return Err(AlembicFailure::Crash(
                "IndexError: tuple index out of range".into(),
            ));
        };
        for ins in rest {
            heads.insert(ins, ops)?;
        }
        heads.update(&from_revs[0], last, ops)?;
    } else {
        let down = if downs.len() == 1 {
            downs[0].clone()
        } else {
            let present: Vec<&String> = downs.iter().filter(|d| heads.contains(d)).collect();
            if present.len() != 1 {
                return Err(AlembicFailure::Crash(
                    "AssertionError: Can't do an UPDATE because downrevision is ambiguous".into(),
                ));
            }
            present[0].clone()
        };
        if upgrade {
            heads.update(&down, &id, ops)?;
        } else {
            heads.update(&id, &down, ops)?;
        }
    }
    Ok(())
}

/// Runs the bookkeeping over a list of steps from the given version rows.
pub fn plan_steps(map: &RevisionMap, start: &[String], steps: &[usize], upgrade: bool) -> Plan {
    let mut heads = Heads::new(map, start);
    let mut applied = upgrade.then(|| Applied::new(map, start));
    let mut plan = Plan {
        start: start.to_vec(),
        ..Plan::default()
    };
    for &rev in steps {
        let r = map.rev(rev);
        let creates = heads.is_empty();
        let (from, to) = if upgrade {
            (r.down.clone(), vec![r.id.clone()])
        } else {
            (vec![r.id.clone()], r.down.clone())
        };
        let mut step = PlanStep {
            rev: Some(rev),
            upgrade,
            stamp: false,
            from,
            to,
            creates_version_table: creates,
            version_ops: Vec::new(),
        };
        let result = update_to_step(
            map,
            &mut heads,
            rev,
            upgrade,
            &mut step.version_ops,
            applied.as_ref(),
        );
        if let Some(a) = applied.as_mut() {
            a.mark(map, rev);
        }
        plan.steps.push(step);
        if let Err(f) = result {
            plan.failure = Some(f);
            break;
        }
    }
    plan.end = heads.into_rows();
    plan
}

/// One `StampStep` of Alembic: rows `from` become rows `to`, no migration code runs.
struct Stamp {
    from: Vec<String>,
    to: Vec<String>,
    upgrade: bool,
    branch_move: bool,
}

/// `ScriptDirectory._stamp_revs(revision, heads)` and the bookkeeping of its steps:
/// stamping the version table at `destinations` from the `current` rows.
pub fn stamp_plan(
    map: &RevisionMap,
    destinations: &[String],
    current: &[String],
) -> Result<Plan, AlembicFailure> {
    let fail = |e: RevError| {
        let msg = match &e {
            RevError::MultipleHeads { .. } => {
                "Multiple heads are present; please specify a single target revision".to_string()
            }
            other => other.command_message(None, None, None),
        };
        if e.is_crash() {
            AlembicFailure::Crash(msg)
        } else {
            AlembicFailure::Command(msg)
        }
    };
    let mut head_revs: Vec<usize> = Vec::new();
    for n in map
        .get_revisions(&Arg::Tuple(current.to_vec()))
        .map_err(fail)?
    {
        if let Some(Node::Rev(i)) = n {
            head_revs.push(i);
        }
    }
    let destinations: Vec<String> = if destinations.is_empty() {
        vec!["base".into()]
    } else {
        destinations.to_vec()
    };
    let mut filtered: Vec<usize> = Vec::new();
    for d in &destinations {
        if d.is_empty() {
            continue;
        }
        for h in map
            .filter_for_lineage(&head_revs, &Arg::Str(d.clone()), true)
            .map_err(fail)?
        {
            if !filtered.contains(&h) {
                filtered.push(h);
            }
        }
    }
    let mut dests: Vec<Option<usize>> = Vec::new();
    for n in map
        .get_revisions(&Arg::Tuple(destinations.clone()))
        .map_err(fail)?
    {
        dests.push(match n {
            Some(Node::Rev(i)) => Some(i),
            _ => None,
        });
    }
    if dests.is_empty() {
        dests.push(None);
    }
    let ids = |v: &[usize]| -> Vec<String> { v.iter().map(|i| map.rev(*i).id.clone()).collect() };
    let mut stamps: Vec<Stamp> = Vec::new();
    for dest in dests {
        let Some(dest) = dest else {
            for h in &filtered {
                stamps.push(Stamp {
                    from: vec![map.rev(*h).id.clone()],
                    to: vec![],
                    upgrade: false,
                    branch_move: true,
                });
            }
            continue;
        };
        if filtered.contains(&dest) {
            continue;
        }
        let desc: std::collections::HashSet<usize> =
            map.descendants(&[dest], true).into_iter().collect();
        let anc: std::collections::HashSet<usize> =
            map.ancestors(&[dest], true).into_iter().collect();
        let id = map.rev(dest).id.clone();
        if filtered.iter().any(|h| desc.contains(h)) {
            stamps.push(Stamp {
                from: ids(&filtered),
                to: vec![id],
                upgrade: false,
                branch_move: false,
            });
        } else if filtered.iter().any(|h| anc.contains(h)) {
            stamps.push(Stamp {
                from: ids(&filtered),
                to: vec![id],
                upgrade: true,
                branch_move: false,
            });
        } else {
            stamps.push(Stamp {
                from: vec![],
                to: vec![id],
                upgrade: true,
                branch_move: true,
            });
        }
    }
    let mut heads = Heads::new(map, current);
    let mut plan = Plan {
        start: current.to_vec(),
        ..Plan::default()
    };
    for st in stamps {
        let mut step = PlanStep {
            rev: None,
            upgrade: st.upgrade,
            stamp: true,
            from: st.from.clone(),
            to: st.to.clone(),
            creates_version_table: heads.is_empty(),
            version_ops: Vec::new(),
        };
        let result = stamp_update(&mut heads, &st, &mut step.version_ops);
        plan.steps.push(step);
        if let Err(f) = result {
            plan.failure = Some(f);
            break;
        }
    }
    plan.end = heads.into_rows();
    Ok(plan)
}

/// `HeadMaintainer.update_to_step` for a `StampStep`.
fn stamp_update(
    heads: &mut Heads,
    st: &Stamp,
    ops: &mut Vec<VersionOp>,
) -> Result<(), AlembicFailure> {
    let assertion = || AlembicFailure::Crash("AssertionError".into());
    let should_delete = !st.upgrade && st.branch_move;
    let should_create = st.upgrade
        && (st.branch_move || st.from.iter().any(|f| !heads.contains(f)))
        && st.to.iter().any(|t| !heads.contains(t));
    if should_delete {
        if st.from.len() != 1 {
            return Err(assertion());
        }
        heads.delete(&st.from[0], ops)
    } else if should_create {
        if st.to.len() != 1 {
            return Err(assertion());
        }
        heads.insert(&st.to[0], ops)
    } else if st.from.len() > 1 {
        let (last, rest) = st.from.split_last().expect("len > 1");
        for d in rest {
            heads.delete(d, ops)?;
        }
        heads.update(last, &st.to[0], ops)
    } else if st.to.len() > 1 {
        let (last, rest) = st.to.split_last().expect("len > 1");
        for i in rest {
            heads.insert(i, ops)?;
        }
        heads.update(&st.from[0], last, ops)
    } else {
        if st.from.len() != 1 || st.to.len() != 1 {
            return Err(assertion());
        }
        heads.update(&st.from[0], &st.to[0], ops)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The version table's rows keep Alembic's order (`plan --format` prints them as the
    /// plan's end): an updated row stays where it was, a deleted one leaves the others in
    /// order, an inserted one comes last; a row not there is Alembic's KeyError.
    #[test]
    fn version_rows_keep_their_order() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let mut ops = Vec::new();
        let map = RevisionMap::default();
        let mut h = Heads::new(&map, &s(&["a", "b", "c"]));
        h.update("b", "x", &mut ops).unwrap();
        h.delete("a", &mut ops).unwrap();
        h.insert("y", &mut ops).unwrap();
        h.update("c", "z", &mut ops).unwrap();
        assert!(!h.is_empty());
        assert!(h.contains("x") && !h.contains("b"));
        assert_eq!(
            h.insert("x", &mut ops),
            Err(AlembicFailure::Crash("AssertionError".into()))
        );
        assert_eq!(
            h.delete("b", &mut ops),
            Err(AlembicFailure::Crash("KeyError: 'b'".into()))
        );
        assert_eq!(h.rows().cloned().collect::<Vec<_>>(), s(&["x", "z", "y"]));
        assert_eq!(h.into_rows(), s(&["x", "z", "y"]));
        assert_eq!(ops.len(), 4);
        let mut h = Heads::new(&map, &s(&["a"]));
        h.delete("a", &mut ops).unwrap();
        assert!(h.is_empty());
    }
}
