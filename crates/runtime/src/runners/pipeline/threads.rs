//! A stage on a dedicated thread, fed by a queue in shared memory.
use super::*;

/// A dedicated thread: take a batch, do this stage's work, pass it on;
/// waiting for the queue is recorded as `queue-wait`. Stops on the pill.
fn thread_loop(shared: Shared, stage: usize, lane: u32, input: Queue, out: Option<Queue>) -> Result<(), RunError> {
    loop {
        let waited = now_ms();
        let Some(msg) = take_blocking(&input, &|| shared.stopped()) else { return Err(RunError::Stopped) };
        let got = now_ms();
        if got - waited > 0.5 {
            shared.log(TaskSpan::one_phase(None, "waiting on the queue".into(), lane, PhaseKind::QueueWait, waited, got));
        }
        let Msg::Item(mut batch) = msg else {
            shared.log(TaskSpan::one_phase(None, "poison pill: stop".into(), lane, PhaseKind::QueueWait, got, now_ms()));
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

pub(super) async fn thread_stage(shared: Shared, stage: usize, lane: u32, input: Queue, out: Option<Queue>) -> Result<(), RunError> {
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
        let message = format!("the {} thread panicked: {message}", if stage == 1 { "import" } else { "report" });
        return Err(RunError::Panicked { task: None, message });
    }
    let r = result.lock().unwrap_or_else(|e| e.into_inner()).clone();
    r
}
