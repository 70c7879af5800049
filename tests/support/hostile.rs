//! Hostile but possible versions folders, as `(path, text)` pairs: what a stranger's
//! branch may hold. Pure (no file system), so the native tests, the wasm tests in Chromium
//! and the end-to-end test (which writes them to disk) share them. Each case names what
//! the planner must answer with: a diagnostic code that names the file.
#![allow(dead_code)]

/// One hostile revision: its file name, text, and the diagnostic code expected for it.
pub struct Case {
    pub name: &'static str,
    pub text: String,
    pub expect: &'static str,
}

fn revision(id: &str, down: Option<&str>, body: &str) -> String {
    format!(
        "\"\"\"{id}\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = \"{id}\"\ndown_revision = {}\n\n\ndef upgrade():\n{body}\n\ndef downgrade():\n    pass\n",
        down.map_or("None".into(), |d| format!("\"{d}\""))
    )
}

fn doubling(step: &str) -> String {
    let mut s = String::from("    x = \"ab\"\n");
    for _ in 0..64 {
        s.push_str(&format!("    x = {step}\n"));
    }
    s.push_str("    op.execute(x)\n");
    s
}

/// The hostile revisions, chained one after another (each revises the one before), after
/// an ordinary first revision `h000`.
pub fn cases() -> Vec<Case> {
    let deep =
        |open: &str, close: &str, n: usize| format!("{}1{}", open.repeat(n), close.repeat(n));
    let mut nested_ifs = String::new();
    for i in 0..150 {
        nested_ifs.push_str(&format!("{}if True:\n", "    ".repeat(i + 1)));
    }
    nested_ifs.push_str(&format!("{}op.execute(\"SELECT 1\")\n", "    ".repeat(151)));
    let mut legal_ifs = String::new();
    for i in 0..90 {
        legal_ifs.push_str(&format!("{}if True:\n", " ".repeat(i + 4)));
    }
    legal_ifs.push_str(&format!("{}op.execute(\"SELECT 1\")\n", " ".repeat(94)));
    vec![
        Case {
            name: "deep_brackets",
            text: format!("    x = {}\n", deep("[", "]", 10_000)),
            expect: "python-refused",
        },
        Case {
            name: "deep_calls",
            text: format!("    x = {}\n", deep("sa.func.f(", ")", 10_000)),
            expect: "python-refused",
        },
        Case {
            name: "long_concat",
            text: format!("    op.execute({})\n", vec!["\"a\""; 20_000].join(" + ")),
            expect: "python-refused",
        },
        Case {
            name: "deep_indent",
            text: nested_ifs,
            expect: "python-refused",
        },
        Case {
            name: "deep_statements",
            text: legal_ifs,
            expect: "evaluation-limit",
        },
        Case {
            name: "double_plus",
            text: doubling("x + x"),
            expect: "evaluation-limit",
        },
        Case {
            name: "double_percent",
            text: doubling("\"%s%s\" % (x, x)"),
            expect: "evaluation-limit",
        },
        Case {
            name: "double_format",
            text: doubling("\"{}{}\".format(x, x)"),
            expect: "evaluation-limit",
        },
        Case {
            name: "double_fstring",
            text: doubling("f\"{x}{x}\""),
            expect: "evaluation-limit",
        },
        Case {
            name: "double_list",
            text: "    x = [1, 2]\n".to_string() + &"    x = x + x\n".repeat(64),
            expect: "evaluation-limit",
        },
        Case {
            name: "deep_value",
            text: "    x = []\n    for i in range(10000):\n        x = [x]\n    op.execute(str(len(x)))\n"
                .into(),
            expect: "evaluation-limit",
        },
        Case {
            name: "long_loops",
            text: "    for a in range(10000):\n        for b in range(10000):\n            for c in range(10000):\n                op.execute(\"SELECT 1\")\n"
                .into(),
            expect: "evaluation-limit",
        },
        Case {
            name: "operation_flood",
            text: "    for a in range(300):\n        for b in range(300):\n            op.execute(\"SELECT 1\")\n"
                .into(),
            expect: "evaluation-limit",
        },
        Case {
            name: "helper_fanout",
            text: "    def f(n):\n        for i in range(10000):\n            f(n)\n            f(n)\n    f(1)\n"
                .into(),
            expect: "evaluation-limit",
        },
        Case {
            name: "comprehension_blowup",
            text: "    x = [[a, b, c] for a in range(10000) for b in range(10000) for c in range(10000)]\n"
                .into(),
            expect: "evaluation-limit",
        },
    ]
}

/// The hostile revisions as a folder: `h000` first, then one file per case.
pub fn folder() -> Vec<(String, String)> {
    let mut files = vec![(
        "h000_base.py".to_string(),
        revision(
            "h000",
            None,
            "    op.create_table(\"t\", sa.Column(\"id\", sa.Integer(), primary_key=True))",
        ),
    )];
    let mut prev = "h000".to_string();
    for (k, c) in cases().into_iter().enumerate() {
        let id = format!("h{:03}", k + 1);
        files.push((
            format!("{id}_{}.py", c.name),
            revision(&id, Some(&prev), c.text.trim_end_matches('\n')),
        ));
        prev = id;
    }
    files
}

/// A ring of `n` revisions, each the down revision of the next, the last of the first.
pub fn cycle(n: usize) -> Vec<(String, String)> {
    (0..n)
        .map(|i| {
            let id = format!("c{i:06}");
            let down = format!("c{:06}", (i + n - 1) % n);
            (format!("{id}.py"), revision(&id, Some(&down), "    pass"))
        })
        .collect()
}

/// `n` heads from one base, merged by one revision naming them all.
pub fn wide_merge(n: usize) -> Vec<(String, String)> {
    let mut files = vec![("m_base.py".to_string(), revision("mbase", None, "    pass"))];
    let heads: Vec<String> = (0..n).map(|i| format!("m{i:05}")).collect();
    for h in &heads {
        files.push((format!("{h}.py"), revision(h, Some("mbase"), "    pass")));
    }
    let downs = heads
        .iter()
        .map(|h| format!("\"{h}\""))
        .collect::<Vec<_>>()
        .join(", ");
    files.push((
        "m_merge.py".to_string(),
        format!("revision = \"mmerge\"\ndown_revision = ({downs})\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n"),
    ));
    files
}

/// `n` revisions in a line, each also depending on the `k` before its parent.
pub fn dense_depends_on(n: usize, k: usize) -> Vec<(String, String)> {
    (0..n)
        .map(|i| {
            let id = format!("d{i:05}");
            let down = (i > 0).then(|| format!("\"d{:05}\"", i - 1));
            let deps: Vec<String> = (i.saturating_sub(k + 1)..i.saturating_sub(1))
                .map(|j| format!("\"d{j:05}\""))
                .collect();
            (
                format!("{id}.py"),
                format!(
                    "revision = \"{id}\"\ndown_revision = {}\ndepends_on = ({})\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n",
                    down.unwrap_or_else(|| "None".into()),
                    if deps.is_empty() { String::new() } else { deps.join(", ") + "," }
                ),
            )
        })
        .collect()
}
