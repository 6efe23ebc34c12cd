//! The word-count dataflow (S8). The compute worker partitions the text,
//! moves one part to each isolated worker (its bytes transferred, not
//! copied), and each worker counts its part with its own threads (Web
//! Workers on *its* memory), combines their counts, and sends the partial
//! counts back (the exchange). The compute worker reduces them into one.
//! `serial` counts the whole text on the compute worker, for reference.
use crate::clock::now_ms;
use crate::compute::{runner_record, STOPPED};
use crate::processes::{PoolEvent, ProcessPool};
use crate::role::post_json;
use crate::thread_pool::{JobEnd, ThreadPool};
use crate::control;
use engine::config::RunPlan;
use engine::protocol::{FromProcess, ToProcess};
use engine::record::{Phase, PhaseKind, RunRecord, TaskSpan};
use engine::scenarios::wordcount::{self as s8, Source};
use kernels::wordcount::{self, Counts};
use std::cell::RefCell;
use std::sync::{Arc, Mutex};

fn span(label: String, lane: u32, kind: PhaseKind, start_ms: f64, end_ms: f64) -> TaskSpan {
    TaskSpan { id: None, label, worker: lane, start_ms, end_ms, phases: vec![Phase { kind, start_ms, end_ms }] }
}

type Started = Result<(ThreadPool, Vec<TaskSpan>), String>;

thread_local! {
    /// Threads an isolated worker started as it started, for its first part.
    static PRESTARTED: RefCell<Option<futures_channel::oneshot::Receiver<Started>>> = const { RefCell::new(None) };
}

/// In an isolated worker: start `threads` threads now, in the background.
pub fn prestart_threads(threads: usize) {
    let (tx, rx) = futures_channel::oneshot::channel();
    PRESTARTED.with(|p| *p.borrow_mut() = Some(rx));
    wasm_bindgen_futures::spawn_local(async move {
        let _ = tx.send(ThreadPool::start(threads).await);
    });
}

/// `threads` threads: those started in advance if there are as many, else new ones.
async fn extra_threads(threads: usize) -> Option<Started> {
    if threads == 0 {
        return None;
    }
    if let Some(rx) = PRESTARTED.with(|p| p.borrow_mut().take()) {
        if let Ok(Ok((pool, spans))) = rx.await {
            if spans.len() == threads {
                return Some(Ok((pool, spans)));
            }
        }
    }
    Some(ThreadPool::start(threads).await)
}

thread_local! {
    /// The last generated text, kept between runs (generating 32 MB takes a
    /// while, and reading an input file is not what is being timed).
    static TEXT: RefCell<Option<(Source, Arc<String>)>> = const { RefCell::new(None) };
}

fn text_for(source: Source) -> Arc<String> {
    TEXT.with(|t| {
        let mut t = t.borrow_mut();
        match &*t {
            Some((s, text)) if *s == source => text.clone(),
            _ => {
                let text = Arc::new(s8::text_of(&source));
                *t = Some((source, text.clone()));
                text
            }
        }
    })
}

pub async fn run(id: u32, plan: &RunPlan) -> Result<RunRecord, String> {
    let text = text_for(s8::source(plan));
    let stop = move || control::stop_requested(id);
    let (procs, threads) = (plan.params.int("procs") as usize, plan.params.int("threads_per_proc") as usize);
    if plan.model == "serial" {
        control::begin(id, 1);
        let start = now_ms();
        let mut check = || if stop() { Err(kernels::Stopped) } else { Ok(()) };
        let counted = wordcount::count(&text, &mut check);
        let end = now_ms();
        control::task_done();
        let spans = vec![span("count all".into(), 0, PhaseKind::Compute, start, end)];
        let (result, error) = match counted {
            Ok(counts) => (s8::assemble(&counts, text.len(), 0), None),
            Err(_) => (serde_json::Value::Null, Some(STOPPED.to_string())),
        };
        return Ok(runner_record(plan, (start, end), spans, vec!["compute worker".into()], result, error));
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
    let outcome = dataflow(&text, procs, threads, &lane_of, &mut spans).await;
    let end = now_ms();
    let (result, error) = match outcome {
        Ok((counts, exchanged)) => (s8::assemble(&counts, text.len(), exchanged), None),
        Err(e) => (serde_json::Value::Null, Some(e)),
    };
    let mut record = runner_record(plan, (start, end), spans, lanes, result, error);
    record.workers = (procs * threads) as u32;
    Ok(record)
}

async fn dataflow(
    text: &str,
    procs: usize,
    threads: usize,
    lane_of: &dyn Fn(usize) -> u32,
    spans: &mut Vec<TaskSpan>,
) -> Result<(Counts, usize), String> {
    // The workers start while the text is cut: both take a while.
    let partition = async {
        let t0 = now_ms();
        let bytes = text.as_bytes();
        let parts: Vec<js_sys::Uint8Array> =
            wordcount::partition(bytes, procs).into_iter().map(|r| js_sys::Uint8Array::from(&bytes[r])).collect();
        (parts, span(format!("partition into {procs}"), 0, PhaseKind::Compute, t0, now_ms()))
    };
    // Each worker starts its extra threads as it starts, not when its part comes.
    let extra = threads as u32 - 1;
    let (started, (parts, cut)) = futures_util::join!(ProcessPool::start_with_threads(procs, extra), partition);
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
        spans.push(span(format!("exchange: {} partial counts", partials.last().map_or(0, |c| c.len())), lane, PhaseKind::Transfer, sent_ms, received.max(at_ms)));
        control::task_done();
    }
    drop(pool);
    // Reduce: merge the partial counts into one.
    let t0 = now_ms();
    let mut total = Counts::default();
    for part in partials {
        wordcount::merge(&mut total, part);
    }
    spans.push(span(format!("reduce {procs} partial counts"), 0, PhaseKind::Compute, t0, now_ms()));
    Ok((total, exchanged))
}

/// In an isolated worker: count the part sent with `threads` threads — this
/// worker's own and `threads - 1` more — combine, and answer with the partial
/// counts. Lanes: 0 this worker's thread, t the extra thread t.
pub async fn count_part(part: u32, threads: u32, sent_ms: f64, bytes: js_sys::Uint8Array) {
    match count_part_inner(part, threads.max(1) as usize, sent_ms, bytes).await {
        Ok(msg) => post_json(&msg),
        Err(message) => post_json(&FromProcess::Failed { message }),
    }
}

/// Copy the part into this instance's memory a slice at a time, letting the
/// event loop run in between: threads this worker is starting need it.
async fn copy_in(bytes: &js_sys::Uint8Array) -> Vec<u8> {
    const SLICE: u32 = 16 << 20;
    let len = bytes.length();
    let mut out: Vec<u8> = Vec::with_capacity(len as usize);
    let mut at = 0;
    while at < len {
        let end = (at + SLICE).min(len);
        let spare = &mut out.spare_capacity_mut()[..(end - at) as usize];
        bytes.subarray(at, end).copy_to_uninit(spare);
        // SAFETY: the bytes up to `end` were just written.
        unsafe { out.set_len(end as usize) };
        at = end;
        if at < len {
            gloo_timers::future::TimeoutFuture::new(0).await;
        }
    }
    out
}

/// Check that the range is text (each thread its own range: the cuts fall on
/// ASCII bytes, so the ranges are valid UTF-8 exactly when the whole is) and
/// count its words.
fn count_range(bytes: &[u8], range: std::ops::Range<usize>, lane: u32) -> Result<(Counts, TaskSpan), String> {
    let start = now_ms();
    let text = std::str::from_utf8(&bytes[range.clone()]).map_err(|e| format!("the text is not UTF-8: {e}"))?;
    let counts = wordcount::count(text, &mut kernels::checkpoint::NoCheckpoint).unwrap_or_default();
    Ok((counts, span(format!("count {} bytes", range.len()), lane, PhaseKind::Compute, start, now_ms())))
}

async fn count_part_inner(part: u32, threads: usize, sent_ms: f64, bytes: js_sys::Uint8Array) -> Result<FromProcess, String> {
    // The extra threads start while the part is copied in and checked.
    let extra = extra_threads(threads - 1);
    let receive = async { (copy_in(&bytes).await, now_ms()) };
    let (started, (text, received)) = futures_util::join!(extra, receive);
    let text = Arc::new(text);
    let mut spans = vec![span(format!("receive part {} ({} bytes)", part + 1, text.len()), 0, PhaseKind::Transfer, sent_ms, received)];
    let mut pool = match started {
        Some(started) => {
            let (pool, spawns) = started?;
            spans.extend(spawns.into_iter().map(|s| TaskSpan { worker: s.worker + 1, ..s }));
            Some(pool)
        }
        None => None,
    };
    let mut ranges = wordcount::partition(&text, threads).into_iter();
    let own = ranges.next().unwrap_or(0..0);
    let results: Arc<Mutex<Vec<Result<(Counts, TaskSpan), String>>>> = Arc::default();
    let jobs: Vec<crate::thread_pool::ThreadJob> = ranges
        .enumerate()
        .map(|(t, range)| {
            let (text, results) = (text.clone(), results.clone());
            Box::new(move || {
                let counted = count_range(&text, range, t as u32 + 1);
                results.lock().unwrap_or_else(|e| e.into_inner()).push(counted);
            }) as crate::thread_pool::ThreadJob
        })
        .collect();
    // Hand the other ranges out first, then count the first one here.
    let others = async {
        match pool.as_mut() {
            Some(pool) => pool.run(jobs, &|_| {}).await,
            None => Ok(Vec::new()),
        }
    };
    let mine = async { count_range(&text, own, 0) };
    let (ends, mine) = futures_util::join!(others, mine);
    for (_, end) in ends? {
        if let JobEnd::Panicked { message, .. } = end {
            return Err(format!("a counting thread panicked: {message}"));
        }
    }
    drop(pool);
    let t0 = now_ms();
    let (mut combined, own_span) = mine?;
    spans.push(own_span);
    for counted in std::mem::take(&mut *results.lock().unwrap_or_else(|e| e.into_inner())) {
        let (counts, s) = counted?;
        spans.push(s);
        wordcount::merge(&mut combined, counts);
    }
    let counts = s8::to_pairs(combined);
    spans.push(span(format!("combine {threads} threads' counts"), 0, PhaseKind::Compute, t0, now_ms()));
    Ok(FromProcess::Counted { part, counts, spans, sent_ms: now_ms() })
}
