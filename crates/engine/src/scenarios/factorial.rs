//! S3, a pool map of factorial: results in input order, whatever order the
//! workers finish in; one task may be told to raise.
use super::ScenarioSpec;
use super::{field, MakesTasks, Outcome, PoolScenario, RunsTasks, Scenario, ScenarioId, TaskInput};
use crate::catalog::{int, DEFAULT_WORKERS};
use crate::model::Model;
use crate::plan::RunPlan;
use crate::pool::TaskFailure;
use kernels::Checkpoint;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub struct Factorial;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    n: u32,
    fail_at: i64,
}

impl Scenario for Factorial {
    fn id(&self) -> ScenarioId {
        ScenarioId::Factorial
    }

    fn python(&self) -> Option<&'static str> {
        Some(include_str!("../../python/scenarios/factorial.py"))
    }

    fn spec(&self) -> ScenarioSpec {
        ScenarioSpec {
            id: self.id(),
            title: "Pool map of factorial",
            summary: "Map factorial over 0..n with each kind of pool; values are exact big integers.",
            lesson: "map returns results in input order, whatever order the workers finish in.",
            models: Model::POOL.to_vec(),
            default_models: Model::COMPARED.to_vec(),
            default_workers: DEFAULT_WORKERS,
            params: vec![
                int("n", "n (tasks 0..n)", "Factorials of 0 to n−1.", 1, 3000, 10),
                int("fail_at", "Task that raises", "This task panics, as if it raised an exception (−1: none).", -1, 3000, -1),
            ],
            article: vec![],
        }
    }
}

impl RunsTasks for Factorial {
    fn run(&self, input: &Value, cp: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
        let n = field(input, "n")?;
        if input["raise"] == true {
            // A real panic, the way an exception escapes a Python task.
            panic!("ValueError: factorial({n}) was told to fail");
        }
        Ok(Value::String(kernels::factorial::factorial(n, cp)?))
    }
}

impl MakesTasks for Factorial {
    fn tasks(&self, plan: &RunPlan) -> Vec<TaskInput> {
        let p: Params = plan.params.typed();
        (0..p.n as usize)
            .map(|i| TaskInput::new(plan, i, format!("factorial({i})"), json!({ "n": i, "raise": i as i64 == p.fail_at })))
            .collect()
    }
}

impl PoolScenario for Factorial {
    fn assemble(&self, _plan: &RunPlan, outcome: Outcome) -> super::ScenarioResult {
        let values = outcome.outputs.iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect();
        super::ScenarioResult::Factorial(FactorialResult { values, finish_order: outcome.finish_order })
    }
}

/// The factorials in input order (decimal digits), and the order tasks
/// finished in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FactorialResult {
    pub values: Vec<String>,
    pub finish_order: Vec<u32>,
}
