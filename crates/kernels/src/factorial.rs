//! S3: factorial as an exact integer (past 20! it no longer fits in 64 bits).
use crate::{Checkpoint, Stopped};
use num_bigint::BigUint;

/// `n!` in decimal.
pub fn factorial(n: u32, checkpoint: &mut dyn Checkpoint) -> Result<String, Stopped> {
    let mut acc = BigUint::from(1u32);
    for k in 2..=n {
        if k % 64 == 0 {
            checkpoint.check()?;
        }
        acc *= k;
    }
    Ok(acc.to_str_radix(10))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkpoint::NoCheckpoint;

    #[test]
    fn first_ten_and_beyond_u64() {
        let values: Vec<String> = (0..10).map(|n| factorial(n, &mut NoCheckpoint).unwrap()).collect();
        assert_eq!(values, ["1", "1", "2", "6", "24", "120", "720", "5040", "40320", "362880"]);
        assert_eq!(factorial(25, &mut NoCheckpoint).unwrap(), "15511210043330985984000000");
    }
}
