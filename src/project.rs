//! One call from input files to everything known about them.

use crate::diag::Diagnostic;
use crate::revmap::RevisionMap;
use crate::script::read_script;
use crate::source::{select, InputFile, LoadOptions, SourceFile};

/// The analysis of a versions folder.
#[derive(Clone, Debug, Default)]
pub struct Project {
    pub map: RevisionMap,
    /// The revision scripts' text, parallel to `map.scripts`.
    pub sources: Vec<SourceFile>,
    /// Files present but not revision scripts.
    pub ignored: Vec<String>,
    /// Every diagnostic: files, scripts, graph.
    pub diagnostics: Vec<Diagnostic>,
    /// Each revision's interpreted operations, by revision index; filled on first use.
    pub(crate) ops: std::cell::OnceCell<Vec<crate::ops::MigrationOps>>,
}

impl Project {
    /// Reads and analyses a versions folder. Never fails.
    pub fn load(files: &[InputFile], opts: LoadOptions) -> Project {
        let sel = select(files, opts);
        let mut diagnostics = sel.diagnostics;
        let scripts: Vec<_> = sel
            .scripts
            .iter()
            .map(|f| read_script(&f.path, &f.text))
            .collect();
        for s in &scripts {
            diagnostics.extend(s.diagnostics.iter().cloned());
        }
        let map = RevisionMap::build(scripts);
        diagnostics.extend(map.diagnostics.iter().cloned());
        Project {
            map,
            sources: sel.scripts,
            ignored: sel.ignored,
            diagnostics,
            ops: Default::default(),
        }
    }

    /// Convenience for tests and tools: `(path, text)` pairs.
    pub fn from_texts<P: AsRef<str>, T: AsRef<str>>(files: &[(P, T)]) -> Project {
        let input: Vec<InputFile> = files
            .iter()
            .map(|(p, t)| InputFile::new(p.as_ref(), t.as_ref().as_bytes()))
            .collect();
        Project::load(&input, LoadOptions::default())
    }
}
