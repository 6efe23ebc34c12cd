//! What a scenario is: what every scenario has ([`Scenario`], all the page
//! needs), what one with tasks adds ([`RunsTasks`], [`MakesTasks`]), and what
//! one mapped over a pool adds on top ([`PoolScenario`]). Its line in
//! the registry (`registry.rs`) names its runner; `ScenarioId::runs` hands the runner what it
//! needs of the scenario, so the compiler lists what a new scenario must
//! provide, and every match over runners is exhaustive.
use super::{pool_size, Outcome, ScenarioId, ScenarioResult, TaskInput};
use crate::catalog::{ArticleFigure, ParamSpec};
use crate::model::Model;
use crate::plan::RunPlan;
use crate::pool::TaskFailure;
use kernels::Checkpoint;
use serde::Serialize;
use serde_json::Value;

/// A scenario as the page and `window.playground.scenarios()` show it:
/// texts, models, parameters with defaults and ranges, the article's figures.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioSpec {
    pub id: ScenarioId,
    pub title: &'static str,
    pub summary: &'static str,
    pub lesson: &'static str,
    pub models: Vec<Model>,
    /// The models ticked when the scenario is opened.
    pub default_models: Vec<Model>,
    pub default_workers: u32,
    pub params: Vec<ParamSpec>,
    pub article: Vec<ArticleFigure>,
}

impl ScenarioSpec {
    pub fn param(&self, name: &str) -> Option<&ParamSpec> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// Which runner of the runtime executes a scenario's plans (plain data, for
/// code that only asks which).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runner {
    Pool,
    Quadrants,
    Pipeline,
    Dataflow,
    WholePrograms,
}

/// A scenario's runner, with what that runner needs of the scenario.
#[derive(Clone, Copy)]
pub enum Runs<'a> {
    /// Its tasks mapped over the model's pool (most scenarios).
    Pool(&'a dyn PoolScenario),
    /// The same tasks four ways, one timeline each.
    Quadrants(&'a dyn MakesTasks),
    /// Stages connected by queues; its report tasks run on pools.
    Pipeline(&'a dyn RunsTasks),
    /// Partition, count on processes × threads, exchange, reduce: parts,
    /// not tasks, cross to its workers.
    Dataflow,
    /// Every model as a whole program in fresh isolated instances.
    WholePrograms(&'a dyn PoolScenario),
}

impl<'a> Runs<'a> {
    /// What runs one of its tasks, where it has tasks.
    pub fn task_runner(self) -> Option<&'a dyn RunsTasks> {
        match self {
            Runs::Pool(s) | Runs::WholePrograms(s) => Some(s),
            Runs::Quadrants(s) => Some(s),
            Runs::Pipeline(s) => Some(s),
            Runs::Dataflow => None,
        }
    }

    /// Its pool side, where a pool runner maps its tasks.
    pub fn pool(self) -> Option<&'a dyn PoolScenario> {
        match self {
            Runs::Pool(s) | Runs::WholePrograms(s) => Some(s),
            Runs::Quadrants(_) | Runs::Pipeline(_) | Runs::Dataflow => None,
        }
    }
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

/// A program shown beside a scenario's standard-library one
/// (`engine::python::programs`): its template is filled in like that one,
/// with `values` (raw text, not literals) on top.
pub struct MorePython {
    /// What the Python tab's switch calls it.
    pub title: &'static str,
    pub kind: crate::pysource::ProgramKind,
    /// Ends its file name: `<scenario>_<model>_<suffix>.py`.
    pub suffix: &'static str,
    pub template: &'static str,
    pub values: Vec<(&'static str, String)>,
}

/// What every scenario has. `id` and `spec` are required.
pub trait Scenario: Sync {
    /// Its id (the registry's line says how it is written).
    fn id(&self) -> ScenarioId;

    fn spec(&self) -> ScenarioSpec;

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

    /// Programs shown beside the standard-library one for `plan`.
    fn python_more(&self, _plan: &RunPlan) -> Vec<MorePython> {
        Vec::new()
    }

    /// Whether `plan`'s program also comes as a Dask program, its process
    /// pool swapped for a Dask cluster's executor (`engine::python`): by
    /// default where a pool runner maps the tasks over a process pool.
    fn python_on_dask(&self, plan: &RunPlan) -> bool {
        plan.model == Model::Processes && matches!(self.id().runner(), Runner::Pool | Runner::WholePrograms)
    }

    /// How many isolated workers a run of `plan` takes from the fork server
    /// in all: by default, for a pool scenario, its pool (once per repeat
    /// where each repeat has a fresh pool), where its model starts processes.
    fn processes_asked(&self, plan: &RunPlan) -> usize {
        if self.id().runner() != Runner::Pool || !plan.model.starts_processes() {
            return 0;
        }
        let shape = self.id().shape(plan);
        let pools = if shape.reuse_pool { 1 } else { shape.repeats.max(1) as usize };
        pool_size(plan, self.id().tasks(plan).len()) * pools
    }

    /// How many workers a run of `plan` has in all (its record's
    /// `workers`): by default its pool.
    fn workers_in_all(&self, plan: &RunPlan) -> u32 {
        pool_size(plan, self.id().tasks(plan).len()) as u32
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

/// What a scenario whose work crosses to workers as tasks adds: running one,
/// wherever it is (the caller's thread, a pool thread, an isolated worker).
pub trait RunsTasks: Sync {
    fn run(&self, input: &Value, cp: &mut dyn Checkpoint) -> Result<Value, TaskFailure>;
}

/// What a scenario whose plan is split into tasks up front adds.
pub trait MakesTasks: RunsTasks {
    fn tasks(&self, plan: &RunPlan) -> Vec<TaskInput>;
}

/// What a scenario mapped over a pool adds: how the pool runner drives it,
/// and its result from what was measured.
pub trait PoolScenario: MakesTasks {
    fn shape(&self, _plan: &RunPlan) -> RunShape {
        RunShape::default()
    }

    /// The run's `result` from what the runtime measured.
    fn assemble(&self, plan: &RunPlan, outcome: Outcome) -> ScenarioResult;
}
