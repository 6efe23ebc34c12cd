//! The `async` model: every task a future on the compute worker's one thread,
//! at most `limit` in flight (asyncio with a semaphore). Waiting overlaps —
//! downloads are `fetch` futures and sleeps are timers — but computing does
//! not: a CPU task holds the one thread until it is done.
use crate::base::clock::{now_ms, BrowserClock};
use crate::base::{control, io};
use engine::pool::{run_alone, TaskFailure, TaskRun};
use engine::record::{PhaseKind, TaskSpan};
use engine::scenarios::{run_task, TaskInput};
use futures_util::stream::{FuturesUnordered, StreamExt};
use serde_json::json;

/// One task as a future; `slot` is its lane on the timeline.
async fn one(task: &TaskInput, slot: usize, run_id: u32) -> TaskRun {
    let start = now_ms();
    let wait = |kind, end: f64| TaskSpan::one_phase(Some(task.index), task.label.clone(), slot as u32, kind, start, end);
    if let Some(url) = task.input["url"].as_str() {
        let output = io::fetch_summary(url).await;
        return TaskRun { span: wait(PhaseKind::Io, now_ms()), output: Ok(output) };
    }
    if let Some(ms) = task.input["sleep_ms"].as_u64() {
        gloo_timers::future::TimeoutFuture::new(ms as u32).await;
        return TaskRun { span: wait(PhaseKind::Sleep, now_ms()), output: Ok(json!(ms)) };
    }
    // CPU work: runs to the end on this thread; nothing else moves meanwhile.
    let should_stop = move || control::stop_requested(run_id);
    let done = run_alone(&BrowserClock, &should_stop, task.label.clone(), &|cp| run_task(task, cp));
    let mut done = done.unwrap_or(TaskRun { span: wait(PhaseKind::Compute, now_ms()), output: Err(TaskFailure::Stopped) });
    done.span.id = Some(task.index);
    done.span.worker = slot as u32;
    done
}

pub async fn run(tasks: &[TaskInput], limit: usize, run_id: u32) -> Vec<TaskRun> {
    let mut in_flight = FuturesUnordered::new();
    let mut free: Vec<usize> = (0..limit.max(1)).rev().collect();
    let mut runs = Vec::new();
    let mut next = 0;
    while next < tasks.len() || !in_flight.is_empty() {
        while next < tasks.len() && !control::stop_requested(run_id) {
            let Some(slot) = free.pop() else { break };
            let task = &tasks[next];
            in_flight.push(async move { (slot, one(task, slot, run_id).await) });
            next += 1;
        }
        if control::stop_requested(run_id) && in_flight.is_empty() {
            break;
        }
        let Some((slot, run)) = in_flight.next().await else { break };
        control::task_done();
        free.push(slot);
        runs.push(run);
    }
    runs.sort_by_key(|r| r.span.id);
    runs
}
