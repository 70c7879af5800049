//! A block of SQL: highlighted with sqlparser's tokenizer (through the core), with Copy
//! and Download buttons. A long script (a 5,000-revision upgrade is 3 MB) is drawn a
//! screenful at a time: the browser lays out only the lines in view.

use crate::dom::{copy, download};
use alembic_planner::base::Dialect;
use alembic_planner::sql::{highlight, Highlight};
use yew::prelude::*;

/// From this many lines on, the block shows only the lines in view (and a few around).
const WINDOW_FROM_LINES: usize = 2_000;
/// The height of a line of a windowed block, in CSS pixels: `.sql-window`'s `line-height`
/// in static/style.css.
const LINE_PX: f64 = 18.0;
/// Lines drawn above and below the view, so a scroll shows drawn lines while the next
/// window is made.
const OVERSCAN: usize = 60;

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

/// Where each line of `text` starts (the first at 0).
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .filter(|&i| i < text.len())
        .collect()
}

#[function_component(SqlBlock)]
pub fn sql_block(props: &SqlBlockProps) -> Html {
    let text = props.sql.clone();
    let starts = use_memo(text.clone(), |t| line_starts(t));
    let cut = if text.len() > HIGHLIGHT_LIMIT {
        (0..=HIGHLIGHT_LIMIT)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0)
    } else {
        text.len()
    };
    // (a long block highlights only its window: nothing here)
    let windowed = starts.len() >= WINDOW_FROM_LINES;
    let spans = use_memo(
        (text.clone(), props.dialect, cut, windowed),
        |(t, d, cut, w)| {
            if *w {
                return Vec::new();
            }
            highlight(&t[..*cut], *d)
                .into_iter()
                .map(|(k, s)| (k, s.to_string()))
                .collect::<Vec<_>>()
        },
    );
    let on_copy = {
        let t = text.clone();
        Callback::from(move |_: MouseEvent| copy(&t))
    };
    let on_download = {
        let (t, name) = (text.clone(), props.filename.clone());
        Callback::from(move |_: MouseEvent| download(&t, &name, "application/sql"))
    };
    let actions = html! {
        <div class="sql-actions">
            <button type="button" onclick={on_copy} aria-label={format!("Copy {}", props.label)}>{ "Copy" }</button>
            <button type="button" onclick={on_download} aria-label={format!("Download {} as {}", props.label, props.filename)}>{ "Download .sql" }</button>
        </div>
    };
    if windowed {
        return html! {
            <div class="sql-block">
                { actions }
                <SqlWindow sql={text} starts={starts} dialect={props.dialect} label={props.label.clone()} />
            </div>
        };
    }
    html! {
        <div class="sql-block">
            { actions }
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

#[derive(Properties, PartialEq)]
struct SqlWindowProps {
    sql: AttrValue,
    starts: std::rc::Rc<Vec<usize>>,
    dialect: Dialect,
    label: AttrValue,
}

/// A long block drawn a screenful at a time: a box as tall as every line, the lines in view
/// highlighted inside it at their place.
#[function_component(SqlWindow)]
fn sql_window(props: &SqlWindowProps) -> Html {
    let node = use_node_ref();
    let code = use_node_ref();
    let (scroll, onscroll) = crate::hooks::use_scroll_window(node.clone(), 800.0);
    let total = props.starts.len();
    let (top, height) = *scroll;
    let first = ((top / LINE_PX) as usize)
        .saturating_sub(OVERSCAN)
        .min(total);
    let last = (((top + height) / LINE_PX).ceil() as usize + OVERSCAN).min(total);
    let (from, to) = (
        props.starts[first.min(total - 1)],
        props.starts.get(last).copied().unwrap_or(props.sql.len()),
    );
    let spans = use_memo(
        (props.sql.clone(), props.dialect, from, to),
        |(t, d, from, to)| {
            highlight(&t[*from..*to], *d)
                .into_iter()
                .map(|(k, s)| (k, s.to_string()))
                .collect::<Vec<_>>()
        },
    );
    {
        // the box's height and the drawn lines' place: set through the CSSOM (the page's
        // Content-Security-Policy allows no inline style)
        let code = code.clone();
        use_effect_with((total, first), move |(total, first)| {
            if let Some(el) = code.cast::<web_sys::HtmlElement>() {
                let style = el.style();
                let _ = style.set_property("height", &format!("{}px", *total as f64 * LINE_PX));
                let _ =
                    style.set_property("padding-top", &format!("{}px", *first as f64 * LINE_PX));
            }
        });
    }
    html! {
        <>
            <p class="hint sql-window-hint">{ format!(
                "Lines {}–{} of {}: the pane draws the lines in view; Copy or Download take the whole script.",
                first + 1,
                last,
                total
            ) }</p>
            <pre class="sql sql-window" ref={node} {onscroll} aria-label={props.label.clone()}
                data-lines={total.to_string()} data-bytes={props.sql.len().to_string()}
                data-first={first.to_string()}>
                <code ref={code}>
                    { for spans.iter().map(|(k, s)| match k {
                        Highlight::Plain => html! { { s.clone() } },
                        k => html! { <span class={k.class()}>{ s.clone() }</span> },
                    }) }
                </code>
            </pre>
        </>
    }
}
