//! Runs a pipeline (`engine::pipeline`) for real. The caller's stages are a
//! loop of futures on the compute worker (it must not block: it also feeds
//! the pools); a `Thread` stage is one Web Worker on this memory blocking on
//! its shared queue; pool stages are isolated workers fed by messages from a
//! driver future on the compute worker. Queues between threads and the
//! compute worker are `SharedQueue`s on shared memory; every consumer stops
//! on a poison pill. Each stage worker has its own timeline lane.
use crate::clock::{now_ms, BrowserClock};
use crate::compute::{runner_record, STOPPED};
use crate::processes::{PoolEvent, ProcessPool};
use crate::queue::{put, take_async, take_blocking};
use crate::thread_pool::{JobEnd, ThreadPool};
use crate::{control, env};
use engine::config::RunPlan;
use engine::pipeline::queue::{Msg, SharedQueue};
use engine::pipeline::schedule::Startups;
use engine::pipeline::Exec;
use engine::pool::{run_inline, run_pool, PoolSetup, TaskFailure};
use engine::record::{Phase, PhaseKind, RunRecord, TaskSpan};
use engine::scenarios::pipeline::{self as s7, Batch, Measured, ReportWork};
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

fn span(label: String, lane: u32, kind: PhaseKind, start_ms: f64, end_ms: f64) -> TaskSpan {
    TaskSpan { id: None, label, worker: lane, start_ms, end_ms, phases: vec![Phase { kind, start_ms, end_ms }] }
}

/// One step on a blocking thread, its phases recorded by the pool's checkpoint.
fn blocking_step(
    shared: &Shared,
    lane: u32,
    label: String,
    work: &(dyn Fn(&mut dyn Checkpoint) -> Result<Value, TaskFailure> + Sync),
) -> Result<Value, String> {
    let stop = || shared.stopped();
    let setup = PoolSetup { workers: 1, gil: None, clock: &BrowserClock, should_stop: &stop, on_task_done: &|| {} };
    let labels = [label];
    let run = |_: usize, cp: &mut dyn Checkpoint| work(cp);
    let done = run_pool(&setup, &labels, &run, run_inline).pop().ok_or("the step did not run")?;
    shared.log(TaskSpan { worker: lane, ..done.span });
    done.output.map_err(|e| match e {
        TaskFailure::Stopped => STOPPED.to_string(),
        TaskFailure::Failed(m) => m,
    })
}

/// A timed wait on the caller: a timer, so the compute worker keeps serving
/// the pools meanwhile. Slices of at most 250 ms let a stop be seen.
async fn caller_wait(shared: &Shared, ms: f64) -> Result<(f64, f64), String> {
    let start = now_ms();
    let deadline = start + ms;
    loop {
        let left = deadline - now_ms();
        if left <= 0.0 {
            return Ok((start, now_ms()));
        }
        if shared.stopped() {
            return Err(STOPPED.into());
        }
        gloo_timers::future::TimeoutFuture::new(left.min(250.0).ceil() as u32).await;
    }
}

/// The stages `0..callers` of every batch on the caller, then the batch goes
/// to the next stage's queue (with one pill after the last batch).
async fn caller_loop(shared: Shared, callers: usize, out: Option<Queue>) -> Result<(), String> {
    for index in 0..s7::ENDPOINTS.len() as u32 {
        let mut batch = s7::collect(index);
        let endpoint = batch.pairs[0].endpoint.clone();
        for stage in 0..callers {
            match stage {
                0 => {
                    let (a, b) = caller_wait(&shared, s7::collect_s() * shared.scale_ms).await?;
                    shared.log(span(format!("collect {endpoint}"), 0, PhaseKind::Sleep, a, b));
                }
                1 => {
                    let (a, b) = caller_wait(&shared, s7::import_s() * shared.scale_ms).await?;
                    batch = s7::import(batch);
                    shared.log(span(format!("import {endpoint}"), 0, PhaseKind::Sleep, a, b));
                }
                _ => {
                    for (i, pair) in batch.pairs.iter().enumerate() {
                        let label = format!("report {endpoint} @{}", pair.interval);
                        let output = match shared.work(pair.interval) {
                            ReportWork::Wait { ms } => {
                                let (a, b) = caller_wait(&shared, ms).await?;
                                shared.log(span(label, 0, PhaseKind::Sleep, a, b));
                                s7::report(pair, ReportWork::Cpu { steps: 0 }, &mut kernels::checkpoint::NoCheckpoint)
                                    .map_err(|_| STOPPED.to_string())?
                            }
                            work => blocking_step(&shared, 0, label, &|cp| s7::report(pair, work, cp))?,
                        };
                        shared.report_done(report_number(&batch, i), output);
                    }
                }
            }
        }
        if let Some(q) = &out {
            put(q, Msg::Item(batch));
        }
    }
    if let Some(q) = &out {
        put(q, Msg::Pill);
    }
    Ok(())
}

/// A dedicated thread: take a batch, do this stage's work, pass it on;
/// waiting for the queue is recorded as `queue-wait`. Stops on the pill.
fn thread_loop(shared: Shared, stage: usize, lane: u32, input: Queue, out: Option<Queue>) -> Result<(), String> {
    loop {
        let waited = now_ms();
        let Some(msg) = take_blocking(&input, &|| shared.stopped()) else { return Err(STOPPED.into()) };
        let got = now_ms();
        if got - waited > 0.5 {
            shared.log(span("waiting on the queue".into(), lane, PhaseKind::QueueWait, waited, got));
        }
        let Msg::Item(mut batch) = msg else {
            shared.log(span("poison pill: stop".into(), lane, PhaseKind::QueueWait, got, now_ms()));
            if let Some(q) = &out {
                put(q, Msg::Pill);
            }
            return Ok(());
        };
        let endpoint = batch.pairs[0].endpoint.clone();
        if stage == 1 {
            let ms = s7::import_s() * shared.scale_ms;
            blocking_step(&shared, lane, format!("import {endpoint}"), &|cp| cp.sleep(ms).map(|_| Value::Null).map_err(Into::into))?;
            batch = s7::import(batch);
        } else {
            for (i, pair) in batch.pairs.iter().enumerate() {
                let work = shared.work(pair.interval);
                let label = format!("report {endpoint} @{}", pair.interval);
                let output = blocking_step(&shared, lane, label, &|cp| s7::report(pair, work, cp))?;
                shared.report_done(report_number(&batch, i), output);
            }
        }
        if let Some(q) = &out {
            put(q, Msg::Item(batch));
        }
    }
}

async fn thread_stage(shared: Shared, stage: usize, lane: u32, input: Queue, out: Option<Queue>) -> Result<(), String> {
    let (mut pool, spawns) = ThreadPool::start(1).await?;
    for s in spawns {
        // In the schedule, a thread is there from the start: count from it.
        shared.startup(stage, s.end_ms - shared.origin);
        shared.log(TaskSpan { worker: lane, label: "start thread".into(), ..s });
    }
    let result = Arc::new(Mutex::new(Ok(())));
    let (sh, res) = (shared.clone(), result.clone());
    let job = Box::new(move || {
        let r = thread_loop(sh.clone(), stage, lane, input, out);
        if r.is_err() {
            sh.abort.store(true, Ordering::SeqCst);
        }
        *res.lock().unwrap_or_else(|e| e.into_inner()) = r;
    });
    let ends = pool.run(vec![job], &|_| {}).await?;
    if let Some((_, JobEnd::Panicked { message, .. })) = ends.into_iter().next() {
        return Err(format!("the {} thread panicked: {message}", if stage == 1 { "import" } else { "report" }));
    }
    let r = result.lock().unwrap_or_else(|e| e.into_inner()).clone();
    r
}

/// Record a pool's start-up (stage `stage`, lanes from `lane0`) as the time
/// from `started` until its last worker was ready.
fn log_pool_start(shared: &Shared, stage: usize, lane0: u32, started: f64, spawns: Vec<TaskSpan>) {
    let up = spawns.iter().map(|s| s.end_ms).fold(started, f64::max) - started;
    shared.startup(stage, up);
    for s in spawns {
        shared.log(TaskSpan { worker: lane0 + s.worker, ..s });
    }
}

/// A fresh pool for each batch: start it, map the batch's reports, shut it.
async fn fresh_pool_stage(plan: RunPlan, shared: Shared, stage: usize, lane0: u32, workers: usize, input: Queue) -> Result<(), String> {
    loop {
        let stop = || shared.stopped();
        match take_async(&input, &stop).await {
            None => return Err(STOPPED.into()),
            Some(Msg::Pill) => return Ok(()),
            Some(Msg::Item(batch)) => {
                let started = now_ms();
                let (mut pool, spawns) = ProcessPool::start(workers).await?;
                log_pool_start(&shared, stage, lane0, started, spawns);
                // Numbered within the batch, as a map over the batch is.
                let tasks: Vec<TaskInput> = shared
                    .report_task(&plan, &batch)
                    .into_iter()
                    .enumerate()
                    .map(|(i, t)| TaskInput { index: i as u32, ..t })
                    .collect();
                let outcome = pool.run(&tasks).await?;
                for s in outcome.spawns {
                    shared.log(TaskSpan { worker: lane0 + s.worker, ..s });
                }
                if outcome.stopped {
                    return Err(STOPPED.into());
                }
                for run in outcome.runs {
                    let output = run.output.map_err(|e| match e {
                        TaskFailure::Stopped => STOPPED.to_string(),
                        TaskFailure::Failed(m) => format!("{}: {m}", run.span.label),
                    })?;
                    let number = report_number(&batch, run.span.id.unwrap_or(0) as usize);
                    shared.log(TaskSpan { worker: lane0 + run.span.worker, id: Some(number), ..run.span });
                    // `ProcessPool::run` counted it already.
                    shared.reports.lock().unwrap_or_else(|e| e.into_inner()).push((number, output));
                }
                drop(pool); // this batch's pool ends here
            }
        }
    }
}

/// One pool for the whole run: started at once, fed report by report from
/// the queue (first idle worker first), stopped by one pill per worker.
async fn long_pool_stage(plan: RunPlan, shared: Shared, stage: usize, lane0: u32, workers: usize, input: Queue) -> Result<(), String> {
    let started = now_ms();
    let (mut pool, spawns) = ProcessPool::start(workers).await?;
    // In the schedule, this pool starts with the run: count from there.
    let started = started.min(shared.origin);
    let mut idle_since: Vec<f64> = (0..workers).map(|w| spawns.iter().find(|s| s.worker as usize == w).map_or(started, |s| s.end_ms)).collect();
    log_pool_start(&shared, stage, lane0, started, spawns);
    let mut idle: VecDeque<usize> = (0..workers).collect();
    let mut pending: VecDeque<TaskInput> = VecDeque::new();
    let (mut open, mut busy) = (true, 0);
    let stop = || shared.stopped();
    loop {
        while let (Some(_), Some(&w)) = (pending.front(), idle.front()) {
            let task = pending.pop_front().expect("checked");
            idle.pop_front();
            let sent = pool.send(w, &task)?;
            if sent - idle_since[w] > 0.5 {
                shared.log(span("waiting on the queue".into(), lane0 + w as u32, PhaseKind::QueueWait, idle_since[w], sent));
            }
            busy += 1;
        }
        if !open && pending.is_empty() && busy == 0 {
            break;
        }
        let event = if open {
            match select(Box::pin(take_async(&input, &stop)), Box::pin(pool.next_event())).await {
                Either::Left((msg, _)) => Either::Left(msg),
                Either::Right((event, _)) => Either::Right(event?),
            }
        } else {
            Either::Right(pool.next_event().await?)
        };
        match event {
            Either::Left(None) => return Err(STOPPED.into()),
            Either::Left(Some(Msg::Pill)) => open = false,
            Either::Left(Some(Msg::Item(batch))) => pending.extend(shared.report_task(&plan, &batch)),
            Either::Right(PoolEvent::Done { worker, run }) => {
                busy -= 1;
                idle.push_back(worker);
                idle_since[worker] = run.span.end_ms;
                let number = run.span.id.unwrap_or(0);
                let output = run.output.map_err(|e| match e {
                    TaskFailure::Stopped => STOPPED.to_string(),
                    TaskFailure::Failed(m) => format!("{}: {m}", run.span.label),
                })?;
                shared.log(TaskSpan { worker: lane0 + worker as u32, ..run.span });
                shared.report_done(number, output);
            }
            Either::Right(_) => {}
        }
    }
    // One poison pill per worker; each takes one and exits.
    for w in 0..workers {
        pool.send_pill(w)?;
    }
    let mut exited = 0;
    while exited < workers {
        if let PoolEvent::Exited { worker, at_ms } = pool.next_event().await? {
            shared.log(span("poison pill: exit".into(), lane0 + worker as u32, PhaseKind::QueueWait, idle_since[worker], at_ms));
            exited += 1;
        }
    }
    Ok(())
}

pub async fn run(id: u32, plan: &RunPlan) -> Result<RunRecord, String> {
    let (v, c) = (plan.params.int("variant") as u32, plan.params.int("cpucount") as u32);
    let pipeline = s7::variant(v, c);
    pipeline.validate()?;
    let cpu = plan.params.text("report") == "cpu";
    // Calibrated before the clock starts, on this worker, for ~30 ms.
    let steps_per_ms = cpu.then(|| kernels::burn::calibrate(&now_ms, 30.0));
    let start = now_ms();
    let shared = Shared {
        run_id: id,
        origin: start,
        scale_ms: plan.params.int("scale_ms") as f64,
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
    let mut stages: Vec<LocalBoxFuture<'static, Result<(), String>>> = Vec::new();
    for (i, stage) in pipeline.stages.iter().enumerate().skip(callers) {
        let lane0 = lanes.len() as u32;
        let input = queues[i].clone();
        let out = (i + 1 < pipeline.stages.len()).then(|| queues[i + 1].clone());
        let (sh, p) = (shared.clone(), plan.clone());
        match stage.exec {
            Exec::Caller => unreachable!("validated"),
            Exec::Thread => {
                lanes.push(format!("{} thread", stage.name));
                stages.push(Box::pin(thread_stage(sh, i, lane0, input, out)));
            }
            Exec::FreshPool { workers } | Exec::LongPool { workers } => {
                let workers = stage.concurrency().min(workers) as usize;
                lanes.extend((1..=workers).map(|w| format!("{} process {w}", stage.name)));
                if matches!(stage.exec, Exec::FreshPool { .. }) {
                    stages.push(Box::pin(fresh_pool_stage(p, sh, i, lane0, workers, input)));
                } else {
                    stages.push(Box::pin(long_pool_stage(p, sh, i, lane0, workers, input)));
                }
            }
        }
    }
    let first_out = (callers < pipeline.stages.len()).then(|| queues[callers].clone());
    stages.insert(0, Box::pin(caller_loop(shared.clone(), callers, first_out)));
    let outcome = try_join_all(stages).await;
    let end = now_ms();
    if outcome.is_err() {
        shared.abort.store(true, Ordering::SeqCst);
    }
    let spans = std::mem::take(&mut *shared.spans.lock().unwrap_or_else(|e| e.into_inner()));
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
    let result = s7::assemble(plan, measured);
    let mut record = runner_record(plan, (start, end), spans, lanes, result, outcome.err());
    record.workers = c;
    Ok(record)
}
