//! The app's state as one reducer: every change is an `Action`.

use std::collections::HashMap;
use std::rc::Rc;

use alembic_planner::diag::Diagnostic;
use alembic_planner::offline::Dialect;
use alembic_planner::schema::Simulation;
use alembic_planner::source::parse_type_map;
use alembic_planner::views::{schema_view, HistoryRow, PlanRequest, PlanView, SchemaView};
use alembic_planner::{InputFile, LoadOptions, Project};
use yew::Reducible;

/// A loaded and analysed folder.
pub struct Loaded {
    pub name: String,
    /// The files as read, kept to analyse again when the type mapping changes.
    pub files: Rc<Vec<InputFile>>,
    pub project: Rc<Project>,
    pub rows: Rc<Vec<HistoryRow>>,
    pub suggestions: Rc<Vec<String>>,
    /// Every revision's upgrade simulated in upgrade order: the table map.
    pub sim: Rc<Simulation>,
    /// The project's diagnostics and the simulation's, together.
    pub diagnostics: Rc<Vec<Diagnostic>>,
    /// Milliseconds spent in the core (parse + graph + history order), for the benchmark.
    pub analysis_ms: f64,
}

/// The views of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    History,
    Plan,
    Tables,
    Schema,
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
    pub tables_query: String,
    pub schema_at: String,
    pub schema_since: String,
    /// Computed when the Schema view is shown or its inputs change.
    pub schema: Option<Rc<SchemaView>>,
    /// Application-defined column types mapped to SQL, one `NAME=SQL` per line.
    pub type_map: String,
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
            tables_query: String::new(),
            schema_at: "heads".into(),
            schema_since: String::new(),
            schema: None,
            type_map: String::new(),
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
    /// The Tables view's search text.
    TablesQuery(String),
    /// The Schema view's `(at, since)`.
    Schema((String, String)),
    /// The type mapping's text changed: analyse the same files again.
    TypeMap(String),
}

impl State {
    fn replan(&mut self) {
        let Some(l) = &self.loaded else { return };
        let view = l.project.plan_view(&self.plan_request);
        self.plan_steps = Rc::new(view.rows.iter().map(|r| (r.index, r.number)).collect());
        self.plan = Rc::new(view);
    }

    fn reschema(&mut self) {
        let Some(l) = &self.loaded else { return };
        if self.view == View::Schema {
            let v = schema_view(
                &l.project,
                &self.schema_at,
                &self.schema_since,
                self.plan_request.dialect,
            );
            self.schema = Some(Rc::new(v));
        } else {
            self.schema = None;
        }
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
                    type_map: self.type_map.clone(),
                    ..State::default()
                };
            }
            Action::Load((name, files)) => {
                next.load(name, Rc::new(files));
                next.selected = None;
                next.line = None;
            }
            Action::TypeMap(text) => {
                next.type_map = text;
                if let Some(l) = self.loaded.clone() {
                    next.load(l.name.clone(), Rc::clone(&l.files));
                }
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
            Action::Show(v) => {
                next.view = v;
                if v == View::Schema && next.schema.is_none() {
                    next.reschema();
                }
            }
            Action::Plan(req) => {
                next.plan_request = req;
                next.replan();
                next.schema = None;
            }
            Action::TablesQuery(q) => next.tables_query = q,
            Action::Schema((at, since)) => {
                next.schema_at = at;
                next.schema_since = since;
                next.reschema();
            }
        }
        Rc::new(next)
    }
}

impl State {
    /// Analyses `files` with the current type mapping.
    fn load(&mut self, name: String, files: Rc<Vec<InputFile>>) {
        let started = js_sys::Date::now();
        let opts = LoadOptions {
            type_map: parse_type_map(&self.type_map),
            ..LoadOptions::default()
        };
        let project = Project::load(&files, opts);
        let rows = project.history_rows();
        let analysis_ms = js_sys::Date::now() - started;
        let suggestions = project.identifier_suggestions();
        let sim = project.table_map(Dialect::Postgresql);
        let mut diagnostics = project.diagnostics.clone();
        diagnostics.extend(sim.diagnostics.iter().cloned());
        self.loaded = Some(Rc::new(Loaded {
            name,
            files,
            project: Rc::new(project),
            rows: Rc::new(rows),
            suggestions: Rc::new(suggestions),
            sim: Rc::new(sim),
            diagnostics: Rc::new(diagnostics),
            analysis_ms,
        }));
        self.loading = false;
        self.replan();
        self.reschema();
    }
}
