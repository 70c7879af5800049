//! The revision graph as SVG, drawn from the core's lane layout. Only the rows on screen
//! (and a margin) are in the DOM, so 10,000 revisions scroll as smoothly as 10. Zoom with
//! the buttons, Ctrl + wheel or `+`/`-`; pan by dragging or scrolling; arrows and j/k move
//! the selection, h/l go to a parent or child, n/N to the next search match.
//!
//! `tools.rs` the find and zoom bar and the legend; `rows.rs` the SVG of the rows on
//! screen; the hooks here hold zoom, dragging and the keyboard.

mod rows;
mod tools;

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use alembic_planner::present::layout::{search, Geometry, Layout};
use alembic_planner::Project;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use rows::GraphRows;
use tools::{GraphTools, Legend};

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
    /// Revision index → its findings (markers on the rows).
    pub findings: Rc<std::collections::HashMap<usize, usize>>,
    pub on_select: Callback<usize>,
    pub on_find: Callback<String>,
}

impl PartialEq for GraphProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.project, &other.project)
            && Rc::ptr_eq(&self.layout, &other.layout)
            && self.selected == other.selected
            && self.find == other.find
            && Rc::ptr_eq(&self.findings, &other.findings)
    }
}

/// A shared value compared by identity (a hook dependency that changes when it is replaced).
struct Same<T>(Rc<T>);

impl<T> PartialEq for Same<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The zoom level, and a callback that sets it within bounds.
#[hook]
fn use_zoom() -> (f64, Callback<f64>) {
    let zoom = use_state(|| 1.0f64);
    let set = {
        let zoom = zoom.clone();
        Callback::from(move |z: f64| zoom.set(z.clamp(MIN_ZOOM, MAX_ZOOM)))
    };
    (*zoom, set)
}

#[derive(Default)]
struct Drag {
    down: Option<(i32, i32, f64, f64)>,
    moved: bool,
}

/// Panning by dragging the viewport: the mouse handlers, and whether the last press moved
/// (a drag is not a click).
#[hook]
fn use_drag_pan(
    viewport: NodeRef,
) -> (
    Rc<RefCell<Drag>>,
    Callback<MouseEvent>,
    Callback<MouseEvent>,
    Callback<MouseEvent>,
) {
    let drag = use_mut_ref(Drag::default);
    let down = {
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
    let moving = {
        let drag = drag.clone();
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
    let up = {
        let drag = drag.clone();
        Callback::from(move |_: MouseEvent| drag.borrow_mut().down = None)
    };
    (drag, down, moving, up)
}

/// What a key does in the graph, given the row selected.
enum KeyAction {
    Select(usize),
    Step(bool),
    Zoom(f64),
    Find,
}

fn key_action(
    key: &str,
    cur: Option<usize>,
    rows: usize,
    layout: &Layout,
    project: &Project,
    zoom: f64,
) -> Option<KeyAction> {
    let last = rows.saturating_sub(1);
    let parent_or_child = |first_of: fn(&alembic_planner::graph::Rev) -> Option<usize>| {
        cur.and_then(|r| {
            let i = layout.nodes[r].rev;
            first_of(project.map.rev(i)).and_then(|p| layout.row_of.get(&p).copied())
        })
        .map(KeyAction::Select)
    };
    Some(match key {
        "ArrowDown" | "j" => KeyAction::Select(cur.map_or(0, |r| (r + 1).min(last))),
        "ArrowUp" | "k" => KeyAction::Select(cur.map_or(0, |r| r.saturating_sub(1))),
        "PageDown" => KeyAction::Select(cur.map_or(0, |r| (r + 20).min(last))),
        "PageUp" => KeyAction::Select(cur.map_or(0, |r| r.saturating_sub(20))),
        "Home" => KeyAction::Select(0),
        "End" => KeyAction::Select(last),
        // to the first parent / first child
        "ArrowLeft" | "h" => return parent_or_child(|r| r.down_idx.first().copied()),
        "ArrowRight" | "l" => return parent_or_child(|r| r.nextrev.first().copied()),
        "n" => KeyAction::Step(true),
        "N" => KeyAction::Step(false),
        "+" | "=" => KeyAction::Zoom(zoom * 1.25),
        "-" => KeyAction::Zoom(zoom / 1.25),
        "0" => KeyAction::Zoom(1.0),
        "/" => KeyAction::Find,
        _ => return None,
    })
}

#[function_component(Graph)]
pub fn graph(props: &GraphProps) -> Html {
    let viewport = use_node_ref();
    let search_box = use_node_ref();
    // (scroll top, viewport height) in pixels
    let (scroll, onscroll) = crate::hooks::use_scroll_window(viewport.clone(), 800.0);
    let (zoom, set_zoom) = use_zoom();
    let (drag, onmousedown, onmousemove, onmouseup) = use_drag_pan(viewport.clone());
    let layout = &props.layout;
    let g = Geometry::default().scaled(zoom);
    let rows = layout.nodes.len();
    let matches = use_memo(
        (
            Same(Rc::clone(&props.project)),
            Same(Rc::clone(&props.layout)),
            props.find.clone(),
        ),
        |(p, l, q)| search(&p.0, &l.0, q),
    );
    let match_set = use_memo(Same(Rc::clone(&matches)), |m| {
        m.0.iter().copied().collect::<HashSet<usize>>()
    });
    let selected_row = props.selected.and_then(|i| layout.row_of.get(&i).copied());

    // bring the selected revision into view when it changes (from any view) or on zoom
    {
        let viewport = viewport.clone();
        let scroll = scroll.clone();
        let rh = g.row_height;
        use_effect_with((selected_row, zoom.to_bits()), move |(row, _)| {
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
        Callback::from(move |row: usize| {
            if let Some(n) = layout.nodes.get(row) {
                on_select.emit(n.rev);
            }
        })
    };
    let on_step = {
        let matches = Rc::clone(&matches);
        let select_row = select_row.clone();
        Callback::from(move |forward: bool| {
            let pick = match (selected_row, forward) {
                (Some(r), true) => matches.iter().find(|&&m| m > r).or(matches.first()),
                (Some(r), false) => matches.iter().rev().find(|&&m| m < r).or(matches.last()),
                (None, true) => matches.first(),
                (None, false) => matches.last(),
            };
            if let Some(&m) = pick {
                select_row.emit(m);
            }
        })
    };
    let onwheel = {
        let set_zoom = set_zoom.clone();
        Callback::from(move |e: WheelEvent| {
            if e.ctrl_key() {
                e.prevent_default();
                set_zoom.emit(if e.delta_y() < 0.0 {
                    zoom * 1.15
                } else {
                    zoom / 1.15
                });
            }
        })
    };
    let onkeydown = {
        let (select_row, on_step, set_zoom) =
            (select_row.clone(), on_step.clone(), set_zoom.clone());
        let search_box = search_box.clone();
        let (layout, project) = (Rc::clone(&props.layout), Rc::clone(&props.project));
        Callback::from(move |e: KeyboardEvent| {
            let Some(action) = key_action(&e.key(), selected_row, rows, &layout, &project, zoom)
            else {
                return;
            };
            e.prevent_default();
            match action {
                KeyAction::Select(row) if rows > 0 => select_row.emit(row),
                KeyAction::Select(_) => {}
                KeyAction::Step(forward) => on_step.emit(forward),
                KeyAction::Zoom(z) => set_zoom.emit(z),
                KeyAction::Find => {
                    if let Some(i) = search_box.cast::<HtmlInputElement>() {
                        let _ = i.focus();
                    }
                }
            }
        })
    };
    let on_row = {
        let select_row = select_row.clone();
        Callback::from(move |row: usize| {
            if !drag.borrow().moved {
                select_row.emit(row);
            }
        })
    };

    // the rows on screen, with a margin
    let (top, height) = *scroll;
    let first = ((top / g.row_height).floor() as usize).saturating_sub(OVERSCAN);
    let end = (((top + height) / g.row_height).ceil() as usize + OVERSCAN).min(rows);
    let first = first.min(end);
    let map = &props.project.map;
    html! {
        <section class="graph" aria-label="Revision graph">
            <GraphTools find={props.find.clone()} search={search_box.clone()} matches={matches.len()}
                match_pos={selected_row.and_then(|r| matches.iter().position(|&m| m == r))}
                on_find={props.on_find.clone()} on_step={on_step} {zoom} on_zoom={set_zoom} />
            <Legend />
            <div class="graph-viewport" ref={viewport} tabindex="0" role="listbox"
                aria-label={format!("Revision graph, {} revisions, newest first. Arrow keys move, h and l go to parent and child, n to the next match, + and - zoom.", rows)}
                aria-activedescendant={selected_row.map(|r| format!("g-{}", map.rev(layout.nodes[r].rev).id))}
                data-rows={rows.to_string()} data-drawn={(end - first).to_string()}
                {onscroll} {onwheel} {onkeydown} {onmousedown} {onmousemove} {onmouseup}>
                if rows == 0 {
                    <p class="empty-state">{ "No revisions to draw." }</p>
                } else {
                    <GraphRows project={Rc::clone(&props.project)} layout={Rc::clone(&props.layout)} {zoom}
                        rows={first..end} {selected_row} matches={Rc::clone(&match_set)}
                        findings={Rc::clone(&props.findings)} {on_row} />
                }
            </div>
        </section>
    }
}
