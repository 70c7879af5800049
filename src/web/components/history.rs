//! Alembic's history, newest first, one fixed-height row per revision. Only the rows on
//! screen (and a margin) are in the DOM; spacers keep the scroll bar true.

use std::collections::HashMap;
use std::rc::Rc;

use alembic_planner::present::views::HistoryRow;
use web_sys::HtmlElement;
use yew::prelude::*;

/// The height of a row in pixels (matches `.revision` in style.css).
const ROW: f64 = 50.0;
const OVERSCAN: usize = 40;

#[derive(Properties, PartialEq)]
pub struct HistoryProps {
    pub rows: Rc<Vec<HistoryRow>>,
    pub selected: Option<usize>,
    /// Revision index → step number in the current plan.
    pub plan_steps: Rc<HashMap<usize, usize>>,
    /// Revision index → how many findings the linter has in its file.
    pub findings: Rc<HashMap<usize, usize>>,
    pub on_select: Callback<usize>,
}

#[function_component(History)]
pub fn history(props: &HistoryProps) -> Html {
    let list = use_node_ref();
    let rows_ref = use_node_ref();
    let (scroll, onscroll) = crate::hooks::use_scroll_window(list.clone(), 700.0);
    let n = props.rows.len();
    let (top, height) = *scroll;
    let first = ((top / ROW) as usize).saturating_sub(OVERSCAN).min(n);
    let end = (((top + height) / ROW).ceil() as usize + OVERSCAN).min(n);
    let first = first.min(end);
    // the rows not drawn are padding (set through the CSSOM: the page's CSP refuses inline
    // style attributes)
    {
        let rows_ref = rows_ref.clone();
        use_effect_with((first, end, n), move |(first, end, n)| {
            if let Some(el) = rows_ref.cast::<HtmlElement>() {
                let style = el.style();
                let _ = style.set_property("padding-top", &format!("{:.0}px", *first as f64 * ROW));
                let _ = style.set_property(
                    "padding-bottom",
                    &format!("{:.0}px", (n - end) as f64 * ROW),
                );
            }
        });
    }
    // keep the selected revision in view when it is selected elsewhere
    {
        let list = list.clone();
        let scroll = scroll.clone();
        let rows = Rc::clone(&props.rows);
        use_effect_with(props.selected, move |sel| {
            let pos = sel.and_then(|i| rows.iter().position(|r| r.index == i));
            if let (Some(pos), Some(el)) = (pos, list.cast::<HtmlElement>()) {
                if let Some(now) = crate::dom::keep_in_view(&el, pos as f64 * ROW, ROW) {
                    scroll.set(now);
                }
            }
        });
    }
    html! {
        <section class="history" aria-label="History">
            <h2>{ "History" }<span class="hint">{ " newest first, in Alembic's order" }</span></h2>
            <div class="revisions-viewport" ref={list} {onscroll}>
            <ol class="revisions" ref={rows_ref.clone()} data-rows={n.to_string()}>
                { for props.rows[first..end].iter().map(|row| {
                    let i = row.index;
                    let onclick = props.on_select.reform(move |_: MouseEvent| i);
                    let class = classes!("revision", (props.selected == Some(i)).then_some("selected"));
                    html! {
                        <li {class} data-rev={row.id.clone()} key={row.id.clone()}>
                            <button type="button" {onclick} title={row.alembic_line.clone()} aria-current={(props.selected == Some(i)).then_some("true")}>
                                <span class="rev-line">
                                    <code class="rev-id">{ &row.id }</code>
                                    { for row.labels.iter().map(|l| html!{ <span class="badge label">{ l }</span> }) }
                                    if !row.inherited_labels.is_empty() {
                                        <span class="badge inherited" title={format!("on branch {}", row.inherited_labels.join(", "))}>{ format!("on {}", row.inherited_labels.len()) }</span>
                                    }
                                    if row.is_head { <span class="badge head">{ "head" }</span> }
                                    if row.is_effective_head { <span class="badge head">{ "effective head" }</span> }
                                    if row.is_branch_point { <span class="badge branch">{ "branchpoint" }</span> }
                                    if row.is_merge_point { <span class="badge merge">{ "mergepoint" }</span> }
                                    if row.is_base { <span class="badge base">{ "base" }</span> }
                                    if let Some(n) = props.plan_steps.get(&i) { <span class="badge step">{ format!("plan step {n}") }</span> }
                                    if row.problems > 0 { <span class="badge problem">{ format!("{} problem(s)", row.problems) }</span> }
                                    if let Some(n) = props.findings.get(&i) { <span class="badge finding" title="Findings in this revision (the Findings tab lists them)">{ format!("{n} finding{}", if *n == 1 { "" } else { "s" }) }</span> }
                                </span>
                                <span class="rev-message">{ &row.message }</span>
                            </button>
                        </li>
                    }
                }) }
            </ol>
            </div>
        </section>
    }
}
