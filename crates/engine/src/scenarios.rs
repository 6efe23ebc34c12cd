//! What each scenario's tasks are, how one task runs, and how task outputs
//! become the run's result. Task inputs and outputs are JSON so that they can
//! cross to isolated workers the way Python pickles arguments.
use crate::config::{RunPlan, ScenarioParams};
use crate::pool::TaskFailure;
use kernels::Checkpoint;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// One task as it is shipped to a worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskInput {
    pub scenario: String,
    pub index: u32,
    pub label: String,
    pub input: Value,
}

pub fn task_inputs(plan: &RunPlan) -> Vec<TaskInput> {
    match &plan.params {
        ScenarioParams::Primes { limits } => limits
            .iter()
            .enumerate()
            .map(|(i, n)| TaskInput {
                scenario: plan.scenario.clone(),
                index: i as u32,
                label: format!("primes below {n}"),
                input: json!({ "n": n }),
            })
            .collect(),
    }
}

fn field_u32(input: &Value, name: &str) -> Result<u32, TaskFailure> {
    input
        .get(name)
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| TaskFailure::Failed(format!("task input lacks a whole number '{name}'")))
}

/// Run one task wherever we are (caller's thread, pool thread, isolated worker).
pub fn run_task(task: &TaskInput, checkpoint: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
    match task.scenario.as_str() {
        "primes" => {
            let n = field_u32(&task.input, "n")?;
            let outcome = kernels::primes::product_of_primes(n, checkpoint)?;
            serde_json::to_value(outcome).map_err(|e| TaskFailure::Failed(e.to_string()))
        }
        other => Err(TaskFailure::Failed(format!("unknown scenario '{other}'"))),
    }
}

/// The run's `result` from the task outputs, in input order.
pub fn assemble(plan: &RunPlan, outputs: Vec<Value>) -> Value {
    match plan.params {
        ScenarioParams::Primes { .. } => json!({ "items": outputs }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{validate, RunConfig};
    use kernels::checkpoint::NoCheckpoint;

    #[test]
    fn primes_tasks_run_from_their_shipped_form() {
        let config: RunConfig = serde_json::from_value(json!({
            "scenario": "primes", "model": "serial", "params": {"limits": [10, 30]}
        }))
        .unwrap();
        let plan = validate(&config).unwrap();
        let tasks = task_inputs(&plan);
        assert_eq!(tasks.len(), 2);
        let shipped: TaskInput = serde_json::from_str(&serde_json::to_string(&tasks[1]).unwrap()).unwrap();
        let out = run_task(&shipped, &mut NoCheckpoint).unwrap();
        assert_eq!(out["count"], 10);
        assert_eq!(out["digits"], 10);
        let result = assemble(&plan, vec![out.clone(), out]);
        assert_eq!(result["items"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn a_malformed_task_fails_with_a_message() {
        let task = TaskInput { scenario: "primes".into(), index: 0, label: "x".into(), input: json!({}) };
        assert!(matches!(run_task(&task, &mut NoCheckpoint), Err(TaskFailure::Failed(m)) if m.contains("'n'")));
    }
}
