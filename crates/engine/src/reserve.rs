//! A warm reserve: workers started in advance, off every run's clock,
//! waiting to be handed out (as Emscripten's `PTHREAD_POOL_SIZE` keeps
//! threads, as Python's fork server keeps a process to fork from). The
//! thread reserve and the fork server (`runtime::pools`) are both one of
//! these; what a worker is (a thread's carrier, an isolated instance) is
//! theirs. Only bookkeeping lives here, so it is tested natively.
//!
//! Invariants: a worker is `idle` only after it said it had loaded; a
//! worker leaves the reserve for exactly one taker; `target` only grows
//! (until [`Reserve::release`]) and never passes `cap`.

/// Workers waiting (`idle`) and starting (`warming`, by the number
/// [`Reserve::warming`] gave them).
#[derive(Debug)]
pub struct Reserve<W> {
    idle: Vec<W>,
    warming: Vec<(u32, W)>,
    target: usize,
    cap: usize,
    next_number: u32,
}

impl<W> Reserve<W> {
    /// An empty reserve that will keep at most `cap` workers.
    pub const fn new(cap: usize) -> Reserve<W> {
        Reserve { idle: Vec::new(), warming: Vec::new(), target: 0, cap, next_number: 0 }
    }

    /// Keep at least `at_least` (within the cap) from now on.
    pub fn raise_target(&mut self, at_least: usize) {
        self.target = self.target.max(at_least.min(self.cap));
    }

    pub fn target(&self) -> usize {
        self.target
    }

    /// How many more must start to reach the target.
    pub fn missing(&self) -> usize {
        self.target.saturating_sub(self.idle.len() + self.warming.len())
    }

    pub fn idle(&self) -> usize {
        self.idle.len()
    }

    /// Whether no worker is still starting.
    pub fn settled(&self) -> bool {
        self.warming.is_empty()
    }

    /// The number the next worker to start will have: its start messages
    /// find it by this.
    pub fn next_number(&self) -> u32 {
        self.next_number
    }

    /// A worker has been started: it waits in `warming` until [`Self::loaded`].
    /// Returns its number.
    pub fn warming(&mut self, worker: W) -> u32 {
        let number = self.next_number;
        self.next_number += 1;
        self.warming.push((number, worker));
        number
    }

    /// Worker `number` has loaded: it is ready to hand out. False if it is
    /// not starting (released meanwhile, or said so twice).
    pub fn loaded(&mut self, number: u32) -> bool {
        match self.warming.iter().position(|(n, _)| *n == number) {
            Some(i) => {
                let (_, worker) = self.warming.swap_remove(i);
                self.idle.push(worker);
                true
            }
            None => false,
        }
    }

    /// Worker `number` failed to start: it leaves the reserve (to be ended
    /// by the caller).
    pub fn failed(&mut self, number: u32) -> Option<W> {
        let i = self.warming.iter().position(|(n, _)| *n == number)?;
        Some(self.warming.swap_remove(i).1)
    }

    /// Up to `count` idle workers for one taker; the target grows to
    /// `count`, so the reserve is refilled to what was asked.
    pub fn take(&mut self, count: usize) -> Vec<W> {
        self.raise_target(count);
        let n = self.idle.len().min(count);
        let from = self.idle.len() - n;
        self.idle.drain(from..).collect()
    }

    /// A worker handed back, ready for the next taker (a thread whose pool
    /// ended). One beyond the cap is returned to be ended.
    pub fn give_back(&mut self, worker: W) -> Option<W> {
        if self.idle.len() + self.warming.len() >= self.cap {
            return Some(worker);
        }
        self.idle.push(worker);
        None
    }

    /// Every worker, idle or starting, to be ended; the reserve keeps none
    /// from now on.
    pub fn release(&mut self) -> Vec<W> {
        self.target = 0;
        let mut all = std::mem::take(&mut self.idle);
        all.extend(self.warming.drain(..).map(|(_, w)| w));
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_is_handed_out_only_after_it_loaded_and_only_once() {
        let mut r = Reserve::new(8);
        r.raise_target(3);
        assert_eq!(r.missing(), 3);
        let numbers: Vec<u32> = ["a", "b", "c"].into_iter().map(|w| r.warming(w)).collect();
        assert_eq!(r.missing(), 0);
        assert!(r.take(3).is_empty(), "nothing has loaded yet");
        assert!(r.loaded(numbers[1]));
        assert!(!r.loaded(numbers[1]), "a second Ready changes nothing");
        assert!(!r.settled());
        assert_eq!(r.take(2), ["b"]);
        assert_eq!(r.missing(), 1, "two still starting, target 3, one taken: its place is one to start again");
        assert!(r.loaded(numbers[0]) && r.loaded(numbers[2]));
        assert!(r.settled());
        assert_eq!(r.missing(), 1);
        let mut taken = r.take(5);
        taken.sort();
        assert_eq!(taken, ["a", "c"]);
        assert_eq!(r.target(), 5, "the reserve grows to the largest pool asked for");
    }

    #[test]
    fn the_target_stays_within_the_cap_and_a_release_empties_it() {
        let mut r = Reserve::new(2);
        r.raise_target(10);
        assert_eq!(r.target(), 2);
        let a = r.warming(1);
        r.warming(2);
        r.loaded(a);
        let mut ended = r.release();
        ended.sort();
        assert_eq!(ended, [1, 2]);
        assert_eq!((r.target(), r.missing(), r.idle()), (0, 0, 0));
        assert!(r.settled());
        assert!(!r.loaded(a), "a worker released while starting is not handed out");
    }

    #[test]
    fn a_failed_start_leaves_and_is_missed() {
        let mut r = Reserve::new(4);
        r.raise_target(2);
        let a = r.warming("a");
        r.warming("b");
        assert_eq!(r.failed(a), Some("a"));
        assert_eq!(r.failed(a), None);
        assert_eq!(r.missing(), 1);
    }

    #[test]
    fn workers_handed_back_wait_for_the_next_taker_up_to_the_cap() {
        let mut r = Reserve::new(2);
        assert_eq!(r.give_back("a"), None);
        assert_eq!(r.give_back("b"), None);
        assert_eq!(r.give_back("c"), Some("c"), "beyond the cap: ended");
        assert_eq!(r.take(1).len(), 1);
        assert_eq!(r.idle(), 1);
    }
}
