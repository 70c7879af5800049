//! Resolving revision identifiers and collecting the revisions of a range, as Alembic's
//! `RevisionMap.get_revisions`, `_walk`, `_parse_*_target`, `_collect_*_revisions` and
//! `_topological_sort` do. Every error carries the text Alembic would print.

use std::collections::HashSet;

use crate::graph::revmap::RevisionMap;

/// A resolved target: a revision, or the symbolic "base".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Node {
    Rev(usize),
    Base,
}

/// Alembic's revision errors, with what the command layer would print for each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RevError {
    /// `RangeNotAncestorError(lower, upper)`.
    RangeNotAncestor {
        lower: Option<String>,
        upper: Option<String>,
    },
    /// `MultipleHeads(heads, argument)`.
    MultipleHeads {
        heads: Vec<String>,
        argument: String,
    },
    /// `ResolutionError(message, argument)`.
    Resolution { message: String, argument: String },
    /// Any other `RevisionError`.
    Revision(String),
    /// Alembic would die with an uncaught exception (traceback, exit status 1).
    Crash(String),
}

impl RevError {
    /// The `CommandError` text Alembic's `_catch_revision_errors` turns this into.
    pub fn command_message(
        &self,
        start: Option<&str>,
        end: Option<&str>,
        ancestor: Option<&str>,
    ) -> String {
        match self {
            RevError::RangeNotAncestor { lower, upper } => {
                let start = start
                    .map(String::from)
                    .or_else(|| lower.clone())
                    .unwrap_or_else(|| "None".into());
                let end = end
                    .map(String::from)
                    .or_else(|| upper.clone())
                    .unwrap_or_else(|| "None".into());
                match ancestor {
                    Some(t) => t.replace("%(start)s", &start).replace("%(end)s", &end),
                    None => format!("Requested range {start}:{end} does not refer to ancestor/descendant revisions along the same branch"),
                }
            }
            RevError::MultipleHeads { argument, .. } => {
                let arg = end.unwrap_or(argument);
                format!("Multiple head revisions are present for given argument '{arg}'; please specify a specific target revision, '<branchname>@{arg}' to narrow to a specific head, or 'heads' for all heads")
            }
            RevError::Resolution { argument, .. } => {
                format!("Can't locate revision identified by '{argument}'")
            }
            RevError::Revision(m) | RevError::Crash(m) => m.clone(),
        }
    }

    pub fn is_crash(&self) -> bool {
        matches!(self, RevError::Crash(_))
    }
}

pub type R<T> = Result<T, RevError>;

/// An argument as Alembic's functions take it: a string, a tuple of strings, or None.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    None,
    Str(String),
    Tuple(Vec<String>),
}

impl Arg {
    pub fn s(v: &str) -> Arg {
        Arg::Str(v.to_string())
    }
}

/// The parts of `_relative_destination = (?:(.+?)@)?(\w+)?((?:\+|-)\d+)` (re.match).
pub fn match_relative(s: &str) -> Option<(Option<String>, Option<String>, String)> {
    fn tail(s: &str) -> Option<(Option<String>, String)> {
        let word_end = s
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
            .map(|(i, _)| i)
            .unwrap_or(s.len());
        let symbol = &s[..word_end];
        let rest = &s[word_end..];
        let mut chars = rest.chars();
        let sign = chars.next()?;
        if sign != '+' && sign != '-' {
            return None;
        }
        let digits: String = rest[1..]
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if digits.is_empty() {
            return None;
        }
        Some((
            (!symbol.is_empty()).then(|| symbol.to_string()),
            format!("{sign}{digits}"),
        ))
    }
    for (i, c) in s.char_indices() {
        if c == '@' && i > 0 {
            if let Some((sym, rel)) = tail(&s[i + 1..]) {
                return Some((Some(s[..i].to_string()), sym, rel));
            }
        }
    }
    tail(s).map(|(sym, rel)| (None, sym, rel))
}

/// Python's `int(s)` for the forms revision arguments use.
fn py_int(s: &str) -> Option<i64> {
    let t = s.trim();
    let (neg, body) = match t.as_bytes().first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    if body.is_empty() || body.starts_with('_') || body.ends_with('_') || body.contains("__") {
        return None;
    }
    if !body.chars().all(|c| c.is_ascii_digit() || c == '_') {
        return None;
    }
    let v: i64 = body.replace('_', "").parse().ok()?;
    Some(if neg { -v } else { v })
}

impl RevisionMap {
    /// Revisions newest first, in Alembic's `history` order (every revision once, even in a
    /// graph Alembic refuses: then newest file first).
    pub fn history_order(&self) -> Vec<usize> {
        self.history
            .get_or_init(|| {
                match self.iterate_upgrade(&Arg::s("heads"), &Arg::s("base"), false, true, false) {
                    Ok(order) if order.len() == self.len() => order,
                    _ => (0..self.len()).rev().collect(),
                }
            })
            .clone()
    }

    fn ids_of(&self, v: &[usize]) -> Vec<String> {
        v.iter().map(|i| self.revs[*i].id.clone()).collect()
    }

    /// `_resolve_revision_number`.
    fn resolve_number(&self, id: &Arg) -> R<(Vec<String>, Option<String>)> {
        let (label, id) = match id {
            Arg::Str(s) if s.contains('@') => {
                let (l, r) = s.split_once('@').unwrap();
                (Some(l.to_string()), Arg::Str(r.to_string()))
            }
            other => (None, other.clone()),
        };
        match &id {
            Arg::Str(s) if s == "heads" => {
                if let Some(l) = &label {
                    Ok((
                        self.filter_for_lineage_ids(&self.heads, &Arg::s(l), false)?,
                        label,
                    ))
                } else {
                    Ok((self.real_heads.clone(), label))
                }
            }
            Arg::Str(s) if s == "head" => {
                let h = self.current_head(label.as_deref())?;
                Ok((h.into_iter().collect(), label))
            }
            Arg::Str(s) if s == "base" => Ok((vec![], label)),
            Arg::None => Ok((vec![], label)),
            Arg::Str(s) => Ok((vec![s.clone()], label)),
            Arg::Tuple(v) => Ok((v.clone(), label)),
        }
    }

    /// `get_current_head`.
    pub fn current_head(&self, label: Option<&str>) -> R<Option<String>> {
        let heads = match label {
            Some(l) => self.filter_for_lineage_ids(&self.heads, &Arg::s(l), false)?,
            None => self.heads.clone(),
        };
        if heads.len() > 1 {
            return Err(RevError::MultipleHeads {
                argument: match label {
                    Some(l) => format!("{l}@head"),
                    None => "head".into(),
                },
                heads,
            });
        }
        Ok(heads.into_iter().next())
    }

    /// `get_revisions` for one string or tuple argument.
    pub fn get_revisions(&self, id: &Arg) -> R<Vec<Option<Node>>> {
        if let Arg::Tuple(v) = id {
            let mut out = Vec::new();
            for x in v {
                out.extend(self.get_revisions(&Arg::Str(x.clone()))?);
            }
            return Ok(out);
        }
        let (resolved, label) = self.resolve_number(id)?;
        if resolved.len() == 1 {
            if let Some(rint) = py_int(&resolved[0]) {
                if rint < 0 {
                    let mut heads = self.get_revisions(&Arg::s("heads"))?;
                    if let Some(l) = &label {
                        heads.retain(|h| matches!(h, Some(Node::Rev(i)) if self.has_label(*i, l)));
                    }
                    let mut out = Vec::new();
                    for h in heads {
                        out.push(self.walk(h, rint, None, true)?);
                    }
                    return Ok(out);
                }
            }
        }
        let mut out = Vec::new();
        for r in resolved {
            out.push(
                self.revision_for_ident(Some(&r), label.as_deref())?
                    .map(Node::Rev),
            );
        }
        Ok(out)
    }

    /// `get_revision`: one revision (or none for base); several heads are an error.
    pub fn get_revision(&self, id: &Arg) -> R<Option<usize>> {
        let (resolved, label) = self.resolve_number(id)?;
        if resolved.len() > 1 {
            return Err(RevError::MultipleHeads {
                heads: resolved,
                argument: match id {
                    Arg::Str(s) => s.clone(),
                    Arg::None => "None".into(),
                    Arg::Tuple(v) => format!("{v:?}"),
                },
            });
        }
        match resolved.first() {
            Some(r) => self.revision_for_ident(Some(r), label.as_deref()),
            None => self.revision_for_ident(None, label.as_deref()),
        }
    }

    fn resolve_branch(&self, label: &str) -> R<Option<usize>> {
        if let Some(i) = self.lookup_key(label) {
            return Ok(Some(i));
        }
        self.revision_for_ident(Some(label), None)
            .map_err(|e| match e {
                RevError::Resolution { .. } => RevError::Resolution {
                    message: format!("No such branch: '{label}'"),
                    argument: label.to_string(),
                },
                other => other,
            })
    }

    /// `_revision_for_ident`: exact key, else a unique prefix (of more than 3 characters).
    pub fn revision_for_ident(
        &self,
        id: Option<&str>,
        check_branch: Option<&str>,
    ) -> R<Option<usize>> {
        let branch_rev = match check_branch {
            Some(b) if !b.is_empty() => self.resolve_branch(b)?,
            _ => None,
        };
        let Some(id) = id else {
            return Ok(None);
        };
        let revision = match self.lookup_key(id) {
            Some(i) => i,
            None => {
                let mut revs: Vec<String> = self
                    .keys()
                    .filter(|(k, _)| k.chars().count() > 3 && k.starts_with(id))
                    .map(|(k, _)| k.to_string())
                    .collect();
                if branch_rev.is_some() {
                    revs =
                        self.filter_for_lineage_ids(&revs, &Arg::s(check_branch.unwrap()), false)?;
                }
                if revs.is_empty() {
                    let hint = if id.chars().count() < 4 {
                        "; please ensure at least four characters are present for partial revision identifier matches"
                    } else {
                        ""
                    };
                    return Err(RevError::Resolution {
                        message: format!("No such revision or branch '{id}'{hint}"),
                        argument: id.to_string(),
                    });
                } else if revs.len() > 1 {
                    let first: Vec<String> =
                        revs.iter().take(3).map(|r| format!("'{r}'")).collect();
                    return Err(RevError::Resolution {
                        message: format!(
                            "Multiple revisions start with '{id}': {}...",
                            first.join(", ")
                        ),
                        argument: id.to_string(),
                    });
                }
                self.lookup_key(&revs[0]).unwrap()
            }
        };
        if let (Some(b), Some(br)) = (check_branch.filter(|b| !b.is_empty()), branch_rev) {
            if !self.shares_lineage(revision, &[br], false) {
                return Err(RevError::Resolution {
                    message: format!(
                        "Revision {} is not a member of branch '{b}'",
                        self.revs[revision].id
                    ),
                    argument: id.to_string(),
                });
            }
        }
        Ok(Some(revision))
    }

    fn shares_lineage(&self, target: usize, against: &[usize], include_dependencies: bool) -> bool {
        if against.is_empty() {
            return true;
        }
        let mut rel: HashSet<usize> = self
            .descendants(&[target], include_dependencies)
            .into_iter()
            .collect();
        rel.extend(self.ancestors(&[target], include_dependencies));
        against.iter().any(|a| rel.contains(a))
    }

    /// `filter_for_lineage` over revision ids.
    pub fn filter_for_lineage_ids(
        &self,
        targets: &[String],
        check_against: &Arg,
        include_dependencies: bool,
    ) -> R<Vec<String>> {
        let nodes: Vec<usize> = targets.iter().filter_map(|t| self.lookup_key(t)).collect();
        let kept = self.filter_for_lineage(&nodes, check_against, include_dependencies)?;
        // keep the original strings (ids may repeat)
        Ok(targets
            .iter()
            .filter(|t| self.lookup_key(t).is_some_and(|i| kept.contains(&i)))
            .cloned()
            .collect())
    }

    /// `filter_for_lineage` over revisions.
    pub fn filter_for_lineage(
        &self,
        targets: &[usize],
        check_against: &Arg,
        include_dependencies: bool,
    ) -> R<Vec<usize>> {
        let (ids, label) = self.resolve_number(check_against)?;
        let mut shares: Vec<String> = Vec::new();
        if let Some(l) = label {
            shares.push(l);
        }
        shares.extend(ids);
        if shares.is_empty() {
            return Ok(targets.to_vec());
        }
        let mut against = Vec::new();
        for s in &shares {
            if let Some(i) = self.revision_for_ident(Some(s), None)? {
                against.push(i);
            }
        }
        Ok(targets
            .iter()
            .copied()
            .filter(|t| self.shares_lineage(*t, &against, include_dependencies))
            .collect())
    }

    /// `_walk`: `steps` up (positive) or down (negative) from `start` (None = below the bases).
    pub fn walk(
        &self,
        start: Option<Node>,
        steps: i64,
        branch_label: Option<&str>,
        no_overwalk: bool,
    ) -> R<Option<Node>> {
        let mut initial = start;
        for _ in 0..steps.unsigned_abs() {
            let children: Vec<Option<Node>> = if steps > 0 {
                let ids: Vec<String> = match initial {
                    Some(Node::Base) => return Err(RevError::Crash("AssertionError".into())),
                    None => self.bases.clone(),
                    Some(Node::Rev(i)) => self.ids_of(&self.revs[i].nextrev),
                };
                let mut walk_up = Vec::new();
                for n in self.get_revisions(&Arg::Tuple(ids))? {
                    match n {
                        Some(Node::Rev(i)) => walk_up.push(i),
                        _ => return Err(RevError::Crash("AssertionError".into())),
                    }
                }
                let filtered = match branch_label {
                    Some(l) => self.filter_for_lineage(&walk_up, &Arg::s(l), false)?,
                    None => walk_up,
                };
                filtered.into_iter().map(|i| Some(Node::Rev(i))).collect()
            } else {
                match initial {
                    Some(Node::Base) => vec![],
                    _ => {
                        let arg = match initial {
                            None => Arg::Tuple(self.heads.clone()),
                            Some(Node::Rev(i)) => {
                                let d = &self.revs[i].down;
                                match d.len() {
                                    0 => Arg::None,
                                    1 => Arg::Str(d[0].clone()),
                                    _ => Arg::Tuple(d.clone()),
                                }
                            }
                            Some(Node::Base) => unreachable!(),
                        };
                        let c = self.get_revisions(&arg)?;
                        if c.is_empty() {
                            vec![Some(Node::Base)]
                        } else {
                            c
                        }
                    }
                }
            };
            if children.is_empty() {
                return Ok(if no_overwalk { None } else { initial });
            } else if children.len() > 1 {
                return Err(RevError::Revision("Ambiguous walk".into()));
            }
            initial = children[0];
        }
        Ok(initial)
    }

    fn node_of(&self, r: Option<usize>) -> Option<Node> {
        r.map(Node::Rev)
    }

    /// `_parse_downgrade_target`: (branch label, target; None = base).
    pub fn parse_downgrade_target(
        &self,
        current: &Arg,
        target: &Arg,
        assert_relative_length: bool,
    ) -> R<(Option<String>, Option<Node>)> {
        let t = match target {
            Arg::None => return Ok((None, None)),
            Arg::Str(s) => s.clone(),
            Arg::Tuple(_) => {
                return Err(RevError::Crash(
                    "AssertionError: Expected downgrade target in string form".into(),
                ))
            }
        };
        if let Some((branch_label, symbol, relative)) = match_relative(&t) {
            let rel_int: i64 = relative.parse().unwrap_or(0);
            if rel_int >= 0 {
                if symbol.is_none() {
                    return Err(RevError::Revision(format!(
                        "Relative revision {relative} didn't produce {} migrations",
                        rel_int.abs()
                    )));
                }
                let start = self.node_of(self.get_revision(&Arg::Str(symbol.unwrap()))?);
                let rev = self.walk(
                    start,
                    rel_int,
                    branch_label.as_deref(),
                    assert_relative_length,
                )?;
                return match rev {
                    None => Err(RevError::Revision("Walked too far".into())),
                    Some(r) => Ok((branch_label, Some(r))),
                };
            }
            let relative_revision = symbol.is_none();
            let mut branch_label = branch_label;
            let symbol = if relative_revision {
                if let Some(l) = &branch_label {
                    let cr = to_tuple(current);
                    let mut list = self.filter_for_lineage_ids(&cr, &Arg::s(l), false)?;
                    if list.is_empty() {
                        let all = self.get_all_current(&cr)?;
                        let kept = self.filter_for_lineage(&all, &Arg::s(l), false)?;
                        list = self.ids_of(&kept);
                    }
                    if list.len() != 1 {
                        return Err(RevError::Crash("AssertionError".into()));
                    }
                    list.remove(0)
                } else {
                    let cr = to_tuple(current);
                    if cr.is_empty() {
                        return Err(RevError::Revision(format!(
                            "Relative revision {relative} didn't produce {} migrations",
                            rel_int.abs()
                        )));
                    }
                    let s = cr[0].clone();
                    branch_label = Some(s.clone());
                    s
                }
            } else {
                symbol.unwrap()
            };
            let start = match &branch_label {
                None => self.get_revision(&Arg::Str(symbol))?,
                Some(l) => self.get_revision(&Arg::Str(format!("{l}@{symbol}")))?,
            };
            let rev = self.walk(self.node_of(start), rel_int, None, assert_relative_length)?;
            return match rev {
                None if relative_revision => Err(RevError::Revision(format!(
                    "Relative revision {relative} didn't produce {} migrations",
                    rel_int.abs()
                ))),
                None => Err(RevError::Revision("Walked too far".into())),
                Some(r) => Ok((branch_label, Some(r))),
            };
        }
        let (label, symbol) = match t.rfind('@') {
            Some(i) => (
                Some(t[..i].to_string()).filter(|l| !l.is_empty()),
                t[i + 1..].to_string(),
            ),
            None => (None, t.clone()),
        };
        Ok((label, self.node_of(self.get_revision(&Arg::Str(symbol))?)))
    }

    /// `_parse_upgrade_target`.
    pub fn parse_upgrade_target(
        &self,
        current: &Arg,
        target: &Arg,
        assert_relative_length: bool,
    ) -> R<Vec<Option<Node>>> {
        let m = match target {
            Arg::Str(s) => match_relative(s),
            _ => None,
        };
        let Some((branch_label, symbol, relative_str)) = m else {
            return self.get_revisions(target);
        };
        let relative: i64 = relative_str.parse().unwrap_or(0);
        if relative > 0 {
            if let Some(symbol) = symbol {
                let start = self.node_of(self.get_revision(&Arg::Str(symbol))?);
                return Ok(vec![self.walk(
                    start,
                    relative,
                    branch_label.as_deref(),
                    assert_relative_length,
                )?]);
            }
            let mut cur: Vec<Option<String>> = to_tuple(current).into_iter().map(Some).collect();
            if cur.is_empty() {
                cur = vec![None];
            }
            let mut start_revs: Vec<Option<usize>>;
            if let Some(l) = &branch_label {
                let mut nodes = Vec::new();
                for c in cur.iter().flatten() {
                    for n in self.get_revisions(&Arg::Str(c.clone()))? {
                        if let Some(Node::Rev(i)) = n {
                            nodes.push(i);
                        }
                    }
                }
                start_revs = self
                    .filter_for_lineage(&nodes, &Arg::s(l), false)?
                    .into_iter()
                    .map(Some)
                    .collect();
                if start_revs.is_empty() {
                    let anc = self.ancestors(&nodes, true);
                    let active = self.filter_for_lineage(&anc, &Arg::s(l), false)?;
                    let downs: HashSet<usize> = active
                        .iter()
                        .flat_map(|r| self.revs[*r].normalized_down().iter().copied())
                        .collect();
                    start_revs = active
                        .iter()
                        .copied()
                        .filter(|r| !downs.contains(r))
                        .map(Some)
                        .collect();
                    if start_revs.is_empty() {
                        start_revs = vec![None];
                    }
                }
            } else {
                start_revs = Vec::new();
                for c in &cur {
                    match c {
                        None => start_revs.push(None),
                        Some(c) => start_revs.push(self.get_revision(&Arg::Str(c.clone()))?),
                    }
                }
            }
            if start_revs.len() > 1 {
                return Err(RevError::Revision(
                    "Ambiguous upgrade from multiple current revisions".into(),
                ));
            }
            let rev = self.walk(
                self.node_of(start_revs[0]),
                relative,
                branch_label.as_deref(),
                assert_relative_length,
            )?;
            return match rev {
                None => Err(RevError::Revision(format!(
                    "Relative revision {relative_str} didn't produce {} migrations",
                    relative.abs()
                ))),
                Some(r) => Ok(vec![Some(r)]),
            };
        }
        let Some(symbol) = symbol else {
            return Err(RevError::Revision(format!(
                "Relative revision {relative} didn't produce {} migrations",
                relative.abs()
            )));
        };
        let start = match &branch_label {
            None => self.get_revision(&Arg::Str(symbol))?,
            Some(l) => self.get_revision(&Arg::Str(format!("{l}@{symbol}")))?,
        };
        Ok(vec![self.walk(
            self.node_of(start),
            relative,
            None,
            assert_relative_length,
        )?])
    }

    fn get_all_current(&self, ids: &[String]) -> R<Vec<usize>> {
        let mut top: Vec<usize> = Vec::new();
        for n in self.get_revisions(&Arg::Tuple(ids.to_vec()))? {
            if let Some(Node::Rev(i)) = n {
                top.push(i);
            }
        }
        let mut all: Vec<usize> = top.clone();
        for a in self.ancestors(&top, true) {
            if !all.contains(&a) {
                all.push(a);
            }
        }
        let set: HashSet<usize> = all.iter().copied().collect();
        Ok(all
            .iter()
            .copied()
            .filter(|r| {
                !self
                    .descendants(&[*r], false)
                    .iter()
                    .any(|d| d != r && set.contains(d))
            })
            .collect())
    }

    /// `_iterate_related_revisions(check=True)` overlap test on ancestors.
    fn ancestors_checked(&self, targets: &[usize]) -> R<Vec<usize>> {
        let mut seen = vec![false; self.revs.len()];
        let mut is_target = vec![false; self.revs.len()];
        for &t in targets {
            is_target[t] = true;
        }
        let mut out = Vec::new();
        let mut per_target: Vec<usize> = Vec::new();
        for &t in targets {
            // What this target's walk reached (a revision already seen stops it): with many
            // targets (every head of a wide graph) the overlap test is a lookup per revision
            // reached, not a scan of every target.
            per_target.clear();
            let mut todo = vec![t];
            while let Some(r) = todo.pop() {
                per_target.push(r);
                if seen[r] {
                    continue;
                }
                seen[r] = true;
                todo.extend(self.revs[r].normalized_down());
                out.push(r);
            }
            if !per_target.iter().any(|x| *x != t && is_target[*x]) {
                continue;
            }
            let reached: HashSet<usize> = per_target.iter().copied().collect();
            let overlaps: Vec<String> = targets
                .iter()
                .filter(|x| **x != t && reached.contains(x))
                .map(|x| self.revs[*x].id.clone())
                .collect();
            if !overlaps.is_empty() {
                return Err(RevError::Revision(format!(
                    "Requested revision {} overlaps with other requested revisions {}",
                    self.revs[t].id,
                    overlaps.join(", ")
                )));
            }
        }
        Ok(out)
    }

    /// `_collect_upgrade_revisions`: (revisions needed, targets).
    pub fn collect_upgrade(
        &self,
        upper: &Arg,
        lower: &Arg,
        inclusive: bool,
        implicit_base: bool,
        assert_relative_length: bool,
    ) -> R<(HashSet<usize>, Vec<usize>)> {
        let mut targets: Vec<usize> = Vec::new();
        for t in self.parse_upgrade_target(lower, upper, assert_relative_length)? {
            match t {
                Some(Node::Rev(i)) => targets.push(i),
                _ => return Err(RevError::Crash("AssertionError".into())),
            }
        }
        if let Arg::Str(l) = lower {
            if let Some((branch, _)) = l.split_once('@') {
                let mut branch = branch.to_string();
                let branch_rev = self.get_revision(&Arg::Str(branch.clone()))?;
                if let Some(b) = branch_rev {
                    if self.revs[b].id == branch {
                        let labels = self.labels(b);
                        if labels.len() != 1 {
                            return Err(RevError::Crash("AssertionError".into()));
                        }
                        branch = labels[0].to_string();
                    }
                }
                targets.retain(|t| self.has_label(*t, &branch));
            }
        }
        let mut required: HashSet<usize> = self.ancestors_checked(&targets)?.into_iter().collect();
        required.extend(targets.iter().copied());

        let mut current = self.get_revisions(lower)?;
        if !implicit_base
            && current
                .iter()
                .any(|c| matches!(c, Some(Node::Rev(i)) if !required.contains(i)))
        {
            return Err(RevError::RangeNotAncestor {
                lower: arg_text(lower),
                upper: arg_text(upper),
            });
        }
        let mut lower = lower.clone();
        if matches!(current.first(), Some(None)) {
            let (_, rev) = self.parse_downgrade_target(upper, &lower, assert_relative_length)?;
            match rev {
                None => return Err(RevError::Crash("AssertionError".into())),
                Some(Node::Base) => {
                    current = vec![];
                    lower = Arg::None;
                }
                Some(Node::Rev(i)) => {
                    current = vec![Some(Node::Rev(i))];
                    lower = Arg::Str(self.revs[i].id.clone());
                }
            }
        }
        let mut cur_nodes: Vec<usize> = Vec::new();
        for c in &current {
            match c {
                Some(Node::Rev(i)) => cur_nodes.push(*i),
                Some(Node::Base) => return Err(RevError::Crash(
                    "AttributeError: 'str' object has no attribute '_normalized_down_revisions'"
                        .into(),
                )),
                None => {}
            }
        }
        let mut current_set: HashSet<usize> =
            self.ancestors_checked(&cur_nodes)?.into_iter().collect();
        current_set.extend(cur_nodes.iter().copied());
        let mut needs: HashSet<usize> = required.difference(&current_set).copied().collect();
        if inclusive {
            for n in self.get_revisions(&lower)? {
                match n {
                    Some(Node::Rev(i)) => {
                        needs.insert(i);
                    }
                    _ => return Err(RevError::Crash("AssertionError".into())),
                }
            }
        }
        if !cur_nodes.is_empty() && !implicit_base {
            let desc: HashSet<usize> = self.descendants(&cur_nodes, false).into_iter().collect();
            needs.retain(|n| desc.contains(n));
        }
        Ok((needs, targets))
    }

    /// `_collect_downgrade_revisions`: (revisions to drop, current heads).
    pub fn collect_downgrade(
        &self,
        upper: &Arg,
        lower: &Arg,
        inclusive: bool,
        implicit_base: bool,
        assert_relative_length: bool,
    ) -> R<(HashSet<usize>, Vec<usize>)> {
        let (branch_label, target) =
            self.parse_downgrade_target(upper, lower, assert_relative_length)?;
        let target = match target {
            Some(Node::Base) | None => None,
            Some(Node::Rev(i)) => Some(i),
        };
        let mut roots: Vec<usize> = match target {
            None => (0..self.revs.len())
                .filter(|i| self.revs[*i].down.is_empty())
                .collect(),
            Some(t) if inclusive => vec![t],
            Some(t) => {
                let mut v = Vec::new();
                for n in self.get_revisions(&Arg::Tuple(self.ids_of(&self.revs[t].nextrev)))? {
                    match n {
                        Some(Node::Rev(i)) => v.push(i),
                        _ => return Err(RevError::Crash("AssertionError".into())),
                    }
                }
                v
            }
        };
        if let Some(label) = &branch_label {
            if roots.len() > 1 {
                let branch = self.resolve_branch(label)?;
                let ancestors: HashSet<usize> = match branch {
                    Some(b) => self.ancestors(&[b], false).into_iter().collect(),
                    None => HashSet::new(),
                };
                roots.retain(|r| ancestors.contains(r));
                if roots.is_empty() {
                    return Err(RevError::Revision(
                        "Not a valid downgrade target from current heads".into(),
                    ));
                }
            }
        }
        let mut heads: Vec<usize> = Vec::new();
        for n in self.get_revisions(upper)? {
            match n {
                Some(Node::Rev(i)) => heads.push(i),
                Some(Node::Base) => {}
                None => return Err(RevError::Crash("AttributeError: 'NoneType' object has no attribute '_normalized_down_revisions'".into())),
            }
        }
        let mut drop: HashSet<usize> = self.descendants(&roots, true).into_iter().collect();
        let active: HashSet<usize> = self.ancestors(&heads, true).into_iter().collect();
        drop.retain(|r| active.contains(r));
        if implicit_base {
            let keep: HashSet<usize> = self.ancestors(&roots, true).into_iter().collect();
            drop.extend(active.iter().copied().filter(|r| !keep.contains(r)));
        }
        if let Some(t) = target {
            if drop.is_empty() && !heads.contains(&t) {
                return Err(RevError::RangeNotAncestor {
                    lower: Some("Nothing to drop".into()),
                    upper: arg_text(upper),
                });
            }
        }
        Ok((drop, heads))
    }

    /// `iterate_revisions(..., select_for_downgrade=True)`: newest first.
    pub fn iterate_downgrade(
        &self,
        upper: &Arg,
        lower: &Arg,
        implicit_base: bool,
        inclusive: bool,
        assert_relative_length: bool,
    ) -> R<Vec<usize>> {
        let (revs, heads) = self.collect_downgrade(
            upper,
            lower,
            inclusive,
            implicit_base,
            assert_relative_length,
        )?;
        self.sorted_all(&revs, &heads)
    }

    /// `_topological_sort` plus its final `assert not todo`: every revision of the range
    /// must hang below one of its heads.
    fn sorted_all(&self, revs: &HashSet<usize>, heads: &[usize]) -> R<Vec<usize>> {
        let order = self.topological_sort(revs, heads);
        if order.len() != revs.len() {
            return Err(RevError::Crash("AssertionError".into()));
        }
        Ok(order)
    }

    /// `_topological_sort`: newest first, following Alembic's head-by-head walk.
    pub fn topological_sort(&self, revisions: &HashSet<usize>, heads: &[usize]) -> Vec<usize> {
        let n = self.revs.len();
        let mut todo = vec![false; n];
        let mut remaining = 0usize;
        for &r in revisions {
            todo[r] = true;
            remaining += 1;
        }
        // Ancestor sets as bitsets, filled by one reused stack: merges recompute them, and
        // in a long history each holds most of the graph.
        let words = n.div_ceil(64);
        let mut stack: Vec<usize> = Vec::new();
        let mut ancestors_of = |r: usize| -> Vec<u64> {
            let mut set = vec![0u64; words];
            stack.clear();
            stack.push(r);
            while let Some(x) = stack.pop() {
                let (w, b) = (x / 64, 1u64 << (x % 64));
                if set[w] & b != 0 {
                    continue;
                }
                set[w] |= b;
                stack.extend_from_slice(self.revs[x].normalized_down());
            }
            set
        };
        let has = |set: &[u64], x: usize| set[x / 64] & (1u64 << (x % 64)) != 0;
        // How many heads' ancestor sets hold each revision: whether another head waits on
        // the candidate is one lookup, not a scan of every set (a graph with a thousand
        // heads made that scan ten million bit tests). Only a candidate that is waited on
        // looks for the first such head, as Alembic's loop does.
        let mut cover = vec![0u32; n];
        let count = |cover: &mut [u32], set: &[u64], add: bool| {
            for (w, &bits) in set.iter().enumerate() {
                let mut b = bits;
                while b != 0 {
                    let x = w * 64 + b.trailing_zeros() as usize;
                    if add {
                        cover[x] += 1;
                    } else {
                        cover[x] -= 1;
                    }
                    b &= b - 1;
                }
            }
        };
        let mut current: Vec<usize> = heads.iter().copied().filter(|h| todo[*h]).collect();
        current.sort();
        current.dedup();
        let mut anc: Vec<Vec<u64>> = current.iter().map(|h| ancestors_of(*h)).collect();
        for set in &anc {
            count(&mut cover, set, true);
        }
        let mut output = Vec::with_capacity(remaining);
        let mut idx = 0usize;
        // Heads that block each other in a ring would make Alembic's loop spin forever; the
        // planner stops instead and reports the walk incomplete.
        let mut jumps = 0usize;
        while !current.is_empty() {
            let candidate = current[idx];
            let own = u32::from(has(&anc[idx], candidate));
            let blocker = (cover[candidate] > own)
                .then(|| {
                    anc.iter()
                        .enumerate()
                        .find(|(j, a)| *j != idx && has(a, candidate))
                        .map(|(j, _)| j)
                })
                .flatten();
            if let Some(j) = blocker {
                jumps += 1;
                if jumps > current.len() {
                    break;
                }
                idx = j;
                continue;
            }
            jumps = 0;
            if todo[candidate] {
                output.push(candidate);
                todo[candidate] = false;
            }
            let rev = &self.revs[candidate];
            let to_add: Vec<usize> = rev
                .normalized_down()
                .iter()
                .copied()
                .filter(|r| todo[*r] && !current.contains(r))
                .collect();
            if to_add.is_empty() {
                current.remove(idx);
                count(&mut cover, &anc.remove(idx), false);
                idx = idx.saturating_sub(1);
            } else if rev.normalized_deps.is_empty() && rev.down_idx.len() == 1 {
                current[idx] = to_add[0];
                let (w, b) = (candidate / 64, 1u64 << (candidate % 64));
                if anc[idx][w] & b != 0 {
                    anc[idx][w] &= !b;
                    cover[candidate] -= 1;
                }
            } else {
                current[idx] = to_add[0];
                let fresh = ancestors_of(to_add[0]);
                count(&mut cover, &anc[idx], false);
                count(&mut cover, &fresh, true);
                anc[idx] = fresh;
                for &h in &to_add[1..] {
                    current.push(h);
                    let fresh = ancestors_of(h);
                    count(&mut cover, &fresh, true);
                    anc.push(fresh);
                }
            }
        }
        output
    }

    /// `iterate_revisions(upper, lower, ...)` for upgrades: newest first.
    pub fn iterate_upgrade(
        &self,
        upper: &Arg,
        lower: &Arg,
        implicit_base: bool,
        inclusive: bool,
        assert_relative_length: bool,
    ) -> R<Vec<usize>> {
        let (revs, heads) = self.collect_upgrade(
            upper,
            lower,
            inclusive,
            implicit_base,
            assert_relative_length,
        )?;
        self.sorted_all(&revs, &heads)
    }
}

fn to_tuple(a: &Arg) -> Vec<String> {
    match a {
        Arg::None => vec![],
        Arg::Str(s) => vec![s.clone()],
        Arg::Tuple(v) => v.clone(),
    }
}

fn arg_text(a: &Arg) -> Option<String> {
    match a {
        Arg::None => None,
        Arg::Str(s) => Some(s.clone()),
        Arg::Tuple(v) => Some(format!(
            "({})",
            v.iter()
                .map(|s| format!("'{s}'"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_pattern() {
        assert_eq!(match_relative("+2"), Some((None, None, "+2".into())));
        assert_eq!(
            match_relative("ab12-1"),
            Some((None, Some("ab12".into()), "-1".into()))
        );
        assert_eq!(
            match_relative("lbl@+3"),
            Some((Some("lbl".into()), None, "+3".into()))
        );
        assert_eq!(
            match_relative("lbl@head-2"),
            Some((Some("lbl".into()), Some("head".into()), "-2".into()))
        );
        assert_eq!(match_relative("heads"), None);
        assert_eq!(
            match_relative("a@b@+1"),
            Some((Some("a@b".into()), None, "+1".into()))
        );
    }

    #[test]
    fn python_int() {
        assert_eq!(py_int("-1"), Some(-1));
        assert_eq!(py_int("+2"), Some(2));
        assert_eq!(py_int("1_0"), Some(10));
        assert_eq!(py_int("ab"), None);
    }
}
