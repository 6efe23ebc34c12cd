//! An isolated worker's side of the dataflow: its threads (started as it
//! starts), its part copied in by chunks and counted from a queue.
use super::*;

type Started = Result<(ThreadPool, Vec<TaskSpan>), RunError>;

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

/// In an isolated worker: count the part sent with `threads` threads — this
/// worker's own and `threads - 1` more — combine, and answer with the partial
/// counts. Lanes: 0 this worker's thread, t the extra thread t.
pub async fn count_part(part: u32, threads: u32, sent_ms: f64, bytes: js_sys::Uint8Array) {
    match count_part_inner(part, threads.max(1) as usize, sent_ms, bytes).await {
        Ok(msg) => post_to_parent(&msg, None),
        Err(e) => post_to_parent(&FromProcess::Failed { message: e.to_string() }, None),
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
fn count_chunk(chunk: &[u8], counts: &mut Counts, lane: u32) -> Result<TaskSpan, RunError> {
    let start = now_ms();
    let text = std::str::from_utf8(chunk).map_err(|e| RunError::Broken(format!("the text is not UTF-8: {e}")))?;
    let _ = wordcount::count_into(text, counts, &mut kernels::checkpoint::NoCheckpoint);
    let size = match chunk.len() {
        n if n >= 1 << 20 => format!("{:.1} MB", n as f64 / 1048576.0),
        n => format!("{n} bytes"),
    };
    Ok(TaskSpan::one_phase(None, format!("count {size}"), lane, PhaseKind::Compute, start, now_ms()))
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
type Counted = Result<(Counts, Vec<TaskSpan>), RunError>;

/// A counting thread: take chunks from the queue until its pill.
fn count_chunks(queue: &Chunks, lane: u32) -> Counted {
    let (mut counts, mut spans) = (Counts::default(), Vec::new());
    loop {
        let waited = now_ms();
        let msg = queue.take();
        let got = now_ms();
        if got - waited > 0.5 {
            spans.push(TaskSpan::one_phase(None, "waiting for a chunk".into(), lane, PhaseKind::QueueWait, waited, got));
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
async fn count_part_inner(part: u32, threads: usize, sent_ms: f64, bytes: js_sys::Uint8Array) -> Result<FromProcess, RunError> {
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
        mine.push(TaskSpan::one_phase(
            None,
            format!("receive part {} ({} bytes)", part + 1, bytes.length()),
            0,
            PhaseKind::Transfer,
            sent_ms,
            received,
        ));
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
        let jobs: Vec<ThreadJob> = (1..threads)
            .map(|t| {
                let (queue, results) = (queue.clone(), results.clone());
                Box::new(move || {
                    let counted = count_chunks(&queue, t as u32);
                    results.lock().unwrap_or_else(|e| e.into_inner()).push(counted);
                }) as ThreadJob
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
                return Err(RunError::Panicked { task: None, message: format!("a counting thread panicked: {message}") });
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
    spans.push(TaskSpan::one_phase(None, format!("combine {threads} threads' counts"), 0, PhaseKind::Compute, t0, now_ms()));
    Ok(FromProcess::Counted { part, counts, spans, sent_ms: now_ms() })
}
