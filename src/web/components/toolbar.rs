use yew::prelude::*;

use crate::analysis::Progress;
use crate::state::Theme;

/// What the Export menu can save.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    Markdown,
    Mermaid,
    Svg,
    Sql,
}

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub on_sample: Callback<()>,
    pub on_files: Callback<Vec<web_sys::File>>,
    pub on_export: Callback<Export>,
    pub on_theme: Callback<Theme>,
    pub on_guide: Callback<()>,
    pub progress: Option<Progress>,
    pub loaded: bool,
    pub theme: Theme,
}

#[function_component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let on_sample = props.on_sample.reform(|_: MouseEvent| ());
    let on_files = {
        let cb = props.on_files.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            // taken out of the live list before the input is cleared
            let files = input
                .files()
                .map(|l| crate::loader::files_of(&l))
                .unwrap_or_default();
            if !files.is_empty() {
                cb.emit(files);
            }
            // the same folder can be picked again
            input.set_value("");
        })
    };
    let menu = use_node_ref();
    let export = |what: Export, label: &'static str, id: &'static str| {
        let cb = props.on_export.clone();
        let menu = menu.clone();
        let onclick = Callback::from(move |_| {
            if let Some(d) = menu.cast::<web_sys::Element>() {
                let _ = d.remove_attribute("open");
            }
            cb.emit(what)
        });
        html! { <button type="button" {id} role="menuitem" disabled={!props.loaded} {onclick}>{ label }</button> }
    };
    let on_theme = props.on_theme.reform(|e: Event| {
        Theme::from_name(
            &e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value(),
        )
    });
    html! {
        <header class="toolbar">
            <h1>{ "alembic-planner" }</h1>
            <button id="load-sample" type="button" onclick={on_sample}>{ "Load sample" }</button>
            <label class="button" for="dir">{ "Open folder…" }</label>
            <input id="dir" type="file" webkitdirectory=true multiple=true class="visually-hidden"
                aria-label="Open a versions folder or project folder" onchange={on_files.clone()} />
            <label class="button" for="zip">{ "Open .zip…" }</label>
            <input id="zip" type="file" accept=".zip,application/zip" class="visually-hidden"
                aria-label="Open a .zip of a project or versions folder" onchange={on_files} />
            <details class="menu" ref={menu.clone()}>
                <summary class="button" aria-label="Export">{ "Export" }</summary>
                <div class="menu-items" role="menu">
                    { export(Export::Markdown, "Markdown document (.md)", "export-markdown") }
                    { export(Export::Mermaid, "Mermaid graph (.mmd)", "export-mermaid") }
                    { export(Export::Svg, "Graph as SVG (.svg)", "export-svg") }
                    { export(Export::Sql, "Upgrade SQL, base to heads (.sql)", "export-sql") }
                </div>
            </details>
            if let Some(p) = &props.progress {
                <span class="loading" role="status">
                    { format!("{}… ", p.label) }
                    if p.total > 0 {
                        <progress max={p.total.to_string()} value={p.done.to_string()} aria-label={p.label.clone()} />
                        { format!(" {} / {}", p.done, p.total) }
                    }
                </span>
            }
            <span class="spacer" />
            <label class="theme">{ "Theme " }
                <select id="theme" onchange={on_theme} aria-label="Colour theme">
                    { for Theme::ALL.into_iter().map(|t| html! {
                        <option value={t.name()} selected={props.theme == t}>{ t.label() }</option>
                    }) }
                </select>
            </label>
            <button id="guide-button" type="button" onclick={props.on_guide.reform(|_: MouseEvent| ())}>{ "Guide" }</button>
        </header>
    }
}
