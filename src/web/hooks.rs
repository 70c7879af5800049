//! Hooks shared by components.

use web_sys::HtmlElement;
use yew::prelude::*;

/// A scrolled window on a long list: `(scroll top, viewport height)` of the element behind
/// `node`, measured once it is on screen and on every scroll (the `onscroll` handler to
/// attach). Components draw only the rows this window shows.
#[hook]
pub fn use_scroll_window(
    node: NodeRef,
    initial_height: f64,
) -> (UseStateHandle<(f64, f64)>, Callback<Event>) {
    let window = use_state(|| (0.0f64, initial_height));
    {
        let window = window.clone();
        use_effect_with((), move |_| {
            if let Some(el) = node.cast::<HtmlElement>() {
                window.set((el.scroll_top() as f64, el.client_height() as f64));
            }
        });
    }
    let onscroll = {
        let window = window.clone();
        Callback::from(move |e: Event| {
            let el: HtmlElement = e.target_unchecked_into();
            window.set((el.scroll_top() as f64, el.client_height() as f64));
        })
    };
    (window, onscroll)
}

/// The address mirrors the state once a folder is loaded: searches replace the current
/// history entry, everything else adds one (so the back button steps through views and
/// selections).
#[hook]
pub fn use_address(state: &UseReducerHandle<crate::state::State>) {
    use alembic_planner::present::route::Route;
    let last = use_mut_ref(|| None::<Route>);
    let route = state.route();
    let loaded = state.loaded.is_some();
    use_effect_with((route, loaded), move |(route, loaded)| {
        if *loaded {
            let fragment = route.to_fragment();
            if fragment != crate::dom::location_hash() {
                let push = last.borrow().as_ref().is_some_and(|prev: &Route| {
                    Route {
                        find: route.find.clone(),
                        tables: route.tables.clone(),
                        ..prev.clone()
                    } != *route
                });
                crate::dom::set_location_hash(&fragment, push);
            }
            *last.borrow_mut() = Some(route.clone());
        }
    });
}

/// The back and forward buttons, and links pasted into the address bar, set the state
/// back to what the address says.
#[hook]
pub fn use_back_forward(state: &UseReducerHandle<crate::state::State>) {
    use alembic_planner::present::route::Route;
    let state = state.clone();
    use_effect_with((), move |_| {
        let window = web_sys::window();
        let listeners: Vec<gloo_events::EventListener> = window
            .iter()
            .flat_map(|w| {
                ["popstate", "hashchange"].map(|kind| {
                    let state = state.clone();
                    gloo_events::EventListener::new(w, kind, move |_| {
                        state.dispatch(crate::state::Action::Route(Route::parse(
                            &crate::dom::location_hash(),
                        )));
                    })
                })
            })
            .collect();
        // removed when the app goes
        move || drop(listeners)
    });
}

/// The theme applied to the page and kept in local storage.
#[hook]
pub fn use_theme(theme: crate::state::Theme) {
    use_effect_with(theme, |theme| {
        crate::dom::apply_theme(*theme);
        crate::dom::store("theme", theme.name());
    });
}

/// When the type mapping differs from the one the loaded folder was analysed with, the
/// same files are analysed again (an effect: the reducer stays pure).
#[hook]
pub fn use_reanalysis(state: &UseReducerHandle<crate::state::State>) {
    let wanted = state.type_map.clone();
    let loaded = state.loaded.clone();
    let dispatch = state.dispatcher();
    let key = (
        wanted.clone(),
        loaded.as_ref().map(|l| std::rc::Rc::as_ptr(l) as usize),
    );
    use_effect_with(key, move |_| {
        if let Some(l) = loaded.filter(|l| l.type_map != wanted) {
            dispatch.dispatch(crate::state::Action::Loaded(crate::loader::reanalyse(
                &l, &wanted,
            )));
        }
    });
}

/// `#selftest=panic` in the address makes the app panic once it has drawn, to check what a
/// user sees if anything panics (the error panel, and the way to go on); tested end to end.
#[hook]
pub fn use_selftest() {
    use_effect_with((), |_| {
        if crate::dom::location_hash().contains("selftest=panic") {
            panic!("self-test: the address asked the app to stop (#selftest=panic)");
        }
    });
}

/// The analysis worker's answers go to the reducer; a plan the current view waits for is
/// asked of the worker (when one serves the loaded folder) once per request.
#[hook]
pub fn use_worker(state: &UseReducerHandle<crate::state::State>) {
    use alembic_planner::present::route::View;
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            crate::worker::listen(Callback::from(move |reply| {
                dispatch.dispatch(crate::state::Action::Worker(std::rc::Rc::new(reply)))
            }));
        });
    }
    let wanted = match &state.loaded {
        Some(l) if matches!(state.view, View::Plan | View::Sql) && state.plan.is_none() => {
            Some((l.gen, state.plan_request.clone()))
        }
        _ => None,
    };
    let dispatch = state.dispatcher();
    use_effect_with(wanted, move |wanted| {
        if let Some((gen, request)) = wanted {
            if !crate::worker::request_plan(*gen, request) {
                // no worker to ask (it stopped): the page computes the plan itself
                dispatch.dispatch(crate::state::Action::WorkerLost);
            }
        }
    });
}

/// What a large folder's load leaves until its graph is drawn, done a slice of revisions
/// per turn of the event loop: its revisions' operations read (`Loaded::later`; the folder
/// then replaced by the one with them, `Action::Operations`), then its table map
/// (`Action::TableMap`); loading another folder ends it.
#[hook]
pub fn use_deferred_analysis(state: &UseReducerHandle<crate::state::State>) {
    let loaded = state
        .loaded
        .as_ref()
        .filter(|l| l.sim.is_none())
        .map(std::rc::Rc::clone);
    let key = loaded
        .as_ref()
        .map(|l| std::rc::Rc::as_ptr(&l.project) as usize);
    let dispatch = state.dispatcher();
    let latest = use_mut_ref(|| 0u64);
    use_effect_with(key, move |_| {
        *latest.borrow_mut() += 1;
        let ticket = *latest.borrow();
        if let Some(l) = loaded {
            wasm_bindgen_futures::spawn_local(async move {
                crate::dom::next_tick().await;
                let go_on = || *latest.borrow() == ticket;
                if let Some(with) = &l.later {
                    crate::dom::mark("ops:read");
                    let next = crate::loader::read_operations(&l, with, go_on).await;
                    if let Some(next) = next {
                        crate::dom::mark("ops:done");
                        // the table map follows, for the folder with its operations
                        dispatch.dispatch(crate::state::Action::Operations(
                            std::rc::Rc::clone(&l.project),
                            std::rc::Rc::new(next),
                        ));
                    }
                    return;
                }
                crate::dom::mark("views:tables");
                let project = std::rc::Rc::clone(&l.project);
                let sim = crate::loader::table_map_in_slices(&project, |_, _| go_on()).await;
                if let Some(sim) = sim {
                    crate::dom::mark("views:tables-done");
                    dispatch.dispatch(crate::state::Action::TableMap(project, sim));
                }
            });
        }
    });
}

/// A large history's Schema view, simulated a slice of revisions per turn of the event
/// loop; a newer request (another revision, dialect or folder) ends an older one.
#[hook]
pub fn use_schema(state: &UseReducerHandle<crate::state::State>) {
    let wanted = state.schema_wanted();
    let project = state
        .loaded
        .as_ref()
        .map(|l| std::rc::Rc::clone(&l.project));
    let dispatch = state.dispatcher();
    let latest = use_mut_ref(|| 0u64);
    use_effect_with(wanted, move |wanted| {
        *latest.borrow_mut() += 1;
        let ticket = *latest.borrow();
        if let (Some(key), Some(project)) = (wanted.clone(), project) {
            wasm_bindgen_futures::spawn_local(async move {
                let mut slice = crate::dom::Slice::new();
                slice.pause().await;
                let mut run = alembic_planner::present::views::SchemaViewRun::new(
                    &project, &key.1, &key.2, key.3,
                );
                while !run.step(1) {
                    if slice.due() {
                        slice.pause().await;
                        if *latest.borrow() != ticket {
                            return;
                        }
                    }
                }
                let view = run.finish();
                dispatch.dispatch(crate::state::Action::SchemaComputed(
                    key,
                    std::rc::Rc::new(view),
                ));
            });
        }
    });
}
