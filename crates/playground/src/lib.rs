//! One module for every context. The page and all workers load this same
//! wasm; only the page (which has a `window`) starts the user interface.
//! Workers call their own entry points (`compute_worker_main`,
//! `process_worker_main`) from their bootstrap scripts in `www/`.
use wasm_bindgen::prelude::*;

pub use runtime::{compute_worker_main, process_worker_main, thread_worker_main};

#[wasm_bindgen(start)]
pub fn start() {
    if web_sys::window().is_some() {
        ui::start();
    }
}
