//! Runs a pipeline (`engine::pipeline`) for real. The caller's stages are a
//! loop of futures on the compute worker (it must not block: it also feeds
//! the pools); a `Thread` stage is one Web Worker on this memory blocking on
//! its shared queue; pool stages are isolated workers fed by messages from a
//! driver future on the compute worker. Queues between threads and the
//! compute worker are `SharedQueue`s on shared memory; every consumer stops
//! on a poison pill. Each stage worker has its own timeline lane.
//!
//! `caller` runs the caller's loop, `threads` a dedicated thread's stage,
//! `pools` the stages on isolated workers.
mod caller;
mod pools;
mod threads;

use crate::base::clock::{now_ms, BrowserClock};
use crate::base::queue::{put, take_async, take_blocking};
use crate::base::record::record;
use crate::base::{control, env};
use crate::pools::processes::{PoolEvent, ProcessPool};
use crate::pools::threads::{JobEnd, ThreadPool};
use engine::config::RunPlan;
use engine::error::RunError;
use engine::pipeline::queue::{Msg, SharedQueue};
use engine::pipeline::schedule::Startups;
use engine::pipeline::Exec;
use engine::pool::{run_alone, TaskFailure};
use engine::record::{PhaseKind, RunRecord, TaskSpan};
use engine::scenarios::pipeline::{self as s7, Batch, Measured, ReportKind, ReportWork};
use engine::scenarios::TaskInput;
use futures_util::future::{select, try_join_all, Either, LocalBoxFuture};
use kernels::Checkpoint;
use serde_json::Value;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

type Queue = Arc<SharedQueue<Batch>>;

/// What every stage worker shares: the run's log and how to do the work.
#[derive(Clone)]
struct Shared {
    run_id: u32,
    /// When the run started (clock ms).
    origin: f64,
    scale_ms: f64,
    /// Steps per ms when reports are CPU work.
    steps_per_ms: Option<f64>,
    spans: Arc<Mutex<Vec<TaskSpan>>>,
    /// (report number, output) — sorted at the end.
    reports: Arc<Mutex<Vec<(u32, Value)>>>,
    startups: Arc<Mutex<Startups>>,
    /// Set when a stage fails, so the others stop waiting.
    abort: Arc<AtomicBool>,
}

impl Shared {
    fn stopped(&self) -> bool {
        control::stop_requested(self.run_id) || self.abort.load(Ordering::SeqCst)
    }
    fn log(&self, span: TaskSpan) {
        self.spans.lock().unwrap_or_else(|e| e.into_inner()).push(span);
    }
    fn startup(&self, stage: usize, ms: f64) {
        let mut s = self.startups.lock().unwrap_or_else(|e| e.into_inner());
        if s.per_stage.len() <= stage {
            s.per_stage.resize(stage + 1, Vec::new());
        }
        s.per_stage[stage].push(ms);
    }
    fn report_done(&self, number: u32, output: Value) {
        self.reports.lock().unwrap_or_else(|e| e.into_inner()).push((number, output));
        control::task_done();
    }
    fn work(&self, interval: u32) -> ReportWork {
        let ms = s7::report_s(interval) * self.scale_ms;
        match self.steps_per_ms {
            Some(rate) => ReportWork::Cpu { steps: (rate * ms) as u64 },
            None => ReportWork::Wait { ms },
        }
    }
    fn report_task(&self, plan: &RunPlan, batch: &Batch) -> Vec<TaskInput> {
        batch
            .pairs
            .iter()
            .enumerate()
            .map(|(i, pair)| s7::report_task(plan, report_number(batch, i) as usize, pair, self.work(pair.interval)))
            .collect()
    }
}

fn report_number(batch: &Batch, pair: usize) -> u32 {
    batch.index * s7::INTERVALS.len() as u32 + pair as u32
}

/// One step on a blocking thread, its phases recorded by the pool's checkpoint.
fn blocking_step(
    shared: &Shared,
    lane: u32,
    label: String,
    work: &(dyn Fn(&mut dyn Checkpoint) -> Result<Value, TaskFailure> + Sync),
) -> Result<Value, RunError> {
    let stop = || shared.stopped();
    let done = run_alone(&BrowserClock, &stop, label, work).ok_or(RunError::Stopped)?;
    shared.log(TaskSpan { worker: lane, ..done.span });
    done.output.map_err(RunError::from)
}

pub async fn run(id: u32, plan: &RunPlan) -> Result<RunRecord, RunError> {
    let params = s7::params(plan);
    let (v, c) = (params.variant, params.cpucount);
    let pipeline = s7::variant(v, c);
    pipeline.validate().map_err(RunError::Broken)?;
    let cpu = params.report == ReportKind::Cpu;
    // Calibrated before the clock starts, on this worker, for ~30 ms.
    let steps_per_ms = cpu.then(|| kernels::burn::calibrate(&now_ms, 30.0));
    let start = now_ms();
    let shared = Shared {
        run_id: id,
        origin: start,
        scale_ms: params.scale_ms as f64,
        steps_per_ms,
        spans: Arc::default(),
        reports: Arc::default(),
        startups: Arc::default(),
        abort: Arc::default(),
    };
    control::begin(id, (s7::ENDPOINTS.len() * s7::INTERVALS.len()) as u32);
    let callers = pipeline.caller_stages();
    let queues: Vec<Queue> = (0..pipeline.stages.len()).map(|_| Arc::default()).collect();
    // Lane 0 is the caller; then each later stage's workers.
    let mut lanes = vec!["main (caller)".to_string()];
    let mut stages: Vec<LocalBoxFuture<'static, Result<(), RunError>>> = Vec::new();
    for (i, stage) in pipeline.stages.iter().enumerate().skip(callers) {
        let lane0 = lanes.len() as u32;
        let input = queues[i].clone();
        let out = (i + 1 < pipeline.stages.len()).then(|| queues[i + 1].clone());
        let (sh, p) = (shared.clone(), plan.clone());
        match stage.exec {
            Exec::Caller => unreachable!("validated"),
            Exec::Thread => {
                lanes.push(format!("{} thread", stage.name));
                stages.push(Box::pin(threads::thread_stage(sh, i, lane0, input, out)));
            }
            Exec::FreshPool { workers } | Exec::LongPool { workers } => {
                let workers = stage.concurrency().min(workers) as usize;
                lanes.extend((1..=workers).map(|w| format!("{} process {w}", stage.name)));
                if matches!(stage.exec, Exec::FreshPool { .. }) {
                    stages.push(Box::pin(pools::fresh_pool_stage(p, sh, i, lane0, workers, input)));
                } else {
                    stages.push(Box::pin(pools::long_pool_stage(p, sh, i, lane0, workers, input)));
                }
            }
        }
    }
    let first_out = (callers < pipeline.stages.len()).then(|| queues[callers].clone());
    stages.insert(0, Box::pin(caller::caller_loop(shared.clone(), callers, first_out)));
    let outcome = try_join_all(stages).await;
    let end = now_ms();
    if outcome.is_err() {
        shared.abort.store(true, Ordering::SeqCst);
    }
    let mut spans = std::mem::take(&mut *shared.spans.lock().unwrap_or_else(|e| e.into_inner()));
    // Logged by many workers as they went: in time order for the record.
    spans.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
    let mut reports = std::mem::take(&mut *shared.reports.lock().unwrap_or_else(|e| e.into_inner()));
    reports.sort_by_key(|r| r.0);
    let startups_ms = shared.startups.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let measured = Measured {
        total_ms: end - start,
        startups_ms,
        reports: reports.into_iter().map(|r| r.1).collect(),
        steps_per_ms,
        cores: env::detect().cores,
    };
    let result = outcome.map(|_| s7::assemble(plan, measured));
    Ok(record(plan, (start, end), spans, lanes, result))
}
