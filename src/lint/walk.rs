//! The linter's walk: revisions in upgrade order over one simulated schema; each revision's
//! upgrade step by step (rules see the schema just before each step), then its downgrade
//! on a copy of what the upgrade touched, compared with the schema before the upgrade.

use std::collections::{BTreeSet, HashMap};

use super::context::{RevCx, StepCx};
use super::{first_column, suppress, Check, Config, Direction, Finding, Lint, Rule};
use crate::base::{Dialect, Severity};
use crate::ops::{LocatedStep, MigrationOps, Operation, Step};
use crate::project::Project;
use crate::render::types::compile_type;
use crate::schema::{ObjectKind, Schema, Simulator, Table};

type Enabled = Vec<(&'static Rule, Severity)>;

struct Walk<'a> {
    project: &'a Project,
    config: &'a Config,
    texts: HashMap<&'a str, &'a str>,
    step_rules: Enabled,
    findings: Vec<Finding>,
}

impl<'a> Walk<'a> {
    fn finding(
        &mut self,
        rule: &'static Rule,
        severity: Severity,
        rev: Option<usize>,
        direction: Option<Direction>,
        line: u32,
        message: String,
    ) {
        let (path, revision) = match rev {
            Some(r) => (
                self.project.map.script_of(r).path.clone(),
                Some(self.project.map.rev(r).id.clone()),
            ),
            None => (String::new(), None),
        };
        let column = first_column(self.texts.get(path.as_str()).copied().unwrap_or(""), line);
        self.findings.push(Finding {
            rule: rule.id,
            severity,
            path,
            line,
            column,
            revision,
            direction,
            message,
        });
    }

    /// One function's steps applied to `sim` one at a time, each operation shown to the
    /// step rules first.
    fn steps(
        &mut self,
        rev: usize,
        direction: Direction,
        steps: &'a [LocatedStep],
        sim: &mut Simulator<'a>,
    ) {
        let mut created: BTreeSet<String> = BTreeSet::new();
        // tables dropped after step k: filled from the end
        let mut dropped_after: Vec<BTreeSet<String>> = vec![BTreeSet::new(); steps.len()];
        let mut later: BTreeSet<String> = BTreeSet::new();
        for (k, st) in steps.iter().enumerate().rev() {
            dropped_after[k] = later.clone();
            if let Step::Op(op) = &st.step {
                if let Operation::DropTable { table, .. } = op.as_ref() {
                    later.insert(table.clone());
                }
            }
        }
        let mut autocommit = false;
        let mut lock_timeout = false;
        let mut unmodelled: (u32, Vec<String>) = (0, Vec::new());
        for (k, st) in steps.iter().enumerate() {
            match &st.step {
                Step::NotModelled { what } => {
                    unmodelled = (st.line, what.iter().map(|u| u.what.clone()).collect());
                }
                Step::Autocommit { enter } => autocommit = *enter,
                Step::Print { .. } => {}
                Step::Op(op) => {
                    // SQL text is parsed once, for the rules and for the walk
                    let analysis = match op.as_ref() {
                        Operation::Execute { sql } => {
                            Some(crate::sql::analyze(sql, self.config.dialect))
                        }
                        _ => None,
                    };
                    let mut hits: Vec<(&'static Rule, Severity, String)> = Vec::new();
                    {
                        let cx = StepCx {
                            project: self.project,
                            config: self.config,
                            rev,
                            direction,
                            step: st,
                            op,
                            schema: sim.schema(),
                            created: &created,
                            dropped_later: &dropped_after[k],
                            autocommit,
                            lock_timeout,
                            sql: analysis.as_ref(),
                            unmodelled: if unmodelled.0 == st.line {
                                &unmodelled.1
                            } else {
                                &[]
                            },
                        };
                        for (rule, severity) in &self.step_rules {
                            if let Check::Step(f) = rule.check {
                                let mut msgs = Vec::new();
                                f(&cx, &mut msgs);
                                hits.extend(msgs.into_iter().map(|m| (*rule, *severity, m)));
                            }
                        }
                    }
                    for (rule, severity, m) in hits {
                        self.finding(rule, severity, Some(rev), Some(direction), st.line, m);
                    }
                    match op.as_ref() {
                        Operation::CreateTable { table, .. } => {
                            created.insert(table.clone());
                        }
                        Operation::RenameTable { table, new_name } if created.remove(table) => {
                            created.insert(new_name.clone());
                        }
                        Operation::Execute { sql } => {
                            let lower = sql.to_ascii_lowercase();
                            if lower.contains("lock_timeout") {
                                lock_timeout = true;
                            }
                            let statements = analysis.map(|a| a.statements).unwrap_or_default();
                            // `DELETE FROM t` (no WHERE) or `TRUNCATE t` empties the table
                            let emptying = statements.len() == 1 && !lower.contains("where");
                            for s in statements {
                                for e in s.effects.iter().flatten() {
                                    if let Operation::CreateTable { table, .. } = e {
                                        created.insert(table.clone());
                                    }
                                }
                                if emptying && matches!(s.verb.as_str(), "DELETE" | "TRUNCATE") {
                                    created.extend(s.writes.iter().cloned());
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Step::Opaque { .. } => {}
            }
            sim.apply(rev, std::slice::from_ref(st));
        }
    }
}

/// The tables a revision's operations name, both ways.
fn touched(ops: &MigrationOps) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for st in ops.upgrade.iter().chain(&ops.downgrade) {
        if let Step::Op(op) = &st.step {
            out.extend(op.tables().into_iter().map(str::to_string));
        }
    }
    out
}

/// Tables the upgrade changes before (or without) creating them that the schema does not
/// have: they existed before the history the planner sees.
fn assumed(ops: &MigrationOps, schema: &Schema) -> Vec<String> {
    let mut created: BTreeSet<&str> = BTreeSet::new();
    let mut out = Vec::new();
    for st in &ops.upgrade {
        let Step::Op(op) = &st.step else { continue };
        match op.as_ref() {
            Operation::CreateTable { table, .. } => {
                created.insert(table);
            }
            Operation::RenameTable { new_name, .. } => {
                created.insert(new_name);
            }
            Operation::Execute { .. } => {}
            other => {
                for t in other.tables() {
                    if !created.contains(t)
                        && !schema.tables.contains_key(t)
                        && !out.iter().any(|o| o == t)
                    {
                        out.push(t.to_string());
                    }
                }
            }
        }
    }
    out
}

fn subset(schema: &Schema, tables: &BTreeSet<String>) -> Schema {
    Schema {
        tables: schema
            .tables
            .iter()
            .filter(|(n, _)| tables.contains(*n))
            .map(|(n, t)| (n.clone(), t.clone()))
            .collect(),
        enums: schema.enums.clone(),
    }
}

/// A table as facts that do not depend on how a type was spelled (`String(10)` and
/// `sa.String(length=10)` are one `VARCHAR(10)`; a type the planner cannot know is `?`) nor
/// on constraint names (an unnamed constraint gets its name from the database).
fn facts(t: &Table, dialect: Dialect, unknown: &BTreeSet<String>) -> Vec<String> {
    let r = crate::render::renderer(dialect);
    let mut out = Vec::new();
    for c in &t.columns {
        let ty = c
            .type_
            .as_ref()
            .filter(|_| !unknown.contains(&c.name))
            .and_then(|v| compile_type(v, r).ok())
            .unwrap_or_else(|| "?".into());
        out.push(format!(
            "column {} {ty}{}{}",
            c.name,
            if c.nullable { "" } else { " not null" },
            c.default
                .as_ref()
                .map(|d| format!(" default {d}"))
                .unwrap_or_default()
        ));
    }
    if let Some(pk) = &t.primary_key {
        out.push(format!("primary key ({})", pk.columns.join(", ")));
    }
    for k in &t.uniques {
        out.push(format!("unique ({})", k.columns.join(", ")));
    }
    for f in &t.foreign_keys {
        out.push(format!(
            "foreign key ({}) -> {} ({}){}",
            f.columns.join(", "),
            f.referent,
            f.remote.join(", "),
            f.rules.describe()
        ));
    }
    for k in &t.checks {
        out.push(format!("check ({})", k.condition));
    }
    for i in &t.indexes {
        out.push(format!(
            "{}index {} ({})",
            if i.unique { "unique " } else { "" },
            i.name,
            i.columns.join(", ")
        ));
    }
    out
}

/// The columns whose type either side cannot know: a type from the project's own
/// modules is not a difference, so both sides show it as `?`.
fn unknown_types(a: &Table, b: &Table, dialect: Dialect) -> BTreeSet<String> {
    let r = crate::render::renderer(dialect);
    a.columns
        .iter()
        .chain(&b.columns)
        .filter(|c| c.type_.as_ref().is_none_or(|v| compile_type(v, r).is_err()))
        .map(|c| c.name.clone())
        .collect()
}

/// What `after` (the schema after upgrade and downgrade) has that `before` had not, and
/// the reverse, one line each.
fn not_restored(before: &Schema, after: &Schema, dialect: Dialect) -> Vec<String> {
    let mut out = Vec::new();
    let names: BTreeSet<&String> = before.tables.keys().chain(after.tables.keys()).collect();
    for name in names {
        match (before.tables.get(name), after.tables.get(name)) {
            (Some(_), None) => out.push(format!("table `{name}` is gone")),
            (None, Some(_)) => out.push(format!("table `{name}` is left behind")),
            (Some(a), Some(b)) => {
                let unknown = unknown_types(a, b, dialect);
                let (fa, fb) = (facts(a, dialect, &unknown), facts(b, dialect, &unknown));
                for f in &fa {
                    if !fb.contains(f) {
                        out.push(format!("`{name}`: {f} is not restored"));
                    }
                }
                for f in &fb {
                    if !fa.contains(f) {
                        out.push(format!("`{name}`: {f} is left behind"));
                    }
                }
            }
            (None, None) => {}
        }
    }
    for (name, values) in &before.enums {
        if !after.enums.contains_key(name) {
            out.push(format!("enum `{name}` ({}) is gone", values.join(", ")));
        }
    }
    for name in after.enums.keys() {
        if !before.enums.contains_key(name) {
            out.push(format!("enum `{name}` is left behind"));
        }
    }
    out
}

/// Whether the simulation can follow every step of the function.
fn followable(steps: &[LocatedStep]) -> bool {
    steps.iter().all(|s| {
        !matches!(&s.step, Step::Opaque { .. })
            && !matches!(&s.step, Step::Op(op) if matches!(op.as_ref(), Operation::Execute { .. }))
    })
}

/// Which revisions are linted: not a strict ancestor of `skip_before`, and among
/// `only_revisions` when given.
fn linted(project: &Project, config: &Config) -> Vec<bool> {
    let map = &project.map;
    let n = map.revs.len();
    let mut out = vec![true; n];
    if let Some(from) = config
        .skip_before
        .as_deref()
        .and_then(|id| map.lookup_key(id))
    {
        let all: Vec<usize> = (0..n).collect();
        let below = map.ancestors_among(&[from], &all);
        for (i, b) in below.into_iter().enumerate() {
            if b && i != from {
                out[i] = false;
            }
        }
    }
    if let Some(only) = &config.only_revisions {
        for (i, o) in out.iter_mut().enumerate() {
            *o = *o && only.contains(&map.rev(i).id);
        }
    }
    out
}

pub(super) fn run(project: &Project, config: &Config) -> Lint {
    LintRun::new(project, config).finish(None)
}

/// A lint in steps of a few revisions, so a caller with one thread (the browser) can
/// yield between them: [`LintRun::step`] until it says all are walked, then
/// [`LintRun::finish`].
pub struct LintRun<'a> {
    w: Walk<'a>,
    enabled: Enabled,
    rev_rules: Enabled,
    linted: Vec<bool>,
    sim: Simulator<'a>,
    order: Vec<usize>,
    next: usize,
}

impl<'a> LintRun<'a> {
    pub fn new(project: &'a Project, config: &'a Config) -> LintRun<'a> {
        let enabled = config.enabled();
        let texts: HashMap<&str, &str> = project
            .sources
            .iter()
            .map(|s| (s.path.as_str(), s.text.as_str()))
            .collect();
        let w = Walk {
            project,
            config,
            texts,
            step_rules: enabled
                .iter()
                .filter(|(r, _)| matches!(r.check, Check::Step(_)))
                .copied()
                .collect(),
            findings: Vec::new(),
        };
        let rev_rules: Enabled = enabled
            .iter()
            .filter(|(r, _)| matches!(r.check, Check::Revision(_)))
            .copied()
            .collect();
        LintRun {
            w,
            enabled,
            rev_rules,
            linted: linted(project, config),
            sim: Simulator::new(project, config.dialect, &[]),
            order: project.upgrade_order(),
            next: 0,
        }
    }

    /// Walks up to `n` more revisions; true once all are walked.
    pub fn step(&mut self, n: usize) -> bool {
        let end = self.next.saturating_add(n).min(self.order.len());
        while self.next < end {
            let rev = self.order[self.next];
            self.next += 1;
            self.revision(rev);
        }
        self.next == self.order.len()
    }

    fn revision(&mut self, rev: usize) {
        let (project, config) = (self.w.project, self.w.config);
        let dialect = config.dialect;
        let (w, sim) = (&mut self.w, &mut self.sim);
        let ops = project.migration_ops_for(rev, dialect);
        if !self.linted[rev] {
            sim.apply(rev, &ops.upgrade);
            return;
        }
        let tables = touched(ops);
        for t in assumed(ops, sim.schema()) {
            sim.assume_table(&t);
        }
        let before = subset(sim.schema(), &tables);
        let contradictions = sim.diagnostics().len();
        w.steps(rev, Direction::Upgrade, &ops.upgrade, sim);
        let mut down = Simulator::from_schema(project, dialect, subset(sim.schema(), &tables));
        w.steps(rev, Direction::Downgrade, &ops.downgrade, &mut down);
        // a step that contradicts the simulated schema means it is not the real one here
        let known = followable(&ops.upgrade)
            && followable(&ops.downgrade)
            && sim.diagnostics().len() == contradictions
            && down.diagnostics().is_empty();
        let restored = (known && !ops.downgrade.is_empty())
            .then(|| not_restored(&before, down.schema(), dialect));
        let script = project.map.script_of(rev);
        let cx = RevCx {
            project,
            config,
            rev,
            script,
            ops,
            text: w.texts.get(script.path.as_str()).copied().unwrap_or(""),
            not_restored: restored,
        };
        for (rule, severity) in &self.rev_rules {
            if let Check::Revision(f) = rule.check {
                let mut hits = Vec::new();
                f(&cx, &mut hits);
                for (line, m) in hits {
                    w.finding(rule, *severity, Some(rev), None, line, m);
                }
            }
        }
    }

    /// The project's rules, the planner's diagnostics, suppressions: the lint. `table_map`
    /// is the table map in the lint's dialect when the caller has it already (it is
    /// simulated here otherwise).
    pub fn finish(mut self, table_map: Option<&crate::schema::Simulation>) -> Lint {
        self.step(usize::MAX);
        let LintRun {
            mut w,
            enabled,
            linted,
            ..
        } = self;
        let (project, config) = (w.project, w.config);
        let dialect = config.dialect;
        for (rule, severity) in &enabled {
            if let Check::Project(f) = rule.check {
                let mut hits = Vec::new();
                f(project, &mut hits);
                for mut h in hits {
                    h.severity = *severity;
                    w.findings.push(h);
                }
            }
        }
        // the planner's own diagnostics, as rules of the same registry; a table the history
        // never creates is taken to exist (made before the first revision, outside Alembic, or
        // by a step the planner cannot follow), so "does not exist" is not said of it
        let simulated;
        let table_map = match table_map {
            Some(t) => t,
            None => {
                simulated = crate::schema::table_map(project, dialect);
                &simulated
            }
        };
        let ever: BTreeSet<&str> = table_map
            .events
            .iter()
            .filter(|e| e.kind == ObjectKind::Table)
            .flat_map(|e| [e.table.as_str(), e.name.as_str()])
            .collect();
        let never_created: BTreeSet<usize> = table_map
            .missing
            .iter()
            .filter(|(_, t)| !ever.contains(t.as_str()))
            .map(|(k, _)| *k)
            .collect();
        let sim_diags: Vec<&crate::base::Diagnostic> = table_map
            .diagnostics
            .iter()
            .enumerate()
            .filter(|(k, _)| !never_created.contains(k))
            .map(|(_, d)| d)
            .collect();
        let revs_by_path: HashMap<&str, usize> = project
            .map
            .revs
            .iter()
            .enumerate()
            .map(|(i, r)| (project.map.scripts[r.script].path.as_str(), i))
            .collect();
        // a contradiction after a step of the same revision the simulation could not follow
        // (a helper's column, a branch on the live database) may be that step's doing: said
        // as a note, with the step's line
        let mut unfollowed: HashMap<usize, Vec<u32>> = HashMap::new();
        for u in &table_map.unknown {
            unfollowed.entry(u.rev).or_default().push(u.line);
        }
        let simulated = sim_diags.iter().map(|d| (*d, true));
        for (d, from_sim) in project
            .diagnostics
            .iter()
            .map(|d| (d, false))
            .chain(simulated)
        {
            let rev = revs_by_path.get(d.path.as_str()).copied();
            if rev.is_some_and(|r| !linted[r]) {
                continue;
            }
            let Some(mut severity) = config.diagnostic_level(d.code, d.severity) else {
                continue;
            };
            let mut message = d.message.clone();
            let before = rev
                .and_then(|r| unfollowed.get(&r))
                .and_then(|ls| ls.iter().filter(|&&l| l < d.line).max());
            if let (true, Some(line)) = (from_sim, before) {
                severity = Severity::Info;
                message.push_str(&format!(
                    " (after line {line}, a step the planner could not follow: this may be wrong)"
                ));
            }
            let column = first_column(w.texts.get(d.path.as_str()).copied().unwrap_or(""), d.line);
            w.findings.push(Finding {
                rule: d.code,
                severity,
                path: d.path.clone(),
                line: d.line,
                column,
                revision: rev.map(|r| project.map.rev(r).id.clone()),
                direction: None,
                message,
            });
        }
        let enabled_ids: Vec<&'static str> = enabled.iter().map(|(r, _)| r.id).collect();
        let (mut findings, suppressed) = suppress::apply(
            w.findings,
            &w.texts,
            &enabled_ids,
            config.level(&super::rules::unused_suppression::RULE),
        );
        findings.sort_by(|a, b| {
            (&a.path, a.line, a.rule, &a.message).cmp(&(&b.path, b.line, b.rule, &b.message))
        });
        findings.dedup();
        Lint {
            findings,
            suppressed,
            rules: enabled_ids,
            dialect,
        }
    }
}
