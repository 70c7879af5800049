//! Documents for teams recording migration order: Markdown (the revision tree in lanes,
//! what each revision does, and which migrations touch each table), a Mermaid graph, and the
//! graph as a standalone SVG. The web app's export buttons and `alembic-planner export` print
//! these same texts.

use crate::present::layout::{EdgeKind, Geometry, Layout};
use crate::project::Project;
use crate::schema::{EventAction, ObjectKind, Simulation};

/// What a revision is in the graph, for styling: `head`, `base`, `branchpoint`,
/// `mergepoint` (the first that applies), or `revision`.
pub fn role(project: &Project, rev: usize) -> &'static str {
    let r = project.map.rev(rev);
    if r.is_real_head() {
        "head"
    } else if r.is_merge_point() {
        "mergepoint"
    } else if r.is_branch_point() {
        "branchpoint"
    } else if r.is_base() {
        "base"
    } else {
        "revision"
    }
}

/// Every role that applies, as Alembic's `history` words them.
fn roles(project: &Project, rev: usize) -> Vec<&'static str> {
    let r = project.map.rev(rev);
    let mut v = Vec::new();
    if r.is_real_head() {
        v.push("head");
    }
    if r.is_base() {
        v.push("base");
    }
    if r.is_branch_point() {
        v.push("branchpoint");
    }
    if r.is_merge_point() {
        v.push("mergepoint");
    }
    v
}

/// The Markdown document: summary, the ordered tree, the per-revision table and the
/// table-to-migration table.
pub fn markdown(project: &Project, layout: &Layout, sim: &Simulation, title: &str) -> String {
    let map = &project.map;
    let mut out = format!("# Migrations: {}\n\n", md_text(title));
    out.push_str(&format!(
        "{} revision{}; head{}: {}; base{}: {}.\n\n",
        map.len(),
        if map.len() == 1 { "" } else { "s" },
        if map.real_heads.len() == 1 { "" } else { "s" },
        code_list(&map.real_heads),
        if map.real_bases.len() == 1 { "" } else { "s" },
        code_list(&map.real_bases),
    ));
    out.push_str("## Order (newest first)\n\n```text\n");
    for (node, lanes) in layout.nodes.iter().zip(layout.lane_text()) {
        let id = &map.rev(node.rev).id;
        let mut text = format!("{} {id}", lanes);
        let r = roles(project, node.rev);
        if !r.is_empty() {
            text.push_str(&format!(" ({})", r.join(", ")));
        }
        let msg = project.map.script_of(node.rev).summary();
        if !msg.is_empty() {
            text.push_str(&format!("  {msg}"));
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out.push_str("```\n\n## What each revision does (upgrade order)\n\n");
    out.push_str(&crate::present::tables::revisions_markdown(project, sim));
    out.push_str("\n## Tables and the migrations that touch them\n\n");
    out.push_str("| Table | Created by | Changed by (columns, indexes, constraints) | Renamed by | Dropped by | Data written by |\n|---|---|---|---|---|---|\n");
    for (table, events) in sim.by_table() {
        // the table's own create/rename/drop; every change to its parts; rows written
        // `None`: every change to the table's parts (or its own alter)
        let by = |column: Option<EventAction>| -> String {
            let mut ids: Vec<&str> = Vec::new();
            let created_in = |rev: usize| {
                events.iter().any(|c| {
                    c.rev == rev && c.kind == ObjectKind::Table && c.action == EventAction::Create
                })
            };
            let picked = events.iter().filter(|e| match column {
                // the parts a create_table makes are its creation, not a change
                None => {
                    ((e.kind != ObjectKind::Table
                        && !matches!(e.action, EventAction::Data | EventAction::Read))
                        || (e.kind == ObjectKind::Table && e.action == EventAction::Alter))
                        && !created_in(e.rev)
                }
                Some(EventAction::Data) => e.action == EventAction::Data,
                Some(action) => e.kind == ObjectKind::Table && e.action == action,
            });
            for e in picked {
                let id = map.rev(e.rev).id.as_str();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            ids.join(", ")
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            md_text(&table),
            by(Some(EventAction::Create)),
            by(None),
            by(Some(EventAction::Rename)),
            by(Some(EventAction::Drop)),
            by(Some(EventAction::Data))
        ));
    }
    out
}

fn code_list(ids: &[String]) -> String {
    if ids.is_empty() {
        "none".into()
    } else {
        ids.iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Text safe in a Markdown table cell or heading.
pub fn md_text(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The graph as a Mermaid flowchart, newest on top: an arrow from each revision to the
/// revisions it upgrades from, dotted for `depends_on`.
pub fn mermaid(project: &Project, layout: &Layout) -> String {
    let map = &project.map;
    let mut out = String::from("flowchart TD\n");
    for (row, node) in layout.nodes.iter().enumerate() {
        let id = &map.rev(node.rev).id;
        let msg = project.map.script_of(node.rev).summary();
        let label = if msg.is_empty() {
            mermaid_text(id)
        } else {
            format!("{}<br/>{}", mermaid_text(id), mermaid_text(&msg))
        };
        out.push_str(&format!(
            "    r{row}[\"{label}\"]:::{}\n",
            role(project, node.rev)
        ));
    }
    for e in &layout.edges {
        let arrow = match e.kind {
            EdgeKind::Down => "-->",
            EdgeKind::DependsOn => "-.->|depends_on|",
        };
        out.push_str(&format!("    r{} {arrow} r{}\n", e.from_row, e.to_row));
    }
    for (row, node) in layout.nodes.iter().enumerate() {
        for m in &node.missing {
            out.push_str(&format!(
                "    r{row} --> missing{row}[\"{} (missing)\"]:::missing\n",
                mermaid_text(m)
            ));
        }
    }
    out.push_str(
        "    classDef head stroke:#1a7f37,stroke-width:2px\n    classDef base stroke:#57606a,stroke-width:2px\n    classDef branchpoint stroke:#8250df,stroke-width:2px\n    classDef mergepoint stroke:#bf5700,stroke-width:2px\n    classDef missing stroke:#cf222e,stroke-dasharray:4\n    classDef revision stroke:#2b5797\n",
    );
    out
}

/// Mermaid label text: quotes and markup characters as entity codes.
fn mermaid_text(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#60;"),
            '>' => out.push_str("#62;"),
            '&' => out.push_str("#38;"),
            '#' => out.push_str("#35;"),
            '`' => out.push_str("#96;"),
            _ => out.push(c),
        }
    }
    out
}

/// Text escaped for XML.
pub fn xml_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The graph's styles: in the standalone document's `<style>`; the web app's style sheet
/// carries them for a graph drawn in the page (its policy allows no inline style).
pub const SVG_STYLE: &str = ".e{fill:none;stroke:#8c959f;stroke-width:1.5}.d{fill:none;stroke:#bf5700;stroke-width:1.2;stroke-dasharray:4 3}.n{fill:#fff;stroke:#2b5797;stroke-width:2}.head{stroke:#1a7f37;fill:#1a7f37}.base{stroke:#57606a}.branchpoint{stroke:#8250df}.mergepoint{stroke:#bf5700}.id{fill:#2b5797}.msg{fill:#1d2330;font-family:system-ui,sans-serif}.missing{fill:#cf222e}.n.pr{fill:#0969da;stroke:#0969da}.n.edited{fill:#cf222e;stroke:#cf222e}.n.since-fork{fill:#bf8700;stroke:#bf8700}.n.fork-point{stroke:#8250df;stroke-width:4}.tag{font-family:system-ui,sans-serif;font-weight:600}.tag.pr{fill:#0969da}.tag.edited{fill:#cf222e}.tag.since-fork{fill:#9a6700}.tag.fork-point{fill:#8250df}";

/// The whole graph as a standalone SVG document, drawn as the web view draws it.
pub fn svg(project: &Project, layout: &Layout) -> String {
    svg_marked(project, layout, layout.nodes.len(), true, |_| None)
}

/// The newest `rows` rows of the graph as an SVG document, each revision `mark` returns
/// a mark for (by row) drawn with that mark's class and its label after the message;
/// with [`SVG_STYLE`] inside when `embed_style`.
pub fn svg_marked(
    project: &Project,
    layout: &Layout,
    rows: usize,
    embed_style: bool,
    mark: impl Fn(usize) -> Option<(&'static str, &'static str)>,
) -> String {
    let g = Geometry::default();
    let map = &project.map;
    let rows = rows.min(layout.nodes.len());
    let text_x = g.text_x(layout.lanes);
    let width = text_x + 640.0;
    let height = g.row_height * rows.max(1) as f64;
    let style = if embed_style {
        format!("<style>{SVG_STYLE}</style>\n")
    } else {
        String::new()
    };
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"ui-monospace, Menlo, Consolas, monospace\" font-size=\"12\">\n{style}<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"
    );
    for e in layout.edges_in(0..rows) {
        let class = if e.kind == EdgeKind::Down { "e" } else { "d" };
        out.push_str(&format!(
            "<path class=\"{class}\" d=\"{}\"/>\n",
            g.edge_path(e)
        ));
    }
    for (row, node) in layout.nodes.iter().enumerate().take(rows) {
        let rev = map.rev(node.rev);
        let (x, y) = (g.x(node.lane), g.y(row));
        let marked = mark(row);
        let extra = marked
            .map(|(class, _)| format!(" {class}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "<circle class=\"n {}{extra}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5\"><title>{}</title></circle>\n",
            role(project, node.rev),
            xml_text(&rev.id)
        ));
        let mut label = rev.id.clone();
        let labels = map.labels(node.rev);
        if !labels.is_empty() {
            label.push_str(&format!(" ({})", labels.join(", ")));
        }
        out.push_str(&format!(
            "<text x=\"{text_x:.1}\" y=\"{:.1}\"><tspan class=\"id\">{}</tspan> ",
            y + 4.0,
            xml_text(&label),
        ));
        if let Some((class, tag)) = marked {
            out.push_str(&format!("<tspan class=\"tag {class}\">[{tag}]</tspan> "));
        }
        out.push_str(&format!(
            "<tspan class=\"msg\">{}</tspan>",
            xml_text(&project.map.script_of(node.rev).summary())
        ));
        for m in &node.missing {
            out.push_str(&format!(
                " <tspan class=\"missing\">missing {}</tspan>",
                xml_text(m)
            ));
        }
        out.push_str("</text>\n");
    }
    out.push_str("</svg>\n");
    out
}
