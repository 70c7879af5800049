//! The Review view: the loaded folder as a pull request against a base branch's folder
//! (another folder or .zip, opened here): the verdict, what it adds, edits and deletes,
//! the heads once merged, conflicting changes, the deploy SQL and its rollback, the
//! schema difference, and both fixes, the merge revision as a download. The review is
//! the core's (`review::review`); the clock and the random revision id the merge file
//! needs are read in the `use_review` hook.

use std::rc::Rc;

use alembic_planner::base::Dialect;
use alembic_planner::input::LoadOptions;
use alembic_planner::present::export;
use alembic_planner::present::review::{edited, graph, kind_label, list, verdict, Mark};
use alembic_planner::review::{self, CreateDate, MergeRequest, Review, ReviewOptions};
use yew::prelude::*;

use crate::analysis::{Loaded, Progress};
use crate::loader::{analyse, files_of, read_file_list};

/// `datetime.now()` from the browser's clock, as `alembic merge` writes it.
fn create_date() -> CreateDate {
    let d = js_sys::Date::new_0();
    CreateDate {
        year: d.get_full_year() as i32,
        month: d.get_month() + 1,
        day: d.get_date(),
        hour: d.get_hours(),
        minute: d.get_minutes(),
        second: d.get_seconds(),
        microsecond: d.get_milliseconds() * 1000,
        epoch: (d.get_time() / 1000.0) as i64,
        utc_offset: None,
    }
}

/// `uuid4().hex[-12:]`.
fn rev_id() -> String {
    (0..12)
        .map(|_| {
            let n = (js_sys::Math::random() * 16.0) as u32;
            char::from_digit(n.min(15), 16).unwrap_or('0')
        })
        .collect()
}

/// A review and the graph of the history it was made on.
struct Reviewed {
    review: Review,
    /// The merged history's newest rows down to the fork point, as SVG, the PR's
    /// revisions, the base's since the fork and the fork points marked (none when
    /// neither side changed anything).
    graph_svg: Option<String>,
    /// Older rows both branches share, left out of the drawing.
    graph_hidden: usize,
}

/// The review of `loaded` against `base`, computed once per pair of folders and dialect.
#[hook]
fn use_review(
    loaded: &Rc<Loaded>,
    base: &Option<Rc<Loaded>>,
    dialect: Dialect,
) -> Option<Rc<Reviewed>> {
    let key = (
        Rc::as_ptr(loaded) as usize,
        base.as_ref().map(|b| Rc::as_ptr(b) as usize),
        dialect,
    );
    let (loaded, base) = (Rc::clone(loaded), base.clone());
    let r = use_memo(key, move |_| {
        base.map(|b| {
            // (read now if the loaded folder's operations are still to be read)
            let (review, merged) = review::review_merged(
                &b.project,
                &loaded.with_operations_now(),
                &ReviewOptions {
                    dialect,
                    fork: None,
                    merge: MergeRequest {
                        revisions: vec!["heads".into()],
                        message: None,
                        rev_id: rev_id(),
                        branch_labels: Vec::new(),
                        splice: false,
                        create_date: create_date(),
                        template: None,
                        file_template: None,
                        truncate_slug_length: None,
                    },
                    load: LoadOptions {
                        type_map: loaded.options.type_map.clone(),
                        ..loaded.options.clone()
                    },
                    lint: None,
                },
            );
            let g = graph(&merged, &review);
            Rc::new(Reviewed {
                graph_svg: (g.shown > 0).then(|| {
                    export::svg_marked(&merged, &g.layout, g.shown, false, |row| g.svg_mark(row))
                }),
                graph_hidden: g.layout.nodes.len() - g.shown,
                review,
            })
        })
    });
    (*r).clone()
}

#[derive(Properties)]
pub struct ReviewProps {
    pub loaded: Rc<Loaded>,
    pub base: Option<Rc<Loaded>>,
    pub dialect: Dialect,
    pub on_base: Callback<Rc<Loaded>>,
}

impl PartialEq for ReviewProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.loaded, &o.loaded)
            && match (&self.base, &o.base) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
            && self.dialect == o.dialect
    }
}

fn pre(class: &'static str, text: &str) -> Html {
    html! { <pre class={classes!("code", class)}><code>{ text }</code></pre> }
}

fn section(title: &str, body: Html) -> Html {
    html! { <details class="review-section"><summary>{ title }</summary>{ body }</details> }
}

#[function_component(ReviewPane)]
pub fn review_pane(props: &ReviewProps) -> Html {
    let reading = use_state(|| None::<String>);
    let review = use_review(&props.loaded, &props.base, props.dialect);
    let on_files = {
        let on_base = props.on_base.clone();
        let reading = reading.clone();
        let type_map = props.loaded.type_map.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let Some(list) = input.files() else { return };
            let files = files_of(&list);
            let (on_base, reading, type_map) = (on_base.clone(), reading.clone(), type_map.clone());
            reading.set(Some("Reading the base branch…".into()));
            wasm_bindgen_futures::spawn_local(async move {
                let progress: Callback<Progress> = Callback::noop();
                let given = read_file_list(files, &progress).await;
                // a side load: never cancelled, never handed to the analysis worker
                let loaded = analyse(None, given, type_map, progress).await;
                reading.set(None);
                if let Some(loaded) = loaded {
                    on_base.emit(loaded);
                }
            });
        })
    };
    let pick = html! {
        <div class="review-base">
            <label class="button" for="base-dir">{ if props.base.is_some() { "Another base folder…" } else { "Open the base branch's folder…" } }</label>
            <input id="base-dir" type="file" webkitdirectory=true multiple=true class="visually-hidden"
                aria-label="Open the base branch's versions folder or project folder" onchange={on_files.clone()} />
            <label class="button" for="base-zip">{ "…or its .zip" }</label>
            <input id="base-zip" type="file" accept=".zip,application/zip" class="visually-hidden"
                aria-label="Open a .zip of the base branch" onchange={on_files} />
            if let Some(msg) = &*reading { <span class="muted" role="status">{ msg.clone() }</span> }
        </div>
    };
    let Some(reviewed) = review else {
        return html! {
            <section class="review">
                <h2>{ "Review this folder as a pull request" }</h2>
                <p>{ "Open the base branch's versions folder (or its project folder, or a .zip): the loaded folder is compared with it as the pull request, as " }<code>{ "alembic-planner review --base" }</code>{ " does. Nothing leaves the browser." }</p>
                { pick }
            </section>
        };
    };
    let r = &reviewed.review;
    let base_name = props
        .base
        .as_ref()
        .map(|b| b.name.clone())
        .unwrap_or_default();
    let merge_download = r.fixes.as_ref().and_then(|f| f.merge.clone()).map(|m| {
        let onclick = Callback::from(move |_| crate::dom::download(&m.text, &m.file_name, "text/x-python"));
        html! { <button id="review-merge-download" type="button" onclick={onclick}>{ "Download the merge revision" }</button> }
    });
    html! {
        <section class="review">
            <p id="review-verdict" class={classes!("verdict", if r.blocking { "blocking" } else { "ok" })} role="status">
                { verdict(r) }
            </p>
            <p class="muted">{ format!("{} (the pull request) against {} (the base)", props.loaded.name, base_name) }</p>
            { pick }
            <table class="review-facts">
                <tr><th>{ "added" }</th><td>{ list(&r.added) }</td></tr>
                <tr><th>{ "modified" }</th><td>{ list(&r.modified.iter().map(edited).collect::<Vec<_>>()) }</td></tr>
                <tr><th>{ "removed" }</th><td>{ list(&r.removed) }</td></tr>
                <tr><th>{ "on the base since the fork" }</th><td>{ list(&r.base_since_fork) }</td></tr>
                <tr><th>{ "heads after the merge" }</th><td id="review-heads">{ list(&r.heads_after) }</td></tr>
            </table>
            if let Some(svg) = &reviewed.graph_svg {
                <figure id="review-graph" class="review-graph">
                    <figcaption>
                        { "The history after the merge, newest first:" }
                        { for Mark::ALL.iter().enumerate().map(|(k, m)| html! { <>
                            { if k == 0 { " " } else { "; " } }
                            <span class={classes!("tag", m.class())}>{ m.label() }</span>{ format!(" {}", m.meaning()) }
                        </> }) }
                        if reviewed.graph_hidden > 0 { { format!(" ({} older revisions both share not drawn)", reviewed.graph_hidden) } }
                    </figcaption>
                    { Html::from_html_unchecked(AttrValue::from(svg.clone())) }
                </figure>
            }
            if !r.problems.is_empty() {
                <ul class="review-problems">
                    { for r.problems.iter().map(|p| html! {
                        <li><strong>{ kind_label(p.kind) }</strong>{ " " }
                            if !p.path.is_empty() { <code>{ if p.line > 0 { format!("{}:{}", p.path, p.line) } else { p.path.clone() } }</code>{ " " } }
                            { p.message.clone() }</li>
                    }) }
                </ul>
            }
            if !r.findings.is_empty() {
                <h3>{ "Findings in the PR's revisions" }</h3>
                <ul id="review-findings" class="finding-list">
                    { for r.findings.iter().map(|f| html! {
                        <li class={classes!("diag", f.severity.as_str())} data-rule={f.rule}>
                            <span class="sev">{ f.severity.as_str() }</span>{ " " }
                            <code>{ format!("{}:{}", f.path, f.line) }</code>
                            <code class="code">{ format!("[{}]", f.rule) }</code>
                            <span class="msg">{ f.message.clone() }</span>
                        </li>
                    }) }
                </ul>
            }
            if !r.conflicts.is_empty() {
                <table id="review-conflicts" class="review-conflicts">
                    <thead><tr><th>{ "object" }</th><th>{ "" }</th><th>{ "PR" }</th><th>{ "base" }</th></tr></thead>
                    <tbody>{ for r.conflicts.iter().map(|c| html! {
                        <tr><td><code>{ c.object.clone() }</code></td><td>{ c.summary.clone() }</td>
                            <td><code>{ format!("{}:{}", c.pr.path, c.pr.line) }</code></td>
                            <td><code>{ format!("{}:{}", c.base.path, c.base.line) }</code></td></tr>
                    }) }</tbody>
                </table>
            }
            if let Some(f) = &r.fixes {
                <div class="review-fixes">
                    <h3>{ "Fixes" }</h3>
                    if let Some(m) = &f.merge {
                        <p>{ "A merge revision, safe for databases at either head (the history keeps the fork): " }<code>{ m.file_name.clone() }</code>{ " " }{ for merge_download }</p>
                        { section("The merge revision", pre("python", &m.text)) }
                    }
                    { for f.reparent.iter().map(|rp| section(
                        &format!("Re-parent {} onto {} (a straight history; databases that already ran it must be re-stamped)", rp.revision, rp.to),
                        pre("diff", &rp.diff))) }
                    if let Some(why) = &f.reparent_unavailable { <p class="muted">{ format!("No re-parenting edit: {why}") }</p> }
                </div>
            }
            { for r.modified.iter().map(|m| section(&format!("Changes to {}", edited(m)), pre("diff", &m.diff))) }
            if !r.schema_diff.is_empty() { { section("Schema after the merge", pre("diff", &r.schema_diff)) } }
            { section("Deploy SQL", pre("sql", &r.deploy_sql)) }
            if let Some(back) = &r.rollback_sql { { section("Rollback SQL", pre("sql", back)) } }
        </section>
    }
}
