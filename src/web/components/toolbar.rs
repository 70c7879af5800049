use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub on_sample: Callback<()>,
    pub on_files: Callback<web_sys::FileList>,
    pub loading: bool,
}

#[function_component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let on_sample = props.on_sample.reform(|_: MouseEvent| ());
    let on_files = {
        let cb = props.on_files.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(files) = input.files() {
                cb.emit(files);
            }
        })
    };
    html! {
        <header class="toolbar">
            <h1>{ "alembic-planner" }</h1>
            <button id="load-sample" type="button" onclick={on_sample}>{ "Load sample" }</button>
            <label class="button" for="dir">{ "Open versions folder…" }</label>
            <input id="dir" type="file" webkitdirectory=true multiple=true class="visually-hidden"
                aria-label="Open versions folder" onchange={on_files} />
            if props.loading { <span class="loading" role="status">{ "Reading files…" }</span> }
        </header>
    }
}
