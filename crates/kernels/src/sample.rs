//! S2: draw k distinct integers from 0..range and append them to a list.
//! A partial Fisher–Yates shuffle of a copy of the population, which is what
//! `random.sample` does for this size (population 20M, k up to 10M): real
//! random draws, real memory traffic, and a real, growing list.
use crate::{Checkpoint, Stopped};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

pub const RANGE: u32 = 20_000_000;

/// Draws between two checkpoints.
const BATCH: usize = 65_536;

/// Steps `from..to` of the shuffle, appending each chosen value to `list`.
/// Kept out of line on purpose: wasm engines optimise a function for its
/// *next* call, so a hot loop must live in a function that is called many
/// times, or a freshly started worker would run the whole task on its
/// baseline code.
#[inline(never)]
fn shuffle_steps(rng: &mut SmallRng, pool: &mut [u32], list: &mut Vec<u32>, from: usize, to: usize) {
    for i in from..to {
        let j = rng.random_range(i..pool.len());
        pool.swap(i, j);
        list.push(pool[i]);
    }
}

/// The list of `k` distinct values from `0..range`.
pub fn sample_into_list(range: u32, k: u32, seed: u64, checkpoint: &mut dyn Checkpoint) -> Result<Vec<u32>, Stopped> {
    let k = k.min(range) as usize;
    let mut pool: Vec<u32> = (0..range).collect();
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut list = Vec::with_capacity(k);
    for from in (0..k).step_by(BATCH) {
        checkpoint.check()?;
        shuffle_steps(&mut rng, &mut pool, &mut list, from, (from + BATCH).min(k));
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkpoint::NoCheckpoint;

    #[test]
    fn values_are_distinct_and_in_range() {
        let mut list = sample_into_list(1000, 600, 7, &mut NoCheckpoint).unwrap();
        assert_eq!(list.len(), 600);
        assert!(list.iter().all(|&v| v < 1000));
        list.sort_unstable();
        list.dedup();
        assert_eq!(list.len(), 600);
        assert_eq!(sample_into_list(10, 50, 1, &mut NoCheckpoint).unwrap().len(), 10);
    }
}
