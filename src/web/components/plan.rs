use std::rc::Rc;

use alembic_planner::base::Dialect;
use alembic_planner::present::views::{PlanRequest, PlanSuggestions, PlanView};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::options::{Options, Pick};
use super::sql::SqlBlock;

fn upgrade_targets(s: &PlanSuggestions) -> &[String] {
    &s.upgrade
}
fn downgrade_targets(s: &PlanSuggestions) -> &[String] {
    &s.downgrade
}
fn currents(s: &PlanSuggestions) -> &[String] {
    &s.current
}

#[derive(Properties, PartialEq)]
pub struct PlanFormProps {
    pub request: PlanRequest,
    pub suggestions: Rc<PlanSuggestions>,
    /// Why the dialect is what it is, when it was detected from the project.
    #[prop_or_default]
    pub dialect_note: Option<AttrValue>,
    pub on_change: Callback<PlanRequest>,
}

/// The plan's inputs in Alembic's own syntax; the Plan and SQL views share them.
#[function_component(PlanForm)]
pub fn plan_form(props: &PlanFormProps) -> Html {
    let req = props.request.clone();
    let change = |f: fn(&mut PlanRequest, String)| {
        let req = req.clone();
        let cb = props.on_change.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<HtmlInputElement>()
                .map(|i| {
                    if i.type_() == "checkbox" {
                        i.checked().to_string()
                    } else {
                        i.value()
                    }
                })
                .or_else(|| e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value()))
                .unwrap_or_default();
            let mut r = req.clone();
            f(&mut r, value);
            cb.emit(r);
        })
    };
    html! {
        <>
            <form class="plan-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <label>{ "Direction " }
                    <select id="plan-direction" onchange={change(|r, v| r.upgrade = v == "upgrade")}>
                        <option value="upgrade" selected={req.upgrade}>{ "upgrade" }</option>
                        <option value="downgrade" selected={!req.upgrade}>{ "downgrade" }</option>
                    </select>
                </label>
                <label>{ "Target " }
                    <input id="plan-target" list="plan-targets" value={req.target.clone()} placeholder="heads, ae10:+2, label@head…"
                        onchange={change(|r, v| r.target = v)} />
                </label>
                <label>{ "Database is at " }
                    <input id="plan-current" list="plan-currents" value={req.current.clone()} placeholder="base (empty), or revisions"
                        onchange={change(|r, v| r.current = v)} />
                </label>
                <label>{ "Dialect " }
                    <select id="plan-dialect" onchange={change(|r, v| r.dialect = Dialect::from_name(&v).unwrap_or(Dialect::Postgresql))}>
                        { for Dialect::ALL.iter().map(|d| html! {
                            <option value={d.name()} selected={req.dialect == *d}>{ d.label() }</option>
                        }) }
                    </select>
                </label>
                <label><input id="plan-tpm" type="checkbox" checked={req.transaction_per_migration}
                    onchange={change(|r, v| r.transaction_per_migration = v == "true")} />{ " transaction per migration" }</label>
                // each field offers only what works there: a downgrade's targets are not an
                // upgrade's, and a database is at revisions, never at a symbol
                <Options<PlanSuggestions> id="plan-targets" source={Rc::clone(&props.suggestions)}
                    pick={if req.upgrade { upgrade_targets as Pick<PlanSuggestions> } else { downgrade_targets }} />
                <Options<PlanSuggestions> id="plan-currents" source={Rc::clone(&props.suggestions)} pick={currents as Pick<PlanSuggestions>} />
            </form>
            if let Some(note) = &props.dialect_note {
                <p class="hint" id="dialect-note">{ format!("Dialect: {note}.") }</p>
            }
            <p class="hint">{ "Type what you would type after " }<code>{ "alembic upgrade" }</code>{ " or " }<code>{ "alembic downgrade" }</code>{ ": a revision, a unique prefix, heads, base, label@head, +2, rev-1, or a range A:B." }</p>
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct PlanProps {
    pub request: PlanRequest,
    pub view: Rc<PlanView>,
    pub suggestions: Rc<PlanSuggestions>,
    /// Why the dialect is what it is, when it was detected from the project.
    #[prop_or_default]
    pub dialect_note: Option<AttrValue>,
    pub on_change: Callback<PlanRequest>,
    pub on_select: Callback<usize>,
    /// Where the view was computed: `Some(true)` by the analysis worker, `None` not yet
    /// (the worker is computing it).
    #[prop_or(Some(false))]
    pub in_worker: Option<bool>,
}

/// The `data-computed-in` of a plan view (the tests and the benchmark read it), and the
/// line said while the analysis worker computes it.
fn computed_in(in_worker: Option<bool>) -> (&'static str, Html) {
    match in_worker {
        None => (
            "pending",
            html! { <p class="hint plan-pending" aria-busy="true" role="status">{ "Computing the plan in the background…" }</p> },
        ),
        Some(true) => ("worker", html! {}),
        Some(false) => ("page", html! {}),
    }
}

/// The Plan view: the ordered steps of an upgrade or downgrade.
#[function_component(PlanBuilder)]
pub fn plan_builder(props: &PlanProps) -> Html {
    let v = &props.view;
    let (computed, pending) = computed_in(props.in_worker);
    let form = html! {
        <PlanForm request={props.request.clone()} suggestions={Rc::clone(&props.suggestions)} dialect_note={props.dialect_note.clone()} on_change={props.on_change.clone()} />
    };
    if props.in_worker.is_none() {
        return html! {
            <section class="plan" aria-label="Plan builder" data-computed-in={computed}>{ form }{ pending }</section>
        };
    }
    html! {
        <section class="plan" aria-label="Plan builder" data-computed-in={computed}>
            { form }
            if let Some(err) = &v.error {
                <p class="plan-error" role="alert">{ err }</p>
            }
            // a refused request has no steps to show: only Alembic's message
            if !(v.rows.is_empty() && v.error.is_some()) {
                <h2>{ format!("{} step{}", v.rows.len(), if v.rows.len() == 1 { "" } else { "s" }) }
                    <span class="hint">{ format!(" from {} to {}", rows_text(&v.start), rows_text(&v.end)) }</span></h2>
            }
            if v.rows.is_empty() && v.error.is_none() {
                <p class="empty-state">{ "Nothing to run: the database would already be at the target." }</p>
            }
            <ol class="plan-steps">
                { for v.rows.iter().map(|row| {
                    let i = row.index;
                    html! {
                        <li data-rev={row.id.clone()}>
                            <button type="button" class="link" onclick={props.on_select.reform(move |_: MouseEvent| i)}><code>{ &row.short_log }</code></button>
                            <span class="rev-message">{ &row.message }</span>
                            <span class="ops">{ row.version_ops.join("; ") }</span>
                            if !row.destroys.is_empty() {
                                <div class="destroys" aria-label="What this step destroys">
                                    { for row.destroys.iter().map(|l| html! {
                                        <span>{ format!("destroys {} (line {})", l.what, l.line) }</span>
                                    }) }
                                </div>
                            }
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct SqlViewProps {
    pub request: PlanRequest,
    pub view: Rc<PlanView>,
    pub suggestions: Rc<PlanSuggestions>,
    /// Why the dialect is what it is, when it was detected from the project.
    #[prop_or_default]
    pub dialect_note: Option<AttrValue>,
    pub on_change: Callback<PlanRequest>,
    /// The application type mapping's text, and its change.
    pub type_map: AttrValue,
    pub on_type_map: Callback<String>,
    /// As [`PlanProps::in_worker`].
    #[prop_or(Some(false))]
    pub in_worker: Option<bool>,
}

/// The SQL view: what `alembic upgrade A:B --sql` prints for the plan's range.
#[function_component(SqlView)]
pub fn sql_view(props: &SqlViewProps) -> Html {
    let v = &props.view;
    let req = &props.request;
    let (computed, pending) = computed_in(props.in_worker);
    html! {
        <section class="sql-view" aria-label="Offline SQL" data-computed-in={computed}>
            <PlanForm request={req.clone()} suggestions={Rc::clone(&props.suggestions)} dialect_note={props.dialect_note.clone()} on_change={props.on_change.clone()} />
            { pending }
            if let Some(err) = &v.error {
                <p class="plan-error" role="alert">{ err }</p>
            }
            // no script (a refused request, or no range offline mode takes): no empty SQL box
            if let Some(sql) = &v.sql {
                <h2>{ "Offline SQL " }<span class="hint">{ "(what the command below prints)" }</span></h2>
                if let Some(cmd) = &v.sql_command { <p class="hint"><code>{ cmd }</code></p> }
                <SqlBlock sql={AttrValue::from(sql.clone())} dialect={req.dialect}
                    filename={AttrValue::from(format!("{}.sql", if req.upgrade { "upgrade" } else { "downgrade" }))}
                    label="Offline SQL" />
            } else if v.error.is_none() && !v.rows.is_empty() {
                <p class="empty-state">{ "Offline mode needs one starting revision: give the database's current revision, or a FROM:TO range." }</p>
            }
            <details class="type-map" open={!props.type_map.is_empty()}>
                <summary>{ "Application types" }</summary>
                <p class="hint">{ "Columns whose type comes from the application cannot be rendered. Map each to SQL, one per line: " }<code>{ "Slug=VARCHAR(64)" }</code>{ " or " }<code>{ "myapp.types.Slug=VARCHAR(64)" }</code>{ "." }</p>
                <textarea id="type-map" aria-label="Application type mapping" rows="3" value={props.type_map.clone()}
                    onchange={props.on_type_map.reform(|e: Event| e.target_dyn_into::<web_sys::HtmlTextAreaElement>().map(|t| t.value()).unwrap_or_default())} />
            </details>
        </section>
    }
}

fn rows_text(rows: &[String]) -> String {
    if rows.is_empty() {
        "<base>".into()
    } else {
        rows.join(", ")
    }
}
