//! The app's state as one reducer: every change is an `Action`.

use std::rc::Rc;

use alembic_planner::views::HistoryRow;
use alembic_planner::{InputFile, LoadOptions, Project};
use yew::Reducible;

/// A loaded and analysed folder.
pub struct Loaded {
    pub name: String,
    pub project: Rc<Project>,
    pub rows: Rc<Vec<HistoryRow>>,
    /// Milliseconds spent in the core (parse + graph + history order), for the benchmark.
    pub analysis_ms: f64,
}

#[derive(Default)]
pub struct State {
    pub loaded: Option<Loaded>,
    pub loading: bool,
    pub selected: Option<usize>,
    /// A line of the selected revision's file to show (from a diagnostic).
    pub line: Option<u32>,
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
}

impl State {
    fn with_selection(&self, rev: usize, line: Option<u32>) -> Rc<State> {
        Rc::new(State {
            loaded: self.loaded.as_ref().map(|l| Loaded {
                name: l.name.clone(),
                project: Rc::clone(&l.project),
                rows: Rc::clone(&l.rows),
                analysis_ms: l.analysis_ms,
            }),
            loading: false,
            selected: Some(rev),
            line,
        })
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::Loading => Rc::new(State {
                loaded: None,
                loading: true,
                selected: None,
                line: None,
            }),
            Action::Load((name, files)) => {
                let started = js_sys::Date::now();
                let project = Project::load(&files, LoadOptions::default());
                let rows = project.history_rows();
                let analysis_ms = js_sys::Date::now() - started;
                Rc::new(State {
                    loaded: Some(Loaded {
                        name,
                        project: Rc::new(project),
                        rows: Rc::new(rows),
                        analysis_ms,
                    }),
                    loading: false,
                    selected: None,
                    line: None,
                })
            }
            Action::Select(i) => self.with_selection(i, None),
            Action::Open { rev, line } => self.with_selection(rev, Some(line)),
        }
    }
}
