//! S9: the same tasks four ways. Each quadrant's timeline goes into
//! `result.timelines`, its wall time into `result.quadrant_ms`.
//! - serial: one task after another on the compute worker;
//! - concurrent, not parallel: a thread per task with the GIL on — waits
//!   overlap, computing does not;
//! - parallel, not concurrent: one task at a time, its computing split into
//!   chunks on rayon's threads (one per core);
//! - both: a thread per task with the GIL off.
use crate::base::clock::{now_ms, BrowserClock};
use crate::base::record::record;
use crate::base::{control, env};
use crate::pools::executor::{new_gil, Batch, Executor};
use engine::config::RunPlan;
use engine::error::RunError;
use engine::model::Model;
use engine::pool::run_alone;
use engine::record::{PhaseKind, RunRecord, TaskSpan};
use engine::scenarios::quadrants::{chunk_ranges, Quadrant, QuadrantsResult};
use engine::scenarios::{MakesTasks, ScenarioResult, TaskInput};
use kernels::Stopped;
use rayon::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Mutex;

fn field(t: &TaskInput, name: &str) -> u32 {
    t.input[name].as_u64().unwrap_or(0) as u32
}

/// One task at a time; each one's computing split across rayon's threads.
/// Lane 0 is the compute worker (it waits), lanes 1.. are rayon threads.
fn parallel_not_concurrent(tasks: &[TaskInput], run_id: u32, chunks: u32) -> Result<Vec<TaskSpan>, Stopped> {
    let stop = move || control::stop_requested(run_id);
    let mut spans = Vec::new();
    for t in tasks {
        let wait = |cp: &mut dyn kernels::Checkpoint| cp.sleep(field(t, "wait_ms") as f64).map(|_| Value::Null).map_err(Into::into);
        if let Some(mut w) = run_alone(&BrowserClock, &stop, format!("{}: wait", t.label), &wait) {
            w.span.phases.retain(|p| p.kind == PhaseKind::Sleep);
            w.span.id = Some(t.index);
            spans.push(w.span);
        }
        if stop() {
            return Err(Stopped);
        }
        let pieces = Mutex::new(Vec::new());
        chunk_ranges(field(t, "work"), chunks).into_par_iter().enumerate().try_for_each(|(c, (lo, hi))| {
            let start = now_ms();
            let mut cp = || if stop() { Err(Stopped) } else { Ok(()) };
            kernels::primes::count_primes_in(lo, hi, &mut cp)?;
            let end = now_ms();
            let lane = 1 + rayon::current_thread_index().unwrap_or(0) as u32;
            let label = format!("{}: chunk {}", t.label, c + 1);
            pieces.lock().unwrap_or_else(|e| e.into_inner()).push(TaskSpan::one_phase(
                Some(t.index),
                label,
                lane,
                PhaseKind::Compute,
                start,
                end,
            ));
            Ok::<(), Stopped>(())
        })?;
        spans.extend(pieces.into_inner().unwrap_or_else(|e| e.into_inner()));
    }
    Ok(spans)
}

pub async fn run(id: u32, plan: &RunPlan, scenario: &dyn MakesTasks) -> Result<RunRecord, RunError> {
    let tasks = scenario.tasks(plan);
    control::begin(id, tasks.len() as u32 * 3);
    let cores = env::detect().cores.max(1);
    let workers = plan.workers as usize;
    let mut timelines = BTreeMap::new();
    let mut quadrant_ms = BTreeMap::new();
    let mut wall = 0.0;
    let mut stopped = false;
    for quadrant in Quadrant::ALL {
        // Pools are started before the clock starts: the quadrants compare
        // how work overlaps, not how long pools take to start.
        let (model, gil) = match quadrant {
            Quadrant::Concurrent => (Model::Threads, true),
            Quadrant::Both => (Model::Threads, false),
            Quadrant::Serial | Quadrant::Parallel => (Model::Serial, false),
        };
        let (mut pool, _) = Executor::start(model, workers, plan.start_method).await?;
        let t0 = now_ms();
        let spans = if quadrant == Quadrant::Parallel {
            parallel_not_concurrent(&tasks, id, cores * 2).map_err(RunError::from)
        } else {
            let gil = gil.then(new_gil);
            pool.run(Batch::new(tasks.clone(), workers, gil, id)).await.map(|r| r.runs.into_iter().map(|r| r.span).collect())
        };
        drop(pool);
        let elapsed = now_ms() - t0;
        let spans: Vec<TaskSpan> = match spans {
            Ok(s) => s.into_iter().map(|s| s.rebased(t0)).collect(),
            Err(_) => Vec::new(),
        };
        if control::stop_requested(id) {
            stopped = true;
            break;
        }
        wall += elapsed;
        quadrant_ms.insert(quadrant.name().to_string(), elapsed);
        timelines.insert(quadrant.name().to_string(), spans);
    }
    // Four timelines in the result, each on its own clock; the record's wall
    // time is their sum, its CPU time their busy time.
    let result = if stopped { Err(RunError::Stopped) } else { Ok(ScenarioResult::Quadrants(QuadrantsResult { quadrant_ms, timelines })) };
    Ok(record(plan, (0.0, wall), Vec::new(), Vec::new(), result))
}
