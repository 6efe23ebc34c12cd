//! The message port: the one module of the runtime that creates Web Workers
//! and frames messages (`engine::protocol::frame`). A [`Port`] is a worker
//! this context started; [`post_to_parent`] answers whoever started this one.
//! Everything that arrives is read into an [`Incoming`], so no caller parses
//! a message or knows what the JavaScript bootstraps post.
use engine::error::RunError;
use engine::protocol::frame;
use js_sys::{Object, Reflect, Uint8Array};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::marker::PhantomData;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

/// The bootstrap scripts a worker starts from (`www/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// A thread on the starting instance's memory.
    Thread,
    /// An isolated worker with a fresh instance of its own.
    Process,
}

impl Script {
    fn path(self) -> &'static str {
        match self {
            Script::Thread => "./thread-worker.js",
            Script::Process => "./process-worker.js",
        }
    }

    /// A URL of its own for each worker started, in every context. WebKit,
    /// on a page isolated by the service worker, fails all but the first of
    /// several module workers started at once from one URL (an `error`
    /// event without a message); distinct URLs load. So a worker's number
    /// follows its parent's (isolated worker 2's first thread is
    /// `thread-worker.js?worker=2.1`, never the same URL as isolated worker
    /// 3's). The service worker answers them from its cache whatever the
    /// query. Returns the URL and the worker's number (never reused in this
    /// context).
    fn url(self) -> (String, u32) {
        thread_local! {
            static STARTED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
            /// This worker's own query (`?worker=2`, or none).
            static OWN: String = {
                let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
                scope.location().search()
            };
        }
        let n = STARTED.with(|s| {
            s.set(s.get() + 1);
            s.get()
        });
        (OWN.with(|own| format!("{}?worker={}", self.path(), child_number(own, n))), n)
    }
}

/// The number of the `n`th worker started by a worker whose own query is
/// `own`: `n` after the starter's own number, if it has one.
fn child_number(own: &str, n: u32) -> String {
    let starter = own.trim_start_matches('?').split('&').find_map(|pair| pair.strip_prefix("worker="));
    match starter {
        Some(number) => format!("{number}.{n}"),
        None => n.to_string(),
    }
}

/// One message from a worker, read.
#[derive(Debug)]
pub enum Incoming<T> {
    /// One of the wire enums, with the bytes moved alongside, if any.
    Message(T, Option<Uint8Array>),
    /// The bootstrap loaded the module (plain fact from JavaScript).
    Loaded { at_ms: f64 },
    /// The instance aborted (plain fact from JavaScript).
    Died { message: String },
    /// The worker raised an error event (its script failed outside a task).
    Crashed { message: String },
    /// Something that is none of those.
    Unreadable(String),
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Setting a plain data property on a fresh object cannot fail.
    let _ = Reflect::set(target, &key.into(), value);
}

/// Frame `msg` (and `bytes`) as `{json, bytes?}`.
fn framed<T: Serialize>(msg: &T) -> Object {
    let envelope = Object::new();
    let json = serde_json::to_string(msg).expect("wire messages serialise");
    set(&envelope, frame::JSON, &json.into());
    envelope
}

/// Read one message as `T`.
pub fn read<T: DeserializeOwned>(data: &JsValue) -> Incoming<T> {
    let field = |k: &str| Reflect::get(data, &k.into()).ok().filter(|v| !v.is_undefined());
    if let Some(json) = field(frame::JSON).and_then(|j| j.as_string()) {
        let bytes = field(frame::BYTES).map(|b| b.unchecked_into::<Uint8Array>());
        return match serde_json::from_str(&json) {
            Ok(msg) => Incoming::Message(msg, bytes),
            Err(e) => Incoming::Unreadable(format!("{e}: {json}")),
        };
    }
    if let Some(at_ms) = field(frame::LOADED).and_then(|v| v.as_f64()) {
        return Incoming::Loaded { at_ms };
    }
    if let Some(message) = field(frame::DIED) {
        return Incoming::Died { message: message.as_string().unwrap_or_else(|| format!("{message:?}")) };
    }
    Incoming::Unreadable(format!("{data:?}"))
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Send `msg` to whoever started this worker (the page, the compute worker,
/// or the isolated worker that owns this thread), with `memory` beside it.
pub fn post_to_parent<T: Serialize>(msg: &T, memory: Option<&JsValue>) {
    let envelope = framed(msg);
    if let Some(memory) = memory {
        set(&envelope, frame::MEMORY, memory);
    }
    let _ = scope().post_message(&envelope);
}

/// Listen to what whoever started this worker sends, as `T`.
pub fn listen_to_parent<T: DeserializeOwned + 'static>(mut on: impl FnMut(Incoming<T>) + 'static) {
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| on(read(&e.data())));
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget(); // for the life of this worker
}

type Handlers = [Closure<dyn FnMut(JsValue)>; 2];

/// A worker's message and error handlers, both reporting to `on`.
fn handlers<In: DeserializeOwned + 'static>(on: impl FnMut(Incoming<In>) + 'static) -> Handlers {
    let on = std::rc::Rc::new(std::cell::RefCell::new(on));
    let on_message = {
        let on = on.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let e: MessageEvent = e.unchecked_into();
            (on.borrow_mut())(read(&e.data()));
        })
    };
    let on_error = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        // Handled here: keep it from bubbling up to this worker's own scope.
        if let Some(e) = e.dyn_ref::<web_sys::Event>() {
            e.prevent_default();
        }
        let message = e.dyn_ref::<ErrorEvent>().map(|e| e.message()).unwrap_or_else(|| "unknown error".into());
        (on.borrow_mut())(Incoming::Crashed { message });
    });
    [on_message, on_error]
}

fn attach(worker: &Worker, [on_message, on_error]: &Handlers) {
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
}

/// A worker this context started, sending `Out` and receiving `In`.
pub struct Port<Out, In> {
    worker: Worker,
    /// Which worker this is of all this context started (1, 2, …).
    number: u32,
    _handlers: Handlers,
    _types: PhantomData<fn(Out) -> In>,
}

impl<Out: Serialize, In: DeserializeOwned + 'static> Port<Out, In> {
    /// Start `script` and hand it `init` (plain fields its bootstrap reads:
    /// the module, the memory to share, …). Everything it says arrives at
    /// `on`, an error event as `Crashed`.
    ///
    /// # Errors
    /// `StartUp` if the browser refuses to start or reach the worker.
    pub fn spawn(script: Script, init: &[(&str, JsValue)], on: impl FnMut(Incoming<In>) + 'static) -> Result<Self, RunError> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let (url, number) = script.url();
        let worker =
            Worker::new_with_options(&url, &options).map_err(|e| RunError::StartUp(format!("could not start a worker ({url}): {e:?}")))?;
        let handlers = handlers(on);
        attach(&worker, &handlers);
        let fields = Object::new();
        for (k, v) in init {
            set(&fields, k, v);
        }
        worker.post_message(&fields).map_err(|e| RunError::StartUp(format!("could not reach a worker: {e:?}")))?;
        Ok(Port { worker, number, _handlers: handlers, _types: PhantomData })
    }

    /// Send `msg`.
    ///
    /// # Errors
    /// `Broken` if the worker cannot be reached.
    pub fn send(&self, msg: &Out) -> Result<(), RunError> {
        self.worker.post_message(&framed(msg)).map_err(|e| RunError::Broken(format!("could not reach a worker: {e:?}")))
    }

    /// Send `msg` with `bytes` moved (not copied) alongside.
    ///
    /// # Errors
    /// `Broken` if the worker cannot be reached.
    pub fn send_with_bytes(&self, msg: &Out, bytes: Uint8Array) -> Result<(), RunError> {
        let envelope = framed(msg);
        set(&envelope, frame::BYTES, &bytes);
        let transfer = js_sys::Array::of1(&bytes.buffer());
        self.worker
            .post_message_with_transfer(&envelope, &transfer)
            .map_err(|e| RunError::Broken(format!("could not reach a worker: {e:?}")))
    }

    /// Stop listening: later messages and errors of this worker go nowhere.
    pub fn silence(&self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(Some(swallow_errors().unchecked_ref()));
    }

    /// Send what arrives from now on to `on` instead.
    pub fn reroute(&mut self, on: impl FnMut(Incoming<In>) + 'static) {
        let handlers = handlers(on);
        attach(&self.worker, &handlers);
        self._handlers = handlers;
    }

    /// Which worker this is of all this context started: a number no other
    /// worker here ever gets.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// End the worker now.
    pub fn terminate(&self) {
        self.silence();
        self.worker.terminate();
    }
}

thread_local! {
    /// An error handler for workers no one listens to any more.
    static SWALLOW: js_sys::Function = Closure::<dyn FnMut(web_sys::Event)>::new(|e: web_sys::Event| e.prevent_default())
        .into_js_value()
        .unchecked_into();
}

fn swallow_errors() -> js_sys::Function {
    SWALLOW.with(|f| f.clone())
}

#[cfg(test)]
mod tests {
    use super::child_number;

    #[test]
    fn workers_started_by_different_workers_never_share_a_url() {
        // The compute worker (no number of its own; a restart says how many
        // workers to hold ready, which is not a number of its own).
        assert_eq!(child_number("", 1), "1");
        assert_eq!(child_number("?workers=4", 2), "2");
        // Isolated workers 2 and 3 each start their first thread.
        assert_eq!(child_number("?worker=2", 1), "2.1");
        assert_eq!(child_number("?worker=3", 1), "3.1");
        assert_ne!(child_number("?worker=2", 1), child_number("", 1));
        assert_eq!(child_number("?worker=2.1", 4), "2.1.4");
    }
}
