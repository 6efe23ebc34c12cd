//! Run records as the runners make them: `engine::record::RunRecord::build`
//! with this browser's environment.
use super::env;
use engine::config::RunPlan;
use engine::error::RunError;
use engine::record::{RunRecord, TaskSpan};
use engine::scenarios::ScenarioResult;

/// The record of a run from its spans (clock times, rebased to `start`),
/// lane names if any, and its result or why there is none.
pub fn record(
    plan: &RunPlan,
    clock: (f64, f64),
    spans: Vec<TaskSpan>,
    lanes: Vec<String>,
    outcome: Result<ScenarioResult, RunError>,
) -> RunRecord {
    RunRecord::build(plan, env::detect(), clock, spans, lanes, outcome)
}
