//! The workspace once a folder is loaded: the summary, the tabs, and the view they show.
//! It reads the app's state from the context (`crate::AppState`) and passes each leaf
//! component its data and callbacks.

use std::rc::Rc;

use alembic_planner::present::route::View;
use alembic_planner::present::views::PlanRequest;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::detail::Detail;
use super::diagnostics::Diagnostics;
use super::findings::Findings;
use super::graph::Graph;
use super::history::History;
use super::plan::{PlanBuilder, SqlView};
use super::review::ReviewPane;
use super::schema::SchemaPane;
use super::summary::{plural, Summary};
use super::tables::Tables;
use crate::analysis::Loaded;
use crate::state::Action;
use crate::AppState;

/// A callback that dispatches the action `f` makes of its value.
fn dispatcher<T: 'static>(state: &AppState, f: fn(T) -> Action) -> Callback<T> {
    let state = state.clone();
    Callback::from(move |v| state.dispatch(f(v)))
}

#[derive(Properties)]
pub struct WorkspaceProps {
    pub loaded: Rc<Loaded>,
}

impl PartialEq for WorkspaceProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.loaded, &other.loaded)
    }
}

#[function_component(Workspace)]
pub fn workspace(props: &WorkspaceProps) -> Html {
    let state = use_context::<AppState>().expect("the app provides its state");
    let l = &props.loaded;
    html! {
        <main class="workspace">
            <Summary loaded={Rc::clone(l)} />
            if l.project.map.is_empty() {
                <section class="empty-state" role="alert">
                    <h2>{ format!("No revision scripts in {}", if l.name.is_empty() { "what was opened" } else { &l.name }) }</h2>
                    <p>{ "Alembic takes every " }<code>{ "*.py" }</code>{ " file of the versions folder (not " }<code>{ "__init__.py" }</code>{ ") that defines " }<code>{ "revision" }</code>{ ". Open the project's " }<code>{ "versions/" }</code>{ " folder, the folder holding " }<code>{ "alembic.ini" }</code>{ ", or a .zip of either." }</p>
                </section>
            }
            <Tabs current={state.view} problems={l.diagnostics.len()} on_show={dispatcher(&state, Action::Show)} />
            <div id="view" role="tabpanel" aria-labelledby={format!("tab-{}", state.view.name())}>
                <ViewPane loaded={Rc::clone(l)} />
            </div>
        </main>
    }
}

#[derive(Properties, PartialEq)]
pub struct TabsProps {
    pub current: View,
    /// Shown on the Diagnostics tab.
    pub problems: usize,
    pub on_show: Callback<View>,
}

/// The views as a tablist: arrow keys, Home and End move between them.
#[function_component(Tabs)]
pub fn tabs(props: &TabsProps) -> Html {
    let on_key = {
        let on_show = props.on_show.clone();
        let current = props.current;
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
            if let Some(el) = crate::dom::element_by_id(&format!("tab-{}", View::ALL[next].name()))
            {
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        })
    };
    let tab = |view: View| {
        let selected = props.current == view;
        let count = match view {
            View::Diagnostics if props.problems > 0 => format!(" ({})", props.problems),
            _ => String::new(),
        };
        html! {
            <button type="button" role="tab" id={format!("tab-{}", view.name())} aria-selected={selected.to_string()}
                aria-controls="view" tabindex={if selected { "0" } else { "-1" }} class={classes!("tab", selected.then_some("active"))}
                onclick={props.on_show.reform(move |_| view)}>{ view.label() }{ count }</button>
        }
    };
    html! {
        <nav class="tabs" role="tablist" aria-label="Views" onkeydown={on_key}>{ for View::ALL.into_iter().map(tab) }</nav>
    }
}

#[derive(Properties)]
pub struct ViewPaneProps {
    pub loaded: Rc<Loaded>,
}

impl PartialEq for ViewPaneProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.loaded, &other.loaded)
    }
}

/// A project and a dialect, equal when they are the same project (not a copy).
#[derive(Clone)]
struct LintKey(Rc<alembic_planner::Project>, alembic_planner::base::Dialect);

impl PartialEq for LintKey {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.0, &o.0) && self.1 == o.1
    }
}

/// The findings, and how many each revision (by index) has.
type FindingsMemo = (
    Rc<alembic_planner::lint::Lint>,
    Rc<std::collections::HashMap<usize, usize>>,
);

/// The linter's findings for the project in the plan's dialect, and how many each
/// revision has (the markers of History and the graph): computed once per project and
/// dialect, after the first view is drawn, a slice of revisions per turn of the event loop;
/// `None` until then.
#[hook]
fn use_findings(l: &Loaded, dialect: alembic_planner::base::Dialect) -> Option<Rc<FindingsMemo>> {
    let done = use_state(|| None::<(LintKey, Rc<FindingsMemo>)>);
    let key = LintKey(Rc::clone(&l.project), dialect);
    let sim = l.sim.clone();
    let gen = l.gen;
    // a project whose operations are still to be read is linted once they are (its key
    // then changes), by the worker if it answers first
    let pending = l.operations_pending();
    {
        let done = done.clone();
        use_effect_with(key.clone(), move |k| {
            let k = k.clone();
            let found = {
                let (done, k) = (done.clone(), k.clone());
                move |lint: alembic_planner::lint::Lint| {
                    let per = lint.per_revision(&k.0);
                    done.set(Some((k.clone(), Rc::new((Rc::new(lint), Rc::new(per))))));
                }
            };
            // a large folder is linted by the analysis worker; if it stops, here
            let on_page = {
                let (k, found) = (k.clone(), found.clone());
                move || {
                    if !pending {
                        wasm_bindgen_futures::spawn_local(lint_on_page(
                            k.clone(),
                            sim.clone(),
                            found.clone(),
                        ))
                    }
                }
            };
            let on_page_too = on_page.clone();
            let asked = crate::worker::request_lint(
                gen,
                k.1,
                Callback::from(
                    move |lint: Option<alembic_planner::lint::Lint>| match lint {
                        Some(lint) => {
                            crate::dom::mark("lint:worker");
                            found(lint)
                        }
                        None => on_page_too(),
                    },
                ),
            );
            if !asked {
                on_page();
            }
        });
    }
    match &*done {
        Some((k, v)) if *k == key => Some(Rc::clone(v)),
        _ => None,
    }
}

/// Lints on the page's thread, a slice of revisions per turn of the event loop.
async fn lint_on_page(
    k: LintKey,
    sim: Option<Rc<alembic_planner::schema::Simulation>>,
    found: impl FnOnce(alembic_planner::lint::Lint),
) {
    let mut slice = crate::dom::Slice::new();
    slice.pause().await;
    crate::dom::mark("lint:walk");
    let config = alembic_planner::lint::Config::new(k.1);
    let mut run = alembic_planner::lint::LintRun::new(&k.0, &config);
    while !run.step(1) {
        slice.pause_if_due().await;
    }
    // the table map in the lint's dialect: the loader's when it is the same, otherwise
    // simulated here a slice at a time
    // (and in the loader's dialect when the loader left its map for later)
    let own = if let (crate::analysis::TABLE_MAP_DIALECT, Some(_)) = (k.1, &sim) {
        None
    } else {
        crate::dom::mark("lint:tables");
        let mut tables = alembic_planner::schema::SimulationRun::table_map(&k.0, k.1);
        while !tables.step(1) {
            slice.pause_if_due().await;
        }
        Some(tables.finish())
    };
    slice.pause().await;
    crate::dom::mark("lint:finish");
    let lint = run.finish(own.as_ref().or(sim.as_deref()));
    crate::dom::mark("lint:done");
    found(lint);
}

/// The current view, its data from the state.
#[function_component(ViewPane)]
pub fn view_pane(props: &ViewPaneProps) -> Html {
    let state = use_context::<AppState>().expect("the app provides its state");
    let l = &props.loaded;
    let findings = use_findings(l, state.plan_request.dialect);
    let no_marks = use_memo((), |_| std::collections::HashMap::<usize, usize>::new());
    let marks = findings
        .as_ref()
        .map(|f| Rc::clone(&f.1))
        .unwrap_or_else(|| Rc::clone(&no_marks));
    let on_select: Callback<usize> = dispatcher(&state, Action::Select);
    let on_open: Callback<(usize, u32)> =
        dispatcher(&state, |(rev, line)| Action::Open { rev, line });
    let on_plan: Callback<PlanRequest> = dispatcher(&state, Action::Plan);
    let on_type_map: Callback<String> = dispatcher(&state, Action::TypeMap);
    let on_tables_query: Callback<String> = dispatcher(&state, Action::TablesQuery);
    let on_schema: Callback<(String, String)> = dispatcher(&state, Action::Schema);
    let on_find: Callback<String> = dispatcher(&state, Action::Find);
    let detail = html! {
        <Detail project={Rc::clone(&l.project)} selected={state.selected} line={state.line}
            dialect={state.plan_request.dialect} on_select={on_select.clone()} />
    };
    match state.view {
        View::Graph => html! {
            <div class="panes graph-panes">
                <Graph project={Rc::clone(&l.project)} layout={Rc::clone(&l.layout)} selected={state.selected}
                    find={AttrValue::from(state.find.clone())} findings={Rc::clone(&marks)}
                    on_select={on_select.clone()} on_find={on_find} />
                { detail }
            </div>
        },
        View::History => html! {
            <div class="panes">
                <History rows={Rc::clone(&l.rows)} selected={state.selected}
                    plan_steps={Rc::clone(&state.plan_steps)} findings={Rc::clone(&marks)} on_select={on_select} />
                { detail }
            </div>
        },
        // a large folder's plan comes from the analysis worker: until it answers, the form
        // and a line saying so
        View::Plan => html! {
            <PlanBuilder request={state.plan_request.clone()} view={state.plan.clone().unwrap_or_default()}
                suggestions={Rc::clone(&l.plan_suggestions)} dialect_note={state.dialect_note.clone().map(AttrValue::from)} on_change={on_plan}
                on_select={on_open.reform(|i: usize| (i, 0))} in_worker={state.plan.as_ref().map(|_| state.plan_in_worker)} />
        },
        View::Sql => html! {
            <SqlView request={state.plan_request.clone()} view={state.plan.clone().unwrap_or_default()}
                suggestions={Rc::clone(&l.plan_suggestions)} dialect_note={state.dialect_note.clone().map(AttrValue::from)} on_change={on_plan}
                type_map={AttrValue::from(state.type_map.clone())} on_type_map={on_type_map}
                in_worker={state.plan.as_ref().map(|_| state.plan_in_worker)} />
        },
        View::Tables => html! {
            <Tables project={Rc::clone(&l.project)} sim={l.sim.clone()} query={state.tables_query.clone()}
                on_query={on_tables_query} on_open={on_open} />
        },
        View::Schema => match &state.schema {
            Some(v) => html! {
                <SchemaPane project={Rc::clone(&l.project)} view={Rc::clone(v)} at={state.schema_at.clone()}
                    since={state.schema_since.clone()} suggestions={Rc::clone(&l.suggestions)}
                    on_change={on_schema} on_open={on_open} />
            },
            None => {
                html! { <p class="empty-state" aria-busy="true" role="status">{ "Simulating the schema…" }</p> }
            }
        },
        View::Review => html! {
            <ReviewPane loaded={Rc::clone(l)} base={state.base.clone()} dialect={state.plan_request.dialect}
                on_base={dispatcher(&state, Action::Base)} />
        },
        View::Findings => match &findings {
            Some(f) => html! {
                <Findings project={Rc::clone(&l.project)} lint={Rc::clone(&f.0)} on_open={on_open} />
            },
            None => html! { <p class="empty-state" aria-busy="true">{ "Linting…" }</p> },
        },
        View::Diagnostics => html! {
            <>
                <Diagnostics project={Rc::clone(&l.project)} diagnostics={Rc::clone(&l.diagnostics)} on_open={on_open} />
                if !l.project.ignored.is_empty() {
                    <details class="ignored">
                        <summary>{ format!("{} ignored (not revision scripts)", plural(l.project.ignored.len(), "other file")) }</summary>
                        <ul>{ for l.project.ignored.iter().map(|p| html! { <li><code>{ p }</code></li> }) }</ul>
                    </details>
                }
            </>
        },
    }
}
