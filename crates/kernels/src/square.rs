//! S4 "square": a tiny task, 2 to the power x as an exact integer, as
//! Python's `2**x`. Only the number is built (no decimal conversion, which
//! would cost several times the task itself); its bit length is the output.
use num_bigint::BigUint;
use std::hint::black_box;

/// Build 2^x and return its bit length (x + 1).
pub fn power_of_two_bits(x: u32) -> u64 {
    black_box(BigUint::from(1u32) << x).bits()
}

#[cfg(test)]
mod tests {
    #[test]
    fn bit_lengths_of_small_and_large_powers() {
        assert_eq!(super::power_of_two_bits(0), 1);
        assert_eq!(super::power_of_two_bits(10), 11); // 1024
        assert_eq!(super::power_of_two_bits(999), 1000);
    }
}
