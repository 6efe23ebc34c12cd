//! S5, shared state: each task appends to the parent's list and adds to
//! three counters (unlocked, atomic, mutex); threads change the parent's,
//! processes their own copies.
use super::ScenarioSpec;
use super::{field, MakesTasks, Outcome, PoolScenario, RunShape, RunsTasks, Scenario, ScenarioId, TaskInput};
use crate::catalog::{int, DEFAULT_WORKERS};
use crate::model::Model;
use crate::plan::RunPlan;
use crate::pool::TaskFailure;
use kernels::Checkpoint;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub struct SharedState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    items: u32,
    increments: u32,
}

impl Scenario for SharedState {
    fn id(&self) -> ScenarioId {
        ScenarioId::SharedState
    }

    fn python(&self) -> Option<&'static str> {
        Some(include_str!("../../python/scenarios/shared-state.py"))
    }

    /// No Dask program: the lesson is one machine's memory, and the task
    /// uses a module-level lock, which a process pool's workers make anew
    /// when they import the program but which cannot be pickled to a Dask
    /// worker.
    fn python_on_dask(&self, _plan: &RunPlan) -> bool {
        false
    }

    fn spec(&self) -> ScenarioSpec {
        ScenarioSpec {
            id: self.id(),
            title: "Shared state: threads share memory, processes don't",
            summary: "Each task appends its number to one list, then adds to three counters: one without a \
                      lock, one atomic, one behind a mutex.",
            lesson: "Threads change the parent's list; processes change their own copies and the parent's \
                     list stays empty. Without a lock, threads running at once lose updates.",
            models: Model::POOL.to_vec(),
            default_models: Model::COMPARED.to_vec(),
            default_workers: DEFAULT_WORKERS,
            params: vec![
                int("items", "Items (tasks)", "The tutorial appended 0..20.", 1, 1000, 20),
                int("increments", "Increments per task", "Added to each counter by every task.", 0, 10_000_000, 1_000_000),
            ],
            article: vec![],
        }
    }
}

impl RunsTasks for SharedState {
    fn run(&self, input: &Value, cp: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
        kernels::shared_state::append_and_count(field(input, "item")?, field(input, "increments")?, cp)?;
        Ok(Value::Null)
    }
}

impl MakesTasks for SharedState {
    fn tasks(&self, plan: &RunPlan) -> Vec<TaskInput> {
        let p: Params = plan.params.typed();
        (0..p.items as usize)
            .map(|i| TaskInput::new(plan, i, format!("append {i}"), json!({ "item": i, "increments": p.increments })))
            .collect()
    }
}

impl PoolScenario for SharedState {
    fn shape(&self, _plan: &RunPlan) -> RunShape {
        RunShape { uses_parent_state: true, ..RunShape::default() }
    }
    /// What the parent sees after the run: its own list and counters.
    fn assemble(&self, plan: &RunPlan, outcome: Outcome) -> super::ScenarioResult {
        let p: Params = plan.params.typed();
        let parent = outcome.parent.unwrap_or_else(super::parent_state);
        let expected = p.items as i64 * p.increments as i64;
        super::ScenarioResult::SharedState(SharedStateResult {
            list: parent.list,
            counters: Counters { expected, unlocked: parent.unlocked, atomic: parent.atomic, mutex: parent.mutex },
        })
    }
}

/// What the parent sees after the run: its own list and its counters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SharedStateResult {
    pub list: Vec<u32>,
    pub counters: Counters,
}

/// The parent's counters beside what every increment would add up to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Counters {
    pub expected: i64,
    pub unlocked: u64,
    pub atomic: u64,
    pub mutex: u64,
}
