//! Busy CPU work of a chosen length: a pseudo-random walk whose result depends
//! on every step, so the optimiser cannot drop it. Used where a tutorial's
//! step "does work" for a given time: the caller calibrates how many steps
//! this machine does per millisecond, then asks for that many.
use crate::{Checkpoint, Stopped};

const STEPS_PER_CHECK: u64 = 20_000;

/// Do `steps` steps of work; returns the walk's final value.
pub fn burn(steps: u64, checkpoint: &mut dyn Checkpoint) -> Result<u64, Stopped> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut done = 0;
    while done < steps {
        let n = (steps - done).min(STEPS_PER_CHECK);
        x = walk(x, n);
        done += n;
        checkpoint.check()?;
    }
    Ok(x)
}

#[inline(never)]
fn walk(mut x: u64, n: u64) -> u64 {
    for _ in 0..n {
        // xorshift64*
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        x = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
    }
    x
}

/// Steps per millisecond on this thread: time growing runs until one takes
/// at least `min_ms` by `now_ms`.
pub fn calibrate(now_ms: &dyn Fn() -> f64, min_ms: f64) -> f64 {
    let mut steps = 10_000u64;
    loop {
        let t0 = now_ms();
        let _ = burn(steps, &mut crate::checkpoint::NoCheckpoint);
        let took = now_ms() - t0;
        if took >= min_ms || steps > (1 << 40) {
            return steps as f64 / took.max(1e-3);
        }
        steps *= 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkpoint::NoCheckpoint;

    #[test]
    fn depends_on_the_number_of_steps() {
        assert_ne!(burn(1000, &mut NoCheckpoint), burn(1001, &mut NoCheckpoint));
    }

    /// The arithmetic of calibrating, on a clock the test controls: runs
    /// double until one takes `min_ms`, and the rate is that run's steps
    /// over its time (no wall-clock timing: it would flake on a busy machine).
    #[test]
    fn calibration_doubles_until_a_run_is_long_enough() {
        use std::cell::Cell;
        // Each run "takes" 5 ms more than the one before: 5, 10, 15, 20.
        let calls = Cell::new(0u32);
        let clock = || {
            let k = calls.get();
            calls.set(k + 1);
            let run = f64::from(k / 2 + 1);
            if k.is_multiple_of(2) {
                1000.0 * run
            } else {
                1000.0 * run + 5.0 * run
            }
        };
        let rate = calibrate(&clock, 20.0);
        // The fourth run (80 000 steps) took 20 ms.
        assert_eq!(calls.get(), 8);
        assert_eq!(rate, 80_000.0 / 20.0);
    }
}
