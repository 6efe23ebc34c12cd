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
use engine::pool::{TaskFailure, TaskRun};
use engine::protocol::{FromProcess, TaskReply, ToProcess};
use engine::record::{Phase, PhaseKind, TaskSpan};
use engine::scenarios::TaskInput;
use engine::start_method::StartMethod;
use futures_channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use futures_util::StreamExt;
use std::cell::RefCell;

pub use super::fork_server::{fill_fork_server, fill_fork_server_at_once, fork_server_filled};
use super::fork_server::{from_fork_server, process_init, release_fork_server, ProcessPort};

/// `generation` tells a replaced worker's late messages from its successor's.
enum Event {
    From { worker: usize, generation: u32, at_ms: f64, incoming: Incoming<FromProcess> },
    Stop,
}

thread_local! {
    /// Where a stop message goes while a process pool is busy.
    static STOP: RefCell<Option<UnboundedSender<Event>>> = const { RefCell::new(None) };
}

/// Ask the busy pool, if any, to stop: its workers are terminated.
pub fn stop() {
    STOP.with(|s| {
        if let Some(tx) = s.borrow().as_ref() {
            let _ = tx.unbounded_send(Event::Stop);
        }
    });
}

struct Slot {
    port: ProcessPort,
    generation: u32,
    spawned_ms: f64,
}

pub struct ProcessPool {
    slots: Vec<Slot>,
    /// Per worker, the task it is running (label, index, sent at), for
    /// callers that feed workers one by one (`send` / `next_event`).
    in_flight: Vec<Option<(String, u32, f64)>>,
    tx: UnboundedSender<Event>,
    rx: UnboundedReceiver<Event>,
    ready: Vec<bool>,
}

/// What one batch on the pool produced.
pub struct BatchOutcome {
    pub runs: Vec<TaskRun>,
    /// Workers started during the batch (replacements), as spawn spans.
    pub spawns: Vec<TaskSpan>,
    pub stopped: bool,
}

fn route(tx: &UnboundedSender<Event>, index: usize, generation: u32) -> impl FnMut(Incoming<FromProcess>) + 'static {
    let tx = tx.clone();
    move |incoming| {
        let _ = tx.unbounded_send(Event::From { worker: index, generation, at_ms: now_ms(), incoming });
    }
}

fn spawn_worker(index: usize, generation: u32, tx: &UnboundedSender<Event>, threads: u32) -> Result<Slot, RunError> {
    let spawned_ms = now_ms();
    let port = Port::spawn(Script::Process, &process_init(threads), route(tx, index, generation))?;
    Ok(Slot { port, generation, spawned_ms })
}

fn spawn_span(index: usize, instance: u32, start_ms: f64, end_ms: f64) -> TaskSpan {
    let label = format!("start isolated worker {} (instance {instance})", index + 1);
    TaskSpan::one_phase(None, label, index as u32, PhaseKind::Spawn, start_ms, end_ms)
}

/// A worker handed out by the fork server: its start was paid in advance.
fn handed_out_span(index: usize, instance: u32, at_ms: f64) -> TaskSpan {
    let label = format!("isolated worker {} (instance {instance}) from the fork server, started in advance", index + 1);
    TaskSpan::one_phase(None, label, index as u32, PhaseKind::Spawn, at_ms, at_ms)
}

fn reply_span(reply: TaskReply, label: &str, worker: usize, sent_ms: f64, back_ms: f64) -> TaskSpan {
    let mut phases = vec![Phase { kind: PhaseKind::Transfer, start_ms: sent_ms, end_ms: reply.start_ms.max(sent_ms) }];
    phases.extend(reply.phases);
    phases.push(Phase { kind: PhaseKind::Transfer, start_ms: reply.end_ms, end_ms: back_ms.max(reply.end_ms) });
    TaskSpan { id: Some(reply.index), label: label.to_string(), worker: worker as u32, start_ms: sent_ms, end_ms: back_ms, phases }
}

/// What a worker's message means to the pool, read once for every caller.
enum Said {
    Msg(FromProcess),
    /// Its task panicked (the hook said so, or the bootstrap saw it die).
    Panicked {
        message: String,
    },
    /// The worker broke outside any task.
    Broken(String),
}

fn said(worker: usize, incoming: Incoming<FromProcess>) -> Said {
    match incoming {
        Incoming::Message(FromProcess::Panicked { message }, _) => Said::Panicked { message },
        Incoming::Message(msg, _) => Said::Msg(msg),
        Incoming::Died { message } => Said::Panicked { message },
        Incoming::Loaded { .. } => Said::Msg(FromProcess::Ready { at_ms: now_ms() }),
        Incoming::Crashed { message } => Said::Broken(format!("isolated worker {} failed: {message}", worker + 1)),
        Incoming::Unreadable(text) => Said::Broken(format!("unreadable message from isolated worker {}: {text}", worker + 1)),
    }
}

/// The watchdog's verdict on a start that never finished: which workers
/// went silent.
fn silent(ready: &[bool]) -> RunError {
    let silent: Vec<String> = ready.iter().enumerate().filter(|(_, r)| !**r).map(|(i, _)| (i + 1).to_string()).collect();
    RunError::StartUp(format!(
        "isolated worker {} did not start within {} s (it never said it had loaded)",
        silent.join(", "),
        START_WATCHDOG_MS / 1000
    ))
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
    /// it starts (a pool initializer), for its first job to use.
    ///
    /// # Errors
    /// As [`Self::start`].
    /// A worker that starts threads of its own is always started for real:
    /// the fork server's workers start none.
    pub async fn start_with_threads(count: usize, threads: u32, method: StartMethod) -> Result<(ProcessPool, Vec<TaskSpan>), RunError> {
        let (tx, rx) = unbounded();
        let asked_ms = now_ms();
        let forked = if method == StartMethod::Forkserver && threads == 0 { from_fork_server(count) } else { Vec::new() };
        let mut spans = Vec::new();
        let mut slots = Vec::with_capacity(count);
        for (index, mut port) in forked.into_iter().enumerate() {
            port.reroute(route(&tx, index, 0));
            spans.push(handed_out_span(index, port.number(), now_ms()));
            slots.push(Slot { port, generation: 0, spawned_ms: asked_ms });
        }
        let handed_out = slots.len();
        for index in handed_out..count {
            slots.push(spawn_worker(index, 0, &tx, threads)?);
        }
        let mut ready = vec![false; count];
        ready[..handed_out].fill(true);
        let mut pool = ProcessPool { slots, in_flight: vec![None; count], tx, rx, ready };
        STOP.with(|s| *s.borrow_mut() = Some(pool.tx.clone()));
        let mut retries = 0;
        while pool.ready.iter().any(|r| !r) {
            let Some(event) = within(START_WATCHDOG_MS, pool.rx.next()).await else {
                return Err(silent(&pool.ready));
            };
            match event.ok_or_else(|| RunError::broken("the pool's messages stopped"))? {
                Event::Stop => return Err(RunError::Stopped),
                Event::From { worker, incoming, .. } => match said(worker, incoming) {
                    Said::Msg(FromProcess::Ready { at_ms }) => {
                        pool.ready[worker] = true;
                        spans.push(spawn_span(worker, pool.slots[worker].port.number(), pool.slots[worker].spawned_ms, at_ms));
                    }
                    Said::Msg(_) => {}
                    Said::Panicked { message } | Said::Broken(message) => {
                        // Short of memory, perhaps (WebKit runs out of room for
                        // instances after a few restarts of the compute
                        // worker, until it collects the ended ones): the fork
                        // server's idle instances are only an advance, so end
                        // them, give the browser a moment, and start this
                        // worker again, twice at most.
                        if threads == 0 && retries < 2 {
                            retries += 1;
                            release_fork_server();
                            gloo_timers::future::TimeoutFuture::new(250).await;
                            pool.replace(worker)?;
                            continue;
                        }
                        return Err(RunError::StartUp(format!("isolated worker {} failed to start: {message}", worker + 1)));
                    }
                },
            }
        }
        Ok((pool, spans))
    }

    /// Swap a dead worker for a fresh one. The old one is silenced first:
    /// its instance aborted, and its error event must not reach us.
    fn replace(&mut self, worker: usize) -> Result<(), RunError> {
        let fresh = spawn_worker(worker, self.slots[worker].generation + 1, &self.tx, 0)?;
        let old = std::mem::replace(&mut self.slots[worker], fresh);
        old.port.terminate();
        self.ready[worker] = false;
        Ok(())
    }

    /// Map `tasks` over the pool; outputs come back in input order.
    ///
    /// # Errors
    /// `Broken` if a worker breaks outside a task (a task's panic is that
    /// task's failure, and its worker is replaced).
    pub async fn run(&mut self, tasks: &[TaskInput]) -> Result<BatchOutcome, RunError> {
        let mut idle: Vec<usize> = (0..self.slots.len()).rev().collect();
        let mut sent_at = vec![0.0; tasks.len()];
        let mut on_worker = vec![usize::MAX; tasks.len()];
        let mut runs: Vec<TaskRun> = Vec::new();
        let mut spawns = Vec::new();
        let mut next = 0;
        loop {
            while next < tasks.len() {
                let Some(worker) = idle.pop() else { break };
                sent_at[next] = now_ms();
                on_worker[next] = worker;
                self.slots[worker].port.send(&ToProcess::Task { task: tasks[next].clone() })?;
                next += 1;
            }
            if runs.len() == tasks.len() {
                break;
            }
            let (worker, at_ms, incoming) = match self.rx.next().await.ok_or_else(|| RunError::broken("the pool's messages stopped"))? {
                Event::Stop => {
                    for slot in &self.slots {
                        slot.port.terminate();
                    }
                    runs.sort_by_key(|r| r.span.id);
                    return Ok(BatchOutcome { runs, spawns, stopped: true });
                }
                // From a worker already replaced: it has nothing more to say.
                Event::From { worker, generation, .. } if generation != self.slots[worker].generation => continue,
                Event::From { worker, at_ms, incoming, .. } => (worker, at_ms, incoming),
            };
            match said(worker, incoming) {
                Said::Msg(FromProcess::Ready { at_ms: ready }) => {
                    spawns.push(spawn_span(worker, self.slots[worker].port.number(), self.slots[worker].spawned_ms, ready));
                    self.ready[worker] = true;
                    idle.push(worker);
                }
                Said::Msg(FromProcess::Done(reply)) => {
                    let i = reply.index as usize;
                    let output = reply.output.clone().map_err(TaskFailure::Failed);
                    runs.push(TaskRun { span: reply_span(reply, &tasks[i].label, worker, sent_at[i], at_ms), output });
                    control::task_done();
                    idle.push(worker);
                }
                Said::Msg(_) => {}
                Said::Panicked { message } => {
                    // The task it was given last is the one that panicked.
                    if let Some(i) = on_worker.iter().rposition(|&w| w == worker) {
                        let span = TaskSpan::one_phase(
                            Some(i as u32),
                            tasks[i].label.clone(),
                            worker as u32,
                            PhaseKind::Compute,
                            sent_at[i],
                            at_ms,
                        );
                        runs.push(TaskRun { span, output: Err(TaskFailure::Failed(format!("panicked: {message}"))) });
                        control::task_done();
                    }
                    self.replace(worker)?;
                }
                Said::Broken(message) => return Err(RunError::Broken(message)),
            }
        }
        runs.sort_by_key(|r| r.span.id);
        Ok(BatchOutcome { runs, spawns, stopped: false })
    }
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
    /// arrived, with the bytes moved alongside if any.
    Message {
        worker: usize,
        at_ms: f64,
        message: FromProcess,
    },
}

impl ProcessPool {
    /// Give `task` to an idle `worker`; returns when it was sent.
    ///
    /// # Errors
    /// `Broken` if the worker cannot be reached.
    pub fn send(&mut self, worker: usize, task: &TaskInput) -> Result<f64, RunError> {
        let sent_ms = now_ms();
        self.slots[worker].port.send(&ToProcess::Task { task: task.clone() })?;
        self.in_flight[worker] = Some((task.label.clone(), task.index, sent_ms));
        Ok(sent_ms)
    }

    /// Send `msg` with `bytes` moved (not copied) alongside.
    ///
    /// # Errors
    /// `Broken` if the worker cannot be reached.
    pub fn send_with_bytes(&mut self, worker: usize, msg: &ToProcess, bytes: js_sys::Uint8Array) -> Result<(), RunError> {
        self.slots[worker].port.send_with_bytes(msg, bytes)
    }

    /// Send `msg` to `worker`; its answers come through [`Self::next_event`].
    ///
    /// # Errors
    /// `Broken` if the worker cannot be reached.
    pub fn send_message(&mut self, worker: usize, msg: &ToProcess) -> Result<(), RunError> {
        self.slots[worker].port.send(msg)
    }

    /// The poison pill: the worker answers and exits.
    ///
    /// # Errors
    /// `Broken` if the worker cannot be reached.
    pub fn send_pill(&mut self, worker: usize) -> Result<(), RunError> {
        self.slots[worker].port.send(&ToProcess::Stop)
    }

    /// Wait for the next thing a worker fed by `send` reports.
    ///
    /// # Errors
    /// `Stopped` on Stop; `Panicked` naming the task if a task panicked;
    /// `Broken` if a worker broke or failed.
    pub async fn next_event(&mut self) -> Result<PoolEvent, RunError> {
        loop {
            let (worker, at_ms, incoming) = match self.rx.next().await.ok_or_else(|| RunError::broken("the pool's messages stopped"))? {
                Event::Stop => return Err(RunError::Stopped),
                Event::From { worker, at_ms, incoming, .. } => (worker, at_ms, incoming),
            };
            match said(worker, incoming) {
                Said::Msg(FromProcess::Done(reply)) => {
                    let (label, _, sent_ms) = self.in_flight[worker].take().unwrap_or_default();
                    let output = reply.output.clone().map_err(TaskFailure::Failed);
                    let run = TaskRun { span: reply_span(reply, &label, worker, sent_ms, at_ms), output };
                    return Ok(PoolEvent::Done { worker, run });
                }
                Said::Panicked { message } => {
                    let label = self.in_flight[worker].take().map(|t| t.0).unwrap_or_else(|| "a task".into());
                    let message = format!("{label} panicked in isolated worker {}: {message}", worker + 1);
                    return Err(RunError::Panicked { task: None, message });
                }
                Said::Msg(FromProcess::Failed { message }) => {
                    return Err(RunError::Broken(format!("isolated worker {}: {message}", worker + 1)))
                }
                Said::Msg(FromProcess::Stopped { at_ms }) => return Ok(PoolEvent::Exited { worker, at_ms }),
                Said::Msg(FromProcess::Ready { .. }) => {}
                Said::Msg(message) => return Ok(PoolEvent::Message { worker, at_ms, message }),
                Said::Broken(message) => return Err(RunError::Broken(message)),
            }
        }
    }
}

impl Drop for ProcessPool {
    fn drop(&mut self) {
        STOP.with(|s| *s.borrow_mut() = None);
        for slot in &self.slots {
            slot.port.terminate();
        }
        // Its workers end with it. The fork server is refilled after the
        // run (`entry::compute`), never while one goes on: starting
        // instances then would take cores from the run being measured.
    }
}
