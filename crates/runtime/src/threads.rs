//! The `serial` and `threads` models: the engine's pool, with workers on the
//! compute worker itself (serial) or on rayon's threads, which share this
//! instance's memory (threads). The simulated GIL lives in that memory too.
use crate::clock::BrowserClock;
use crate::control;
use engine::config::RunPlan;
use engine::gil::Gil;
use engine::pool::{run_inline, run_pool, Job, PoolSetup, TaskRun};
use engine::scenarios::{run_task, TaskInput};
use kernels::Checkpoint;

/// Every pool worker becomes one long-running rayon job; the global pool has
/// more threads than any run asks for, so each job gets a thread of its own.
fn on_rayon_threads(jobs: Vec<Job<'_>>) {
    rayon::scope(|s| {
        for job in jobs {
            s.spawn(move |_| job());
        }
    });
}

pub fn run(plan: &RunPlan, run_id: u32, tasks: &[TaskInput]) -> Vec<TaskRun> {
    let gil = Gil::new(Gil::CPYTHON_SWITCH_INTERVAL_MS);
    let threaded = plan.model == "threads";
    let setup = PoolSetup {
        workers: plan.workers as usize,
        gil: (threaded && plan.gil).then_some(&gil),
        clock: &BrowserClock,
        should_stop: &move || control::stop_requested(run_id),
        on_task_done: &control::task_done,
    };
    let labels: Vec<String> = tasks.iter().map(|t| t.label.clone()).collect();
    let task = |i: usize, cp: &mut dyn Checkpoint| run_task(&tasks[i], cp);
    if threaded {
        run_pool(&setup, &labels, &task, on_rayon_threads)
    } else {
        run_pool(&setup, &labels, &task, run_inline)
    }
}
