//! S1, the product of primes: one task per limit, all primes below it found
//! by naive trial division and multiplied as an exact big integer.
use super::ScenarioSpec;
use super::{field, MakesTasks, Outcome, PoolScenario, RunsTasks, Scenario, ScenarioId, TaskInput};
use crate::catalog::{figure, ParamKind, ParamSpec, DEFAULT_WORKERS};
use crate::model::Model;
use crate::plan::RunPlan;
use crate::pool::TaskFailure;
use kernels::Checkpoint;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub struct Primes;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    limits: Vec<u32>,
}

impl Scenario for Primes {
    fn id(&self) -> ScenarioId {
        ScenarioId::Primes
    }

    fn python(&self) -> Option<&'static str> {
        Some(include_str!("../../python/scenarios/primes.py"))
    }

    fn spec(&self) -> ScenarioSpec {
        ScenarioSpec {
            id: self.id(),
            title: "Product of primes",
            summary: "For each limit n, find every prime below n by naive trial division, count them, \
                      and multiply them together as an exact big integer.",
            lesson: "CPU-bound work speeds up with processes, and with threads only when no global lock \
                     serialises them. The tasks are unequal, so the largest one caps the speedup.",
            models: Model::POOL.to_vec(),
            default_models: Model::COMPARED.to_vec(),
            default_workers: DEFAULT_WORKERS,
            params: vec![ParamSpec {
                name: "limits",
                label: "Limits (one task each)",
                help: "Each limit is one task: all primes below it are found and multiplied.",
                kind: ParamKind::IntList { min: 1, max: 200_000, min_len: 1, max_len: 16, default: vec![50328, 22756, 39371, 44832] },
            }],
            article: vec![
                figure(Model::Serial, 10.0, "CPython on a 1.1 GHz quad-core laptop"),
                figure(Model::Processes, 4.2, "four processes, same laptop"),
            ],
        }
    }
}

impl RunsTasks for Primes {
    fn run(&self, input: &Value, cp: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
        let outcome = kernels::primes::product_of_primes(field(input, "n")?, cp)?;
        serde_json::to_value(outcome).map_err(|e| TaskFailure::Failed(e.to_string()))
    }
}

impl MakesTasks for Primes {
    fn tasks(&self, plan: &RunPlan) -> Vec<TaskInput> {
        let p: Params = plan.params.typed();
        p.limits.iter().enumerate().map(|(i, n)| TaskInput::new(plan, i, format!("primes below {n}"), json!({ "n": n }))).collect()
    }
}

impl PoolScenario for Primes {
    fn assemble(&self, _plan: &RunPlan, outcome: Outcome) -> super::ScenarioResult {
        super::ScenarioResult::Primes(PrimesResult { items: super::outputs_as(outcome.outputs) })
    }
}

/// S1's result: one outcome per limit, in input order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PrimesResult {
    pub items: Vec<kernels::primes::PrimesOutcome>,
}
