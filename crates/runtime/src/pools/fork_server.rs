//! The fork server of the `processes` model's `forkserver` start method:
//! isolated workers started in advance, off every run's clock, each handed
//! to exactly one pool (`processes::ProcessPool`) and terminated with it,
//! never reused. The compute worker fills it before `ready`, before each
//! run's clock starts (to what the run will take in all) and after each
//! run; nothing is started for it while a run goes on.
use crate::base::clock::started;
use crate::base::port::{Incoming, Port, Script};
use engine::protocol::{FromProcess, ToProcess};
use engine::reserve::Reserve;
use std::cell::RefCell;

/// An isolated worker's port, as both the fork server and pools hold it.
pub(super) type ProcessPort = Port<ToProcess, FromProcess>;

/// What an isolated worker's bootstrap reads first: the compiled code to
/// instantiate (not the memory: it makes a fresh one of its own, like a
/// freshly started process) and how many threads it starts on it.
pub(super) fn process_init(threads: u32) -> [(&'static str, wasm_bindgen::JsValue); 2] {
    [("module", wasm_bindgen::module()), ("threads", threads.into())]
}

/// The most workers the fork server keeps waiting (each holds an instance
/// and its memory).
const FORK_SERVER_MAX: usize = 12;

thread_local! {
    /// The fork server: isolated workers started in advance, waiting to be
    /// handed out, kept at the largest pool asked for.
    static FORK_SERVER: RefCell<Reserve<ProcessPort>> = const { RefCell::new(Reserve::new(FORK_SERVER_MAX)) };
}

/// Start workers in the background until the fork server holds its target
/// (raised to `at_least`, at most `FORK_SERVER_MAX`). Nothing of this is on
/// a run's clock. A worker that fails to start is dropped, not retried.
pub fn fill_fork_server(at_least: usize) {
    FORK_SERVER.with(|f| f.borrow_mut().raise_target(at_least));
    start_next_instance();
}

/// The same, every missing worker at once: for when no run is going on
/// (between runs, before a run's clock starts), where the cores are free.
pub fn fill_fork_server_at_once(at_least: usize) {
    let missing = FORK_SERVER.with(|f| {
        let mut f = f.borrow_mut();
        f.raise_target(at_least);
        f.missing()
    });
    for _ in 0..missing {
        start_instance(false);
    }
}

/// Start one worker if the fork server lacks any and none is starting; the
/// next starts when this one has loaded. One at a time: a start takes a
/// core for tens of milliseconds, and a run that goes on meanwhile (the next
/// batch of a pipeline, say) should lose at most one core to it, never all.
fn start_next_instance() {
    let wanted = FORK_SERVER.with(|f| {
        let f = f.borrow();
        f.settled() && f.missing() > 0
    });
    if wanted {
        start_instance(true);
    }
}

/// Start one worker for the fork server; once it has loaded, `chain` starts
/// the next one the fork server lacks.
fn start_instance(chain: bool) {
    let Ok(mut port) = Port::spawn(Script::Process, &process_init(0), |_: Incoming<FromProcess>| {}) else {
        return;
    };
    // Its number in the reserve, known before it joins it: the handler,
    // set before any message can arrive, finds it by that.
    let number = FORK_SERVER.with(|f| f.borrow().next_number());
    port.reroute(move |incoming| {
        let loaded = FORK_SERVER.with(|f| {
            let mut f = f.borrow_mut();
            match incoming {
                Incoming::Loaded { .. } | Incoming::Message(FromProcess::Ready { .. }, _) => f.loaded(number),
                _ => {
                    if let Some(port) = f.failed(number) {
                        port.terminate();
                    }
                    false
                }
            }
        });
        if loaded && chain {
            start_next_instance();
        }
    });
    FORK_SERVER.with(|f| f.borrow_mut().warming(port));
}

/// Resolves once no worker of the fork server is still starting (or after
/// the start watchdog).
pub async fn fork_server_filled() {
    started(|| FORK_SERVER.with(|f| f.borrow().settled())).await;
}

/// End every worker the fork server holds and keep none from now on (its
/// starts become real starts); returns how many were ended.
pub(super) fn release_fork_server() -> usize {
    let ports = FORK_SERVER.with(|f| f.borrow_mut().release());
    for p in &ports {
        p.terminate();
    }
    ports.len()
}

/// Up to `count` ready workers from the fork server.
pub(super) fn from_fork_server(count: usize) -> Vec<ProcessPort> {
    FORK_SERVER.with(|f| f.borrow_mut().take(count))
}
