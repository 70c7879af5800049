//! A folder read and analysed, and the progress of getting there: the values the loader
//! produces and the reducer holds. Neither reads the clock nor the DOM.

use std::rc::Rc;

use alembic_planner::base::{Diagnostic, Dialect};
use alembic_planner::input::{locate_versions, parse_type_map, Operations, ProjectConstants};
use alembic_planner::present::layout::{layout, Layout};
use alembic_planner::present::views::{
    detect_dialect, history_rows, identifier_suggestions, plan_suggestions, project_title,
    DialectGuess, HistoryRow, PlanSuggestions, ProjectTitle,
};
use alembic_planner::schema::{table_map, Simulation};
use alembic_planner::script::constants_from_files;
use alembic_planner::{InputFile, LoadOptions, Project};

/// A loaded and analysed versions folder.
#[derive(Clone)]
pub struct Loaded {
    /// Where the versions folder was found (`proj/migrations/versions`).
    pub name: String,
    /// How it was found (for the summary).
    pub how: String,
    /// What the summary calls it.
    pub title: ProjectTitle,
    /// The files as read, kept to analyse again when the type mapping changes.
    pub files: Rc<Vec<InputFile>>,
    pub options: LoadOptions,
    /// The type mapping (one `NAME=SQL` per line) this analysis used.
    pub type_map: String,
    /// Problems reading what was given (an unreadable archive or file).
    pub read_diagnostics: Vec<Diagnostic>,
    pub project: Rc<Project>,
    pub rows: Rc<Vec<HistoryRow>>,
    pub layout: Rc<Layout>,
    pub suggestions: Rc<Vec<String>>,
    /// What the plan form offers for each field.
    pub plan_suggestions: Rc<PlanSuggestions>,
    /// The dialect the project is written for, when what was opened says so.
    pub dialect_guess: Option<DialectGuess>,
    /// Every revision's upgrade simulated in upgrade order: the table map. A large folder's
    /// is computed after its graph is drawn (`hooks::use_table_map`): `None` until then.
    pub sim: Option<Rc<Simulation>>,
    /// Reading problems, the project's diagnostics and the simulation's, together (the
    /// simulation's once it is there).
    pub diagnostics: Rc<Vec<Diagnostic>>,
    /// Milliseconds from the first file parsed to everything here computed (the benchmark
    /// reads it); measured by the loader.
    pub analysis_ms: f64,
    /// The load's generation (`worker::next_generation`): the analysis worker's answers
    /// name the load they belong to.
    pub gen: u64,
}

/// What a project was made from, besides its files.
pub struct Origin {
    pub name: String,
    pub how: String,
    pub files: Rc<Vec<InputFile>>,
    pub options: LoadOptions,
    pub type_map: String,
    pub read_diagnostics: Vec<Diagnostic>,
}

/// The options to load `located` with: its own, the user's type mapping, and the string
/// constants and column types of the project's modules its revisions import, when those
/// modules were given (read, never run, as the CLI reads them from disk). A revision that
/// reads the dialect's name is read for the table map's dialect only; another dialect's
/// reading is made when a view first asks for it (`Project::migration_ops_for`): reading
/// every dialect up front was most of a large folder's load.
pub fn typed(options: &LoadOptions, type_map: &str) -> LoadOptions {
    LoadOptions {
        type_map: parse_type_map(type_map),
        operations: Operations::For(TABLE_MAP_DIALECT),
        ..options.clone()
    }
}

/// The constants of the project's own modules that `project`'s revisions import, when the
/// modules are among the files given; `None` when there is nothing to read again for.
/// `others` are the files given beside the versions folder found at `versions`.
pub fn imported_constants(
    others: &[InputFile],
    versions: &str,
    project: &Project,
) -> Option<ProjectConstants> {
    let wanted = project.unresolved_imports();
    if wanted.is_empty() {
        return None;
    }
    let constants = constants_from_files(others, versions, &wanted);
    (!constants.is_empty()).then_some(constants)
}

/// What the loader makes of what was given, at once (the analysis worker's load): the
/// versions folder's files, the options they were loaded with (without the type mapping)
/// and the project.
pub fn load_located(
    given: Vec<InputFile>,
    type_map: &str,
) -> (Vec<InputFile>, LoadOptions, Project) {
    let located = locate_versions(given);
    let mut options = located.options.clone();
    let mut project = Project::load(&located.files, typed(&options, type_map));
    if let Some(constants) = imported_constants(&located.others, &located.name, &project) {
        options.constants = constants;
        project = Project::load(&located.files, typed(&options, type_map));
    }
    (located.files, options, project)
}

/// The dialect the project is written for, from its revisions and, among `files`, its
/// `alembic.ini` and `env.py`.
pub fn guess_dialect(project: &Project, files: &[InputFile]) -> Option<DialectGuess> {
    let texts: Vec<(&str, String)> = files
        .iter()
        .filter(|f| is_config(f))
        .map(|f| {
            (
                f.path.as_str(),
                String::from_utf8_lossy(&f.bytes).into_owned(),
            )
        })
        .collect();
    let texts: Vec<(&str, &str)> = texts.iter().map(|(p, t)| (*p, t.as_str())).collect();
    detect_dialect(project, &texts)
}

/// Whether a file is one `guess_dialect` reads besides the revisions.
pub fn is_config(f: &InputFile) -> bool {
    f.path.ends_with("alembic.ini") || f.path.ends_with("env.py")
}

/// The dialect the table map (`Loaded::sim`) is simulated in; the linter reuses it when it
/// lints in the same dialect.
pub const TABLE_MAP_DIALECT: Dialect = Dialect::Postgresql;

/// The table map of a project, as `Loaded::sim` holds it.
pub fn simulate_tables(project: &Project) -> Simulation {
    table_map(project, TABLE_MAP_DIALECT)
}

/// From this many revisions on, the table map is simulated after the graph is drawn, a
/// slice at a time (below, with the rest of the load: a few milliseconds).
pub const TABLE_MAP_DEFERRED_FROM: usize = 500;

impl Loaded {
    /// Everything the views show of a project, computed at once.
    pub fn new(origin: Origin, project: Project) -> Loaded {
        let sim = simulate_tables(&project);
        Staged::new(origin, project, Some(sim)).finish()
    }

    /// This folder with its table map, and the map's diagnostics among the others.
    pub fn with_table_map(&self, sim: Simulation) -> Loaded {
        let mut diagnostics = (*self.diagnostics).clone();
        diagnostics.extend(sim.diagnostics.iter().cloned());
        Loaded {
            sim: Some(Rc::new(sim)),
            diagnostics: Rc::new(diagnostics),
            ..self.clone()
        }
    }

    /// The table map, computed now if the loader left it for later.
    pub fn table_map(&self) -> Rc<Simulation> {
        match &self.sim {
            Some(sim) => Rc::clone(sim),
            None => Rc::new(simulate_tables(&self.project)),
        }
    }

    /// The same folder's origin, for analysing it again.
    pub fn origin(&self, type_map: &str) -> Origin {
        Origin {
            name: self.name.clone(),
            how: self.how.clone(),
            files: Rc::clone(&self.files),
            options: self.options.clone(),
            type_map: type_map.to_string(),
            read_diagnostics: self.read_diagnostics.clone(),
        }
    }
}

/// A [`Loaded`] computed a part at a time, so the loader can yield to the browser between
/// the parts (each is a pass over every revision).
pub struct Staged {
    origin: Origin,
    project: Project,
    sim: Option<Simulation>,
    rows: Option<Vec<HistoryRow>>,
    layout: Option<Layout>,
    suggestions: Option<Vec<String>>,
    plan_suggestions: Option<PlanSuggestions>,
    dialect_guess: Option<Option<DialectGuess>>,
}

impl Staged {
    pub fn new(origin: Origin, project: Project, sim: Option<Simulation>) -> Staged {
        Staged {
            origin,
            project,
            sim,
            rows: None,
            layout: None,
            suggestions: None,
            plan_suggestions: None,
            dialect_guess: None,
        }
    }

    /// The name of the part [`Staged::step`] computes next (the loader marks it on the
    /// page's performance timeline).
    pub fn next_part(&self) -> &'static str {
        if self.rows.is_none() {
            "views:rows"
        } else if self.layout.is_none() {
            "views:layout"
        } else if self.suggestions.is_none() {
            "views:suggestions"
        } else if self.plan_suggestions.is_none() {
            "views:plan"
        } else {
            "views:dialect"
        }
    }

    /// Computes the next part; true once every part is computed.
    pub fn step(&mut self) -> bool {
        let p = &self.project;
        if self.rows.is_none() {
            self.rows = Some(history_rows(p));
        } else if self.layout.is_none() {
            self.layout = Some(layout(p));
        } else if self.suggestions.is_none() {
            self.suggestions = Some(identifier_suggestions(p));
        } else if self.plan_suggestions.is_none() {
            self.plan_suggestions = Some(plan_suggestions(p));
        } else if self.dialect_guess.is_none() {
            self.dialect_guess = Some(guess_dialect(p, &self.origin.files));
        }
        self.dialect_guess.is_some()
    }

    /// The loaded folder (the parts not yet computed are computed now).
    pub fn finish(mut self) -> Loaded {
        while !self.step() {}
        let Staged {
            origin,
            project,
            sim,
            rows,
            layout,
            suggestions,
            plan_suggestions,
            dialect_guess,
        } = self;
        let mut diagnostics = origin.read_diagnostics.clone();
        diagnostics.extend(project.diagnostics.iter().cloned());
        if let Some(sim) = &sim {
            diagnostics.extend(sim.diagnostics.iter().cloned());
        }
        Loaded {
            title: project_title(&project, &origin.name),
            name: origin.name,
            how: origin.how,
            files: origin.files,
            options: origin.options,
            type_map: origin.type_map,
            read_diagnostics: origin.read_diagnostics,
            project: Rc::new(project),
            rows: Rc::new(rows.unwrap_or_default()),
            layout: Rc::new(layout.unwrap_or_default()),
            suggestions: Rc::new(suggestions.unwrap_or_default()),
            plan_suggestions: Rc::new(plan_suggestions.unwrap_or_default()),
            dialect_guess: dialect_guess.flatten(),
            sim: sim.map(Rc::new),
            diagnostics: Rc::new(diagnostics),
            analysis_ms: 0.0,
            gen: 0,
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
