use super::{field, Outcome, RunShape, TaskInput};
use crate::config::RunPlan;
use crate::pool::TaskFailure;
use kernels::Checkpoint;
use serde_json::{json, Value};

/// How many tiny tasks "square" maps, and how many sleepers "sleep" has.
pub const SQUARES: usize = 1000;
pub const SLEEPERS: usize = 5;

pub fn shape(plan: &RunPlan) -> RunShape {
    RunShape { repeats: plan.params.int("repeats") as u32, reuse_pool: plan.params.flag("reuse"), uses_parent_state: false }
}

pub fn tasks(plan: &RunPlan) -> Vec<TaskInput> {
    if plan.params.text("work") == "square" {
        (0..SQUARES).map(|x| TaskInput::new(plan, x, format!("2**{x}"), json!({ "square": x }))).collect()
    } else {
        let unit = plan.params.int("unit_ms");
        (0..SLEEPERS)
            .map(|i| TaskInput::new(plan, i, format!("sleep {i} units"), json!({ "sleep_ms": i as i64 * unit })))
            .collect()
    }
}

pub fn run(input: &Value, cp: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
    if input.get("square").is_some() {
        return Ok(json!(kernels::square::power_of_two_bits(field(input, "square")?)));
    }
    let ms = field(input, "sleep_ms")?;
    cp.sleep(ms as f64)?;
    Ok(json!(ms))
}

pub fn assemble(outcome: Outcome) -> Value {
    json!({ "per_repeat_ms": outcome.per_repeat_ms, "pool_start_ms": outcome.pool_start_ms })
}
