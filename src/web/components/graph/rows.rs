//! The SVG of the graph's rows on screen: row bands, the links between them, and each
//! revision's circle and text.

use std::collections::HashSet;
use std::ops::Range;
use std::rc::Rc;

use alembic_planner::present::export::role;
use alembic_planner::present::layout::{EdgeKind, Geometry, Layout};
use alembic_planner::Project;
use yew::prelude::*;

#[derive(Properties)]
pub struct GraphRowsProps {
    pub project: Rc<Project>,
    pub layout: Rc<Layout>,
    pub zoom: f64,
    /// The rows drawn.
    pub rows: Range<usize>,
    pub selected_row: Option<usize>,
    pub matches: Rc<HashSet<usize>>,
    /// Revision index → its findings (the Findings view lists them).
    pub findings: Rc<std::collections::HashMap<usize, usize>>,
    /// A row clicked (not dragged).
    pub on_row: Callback<usize>,
}

impl PartialEq for GraphRowsProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.project, &o.project)
            && Rc::ptr_eq(&self.layout, &o.layout)
            && Rc::ptr_eq(&self.matches, &o.matches)
            && Rc::ptr_eq(&self.findings, &o.findings)
            && self.zoom == o.zoom
            && self.rows == o.rows
            && self.selected_row == o.selected_row
            && self.on_row == o.on_row
    }
}

#[function_component(GraphRows)]
pub fn graph_rows(props: &GraphRowsProps) -> Html {
    let layout = &props.layout;
    let zoom = props.zoom;
    let g = Geometry::default().scaled(zoom);
    let rows = layout.nodes.len();
    let text_x = g.text_x(layout.lanes);
    let width = text_x + 900.0 * zoom.max(0.6);
    let total_h = (rows.max(1) as f64) * g.row_height;
    let font = 12.5 * zoom;
    let show_messages = zoom >= 0.6;
    let map = &props.project.map;
    let selected_row = props.selected_row;
    html! {
        <svg class="graph-svg" width={format!("{width:.0}")} height={format!("{total_h:.0}")}
            font-size={format!("{font:.1}")}>
            { for props.rows.clone().map(|row| {
                let y = row as f64 * g.row_height;
                let class = classes!("row-bg",
                    (selected_row == Some(row)).then_some("selected"),
                    props.matches.contains(&row).then_some("match"));
                html! { <rect {class} x="0" y={format!("{y:.1}")} width="100%" height={format!("{:.1}", g.row_height)} /> }
            }) }
            { for layout.edges_in(props.rows.clone()).map(|e| {
                let class = match e.kind { EdgeKind::Down => "edge", EdgeKind::DependsOn => "edge dep" };
                html! { <path {class} d={g.edge_path(e)} /> }
            }) }
            { for props.rows.clone().map(|row| {
                let n = &layout.nodes[row];
                let rev = map.rev(n.rev);
                let (x, y) = (g.x(n.lane), g.y(row));
                let r = (4.5 * zoom).max(2.5);
                let message = map.script_of(n.rev).summary();
                let label = format!("{}{}", rev.id, if message.is_empty() { String::new() } else { format!(", {message}") });
                html! {
                    <g class={classes!("node", role(&props.project, n.rev))} role="option" id={format!("g-{}", rev.id)}
                        data-rev={rev.id.clone()} aria-selected={(selected_row == Some(row)).to_string()} aria-label={label}
                        onclick={props.on_row.reform(move |_: MouseEvent| row)}>
                        <rect class="hit" x="0" y={format!("{:.1}", row as f64 * g.row_height)} width="100%" height={format!("{:.1}", g.row_height)} />
                        { for n.missing.iter().map(|m| html! {
                            <path class="edge missing" d={format!("M{x:.1} {y:.1}L{:.1} {:.1}", x + g.lane_width * 0.9, y + g.row_height * 0.6)}><title>{ format!("missing revision {m}") }</title></path>
                        }) }
                        <circle cx={format!("{x:.1}")} cy={format!("{y:.1}")} r={format!("{r:.1}")} />
                        <text x={format!("{text_x:.1}")} y={format!("{:.1}", y + font * 0.35)}>
                            <tspan class="id">{ &rev.id }</tspan>
                            // the labels the file declares; the inherited ones on hover
                            { for rev.own_labels.iter().map(|l| html! { <tspan class="label">{ format!(" ({l})") }</tspan> }) }
                            if let Some(inherited) = Some(map.labels(n.rev).into_iter().filter(|l| !rev.own_labels.iter().any(|o| o == l)).collect::<Vec<_>>()).filter(|v| !v.is_empty()) {
                                <tspan class="label inherited">{ " ·" }<title>{ format!("on branch {}", inherited.join(", ")) }</title></tspan>
                            }
                            if rev.is_real_head() { <tspan class="tag head">{ " head" }</tspan> }
                            if rev.is_merge_point() { <tspan class="tag mergepoint">{ " mergepoint" }</tspan> }
                            if rev.is_branch_point() { <tspan class="tag branchpoint">{ " branchpoint" }</tspan> }
                            if !n.missing.is_empty() { <tspan class="tag missing">{ format!(" missing {}", n.missing.join(", ")) }</tspan> }
                            if let Some(k) = props.findings.get(&n.rev) { <tspan class="tag finding">{ format!(" {k} finding{}", if *k == 1 { "" } else { "s" }) }</tspan> }
                            if show_messages { <tspan class="msg">{ format!("  {message}") }</tspan> }
                        </text>
                    </g>
                }
            }) }
        </svg>
    }
}
