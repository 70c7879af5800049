//! The built-in guide: what each view shows and the keys the graph answers to.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct GuideProps {
    pub on_close: Callback<()>,
}

#[function_component(Guide)]
pub fn guide(props: &GuideProps) -> Html {
    let close = props.on_close.reform(|_: MouseEvent| ());
    let onkeydown = {
        let cb = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                cb.emit(());
            }
        })
    };
    html! {
        <aside class="guide" role="dialog" aria-modal="false" aria-labelledby="guide-title" {onkeydown}>
            <header><h2 id="guide-title">{ "Guide" }</h2><button type="button" aria-label="Close the guide" onclick={close}>{ "×" }</button></header>
            <ol>
                <li><strong>{ "Open" }</strong>{ " a versions folder, the project folder (its alembic.ini says where the versions are), or a .zip — with the buttons or by dropping it on the page. Nothing is uploaded." }</li>
                <li><strong>{ "Graph" }</strong>{ ": newest on top, one lane per line of development. Green: heads; purple: branch points; orange: merge points; dashed: depends_on; red: a down_revision that is not in the folder." }</li>
                <li><strong>{ "History" }</strong>{ ": Alembic's own order and lines. Click a revision for its file, its links and its SQL." }</li>
                <li><strong>{ "Plan" }</strong>{ " and " }<strong>{ "SQL" }</strong>{ ": type a target as you would after alembic upgrade (heads, ae10:+2, label@head, base:heads) and where the database is; see the steps and the --sql script per dialect." }</li>
                <li><strong>{ "Tables" }</strong>{ " and " }<strong>{ "Schema" }</strong>{ ": which migrations touch each table, and the schema at any revision or what changed between two." }</li>
                <li><strong>{ "Diagnostics" }</strong>{ ": every problem with its file and line; click to open it." }</li>
                <li><strong>{ "Share" }</strong>{ ": the address holds the view, revision, range and dialect. Send it to someone who has the same folder." }</li>
            </ol>
            <h3>{ "Graph keys" }</h3>
            <dl class="keys-help">
                <dt><kbd>{ "↑" }</kbd>{ " " }<kbd>{ "↓" }</kbd>{ " / " }<kbd>{ "k" }</kbd>{ " " }<kbd>{ "j" }</kbd></dt><dd>{ "previous / next revision" }</dd>
                <dt><kbd>{ "←" }</kbd>{ " " }<kbd>{ "→" }</kbd>{ " / " }<kbd>{ "h" }</kbd>{ " " }<kbd>{ "l" }</kbd></dt><dd>{ "its parent / its child" }</dd>
                <dt><kbd>{ "/" }</kbd></dt><dd>{ "find by id prefix, message, label or table" }</dd>
                <dt><kbd>{ "n" }</kbd>{ " " }<kbd>{ "N" }</kbd></dt><dd>{ "next / previous match" }</dd>
                <dt><kbd>{ "+" }</kbd>{ " " }<kbd>{ "-" }</kbd>{ " " }<kbd>{ "0" }</kbd></dt><dd>{ "zoom in, out, reset (or Ctrl + wheel); drag to pan" }</dd>
            </dl>
        </aside>
    }
}
