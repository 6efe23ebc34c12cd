//! The base layer: what every other layer stands on, importing nothing of
//! the runtime above it. Clock, control block (stop and progress), the
//! message port, queues on shared memory, requests, the environment, the
//! record builder, and which context this is.
pub mod clock;
pub mod control;
pub mod env;
pub mod io;
pub mod port;
pub mod queue;
pub mod record;
pub mod role;
