//! Threads for the `threads` model: Web Workers on this instance's memory
//! (`www/thread-worker.js`), each running jobs from its own mailbox.
//!
//! A thread starts from a warm reserve, as Emscripten's `PTHREAD_POOL_SIZE`
//! does: a Web Worker that has already loaded the module on this memory waits
//! on its mailbox, and starting a thread hands it a start message it answers
//! at once. That answer ends the thread's `spawn` phase, so the timeline shows
//! what a thread start costs here. A finished pool's threads return to the
//! reserve; the reserve grows to the largest pool asked for (those extra
//! workers are started on the run's clock, as real starts) and is refilled
//! in the background, off every run's clock, when a thread died.
//!
//! The compute worker never blocks on them: each thread posts a message when
//! a job is done (or when a task panicked), and the compute worker awaits those.
use crate::clock::now_ms;
use crate::role::ThreadMsg;
use engine::record::{Phase, PhaseKind, TaskSpan};
use futures_channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use futures_util::StreamExt;
use std::cell::RefCell;
use std::sync::mpsc::{channel, Sender};
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

pub type ThreadJob = Box<dyn FnOnce() + Send + 'static>;

/// What a thread's mailbox carries.
enum Mail {
    /// Start as a new thread of a pool: answer `Ready` now.
    Start,
    Job(ThreadJob),
}

struct Mailbox {
    mail: std::sync::mpsc::Receiver<Mail>,
}

/// A thread's life: answer starts and run jobs until its mailbox closes.
#[wasm_bindgen]
pub fn thread_worker_main(mailbox: u32) {
    crate::role::enter(crate::role::Role::Thread);
    // SAFETY: the pointer comes from `Box::into_raw` in `Carrier::spawn`,
    // handed to exactly one thread.
    let mailbox = unsafe { Box::from_raw(mailbox as *mut Mailbox) };
    while let Ok(mail) = mailbox.mail.recv() {
        match mail {
            Mail::Start => crate::role::post_json(&ThreadMsg::Ready { at_ms: now_ms() }),
            Mail::Job(job) => {
                job();
                crate::role::post_json(&ThreadMsg::Done);
            }
        }
    }
}

/// A Web Worker carrying a thread, with the route its messages take.
struct Carrier {
    worker: Worker,
    mail: Sender<Mail>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

fn listener(mut route: impl FnMut(ThreadMsg) + 'static) -> Closure<dyn FnMut(MessageEvent)> {
    Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let text = e.data().as_string().unwrap_or_default();
        route(serde_json::from_str(&text).unwrap_or(ThreadMsg::Died { message: format!("unreadable message from a thread: {text}") }));
    })
}

impl Carrier {
    /// A new Web Worker that loads the module on this memory; it says
    /// `Ready` (through `route`) once it runs.
    fn spawn(route: impl FnMut(ThreadMsg) + 'static) -> Result<Carrier, String> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker =
            Worker::new_with_options("./thread-worker.js", &options).map_err(|e| format!("could not start a thread: {e:?}"))?;
        let on_message = listener(route);
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let (mail, mailbox) = channel();
        let mailbox = Box::into_raw(Box::new(Mailbox { mail: mailbox })) as u32;
        let init = js_sys::Object::new();
        let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&init, &k.into(), v).map(|_| ());
        set("module", &wasm_bindgen::module()).map_err(|e| format!("{e:?}"))?;
        set("memory", &wasm_bindgen::memory()).map_err(|e| format!("{e:?}"))?;
        set("mailbox", &JsValue::from(mailbox)).map_err(|e| format!("{e:?}"))?;
        worker.post_message(&init).map_err(|e| format!("could not reach a thread: {e:?}"))?;
        Ok(Carrier { worker, mail, _on_message: on_message })
    }

    /// Send this carrier's messages to `route` from now on.
    fn reroute(&mut self, route: impl FnMut(ThreadMsg) + 'static) {
        let on_message = listener(route);
        self.worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        self._on_message = on_message;
    }
}

/// Ready workers waiting to carry a thread, and those still loading.
#[derive(Default)]
struct Reserve {
    idle: Vec<Carrier>,
    warming: Vec<(u32, Carrier)>,
    /// The largest pool asked for: the size the reserve is kept at.
    target: usize,
    next_id: u32,
}

thread_local! {
    static RESERVE: RefCell<Reserve> = RefCell::new(Reserve::default());
}

/// Start workers in the background until the reserve holds `target` (or
/// `at_least`, if larger); none of this is on any run's clock.
pub fn warm_reserve(at_least: usize) {
    RESERVE.with(|r| {
        let mut r = r.borrow_mut();
        r.target = r.target.max(at_least);
        let missing = r.target.saturating_sub(r.idle.len() + r.warming.len());
        for _ in 0..missing {
            let id = r.next_id;
            r.next_id += 1;
            let Ok(carrier) = Carrier::spawn(move |msg| {
                if let ThreadMsg::Ready { .. } = msg {
                    RESERVE.with(|r| {
                        let mut r = r.borrow_mut();
                        if let Some(i) = r.warming.iter().position(|(w, _)| *w == id) {
                            let (_, carrier) = r.warming.swap_remove(i);
                            r.idle.push(carrier);
                        }
                    });
                }
            }) else {
                return;
            };
            r.warming.push((id, carrier));
        }
    });
}

/// What one thread reported about a batch.
pub enum JobEnd {
    Done,
    /// The job's task panicked; the thread is gone.
    Panicked { task: Option<u32>, message: String, at_ms: f64 },
}

struct Thread {
    carrier: Carrier,
    alive: bool,
}

pub struct ThreadPool {
    threads: Vec<Thread>,
    events: UnboundedReceiver<(usize, ThreadMsg)>,
}

fn route_to(tx: &UnboundedSender<(usize, ThreadMsg)>, index: usize) -> impl FnMut(ThreadMsg) + 'static {
    let tx = tx.clone();
    move |msg| {
        let _ = tx.unbounded_send((index, msg));
    }
}

impl ThreadPool {
    /// Start `count` threads and wait until each is running: ready workers
    /// from the reserve first, new ones for the rest. Returns the pool and
    /// one `spawn` span per thread (clock times).
    pub async fn start(count: usize) -> Result<(ThreadPool, Vec<TaskSpan>), String> {
        let (tx, events) = unbounded();
        let started = now_ms();
        let reused: Vec<Carrier> = RESERVE.with(|r| {
            let mut r = r.borrow_mut();
            r.target = r.target.max(count);
            let n = r.idle.len().min(count);
            let from = r.idle.len() - n;
            r.idle.drain(from..).collect()
        });
        let mut threads = Vec::with_capacity(count);
        for (index, mut carrier) in reused.into_iter().enumerate() {
            carrier.reroute(route_to(&tx, index));
            carrier.mail.send(Mail::Start).map_err(|_| format!("thread {} has gone", index + 1))?;
            threads.push(Thread { carrier, alive: true });
        }
        for index in threads.len()..count {
            threads.push(Thread { carrier: Carrier::spawn(route_to(&tx, index))?, alive: true });
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
                ThreadMsg::Died { message } => {
                    pool.threads[index].alive = false;
                    return Err(format!("thread {} failed to start: {message}", index + 1));
                }
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
            if self.threads[index].carrier.mail.send(Mail::Job(job)).is_ok() {
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
        // Live threads go back to the reserve, waiting on their mailboxes; a
        // thread whose task panicked took its instance down: let it go, and
        // start a replacement in the background.
        let mut returned = Vec::new();
        for t in self.threads.drain(..) {
            if t.alive {
                t.carrier.worker.set_onmessage(None);
                returned.push(t.carrier);
            } else {
                t.carrier.worker.terminate();
            }
        }
        RESERVE.with(|r| r.borrow_mut().idle.extend(returned));
        warm_reserve(0);
    }
}
