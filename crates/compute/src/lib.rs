//! The compute side's module. The compute worker, its threads and every
//! isolated worker load this wasm (the runtime, the kernels, the engine);
//! the page loads its own (`crates/playground`), so the controls never wait
//! for the kernels. Each worker calls its entry point from its bootstrap
//! script in `www/`.
pub use runtime::{compute_worker_main, process_worker_handle, process_worker_main, thread_worker_main};
