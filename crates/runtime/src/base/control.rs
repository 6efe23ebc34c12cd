//! The control block: a few atomics in the compute worker's shared memory that
//! the page reads and writes directly (it receives that memory's buffer). The
//! page can stop a run even while the compute worker is busy computing, and
//! read progress without asking: no message has to be processed for either.
use std::sync::atomic::{AtomicU32, Ordering};
use wasm_bindgen::prelude::*;

#[repr(C)]
struct Control {
    /// The id of the run the page wants stopped.
    stop_run: AtomicU32,
    /// The id of the run in progress.
    run: AtomicU32,
    done: AtomicU32,
    total: AtomicU32,
}

static CONTROL: Control =
    Control { stop_run: AtomicU32::new(0), run: AtomicU32::new(0), done: AtomicU32::new(0), total: AtomicU32::new(0) };

/// Where the control words are: byte address and the index of each i32 word.
#[wasm_bindgen]
#[derive(Clone, Copy)]
pub struct ControlLayout {
    pub base: u32,
    pub stop_run: u32,
    pub run: u32,
    pub done: u32,
    pub total: u32,
}

pub fn control_layout() -> ControlLayout {
    let base = &CONTROL as *const Control as u32;
    let word = base / 4;
    ControlLayout { base, stop_run: word, run: word + 1, done: word + 2, total: word + 3 }
}

pub fn begin(run: u32, total: u32) {
    CONTROL.done.store(0, Ordering::SeqCst);
    CONTROL.total.store(total, Ordering::SeqCst);
    CONTROL.run.store(run, Ordering::SeqCst);
}

pub fn current_run() -> u32 {
    CONTROL.run.load(Ordering::SeqCst)
}

pub fn end() {
    CONTROL.run.store(0, Ordering::SeqCst);
}

pub fn task_done() {
    CONTROL.done.fetch_add(1, Ordering::SeqCst);
}

/// Whether the page asked to stop `run`. The page numbers its runs from 1;
/// 0 is the compute worker's own (the warm-up), which nothing stops — the
/// stop word also starts at 0, so it must not read as "stop run 0".
pub fn stop_requested(run: u32) -> bool {
    run != INTERNAL_RUN && CONTROL.stop_run.load(Ordering::Relaxed) == run
}

/// The id of a run the compute worker makes for itself (never the page's).
pub const INTERNAL_RUN: u32 = 0;

/// A stop asked for by message rather than through memory.
pub fn request_stop(run: u32) {
    CONTROL.stop_run.store(run, Ordering::SeqCst);
}
