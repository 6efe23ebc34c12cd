//! An isolated worker: its own wasm instance and memory, like a Python
//! process. It runs a plain task itself (one at a time, answering with the
//! output and its phases on the shared clock), takes the poison pill, and
//! hands every other job to the runners; it knows no scenario.
use super::panic::enter;
use crate::base::clock::{now_ms, BrowserClock};
use crate::base::port::{post_to_parent, read, Incoming};
use crate::base::role::Role;
use crate::runners;
use engine::pool::{run_alone, TaskFailure};
use engine::protocol::{FromProcess, TaskReply, ToProcess};
use engine::scenarios::{run_task, TaskInput};
use wasm_bindgen::prelude::*;

/// One message from the pool (`www/process-worker.js` passes each on).
#[wasm_bindgen]
pub fn process_worker_handle(data: JsValue) {
    match read::<ToProcess>(&data) {
        Incoming::Message(ToProcess::Task { task }, _) => run_one(&task),
        Incoming::Message(ToProcess::Stop, _) => {
            // The poison pill: say so, then end this worker.
            post_to_parent(&FromProcess::Stopped { at_ms: now_ms() }, None);
            js_sys::global().unchecked_into::<web_sys::DedicatedWorkerGlobalScope>().close();
        }
        Incoming::Message(job, bytes) => runners::serve_in_process(job, bytes),
        other => post_to_parent(&FromProcess::Failed { message: format!("unreadable request: {other:?}") }, None),
    }
}

fn run_one(task: &TaskInput) {
    // No stop flag here: a stopped pool terminates its workers outright.
    let Some(done) = run_alone(&BrowserClock, &|| false, task.label.clone(), &|cp| run_task(task, cp)) else { return };
    post_to_parent(
        &FromProcess::Done(TaskReply {
            index: task.index,
            phases: done.span.phases,
            start_ms: done.span.start_ms,
            end_ms: done.span.end_ms,
            output: done.output.map_err(TaskFailure::into_text),
        }),
        None,
    );
}

/// Called by `www/process-worker.js` once this instance is initialised
/// (it then passes each message to [`process_worker_handle`]). With
/// `threads` > 0 it also starts that many threads for its first job.
#[wasm_bindgen]
pub fn process_worker_main(threads: u32) {
    enter(Role::Process);
    runners::prepare_in_process(threads);
    post_to_parent(&FromProcess::Ready { at_ms: now_ms() }, None);
}
