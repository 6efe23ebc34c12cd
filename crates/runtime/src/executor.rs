//! One pool of an execution model: started (timed), given batches of tasks,
//! and dropped. `serial` has no pool: its batch runs on the compute worker.
use crate::clock::BrowserClock;
use crate::control;
use crate::processes::ProcessPool;
use crate::thread_pool::{JobEnd, ThreadJob, ThreadPool};
use engine::config::RunPlan;
use engine::gil::Gil;
use engine::pool::{PoolQueue, PoolSetup, TaskFailure, TaskRun};
use engine::record::{Phase, PhaseKind, TaskSpan};
use engine::scenarios::{run_task, TaskInput};
use kernels::Checkpoint;
use std::sync::Arc;

pub enum Executor {
    Inline,
    Threads(ThreadPool),
    Processes(ProcessPool),
}

/// Everything the workers of one batch share (in shared memory for threads).
pub struct Batch {
    pub tasks: Vec<TaskInput>,
    pub labels: Vec<String>,
    pub workers: usize,
    pub gil: Option<Arc<Gil>>,
    pub run_id: u32,
    pub queue: PoolQueue,
}

impl Batch {
    pub fn new(tasks: Vec<TaskInput>, workers: usize, gil: Option<Arc<Gil>>, run_id: u32) -> Arc<Batch> {
        let labels = tasks.iter().map(|t| t.label.clone()).collect();
        Arc::new(Batch { tasks, labels, workers, gil, run_id, queue: PoolQueue::new() })
    }

    /// One worker's share of the batch, run on whatever thread calls it.
    pub fn work(&self, worker: usize) {
        let run_id = self.run_id;
        let should_stop = move || control::stop_requested(run_id);
        let setup = PoolSetup {
            workers: self.workers,
            gil: self.gil.as_deref(),
            clock: &BrowserClock,
            should_stop: &should_stop,
            on_task_done: &control::task_done,
        };
        let task = |i: usize, cp: &mut dyn Checkpoint| run_task(&self.tasks[i], cp);
        self.queue.work(&setup, worker, &self.labels, &task);
    }
}

/// What a batch produced.
pub struct BatchResult {
    pub runs: Vec<TaskRun>,
    /// Workers started while the batch ran (replacements for dead ones).
    pub spawns: Vec<TaskSpan>,
    pub stopped: bool,
}

impl Executor {
    /// Start the pool `plan.model` asks for. Returns it and its start-up spans.
    pub async fn start(model: &str, workers: usize) -> Result<(Executor, Vec<TaskSpan>), String> {
        match model {
            "threads" => ThreadPool::start(workers).await.map(|(p, s)| (Executor::Threads(p), s)),
            "processes" => ProcessPool::start(workers).await.map(|(p, s)| (Executor::Processes(p), s)),
            _ => Ok((Executor::Inline, Vec::new())),
        }
    }

    pub async fn run(&mut self, batch: Arc<Batch>) -> Result<BatchResult, String> {
        match self {
            Executor::Inline => {
                batch.work(0);
                Ok(BatchResult { runs: batch.queue.take_runs(), spawns: Vec::new(), stopped: false })
            }
            Executor::Threads(pool) => {
                let jobs: Vec<ThreadJob> = (0..batch.workers)
                    .map(|w| {
                        let b = batch.clone();
                        Box::new(move || b.work(w)) as ThreadJob
                    })
                    .collect();
                let gil = batch.gil.clone();
                let on_panic = move |thread: usize| {
                    if let Some(gil) = &gil {
                        gil.release_if_held_by(thread);
                    }
                };
                let ends = pool.run(jobs, &on_panic).await?;
                let mut runs = batch.queue.take_runs();
                for (thread, end) in ends {
                    if let JobEnd::Panicked { task: Some(task), message, at_ms } = end {
                        runs.push(panicked_run(&batch, task, thread, message, at_ms));
                    }
                }
                runs.sort_by_key(|r| r.span.id);
                Ok(BatchResult { runs, spawns: Vec::new(), stopped: false })
            }
            Executor::Processes(pool) => {
                let outcome = pool.run(&batch.tasks).await?;
                Ok(BatchResult { runs: outcome.runs, spawns: outcome.spawns, stopped: outcome.stopped })
            }
        }
    }
}

fn panicked_run(batch: &Batch, task: u32, thread: usize, message: String, at_ms: f64) -> TaskRun {
    let label = batch.labels.get(task as usize).cloned().unwrap_or_default();
    TaskRun {
        span: TaskSpan {
            id: Some(task),
            label,
            worker: thread as u32,
            start_ms: at_ms,
            end_ms: at_ms,
            phases: vec![Phase { kind: PhaseKind::Compute, start_ms: at_ms, end_ms: at_ms }],
        },
        output: Err(TaskFailure::Failed(format!("panicked: {message}"))),
    }
}

/// Make a plan's GIL, if it asks for one (threads only: processes each have
/// their own interpreter, serial has no one to share with).
pub fn gil_for(plan: &RunPlan) -> Option<Arc<Gil>> {
    (plan.model == "threads" && plan.gil).then(|| Arc::new(Gil::new(Gil::CPYTHON_SWITCH_INTERVAL_MS)))
}
