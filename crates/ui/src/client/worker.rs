//! Starting the compute worker (with its watchdog) and reading what it says.
use super::status::readable;
use super::{Client, Control, Starting, Status};
use engine::error::RunError;
use engine::protocol::{frame, FromCompute, ToCompute};
use gloo::timers::callback::Timeout;
use js_sys::Int32Array;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

/// How long the compute worker may take to say it is ready (it loads the
/// module, starts one thread per core and the fork server's workers, and
/// warms up) before the page starts a fresh one; a second silent start gives
/// up and says which worker went silent, instead of waiting for ever.
const START_WATCHDOG_MS: u32 = 30_000;

/// The compute worker `www/main.js` started before the page's module ran
/// (its module compiling meanwhile), and the events it has had so far.
pub(super) struct EarlyWorker {
    worker: Worker,
    said: js_sys::Array,
}

impl EarlyWorker {
    /// From what `window.playgroundCompute` resolved to: `{worker, said}`.
    pub(super) fn from_js(value: &JsValue) -> Option<EarlyWorker> {
        let field = |name: &str| js_sys::Reflect::get(value, &name.into()).ok();
        Some(EarlyWorker { worker: field("worker")?.dyn_into().ok()?, said: field("said")?.dyn_into().ok()? })
    }
}

impl Client {
    pub(super) fn spawn_worker(&self) {
        let early = {
            let mut inner = self.inner.borrow_mut();
            inner.starts += 1;
            inner.early.take()
        };
        let (worker, said) = match early {
            Some(EarlyWorker { worker, said }) => (worker, Some(said)),
            None => match self.new_worker() {
                Ok(worker) => (worker, None),
                Err(e) => return self.set_status(Status::Broken(readable(&format!("could not start the compute worker: {e:?}")))),
            },
        };
        let this = self.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| this.on_message(e.data()));
        let this = self.clone();
        let on_error = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| this.on_load_failed(&e));
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let mut inner = self.inner.borrow_mut();
        inner.worker = Some(worker);
        inner._on_message = Some(on_message);
        inner._on_error = Some(on_error);
        inner.control = None;
        let this = self.clone();
        inner.watchdog = Some(Timeout::new(START_WATCHDOG_MS, move || {
            if !matches!(this.status(), Status::Starting(_)) {
                return;
            }
            let silent = {
                let mut inner = this.inner.borrow_mut();
                inner.silent_starts += 1;
                inner.silent_starts
            };
            if silent < 2 {
                // Once more, with a fresh worker.
                if let Some(w) = this.inner.borrow_mut().worker.take() {
                    w.terminate();
                }
                return this.spawn_worker();
            }
            let message = format!(
                "the compute worker did not say it was ready, twice within {} s each (it loads the module and \
                 starts its workers); reload the page to try again",
                START_WATCHDOG_MS / 1000
            );
            this.fail_all(RunError::StartUp(message.clone()));
            this.set_status(Status::Broken(message));
        }));
        let prepared = inner.prepared;
        drop(inner);
        self.set_status(Status::Starting(Starting::Loading { loaded: 0.0, total: 0.0 }));
        if let Some(said) = said {
            // What it said before this module ran, in order; then how many
            // workers to hold ready (a worker started by URL reads that there).
            for event in said.iter() {
                match event.dyn_ref::<MessageEvent>() {
                    Some(message) => self.on_message(message.data()),
                    None => self.on_load_failed(&event),
                }
            }
            if let Some(worker) = self.inner.borrow().worker.as_ref() {
                let told = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&told, &"workers".into(), &prepared.into());
                let _ = worker.post_message(&told);
            }
        }
    }

    /// A compute worker of its own URL, told in it how many workers to hold
    /// ready.
    fn new_worker(&self) -> Result<Worker, JsValue> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let url = {
            let inner = self.inner.borrow();
            format!("./compute-worker.js?start={}&workers={}", inner.starts, inner.prepared)
        };
        Worker::new_with_options(&url, &options)
    }

    /// The compute worker's script did not load or run.
    fn on_load_failed(&self, event: &JsValue) {
        let message =
            event.dyn_ref::<web_sys::ErrorEvent>().map(|e| e.message()).unwrap_or_else(|| "the compute worker failed to load".into());
        let message = readable(&message);
        self.fail_all(RunError::StartUp(message.clone()));
        self.set_status(Status::Broken(message));
    }

    fn on_message(&self, data: JsValue) {
        // The bootstrap's plain fact while the module arrives.
        if let Some(loading) = js_sys::Reflect::get(&data, &frame::LOADING.into()).ok().filter(JsValue::is_object) {
            let number = |key: &str| js_sys::Reflect::get(&loading, &key.into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
            if matches!(self.status(), Status::Starting(_)) {
                self.set_status(Status::Starting(Starting::Loading { loaded: number("loaded"), total: number("total") }));
            }
            return;
        }
        let json = js_sys::Reflect::get(&data, &frame::JSON.into()).ok().and_then(|j| j.as_string());
        let msg = match json.map(|j| serde_json::from_str::<FromCompute>(&j)) {
            Some(Ok(msg)) => msg,
            // A reply that cannot be read fails the run it would have
            // answered, rather than leave it waiting for ever.
            Some(Err(e)) => {
                let current = self.inner.borrow().current.as_ref().map(|(id, _)| *id);
                if let Some(id) = current {
                    self.finish(id, Err(RunError::broken(readable(&format!("the compute worker's reply could not be read: {e}")))));
                }
                return;
            }
            None => return,
        };
        match msg {
            FromCompute::Ready { env, threads, control_stop_run, control_run, control_done, control_total } => {
                // No memory comes where the page is not isolated: then Stop
                // goes by message (and the grace period), without progress.
                let memory = js_sys::Reflect::get(&data, &frame::MEMORY.into()).ok().filter(|m| m.is_object());
                self.inner.borrow_mut().control = memory.map(|memory| Control {
                    words: Int32Array::new(&memory),
                    stop_run: control_stop_run,
                    run: control_run,
                    done: control_done,
                    total: control_total,
                });
                {
                    let mut inner = self.inner.borrow_mut();
                    inner.watchdog = None;
                    inner.silent_starts = 0;
                }
                self.set_status(Status::Ready { env, threads });
                // A larger pool asked for while it started.
                let (prepared, worker) = {
                    let inner = self.inner.borrow();
                    (inner.prepared, inner.worker.clone())
                };
                if let Some(w) = worker {
                    send(&w, &ToCompute::Prepare { workers: prepared });
                }
                self.pump();
            }
            FromCompute::Starting { stage } => {
                if matches!(self.status(), Status::Starting(_)) {
                    self.set_status(Status::Starting(Starting::Stage(stage)));
                }
            }
            FromCompute::Result { id, record } => self.finish(id, Ok(*record)),
            FromCompute::Failed { id, error } => self.finish(id, Err(error)),
            FromCompute::Crashed { id, message } => {
                // The worker's instance aborted: report, then start afresh.
                self.finish(id, Err(RunError::Panicked { task: None, message }));
                let queued = std::mem::take(&mut self.inner.borrow_mut().queue);
                self.kill_and_restart();
                self.inner.borrow_mut().queue = queued;
            }
        }
    }
}

/// Post `msg` to the compute worker, framed as every message is
/// (`engine::protocol::frame`).
pub(super) fn send(worker: &Worker, msg: &ToCompute) {
    let envelope = js_sys::Object::new();
    let json = serde_json::to_string(msg).expect("requests serialise");
    let _ = js_sys::Reflect::set(&envelope, &frame::JSON.into(), &json.into());
    let _ = worker.post_message(&envelope);
}
