//! Native speed of the primes kernel on the default limits, for comparison
//! with the same kernel in wasm (see BENCHMARKS.md).
//! Run: cargo bench -p kernels --bench native_primes
use kernels::checkpoint::NoCheckpoint;
use kernels::primes::product_of_primes;
use std::time::Instant;

fn main() {
    let limits = [50328u32, 22756, 39371, 44832];
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let start = Instant::now();
        for &n in &limits {
            std::hint::black_box(product_of_primes(n, &mut NoCheckpoint).unwrap());
        }
        best = best.min(start.elapsed().as_secs_f64() * 1000.0);
    }
    println!("native primes (serial, default limits): best of 3 = {best:.1} ms");
}
