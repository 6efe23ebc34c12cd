//! An isolated worker: its own wasm instance and memory, like a Python
//! process. It receives one task at a time as a message and answers with the
//! output and its timings.
use crate::clock::now_ms;
use engine::pool::TaskFailure;
use engine::protocol::{FromProcess, TaskReply, ToProcess};
use kernels::checkpoint::NoCheckpoint;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn post(scope: &DedicatedWorkerGlobalScope, msg: &FromProcess) {
    let json = serde_json::to_string(msg).expect("messages serialise");
    let _ = scope.post_message(&JsValue::from_str(&json));
}

fn handle(scope: &DedicatedWorkerGlobalScope, data: JsValue) {
    let received_ms = now_ms();
    let Some(text) = data.as_string() else { return };
    let Ok(ToProcess::Task { task, .. }) = serde_json::from_str(&text) else { return };
    let start_ms = now_ms();
    // No stop check here: a stopped pool terminates its workers outright.
    let output = engine::scenarios::run_task(&task, &mut NoCheckpoint).map_err(|e| match e {
        TaskFailure::Stopped => "stopped".to_string(),
        TaskFailure::Failed(m) => m,
    });
    let end_ms = now_ms();
    post(scope, &FromProcess::Done(TaskReply { index: task.index, received_ms, start_ms, end_ms, output }));
}

/// Called by `www/process-worker.js` once this instance is initialised.
#[wasm_bindgen]
pub fn process_worker_main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let handler_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| handle(&handler_scope, e.data()));
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&scope, &FromProcess::Ready { at_ms: now_ms() });
}
