//! S2, random sampling into a list: each call draws k distinct integers, as
//! CPython's `random.sample` does. Run as whole programs (`Runs::WholePrograms`).
use super::ScenarioSpec;
use super::{field, MakesTasks, Outcome, PoolScenario, RunsTasks, Scenario, ScenarioId, TaskInput};
use crate::catalog::{figure, int};
use crate::model::Model;
use crate::plan::RunPlan;
use crate::pool::TaskFailure;
use kernels::sample::{sample_into_list, RANGE};
use kernels::Checkpoint;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub struct Sample;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    k: u32,
    calls: u32,
}

impl Scenario for Sample {
    /// Every model runs as a whole program in fresh instances, started cold.
    fn processes_asked(&self, _plan: &RunPlan) -> usize {
        0
    }

    fn id(&self) -> ScenarioId {
        ScenarioId::Sample
    }

    fn python(&self) -> Option<&'static str> {
        Some(include_str!("../../python/scenarios/sample.py"))
    }

    fn spec(&self) -> ScenarioSpec {
        ScenarioSpec {
            id: self.id(),
            title: "Random sampling into a list",
            summary: "Each call draws k distinct integers from 0..20,000,000 into a list, as CPython's \
                      random.sample does (a copy of the population when that is smaller than a set of k \
                      entries, a set of chosen indices otherwise); the function is called several times.",
            lesson: "Parallelism cuts the wall time, not the amount of work: CPU time (busy time summed \
                     over workers) stays about the same.",
            models: Model::POOL.to_vec(),
            default_models: Model::COMPARED.to_vec(),
            default_workers: 2,
            params: vec![
                int("k", "Values per call (k)", "The tutorial used 10,000,000.", 1, 10_000_000, 10_000_000),
                int("calls", "Calls", "How many times the function runs (one task each).", 1, 8, 2),
            ],
            article: vec![
                figure(Model::Serial, 35.1, "real time, CPython, two calls one after the other"),
                figure(Model::Processes, 17.0, "two processes: real time less than half; user+sys about the same"),
            ],
        }
    }
}

impl RunsTasks for Sample {
    fn run(&self, input: &Value, cp: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
        let list = sample_into_list(RANGE, field(input, "k")?, field(input, "seed")? as u64, cp)?;
        Ok(json!({ "length": list.len() }))
    }
}

impl MakesTasks for Sample {
    fn tasks(&self, plan: &RunPlan) -> Vec<TaskInput> {
        let p: Params = plan.params.typed();
        (0..p.calls as usize)
            .map(|i| TaskInput::new(plan, i, format!("sample {} of {RANGE} (call {})", p.k, i + 1), json!({ "k": p.k, "seed": i })))
            .collect()
    }
}

impl PoolScenario for Sample {
    fn assemble(&self, _plan: &RunPlan, outcome: Outcome) -> super::ScenarioResult {
        let lengths = outcome.outputs.iter().map(|o| o["length"].as_u64().unwrap_or(0)).collect();
        // `startup_ms`: the fresh instances (and their threads) starting, before
        // any call; `work_ms`: the rest of the wall time, where the runner
        // measured it.
        super::ScenarioResult::Sample(SampleResult {
            lengths,
            cpu_ms: outcome.cpu_ms,
            startup_ms: outcome.pool_start_ms,
            work_ms: outcome.work_ms,
        })
    }
}

/// S2's result: each call's list length, CPU time summed over workers, and
/// the wall time split into start-up and work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SampleResult {
    pub lengths: Vec<u64>,
    pub cpu_ms: f64,
    pub startup_ms: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_ms: Option<f64>,
}
