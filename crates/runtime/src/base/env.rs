use engine::record::Env;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::WorkerGlobalScope;

/// What this browser offers, as seen from a worker.
pub fn detect() -> Env {
    let global = js_sys::global();
    let scope: WorkerGlobalScope = global.clone().unchecked_into();
    let nav = scope.navigator();
    let isolated = js_sys::Reflect::get(&global, &JsValue::from_str("crossOriginIsolated"))
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    Env {
        cores: nav.hardware_concurrency() as u32,
        isolated,
        build: "threads".into(),
        user_agent: nav.user_agent().unwrap_or_default(),
    }
}
