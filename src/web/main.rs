//! The web app: a Yew single-page shell over the analysis core, built by trunk for wasm32.
//!
//! State lives in one reducer (`state.rs`); components take props and callbacks; reading
//! files from the browser happens in `loader.rs`, other browser effects in `dom.rs`. No
//! analysis logic lives here.

mod components;
mod dom;
mod hooks;
mod loader;
mod sample;
mod state;

use std::future::Future;
use std::rc::Rc;

use alembic_planner::present::export;
use alembic_planner::present::route::Route;
use alembic_planner::present::views::PlanRequest;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use components::detail::Detail;
use components::diagnostics::Diagnostics;
use components::graph::Graph;
use components::guide::Guide;
use components::history::History;
use components::plan::{PlanBuilder, SqlView};
use components::schema::SchemaPane;
use components::tables::Tables;
use components::toolbar::{Export, Toolbar};
use state::{Action, Loaded, State, View};

/// Reads with `read`, then analyses, reporting progress all along.
fn spawn_load(state: UseReducerHandle<State>, read: impl Future<Output = loader::Given> + 'static) {
    let type_map = state.type_map.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let given = read.await;
        let progress = {
            let state = state.clone();
            Callback::from(move |p| state.dispatch(Action::Progress(p)))
        };
        let loaded = loader::analyse(given, type_map, progress).await;
        state.dispatch(Action::Loaded(loaded));
    });
}

/// A callback that dispatches the action `f` makes of its value.
fn dispatcher<T: 'static>(state: &UseReducerHandle<State>, f: fn(T) -> Action) -> Callback<T> {
    let state = state.clone();
    Callback::from(move |v| state.dispatch(f(v)))
}

fn progress_of(state: &UseReducerHandle<State>) -> Callback<state::Progress> {
    let state = state.clone();
    Callback::from(move |p| state.dispatch(Action::Progress(p)))
}

/// Saves one of the exports of the loaded folder.
fn save_export(l: &Loaded, what: Export, dialect: alembic_planner::base::Dialect) {
    let stem = l
        .name
        .trim_end_matches('/')
        .rsplit('/')
        .find(|c| *c != "versions" && !c.is_empty())
        .unwrap_or("migrations")
        .to_string();
    let (text, name, mime) = match what {
        Export::Markdown => (
            export::markdown(&l.project, &l.layout, &l.sim, &l.name),
            format!("{stem}-migrations.md"),
            "text/markdown",
        ),
        Export::Mermaid => (
            export::mermaid(&l.project, &l.layout),
            format!("{stem}-graph.mmd"),
            "text/plain",
        ),
        Export::Svg => (
            export::svg(&l.project, &l.layout),
            format!("{stem}-graph.svg"),
            "image/svg+xml",
        ),
        Export::Sql => {
            let view = alembic_planner::present::views::plan_view(
                &l.project,
                &PlanRequest {
                    upgrade: true,
                    target: "heads".into(),
                    current: String::new(),
                    dialect,
                    transaction_per_migration: false,
                },
            );
            let text = view
                .sql
                .unwrap_or_else(|| format!("-- {}\n", view.error.unwrap_or_default()));
            (
                text,
                format!("{stem}-upgrade-{}.sql", dialect.name()),
                "application/sql",
            )
        }
    };
    dom::download(&text, &name, mime);
}

#[function_component(App)]
fn app() -> Html {
    let state = use_reducer(|| {
        State::initial(
            Route::parse(&dom::location_hash()),
            dom::stored("theme").unwrap_or_else(|| "auto".into()),
        )
    });
    let dragging = use_state(|| false);

    // the address mirrors the state once a folder is loaded; searches replace the entry,
    // everything else adds one (so the back button steps through views and selections)
    {
        let last = use_mut_ref(|| None::<Route>);
        let route = state.route();
        let loaded = state.loaded.is_some();
        use_effect_with((route, loaded), move |(route, loaded)| {
            if *loaded {
                let fragment = route.to_fragment();
                if fragment != dom::location_hash() {
                    let push = last.borrow().as_ref().is_some_and(|prev: &Route| {
                        Route {
                            find: route.find.clone(),
                            tables: route.tables.clone(),
                            ..prev.clone()
                        } != *route
                    });
                    dom::set_location_hash(&fragment, push);
                }
                *last.borrow_mut() = Some(route.clone());
            }
        });
    }
    // back and forward buttons, and links pasted into the address bar
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            let on_nav = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
                state.dispatch(Action::Route(Route::parse(&dom::location_hash())));
            });
            let window = web_sys::window();
            if let Some(w) = &window {
                let f = on_nav.as_ref().unchecked_ref();
                let _ = w.add_event_listener_with_callback("popstate", f);
                let _ = w.add_event_listener_with_callback("hashchange", f);
            }
            move || {
                if let Some(w) = &window {
                    let f = on_nav.as_ref().unchecked_ref();
                    let _ = w.remove_event_listener_with_callback("popstate", f);
                    let _ = w.remove_event_listener_with_callback("hashchange", f);
                }
                drop(on_nav);
            }
        });
    }
    use_effect_with(state.theme.clone(), |theme| dom::apply_theme(theme));

    let on_sample = {
        let state = state.clone();
        Callback::from(move |_| {
            let (name, files) = sample::sample_input();
            spawn_load(state.clone(), async move {
                loader::Given {
                    name,
                    files,
                    diagnostics: Vec::new(),
                }
            });
        })
    };
    let on_files = {
        let state = state.clone();
        Callback::from(move |files: Vec<web_sys::File>| {
            let progress = progress_of(&state);
            progress.emit(state::Progress::new("Reading files", 0, files.len()));
            spawn_load(state.clone(), async move {
                loader::read_file_list(files, &progress).await
            });
        })
    };
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            // leaving the window, not moving between children
            if e.related_target().is_none() {
                dragging.set(false);
            }
        })
    };
    let ondrop = {
        let state = state.clone();
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            let Some(dt) = e.data_transfer() else { return };
            let entries = loader::drop_entries(&dt);
            let progress = progress_of(&state);
            progress.emit(state::Progress::new("Finding files", 0, 0));
            if entries.is_empty() {
                if let Some(files) = dt.files().map(|l| loader::files_of(&l)) {
                    spawn_load(state.clone(), async move {
                        loader::read_file_list(files, &progress).await
                    });
                }
            } else {
                spawn_load(state.clone(), async move {
                    loader::read_drop(entries, &progress).await
                });
            }
        })
    };
    let on_export = {
        let state = state.clone();
        Callback::from(move |what: Export| {
            if let Some(l) = &state.loaded {
                save_export(l, what, state.plan_request.dialect);
            }
        })
    };
    let on_theme = {
        let state = state.clone();
        Callback::from(move |t: String| {
            dom::store("theme", &t);
            state.dispatch(Action::Theme(t));
        })
    };
    let on_guide = {
        let state = state.clone();
        let open = state.guide_open;
        Callback::from(move |_| state.dispatch(Action::Guide(!open)))
    };
    let on_select: Callback<usize> = dispatcher(&state, Action::Select);
    let on_open: Callback<(usize, u32)> =
        dispatcher(&state, |(rev, line)| Action::Open { rev, line });
    let on_plan: Callback<PlanRequest> = dispatcher(&state, Action::Plan);
    let on_type_map: Callback<String> = dispatcher(&state, Action::TypeMap);
    let on_tables_query: Callback<String> = dispatcher(&state, Action::TablesQuery);
    let on_schema: Callback<(String, String)> = dispatcher(&state, Action::Schema);
    let on_find: Callback<String> = dispatcher(&state, Action::Find);
    let on_show: Callback<View> = dispatcher(&state, Action::Show);

    // arrow keys move between the tabs, as a tablist's do
    let on_tab_key = {
        let on_show = on_show.clone();
        let current = state.view;
        Callback::from(move |e: KeyboardEvent| {
            let at = View::ALL.iter().position(|v| *v == current).unwrap_or(0);
            let n = View::ALL.len();
            let next = match e.key().as_str() {
                "ArrowRight" => (at + 1) % n,
                "ArrowLeft" => (at + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            };
            e.prevent_default();
            on_show.emit(View::ALL[next]);
            if let Some(el) = dom::element_by_id(&format!("tab-{}", View::ALL[next].name())) {
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        })
    };
    let tab = |view: View| {
        let selected = state.view == view;
        let count = match (view, &state.loaded) {
            (View::Diagnostics, Some(l)) if !l.diagnostics.is_empty() => {
                format!(" ({})", l.diagnostics.len())
            }
            _ => String::new(),
        };
        html! {
            <button type="button" role="tab" id={format!("tab-{}", view.name())} aria-selected={selected.to_string()}
                aria-controls="view" tabindex={if selected { "0" } else { "-1" }} class={classes!("tab", selected.then_some("active"))}
                onclick={on_show.reform(move |_| view)}>{ view.label() }{ count }</button>
        }
    };
    let detail = |l: &Loaded| {
        html! {
            <Detail project={Rc::clone(&l.project)} selected={state.selected} line={state.line}
                dialect={state.plan_request.dialect} on_select={on_select.clone()} />
        }
    };
    let view = |l: &Rc<Loaded>| -> Html {
        match state.view {
            View::Graph => html! {
                <div class="panes graph-panes">
                    <Graph project={Rc::clone(&l.project)} layout={Rc::clone(&l.layout)} selected={state.selected}
                        find={AttrValue::from(state.find.clone())} on_select={on_select.clone()} on_find={on_find.clone()} />
                    { detail(l) }
                </div>
            },
            View::History => html! {
                <div class="panes">
                    <History rows={Rc::clone(&l.rows)} selected={state.selected}
                        plan_steps={Rc::clone(&state.plan_steps)} on_select={on_select.clone()} />
                    { detail(l) }
                </div>
            },
            View::Plan => match &state.plan {
                Some(plan) => html! {
                    <PlanBuilder request={state.plan_request.clone()} view={Rc::clone(plan)}
                        suggestions={Rc::clone(&l.suggestions)} on_change={on_plan.clone()}
                        on_select={on_open.reform(|i: usize| (i, 0))} />
                },
                None => html! {},
            },
            View::Sql => match &state.plan {
                Some(plan) => html! {
                    <SqlView request={state.plan_request.clone()} view={Rc::clone(plan)}
                        suggestions={Rc::clone(&l.suggestions)} on_change={on_plan.clone()}
                        type_map={AttrValue::from(state.type_map.clone())} on_type_map={on_type_map.clone()} />
                },
                None => html! {},
            },
            View::Tables => html! {
                <Tables project={Rc::clone(&l.project)} sim={Rc::clone(&l.sim)} query={state.tables_query.clone()}
                    on_query={on_tables_query.clone()} on_open={on_open.clone()} />
            },
            View::Schema => match &state.schema {
                Some(v) => html! {
                    <SchemaPane project={Rc::clone(&l.project)} view={Rc::clone(v)} at={state.schema_at.clone()}
                        since={state.schema_since.clone()} suggestions={Rc::clone(&l.suggestions)}
                        on_change={on_schema.clone()} on_open={on_open.clone()} />
                },
                None => html! {},
            },
            View::Diagnostics => html! {
                <>
                    <Diagnostics project={Rc::clone(&l.project)} diagnostics={Rc::clone(&l.diagnostics)} on_open={on_open.clone()} />
                    if !l.project.ignored.is_empty() {
                        <details class="ignored">
                            <summary>{ format!("{} ignored (not revision scripts)", plural(l.project.ignored.len(), "other file")) }</summary>
                            <ul>{ for l.project.ignored.iter().map(|p| html! { <li><code>{ p }</code></li> }) }</ul>
                        </details>
                    }
                </>
            },
        }
    };

    html! {
        <div class={classes!("app", dragging.then_some("dragging"))} {ondragover} {ondragleave} {ondrop}>
            <Toolbar {on_sample} {on_files} {on_export} {on_theme} on_guide={on_guide.clone()}
                progress={state.progress.clone()} loaded={state.loaded.is_some()} theme={AttrValue::from(state.theme.clone())} />
            if *dragging {
                <div class="drop-overlay" aria-hidden="true"><p>{ "Drop a versions folder, a project folder or a .zip" }</p></div>
            }
            if state.guide_open {
                <Guide on_close={on_guide.clone()} />
            }
            {
                match &state.loaded {
                    None => html! { <Welcome /> },
                    Some(l) => html! {
                        <main class="workspace">
                            <Summary loaded={Rc::clone(l)} />
                            if l.project.map.is_empty() {
                                <section class="empty-state" role="alert">
                                    <h2>{ format!("No revision scripts in {}", if l.name.is_empty() { "what was opened" } else { &l.name }) }</h2>
                                    <p>{ "Alembic takes every " }<code>{ "*.py" }</code>{ " file of the versions folder (not " }<code>{ "__init__.py" }</code>{ ") that defines " }<code>{ "revision" }</code>{ ". Open the project's " }<code>{ "versions/" }</code>{ " folder, the folder holding " }<code>{ "alembic.ini" }</code>{ ", or a .zip of either." }</p>
                                </section>
                            }
                            <nav class="tabs" role="tablist" aria-label="Views" onkeydown={on_tab_key.clone()}>{ for View::ALL.into_iter().map(tab) }</nav>
                            <div id="view" role="tabpanel" aria-labelledby={format!("tab-{}", state.view.name())}>{ view(l) }</div>
                        </main>
                    },
                }
            }
        </div>
    }
}

#[derive(Properties)]
struct SummaryProps {
    loaded: Rc<Loaded>,
}

impl PartialEq for SummaryProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.loaded, &other.loaded)
    }
}

/// What was loaded, in one line: revisions, heads, problems.
#[function_component(Summary)]
fn summary(props: &SummaryProps) -> Html {
    let l = &props.loaded;
    let map = &l.project.map;
    let errors = l
        .diagnostics
        .iter()
        .filter(|d| d.severity.as_str() == "error")
        .count();
    html! {
        <section class="summary" aria-label="Summary" data-analysis-ms={format!("{:.1}", l.analysis_ms)}>
            <strong>{ if l.name.is_empty() { "(loose files)" } else { &l.name } }</strong>
            { format!(" · {} · {} · {} · {}",
                plural(map.len(), "revision"), plural(map.real_heads.len(), "head"),
                plural(map.real_bases.len(), "base"), plural(l.diagnostics.len(), "problem")) }
            if errors > 0 { <span class="badge problem">{ plural(errors, "error") }</span> }
            <span class="hint">{ format!(" · found by {} · analysed in {:.0} ms", l.how, l.analysis_ms) }</span>
        </section>
    }
}

#[function_component(Welcome)]
fn welcome() -> Html {
    html! {
        <main class="welcome">
            <h2>{ "Review Alembic migrations without Python or a database" }</h2>
            <p>{ "Open an Alembic project's " }<code>{ "versions/" }</code>{ " folder, the folder holding its " }<code>{ "alembic.ini" }</code>{ ", or a .zip of either, with the buttons above or by dropping it anywhere on this page. Or load the bundled sample." }</p>
            <p>{ "Files are read in this browser tab and never leave your machine: the page makes no network request once loaded." }</p>
            <ul class="features">
                <li><strong>{ "Graph" }</strong>{ " heads, branch and merge points, depends_on, in lanes" }</li>
                <li><strong>{ "History" }</strong>{ " exactly as " }<code>{ "alembic history" }</code>{ " orders it" }</li>
                <li><strong>{ "Plan and SQL" }</strong>{ " any range Alembic accepts, and the " }<code>{ "--sql" }</code>{ " it prints" }</li>
                <li><strong>{ "Tables and Schema" }</strong>{ " what each migration does to each table" }</li>
                <li><strong>{ "Diagnostics" }</strong>{ " broken links, several heads, unsafe operations" }</li>
            </ul>
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
