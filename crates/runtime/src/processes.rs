//! Isolated workers for the `processes` model: each is its own wasm instance
//! with its own memory (`www/process-worker.js`), fed one task at a time in
//! input order (Python's pools with chunksize 1). Start-up is recorded as
//! `spawn`, message passing as `transfer`. A worker whose task panicked is
//! replaced, as a Python pool replaces a dead worker.
use crate::clock::now_ms;
use engine::pool::{TaskFailure, TaskRun};
use engine::protocol::{FromProcess, TaskReply, ToProcess};
use engine::record::{Phase, PhaseKind, TaskSpan};
use engine::scenarios::TaskInput;
use futures_channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use futures_util::StreamExt;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

/// `generation` tells a replaced worker's late messages from its successor's.
enum Event {
    Message { worker: usize, generation: u32, at_ms: f64, text: String },
    Crashed { worker: usize, generation: u32, message: String },
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
    worker: Worker,
    generation: u32,
    spawned_ms: f64,
    _handlers: [Closure<dyn FnMut(JsValue)>; 2],
}

pub struct ProcessPool {
    slots: Vec<Slot>,
    /// Per worker, the task it is running (label, index, sent at), for
    /// callers that feed workers one by one (`send` / `next_event`).
    in_flight: Vec<Option<(String, u32, f64)>>,
    tx: UnboundedSender<Event>,
    rx: UnboundedReceiver<Event>,
    /// Start-up spans not yet handed to a caller.
    spawn_spans: Vec<TaskSpan>,
    ready: Vec<bool>,
}

/// What one batch on the pool produced.
pub struct BatchOutcome {
    pub runs: Vec<TaskRun>,
    /// Workers started during the batch (replacements), as spawn spans.
    pub spawns: Vec<TaskSpan>,
    pub stopped: bool,
}

fn spawn_worker(index: usize, generation: u32, tx: &UnboundedSender<Event>, threads: u32) -> Result<Slot, String> {
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let spawned_ms = now_ms();
    let worker = Worker::new_with_options("./process-worker.js", &options)
        .map_err(|e| format!("could not start an isolated worker: {e:?}"))?;
    let tx_msg = tx.clone();
    let on_message = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        let e: MessageEvent = e.unchecked_into();
        let text = e.data().as_string().unwrap_or_default();
        let _ = tx_msg.unbounded_send(Event::Message { worker: index, generation, at_ms: now_ms(), text });
    });
    let tx_err = tx.clone();
    let on_error = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        // Handled here: keep it from bubbling up to the compute worker's own scope.
        if let Some(e) = e.dyn_ref::<web_sys::Event>() {
            e.prevent_default();
        }
        let message = e.dyn_ref::<ErrorEvent>().map(|e| e.message()).unwrap_or_else(|| "unknown error".into());
        let _ = tx_err.unbounded_send(Event::Crashed { worker: index, generation, message });
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // Share the compiled code, not the memory: the worker instantiates its
    // own copy with a fresh memory, like a freshly started process.
    let init = js_sys::Object::new();
    js_sys::Reflect::set(&init, &"module".into(), &wasm_bindgen::module()).map_err(|e| format!("{e:?}"))?;
    js_sys::Reflect::set(&init, &"threads".into(), &threads.into()).map_err(|e| format!("{e:?}"))?;
    worker.post_message(&init).map_err(|e| format!("could not reach an isolated worker: {e:?}"))?;
    Ok(Slot { worker, generation, spawned_ms, _handlers: [on_message, on_error] })
}

thread_local! {
    /// An error handler for workers we no longer listen to.
    static SWALLOW: js_sys::Function = Closure::<dyn FnMut(web_sys::Event)>::new(|e: web_sys::Event| e.prevent_default())
        .into_js_value()
        .unchecked_into();
}

fn swallow_errors() -> js_sys::Function {
    SWALLOW.with(|f| f.clone())
}

fn spawn_span(index: usize, start_ms: f64, end_ms: f64) -> TaskSpan {
    TaskSpan {
        id: None,
        label: format!("start isolated worker {}", index + 1),
        worker: index as u32,
        start_ms,
        end_ms,
        phases: vec![Phase { kind: PhaseKind::Spawn, start_ms, end_ms }],
    }
}

fn reply_span(reply: TaskReply, label: &str, worker: usize, sent_ms: f64, back_ms: f64) -> TaskSpan {
    let mut phases = vec![Phase { kind: PhaseKind::Transfer, start_ms: sent_ms, end_ms: reply.start_ms.max(sent_ms) }];
    phases.extend(reply.phases);
    phases.push(Phase { kind: PhaseKind::Transfer, start_ms: reply.end_ms, end_ms: back_ms.max(reply.end_ms) });
    TaskSpan { id: Some(reply.index), label: label.to_string(), worker: worker as u32, start_ms: sent_ms, end_ms: back_ms, phases }
}

impl ProcessPool {
    /// Start `count` workers and wait until all are ready, as creating a
    /// Python pool does. Returns the pool and one spawn span per worker.
    pub async fn start(count: usize) -> Result<(ProcessPool, Vec<TaskSpan>), String> {
        Self::start_with_threads(count, 0).await
    }

    /// The same, each worker also starting `threads` threads of its own as
    /// it starts (a pool initializer), for its first job to use.
    pub async fn start_with_threads(count: usize, threads: u32) -> Result<(ProcessPool, Vec<TaskSpan>), String> {
        let (tx, rx) = unbounded();
        let slots = (0..count).map(|i| spawn_worker(i, 0, &tx, threads)).collect::<Result<Vec<_>, _>>()?;
        let mut pool =
            ProcessPool { slots, in_flight: vec![None; count], tx, rx, spawn_spans: Vec::new(), ready: vec![false; count] };
        STOP.with(|s| *s.borrow_mut() = Some(pool.tx.clone()));
        while pool.ready.iter().any(|r| !r) {
            match pool.rx.next().await.ok_or("the pool's messages stopped")? {
                Event::Stop => return Err("Stopped before all tasks finished.".into()),
                Event::Crashed { worker, message, .. } => return Err(format!("isolated worker {} failed to start: {message}", worker + 1)),
                Event::Message { worker, text, .. } => {
                    if let Ok(FromProcess::Ready { at_ms }) = serde_json::from_str(&text) {
                        pool.ready[worker] = true;
                        pool.spawn_spans.push(spawn_span(worker, pool.slots[worker].spawned_ms, at_ms));
                    }
                }
            }
        }
        let spans = std::mem::take(&mut pool.spawn_spans);
        Ok((pool, spans))
    }

    /// Swap a dead worker for a fresh one. The old one is silenced first:
    /// its instance aborted, and its error event must not reach us.
    fn replace(&mut self, worker: usize) -> Result<(), String> {
        let fresh = spawn_worker(worker, self.slots[worker].generation + 1, &self.tx, 0)?;
        let old = std::mem::replace(&mut self.slots[worker], fresh);
        old.worker.set_onmessage(None);
        old.worker.set_onerror(Some(swallow_errors().unchecked_ref()));
        old.worker.terminate();
        self.ready[worker] = false;
        Ok(())
    }

    /// Map `tasks` over the pool; outputs come back in input order.
    pub async fn run(&mut self, tasks: &[TaskInput]) -> Result<BatchOutcome, String> {
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
                let msg = ToProcess::Task { task: tasks[next].clone(), sent_ms: sent_at[next] };
                let json = serde_json::to_string(&msg).map_err(|e| e.to_string())?;
                self.slots[worker].worker.post_message(&JsValue::from_str(&json)).map_err(|e| format!("{e:?}"))?;
                next += 1;
            }
            if runs.len() == tasks.len() {
                break;
            }
            match self.rx.next().await.ok_or("the pool's messages stopped")? {
                Event::Stop => {
                    for slot in &self.slots {
                        slot.worker.terminate();
                    }
                    runs.sort_by_key(|r| r.span.id);
                    return Ok(BatchOutcome { runs, spawns, stopped: true });
                }
                Event::Crashed { worker, generation, .. } | Event::Message { worker, generation, .. }
                    if generation != self.slots[worker].generation =>
                {
                    // From a worker already replaced: it has nothing more to say.
                }
                Event::Crashed { worker, message, .. } => {
                    // Not a task's panic (that arrives as a message first): the worker itself broke.
                    return Err(format!("isolated worker {} failed: {message}", worker + 1));
                }
                Event::Message { worker, at_ms, text, .. } => match serde_json::from_str::<FromProcess>(&text) {
                    Ok(FromProcess::Ready { at_ms: ready }) => {
                        spawns.push(spawn_span(worker, self.slots[worker].spawned_ms, ready));
                        self.ready[worker] = true;
                        idle.push(worker);
                    }
                    Ok(FromProcess::Done(reply)) => {
                        let i = reply.index as usize;
                        let output = reply.output.clone().map_err(TaskFailure::Failed);
                        runs.push(TaskRun { span: reply_span(reply, &tasks[i].label, worker, sent_at[i], at_ms), output });
                        crate::control::task_done();
                        idle.push(worker);
                    }
                    Ok(FromProcess::Panicked { index, message }) => {
                        let i = index.map(|i| i as usize).or_else(|| on_worker.iter().rposition(|&w| w == worker));
                        if let Some(i) = i {
                            let span = TaskSpan {
                                id: Some(i as u32),
                                label: tasks[i].label.clone(),
                                worker: worker as u32,
                                start_ms: sent_at[i],
                                end_ms: at_ms,
                                phases: vec![Phase { kind: PhaseKind::Compute, start_ms: sent_at[i], end_ms: at_ms }],
                            };
                            runs.push(TaskRun { span, output: Err(TaskFailure::Failed(format!("panicked: {message}"))) });
                            crate::control::task_done();
                        }
                        self.replace(worker)?;
                    }
                    Ok(_) => {}
                    Err(e) => return Err(format!("unreadable message from isolated worker {}: {e}", worker + 1)),
                },
            }
        }
        runs.sort_by_key(|r| r.span.id);
        Ok(BatchOutcome { runs, spawns, stopped: false })
    }
}

/// What a worker fed by [`ProcessPool::send`] did next.
pub enum PoolEvent {
    Done { worker: usize, run: TaskRun },
    /// The worker took its poison pill and is exiting.
    Exited { worker: usize, at_ms: f64 },
    /// A part's partial word counts (`Counted`), as it arrived.
    Message { worker: usize, at_ms: f64, message: FromProcess },
}

impl ProcessPool {
    fn post(&self, worker: usize, msg: &JsValue) -> Result<(), String> {
        self.slots[worker].worker.post_message(msg).map_err(|e| format!("could not reach isolated worker {}: {e:?}", worker + 1))
    }

    /// Give `task` to an idle `worker`; returns when it was sent.
    pub fn send(&mut self, worker: usize, task: &TaskInput) -> Result<f64, String> {
        let sent_ms = now_ms();
        let json = serde_json::to_string(&ToProcess::Task { task: task.clone(), sent_ms }).map_err(|e| e.to_string())?;
        self.post(worker, &JsValue::from_str(&json))?;
        self.in_flight[worker] = Some((task.label.clone(), task.index, sent_ms));
        Ok(sent_ms)
    }

    /// Send `msg` with `bytes` moved (not copied) alongside, as `{json, bytes}`.
    pub fn send_with_bytes(&mut self, worker: usize, msg: &ToProcess, bytes: js_sys::Uint8Array) -> Result<(), String> {
        let envelope = js_sys::Object::new();
        let json = serde_json::to_string(msg).map_err(|e| e.to_string())?;
        js_sys::Reflect::set(&envelope, &"json".into(), &json.into()).map_err(|e| format!("{e:?}"))?;
        js_sys::Reflect::set(&envelope, &"bytes".into(), &bytes).map_err(|e| format!("{e:?}"))?;
        let transfer = js_sys::Array::of1(&bytes.buffer());
        self.slots[worker]
            .worker
            .post_message_with_transfer(&envelope, &transfer)
            .map_err(|e| format!("could not reach isolated worker {}: {e:?}", worker + 1))
    }

    /// Send `msg` to `worker`; its answers come through [`Self::next_event`].
    pub fn send_message(&mut self, worker: usize, msg: &ToProcess) -> Result<(), String> {
        let json = serde_json::to_string(msg).map_err(|e| e.to_string())?;
        self.post(worker, &JsValue::from_str(&json))
    }

    /// The poison pill: the worker answers and exits.
    pub fn send_pill(&mut self, worker: usize) -> Result<(), String> {
        let json = serde_json::to_string(&ToProcess::Stop).map_err(|e| e.to_string())?;
        self.post(worker, &JsValue::from_str(&json))
    }

    /// Wait for the next thing a worker fed by `send` reports. A panicking
    /// task or a broken worker ends the wait with an error naming it.
    pub async fn next_event(&mut self) -> Result<PoolEvent, String> {
        loop {
            match self.rx.next().await.ok_or("the pool's messages stopped")? {
                Event::Stop => return Err("Stopped before all tasks finished.".into()),
                Event::Crashed { worker, message, .. } => return Err(format!("isolated worker {} failed: {message}", worker + 1)),
                Event::Message { worker, at_ms, text, .. } => {
                    let msg: FromProcess = serde_json::from_str(&text)
                        .map_err(|e| format!("unreadable message from isolated worker {}: {e}", worker + 1))?;
                    match msg {
                        FromProcess::Done(reply) => {
                            let (label, _, sent_ms) = self.in_flight[worker].take().unwrap_or_default();
                            let output = reply.output.clone().map_err(TaskFailure::Failed);
                            let run = TaskRun { span: reply_span(reply, &label, worker, sent_ms, at_ms), output };
                            return Ok(PoolEvent::Done { worker, run });
                        }
                        FromProcess::Panicked { message, .. } => {
                            let label = self.in_flight[worker].take().map(|t| t.0).unwrap_or_else(|| "a task".into());
                            return Err(format!("{label} panicked in isolated worker {}: {message}", worker + 1));
                        }
                        FromProcess::Failed { message } => return Err(format!("isolated worker {}: {message}", worker + 1)),
                        FromProcess::Stopped { at_ms } => return Ok(PoolEvent::Exited { worker, at_ms }),
                        FromProcess::Ready { .. } => {}
                        message => return Ok(PoolEvent::Message { worker, at_ms, message }),
                    }
                }
            }
        }
    }
}

impl Drop for ProcessPool {
    fn drop(&mut self) {
        STOP.with(|s| *s.borrow_mut() = None);
        for slot in &self.slots {
            slot.worker.set_onmessage(None);
            slot.worker.set_onerror(None);
            slot.worker.terminate();
        }
    }
}
