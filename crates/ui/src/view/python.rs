//! The Python behind this run: one tab per model of the batch, each the
//! standard-library program (`engine::python`) filled in with the run's
//! parameters and worker count, with a Copy button. The same programs run
//! in CPython in the native tests and the benchmark.
use super::chart::run_label;
use super::share::copy;
use engine::config::{validate, RunConfig};
use engine::record::RunRecord;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PythonProps {
    pub records: Vec<RunRecord>,
}

/// The program of one record's run, or why there is none.
pub fn program_of(record: &RunRecord) -> String {
    let config = RunConfig {
        scenario: record.scenario.clone().into(),
        model: record.model.id().into(),
        // A record counts every worker it ran (processes × threads, a thread
        // per task); the plan's own count is at most the maximum.
        workers: record.workers.clamp(1, engine::catalog::MAX_WORKERS).into(),
        gil: record.gil.clone().into(),
        start_method: record.start_method.id().into(),
        params: record.params.clone(),
        ..RunConfig::default()
    };
    match validate(&config) {
        Ok(plan) => engine::python::program(&plan, &crate::link::folder()),
        Err(e) => format!("# {e}"),
    }
}

#[function_component(PythonCode)]
pub fn python_code(props: &PythonProps) -> Html {
    let chosen = use_state(|| 0usize);
    let status = use_state(String::new);
    let records = &props.records;
    if records.is_empty() {
        return html! {};
    }
    let index = (*chosen).min(records.len() - 1);
    let code = program_of(&records[index]);
    let tabs = records.iter().enumerate().map(|(i, r)| {
        let chosen = chosen.clone();
        let selected = i == index;
        html! {
            <button type="button" role="tab" id={format!("python-tab-{i}")} aria-selected={selected.to_string()}
                aria-controls="python-code" tabindex={if selected { "0" } else { "-1" }} data-model={r.model.id()}
                onclick={Callback::from(move |_| chosen.set(i))}>{ run_label(r) }</button>
        }
    });
    // Arrow keys move between tabs, as in any tab list.
    let onkeydown = {
        let (chosen, n) = (chosen.clone(), records.len());
        Callback::from(move |e: KeyboardEvent| {
            let next = match e.key().as_str() {
                "ArrowRight" => (index + 1) % n,
                "ArrowLeft" => (index + n - 1) % n,
                _ => return,
            };
            e.prevent_default();
            chosen.set(next);
            if let Some(tab) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&format!("python-tab-{next}"))) {
                let _ = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(tab).map(|t| t.focus());
            }
        })
    };
    html! {
        <section class="python" aria-labelledby="python-title">
            <h3 id="python-title">{ "The Python behind this run" }</h3>
            <div class="tabs" role="tablist" aria-label="Model" {onkeydown}>{ for tabs }</div>
            <div class="python-actions">
                <button type="button" id="copy-python" onclick={copy(code.clone(), status.clone(), "Code")}>{ "Copy" }</button>
                <span role="status" aria-live="polite">{ (*status).clone() }</span>
            </div>
            <pre id="python-code" role="tabpanel" aria-labelledby={format!("python-tab-{index}")} tabindex="0"><code>{ code }</code></pre>
        </section>
    }
}
