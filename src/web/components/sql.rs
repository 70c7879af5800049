//! A block of SQL: highlighted with sqlparser's tokenizer (through the core), with Copy
//! and Download buttons.

use crate::dom::{copy, download};
use alembic_planner::base::Dialect;
use alembic_planner::sql::{highlight, Highlight};
use yew::prelude::*;

/// Beyond this many bytes the rest is shown as plain text: one DOM node per token of a
/// multi-megabyte script would make the page slow for no reader's benefit.
const HIGHLIGHT_LIMIT: usize = 64 * 1024;

#[derive(Properties, PartialEq)]
pub struct SqlBlockProps {
    pub sql: AttrValue,
    pub dialect: Dialect,
    /// The name a download is saved under.
    pub filename: AttrValue,
    pub label: AttrValue,
}

#[function_component(SqlBlock)]
pub fn sql_block(props: &SqlBlockProps) -> Html {
    let text = props.sql.clone();
    let cut = if text.len() > HIGHLIGHT_LIMIT {
        (0..=HIGHLIGHT_LIMIT)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0)
    } else {
        text.len()
    };
    let spans = use_memo((text.clone(), props.dialect, cut), |(t, d, cut)| {
        highlight(&t[..*cut], *d)
            .into_iter()
            .map(|(k, s)| (k, s.to_string()))
            .collect::<Vec<_>>()
    });
    let on_copy = {
        let t = text.clone();
        Callback::from(move |_: MouseEvent| copy(&t))
    };
    let on_download = {
        let (t, name) = (text.clone(), props.filename.clone());
        Callback::from(move |_: MouseEvent| download(&t, &name, "application/sql"))
    };
    html! {
        <div class="sql-block">
            <div class="sql-actions">
                <button type="button" onclick={on_copy} aria-label={format!("Copy {}", props.label)}>{ "Copy" }</button>
                <button type="button" onclick={on_download} aria-label={format!("Download {} as {}", props.label, props.filename)}>{ "Download .sql" }</button>
            </div>
            <pre class="sql" aria-label={props.label.clone()}><code>
                { for spans.iter().map(|(k, s)| match k {
                    Highlight::Plain => html! { { s.clone() } },
                    k => html! { <span class={k.class()}>{ s.clone() }</span> },
                }) }
                { text[cut..].to_string() }
            </code></pre>
        </div>
    }
}
