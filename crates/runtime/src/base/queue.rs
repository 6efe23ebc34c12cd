//! The stage queue (`engine::pipeline::queue`) in the browser: threads block
//! on it; the compute worker, which must never block, waits for its version
//! word with `Atomics.waitAsync` (or, where that is missing, a short timer).
use engine::pipeline::queue::{Msg, SharedQueue};
use js_sys::{Atomics, Int32Array, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

fn memory_words() -> Int32Array {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    Int32Array::new(&memory.buffer())
}

fn word_index<T>(q: &SharedQueue<T>) -> u32 {
    q.version_word() as usize as u32 / 4
}

/// Put a message and wake an asynchronous taker, if one waits.
pub fn put<T>(q: &SharedQueue<T>, msg: Msg<T>) {
    q.put(msg);
    let _ = Atomics::notify(&memory_words(), word_index(q));
}

/// The oldest message (`Ok(Some)`), or `Ok(None)` when `stop()` says so, or
/// the queue's version to wait on (`Err`): read before looking, so a put in
/// between changes it and the wait returns at once.
fn taken_or_stopped<T>(q: &SharedQueue<T>, stop: &dyn Fn() -> bool) -> Result<Option<Msg<T>>, i32> {
    let seen = q.version();
    if let Some(msg) = q.try_take() {
        return Ok(Some(msg));
    }
    if stop() {
        return Ok(None);
    }
    Err(seen)
}

/// Take the oldest message, blocking this thread (a worker) while there is
/// none; looks at `stop()` at least every 50 ms.
pub fn take_blocking<T>(q: &SharedQueue<T>, stop: &dyn Fn() -> bool) -> Option<Msg<T>> {
    loop {
        let seen = match taken_or_stopped(q, stop) {
            Ok(done) => return done,
            Err(seen) => seen,
        };
        // A put changes the word and notifies its waiters (`put`), so this
        // wakes at once; "not-equal" returns at once if it already changed.
        let _ = Atomics::wait_with_timeout(&memory_words(), word_index(q), seen, 50.0);
    }
}

/// Take the oldest message without blocking this thread: await a put when
/// the queue is empty. Gives up with `None` when `stop()` says so.
pub async fn take_async<T>(q: &SharedQueue<T>, stop: &dyn Fn() -> bool) -> Option<Msg<T>> {
    loop {
        let seen = match taken_or_stopped(q, stop) {
            Ok(done) => return done,
            Err(seen) => seen,
        };
        match Atomics::wait_async_with_timeout(&memory_words(), word_index(q), seen, 50.0) {
            Ok(waiting) => {
                let is_async = Reflect::get(&waiting, &"async".into()).map(|v| v.is_truthy()).unwrap_or(false);
                if is_async {
                    if let Ok(promise) = Reflect::get(&waiting, &"value".into()) {
                        let _ = JsFuture::from(js_sys::Promise::from(promise)).await;
                    }
                }
            }
            // No Atomics.waitAsync in this browser: look again shortly.
            Err(_) => gloo_timers::future::TimeoutFuture::new(1).await,
        }
    }
}
