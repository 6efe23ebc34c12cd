//! The scenarios: each module owns one scenario whole — its spec (texts,
//! models, parameters with defaults and ranges, the article's figures), its
//! typed parameters, its tasks, how one task runs, and its result — and
//! implements [`Scenario`]. The `registry!` line lists them and makes
//! [`ScenarioId`]; nothing else in the project spells a scenario id. Task inputs and outputs are JSON so that
//! they can cross to isolated workers the way Python pickles arguments.
pub mod downloads;
pub mod factorial;
pub mod pipeline;
pub mod pool_overhead;
pub mod primes;
pub mod quadrants;
pub mod sample;
pub mod shared_state;
pub mod wordcount;

use crate::catalog::ScenarioSpec;
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

/// Which runner of the runtime executes a scenario's plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runner {
    /// Map the scenario's tasks over the model's pool (most scenarios).
    Pool,
    /// The same tasks four ways, one timeline each.
    Quadrants,
    /// Stages connected by queues.
    Pipeline,
    /// Partition, count on processes × threads, exchange, reduce.
    Dataflow,
    /// Every model as a whole program in fresh isolated instances.
    WholePrograms,
}

/// How the pool runner drives a scenario's pool.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunShape {
    /// The same tasks are mapped this many times.
    pub repeats: u32,
    /// One pool for all repeats (else a fresh pool for each).
    pub reuse_pool: bool,
    /// The parent's shared state is reset before and read after the run.
    pub uses_parent_state: bool,
}

impl Default for RunShape {
    fn default() -> Self {
        RunShape { repeats: 1, reuse_pool: false, uses_parent_state: false }
    }
}

/// One scenario. Only `id` and `spec` are required; a scenario run by the pool runner
/// also gives `tasks`, `run` and `assemble`.
/// A program shown beside a scenario's standard-library one
/// (`engine::python::programs`): its template is filled in like that one,
/// with `values` (raw text, not literals) on top.
pub struct MorePython {
    /// What the Python tab's switch calls it.
    pub title: &'static str,
    pub kind: crate::python::ProgramKind,
    /// Ends its file name: `<scenario>_<model>_<suffix>.py`.
    pub suffix: &'static str,
    pub template: &'static str,
    pub values: Vec<(&'static str, String)>,
}

pub trait Scenario: Sync {
    /// Its id (the registry's line says how it is written).
    fn id(&self) -> ScenarioId;

    fn spec(&self) -> ScenarioSpec;

    fn runner(&self) -> Runner {
        Runner::Pool
    }

    /// Its Python (`crates/engine/python/scenarios/<id>.py`): task code for
    /// a model's harness, or a whole program (`engine::python`).
    fn python(&self) -> Option<&'static str> {
        None
    }

    /// Python values for placeholders the scenario fills its own way, in
    /// place of its parameters' values.
    fn python_values(&self, _plan: &RunPlan) -> Vec<(&'static str, crate::pysource::PyValue)> {
        Vec::new()
    }

    /// How many isolated workers a run of `plan` takes from the fork server
    /// in all: by default its pool (once per repeat where each repeat has a
    /// fresh pool), where its model starts processes.
    fn processes_asked(&self, plan: &RunPlan) -> usize {
        if !plan.model.starts_processes() {
            return 0;
        }
        let shape = self.shape(plan);
        let pools = if shape.reuse_pool { 1 } else { shape.repeats.max(1) as usize };
        pool_size(plan, task_inputs(plan).len()) * pools
    }

    /// Programs shown beside the standard-library one for `plan`.
    fn python_more(&self, _plan: &RunPlan) -> Vec<MorePython> {
        Vec::new()
    }

    /// Whether `plan`'s program also comes as a Dask program, its process
    /// pool swapped for a Dask cluster's executor (`engine::python`): by
    /// default where the pool runner maps the tasks over a process pool.
    fn python_on_dask(&self, plan: &RunPlan) -> bool {
        plan.model == Model::Processes && matches!(self.runner(), Runner::Pool | Runner::WholePrograms)
    }

    fn tasks(&self, _plan: &RunPlan) -> Vec<TaskInput> {
        Vec::new()
    }

    /// Run one task wherever we are (caller's thread, pool thread, isolated worker).
    fn run(&self, _input: &Value, _cp: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
        Err(TaskFailure::Failed("this scenario has no tasks of its own".into()))
    }

    fn shape(&self, _plan: &RunPlan) -> RunShape {
        RunShape::default()
    }

    /// The run's `result` from what the runtime measured.
    fn assemble(&self, _plan: &RunPlan, _outcome: Outcome) -> ScenarioResult {
        ScenarioResult::None
    }

    /// The parameter that sizes this scenario's pools in place of `workers`.
    fn pool_size_param(&self) -> Option<&'static str> {
        None
    }

    /// For a model whose need is `SharedMemory::Sometimes`: whether this plan
    /// has a part on threads that share memory.
    fn needs_shared_memory(&self, _plan: &RunPlan) -> bool {
        true
    }
}

/// One line per scenario: `accessor: Variant(its result type) = the
/// scenario, as "its id"`. It makes [`ScenarioId`] (one variant per scenario,
/// written as its id), the scenario each id stands for, and
/// [`ScenarioResult`] (one variant per scenario, with the accessor that views
/// read it by), so adding a scenario adds one line here and the compiler
/// finds every match that must learn of it.
macro_rules! registry {
    ($($accessor:ident: $variant:ident($result:ty) = $scenario:expr, as $id:literal),* $(,)?) => {
        /// Which scenario: in links, plans, records and task messages as its
        /// id text (kebab-case); in code, a closed set the compiler checks.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
        pub enum ScenarioId {
            $(#[serde(rename = $id)] $variant,)*
        }

        impl ScenarioId {
            /// Every scenario, in the page's order.
            pub const ALL: &'static [ScenarioId] = &[$(ScenarioId::$variant),*];

            /// The id in links, plans and records.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ScenarioId::$variant => $id,)*
                }
            }

            /// The scenario this id stands for.
            pub fn scenario(self) -> &'static dyn Scenario {
                match self {
                    $(ScenarioId::$variant => &$scenario,)*
                }
            }

            /// The id written as `text`, if a scenario has it.
            pub fn parse(text: &str) -> Option<ScenarioId> {
                match text {
                    $($id => Some(ScenarioId::$variant),)*
                    _ => None,
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

registry! {
    primes: Primes(primes::PrimesResult) = primes::Primes, as "primes",
    sample: Sample(sample::SampleResult) = sample::Sample, as "sample",
    factorial: Factorial(factorial::FactorialResult) = factorial::Factorial, as "factorial",
    pool_overhead: PoolOverhead(pool_overhead::PoolOverheadResult) = pool_overhead::PoolOverhead, as "pool-overhead",
    shared_state: SharedState(shared_state::SharedStateResult) = shared_state::SharedState, as "shared-state",
    quadrants: Quadrants(quadrants::QuadrantsResult) = quadrants::Quadrants, as "quadrants",
    downloads: Downloads(downloads::DownloadsResult) = downloads::Downloads, as "downloads",
    pipeline: Pipeline(pipeline::PipelineResult) = pipeline::PipelineScenario, as "pipeline",
    wordcount: WordCount(wordcount::WordCountResult) = wordcount::WordCount, as "wordcount",
}

impl Default for ScenarioId {
    /// The scenario a page without one in its link opens.
    fn default() -> Self {
        ScenarioId::Primes
    }
}

impl std::fmt::Display for ScenarioId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ScenarioId {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        ScenarioId::parse(text).ok_or_else(|| format!("no scenario '{text}'"))
    }
}

/// Every scenario, in the page's order.
pub fn all() -> impl Iterator<Item = &'static dyn Scenario> {
    ScenarioId::ALL.iter().map(|id| id.scenario())
}

/// The scenario with this id text.
pub fn find(id: &str) -> Option<&'static dyn Scenario> {
    ScenarioId::parse(id).map(ScenarioId::scenario)
}

/// A plan's scenario.
pub fn of(plan: &RunPlan) -> &'static dyn Scenario {
    plan.scenario.scenario()
}

/// The catalog: every scenario's spec (`window.playground.scenarios()`).
pub fn specs() -> Vec<ScenarioSpec> {
    all().map(|s| s.spec()).collect()
}

pub fn spec(id: ScenarioId) -> ScenarioSpec {
    id.scenario().spec()
}

pub fn shape(plan: &RunPlan) -> RunShape {
    of(plan).shape(plan)
}

pub fn task_inputs(plan: &RunPlan) -> Vec<TaskInput> {
    of(plan).tasks(plan)
}

/// Run one task wherever we are (caller's thread, pool thread, isolated worker).
pub fn run_task(task: &TaskInput, checkpoint: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
    task.scenario.scenario().run(&task.input, checkpoint)
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

pub fn assemble(plan: &RunPlan, outcome: Outcome) -> ScenarioResult {
    of(plan).assemble(plan, outcome)
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
