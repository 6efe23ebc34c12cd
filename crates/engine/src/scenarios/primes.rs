use super::{field, Outcome, TaskInput};
use crate::config::RunPlan;
use crate::pool::TaskFailure;
use kernels::Checkpoint;
use serde_json::{json, Value};

pub fn tasks(plan: &RunPlan) -> Vec<TaskInput> {
    let limits = plan.params.int_list("limits");
    limits.iter().enumerate().map(|(i, n)| TaskInput::new(plan, i, format!("primes below {n}"), json!({ "n": n }))).collect()
}

pub fn run(input: &Value, cp: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
    let outcome = kernels::primes::product_of_primes(field(input, "n")?, cp)?;
    serde_json::to_value(outcome).map_err(|e| TaskFailure::Failed(e.to_string()))
}

pub fn assemble(outcome: Outcome) -> Value {
    json!({ "items": outcome.outputs })
}
