use super::{field, Outcome, TaskInput};
use crate::config::RunPlan;
use crate::pool::TaskFailure;
use kernels::Checkpoint;
use serde_json::{json, Value};

pub fn tasks(plan: &RunPlan) -> Vec<TaskInput> {
    let increments = plan.params.int("increments");
    (0..plan.params.int("items") as usize)
        .map(|i| TaskInput::new(plan, i, format!("append {i}"), json!({ "item": i, "increments": increments })))
        .collect()
}

pub fn run(input: &Value, cp: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
    kernels::shared_state::append_and_count(field(input, "item")?, field(input, "increments")?, cp)?;
    Ok(Value::Null)
}

/// What the parent sees after the run: its own list and counters.
pub fn assemble(plan: &RunPlan, outcome: Outcome) -> Value {
    let parent = outcome.parent.unwrap_or_else(super::parent_state);
    let expected = plan.params.int("items") * plan.params.int("increments");
    json!({
        "list": parent.list,
        "counters": { "expected": expected, "unlocked": parent.unlocked, "atomic": parent.atomic, "mutex": parent.mutex },
    })
}
