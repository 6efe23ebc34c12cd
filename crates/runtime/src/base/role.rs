//! Which kind of context this thread is: the compute worker, a thread, or
//! an isolated worker. Set once by its entry point.
use std::cell::Cell;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Role {
    Compute,
    Thread,
    Process,
}

thread_local! {
    static ROLE: Cell<Option<Role>> = const { Cell::new(None) };
}

/// Take on `role` for this thread, and make blocking requests available to
/// the engine here.
pub fn set(role: Role) {
    ROLE.with(|r| r.set(Some(role)));
    crate::base::io::install();
}

pub fn current() -> Option<Role> {
    ROLE.with(|r| r.get())
}
