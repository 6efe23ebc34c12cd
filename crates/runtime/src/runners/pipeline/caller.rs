//! The caller's stages: a loop of futures on the compute worker.
use super::*;

/// A timed wait on the caller: a timer, so the compute worker keeps serving
/// the pools meanwhile. Slices of at most 250 ms let a stop be seen.
async fn caller_wait(shared: &Shared, ms: f64) -> Result<(f64, f64), RunError> {
    let start = now_ms();
    let deadline = start + ms;
    loop {
        let left = deadline - now_ms();
        if left <= 0.0 {
            return Ok((start, now_ms()));
        }
        if shared.stopped() {
            return Err(RunError::Stopped);
        }
        gloo_timers::future::TimeoutFuture::new(left.min(250.0).ceil() as u32).await;
    }
}

/// The stages `0..callers` of every batch on the caller, then the batch goes
/// to the next stage's queue (with one pill after the last batch).
pub(super) async fn caller_loop(shared: Shared, callers: usize, out: Option<Queue>) -> Result<(), RunError> {
    for index in 0..s7::ENDPOINTS.len() as u32 {
        let mut batch = s7::collect(index);
        let endpoint = batch.pairs[0].endpoint.clone();
        for stage in 0..callers {
            match stage {
                0 => {
                    let (a, b) = caller_wait(&shared, s7::collect_s() * shared.scale_ms).await?;
                    shared.log(TaskSpan::one_phase(None, format!("collect {endpoint}"), 0, PhaseKind::Sleep, a, b));
                }
                1 => {
                    let (a, b) = caller_wait(&shared, s7::import_s() * shared.scale_ms).await?;
                    batch = s7::import(batch);
                    shared.log(TaskSpan::one_phase(None, format!("import {endpoint}"), 0, PhaseKind::Sleep, a, b));
                }
                _ => {
                    for (i, pair) in batch.pairs.iter().enumerate() {
                        let label = format!("report {endpoint} @{}", pair.interval);
                        let output = match shared.work(pair.interval) {
                            ReportWork::Wait { ms } => {
                                let (a, b) = caller_wait(&shared, ms).await?;
                                shared.log(TaskSpan::one_phase(None, label, 0, PhaseKind::Sleep, a, b));
                                s7::report(pair, ReportWork::Cpu { steps: 0 }, &mut kernels::checkpoint::NoCheckpoint)
                                    .map_err(|_| RunError::Stopped)?
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
