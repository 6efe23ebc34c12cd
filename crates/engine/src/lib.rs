//! The engine: everything about a run that does not depend on the browser.
//!
//! - [`record`]: the run record every layer reads (charts, exports, tests);
//! - [`config`]: a run request, and its validation into a [`config::RunPlan`];
//! - [`catalog`]: the scenarios, their parameters, defaults and ranges;
//! - [`url`]: the link format that reproduces a run;
//! - [`scenarios`]: what each scenario's tasks are and how one task runs;
//! - [`gil`], [`phases`], [`pool`]: the thread-pool model, generic over how
//!   threads are spawned, so it is tested natively with std threads and runs on
//!   rayon's Web Workers in the browser.

pub mod amdahl;
pub mod catalog;
pub mod clock;
pub mod config;
pub mod gil;
pub mod io;
pub mod phases;
pub mod pipeline;
pub mod pool;
pub mod protocol;
pub mod record;
pub mod scenarios;
pub mod url;
