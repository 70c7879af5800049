//! The revision graph as SVG, drawn from the core's lane layout. Only the rows on screen
//! (and a margin) are in the DOM, so 10,000 revisions scroll as smoothly as 10. Zoom with
//! the buttons, Ctrl + wheel or `+`/`-`; pan by dragging or scrolling; arrows and j/k move
//! the selection, h/l go to a parent or child, n/N to the next search match.

use std::cell::RefCell;
use std::rc::Rc;

use alembic_planner::present::export::role;
use alembic_planner::present::layout::{EdgeKind, Geometry, Layout};
use alembic_planner::Project;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

/// Rows drawn above and below the visible ones.
const OVERSCAN: usize = 30;
const MIN_ZOOM: f64 = 0.4;
const MAX_ZOOM: f64 = 2.5;

#[derive(Properties)]
pub struct GraphProps {
    pub project: Rc<Project>,
    pub layout: Rc<Layout>,
    /// The selected revision (index in the map).
    pub selected: Option<usize>,
    pub find: AttrValue,
    pub on_select: Callback<usize>,
    pub on_find: Callback<String>,
}

impl PartialEq for GraphProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.project, &other.project)
            && Rc::ptr_eq(&self.layout, &other.layout)
            && self.selected == other.selected
            && self.find == other.find
    }
}

/// A shared value compared by identity (a hook dependency that changes when it is replaced).
struct Same<T>(Rc<T>);

impl<T> PartialEq for Same<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Default)]
struct Drag {
    down: Option<(i32, i32, f64, f64)>,
    moved: bool,
}

#[function_component(Graph)]
pub fn graph(props: &GraphProps) -> Html {
    let viewport = use_node_ref();
    let search = use_node_ref();
    // (scroll top, viewport height) in pixels
    let (scroll, onscroll) = crate::hooks::use_scroll_window(viewport.clone(), 800.0);
    let zoom = use_state(|| 1.0f64);
    let drag = use_mut_ref(Drag::default);
    let layout = &props.layout;
    let g = Geometry::default().scaled(*zoom);
    let rows = layout.nodes.len();
    let matches = use_memo(
        (
            Same(Rc::clone(&props.project)),
            Same(Rc::clone(&props.layout)),
            props.find.clone(),
        ),
        |(p, l, q)| alembic_planner::present::layout::search(&p.0, &l.0, q),
    );
    let selected_row = props.selected.and_then(|i| layout.row_of.get(&i).copied());

    // bring the selected revision into view when it changes (from any view) or on zoom
    {
        let viewport = viewport.clone();
        let scroll = scroll.clone();
        let rh = g.row_height;
        use_effect_with((selected_row, *zoom), move |(row, _)| {
            if let (Some(row), Some(el)) = (row, viewport.cast::<HtmlElement>()) {
                if let Some(now) = crate::dom::keep_in_view(&el, *row as f64 * rh, rh) {
                    scroll.set(now);
                }
            }
        });
    }

    let select_row = {
        let on_select = props.on_select.clone();
        let layout = Rc::clone(&props.layout);
        move |row: usize| {
            if let Some(n) = layout.nodes.get(row) {
                on_select.emit(n.rev);
            }
        }
    };
    let set_zoom = {
        let zoom = zoom.clone();
        Callback::from(move |z: f64| zoom.set(z.clamp(MIN_ZOOM, MAX_ZOOM)))
    };

    let onwheel = {
        let set_zoom = set_zoom.clone();
        let z = *zoom;
        Callback::from(move |e: WheelEvent| {
            if e.ctrl_key() {
                e.prevent_default();
                set_zoom.emit(if e.delta_y() < 0.0 {
                    z * 1.15
                } else {
                    z / 1.15
                });
            }
        })
    };
    let onmousedown = {
        let drag = drag.clone();
        let viewport = viewport.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(el) = viewport.cast::<HtmlElement>() {
                *drag.borrow_mut() = Drag {
                    down: Some((
                        e.client_x(),
                        e.client_y(),
                        el.scroll_left() as f64,
                        el.scroll_top() as f64,
                    )),
                    moved: false,
                };
            }
        })
    };
    let onmousemove = {
        let drag = drag.clone();
        let viewport = viewport.clone();
        Callback::from(move |e: MouseEvent| {
            let mut d = drag.borrow_mut();
            let Some((x, y, left, top)) = d.down else {
                return;
            };
            if e.buttons() & 1 == 0 {
                d.down = None;
                return;
            }
            let (dx, dy) = (e.client_x() - x, e.client_y() - y);
            if dx.abs() + dy.abs() > 4 {
                d.moved = true;
            }
            if d.moved {
                if let Some(el) = viewport.cast::<HtmlElement>() {
                    el.set_scroll_left((left - dx as f64) as i32);
                    el.set_scroll_top((top - dy as f64) as i32);
                }
            }
        })
    };
    let onmouseup = {
        let drag = drag.clone();
        Callback::from(move |_: MouseEvent| drag.borrow_mut().down = None)
    };

    let next_match = {
        let matches = Rc::clone(&matches);
        let select_row = select_row.clone();
        move |from: Option<usize>, forward: bool| {
            if matches.is_empty() {
                return;
            }
            let pick = match (from, forward) {
                (Some(r), true) => matches.iter().find(|&&m| m > r).or(matches.first()),
                (Some(r), false) => matches.iter().rev().find(|&&m| m < r).or(matches.last()),
                (None, true) => matches.first(),
                (None, false) => matches.last(),
            };
            if let Some(&m) = pick {
                select_row(m);
            }
        }
    };
    let onkeydown = {
        let select_row = select_row.clone();
        let set_zoom = set_zoom.clone();
        let z = *zoom;
        let next_match = next_match.clone();
        let search = search.clone();
        let layout = Rc::clone(&props.layout);
        let project = Rc::clone(&props.project);
        Callback::from(move |e: KeyboardEvent| {
            let cur = selected_row;
            let last = rows.saturating_sub(1);
            let target = match e.key().as_str() {
                "ArrowDown" | "j" => Some(cur.map_or(0, |r| (r + 1).min(last))),
                "ArrowUp" | "k" => Some(cur.map_or(0, |r| r.saturating_sub(1))),
                "PageDown" => Some(cur.map_or(0, |r| (r + 20).min(last))),
                "PageUp" => Some(cur.map_or(0, |r| r.saturating_sub(20))),
                "Home" => Some(0),
                "End" => Some(last),
                // to the first parent / first child
                "ArrowLeft" | "h" => cur.and_then(|r| {
                    let i = layout.nodes[r].rev;
                    project
                        .map
                        .rev(i)
                        .down_idx
                        .first()
                        .and_then(|p| layout.row_of.get(p).copied())
                }),
                "ArrowRight" | "l" => cur.and_then(|r| {
                    let i = layout.nodes[r].rev;
                    project
                        .map
                        .rev(i)
                        .nextrev
                        .first()
                        .and_then(|c| layout.row_of.get(c).copied())
                }),
                "n" => {
                    next_match(cur, true);
                    None
                }
                "N" => {
                    next_match(cur, false);
                    None
                }
                "+" | "=" => {
                    set_zoom.emit(z * 1.25);
                    None
                }
                "-" => {
                    set_zoom.emit(z / 1.25);
                    None
                }
                "0" => {
                    set_zoom.emit(1.0);
                    None
                }
                "/" => {
                    if let Some(i) = search.cast::<HtmlInputElement>() {
                        let _ = i.focus();
                    }
                    None
                }
                _ => return,
            };
            e.prevent_default();
            if let Some(row) = target {
                if rows > 0 {
                    select_row(row);
                }
            }
        })
    };
    let on_find_input = props
        .on_find
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
    let on_find_key = {
        let next_match = next_match.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                e.prevent_default();
                next_match(selected_row, !e.shift_key());
            }
        })
    };
    let match_pos = selected_row.and_then(|r| matches.iter().position(|&m| m == r));

    // the rows on screen, with a margin
    let (top, height) = *scroll;
    let first = ((top / g.row_height).floor() as usize).saturating_sub(OVERSCAN);
    let end = (((top + height) / g.row_height).ceil() as usize + OVERSCAN).min(rows);
    let first = first.min(end);
    let text_x = g.text_x(layout.lanes);
    let width = text_x + 900.0 * zoom.max(0.6);
    let total_h = (rows.max(1) as f64) * g.row_height;
    let font = 12.5 * *zoom;
    let show_messages = *zoom >= 0.6;
    let map = &props.project.map;
    let is_match: std::collections::HashSet<usize> = matches.iter().copied().collect();
    let on_row = {
        let drag = drag.clone();
        let select_row = select_row.clone();
        move |row: usize| {
            let drag: Rc<RefCell<Drag>> = drag.clone();
            let select_row = select_row.clone();
            Callback::from(move |_: MouseEvent| {
                if !drag.borrow().moved {
                    select_row(row);
                }
            })
        }
    };

    html! {
        <section class="graph" aria-label="Revision graph">
            <div class="graph-tools">
                <label class="find">{ "Find " }
                    <input id="graph-find" type="search" ref={search.clone()} value={props.find.clone()}
                        placeholder="id prefix, message, label or table" oninput={on_find_input} onkeydown={on_find_key}
                        aria-describedby="graph-find-count" />
                </label>
                <span id="graph-find-count" class="hint" aria-live="polite">{
                    if props.find.is_empty() { String::new() }
                    else if matches.is_empty() { "no match".into() }
                    else { match match_pos {
                        Some(p) => format!("{} of {} match{}", p + 1, matches.len(), if matches.len() == 1 { "" } else { "es" }),
                        None => format!("{} match{}", matches.len(), if matches.len() == 1 { "" } else { "es" }),
                    } }
                }</span>
                <button type="button" aria-label="Previous match" disabled={matches.is_empty()}
                    onclick={{ let n = next_match.clone(); Callback::from(move |_| n(selected_row, false)) }}>{ "↑" }</button>
                <button type="button" aria-label="Next match" disabled={matches.is_empty()}
                    onclick={{ let n = next_match.clone(); Callback::from(move |_| n(selected_row, true)) }}>{ "↓" }</button>
                <span class="spacer" />
                <button type="button" aria-label="Zoom out" onclick={{ let s = set_zoom.clone(); let z = *zoom; Callback::from(move |_| s.emit(z / 1.25)) }}>{ "−" }</button>
                <span class="zoom" aria-label="Zoom level">{ format!("{:.0}%", *zoom * 100.0) }</span>
                <button type="button" aria-label="Zoom in" onclick={{ let s = set_zoom.clone(); let z = *zoom; Callback::from(move |_| s.emit(z * 1.25)) }}>{ "+" }</button>
                <button type="button" aria-label="Reset zoom" onclick={{ let s = set_zoom.clone(); Callback::from(move |_| s.emit(1.0)) }}>{ "1:1" }</button>
            </div>
            <ul class="legend" aria-label="Legend">
                <li><span class="dot head" />{ "head" }</li>
                <li><span class="dot base" />{ "base" }</li>
                <li><span class="dot branchpoint" />{ "branch point" }</li>
                <li><span class="dot mergepoint" />{ "merge point" }</li>
                <li><span class="line dep" />{ "depends_on" }</li>
                <li><span class="line missing" />{ "missing revision" }</li>
            </ul>
            <div class="graph-viewport" ref={viewport} tabindex="0" role="listbox"
                aria-label={format!("Revision graph, {} revisions, newest first. Arrow keys move, h and l go to parent and child, n to the next match, + and - zoom.", rows)}
                aria-activedescendant={selected_row.map(|r| format!("g-{}", map.rev(layout.nodes[r].rev).id))}
                data-rows={rows.to_string()} data-drawn={(end - first).to_string()}
                {onscroll} {onwheel} {onkeydown} {onmousedown} {onmousemove} {onmouseup}>
                if rows == 0 {
                    <p class="empty-state">{ "No revisions to draw." }</p>
                } else {
                    <svg class="graph-svg" width={format!("{width:.0}")} height={format!("{total_h:.0}")}
                        font-size={format!("{font:.1}")}>
                        { for (first..end).map(|row| {
                            let y = row as f64 * g.row_height;
                            let class = classes!("row-bg",
                                (selected_row == Some(row)).then_some("selected"),
                                is_match.contains(&row).then_some("match"));
                            html! { <rect {class} x="0" y={format!("{y:.1}")} width="100%" height={format!("{:.1}", g.row_height)} /> }
                        }) }
                        { for layout.edges_in(first..end).map(|e| {
                            let class = match e.kind { EdgeKind::Down => "edge", EdgeKind::DependsOn => "edge dep" };
                            html! { <path {class} d={g.edge_path(e)} /> }
                        }) }
                        { for (first..end).map(|row| {
                            let n = &layout.nodes[row];
                            let rev = map.rev(n.rev);
                            let (x, y) = (g.x(n.lane), g.y(row));
                            let r = (4.5 * *zoom).max(2.5);
                            let message = map.script_of(n.rev).summary();
                            let label = format!("{}{}", rev.id, if message.is_empty() { String::new() } else { format!(", {message}") });
                            html! {
                                <g class={classes!("node", role(&props.project, n.rev))} role="option" id={format!("g-{}", rev.id)}
                                    data-rev={rev.id.clone()} aria-selected={(selected_row == Some(row)).to_string()} aria-label={label}
                                    onclick={on_row(row)}>
                                    <rect class="hit" x="0" y={format!("{:.1}", row as f64 * g.row_height)} width="100%" height={format!("{:.1}", g.row_height)} />
                                    { for n.missing.iter().map(|m| html! {
                                        <path class="edge missing" d={format!("M{x:.1} {y:.1}L{:.1} {:.1}", x + g.lane_width * 0.9, y + g.row_height * 0.6)}><title>{ format!("missing revision {m}") }</title></path>
                                    }) }
                                    <circle cx={format!("{x:.1}")} cy={format!("{y:.1}")} r={format!("{r:.1}")} />
                                    <text x={format!("{text_x:.1}")} y={format!("{:.1}", y + font * 0.35)}>
                                        <tspan class="id">{ &rev.id }</tspan>
                                        { for rev.labels.iter().map(|l| html! { <tspan class="label">{ format!(" ({l})") }</tspan> }) }
                                        if rev.is_real_head() { <tspan class="tag head">{ " head" }</tspan> }
                                        if rev.is_merge_point() { <tspan class="tag mergepoint">{ " mergepoint" }</tspan> }
                                        if rev.is_branch_point() { <tspan class="tag branchpoint">{ " branchpoint" }</tspan> }
                                        if !n.missing.is_empty() { <tspan class="tag missing">{ format!(" missing {}", n.missing.join(", ")) }</tspan> }
                                        if show_messages { <tspan class="msg">{ format!("  {message}") }</tspan> }
                                    </text>
                                </g>
                            }
                        }) }
                    </svg>
                }
            </div>
        </section>
    }
}
