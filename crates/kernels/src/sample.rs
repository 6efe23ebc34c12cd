//! S2: draw k distinct integers from 0..range and append them to a list, the
//! way CPython's `random.sample` does, so memory use is CPython's for every
//! k. CPython picks one of two methods by comparing sizes: when a list of the
//! whole population is smaller than a set of k entries would be, it copies the
//! population and draws from the copy, moving the last unchosen item into
//! each vacancy; otherwise it draws indices at random and keeps a set of
//! those chosen, drawing again on a repeat. With the tutorial's numbers
//! (20,000,000 values, k = 10,000,000) that is the copy.
use crate::{Checkpoint, Stopped};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::collections::HashSet;

pub const RANGE: u32 = 20_000_000;

/// Draws between two checkpoints.
const BATCH: usize = 65_536;

/// CPython's choice (`Lib/random.py`, `sample`): the size, in set slots, of
/// a set big enough for k entries, plus an empty list's overhead.
pub fn set_size(k: u64) -> u64 {
    let mut setsize = 21;
    if k > 5 {
        // 4 ** ceil(log(3k, 4)), in integers.
        let mut table = 1u64;
        while table < 3 * k {
            table *= 4;
        }
        setsize += table;
    }
    setsize
}

/// Which method CPython uses for a population of `n` and a sample of `k`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// A copy of the population, drawn from without replacement.
    PoolCopy,
    /// A set of the chosen indices.
    SelectedSet,
}

pub fn method(n: u64, k: u64) -> Method {
    if n <= set_size(k) {
        Method::PoolCopy
    } else {
        Method::SelectedSet
    }
}

/// Steps `from..to` of drawing from the copy. Kept out of line on purpose:
/// wasm engines optimise a function for its *next* call, so a hot loop must
/// live in a function that is called many times, or a freshly started worker
/// would run the whole task on its baseline code.
#[inline(never)]
fn pool_steps(rng: &mut SmallRng, pool: &mut [u32], list: &mut Vec<u32>, from: usize, to: usize) {
    let n = pool.len();
    for i in from..to {
        let j = rng.random_range(0..n - i);
        list.push(pool[j]);
        pool[j] = pool[n - i - 1];
    }
}

#[inline(never)]
fn set_steps(rng: &mut SmallRng, range: u32, selected: &mut HashSet<u32>, list: &mut Vec<u32>, count: usize) {
    for _ in 0..count {
        let mut j = rng.random_range(0..range);
        while !selected.insert(j) {
            j = rng.random_range(0..range);
        }
        list.push(j);
    }
}

/// The list of `k` distinct values from `0..range`.
pub fn sample_into_list(range: u32, k: u32, seed: u64, checkpoint: &mut dyn Checkpoint) -> Result<Vec<u32>, Stopped> {
    let k = k.min(range) as usize;
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut list = Vec::with_capacity(k);
    match method(range as u64, k as u64) {
        Method::PoolCopy => {
            let mut pool: Vec<u32> = (0..range).collect();
            for from in (0..k).step_by(BATCH) {
                checkpoint.check()?;
                pool_steps(&mut rng, &mut pool, &mut list, from, (from + BATCH).min(k));
            }
        }
        Method::SelectedSet => {
            let mut selected = HashSet::with_capacity(k);
            for from in (0..k).step_by(BATCH) {
                checkpoint.check()?;
                set_steps(&mut rng, range, &mut selected, &mut list, (from + BATCH).min(k) - from);
            }
        }
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkpoint::NoCheckpoint;

    fn distinct(mut list: Vec<u32>) -> usize {
        list.sort_unstable();
        list.dedup();
        list.len()
    }

    #[test]
    fn values_are_distinct_and_in_range_with_either_method() {
        for (range, k) in [(1000, 600), (1_000_000, 50)] {
            let list = sample_into_list(range, k, 7, &mut NoCheckpoint).unwrap();
            assert_eq!(list.len(), k as usize);
            assert!(list.iter().all(|&v| v < range));
            assert_eq!(distinct(list), k as usize);
        }
        assert_eq!(sample_into_list(10, 50, 1, &mut NoCheckpoint).unwrap().len(), 10);
    }

    #[test]
    fn the_method_is_cpythons() {
        // CPython: setsize = 21 + 4 ** ceil(log(3k, 4)) for k > 5.
        assert_eq!(set_size(5), 21);
        assert_eq!(set_size(6), 21 + 64);
        assert_eq!(set_size(10_000_000), 21 + 4u64.pow(13));
        assert_eq!(method(RANGE as u64, 10_000_000), Method::PoolCopy);
        assert_eq!(method(RANGE as u64, 1_000_000), Method::SelectedSet);
        assert_eq!(method(RANGE as u64, 2_000_000), Method::SelectedSet);
    }
}
