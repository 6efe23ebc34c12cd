//! Threads for the `threads` model: Web Workers started on this instance's
//! memory (`www/thread-worker.js`), each running jobs from its own mailbox.
//! Starting them is real and timed (a `spawn` phase per thread); a pool is
//! dropped — its threads exit — when the run or repeat that owns it ends.
//!
//! The compute worker never blocks on them: each thread posts a message when
//! a job is done (or when a task panicked), and the compute worker awaits those.
use crate::clock::now_ms;
use crate::role::ThreadMsg;
use engine::record::{Phase, PhaseKind, TaskSpan};
use futures_channel::mpsc::{unbounded, UnboundedReceiver};
use futures_util::StreamExt;
use std::sync::mpsc::{channel, Sender};
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

pub type ThreadJob = Box<dyn FnOnce() + Send + 'static>;

struct Mailbox {
    jobs: std::sync::mpsc::Receiver<ThreadJob>,
}

/// A thread's life: run jobs until the pool drops its sender.
#[wasm_bindgen]
pub fn thread_worker_main(mailbox: u32) {
    crate::role::enter(crate::role::Role::Thread);
    // SAFETY: the pointer comes from `Box::into_raw` in `ThreadPool::start`,
    // handed to exactly one thread.
    let mailbox = unsafe { Box::from_raw(mailbox as *mut Mailbox) };
    while let Ok(job) = mailbox.jobs.recv() {
        job();
        crate::role::post_json(&ThreadMsg::Done);
    }
}

/// What one thread reported about a batch.
pub enum JobEnd {
    Done,
    /// The job's task panicked; the thread is gone.
    Panicked { task: Option<u32>, message: String, at_ms: f64 },
}

struct Thread {
    worker: Worker,
    jobs: Option<Sender<ThreadJob>>,
    alive: bool,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

pub struct ThreadPool {
    threads: Vec<Thread>,
    events: UnboundedReceiver<(usize, ThreadMsg)>,
}

impl ThreadPool {
    /// Start `count` threads and wait until each is running. Returns the
    /// pool and one `spawn` span per thread (clock times).
    pub async fn start(count: usize) -> Result<(ThreadPool, Vec<TaskSpan>), String> {
        let (tx, events) = unbounded();
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let started = now_ms();
        let mut threads = Vec::new();
        for index in 0..count {
            let worker = Worker::new_with_options("./thread-worker.js", &options)
                .map_err(|e| format!("could not start a thread: {e:?}"))?;
            let tx = tx.clone();
            let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let text = e.data().as_string().unwrap_or_default();
                let msg = serde_json::from_str(&text)
                    .unwrap_or(ThreadMsg::Died { message: format!("unreadable message from a thread: {text}") });
                let _ = tx.unbounded_send((index, msg));
            });
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            let (jobs, mailbox) = channel();
            let mailbox = Box::into_raw(Box::new(Mailbox { jobs: mailbox })) as u32;
            let init = js_sys::Object::new();
            let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&init, &k.into(), v).map(|_| ());
            set("module", &wasm_bindgen::module()).map_err(|e| format!("{e:?}"))?;
            set("memory", &wasm_bindgen::memory()).map_err(|e| format!("{e:?}"))?;
            set("mailbox", &JsValue::from(mailbox)).map_err(|e| format!("{e:?}"))?;
            worker.post_message(&init).map_err(|e| format!("could not reach a thread: {e:?}"))?;
            threads.push(Thread { worker, jobs: Some(jobs), alive: true, _on_message: on_message });
        }
        let mut pool = ThreadPool { threads, events };
        let mut spans = Vec::new();
        while spans.len() < count {
            let (index, msg) = pool.events.next().await.ok_or("thread messages stopped")?;
            match msg {
                ThreadMsg::Ready { at_ms } => spans.push(TaskSpan {
                    id: None,
                    label: format!("start thread {}", index + 1),
                    worker: index as u32,
                    start_ms: started,
                    end_ms: at_ms,
                    phases: vec![Phase { kind: PhaseKind::Spawn, start_ms: started, end_ms: at_ms }],
                }),
                ThreadMsg::Died { message } => return Err(format!("thread {} failed to start: {message}", index + 1)),
                _ => {}
            }
        }
        Ok((pool, spans))
    }

    /// Give one job to each live thread (at most `jobs.len()`), then wait for
    /// every one of them to end. Returns how each ended, by thread index.
    /// `on_panic(thread)` is called as soon as a thread reports a panicking
    /// task, so that a lock it held can be handed on before the others wait
    /// on it forever.
    pub async fn run(&mut self, jobs: Vec<ThreadJob>, on_panic: &dyn Fn(usize)) -> Result<Vec<(usize, JobEnd)>, String> {
        let mut busy = 0;
        let live: Vec<usize> = (0..self.threads.len()).filter(|&i| self.threads[i].alive).collect();
        for (index, job) in live.into_iter().zip(jobs) {
            let sent = self.threads[index].jobs.as_ref().map(|s| s.send(job).is_ok()).unwrap_or(false);
            if sent {
                busy += 1;
            }
        }
        let mut ends = Vec::new();
        let mut panics: Vec<(usize, Option<u32>, String, f64)> = Vec::new();
        while ends.len() < busy {
            let (index, msg) = self.events.next().await.ok_or("thread messages stopped")?;
            match msg {
                ThreadMsg::Done => ends.push((index, JobEnd::Done)),
                ThreadMsg::Panic { task, message, at_ms } => {
                    on_panic(index);
                    panics.push((index, task, message, at_ms));
                }
                ThreadMsg::Died { message } => {
                    self.threads[index].alive = false;
                    let end = match panics.iter().position(|p| p.0 == index) {
                        Some(i) => {
                            let (_, task, message, at_ms) = panics.remove(i);
                            JobEnd::Panicked { task, message, at_ms }
                        }
                        None => JobEnd::Panicked { task: None, message, at_ms: now_ms() },
                    };
                    ends.push((index, end));
                }
                ThreadMsg::Ready { .. } => {}
            }
        }
        Ok(ends)
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        // Closing the mailboxes lets each thread finish and exit on its own;
        // a thread that never got its mailbox closed is terminated.
        for t in &mut self.threads {
            t.worker.set_onmessage(None);
            t.jobs = None;
            if !t.alive {
                t.worker.terminate();
            }
        }
    }
}
