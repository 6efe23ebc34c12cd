//! S9: the same tasks four ways. Each quadrant's timeline goes into
//! `result.timelines`, its wall time into `result.quadrant_ms`.
//! - serial: one task after another on the compute worker;
//! - concurrent, not parallel: a thread per task with the GIL on — waits
//!   overlap, computing does not;
//! - parallel, not concurrent: one task at a time, its computing split into
//!   chunks on rayon's threads (one per core);
//! - both: a thread per task with the GIL off.
use crate::clock::{now_ms, BrowserClock};
use crate::control;
use crate::executor::{Batch, Executor};
use engine::config::RunPlan;
use engine::gil::Gil;
use engine::pool::{PoolQueue, PoolSetup};
use engine::record::{Env, Phase, PhaseKind, RunRecord, TaskSpan};
use engine::scenarios::quadrants::{chunk_ranges, QUADRANTS};
use engine::scenarios::{task_inputs, TaskInput};
use kernels::{Checkpoint, Stopped};
use rayon::prelude::*;
use serde_json::{json, Map, Value};
use std::sync::{Arc, Mutex};

fn field(t: &TaskInput, name: &str) -> u32 {
    t.input[name].as_u64().unwrap_or(0) as u32
}

/// One task at a time; each one's computing split across rayon's threads.
/// Lane 0 is the compute worker (it waits), lanes 1.. are rayon threads.
fn parallel_not_concurrent(tasks: &[TaskInput], run_id: u32, chunks: u32) -> Result<Vec<TaskSpan>, Stopped> {
    let stop = move || control::stop_requested(run_id);
    let mut spans = Vec::new();
    for t in tasks {
        let wait_start = now_ms();
        let setup = PoolSetup { workers: 1, gil: None, clock: &BrowserClock, should_stop: &stop, on_task_done: &|| {} };
        let queue = PoolQueue::new();
        let label = [format!("{}: wait", t.label)];
        let wait = |_: usize, cp: &mut dyn Checkpoint| cp.sleep(field(t, "wait_ms") as f64).map(|_| Value::Null).map_err(Into::into);
        queue.work(&setup, 0, &label, &wait);
        let mut waited = queue.take_runs();
        if let Some(mut w) = waited.pop() {
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
            pieces.lock().unwrap_or_else(|e| e.into_inner()).push(TaskSpan {
                id: Some(t.index),
                label: format!("{}: chunk {}", t.label, c + 1),
                worker: lane,
                start_ms: start,
                end_ms: end,
                phases: vec![Phase { kind: PhaseKind::Compute, start_ms: start, end_ms: end }],
            });
            Ok::<(), Stopped>(())
        })?;
        spans.extend(pieces.into_inner().unwrap_or_else(|e| e.into_inner()));
        let _ = wait_start;
    }
    Ok(spans)
}

pub async fn run(id: u32, plan: &RunPlan) -> Result<RunRecord, String> {
    let tasks = task_inputs(plan);
    control::begin(id, tasks.len() as u32 * 3);
    let env: Env = crate::env::detect();
    let workers = plan.workers as usize;
    let mut timelines = Map::new();
    let mut quadrant_ms = Map::new();
    let (mut wall, mut cpu) = (0.0, 0.0);
    let mut error = None;
    for name in QUADRANTS {
        // Pools are started before the clock starts: the quadrants compare
        // how work overlaps, not how long pools take to start.
        let (model, gil) = match name {
            "concurrent" => ("threads", true),
            "both" => ("threads", false),
            _ => ("serial", false),
        };
        let (mut pool, _) = Executor::start(model, workers).await?;
        let t0 = now_ms();
        let spans = if name == "parallel" {
            parallel_not_concurrent(&tasks, id, env.cores.max(1) * 2).map_err(|_| "Stopped".to_string())
        } else {
            let gil = gil.then(|| Arc::new(Gil::new(Gil::CPYTHON_SWITCH_INTERVAL_MS)));
            pool.run(Batch::new(tasks.clone(), workers, gil, id)).await.map(|r| r.runs.into_iter().map(|r| r.span).collect())
        };
        drop(pool);
        let elapsed = now_ms() - t0;
        let spans: Vec<TaskSpan> = match spans {
            Ok(s) => s.into_iter().map(|s| s.rebased(t0)).collect(),
            Err(_) => Vec::new(),
        };
        if control::stop_requested(id) {
            error = Some("Stopped before all tasks finished.".to_string());
            break;
        }
        cpu += spans.iter().map(TaskSpan::busy_ms).sum::<f64>();
        wall += elapsed;
        quadrant_ms.insert(name.into(), json!(elapsed));
        timelines.insert(name.into(), serde_json::to_value(&spans).unwrap_or(Value::Null));
    }
    let result = if error.is_none() { json!({ "quadrant_ms": quadrant_ms, "timelines": timelines }) } else { Value::Null };
    Ok(RunRecord {
        scenario: plan.scenario.clone(),
        model: plan.model.clone(),
        workers: plan.workers,
        gil: plan.gil_text().into(),
        params: plan.params_json(),
        env,
        wall_ms: wall,
        cpu_ms: cpu,
        tasks: Vec::new(),
        lanes: Vec::new(),
        result,
        error,
    })
}
