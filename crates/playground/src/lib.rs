//! The page's module: the user interface and what it needs of the engine.
//! The workers load the compute module (`crates/compute`) instead, so the
//! page's controls are drawn as soon as this smaller module arrives.
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
pub fn start() {
    let Some(window) = web_sys::window() else { return };
    if let Some(performance) = window.performance() {
        let _ = performance.mark("page-module-running");
    }
    // `www/boot.js` publishes two promises: `playgroundDraw`, when the page
    // may draw (at once, unless it must first reload once for isolation),
    // and `playgroundBoot`, when workers may start (its service worker in
    // control, so their requests go through it). `www/main.js` starts the
    // compute worker then (`playgroundCompute`, which the client takes over).
    let promise = |name: &str| {
        js_sys::Reflect::get(&window, &name.into()).ok().filter(|b| b.is_instance_of::<js_sys::Promise>()).map(js_sys::Promise::from)
    };
    let boot = promise("playgroundCompute").or_else(|| promise("playgroundBoot"));
    match promise("playgroundDraw") {
        Some(draw) => wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(draw).await;
            ui::start(boot);
        }),
        None => ui::start(boot),
    }
}
