//! Native speed of generating and counting the word-count corpus, for
//! comparison with the same kernel in wasm (see BENCHMARKS.md).
//! Run: cargo bench -p kernels --bench native_wordcount
use kernels::checkpoint::NoCheckpoint;
use kernels::wordcount::{corpus, count};
use std::time::Instant;

fn main() {
    let t0 = Instant::now();
    let text = corpus(32 << 20, 42);
    let generated = t0.elapsed().as_secs_f64() * 1000.0;
    let mut best = f64::INFINITY;
    let mut distinct = 0;
    for _ in 0..3 {
        let start = Instant::now();
        distinct = count(&text, &mut NoCheckpoint).unwrap().len();
        best = best.min(start.elapsed().as_secs_f64() * 1000.0);
    }
    println!("native wordcount, 32 MB corpus: generated in {generated:.0} ms; counted ({distinct} distinct) best of 3 = {best:.1} ms");
}
