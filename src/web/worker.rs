//! The analysis worker: a second copy of the app's own wasm module, started in a dedicated
//! Web Worker (`static/worker.js` imports the page's wasm-bindgen glue and instantiates the
//! module the page already compiled). The page sends it the files of a large folder as
//! soon as they are read; it loads its own [`Project`] from them, in parallel with the
//! page's load, and answers the plan requests (the plan's steps and the offline SQL of a
//! 5,000-revision history are most of a second) while the page stays responsive.
//!
//! Loading another folder ends the worker and starts a fresh one (cancelling its load); a
//! generation number ties every answer to the load it belongs to. Where the worker cannot
//! start or stops, the page computes the same answer itself ([`request_plan`] says so).

use std::cell::{Cell, RefCell};

use alembic_planner::base::{Dialect, Severity};
use alembic_planner::input::{InputFile, LoadOptions};
use alembic_planner::lint::{registered_id, Config, Direction, Finding, Lint, LintRun};
use alembic_planner::present::views::{plan_view, PlanRequest, PlanView};
use alembic_planner::Project;
use serde::{Deserialize, Serialize};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::Callback;

/// From this many files given on, a folder's plans are computed in the worker: below it
/// they take a few milliseconds, less than a round trip.
pub const WORKER_FROM_FILES: usize = 500;

/// What the page asks the worker.
#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum Request {
    /// Load the folder whose files follow (paths here, bytes concatenated beside).
    Load {
        gen: u64,
        type_map: String,
        paths: Vec<String>,
        sizes: Vec<usize>,
    },
    /// Load the same folder again with another type mapping.
    Retype {
        gen: u64,
        type_map: String,
    },
    Plan {
        gen: u64,
        request: PlanRequest,
    },
    Lint {
        gen: u64,
        dialect: Dialect,
    },
}

/// What the worker answers.
#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Reply {
    Loaded {
        gen: u64,
        /// Milliseconds the worker's load took.
        ms: f64,
    },
    Plan {
        gen: u64,
        request: PlanRequest,
        view: PlanView,
        ms: f64,
    },
    /// Findings of the lint that follows, sent ahead in parts: each message is read in a
    /// task of its own (10,000 findings in one message were one 180-300 ms task).
    LintPart {
        gen: u64,
        dialect: Dialect,
        findings: Vec<SentFinding>,
    },
    /// The lint, after its findings sent ahead (`LintPart`).
    Lint {
        gen: u64,
        dialect: Dialect,
        lint: SentLint,
        ms: f64,
    },
    /// The worker stopped (a panic): the page computes what it asked itself.
    Failed { message: String },
}

/// A [`Lint`] as it crosses to the page (its rule ids as text: the page takes the
/// registry's own back).
#[derive(Serialize, Deserialize)]
pub struct SentLint {
    findings: Vec<SentFinding>,
    suppressed: usize,
    rules: Vec<String>,
    dialect: Dialect,
}

#[derive(Serialize, Deserialize)]
pub struct SentFinding {
    rule: String,
    severity: Severity,
    path: String,
    line: u32,
    column: u32,
    revision: Option<String>,
    direction: Option<Direction>,
    message: String,
}

impl SentLint {
    /// `lint` as it crosses: the core's own serialization (its ids become text).
    fn of(lint: &Lint) -> Option<SentLint> {
        serde_json::to_value(lint)
            .and_then(serde_json::from_value)
            .ok()
    }

    /// The lint, after the findings sent ahead of it, with every id the registry's (an id
    /// it does not know is dropped: the page and the worker are the same module, so there
    /// is none).
    fn lint(self, mut ahead: Vec<Finding>) -> Lint {
        ahead.extend(findings(self.findings));
        Lint {
            findings: ahead,
            suppressed: self.suppressed,
            rules: self.rules.iter().filter_map(|r| registered_id(r)).collect(),
            dialect: self.dialect,
        }
    }
}

/// Findings as the page keeps them (see [`SentLint::lint`]).
fn findings(sent: Vec<SentFinding>) -> impl Iterator<Item = Finding> {
    sent.into_iter().filter_map(|f| {
        Some(Finding {
            rule: registered_id(&f.rule)?,
            severity: f.severity,
            path: f.path,
            line: f.line,
            column: f.column,
            revision: f.revision,
            direction: f.direction,
            message: f.message,
        })
    })
}

/// How many findings a lint sends per message.
const LINT_PART: usize = 500;

// ---- the page's side -------------------------------------------------------------------

struct Handle {
    worker: web_sys::Worker,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

thread_local! {
    static WORKER: RefCell<Option<Handle>> = const { RefCell::new(None) };
    static LISTENER: RefCell<Option<Callback<Reply>>> = const { RefCell::new(None) };
    /// Who waits for a lint: `(load, dialect, callback)`; `None` is given when the worker
    /// stops first.
    #[allow(clippy::type_complexity)]
    static LINT_WAITERS: RefCell<Vec<(u64, Dialect, Callback<Option<Lint>>)>> =
        const { RefCell::new(Vec::new()) };
    /// The last lint the worker sent, for its load and dialect: asked again (the page's
    /// project replaced by the one with its operations), it is given at once.
    static LINT_SENT: RefCell<Option<(u64, Dialect, Lint)>> = const { RefCell::new(None) };
    /// The findings of a lint being received, for its load and dialect.
    #[allow(clippy::type_complexity)]
    static LINT_AHEAD: RefCell<Option<(u64, Dialect, Vec<Finding>)>> =
        const { RefCell::new(None) };
    static GENERATION: Cell<u64> = const { Cell::new(0) };
    /// The worker's messages not read yet, oldest first, and whether `pump` is reading.
    static INBOX: RefCell<std::collections::VecDeque<wasm_bindgen::JsValue>> =
        const { RefCell::new(std::collections::VecDeque::new()) };
    static PUMPING: Cell<bool> = const { Cell::new(false) };
    /// The load the running worker serves.
    static SERVING: Cell<u64> = const { Cell::new(0) };
}

/// Reads the worker's messages in the order they came. A plan with its SQL (a
/// 5,000-revision upgrade: 3 MB of SQL beside 1.3 MB of JSON) is read over three turns of
/// the event loop (the SQL copied in, the JSON parsed, the reply delivered and drawn),
/// which were one 60-110 ms task; a later message waits for it, so a newer plan is never
/// overtaken by an older one. Every other message is read in a task of its own.
async fn pump() {
    while let Some(data) = INBOX.with(|i| i.borrow_mut().pop_front()) {
        let reply = if data.is_array() {
            // a plan's SQL comes beside the JSON, as a string of its own
            let a = js_sys::Array::from(&data);
            let sql = a.get(1).as_string();
            crate::dom::next_tick().await;
            let mut reply = read_reply(a.get(0).as_string());
            crate::dom::next_tick().await;
            if let (Reply::Plan { view, .. }, Some(sql)) = (&mut reply, sql) {
                view.sql = Some(sql);
            }
            reply
        } else {
            read_reply(data.as_string())
        };
        deliver(reply);
        if INBOX.with(|i| !i.borrow().is_empty()) {
            // messages that came meanwhile: each read in a turn of its own, as they came
            crate::dom::next_tick().await;
        }
    }
    PUMPING.with(|p| p.set(false));
}

/// A message's JSON as a reply (one the page cannot read says so).
fn read_reply(json: Option<String>) -> Reply {
    json.and_then(|s| serde_json::from_str::<Reply>(&s).ok())
        .unwrap_or_else(|| Reply::Failed {
            message: "an answer the page cannot read".into(),
        })
}

/// Where the page's answers go (the app dispatches them to its reducer).
pub fn listen(on_reply: Callback<Reply>) {
    LISTENER.with(|l| *l.borrow_mut() = Some(on_reply));
}

fn deliver(reply: Reply) {
    match reply {
        Reply::LintPart {
            gen,
            dialect,
            findings: part,
        } => {
            LINT_AHEAD.with(|a| {
                let mut a = a.borrow_mut();
                match &mut *a {
                    Some((g, d, v)) if *g == gen && *d == dialect => v.extend(findings(part)),
                    _ => *a = Some((gen, dialect, findings(part).collect())),
                }
            });
            return;
        }
        Reply::Lint {
            gen, dialect, lint, ..
        } => {
            let waiting = LINT_WAITERS.with(|w| {
                let mut w = w.borrow_mut();
                let (mine, rest) = w
                    .drain(..)
                    .partition(|(g, d, _)| *g == gen && *d == dialect);
                *w = rest;
                mine
            });
            let ahead = LINT_AHEAD.with(|a| match a.borrow_mut().take() {
                Some((g, d, v)) if g == gen && d == dialect => v,
                _ => Vec::new(),
            });
            let lint = lint.lint(ahead);
            for (_, _, cb) in waiting {
                cb.emit(Some(lint.clone()));
            }
            LINT_SENT.with(|l| *l.borrow_mut() = Some((gen, dialect, lint)));
            return;
        }
        Reply::Failed { .. } => {
            stop();
            let waiting = LINT_WAITERS.with(|w| std::mem::take(&mut *w.borrow_mut()));
            for (_, _, cb) in waiting {
                cb.emit(None);
            }
        }
        _ => {}
    }
    let listener = LISTENER.with(|l| l.borrow().clone());
    if let Some(l) = listener {
        l.emit(reply);
    }
}

/// A new load begins: its generation number. Every earlier load is cancelled (the page's
/// stops at its next slice, the worker's with the worker).
pub fn next_generation() -> u64 {
    stop();
    GENERATION.with(|g| {
        g.set(g.get() + 1);
        g.get()
    })
}

/// Whether `gen` is still the newest load.
pub fn is_current(gen: u64) -> bool {
    GENERATION.with(|g| g.get() == gen)
}

/// Whether a worker is running (a large folder is loaded and the worker started).
fn running() -> bool {
    WORKER.with(|w| w.borrow().is_some())
}

/// Whether the running worker serves load `gen` (its plans are asked of it then).
pub fn serves(gen: u64) -> bool {
    running() && SERVING.with(|s| s.get()) == gen
}

fn stop() {
    if let Some(h) = WORKER.with(|w| w.borrow_mut().take()) {
        h.worker.terminate();
    }
}

/// The address of the wasm-bindgen glue the page was started with (trunk preloads it).
fn glue_url() -> Option<String> {
    let doc = web_sys::window()?.document()?;
    let link = doc
        .query_selector("link[rel=modulepreload][href$='.js']")
        .ok()??;
    let href = link.get_attribute("href")?;
    let base = doc.base_uri().ok()??;
    web_sys::Url::new_with_base(&href, &base)
        .ok()
        .map(|u| u.href())
}

fn spawn() -> Option<Handle> {
    let glue = glue_url()?;
    let opts = web_sys::WorkerOptions::new();
    opts.set_type(web_sys::WorkerType::Module);
    let worker = web_sys::Worker::new_with_options("worker.js", &opts).ok()?;
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|e: web_sys::MessageEvent| {
            crate::dom::mark("worker:reply");
            INBOX.with(|i| i.borrow_mut().push_back(e.data()));
            if !PUMPING.with(|p| p.replace(true)) {
                wasm_bindgen_futures::spawn_local(pump());
            }
        });
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(|_e: web_sys::Event| {
        deliver(Reply::Failed {
            message: "the worker could not start".into(),
        });
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let init = js_sys::Object::new();
    js_sys::Reflect::set(&init, &"glue".into(), &glue.into()).ok()?;
    js_sys::Reflect::set(&init, &"module".into(), &wasm_bindgen::module()).ok()?;
    worker.post_message(&init).ok()?;
    Some(Handle {
        worker,
        _on_message: on_message,
        _on_error: on_error,
    })
}

fn post(request: &Request, bytes: Option<js_sys::Uint8Array>) -> bool {
    let Ok(json) = serde_json::to_string(request) else {
        return false;
    };
    WORKER.with(|w| {
        let w = w.borrow();
        let Some(h) = w.as_ref() else { return false };
        match bytes {
            None => h.worker.post_message(&json.into()).is_ok(),
            Some(b) => {
                let msg = js_sys::Array::of2(&json.into(), &b);
                let transfer = js_sys::Array::of1(&b.buffer());
                h.worker.post_message_with_transfer(&msg, &transfer).is_ok()
            }
        }
    })
}

/// Starts a worker on `files` (the whole of what was given) for load `gen`, when they are
/// many enough for it to help.
pub fn start_load(gen: u64, files: &[InputFile], type_map: &str) {
    if files.len() < WORKER_FROM_FILES || !is_current(gen) {
        return;
    }
    let Some(h) = spawn() else { return };
    WORKER.with(|w| *w.borrow_mut() = Some(h));
    SERVING.with(|s| s.set(gen));
    // one copy into the page's JS heap, then the buffer moves to the worker
    let mut all = Vec::with_capacity(files.iter().map(|f| f.bytes.len()).sum());
    for f in files {
        all.extend_from_slice(&f.bytes);
    }
    let bytes = js_sys::Uint8Array::from(all.as_slice());
    drop(all);
    let ok = post(
        &Request::Load {
            gen,
            type_map: type_map.to_string(),
            paths: files.iter().map(|f| f.path.clone()).collect(),
            sizes: files.iter().map(|f| f.bytes.len()).collect(),
        },
        Some(bytes),
    );
    if !ok {
        stop();
    }
}

/// The same folder analysed again with another type mapping: a new generation, which the
/// running worker (if any) loads too.
pub fn retype(type_map: &str) -> u64 {
    let gen = GENERATION.with(|g| {
        g.set(g.get() + 1);
        g.get()
    });
    if running() {
        let sent = post(
            &Request::Retype {
                gen,
                type_map: type_map.to_string(),
            },
            None,
        );
        if sent {
            SERVING.with(|s| s.set(gen));
        } else {
            stop();
        }
    }
    gen
}

/// Asks the worker for the plan view of `request` on load `gen`; false when there is no
/// worker to ask (the page computes it then).
pub fn request_plan(gen: u64, request: &PlanRequest) -> bool {
    if !serves(gen) {
        return false;
    }
    let sent = post(
        &Request::Plan {
            gen,
            request: request.clone(),
        },
        None,
    );
    if !sent {
        stop();
    }
    sent
}

/// Asks the worker for load `gen`'s lint in `dialect`, given to `done` (`None` if the
/// worker stops first); false when there is no worker to ask (the page lints then).
pub fn request_lint(gen: u64, dialect: Dialect, done: Callback<Option<Lint>>) -> bool {
    if !serves(gen) {
        return false;
    }
    // sent already, or asked already: not asked again (the answer is parsed once)
    let sent = LINT_SENT.with(|l| {
        l.borrow()
            .as_ref()
            .filter(|(g, d, _)| *g == gen && *d == dialect)
            .map(|(_, _, lint)| lint.clone())
    });
    if let Some(lint) = sent {
        done.emit(Some(lint));
        return true;
    }
    let asked = LINT_WAITERS.with(|w| {
        w.borrow()
            .iter()
            .any(|(g, d, _)| *g == gen && *d == dialect)
    });
    if !asked && !post(&Request::Lint { gen, dialect }, None) {
        stop();
        return false;
    }
    LINT_WAITERS.with(|w| w.borrow_mut().push((gen, dialect, done)));
    true
}

// ---- the worker's side -----------------------------------------------------------------

/// Whether this instance runs in a dedicated worker (`main` then serves requests instead of
/// drawing the app).
pub fn in_worker() -> bool {
    js_sys::global()
        .dyn_into::<web_sys::DedicatedWorkerGlobalScope>()
        .is_ok()
}

/// The worker's folder: its versions files and options as located, and the project loaded.
struct Served {
    gen: u64,
    files: Vec<InputFile>,
    options: LoadOptions,
    project: Project,
}

thread_local! {
    static SERVED: RefCell<Option<Served>> = const { RefCell::new(None) };
}

fn now() -> f64 {
    js_sys::global()
        .dyn_into::<web_sys::WorkerGlobalScope>()
        .ok()
        .and_then(|g| g.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// Posts `reply` to the page: JSON, and a plan's SQL (megabytes for a long history) beside
/// it as a string of its own, which neither side escapes or parses.
fn answer(mut reply: Reply) {
    let Ok(scope) = js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() else {
        return;
    };
    let sql = match &mut reply {
        Reply::Plan { view, .. } => view.sql.take(),
        _ => None,
    };
    let Ok(json) = serde_json::to_string(&reply) else {
        return;
    };
    let message: wasm_bindgen::JsValue = match sql {
        Some(sql) => js_sys::Array::of2(&json.into(), &sql.into()).into(),
        None => json.into(),
    };
    let _ = scope.post_message(&message);
}

/// Serves the page's requests, one at a time in the order sent.
pub fn serve() {
    std::panic::set_hook(Box::new(|info| {
        answer(Reply::Failed {
            message: info.to_string(),
        });
    }));
    let Ok(scope) = js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() else {
        return;
    };
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|e: web_sys::MessageEvent| {
            let data = e.data();
            let (json, bytes) = if data.is_array() {
                let a = js_sys::Array::from(&data);
                (
                    a.get(0).as_string(),
                    Some(js_sys::Uint8Array::new(&a.get(1))),
                )
            } else {
                (data.as_string(), None)
            };
            let Some(request) = json.and_then(|j| serde_json::from_str::<Request>(&j).ok()) else {
                return;
            };
            if let Some(reply) = handle(request, bytes) {
                answer(reply);
            }
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // the worker lives as long as its page: so does its handler
    on_message.forget();
}

fn handle(request: Request, bytes: Option<js_sys::Uint8Array>) -> Option<Reply> {
    let started = now();
    match request {
        Request::Load {
            gen,
            type_map,
            paths,
            sizes,
        } => {
            let all = bytes?.to_vec();
            let mut at = 0usize;
            let files: Vec<InputFile> = paths
                .into_iter()
                .zip(sizes)
                .map(|(p, n)| {
                    let end = (at + n).min(all.len());
                    let f = InputFile::new(p, all[at..end].to_vec());
                    at = end;
                    f
                })
                .collect();
            drop(all);
            let config: Vec<InputFile> = files
                .iter()
                .filter(|f| crate::analysis::is_config(f))
                .cloned()
                .collect();
            let (files, options, project) = crate::analysis::load_located(files, &type_map);
            let guess = crate::analysis::guess_dialect(&project, &config);
            SERVED.with(|s| {
                *s.borrow_mut() = Some(Served {
                    gen,
                    files,
                    options,
                    project,
                })
            });
            answer(Reply::Loaded {
                gen,
                ms: now() - started,
            });
            // the revisions that read the dialect's name were read for the table map's
            // dialect: read them now for the one the page will plan in (the project's),
            // while the page draws, not when the SQL is asked for
            if let Some(d) = guess
                .map(|g| g.dialect)
                .filter(|d| *d != crate::analysis::TABLE_MAP_DIALECT)
            {
                SERVED.with(|s| {
                    if let Some(served) = s.borrow().as_ref() {
                        served.project.read_for(d);
                    }
                });
            }
            None
        }
        Request::Retype { gen, type_map } => SERVED.with(|s| {
            let mut s = s.borrow_mut();
            let served = s.as_mut()?;
            served.project = Project::load(
                &served.files,
                crate::analysis::typed(&served.options, &type_map),
            );
            served.gen = gen;
            Some(Reply::Loaded {
                gen,
                ms: now() - started,
            })
        }),
        Request::Lint { gen, dialect } => SERVED.with(|s| {
            let s = s.borrow();
            let served = s.as_ref().filter(|s| s.gen == gen)?;
            let config = Config::new(dialect);
            let lint = LintRun::new(&served.project, &config).finish(None);
            Some(match SentLint::of(&lint) {
                Some(mut lint) => {
                    // the findings ahead, in parts; then the lint
                    let mut ahead = std::mem::take(&mut lint.findings).into_iter().peekable();
                    while ahead.peek().is_some() {
                        answer(Reply::LintPart {
                            gen,
                            dialect,
                            findings: ahead.by_ref().take(LINT_PART).collect(),
                        });
                    }
                    Reply::Lint {
                        gen,
                        dialect,
                        lint,
                        ms: now() - started,
                    }
                }
                // the page lints itself then
                None => Reply::Failed {
                    message: "the lint could not be sent".into(),
                },
            })
        }),
        Request::Plan { gen, request } => SERVED.with(|s| {
            let s = s.borrow();
            let served = s.as_ref().filter(|s| s.gen == gen)?;
            let view = plan_view(&served.project, &request);
            Some(Reply::Plan {
                gen,
                request,
                view,
                ms: now() - started,
            })
        }),
    }
}
