//! The table-to-migration map and the interpretation coverage, from every revision's
//! interpreted operations in upgrade order (oldest first).

use crate::project::Project;
use crate::schema::Simulation;

/// `tables` as text: each table, then what each revision does to it and its parts.
pub fn tables_text(project: &Project, sim: &Simulation) -> String {
    let mut out = String::new();
    for (table, events) in sim.by_table() {
        out.push_str(&format!("{table}\n"));
        for ev in events {
            let what = ev.object_label();
            out.push_str(&format!(
                "  {} {:<6} {}  ({}:{})\n",
                project.map.rev(ev.rev).id,
                ev.action,
                [what.as_str(), ev.detail.as_str()]
                    .iter()
                    .filter(|p| !p.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" "),
                project.map.script_of(ev.rev).path,
                ev.line
            ));
        }
    }
    out
}

/// The "Migration | Tables created | Dependencies" table, as Markdown, in upgrade order.
pub fn revisions_markdown(project: &Project, sim: &Simulation) -> String {
    let mut out = String::from(
        "| Migration | Message | Creates | Changes | Drops | Depends on (FK) | Data |\n|---|---|---|---|---|---|---|\n",
    );
    let cell = |v: &[String]| -> String {
        if v.is_empty() {
            String::new()
        } else {
            v.join(", ")
        }
    };
    for r in &sim.revisions {
        let rev = project.map.rev(r.rev);
        let message = crate::present::export::md_text(&project.map.script_of(r.rev).summary());
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            rev.id,
            message,
            cell(&r.creates),
            cell(&r.changes),
            cell(&r.drops),
            cell(&r.depends_on),
            cell(&r.writes_data)
        ));
    }
    out
}
