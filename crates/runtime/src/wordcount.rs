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
use crate::queue::put;
use engine::pipeline::queue::{Msg, SharedQueue};
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

/// How the part is cut for counting: chunks of at most about this many bytes.
const CHUNK: u32 = 8 << 20;

/// Cut points of `bytes` into chunks of at most about [`CHUNK`] bytes, each moved
/// forward to an ASCII whitespace byte (so no word or character is split;
/// reading a byte of a JS array here costs no copy).
fn chunk_cuts(bytes: &js_sys::Uint8Array, threads: usize) -> Vec<(u32, u32)> {
    let len = bytes.length();
    // At least a few chunks per thread, so that all can share a small part.
    let chunk = (len / (4 * threads as u32).max(1)).clamp(64 << 10, CHUNK);
    let mut cuts = Vec::new();
    let mut a = 0;
    while a < len {
        let mut b = (a + chunk).min(len);
        while b < len && !bytes.get_index(b).is_ascii_whitespace() {
            b += 1;
        }
        cuts.push((a, b));
        a = b;
    }
    cuts
}

/// Check that a chunk is text (the cuts fall on ASCII bytes, so each chunk
/// is valid UTF-8 exactly when the whole is) and count its words into `counts`.
fn count_chunk(chunk: &[u8], counts: &mut Counts, lane: u32) -> Result<TaskSpan, String> {
    let start = now_ms();
    let text = std::str::from_utf8(chunk).map_err(|e| format!("the text is not UTF-8: {e}"))?;
    let _ = wordcount::count_into(text, counts, &mut kernels::checkpoint::NoCheckpoint);
    let size = match chunk.len() {
        n if n >= 1 << 20 => format!("{:.1} MB", n as f64 / 1048576.0),
        n => format!("{n} bytes"),
    };
    Ok(span(format!("count {size}"), lane, PhaseKind::Compute, start, now_ms()))
}

type Chunks = Arc<SharedQueue<Vec<u8>>>;

/// Let the event loop run once (a message to ourselves: unlike a zero
/// timeout, never delayed by timer clamping).
async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Ok(channel) = web_sys::MessageChannel::new() {
            channel.port1().set_onmessage(Some(&resolve));
            let _ = channel.port2().post_message(&wasm_bindgen::JsValue::NULL);
        } else {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
type Counted = Result<(Counts, Vec<TaskSpan>), String>;

/// A counting thread: take chunks from the queue until its pill.
fn count_chunks(queue: &Chunks, lane: u32) -> Counted {
    let (mut counts, mut spans) = (Counts::default(), Vec::new());
    loop {
        let waited = now_ms();
        let msg = queue.take();
        let got = now_ms();
        if got - waited > 0.5 {
            spans.push(span("waiting for a chunk".into(), lane, PhaseKind::QueueWait, waited, got));
        }
        match msg {
            Msg::Pill => return Ok((counts, spans)),
            Msg::Item(chunk) => spans.push(count_chunk(&chunk, &mut counts, lane)?),
        }
    }
}

/// The part is copied into this instance's memory a chunk at a time; each
/// chunk goes on a queue that this worker's threads take from as soon as they
/// are up, so counting overlaps the copying. When all is copied, this thread
/// counts what is left on the queue too, then sends the threads their pills.
async fn count_part_inner(part: u32, threads: usize, sent_ms: f64, bytes: js_sys::Uint8Array) -> Result<FromProcess, String> {
    let queue: Chunks = Arc::default();
    let results: Arc<Mutex<Vec<Counted>>> = Arc::default();
    let mut spans = Vec::new();
    // Set once the threads have their jobs: until then this thread lets the
    // event loop run between chunks, or they could not start.
    let threads_busy = std::cell::Cell::new(threads == 1);
    let feeding = async {
        let (mut counts, mut mine) = (Counts::default(), Vec::new());
        for (a, b) in chunk_cuts(&bytes, threads) {
            put(&queue, Msg::Item(bytes.subarray(a, b).to_vec()));
            if !threads_busy.get() {
                yield_now().await;
            }
        }
        let received = now_ms();
        mine.push(span(format!("receive part {} ({} bytes)", part + 1, bytes.length()), 0, PhaseKind::Transfer, sent_ms, received));
        let mut failed = None;
        loop {
            if !threads_busy.get() {
                yield_now().await;
            }
            let Some(Msg::Item(chunk)) = queue.try_take() else { break };
            match count_chunk(&chunk, &mut counts, 0) {
                Ok(s) => mine.push(s),
                Err(e) => failed = Some(e),
            }
        }
        // Pills whatever happened, so that no thread waits forever.
        for _ in 1..threads {
            put(&queue, Msg::Pill);
        }
        failed.map_or(Ok((counts, mine)), Err)
    };
    let working = async {
        let Some(started) = extra_threads(threads - 1).await else { return Ok(Vec::new()) };
        let (mut pool, spawns) = started?;
        let jobs: Vec<crate::thread_pool::ThreadJob> = (1..threads)
            .map(|t| {
                let (queue, results) = (queue.clone(), results.clone());
                Box::new(move || {
                    let counted = count_chunks(&queue, t as u32);
                    results.lock().unwrap_or_else(|e| e.into_inner()).push(counted);
                }) as crate::thread_pool::ThreadJob
            })
            .collect();
        let running = pool.run(jobs, &|_| {});
        futures_util::pin_mut!(running);
        // The first poll hands out the jobs; from then on the threads are busy.
        let ends = match futures_util::poll!(running.as_mut()) {
            std::task::Poll::Ready(ends) => ends,
            std::task::Poll::Pending => {
                threads_busy.set(true);
                running.await
            }
        }?;
        for (_, end) in ends {
            if let JobEnd::Panicked { message, .. } = end {
                return Err(format!("a counting thread panicked: {message}"));
            }
        }
        Ok(spawns)
    };
    let (mine, spawns) = futures_util::join!(feeding, working);
    spans.extend(spawns?.into_iter().map(|s| TaskSpan { worker: s.worker + 1, ..s }));
    let t0 = now_ms();
    let (mut combined, own_spans) = mine?;
    spans.extend(own_spans);
    for counted in std::mem::take(&mut *results.lock().unwrap_or_else(|e| e.into_inner())) {
        let (counts, theirs) = counted?;
        spans.extend(theirs);
        wordcount::merge(&mut combined, counts);
    }
    let counts = s8::to_pairs(combined);
    spans.push(span(format!("combine {threads} threads' counts"), 0, PhaseKind::Compute, t0, now_ms()));
    Ok(FromProcess::Counted { part, counts, spans, sent_ms: now_ms() })
}
