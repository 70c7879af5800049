//! The graph's toolbar (find with its match count and stepping, zoom) and its legend.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct GraphToolsProps {
    pub find: AttrValue,
    pub search: NodeRef,
    /// How many rows match the search, and which of them is selected.
    pub matches: usize,
    pub match_pos: Option<usize>,
    pub on_find: Callback<String>,
    /// Enter, Shift+Enter and the arrows: to the next (`true`) or previous match.
    pub on_step: Callback<bool>,
    pub zoom: f64,
    pub on_zoom: Callback<f64>,
}

#[function_component(GraphTools)]
pub fn graph_tools(props: &GraphToolsProps) -> Html {
    let on_input = props.on_find.reform(|e: InputEvent| {
        e.target_unchecked_into::<web_sys::HtmlInputElement>()
            .value()
    });
    let on_key = {
        let step = props.on_step.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                e.prevent_default();
                step.emit(!e.shift_key());
            }
        })
    };
    let n = props.matches;
    let plural = if n == 1 { "" } else { "es" };
    let count = if props.find.is_empty() {
        String::new()
    } else if n == 0 {
        "no match".into()
    } else {
        match props.match_pos {
            Some(p) => format!("{} of {n} match{plural}", p + 1),
            None => format!("{n} match{plural}"),
        }
    };
    let z = props.zoom;
    let zoom_to = |f: f64| props.on_zoom.reform(move |_: MouseEvent| f);
    html! {
        <div class="graph-tools">
            <label class="find">{ "Find " }
                <input id="graph-find" type="search" ref={props.search.clone()} value={props.find.clone()}
                    placeholder="id prefix, message, label or table" oninput={on_input} onkeydown={on_key}
                    aria-describedby="graph-find-count" />
            </label>
            <span id="graph-find-count" class="hint" aria-live="polite">{ count }</span>
            <button type="button" aria-label="Previous match" disabled={n == 0}
                onclick={props.on_step.reform(|_: MouseEvent| false)}>{ "↑" }</button>
            <button type="button" aria-label="Next match" disabled={n == 0}
                onclick={props.on_step.reform(|_: MouseEvent| true)}>{ "↓" }</button>
            <span class="spacer" />
            <button type="button" aria-label="Zoom out" onclick={zoom_to(z / 1.25)}>{ "−" }</button>
            <span class="zoom" aria-label="Zoom level">{ format!("{:.0}%", z * 100.0) }</span>
            <button type="button" aria-label="Zoom in" onclick={zoom_to(z * 1.25)}>{ "+" }</button>
            <button type="button" aria-label="Reset zoom" onclick={zoom_to(1.0)}>{ "1:1" }</button>
        </div>
    }
}

#[function_component(Legend)]
pub fn legend() -> Html {
    html! {
        <ul class="legend" aria-label="Legend">
            <li><span class="dot head" />{ "head" }</li>
            <li><span class="dot base" />{ "base" }</li>
            <li><span class="dot branchpoint" />{ "branch point" }</li>
            <li><span class="dot mergepoint" />{ "merge point" }</li>
            <li><span class="line dep" />{ "depends_on" }</li>
            <li><span class="line missing" />{ "missing revision" }</li>
        </ul>
    }
}
