//! The one-line summary of what was loaded, and the welcome shown before.

use std::rc::Rc;

use alembic_planner::base::Severity;
use yew::prelude::*;

use crate::analysis::Loaded;

#[derive(Properties)]
pub struct SummaryProps {
    pub loaded: Rc<Loaded>,
}

impl PartialEq for SummaryProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.loaded, &other.loaded)
    }
}

/// What was loaded, in one line: revisions, heads, problems.
#[function_component(Summary)]
pub fn summary(props: &SummaryProps) -> Html {
    let l = &props.loaded;
    let map = &l.project.map;
    let errors = l
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    html! {
        <section class="summary" aria-label="Summary" data-analysis-ms={format!("{:.1}", l.analysis_ms)}>
            <strong>{ if l.title.name.is_empty() { "(loose files)" } else { &l.title.name } }</strong>
            { format!(" · {} · {} · {} · {}",
                plural(map.len(), "revision"), plural(map.real_heads.len(), "head"),
                plural(map.real_bases.len(), "base"), plural(l.diagnostics.len(), "problem")) }
            if errors > 0 { <span class="badge problem">{ plural(errors, "error") }</span> }
            <span class="hint">{ format!(" · found by {}", l.how) }
                if let Some(why) = &l.title.why { { format!(" · {why}") } }
                { format!(" · analysed in {:.0} ms", l.analysis_ms) }</span>
        </section>
    }
}

#[function_component(Welcome)]
pub fn welcome() -> Html {
    html! {
        <main class="welcome">
            <h2>{ "Review Alembic migrations without Python or a database" }</h2>
            <p>{ "Open an Alembic project's " }<code>{ "versions/" }</code>{ " folder, the folder holding its " }<code>{ "alembic.ini" }</code>{ ", or a .zip of either, with the buttons above or by dropping it anywhere on this page. Or load the bundled sample." }</p>
            <p>{ "Files are read in this browser tab and never leave your machine: the page makes no network request once loaded." }</p>
            <ul class="features">
                <li><strong>{ "Graph" }</strong>{ " heads, branch and merge points, depends_on, in lanes" }</li>
                <li><strong>{ "History" }</strong>{ " exactly as " }<code>{ "alembic history" }</code>{ " orders it" }</li>
                <li><strong>{ "Plan and SQL" }</strong>{ " any range Alembic accepts, and the " }<code>{ "--sql" }</code>{ " it prints" }</li>
                <li><strong>{ "Tables and Schema" }</strong>{ " what each migration does to each table" }</li>
                <li><strong>{ "Diagnostics" }</strong>{ " broken links, several heads, unsafe operations" }</li>
            </ul>
        </main>
    }
}

/// "1 head", "2 heads".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
