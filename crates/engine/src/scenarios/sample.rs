use super::{field, Outcome, TaskInput};
use crate::config::RunPlan;
use crate::pool::TaskFailure;
use kernels::sample::{sample_into_list, RANGE};
use kernels::Checkpoint;
use serde_json::{json, Value};

pub fn tasks(plan: &RunPlan) -> Vec<TaskInput> {
    let k = plan.params.int("k");
    (0..plan.params.int("calls") as usize)
        .map(|i| TaskInput::new(plan, i, format!("sample {k} of {RANGE} (call {})", i + 1), json!({ "k": k, "seed": i })))
        .collect()
}

pub fn run(input: &Value, cp: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
    let list = sample_into_list(RANGE, field(input, "k")?, field(input, "seed")? as u64, cp)?;
    Ok(json!({ "length": list.len() }))
}

pub fn assemble(outcome: Outcome) -> Value {
    let lengths: Vec<Value> = outcome.outputs.iter().map(|o| o["length"].clone()).collect();
    // `startup_ms`: the fresh instances (and their threads) starting, before
    // any call; the runner adds `work_ms`, the rest of the wall time.
    json!({ "lengths": lengths, "cpu_ms": outcome.cpu_ms, "startup_ms": outcome.pool_start_ms })
}
