//! The panic hook: wasm builds abort on panic, so before the instance goes
//! the hook reports the task and message to whoever waits for it (thread →
//! its pool, isolated worker → compute worker, compute worker → page).
use crate::base::clock::now_ms;
use crate::base::control;
use crate::base::port::post_to_parent;
use crate::base::role::{self, Role};
use engine::protocol::{FromCompute, FromProcess, FromThread};

/// Take on `role` for this thread and make panics report themselves.
pub fn enter(role: Role) {
    role::set(role);
    std::panic::set_hook(Box::new(|info| {
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into());
        let task = engine::pool::current_task();
        match role::current() {
            Some(Role::Thread) => post_to_parent(&FromThread::Panic { task, message: payload, at_ms: now_ms() }, None),
            // The task index inside an isolated worker is local; the pool knows which task it sent.
            Some(Role::Process) => post_to_parent(&FromProcess::Panicked { message: payload }, None),
            Some(Role::Compute) => {
                let id = control::current_run();
                let message = match task {
                    Some(t) => format!("task {t} panicked: {payload}"),
                    None => format!("the compute worker panicked: {payload}"),
                };
                post_to_parent(&FromCompute::Crashed { id, message }, None);
            }
            None => {}
        }
    }));
}
