//! The pool runner: most scenarios. Start the model's pool (fresh per
//! repeat, or once when reused), map the scenario's tasks over it in input
//! order, and describe what happened.
use crate::base::clock::now_ms;
use crate::base::control;
use crate::base::record::record;
use crate::pools::executor::{gil_for, Batch, Executor};
use engine::config::RunPlan;
use engine::error::RunError;
use engine::model::Model;
use engine::pool::{TaskFailure, TaskRun};
use engine::record::{RunRecord, TaskSpan};
use engine::scenarios::{self, Outcome, PoolScenario, TaskInput};

/// Run `plan`: start its pool (fresh per repeat, or once when reused), map the
/// tasks, and describe what happened.
pub async fn run(id: u32, plan: &RunPlan, scenario: &dyn PoolScenario) -> Result<RunRecord, RunError> {
    let shape = scenario.shape(plan);
    let tasks = scenario.tasks(plan);
    control::begin(id, tasks.len() as u32 * shape.repeats);
    if shape.uses_parent_state {
        scenarios::reset_parent_state();
    }
    let gil = gil_for(plan);
    let workers = scenarios::pool_size(plan, tasks.len());
    // `batches` starts a fresh set of threads for each slice of the tasks and
    // joins them before the next; every other model maps all tasks at once.
    let batches = plan.model == Model::Batches;
    let groups: Vec<Vec<TaskInput>> = if batches { tasks.chunks(workers.max(1)).map(<[_]>::to_vec).collect() } else { vec![tasks.clone()] };
    let start = now_ms();
    let mut pool: Option<Executor> = None;
    let mut spans: Vec<TaskSpan> = Vec::new();
    let mut outcome = Outcome::default();
    let mut last_runs: Vec<TaskRun> = Vec::new();
    let mut stopped = false;
    'repeats: for repeat in 0..shape.repeats {
        let t0 = now_ms();
        let prefix = if shape.repeats > 1 { format!("repeat {}: ", repeat + 1) } else { String::new() };
        last_runs.clear();
        for group in &groups {
            if pool.is_none() {
                let size = if batches { group.len() } else { workers };
                let started_at = now_ms();
                match Executor::start(plan.model, size, plan.start_method).await {
                    Ok((p, started)) => {
                        outcome.pool_start_ms += started.iter().map(|s| s.end_ms).fold(started_at, f64::max) - started_at;
                        spans.extend(started);
                        pool = Some(p);
                    }
                    Err(RunError::Stopped) => {
                        stopped = true;
                        break 'repeats;
                    }
                    Err(e) => return Err(e),
                }
            }
            let batch = Batch::new(group.clone(), group.len().min(workers).max(1), gil.clone(), id);
            let result = pool.as_mut().expect("started above").run(batch).await?;
            if !shape.reuse_pool || batches {
                pool = None; // this pool ends here: its workers are let go
            }
            spans.extend(result.spawns);
            spans.extend(result.runs.iter().map(|r| TaskSpan { label: format!("{prefix}{}", r.span.label), ..r.span.clone() }));
            stopped |= result.stopped || control::stop_requested(id) || result.runs.len() < group.len();
            last_runs.extend(result.runs);
            if stopped {
                break 'repeats;
            }
        }
        outcome.per_repeat_ms.push(now_ms() - t0);
    }
    drop(pool);
    let end = now_ms();
    if shape.uses_parent_state {
        outcome.parent = Some(scenarios::parent_state());
    }
    Ok(finish(plan, scenario, (start, end), spans, last_runs, outcome, stopped))
}

/// The first failure among the runs, as the run's error (like `map`
/// re-raising the first exception), or `None`.
pub fn first_failure(runs: &[TaskRun]) -> Option<RunError> {
    runs.iter().find_map(|r| match &r.output {
        Err(TaskFailure::Failed(m)) => {
            Some(RunError::TaskFailed { task: r.span.id.unwrap_or(0), label: r.span.label.clone(), message: m.clone() })
        }
        _ => None,
    })
}

fn finish(
    plan: &RunPlan,
    scenario: &dyn PoolScenario,
    clock: (f64, f64),
    spans: Vec<TaskSpan>,
    last_runs: Vec<TaskRun>,
    mut outcome: Outcome,
    stopped: bool,
) -> RunRecord {
    let error = first_failure(&last_runs).or_else(|| stopped.then_some(RunError::Stopped));
    let result = match error {
        Some(e) => Err(e),
        None => {
            let mut by_end: Vec<&TaskRun> = last_runs.iter().collect();
            by_end.sort_by(|a, b| a.span.end_ms.total_cmp(&b.span.end_ms));
            outcome.finish_order = by_end.iter().filter_map(|r| r.span.id).collect();
            outcome.outputs = last_runs.into_iter().filter_map(|r| r.output.ok()).collect();
            // Busy time does not depend on where the clock starts.
            outcome.cpu_ms = spans.iter().map(TaskSpan::busy_ms).fold(0.0, |a, b| a + b);
            Ok(scenario.assemble(plan, outcome))
        }
    };
    record(plan, clock, spans, Vec::new(), result)
}
