//! A [`Review`] for people: plain text for a terminal, Markdown for a pull-request comment
//! (short, details collapsed, one marker line so a CI job updates its own comment instead
//! of adding another), and GitHub workflow annotations (`::error file=...,line=...::`).

use crate::present::layout::{layout, Layout};
use crate::project::Project;
use crate::review::{EditedBy, Problem, ProblemKind, Review};

/// The first line of the Markdown comment: a CI job finds its earlier comment by it.
pub const COMMENT_MARKER: &str = "<!-- alembic-planner review -->";

/// What a revision of the merged history is to the review, in its graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Added by the PR.
    Pr,
    /// One the base has, edited by the PR (or by both, or by a side not known).
    Edited,
    /// On the base since the fork: the PR's branch does not have it.
    SinceFork,
    /// A base revision the PR's branch leaves from.
    ForkPoint,
}

impl Mark {
    pub const ALL: [Mark; 4] = [Mark::Pr, Mark::Edited, Mark::SinceFork, Mark::ForkPoint];

    /// What the mark means, for a legend.
    pub fn meaning(self) -> &'static str {
        match self {
            Mark::Pr => "the pull request's revisions",
            Mark::Edited => "base revisions it edits",
            Mark::SinceFork => "the base's revisions it lacks",
            Mark::ForkPoint => "where its branch leaves the base",
        }
    }

    /// The CSS class the graph draws it with.
    pub fn class(self) -> &'static str {
        match self {
            Mark::Pr => "pr",
            Mark::Edited => "edited",
            Mark::SinceFork => "since-fork",
            Mark::ForkPoint => "fork-point",
        }
    }

    /// Its label beside the revision.
    pub fn label(self) -> &'static str {
        match self {
            Mark::Pr => "PR",
            Mark::Edited => "edited",
            Mark::SinceFork => "base since the fork",
            Mark::ForkPoint => "fork point",
        }
    }
}

/// The merged history's graph around the pull request.
pub struct ReviewGraph {
    pub layout: Layout,
    /// Each row's mark.
    pub marks: Vec<Option<Mark>>,
    /// How many of the newest rows to show: down to the lowest marked revision and one
    /// row more; the older rest is history both branches share.
    pub shown: usize,
}

impl ReviewGraph {
    /// Row `row`'s mark as the SVG export takes it: class and label.
    pub fn svg_mark(&self, row: usize) -> Option<(&'static str, &'static str)> {
        self.marks
            .get(row)
            .copied()
            .flatten()
            .map(|m| (m.class(), m.label()))
    }

    /// The shown rows as text, one a line (lanes, id, mark, message), and how many older
    /// rows are left out.
    pub fn text(&self, merged: &Project) -> String {
        let mut s = String::new();
        let lanes = self.layout.lane_text();
        for (row, node) in self.layout.nodes.iter().enumerate().take(self.shown) {
            let mut line = format!("{} {}", lanes[row], merged.map.rev(node.rev).id);
            if let Some(m) = self.marks[row] {
                line.push_str(&format!(" [{}]", m.label()));
            }
            line.push_str(&format!(" {}", merged.map.script_of(node.rev).summary()));
            s.push_str(line.trim_end());
            s.push('\n');
        }
        let rest = self.layout.nodes.len() - self.shown;
        if rest > 0 {
            s.push_str(&format!(
                "... {rest} older revision{} both branches share\n",
                if rest == 1 { "" } else { "s" }
            ));
        }
        s
    }
}

/// The graph of `merged` (the history the review was made on) with the PR's revisions,
/// the base's since the fork, and the fork points marked.
pub fn graph(merged: &Project, r: &Review) -> ReviewGraph {
    let layout = layout(merged);
    let mut by_rev: std::collections::HashMap<usize, Mark> = std::collections::HashMap::new();
    // the first mark given stays: a revision the PR adds is not also "edited"
    let groups: [(Vec<&String>, Mark); 4] = [
        (r.added.iter().collect(), Mark::Pr),
        (r.own_revisions().collect(), Mark::Edited),
        (r.base_since_fork.iter().collect(), Mark::SinceFork),
        (r.fork_points.iter().collect(), Mark::ForkPoint),
    ];
    for (ids, m) in groups {
        for i in ids.into_iter().filter_map(|id| merged.map.index_of(id)) {
            by_rev.entry(i).or_insert(m);
        }
    }
    let marks: Vec<Option<Mark>> = layout
        .nodes
        .iter()
        .map(|n| by_rev.get(&n.rev).copied())
        .collect();
    let shown = marks
        .iter()
        .rposition(Option::is_some)
        .map_or(0, |last| (last + 2).min(marks.len()));
    ReviewGraph {
        layout,
        marks,
        shown,
    }
}

/// One line: whether the PR can be merged as it is, and why not.
pub fn verdict(r: &Review) -> String {
    if r.blocking {
        format!(
            "Not safe to merge as it is: {}.",
            r.problems
                .iter()
                .filter(|p| match p.kind {
                    ProblemKind::BrokenRevision => false,
                    ProblemKind::SchemaContradiction => r.schema_unknown_steps == 0,
                    _ => true,
                })
                .map(|p| kind_label(p.kind))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else if r.added.is_empty() && r.modified.is_empty() && r.removed.is_empty() {
        "No migration changes.".into()
    } else {
        format!(
            "Safe to merge: one head after the merge ({}).",
            r.heads_after.join(", ")
        )
    }
}

/// A problem's kind for people.
pub fn kind_label(k: ProblemKind) -> &'static str {
    match k {
        ProblemKind::MultipleHeads => "several heads after the merge",
        ProblemKind::EditedBaseRevision => "edits a revision the base already has",
        ProblemKind::RemovedBaseRevision => "deletes a revision the base already has",
        ProblemKind::FileCollision => "both branches write the same file",
        ProblemKind::BrokenRevision => "a revision that does not load",
        ProblemKind::SchemaContradiction => "the deploy contradicts the schema",
    }
}

/// `abc (by the PR)`: a modified revision and who edited it.
pub fn edited(m: &crate::review::Modified) -> String {
    let by = match m.edited_by {
        EditedBy::Pr => "by the PR",
        EditedBy::Base => "on the base since the fork",
        EditedBy::Both => "by both",
        EditedBy::Unknown => "which side is not known without the fork point",
    };
    format!("{} ({by})", m.revision)
}

/// Ids joined by commas, or "none".
pub fn list(ids: &[String]) -> String {
    if ids.is_empty() {
        "none".into()
    } else {
        ids.join(", ")
    }
}

fn location(p: &Problem) -> String {
    match (p.path.is_empty(), p.line) {
        (true, _) => String::new(),
        (false, 0) => format!("{}: ", p.path),
        (false, l) => format!("{}:{l}: ", p.path),
    }
}

/// The review as plain text; `graph` is [`ReviewGraph::text`] of the merged history.
pub fn text(r: &Review, graph: &str) -> String {
    let mut s = format!("{}\n\n", verdict(r));
    s.push_str(&format!("added:    {}\n", list(&r.added)));
    s.push_str(&format!(
        "modified: {}\n",
        list(&r.modified.iter().map(edited).collect::<Vec<_>>())
    ));
    s.push_str(&format!("removed:  {}\n", list(&r.removed)));
    s.push_str(&format!(
        "on the base since the fork: {}\n",
        list(&r.base_since_fork)
    ));
    s.push_str(&format!(
        "heads: base {}; PR {}; after the merge {}\n",
        list(&r.heads_base),
        list(&r.heads_pr),
        list(&r.heads_after)
    ));
    for a in &r.attachments {
        s.push_str(&format!(
            "{} ({}) follows {}{}\n",
            a.revision,
            a.path,
            a.parent,
            if a.parent_is_base_head {
                ", the base's head".to_string()
            } else {
                format!(
                    ", which the base has since moved past (its heads above it: {})",
                    list(&a.base_heads_since)
                )
            }
        ));
    }
    if !graph.is_empty() {
        s.push_str("\nhistory after the merge, newest first:\n");
        for line in graph.lines() {
            s.push_str(&format!("  {line}\n"));
        }
    }
    if !r.problems.is_empty() {
        s.push_str("\nproblems:\n");
        for p in &r.problems {
            s.push_str(&format!("  {}{}\n", location(p), p.message));
        }
    }
    if !r.findings.is_empty() {
        s.push_str("\nfindings in the PR's revisions:\n");
        for f in &r.findings {
            s.push_str(&format!(
                "  {}:{}: {}[{}] {}\n",
                f.path,
                f.line,
                f.severity.as_str(),
                f.rule,
                f.message
            ));
        }
    }
    if !r.conflicts.is_empty() {
        s.push_str("\nconflicting changes:\n");
        for c in &r.conflicts {
            s.push_str(&format!(
                "  {}: {}\n    PR:   {}:{} {}\n    base: {}:{} {}\n",
                c.object,
                c.summary,
                c.pr.path,
                c.pr.line,
                c.pr.operation,
                c.base.path,
                c.base.line,
                c.base.operation
            ));
        }
    }
    for m in &r.modified {
        s.push_str(&format!("\n{}", m.diff));
    }
    if let Some(f) = &r.fixes {
        s.push_str("\nfix 1, a merge revision (safe for databases at either head; the history keeps the fork):\n");
        match (&f.merge, &f.merge_error) {
            (Some(m), _) => s.push_str(&format!(
                "  alembic merge heads  # writes {}\n",
                m.file_name
            )),
            (None, Some(e)) => s.push_str(&format!("  not available: {e}\n")),
            _ => {}
        }
        s.push_str("fix 2, re-parent (a straight history, but a database that already ran the moved revisions is out of step until re-stamped):\n");
        for rp in &f.reparent {
            s.push_str(&rp.diff);
        }
        if let Some(why) = &f.reparent_unavailable {
            s.push_str(&format!("  not available: {why}\n"));
        }
    }
    if !r.schema_diff.is_empty() {
        s.push_str(&format!(
            "\nschema after the merge, against the base:\n{}",
            r.schema_diff
        ));
    }
    s.push_str(&format!("\ndeploy SQL:\n{}", r.deploy_sql));
    if let Some(back) = &r.rollback_sql {
        s.push_str(&format!("\nrollback SQL:\n{back}"));
    }
    s
}

fn details(summary: &str, lang: &str, body: &str) -> String {
    let fence = if body.contains("```") { "````" } else { "```" };
    format!(
        "<details><summary>{summary}</summary>\n\n{fence}{lang}\n{}\n{fence}\n\n</details>\n\n",
        body.trim_end()
    )
}

/// The review as a pull-request comment; `graph` is [`ReviewGraph::text`] of the merged
/// history.
pub fn markdown(r: &Review, graph: &str) -> String {
    let mut s = format!("{COMMENT_MARKER}\n### Migrations\n\n");
    s.push_str(&format!(
        "{} {}\n\n",
        if r.blocking { "❌" } else { "✅" },
        verdict(r)
    ));
    s.push_str("| | |\n|---|---|\n");
    s.push_str(&format!("| added | {} |\n", list(&r.added)));
    if !r.modified.is_empty() {
        s.push_str(&format!(
            "| modified | {} |\n",
            list(&r.modified.iter().map(edited).collect::<Vec<_>>())
        ));
    }
    if !r.removed.is_empty() {
        s.push_str(&format!("| removed | {} |\n", list(&r.removed)));
    }
    s.push_str(&format!(
        "| heads after the merge | {} |\n\n",
        list(&r.heads_after)
    ));
    for p in &r.problems {
        s.push_str(&format!(
            "- **{}** {}{}\n",
            kind_label(p.kind),
            location(p),
            p.message
        ));
    }
    if !r.problems.is_empty() {
        s.push('\n');
    }
    if !r.findings.is_empty() {
        s.push_str("**Findings in the PR's revisions**\n\n| where | severity | rule | finding |\n|---|---|---|---|\n");
        for f in &r.findings {
            s.push_str(&format!(
                "| `{}:{}` | {} | `{}` | {} |\n",
                f.path,
                f.line,
                f.severity.as_str(),
                f.rule,
                crate::present::export::md_text(&f.message)
            ));
        }
        s.push('\n');
    }
    if !r.conflicts.is_empty() {
        s.push_str("**Conflicting changes**\n\n| object | | PR | base |\n|---|---|---|---|\n");
        for c in &r.conflicts {
            s.push_str(&format!(
                "| `{}` | {} | `{}:{}` | `{}:{}` |\n",
                c.object, c.summary, c.pr.path, c.pr.line, c.base.path, c.base.line
            ));
        }
        s.push('\n');
    }
    if let Some(f) = &r.fixes {
        if let Some(m) = &f.merge {
            s.push_str(&details(
                &format!(
                    "Fix: a merge revision (<code>alembic merge heads</code>, writes <code>{}</code>): safe for databases at either head",
                    m.file_name
                ),
                "python",
                &m.text,
            ));
        }
        for rp in &f.reparent {
            s.push_str(&details(
                &format!(
                    "Fix: re-parent {} onto {} (a straight history; databases that already ran {} must be re-stamped)",
                    rp.revision, rp.to, rp.revision
                ),
                "diff",
                &rp.diff,
            ));
        }
    }
    if !graph.is_empty() {
        s.push_str(&details("History after the merge", "text", graph));
    }
    for m in &r.modified {
        s.push_str(&details(
            &format!("Changes to {}", m.revision),
            "diff",
            &m.diff,
        ));
    }
    if !r.schema_diff.is_empty() {
        s.push_str(&details("Schema after the merge", "diff", &r.schema_diff));
    }
    s.push_str(&details("Deploy SQL", "sql", &r.deploy_sql));
    if let Some(back) = &r.rollback_sql {
        s.push_str(&details("Rollback SQL", "sql", back));
    }
    s
}

/// GitHub workflow commands: one annotation per problem and conflict.
pub fn github(r: &Review, display: impl Fn(&str) -> String) -> String {
    let esc = crate::present::lint::gh_data;
    let mut s = String::new();
    for p in &r.problems {
        let mut params = Vec::new();
        if !p.path.is_empty() {
            params.push(format!("file={}", display(&p.path)));
            if p.line > 0 {
                params.push(format!("line={}", p.line));
            }
        }
        params.push(format!("title=alembic-planner: {}", kind_label(p.kind)));
        let level = if p.kind == ProblemKind::BrokenRevision {
            "warning"
        } else {
            "error"
        };
        s.push_str(&format!(
            "::{level} {}::{}\n",
            params.join(","),
            esc(&p.message)
        ));
    }
    for f in &r.findings {
        s.push_str(&crate::present::lint::finding_annotation(
            f,
            &display(&f.path),
            &format!("alembic-planner: {}", f.rule),
        ));
    }
    for c in &r.conflicts {
        s.push_str(&format!(
            "::warning file={},line={},title=alembic-planner: conflicting change::{} ({}:{} on the base)\n",
            display(&c.pr.path),
            c.pr.line,
            esc(&c.summary),
            c.base.path,
            c.base.line
        ));
    }
    s
}
