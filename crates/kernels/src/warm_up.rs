//! One small round of every kernel, run before the page says it is ready:
//! a browser compiles WebAssembly first for a quick start and recompiles the
//! functions that get hot, so the first measured run would otherwise pay for
//! that (1.5–2× slower serial runs were seen on a first run). The compiled
//! module is shared by every worker started from it, so warming it once,
//! off the clock, warms threads and processes too.
use crate::checkpoint::NoCheckpoint;
use crate::{factorial, primes, sample, square, wordcount};

/// One round; returns a figure that depends on all of it, so none of the
/// work can be left out.
pub fn warm_up_round() -> u64 {
    let mut check = NoCheckpoint;
    let mut acc = 0u64;
    if let Ok(p) = primes::product_of_primes(20011, &mut check) {
        acc += p.count as u64;
    }
    if let Ok(f) = factorial::factorial(200, &mut check) {
        acc += f.len() as u64;
    }
    if let Ok(c) = wordcount::count(&wordcount::headlines_text(), &mut check) {
        acc += wordcount::total(&c);
    }
    if let Ok(l) = sample::sample_into_list(100_000, 1000, 7, &mut check) {
        acc += l.len() as u64;
    }
    acc + (0..200).map(square::power_of_two_bits).sum::<u64>()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_round_does_all_its_work() {
        // 2262 primes below 20011, 79 headline words, 1000 samples, and
        // 2**x for x < 200 has 1 + 2 + … + 200 bits in all.
        let r = super::warm_up_round();
        assert!(r > 2262 + 79 + 1000 + 20_100, "{r}");
        assert_eq!(super::warm_up_round(), r);
    }
}
