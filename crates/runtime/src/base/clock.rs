use engine::clock::Clock;
use wasm_bindgen::JsCast;
use web_sys::{Performance, WorkerGlobalScope};

thread_local! {
    // Each worker has its own `performance`; `timeOrigin + now()` is an
    // absolute time, so spans from different workers line up.
    static PERF: (Performance, f64) = {
        let scope: WorkerGlobalScope = js_sys::global().unchecked_into();
        let perf = scope.performance().expect("workers have performance");
        let origin = perf.time_origin();
        (perf, origin)
    };
}

/// Milliseconds since the epoch, sub-millisecond, on the current worker.
pub fn now_ms() -> f64 {
    PERF.with(|(perf, origin)| origin + perf.now())
}

/// The clock every worker of a run reads.
pub struct BrowserClock;

impl Clock for BrowserClock {
    fn now_ms(&self) -> f64 {
        now_ms()
    }
}
