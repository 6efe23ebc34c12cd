//! Kernels: the real work behind each scenario. No browser dependency, so the
//! same code is tested and timed natively and runs unchanged in wasm.
//!
//! Long kernels call a [`Checkpoint`] now and then: that is where a run can be
//! stopped and where a simulated GIL may hand the lock to another thread.

pub mod burn;
pub mod checkpoint;
pub mod factorial;
pub mod primes;
pub mod sample;
pub mod shared_state;
pub mod square;
pub mod warm_up;
pub mod wordcount;

pub use checkpoint::{Checkpoint, Stopped};
