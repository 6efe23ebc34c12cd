//! A thread: a Web Worker on its pool's memory (`www/thread-worker.js`),
//! serving its mailbox until the pool lets it go.
use super::panic::enter;
use crate::base::port::post_to_parent;
use crate::base::role::Role;
use crate::pools::threads::Mailbox;
use wasm_bindgen::prelude::*;

/// A thread's life: answer starts and run jobs until its mailbox closes.
#[wasm_bindgen]
pub fn thread_worker_main(mailbox: u32) {
    enter(Role::Thread);
    // SAFETY: the bootstrap passes the address its pool handed it, once.
    let mailbox = unsafe { Mailbox::take(mailbox) };
    mailbox.serve(|msg| post_to_parent(msg, None));
}
