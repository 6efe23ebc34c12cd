//! The compute worker: the one place runs start from. The page posts a plan;
//! this worker executes it in the chosen model and posts back a run record.
use crate::clock::now_ms;
use crate::executor::{gil_for, Batch, Executor};
use crate::role::Role;
use crate::{control, env, pipeline, processes, quadrants, sample, wordcount};
use engine::config::RunPlan;
use engine::pool::{TaskFailure, TaskRun};
use engine::protocol::{FromCompute, ToCompute};
use engine::record::{RunRecord, TaskSpan};
use engine::scenarios::{self, assemble, task_inputs, Outcome};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

pub fn post(msg: &FromCompute, memory: Option<&JsValue>) {
    let envelope = js_sys::Object::new();
    let json = serde_json::to_string(msg).expect("messages serialise");
    let _ = js_sys::Reflect::set(&envelope, &"json".into(), &json.into());
    if let Some(memory) = memory {
        let _ = js_sys::Reflect::set(&envelope, &"memory".into(), memory);
    }
    let _ = scope().post_message(&envelope);
}

/// Start-up: start rayon's pool (one thread per core, for work split inside
/// one task) where the page is isolated, then listen. Called by
/// `www/compute-worker.js`.
///
/// On a page that is not cross-origin isolated this same module still runs:
/// the browser creates its shared memory, and blocking waits work inside
/// workers; only handing that memory to another worker is refused. So the
/// worker answers every run that needs no second worker on its memory
/// (serial, process pools, async) and refuses the rest with the reason
/// (`RunPlan::needs_shared_memory`); the page gets no control block then.
#[wasm_bindgen]
pub async fn compute_worker_main() {
    crate::role::enter(Role::Compute);
    let env = env::detect();
    let cores = env.cores.max(1);
    if env.isolated {
        if let Err(e) = JsFuture::from(wasm_bindgen_rayon::init_thread_pool(cores as usize)).await {
            post(&FromCompute::Broken { message: format!("the thread pool did not start: {e:?}") }, None);
            return;
        }
        // Ready thread workers, one per core, off every run's clock.
        crate::thread_pool::warm_reserve(cores as usize);
    }
    let isolated = env.isolated;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let Some(text) = e.data().as_string() else { return };
        match serde_json::from_str::<ToCompute>(&text) {
            Ok(ToCompute::Run { id, plan }) if !isolated && plan.needs_shared_memory() => {
                post(&FromCompute::Failed { id, message: engine::catalog::NOT_ISOLATED.into() }, None)
            }
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
        threads: if isolated { crate::MAX_THREADS } else { 0 },
        control_stop_run: layout.stop_run,
        control_run: layout.run,
        control_done: layout.done,
        control_total: layout.total,
    };
    // The memory can be handed to the page only where it may be shared.
    post(&ready, isolated.then(|| memory.buffer()).as_ref());
}

async fn answer(id: u32, plan: RunPlan) {
    let outcome = match plan.scenario.as_str() {
        "quadrants" => quadrants::run(id, &plan).await,
        "pipeline" => pipeline::run(id, &plan).await,
        "wordcount" => wordcount::run(id, &plan).await,
        "sample" => sample::run(id, &plan).await,
        _ => execute(id, &plan).await,
    };
    control::end();
    match outcome {
        Ok(record) => post(&FromCompute::Result { id, record: Box::new(record) }, None),
        Err(message) => post(&FromCompute::Failed { id, message }, None),
    }
}

pub const STOPPED: &str = "Stopped before all tasks finished.";

/// Run `plan`: start its pool (fresh per repeat, or once when reused), map the
/// tasks, and describe what happened.
pub async fn execute(id: u32, plan: &RunPlan) -> Result<RunRecord, String> {
    let shape = scenarios::shape(plan);
    let tasks = task_inputs(plan);
    control::begin(id, tasks.len() as u32 * shape.repeats);
    if shape.uses_parent_state {
        scenarios::reset_parent_state();
    }
    let gil = gil_for(plan);
    let workers = scenarios::pool_size(plan, tasks.len());
    // `batches` starts a fresh set of threads for each slice of the tasks and
    // joins them before the next; every other model maps all tasks at once.
    let groups: Vec<Vec<engine::scenarios::TaskInput>> =
        if plan.model == "batches" { tasks.chunks(workers.max(1)).map(<[_]>::to_vec).collect() } else { vec![tasks.clone()] };
    let start = now_ms();
    let mut pool: Option<Executor> = None;
    let mut spans: Vec<TaskSpan> = Vec::new();
    let mut outcome = Outcome::default();
    let mut last_runs: Vec<TaskRun> = Vec::new();
    let mut stopped = false;
    'repeats: for repeat in 0..shape.repeats {
        let t0 = now_ms();
        let prefix = if shape.repeats > 1 { format!("repeat {}: ", repeat + 1) } else { String::new() };
        last_runs.clear();
        for group in &groups {
            if pool.is_none() {
                let size = if plan.model == "batches" { group.len() } else { workers };
                let started_at = now_ms();
                match Executor::start(&plan.model, size).await {
                    Ok((p, started)) => {
                        outcome.pool_start_ms += started.iter().map(|s| s.end_ms).fold(started_at, f64::max) - started_at;
                        spans.extend(started);
                        pool = Some(p);
                    }
                    Err(m) if m == STOPPED => {
                        stopped = true;
                        break 'repeats;
                    }
                    Err(m) => return Err(m),
                }
            }
            let batch = Batch::new(group.clone(), group.len().min(workers).max(1), gil.clone(), id);
            let result = pool.as_mut().expect("started above").run(batch).await?;
            if !shape.reuse_pool || plan.model == "batches" {
                pool = None; // this pool ends here: its workers are let go
            }
            spans.extend(result.spawns);
            spans.extend(result.runs.iter().map(|r| TaskSpan { label: format!("{prefix}{}", r.span.label), ..r.span.clone() }));
            stopped |= result.stopped || control::stop_requested(id) || result.runs.len() < group.len();
            last_runs.extend(result.runs);
            if stopped {
                break 'repeats;
            }
        }
        outcome.per_repeat_ms.push(now_ms() - t0);
    }
    drop(pool);
    let end = now_ms();
    if shape.uses_parent_state {
        outcome.parent = Some(scenarios::parent_state());
    }
    let mut record = record(plan, start, end, spans, last_runs, outcome, stopped);
    record.workers = workers as u32;
    Ok(record)
}

/// The first failure among the runs, as the run's error (like `map`
/// re-raising the first exception), or `None`.
fn first_failure(runs: &[TaskRun]) -> Option<String> {
    runs.iter().find_map(|r| match &r.output {
        Err(TaskFailure::Failed(m)) => Some(format!("task {} ({}) failed: {m}", r.span.id.unwrap_or(0), r.span.label)),
        _ => None,
    })
}

fn record(
    plan: &RunPlan,
    start: f64,
    end: f64,
    spans: Vec<TaskSpan>,
    last_runs: Vec<TaskRun>,
    mut outcome: Outcome,
    stopped: bool,
) -> RunRecord {
    let error = first_failure(&last_runs).or_else(|| stopped.then(|| STOPPED.to_string()));
    // Busy time does not depend on where the clock starts.
    let cpu_ms = spans.iter().map(TaskSpan::busy_ms).fold(0.0, |a, b| a + b);
    let result = if error.is_none() {
        let mut by_end: Vec<&TaskRun> = last_runs.iter().collect();
        by_end.sort_by(|a, b| a.span.end_ms.total_cmp(&b.span.end_ms));
        outcome.finish_order = by_end.iter().filter_map(|r| r.span.id).collect();
        outcome.outputs = last_runs.into_iter().filter_map(|r| r.output.ok()).collect();
        outcome.cpu_ms = cpu_ms;
        assemble(plan, outcome)
    } else {
        serde_json::Value::Null
    };
    runner_record(plan, (start, end), spans, Vec::new(), result, error)
}

/// The record of a run from its spans (clock times, rebased here to
/// `start`), lane names if any, result and error.
pub fn runner_record(
    plan: &RunPlan,
    (start, end): (f64, f64),
    spans: Vec<TaskSpan>,
    lanes: Vec<String>,
    result: serde_json::Value,
    error: Option<String>,
) -> RunRecord {
    let tasks: Vec<TaskSpan> = spans.into_iter().map(|s| s.rebased(start)).collect();
    let cpu_ms = tasks.iter().map(TaskSpan::busy_ms).fold(0.0, |a, b| a + b);
    RunRecord {
        scenario: plan.scenario.clone(),
        model: plan.model.clone(),
        workers: plan.workers,
        gil: plan.gil_text().into(),
        params: plan.params_json(),
        env: env::detect(),
        wall_ms: end - start,
        cpu_ms,
        tasks,
        lanes,
        result: if error.is_none() { result } else { serde_json::Value::Null },
        error,
    }
}
