//! The process pool's bookkeeping, apart from the browser: which isolated
//! worker runs which task, which of them are ready, which messages are stale,
//! and what each message means to the pool. `runtime::pools::processes`
//! drives it with real isolated workers; the tests below with fake ones.
//!
//! The rules, one each:
//! - **Numbering**: a task is known by its `TaskInput::index`; a worker has
//!   at most one task in flight, and its reply must name that task.
//! - **Replacing**: a worker whose task panicked is gone; the caller starts
//!   a fresh one in its place ([`PoolBook::replace`]), as a Python pool
//!   replaces a dead worker, whatever drives the pool.
//! - **Generations**: a replaced worker's late messages are dropped.
//! - **Order**: [`PoolBook::feed`] hands tasks out in input order, each to
//!   the idle worker that has waited longest; [`MapOutcome`] lists the runs
//!   in input order, however they finished.
use crate::error::RunError;
use crate::pool::{TaskFailure, TaskRun};
use crate::protocol::{FromProcess, TaskReply, ToProcess};
use crate::record::{Phase, PhaseKind, TaskSpan};
use crate::scenarios::TaskInput;
use std::collections::VecDeque;

/// What the pool needs of a worker it holds.
pub trait WorkerPort {
    /// # Errors
    /// `Broken` if the worker cannot be reached.
    fn send(&self, msg: &ToProcess) -> Result<(), RunError>;
    /// End it, whatever it is doing.
    fn terminate(&self);
    /// Which instance it is (its spans say so).
    fn instance(&self) -> u32;
}

/// What a worker's message means, as its port read it.
#[derive(Debug)]
pub enum Said {
    Msg(FromProcess),
    /// Its task panicked (the hook said so, or the bootstrap saw it die).
    Panicked {
        message: String,
    },
    /// The worker broke outside any task.
    Broken(String),
}

/// What one message did to the pool.
#[derive(Debug)]
pub enum Step {
    /// Nothing for the caller (a replaced worker's late message).
    Nothing,
    /// A worker is running and idle: its start as a spawn span.
    Started { worker: usize, span: TaskSpan },
    /// A worker's task ended (an error the task raised is its output).
    Done { worker: usize, run: TaskRun },
    /// A worker's task panicked and took the worker with it: its run (if it
    /// had a task), failed. The caller must [`PoolBook::replace`] it.
    Panicked { worker: usize, run: Option<TaskRun>, message: String },
    /// The worker took its poison pill and is exiting.
    Exited { worker: usize, at_ms: f64 },
    /// Any other answer (partial word counts, a whole program's runs).
    Message { worker: usize, at_ms: f64, message: FromProcess },
}

struct InFlight {
    index: u32,
    label: String,
    sent_ms: f64,
}

struct Slot<P> {
    port: P,
    generation: u32,
    spawned_ms: f64,
    ready: bool,
    task: Option<InFlight>,
}

/// The workers of one pool and what each is doing.
pub struct PoolBook<P> {
    slots: Vec<Slot<P>>,
    /// Ready workers without a task, longest waiting first.
    idle: VecDeque<usize>,
}

impl<P: WorkerPort> Default for PoolBook<P> {
    fn default() -> Self {
        PoolBook { slots: Vec::new(), idle: VecDeque::new() }
    }
}

impl<P: WorkerPort> PoolBook<P> {
    /// Add a worker started at `spawned_ms`; `ready` where it has loaded
    /// already (one handed out by the fork server). Returns its number.
    pub fn push(&mut self, port: P, spawned_ms: f64, ready: bool) -> usize {
        let worker = self.slots.len();
        self.slots.push(Slot { port, generation: 0, spawned_ms, ready, task: None });
        if ready {
            self.idle.push_back(worker);
        }
        worker
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The generation a message from `worker` must carry to count.
    pub fn generation(&self, worker: usize) -> u32 {
        self.slots[worker].generation
    }

    pub fn port(&self, worker: usize) -> &P {
        &self.slots[worker].port
    }

    /// The workers that have not said they are ready (1-based, for messages).
    pub fn silent(&self) -> Vec<usize> {
        (0..self.slots.len()).filter(|&w| !self.slots[w].ready).map(|w| w + 1).collect()
    }

    pub fn all_ready(&self) -> bool {
        self.slots.iter().all(|s| s.ready)
    }

    /// Whether any worker has a task in flight.
    pub fn busy(&self) -> bool {
        self.slots.iter().any(|s| s.task.is_some())
    }

    /// Give `task` to `worker`, sent at `now_ms`.
    ///
    /// # Errors
    /// `Broken` if the worker has a task already or cannot be reached.
    pub fn send_task(&mut self, worker: usize, task: &TaskInput, now_ms: f64) -> Result<(), RunError> {
        let slot = &mut self.slots[worker];
        if slot.task.is_some() {
            return Err(RunError::broken(format!("isolated worker {} was given a task while it ran one", worker + 1)));
        }
        slot.port.send(&ToProcess::Task { task: task.clone() })?;
        slot.task = Some(InFlight { index: task.index, label: task.label.clone(), sent_ms: now_ms });
        self.idle.retain(|&w| w != worker);
        Ok(())
    }

    /// Hand `tasks[*next..]` out in input order, one to each idle worker,
    /// advancing `next`; `now` reads the clock at each send.
    ///
    /// # Errors
    /// As [`Self::send_task`].
    pub fn feed(&mut self, tasks: &[TaskInput], next: &mut usize, now: impl Fn() -> f64) -> Result<(), RunError> {
        while *next < tasks.len() {
            let Some(&worker) = self.idle.front() else { break };
            self.send_task(worker, &tasks[*next], now())?;
            *next += 1;
        }
        Ok(())
    }

    /// Put a fresh worker (`port`, started at `now_ms`) in `worker`'s place;
    /// the old one is ended and its late messages dropped.
    pub fn replace(&mut self, worker: usize, port: P, now_ms: f64) {
        let slot = &mut self.slots[worker];
        let old = std::mem::replace(&mut slot.port, port);
        old.terminate();
        slot.generation += 1;
        slot.spawned_ms = now_ms;
        slot.ready = false;
        slot.task = None;
        self.idle.retain(|&w| w != worker);
    }

    /// End every worker (Stop, or the pool's end).
    pub fn terminate_all(&self) {
        for slot in &self.slots {
            slot.port.terminate();
        }
    }

    /// What `said`, from `worker` of `generation` at `at_ms`, means.
    ///
    /// # Errors
    /// `Broken` if the worker broke, failed, or answered a task it was not
    /// given (a reply that crossed a boundary is checked, never trusted).
    pub fn on(&mut self, worker: usize, generation: u32, at_ms: f64, said: Said) -> Result<Step, RunError> {
        let Some(slot) = self.slots.get_mut(worker).filter(|s| s.generation == generation) else {
            return Ok(Step::Nothing);
        };
        Ok(match said {
            Said::Msg(FromProcess::Ready { at_ms: ready_ms }) => {
                if slot.ready {
                    return Ok(Step::Nothing);
                }
                slot.ready = true;
                self.idle.push_back(worker);
                Step::Started { worker, span: spawn_span(worker, slot.port.instance(), slot.spawned_ms, ready_ms) }
            }
            Said::Msg(FromProcess::Done(reply)) => {
                let task = match slot.task.take() {
                    Some(task) if task.index == reply.index => task,
                    other => {
                        slot.task = other;
                        return Err(RunError::broken(format!(
                            "isolated worker {} answered task {}, which it was not running",
                            worker + 1,
                            reply.index
                        )));
                    }
                };
                self.idle.push_back(worker);
                let output = reply.output.clone().map_err(TaskFailure::Failed);
                Step::Done { worker, run: TaskRun { span: reply_span(reply, &task.label, worker, task.sent_ms, at_ms), output } }
            }
            Said::Panicked { message } => {
                let run = slot.task.take().map(|task| {
                    let span = TaskSpan::one_phase(Some(task.index), task.label, worker as u32, PhaseKind::Compute, task.sent_ms, at_ms);
                    TaskRun { span, output: Err(TaskFailure::Failed(format!("panicked: {message}"))) }
                });
                self.idle.retain(|&w| w != worker);
                Step::Panicked { worker, run, message }
            }
            Said::Msg(FromProcess::Stopped { at_ms }) => Step::Exited { worker, at_ms },
            Said::Msg(FromProcess::Failed { message }) => {
                return Err(RunError::Broken(format!("isolated worker {}: {message}", worker + 1)));
            }
            Said::Msg(FromProcess::Panicked { message }) => return self.on(worker, generation, at_ms, Said::Panicked { message }),
            Said::Msg(message) => Step::Message { worker, at_ms, message },
            Said::Broken(message) => return Err(RunError::Broken(message)),
        })
    }
}

/// The runs of one map over the pool, in input order.
#[derive(Debug, Default)]
pub struct MapOutcome {
    pub runs: Vec<TaskRun>,
    /// Workers started during the map (replacements), as spawn spans.
    pub spawns: Vec<TaskSpan>,
}

impl MapOutcome {
    /// Take in what a step says about the map.
    pub fn add(&mut self, step: &Step) {
        match step {
            Step::Done { run, .. } | Step::Panicked { run: Some(run), .. } => self.runs.push(run.clone()),
            Step::Started { span, .. } => self.spawns.push(span.clone()),
            _ => {}
        }
    }

    /// The runs in input order.
    pub fn sorted(mut self) -> MapOutcome {
        self.runs.sort_by_key(|r| r.span.id);
        self
    }
}

pub fn spawn_span(index: usize, instance: u32, start_ms: f64, end_ms: f64) -> TaskSpan {
    let label = format!("start isolated worker {} (instance {instance})", index + 1);
    TaskSpan::one_phase(None, label, index as u32, PhaseKind::Spawn, start_ms, end_ms)
}

/// A worker handed out by the fork server: its start was paid in advance.
pub fn handed_out_span(index: usize, instance: u32, at_ms: f64) -> TaskSpan {
    let label = format!("isolated worker {} (instance {instance}) from the fork server, started in advance", index + 1);
    TaskSpan::one_phase(None, label, index as u32, PhaseKind::Spawn, at_ms, at_ms)
}

fn reply_span(reply: TaskReply, label: &str, worker: usize, sent_ms: f64, back_ms: f64) -> TaskSpan {
    let mut phases = vec![Phase { kind: PhaseKind::Transfer, start_ms: sent_ms, end_ms: reply.start_ms.max(sent_ms) }];
    phases.extend(reply.phases);
    phases.push(Phase { kind: PhaseKind::Transfer, start_ms: reply.end_ms, end_ms: back_ms.max(reply.end_ms) });
    TaskSpan { id: Some(reply.index), label: label.to_string(), worker: worker as u32, start_ms: sent_ms, end_ms: back_ms, phases }
}

#[cfg(test)]
mod tests;
