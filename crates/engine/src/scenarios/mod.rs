//! The scenarios: each module owns one scenario whole — its spec (texts,
//! models, parameters with defaults and ranges, the article's figures), its
//! typed parameters, its tasks, how one task runs, and its result — and
//! implements [`Scenario`]. One line each in `registry.rs` lists them; it
//! makes [`ScenarioId`] (`scenario_id`) and, here, what each id stands for
//! (`scenario_table!`); nothing else in the project spells a scenario id. Task inputs and outputs are JSON so that
//! they can cross to isolated workers the way Python pickles arguments.
pub mod downloads;
pub mod factorial;
pub mod pipeline;
pub mod pool_overhead;
pub mod primes;
pub mod quadrants;
pub mod sample;
mod scenario;
pub mod shared_state;
pub mod wordcount;

pub use crate::scenario_id::ScenarioId;
pub use scenario::{MakesTasks, MorePython, PoolScenario, RunShape, Runner, Runs, RunsTasks, Scenario, ScenarioSpec};

use crate::model::{Model, SharedMemory};
use crate::plan::{ParamValue, RunPlan};
use crate::pool::TaskFailure;
use kernels::Checkpoint;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One task as it is shipped to a worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskInput {
    pub scenario: ScenarioId,
    pub index: u32,
    pub label: String,
    pub input: Value,
}

impl TaskInput {
    pub fn new(plan: &RunPlan, index: usize, label: String, input: Value) -> Self {
        TaskInput { scenario: plan.scenario, index: index as u32, label, input }
    }
}

/// What each runner needs of a scenario, by the runner's name in the
/// registry's line: the compiler asks the scenario for those traits.
macro_rules! runs_of {
    (Pool, $s:expr) => {
        Runs::Pool(&$s)
    };
    (WholePrograms, $s:expr) => {
        Runs::WholePrograms(&$s)
    };
    (Quadrants, $s:expr) => {
        Runs::Quadrants(&$s)
    };
    (Pipeline, $s:expr) => {
        Runs::Pipeline(&$s)
    };
    (Dataflow, $s:expr) => {{
        let _ = &$s;
        Runs::Dataflow
    }};
}

macro_rules! tasks_of {
    (Pool, $s:expr, $plan:expr) => {
        MakesTasks::tasks(&$s, $plan)
    };
    (WholePrograms, $s:expr, $plan:expr) => {
        MakesTasks::tasks(&$s, $plan)
    };
    (Quadrants, $s:expr, $plan:expr) => {
        MakesTasks::tasks(&$s, $plan)
    };
    (Pipeline, $s:expr, $plan:expr) => {
        Vec::new()
    };
    (Dataflow, $s:expr, $plan:expr) => {
        Vec::new()
    };
}

macro_rules! shape_of {
    (Pool, $s:expr, $plan:expr) => {
        PoolScenario::shape(&$s, $plan)
    };
    (WholePrograms, $s:expr, $plan:expr) => {
        PoolScenario::shape(&$s, $plan)
    };
    ($other:ident, $s:expr, $plan:expr) => {
        RunShape::default()
    };
}

/// One line per scenario: `accessor: Variant(its result type) = the
/// scenario, as "its id", runs Runner`. It makes [`ScenarioId`] (one variant
/// per scenario, written as its id), the scenario each id stands for, its
/// runner (with what that runner needs of it), and
/// [`ScenarioResult`] (one variant per scenario, with the accessor that views
/// read it by), so adding a scenario adds one line here and the compiler
/// finds every match that must learn of it.
macro_rules! scenario_table {
    ($($accessor:ident: $variant:ident($result:ty) = $scenario:expr, as $id:literal, runs $runner:ident),* $(,)?) => {
        impl ScenarioId {
            /// The scenario this id stands for.
            pub fn scenario(self) -> &'static dyn Scenario {
                match self {
                    $(ScenarioId::$variant => &$scenario,)*
                }
            }

            /// Which runner runs its plans (plain data: what the page asks).
            pub fn runner(self) -> Runner {
                match self {
                    $(ScenarioId::$variant => Runner::$runner,)*
                }
            }

            /// Its runner with what that runner needs of the scenario. Only
            /// the compute side calls this: the page's module never holds
            /// the code that runs a task.
            pub fn runs(self) -> Runs<'static> {
                match self {
                    $(ScenarioId::$variant => runs_of!($runner, $scenario),)*
                }
            }

            /// A plan's tasks, where this scenario splits it up front (each
            /// scenario's own `tasks`, called directly: nothing else of its
            /// compute side comes with it).
            pub fn tasks(self, plan: &RunPlan) -> Vec<TaskInput> {
                match self {
                    $(ScenarioId::$variant => tasks_of!($runner, $scenario, plan),)*
                }
            }

            /// How the pool runner drives this scenario's pool (the default
            /// for a scenario with a runner of its own).
            pub fn shape(self, plan: &RunPlan) -> RunShape {
                match self {
                    $(ScenarioId::$variant => shape_of!($runner, $scenario, plan),)*
                }
            }
        }

        /// A run's result: one shape per scenario, defined in the scenario's
        /// module. Written as the shape alone (no tag: the record's
        /// `scenario` says which); null for a run that stopped or failed.
        /// Each shape refuses keys it does not have, so reading a record back
        /// finds the one shape it was written as.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
        #[serde(untagged)]
        pub enum ScenarioResult {
            $($variant($result),)*
            /// No result: the run stopped or failed (see the record's `error`).
            None,
        }

        /// Each shape, if it is that one: what a view reads.
        impl ScenarioResult {
            $(
                pub fn $accessor(&self) -> Option<&$result> {
                    match self {
                        ScenarioResult::$variant(r) => Some(r),
                        _ => None,
                    }
                }
            )*

            /// The scenario whose shape this is (None for no result).
            pub fn scenario(&self) -> Option<ScenarioId> {
                match self {
                    $(ScenarioResult::$variant(_) => Some(ScenarioId::$variant),)*
                    ScenarioResult::None => None,
                }
            }
        }
    };
}

scenario_registry!(scenario_table);

/// A plan's scenario.
pub fn of(plan: &RunPlan) -> &'static dyn Scenario {
    plan.scenario.scenario()
}

/// The catalog: every scenario's spec (`window.playground.scenarios()`).
pub fn specs() -> Vec<ScenarioSpec> {
    ScenarioId::ALL.iter().map(|id| id.scenario().spec()).collect()
}

pub fn spec(id: ScenarioId) -> ScenarioSpec {
    id.scenario().spec()
}

/// A plan's tasks, where its scenario splits it up front.
pub fn task_inputs(plan: &RunPlan) -> Vec<TaskInput> {
    plan.scenario.tasks(plan)
}

/// How many workers a run of `plan` has in all (`Scenario::workers_in_all`).
pub fn workers_in_all(plan: &RunPlan) -> u32 {
    of(plan).workers_in_all(plan)
}

/// Run one task wherever we are (caller's thread, pool thread, isolated worker).
pub fn run_task(task: &TaskInput, checkpoint: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
    match task.scenario.runs().task_runner() {
        Some(scenario) => scenario.run(&task.input, checkpoint),
        None => Err(TaskFailure::Failed(format!("{} has no tasks to run", task.scenario))),
    }
}

/// The run's `result`.
/// How many isolated workers a run of `plan` takes from the fork server in
/// all (`Scenario::processes_asked`).
pub fn processes_asked(plan: &RunPlan) -> usize {
    of(plan).processes_asked(plan)
}

/// Task outputs read as the type they were written from (an output that is
/// not is left out: tasks write these shapes themselves).
pub(crate) fn outputs_as<T: serde::de::DeserializeOwned>(outputs: Vec<Value>) -> Vec<T> {
    outputs.into_iter().filter_map(|o| serde_json::from_value(o).ok()).collect()
}

/// How many workers a plan's pool has for `tasks` tasks: one per task for
/// `per-task`, the scenario's pool-size parameter where it has one, else the
/// plan's worker count.
pub fn pool_size(plan: &RunPlan, tasks: usize) -> usize {
    if plan.model == Model::PerTask {
        return tasks.max(1);
    }
    match of(plan).pool_size_param().and_then(|name| plan.params.int(name)) {
        Some(n) if !plan.model.is_serial() => n as usize,
        _ => plan.workers as usize,
    }
}

impl RunPlan {
    /// The largest pool this plan may ask for: the range of the parameter
    /// that sizes the scenario's pools where it has one, else `MAX_WORKERS`.
    pub fn max_pool_size(&self) -> u32 {
        let spec = of(self).spec();
        let param = of(self).pool_size_param().and_then(|name| spec.param(name));
        match param.map(|p| &p.kind) {
            Some(crate::catalog::ParamKind::Int { max, .. }) => (*max).clamp(1, crate::catalog::MAX_WORKERS as i64) as u32,
            _ => crate::catalog::MAX_WORKERS,
        }
    }

    /// The same plan with a pool of `n`: the parameter that sizes the
    /// scenario's pools where it has one, else the worker count.
    pub fn with_pool_size(&self, n: u32) -> RunPlan {
        let mut plan = self.clone();
        match of(self).pool_size_param().and_then(|name| plan.params.0.get_mut(name)) {
            Some(size) => *size = ParamValue::Int(n as i64),
            None => plan.workers = n,
        }
        plan
    }

    /// Whether this run needs memory shared between workers (threads), so
    /// cannot run on a page that is not cross-origin isolated. The one place
    /// that decides it.
    pub fn needs_shared_memory(&self) -> bool {
        match self.model.shared_memory() {
            SharedMemory::Never => false,
            SharedMemory::Always => true,
            SharedMemory::Sometimes => of(self).needs_shared_memory(self),
        }
    }
}

pub(crate) fn field(input: &Value, name: &str) -> Result<u32, TaskFailure> {
    input
        .get(name)
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| TaskFailure::Failed(format!("task input lacks a whole number '{name}'")))
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
    /// Wall time after the pool started, where a runner measures it.
    pub work_ms: Option<f64>,
    /// The parent's shared state after the run, for scenarios that use it.
    pub parent: Option<kernels::shared_state::Snapshot>,
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
