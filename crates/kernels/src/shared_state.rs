//! S5: state in this instance's memory. Threads of one instance share it; an
//! isolated worker has its own copy, so what it changes never reaches the
//! parent's. The counters show what a lock is for.
use crate::{Checkpoint, Stopped};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

static LIST: Mutex<Vec<u32>> = Mutex::new(Vec::new());
static UNLOCKED: AtomicU64 = AtomicU64::new(0);
static ATOMIC: AtomicU64 = AtomicU64::new(0);
static MUTEX: Mutex<u64> = Mutex::new(0);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub list: Vec<u32>,
    pub unlocked: u64,
    pub atomic: u64,
    pub mutex: u64,
}

pub fn reset() {
    LIST.lock().unwrap_or_else(|e| e.into_inner()).clear();
    UNLOCKED.store(0, Ordering::SeqCst);
    ATOMIC.store(0, Ordering::SeqCst);
    *MUTEX.lock().unwrap_or_else(|e| e.into_inner()) = 0;
}

pub fn snapshot() -> Snapshot {
    Snapshot {
        list: LIST.lock().unwrap_or_else(|e| e.into_inner()).clone(),
        unlocked: UNLOCKED.load(Ordering::SeqCst),
        atomic: ATOMIC.load(Ordering::SeqCst),
        mutex: *MUTEX.lock().unwrap_or_else(|e| e.into_inner()),
    }
}

/// Append `item` to the list, then add `increments` to each counter: without
/// a lock (read, then write: updates can be lost), atomically, under a mutex.
pub fn append_and_count(item: u32, increments: u32, checkpoint: &mut dyn Checkpoint) -> Result<(), Stopped> {
    LIST.lock().unwrap_or_else(|e| e.into_inner()).push(item);
    for i in 0..increments {
        if i % 1024 == 0 {
            checkpoint.check()?;
        }
        // Deliberately not atomic as a whole: another thread can write between.
        let seen = UNLOCKED.load(Ordering::Relaxed);
        UNLOCKED.store(seen + 1, Ordering::Relaxed);
        ATOMIC.fetch_add(1, Ordering::Relaxed);
        *MUTEX.lock().unwrap_or_else(|e| e.into_inner()) += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkpoint::NoCheckpoint;

    #[test]
    fn threads_share_the_state_and_only_locked_counters_are_exact() {
        reset();
        std::thread::scope(|s| {
            for item in 0..4 {
                s.spawn(move || append_and_count(item, 200_000, &mut NoCheckpoint).unwrap());
            }
        });
        let snap = snapshot();
        let mut list = snap.list.clone();
        list.sort_unstable();
        assert_eq!(list, [0, 1, 2, 3]);
        assert_eq!(snap.atomic, 800_000);
        assert_eq!(snap.mutex, 800_000);
        assert!(snap.unlocked <= 800_000);
        reset();
        assert_eq!(snapshot().list, Vec::<u32>::new());
    }
}
