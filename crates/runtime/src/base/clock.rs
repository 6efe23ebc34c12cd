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

/// How long a worker may take to start before its pool gives up on it and
/// says which one went silent (a start that never answers is the worst
/// outcome: the run would neither finish nor fail).
pub const START_WATCHDOG_MS: u32 = 20_000;

/// Resolves once `done()` holds (checked every 5 ms), or after the start
/// watchdog: for background starts that a caller wants finished first.
pub async fn started(done: impl Fn() -> bool) {
    let _ = within(START_WATCHDOG_MS, async {
        while !done() {
            gloo_timers::future::TimeoutFuture::new(5).await;
        }
    })
    .await;
}

/// `future`'s output, or `None` if `ms` pass first.
pub async fn within<T>(ms: u32, future: impl std::future::Future<Output = T>) -> Option<T> {
    use futures_util::future::{select, Either};
    let timer = gloo_timers::future::TimeoutFuture::new(ms);
    match select(Box::pin(future), timer).await {
        Either::Left((out, _)) => Some(out),
        Either::Right(_) => None,
    }
}
