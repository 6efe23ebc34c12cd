//! Which kind of context this thread is, and the panic hook that reports a
//! panicking task to whoever is waiting for it before the instance aborts.
use crate::clock::now_ms;
use engine::protocol::{FromCompute, FromProcess};
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::DedicatedWorkerGlobalScope;

#[derive(Clone, Copy, PartialEq)]
pub enum Role {
    Compute,
    Thread,
    Process,
}

thread_local! {
    static ROLE: Cell<Option<Role>> = const { Cell::new(None) };
}

/// Messages from a thread worker to the compute worker.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ThreadMsg {
    Ready { at_ms: f64 },
    Done,
    Panic { task: Option<u32>, message: String, at_ms: f64 },
    Died { message: String },
}

pub fn post_text(text: &str) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let _ = scope.post_message(&JsValue::from_str(text));
}

pub fn post_json<T: Serialize>(msg: &T) {
    post_text(&serde_json::to_string(msg).expect("messages serialise"));
}

/// Take on `role` for this thread and make panics report themselves.
pub fn enter(role: Role) {
    ROLE.with(|r| r.set(Some(role)));
    crate::io::install();
    std::panic::set_hook(Box::new(|info| {
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into());
        let task = engine::pool::current_task();
        match ROLE.with(|r| r.get()) {
            Some(Role::Thread) => post_json(&ThreadMsg::Panic { task, message: payload, at_ms: now_ms() }),
            // The task index inside an isolated worker is local; the pool knows which task it sent.
            Some(Role::Process) => post_json(&FromProcess::Panicked { index: None, message: payload }),
            Some(Role::Compute) => {
                let id = crate::control::current_run();
                let message = match task {
                    Some(t) => format!("task {t} panicked: {payload}"),
                    None => format!("the compute worker panicked: {payload}"),
                };
                crate::compute::post(&FromCompute::Crashed { id, message }, None);
            }
            None => {}
        }
    }));
}
