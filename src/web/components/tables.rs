use std::rc::Rc;

use alembic_planner::present::views::tables_view;
use alembic_planner::schema::Simulation;
use alembic_planner::Project;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties)]
pub struct TablesProps {
    pub project: Rc<Project>,
    /// `None` while a large folder's table map is still being simulated.
    pub sim: Option<Rc<Simulation>>,
    pub query: String,
    pub on_query: Callback<String>,
    /// (revision, line) to open.
    pub on_open: Callback<(usize, u32)>,
}

impl PartialEq for TablesProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.project, &other.project)
            && match (&self.sim, &other.sim) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                (a, b) => a.is_none() && b.is_none(),
            }
            && self.query == other.query
    }
}

/// Every table and its timeline: which revision creates, alters, renames and drops it
/// and its columns, indexes and constraints, each linked to the source line.
#[function_component(Tables)]
pub fn tables(props: &TablesProps) -> Html {
    let Some(sim) = &props.sim else {
        return html! {
            <section class="tables-pending" aria-label="Tables" aria-busy="true">
                <p class="hint">{ "Simulating the schema of every revision for the table map…" }</p>
            </section>
        };
    };
    let view = tables_view(&props.project, sim, &props.query);
    let cards = &view.cards;
    let oninput = props
        .on_query
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
    html! {
        <section class="tables" aria-label="Tables">
            <form class="plan-form" role="search" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <label>{ "Find a table, column, index or constraint " }
                    <input id="tables-query" type="search" value={props.query.clone()} {oninput} placeholder="users, email, ix_…" />
                </label>
                <span class="hint">{ format!("{} of {} tables", cards.len(), view.total) }</span>
            </form>
            <div class="table-cards">
                { for cards.iter().map(|card| html! {
                    <details class={classes!("table-card", (!card.exists_at_heads).then_some("gone"))} data-table={card.name.clone()}
                        open={!props.query.trim().is_empty()}>
                        <summary>
                            <code class="table-name">{ &card.name }</code>
                            if !card.exists_at_heads { <span class="badge base">{ "not at heads" }</span> }
                            <span class="hint">{ format!(" {} change{}", card.timeline.len(), if card.timeline.len() == 1 { "" } else { "s" }) }</span>
                        </summary>
                        <ol class="timeline">
                            { for card.timeline.iter().map(|row| {
                                let (rev, line) = (row.rev, row.line);
                                html! {
                                    <li class={classes!("event", row.action.name())}>
                                        <span class={classes!("badge", "action", row.action.name())}>{ row.action.name() }</span>
                                        <button type="button" class="link" title={format!("{}:{}", row.path, row.line)}
                                            onclick={props.on_open.reform(move |_: MouseEvent| (rev, line))}><code>{ &row.rev_id }</code></button>
                                        if !row.object.is_empty() { <span class="object">{ &row.object }</span> }
                                        <span class="event-detail">{ &row.detail }</span>
                                    </li>
                                }
                            }) }
                        </ol>
                    </details>
                }) }
            </div>
        </section>
    }
}
