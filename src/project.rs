//! One call from input files to everything known about them.

use crate::diag::Diagnostic;
use crate::revmap::RevisionMap;
use ruff_python_parser::{parse_unchecked, Mode, ParseOptions};

use crate::ops::{interpret_parsed, MigrationOps};
use crate::script::{read_parsed, Script};
use crate::source::{select, InputFile, LoadOptions, SourceFile};
use crate::text::LineIndex;

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
    /// Each script's interpreted operations, parallel to `sources`.
    pub(crate) ops: Vec<MigrationOps>,
}

impl Project {
    /// Reads and analyses a versions folder. Never fails.
    pub fn load(files: &[InputFile], opts: LoadOptions) -> Project {
        let sel = select(files, opts.clone());
        let mut diagnostics = sel.diagnostics;
        let (scripts, mut ops): (Vec<_>, Vec<_>) = read_all(&sel.scripts).into_iter().unzip();
        if !opts.type_map.is_empty() {
            for o in ops.iter_mut() {
                crate::ops::map_types(o, &opts.type_map);
            }
        }
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
            ops,
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

/// Parses each file once, for both its identifiers and its operations.
fn read_one(f: &SourceFile) -> (Script, MigrationOps) {
    let parsed = parse_unchecked(&f.text, ParseOptions::from(Mode::Module));
    let lines = LineIndex::new(&f.text);
    (
        read_parsed(&f.path, &f.text, &parsed, &lines),
        interpret_parsed(&parsed, &lines),
    )
}

/// Reads every file, natively on every core (files are independent); in the browser on
/// the one thread there is. The result is in input order either way.
fn read_all(files: &[SourceFile]) -> Vec<(Script, MigrationOps)> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if threads > 1 && files.len() >= 64 {
            let chunk = files.len().div_ceil(threads);
            return std::thread::scope(|s| {
                let handles: Vec<_> = files
                    .chunks(chunk)
                    .map(|c| s.spawn(|| c.iter().map(read_one).collect::<Vec<_>>()))
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                    .collect()
            });
        }
    }
    files.iter().map(read_one).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::Step;

    #[test]
    fn mapped_application_types_become_sql() {
        let text = "from alembic import op\nimport sqlalchemy as sa\nfrom myapp.types import Slug\n\nrevision = 'a1'\ndown_revision = None\n\ndef upgrade():\n    op.create_table('t', sa.Column('slug', Slug(64)))\n    op.add_column('t', sa.Column('alt', Slug()))\n";
        let files = [InputFile::new("a1_x.py", text.as_bytes())];
        let opaque = |p: &Project| {
            p.migration_ops(0)
                .upgrade
                .iter()
                .filter(|s| matches!(s.step, Step::Opaque { .. }))
                .count()
        };
        let plain = Project::load(&files, LoadOptions::default());
        assert_eq!(opaque(&plain), 2);
        let opts = LoadOptions {
            type_map: crate::source::parse_type_map(
                "myapp.types.Slug = VARCHAR(64)\nnot a mapping",
            ),
            ..LoadOptions::default()
        };
        let mapped = Project::load(&files, opts);
        assert_eq!(opaque(&mapped), 0);
        let text = mapped.migration_ops(0).to_text("a1_x.py");
        assert_eq!(text.matches("VARCHAR(64)").count(), 2, "{text}");
    }
}
