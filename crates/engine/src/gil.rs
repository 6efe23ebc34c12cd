//! A global interpreter lock, as in CPython: a thread must hold it to compute.
//! A holder that has computed for longer than the switch interval hands it on
//! at its next checkpoint if another thread is waiting (CPython's forced
//! switching), so threads take turns and CPU-bound work gains nothing.
//!
//! Fair by tickets: waiters get the lock in arrival order, so a thread that
//! drops the lock cannot take it straight back.
use std::sync::{Condvar, Mutex};

#[derive(Debug, Default)]
struct Tickets {
    next: u64,
    serving: u64,
    /// The worker holding the lock, if any.
    holder: Option<usize>,
}

#[derive(Debug)]
pub struct Gil {
    tickets: Mutex<Tickets>,
    turn: Condvar,
    /// How long a holder computes before offering the lock (CPython: 5 ms).
    pub switch_interval_ms: f64,
}

impl Gil {
    pub const CPYTHON_SWITCH_INTERVAL_MS: f64 = 5.0;

    pub fn new(switch_interval_ms: f64) -> Self {
        Gil { tickets: Mutex::new(Tickets::default()), turn: Condvar::new(), switch_interval_ms }
    }

    /// Block until worker `who` holds the lock.
    pub fn acquire(&self, who: usize) {
        let mut t = self.tickets.lock().unwrap_or_else(|e| e.into_inner());
        let mine = t.next;
        t.next += 1;
        while t.serving != mine {
            t = self.turn.wait(t).unwrap_or_else(|e| e.into_inner());
        }
        t.holder = Some(who);
    }

    /// Give the lock to the next waiter. Only the holder calls this.
    pub fn release(&self) {
        let mut t = self.tickets.lock().unwrap_or_else(|e| e.into_inner());
        t.holder = None;
        t.serving += 1;
        drop(t);
        self.turn.notify_all();
    }

    /// Release on behalf of a worker that died holding the lock (a task that
    /// panicked), so the others are not left waiting forever.
    pub fn release_if_held_by(&self, who: usize) -> bool {
        let held = self.tickets.lock().unwrap_or_else(|e| e.into_inner()).holder == Some(who);
        if held {
            self.release();
        }
        held
    }

    /// Is any thread waiting for the lock? (Asked by the holder.)
    pub fn has_waiters(&self) -> bool {
        let t = self.tickets.lock().unwrap_or_else(|e| e.into_inner());
        t.next > t.serving + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[test]
    fn only_one_holder_at_a_time() {
        let gil = Arc::new(Gil::new(1.0));
        let inside = Arc::new(AtomicUsize::new(0));
        let max_inside = Arc::new(AtomicUsize::new(0));
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..200 {
                        gil.acquire(0);
                        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                        max_inside.fetch_max(now, Ordering::SeqCst);
                        std::hint::spin_loop();
                        inside.fetch_sub(1, Ordering::SeqCst);
                        gil.release();
                    }
                });
            }
        });
        assert_eq!(max_inside.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn waiters_are_seen_and_served_in_order() {
        let gil = Arc::new(Gil::new(1.0));
        gil.acquire(0);
        assert!(!gil.has_waiters());
        let g2 = gil.clone();
        let waiter = std::thread::spawn(move || {
            g2.acquire(1);
            g2.release();
        });
        while !gil.has_waiters() {
            std::thread::yield_now();
        }
        gil.release();
        waiter.join().unwrap();
        gil.acquire(2); // free again
        assert!(!gil.release_if_held_by(0), "only the holder's lock is released");
        assert!(gil.release_if_held_by(2));
        gil.acquire(0);
        gil.release();
    }
}
