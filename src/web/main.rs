//! The web app: a Yew single-page shell over the analysis core, built by trunk for wasm32.
//!
//! State lives in one pure reducer (`state.rs`), provided to the workspace as a context;
//! effects (the address, the back button, the theme, analysing again) are hooks
//! (`hooks.rs`); reading what the user gives and analysing it is `loader.rs`, what comes
//! out of it `analysis.rs`; other browser effects are in `dom.rs`. No analysis logic lives
//! here.

mod analysis;
mod components;
mod dom;
mod hooks;
mod loader;
mod sample;
mod state;
mod worker;

use std::future::Future;

use alembic_planner::base::Dialect;
use alembic_planner::present::export;
use alembic_planner::present::route::Route;
use alembic_planner::present::views::{plan_view, PlanRequest};
use yew::prelude::*;

use analysis::{Loaded, Progress};
use components::guide::Guide;
use components::summary::Welcome;
use components::toolbar::{Export, Toolbar};
use components::workspace::Workspace;
use state::{Action, State, Theme};

/// The app's state, as the workspace reads it from the context.
pub type AppState = UseReducerHandle<State>;

/// Reads with `read`, then analyses, reporting progress all along. A load started later
/// cancels this one.
fn spawn_load(state: AppState, read: impl Future<Output = loader::Given> + 'static) {
    let type_map = state.type_map.clone();
    let gen = worker::next_generation();
    wasm_bindgen_futures::spawn_local(async move {
        let given = read.await;
        if !worker::is_current(gen) {
            return;
        }
        let progress = progress_of(&state);
        if let Some(loaded) = loader::analyse(Some(gen), given, type_map, progress).await {
            state.dispatch(Action::Loaded(loaded));
        }
    });
}

fn progress_of(state: &AppState) -> Callback<Progress> {
    let state = state.clone();
    Callback::from(move |p| state.dispatch(Action::Progress(p)))
}

/// Saves one of the exports of the loaded folder.
fn save_export(l: &Loaded, what: Export, dialect: Dialect) {
    let stem = l
        .name
        .trim_end_matches('/')
        .rsplit('/')
        .find(|c| *c != "versions" && !c.is_empty())
        .unwrap_or("migrations")
        .to_string();
    let (text, name, mime) = match what {
        Export::Markdown => (
            export::markdown(&l.with_operations_now(), &l.layout, &l.table_map(), &l.name),
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
            let view = plan_view(
                &l.with_operations_now(),
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

/// Callbacks that read what the user gives: the sample, a picked folder or archive, a drop.
struct Loaders {
    on_sample: Callback<()>,
    on_files: Callback<Vec<web_sys::File>>,
    on_drop: Callback<DragEvent>,
}

fn loaders(state: &AppState) -> Loaders {
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
            progress.emit(Progress::new("Reading files", 0, files.len()));
            spawn_load(state.clone(), async move {
                loader::read_file_list(files, &progress).await
            });
        })
    };
    let on_drop = {
        let state = state.clone();
        Callback::from(move |e: DragEvent| {
            let Some(dt) = e.data_transfer() else { return };
            let entries = loader::drop_entries(&dt);
            let progress = progress_of(&state);
            progress.emit(Progress::new("Finding files", 0, 0));
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
    Loaders {
        on_sample,
        on_files,
        on_drop,
    }
}

#[function_component(App)]
fn app() -> Html {
    let state = use_reducer(|| {
        State::initial(
            Route::parse(&dom::location_hash()),
            Theme::from_name(&dom::stored("theme").unwrap_or_default()),
        )
    });
    hooks::use_address(&state);
    hooks::use_back_forward(&state);
    hooks::use_theme(state.theme);
    hooks::use_reanalysis(&state);
    hooks::use_selftest();
    hooks::use_worker(&state);
    hooks::use_schema(&state);
    hooks::use_deferred_analysis(&state);
    let dragging = use_state(|| false);
    let Loaders {
        on_sample,
        on_files,
        on_drop,
    } = loaders(&state);

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
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            on_drop.emit(e);
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
        Callback::from(move |t: Theme| state.dispatch(Action::Theme(t)))
    };
    let on_guide = {
        let state = state.clone();
        let open = state.guide_open;
        Callback::from(move |_| state.dispatch(Action::Guide(!open)))
    };

    html! {
        <ContextProvider<AppState> context={state.clone()}>
            <div class={classes!("app", dragging.then_some("dragging"))} {ondragover} {ondragleave} {ondrop}>
                <Toolbar {on_sample} {on_files} {on_export} {on_theme} on_guide={on_guide.clone()}
                    progress={state.progress.clone()} loaded={state.loaded.is_some()} theme={state.theme} />
                if *dragging {
                    <div class="drop-overlay" aria-hidden="true"><p>{ "Drop a versions folder, a project folder or a .zip" }</p></div>
                }
                if state.guide_open {
                    <Guide on_close={on_guide.clone()} />
                }
                {
                    match &state.loaded {
                        None => html! { <Welcome /> },
                        Some(l) => html! { <Workspace loaded={l.clone()} /> },
                    }
                }
            </div>
        </ContextProvider<AppState>>
    }
}

fn main() {
    // the same module started by static/worker.js: serve the page's requests
    if worker::in_worker() {
        worker::serve();
        return;
    }
    // a panic ends the wasm instance: say so, with the message and a way to go on, rather
    // than leave a frozen progress bar
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&message.as_str().into());
        dom::show_fatal(&message);
    }));
    yew::Renderer::<App>::new().render();
}
