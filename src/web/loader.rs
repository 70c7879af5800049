//! Reading what the user gave (a picked folder, dropped folders or files, a `.zip`) into
//! `(path, bytes)` pairs, and analysing them in chunks so the page keeps painting. Which
//! files form the versions folder is the core's decision (`source::locate_versions`).

use std::rc::Rc;

use alembic_planner::base::diag::Diagnostic;
use alembic_planner::input::{intake, locate_versions, read_zip, too_large, Intake, LoadOptions};
use alembic_planner::project::Loading;
use alembic_planner::schema::SimulationRun;
use alembic_planner::InputFile;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use yew::Callback;

use crate::analysis::{
    graph_only, imported_constants, typed, Loaded, OperationsLater, Origin, Progress, Staged,
    TABLE_MAP_DEFERRED_FROM, TABLE_MAP_DIALECT,
};
use crate::dom::{mark, next_tick, now, Slice};

/// What was given, read: its name, its files (paths as given), and problems reading it.
pub struct Given {
    pub name: String,
    pub files: Vec<InputFile>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The path of a file inside the folder the user picked (`webkitRelativePath`).
fn relative_path(file: &web_sys::File) -> String {
    js_sys::Reflect::get(file, &JsValue::from_str("webkitRelativePath"))
        .ok()
        .and_then(|v| v.as_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| file.name())
}

fn is_zip(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".zip")
}

async fn bytes_of(file: &web_sys::File) -> Result<Vec<u8>, String> {
    JsFuture::from(file.array_buffer())
        .await
        .map(|b| js_sys::Uint8Array::new(&b).to_vec())
        .map_err(|e| format!("{e:?}"))
}

/// Reads `(path, File)` pairs, a chunk at a time, reporting progress. A lone `.zip` is
/// opened as an archive.
async fn read_files(
    name: String,
    files: Vec<(String, web_sys::File)>,
    progress: &Callback<Progress>,
) -> Given {
    let total = files.len();
    let mut out = Vec::with_capacity(total);
    let mut diagnostics = Vec::new();
    if let [(path, file)] = files.as_slice() {
        if is_zip(path) {
            progress.emit(Progress::new("Reading archive", 0, 1));
            match bytes_of(file).await {
                Ok(bytes) => {
                    let (files, diags) = read_zip(path, &bytes);
                    return Given {
                        name: path.clone(),
                        files,
                        diagnostics: diags,
                    };
                }
                Err(e) => diagnostics.push(Diagnostic::error(
                    "unreadable-file",
                    path,
                    0,
                    format!("the browser could not read it: {e}"),
                )),
            }
        }
    }
    // only what the core reads is read: a project's dumps and node_modules are listed
    let mut wanted = Vec::with_capacity(total);
    for (path, file) in files {
        match intake(&path, file.size() as u64) {
            Intake::Read => wanted.push((path, file)),
            Intake::PathOnly => out.push(InputFile::new(path, Vec::new())),
            Intake::TooLarge => diagnostics.push(too_large(&path, file.size() as u64)),
        }
    }
    let total = wanted.len();
    let files = wanted;
    // Files are read 64 to a Blob, the Blobs of a chunk at once: in Chromium this beats one
    // read per file (5,000 files: 0.45 → 0.39 s in memory, 1.05 → 0.64 s from disk) and one
    // Blob of everything (which reads a disk's files one after another). A Blob that fails is
    // read file by file, to name the file that cannot be read.
    const PER_BLOB: usize = 64;
    const CHUNK_FILES: usize = 2048;
    for (n, chunk) in files.chunks(CHUNK_FILES).enumerate() {
        progress.emit(Progress::new("Reading files", n * CHUNK_FILES, total));
        let reads = js_sys::Array::new();
        // making a Blob of files on disk costs the browser a look at each: a slice of
        // Blobs a turn (the reads started go on)
        let mut slice = Slice::new();
        for group in chunk.chunks(PER_BLOB) {
            slice.pause_if_due().await;
            let parts = js_sys::Array::new();
            for (_, file) in group {
                parts.push(file);
            }
            let read = web_sys::Blob::new_with_blob_sequence(&parts)
                .map(|b| b.array_buffer())
                .unwrap_or_else(|e| js_sys::Promise::reject(&e));
            reads.push(&read);
        }
        let settled = JsFuture::from(js_sys::Promise::all_settled(&reads))
            .await
            .map(|r| js_sys::Array::from(&r))
            .unwrap_or_default();
        let mut slice = Slice::new();
        for (g, group) in chunk.chunks(PER_BLOB).enumerate() {
            slice.pause_if_due().await;
            let value = js_sys::Reflect::get(&settled.get(g as u32), &"value".into()).ok();
            match value.filter(|v| v.is_instance_of::<js_sys::ArrayBuffer>()) {
                Some(buf) => {
                    let bytes = js_sys::Uint8Array::new(&buf).to_vec();
                    let mut at = 0usize;
                    for (path, file) in group {
                        let end = (at + file.size() as usize).min(bytes.len());
                        out.push(InputFile::new(path.clone(), bytes[at..end].to_vec()));
                        at = end;
                    }
                }
                None => {
                    for (path, file) in group {
                        match bytes_of(file).await {
                            Ok(b) => out.push(InputFile::new(path.clone(), b)),
                            Err(e) => diagnostics.push(Diagnostic::error(
                                "unreadable-file",
                                path,
                                0,
                                format!("the browser could not read this file: {e}"),
                            )),
                        }
                    }
                }
            }
        }
    }
    Given {
        name,
        files: out,
        diagnostics,
    }
}

/// The files of a `FileList` (which empties when its input is cleared).
pub fn files_of(list: &web_sys::FileList) -> Vec<web_sys::File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Reads every file of a folder input (or the archive input).
pub async fn read_file_list(list: Vec<web_sys::File>, progress: &Callback<Progress>) -> Given {
    let raw: Vec<(String, web_sys::File)> =
        list.into_iter().map(|f| (relative_path(&f), f)).collect();
    let name = raw
        .first()
        .map(|(p, _)| p.split('/').next().unwrap_or(p).to_string())
        .unwrap_or_else(|| "folder".into());
    read_files(name, raw, progress).await
}

/// The entries of a drop, taken while the drop event lasts (the browser empties the
/// `DataTransfer` afterwards).
pub fn drop_entries(dt: &web_sys::DataTransfer) -> Vec<web_sys::FileSystemEntry> {
    let items = dt.items();
    (0..items.length())
        .filter_map(|i| items.get(i))
        .filter(|it| it.kind() == "file")
        .filter_map(|it| it.webkit_get_as_entry().ok().flatten())
        .collect()
}

/// The children of a dropped folder (the reader answers in batches until it answers none).
async fn children(dir: &web_sys::FileSystemDirectoryEntry) -> Vec<web_sys::FileSystemEntry> {
    let reader = dir.create_reader();
    let mut out = Vec::new();
    loop {
        let batch = js_sys::Promise::new(&mut |resolve, reject| {
            let _ = reader.read_entries_with_callback_and_callback(&resolve, &reject);
        });
        let Ok(batch) = JsFuture::from(batch).await else {
            break;
        };
        let batch = js_sys::Array::from(&batch);
        if batch.length() == 0 {
            break;
        }
        // Chromium exposes no `FileSystemEntry` constructor to check against
        out.extend(
            batch
                .iter()
                .map(|e| e.unchecked_into::<web_sys::FileSystemEntry>()),
        );
    }
    out
}

async fn entry_file(entry: &web_sys::FileSystemFileEntry) -> Option<web_sys::File> {
    let p = js_sys::Promise::new(&mut |resolve, reject| {
        entry.file_with_callback_and_callback(&resolve, &reject);
    });
    JsFuture::from(p).await.ok()?.dyn_into().ok()
}

/// Reads dropped folders and files, descending into every folder.
pub async fn read_drop(
    entries: Vec<web_sys::FileSystemEntry>,
    progress: &Callback<Progress>,
) -> Given {
    let name = match entries.as_slice() {
        [one] => one.name(),
        _ => "dropped files".to_string(),
    };
    let mut stack = entries;
    let mut files: Vec<(String, web_sys::File)> = Vec::new();
    while let Some(entry) = stack.pop() {
        if entry.is_directory() {
            let dir: web_sys::FileSystemDirectoryEntry = entry.unchecked_into();
            stack.extend(children(&dir).await);
            progress.emit(Progress::new("Finding files", files.len(), 0));
        } else {
            let path = entry.full_path().trim_start_matches('/').to_string();
            let fe: web_sys::FileSystemFileEntry = entry.unchecked_into();
            if let Some(f) = entry_file(&fe).await {
                files.push((path, f));
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    read_files(name, files, progress).await
}

/// Finds the versions folder in what was given and analyses it, a chunk of files per turn
/// of the event loop, reporting progress; `None` when a newer load (`gen` is no longer
/// the current generation) cancelled it. A large folder is handed to the analysis worker
/// too, which computes its plans. A load without a generation (the Review view's base
/// folder) is neither handed over nor cancelled.
pub async fn analyse(
    gen: Option<u64>,
    given: Given,
    type_map: String,
    progress: Callback<Progress>,
) -> Option<Rc<Loaded>> {
    let started = now();
    mark("load:parse");
    if let Some(gen) = gen {
        crate::worker::start_load(gen, &given.files, &type_map);
        // the copy for the worker, finding the versions folder, and decoding its files
        // each in a turn of their own
        next_tick().await;
    }
    let located = locate_versions(given.files);
    next_tick().await;
    let name = match (given.name.as_str(), located.name.as_str()) {
        (g, "") => g.to_string(),
        (g, l) if l.starts_with(g) => l.to_string(),
        (g, l) => format!("{g}: {l}"),
    };
    let files = Rc::new(located.files);
    let with = OperationsLater {
        options: located.options,
        others: located.others,
        versions: located.name,
    };
    // a large folder's graph first: its operations are read once the graph is drawn
    // (`hooks::use_deferred_analysis`; the analysis worker reads them meanwhile); a load
    // without a generation (the Review view's base folder) reads them at once
    let deferred = gen.is_some() && files.len() >= TABLE_MAP_DEFERRED_FROM;
    let on_progress = |label: &str, done, total| progress.emit(Progress::new(label, done, total));
    let (options, project) = load_in_slices(
        (&files, None),
        &with,
        &type_map,
        !deferred,
        "load:graph",
        on_progress,
        || current(gen),
    )
    .await?;
    // the table map, a slice of revisions a turn; a large folder's after its graph is drawn
    mark("load:tables");
    let sim = if !deferred && project.map.len() < TABLE_MAP_DEFERRED_FROM {
        let sim = table_map_in_slices(&project, |done, total| {
            progress.emit(Progress::new("Simulating the schema", done, total));
            current(gen)
        })
        .await;
        Some(sim?)
    } else {
        None
    };
    next_tick().await;
    mark("load:views");
    let origin = Origin {
        name,
        how: located.how,
        files,
        options,
        type_map,
        read_diagnostics: given.diagnostics,
        later: deferred.then(|| Rc::new(with)),
    };
    // what the views need, a pass at a time
    let mut staged = Staged::new(origin, project, sim);
    loop {
        mark(staged.next_part());
        if staged.step() {
            break;
        }
        next_tick().await;
        if !current(gen) {
            return None;
        }
    }
    // the last pass, the views' assembly and the first drawing of the workspace each in a
    // task of its own (together they were one 55-90 ms task on the rich 5,000 folder)
    next_tick().await;
    let mut loaded = staged.finish();
    loaded.analysis_ms = now() - started;
    loaded.gen = gen.unwrap_or_default();
    mark("load:done");
    next_tick().await;
    current(gen).then(|| Rc::new(loaded))
}

/// The table map of `project` simulated a slice of revisions per turn of the event loop;
/// between slices `go_on(done, total)` says whether it is still wanted (`None` if not).
pub async fn table_map_in_slices(
    project: &alembic_planner::Project,
    mut go_on: impl FnMut(usize, usize) -> bool,
) -> Option<alembic_planner::schema::Simulation> {
    let mut run = SimulationRun::table_map(project, TABLE_MAP_DIALECT);
    let mut slice = Slice::new();
    while !run.step(1) {
        if slice.due() {
            slice.pause().await;
            let (done, total) = run.progress();
            if !go_on(done, total) {
                return None;
            }
        }
    }
    Some(run.finish())
}

/// Whether load `gen` goes on (a newer one cancels it; one without a generation goes on).
fn current(gen: Option<u64>) -> bool {
    gen.is_none_or(crate::worker::is_current)
}

/// `files` loaded as `analysis::load_whole` loads them, a slice a turn of the event loop
/// (`load_stepped`, marking `graph_mark` on the page's timeline when the graph is built):
/// with their operations or (`operations` false) for the graph alone; `None` once `go_on`
/// says the load is no longer wanted. Given the project `drawn` from them already, its
/// scripts are read again from it (`Loading::again`: no second decoding of the files, and
/// its graph kept when the identifiers read alike).
async fn load_in_slices(
    (files, drawn): (&[InputFile], Option<&alembic_planner::Project>),
    with: &OperationsLater,
    type_map: &str,
    operations: bool,
    graph_mark: &'static str,
    mut progress: impl FnMut(&str, usize, usize),
    mut go_on: impl FnMut() -> bool,
) -> Option<(LoadOptions, alembic_planner::Project)> {
    let load = |options: &LoadOptions| match operations {
        true => typed(options, type_map),
        false => graph_only(options, type_map),
    };
    let mut options = with.options.clone();
    let loading = match drawn {
        Some(drawn) => {
            // (a copy of the drawn graph, then the slices: each in a task of its own)
            let again = Loading::again(drawn, load(&options));
            next_tick().await;
            again
        }
        None => Loading::new(files, load(&options)),
    };
    let mut project = load_stepped(loading, graph_mark, &mut progress, &mut go_on).await?;
    // names the revisions import from the project's own modules, when the project's folder
    // was given: read them (never run) and load again with their constants, as the CLI does
    // (from the scripts selected already)
    if let Some(constants) = imported_constants(&with.others, &with.versions, &project) {
        options.constants = constants;
        let loading = Loading::again(&project, load(&options));
        project = load_stepped(loading, graph_mark, &mut progress, &mut go_on).await?;
    }
    Some((options, project))
}

/// A large folder's operations, read once its graph is drawn (`Loaded::later`), a slice
/// of revisions a turn of the event loop: the folder with them (its views kept when the
/// graph is the same, computed again when not); `None` once `go_on` says no.
pub async fn read_operations(
    l: &Loaded,
    with: &OperationsLater,
    mut go_on: impl FnMut() -> bool,
) -> Option<Loaded> {
    let (options, project) = load_in_slices(
        (&l.files, Some(&l.project)),
        with,
        &l.type_map,
        true,
        "ops:graph",
        |_, _, _| {},
        &mut go_on,
    )
    .await?;
    if l.same_graph_with(&options) {
        return Some(l.with_operations(project, options));
    }
    // the project's constants changed a revision's identifiers: the views computed again
    let origin = Origin {
        options,
        ..l.origin(&l.type_map)
    };
    let mut staged = Staged::new(origin, project, None);
    while !staged.step() {
        next_tick().await;
        if !go_on() {
            return None;
        }
    }
    let mut next = staged.finish();
    next.gen = l.gen;
    Some(next)
}

/// Parses `loading`'s files a file at a time, a slice of them a turn of the event loop
/// whatever their size, then builds the graph; `None` once `go_on` says the load is no
/// longer wanted.
async fn load_stepped(
    mut loading: Loading,
    graph_mark: &'static str,
    progress: &mut impl FnMut(&str, usize, usize),
    go_on: &mut impl FnMut() -> bool,
) -> Option<alembic_planner::Project> {
    let mut slice = Slice::new();
    while !loading.step(1) {
        if slice.due() {
            progress("Parsing revisions", loading.done(), loading.total());
            slice.pause().await;
            if !go_on() {
                return None;
            }
        }
    }
    progress("Building the graph", 0, 0);
    next_tick().await;
    mark(graph_mark);
    Some(loading.finish())
}

/// Analyses files already read again, with another type mapping, at once (the analysis
/// worker, if one runs, loads them again too).
pub fn reanalyse(l: &Loaded, type_map: &str) -> Rc<Loaded> {
    let started = now();
    let gen = crate::worker::retype(type_map);
    // (a folder whose operations are still to be read is read whole now)
    let (options, project) = l.load_again(type_map);
    let origin = Origin {
        options,
        ..l.origin(type_map)
    };
    let mut loaded = Loaded::new(origin, project);
    loaded.analysis_ms = now() - started;
    loaded.gen = gen;
    Rc::new(loaded)
}
