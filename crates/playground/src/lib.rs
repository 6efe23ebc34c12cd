//! One module for every context. The page and all workers load this same
//! wasm; only the page (which has a `window`) starts the user interface.
//! Workers call their own entry points (`compute_worker_main`,
//! `process_worker_main`) from their bootstrap scripts in `www/`.
use wasm_bindgen::prelude::*;

pub use runtime::{compute_worker_main, process_worker_handle, process_worker_main, thread_worker_main};

#[wasm_bindgen(start)]
pub fn start() {
    let Some(window) = web_sys::window() else { return };
    // `www/boot.js` may first need the service worker (and one reload for
    // isolation); it publishes a promise that resolves when the app may start.
    let boot = js_sys::Reflect::get(&window, &"playgroundBoot".into()).ok().filter(|b| b.is_instance_of::<js_sys::Promise>());
    match boot {
        Some(boot) => wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(boot)).await;
            ui::start();
        }),
        None => ui::start(),
    }
}
