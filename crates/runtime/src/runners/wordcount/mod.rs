//! The word-count dataflow (S8). The compute worker partitions the text,
//! moves one part to each isolated worker (its bytes transferred, not
//! copied), and each worker counts its part with its own threads (Web
//! Workers on *its* memory), combines their counts, and sends the partial
//! counts back (the exchange). The compute worker reduces them into one.
//! `serial` counts the whole text on the compute worker, for reference.
//!
//! `part` is the isolated worker's side.
mod part;

pub use part::{count_part, prestart_threads};

use crate::base::clock::now_ms;
use crate::base::control;
use crate::base::port::post_to_parent;
use crate::base::queue::put;
use crate::base::record::record;
use crate::pools::processes::{PoolEvent, ProcessPool};
use crate::pools::threads::{JobEnd, ThreadJob, ThreadPool};
use engine::config::RunPlan;
use engine::error::RunError;
use engine::model::Model;
use engine::pipeline::queue::{Msg, SharedQueue};
use engine::protocol::{FromProcess, ToProcess};
use engine::record::{PhaseKind, RunRecord, TaskSpan};
use engine::scenarios::wordcount::{self as s8, Source};
use engine::start_method::StartMethod;
use kernels::wordcount::{self, Counts};
use std::cell::RefCell;
use std::sync::{Arc, Mutex};

thread_local! {
    /// The last generated text, kept between runs (generating 32 MB takes a
    /// while, and reading an input file is not what is being timed).
    static TEXT: RefCell<Option<(Source, Arc<String>)>> = const { RefCell::new(None) };
}

/// The text to count; a generated corpus is kept for the next run.
fn text_for(source: Source, checkpoint: &mut dyn kernels::Checkpoint) -> Result<Arc<String>, kernels::Stopped> {
    if let Source::Corpus { .. } = source {
        if let Some(text) = TEXT.with(|t| t.borrow().as_ref().filter(|(s, _)| *s == source).map(|(_, text)| text.clone())) {
            return Ok(text);
        }
    }
    let text = Arc::new(s8::text_of(&source, checkpoint)?);
    if let Source::Corpus { .. } = source {
        TEXT.with(|t| *t.borrow_mut() = Some((source, text.clone())));
    }
    Ok(text)
}

pub async fn run(id: u32, plan: &RunPlan) -> Result<RunRecord, RunError> {
    let stop = move || control::stop_requested(id);
    // Begun before the text exists: generating a large corpus takes seconds,
    // and a Stop meanwhile must be seen.
    control::begin(id, 1);
    let mut check = || if stop() { Err(kernels::Stopped) } else { Ok(()) };
    let Ok(text) = text_for(s8::source(plan), &mut check) else { return Err(RunError::Stopped) };
    let params = s8::params(plan);
    let (procs, threads) = (params.procs as usize, params.threads_per_proc as usize);
    if plan.model == Model::Serial {
        let start = now_ms();
        let counted = wordcount::count(&text, &mut check);
        let end = now_ms();
        control::task_done();
        let spans = vec![TaskSpan::one_phase(None, "count all".into(), 0, PhaseKind::Compute, start, end)];
        let result = counted.map(|counts| s8::assemble(&counts, text.len(), 0)).map_err(RunError::from);
        return Ok(record(plan, (start, end), spans, vec!["compute worker".into()], result));
    }
    control::begin(id, procs as u32);
    // Lanes: 0 the compute worker; per isolated worker p, its main thread
    // (which counts too) and its other threads.
    let lane_of = |p: usize| 1 + (p * threads) as u32;
    let mut lanes = vec!["compute worker".to_string()];
    for p in 1..=procs {
        lanes.push(format!("process {p} (thread 1)"));
        lanes.extend((2..=threads).map(|t| format!("process {p} · thread {t}")));
    }
    let start = now_ms();
    let mut spans = Vec::new();
    let outcome = dataflow(&text, (procs, threads, plan.start_method), &lane_of, &mut spans).await;
    let end = now_ms();
    let result = outcome.map(|(counts, exchanged)| s8::assemble(&counts, text.len(), exchanged));
    spans.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
    Ok(record(plan, (start, end), spans, lanes, result))
}

async fn dataflow(
    text: &str,
    (procs, threads, method): (usize, usize, StartMethod),
    lane_of: &dyn Fn(usize) -> u32,
    spans: &mut Vec<TaskSpan>,
) -> Result<(Counts, usize), RunError> {
    // The workers start while the text is cut: both take a while.
    let partition = async {
        let t0 = now_ms();
        let bytes = text.as_bytes();
        let parts: Vec<js_sys::Uint8Array> =
            wordcount::partition(bytes, procs).into_iter().map(|r| js_sys::Uint8Array::from(&bytes[r])).collect();
        (parts, TaskSpan::one_phase(None, format!("partition into {procs}"), 0, PhaseKind::Compute, t0, now_ms()))
    };
    // Each worker starts its extra threads as it starts, not when its part comes.
    let extra = threads as u32 - 1;
    let (started, (parts, cut)) = futures_util::join!(ProcessPool::start_with_threads(procs, extra, method), partition);
    let (mut pool, spawns) = started?;
    spans.extend(spawns.into_iter().map(|s| TaskSpan { worker: lane_of(s.worker as usize), ..s }));
    spans.push(cut);
    for (p, part) in parts.into_iter().enumerate() {
        let msg = ToProcess::Count { part: p as u32, threads: threads as u32, sent_ms: now_ms() };
        pool.send_with_bytes(p, &msg, part)?;
    }
    // Exchange: partial counts come back as they are ready.
    let mut partials: Vec<Counts> = Vec::with_capacity(procs);
    let mut exchanged = 0;
    while partials.len() < procs {
        let PoolEvent::Message { worker, at_ms, message } = pool.next_event().await? else { continue };
        let FromProcess::Counted { counts, spans: theirs, sent_ms, .. } = message else { continue };
        let lane = lane_of(worker);
        spans.extend(theirs.into_iter().map(|s| TaskSpan { worker: lane + s.worker, ..s }));
        let received = now_ms();
        exchanged += counts.iter().map(|(w, _)| w.len() + 12).sum::<usize>();
        partials.push(s8::from_pairs(counts));
        let label = format!("exchange: {} partial counts", partials.last().map_or(0, |c| c.len()));
        spans.push(TaskSpan::one_phase(None, label, lane, PhaseKind::Transfer, sent_ms, received.max(at_ms)));
        control::task_done();
    }
    drop(pool);
    // Reduce: merge the partial counts into one.
    let t0 = now_ms();
    let mut total = Counts::default();
    for part in partials {
        wordcount::merge(&mut total, part);
    }
    spans.push(TaskSpan::one_phase(None, format!("reduce {procs} partial counts"), 0, PhaseKind::Compute, t0, now_ms()));
    Ok((total, exchanged))
}
