//! S1 "product of primes": naive trial division, then the product of all the
//! primes found as an arbitrary-precision integer.

use crate::{Checkpoint, Stopped};
use num_bigint::BigUint;
use serde::{Deserialize, Serialize};

/// What one limit produces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PrimesOutcome {
    pub n: u32,
    /// Number of primes below `n`.
    pub count: u32,
    /// Decimal digits of the product of those primes.
    pub digits: u32,
    /// Up to 12 leading and trailing decimal digits of the product.
    pub first_digits: String,
    pub last_digits: String,
}

/// How many candidates pass between two checkpoints: a few thousand
/// divisions each, so a stop lands within microseconds.
const CHECK_EVERY: u32 = 16;

/// Is `i` prime, by dividing it by every j in 2..=i/2 and stopping at the
/// first divisor: deliberately the slow method the tutorial uses.
#[inline]
pub fn is_prime_naive(i: u32) -> bool {
    if i < 2 {
        return false;
    }
    let mut j = 2;
    while j <= i / 2 {
        if i.is_multiple_of(j) {
            return false;
        }
        j += 1;
    }
    true
}

/// All primes below `n`, by naive trial division.
pub fn primes_below(n: u32, checkpoint: &mut dyn Checkpoint) -> Result<Vec<u32>, Stopped> {
    let mut primes = Vec::new();
    for i in 2..n {
        if i % CHECK_EVERY == 0 {
            checkpoint.check()?;
        }
        if is_prime_naive(i) {
            primes.push(i);
        }
    }
    Ok(primes)
}

/// The product of `primes` as an exact integer.
pub fn product(primes: &[u32]) -> BigUint {
    primes.iter().fold(BigUint::from(1u32), |acc, &p| acc * p)
}

/// The whole S1 task for one limit.
pub fn product_of_primes(n: u32, checkpoint: &mut dyn Checkpoint) -> Result<PrimesOutcome, Stopped> {
    let primes = primes_below(n, checkpoint)?;
    checkpoint.check()?;
    let decimal = product(&primes).to_str_radix(10);
    let len = decimal.len();
    let edge = len.min(12);
    Ok(PrimesOutcome {
        n,
        count: primes.len() as u32,
        digits: len as u32,
        first_digits: decimal[..edge].to_string(),
        last_digits: decimal[len - edge..].to_string(),
    })
}

/// How many primes lie in `lo..hi`, by naive trial division: a piece of work
/// that splits into independent chunks.
pub fn count_primes_in(lo: u32, hi: u32, checkpoint: &mut dyn Checkpoint) -> Result<u32, Stopped> {
    let mut count = 0;
    for i in lo..hi {
        if i % CHECK_EVERY == 0 {
            checkpoint.check()?;
        }
        count += is_prime_naive(i) as u32;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkpoint::NoCheckpoint;

    fn run(n: u32) -> PrimesOutcome {
        product_of_primes(n, &mut NoCheckpoint).unwrap()
    }

    #[test]
    fn naive_test_agrees_with_known_small_primes() {
        let found: Vec<u32> = (0..50).filter(|&i| is_prime_naive(i)).collect();
        assert_eq!(found, [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47]);
    }

    #[test]
    fn small_limits_give_exact_products() {
        // 2*3*5*7 = 210; primorial below 30 = 6469693230.
        let r = run(10);
        assert_eq!((r.count, r.digits, r.first_digits.as_str()), (4, 3, "210"));
        let r = run(30);
        assert_eq!((r.count, r.digits, r.last_digits.as_str()), (10, 10, "6469693230"));
        assert_eq!(run(2).count, 0);
        assert_eq!(run(2).first_digits, "1");
    }

    #[test]
    fn counts_match_prime_counting_function() {
        // pi(x) for the default limits, checked against a sieve.
        for n in [22756u32, 39371, 44832, 50328] {
            let mut sieve = vec![true; n as usize];
            sieve[0] = false;
            sieve[1] = false;
            let mut i = 2usize;
            while i * i < n as usize {
                if sieve[i] {
                    (i * i..n as usize).step_by(i).for_each(|k| sieve[k] = false);
                }
                i += 1;
            }
            let expected = sieve.iter().filter(|&&b| b).count() as u32;
            assert_eq!(run(n).count, expected, "limit {n}");
        }
    }

    #[test]
    fn digits_agree_with_sum_of_logs() {
        let r = run(50328);
        let primes = primes_below(50328, &mut NoCheckpoint).unwrap();
        let log10: f64 = primes.iter().map(|&p| (p as f64).log10()).sum();
        assert_eq!(r.digits, log10.floor() as u32 + 1);
        // The product is even and a multiple of 5, so it ends in 0.
        assert!(r.last_digits.ends_with('0'));
    }

    #[test]
    fn a_checkpoint_can_stop_the_kernel() {
        let mut calls = 0;
        let mut stop_after_three = || {
            calls += 1;
            if calls > 3 {
                Err(Stopped)
            } else {
                Ok(())
            }
        };
        assert_eq!(product_of_primes(100_000, &mut stop_after_three), Err(Stopped));
        assert_eq!(calls, 4);
    }
}
