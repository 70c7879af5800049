//! The revision graph laid out in lanes, like `git log --graph`: one row per revision in
//! Alembic's history order (newest on top), each revision in a lane, each `down_revision`
//! link routed down a lane, `depends_on` links drawn apart. The web app draws only the
//! rows on screen from this; the SVG and Mermaid exports and `graph` text use it too.

use std::collections::HashMap;
use std::ops::Range;

use crate::project::Project;

/// Where one revision is drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// Index of the revision in the map.
    pub rev: usize,
    pub lane: usize,
    /// `down_revision` ids the map could not resolve (a broken link).
    pub missing: Vec<String>,
}

/// What an edge stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeKind {
    /// `down_revision`: the child upgrades from the parent.
    Down,
    /// `depends_on`: the child needs the other revision applied first.
    DependsOn,
}

/// One link, from a child's row to the row of the revision it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    pub kind: EdgeKind,
    pub from_row: usize,
    pub to_row: usize,
    pub from_lane: usize,
    /// The lane the edge runs down between the two rows (`Down` edges).
    pub via_lane: usize,
    pub to_lane: usize,
}

impl Edge {
    /// The rows the edge crosses, both ends included.
    pub fn rows(&self) -> Range<usize> {
        self.from_row.min(self.to_row)..self.from_row.max(self.to_row) + 1
    }
}

/// The whole graph in rows and lanes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    /// Row `i` is `nodes[i]`: history order, newest first.
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// How many lanes the widest row uses.
    pub lanes: usize,
    /// Revision index → row.
    pub row_of: HashMap<usize, usize>,
}

impl Layout {
    /// The edges with a part in `rows` (the rows on screen).
    pub fn edges_in(&self, rows: Range<usize>) -> impl Iterator<Item = &Edge> {
        self.edges.iter().filter(move |e| {
            let r = e.rows();
            r.start < rows.end && rows.start < r.end
        })
    }

    /// Each row's lanes as text, one character a lane: `*` the revision, `|` a
    /// `down_revision` link passing down that lane, a space otherwise.
    pub fn lane_text(&self) -> Vec<String> {
        let mut grid = vec![vec![' '; self.lanes]; self.nodes.len()];
        for e in self.edges.iter().filter(|e| e.kind == EdgeKind::Down) {
            for row in grid.iter_mut().take(e.to_row).skip(e.from_row + 1) {
                row[e.via_lane] = '|';
            }
        }
        for (row, node) in self.nodes.iter().enumerate() {
            grid[row][node.lane] = '*';
        }
        grid.into_iter().map(|r| r.into_iter().collect()).collect()
    }

    /// The graph as text, a row per revision: its `lane_text`, the id, then its links
    /// (`-> parent`, with the lane when it leaves by another, `..> dependency`, `-> id
    /// (missing)`). The layout's fixtures are written in this form.
    pub fn to_text(&self, project: &Project) -> String {
        let mut out = String::new();
        for (row, (node, lanes)) in self.nodes.iter().zip(self.lane_text()).enumerate() {
            let rev = project.map.rev(node.rev);
            let mut line = format!("{} {}", lanes, rev.id);
            for e in self.edges.iter().filter(|e| e.from_row == row) {
                let to = &project.map.rev(self.nodes[e.to_row].rev).id;
                match e.kind {
                    EdgeKind::Down if e.via_lane == e.from_lane => {
                        line.push_str(&format!(" -> {to}"))
                    }
                    EdgeKind::Down => line.push_str(&format!(" -> {to} (lane {})", e.via_lane)),
                    EdgeKind::DependsOn => line.push_str(&format!(" ..> {to}")),
                }
            }
            for m in &node.missing {
                line.push_str(&format!(" -> {m} (missing)"));
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// Sizes of the drawn graph, in pixels (the web view scales them to zoom).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Geometry {
    pub row_height: f64,
    pub lane_width: f64,
    /// Left margin before the first lane.
    pub left: f64,
}

impl Default for Geometry {
    fn default() -> Self {
        Geometry {
            row_height: 28.0,
            lane_width: 16.0,
            left: 12.0,
        }
    }
}

impl Geometry {
    pub fn scaled(self, zoom: f64) -> Geometry {
        Geometry {
            row_height: self.row_height * zoom,
            lane_width: self.lane_width * zoom,
            left: self.left * zoom,
        }
    }

    pub fn x(&self, lane: usize) -> f64 {
        self.left + lane as f64 * self.lane_width
    }

    pub fn y(&self, row: usize) -> f64 {
        (row as f64 + 0.5) * self.row_height
    }

    /// Where the text of every row starts: right of the widest row's lanes.
    pub fn text_x(&self, lanes: usize) -> f64 {
        self.x(lanes.max(1)) + self.lane_width * 0.5
    }

    /// The SVG path of an edge: a `down_revision` link bends into its lane within the
    /// child's row, runs straight down, and bends into the parent's lane within the parent's
    /// row; a `depends_on` link is one curve bowing right of both ends.
    pub fn edge_path(&self, e: &Edge) -> String {
        let (x1, y1) = (self.x(e.from_lane), self.y(e.from_row));
        let (x2, y2) = (self.x(e.to_lane), self.y(e.to_row));
        let xv = self.x(e.via_lane);
        let h = self.row_height;
        match e.kind {
            EdgeKind::DependsOn => {
                let bow = x1.max(x2) + self.lane_width * 1.5;
                format!("M{x1:.1} {y1:.1}C{bow:.1} {y1:.1} {bow:.1} {y2:.1} {x2:.1} {y2:.1}")
            }
            EdgeKind::Down if e.to_row <= e.from_row => {
                format!("M{x1:.1} {y1:.1}L{x2:.1} {y2:.1}")
            }
            EdgeKind::Down => {
                let top = y1 + h * 0.5;
                let bottom = y2 - h * 0.5;
                let mut d = format!("M{x1:.1} {y1:.1}");
                if xv != x1 {
                    d.push_str(&format!(
                        "C{x1:.1} {top:.1} {xv:.1} {y1:.1} {xv:.1} {top:.1}"
                    ));
                } else {
                    d.push_str(&format!("L{xv:.1} {top:.1}"));
                }
                d.push_str(&format!("L{xv:.1} {bottom:.1}"));
                if xv != x2 {
                    d.push_str(&format!(
                        "C{xv:.1} {y2:.1} {x2:.1} {bottom:.1} {x2:.1} {y2:.1}"
                    ));
                } else {
                    d.push_str(&format!("L{x2:.1} {y2:.1}"));
                }
                d
            }
        }
    }
}

/// Lays the revision graph out in lanes, newest revision on top.
pub fn layout(project: &Project) -> Layout {
    let map = &project.map;
    let order = project.history_order();
    let row_of: HashMap<usize, usize> =
        order.iter().enumerate().map(|(row, &i)| (i, row)).collect();
    // lane → the revision the link running down it leads to
    let mut lanes: Vec<Option<usize>> = Vec::new();
    let mut nodes = Vec::with_capacity(order.len());
    let mut edges = Vec::new();
    let mut width = 0;
    let free = |lanes: &mut Vec<Option<usize>>| -> usize {
        match lanes.iter().position(Option::is_none) {
            Some(l) => l,
            None => {
                lanes.push(None);
                lanes.len() - 1
            }
        }
    };
    // the lane each link into a revision arrives by: (child row, lane) per parent
    let mut arriving: HashMap<usize, Vec<(usize, usize, usize)>> = HashMap::new();
    for (row, &i) in order.iter().enumerate() {
        let expecting: Vec<usize> = (0..lanes.len()).filter(|&l| lanes[l] == Some(i)).collect();
        let lane = match expecting.first() {
            Some(&l) => l,
            None => free(&mut lanes),
        };
        for &l in &expecting {
            lanes[l] = None;
        }
        for (from_row, from_lane, via_lane) in arriving.remove(&i).unwrap_or_default() {
            edges.push(Edge {
                kind: EdgeKind::Down,
                from_row,
                to_row: row,
                from_lane,
                via_lane,
                to_lane: lane,
            });
        }
        let rev = map.rev(i);
        for (k, &p) in rev.down_idx.iter().enumerate() {
            match row_of.get(&p) {
                // a parent drawn above its child (only in a graph Alembic refuses)
                Some(&prow) if prow <= row => edges.push(Edge {
                    kind: EdgeKind::Down,
                    from_row: row,
                    to_row: prow,
                    from_lane: lane,
                    via_lane: lane,
                    to_lane: nodes.get(prow).map_or(lane, |n: &Node| n.lane),
                }),
                Some(_) => {
                    let via = if k == 0 {
                        lane
                    } else if let Some(l) = lanes.iter().position(|x| *x == Some(p)) {
                        l
                    } else {
                        free(&mut lanes)
                    };
                    lanes[via] = Some(p);
                    arriving.entry(p).or_default().push((row, lane, via));
                }
                None => {}
            }
        }
        width = width.max(lanes.len()).max(lane + 1);
        while lanes.last() == Some(&None) {
            lanes.pop();
        }
        let missing = map
            .script_of(i)
            .down_revision
            .iter()
            .flatten()
            .filter(|d| map.index_of(d).is_none())
            .cloned()
            .collect();
        nodes.push(Node {
            rev: i,
            lane,
            missing,
        });
    }
    for (row, &i) in order.iter().enumerate() {
        for &d in &map.rev(i).resolved_deps {
            if let Some(&drow) = row_of.get(&d) {
                edges.push(Edge {
                    kind: EdgeKind::DependsOn,
                    from_row: row,
                    to_row: drow,
                    from_lane: nodes[row].lane,
                    via_lane: nodes[row].lane,
                    to_lane: nodes[drow].lane,
                });
            }
        }
    }
    edges.sort_by_key(|e| (e.from_row, e.kind == EdgeKind::DependsOn, e.to_row));
    Layout {
        nodes,
        edges,
        lanes: width,
        row_of,
    }
}

/// The rows whose revision matches `query`, case-insensitively: a prefix of its id, of
/// one of its branch labels (inherited ones too) or of a table it touches, or a part of
/// its message. Empty: none.
pub fn search(project: &Project, layout: &Layout, query: &str) -> Vec<usize> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    layout
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| {
            let rev = project.map.rev(n.rev);
            rev.id.to_lowercase().starts_with(&q)
                || project
                    .map
                    .labels(n.rev)
                    .iter()
                    .any(|l| l.to_lowercase().starts_with(&q))
                || project
                    .map
                    .script_of(n.rev)
                    .message()
                    .to_lowercase()
                    .contains(&q)
                || project
                    .tables_touched(n.rev)
                    .iter()
                    .any(|t| t.to_lowercase().starts_with(&q))
        })
        .map(|(row, _)| row)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rev(id: &str, down: &str) -> (String, String) {
        (
            format!("{id}_m.py"),
            format!("revision = '{id}'\ndown_revision = {down}\n\ndef upgrade():\n    pass\n"),
        )
    }

    #[test]
    fn search_takes_prefixes_of_labels_and_tables_in_any_case() {
        let p = Project::from_texts(&[
            rev("a1", "None"),
            (
                "b2_m.py".into(),
                "revision = 'b2'\ndown_revision = 'a1'\nbranch_labels = ('Reporting',)\n\ndef upgrade():\n    op.create_table('invoice_lines')\n".into(),
            ),
        ]);
        let l = layout(&p);
        let ids = |q: &str| -> Vec<String> {
            search(&p, &l, q)
                .into_iter()
                .map(|row| p.map.rev(l.nodes[row].rev).id.clone())
                .collect()
        };
        // a label belongs to the revisions below it too (Alembic propagates it)
        assert_eq!(ids("REPORT"), ["b2", "a1"]);
        assert_eq!(ids("Invoice"), ["b2"]);
        assert_eq!(ids("A1"), ["a1"]);
        assert!(ids("porting").is_empty());
    }

    #[test]
    fn a_branch_and_its_merge_take_two_lanes() {
        let p = Project::from_texts(&[
            rev("a", "None"),
            rev("b", "'a'"),
            rev("c", "'a'"),
            rev("d", "('b', 'c')"),
        ]);
        let l = layout(&p);
        assert_eq!(l.lanes, 2);
        let text = l.to_text(&p);
        assert_eq!(
            text, "*  d -> b -> c (lane 1)\n*| b -> a\n|* c -> a\n*  a\n",
            "{text}"
        );
        assert_eq!(l.edges_in(0..1).count(), 2);
        assert_eq!(l.edges_in(3..4).count(), 2);
    }
}
