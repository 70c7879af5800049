//! A seeded generator of Alembic projects: linear chains, branches, 2- and 3-way merges,
//! several bases, branch labels, `depends_on` on ids, labels and tuples, annotated and plain
//! identifiers, and date-named, id-named and bare-id file names.

use std::fmt::Write as _;
use std::path::Path;

/// splitmix64: small, fast, and the same on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// One generated revision.
#[derive(Clone, Debug)]
pub struct GenRev {
    pub id: String,
    pub down: Vec<String>,
    pub labels: Vec<String>,
    pub depends_on: Vec<String>,
    pub message: String,
}

/// A generated project.
pub struct GenProject {
    pub revs: Vec<GenRev>,
}

/// How branchy a generated project is: percent chances per revision.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// Branch off an older revision.
    pub branchiness: u64,
    /// Merge two or three open heads.
    pub merginess: u64,
    pub labelness: u64,
    pub dependness: u64,
    /// Start a new base.
    pub bases: u64,
}

impl Shape {
    /// A long-lived project: mostly linear, short feature branches merged back soon.
    pub const REALISTIC: Shape = Shape {
        branchiness: 3,
        merginess: 60,
        labelness: 1,
        dependness: 1,
        bases: 0,
    };
}

/// Generates a project of `n` revisions with a shape drawn from the seed.
pub fn generate(seed: u64, n: usize) -> GenProject {
    let mut rng = Rng::new(seed);
    let shape = Shape {
        branchiness: rng.below(30) as u64,
        merginess: rng.below(25) as u64,
        labelness: rng.below(6) as u64,
        dependness: rng.below(8) as u64,
        bases: rng.below(3) as u64,
    };
    generate_shaped(&mut rng, n, shape)
}

/// Generates a project of `n` revisions of a given shape.
pub fn generate_shaped(rng: &mut Rng, n: usize, shape: Shape) -> GenProject {
    let Shape {
        branchiness,
        merginess,
        labelness,
        dependness,
        bases,
    } = shape;
    let mut revs: Vec<GenRev> = Vec::new();
    let mut heads: Vec<usize> = Vec::new();
    let mut ids = std::collections::HashSet::new();
    let mut label_count = 0;
    for i in 0..n {
        let id = loop {
            let id = format!("{:012x}", rng.next() & 0xffff_ffff_ffff);
            if ids.insert(id.clone()) {
                break id;
            }
        };
        let mut down: Vec<usize> = Vec::new();
        if i == 0 || rng.chance(bases) {
            // a new base
        } else if heads.len() >= 2 && rng.chance(merginess) {
            let k = if heads.len() >= 3 && rng.chance(30) {
                3
            } else {
                2
            };
            let mut pick = heads.clone();
            while pick.len() > k {
                pick.remove(rng.below(pick.len()));
            }
            down = pick;
        } else if rng.chance(branchiness) {
            down = vec![rng.below(revs.len())];
        } else {
            down = vec![heads[rng.below(heads.len())]];
        }
        heads.retain(|h| !down.contains(h));
        heads.push(i);
        let mut labels = Vec::new();
        if rng.chance(labelness) {
            label_count += 1;
            labels.push(format!("lineage_{label_count}"));
            if rng.chance(20) {
                label_count += 1;
                labels.push(format!("feature_{label_count}"));
            }
        }
        let mut depends_on = Vec::new();
        if i > 2 && rng.chance(dependness) {
            let k = if rng.chance(25) { 2 } else { 1 };
            for _ in 0..k {
                let t = rng.below(i);
                // by label when the target has one, else by id
                let name = if !revs[t].labels.is_empty() && rng.chance(50) {
                    revs[t].labels[0].clone()
                } else {
                    revs[t].id.clone()
                };
                if !depends_on.contains(&name) && !down.iter().any(|d| revs[*d].id == name) {
                    depends_on.push(name);
                }
            }
        }
        revs.push(GenRev {
            down: down.iter().map(|d| revs[*d].id.clone()).collect(),
            id,
            labels,
            depends_on,
            message: format!("change {i} of the schema"),
        });
    }
    GenProject { revs }
}

fn py_ids(v: &[String], as_tuple: bool) -> String {
    match v.len() {
        0 => "None".into(),
        1 if !as_tuple => format!("{:?}", v[0]),
        _ => format!(
            "({}{})",
            v.iter()
                .map(|s| format!("{s:?}"))
                .collect::<Vec<_>>()
                .join(", "),
            if v.len() == 1 { "," } else { "" }
        ),
    }
}

/// The project's revision files as `(file name, text)` pairs.
pub fn render_files(project: &GenProject, seed: u64) -> Vec<(String, String)> {
    let mut rng = Rng::new(seed ^ 0xABCD);
    let naming = rng.below(3);
    let annotated = rng.chance(50);
    let mut files = Vec::new();
    for (i, r) in project.revs.iter().enumerate() {
        let name = match naming {
            0 => format!("{}_change_{i}.py", r.id),
            1 => format!(
                "2024_{:02}_{:02}_{:06}_{}_change_{i}.py",
                1 + i % 12,
                1 + i % 28,
                rng.below(240000),
                r.id
            ),
            _ => {
                if i % 3 == 0 {
                    format!("{}_.py", r.id)
                } else {
                    format!("{:04}_{}.py", rng.below(10000), r.id)
                }
            }
        };
        let message = if naming == 2 && i % 3 == 0 {
            String::new()
        } else {
            r.message.clone()
        };
        let mut s = String::new();
        let _ = write!(
            s,
            "\"\"\"{message}\n\nRevision ID: {}\nRevises: {}\nCreate Date: 2024-01-01 00:00:00\n\n\"\"\"\nfrom typing import Sequence, Union\n\nfrom alembic import op\nimport sqlalchemy as sa\n\n",
            r.id,
            r.down.join(", ")
        );
        let down = py_ids(&r.down, false);
        let labels = py_ids(&r.labels, rng.chance(70));
        let deps = py_ids(&r.depends_on, rng.chance(30));
        if annotated {
            let _ = write!(
                s,
                "revision: str = {:?}\ndown_revision: Union[str, Sequence[str], None] = {down}\nbranch_labels: Union[str, Sequence[str], None] = {labels}\ndepends_on: Union[str, Sequence[str], None] = {deps}\n",
                r.id
            );
        } else {
            let _ = write!(s, "revision = {:?}\ndown_revision = {down}\nbranch_labels = {labels}\ndepends_on = {deps}\n", r.id);
        }
        s.push_str(
            "\n\ndef upgrade() -> None:\n    pass\n\n\ndef downgrade() -> None:\n    pass\n",
        );
        files.push((name, s));
    }
    files
}

/// An env.py for offline runs: `-x url=DIALECT://` and `-x tpm=true` select the dialect
/// and `transaction_per_migration`.
pub const OFFLINE_ENV: &str = include_str!("../fixtures/graph/_env/env.py");

/// Writes the project as an Alembic folder (alembic.ini, env.py, versions/).
pub fn write(project: &GenProject, dir: &Path, seed: u64) {
    write_files(dir, &render_files(project, seed));
}

/// Writes revision files as an Alembic folder: an `alembic.ini` whose script location is
/// the folder, the offline `env.py` (`-x url=DIALECT://`, PostgreSQL by default), and
/// `versions/`.
pub fn write_files(dir: &Path, files: &[(String, String)]) {
    let versions = dir.join("versions");
    std::fs::create_dir_all(&versions).unwrap();
    std::fs::write(
        dir.join("alembic.ini"),
        "[alembic]\nscript_location = %(here)s\nsqlalchemy.url = postgresql://\n",
    )
    .unwrap();
    std::fs::write(dir.join("env.py"), OFFLINE_ENV).unwrap();
    for (name, text) in files {
        std::fs::write(versions.join(name), text).unwrap();
    }
}
