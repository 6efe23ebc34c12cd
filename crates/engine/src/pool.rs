//! The pool model shared by `serial` and `threads`: N workers take tasks from
//! one queue in input order (like Python's pools with chunksize 1), each
//! recording what it did as phases. With a GIL, a worker must hold the lock to
//! compute and waits for it in `lock-wait` phases.
//!
//! How the workers become threads is the caller's business (`spawn_all`): std
//! scoped threads in native tests, rayon's Web Workers in the browser, or the
//! caller's own thread for the serial model.
use crate::clock::Clock;
use crate::error::RunError;
use crate::gil::Gil;
use crate::phases::PhaseLog;
use crate::span::{PhaseKind, TaskSpan};
use kernels::{Checkpoint, Stopped};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Why a task produced no output.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskFailure {
    Stopped,
    Failed(String),
}

impl TaskFailure {
    /// As it crosses to another worker: the failure's message, or "stopped".
    pub fn into_text(self) -> String {
        match self {
            TaskFailure::Stopped => "stopped".to_string(),
            TaskFailure::Failed(m) => m,
        }
    }
}

impl From<Stopped> for TaskFailure {
    fn from(_: Stopped) -> Self {
        TaskFailure::Stopped
    }
}

impl From<TaskFailure> for RunError {
    fn from(f: TaskFailure) -> RunError {
        match f {
            TaskFailure::Stopped => RunError::Stopped,
            TaskFailure::Failed(m) => RunError::Broken(m),
        }
    }
}

/// One task's work: input index and a checkpoint to call now and then.
pub type TaskFn<'a> = dyn Fn(usize, &mut dyn Checkpoint) -> Result<Value, TaskFailure> + Sync + 'a;

/// A boxed worker body, handed to the spawner.
pub type Job<'a> = Box<dyn FnOnce() + Send + 'a>;

pub struct PoolSetup<'a> {
    pub workers: usize,
    pub gil: Option<&'a Gil>,
    pub clock: &'a dyn Clock,
    /// Polled at every checkpoint and between tasks.
    pub should_stop: &'a (dyn Fn() -> bool + Sync),
    /// Called after each finished task (progress).
    pub on_task_done: &'a (dyn Fn() + Sync),
}

/// What one task did, with clock times (not yet relative to the run start).
#[derive(Debug, Clone)]
pub struct TaskRun {
    pub span: TaskSpan,
    pub output: Result<Value, TaskFailure>,
}

/// The checkpoint a pool worker hands to kernels: stops on request, and with
/// a GIL hands the lock on after the switch interval if someone is waiting.
struct WorkerCheckpoint<'a> {
    setup: &'a PoolSetup<'a>,
    worker: usize,
    log: PhaseLog,
    held_since: f64,
}

impl Checkpoint for WorkerCheckpoint<'_> {
    fn check(&mut self) -> Result<(), Stopped> {
        if (self.setup.should_stop)() {
            return Err(Stopped);
        }
        if let Some(gil) = self.setup.gil {
            let now = self.setup.clock.now_ms();
            if now - self.held_since >= gil.switch_interval_ms && gil.has_waiters() {
                self.log.switch(PhaseKind::LockWait, now);
                gil.release();
                gil.acquire(self.worker);
                self.held_since = self.setup.clock.now_ms();
                self.log.switch(PhaseKind::Compute, self.held_since);
            }
        }
        Ok(())
    }

    /// Sleep for real, in slices so a stop is seen quickly; a GIL holder lets
    /// go of the lock while asleep, as CPython does around `time.sleep`.
    fn sleep(&mut self, ms: f64) -> Result<(), Stopped> {
        let clock = self.setup.clock;
        let deadline = clock.now_ms() + ms.max(0.0);
        self.leave(PhaseKind::Sleep);
        let mut stopped = false;
        loop {
            let left = deadline - clock.now_ms();
            if left <= 0.0 {
                break;
            }
            if (self.setup.should_stop)() {
                stopped = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_secs_f64(left.min(SLEEP_SLICE_MS) / 1000.0));
        }
        self.resume();
        if stopped {
            Err(Stopped)
        } else {
            Ok(())
        }
    }

    fn io(&mut self, wait: &mut dyn FnMut()) -> Result<(), Stopped> {
        self.leave(PhaseKind::Io);
        wait();
        self.resume();
        self.check()
    }
}

impl WorkerCheckpoint<'_> {
    /// Leave the compute phase for `kind`, letting go of the GIL meanwhile.
    fn leave(&mut self, kind: PhaseKind) {
        self.log.switch(kind, self.setup.clock.now_ms());
        if let Some(gil) = self.setup.gil {
            gil.release();
        }
    }

    /// Back to computing: wait for the GIL (if any), then compute.
    fn resume(&mut self) {
        if let Some(gil) = self.setup.gil {
            self.log.switch(PhaseKind::LockWait, self.setup.clock.now_ms());
            gil.acquire(self.worker);
        }
        self.held_since = self.setup.clock.now_ms();
        self.log.switch(PhaseKind::Compute, self.held_since);
    }
}

/// Longest uninterrupted sleep: a stop is seen within this many ms.
const SLEEP_SLICE_MS: f64 = 20.0;

thread_local! {
    static CURRENT_TASK: std::cell::Cell<Option<u32>> = const { std::cell::Cell::new(None) };
}

/// The task this thread is running, if any (read by a panic hook to say
/// which task failed).
pub fn current_task() -> Option<u32> {
    CURRENT_TASK.with(|c| c.get())
}

fn run_one(setup: &PoolSetup, worker: usize, index: usize, label: String, task: &TaskFn) -> TaskRun {
    let clock = setup.clock;
    let start = clock.now_ms();
    let mut cp = WorkerCheckpoint { setup, worker, log: PhaseLog::new(), held_since: start };
    if let Some(gil) = setup.gil {
        cp.log.switch(PhaseKind::LockWait, start);
        gil.acquire(worker);
        cp.held_since = clock.now_ms();
    }
    cp.log.switch(PhaseKind::Compute, cp.held_since);
    CURRENT_TASK.with(|c| c.set(Some(index as u32)));
    let output = task(index, &mut cp);
    CURRENT_TASK.with(|c| c.set(None));
    // Read the clock before letting go of the lock, so that this compute phase
    // cannot appear to overlap the next holder's.
    let end = clock.now_ms();
    if let Some(gil) = setup.gil {
        gil.release();
    }
    let phases = cp.log.finish(end);
    TaskRun { span: TaskSpan { id: Some(index as u32), label, worker: worker as u32, start_ms: start, end_ms: end, phases }, output }
}

/// The shared queue of one batch: workers take the next task index from it
/// and leave their task runs in it.
#[derive(Debug, Default)]
pub struct PoolQueue {
    next: AtomicUsize,
    runs: Mutex<Vec<TaskRun>>,
}

impl PoolQueue {
    pub fn new() -> Self {
        Self::default()
    }

    /// One worker's life: take tasks in input order until none are left or a
    /// stop is requested.
    pub fn work(&self, setup: &PoolSetup, worker: usize, labels: &[String], task: &TaskFn) {
        loop {
            let index = self.next.fetch_add(1, Ordering::SeqCst);
            if index >= labels.len() || (setup.should_stop)() {
                break;
            }
            let run = run_one(setup, worker, index, labels[index].clone(), task);
            self.runs.lock().unwrap_or_else(|e| e.into_inner()).push(run);
            (setup.on_task_done)();
        }
    }

    /// The finished task runs, in input order.
    pub fn take_runs(&self) -> Vec<TaskRun> {
        let mut runs = std::mem::take(&mut *self.runs.lock().unwrap_or_else(|e| e.into_inner()));
        runs.sort_by_key(|r| r.span.id);
        runs
    }
}

/// Run one task per label on `setup.workers` workers and return the task runs
/// sorted by input index; a task that never started (stop requested) is missing.
pub fn run_pool<'a>(
    setup: &'a PoolSetup<'a>,
    labels: &'a [String],
    task: &'a TaskFn<'a>,
    spawn_all: impl FnOnce(Vec<Job<'_>>),
) -> Vec<TaskRun> {
    let queue = PoolQueue::new();
    let jobs: Vec<Job<'_>> = (0..setup.workers.max(1))
        .map(|worker| {
            let queue = &queue;
            Box::new(move || queue.work(setup, worker, labels, task)) as Job<'_>
        })
        .collect();
    spawn_all(jobs);
    queue.take_runs()
}

/// One task alone on the calling thread: a pool of one worker, no GIL, no
/// progress count (the caller counts). `None` if it was stopped before it
/// started. What an isolated worker, an async slot, a pipeline step and a
/// quadrant's wait each do with a single task.
pub fn run_alone(
    clock: &dyn Clock,
    should_stop: &(dyn Fn() -> bool + Sync),
    label: String,
    task: &(dyn Fn(&mut dyn Checkpoint) -> Result<Value, TaskFailure> + Sync),
) -> Option<TaskRun> {
    let setup = PoolSetup { workers: 1, gil: None, clock, should_stop, on_task_done: &|| {} };
    let labels = [label];
    let run = |_: usize, cp: &mut dyn Checkpoint| task(cp);
    run_pool(&setup, &labels, &run, run_inline).pop()
}

/// Spawner for the serial model: every job on the caller's thread, in turn.
pub fn run_inline(jobs: Vec<Job<'_>>) {
    for job in jobs {
        job();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::NativeClock;
    use std::sync::atomic::AtomicBool;

    /// CPU work worth `ms` of busy time: time spent inside checkpoints (where
    /// lock waits happen) does not count towards it.
    fn spin_for(ms: f64, clock: &dyn Clock, cp: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
        let mut busy = 0.0;
        while busy < ms {
            let slice = clock.now_ms();
            while clock.now_ms() - slice < 0.5 {
                std::hint::spin_loop();
            }
            busy += clock.now_ms() - slice;
            cp.check()?;
        }
        Ok(Value::from(ms))
    }

    fn std_threads(jobs: Vec<Job<'_>>) {
        std::thread::scope(|s| {
            for job in jobs {
                s.spawn(job);
            }
        });
    }

    fn setup<'a>(workers: usize, gil: Option<&'a Gil>, clock: &'a NativeClock, stop: &'a AtomicBool) -> PoolSetup<'a> {
        PoolSetup { workers, gil, clock, should_stop: Box::leak(Box::new(move || stop.load(Ordering::SeqCst))), on_task_done: &|| {} }
    }

    fn labels(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("task {i}")).collect()
    }

    #[test]
    fn results_come_back_in_input_order_and_spread_over_workers() {
        let clock = NativeClock::new();
        let stop = AtomicBool::new(false);
        let s = setup(3, None, &clock, &stop);
        let l = labels(9);
        let task = |i: usize, _cp: &mut dyn Checkpoint| Ok(Value::from(i * i));
        let runs = run_pool(&s, &l, &task, std_threads);
        let values: Vec<u64> = runs.iter().map(|r| r.output.clone().unwrap().as_u64().unwrap()).collect();
        assert_eq!(values, [0, 1, 4, 9, 16, 25, 36, 49, 64]);
        assert!(runs.iter().all(|r| r.span.worker < 3));
    }

    #[test]
    fn without_gil_threads_overlap_and_with_gil_they_take_turns() {
        let clock = NativeClock::new();
        let stop = AtomicBool::new(false);
        let l = labels(2);
        let task = |_i: usize, cp: &mut dyn Checkpoint| spin_for(60.0, &clock, cp);

        let free = setup(2, None, &clock, &stop);
        let t0 = clock.now_ms();
        let runs = run_pool(&free, &l, &task, std_threads);
        let free_wall = clock.now_ms() - t0;
        assert!(runs.iter().all(|r| r.span.phases.iter().all(|p| p.kind == PhaseKind::Compute)));

        let gil = Gil::new(5.0);
        let locked = setup(2, Some(&gil), &clock, &stop);
        let t0 = clock.now_ms();
        let runs = run_pool(&locked, &l, &task, std_threads);
        let locked_wall = clock.now_ms() - t0;
        // Each task needs 60 ms of holding the lock: together at least 120 ms.
        assert!(locked_wall >= 115.0, "with the GIL the two tasks cannot overlap ({locked_wall} ms)");
        assert!(free_wall < 110.0, "without the GIL two 60 ms tasks overlap ({free_wall} ms)");
        let waits = runs.iter().flat_map(|r| &r.span.phases).filter(|p| p.kind == PhaseKind::LockWait).count();
        assert!(waits >= 2, "lock waits are recorded as phases");
    }

    #[test]
    fn a_stop_request_ends_the_run_early() {
        let clock = NativeClock::new();
        let stop = AtomicBool::new(false);
        let s = setup(2, None, &clock, &stop);
        let l = labels(6);
        let task = |i: usize, cp: &mut dyn Checkpoint| {
            if i == 1 {
                stop.store(true, Ordering::SeqCst);
            }
            spin_for(20.0, &clock, cp)
        };
        let runs = run_pool(&s, &l, &task, std_threads);
        assert!(runs.len() < 6);
        assert!(runs.iter().any(|r| r.output == Err(TaskFailure::Stopped)));
    }

    #[test]
    fn sleeping_threads_let_go_of_the_gil() {
        let clock = NativeClock::new();
        let stop = AtomicBool::new(false);
        let gil = Gil::new(5.0);
        let s = setup(4, Some(&gil), &clock, &stop);
        let l = labels(4);
        let task = |_i: usize, cp: &mut dyn Checkpoint| cp.sleep(50.0).map(|_| Value::Null).map_err(Into::into);
        let t0 = clock.now_ms();
        let runs = run_pool(&s, &l, &task, std_threads);
        let wall = clock.now_ms() - t0;
        assert!(wall < 120.0, "four 50 ms sleeps overlap even with the GIL ({wall} ms)");
        for r in &runs {
            let slept: f64 = r.span.phases.iter().filter(|p| p.kind == PhaseKind::Sleep).map(|p| p.end_ms - p.start_ms).sum();
            assert!((slept - 50.0).abs() < 5.0, "sleep phase matches the request ({slept} ms)");
        }
    }

    #[test]
    fn serial_runs_on_one_worker_in_order() {
        let clock = NativeClock::new();
        let stop = AtomicBool::new(false);
        let s = setup(1, None, &clock, &stop);
        let l = labels(4);
        let task = |i: usize, _cp: &mut dyn Checkpoint| Ok(Value::from(i));
        let runs = run_pool(&s, &l, &task, run_inline);
        assert_eq!(runs.len(), 4);
        assert!(runs.windows(2).all(|w| w[0].span.end_ms <= w[1].span.start_ms));
    }
}
