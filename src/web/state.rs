//! The app's state as one reducer: every change is an `Action`. The address bar mirrors
//! the part of it a link should reopen (`route`), and sets it back (`Action::Route`).

use std::collections::HashMap;
use std::rc::Rc;

use alembic_planner::base::diag::Diagnostic;
use alembic_planner::base::Dialect;
use alembic_planner::graph::walk::Arg;
use alembic_planner::present::layout::Layout;
use alembic_planner::present::route::Route;
use alembic_planner::present::views::{schema_view, HistoryRow, PlanRequest, PlanView, SchemaView};
use alembic_planner::schema::Simulation;
use alembic_planner::{InputFile, LoadOptions, Project};
use yew::Reducible;

use crate::dom::now;

/// A loaded and analysed versions folder.
pub struct Loaded {
    /// Where the versions folder was found (`proj/migrations/versions`).
    pub name: String,
    /// How it was found (for the summary).
    pub how: String,
    /// The files as read, kept to analyse again when the type mapping changes.
    pub files: Rc<Vec<InputFile>>,
    pub options: LoadOptions,
    /// Problems reading what was given (an unreadable archive or file).
    pub read_diagnostics: Vec<Diagnostic>,
    pub project: Rc<Project>,
    pub rows: Rc<Vec<HistoryRow>>,
    pub layout: Rc<Layout>,
    pub suggestions: Rc<Vec<String>>,
    /// Every revision's upgrade simulated in upgrade order: the table map.
    pub sim: Rc<Simulation>,
    /// Reading problems, the project's diagnostics and the simulation's, together.
    pub diagnostics: Rc<Vec<Diagnostic>>,
    /// Milliseconds from the first file parsed to everything here computed (the benchmark
    /// reads it).
    pub analysis_ms: f64,
}

impl Loaded {
    pub fn new(
        name: String,
        how: String,
        files: Rc<Vec<InputFile>>,
        options: LoadOptions,
        project: Project,
        read_diagnostics: Vec<Diagnostic>,
        started: f64,
    ) -> Loaded {
        let rows = alembic_planner::present::views::history_rows(&project);
        let layout = alembic_planner::present::layout::layout(&project);
        let suggestions = alembic_planner::present::views::identifier_suggestions(&project);
        let sim = alembic_planner::schema::table_map(&project, Dialect::Postgresql);
        let mut diagnostics = read_diagnostics.clone();
        diagnostics.extend(project.diagnostics.iter().cloned());
        diagnostics.extend(sim.diagnostics.iter().cloned());
        Loaded {
            name,
            how,
            files,
            options,
            read_diagnostics,
            project: Rc::new(project),
            rows: Rc::new(rows),
            layout: Rc::new(layout),
            suggestions: Rc::new(suggestions),
            sim: Rc::new(sim),
            diagnostics: Rc::new(diagnostics),
            analysis_ms: now() - started,
        }
    }
}

/// What the loader is doing: `done` of `total` (`total` 0 when unknown).
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub label: String,
    pub done: usize,
    pub total: usize,
}

impl Progress {
    pub fn new(label: &str, done: usize, total: usize) -> Progress {
        Progress {
            label: label.into(),
            done,
            total,
        }
    }
}

/// The views of the app, in the navigation's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Graph,
    History,
    Plan,
    Sql,
    Tables,
    Schema,
    Diagnostics,
}

impl View {
    pub const ALL: [View; 7] = [
        View::Graph,
        View::History,
        View::Plan,
        View::Sql,
        View::Tables,
        View::Schema,
        View::Diagnostics,
    ];

    /// The name in the address and in element ids (`#tab-graph`).
    pub fn name(self) -> &'static str {
        match self {
            View::Graph => "graph",
            View::History => "history",
            View::Plan => "plan",
            View::Sql => "sql",
            View::Tables => "tables",
            View::Schema => "schema",
            View::Diagnostics => "diagnostics",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            View::Graph => "Graph",
            View::History => "History",
            View::Plan => "Plan",
            View::Sql => "SQL",
            View::Tables => "Tables",
            View::Schema => "Schema",
            View::Diagnostics => "Diagnostics",
        }
    }

    pub fn from_name(name: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.name() == name)
    }
}

#[derive(Clone)]
pub struct State {
    pub loaded: Option<Rc<Loaded>>,
    pub progress: Option<Progress>,
    pub view: View,
    /// The selected revision (index in the map).
    pub selected: Option<usize>,
    /// A line of the selected revision's file to show (from a diagnostic).
    pub line: Option<u32>,
    /// A revision named by the address before a folder was loaded.
    pub pending_rev: Option<String>,
    pub plan_request: PlanRequest,
    /// Computed when the Plan or SQL view is shown or the request changes.
    pub plan: Option<Rc<PlanView>>,
    /// Revision index → step number in the current plan.
    pub plan_steps: Rc<HashMap<usize, usize>>,
    pub tables_query: String,
    pub schema_at: String,
    pub schema_since: String,
    /// Computed when the Schema view is shown or its inputs change.
    pub schema: Option<Rc<SchemaView>>,
    /// Application-defined column types mapped to SQL, one `NAME=SQL` per line.
    pub type_map: String,
    /// The graph's search.
    pub find: String,
    /// `auto`, `light` or `dark`.
    pub theme: String,
    pub guide_open: bool,
}

impl State {
    /// The state a first visit starts in: the address's view and settings, the saved theme.
    pub fn initial(route: Route, theme: String) -> State {
        let mut s = State {
            loaded: None,
            progress: None,
            view: View::Graph,
            selected: None,
            line: None,
            pending_rev: None,
            plan_request: PlanRequest {
                upgrade: true,
                target: "heads".into(),
                current: String::new(),
                dialect: Dialect::Postgresql,
                transaction_per_migration: false,
            },
            plan: None,
            plan_steps: Rc::new(HashMap::new()),
            tables_query: String::new(),
            schema_at: "heads".into(),
            schema_since: String::new(),
            schema: None,
            type_map: String::new(),
            find: String::new(),
            theme,
            guide_open: false,
        };
        s.apply_route(&route);
        s
    }

    /// What the address shows of this state.
    pub fn route(&self) -> Route {
        let rev = match (&self.loaded, self.selected) {
            (Some(l), Some(i)) => Some(l.project.map.rev(i).id.clone()),
            _ => self.pending_rev.clone(),
        };
        Route {
            view: self.view.name().into(),
            rev,
            upgrade: self.plan_request.upgrade,
            target: self.plan_request.target.clone(),
            current: self.plan_request.current.clone(),
            dialect: self.plan_request.dialect.name().into(),
            at: self.schema_at.clone(),
            since: self.schema_since.clone(),
            find: self.find.clone(),
            tables: self.tables_query.clone(),
        }
    }

    fn apply_route(&mut self, r: &Route) {
        self.view = View::from_name(&r.view).unwrap_or(View::Graph);
        let req = PlanRequest {
            upgrade: r.upgrade,
            target: r.target.clone(),
            current: r.current.clone(),
            dialect: Dialect::from_name(&r.dialect).unwrap_or(Dialect::Postgresql),
            transaction_per_migration: self.plan_request.transaction_per_migration,
        };
        if req != self.plan_request {
            self.plan_request = req;
            self.plan = None;
            self.plan_steps = Rc::new(HashMap::new());
            self.schema = None;
        }
        if (r.at.as_str(), r.since.as_str())
            != (self.schema_at.as_str(), self.schema_since.as_str())
        {
            self.schema_at = r.at.clone();
            self.schema_since = r.since.clone();
            self.schema = None;
        }
        self.find = r.find.clone();
        self.tables_query = r.tables.clone();
        self.pending_rev = r.rev.clone();
        if self.loaded.is_some() && r.rev.is_none() {
            self.selected = None;
            self.line = None;
        }
        self.resolve_pending();
        self.compute_for_view();
    }

    /// Selects the revision the address named, once a folder is loaded.
    fn resolve_pending(&mut self) {
        let Some(l) = self.loaded.clone() else { return };
        let Some(id) = self.pending_rev.take() else {
            return;
        };
        let map = &l.project.map;
        let found = map
            .index_of(&id)
            .or_else(|| map.get_revision(&Arg::Str(id)).ok().flatten());
        if found != self.selected {
            self.selected = found;
            self.line = None;
        }
    }

    /// Computes what the current view shows and was not computed yet.
    fn compute_for_view(&mut self) {
        let Some(l) = &self.loaded else { return };
        if matches!(self.view, View::Plan | View::Sql) && self.plan.is_none() {
            let view = alembic_planner::present::views::plan_view(&l.project, &self.plan_request);
            self.plan_steps = Rc::new(view.rows.iter().map(|r| (r.index, r.number)).collect());
            self.plan = Some(Rc::new(view));
        }
        if self.view == View::Schema && self.schema.is_none() {
            let v = schema_view(
                &l.project,
                &self.schema_at,
                &self.schema_since,
                self.plan_request.dialect,
            );
            self.schema = Some(Rc::new(v));
        }
    }

    fn set_loaded(&mut self, loaded: Rc<Loaded>) {
        self.loaded = Some(loaded);
        self.progress = None;
        self.plan = None;
        self.plan_steps = Rc::new(HashMap::new());
        self.schema = None;
        self.resolve_pending();
        self.compute_for_view();
    }
}

pub enum Action {
    /// The loader's progress; a new load starts with one.
    Progress(Progress),
    /// A folder was read and analysed.
    Loaded(Rc<Loaded>),
    /// A revision (index in the map) was selected.
    Select(usize),
    /// Show a line of a revision's file (a diagnostic was clicked).
    Open {
        rev: usize,
        line: u32,
    },
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
    /// The graph's search text.
    Find(String),
    /// The address changed (back or forward button).
    Route(Route),
    Theme(String),
    Guide(bool),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Progress(p) => next.progress = Some(p),
            Action::Loaded(l) => {
                if let (Some(old), Some(i)) = (&self.loaded, self.selected) {
                    // a link's revision survives loading the same folder again
                    next.pending_rev
                        .get_or_insert(old.project.map.rev(i).id.clone());
                }
                next.selected = None;
                next.line = None;
                next.set_loaded(l);
            }
            Action::TypeMap(text) => {
                next.type_map = text;
                if let Some(l) = self.loaded.clone() {
                    let selected = self.selected.map(|i| l.project.map.rev(i).id.clone());
                    next.pending_rev = selected;
                    next.set_loaded(Rc::new(crate::loader::reanalyse(&l, &next.type_map)));
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
                next.compute_for_view();
            }
            Action::Plan(req) => {
                next.plan_request = req;
                next.plan = None;
                next.schema = None;
                next.compute_for_view();
            }
            Action::TablesQuery(q) => next.tables_query = q,
            Action::Schema((at, since)) => {
                next.schema_at = at;
                next.schema_since = since;
                next.schema = None;
                next.compute_for_view();
            }
            Action::Find(q) => next.find = q,
            Action::Route(r) => next.apply_route(&r),
            Action::Theme(t) => next.theme = t,
            Action::Guide(open) => next.guide_open = open,
        }
        Rc::new(next)
    }
}
