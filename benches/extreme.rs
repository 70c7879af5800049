//! Extreme but legal inputs (and hostile ones), bounded in time and memory: each case is
//! written to a temporary folder and run through the release CLI under GNU time, and the
//! table prints wall time, peak memory and how it ended (exit status, diagnostics). Run
//! with `cargo bench --bench extreme` (`scripts/dev.sh bench` runs it); nothing asserts a
//! time, but a case that crashes (a signal, a panic) is reported as such.

#[path = "../tests/support/generator.rs"]
#[allow(dead_code)] // shared with the tests, which use the rest
mod generator;
#[path = "../tests/support/hostile.rs"]
mod hostile;

use std::path::{Path, PathBuf};
use std::process::Command;

fn write(dir: &Path, files: &[(String, Vec<u8>)]) {
    let _ = std::fs::remove_dir_all(dir);
    for (p, b) in files {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b).unwrap();
    }
}

fn text_files(v: Vec<(String, String)>) -> Vec<(String, Vec<u8>)> {
    v.into_iter().map(|(p, t)| (p, t.into_bytes())).collect()
}

fn revision(id: &str, down: Option<&str>, body: &str) -> String {
    format!(
        "\"\"\"{id}\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = {id:?}\ndown_revision = {}\n\n\ndef upgrade():\n{body}\n\n\ndef downgrade():\n    pass\n",
        down.map_or("None".to_string(), |d| format!("{d:?}"))
    )
}

/// Runs the CLI on `versions` with `args`; returns (wall s, peak MiB, status, stdout lines,
/// diagnostics printed).
fn run(versions: &Path, args: &[&str]) -> (f64, f64, String, usize, usize) {
    let bin = env!("CARGO_BIN_EXE_alembic-planner");
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%e %M"])
        .arg(bin)
        .arg("--versions")
        .arg(versions)
        .arg("--diagnostics")
        .args(args)
        .output()
        .expect("run the CLI under /usr/bin/time");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.lines().last().unwrap_or("");
    let mut it = last.split_whitespace();
    let wall: f64 = it.next().and_then(|s| s.parse().ok()).unwrap_or(f64::NAN);
    let kib: f64 = it.next().and_then(|s| s.parse().ok()).unwrap_or(f64::NAN);
    let diags = stderr.lines().filter(|l| l.contains("]: ")).count();
    let status = if stderr.contains("Command terminated by signal") {
        "CRASHED".to_string()
    } else {
        match out.status.code() {
            Some(c) => format!("exit {c}"),
            None => "killed".into(),
        }
    };
    (
        wall,
        kib / 1024.0,
        status,
        out.stdout.split(|b| *b == b'\n').count(),
        diags,
    )
}

fn main() {
    let tmp = std::env::temp_dir().join(format!("ap-extreme-{}", std::process::id()));
    let case = |name: &str| -> PathBuf { tmp.join(name) };
    let mut cases: Vec<(String, PathBuf, Vec<&str>)> = Vec::new();
    let add = |cases: &mut Vec<(String, PathBuf, Vec<&str>)>,
               name: &str,
               files: Vec<(String, Vec<u8>)>,
               cmds: &[&'static [&'static str]]| {
        let dir = case(name);
        write(&dir, &files);
        for c in cmds {
            cases.push((name.to_string(), dir.clone(), c.to_vec()));
        }
    };
    let sql: &[&str] = &["upgrade", "base:heads", "--sql"];
    let heads: &[&str] = &["heads"];
    let history: &[&str] = &["history"];
    let check: &[&str] = &["check"];

    // 50,000 revisions shaped like a long-lived project (mostly linear, feature branches
    // merged back soon, a label or dependency now and then)
    let big = generator::generate_shaped(
        &mut generator::Rng::new(20261130),
        50_000,
        generator::Shape::REALISTIC,
    );
    let dir = case("revisions-50000");
    generator::write(&big, &dir, 20261130);
    for c in [heads, history, sql] {
        cases.push(("revisions-50000".into(), dir.join("versions"), c.to_vec()));
    }

    // a 3.9 MB revision file (parsed) and a 5 MB one (over the limit: a diagnostic)
    let rows = |n: usize| {
        let mut s = String::from(
            "    t = sa.table('t', sa.column('id'), sa.column('v'))\n    op.bulk_insert(t, [\n",
        );
        for i in 0..n {
            s.push_str(&format!(
                "        {{'id': {i}, 'v': 'value number {i} with some text'}},\n"
            ));
        }
        s.push_str("    ])");
        s
    };
    let base = revision("b0", None, "    op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('v', sa.Text()))");
    let big_file = revision("b1", Some("b0"), &rows(60_000));
    let huge_file = revision("b2", Some("b1"), &rows(95_000));
    eprintln!(
        "files: {:.1} MB and {:.1} MB",
        big_file.len() as f64 / 1e6,
        huge_file.len() as f64 / 1e6
    );
    add(
        &mut cases,
        "big-files",
        vec![
            ("b0.py".into(), base.clone().into_bytes()),
            ("b1.py".into(), big_file.into_bytes()),
            ("b2.py".into(), huge_file.into_bytes()),
        ],
        &[heads, sql],
    );
    // a 10,000-row bulk_insert
    add(
        &mut cases,
        "bulk-insert-10000",
        vec![
            ("b0.py".into(), base.clone().into_bytes()),
            (
                "b1.py".into(),
                revision("b1", Some("b0"), &rows(10_000)).into_bytes(),
            ),
        ],
        &[sql],
    );
    // 5,000 heads merged at once
    add(
        &mut cases,
        "merge-5000-heads",
        text_files(hostile::wide_merge(5_000)),
        &[heads, history, sql],
    );
    // dense depends_on: 5,000 revisions each depending on the 50 before
    add(
        &mut cases,
        "depends-on-5000x50",
        text_files(hostile::dense_depends_on(5_000, 50)),
        &[heads, history, sql],
    );
    // a 20,000-revision ring
    add(
        &mut cases,
        "cycle-20000",
        text_files(hostile::cycle(20_000)),
        &[heads, check],
    );
    // the hostile folder (deep nesting, doubling, endless loops)
    add(
        &mut cases,
        "hostile-files",
        text_files(hostile::folder()),
        &[check, sql],
    );
    // long identifiers
    let long = "x".repeat(10_000);
    add(
        &mut cases,
        "long-identifiers",
        vec![
            (
                format!("{}.py", &long[..200]),
                revision(
                    &long,
                    None,
                    &format!("    op.create_table('{long}', sa.Column('{long}', sa.Integer()))"),
                )
                .into_bytes(),
            ),
            (
                "b.py".into(),
                revision("b", Some(&long), "    pass").into_bytes(),
            ),
        ],
        &[heads, sql],
    );
    // encodings and line ends: CRLF, BOM, tabs, Latin-1 with and without a coding line
    let crlf = revision("e1", None, "\top.execute('SELECT 1')").replace('\n', "\r\n");
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend(revision("e2", Some("e1"), "    pass").into_bytes());
    let latin1 = |text: String| -> Vec<u8> {
        // the text's `CAFE` as Latin-1 `café`
        let mut out = Vec::new();
        for part in text.split("CAFE").enumerate() {
            if part.0 > 0 {
                out.extend(b"caf\xe9");
            }
            out.extend(part.1.as_bytes());
        }
        out
    };
    let mut latin = b"# -*- coding: latin-1 -*-\n".to_vec();
    latin.extend(latin1(revision(
        "e3",
        Some("e2"),
        "    op.execute('SELECT CAFE')",
    )));
    let mut no_cookie = revision("e4", Some("e3"), "    op.execute('SELECT x')").into_bytes();
    no_cookie.extend(b"# caf\xe9\n");
    add(
        &mut cases,
        "encodings",
        vec![
            ("e1.py".into(), crlf.into_bytes()),
            ("e2.py".into(), bom),
            ("e3.py".into(), latin),
            ("e4.py".into(), no_cookie),
        ],
        &[history, check],
    );
    // oddly named files
    add(
        &mut cases,
        "odd-names",
        vec![
            (
                "with space.py".into(),
                revision("o1", None, "    pass").into_bytes(),
            ),
            (
                "ünïcödé.py".into(),
                revision("o2", Some("o1"), "    pass").into_bytes(),
            ),
            ("noext".into(), b"revision = 'o9'".to_vec()),
            (".#lock.py".into(), b"junk".to_vec()),
            ("__init__.py".into(), Vec::new()),
            (
                "dir.py/inner.py".into(),
                revision("o3", Some("o2"), "    pass").into_bytes(),
            ),
            (
                "-dash.py".into(),
                revision("o4", Some("o3"), "    pass").into_bytes(),
            ),
        ],
        &[history],
    );
    // a symbolic link loop inside the versions folder
    let dir = case("symlink-loop");
    write(
        &dir,
        &[("a.py".into(), revision("s1", None, "    pass").into_bytes())],
    );
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let _ = std::os::unix::fs::symlink(&dir, dir.join("sub/loop"));
    let _ = std::os::unix::fs::symlink(dir.join("sub"), dir.join("sub/self"));
    cases.push(("symlink-loop".into(), dir, history.to_vec()));

    // archives: a bomb (150 entries of 4 MB of zeros), truncated, escaping paths
    let zip_dir = case("archives");
    std::fs::create_dir_all(&zip_dir).unwrap();
    let zip_of = |entries: &[(String, Vec<u8>)]| -> Vec<u8> {
        use std::io::Write;
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            let o = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (n, b) in entries {
                w.start_file(n.as_str(), o).unwrap();
                w.write_all(b).unwrap();
            }
            w.finish().unwrap();
        }
        buf.into_inner()
    };
    let zeros = vec![0u8; 4_000_000];
    let mut bomb: Vec<(String, Vec<u8>)> = (0..150)
        .map(|i| (format!("versions/z{i:03}.txt"), zeros.clone()))
        .collect();
    bomb.push((
        "versions/a.py".into(),
        revision("z1", None, "    pass").into_bytes(),
    ));
    let bomb = zip_of(&bomb);
    eprintln!(
        "zip bomb: {:.1} MB inflating to 600 MB",
        bomb.len() as f64 / 1e6
    );
    std::fs::write(zip_dir.join("bomb.zip"), &bomb).unwrap();
    let ok = zip_of(&[(
        "versions/a.py".into(),
        revision("z1", None, "    pass").into_bytes(),
    )]);
    std::fs::write(zip_dir.join("truncated.zip"), &ok[..ok.len() / 2]).unwrap();
    std::fs::write(
        zip_dir.join("escaping.zip"),
        zip_of(&[
            (
                "../../evil.py".into(),
                revision("x", None, "    pass").into_bytes(),
            ),
            (
                "versions/a.py".into(),
                revision("z1", None, "    pass").into_bytes(),
            ),
        ]),
    )
    .unwrap();
    for z in ["bomb.zip", "truncated.zip", "escaping.zip"] {
        cases.push((format!("zip {z}"), zip_dir.join(z), history.to_vec()));
    }

    println!(
        "{:<22} {:<26} {:>9} {:>10} {:>9} {:>7} {:>7}",
        "case", "command", "wall", "peak", "ended", "lines", "diags"
    );
    for (name, dir, args) in &cases {
        let (wall, mib, status, lines, diags) = run(dir, args);
        println!(
            "{name:<22} {:<26} {:>8.2}s {:>7.1} MiB {status:>9} {lines:>7} {diags:>7}",
            args.join(" "),
            wall,
            mib
        );
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
