use std::collections::HashMap;
use std::rc::Rc;

use alembic_planner::views::HistoryRow;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HistoryProps {
    pub rows: Rc<Vec<HistoryRow>>,
    pub selected: Option<usize>,
    /// Revision index → step number in the current plan.
    pub plan_steps: Rc<HashMap<usize, usize>>,
    pub on_select: Callback<usize>,
}

#[function_component(History)]
pub fn history(props: &HistoryProps) -> Html {
    html! {
        <section class="history" aria-label="History">
            <h2>{ "History" }<span class="hint">{ " newest first, in Alembic's order" }</span></h2>
            <ol class="revisions">
                { for props.rows.iter().map(|row| {
                    let i = row.index;
                    let onclick = props.on_select.reform(move |_: MouseEvent| i);
                    let class = classes!("revision", (props.selected == Some(i)).then_some("selected"));
                    html! {
                        <li {class} data-rev={row.id.clone()}>
                            <button type="button" {onclick} title={row.alembic_line.clone()}>
                                <code class="rev-id">{ &row.id }</code>
                                { for row.labels.iter().map(|l| html!{ <span class="badge label">{ l }</span> }) }
                                if row.is_head { <span class="badge head">{ "head" }</span> }
                                if row.is_effective_head { <span class="badge head">{ "effective head" }</span> }
                                if row.is_branch_point { <span class="badge branch">{ "branchpoint" }</span> }
                                if row.is_merge_point { <span class="badge merge">{ "mergepoint" }</span> }
                                if row.is_base { <span class="badge base">{ "base" }</span> }
                                if let Some(n) = props.plan_steps.get(&i) { <span class="badge step">{ format!("plan step {n}") }</span> }
                                if row.problems > 0 { <span class="badge problem">{ format!("{} problem(s)", row.problems) }</span> }
                                <span class="rev-message">{ &row.message }</span>
                            </button>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
