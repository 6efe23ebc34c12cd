//! The page's side of the compute worker: starts it, queues runs (one at a
//! time), stops them, and reads progress from the worker's control block.
//!
//! Stop first asks nicely (a flag in the worker's shared memory, seen by every
//! pool thread at its next checkpoint, plus a message that terminates isolated
//! workers). If the run has not ended within the grace period, the compute
//! worker and everything under it is terminated and a fresh one started.
use engine::config::RunPlan;
use engine::protocol::{frame, FromCompute, StartStage, ToCompute};
use engine::record::{Env, RunRecord};
use futures_channel::oneshot;
use gloo::timers::callback::Timeout;
use js_sys::{Atomics, Int32Array};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

/// What a run stopped before it started says.
pub const STOPPED_BEFORE_START: &str = "Stopped before it started.";

/// How long a stopped run may take to wind down before its worker is killed.
const STOP_GRACE_MS: u32 = 400;

/// How long the compute worker may take to say it is ready (it loads the
/// module, starts one thread per core and the fork server's workers, and
/// warms up) before the page starts a fresh one; a second silent start gives
/// up and says which worker went silent, instead of waiting for ever.
const START_WATCHDOG_MS: u32 = 30_000;

/// A failure as one readable sentence: the first line of what the browser
/// said (never a stack), at most 300 characters.
fn readable(message: &str) -> String {
    let line = message.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("unknown error");
    let mut text: String = line.chars().take(300).collect();
    if text.len() < line.len() {
        text.push('…');
    }
    text
}

#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Starting(Starting),
    Ready { env: Env, threads: u32 },
    Broken(String),
}

/// How far the compute worker's start has got.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Starting {
    /// Not started yet: the page waits for its service worker (see `www/boot.js`).
    Waiting,
    /// Its module arriving: bytes so far of all.
    Loading {
        loaded: f64,
        total: f64,
    },
    Stage(StartStage),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    pub done: u32,
    pub total: u32,
}

type Reply = oneshot::Sender<Result<RunRecord, String>>;
/// Who hears of every change of status.
type StatusListener = Rc<dyn Fn(&Status)>;
/// Who waits for the compute worker to be ready (or broken).
type ReadyWaiter = oneshot::Sender<Result<(Env, u32), String>>;

struct Control {
    words: Int32Array,
    stop_run: u32,
    done: u32,
    total: u32,
    run: u32,
}

struct Inner {
    worker: Option<Worker>,
    _on_message: Option<Closure<dyn FnMut(MessageEvent)>>,
    _on_error: Option<Closure<dyn FnMut(JsValue)>>,
    /// Armed while the compute worker starts (`START_WATCHDOG_MS`).
    watchdog: Option<Timeout>,
    /// Compute workers started so far: each gets a URL of its own (WebKit
    /// may leave a worker started from the URL of one just terminated
    /// silent), and the watchdog retries once.
    starts: u32,
    /// Starts in a row that have not said they were ready.
    silent_starts: u32,
    status: Status,
    control: Option<Control>,
    current: Option<(u32, Reply)>,
    queue: VecDeque<(u32, RunPlan, Reply)>,
    next_id: u32,
    status_listeners: Vec<StatusListener>,
    ready_waiters: Vec<ReadyWaiter>,
    /// The largest pool the page will ask for (see [`Client::prepare`]).
    prepared: u32,
    /// Stops asked so far: a run that waited for `ready` across a stop is
    /// stopped before it starts.
    stops: u32,
}

#[derive(Clone)]
pub struct Client {
    inner: Rc<RefCell<Inner>>,
}

impl PartialEq for Client {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Client {
    /// Starts the compute worker once `boot` resolves (the service worker in
    /// control, where there is one), asking it to hold pools of `workers`
    /// ready.
    pub fn start(workers: u32, boot: Option<js_sys::Promise>) -> Client {
        let inner = Inner {
            worker: None,
            _on_message: None,
            _on_error: None,
            watchdog: None,
            starts: 0,
            silent_starts: 0,
            status: Status::Starting(Starting::Waiting),
            control: None,
            current: None,
            queue: VecDeque::new(),
            next_id: 1,
            status_listeners: Vec::new(),
            ready_waiters: Vec::new(),
            prepared: workers,
            stops: 0,
        };
        let client = Client { inner: Rc::new(RefCell::new(inner)) };
        match boot {
            Some(boot) => {
                let this = client.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = wasm_bindgen_futures::JsFuture::from(boot).await;
                    this.spawn_worker();
                });
            }
            None => client.spawn_worker(),
        }
        client
    }

    /// The page will ask for pools of `workers`: the compute worker holds
    /// that many threads and isolated instances ready (it grows, never
    /// shrinks, and only between runs).
    pub fn prepare(&self, workers: u32) {
        let mut inner = self.inner.borrow_mut();
        if workers <= inner.prepared {
            return;
        }
        inner.prepared = workers;
        if let (Status::Ready { .. }, Some(w)) = (&inner.status, &inner.worker) {
            send(w, &ToCompute::Prepare { workers });
        }
    }

    fn spawn_worker(&self) {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let url = {
            let mut inner = self.inner.borrow_mut();
            inner.starts += 1;
            format!("./compute-worker.js?start={}&workers={}", inner.starts, inner.prepared)
        };
        let worker = match Worker::new_with_options(&url, &options) {
            Ok(w) => w,
            Err(e) => return self.set_status(Status::Broken(readable(&format!("could not start the compute worker: {e:?}")))),
        };
        let this = self.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| this.on_message(e.data()));
        let this = self.clone();
        let on_error = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let message =
                e.dyn_ref::<web_sys::ErrorEvent>().map(|e| e.message()).unwrap_or_else(|| "the compute worker failed to load".into());
            let message = readable(&message);
            this.fail_all(&message);
            this.set_status(Status::Broken(message));
        });
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
            this.fail_all(&message);
            this.set_status(Status::Broken(message));
        }));
        drop(inner);
        self.set_status(Status::Starting(Starting::Loading { loaded: 0.0, total: 0.0 }));
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
                    self.finish(id, Err(readable(&format!("the compute worker's reply could not be read: {e}"))));
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
            FromCompute::Broken { message } => {
                let message = readable(&message);
                self.fail_all(&message);
                self.set_status(Status::Broken(message));
            }
            FromCompute::Result { id, record } => self.finish(id, Ok(*record)),
            FromCompute::Failed { id, message } => self.finish(id, Err(message)),
            FromCompute::Crashed { id, message } => {
                // The worker's instance aborted: report, then start afresh.
                self.finish(id, Err(message));
                let queued = std::mem::take(&mut self.inner.borrow_mut().queue);
                self.kill_and_restart();
                self.inner.borrow_mut().queue = queued;
            }
        }
    }

    fn set_status(&self, status: Status) {
        let (listeners, waiters) = {
            let mut inner = self.inner.borrow_mut();
            inner.status = status.clone();
            let waiters = match &status {
                Status::Starting(_) => Vec::new(),
                _ => std::mem::take(&mut inner.ready_waiters),
            };
            (inner.status_listeners.clone(), waiters)
        };
        for w in waiters {
            let _ = w.send(match &status {
                Status::Ready { env, threads } => Ok((env.clone(), *threads)),
                Status::Broken(m) => Err(m.clone()),
                Status::Starting(_) => unreachable!("filtered above"),
            });
        }
        for l in listeners {
            l(&status);
        }
    }

    pub fn status(&self) -> Status {
        self.inner.borrow().status.clone()
    }

    pub fn on_status(&self, listener: Rc<dyn Fn(&Status)>) {
        self.inner.borrow_mut().status_listeners.push(listener);
    }

    /// Resolves once the worker is ready (or broken).
    pub async fn ready(&self) -> Result<(Env, u32), String> {
        let rx = {
            let mut inner = self.inner.borrow_mut();
            match &inner.status {
                Status::Ready { env, threads } => return Ok((env.clone(), *threads)),
                Status::Broken(m) => return Err(m.clone()),
                Status::Starting(_) => {
                    let (tx, rx) = oneshot::channel();
                    inner.ready_waiters.push(tx);
                    rx
                }
            }
        };
        rx.await.unwrap_or_else(|_| Err("the compute worker went away".into()))
    }

    /// Queue a run; resolves to its record. A run that needs shared memory
    /// is refused at once where memory cannot be shared.
    pub async fn run(&self, plan: RunPlan) -> Result<RunRecord, String> {
        let stops = self.stops();
        let (env, _) = self.ready().await?;
        if self.stops() != stops {
            return Err(STOPPED_BEFORE_START.into());
        }
        if let Some(refusal) = env.shared_memory_refusal().filter(|_| plan.needs_shared_memory()) {
            return Err(refusal.to_string());
        }
        let (tx, rx) = oneshot::channel();
        {
            let mut inner = self.inner.borrow_mut();
            let id = inner.next_id;
            inner.next_id += 1;
            inner.queue.push_back((id, plan, tx));
        }
        self.pump();
        rx.await.unwrap_or_else(|_| Err("the run was dropped".into()))
    }

    /// Send the next queued run if the worker is free.
    fn pump(&self) {
        let mut inner = self.inner.borrow_mut();
        if inner.current.is_some() || !matches!(inner.status, Status::Ready { .. }) {
            return;
        }
        let Some((id, plan, reply)) = inner.queue.pop_front() else { return };
        if let Some(w) = &inner.worker {
            send(w, &ToCompute::Run { id, plan });
        }
        inner.current = Some((id, reply));
    }

    fn finish(&self, id: u32, outcome: Result<RunRecord, String>) {
        let reply = {
            let mut inner = self.inner.borrow_mut();
            match inner.current.take() {
                Some((cur, reply)) if cur == id => Some(reply),
                other => {
                    inner.current = other;
                    None
                }
            }
        };
        if let Some(reply) = reply {
            let _ = reply.send(outcome);
        }
        self.pump();
    }

    fn fail_all(&self, message: &str) {
        let (current, queue) = {
            let mut inner = self.inner.borrow_mut();
            (inner.current.take(), std::mem::take(&mut inner.queue))
        };
        if let Some((_, reply)) = current {
            let _ = reply.send(Err(message.to_string()));
        }
        for (_, _, reply) in queue {
            let _ = reply.send(Err(message.to_string()));
        }
    }

    /// Stops asked so far (see [`Client::run`]).
    pub fn stops(&self) -> u32 {
        self.inner.borrow().stops
    }

    /// Stop the run in progress and drop the queued ones, and those still
    /// waiting for the compute worker to be ready.
    pub fn stop(&self) {
        let current = {
            let mut inner = self.inner.borrow_mut();
            inner.stops += 1;
            for (_, _, reply) in std::mem::take(&mut inner.queue) {
                let _ = reply.send(Err(STOPPED_BEFORE_START.into()));
            }
            let Some((id, _)) = &inner.current else { return };
            let id = *id;
            if let Some(c) = &inner.control {
                Atomics::store(&c.words, c.stop_run, id as i32).ok();
            }
            if let Some(w) = &inner.worker {
                send(w, &ToCompute::Stop { id });
            }
            id
        };
        let this = self.clone();
        Timeout::new(STOP_GRACE_MS, move || {
            let still_running = matches!(&this.inner.borrow().current, Some((id, _)) if *id == current);
            if still_running {
                this.kill_and_restart();
            }
        })
        .forget();
    }

    fn kill_and_restart(&self) {
        if let Some(w) = self.inner.borrow_mut().worker.take() {
            w.terminate();
        }
        self.fail_all("Stopped: the workers were terminated.");
        self.spawn_worker();
    }

    /// Tasks done and total for the run in progress, read from shared memory.
    pub fn progress(&self) -> Option<Progress> {
        let inner = self.inner.borrow();
        let c = inner.control.as_ref()?;
        let run = Atomics::load(&c.words, c.run).ok()?;
        if run == 0 {
            return None;
        }
        Some(Progress { done: Atomics::load(&c.words, c.done).ok()? as u32, total: Atomics::load(&c.words, c.total).ok()? as u32 })
    }
}

/// Post `msg` to the compute worker, framed as every message is
/// (`engine::protocol::frame`).
fn send(worker: &Worker, msg: &ToCompute) {
    let envelope = js_sys::Object::new();
    let json = serde_json::to_string(msg).expect("requests serialise");
    let _ = js_sys::Reflect::set(&envelope, &frame::JSON.into(), &json.into());
    let _ = worker.post_message(&envelope);
}
