//! The entry layer: where each kind of worker starts (called from its
//! bootstrap in `www/`), and the panic hook they all install. The only layer
//! that may import `runners`; nothing imports it.
pub mod compute;
pub mod panic;
pub mod process;
pub mod thread;
