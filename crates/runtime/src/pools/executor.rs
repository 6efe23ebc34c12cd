//! One pool of an execution model: started (timed), given batches of tasks,
//! and dropped. `serial` has no pool: its batch runs on the calling worker.
//! The one place a model becomes a pool.
use super::processes::ProcessPool;
use super::threads::{JobEnd, ThreadJob, ThreadPool};
use crate::base::clock::BrowserClock;
use crate::base::control;
use engine::config::RunPlan;
use engine::error::RunError;
use engine::gil::Gil;
use engine::model::Model;
use engine::pool::{PoolQueue, PoolSetup, TaskFailure, TaskRun};
use engine::record::{PhaseKind, TaskSpan};
use engine::scenarios::{run_task, TaskInput};
use engine::start_method::StartMethod;
use kernels::Checkpoint;
use std::sync::Arc;

pub enum Executor {
    Inline,
    /// Futures on the compute worker, at most this many in flight.
    Async(usize),
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
    /// Start the pool `model` asks for, of `workers` workers. Returns it and
    /// its start-up spans. Models with runners of their own (pipeline,
    /// dataflow) map their plain tasks inline.
    ///
    /// # Errors
    /// `Stopped` or `StartUp` from the pool's start.
    pub async fn start(model: Model, workers: usize, method: StartMethod) -> Result<(Executor, Vec<TaskSpan>), RunError> {
        match model {
            Model::Threads | Model::PerTask | Model::Batches => ThreadPool::start(workers).await.map(|(p, s)| (Executor::Threads(p), s)),
            Model::Async => Ok((Executor::Async(workers), Vec::new())),
            Model::Processes => ProcessPool::start(workers, method).await.map(|(p, s)| (Executor::Processes(p), s)),
            Model::Serial | Model::Pipeline | Model::Dataflow => Ok((Executor::Inline, Vec::new())),
        }
    }

    /// Map `batch` over the pool.
    ///
    /// # Errors
    /// `Broken` if a worker breaks outside a task.
    pub async fn run(&mut self, batch: Arc<Batch>) -> Result<BatchResult, RunError> {
        match self {
            Executor::Inline => {
                batch.work(0);
                Ok(BatchResult { runs: with_task_ids(&batch, batch.queue.take_runs()), spawns: Vec::new(), stopped: false })
            }
            Executor::Async(limit) => {
                let runs = super::async_pool::run(&batch.tasks, *limit, batch.run_id).await;
                Ok(BatchResult { runs, spawns: Vec::new(), stopped: false })
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
                let mut runs = with_task_ids(&batch, batch.queue.take_runs());
                for (thread, end) in ends {
                    if let JobEnd::Panicked { task: Some(task), message, at_ms } = end {
                        let task = batch.tasks.get(task as usize).map(|t| t.index).unwrap_or(task);
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

/// The queue numbers a batch's tasks 0..; give spans the tasks' own ids
/// (they differ when a batch holds part of the tasks).
fn with_task_ids(batch: &Batch, mut runs: Vec<TaskRun>) -> Vec<TaskRun> {
    for r in &mut runs {
        r.span.id = r.span.id.and_then(|i| batch.tasks.get(i as usize)).map(|t| t.index);
    }
    runs
}

fn panicked_run(batch: &Batch, task: u32, thread: usize, message: String, at_ms: f64) -> TaskRun {
    let label = batch.tasks.iter().find(|t| t.index == task).map(|t| t.label.clone()).unwrap_or_default();
    TaskRun {
        span: TaskSpan::one_phase(Some(task), label, thread as u32, PhaseKind::Compute, at_ms, at_ms),
        output: Err(TaskFailure::Failed(format!("panicked: {message}"))),
    }
}

/// Make a plan's GIL, if it asks for one (threads only: processes each have
/// their own interpreter, serial has no one to share with).
pub fn gil_for(plan: &RunPlan) -> Option<Arc<Gil>> {
    plan.gil_applies().then(new_gil)
}

/// A GIL with CPython's switch interval.
pub fn new_gil() -> Arc<Gil> {
    Arc::new(Gil::new(Gil::CPYTHON_SWITCH_INTERVAL_MS))
}
