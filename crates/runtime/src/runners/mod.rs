//! The runners layer: how a scenario's plan becomes a run record. The pool
//! runner serves most scenarios; a scenario with a shape of its own names its
//! runner (`engine::scenarios::Runner`), matched once here. Imports `pools`
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
use engine::scenarios::{self, Runner};

/// Run `plan` (run id `id`) with its scenario's runner.
///
/// # Errors
/// Whatever stopped the run from giving a record (a stop before anything
/// ran, a worker that could not start or broke).
pub async fn run(id: u32, plan: &RunPlan) -> Result<RunRecord, RunError> {
    match scenarios::of(plan).runner() {
        Runner::Pool => pool_run::run(id, plan).await,
        Runner::Quadrants => quadrants::run(id, plan).await,
        Runner::Pipeline => pipeline::run(id, plan).await,
        Runner::Dataflow => wordcount::run(id, plan).await,
        Runner::WholePrograms => sample::run(id, plan).await,
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
