use std::rc::Rc;

use alembic_planner::present::views::SchemaView;
use alembic_planner::schema::{type_text, Table};
use alembic_planner::Project;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::options::{Options, Pick};

#[derive(Properties)]
pub struct SchemaProps {
    pub project: Rc<Project>,
    pub view: Rc<SchemaView>,
    pub at: String,
    pub since: String,
    pub suggestions: Rc<Vec<String>>,
    /// `(at, since)` changed.
    pub on_change: Callback<(String, String)>,
    pub on_open: Callback<(usize, u32)>,
}

impl PartialEq for SchemaProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.project, &other.project)
            && Rc::ptr_eq(&self.view, &other.view)
            && self.at == other.at
            && self.since == other.since
    }
}

/// Every suggestion.
fn every(v: &Vec<String>) -> &[String] {
    v
}

/// The schema at any revision, simulated from the files, and what changed since another.
#[function_component(SchemaPane)]
pub fn schema_pane(props: &SchemaProps) -> Html {
    let v = &props.view;
    let on_at = {
        let (cb, since) = (props.on_change.clone(), props.since.clone());
        Callback::from(move |e: Event| {
            cb.emit((
                e.target_unchecked_into::<HtmlInputElement>().value(),
                since.clone(),
            ))
        })
    };
    let on_since = {
        let (cb, at) = (props.on_change.clone(), props.at.clone());
        Callback::from(move |e: Event| {
            cb.emit((
                at.clone(),
                e.target_unchecked_into::<HtmlInputElement>().value(),
            ))
        })
    };
    let p = &props.project;
    html! {
        <section class="schema" aria-label="Schema">
            <form class="plan-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <label>{ "Schema at " }
                    <input id="schema-at" list="schema-ids" value={props.at.clone()} placeholder="heads" onchange={on_at} />
                </label>
                <label>{ "compared with " }
                    <input id="schema-since" list="schema-ids" value={props.since.clone()} placeholder="(nothing)" onchange={on_since} />
                </label>
                <Options<Vec<String>> id="schema-ids" source={Rc::clone(&props.suggestions)} pick={every as Pick<Vec<String>>} />
            </form>
            <p class="hint">{ "What " }<code>{ format!("alembic upgrade {}", if props.at.trim().is_empty() { "heads" } else { props.at.trim() }) }</code>{ " builds on an empty database, simulated from the files (PostgreSQL names for unnamed constraints)." }</p>
            if let Some(err) = &v.error {
                <p class="plan-error" role="alert">{ err }</p>
            }
            if !v.unknown.is_empty() {
                <details class="unknown" open=true>
                    <summary>{ format!("{} step(s) whose effect the planner cannot know: the real schema may differ there", v.unknown.len()) }</summary>
                    <ul>{ for v.unknown.iter().map(|(rev, line, reason)| {
                        let (rev, line) = (*rev, *line);
                        html! { <li><button type="button" class="link" onclick={props.on_open.reform(move |_: MouseEvent| (rev, line))}>
                            { format!("{}:{}", p.map.script_of(rev).path, line) }</button>{ " " }{ reason }</li> }
                    }) }</ul>
                </details>
            }
            if let Some(diff) = &v.diff {
                <h2>{ "Difference" }</h2>
                if diff.is_empty() {
                    <p class="none">{ "No difference." }</p>
                } else {
                    <pre class="diff" aria-label="Schema difference">{ for diff.lines().map(|l| {
                        let kind = match l.trim_start().chars().next() { Some('+') => "add", Some('-') => "del", Some('~') => "chg", _ => "" };
                        html! { <span class={classes!("diff-line", kind)}>{ l }{ "\n" }</span> }
                    }) }</pre>
                }
            }
            <h2>{ format!("{} table{}", v.schema.tables.len(), if v.schema.tables.len() == 1 { "" } else { "s" }) }
                if !v.schema.enums.is_empty() { <span class="hint">{ format!(", {} enum type(s)", v.schema.enums.len()) }</span> }</h2>
            if !v.schema.enums.is_empty() {
                <ul class="enums">{ for v.schema.enums.iter().map(|(n, vals)| html! {
                    <li><code>{ n }</code>{ format!(" ({})", vals.join(", ")) }</li>
                }) }</ul>
            }
            <div class="table-cards">{ for v.schema.tables.values().map(|t| table_card(p, t)) }</div>
        </section>
    }
}

fn table_card(p: &Project, t: &Table) -> Html {
    let names = |n: &Option<String>| n.clone().map(|n| format!("{n} ")).unwrap_or_default();
    html! {
        <article class="table-card schema-table" data-table={t.name.clone()}>
            <h3><code>{ &t.name }</code>
                if let Some(c) = &t.comment { <span class="hint">{ format!(" — {c}") }</span> }
                if let Some(r) = t.created_by { <span class="hint">{ format!(" created by {}", p.map.rev(r).id) }</span> }
            </h3>
            <table class="columns">
                <thead><tr><th>{ "column" }</th><th>{ "type" }</th><th>{ "null" }</th><th>{ "default" }</th><th>{ "comment" }</th></tr></thead>
                <tbody>{ for t.columns.iter().map(|c| html! {
                    <tr>
                        <td><code>{ &c.name }</code>
                            if t.primary_key.as_ref().is_some_and(|k| k.columns.contains(&c.name)) { <span class="badge head">{ "PK" }</span> }
                        </td>
                        <td><code>{ type_text(&c.type_) }</code></td>
                        <td>{ if c.nullable { "yes" } else { "no" } }</td>
                        <td><code>{ c.default.clone().unwrap_or_default() }</code></td>
                        <td>{ c.comment.clone().unwrap_or_default() }</td>
                    </tr>
                }) }</tbody>
            </table>
            <ul class="keys">
                if let Some(k) = &t.primary_key { <li>{ format!("primary key {}({})", names(&k.name), k.columns.join(", ")) }</li> }
                { for t.uniques.iter().map(|k| html! { <li>{ format!("unique {}({})", names(&k.name), k.columns.join(", ")) }</li> }) }
                { for t.foreign_keys.iter().map(|f| html! { <li>{ format!("foreign key {}({}) → {} ({}){}", names(&f.name), f.columns.join(", "), f.referent, f.remote.join(", "),
                    f.rules.describe()) }</li> }) }
                { for t.checks.iter().map(|c| html! { <li>{ format!("check {}({})", names(&c.name), c.condition) }</li> }) }
                { for t.indexes.iter().map(|i| html! { <li>{ format!("{}index {} ({})", if i.unique { "unique " } else { "" }, i.name, i.columns.join(", ")) }</li> }) }
            </ul>
        </article>
    }
}
