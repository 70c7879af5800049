//! The folder tree is the architecture: the core's layers are the folders under `src/`
//! listed in `src/lib.rs`'s numbered module doc (`//! 1. [`base`]: ...`), bottom first, and
//! a layer uses only the layers before it. This test reads every source file of the core and fails on any reference to
//! a later layer (`crate::<layer>`), so an import circle cannot come back.

use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The layers in the order `lib.rs`'s module doc numbers them.
fn layers() -> Vec<String> {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let listed: Vec<String> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("//! "))
        .filter_map(|l| {
            let (n, rest) = l.split_once(". [`")?;
            n.trim().parse::<usize>().ok()?;
            Some(rest.split('`').next()?.to_string())
        })
        .collect();
    // every layer listed is declared, and every module declared is listed
    let mut declared: Vec<String> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';').to_string())
        .collect();
    let mut sorted = listed.clone();
    sorted.sort();
    declared.sort();
    assert_eq!(
        sorted, declared,
        "lib.rs's numbered list and its `pub mod`s differ"
    );
    listed
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every `crate::name` in a text, outside comments.
fn crate_refs(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            let after = &rest[i + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let boundary = i == 0
                || !rest[..i]
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
            if boundary && !name.is_empty() {
                out.push((n + 1, name));
            }
            rest = after;
        }
    }
    out
}

#[test]
fn every_layer_is_a_folder_and_nothing_lives_outside_them() {
    let layers = layers();
    assert!(layers.len() >= 10, "lib.rs names the layers: {layers:?}");
    for l in &layers {
        assert!(
            src().join(l).is_dir(),
            "layer `{l}` is not a folder src/{l}/"
        );
        assert!(
            src().join(l).join("mod.rs").is_file(),
            "layer `{l}` has no mod.rs with its module doc"
        );
        let doc = std::fs::read_to_string(src().join(l).join("mod.rs")).unwrap();
        assert!(
            doc.starts_with("//! Layer "),
            "src/{l}/mod.rs must open with its `//! Layer N, **{l}**: ...` paragraph"
        );
    }
    // the only files beside the layer folders: lib.rs; the shells are folders too
    for e in std::fs::read_dir(src()).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if e.path().is_file() {
            assert_eq!(name, "lib.rs", "src/{name} is outside every layer");
        } else {
            assert!(
                layers.contains(&name) || name == "cli" || name == "web",
                "src/{name}/ is neither a layer named in lib.rs nor a shell"
            );
        }
    }
}

#[test]
fn a_layer_uses_only_the_layers_below_it() {
    let layers = layers();
    let mut violations = Vec::new();
    for (rank, layer) in layers.iter().enumerate() {
        let mut files = Vec::new();
        rust_files(&src().join(layer), &mut files);
        assert!(!files.is_empty(), "layer `{layer}` has no files");
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            let shown = f.strip_prefix(src()).unwrap().display().to_string();
            if text.contains("alembic_planner::") {
                violations.push(format!(
                    "src/{shown}: the core names itself `alembic_planner::`"
                ));
            }
            for (line, name) in crate_refs(&text) {
                match layers.iter().position(|l| *l == name) {
                    Some(r) if r > rank => violations.push(format!(
                        "src/{shown}:{line}: layer `{layer}` uses `crate::{name}`, a layer above it"
                    )),
                    Some(_) => {}
                    None => violations.push(format!(
                        "src/{shown}:{line}: `crate::{name}` is not a layer (re-exports at the crate root hide the layering)"
                    )),
                }
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn the_checker_sees_references() {
    let refs = crate_refs("use crate::base::Dialect; // crate::present\nlet x = my_crate::y;");
    assert_eq!(refs, vec![(1, "base".to_string())]);
}
