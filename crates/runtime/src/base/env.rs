use engine::record::Env;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageChannel, WorkerGlobalScope};

thread_local! {
    /// What the compute worker found out about shared memory at start-up.
    static SHARED_MEMORY: std::cell::Cell<Option<bool>> = const { std::cell::Cell::new(None) };
}

/// Remember what start-up found (the compute worker, once), so that every
/// record made here says it.
pub fn settle_shared_memory(shared: bool) {
    SHARED_MEMORY.with(|s| s.set(Some(shared)));
}

/// What this browser offers, as seen from a worker. `shared_memory` is what
/// the compute worker found out by trying ([`can_hand_memory_on`], then
/// starting its thread pool), once it has; open until then and elsewhere.
pub fn detect() -> Env {
    let global = js_sys::global();
    let scope: WorkerGlobalScope = global.clone().unchecked_into();
    let nav = scope.navigator();
    let isolated = js_sys::Reflect::get(&global, &JsValue::from_str("crossOriginIsolated")).ok().and_then(|v| v.as_bool()).unwrap_or(false);
    Env {
        cores: nav.hardware_concurrency() as u32,
        isolated,
        shared_memory: SHARED_MEMORY.with(|s| s.get()),
        build: "threads".into(),
        user_agent: nav.user_agent().unwrap_or_default(),
        native: None,
    }
}

/// Whether this instance's shared memory can be handed to another context:
/// the one thing threads need. `crossOriginIsolated` alone does not tell
/// (WebKit with default settings is isolated and still refuses), so this
/// posts the memory through a fresh `MessageChannel`, which clones it
/// exactly as a `postMessage` to a worker would, and throws
/// `DataCloneError` synchronously where it may not be shared.
pub fn can_hand_memory_on() -> bool {
    let has_sab =
        js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("SharedArrayBuffer")).map(|v| v.is_function()).unwrap_or(false);
    if !has_sab {
        return false;
    }
    let Ok(channel) = MessageChannel::new() else { return false };
    let handed = channel.port1().post_message(&wasm_bindgen::memory()).is_ok();
    channel.port1().close();
    channel.port2().close();
    handed
}
