//! The `processes` model: a pool of isolated workers created for the run, fed
//! one task at a time in input order (Python's pools with chunksize 1), and
//! terminated at the end or on stop. Start-up is recorded as `spawn`, message
//! passing as `transfer`.
use crate::clock::now_ms;
use engine::config::RunPlan;
use engine::pool::{TaskFailure, TaskRun};
use engine::protocol::{FromProcess, TaskReply, ToProcess};
use engine::record::{Phase, PhaseKind, TaskSpan};
use engine::scenarios::TaskInput;
use futures_channel::mpsc::{unbounded, UnboundedSender};
use futures_util::StreamExt;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

enum Event {
    Message { worker: usize, at_ms: f64, text: String },
    Crashed { worker: usize, message: String },
    Stop,
}

thread_local! {
    /// Where a stop message goes while a process pool runs.
    static STOP: RefCell<Option<UnboundedSender<Event>>> = const { RefCell::new(None) };
}

/// Ask the running pool, if any, to terminate its workers.
pub fn stop() {
    STOP.with(|s| {
        if let Some(tx) = s.borrow().as_ref() {
            let _ = tx.unbounded_send(Event::Stop);
        }
    });
}

struct Pool {
    workers: Vec<Worker>,
    // Kept alive as long as the workers can call them.
    _handlers: Vec<Closure<dyn FnMut(JsValue)>>,
}

impl Drop for Pool {
    fn drop(&mut self) {
        for w in &self.workers {
            w.terminate();
        }
    }
}

fn spawn(count: usize, tx: &UnboundedSender<Event>) -> Result<Pool, String> {
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let mut pool = Pool { workers: Vec::new(), _handlers: Vec::new() };
    for worker in 0..count {
        let w = Worker::new_with_options("./process-worker.js", &options)
            .map_err(|e| format!("could not start an isolated worker: {e:?}"))?;
        let tx_msg = tx.clone();
        let on_message = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let e: MessageEvent = e.unchecked_into();
            let text = e.data().as_string().unwrap_or_default();
            let _ = tx_msg.unbounded_send(Event::Message { worker, at_ms: now_ms(), text });
        });
        let tx_err = tx.clone();
        let on_error = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let message = e.dyn_ref::<ErrorEvent>().map(|e| e.message()).unwrap_or_else(|| "unknown error".into());
            let _ = tx_err.unbounded_send(Event::Crashed { worker, message });
        });
        w.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        w.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // Share the compiled code, not the memory: each worker instantiates
        // its own copy with a fresh memory, like a freshly started process.
        let init = js_sys::Object::new();
        js_sys::Reflect::set(&init, &"module".into(), &wasm_bindgen::module()).map_err(|e| format!("{e:?}"))?;
        w.post_message(&init).map_err(|e| format!("could not reach an isolated worker: {e:?}"))?;
        pool.workers.push(w);
        pool._handlers.push(on_message);
        pool._handlers.push(on_error);
    }
    Ok(pool)
}

fn reply_span(reply: &TaskReply, label: &str, worker: usize, sent_ms: f64, back_ms: f64) -> TaskSpan {
    let phase = |kind, start_ms, end_ms| Phase { kind, start_ms, end_ms };
    TaskSpan {
        id: Some(reply.index),
        label: label.to_string(),
        worker: worker as u32,
        start_ms: sent_ms,
        end_ms: back_ms,
        phases: vec![
            phase(PhaseKind::Transfer, sent_ms, reply.start_ms.max(sent_ms)),
            phase(PhaseKind::Compute, reply.start_ms, reply.end_ms),
            phase(PhaseKind::Transfer, reply.end_ms, back_ms.max(reply.end_ms)),
        ],
    }
}

/// What a process-pool run produced.
pub struct PoolOutcome {
    /// Finished tasks, in input order.
    pub runs: Vec<TaskRun>,
    /// The pool's own work (starting workers), as spans with no task id.
    pub overhead: Vec<TaskSpan>,
    pub stopped: bool,
}

pub async fn run(plan: &RunPlan, tasks: &[TaskInput]) -> Result<PoolOutcome, String> {
    let (tx, mut rx) = unbounded::<Event>();
    STOP.with(|s| *s.borrow_mut() = Some(tx.clone()));
    let result = drive(plan, tasks, &tx, &mut rx).await;
    STOP.with(|s| *s.borrow_mut() = None);
    result
}

async fn drive(
    plan: &RunPlan,
    tasks: &[TaskInput],
    tx: &UnboundedSender<Event>,
    rx: &mut futures_channel::mpsc::UnboundedReceiver<Event>,
) -> Result<PoolOutcome, String> {
    let count = plan.workers as usize;
    let spawn_ms = now_ms();
    let pool = spawn(count, tx)?;
    let mut overhead = Vec::new();
    let mut idle: Vec<usize> = Vec::new();
    let mut sent_at = vec![0.0; tasks.len()];
    let mut on_worker = vec![0usize; tasks.len()];
    let mut runs: Vec<TaskRun> = Vec::new();
    let mut next = 0;
    // Like joining a Python pool: the run ends when every task is done and
    // every worker has started (a worker's start-up is part of the pool's cost).
    while runs.len() < tasks.len() || overhead.len() < count {
        let event = rx.next().await.ok_or("the pool's message channel closed")?;
        match event {
            Event::Stop => {
                drop(pool);
                runs.sort_by_key(|r| r.span.id);
                return Ok(PoolOutcome { runs, overhead, stopped: true });
            }
            Event::Crashed { worker, message } => {
                return Err(format!("isolated worker {} failed: {message}", worker + 1));
            }
            Event::Message { worker, at_ms, text } => {
                match serde_json::from_str::<FromProcess>(&text).map_err(|e| e.to_string())? {
                    FromProcess::Ready { at_ms: ready_ms } => {
                        let phases = vec![Phase { kind: PhaseKind::Spawn, start_ms: spawn_ms, end_ms: ready_ms }];
                        overhead.push(TaskSpan {
                            id: None,
                            label: format!("start isolated worker {}", worker + 1),
                            worker: worker as u32,
                            start_ms: spawn_ms,
                            end_ms: ready_ms,
                            phases,
                        });
                    }
                    FromProcess::Done(reply) => {
                        let i = reply.index as usize;
                        let span = reply_span(&reply, &tasks[i].label, on_worker[i], sent_at[i], at_ms);
                        let output = reply.output.map_err(TaskFailure::Failed);
                        runs.push(TaskRun { span, output });
                        crate::control::task_done();
                    }
                }
                idle.push(worker);
            }
        }
        while next < tasks.len() {
            let Some(worker) = idle.pop() else { break };
            sent_at[next] = now_ms();
            on_worker[next] = worker;
            let msg = ToProcess::Task { task: tasks[next].clone(), sent_ms: sent_at[next] };
            let json = serde_json::to_string(&msg).map_err(|e| e.to_string())?;
            pool.workers[worker].post_message(&JsValue::from_str(&json)).map_err(|e| format!("{e:?}"))?;
            next += 1;
        }
    }
    drop(pool);
    runs.sort_by_key(|r| r.span.id);
    Ok(PoolOutcome { runs, overhead, stopped: false })
}
