//! The web app: a Yew single-page shell over the analysis core, built by trunk for wasm32.
//!
//! State lives in one reducer (`state.rs`); components take props and callbacks; reading
//! files from the browser happens in `loader.rs`. No analysis logic lives here.

mod components;
mod loader;
mod sample;
mod state;

use std::rc::Rc;

use yew::prelude::*;

use components::detail::Detail;
use components::diagnostics::Diagnostics;
use components::history::History;
use components::plan::PlanBuilder;
use components::schema::SchemaPane;
use components::tables::Tables;
use components::toolbar::Toolbar;
use state::{Action, State, View};

#[function_component(App)]
fn app() -> Html {
    let state = use_reducer(State::default);

    let on_sample = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Load(sample::sample_input())))
    };
    let on_files = {
        let state = state.clone();
        Callback::from(move |files: web_sys::FileList| {
            state.dispatch(Action::Loading);
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let input = loader::read_file_list(&files).await;
                state.dispatch(Action::Load(input));
            });
        })
    };
    let on_select = {
        let state = state.clone();
        Callback::from(move |i: usize| state.dispatch(Action::Select(i)))
    };
    let on_open = {
        let state = state.clone();
        Callback::from(move |(rev, line): (usize, u32)| state.dispatch(Action::Open { rev, line }))
    };
    let on_plan = {
        let state = state.clone();
        Callback::from(move |req| state.dispatch(Action::Plan(req)))
    };
    let on_type_map = {
        let state = state.clone();
        Callback::from(move |t: String| state.dispatch(Action::TypeMap(t)))
    };
    let on_tables_query = {
        let state = state.clone();
        Callback::from(move |q: String| state.dispatch(Action::TablesQuery(q)))
    };
    let on_schema = {
        let state = state.clone();
        Callback::from(move |v: (String, String)| state.dispatch(Action::Schema(v)))
    };
    let tab = |view: View, label: &'static str| {
        let state = state.clone();
        let selected = state.view == view;
        html! {
            <button type="button" role="tab" id={format!("tab-{}", label.to_lowercase())} aria-selected={selected.to_string()}
                class={classes!("tab", selected.then_some("active"))}
                onclick={Callback::from(move |_| state.dispatch(Action::Show(view)))}>{ label }</button>
        }
    };

    html! {
        <div class="app">
            <Toolbar {on_sample} {on_files} loading={state.loading} />
            {
                match &state.loaded {
                    None => html! { <Welcome /> },
                    Some(loaded) => html! {
                        <main class="workspace">
                            <section class="summary" aria-label="Summary" data-analysis-ms={format!("{:.1}", loaded.analysis_ms)}>
                                <strong>{ &loaded.name }</strong>
                                { format!(" · {} · {} · {}",
                                    plural(loaded.rows.len(), "revision"), plural(loaded.project.map.heads.len(), "head"),
                                    plural(loaded.diagnostics.len(), "problem")) }
                            </section>
                            <nav class="tabs" role="tablist">{ tab(View::History, "History") }{ tab(View::Plan, "Plan") }{ tab(View::Tables, "Tables") }{ tab(View::Schema, "Schema") }</nav>
                            if state.view == View::History {
                                <div class="panes">
                                    <History rows={Rc::clone(&loaded.rows)} selected={state.selected}
                                        plan_steps={Rc::clone(&state.plan_steps)} on_select={on_select.clone()} />
                                    <Detail project={Rc::clone(&loaded.project)} selected={state.selected} line={state.line} dialect={state.plan_request.dialect} on_select={on_select.clone()} />
                                </div>
                                <Diagnostics project={Rc::clone(&loaded.project)} diagnostics={Rc::clone(&loaded.diagnostics)} on_open={on_open.clone()} />
                                if !loaded.project.ignored.is_empty() {
                                    <details class="ignored">
                                        <summary>{ format!("{} ignored (not revision scripts)", plural(loaded.project.ignored.len(), "other file")) }</summary>
                                        <ul>{ for loaded.project.ignored.iter().map(|p| html! { <li><code>{ p }</code></li> }) }</ul>
                                    </details>
                                }
                            } else if state.view == View::Tables {
                                <Tables project={Rc::clone(&loaded.project)} sim={Rc::clone(&loaded.sim)} query={state.tables_query.clone()}
                                    on_query={on_tables_query} on_open={on_open.clone()} />
                            } else if state.view == View::Schema {
                                if let Some(view) = &state.schema {
                                    <SchemaPane project={Rc::clone(&loaded.project)} view={Rc::clone(view)} at={state.schema_at.clone()}
                                        since={state.schema_since.clone()} suggestions={Rc::clone(&loaded.suggestions)}
                                        on_change={on_schema} on_open={on_open.clone()} />
                                }
                            } else {
                                <PlanBuilder request={state.plan_request.clone()} view={Rc::clone(&state.plan)}
                                    suggestions={Rc::clone(&loaded.suggestions)} on_change={on_plan}
                                    type_map={AttrValue::from(state.type_map.clone())} {on_type_map}
                                    on_select={on_open.reform(|i: usize| (i, 0))} />
                            }
                        </main>
                    },
                }
            }
        </div>
    }
}

#[function_component(Welcome)]
fn welcome() -> Html {
    html! {
        <main class="welcome">
            <h2>{ "Review Alembic migrations without Python or a database" }</h2>
            <p>{ "Open an Alembic project's " }<code>{ "versions/" }</code>{ " folder (or the project folder) with the folder button, or load the bundled sample. Files are read in this browser tab and never leave your machine." }</p>
        </main>
    }
}

/// "1 head", "2 heads".
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
