//! The app's state as one reducer: every change is an `Action`, and reducing is pure (no
//! clock, no DOM, no re-analysis: effects live in hooks, `hooks.rs`). The address bar
//! mirrors the part of the state a link should reopen (`route`), and sets it back
//! (`Action::Route`).

use std::collections::HashMap;
use std::rc::Rc;

use alembic_planner::base::Dialect;
use alembic_planner::graph::Arg;
use alembic_planner::present::route::{Route, View};
use alembic_planner::present::views::{plan_view, schema_view, PlanRequest, PlanView, SchemaView};
use yew::Reducible;

use crate::analysis::{Loaded, Progress};

/// The colour scheme: the system's, or one chosen (kept in local storage).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Auto,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::Auto, Theme::Light, Theme::Dark];

    /// The name in storage, in the theme menu's values and in `data-theme`.
    pub fn name(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Theme::Auto => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn from_name(name: &str) -> Theme {
        Theme::ALL
            .into_iter()
            .find(|t| t.name() == name)
            .unwrap_or(Theme::Auto)
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
    /// Whether the dialect was chosen (in the form, or by the address): a loaded project's
    /// detected dialect then does not replace it.
    pub dialect_chosen: bool,
    /// Why the dialect is what it is, when it was detected from the project.
    pub dialect_note: Option<String>,
    /// Computed when the Plan or SQL view is shown or the request changes (by the analysis
    /// worker for a large folder: `None` until it answers).
    pub plan: Option<Rc<PlanView>>,
    /// Whether `plan` came from the analysis worker.
    pub plan_in_worker: bool,
    /// Revision index → step number in the current plan.
    pub plan_steps: Rc<HashMap<usize, usize>>,
    pub tables_query: String,
    pub schema_at: String,
    pub schema_since: String,
    /// Computed when the Schema view is shown or its inputs change.
    pub schema: Option<Rc<SchemaView>>,
    /// Application-defined column types mapped to SQL, one `NAME=SQL` per line (when it
    /// differs from the loaded folder's, the re-analysis effect runs).
    pub type_map: String,
    /// The graph's search.
    pub find: String,
    pub theme: Theme,
    pub guide_open: bool,
    /// The base branch's folder the Review view compares the loaded one with.
    pub base: Option<Rc<Loaded>>,
}

/// Two states are equal when they show the same: shared values by identity (they are
/// replaced, never changed in place), the rest by value. The workspace's context compares
/// states to decide whether to render again.
impl PartialEq for State {
    fn eq(&self, o: &Self) -> bool {
        fn same<T>(a: &Option<Rc<T>>, b: &Option<Rc<T>>) -> bool {
            match (a, b) {
                (Some(x), Some(y)) => Rc::ptr_eq(x, y),
                (None, None) => true,
                _ => false,
            }
        }
        same(&self.loaded, &o.loaded)
            && self.dialect_note == o.dialect_note
            && same(&self.plan, &o.plan)
            && self.plan_in_worker == o.plan_in_worker
            && same(&self.schema, &o.schema)
            && Rc::ptr_eq(&self.plan_steps, &o.plan_steps)
            && self.progress == o.progress
            && self.view == o.view
            && self.selected == o.selected
            && self.line == o.line
            && self.pending_rev == o.pending_rev
            && self.plan_request == o.plan_request
            && self.tables_query == o.tables_query
            && self.schema_at == o.schema_at
            && self.schema_since == o.schema_since
            && self.type_map == o.type_map
            && self.find == o.find
            && self.theme == o.theme
            && self.guide_open == o.guide_open
            && same(&self.base, &o.base)
    }
}

impl State {
    /// The state a first visit starts in: the address's view and settings, the saved theme.
    pub fn initial(route: Route, theme: Theme) -> State {
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
            dialect_chosen: false,
            dialect_note: None,
            plan: None,
            plan_in_worker: false,
            plan_steps: Rc::new(HashMap::new()),
            tables_query: String::new(),
            schema_at: "heads".into(),
            schema_since: String::new(),
            schema: None,
            type_map: String::new(),
            find: String::new(),
            theme,
            guide_open: false,
            base: None,
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
            view: self.view,
            rev,
            upgrade: self.plan_request.upgrade,
            target: self.plan_request.target.clone(),
            current: self.plan_request.current.clone(),
            dialect: self.plan_request.dialect,
            at: self.schema_at.clone(),
            since: self.schema_since.clone(),
            find: self.find.clone(),
            tables: self.tables_query.clone(),
        }
    }

    fn apply_route(&mut self, r: &Route) {
        self.view = r.view;
        if r.dialect != self.plan_request.dialect {
            self.dialect_chosen = true;
            self.dialect_note = None;
        }
        let req = PlanRequest {
            upgrade: r.upgrade,
            target: r.target.clone(),
            current: r.current.clone(),
            dialect: r.dialect,
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
        let Some(l) = self.loaded.clone() else { return };
        // a large folder's plans come from the analysis worker (`hooks::use_worker` asks)
        // (not from a project whose operations are still to be read: once they are)
        if matches!(self.view, View::Plan | View::Sql)
            && self.plan.is_none()
            && !crate::worker::serves(l.gen)
            && !l.operations_pending()
        {
            let view = plan_view(&l.project, &self.plan_request);
            self.set_plan(view, false);
        }
        // a large history's schema is simulated in slices by `hooks::use_schema`
        if self.view == View::Schema
            && self.schema.is_none()
            && self.schema_wanted().is_none()
            && !l.operations_pending()
        {
            let v = schema_view(
                &l.project,
                &self.schema_at,
                &self.schema_since,
                self.plan_request.dialect,
            );
            self.schema = Some(Rc::new(v));
        }
    }

    /// What the Schema view waits for, when it is computed in slices: `(load, at, since,
    /// dialect)`.
    pub fn schema_wanted(&self) -> Option<(u64, String, String, Dialect)> {
        let l = self.loaded.as_ref()?;
        (self.view == View::Schema
            && self.schema.is_none()
            && !l.operations_pending()
            && l.project.map.len() >= SCHEMA_SLICED_FROM)
            .then(|| {
                (
                    l.gen,
                    self.schema_at.clone(),
                    self.schema_since.clone(),
                    self.plan_request.dialect,
                )
            })
    }

    fn set_plan(&mut self, view: PlanView, in_worker: bool) {
        self.plan_steps = Rc::new(view.rows.iter().map(|r| (r.index, r.number)).collect());
        self.plan = Some(Rc::new(view));
        self.plan_in_worker = in_worker;
    }

    /// An answer of the analysis worker: the plan the view waits for, if it is that one.
    fn worker_reply(&mut self, reply: &crate::worker::Reply) {
        use crate::worker::Reply;
        match reply {
            Reply::Plan {
                gen, request, view, ..
            } => {
                let waited = self.plan.is_none()
                    && *request == self.plan_request
                    && self.loaded.as_ref().is_some_and(|l| l.gen == *gen);
                if waited {
                    self.set_plan(view.clone(), true);
                }
            }
            // the worker stopped: what the view waits for is computed here
            Reply::Failed { .. } => self.compute_for_view(),
            // a lint goes to who asked for it (`worker::request_lint`)
            Reply::Loaded { .. } | Reply::Lint { .. } | Reply::LintPart { .. } => {}
        }
    }

    fn set_loaded(&mut self, loaded: Rc<Loaded>) {
        // the project's own dialect, unless one was chosen
        if !self.dialect_chosen {
            match &loaded.dialect_guess {
                Some(g) => {
                    self.plan_request.dialect = g.dialect;
                    self.dialect_note =
                        Some(format!("{} (detected: {})", g.dialect.label(), g.reason));
                }
                None => self.dialect_note = None,
            }
        }
        self.loaded = Some(loaded);
        self.progress = None;
        self.plan = None;
        self.plan_steps = Rc::new(HashMap::new());
        self.schema = None;
        self.resolve_pending();
        self.compute_for_view();
    }
}

/// From this many revisions on, the Schema view is simulated a slice at a time (below, at
/// once: a few milliseconds).
pub const SCHEMA_SLICED_FROM: usize = 500;

pub enum Action {
    /// The loader's progress; a new load starts with one.
    Progress(Progress),
    /// A folder was read and analysed (or analysed again with another type mapping).
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
    /// The type mapping's text changed (the re-analysis effect follows).
    TypeMap(String),
    /// The graph's search text.
    Find(String),
    /// The address changed (back or forward button).
    Route(Route),
    /// The Review view's base branch folder was read and analysed.
    Base(Rc<Loaded>),
    Theme(Theme),
    Guide(bool),
    /// The analysis worker answered.
    Worker(Rc<crate::worker::Reply>),
    /// The Schema view computed in slices, for what it was asked for
    /// (`State::schema_wanted`).
    SchemaComputed((u64, String, String, Dialect), Rc<SchemaView>),
    /// The analysis worker could not be asked: compute here what the view waits for.
    WorkerLost,
    /// A large folder's table map, simulated after its graph was drawn, for the folder
    /// whose project it was computed from.
    TableMap(
        Rc<alembic_planner::Project>,
        alembic_planner::schema::Simulation,
    ),
    /// A large folder's operations were read after its graph (`Loaded::later`): the folder
    /// loaded for its graph alone (its project), and the same folder with them.
    Operations(Rc<alembic_planner::Project>, Rc<Loaded>),
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
            Action::TypeMap(text) => next.type_map = text,
            Action::Base(b) => next.base = Some(b),
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
                if req.dialect != next.plan_request.dialect {
                    next.dialect_chosen = true;
                    next.dialect_note = None;
                }
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
            Action::Worker(reply) => next.worker_reply(&reply),
            Action::SchemaComputed(key, view) => {
                if next.schema_wanted().as_ref() == Some(&key) {
                    next.schema = Some(view);
                }
            }
            Action::WorkerLost => next.compute_for_view(),
            Action::Operations(project, with) => {
                // for the folder shown, not one loaded since
                if let Some(l) = self
                    .loaded
                    .as_ref()
                    .filter(|l| Rc::ptr_eq(&l.project, &project))
                {
                    if Rc::ptr_eq(&l.layout, &with.layout) {
                        // the same graph: what is selected and shown stays
                        next.loaded = Some(with);
                        next.compute_for_view();
                    } else {
                        // another graph (the project's constants changed a revision's
                        // identifiers): as a new load, the selection kept by identifier
                        if let Some(i) = self.selected {
                            next.pending_rev
                                .get_or_insert(l.project.map.rev(i).id.clone());
                        }
                        next.selected = None;
                        next.line = None;
                        next.set_loaded(with);
                    }
                }
            }
            Action::TableMap(project, sim) => {
                // for the folder shown, not one loaded since
                if let Some(l) = self
                    .loaded
                    .as_ref()
                    .filter(|l| l.sim.is_none() && Rc::ptr_eq(&l.project, &project))
                {
                    next.loaded = Some(Rc::new(l.with_table_map(sim)));
                }
            }
        }
        Rc::new(next)
    }
}
