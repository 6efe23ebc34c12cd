//! Stages on isolated workers: a fresh pool per batch, or one long-lived
//! pool fed by a queue and stopped by poison pills.
use super::*;

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
pub(super) async fn fresh_pool_stage(
    plan: RunPlan,
    shared: Shared,
    stage: usize,
    lane0: u32,
    workers: usize,
    input: Queue,
) -> Result<(), RunError> {
    loop {
        let stop = || shared.stopped();
        match take_async(&input, &stop).await {
            None => return Err(RunError::Stopped),
            Some(Msg::Pill) => return Ok(()),
            Some(Msg::Item(batch)) => {
                let started = now_ms();
                let (mut pool, spawns) = ProcessPool::start(workers, plan.start_method).await?;
                log_pool_start(&shared, stage, lane0, started, spawns);
                // Numbered within the batch, as a map over the batch is.
                let tasks: Vec<TaskInput> =
                    shared.report_task(&plan, &batch).into_iter().enumerate().map(|(i, t)| TaskInput { index: i as u32, ..t }).collect();
                let outcome = pool.run(&tasks).await?;
                for s in outcome.spawns {
                    shared.log(TaskSpan { worker: lane0 + s.worker, ..s });
                }
                if outcome.stopped {
                    return Err(RunError::Stopped);
                }
                for run in outcome.runs {
                    let output = run.output.map_err(|e| match e {
                        TaskFailure::Stopped => RunError::Stopped,
                        TaskFailure::Failed(m) => RunError::Broken(format!("{}: {m}", run.span.label)),
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
pub(super) async fn long_pool_stage(
    plan: RunPlan,
    shared: Shared,
    stage: usize,
    lane0: u32,
    workers: usize,
    input: Queue,
) -> Result<(), RunError> {
    let started = now_ms();
    let (mut pool, spawns) = ProcessPool::start(workers, plan.start_method).await?;
    // In the schedule, this pool starts with the run: count from there.
    let started = started.min(shared.origin);
    let mut idle_since: Vec<f64> =
        (0..workers).map(|w| spawns.iter().find(|s| s.worker as usize == w).map_or(started, |s| s.end_ms)).collect();
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
                shared.log(TaskSpan::one_phase(
                    None,
                    "waiting on the queue".into(),
                    lane0 + w as u32,
                    PhaseKind::QueueWait,
                    idle_since[w],
                    sent,
                ));
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
            Either::Left(None) => return Err(RunError::Stopped),
            Either::Left(Some(Msg::Pill)) => open = false,
            Either::Left(Some(Msg::Item(batch))) => pending.extend(shared.report_task(&plan, &batch)),
            Either::Right(PoolEvent::Done { worker, run }) => {
                busy -= 1;
                idle.push_back(worker);
                idle_since[worker] = run.span.end_ms;
                let number = run.span.id.unwrap_or(0);
                let output = run.output.map_err(|e| match e {
                    TaskFailure::Stopped => RunError::Stopped,
                    TaskFailure::Failed(m) => RunError::Broken(format!("{}: {m}", run.span.label)),
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
            shared.log(TaskSpan::one_phase(
                None,
                "poison pill: exit".into(),
                lane0 + worker as u32,
                PhaseKind::QueueWait,
                idle_since[worker],
                at_ms,
            ));
            exited += 1;
        }
    }
    Ok(())
}
