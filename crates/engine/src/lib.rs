//! The engine: everything about a run that does not depend on the browser.
//!
//! - [`record`]: the run record every layer reads (charts, exports, tests);
//! - [`model`]: the execution models, one enum;
//! - [`config`]: a run request, and its validation into a [`plan::RunPlan`];
//! - [`catalog`]: what a scenario's spec is made of (parameters, defaults, ranges);
//! - [`error`]: why a run gave no result ([`error::RunError`]);
//! - [`url`]: the link format that reproduces a run;
//! - [`pysource`]: Python source as text (literals, imports, how parts fit);
//! - [`python`]: the Python programs behind a run;
//! - [`embed`]: what `ready` resolves to, and the embed's messages;
//! - [`schema`]: the published JSON Schemas of config, record and messages;
//! - [`scenarios`]: the registry; one module per scenario owns its spec,
//!   typed parameters, tasks and result;
//! - [`gil`], [`phases`], [`pool`]: the thread-pool model, generic over how
//!   threads are spawned, so it is tested natively with std threads and runs on
//!   rayon's Web Workers in the browser.

#[macro_use]
mod registry;

pub mod amdahl;
pub mod catalog;
pub mod clock;
pub mod config;
pub mod embed;
pub mod error;
pub mod gil;
pub mod import;
pub mod io;
pub mod model;
pub mod phases;
pub mod pipeline;
pub mod plan;
pub mod pool;
pub mod processes;
pub mod protocol;
pub mod pysource;
pub mod python;
pub mod record;
pub mod reserve;
pub mod scenario_id;
pub mod scenarios;
pub mod schema;
pub mod span;
pub mod start_method;
pub mod url;

#[cfg(test)]
mod boundary_tests;
