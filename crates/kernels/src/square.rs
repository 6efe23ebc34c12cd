//! S4 "square": a tiny task, 2 to the power x as an exact integer.
use num_bigint::BigUint;

/// Decimal digits of 2^x.
pub fn power_of_two_digits(x: u32) -> u32 {
    (BigUint::from(1u32) << x).to_str_radix(10).len() as u32
}

#[cfg(test)]
mod tests {
    #[test]
    fn digits_of_small_and_large_powers() {
        assert_eq!(super::power_of_two_digits(0), 1);
        assert_eq!(super::power_of_two_digits(10), 4); // 1024
        assert_eq!(super::power_of_two_digits(999), 301);
    }
}
