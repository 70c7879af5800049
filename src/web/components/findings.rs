//! The Findings view: the linter's findings for the plan's dialect, filtered by rule,
//! severity and revision; each finding opens its source line, each rule's documentation
//! is one click away (the rule id), and the counts per rule head the list so a healthy
//! project reads as a few lines.

use std::rc::Rc;

use alembic_planner::base::Severity;
use alembic_planner::lint::Lint;
use alembic_planner::present::lint::{explain, filter};
use alembic_planner::Project;
use yew::prelude::*;

/// Findings shown at first, and each time more are asked for.
const PAGE: usize = 200;

#[derive(Properties)]
pub struct FindingsProps {
    pub project: Rc<Project>,
    pub lint: Rc<Lint>,
    /// (revision, line) to open.
    pub on_open: Callback<(usize, u32)>,
}

impl PartialEq for FindingsProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.project, &o.project) && Rc::ptr_eq(&self.lint, &o.lint)
    }
}

fn value_of(e: &Event) -> String {
    let el: web_sys::HtmlInputElement = e.target_unchecked_into();
    el.value()
}

#[function_component(Findings)]
pub fn findings(props: &FindingsProps) -> Html {
    let rule = use_state(String::new);
    let severity = use_state(String::new);
    let revision = use_state(String::new);
    let doc = use_state(|| None::<&'static str>);
    let shown = use_state(|| PAGE);
    let lint = &props.lint;
    let list = filter(lint, &rule, &severity, &revision);
    let counts = lint.counts();
    let on_rule = {
        let (rule, shown) = (rule.clone(), shown.clone());
        Callback::from(move |e: Event| {
            rule.set(value_of(&e));
            shown.set(PAGE);
        })
    };
    let on_severity = {
        let (severity, shown) = (severity.clone(), shown.clone());
        Callback::from(move |e: Event| {
            severity.set(value_of(&e));
            shown.set(PAGE);
        })
    };
    let on_revision = {
        let (revision, shown) = (revision.clone(), shown.clone());
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
            revision.set(el.value());
            shown.set(PAGE);
        })
    };
    let show_doc = |id: &'static str| {
        let doc = doc.clone();
        Callback::from(move |_: MouseEvent| doc.set(Some(id)))
    };
    let p = &props.project;
    html! {
        <section class="findings" aria-label="Findings">
            <h2>{ format!("Findings ({})", lint.findings.len()) }
                <span class="hint">{ format!(" {} for {}; silence one with # alembic-planner: ignore[rule] on its line", alembic_planner::present::lint::summary(lint), lint.dialect.name()) }</span></h2>
            <div class="findings-filters">
                <label>{ "Rule " }
                    <select id="findings-rule" onchange={on_rule}>
                        <option value="" selected={rule.is_empty()}>{ "all" }</option>
                        { for counts.iter().map(|(id, n)| html! {
                            <option value={*id} selected={rule.as_str() == *id}>{ format!("{id} ({n})") }</option>
                        }) }
                    </select>
                </label>
                <label>{ "Severity " }
                    <select id="findings-severity" onchange={on_severity}>
                        <option value="" selected={severity.is_empty()}>{ "all" }</option>
                        { for [Severity::Error, Severity::Warning, Severity::Info].into_iter().map(|s| html! {
                            <option value={s.as_str()} selected={severity.as_str() == s.as_str()}>{ s.as_str() }</option>
                        }) }
                    </select>
                </label>
                <label>{ "Revision " }
                    <input id="findings-revision" type="search" placeholder="id or prefix" value={(*revision).clone()} oninput={on_revision} />
                </label>
            </div>
            if let Some(id) = *doc {
                <article class="rule-doc" aria-label={format!("Rule {id}")}>
                    <button type="button" class="close" aria-label="Close the rule's documentation" onclick={{ let doc = doc.clone(); Callback::from(move |_| doc.set(None)) }}>{ "×" }</button>
                    <pre>{ explain(id).unwrap_or_default() }</pre>
                </article>
            }
            if lint.findings.is_empty() {
                <p class="none">{ "No findings." }</p>
            } else if list.is_empty() {
                <p class="none">{ "No finding matches these filters." }</p>
            }
            <ul class="finding-list">
                { for list.iter().take(*shown).map(|f| {
                    let target = p.revision_of_path(&f.path);
                    let loc = if f.line > 0 { format!("{}:{}", f.path, f.line) } else { f.path.clone() };
                    html! {
                        <li class={classes!("diag", f.severity.as_str())} data-rule={f.rule}>
                            <span class="sev">{ f.severity.as_str() }</span>
                            if let Some(j) = target {
                                <button type="button" class="link loc" onclick={{ let line = f.line; props.on_open.reform(move |_: MouseEvent| (j, line)) }}>{ loc }</button>
                            } else if !loc.is_empty() {
                                <span class="loc">{ loc }</span>
                            }
                            <button type="button" class="link code" title="The rule's documentation" onclick={show_doc(f.rule)}>{ format!("[{}]", f.rule) }</button>
                            <span class="msg">{ &f.message }</span>
                        </li>
                    }
                }) }
            </ul>
            if list.len() > *shown {
                <button type="button" class="more" onclick={{ let shown = shown.clone(); Callback::from(move |_| shown.set(*shown + PAGE)) }}>
                    { format!("Show {} more of {}", PAGE.min(list.len() - *shown), list.len() - *shown) }
                </button>
            }
        </section>
    }
}
