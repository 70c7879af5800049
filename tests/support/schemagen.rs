//! Seeded generator of linear Alembic projects whose migrations change a schema: tables,
//! columns of the common types, indexes, foreign keys, unique constraints, renames, drops,
//! SQL DDL through `op.execute`, and data statements. Every operation is valid where it is
//! applied (a model of the schema is kept while generating), and every `downgrade()` undoes
//! its `upgrade()`, so Alembic's offline SQL runs cleanly on a real database.

#![allow(dead_code)]

use std::fmt::Write;

use super::generator::Rng;

/// Which operations a project may use: SQLite cannot alter columns or add constraints in
/// place (Alembic needs batch mode there), PostgreSQL can.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    Postgresql,
    Sqlite,
}

#[derive(Clone, Debug)]
struct Col {
    name: String,
    ty: &'static str,
    nullable: bool,
    fk: Option<String>,
    /// Further `sa.Column` keywords: `, server_default=...`, `, comment=...`.
    extra: String,
}

#[derive(Clone, Debug)]
struct Idx {
    name: String,
    cols: Vec<String>,
    unique: bool,
}

#[derive(Clone, Debug)]
struct Tbl {
    name: String,
    cols: Vec<Col>,
    idx: Vec<Idx>,
    /// Named constraints added after creation: (name, kind, python for create).
    cons: Vec<(String, &'static str)>,
    /// `bulk_insert` put rows in it (a column cannot become NOT NULL then).
    has_rows: bool,
    /// Targets of foreign keys added by `create_foreign_key`.
    fk_to: Vec<String>,
    /// Written with a table comment and its index as an `sa.Index` inside.
    styled: bool,
}

const TYPES: &[&str] = &[
    "sa.Integer()",
    "sa.BigInteger()",
    "sa.String(50)",
    "sa.String(length=200)",
    "sa.Text()",
    "sa.Boolean()",
    "sa.DateTime()",
    "sa.Date()",
    "sa.Numeric(10, 2)",
    "sa.SmallInteger()",
];

const WORDS: &[&str] = &[
    "account", "order", "item", "price", "note", "label", "owner", "status", "amount", "code",
    "title", "region", "score", "level", "color", "weight", "stock", "batch", "phase", "tag",
];

struct Gen {
    rng: Rng,
    flavor: Flavor,
    /// Batch blocks pass `copy_from=` (the table as it is), so Alembic can move and copy
    /// offline; without it only the planner can.
    copy_from: bool,
    tables: Vec<Tbl>,
    counter: usize,
    /// Operations made so far: every sixth runs inside a branch on the dialect's name.
    made: usize,
}

fn col_py(c: &Col) -> String {
    let fk =
        c.fk.as_ref()
            .map(|t| format!(", sa.ForeignKey(\"{t}.id\")"))
            .unwrap_or_default();
    format!(
        "sa.Column(\"{}\", {}{fk}, nullable={}{})",
        c.name,
        c.ty,
        if c.nullable { "True" } else { "False" },
        c.extra
    )
}

fn create_table_py(t: &Tbl) -> String {
    let mut s = format!("    op.create_table(\n        \"{}\",\n", t.name);
    s.push_str("        sa.Column(\"id\", sa.Integer(), nullable=False),\n");
    for c in &t.cols {
        let _ = writeln!(s, "        {},", col_py(c));
    }
    s.push_str("        sa.PrimaryKeyConstraint(\"id\"),\n");
    // one index written inside the table (several would come out in hash order)
    let inline = t.styled && t.idx.len() == 1;
    if inline {
        let i = &t.idx[0];
        let _ = writeln!(
            s,
            "        sa.Index(\"{}\", {}, unique={}),",
            i.name,
            i.cols
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", "),
            if i.unique { "True" } else { "False" }
        );
    }
    if t.styled {
        s.push_str("        comment=\"the table's note\",\n");
        // MySQL's table options: no effect on the other dialects' DDL
        s.push_str("        mysql_engine=\"InnoDB\",\n        mysql_charset=\"utf8mb4\",\n");
        // `CREATE TABLE IF NOT EXISTS`, as migrations that may meet a table made by
        // hand write it
        s.push_str("        if_not_exists=True,\n");
    }
    s.push_str("    )\n");
    if !inline {
        for i in &t.idx {
            s.push_str(&create_index_py(&t.name, i));
        }
    }
    s
}

/// The table as an `sa.Table` (what `copy_from=` takes), with a unique constraint added
/// since the model's `cons` list was written.
fn table_py(t: &Tbl, unique: Option<&(String, String)>) -> String {
    let mut s = format!(
        "sa.Table(\"{}\", sa.MetaData(), sa.Column(\"id\", sa.Integer(), nullable=False), ",
        t.name
    );
    for c in &t.cols {
        s.push_str(&col_py(c));
        s.push_str(", ");
    }
    s.push_str("sa.PrimaryKeyConstraint(\"id\")");
    for i in &t.idx {
        let cols: Vec<String> = i.cols.iter().map(|c| format!("\"{c}\"")).collect();
        let _ = write!(
            s,
            ", sa.Index(\"{}\", {}, unique={})",
            i.name,
            cols.join(", "),
            if i.unique { "True" } else { "False" }
        );
    }
    if let Some((name, col)) = unique {
        let _ = write!(s, ", sa.UniqueConstraint(\"{col}\", name=\"{name}\")");
    }
    s.push(')');
    s
}

/// Drops a table's indexes, then the table.
fn drop_table_py(t: &Tbl) -> String {
    let mut s = String::new();
    for i in &t.idx {
        let _ = writeln!(
            s,
            "    op.drop_index(op.f(\"{}\"), table_name=\"{}\")",
            i.name, t.name
        );
    }
    if t.styled {
        let _ = writeln!(s, "    op.drop_table(\"{}\", if_exists=True)", t.name);
    } else {
        let _ = writeln!(s, "    op.drop_table(\"{}\")", t.name);
    }
    s
}

fn create_index_py(table: &str, i: &Idx) -> String {
    format!(
        "    op.create_index(op.f(\"{}\"), \"{table}\", [{}], unique={})\n",
        i.name,
        i.cols
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", "),
        if i.unique { "True" } else { "False" }
    )
}

impl Col {
    /// Server defaults of each kind SQLAlchemy renders differently, and comments.
    fn with_extras(mut self, rng: &mut Rng) -> Col {
        if self.fk.is_none() && rng.chance(40) {
            let d = match self.ty {
                "sa.Integer()" | "sa.BigInteger()" | "sa.SmallInteger()" => {
                    if rng.chance(50) {
                        "\"0\"".to_string()
                    } else {
                        "sa.text(\"0\")".to_string()
                    }
                }
                "sa.Boolean()" => {
                    if rng.chance(50) {
                        "sa.false()".into()
                    } else {
                        "sa.true()".into()
                    }
                }
                "sa.DateTime()" => "sa.func.now()".into(),
                "sa.Numeric(10, 2)" => "sa.text(\"0.00\")".into(),
                "sa.String(50)" | "sa.String(length=200)" => "\"it's\"".into(),
                _ => String::new(),
            };
            if !d.is_empty() {
                self.extra.push_str(&format!(", server_default={d}"));
            }
        }
        if rng.chance(15) {
            self.extra.push_str(", comment=\"the column's note\"");
        }
        self
    }
}

/// `op.bulk_insert` of a few rows into a new table: literal values for every column a
/// row needs (nullable columns of other types are left out).
fn bulk_insert_py(t: &Tbl, rng: &mut Rng) -> String {
    let simple = |ty: &str| {
        matches!(
            ty,
            "sa.Integer()"
                | "sa.BigInteger()"
                | "sa.SmallInteger()"
                | "sa.String(50)"
                | "sa.String(length=200)"
                | "sa.Text()"
                | "sa.Boolean()"
        )
    };
    if t.cols.iter().any(|c| !c.nullable && !simple(c.ty)) {
        return String::new();
    }
    let cols: Vec<&Col> = t
        .cols
        .iter()
        .filter(|c| simple(c.ty) && c.fk.is_none())
        .collect();
    let mut s = format!(
        "    op.bulk_insert(\n        sa.table(\"{}\", sa.column(\"id\", sa.Integer)",
        t.name
    );
    for c in &cols {
        s.push_str(&format!(
            ", sa.column(\"{}\", {})",
            c.name,
            c.ty.trim_end_matches("()")
        ));
    }
    s.push_str("),\n        [\n");
    for k in 1..=(1 + rng.below(3)) {
        s.push_str(&format!("            {{\"id\": {k}"));
        for c in &cols {
            let v = match c.ty {
                "sa.Boolean()" => {
                    if k % 2 == 0 {
                        "True".to_string()
                    } else {
                        "False".to_string()
                    }
                }
                "sa.String(50)" | "sa.String(length=200)" | "sa.Text()" => format!("\"o'k {k}\""),
                _ => k.to_string(),
            };
            s.push_str(&format!(", \"{}\": {v}", c.name));
        }
        s.push_str("},\n");
    }
    s.push_str("        ],\n    )\n");
    s
}

impl Gen {
    fn fresh(&mut self, prefix: &str) -> String {
        self.counter += 1;
        let w = WORDS[self.rng.below(WORDS.len())];
        format!("{prefix}{w}_{}", self.counter)
    }

    fn referenced(&self, table: &str) -> bool {
        self.tables.iter().any(|t| {
            t.cols.iter().any(|c| c.fk.as_deref() == Some(table))
                || t.fk_to.iter().any(|f| f == table)
        })
    }

    fn new_col(&mut self, allow_fk: bool) -> Col {
        let name = self.fresh("");
        let fk = if allow_fk && !self.tables.is_empty() && self.rng.chance(25) {
            Some(self.tables[self.rng.below(self.tables.len())].name.clone())
        } else {
            None
        };
        Col {
            name,
            ty: if fk.is_some() {
                "sa.Integer()"
            } else {
                TYPES[self.rng.below(TYPES.len())]
            },
            nullable: fk.is_some() || self.rng.chance(60),
            extra: String::new(),
            fk,
        }
        .with_extras(&mut self.rng)
    }

    /// One operation: (upgrade lines, downgrade lines).
    /// One operation and its undoing; every sixth inside `if op.get_bind().dialect.name
    /// == ...:` (offline, the URL's dialect), beside branches for another dialect that would
    /// fail on this one's database if they ran.
    fn op(&mut self) -> (String, String) {
        let (up, down) = self.one_op();
        self.made += 1;
        if self.made % 6 != 5 {
            return (up, down);
        }
        let (this, other) = match self.flavor {
            Flavor::Postgresql => ("postgresql", "sqlite"),
            Flavor::Sqlite => ("sqlite", "postgresql"),
        };
        let branch = |body: &str| {
            let inner: String = if body.trim().is_empty() {
                "        pass\n".into()
            } else {
                body.lines()
                    .map(|l| {
                        if l.is_empty() {
                            "\n".to_string()
                        } else {
                            format!("    {l}\n")
                        }
                    })
                    .collect()
            };
            format!(
                "    bind = op.get_bind()\n    if bind.dialect.name == \"{other}\":\n        op.execute(\"DROP TABLE no_such_table\")\n    elif bind.dialect.name in (\"{this}\",):\n{inner}    else:\n        op.execute(\"SELECT no_such_column FROM no_such_table\")\n"
            )
        };
        (branch(&up), branch(&down))
    }

    fn one_op(&mut self) -> (String, String) {
        let pick = if self.tables.is_empty() {
            0
        } else {
            self.rng.below(if self.flavor == Flavor::Postgresql {
                15
            } else {
                10
            })
        };
        // SQLite alters columns and constraints only inside batch blocks
        let pick = if self.flavor == Flavor::Sqlite && pick == 9 {
            13
        } else {
            pick
        };
        match pick {
            0 | 1 => {
                let name = self.fresh("t_");
                let n = 1 + self.rng.below(4);
                let cols: Vec<Col> = (0..n).map(|_| self.new_col(true)).collect();
                let mut idx = Vec::new();
                if self.rng.chance(40) {
                    let c = cols[self.rng.below(cols.len())].name.clone();
                    idx.push(Idx {
                        name: format!("ix_{name}_{c}"),
                        cols: vec![c],
                        unique: self.rng.chance(30),
                    });
                }
                let t = Tbl {
                    name: name.clone(),
                    cols,
                    idx,
                    cons: vec![],
                    has_rows: false,
                    fk_to: vec![],
                    styled: self.rng.chance(30),
                };
                let mut t = t;
                let mut up = create_table_py(&t);
                if self.rng.chance(35) {
                    let rows = bulk_insert_py(&t, &mut self.rng);
                    t.has_rows = !rows.is_empty();
                    up.push_str(&rows);
                }
                let down = drop_table_py(&t);
                self.tables.push(t);
                (up, down)
            }
            2 => {
                let k = self.rng.below(self.tables.len());
                let c = self.new_col(self.flavor == Flavor::Postgresql);
                let mut c = Col {
                    nullable: true,
                    ..c
                };
                if self.flavor == Flavor::Sqlite {
                    // SQLite cannot add a column with a non-constant default
                    c.extra = c.extra.replace(", server_default=sa.func.now()", "");
                }
                let t = &mut self.tables[k];
                let up = format!("    op.add_column(\"{}\", {})\n", t.name, col_py(&c));
                let down = format!("    op.drop_column(\"{}\", \"{}\")\n", t.name, c.name);
                t.cols.push(c);
                (up, down)
            }
            3 => {
                // drop a column no index or constraint uses; the last one, so that the
                // downgrade's add_column puts it back where it was
                let k = self.rng.below(self.tables.len());
                let t = &self.tables[k];
                let free: Vec<usize> = (t.cols.len().saturating_sub(1)..t.cols.len())
                    .filter(|&i| {
                        let c = &t.cols[i];
                        c.fk.is_none()
                            && !t.idx.iter().any(|x| x.cols.contains(&c.name))
                            && t.cons.is_empty()
                    })
                    .collect();
                if free.is_empty() || t.cols.len() < 2 {
                    return self.data_op();
                }
                let i = free[self.rng.below(free.len())];
                let t = &mut self.tables[k];
                let c = t.cols.remove(i);
                let up = format!("    op.drop_column(\"{}\", \"{}\")\n", t.name, c.name);
                let down = format!("    op.add_column(\"{}\", {})\n", t.name, col_py(&c));
                (up, down)
            }
            4 => {
                let k = self.rng.below(self.tables.len());
                let t = &self.tables[k];
                let c = t.cols[self.rng.below(t.cols.len())].name.clone();
                let name = format!("ix_{}_{}_{}", t.name, c, self.counter);
                self.counter += 1;
                let i = Idx {
                    name,
                    cols: vec![c],
                    unique: false,
                };
                let table = t.name.clone();
                let up = create_index_py(&table, &i);
                let down = format!(
                    "    op.drop_index(op.f(\"{}\"), table_name=\"{table}\")\n",
                    i.name
                );
                self.tables[k].idx.push(i);
                (up, down)
            }
            5 => {
                let k = self.rng.below(self.tables.len());
                if self.tables[k].idx.is_empty() {
                    return self.data_op();
                }
                let t = &mut self.tables[k];
                let i = t.idx.remove(0);
                let up = format!(
                    "    op.drop_index(\"{}\", table_name=\"{}\")\n",
                    i.name, t.name
                );
                let down = create_index_py(&t.name, &i);
                (up, down)
            }
            6 => {
                let k = self.rng.below(self.tables.len());
                let old = self.tables[k].name.clone();
                let new = self.fresh("r_");
                for t in self.tables.iter_mut() {
                    for c in t.cols.iter_mut() {
                        if c.fk.as_deref() == Some(old.as_str()) {
                            c.fk = Some(new.clone());
                        }
                    }
                    for f in t.fk_to.iter_mut() {
                        if *f == old {
                            *f = new.clone();
                        }
                    }
                }
                self.tables[k].name = new.clone();
                (
                    format!("    op.rename_table(\"{old}\", \"{new}\")\n"),
                    format!("    op.rename_table(\"{new}\", \"{old}\")\n"),
                )
            }
            7 => {
                let k = self.rng.below(self.tables.len());
                let name = self.tables[k].name.clone();
                if self.referenced(&name) || !self.tables[k].cons.is_empty() {
                    return self.data_op();
                }
                let t = self.tables.remove(k);
                (drop_table_py(&t), create_table_py(&t))
            }
            8 => {
                // DDL through SQL: an index the simulation must follow from the SQL text
                let k = self.rng.below(self.tables.len());
                let t = &self.tables[k];
                let c = t.cols[self.rng.below(t.cols.len())].name.clone();
                let name = format!("ix_sql_{}_{}", t.name, self.counter);
                self.counter += 1;
                let table = t.name.clone();
                self.tables[k].idx.push(Idx {
                    name: name.clone(),
                    cols: vec![c.clone()],
                    unique: false,
                });
                (
                    format!("    op.execute(\"CREATE INDEX {name} ON {table} ({c})\")\n"),
                    format!("    op.execute(\"DROP INDEX {name}\")\n"),
                )
            }
            9 => {
                // PostgreSQL: nullability and type changes
                let k = self.rng.below(self.tables.len());
                let t = &mut self.tables[k];
                let i = self.rng.below(t.cols.len());
                let has_rows = t.has_rows;
                let c = &mut t.cols[i];
                if c.fk.is_some() || (c.nullable && has_rows) {
                    return self.data_op();
                }
                let was = c.nullable;
                c.nullable = !was;
                // now and then the type changes in the same call (PostgreSQL emits the TYPE
                // first, the corpus found the planner printing it second)
                if c.ty == "sa.String(50)" && self.rng.chance(60) {
                    c.ty = "sa.Text()";
                    let (name, table) = (c.name.clone(), t.name.clone());
                    let (now, before) = if was {
                        ("False", "True")
                    } else {
                        ("True", "False")
                    };
                    return (
                        format!("    op.alter_column(\"{table}\", \"{name}\", existing_type=sa.String(50), type_=sa.Text(), nullable={now})\n"),
                        format!("    op.alter_column(\"{table}\", \"{name}\", existing_type=sa.Text(), type_=sa.String(50), nullable={before})\n"),
                    );
                }
                let (name, ty, table) = (c.name.clone(), c.ty, t.name.clone());
                if !was {
                    (
                        format!("    op.alter_column(\"{table}\", \"{name}\", existing_type={ty}, nullable=True)\n"),
                        format!("    op.alter_column(\"{table}\", \"{name}\", existing_type={ty}, nullable=False)\n"),
                    )
                } else {
                    // making a column NOT NULL on an empty table is always valid
                    (
                        format!("    op.alter_column(\"{table}\", \"{name}\", existing_type={ty}, nullable=False)\n"),
                        format!("    op.alter_column(\"{table}\", \"{name}\", existing_type={ty}, nullable=True)\n"),
                    )
                }
            }
            10 => {
                let k = self.rng.below(self.tables.len());
                let t = &self.tables[k];
                let i = self.rng.below(t.cols.len());
                let c = &t.cols[i];
                if c.fk.is_some() || t.idx.iter().any(|x| x.cols.contains(&c.name)) {
                    return self.data_op();
                }
                let old = c.name.clone();
                let new = self.fresh("c_");
                let t = &mut self.tables[k];
                t.cols[i].name = new.clone();
                let table = t.name.clone();
                (
                    format!(
                        "    op.alter_column(\"{table}\", \"{old}\", new_column_name=\"{new}\")\n"
                    ),
                    format!(
                        "    op.alter_column(\"{table}\", \"{new}\", new_column_name=\"{old}\")\n"
                    ),
                )
            }
            11 => {
                let k = self.rng.below(self.tables.len());
                let t = &self.tables[k];
                // rows may share a value (a default): only on a table without rows
                if t.has_rows {
                    return self.data_op();
                }
                let c = t.cols[self.rng.below(t.cols.len())].name.clone();
                let name = format!("uq_{}_{}", t.name, self.counter);
                self.counter += 1;
                let table = t.name.clone();
                self.tables[k].cons.push((name.clone(), "unique"));
                (
                    format!(
                        "    op.create_unique_constraint(\"{name}\", \"{table}\", [\"{c}\"])\n"
                    ),
                    format!("    op.drop_constraint(\"{name}\", \"{table}\", type_=\"unique\")\n"),
                )
            }
            12 => {
                // a foreign key added later, to a table that exists now
                let k = self.rng.below(self.tables.len());
                let target = self.tables[self.rng.below(self.tables.len())].name.clone();
                let col = self.fresh("ref_");
                let name = format!("fk_{}_{}", self.tables[k].name, self.counter);
                self.counter += 1;
                let table = self.tables[k].name.clone();
                self.tables[k].cols.push(Col {
                    name: col.clone(),
                    ty: "sa.Integer()",
                    nullable: true,
                    fk: None,
                    extra: String::new(),
                });
                self.tables[k].cons.push((name.clone(), "foreignkey"));
                self.tables[k].fk_to.push(target.clone());
                (
                    format!("    op.add_column(\"{table}\", sa.Column(\"{col}\", sa.Integer(), nullable=True))\n    op.create_foreign_key(\"{name}\", \"{table}\", \"{target}\", [\"{col}\"], [\"id\"], ondelete=\"CASCADE\", onupdate=\"CASCADE\", deferrable=True, initially=\"DEFERRED\")\n"),
                    format!("    op.drop_constraint(\"{name}\", \"{table}\", type_=\"foreignkey\")\n    op.drop_column(\"{table}\", \"{col}\")\n"),
                )
            }
            _ => self.batch_op(),
        }
    }

    /// `with op.batch_alter_table(...)`: a few changes to one table in one block (on
    /// SQLite most of them make Alembic move and copy the table), undone by another block.
    fn batch_op(&mut self) -> (String, String) {
        let cands: Vec<usize> = (0..self.tables.len())
            .filter(|&k| self.tables[k].cons.is_empty())
            .collect();
        if cands.is_empty() {
            return self.data_op();
        }
        let k = cands[self.rng.below(cands.len())];
        let before = self.tables[k].clone();
        let sqlite = self.flavor == Flavor::Sqlite;
        let (mut ups, mut downs) = (Vec::new(), Vec::new());
        let mut added: Vec<String> = Vec::new();
        let mut unique: Option<(String, String)> = None;
        for _ in 0..1 + self.rng.below(3) {
            let t = &self.tables[k];
            // a column that was there before the block, with no key or index on it
            let free: Vec<usize> = (0..t.cols.len())
                .filter(|&i| {
                    let c = &t.cols[i];
                    c.fk.is_none()
                        && !added.contains(&c.name)
                        && !t.idx.iter().any(|x| x.cols.contains(&c.name))
                        && unique.as_ref().is_none_or(|(_, u)| *u != c.name)
                })
                .collect();
            let choice = self.rng.below(7);
            if free.is_empty() && choice != 4 && choice != 6 {
                continue;
            }
            let pick = if free.is_empty() {
                0
            } else {
                free[self.rng.below(free.len())]
            };
            let has_rows = t.has_rows;
            match choice {
                0 => {
                    let c = &mut self.tables[k].cols[pick];
                    if c.nullable && has_rows {
                        continue;
                    }
                    c.nullable = !c.nullable;
                    let (n, ty, now) = (c.name.clone(), c.ty, c.nullable);
                    let py = |b: bool| if b { "True" } else { "False" };
                    ups.push(format!(
                        "batch_op.alter_column(\"{n}\", existing_type={ty}, nullable={})",
                        py(now)
                    ));
                    downs.push(format!(
                        "batch_op.alter_column(\"{n}\", existing_type={ty}, nullable={})",
                        py(!now)
                    ));
                }
                1 => {
                    let to_of = |ty: &str| match ty {
                        "sa.String(50)" | "sa.String(length=200)" => Some("sa.Text()"),
                        "sa.Integer()" | "sa.SmallInteger()" if !sqlite => Some("sa.BigInteger()"),
                        // across affinities: the copy goes through CAST
                        "sa.SmallInteger()" | "sa.BigInteger()" | "sa.Integer()" if sqlite => {
                            Some("sa.String(50)")
                        }
                        _ => None,
                    };
                    let t = &self.tables[k];
                    let Some(&i) = free.iter().find(|&&i| {
                        !t.cols[i].extra.contains("server_default") && to_of(t.cols[i].ty).is_some()
                    }) else {
                        continue;
                    };
                    let c = &mut self.tables[k].cols[i];
                    let to = to_of(c.ty).unwrap_or_default();
                    let (n, from) = (c.name.clone(), c.ty);
                    c.ty = to;
                    ups.push(format!(
                        "batch_op.alter_column(\"{n}\", existing_type={from}, type_={to})"
                    ));
                    downs.push(format!(
                        "batch_op.alter_column(\"{n}\", existing_type={to}, type_={from})"
                    ));
                }
                2 => {
                    let new = self.fresh("c_");
                    let c = &mut self.tables[k].cols[pick];
                    let old = std::mem::replace(&mut c.name, new.clone());
                    // Alembic's batch keeps a renamed column under its old key: a later
                    // operation of the block naming it fails (KeyError)
                    added.push(new.clone());
                    ups.push(format!(
                        "batch_op.alter_column(\"{old}\", new_column_name=\"{new}\")"
                    ));
                    downs.push(format!(
                        "batch_op.alter_column(\"{new}\", new_column_name=\"{old}\")"
                    ));
                }
                3 => {
                    // the last column, so that the downgrade's add_column puts it back
                    // where it was
                    let t = &self.tables[k];
                    let c = &t.cols[pick];
                    if t.cols.len() < 2 || pick + 1 != t.cols.len() || (!c.nullable && has_rows) {
                        continue;
                    }
                    let c = self.tables[k].cols.remove(pick);
                    ups.push(format!("batch_op.drop_column(\"{}\")", c.name));
                    downs.push(format!("batch_op.add_column({})", col_py(&c)));
                }
                4 => {
                    let c = Col {
                        nullable: true,
                        ..self.new_col(false)
                    };
                    added.push(c.name.clone());
                    ups.push(format!("batch_op.add_column({})", col_py(&c)));
                    downs.push(format!("batch_op.drop_column(\"{}\")", c.name));
                    self.tables[k].cols.push(c);
                }
                5 => {
                    let c = &self.tables[k].cols[pick];
                    // rows may share a value (a default): only on a table without rows
                    if unique.is_some() || has_rows {
                        continue;
                    }
                    let name = format!("uq_{}_{}", self.tables[k].name, self.counter);
                    self.counter += 1;
                    let col = c.name.clone();
                    ups.push(format!(
                        "batch_op.create_unique_constraint(\"{name}\", [\"{col}\"])"
                    ));
                    downs.push(format!(
                        "batch_op.drop_constraint(\"{name}\", type_=\"unique\")"
                    ));
                    unique = Some((name, col));
                }
                _ => {
                    let t = &self.tables[k];
                    let c = t.cols[self.rng.below(t.cols.len())].name.clone();
                    if added.contains(&c) {
                        continue;
                    }
                    let name = format!("ix_b_{}_{}", t.name, self.counter);
                    self.counter += 1;
                    ups.push(format!(
                        "batch_op.create_index(\"{name}\", [\"{c}\"], unique=False)"
                    ));
                    downs.push(format!("batch_op.drop_index(\"{name}\")"));
                    self.tables[k].idx.push(Idx {
                        name,
                        cols: vec![c],
                        unique: false,
                    });
                }
            }
        }
        if ups.is_empty() {
            return self.data_op();
        }
        if let Some((name, _)) = &unique {
            self.tables[k].cons.push((name.clone(), "unique"));
        }
        downs.reverse();
        let after = self.tables[k].clone();
        let block = |t: &Tbl, uq: Option<&(String, String)>, body: &[String]| {
            let copy = if self.copy_from {
                format!(", copy_from={}", table_py(t, uq))
            } else {
                String::new()
            };
            let mut s = format!(
                "    with op.batch_alter_table(\"{}\"{copy}) as batch_op:\n",
                t.name
            );
            for b in body {
                let _ = writeln!(s, "        {b}");
            }
            s
        };
        (
            block(&before, None, &ups),
            block(&after, unique.as_ref(), &downs),
        )
    }

    /// A data statement: changes rows, never the schema. SQL text, or SQLAlchemy Core's
    /// UPDATE of a `sa.table()` with a value of the column's type (a condition no row
    /// meets, so the real databases run it whatever their rows).
    fn data_op(&mut self) -> (String, String) {
        let t = &self.tables[self.rng.below(self.tables.len())];
        let c = &t.cols[self.rng.below(t.cols.len())];
        if self.rng.chance(50) {
            let value = match c.ty {
                "sa.Integer()" | "sa.BigInteger()" | "sa.SmallInteger()" => "7",
                "sa.String(50)" | "sa.String(length=200)" | "sa.Text()" => "\"it's a \\\\ path\"",
                "sa.Boolean()" => "True",
                _ => "None",
            };
            return (
                format!(
                    "    rows = sa.table(\"{t}\", sa.column(\"{c}\", {ty}))\n    op.execute(\n        rows.update()\n        .where(rows.c.{c} == None)  # noqa: E711\n        .where(rows.c.{c} != None)  # noqa: E711\n        .values({c}={value})\n    )\n",
                    t = t.name,
                    c = c.name,
                    ty = c.ty,
                ),
                format!("    op.execute(\"DELETE FROM {} WHERE 1 = 0\")\n", t.name),
            );
        }
        (
            format!(
                "    op.execute(\"UPDATE {} SET {} = NULL WHERE 1 = 0\")\n",
                t.name, c.name
            ),
            format!("    op.execute(\"DELETE FROM {} WHERE 1 = 0\")\n", t.name),
        )
    }
}

/// A linear project of `n` revisions as `(file name, text)` pairs.
pub fn generate(seed: u64, n: usize, flavor: Flavor) -> Vec<(String, String)> {
    generate_with(seed, n, flavor, true)
}

/// [`generate`], choosing whether batch blocks pass `copy_from=`.
pub fn generate_with(
    seed: u64,
    n: usize,
    flavor: Flavor,
    copy_from: bool,
) -> Vec<(String, String)> {
    files(seed, n, flavor, copy_from, false)
}

/// A project whose files are as rich as real ones (the benchmark's): Alembic's current
/// `script.py.mako` (typed identifiers, `Revises:` and `Create Date:` in the docstring, the
/// autogenerate comments) and 2 to 6 operations a revision, about 2.5 KB a file as the
/// real-world corpus's revision files average.
pub fn generate_rich(seed: u64, n: usize, flavor: Flavor) -> Vec<(String, String)> {
    files(seed, n, flavor, true, true)
}

fn files(
    seed: u64,
    n: usize,
    flavor: Flavor,
    copy_from: bool,
    rich: bool,
) -> Vec<(String, String)> {
    let mut g = Gen {
        rng: Rng::new(seed),
        flavor,
        copy_from,
        tables: Vec::new(),
        counter: 0,
        made: 0,
    };
    let mut files = Vec::new();
    let mut prev: Option<String> = None;
    for i in 0..n {
        let id = format!("{:012x}", g.rng.next() & 0xffff_ffff_ffff);
        let k = if rich {
            2 + g.rng.below(5)
        } else {
            1 + g.rng.below(3)
        };
        let mut up = String::new();
        let mut downs = Vec::new();
        for _ in 0..k {
            let (u, d) = g.op();
            up.push_str(&u);
            downs.push(d);
        }
        downs.reverse();
        let down = downs.concat();
        let quoted = prev
            .as_ref()
            .map(|p| format!("\"{p}\""))
            .unwrap_or_else(|| "None".into());
        let text = if rich {
            const START: &str =
                "    # ### commands auto generated by Alembic - please adjust! ###\n";
            const END: &str = "    # ### end Alembic commands ###\n";
            let (day, second) = (1 + i % 28, i % 86_400);
            format!(
                "\"\"\"schema change {i}: the tables and indexes the feature needs\n\nRevision ID: {id}\nRevises: {}\nCreate Date: 2024-{:02}-{day:02} {:02}:{:02}:{:02}.{:06}\n\n\"\"\"\nfrom typing import Sequence, Union\n\nfrom alembic import op\nimport sqlalchemy as sa\n\n\n# revision identifiers, used by Alembic.\nrevision: str = \"{id}\"\ndown_revision: Union[str, None] = {quoted}\nbranch_labels: Union[str, Sequence[str], None] = None\ndepends_on: Union[str, Sequence[str], None] = None\n\n\ndef upgrade() -> None:\n    \"\"\"Applies schema change {i}.\"\"\"\n{START}{up}{END}\n\ndef downgrade() -> None:\n    \"\"\"Reverts schema change {i}.\"\"\"\n{START}{down}{END}",
                prev.as_deref().unwrap_or(""),
                1 + i % 12,
                second / 3600,
                second / 60 % 60,
                second % 60,
                i * 7919 % 1_000_000,
            )
        } else {
            format!(
                "\"\"\"schema change {i}\n\nRevision ID: {id}\n\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = \"{id}\"\ndown_revision = {quoted}\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n{up}\n\ndef downgrade():\n{down}"
            )
        };
        files.push((format!("{id}_schema_change_{i}.py"), text));
        prev = Some(id);
    }
    files
}
