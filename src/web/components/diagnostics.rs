use std::rc::Rc;

use alembic_planner::base::diag::Diagnostic;
use alembic_planner::Project;
use yew::prelude::*;

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
    let p = &props.project;
    html! {
        <section class="diagnostics" aria-label="Diagnostics">
            <h2>{ format!("Diagnostics ({})", props.diagnostics.len()) }</h2>
            if props.diagnostics.is_empty() {
                <p class="none">{ "No problems found." }</p>
            } else {
                <ul>
                    { for props.diagnostics.iter().map(|d| {
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
            }
        </section>
    }
}
