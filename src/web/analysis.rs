//! A folder read and analysed, and the progress of getting there: the values the loader
//! produces and the reducer holds. Neither reads the clock nor the DOM.

use std::rc::Rc;

use alembic_planner::base::{Diagnostic, Dialect};
use alembic_planner::input::{locate_versions, parse_type_map, Operations, ProjectConstants};
use alembic_planner::present::layout::{layout, Layout};
use alembic_planner::present::views::{
    detect_dialect, dialect_configured, history_rows, identifier_suggestions, plan_suggestions,
    project_title, DialectGuess, DialectTally, HistoryRow, PlanSuggestions, ProjectTitle,
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
    /// is computed after its graph is drawn (`hooks::use_deferred_analysis`): `None` until
    /// then.
    pub sim: Option<Rc<Simulation>>,
    /// A large folder is loaded first for its graph alone (its revisions' identifiers);
    /// its operations are read once the graph is drawn, with what this holds, and `project`
    /// replaced then. `None` once they are read (and for a smaller folder, read at once).
    pub later: Option<Rc<OperationsLater>>,
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
    pub later: Option<Rc<OperationsLater>>,
}

/// What reading a large folder's operations after its graph needs besides its files: the
/// options the versions folder was found with (before any constants) and what is needed to
/// read the constants of the project's own modules, as a load at once does.
pub struct OperationsLater {
    pub options: LoadOptions,
    /// The files given outside the versions folder (the project's modules).
    pub others: Vec<InputFile>,
    /// The versions folder's path among the files given.
    pub versions: String,
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

/// `typed`, reading only the revisions' identifiers (a large folder's first load, for its
/// graph: `Loaded::later`).
pub fn graph_only(options: &LoadOptions, type_map: &str) -> LoadOptions {
    LoadOptions {
        operations: Operations::Skip,
        ..typed(options, type_map)
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
    let later = OperationsLater {
        options: located.options,
        others: located.others,
        versions: located.name,
    };
    let (options, project) = load_whole(&located.files, &later, type_map);
    (located.files, options, project)
}

/// A versions folder's files loaded at once, operations and all: then again with the
/// constants of the project's own modules its revisions import, when those were given.
pub fn load_whole(
    files: &[InputFile],
    with: &OperationsLater,
    type_map: &str,
) -> (LoadOptions, Project) {
    let mut options = with.options.clone();
    let mut project = Project::load(files, typed(&options, type_map));
    if let Some(constants) = imported_constants(&with.others, &with.versions, &project) {
        options.constants = constants;
        project = Project::load(files, typed(&options, type_map));
    }
    (options, project)
}

/// The dialect the project is written for, from its revisions and, among `files`, its
/// `alembic.ini` and `env.py`.
pub fn guess_dialect(project: &Project, files: &[InputFile]) -> Option<DialectGuess> {
    let texts = config_texts(files);
    let texts: Vec<(&str, &str)> = texts.iter().map(|(p, t)| (*p, t.as_str())).collect();
    detect_dialect(project, &texts)
}

/// What `guess_dialect` reads first: the dialect `alembic.ini` or `env.py` among `files`
/// names (then it counts the revisions' dialect options, `DialectTally`).
pub fn configured_dialect(files: &[InputFile]) -> Option<DialectGuess> {
    let texts = config_texts(files);
    let texts: Vec<(&str, &str)> = texts.iter().map(|(p, t)| (*p, t.as_str())).collect();
    dialect_configured(&texts)
}

/// `(path, text)` of the files `guess_dialect` reads besides the revisions.
fn config_texts(files: &[InputFile]) -> Vec<(&str, String)> {
    files
        .iter()
        .filter(|f| is_config(f))
        .map(|f| {
            (
                f.path.as_str(),
                String::from_utf8_lossy(&f.bytes).into_owned(),
            )
        })
        .collect()
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
            None => Rc::new(simulate_tables(&self.with_operations_now())),
        }
    }

    /// Whether the revisions' operations are still to be read (`later`): until then
    /// `project` knows the graph only, and what shows operations waits.
    pub fn operations_pending(&self) -> bool {
        self.later.is_some()
    }

    /// The project with its operations: read now, at once, if they are still to be read
    /// (an export asked for before they were).
    pub fn with_operations_now(&self) -> Rc<Project> {
        match &self.later {
            Some(_) => Rc::new(self.load_again(&self.type_map).1),
            None => Rc::clone(&self.project),
        }
    }

    /// Whether a load with `options` reads the graph already drawn: with the same constants
    /// (the identifiers are read alike whatever the operations), so every view computed from
    /// the graph holds for it.
    pub fn same_graph_with(&self, options: &LoadOptions) -> bool {
        options.constants == self.options.constants
    }

    /// This folder with its operations read: `project` loaded with them and `options`, for
    /// the same graph (`same_graph_with`): the views computed from the graph are kept (the
    /// history's rows counted again if reading the operations found more problems: a
    /// bound reached in a function).
    pub fn with_operations(&self, project: Project, options: LoadOptions) -> Loaded {
        let mut diagnostics = self.read_diagnostics.clone();
        diagnostics.extend(project.diagnostics.iter().cloned());
        let rows = match project.diagnostics == self.project.diagnostics {
            true => Rc::clone(&self.rows),
            false => Rc::new(history_rows(&project)),
        };
        Loaded {
            project: Rc::new(project),
            options,
            rows,
            diagnostics: Rc::new(diagnostics),
            later: None,
            ..self.clone()
        }
    }

    /// The options and project of this folder loaded again with another type mapping, at
    /// once, as a load at once makes them (with the project's constants).
    pub fn load_again(&self, type_map: &str) -> (LoadOptions, Project) {
        match &self.later {
            Some(later) => load_whole(&self.files, later, type_map),
            None => (
                self.options.clone(),
                Project::load(&self.files, typed(&self.options, type_map)),
            ),
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
            later: None,
        }
    }
}

/// A [`Loaded`] computed a part at a time, so the loader can yield to the browser between
/// the parts (each is a pass over every revision).
pub struct Staged {
    origin: Origin,
    project: Project,
    sim: Option<Simulation>,
    /// Whether the history order is made (kept by the graph; every view walks it).
    ordered: bool,
    rows: Option<Vec<HistoryRow>>,
    layout: Option<Layout>,
    suggestions: Option<Vec<String>>,
    plan_suggestions: Option<PlanSuggestions>,
    /// The revisions' dialect options counted so far, and up to which revision file.
    tally: Option<(DialectTally, usize)>,
    dialect_guess: Option<Option<DialectGuess>>,
}

/// How many revision files `Staged` counts dialect options in per step (a thousand rich
/// files: about 15 ms in the browser).
const DIALECT_FILES_PER_STEP: usize = 1000;

impl Staged {
    pub fn new(origin: Origin, project: Project, sim: Option<Simulation>) -> Staged {
        Staged {
            origin,
            project,
            sim,
            ordered: false,
            rows: None,
            layout: None,
            suggestions: None,
            plan_suggestions: None,
            tally: None,
            dialect_guess: None,
        }
    }

    /// The name of the part [`Staged::step`] computes next (the loader marks it on the
    /// page's performance timeline).
    pub fn next_part(&self) -> &'static str {
        if !self.ordered {
            "views:order"
        } else if self.rows.is_none() {
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
        if !self.ordered {
            p.map.history_order();
            self.ordered = true;
        } else if self.rows.is_none() {
            self.rows = Some(history_rows(p));
        } else if self.layout.is_none() {
            self.layout = Some(layout(p));
        } else if self.suggestions.is_none() {
            self.suggestions = Some(identifier_suggestions(p));
        } else if self.plan_suggestions.is_none() {
            self.plan_suggestions = Some(plan_suggestions(p));
        } else if self.dialect_guess.is_none() {
            // as `guess_dialect`, the revisions counted a part per step
            let sources = &p.sources;
            match &mut self.tally {
                None => match configured_dialect(&self.origin.files) {
                    Some(g) => self.dialect_guess = Some(Some(g)),
                    None => self.tally = Some((DialectTally::default(), 0)),
                },
                Some((tally, at)) => {
                    let end = (*at + DIALECT_FILES_PER_STEP).min(sources.len());
                    for src in &sources[*at..end] {
                        tally.add(&src.text);
                    }
                    *at = end;
                    if end == sources.len() {
                        self.dialect_guess = Some(tally.guess());
                    }
                }
            }
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
            ..
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
            later: origin.later,
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
