//! What each scenario's tasks are, how one task runs, and how task outputs
//! become the run's result. Task inputs and outputs are JSON so that they can
//! cross to isolated workers the way Python pickles arguments.
pub mod downloads;
mod factorial;
pub mod pipeline;
mod pool_overhead;
mod primes;
pub mod quadrants;
mod sample;
mod shared_state;
pub mod wordcount;

use crate::config::RunPlan;
use crate::pool::TaskFailure;
use kernels::Checkpoint;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One task as it is shipped to a worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskInput {
    pub scenario: String,
    pub index: u32,
    pub label: String,
    pub input: Value,
}

impl TaskInput {
    pub fn new(plan: &RunPlan, index: usize, label: String, input: Value) -> Self {
        TaskInput { scenario: plan.scenario.clone(), index: index as u32, label, input }
    }
}

/// How the runtime drives a scenario's pool.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunShape {
    /// The same tasks are mapped this many times.
    pub repeats: u32,
    /// One pool for all repeats (else a fresh pool for each).
    pub reuse_pool: bool,
    /// The parent's shared state is reset before and read after the run.
    pub uses_parent_state: bool,
}

pub fn shape(plan: &RunPlan) -> RunShape {
    match plan.scenario.as_str() {
        "pool-overhead" => pool_overhead::shape(plan),
        "shared-state" => RunShape { repeats: 1, reuse_pool: false, uses_parent_state: true },
        _ => RunShape { repeats: 1, reuse_pool: false, uses_parent_state: false },
    }
}

/// How many workers a plan's pool has for `tasks` tasks: one per task for
/// `per-task`, the `limit` parameter where the scenario has one, else the
/// plan's worker count.
pub fn pool_size(plan: &RunPlan, tasks: usize) -> usize {
    if plan.model == "per-task" {
        return tasks.max(1);
    }
    match plan.params.0.get("limit") {
        Some(crate::config::ParamValue::Int(n)) if plan.model != "serial" => *n as usize,
        _ => plan.workers as usize,
    }
}

pub fn task_inputs(plan: &RunPlan) -> Vec<TaskInput> {
    match plan.scenario.as_str() {
        "primes" => primes::tasks(plan),
        "sample" => sample::tasks(plan),
        "factorial" => factorial::tasks(plan),
        "pool-overhead" => pool_overhead::tasks(plan),
        "shared-state" => shared_state::tasks(plan),
        "quadrants" => quadrants::tasks(plan),
        "downloads" => downloads::tasks(plan),
        _ => Vec::new(),
    }
}

pub(crate) fn field(input: &Value, name: &str) -> Result<u32, TaskFailure> {
    input
        .get(name)
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| TaskFailure::Failed(format!("task input lacks a whole number '{name}'")))
}

/// Run one task wherever we are (caller's thread, pool thread, isolated worker).
pub fn run_task(task: &TaskInput, checkpoint: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
    let input = &task.input;
    match task.scenario.as_str() {
        "primes" => primes::run(input, checkpoint),
        "sample" => sample::run(input, checkpoint),
        "factorial" => factorial::run(input, checkpoint),
        "pool-overhead" => pool_overhead::run(input, checkpoint),
        "shared-state" => shared_state::run(input, checkpoint),
        "quadrants" => quadrants::run(input, checkpoint),
        "downloads" => downloads::run(input, checkpoint),
        "pipeline" => pipeline::run(input, checkpoint),
        other => Err(TaskFailure::Failed(format!("unknown scenario '{other}'"))),
    }
}

/// What the runtime measured, for the scenario's result.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Outputs of the last repeat, in input order.
    pub outputs: Vec<Value>,
    /// Task ids in the order they finished (last repeat).
    pub finish_order: Vec<u32>,
    pub per_repeat_ms: Vec<f64>,
    pub pool_start_ms: f64,
    pub cpu_ms: f64,
    /// The parent's shared state after the run, for scenarios that use it.
    pub parent: Option<kernels::shared_state::Snapshot>,
}

/// The run's `result`.
pub fn assemble(plan: &RunPlan, outcome: Outcome) -> Value {
    match plan.scenario.as_str() {
        "primes" => primes::assemble(outcome),
        "sample" => sample::assemble(outcome),
        "factorial" => factorial::assemble(outcome),
        "pool-overhead" => pool_overhead::assemble(outcome),
        "shared-state" => shared_state::assemble(plan, outcome),
        "downloads" => downloads::assemble(outcome),
        _ => Value::Null,
    }
}

/// Reset the state that `shared-state` tasks change, in this instance.
pub fn reset_parent_state() {
    kernels::shared_state::reset();
}

pub fn parent_state() -> kernels::shared_state::Snapshot {
    kernels::shared_state::snapshot()
}

#[cfg(test)]
mod tests;
