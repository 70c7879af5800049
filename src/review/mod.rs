//! Layer 14, **review**: what a pull request does to the migration history before it is
//! merged. Two versions of the versions folder in (the base branch's and the PR's), one
//! [`Review`] out: the revisions added, removed and edited (with a unified diff each), the
//! history both make once merged and its heads, where each new revision attaches to the
//! base, the base's revisions the PR edits or deletes (errors), the changes that collide
//! with what landed on the base since the fork (same table, column, index or constraint,
//! each with both file:line), the schema difference, the deploy SQL and its rollback, and
//! both fixes when the merge leaves several heads: a re-parenting edit as a diff, and the
//! merge revision `alembic merge` would write ([`merge`]).
//!
//! Telling "the PR deleted it" from "the base added it since the fork" needs the fork
//! point: given ([`ReviewOptions::fork`], the shell reads it from git), the answer is
//! exact; without it, a base revision the PR lacks counts as deleted only when the PR
//! still has one of its descendants (it existed when the PR forked), and as new on the
//! base otherwise.

pub mod conflict;
pub mod merge;
pub mod template;

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::alembic::commands::Context;
use crate::alembic::offline::{self, OfflineOptions};
use crate::base::{Dialect, Severity};
use crate::input::{InputFile, LoadOptions, SourceFile};
use crate::plan;
use crate::project::Project;
use crate::schema;
pub use conflict::{Conflict, Touch};
pub use merge::{merge_revision, CreateDate, MergeFile, MergeRequest};

/// What the review needs besides the two folders.
#[derive(Clone, Debug)]
pub struct ReviewOptions {
    pub dialect: Dialect,
    /// The versions folder as it was where the PR forked (the merge base), when the shell
    /// knows it.
    pub fork: Option<Project>,
    /// The suggested merge revision's id, message and date (the shell draws the id and
    /// reads the clock), and the project's own template if it has one.
    pub merge: MergeRequest,
    /// How the folders were read (for the merged history).
    pub load: LoadOptions,
    /// The linter's configuration (the project's `[tool.alembic-planner]`); `None`: the
    /// defaults. Its dialect is the review's.
    pub lint: Option<crate::lint::Config>,
}

/// Which side changed a revision's file since the fork.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EditedBy {
    Pr,
    Base,
    Both,
    /// Without the fork point: the two sides differ, which one edited is not known.
    Unknown,
}

/// A revision whose file differs between the base and the PR.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Modified {
    pub revision: String,
    pub edited_by: EditedBy,
    pub base_path: String,
    pub path: String,
    /// `diff -u` of the base's file and the PR's.
    pub diff: String,
}

/// Where a revision the PR adds joins the base's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub revision: String,
    pub path: String,
    /// The base revision it names as `down_revision`.
    pub parent: String,
    /// Whether the parent is still one of the base's heads; if not, the base moved on
    /// past it since the PR forked.
    pub parent_is_base_head: bool,
    /// The base's heads that descend from the parent (where it would attach now).
    pub base_heads_since: Vec<String>,
}

/// What makes the PR unsafe to merge as it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// The merged history would have several heads (`alembic upgrade head` fails).
    MultipleHeads,
    /// A revision the base already has is changed by the PR.
    EditedBaseRevision,
    /// A revision the base already has is deleted by the PR.
    RemovedBaseRevision,
    /// Both branches write different files at the same path.
    FileCollision,
    /// A file of the PR that does not load (broken Python, a missing revision...).
    BrokenRevision,
    /// Once merged, a revision of the PR contradicts the schema it runs on (adds a column
    /// the base added first, drops what is not there): the deploy would fail.
    SchemaContradiction,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub kind: ProblemKind,
    pub path: String,
    pub line: u32,
    pub message: String,
}

/// The edit that puts the PR's first new revision on top of the base's head instead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reparent {
    pub revision: String,
    pub path: String,
    pub from: String,
    pub to: String,
    pub diff: String,
}

/// The two ways out of several heads, each with what it costs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Fixes {
    /// Re-parenting: a linear history, but every database that already ran the moved
    /// revisions (a staging deploy of the branch, a developer's) is out of step.
    pub reparent: Vec<Reparent>,
    /// Why no re-parenting edit is offered, if none is.
    pub reparent_unavailable: Option<String>,
    /// A merge revision: safe for databases at either side; the history keeps the fork.
    pub merge: Option<MergeFile>,
    pub merge_error: Option<String>,
}

/// The review of a PR's versions folder against its base's.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Review {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub modified: Vec<Modified>,
    /// Base revisions the PR lacks that arrived on the base since the fork.
    pub base_since_fork: Vec<String>,
    pub heads_base: Vec<String>,
    pub heads_pr: Vec<String>,
    /// The heads of the history once both are merged.
    pub heads_after: Vec<String>,
    pub attachments: Vec<Attachment>,
    /// Where the PR's branch leaves the base's history: the base revisions its new
    /// revisions name as `down_revision`, in the order first named.
    pub fork_points: Vec<String>,
    pub conflicts: Vec<Conflict>,
    pub problems: Vec<Problem>,
    /// `+`/`-`/`~` lines: the schema at the merged heads against the base's heads.
    pub schema_diff: String,
    /// Steps of the merged history whose effect on the schema the planner could not follow
    /// (application code, the database read): when there are any, the schema and its
    /// contradictions may be wrong, and a contradiction does not block.
    pub schema_unknown_steps: usize,
    /// The offline script a deploy of the merge runs, from the base's heads.
    pub deploy_sql: String,
    /// The offline script that takes it back to the base's head.
    pub rollback_sql: Option<String>,
    pub fixes: Option<Fixes>,
    /// The linter's findings in the PR's own revisions (added, or edited by the PR), in the
    /// merged history, so each sees the schema the deploy would meet.
    pub findings: Vec<crate::lint::Finding>,
    /// Whether the PR should not be merged as it is (several heads after the merge, a base
    /// revision edited or deleted, or an error-level finding in its revisions): the CLI's
    /// exit status 1.
    pub blocking: bool,
}

impl Review {
    /// The PR's own revisions: those it adds, then those it edits (not the ones only the
    /// base edited since the fork).
    pub fn own_revisions(&self) -> impl Iterator<Item = &String> {
        self.added.iter().chain(
            self.modified
                .iter()
                .filter(|m| m.edited_by != EditedBy::Base)
                .map(|m| &m.revision),
        )
    }
}

/// The linter's findings in the PR's revisions (added, or edited by the PR or by both
/// sides), linted in the merged history. Several heads and broken files are the review's
/// own problems already, so the linter's `multiple-heads` and error diagnostics are left
/// out.
fn pr_findings(merged: &Project, r: &Review, opts: &ReviewOptions) -> Vec<crate::lint::Finding> {
    let mut config = opts
        .lint
        .clone()
        .unwrap_or_else(|| crate::lint::Config::new(opts.dialect));
    config.dialect = opts.dialect;
    config.only_revisions = Some(r.own_revisions().cloned().collect());
    crate::lint::lint(merged, &config)
        .findings
        .into_iter()
        .filter(|f| f.revision.is_some() && f.rule != "multiple-heads")
        .filter(|f| !(crate::lint::diagnostics::is_code(f.rule) && f.severity == Severity::Error))
        .map(|mut f| {
            // the simulated schema is uncertain where the history has steps the planner
            // could not follow: its contradictions are notes, as the review's problems say
            let contradiction = f.rule.starts_with("schema-") || f.rule == "fk-missing-table";
            if contradiction && r.schema_unknown_steps > 0 && f.severity != Severity::Info {
                f.severity = Severity::Info;
                f.message.push_str(&format!(
                    " (the history has {} steps the planner could not follow, so this may be wrong)",
                    r.schema_unknown_steps
                ));
            }
            f
        })
        .collect()
}

/// Reviews `head` (the PR's folder) against `base` (the target branch's).
pub fn review(base: &Project, head: &Project, opts: &ReviewOptions) -> Review {
    review_merged(base, head, opts).0
}

/// [`review`], and the merged history it was made on (the PR's files and the base's new
/// ones), for a graph of the merge.
pub fn review_merged(base: &Project, head: &Project, opts: &ReviewOptions) -> (Review, Project) {
    let mut r = Review {
        heads_base: base.map.heads.clone(),
        heads_pr: head.map.heads.clone(),
        ..Review::default()
    };
    // revisions in the PR's order of history (oldest first), then the base's
    for i in head.upgrade_order() {
        let id = &head.map.revs[i].id;
        match base.map.index_of(id) {
            None => r.added.push(id.clone()),
            Some(b) => {
                let (old, new) = (text_of(base, b), text_of(head, i));
                if old.text != new.text || old.path != new.path {
                    let at_fork = opts
                        .fork
                        .as_ref()
                        .and_then(|f| Some(&text_of(f, f.map.index_of(id)?).text));
                    let edited_by = match at_fork {
                        Some(at_fork) => match (&new.text != at_fork, &old.text != at_fork) {
                            (true, true) => EditedBy::Both,
                            (true, false) => EditedBy::Pr,
                            (false, _) => EditedBy::Base,
                        },
                        None => EditedBy::Unknown,
                    };
                    r.modified.push(Modified {
                        revision: id.clone(),
                        edited_by,
                        base_path: old.path.clone(),
                        path: new.path.clone(),
                        diff: unified_diff(&old.text, &new.text, &old.path, &new.path),
                    });
                    let message = match edited_by {
                        EditedBy::Base => None,
                        EditedBy::Unknown => Some(format!(
                            "revision {id} differs between the base and the PR: the PR edits a revision the base already has (and may have applied somewhere), or the base edited it since the fork (a git revision as --base tells which)"
                        )),
                        _ => Some(format!(
                            "revision {id} is already on the base branch (and may be applied somewhere): the PR changes it instead of adding a new revision"
                        )),
                    };
                    if let Some(message) = message {
                        r.problems.push(Problem {
                            kind: ProblemKind::EditedBaseRevision,
                            path: new.path.clone(),
                            line: 0,
                            message,
                        });
                    }
                }
            }
        }
    }
    // base revisions the PR lacks: deleted, or new on the base since the fork
    let shared: Vec<usize> = base
        .map
        .revs
        .iter()
        .enumerate()
        .filter(|(_, rv)| head.map.index_of(&rv.id).is_some())
        .map(|(i, _)| i)
        .collect();
    let before_shared: BTreeSet<usize> = base.map.ancestors(&shared, true).into_iter().collect();
    for i in base.upgrade_order() {
        let id = &base.map.revs[i].id;
        if head.map.index_of(id).is_some() {
            continue;
        }
        let deleted = match &opts.fork {
            Some(fork) => fork.map.index_of(id).is_some(),
            None => before_shared.contains(&i),
        };
        if deleted {
            r.removed.push(id.clone());
            r.problems.push(Problem {
                kind: ProblemKind::RemovedBaseRevision,
                path: text_of(base, i).path.clone(),
                line: 0,
                message: format!(
                    "revision {id} is on the base branch (and may be applied somewhere): the PR deletes its file"
                ),
            });
        } else {
            r.base_since_fork.push(id.clone());
        }
    }
    let in_pr = pr_paths(&r, head);
    for d in &head.diagnostics {
        if d.severity == Severity::Error && in_pr.contains(d.path.as_str()) {
            r.problems.push(Problem {
                kind: ProblemKind::BrokenRevision,
                path: d.path.clone(),
                line: d.line,
                message: d.message.clone(),
            });
        }
    }
    attachments(base, head, &mut r);
    let indices = |p: &Project, ids: &[String]| -> Vec<usize> {
        ids.iter().filter_map(|id| p.map.index_of(id)).collect()
    };
    let base_only = indices(base, &r.base_since_fork);
    let added = indices(head, &r.added);
    r.conflicts = conflict::conflicts(head, &added, base, &base_only, opts.dialect);

    // the merged history: the PR's files, and the base's new ones
    // (a revision only the base edited since the fork merges as the base's)
    let base_edits: HashMap<&str, &SourceFile> = r
        .modified
        .iter()
        .filter(|m| m.edited_by == EditedBy::Base)
        .filter_map(|m| {
            Some((
                m.path.as_str(),
                text_of(base, base.map.index_of(&m.revision)?),
            ))
        })
        .collect();
    let mut files: Vec<InputFile> = head
        .sources
        .iter()
        .map(|s| {
            let f = base_edits.get(s.path.as_str()).copied().unwrap_or(s);
            InputFile::new(f.path.clone(), f.text.as_bytes())
        })
        .collect();
    let taken: HashMap<&str, &str> = head
        .sources
        .iter()
        .map(|s| (s.path.as_str(), s.text.as_str()))
        .collect();
    for &i in &base_only {
        let src = text_of(base, i);
        match taken.get(src.path.as_str()) {
            Some(text) if *text != src.text => r.problems.push(Problem {
                kind: ProblemKind::FileCollision,
                path: src.path.clone(),
                line: 0,
                message: format!(
                    "the base's revision {} and the PR both write {}: a git conflict before any migration runs",
                    base.map.revs[i].id, src.path
                ),
            }),
            Some(_) => {}
            None => files.push(InputFile::new(src.path.clone(), src.text.as_bytes())),
        }
    }
    let merged = Project::load(&files, opts.load.clone());
    r.heads_after = merged.map.heads.clone();
    if r.heads_after.len() > 1 {
        r.problems.push(Problem {
            kind: ProblemKind::MultipleHeads,
            path: String::new(),
            line: 0,
            message: format!(
                "once merged, the history has {} heads ({}): `alembic upgrade head` fails with \"Multiple head revisions are present\"",
                r.heads_after.len(),
                r.heads_after.join(", ")
            ),
        });
        r.fixes = Some(fixes(head, &merged, &r, opts));
    }

    // schema, deploy and rollback
    // the deploy: the base's heads applied, then what the merge adds, in plan order
    let deploy_steps = plan::resolve_current(&merged.map, &r.heads_base)
        .and_then(|start| plan::upgrade_steps(&merged.map, "heads", &start));
    let mut applied = merged.applied_through(&r.heads_base);
    applied.extend(deploy_steps.iter().flatten());
    let after = schema::simulate(&merged, &applied, opts.dialect);
    r.schema_diff = schema::diff(
        &schema::schema_at(base, "heads", opts.dialect)
            .map(|s| s.schema)
            .unwrap_or_default(),
        &after.schema,
    );
    let in_pr = pr_paths(&r, &merged);
    r.schema_unknown_steps = after.unknown.len();
    for d in &after.diagnostics {
        if in_pr.contains(d.path.as_str()) {
            r.problems.push(Problem {
                kind: ProblemKind::SchemaContradiction,
                path: d.path.clone(),
                line: d.line,
                message: if after.unknown.is_empty() {
                    format!("once merged: {}", d.message)
                } else {
                    format!(
                        "once merged: {} (the history has {} steps the planner could not follow, so this may be wrong)",
                        d.message,
                        after.unknown.len()
                    )
                },
            });
        }
    }
    let ctx = Context::default();
    let off = OfflineOptions {
        dialect: opts.dialect,
        transaction_per_migration: false,
    };
    match deploy_steps {
        Ok(mut steps) => {
            let deploy = offline::run_steps(&merged, &ctx, true, &r.heads_base, &steps, off);
            r.deploy_sql = deploy.stdout + &deploy.stderr;
            // the rollback undoes what the deploy ran, newest first
            steps.reverse();
            let back = offline::run_steps(&merged, &ctx, false, &r.heads_after, &steps, off);
            r.rollback_sql = Some(back.stdout + &back.stderr);
        }
        // Alembic's own failure, printed where it stops
        Err(_) => {
            let deploy = offline::run_between(&merged, &ctx, true, &r.heads_base, "heads", off);
            r.deploy_sql = deploy.stdout + &deploy.stderr;
        }
    }
    r.findings = pr_findings(&merged, &r, opts);
    let certain = r.schema_unknown_steps == 0;
    r.blocking = r.findings.iter().any(|f| f.severity == Severity::Error)
        || r.problems.iter().any(|p| match p.kind {
            ProblemKind::MultipleHeads
            | ProblemKind::EditedBaseRevision
            | ProblemKind::RemovedBaseRevision
            | ProblemKind::FileCollision => true,
            ProblemKind::SchemaContradiction => certain,
            ProblemKind::BrokenRevision => false,
        });
    (r, merged)
}

/// The files of the PR's own changes in `p`: the revisions it adds, and those it edits
/// (not the ones only the base edited since the fork).
fn pr_paths<'p>(r: &Review, p: &'p Project) -> BTreeSet<&'p str> {
    r.own_revisions()
        .filter_map(|id| p.map.index_of(id))
        .map(|i| text_of(p, i).path.as_str())
        .collect()
}

/// The source file of revision `i`.
fn text_of(p: &Project, i: usize) -> &SourceFile {
    &p.sources[p.map.revs[i].script]
}

/// Where each added revision joins the base's history.
fn attachments(base: &Project, head: &Project, r: &mut Review) {
    for id in &r.added {
        let Some(i) = head.map.index_of(id) else {
            continue;
        };
        let rev = &head.map.revs[i];
        for parent in &rev.down {
            let Some(b) = base.map.index_of(parent) else {
                continue;
            };
            let since: Vec<String> = base
                .map
                .descendants(&[b], false)
                .into_iter()
                .filter(|&d| base.map.revs[d].is_head() && d != b)
                .map(|d| base.map.revs[d].id.clone())
                .collect();
            r.attachments.push(Attachment {
                revision: id.clone(),
                path: text_of(head, i).path.clone(),
                parent: parent.clone(),
                parent_is_base_head: base.map.heads.contains(parent),
                base_heads_since: since,
            });
            if !r.fork_points.contains(parent) {
                r.fork_points.push(parent.clone());
            }
        }
    }
}

/// Both ways out of several heads.
fn fixes(head: &Project, merged: &Project, r: &Review, opts: &ReviewOptions) -> Fixes {
    let mut f = Fixes::default();
    let mut req = opts.merge.clone();
    req.revisions = vec!["heads".into()];
    match merge_revision(&merged.map, &req) {
        Ok(m) => f.merge = Some(m),
        Err(e) => f.merge_error = Some(e.message().to_string()),
    }
    let moved: Vec<&Attachment> = r
        .attachments
        .iter()
        .filter(|a| !a.parent_is_base_head)
        .collect();
    if moved.is_empty() {
        f.reparent_unavailable = Some(
            "the PR's new revisions already sit on the base's heads; the heads come from elsewhere"
                .into(),
        );
        return f;
    }
    for a in moved {
        let [to] = a.base_heads_since.as_slice() else {
            f.reparent_unavailable = Some(format!(
                "{} attaches below {} heads of the base ({}): a merge revision is the way",
                a.revision,
                a.base_heads_since.len(),
                a.base_heads_since.join(", ")
            ));
            continue;
        };
        let Some(i) = head.map.index_of(&a.revision) else {
            continue;
        };
        let rev = &head.map.revs[i];
        if rev.down.len() != 1 {
            f.reparent_unavailable = Some(format!(
                "{} is itself a merge: a merge revision is the way",
                a.revision
            ));
            continue;
        }
        let script = head.map.script_of(i);
        let src = text_of(head, i);
        match reparent_text(&src.text, script.down_revision_line, &a.parent, to) {
            Some(new) => f.reparent.push(Reparent {
                revision: a.revision.clone(),
                path: src.path.clone(),
                from: a.parent.clone(),
                to: to.clone(),
                diff: unified_diff(&src.text, &new, &src.path, &src.path),
            }),
            None => {
                f.reparent_unavailable = Some(format!(
                    "{}:{}: `down_revision` is not written as the literal '{}'; edit it by hand",
                    src.path, script.down_revision_line, a.parent
                ))
            }
        }
    }
    f
}

/// The file with `down_revision`'s literal `from` (on its line) and the docstring's
/// `Revises: from` line changed to `to`; `None` when the literal is not on that line.
fn reparent_text(text: &str, line: u32, from: &str, to: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut done = false;
    let mut revises_done = false;
    for (k, l) in text.split_inclusive('\n').enumerate() {
        if k as u32 + 1 == line {
            for q in ['\'', '"'] {
                let lit = format!("{q}{from}{q}");
                if !done && l.contains(&lit) {
                    out.push_str(&l.replacen(&lit, &format!("{q}{to}{q}"), 1));
                    done = true;
                }
            }
            if !done {
                return None;
            }
            continue;
        }
        let body = l.trim_end_matches(['\n', '\r']);
        if !revises_done && !done && body.trim_start().starts_with("Revises:") {
            let value = body.trim_start()["Revises:".len()..].trim();
            if value == from {
                out.push_str(&l.replacen(from, to, 1));
                revises_done = true;
                continue;
            }
        }
        out.push_str(l);
    }
    done.then_some(out)
}

/// `diff -u a b`, three lines of context, with the given names.
pub fn unified_diff(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{old_name}"), &format!("b/{new_name}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reparenting_edits_the_literal_and_the_docstring() {
        let text = "\"\"\"add status\n\nRevision ID: c3\nRevises: a1\n\"\"\"\nrevision = 'c3'\ndown_revision = 'a1'\n";
        let new = reparent_text(text, 7, "a1", "b2").unwrap();
        assert_eq!(
            new,
            "\"\"\"add status\n\nRevision ID: c3\nRevises: b2\n\"\"\"\nrevision = 'c3'\ndown_revision = 'b2'\n"
        );
        assert!(reparent_text("down_revision = PARENT\n", 1, "a1", "b2").is_none());
        let d = unified_diff(text, &new, "v/c3.py", "v/c3.py");
        assert!(d.starts_with("--- a/v/c3.py\n+++ b/v/c3.py\n@@"), "{d}");
        assert!(
            d.contains("-down_revision = 'a1'\n+down_revision = 'b2'\n"),
            "{d}"
        );
    }

    /// Where the merged history has steps the planner could not follow, a schema
    /// contradiction in the PR's revision is a note that says so, as its problem does.
    #[test]
    fn contradictions_on_an_uncertain_schema_are_notes() {
        let rev = |id: &str, down: &str, body: &str| {
            (
                format!("{id}.py"),
                format!("revision = '{id}'\ndown_revision = {down}\nfrom alembic import op\nimport sqlalchemy as sa\n\ndef upgrade():\n    {body}\n\ndef downgrade():\n    pass\n"),
            )
        };
        let a1 = rev(
            "a1",
            "None",
            "op.create_table('t', sa.Column('id', sa.Integer()))\n    op.create_table('u', sa.Column('id', sa.Integer()))",
        );
        let b2 = rev(
            "b2",
            "'a1'",
            "op.drop_table('u')\n    op.add_column('t', make_column())",
        );
        let c3 = rev(
            "c3",
            "'b2'",
            "op.add_column('u', sa.Column('x', sa.Integer()))",
        );
        let base = Project::from_texts(&[a1.clone(), b2.clone()]);
        let head = Project::from_texts(&[a1, b2, c3]);
        let opts = ReviewOptions {
            dialect: Dialect::Postgresql,
            fork: None,
            merge: MergeRequest {
                revisions: vec!["heads".into()],
                message: None,
                rev_id: "000000000000".into(),
                branch_labels: Vec::new(),
                splice: false,
                create_date: CreateDate {
                    year: 2026,
                    month: 12,
                    day: 1,
                    hour: 0,
                    minute: 0,
                    second: 0,
                    microsecond: 0,
                    epoch: 0,
                    utc_offset: None,
                },
                template: None,
                file_template: None,
                truncate_slug_length: None,
            },
            load: LoadOptions::default(),
            lint: None,
        };
        let r = review(&base, &head, &opts);
        assert_eq!(r.schema_unknown_steps, 1);
        let f: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.rule == "schema-missing-table")
            .collect();
        assert_eq!(f.len(), 1, "{:?}", r.findings);
        assert_eq!(f[0].severity, Severity::Info);
        assert!(
            f[0].message.ends_with(
                "(the history has 1 steps the planner could not follow, so this may be wrong)"
            ),
            "{}",
            f[0].message
        );
    }
}
