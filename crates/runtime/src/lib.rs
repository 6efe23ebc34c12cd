//! The browser runtime: everything that executes a [`engine::config::RunPlan`].
//!
//! Where code runs:
//! - the **compute worker** (`www/compute-worker.js` → [`compute_worker_main`])
//!   receives plans from the page, owns the rayon thread pool (Web Workers on
//!   its shared memory) and the isolated workers, and answers with run records;
//! - **threads** (`www/thread-worker.js` → [`thread_worker_main`]): Web
//!   Workers started per pool on the compute worker's memory; plus rayon's
//!   pool (one thread per core) for work split inside one task;
//! - **isolated workers** (`www/process-worker.js` → [`process_worker_main`]):
//!   one wasm instance and one memory each, reached only by messages.
//!
//! The page never runs any of this; it only posts plans and reads answers.

mod async_pool;
mod clock;
mod compute;
mod control;
mod env;
mod executor;
mod io;
mod pipeline;
mod process_worker;
mod processes;
mod quadrants;
mod queue;
mod role;
mod sample;
mod thread_pool;
mod wordcount;

pub use compute::compute_worker_main;
pub use control::{control_layout, ControlLayout};
pub use process_worker::{process_worker_handle, process_worker_main};
pub use thread_pool::thread_worker_main;

/// The most threads (or isolated workers) one run may ask for.
pub const MAX_THREADS: u32 = engine::catalog::MAX_WORKERS;
