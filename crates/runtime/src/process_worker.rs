//! An isolated worker: its own wasm instance and memory, like a Python
//! process. It receives one task at a time as a message and answers with the
//! output and what it did (phases on the shared clock).
use crate::clock::{now_ms, BrowserClock};
use crate::role::{post_json, Role};
use engine::pool::{run_inline, run_pool, PoolSetup, TaskFailure};
use engine::protocol::{FromProcess, TaskReply, ToProcess};
use engine::scenarios::run_task;
use kernels::Checkpoint;
use wasm_bindgen::prelude::*;

/// One message from the pool: run the task in it and answer.
#[wasm_bindgen]
pub fn process_worker_handle(data: JsValue) {
    let received_ms = now_ms();
    let Some(text) = data.as_string() else {
        // `{json, bytes}`: a message with a buffer moved alongside.
        let json = js_sys::Reflect::get(&data, &"json".into()).ok().and_then(|j| j.as_string()).unwrap_or_default();
        let bytes: js_sys::Uint8Array = js_sys::Reflect::get(&data, &"bytes".into()).unwrap_or_default().unchecked_into();
        if let Ok(ToProcess::Count { part, threads, sent_ms }) = serde_json::from_str(&json) {
            wasm_bindgen_futures::spawn_local(crate::wordcount::count_part(part, threads, sent_ms, bytes));
        }
        return;
    };
    let task = match serde_json::from_str(&text) {
        Ok(ToProcess::Task { task, .. }) => task,
        Ok(ToProcess::Threads { tasks, gil, run, .. }) => {
            wasm_bindgen_futures::spawn_local(crate::sample::run_threads(tasks, gil, run));
            return;
        }
        Ok(ToProcess::Stop) => {
            // The poison pill: say so, then end this worker.
            post_json(&FromProcess::Stopped { at_ms: now_ms() });
            js_sys::global().unchecked_into::<web_sys::DedicatedWorkerGlobalScope>().close();
            return;
        }
        _ => return,
    };
    // No stop flag here: a stopped pool terminates its workers outright.
    let setup = PoolSetup { workers: 1, gil: None, clock: &BrowserClock, should_stop: &|| false, on_task_done: &|| {} };
    let labels = [task.label.clone()];
    let run = |_: usize, cp: &mut dyn Checkpoint| run_task(&task, cp);
    let Some(done) = run_pool(&setup, &labels, &run, run_inline).pop() else { return };
    let output = done.output.map_err(TaskFailure::into_text);
    post_json(&FromProcess::Done(TaskReply {
        index: task.index,
        received_ms,
        phases: done.span.phases,
        start_ms: done.span.start_ms,
        end_ms: done.span.end_ms,
        output,
    }));
}

/// Called by `www/process-worker.js` once this instance is initialised
/// (it then passes each message to [`process_worker_handle`]). With
/// `threads` > 0 it also starts that many threads for its first job.
#[wasm_bindgen]
pub fn process_worker_main(threads: u32) {
    crate::role::enter(Role::Process);
    if threads > 0 {
        crate::wordcount::prestart_threads(threads as usize);
    }
    post_json(&FromProcess::Ready { at_ms: now_ms() });
}
