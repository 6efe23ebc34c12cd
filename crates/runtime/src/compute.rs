//! The compute worker: the one place runs start from. The page posts a plan;
//! this worker executes it in the chosen model and posts back a run record.
use crate::clock::now_ms;
use crate::{control, env, processes, threads};
use engine::config::RunPlan;
use engine::pool::{TaskFailure, TaskRun};
use engine::protocol::{FromCompute, ToCompute};
use engine::record::{RunRecord, TaskSpan};
use engine::scenarios::{assemble, task_inputs};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(msg: &FromCompute, memory: Option<&JsValue>) {
    let envelope = js_sys::Object::new();
    let json = serde_json::to_string(msg).expect("messages serialise");
    let _ = js_sys::Reflect::set(&envelope, &"json".into(), &json.into());
    if let Some(memory) = memory {
        let _ = js_sys::Reflect::set(&envelope, &"memory".into(), memory);
    }
    let _ = scope().post_message(&envelope);
}

/// Start-up: check isolation, start `threads` pool threads, then listen.
/// Called by `www/compute-worker.js`.
#[wasm_bindgen]
pub async fn compute_worker_main(threads: u32) {
    let env = env::detect();
    if !env.isolated {
        let message = "This page is not cross-origin isolated, so threads cannot share memory. \
                       Serve it with the headers Cross-Origin-Opener-Policy: same-origin and \
                       Cross-Origin-Embedder-Policy: require-corp.";
        post(&FromCompute::Broken { message: message.into() }, None);
        return;
    }
    if let Err(e) = JsFuture::from(wasm_bindgen_rayon::init_thread_pool(threads as usize)).await {
        post(&FromCompute::Broken { message: format!("the thread pool did not start: {e:?}") }, None);
        return;
    }
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| {
        let Some(text) = e.data().as_string() else { return };
        match serde_json::from_str::<ToCompute>(&text) {
            Ok(ToCompute::Run { id, plan }) => wasm_bindgen_futures::spawn_local(answer(id, plan)),
            Ok(ToCompute::Stop { id }) => {
                control::request_stop(id);
                processes::stop();
            }
            Err(e) => post(&FromCompute::Failed { id: 0, message: format!("unreadable request: {e}") }, None),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();

    let layout = control::control_layout();
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let ready = FromCompute::Ready {
        env,
        threads,
        control_stop_run: layout.stop_run,
        control_run: layout.run,
        control_done: layout.done,
        control_total: layout.total,
    };
    post(&ready, Some(&memory.buffer()));
}

async fn answer(id: u32, plan: RunPlan) {
    match execute(id, &plan).await {
        Ok(record) => post(&FromCompute::Result { id, record: Box::new(record) }, None),
        Err(message) => post(&FromCompute::Failed { id, message }, None),
    }
}

/// Run `plan` and describe what happened.
pub async fn execute(id: u32, plan: &RunPlan) -> Result<RunRecord, String> {
    let tasks = task_inputs(plan);
    control::begin(id, tasks.len() as u32);
    let start = now_ms();
    let (runs, overhead, mut stopped) = if plan.model == "processes" {
        let outcome = processes::run(plan, &tasks).await;
        control::end();
        let outcome = outcome?;
        (outcome.runs, outcome.overhead, outcome.stopped)
    } else {
        let runs = threads::run(plan, id, &tasks);
        control::end();
        (runs, Vec::new(), false)
    };
    let end = now_ms();
    stopped |= control::stop_requested(id) || runs.len() < tasks.len();
    Ok(record(plan, start, end, runs, overhead, stopped))
}

fn record(plan: &RunPlan, start: f64, end: f64, runs: Vec<TaskRun>, overhead: Vec<TaskSpan>, stopped: bool) -> RunRecord {
    let mut error = stopped.then(|| "Stopped before all tasks finished.".to_string());
    let mut outputs = Vec::new();
    for run in &runs {
        match &run.output {
            Ok(v) => outputs.push(v.clone()),
            Err(TaskFailure::Failed(m)) if error.is_none() => {
                error = Some(format!("task {} ({}) failed: {m}", run.span.id.unwrap_or(0), run.span.label));
            }
            Err(_) => {}
        }
    }
    let result = if error.is_none() { assemble(plan, outputs) } else { serde_json::Value::Null };
    let tasks: Vec<TaskSpan> =
        overhead.into_iter().chain(runs.into_iter().map(|r| r.span)).map(|s| s.rebased(start)).collect();
    RunRecord {
        scenario: plan.scenario.clone(),
        model: plan.model.clone(),
        workers: plan.workers,
        gil: plan.gil_text().into(),
        params: plan.params_json(),
        env: env::detect(),
        wall_ms: end - start,
        cpu_ms: tasks.iter().map(TaskSpan::busy_ms).sum(),
        tasks,
        result,
        error,
    }
}
