//! The Python behind this run: one tab per model of the batch, each with
//! the programs of `engine::python::programs` filled in with the run's
//! parameters and worker count (the standard-library one; beside it a Dask
//! one where a process pool maps the tasks, and a Bytewax one for the word
//! count's dataflow), to copy or download. The same programs run in CPython
//! (on a Dask cluster, on Bytewax) in the native tests.
use super::chart::run_label;
use super::share::copy;
use engine::config::{validate, RunConfig};
use engine::python::{ProgramKind, PythonProgram};
use engine::record::RunRecord;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PythonProps {
    pub records: Vec<RunRecord>,
}

/// The programs of one record's run, or one that says why there are none.
pub fn programs_of(record: &RunRecord) -> Vec<PythonProgram> {
    let config = RunConfig {
        scenario: record.scenario.as_str().into(),
        model: record.model.id().into(),
        // A record counts every worker it ran (processes × threads, a thread
        // per task); the plan's own count is at most the maximum.
        workers: record.workers.clamp(1, engine::catalog::MAX_WORKERS).into(),
        gil: record.gil.is_on().into(),
        start_method: record.start_method.id().into(),
        params: record.params.clone(),
        ..RunConfig::default()
    };
    match validate(&config) {
        Ok(plan) => engine::python::programs(&plan, &crate::link::folder()),
        Err(e) => vec![PythonProgram {
            title: "Standard library".into(),
            kind: ProgramKind::StandardLibrary,
            filename: "program.py".into(),
            code: format!("# {e}"),
        }],
    }
}

/// Which step of the playground's timeline each Bytewax operator is.
const BYTEWAX_STEPS: &str = "Bytewax does the browser's steps as operators: partition = the input's parts (TextSource, \
    one part per worker), local count = count_part, exchange = the routing of each (word, count) pair to the worker \
    that owns the word (over the network between processes or machines), reduce = reduce_final. The comments at the \
    top say how to run it on one machine, as P processes, and on P machines.";

/// The page's timeline in Dask's terms.
const DASK_STEPS: &str = "Dask runs the same tasks on the workers of a cluster, each a process on this machine or \
    another. The timeline in Dask's terms: pool start = the cluster's start (Client() starting a local cluster, or \
    workers joining a scheduler); task = a call submitted to a worker (client.get_executor() submits each one); \
    transfer = the function and its arguments pickled to that worker, and its result back; a worker's lane = what \
    Dask's task stream records for that worker. The comments at the top say how to run it on one machine and on \
    several.";

#[function_component(PythonCode)]
pub fn python_code(props: &PythonProps) -> Html {
    let chosen = use_state(|| 0usize);
    let flavour = use_state(|| 0usize);
    let status = use_state(String::new);
    let records = &props.records;
    if records.is_empty() {
        return html! {};
    }
    let index = (*chosen).min(records.len() - 1);
    let programs = programs_of(&records[index]);
    let shown = (*flavour).min(programs.len().saturating_sub(1));
    let Some(program) = programs.get(shown).cloned() else { return html! {} };
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
            if let Some(tab) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&format!("python-tab-{next}")))
            {
                let _ = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(tab).map(|t| t.focus());
            }
        })
    };
    // With more than one program (the standard library and Dask, or
    // Bytewax for the word count's dataflow), a switch between them. Always in the page, hidden
    // when there is one, so that moving between tabs keeps the same elements
    // (and the focus).
    let options = programs.iter().enumerate().map(|(i, p)| {
        let flavour = flavour.clone();
        html! {
            <button type="button" class="program" aria-pressed={(i == shown).to_string()} data-program={p.title.clone()}
                onclick={Callback::from(move |_| flavour.set(i))}>{ p.title.clone() }</button>
        }
    });
    let download = {
        let (program, status) = (program.clone(), status.clone());
        Callback::from(move |_| {
            crate::export::download(&program.filename, "text/x-python", &program.code);
            status.set(format!("Saved as {}.", program.filename));
        })
    };
    html! {
        <section class="python" aria-labelledby="python-title">
            <h3 id="python-title">{ "The Python behind this run" }</h3>
            <div class="tabs" role="tablist" aria-label="Model" {onkeydown}>{ for tabs }</div>
            <div class="programs" role="group" aria-label="Program" hidden={programs.len() < 2}>{ for options }</div>
            <p class="note" id="bytewax-steps" hidden={program.kind != ProgramKind::Bytewax}>{ BYTEWAX_STEPS }</p>
            <p class="note" id="dask-steps" hidden={program.kind != ProgramKind::Dask}>{ DASK_STEPS }</p>
            <div class="python-actions">
                <button type="button" id="copy-python" onclick={copy(program.code.clone(), status.clone(), "Code")}>{ "Copy" }</button>
                <button type="button" id="download-python" title={program.filename.clone()} onclick={download}>{ "Download .py" }</button>
                <span role="status" aria-live="polite">{ (*status).clone() }</span>
            </div>
            <pre id="python-code" role="tabpanel" aria-labelledby={format!("python-tab-{index}")} tabindex="0" data-filename={program.filename.clone()}><code>{ program.code }</code></pre>
        </section>
    }
}
