//! The graph layout and the exports: every graph fixture and the sample laid out and
//! exported, compared with the expected text in tests/fixtures/export/ (`UPDATE_EXPECT=1`
//! rewrites it); the layout's drawing rules checked on generated projects; the archive and
//! folder readers on made-up folders.

mod support;

use std::path::{Path, PathBuf};

use alembic_planner::input::{locate_versions, read_zip};
use alembic_planner::present::export;
use alembic_planner::present::layout::{EdgeKind, Layout};
use alembic_planner::{InputFile, Project};
use support::generator::{self, Rng};

fn load_dir(dir: &Path) -> Project {
    Project::from_texts(&support::read_dir_files(dir))
}

/// `check` for exports: `<name>.graph.txt`, `.mmd` and `.md` equal what the planner makes.
fn check(name: &str, project: &Project) {
    let layout = alembic_planner::present::layout::layout(project);
    let sim =
        alembic_planner::schema::table_map(project, alembic_planner::base::Dialect::Postgresql);
    let outputs = [
        ("graph.txt", layout.to_text(project)),
        ("mmd", export::mermaid(project, &layout)),
        ("md", export::markdown(project, &layout, &sim, name)),
    ];
    let root = support::repo_root().join("tests/fixtures/export");
    for (ext, actual) in outputs {
        support::snapshot(&root.join(format!("{name}.{ext}")), &actual);
    }
}

fn graph_fixtures() -> Vec<PathBuf> {
    let root = support::repo_root().join("tests/fixtures/graph");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path().join("versions"))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn fixtures_and_sample_export_as_expected() {
    let mut n = 0;
    for dir in graph_fixtures() {
        let name = dir
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        check(&name, &load_dir(&dir));
        n += 1;
    }
    check(
        "sample",
        &load_dir(&support::repo_root().join("migrations-sample/versions")),
    );
    assert!(n >= 15, "only {n} graph fixtures found");
}

/// The rules that make the drawing readable, on one layout: every revision once; a
/// `down_revision` link goes down; no link runs through a revision's circle; two links
/// never share a lane on a row unless they lead to the same revision.
fn drawing_rules(project: &Project, layout: &Layout) -> Result<(), String> {
    let map = &project.map;
    let mut seen = vec![false; map.len()];
    for n in &layout.nodes {
        if std::mem::replace(&mut seen[n.rev], true) {
            return Err(format!("{} drawn twice", map.rev(n.rev).id));
        }
        if n.lane >= layout.lanes {
            return Err(format!("{} outside the lanes", map.rev(n.rev).id));
        }
    }
    if seen.iter().any(|s| !s) {
        return Err("a revision is not drawn".into());
    }
    let mut lane_use: std::collections::HashMap<(usize, usize), usize> = Default::default();
    for e in layout.edges.iter().filter(|e| e.kind == EdgeKind::Down) {
        let from = map.rev(layout.nodes[e.from_row].rev).id.clone();
        if e.to_row <= e.from_row {
            return Err(format!("link from {from} goes up"));
        }
        for row in e.from_row + 1..e.to_row {
            if layout.nodes[row].lane == e.via_lane {
                return Err(format!(
                    "link from {from} runs through {} (lane {})",
                    map.rev(layout.nodes[row].rev).id,
                    e.via_lane
                ));
            }
            if let Some(other) = lane_use.insert((row, e.via_lane), e.to_row) {
                if other != e.to_row {
                    return Err(format!("two links share lane {} on row {row}", e.via_lane));
                }
            }
        }
    }
    let downs = map.revs.iter().map(|r| r.down_idx.len()).sum::<usize>();
    let drawn = layout
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Down)
        .count();
    if downs != drawn {
        return Err(format!("{downs} down_revision links, {drawn} drawn"));
    }
    Ok(())
}

#[test]
fn generated_layouts_follow_the_drawing_rules() {
    let mut checked = 0;
    let mut widest = 0;
    for seed in 0..300u64 {
        let mut rng = Rng::new(seed);
        let n = 2 + rng.below(120);
        let files = generator::render_files(&generator::generate(seed, n), seed);
        let project = Project::from_texts(&files);
        if project.map.alembic_failure.is_some() {
            continue;
        }
        let layout = alembic_planner::present::layout::layout(&project);
        if let Err(e) = drawing_rules(&project, &layout) {
            panic!("seed {seed}: {e}\n{}", layout.to_text(&project));
        }
        // search finds each revision by its full id, in its own row
        let row = rng.below(layout.nodes.len());
        let id = project.map.rev(layout.nodes[row].rev).id.clone();
        assert!(
            alembic_planner::present::layout::search(&project, &layout, &id).contains(&row),
            "seed {seed}: {id} not found"
        );
        widest = widest.max(layout.lanes);
        checked += 1;
    }
    assert!(checked > 200, "only {checked} generated projects checked");
    assert!(
        widest > 3,
        "no generated project needed more than {widest} lanes"
    );
    eprintln!(
        "layout: {checked} generated projects follow the drawing rules (widest: {widest} lanes)"
    );
}

#[test]
fn svg_export_is_well_formed_and_escapes_text() {
    let files = [
        (
            "a_x.py",
            "\"\"\"<script>alert(1)</script> & \"quotes\"\n\nRevision ID: a\n\"\"\"\nrevision = 'a'\ndown_revision = None\n",
        ),
        ("b_x.py", "\"\"\"b\"\"\"\nrevision = 'b'\ndown_revision = ('a', 'gone')\n"),
    ];
    let project = Project::from_texts(&files);
    let layout = alembic_planner::present::layout::layout(&project);
    let svg = export::svg(&project, &layout);
    assert!(!svg.contains("<script>"), "{svg}");
    assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
    assert!(svg.contains("missing gone"));
    let mmd = export::mermaid(&project, &layout);
    assert!(
        !mmd.contains("<script>") && mmd.contains("#60;script#62;"),
        "{mmd}"
    );
    // an XML parser accepts it, when python3 is here to be one
    let path = std::env::temp_dir().join(format!("ap-export-{}.svg", std::process::id()));
    std::fs::write(&path, &svg).unwrap();
    if let Ok(out) = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])",
        ])
        .arg(&path)
        .output()
    {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let _ = std::fs::remove_file(path);
}

fn zip_of(entries: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        for (name, text) in entries {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(text.as_bytes()).unwrap();
        }
        w.finish().unwrap();
    }
    buf.into_inner()
}

fn located(files: &[(&str, &str)]) -> (String, Vec<String>, bool) {
    let input = files.iter().map(|(p, t)| InputFile::new(*p, *t)).collect();
    let l = locate_versions(input);
    (
        l.name,
        l.files.into_iter().map(|f| f.path).collect(),
        l.options.recursive,
    )
}

#[test]
fn the_versions_folder_is_found_in_what_was_given() {
    // a project folder: alembic.ini names the script location and recursion
    let (name, files, rec) = located(&[
        (
            "proj/alembic.ini",
            "[alembic]\nscript_location = %(here)s/db\nrecursive_version_locations = false\n",
        ),
        ("proj/db/env.py", ""),
        ("proj/db/versions/a.py", ""),
        ("proj/db/versions/sub/b.py", ""),
        ("proj/other/versions/c.py", ""),
    ]);
    assert_eq!(name, "proj/db/versions");
    assert_eq!(files, ["a.py", "sub/b.py"]);
    assert!(!rec);
    // no ini: the shallowest folder named versions
    let (name, files, _) = located(&[
        ("m/versions/a.py", ""),
        ("m/x/versions/b.py", ""),
        ("m/env.py", ""),
    ]);
    assert_eq!(
        (name.as_str(), files),
        ("m/versions", vec!["a.py".to_string()])
    );
    // the versions folder itself, picked: its own name is dropped
    let (name, files, _) = located(&[("myversions/a.py", ""), ("myversions/2024/b.py", "")]);
    assert_eq!(
        (name.as_str(), files),
        (
            "myversions",
            vec!["a.py".to_string(), "2024/b.py".to_string()]
        )
    );
    // loose files
    let (name, files, _) = located(&[("a.py", ""), ("b.py", "")]);
    assert_eq!((name.as_str(), files.len()), ("", 2));
}

#[test]
fn zip_archives_are_read_and_damage_is_diagnosed() {
    let bytes = zip_of(&[
        ("sample/alembic.ini", "[alembic]\nscript_location = .\n"),
        (
            "sample/versions/a_x.py",
            "revision = 'a'\ndown_revision = None\n",
        ),
        (
            "sample/versions/b_x.py",
            "revision = 'b'\ndown_revision = 'a'\n",
        ),
        ("__MACOSX/sample/versions/._a_x.py", "junk"),
    ]);
    let (files, diags) = read_zip("s.zip", &bytes);
    assert!(diags.is_empty(), "{diags:?}");
    let l = locate_versions(files);
    assert_eq!(l.name, "sample/versions");
    let p = Project::load(&l.files, l.options);
    assert_eq!(p.map.heads, ["b"]);
    // damaged: a diagnostic naming the archive, never a panic
    let (files, diags) = read_zip("broken.zip", &bytes[..bytes.len() / 2]);
    assert!(files.is_empty());
    assert_eq!(diags.len(), 1);
    assert_eq!(
        (diags[0].path.as_str(), diags[0].code),
        ("broken.zip", "unreadable-archive")
    );
    let (_, diags) = read_zip("text.zip", b"def upgrade(): pass");
    assert_eq!(diags[0].code, "unreadable-archive");
}
