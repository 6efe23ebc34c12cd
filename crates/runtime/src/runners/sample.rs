//! S2 as the tutorial times it (`time python3 test.py`): every model runs as
//! a whole program in fresh isolated instances, each paying a new instance
//! and fresh memory as a new interpreter does, so no model computes on memory
//! an earlier run already touched.
//! - `serial` (and `async`: CPU work takes turns anyway): one fresh instance
//!   making the calls one after the other;
//! - `processes`: one fresh instance per call (the tutorial's two processes
//!   for two calls);
//! - `threads`: one fresh instance with a thread per call.
//!
//! The record keeps start-up (the `spawn` phases: the instance, and its
//! threads) apart from the work; `result.startup_ms` and `result.work_ms`
//! say how the wall time splits.
use super::pool_run::first_failure;
use crate::base::clock::now_ms;
use crate::base::control;
use crate::base::port::post_to_parent;
use crate::base::record::record;
use crate::pools::executor::{new_gil, Batch};
use crate::pools::processes::{PoolEvent, ProcessPool};
use crate::pools::threads::{ThreadJob, ThreadPool};
use engine::config::RunPlan;
use engine::error::RunError;
use engine::model::Model;
use engine::pool::{TaskFailure, TaskRun};
use engine::protocol::{FromProcess, ToProcess};
use engine::record::{RunRecord, TaskSpan};
use engine::scenarios::{Outcome, PoolScenario, TaskInput};
use engine::start_method::StartMethod;
use std::sync::Arc;

/// In the fresh instance: start one thread per call, as the tutorial's
/// `threading.Thread(target=call)` for each call, let each make its call,
/// and answer with what they did.
pub async fn run_threads(tasks: Vec<TaskInput>, gil: bool, run: u32) {
    let msg = threads_here(tasks, gil, run).await.unwrap_or_else(|e| FromProcess::Failed { message: e.to_string() });
    post_to_parent(&msg, None);
}

async fn threads_here(tasks: Vec<TaskInput>, gil: bool, run: u32) -> Result<FromProcess, RunError> {
    let (mut pool, spawns) = ThreadPool::start(tasks.len().max(1)).await?;
    let gil = gil.then(new_gil);
    // Call i on thread i: one batch of one task each, all under the same GIL.
    let calls: Vec<Arc<Batch>> = tasks.iter().map(|t| Batch::new(vec![t.clone()], 1, gil.clone(), run)).collect();
    let jobs: Vec<ThreadJob> = calls
        .iter()
        .enumerate()
        .map(|(thread, call)| {
            let call = call.clone();
            Box::new(move || call.work(thread)) as ThreadJob
        })
        .collect();
    let held = gil.clone();
    let on_panic = move |thread: usize| {
        if let Some(gil) = &held {
            gil.release_if_held_by(thread);
        }
    };
    pool.run(jobs, &on_panic).await?;
    let runs = calls
        .iter()
        .zip(&tasks)
        .flat_map(|(call, task)| {
            call.queue.take_runs().into_iter().map(move |mut r| {
                r.span.id = Some(task.index);
                let output = r.output.map_err(TaskFailure::into_text);
                (r.span, output)
            })
        })
        .collect();
    Ok(FromProcess::Ran { runs, spawns })
}

/// A thread's span inside the instance, on its own lane after the instance's.
fn on_thread_lane(mut span: TaskSpan) -> TaskSpan {
    span.worker += 1;
    span
}

/// On the compute worker: start the fresh instance(s), run the calls, and
/// describe the whole program.
pub async fn run(id: u32, plan: &RunPlan, scenario: &dyn PoolScenario) -> Result<RunRecord, RunError> {
    let tasks = scenario.tasks(plan);
    control::begin(id, tasks.len() as u32);
    let start = now_ms();
    // One per call, as the tutorial's programs: a process per call, or a thread per call.
    let threads = if plan.model == Model::Threads { tasks.len() } else { 0 };
    let instances = if plan.model == Model::Processes { tasks.len().max(1) } else { 1 };
    let stopped = |spans: Vec<TaskSpan>| Ok(record(plan, (start, now_ms()), spans, Vec::new(), Err(RunError::Stopped)));
    let (mut pool, mut spans) = match ProcessPool::start(instances, StartMethod::Spawn).await {
        Ok(started) => started,
        Err(RunError::Stopped) => return stopped(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut lanes = Vec::new();
    let runs: Vec<TaskRun> = if threads > 0 {
        let msg = ToProcess::Threads { tasks: tasks.clone(), gil: plan.gil, run: id };
        pool.send_message(0, &msg)?;
        lanes = std::iter::once("isolated worker".to_string()).chain((1..=threads).map(|t| format!("thread {t}"))).collect();
        loop {
            match pool.next_event().await {
                Ok(PoolEvent::Message { message: FromProcess::Ran { runs, spawns }, .. }) => {
                    spans.extend(spawns.into_iter().map(on_thread_lane));
                    break runs
                        .into_iter()
                        .map(|(span, output)| TaskRun { span: on_thread_lane(span), output: output.map_err(TaskFailure::Failed) })
                        .collect();
                }
                Ok(_) => {}
                Err(RunError::Stopped) => return stopped(spans),
                Err(e) => return Err(e),
            }
        }
    } else {
        let outcome = pool.run(&tasks).await?;
        spans.extend(outcome.spawns);
        if outcome.stopped {
            return stopped(spans);
        }
        outcome.runs
    };
    drop(pool);
    let end = now_ms();
    let startup_end = spans.iter().map(|s| s.end_ms).fold(start, f64::max);
    spans.extend(runs.iter().map(|r| r.span.clone()));
    let result = match first_failure(&runs) {
        Some(e) => Err(e),
        None => {
            let cpu_ms = spans.iter().map(TaskSpan::busy_ms).sum();
            let outputs = runs.into_iter().filter_map(|r| r.output.ok()).collect();
            let outcome =
                Outcome { outputs, pool_start_ms: startup_end - start, cpu_ms, work_ms: Some(end - startup_end), ..Default::default() };
            Ok(scenario.assemble(plan, outcome))
        }
    };
    Ok(record(plan, (start, end), spans, lanes, result))
}
