//! The queue between stages that run on threads of one memory (Python's
//! `queue.Queue`): a mutex-guarded deque with a condition variable for
//! blocking takers, plus a version word that changes on every put, so that a
//! taker that must not block (an event loop) can wait for it asynchronously.
//! Consumers stop on a poison pill: producers put one per consumer.
use std::collections::VecDeque;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Condvar, Mutex};

#[derive(Debug, Clone, PartialEq)]
pub enum Msg<T> {
    Item(T),
    /// "No more items": the one consumer that takes it stops.
    Pill,
}

pub struct SharedQueue<T> {
    items: Mutex<VecDeque<Msg<T>>>,
    filled: Condvar,
    version: AtomicI32,
}

impl<T> Default for SharedQueue<T> {
    fn default() -> Self {
        SharedQueue { items: Mutex::new(VecDeque::new()), filled: Condvar::new(), version: AtomicI32::new(0) }
    }
}

impl<T> SharedQueue<T> {
    pub fn put(&self, msg: Msg<T>) {
        self.items.lock().unwrap_or_else(|e| e.into_inner()).push_back(msg);
        self.version.fetch_add(1, Ordering::SeqCst);
        self.filled.notify_one();
    }

    /// Take the oldest message, blocking while there is none.
    pub fn take(&self) -> Msg<T> {
        let mut items = self.items.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(msg) = items.pop_front() {
                return msg;
            }
            items = self.filled.wait(items).unwrap_or_else(|e| e.into_inner());
        }
    }

    pub fn try_take(&self) -> Option<Msg<T>> {
        self.items.lock().unwrap_or_else(|e| e.into_inner()).pop_front()
    }

    /// Changes on every put. Read it, then `try_take`; if that found
    /// nothing, wait until the version differs from what was read.
    pub fn version(&self) -> i32 {
        self.version.load(Ordering::SeqCst)
    }

    /// The version word, for `Atomics.waitAsync` on it.
    pub fn version_word(&self) -> *const AtomicI32 {
        &self.version
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn items_come_out_in_order_and_each_consumer_stops_on_its_pill() {
        let q = Arc::new(SharedQueue::default());
        let consumers: Vec<_> = (0..3)
            .map(|_| {
                let q = q.clone();
                std::thread::spawn(move || {
                    let mut got = Vec::new();
                    while let Msg::Item(x) = q.take() {
                        got.push(x);
                    }
                    got
                })
            })
            .collect();
        for i in 0..300 {
            q.put(Msg::Item(i));
        }
        for _ in 0..3 {
            q.put(Msg::Pill);
        }
        let mut all: Vec<i32> = Vec::new();
        for c in consumers {
            let got = c.join().unwrap();
            assert!(got.windows(2).all(|w| w[0] < w[1]), "each consumer sees items in queue order");
            all.extend(got);
        }
        all.sort();
        assert_eq!(all, (0..300).collect::<Vec<_>>());
        assert!(q.try_take().is_none());
    }

    #[test]
    fn version_changes_on_every_put() {
        let q = SharedQueue::default();
        let v = q.version();
        q.put(Msg::Item(1));
        assert_ne!(q.version(), v);
        assert_eq!(q.try_take(), Some(Msg::Item(1)));
        assert_eq!(q.try_take(), None);
    }
}
