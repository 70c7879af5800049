use std::rc::Rc;

use alembic_planner::alembic::offline::revision_sql;
use alembic_planner::base::Dialect;
use alembic_planner::Project;

use super::sql::SqlBlock;
use yew::prelude::*;

#[derive(Properties)]
pub struct DetailProps {
    pub project: Rc<Project>,
    pub selected: Option<usize>,
    /// A line to highlight and scroll to.
    pub line: Option<u32>,
    /// The dialect the revision's SQL is shown in (the plan builder's).
    pub dialect: Dialect,
    pub on_select: Callback<usize>,
}

impl PartialEq for DetailProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.project, &other.project)
            && self.selected == other.selected
            && self.line == other.line
            && self.dialect == other.dialect
    }
}

#[function_component(Detail)]
pub fn detail(props: &DetailProps) -> Html {
    // Side effect: bring the highlighted line into view once it is rendered.
    use_effect_with((props.selected, props.line), |(_, line)| {
        if let Some(line) = line {
            if let Some(el) = crate::dom::element_by_id(&format!("L{line}")) {
                el.scroll_into_view();
            }
        }
    });
    // the revision's SQL is rendered only while its section is open
    let sql_open = use_state(|| false);
    let on_toggle = {
        let sql_open = sql_open.clone();
        Callback::from(move |e: Event| {
            let open = e
                .target()
                .and_then(|t| js_sys::Reflect::get(&t, &"open".into()).ok())
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            sql_open.set(open);
        })
    };
    let Some(i) = props.selected else {
        return html! { <section class="detail empty" aria-label="Revision detail"><p>{ "Select a revision to see its file." }</p></section> };
    };
    let d = alembic_planner::present::views::revision_detail(&props.project, i);
    let links = |items: &[(usize, String)]| -> Html {
        if items.is_empty() {
            return html! { <span class="none">{ "none" }</span> };
        }
        items
            .iter()
            .map(|(j, id)| {
                let j = *j;
                let onclick = props.on_select.reform(move |_: MouseEvent| j);
                html! { <button type="button" class="link" {onclick}><code>{ id }</code></button> }
            })
            .collect()
    };
    html! {
        <section class="detail" aria-label="Revision detail">
            <h2><code>{ &d.row.id }</code></h2>
            <pre class="docstring">{ &d.docstring }</pre>
            <dl>
                <dt>{ "Parents" }</dt><dd>{ if d.row.is_base { html!{ <span>{ "<base>" }</span> } } else { links(&d.parents) } }</dd>
                <dt>{ "Children" }</dt><dd>{ links(&d.children) }</dd>
                if !d.depends_on.is_empty() { <dt>{ "Depends on" }</dt><dd>{ links(&d.depends_on) }</dd> }
                if !d.row.labels.is_empty() { <dt>{ "Branch labels" }</dt><dd>{ d.row.labels.join(", ") }</dd> }
                if !d.row.inherited_labels.is_empty() { <dt>{ "On the branches of" }</dt><dd>{ d.row.inherited_labels.join(", ") }</dd> }
                <dt>{ "Path" }</dt><dd><code>{ &d.row.path }</code></dd>
            </dl>
            <details class="revision-sql" open={*sql_open} ontoggle={on_toggle}>
                <summary>{ format!("SQL ({})", props.dialect.name()) }</summary>
                // a large folder's operations are read after its graph is drawn
                if *sql_open && !props.project.operations_read() {
                    <p class="empty-state" aria-busy="true" role="status">{ "Reading the revisions' operations…" }</p>
                }
                { for [(true, "upgrade"), (false, "downgrade")].into_iter().filter(|_| *sql_open && props.project.operations_read()).map(|(up, what)| {
                    let sql = revision_sql(&props.project, i, up, props.dialect);
                    html! {
                        <>
                            <h3>{ what }</h3>
                            <SqlBlock sql={AttrValue::from(sql)} dialect={props.dialect}
                                filename={AttrValue::from(format!("{}_{what}.sql", d.row.id))}
                                label={AttrValue::from(format!("{what} SQL of {}", d.row.id))} />
                        </>
                    }
                }) }
            </details>
            <ol class="source" aria-label="Source">
                { for d.source.lines().enumerate().map(|(n, line)| {
                    let class = classes!((props.line == Some(n as u32 + 1)).then_some("hl"));
                    html! { <li id={format!("L{}", n + 1)} {class}><span class="ln">{ n + 1 }</span><code>{ line }</code></li> }
                }) }
            </ol>
        </section>
    }
}
