//! The Diagnostics view: problems grouped by code, each group with its count, the most
//! severe first, so a healthy project does not look alarming and 60,000 problems (a ring
//! of 20,000 revisions) render as a few lines until a group is opened. An open group shows
//! its first entries and more on request.

use std::collections::BTreeMap;
use std::rc::Rc;

use alembic_planner::base::{Diagnostic, Severity};
use alembic_planner::Project;
use yew::prelude::*;

/// Entries a group shows at first, and each time more are asked for.
const PAGE: usize = 200;

#[derive(Properties)]
pub struct DiagnosticsProps {
    pub project: Rc<Project>,
    /// The project's diagnostics and the schema simulation's.
    pub diagnostics: Rc<Vec<Diagnostic>>,
    /// (revision, line) to open.
    pub on_open: Callback<(usize, u32)>,
}

impl PartialEq for DiagnosticsProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.project, &other.project)
            && Rc::ptr_eq(&self.diagnostics, &other.diagnostics)
    }
}

#[function_component(Diagnostics)]
pub fn diagnostics(props: &DiagnosticsProps) -> Html {
    // code → (most severe, entries), the most severe groups first, then by code
    let groups = use_memo(Rc::clone(&props.diagnostics), |all| {
        let mut by_code: BTreeMap<&'static str, (Severity, Vec<usize>)> = BTreeMap::new();
        for (k, d) in all.iter().enumerate() {
            let g = by_code.entry(d.code).or_insert((d.severity, Vec::new()));
            g.0 = g.0.min(d.severity);
            g.1.push(k);
        }
        let mut v: Vec<(&'static str, Severity, Vec<usize>)> =
            by_code.into_iter().map(|(c, (s, e))| (c, s, e)).collect();
        v.sort_by_key(|(c, s, _)| (*s, *c));
        v
    });
    let total = props.diagnostics.len();
    html! {
        <section class="diagnostics" aria-label="Diagnostics">
            <h2>{ format!("Diagnostics ({total})") }</h2>
            if total == 0 {
                <p class="none">{ "No problems found." }</p>
            } else {
                { for groups.iter().map(|(code, severity, entries)| html! {
                    <DiagnosticGroup key={*code} code={*code} severity={*severity} entries={Rc::new(entries.clone())}
                        project={Rc::clone(&props.project)} diagnostics={Rc::clone(&props.diagnostics)}
                        on_open={props.on_open.clone()} open={groups.len() == 1 || entries.len() <= 20} />
                }) }
            }
        </section>
    }
}

#[derive(Properties)]
struct GroupProps {
    code: &'static str,
    severity: Severity,
    /// Indexes into `diagnostics`.
    entries: Rc<Vec<usize>>,
    project: Rc<Project>,
    diagnostics: Rc<Vec<Diagnostic>>,
    on_open: Callback<(usize, u32)>,
    /// Open at first.
    open: bool,
}

impl PartialEq for GroupProps {
    fn eq(&self, o: &Self) -> bool {
        self.code == o.code
            && self.entries == o.entries
            && self.open == o.open
            && Rc::ptr_eq(&self.project, &o.project)
            && Rc::ptr_eq(&self.diagnostics, &o.diagnostics)
    }
}

/// One code's diagnostics: a summary line with the count; its entries, a page at a time,
/// drawn only while it is open.
#[function_component(DiagnosticGroup)]
fn diagnostic_group(props: &GroupProps) -> Html {
    let open = use_state(|| props.open);
    let shown = use_state(|| PAGE);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let d: web_sys::HtmlDetailsElement = e.target_unchecked_into();
            open.set(d.open());
        })
    };
    let n = props.entries.len();
    let p = &props.project;
    html! {
        <details class={classes!("diag-group", props.severity.as_str())} open={*open} {ontoggle} data-code={props.code}>
            <summary>
                <span class="sev">{ props.severity.as_str() }</span>
                <code class="code">{ props.code }</code>
                <span class="count">{ format!(" {n}") }</span>
            </summary>
            if *open {
                <ul>
                    { for props.entries.iter().take(*shown).map(|&k| {
                        let d = &props.diagnostics[k];
                        let target = p.revision_of_path(&d.path);
                        let loc = if d.line > 0 { format!("{}:{}", d.path, d.line) } else { d.path.clone() };
                        html! {
                            <li class={classes!("diag", d.severity.as_str())}>
                                <span class="sev">{ d.severity.as_str() }</span>
                                if let Some(j) = target {
                                    <button type="button" class="link" onclick={{ let line = d.line; props.on_open.reform(move |_: MouseEvent| (j, line)) }}>{ loc }</button>
                                } else {
                                    <span class="loc">{ loc }</span>
                                }
                                <code class="code">{ format!("[{}]", d.code) }</code>
                                <span class="msg">{ &d.message }</span>
                            </li>
                        }
                    }) }
                </ul>
                if n > *shown {
                    <button type="button" class="more" onclick={{ let shown = shown.clone(); Callback::from(move |_| shown.set(*shown + PAGE)) }}>
                        { format!("Show {} more of {}", PAGE.min(n - *shown), n - *shown) }
                    </button>
                }
            }
        </details>
    }
}
