//! S2: draw k distinct integers from 0..range and append them to a list.
//! A partial Fisher–Yates shuffle over the whole range: real CPU and real
//! memory traffic, like the tutorial's `random.sample` into a list.
use crate::{Checkpoint, Stopped};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

pub const RANGE: u32 = 20_000_000;

/// The list of `k` distinct values from `0..range`.
pub fn sample_into_list(range: u32, k: u32, seed: u64, checkpoint: &mut dyn Checkpoint) -> Result<Vec<u32>, Stopped> {
    let k = k.min(range) as usize;
    let mut pool: Vec<u32> = (0..range).collect();
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut list = Vec::new();
    for i in 0..k {
        if i % 65_536 == 0 {
            checkpoint.check()?;
        }
        let j = rng.random_range(i..pool.len());
        pool.swap(i, j);
        list.push(pool[i]);
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
