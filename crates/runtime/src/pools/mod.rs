//! The pools layer: how tasks reach workers. Threads on this instance's
//! memory (a warm reserve of Web Workers), isolated workers with their own
//! memory, futures on this worker's one thread, and the executor that turns
//! a model into one of them. Imports only `base`; knows no scenario.
pub mod async_pool;
pub mod executor;
mod fork_server;
pub mod processes;
mod start_board;
pub mod threads;
