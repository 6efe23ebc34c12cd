//! The compute worker: the one place runs start from. The page posts a plan;
//! this worker has its scenario's runner execute it and posts back the run
//! record.
use super::panic::enter;
use crate::base::clock::{now_ms, within, START_WATCHDOG_MS};
use crate::base::port::{listen_to_parent, post_to_parent, Incoming};
use crate::base::role::Role;
use crate::base::{control, env};
use crate::pools::{processes, threads};
use crate::runners;
use engine::config::RunPlan;
use engine::error::RunError;
use engine::protocol::{FromCompute, StartStage, ToCompute};
use std::cell::Cell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Start-up: find out whether memory can be shared with other workers
/// here; if so, start rayon's pool (one thread per core, for work split
/// inside one task) and the warm reserve of threads; then listen. Called by
/// `www/compute-worker.js`.
///
/// Where memory cannot be shared (a page that is not cross-origin isolated,
/// or a browser that says isolated but gives no `SharedArrayBuffer`) this
/// same module still runs: the browser creates its shared memory, and
/// blocking waits work inside workers; only handing that memory to another
/// worker is refused. So the worker answers every run that needs no second
/// worker on its memory (serial, process pools, async) and refuses the rest
/// with the reason (`Env::shared_memory_refusal`); the page gets no control
/// block then. A thread pool that fails to start takes that path too: start-up
/// never fails on its account.
#[wasm_bindgen]
pub async fn compute_worker_main(asked: u32) {
    enter(Role::Compute);
    post_to_parent(&FromCompute::Starting { stage: StartStage::StartingWorkers }, None);
    let mut env = env::detect();
    let cores = env.cores.max(1);
    // The pool the page will ask for first (its form's or link's workers,
    // which the page told the bootstrap): held ready, so its first run
    // starts none cold.
    let asked = asked.clamp(cores, engine::catalog::MAX_WORKERS) as usize;
    PREPARED.with(|p| p.set(asked));
    let mut shared = env::can_hand_memory_on();
    if shared {
        // wasm-bindgen-rayon waits for every one of its workers to answer,
        // however long: a worker that never loads would hold `ready` back
        // for ever, so it gets the start watchdog's time.
        let pool = JsFuture::from(wasm_bindgen_rayon::init_thread_pool(cores as usize));
        let failure = match within(START_WATCHDOG_MS, pool).await {
            Some(Ok(_)) => None,
            Some(Err(e)) => Some(format!("{e:?}")),
            None => Some(format!("its workers did not answer within {} s", START_WATCHDOG_MS / 1000)),
        };
        if let Some(why) = failure {
            web_sys::console::warn_1(&format!("threads are off: the thread pool did not start ({why})").into());
            shared = false;
        }
    }
    if shared {
        // Ready thread workers for the first pool asked (at least one per
        // core), off every run's clock.
        threads::warm_reserve(asked);
    }
    // `ready` means ready to measure: the fork server's isolated workers
    // (for `forkserver` starts) and the thread reserve have started, and the
    // kernels have run long enough to be compiled by the optimising tier.
    processes::fill_fork_server(asked.max(4));
    warm_up_kernels().await;
    processes::fork_server_filled().await;
    if shared {
        threads::reserve_warm().await;
        post_to_parent(&FromCompute::Starting { stage: StartStage::WarmingUp }, None);
        // One thread per core is enough to warm the code every thread runs
        // (compiled once for all of them); the reserve's other threads are
        // started, and have answered a start and run a small task, so they
        // cost the run nothing either.
        warm_up_threads(cores).await;
        rehearse_pool(asked).await;
    }
    env::settle_shared_memory(shared);
    env.shared_memory = Some(shared);
    let refusal = env.shared_memory_refusal();
    listen_to_parent(move |incoming: Incoming<ToCompute>| match incoming {
        // A plan is checked again here, as a config is: it came by message.
        Incoming::Message(ToCompute::Run { id, plan }, _) => match engine::config::revalidate(&plan) {
            Err(e) => post_to_parent(&FromCompute::Failed { id, error: RunError::InvalidPlan(e.to_string()) }, None),
            Ok(plan) if plan.needs_shared_memory() && refusal.is_some() => {
                let error = refusal.clone().unwrap_or(RunError::NotIsolated);
                post_to_parent(&FromCompute::Failed { id, error }, None)
            }
            Ok(plan) => wasm_bindgen_futures::spawn_local(answer(id, plan, shared)),
        },
        Incoming::Message(ToCompute::Stop { id }, _) => {
            control::request_stop(id);
            processes::stop();
        }
        Incoming::Message(ToCompute::Prepare { workers }, _) => {
            PREPARED.with(|p| p.set(p.get().max(workers.min(engine::catalog::MAX_WORKERS) as usize)));
            if !RUNNING.with(Cell::get) {
                prepare(shared);
            }
        }
        other => post_to_parent(&FromCompute::Failed { id: 0, error: RunError::broken(format!("unreadable request: {other:?}")) }, None),
    });

    let layout = control::control_layout();
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let ready = FromCompute::Ready {
        env,
        threads: if shared { engine::catalog::MAX_WORKERS } else { 0 },
        control_stop_run: layout.stop_run,
        control_run: layout.run,
        control_done: layout.done,
        control_total: layout.total,
    };
    // The memory can be handed to the page only where it may be shared.
    post_to_parent(&ready, shared.then(|| memory.buffer()).as_ref());
}

/// How long the kernels run before `ready`, off every run's clock. Measured
/// against 300 ms (BENCHMARKS.md): each kernel's first serial run relative
/// to its third is the same with either, and `ready` comes 0.13 s sooner.
const WARM_UP_MS: f64 = 100.0;

/// Rounds of every kernel for `WARM_UP_MS`, yielding between rounds so the
/// workers starting meanwhile are answered.
async fn warm_up_kernels() {
    let until = now_ms() + WARM_UP_MS;
    while now_ms() < until {
        std::hint::black_box(kernels::warm_up::warm_up_round());
        gloo_timers::future::TimeoutFuture::new(0).await;
    }
}

/// Runs of primes on a pool of the reserve's threads, one per core, as a
/// reader's first run would be, until two in a row take the same time
/// (within 10 %, at most 8 runs): the costs of a first time (each thread's
/// first pass through the kernels, the shared heap growing, the browser
/// still compiling the hot code on its own threads, which takes a core from
/// a pool of one thread per core) are paid here, off every run's clock.
/// Their records are dropped.
///
/// Each run is 16 short tasks (primes below 10007, about 3 ms each), not
/// one long one per thread: a call that began in the browser's quick first
/// compile stays in it to its end, however soon the optimised code is
/// ready, so one long task made the first run twice the others in about
/// half the visits (three runs of 95–200 ms); short calls take the
/// optimised code as soon as it is there (runs of 55–70 ms, the first
/// run of the reader's default after it as fast as the third).
async fn warm_up_threads(workers: u32) {
    let Some(plan) = primes_on_threads(workers as usize, 16, 10007) else { return };
    let mut last: Option<f64> = None;
    for _ in 0..8 {
        let Ok(record) = runners::run(control::INTERNAL_RUN, &plan).await else { break };
        control::end();
        if record.error.is_some() {
            break;
        }
        if last.is_some_and(|l| (record.wall_ms - l).abs() <= 0.1 * l) {
            break;
        }
        last = Some(record.wall_ms);
    }
}

/// Two runs of a small primes task on a pool of `workers` threads from the
/// reserve, the pool the page will ask for first: a thread's first start in
/// a pool runs code its worker has not run before (measured, the default
/// run's four threads on two cores: the slowest start 1.0–2.0 ms on a first
/// run, 0.2–0.6 ms on later ones when only one per core was warmed up).
async fn rehearse_pool(workers: usize) {
    let Some(plan) = primes_on_threads(workers, workers, 2000) else { return };
    for _ in 0..2 {
        let outcome = runners::run(control::INTERNAL_RUN, &plan).await;
        control::end();
        if outcome.map_or(true, |r| r.error.is_some()) {
            break;
        }
    }
}

/// `tasks` primes tasks below `limit` (16 at most, as many as a config may
/// list), on `workers` threads, GIL off.
fn primes_on_threads(workers: usize, tasks: usize, limit: u32) -> Option<RunPlan> {
    let config = engine::config::RunConfig {
        scenario: engine::scenarios::ScenarioId::Primes.as_str().into(),
        model: engine::model::Model::Threads.id().into(),
        workers: (workers as u32).into(),
        gil: false.into(),
        params: serde_json::json!({ "limits": vec![limit; tasks.min(16)] }),
        ..Default::default()
    };
    engine::config::validate(&config).ok()
}

thread_local! {
    /// The largest pool the page said it will ask for.
    static PREPARED: Cell<usize> = const { Cell::new(0) };
    /// A run is going on: reserves grow only between runs.
    static RUNNING: Cell<bool> = const { Cell::new(false) };
}

/// Grows the thread reserve and the fork server to the pool the page will
/// ask for; both start the missing workers in the background.
fn prepare(shared: bool) {
    let workers = PREPARED.with(Cell::get);
    if shared {
        threads::warm_reserve(workers);
    }
    processes::fill_fork_server_at_once(workers);
}

async fn answer(id: u32, plan: RunPlan, shared: bool) {
    RUNNING.with(|r| r.set(true));
    if plan.start_method == engine::start_method::StartMethod::Forkserver {
        // Before the run's clock starts: as many instances as its pools will
        // take in all (within the fork server's bound), started together
        // while the cores are free, so the run meets none still starting.
        processes::fill_fork_server_at_once(engine::scenarios::processes_asked(&plan));
        processes::fork_server_filled().await;
    }
    let outcome = runners::run(id, &plan).await;
    control::end();
    RUNNING.with(|r| r.set(false));
    prepare(shared);
    // The fork server refills before the record goes back; the page sends
    // the next run only after this one's record, so every run starts with
    // the reserve full, and no refill is on any run's clock.
    processes::fork_server_filled().await;
    match outcome {
        Ok(record) => post_to_parent(&FromCompute::Result { id, record: Box::new(record) }, None),
        Err(error) => post_to_parent(&FromCompute::Failed { id, error }, None),
    }
}
