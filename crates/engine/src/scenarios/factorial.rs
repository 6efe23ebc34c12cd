use super::{field, Outcome, TaskInput};
use crate::config::RunPlan;
use crate::pool::TaskFailure;
use kernels::Checkpoint;
use serde_json::{json, Value};

pub fn tasks(plan: &RunPlan) -> Vec<TaskInput> {
    let fail_at = plan.params.int("fail_at");
    (0..plan.params.int("n") as usize)
        .map(|i| TaskInput::new(plan, i, format!("factorial({i})"), json!({ "n": i, "raise": i as i64 == fail_at })))
        .collect()
}

pub fn run(input: &Value, cp: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
    let n = field(input, "n")?;
    if input["raise"] == true {
        // A real panic, the way an exception escapes a Python task.
        panic!("ValueError: factorial({n}) was told to fail");
    }
    Ok(Value::String(kernels::factorial::factorial(n, cp)?))
}

pub fn assemble(outcome: Outcome) -> Value {
    json!({ "values": outcome.outputs, "finish_order": outcome.finish_order })
}
