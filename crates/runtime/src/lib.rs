//! The browser runtime: everything that executes a [`engine::config::RunPlan`].
//!
//! Four layers, each importing only those below it (ARCHITECTURE.md; the
//! test command checks it):
//! - [`entry`]: where each worker starts — the **compute worker**
//!   (`www/compute-worker.js`) that receives plans from the page and answers
//!   with run records; **threads** (`www/thread-worker.js`) on its shared
//!   memory; **isolated workers** (`www/process-worker.js`), one wasm
//!   instance and one memory each; and the panic hook;
//! - [`runners`]: a plan's run, by the scenario's runner (pool map,
//!   quadrants, pipeline, dataflow, whole programs);
//! - [`pools`]: threads, isolated workers, async futures, and the executor
//!   that picks one for a model;
//! - [`base`]: clock, control block, message port, queues, requests,
//!   environment, record builder.
//!
//! The page never runs any of this; it only posts plans and reads answers.

mod base;
mod entry;
mod pools;
mod runners;

pub use base::control::{control_layout, ControlLayout};
pub use entry::compute::compute_worker_main;
pub use entry::process::{process_worker_handle, process_worker_main};
pub use entry::thread::thread_worker_main;
