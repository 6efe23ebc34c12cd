//! Threads for the `threads` model: Web Workers on this instance's memory
//! (`www/thread-worker.js`), each running jobs from its own mailbox.
//!
//! A thread starts from a warm reserve, as Emscripten's `PTHREAD_POOL_SIZE`
//! does: a Web Worker that has already loaded the module on this memory waits
//! on its mailbox, and starting a thread hands it a start message it answers
//! at once, on a board in shared memory (`start_board`). That answer ends the
//! thread's `spawn` phase, so the timeline shows what a thread start costs
//! here. A finished pool's threads return to the
//! reserve; the reserve grows to the largest pool asked for (those extra
//! workers are started on the run's clock, as real starts) and is refilled
//! in the background, off every run's clock, when a thread died.
//!
//! The compute worker blocks on them only while a pool starts (at most 50 ms
//! on the board, see `ThreadPool::start`); a run never blocks it: each thread
//! posts a message when a job is done (or when a task panicked), and the
//! compute worker awaits those.
use crate::base::clock::{now_ms, started, within, START_WATCHDOG_MS};
use crate::base::port::{Incoming, Port, Script};
use crate::pools::start_board::StartBoard;
use engine::catalog::MAX_WORKERS;
use engine::error::RunError;
use engine::protocol::FromThread;
use engine::record::{PhaseKind, TaskSpan};
use engine::reserve::Reserve;
use futures_channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use futures_util::StreamExt;
use std::cell::RefCell;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;
use wasm_bindgen::JsValue;

pub type ThreadJob = Box<dyn FnOnce() + Send + 'static>;

/// How long a pool's start blocks the compute worker for its reserve's
/// threads to answer on the board (they take well under a millisecond; a
/// thread slower than this is waited for by polling).
const BOARD_WAIT_MS: f64 = 50.0;
/// How often the board is looked at again after that.
const BOARD_POLL_MS: u32 = 2;

/// What a thread's mailbox carries.
pub enum Mail {
    /// Start as thread `index` of a pool: answer on the board now.
    Start {
        index: usize,
        board: Arc<StartBoard>,
    },
    Job(ThreadJob),
}

/// A thread's end of its mailbox, handed to it by address.
pub struct Mailbox {
    mail: Receiver<Mail>,
}

impl Mailbox {
    /// The mailbox at `address`.
    ///
    /// # Safety
    /// `address` comes from `Box::into_raw` in `Carrier::spawn`, and is
    /// handed to exactly one thread, which calls this once.
    pub unsafe fn take(address: u32) -> Box<Mailbox> {
        Box::from_raw(address as *mut Mailbox)
    }

    /// A thread's life: answer starts and run jobs until the mailbox closes.
    /// `tell` reports to the pool.
    pub fn serve(self, tell: impl Fn(&FromThread)) {
        while let Ok(mail) = self.mail.recv() {
            match mail {
                Mail::Start { index, board } => board.answer(index, now_ms()),
                Mail::Job(job) => {
                    job();
                    tell(&FromThread::Done);
                }
            }
        }
    }
}

/// A thread's report, from what its worker posted.
fn thread_msg(incoming: Incoming<FromThread>) -> FromThread {
    match incoming {
        Incoming::Message(msg, _) => msg,
        Incoming::Loaded { at_ms } => FromThread::Ready { at_ms },
        Incoming::Died { message } | Incoming::Crashed { message } => FromThread::Died { message },
        Incoming::Unreadable(text) => FromThread::Died { message: format!("unreadable message from a thread: {text}") },
    }
}

/// A Web Worker carrying a thread: its port, and its mailbox's sending end.
struct Carrier {
    port: Port<(), FromThread>,
    mail: Sender<Mail>,
}

impl Carrier {
    /// A new Web Worker that loads the module on this memory; it says
    /// `Ready` (through `route`) once it runs.
    fn spawn(mut route: impl FnMut(FromThread) + 'static) -> Result<Carrier, RunError> {
        let (mail, mailbox) = channel();
        let mailbox = Box::into_raw(Box::new(Mailbox { mail: mailbox })) as u32;
        let init = [("module", wasm_bindgen::module()), ("memory", wasm_bindgen::memory()), ("mailbox", JsValue::from(mailbox))];
        let port = Port::spawn(Script::Thread, &init, move |m| route(thread_msg(m)))?;
        Ok(Carrier { port, mail })
    }

    /// Send this carrier's messages to `route` from now on.
    fn reroute(&mut self, mut route: impl FnMut(FromThread) + 'static) {
        self.port.reroute(move |m| route(thread_msg(m)));
    }
}

thread_local! {
    /// Ready workers waiting to carry a thread, and those still loading;
    /// kept at the largest pool asked for.
    static RESERVE: RefCell<Reserve<Carrier>> = const { RefCell::new(Reserve::new(MAX_WORKERS as usize)) };
}

/// Start workers in the background until the reserve holds its target
/// (raised to `at_least`); none of this is on any run's clock.
pub fn warm_reserve(at_least: usize) {
    RESERVE.with(|r| {
        let mut r = r.borrow_mut();
        r.raise_target(at_least);
        for _ in 0..r.missing() {
            let number = r.next_number();
            let Ok(carrier) = Carrier::spawn(move |msg| {
                RESERVE.with(|r| {
                    let mut r = r.borrow_mut();
                    match msg {
                        FromThread::Ready { .. } => {
                            r.loaded(number);
                        }
                        FromThread::Died { .. } => {
                            if let Some(c) = r.failed(number) {
                                c.port.terminate();
                            }
                        }
                        _ => {}
                    }
                });
            }) else {
                return;
            };
            r.warming(carrier);
        }
    });
}

/// Resolves once no thread of the reserve is still starting (or after the
/// start watchdog): then a pool's threads start in well under a millisecond.
pub async fn reserve_warm() {
    started(|| RESERVE.with(|r| r.borrow().settled())).await;
}

/// What one thread reported about a batch.
pub enum JobEnd {
    Done,
    /// The job's task panicked; the thread is gone.
    Panicked {
        task: Option<u32>,
        message: String,
        at_ms: f64,
    },
}

struct Thread {
    carrier: Carrier,
    alive: bool,
}

pub struct ThreadPool {
    threads: Vec<Thread>,
    events: UnboundedReceiver<(usize, FromThread)>,
}

fn route_to(tx: &UnboundedSender<(usize, FromThread)>, index: usize) -> impl FnMut(FromThread) + 'static {
    let tx = tx.clone();
    move |msg| {
        let _ = tx.unbounded_send((index, msg));
    }
}

impl ThreadPool {
    /// Start `count` threads and wait until each is running: ready workers
    /// from the reserve first, new ones for the rest. Returns the pool and
    /// one `spawn` span per thread (clock times).
    ///
    /// # Errors
    /// `StartUp` if a thread cannot be started or dies starting.
    pub async fn start(count: usize) -> Result<(ThreadPool, Vec<TaskSpan>), RunError> {
        let (tx, events) = unbounded();
        let started = now_ms();
        let reused: Vec<Carrier> = RESERVE.with(|r| r.borrow_mut().take(count));
        let warm = reused.len();
        // Every start goes out before anything else is done, so no thread
        // waits on the compute worker's other work.
        let board = Arc::new(StartBoard::new(warm));
        for (index, carrier) in reused.iter().enumerate() {
            let start = Mail::Start { index, board: board.clone() };
            carrier.mail.send(start).map_err(|_| RunError::StartUp(format!("thread {} has gone", index + 1)))?;
        }
        let mut threads = Vec::with_capacity(count);
        for (index, mut carrier) in reused.into_iter().enumerate() {
            carrier.reroute(route_to(&tx, index));
            threads.push(Thread { carrier, alive: true });
        }
        for index in threads.len()..count {
            threads.push(Thread { carrier: Carrier::spawn(route_to(&tx, index))?, alive: true });
        }
        let mut pool = ThreadPool { threads, events };
        let mut spans = Vec::new();
        let mut ready = vec![false; count];
        let mut span = |index: usize, at_ms: f64, ready: &mut Vec<bool>| {
            ready[index] = true;
            spans.push(TaskSpan::one_phase(
                None,
                // Said in the label: a thread from the reserve was started
                // before the run, so its start costs only its wake.
                if index < warm { format!("start thread {} (from the reserve)", index + 1) } else { format!("start thread {}", index + 1) },
                index as u32,
                PhaseKind::Spawn,
                started,
                at_ms,
            ));
        };
        // The reserve's threads answer within a wake: wait for them here
        // (blocking this worker briefly), then for the rest by message.
        board.wait(now_ms() + BOARD_WAIT_MS, now_ms);
        let deadline = now_ms() + f64::from(START_WATCHDOG_MS);
        loop {
            for index in 0..warm {
                if let (false, Some(at_ms)) = (ready[index], board.at(index)) {
                    span(index, at_ms, &mut ready);
                }
            }
            if ready.iter().all(|r| *r) {
                break;
            }
            if now_ms() > deadline {
                let silent: Vec<String> = (0..count).filter(|i| !ready[*i]).map(|i| (i + 1).to_string()).collect();
                return Err(RunError::StartUp(format!(
                    "thread {} did not start within {} s (it never answered its start message)",
                    silent.join(", "),
                    START_WATCHDOG_MS / 1000
                )));
            }
            // A thread from the reserve that has not answered yet is looked
            // for on the board again after a short while.
            let Some(event) = within(BOARD_POLL_MS, pool.events.next()).await else { continue };
            let (index, msg) = event.ok_or_else(|| RunError::broken("thread messages stopped"))?;
            match msg {
                FromThread::Ready { at_ms } if index >= warm && !ready[index] => span(index, at_ms, &mut ready),
                FromThread::Died { message } => {
                    pool.threads[index].alive = false;
                    return Err(RunError::StartUp(format!("thread {} failed to start: {message}", index + 1)));
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
    ///
    /// # Errors
    /// `Broken` if the threads' messages stop.
    pub async fn run(&mut self, jobs: Vec<ThreadJob>, on_panic: &dyn Fn(usize)) -> Result<Vec<(usize, JobEnd)>, RunError> {
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
            let (index, msg) = self.events.next().await.ok_or_else(|| RunError::broken("thread messages stopped"))?;
            match msg {
                FromThread::Done => ends.push((index, JobEnd::Done)),
                FromThread::Panic { task, message, at_ms } => {
                    on_panic(index);
                    panics.push((index, task, message, at_ms));
                }
                FromThread::Died { message } => {
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
                FromThread::Ready { .. } => {}
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
                t.carrier.port.silence();
                returned.push(t.carrier);
            } else {
                t.carrier.port.terminate();
            }
        }
        RESERVE.with(|r| {
            let mut r = r.borrow_mut();
            for carrier in returned {
                if let Some(extra) = r.give_back(carrier) {
                    extra.port.terminate();
                }
            }
        });
        warm_reserve(0);
    }
}
