//! How the reserve's threads say they have started: each writes the time it
//! woke on a board in shared memory, and the compute worker sleeps until the
//! last one wakes it (a thread park, which a worker may do), instead of each
//! thread posting a message that the compute worker's event loop wakes for.
//! Four threads waking on two cores then share the cores with nothing but
//! one another: no message to build and post, no other worker woken per
//! thread.
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::thread::Thread;
use std::time::Duration;

/// One pool start: a slot per thread from the reserve, how many have
/// answered, and who waits for them.
pub struct StartBoard {
    answered: AtomicUsize,
    at_ms: Vec<AtomicU64>,
    waiter: Thread,
}

/// A slot nobody has written (a time is never exactly 0 ms: the clock is
/// milliseconds since the epoch).
const EMPTY: u64 = 0;

impl StartBoard {
    /// A board for `threads` threads, waited on by the calling thread.
    pub fn new(threads: usize) -> StartBoard {
        StartBoard {
            answered: AtomicUsize::new(0),
            at_ms: (0..threads).map(|_| AtomicU64::new(EMPTY)).collect(),
            waiter: std::thread::current(),
        }
    }

    /// Thread `index` woke at `at_ms`. The last to answer wakes the waiter.
    pub fn answer(&self, index: usize, at_ms: f64) {
        let Some(slot) = self.at_ms.get(index) else { return };
        slot.store(at_ms.to_bits(), Ordering::Release);
        if self.answered.fetch_add(1, Ordering::AcqRel) + 1 == self.at_ms.len() {
            self.waiter.unpark();
        }
    }

    /// When thread `index` woke, if it has answered.
    pub fn at(&self, index: usize) -> Option<f64> {
        let bits = self.at_ms.get(index)?.load(Ordering::Acquire);
        (bits != EMPTY).then(|| f64::from_bits(bits))
    }

    /// Sleeps until every thread has answered or `now_ms()` passes
    /// `until_ms`; whether every thread answered. Only the thread that made
    /// the board may wait on it.
    pub fn wait(&self, until_ms: f64, now_ms: impl Fn() -> f64) -> bool {
        loop {
            if self.answered.load(Ordering::Acquire) >= self.at_ms.len() {
                return true;
            }
            let left_ms = until_ms - now_ms();
            if left_ms <= 0.0 {
                return false;
            }
            // Woken by the last answer, or early for nothing: looked at again.
            std::thread::park_timeout(Duration::from_secs_f64(left_ms / 1e3));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::StartBoard;
    use std::sync::Arc;
    use std::time::Instant;

    fn clock() -> impl Fn() -> f64 {
        let origin = Instant::now();
        move || 1.0e12 + origin.elapsed().as_secs_f64() * 1e3
    }

    #[test]
    fn every_thread_answers_from_its_own_thread() {
        let board = Arc::new(StartBoard::new(4));
        let now = clock();
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let board = board.clone();
                std::thread::spawn(move || board.answer(i, 1.0e12 + i as f64))
            })
            .collect();
        assert!(board.wait(now() + 10_000.0, &now));
        handles.into_iter().for_each(|h| h.join().unwrap());
        assert_eq!((0..4).map(|i| board.at(i)).collect::<Vec<_>>(), (0..4).map(|i| Some(1.0e12 + i as f64)).collect::<Vec<_>>());
    }

    #[test]
    fn a_silent_thread_ends_the_wait_at_its_deadline() {
        let board = StartBoard::new(2);
        let now = clock();
        board.answer(0, 1.0e12);
        assert!(!board.wait(now() + 5.0, &now));
        assert_eq!(board.at(0), Some(1.0e12));
        assert_eq!(board.at(1), None);
    }

    #[test]
    fn a_slot_out_of_range_is_ignored() {
        let board = StartBoard::new(1);
        board.answer(3, 1.0e12);
        assert_eq!(board.at(3), None);
        let now = clock();
        assert!(!board.wait(now() + 1.0, &now));
    }
}
