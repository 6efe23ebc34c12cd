//! The runners layer: how a scenario's plan becomes a run record. The pool
//! runner serves most scenarios; a scenario with a shape of its own names its
//! runner (`engine::scenarios::Runs`, with what that runner needs of it),
//! matched once here. Every runner returns a finished record. Imports `pools`
//! and `base`, never `entry`.
pub mod pipeline;
pub mod pool_run;
pub mod quadrants;
pub mod sample;
pub mod wordcount;

use engine::config::RunPlan;
use engine::error::RunError;
use engine::protocol::ToProcess;
use engine::record::RunRecord;
use engine::scenarios::Runs;

/// Run `plan` (run id `id`) with its scenario's runner.
///
/// # Errors
/// Whatever stopped the run from giving a record (a stop before anything
/// ran, a worker that could not start or broke).
pub async fn run(id: u32, plan: &RunPlan) -> Result<RunRecord, RunError> {
    match plan.scenario.runs() {
        Runs::Pool(scenario) => pool_run::run(id, plan, scenario).await,
        Runs::Quadrants(scenario) => quadrants::run(id, plan, scenario).await,
        Runs::Pipeline(_) => pipeline::run(id, plan).await,
        Runs::Dataflow => wordcount::run(id, plan).await,
        Runs::WholePrograms(scenario) => sample::run(id, plan, scenario).await,
    }
}

/// Inside an isolated worker: the runners' own jobs (anything but a plain
/// task, which the worker runs itself), answered to the compute worker.
pub fn serve_in_process(msg: ToProcess, bytes: Option<js_sys::Uint8Array>) {
    match msg {
        ToProcess::Count { part, threads, sent_ms } => {
            let bytes = bytes.unwrap_or_else(|| js_sys::Uint8Array::new_with_length(0));
            wasm_bindgen_futures::spawn_local(wordcount::count_part(part, threads, sent_ms, bytes));
        }
        ToProcess::Threads { tasks, gil, run } => wasm_bindgen_futures::spawn_local(sample::run_threads(tasks, gil, run)),
        ToProcess::Task { .. } | ToProcess::Stop => {}
    }
}

/// Inside an isolated worker, as it starts: get ready what its first job
/// asks for (`threads` threads of its own, for a dataflow part).
pub fn prepare_in_process(threads: u32) {
    if threads > 0 {
        wordcount::prestart_threads(threads as usize);
    }
}
