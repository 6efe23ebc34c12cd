//! A phase log: what one worker was doing, as contiguous phases.
use crate::span::{Phase, PhaseKind};

#[derive(Debug, Default)]
pub struct PhaseLog {
    done: Vec<Phase>,
    open: Option<(PhaseKind, f64)>,
}

impl PhaseLog {
    pub fn new() -> Self {
        Self::default()
    }

    /// Close the open phase at `now` and open `kind`.
    pub fn switch(&mut self, kind: PhaseKind, now: f64) {
        self.close(now);
        self.open = Some((kind, now));
    }

    /// Close the open phase at `now`, if any. Zero-length phases are dropped.
    pub fn close(&mut self, now: f64) {
        if let Some((kind, start)) = self.open.take() {
            if now > start {
                self.done.push(Phase { kind, start_ms: start, end_ms: now });
            }
        }
    }

    pub fn finish(mut self, now: f64) -> Vec<Phase> {
        self.close(now);
        self.done
    }
}
