//! The postMessage API of an embedded playground (README, "Embedding"),
//! protocol `engine::embed::PROTOCOL`, every message an
//! `engine::embed::EmbedMessage` (it reads `EmbedRequest`s and sends `EmbedEvent`s). A page that embeds the playground in an iframe talks to it
//! with messages alone:
//! - iframe → parent `{type: "playground:ready", protocol, env}` once it can run;
//! - parent → iframe `{type: "playground:run", id, config}` →
//!   `{type: "playground:result", id, record}` or `{..., id, error}`;
//! - parent → iframe `{type: "playground:python", id, config}` →
//!   `{type: "playground:programs", id, programs}` or `{..., id, error}`:
//!   the programs the Python tab shows for that config (`{title, filename, code}`);
//! - parent → iframe `{type: "playground:add-run", id, record}` (a run made
//!   elsewhere, as for `window.playground.addRun`) →
//!   `{type: "playground:result", id, record}` or `{..., id, error}`;
//! - parent → iframe `{type: "playground:stop"}`;
//! - iframe → parent `{type: "playground:resize", height}` when the content
//!   height changes.
//!
//! Anything else is ignored. Replies go to the window that asked, at its
//! origin; `ready` and `resize` (which carry nothing private) go to the parent.
use crate::api::{json_of, plan_from_json, programs_from_json, ready_info, to_js};
use crate::client::Client;
use engine::embed::{EmbedEvent, EmbedRequest, ProgramsReply, RunReply, PROTOCOL};
use js_sys::Object;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, ResizeObserver, Window};

/// The parent window, when this page is in a frame.
fn parent(window: &Window) -> Option<Window> {
    let parent = window.parent().ok()??;
    (!Object::is(&parent, window)).then_some(parent)
}

pub fn install(client: &Client) {
    let window = web_sys::window().expect("the page has a window");
    let c = client.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| handle(&c, &e));
    let _ = window.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    on_message.forget();

    let Some(parent) = parent(&window) else { return };
    let client = client.clone();
    let to_parent = parent.clone();
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(info) = ready_info(&client).await {
            let _ = to_parent.post_message(&to_js(&EmbedEvent::Ready { protocol: PROTOCOL, env: info }), "*");
        }
    });
    report_height(parent);
}

fn handle(client: &Client, e: &MessageEvent) {
    // Only the embed's own messages read as one; anything else posted to
    // this window is ignored.
    let Ok(message) = json_of(&e.data()).and_then(|json| serde_json::from_value::<EmbedRequest>(json).map_err(|e| e.to_string())) else {
        return;
    };
    let reply = Reply::to(e);
    match message {
        EmbedRequest::Run { id, config } => {
            let Some(reply) = reply else { return };
            let client = client.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = match plan_from_json(config) {
                    Ok(plan) => client.run(plan).await.map_err(|e| e.to_string()),
                    Err(e) => Err(e),
                };
                reply.send(EmbedEvent::Result { id, outcome: run_reply(outcome) });
            });
        }
        EmbedRequest::Python { id, config } => {
            let Some(reply) = reply else { return };
            let outcome = match programs_from_json(config) {
                Ok(programs) => ProgramsReply::Programs { programs },
                Err(error) => ProgramsReply::Error { error },
            };
            reply.send(EmbedEvent::Programs { id, outcome });
        }
        EmbedRequest::AddRun { id, record } => {
            let Some(reply) = reply else { return };
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = match engine::import::from_value(record.clone()) {
                    // The record as it was checked: the one the history now holds.
                    Ok(checked) => crate::add_run::add(record).await.map(|_| checked),
                    Err(e) => Err(e),
                };
                reply.send(EmbedEvent::Result { id, outcome: run_reply(outcome) });
            });
        }
        EmbedRequest::Stop => client.stop(),
    }
}

fn run_reply(outcome: Result<engine::record::RunRecord, String>) -> RunReply {
    match outcome {
        Ok(record) => RunReply::Record { record: Box::new(record) },
        Err(error) => RunReply::Error { error },
    }
}

/// The window that asked, at its origin.
struct Reply {
    window: Window,
    origin: String,
}

impl Reply {
    fn to(e: &MessageEvent) -> Option<Reply> {
        // A window, possibly of another origin: only postMessage is used on it.
        let window: Window = e.source()?.unchecked_into();
        let origin = match e.origin().as_str() {
            "null" | "" => "*".to_string(), // a sandboxed or file: page has no origin to name
            origin => origin.to_string(),
        };
        Some(Reply { window, origin })
    }

    fn send(&self, message: EmbedEvent) {
        let _ = self.window.post_message(&to_js(&message), &self.origin);
    }
}

/// Tell the parent the content height now and whenever it changes.
fn report_height(parent: Window) {
    let Some(body) = gloo::utils::document().body() else { return };
    let last = std::cell::Cell::new(-1.0);
    let target = body.clone();
    let on_resize = Closure::<dyn FnMut()>::new(move || {
        let height = target.get_bounding_client_rect().height().ceil();
        // Zero before the page is first drawn: nothing to size the frame to.
        if height > 0.0 && height != last.get() {
            last.set(height);
            let _ = parent.post_message(&to_js(&EmbedEvent::Resize { height }), "*");
        }
    });
    match ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
        Ok(observer) => {
            observer.observe(&body);
            std::mem::forget(observer);
        }
        Err(_) => return,
    }
    on_resize.forget();
}
