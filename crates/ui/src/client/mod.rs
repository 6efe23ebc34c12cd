//! The page's side of the compute worker: starts it, queues runs (one at a
//! time), stops them, and reads progress from the worker's control block.
//!
//! Stop first asks nicely (a flag in the worker's shared memory, seen by every
//! pool thread at its next checkpoint, plus a message that terminates isolated
//! workers). If the run has not ended within the grace period, the compute
//! worker and everything under it is terminated and a fresh one started.
mod status;
mod worker;

pub use status::{Progress, Starting, Status};
use worker::send;

use engine::config::RunPlan;
use engine::error::RunError;
use engine::protocol::ToCompute;
use engine::record::{Env, RunRecord};
use futures_channel::oneshot;
use gloo::timers::callback::Timeout;
use js_sys::{Atomics, Int32Array};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker};

/// How long a stopped run may take to wind down before its worker is killed.
const STOP_GRACE_MS: u32 = 400;

/// Marks on the page's timeline when a run goes to the compute worker and
/// when it ends: `www/main.js` keeps the offline copy of the site only while
/// no run goes on (that work would take a core from the run's threads).
const RUN_SENT: &str = "playground-run-sent";
const RUN_ENDED: &str = "playground-run-ended";

fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

type Reply = oneshot::Sender<Result<RunRecord, RunError>>;
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
    /// The compute worker `www/main.js` started before this module ran,
    /// until the first start takes it over.
    early: Option<worker::EarlyWorker>,
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
    /// ready; or takes over the one `boot` resolves to (`{worker, said}`,
    /// started by `www/main.js`).
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
            early: None,
        };
        let client = Client { inner: Rc::new(RefCell::new(inner)) };
        match boot {
            Some(boot) => {
                let this = client.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    // `www/main.js` may have started the compute worker already.
                    let started = wasm_bindgen_futures::JsFuture::from(boot).await.ok();
                    this.inner.borrow_mut().early = started.as_ref().and_then(worker::EarlyWorker::from_js);
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
    pub async fn run(&self, plan: RunPlan) -> Result<RunRecord, RunError> {
        let stops = self.stops();
        let (env, _) = self.ready().await.map_err(RunError::StartUp)?;
        if self.stops() != stops {
            return Err(RunError::StoppedBeforeStart);
        }
        if let Some(refusal) = env.shared_memory_refusal().filter(|_| plan.needs_shared_memory()) {
            return Err(refusal);
        }
        let (tx, rx) = oneshot::channel();
        {
            let mut inner = self.inner.borrow_mut();
            let id = inner.next_id;
            inner.next_id += 1;
            inner.queue.push_back((id, plan, tx));
        }
        self.pump();
        rx.await.unwrap_or_else(|_| Err(RunError::broken("the run was dropped")))
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
        mark(RUN_SENT);
    }

    fn finish(&self, id: u32, outcome: Result<RunRecord, RunError>) {
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
            mark(RUN_ENDED);
            let _ = reply.send(outcome);
        }
        self.pump();
    }

    fn fail_all(&self, error: RunError) {
        let (current, queue) = {
            let mut inner = self.inner.borrow_mut();
            (inner.current.take(), std::mem::take(&mut inner.queue))
        };
        if let Some((_, reply)) = current {
            mark(RUN_ENDED);
            let _ = reply.send(Err(error.clone()));
        }
        for (_, _, reply) in queue {
            let _ = reply.send(Err(error.clone()));
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
                let _ = reply.send(Err(RunError::StoppedBeforeStart));
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
        self.fail_all(RunError::Terminated);
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
