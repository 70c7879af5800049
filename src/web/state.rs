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
}

#[derive(Default)]
pub struct State {
    pub loaded: Option<Loaded>,
    pub loading: bool,
    pub selected: Option<usize>,
}

pub enum Action {
    /// Files are being read.
    Loading,
    /// A folder's files were read: `(display name, files)`.
    Load((String, Vec<InputFile>)),
    /// A revision (index in the map) was selected.
    Select(usize),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::Loading => Rc::new(State {
                loaded: None,
                loading: true,
                selected: None,
            }),
            Action::Load((name, files)) => {
                let project = Project::load(&files, LoadOptions::default());
                let rows = project.history_rows();
                Rc::new(State {
                    loaded: Some(Loaded {
                        name,
                        project: Rc::new(project),
                        rows: Rc::new(rows),
                    }),
                    loading: false,
                    selected: None,
                })
            }
            Action::Select(i) => Rc::new(State {
                loaded: self.loaded.as_ref().map(|l| Loaded {
                    name: l.name.clone(),
                    project: Rc::clone(&l.project),
                    rows: Rc::clone(&l.rows),
                }),
                loading: false,
                selected: Some(i),
            }),
        }
    }
}
