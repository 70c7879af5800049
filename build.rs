//! Embeds `migrations-sample/versions` into the web app, so "Load sample" needs no
//! network request: generates `$OUT_DIR/sample.rs` with `(path, text)` pairs.

use std::fs;
use std::path::Path;

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if !p.ends_with("__pycache__") {
                collect(root, &p, out);
            }
        } else if p.extension().is_some_and(|e| e == "py") {
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let abs = p.canonicalize().unwrap();
            out.push(format!(
                "    ({rel:?}, include_str!({:?})),\n",
                abs.to_string_lossy()
            ));
        }
    }
}

fn main() {
    let root = Path::new("migrations-sample/versions");
    println!("cargo:rerun-if-changed=migrations-sample/versions");
    let mut items = Vec::new();
    collect(root, root, &mut items);
    let code = format!(
        "/// The bundled sample's versions folder.\npub static SAMPLE_FILES: &[(&str, &str)] = &[\n{}];\n",
        items.concat()
    );
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("sample.rs");
    fs::write(out, code).unwrap();
}
