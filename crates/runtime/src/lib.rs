//! The browser runtime: everything that executes a [`engine::config::RunPlan`].
//!
//! Where code runs:
//! - the **compute worker** (`www/compute-worker.js` → [`compute_worker_main`])
//!   receives plans from the page, owns the rayon thread pool (Web Workers on
//!   its shared memory) and the isolated workers, and answers with run records;
//! - **pool threads**: rayon's workers, sharing the compute worker's memory;
//! - **isolated workers** (`www/process-worker.js` → [`process_worker_main`]):
//!   one wasm instance and one memory each, reached only by messages.
//!
//! The page never runs any of this; it only posts plans and reads answers.

mod clock;
mod compute;
mod control;
mod env;
mod process_worker;
mod processes;
mod threads;

pub use compute::compute_worker_main;
pub use control::{control_layout, ControlLayout};
pub use process_worker::process_worker_main;
