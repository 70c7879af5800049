//! The app's state as one reducer: every change is an `Action`.

use std::collections::HashMap;
use std::rc::Rc;

use alembic_planner::offline::Dialect;
use alembic_planner::views::{HistoryRow, PlanRequest, PlanView};
use alembic_planner::{InputFile, LoadOptions, Project};
use yew::Reducible;

/// A loaded and analysed folder.
pub struct Loaded {
    pub name: String,
    pub project: Rc<Project>,
    pub rows: Rc<Vec<HistoryRow>>,
    pub suggestions: Rc<Vec<String>>,
    /// Milliseconds spent in the core (parse + graph + history order), for the benchmark.
    pub analysis_ms: f64,
}

/// The views of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    History,
    Plan,
}

#[derive(Clone)]
pub struct State {
    pub loaded: Option<Rc<Loaded>>,
    pub loading: bool,
    pub view: View,
    pub selected: Option<usize>,
    /// A line of the selected revision's file to show (from a diagnostic).
    pub line: Option<u32>,
    pub plan_request: PlanRequest,
    pub plan: Rc<PlanView>,
    /// Revision index → step number in the current plan.
    pub plan_steps: Rc<HashMap<usize, usize>>,
}

impl Default for State {
    fn default() -> Self {
        State {
            loaded: None,
            loading: false,
            view: View::History,
            selected: None,
            line: None,
            plan_request: PlanRequest {
                upgrade: true,
                target: "heads".into(),
                current: String::new(),
                dialect: Dialect::Postgresql,
                transaction_per_migration: false,
            },
            plan: Rc::new(PlanView::default()),
            plan_steps: Rc::new(HashMap::new()),
        }
    }
}

pub enum Action {
    /// Files are being read.
    Loading,
    /// A folder's files were read: `(display name, files)`.
    Load((String, Vec<InputFile>)),
    /// A revision (index in the map) was selected.
    Select(usize),
    /// Show a line of a revision's file (a diagnostic was clicked).
    Open { rev: usize, line: u32 },
    /// Switch view.
    Show(View),
    /// The plan builder's inputs changed.
    Plan(PlanRequest),
}

impl State {
    fn replan(&mut self) {
        let Some(l) = &self.loaded else { return };
        let view = l.project.plan_view(&self.plan_request);
        self.plan_steps = Rc::new(view.rows.iter().map(|r| (r.index, r.number)).collect());
        self.plan = Rc::new(view);
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Loading => {
                next = State {
                    loading: true,
                    view: self.view,
                    plan_request: self.plan_request.clone(),
                    ..State::default()
                };
            }
            Action::Load((name, files)) => {
                let started = js_sys::Date::now();
                let project = Project::load(&files, LoadOptions::default());
                let rows = project.history_rows();
                let analysis_ms = js_sys::Date::now() - started;
                let suggestions = project.identifier_suggestions();
                next.loaded = Some(Rc::new(Loaded {
                    name,
                    project: Rc::new(project),
                    rows: Rc::new(rows),
                    suggestions: Rc::new(suggestions),
                    analysis_ms,
                }));
                next.loading = false;
                next.selected = None;
                next.line = None;
                next.replan();
            }
            Action::Select(i) => {
                next.selected = Some(i);
                next.line = None;
            }
            Action::Open { rev, line } => {
                next.selected = Some(rev);
                next.line = Some(line);
                next.view = View::History;
            }
            Action::Show(v) => next.view = v,
            Action::Plan(req) => {
                next.plan_request = req;
                next.replan();
            }
        }
        Rc::new(next)
    }
}
