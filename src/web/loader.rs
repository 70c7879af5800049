//! Reading files the user picked into `(path, bytes)` pairs for the core.

use alembic_planner::InputFile;
use wasm_bindgen::JsValue;

/// The path of a file inside the folder the user picked (`webkitRelativePath`).
fn relative_path(file: &web_sys::File) -> String {
    js_sys::Reflect::get(file, &JsValue::from_str("webkitRelativePath"))
        .ok()
        .and_then(|v| v.as_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| file.name())
}

/// Reads every file of a folder input. Paths are made relative to the versions folder:
/// the picked folder's own name is dropped, and when a project folder was picked, only the
/// files under its first `versions/` folder are kept.
pub async fn read_file_list(list: &web_sys::FileList) -> (String, Vec<InputFile>) {
    let mut raw: Vec<(String, web_sys::File)> = Vec::new();
    for i in 0..list.length() {
        if let Some(f) = list.get(i) {
            raw.push((relative_path(&f), f));
        }
    }
    let root = raw
        .first()
        .and_then(|(p, _)| p.split('/').next())
        .unwrap_or("folder")
        .to_string();
    let strip = |p: &str| -> String {
        match p.split_once('/') {
            Some((_, rest)) => rest.to_string(),
            None => p.to_string(),
        }
    };
    let has_versions = raw.iter().any(|(p, _)| strip(p).starts_with("versions/"));
    let mut keep: Vec<(String, web_sys::File)> = Vec::new();
    for (path, file) in raw {
        let rel = strip(&path);
        let rel = if has_versions {
            match rel.strip_prefix("versions/") {
                Some(r) => r.to_string(),
                None => continue,
            }
        } else {
            rel
        };
        keep.push((rel, file));
    }
    // Read every file at once: the browser overlaps the reads.
    let promises = js_sys::Array::new();
    for (_, file) in &keep {
        promises.push(&file.array_buffer());
    }
    let buffers = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::all(&promises))
        .await
        .map(|v| js_sys::Array::from(&v))
        .unwrap_or_else(|_| js_sys::Array::new());
    let mut out = Vec::with_capacity(keep.len());
    for (i, (rel, _)) in keep.into_iter().enumerate() {
        let bytes = js_sys::Uint8Array::new(&buffers.get(i as u32)).to_vec();
        out.push(InputFile::new(rel, bytes));
    }
    let name = if has_versions {
        format!("{root}/versions")
    } else {
        root
    };
    (name, out)
}
