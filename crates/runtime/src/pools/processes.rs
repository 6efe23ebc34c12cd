//! Isolated workers for the `processes` model: each is its own wasm instance
//! with its own memory (`www/process-worker.js`), fed one task at a time in
//! input order (Python's pools with chunksize 1). Start-up is recorded as
//! `spawn`, message passing as `transfer`. A worker whose task panicked is
//! replaced, as a Python pool replaces a dead worker.
//!
//! Life cycle: `start` returns once every worker said `Ready`; while a pool
//! is alive it is the one a Stop reaches ([`stop`]); dropping it terminates
//! every worker, whatever they are doing.
//!
//! Start methods (`StartMethod`): `spawn` starts each worker when the pool
//! asks, on the run's clock. `forkserver` hands out workers from the fork
//! server's reserve ([`fill_fork_server`]): isolated instances started in
//! advance, off every run's clock, each given to exactly one process and
//! terminated with its pool, never reused (fresh memory, nothing shared);
//! what the reserve lacks is started for real, on the clock. Before a run's
//! clock starts, the compute worker fills the reserve to what the run will
//! take in all (`engine::scenarios::processes_asked`, at most
//! `FORK_SERVER_MAX`), and refills it after the run; nothing is started for
//! the reserve while a run goes on.
use crate::base::clock::{now_ms, within, START_WATCHDOG_MS};
use crate::base::control;
use crate::base::port::{Incoming, Port, Script};
use engine::error::RunError;
use engine::pool::TaskRun;
use engine::processes::{handed_out_span, MapOutcome, PoolBook, Said, Step, WorkerPort};
use engine::protocol::{FromProcess, ToProcess};
use engine::record::TaskSpan;
use engine::scenarios::TaskInput;
use engine::start_method::StartMethod;
use futures_channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use futures_util::StreamExt;
use std::cell::{Cell, RefCell};

pub use super::fork_server::{fill_fork_server, fill_fork_server_at_once, fork_server_filled};
use super::fork_server::{from_fork_server, process_init, release_fork_server, ProcessPort};

/// `generation` tells a replaced worker's late messages from its successor's.
enum Event {
    From { worker: usize, generation: u32, at_ms: f64, incoming: Incoming<FromProcess> },
    Stop,
}

thread_local! {
    /// Where a Stop goes: one handle per live pool, removed by its own drop.
    static STOPS: RefCell<Vec<(u32, UnboundedSender<Event>)>> = const { RefCell::new(Vec::new()) };
    static NEXT_POOL: Cell<u32> = const { Cell::new(0) };
}

/// Ask every live pool to stop: its workers are terminated.
pub fn stop() {
    STOPS.with(|s| {
        for (_, tx) in s.borrow().iter() {
            let _ = tx.unbounded_send(Event::Stop);
        }
    });
}

impl WorkerPort for ProcessPort {
    fn send(&self, msg: &ToProcess) -> Result<(), RunError> {
        Port::send(self, msg)
    }
    fn terminate(&self) {
        Port::terminate(self)
    }
    fn instance(&self) -> u32 {
        self.number()
    }
}

/// A pool of isolated workers: the bookkeeping (`engine::processes`) driven
/// by their messages, one event loop ([`ProcessPool::next_step`]) for every
/// way it is used.
pub struct ProcessPool {
    book: PoolBook<ProcessPort>,
    tx: UnboundedSender<Event>,
    rx: UnboundedReceiver<Event>,
    /// Threads each worker starts as it starts (a replacement too).
    threads: u32,
    id: u32,
}

/// What one batch on the pool produced.
pub struct BatchOutcome {
    pub runs: Vec<TaskRun>,
    /// Workers started during the batch (replacements), as spawn spans.
    pub spawns: Vec<TaskSpan>,
    pub stopped: bool,
}

/// What a worker fed by [`ProcessPool::send`] did next.
pub enum PoolEvent {
    Done {
        worker: usize,
        run: TaskRun,
    },
    /// The worker took its poison pill and is exiting.
    Exited {
        worker: usize,
        at_ms: f64,
    },
    /// Any other answer (partial word counts, a whole program's runs), as it
    /// arrived.
    Message {
        worker: usize,
        at_ms: f64,
        message: FromProcess,
    },
}

fn route(tx: &UnboundedSender<Event>, worker: usize, generation: u32) -> impl FnMut(Incoming<FromProcess>) + 'static {
    let tx = tx.clone();
    move |incoming| {
        let _ = tx.unbounded_send(Event::From { worker, generation, at_ms: now_ms(), incoming });
    }
}

/// What a worker's message means, as its port read it.
fn said(worker: usize, incoming: Incoming<FromProcess>) -> Said {
    match incoming {
        Incoming::Message(FromProcess::Panicked { message }, _) | Incoming::Died { message } => Said::Panicked { message },
        Incoming::Message(msg, _) => Said::Msg(msg),
        Incoming::Loaded { .. } => Said::Msg(FromProcess::Ready { at_ms: now_ms() }),
        Incoming::Crashed { message } => Said::Broken(format!("isolated worker {} failed: {message}", worker + 1)),
        Incoming::Unreadable(text) => Said::Broken(format!("unreadable message from isolated worker {}: {text}", worker + 1)),
    }
}

impl ProcessPool {
    /// Start `count` workers and wait until all are ready, as creating a
    /// Python pool does. Returns the pool and one spawn span per worker.
    ///
    /// # Errors
    /// `Stopped` if Stop came first; `StartUp` if a worker failed to start.
    pub async fn start(count: usize, method: StartMethod) -> Result<(ProcessPool, Vec<TaskSpan>), RunError> {
        Self::start_with_threads(count, 0, method).await
    }

    /// The same, each worker also starting `threads` threads of its own as
    /// it starts (a pool initializer), for its first job to use. A worker
    /// that starts threads of its own is always started for real: the fork
    /// server's workers start none.
    ///
    /// # Errors
    /// As [`Self::start`].
    pub async fn start_with_threads(count: usize, threads: u32, method: StartMethod) -> Result<(ProcessPool, Vec<TaskSpan>), RunError> {
        let (tx, rx) = unbounded();
        let id = NEXT_POOL.with(|n| n.replace(n.get() + 1));
        STOPS.with(|s| s.borrow_mut().push((id, tx.clone())));
        let mut pool = ProcessPool { book: PoolBook::default(), tx, rx, threads, id };
        let asked_ms = now_ms();
        let forked = if method == StartMethod::Forkserver && threads == 0 { from_fork_server(count) } else { Vec::new() };
        let mut spans = Vec::new();
        for (worker, mut port) in forked.into_iter().enumerate() {
            port.reroute(route(&pool.tx, worker, 0));
            spans.push(handed_out_span(worker, port.number(), now_ms()));
            pool.book.push(port, asked_ms, true);
        }
        for worker in pool.book.len()..count {
            let port = pool.spawn(worker, 0)?;
            pool.book.push(port, now_ms(), false);
        }
        let mut retries = 0;
        while !pool.book.all_ready() {
            let Some(event) = within(START_WATCHDOG_MS, pool.rx.next()).await else {
                let silent: Vec<String> = pool.book.silent().iter().map(ToString::to_string).collect();
                return Err(RunError::StartUp(format!(
                    "isolated worker {} did not start within {} s (it never said it had loaded)",
                    silent.join(", "),
                    START_WATCHDOG_MS / 1000
                )));
            };
            let (worker, generation, at_ms, incoming) = match event {
                None => return Err(RunError::broken("the pool's messages stopped")),
                Some(Event::Stop) => return Err(RunError::Stopped),
                Some(Event::From { worker, generation, at_ms, incoming }) => (worker, generation, at_ms, incoming),
            };
            let message = match pool.book.on(worker, generation, at_ms, said(worker, incoming)) {
                Ok(Step::Started { span, .. }) => {
                    spans.push(span);
                    continue;
                }
                Ok(Step::Panicked { message, .. }) => message,
                Err(e) => e.to_string(),
                Ok(_) => continue,
            };
            // Short of memory, perhaps (WebKit runs out of room for
            // instances after a few restarts of the compute worker, until it
            // collects the ended ones): the fork server's idle instances are
            // only an advance, so end them, give the browser a moment (longer
            // each time: 0.25, 0.5, 1 s), and start this worker again, three
            // times at most.
            if threads == 0 && retries < 3 {
                release_fork_server();
                gloo_timers::future::TimeoutFuture::new(250 << retries).await;
                retries += 1;
                pool.replace(worker)?;
                continue;
            }
            return Err(RunError::StartUp(format!("isolated worker {} failed to start: {message}", worker + 1)));
        }
        Ok((pool, spans))
    }

    fn spawn(&self, worker: usize, generation: u32) -> Result<ProcessPort, RunError> {
        Port::spawn(Script::Process, &process_init(self.threads), route(&self.tx, worker, generation))
    }

    /// A fresh worker in `worker`'s place (the old one is ended).
    fn replace(&mut self, worker: usize) -> Result<(), RunError> {
        let port = self.spawn(worker, self.book.generation(worker) + 1)?;
        self.book.replace(worker, port, now_ms());
        Ok(())
    }

    /// The pool's one event loop: the next thing a worker's message means,
    /// or `None` on Stop. A worker whose task panicked is replaced here,
    /// whoever drives the pool.
    ///
    /// # Errors
    /// `Broken` if a worker broke or answered what it was not asked.
    async fn next_step(&mut self) -> Result<Option<Step>, RunError> {
        loop {
            let (worker, generation, at_ms, incoming) = match self.rx.next().await {
                None => return Err(RunError::broken("the pool's messages stopped")),
                Some(Event::Stop) => return Ok(None),
                Some(Event::From { worker, generation, at_ms, incoming }) => (worker, generation, at_ms, incoming),
            };
            match self.book.on(worker, generation, at_ms, said(worker, incoming))? {
                Step::Nothing => {}
                step @ Step::Panicked { .. } => {
                    self.replace(worker)?;
                    return Ok(Some(step));
                }
                step => return Ok(Some(step)),
            }
        }
    }

    /// Map `tasks` over the pool; outputs come back in input order.
    ///
    /// # Errors
    /// `Broken` if a worker breaks outside a task (a task's panic is that
    /// task's failure, and its worker is replaced).
    pub async fn run(&mut self, tasks: &[TaskInput]) -> Result<BatchOutcome, RunError> {
        let mut next = 0;
        let mut outcome = MapOutcome::default();
        loop {
            self.book.feed(tasks, &mut next, now_ms)?;
            if outcome.runs.len() == tasks.len() {
                break;
            }
            let Some(step) = self.next_step().await? else {
                self.book.terminate_all();
                let MapOutcome { runs, spawns } = outcome.sorted();
                return Ok(BatchOutcome { runs, spawns, stopped: true });
            };
            if matches!(step, Step::Done { .. } | Step::Panicked { run: Some(_), .. }) {
                control::task_done();
            }
            outcome.add(&step);
        }
        let MapOutcome { runs, spawns } = outcome.sorted();
        Ok(BatchOutcome { runs, spawns, stopped: false })
    }

    /// Give `task` to an idle `worker`; returns when it was sent.
    ///
    /// # Errors
    /// `Broken` if the worker is busy or cannot be reached.
    pub fn send(&mut self, worker: usize, task: &TaskInput) -> Result<f64, RunError> {
        let sent_ms = now_ms();
        self.book.send_task(worker, task, sent_ms)?;
        Ok(sent_ms)
    }

    /// Send `msg` with `bytes` moved (not copied) alongside.
    ///
    /// # Errors
    /// `Broken` if the worker cannot be reached.
    pub fn send_with_bytes(&mut self, worker: usize, msg: &ToProcess, bytes: js_sys::Uint8Array) -> Result<(), RunError> {
        self.book.port(worker).send_with_bytes(msg, bytes)
    }

    /// Send `msg` to `worker`; its answers come through [`Self::next_event`].
    ///
    /// # Errors
    /// `Broken` if the worker cannot be reached.
    pub fn send_message(&mut self, worker: usize, msg: &ToProcess) -> Result<(), RunError> {
        Port::send(self.book.port(worker), msg)
    }

    /// The poison pill: the worker answers and exits.
    ///
    /// # Errors
    /// `Broken` if the worker cannot be reached.
    pub fn send_pill(&mut self, worker: usize) -> Result<(), RunError> {
        Port::send(self.book.port(worker), &ToProcess::Stop)
    }

    /// Wait for the next thing a worker fed by `send` reports.
    ///
    /// # Errors
    /// `Stopped` on Stop; `Panicked` naming the task if a task panicked;
    /// `Broken` if a worker broke or failed.
    pub async fn next_event(&mut self) -> Result<PoolEvent, RunError> {
        loop {
            match self.next_step().await?.ok_or(RunError::Stopped)? {
                Step::Done { worker, run } => return Ok(PoolEvent::Done { worker, run }),
                Step::Panicked { worker, run, message } => {
                    let label = run.map_or_else(|| "a task".to_string(), |r| r.span.label);
                    let message = format!("{label} panicked in isolated worker {}: {message}", worker + 1);
                    return Err(RunError::Panicked { task: None, message });
                }
                Step::Exited { worker, at_ms } => return Ok(PoolEvent::Exited { worker, at_ms }),
                Step::Message { worker, at_ms, message } => return Ok(PoolEvent::Message { worker, at_ms, message }),
                Step::Started { .. } | Step::Nothing => {}
            }
        }
    }
}

impl Drop for ProcessPool {
    fn drop(&mut self) {
        STOPS.with(|s| s.borrow_mut().retain(|(id, _)| *id != self.id));
        self.book.terminate_all();
        // Its workers end with it. The fork server is refilled after the
        // run (`entry::compute`), never while one goes on: starting
        // instances then would take cores from the run being measured.
    }
}
