//! The schema as text, and the difference between two schemas.

use super::model::{Index, Schema, SchemaColumn, Table};
use super::type_text;

impl Schema {
    /// Text form, one table after another, sorted.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (name, values) in &self.enums {
            out.push_str(&format!(
                "enum {name} ({})\n",
                values
                    .iter()
                    .map(|v| format!("'{v}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        for t in self.tables.values() {
            out.push_str(&t.to_text());
        }
        out
    }
}

fn named(name: &Option<String>) -> String {
    name.as_ref().map(|n| format!(" {n}")).unwrap_or_default()
}

impl Table {
    pub fn to_text(&self) -> String {
        let mut out = format!("table {}", self.name);
        if let Some(c) = &self.comment {
            out.push_str(&format!(" -- {c}"));
        }
        out.push('\n');
        for c in &self.columns {
            out.push_str(&format!("  {}\n", c.to_text()));
        }
        if let Some(pk) = &self.primary_key {
            out.push_str(&format!(
                "  primary key{} ({})\n",
                named(&pk.name),
                pk.columns.join(", ")
            ));
        }
        for k in &self.uniques {
            out.push_str(&format!(
                "  unique{} ({})\n",
                named(&k.name),
                k.columns.join(", ")
            ));
        }
        for f in &self.foreign_keys {
            out.push_str(&format!(
                "  foreign key{} ({}) -> {} ({}){}\n",
                named(&f.name),
                f.columns.join(", "),
                f.referent,
                f.remote.join(", "),
                f.rules.describe()
            ));
        }
        for k in &self.checks {
            out.push_str(&format!("  check{} ({})\n", named(&k.name), k.condition));
        }
        let mut idx: Vec<&Index> = self.indexes.iter().collect();
        idx.sort_by(|a, b| a.name.cmp(&b.name));
        for i in idx {
            out.push_str(&format!(
                "  {}index {} ({})\n",
                if i.unique { "unique " } else { "" },
                i.name,
                i.columns.join(", ")
            ));
        }
        out
    }
}

impl SchemaColumn {
    pub fn to_text(&self) -> String {
        let mut s = format!("{} {}", self.name, type_text(&self.type_));
        if !self.nullable {
            s.push_str(" not null");
        }
        if let Some(d) = &self.default {
            s.push_str(&format!(" default {d}"));
        }
        if let Some(c) = &self.comment {
            s.push_str(&format!(" -- {c}"));
        }
        s
    }
}

/// What changed between two schemas, as `+`/`-`/`~` lines per table.
pub fn diff(a: &Schema, b: &Schema) -> String {
    let mut out = String::new();
    for (name, values) in &a.enums {
        match b.enums.get(name) {
            None => out.push_str(&format!("- enum {name}\n")),
            Some(v) if v != values => out.push_str(&format!(
                "~ enum {name} ({}) -> ({})\n",
                values.join(", "),
                v.join(", ")
            )),
            _ => {}
        }
    }
    for name in b.enums.keys() {
        if !a.enums.contains_key(name) {
            out.push_str(&format!("+ enum {name}\n"));
        }
    }
    let names: std::collections::BTreeSet<&String> =
        a.tables.keys().chain(b.tables.keys()).collect();
    for name in names {
        match (a.tables.get(name), b.tables.get(name)) {
            (Some(_), None) => out.push_str(&format!("- table {name}\n")),
            (None, Some(t)) => {
                for line in t.to_text().lines() {
                    out.push_str(&format!("+ {line}\n"));
                }
            }
            (Some(x), Some(y)) => {
                let (xt, yt) = (x.to_text(), y.to_text());
                if xt == yt {
                    continue;
                }
                out.push_str(&format!("~ table {name}\n"));
                let xl: Vec<&str> = xt.lines().skip(1).map(str::trim).collect();
                let yl: Vec<&str> = yt.lines().skip(1).map(str::trim).collect();
                for l in &xl {
                    if !yl.contains(l) {
                        out.push_str(&format!("  - {l}\n"));
                    }
                }
                for l in &yl {
                    if !xl.contains(l) {
                        out.push_str(&format!("  + {l}\n"));
                    }
                }
            }
            _ => {}
        }
    }
    out
}
