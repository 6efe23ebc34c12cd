//! "Add a run from your machine": a record made by `python3 <program>
//! --json`, from a file (picked or dropped anywhere on the page) or pasted.
//! A good one joins the history and the compare view; a bad one is refused
//! with one message naming the first thing wrong, and changes nothing.
use crate::history::HistoryEntry;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DragEvent, File, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// What the last attempt came to.
#[derive(Clone, PartialEq)]
enum Outcome {
    Added(String),
    Refused(String),
}

async fn text_of(file: File) -> Result<String, String> {
    engine::import::size_check(file.size())?;
    let text = JsFuture::from(file.text()).await.map_err(|_| format!("{} could not be read.", file.name()))?;
    Ok(text.as_string().unwrap_or_default())
}

fn added(entry: &HistoryEntry) -> String {
    let label = super::chart::run_label_of(entry.model, entry.workers, entry.gil, &entry.params);
    format!("Added {} of {} from {} to the run history.", label, entry.scenario, entry.ran_on.clone().unwrap_or_else(|| "elsewhere".into()))
}

/// Check `text` as a record and add it, reporting to `outcome`.
fn add(text: Result<String, String>, outcome: UseStateHandle<Option<Outcome>>) {
    wasm_bindgen_futures::spawn_local(async move {
        let result = match text {
            Ok(text) => crate::add_run::add_text(&text).await,
            Err(e) => Err(e),
        };
        outcome.set(Some(match result {
            Ok(entry) => Outcome::Added(added(&entry)),
            Err(message) => Outcome::Refused(message),
        }));
    });
}

fn add_file(file: File, outcome: UseStateHandle<Option<Outcome>>) {
    wasm_bindgen_futures::spawn_local(async move { add(text_of(file).await, outcome) });
}

#[function_component(AddRun)]
pub fn add_run() -> Html {
    let outcome = use_state(|| None::<Outcome>);
    let pasted = use_node_ref();

    // A file dropped anywhere on the page is taken as a record.
    {
        let outcome = outcome.clone();
        use_effect_with((), move |_| {
            let document = gloo::utils::document();
            let over = gloo::events::EventListener::new_with_options(
                &document,
                "dragover",
                gloo::events::EventListenerOptions::enable_prevent_default(),
                |e| e.prevent_default(),
            );
            let on_drop = gloo::events::EventListener::new_with_options(
                &document,
                "drop",
                gloo::events::EventListenerOptions::enable_prevent_default(),
                move |e| {
                    let Some(e) = e.dyn_ref::<DragEvent>() else { return };
                    let Some(data) = e.data_transfer() else { return };
                    e.prevent_default();
                    match data.files().and_then(|f| f.get(0)) {
                        Some(file) => add_file(file, outcome.clone()),
                        None => add(data.get_data("text/plain").map_err(|_| "Nothing to add was dropped.".to_string()), outcome.clone()),
                    }
                },
            );
            move || drop((over, on_drop))
        });
    }

    let on_file = {
        let outcome = outcome.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                add_file(file, outcome.clone());
            }
            // The same file may be picked again after it is changed.
            input.set_value("");
        })
    };
    let on_paste = {
        let (outcome, pasted) = (outcome.clone(), pasted.clone());
        Callback::from(move |_| {
            let Some(area) = pasted.cast::<HtmlTextAreaElement>() else { return };
            add(Ok(area.value()), outcome.clone());
        })
    };
    html! {
        <section class="add-run" aria-labelledby="add-run-title">
            <h2 id="add-run-title">{ "Add a run from your machine" }</h2>
            <p class="muted">
                { "Download a program from the Python tab, run it with " }<code>{ "python3 <program> --json" }</code>
                { " and add what it prints: pick the file, drop it anywhere on the page, or paste it below." }
            </p>
            <p>
                <label for="add-run-file">{ "Record file " }</label>
                <input type="file" id="add-run-file" accept=".json,application/json,text/plain" onchange={on_file} />
            </p>
            <p class="paste">
                <label for="add-run-text">{ "Or paste it " }</label>
                <textarea id="add-run-text" ref={pasted} rows="3" spellcheck="false" placeholder="{\"scenario\": …}" />
                <button type="button" id="add-run-paste" onclick={on_paste}>{ "Add pasted run" }</button>
            </p>
            <div id="add-run-outcome">
                { match &*outcome {
                    Some(Outcome::Added(text)) => html! { <p class="notice" role="status">{ text }</p> },
                    Some(Outcome::Refused(text)) => html! { <p class="error" role="alert">{ text }</p> },
                    None => html! {},
                } }
            </div>
        </section>
    }
}
