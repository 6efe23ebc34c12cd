//! How a run made elsewhere reaches the page's state: the file picker, a
//! drop, a paste (`view::import`), `window.playground.addRun` and the
//! embed's `playground:add-run` all come this one way.
use crate::history::HistoryEntry;
use crate::state::{Action, State};
use engine::record::RunRecord;
use futures_channel::oneshot;
use std::cell::RefCell;
use yew::UseReducerDispatcher;

thread_local! {
    /// The page's state, once the app has started (the API may be called
    /// before: `add` waits for it).
    static STATE: RefCell<Option<UseReducerDispatcher<State>>> = const { RefCell::new(None) };
}

/// Called by the app once it has its state.
pub fn connect(dispatcher: UseReducerDispatcher<State>) {
    STATE.with(|s| *s.borrow_mut() = Some(dispatcher));
}

/// Check `value` as a run record and, if it is one, add it to the history
/// and the compare view; resolves to the stored history entry. Refused, it
/// changes nothing and says what is wrong.
pub async fn add(value: serde_json::Value) -> Result<HistoryEntry, String> {
    let record = engine::import::from_value(value)?;
    add_record(record).await
}

/// As `add`, from the text of a file or a paste.
pub async fn add_text(text: &str) -> Result<HistoryEntry, String> {
    let record = engine::import::from_text(text)?;
    add_record(record).await
}

async fn add_record(record: RunRecord) -> Result<HistoryEntry, String> {
    let dispatcher = loop {
        if let Some(d) = STATE.with(|s| s.borrow().clone()) {
            break d;
        }
        gloo::timers::future::TimeoutFuture::new(20).await;
    };
    let (reply, entry) = oneshot::channel();
    dispatcher.dispatch(Action::AddRun { record, reply });
    entry.await.map_err(|_| "The page closed before the run was added.".to_string())
}
