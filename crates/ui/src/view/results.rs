use super::chart::{run_label, speedup};
use engine::catalog;
use engine::record::RunRecord;
use serde_json::Value;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    pub records: Vec<RunRecord>,
    /// A link (query string) that reproduces this batch.
    pub link: String,
}

fn text(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

fn download_json(records: &[RunRecord]) {
    let json = serde_json::to_string_pretty(records).unwrap_or_default();
    let parts = js_sys::Array::of1(&json.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let document = gloo::utils::document();
    if let Ok(a) = document.create_element("a") {
        let a: web_sys::HtmlAnchorElement = wasm_bindgen::JsCast::unchecked_into(a);
        a.set_href(&url);
        a.set_download("playground-runs.json");
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Timings per model, the scenario's results, and the article's figures.
#[function_component(Results)]
pub fn results(props: &ResultsProps) -> Html {
    let records = &props.records;
    let Some(first) = records.first() else { return html! {} };
    let items = first.result.get("items").and_then(Value::as_array).cloned().unwrap_or_default();
    let identical = records.iter().all(|r| r.result == first.result);
    let article = catalog::scenario(&first.scenario).map(|s| s.article).unwrap_or_default();
    let export = {
        let records = records.clone();
        Callback::from(move |_| download_json(&records))
    };
    html! {
        <section class="results" aria-labelledby="results-title">
            <h2 id="results-title">{ "Results" }</h2>
            <table id="timings">
                <caption>{ "Measured in this browser" }</caption>
                <thead><tr>
                    <th scope="col">{ "Model" }</th><th scope="col">{ "Wall time (ms)" }</th>
                    <th scope="col">{ "CPU time (ms)" }</th><th scope="col">{ "Speedup vs serial" }</th>
                </tr></thead>
                <tbody>
                    { for records.iter().map(|r| html! {
                        <tr data-model={r.model.clone()}>
                            <th scope="row">{ run_label(r) }</th>
                            <td>{ format!("{:.1}", r.wall_ms) }</td>
                            <td>{ format!("{:.1}", r.cpu_ms) }</td>
                            <td>{ speedup(records, r).map(|s| format!("{s:.2}×")).unwrap_or_default() }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if !article.is_empty() {
                <p class="article">
                    <strong>{ "What the article saw: " }</strong>
                    { article.iter().map(|a| format!("{} {:.1} s ({})", a.model, a.seconds, a.note)).collect::<Vec<_>>().join("; ") }
                </p>
            }
            <table id="items">
                <caption>
                    { "Primes per limit " }
                    <span class={if identical { "same" } else { "differ" }}>
                        { if identical { "(identical in every model)" } else { "(models disagree!)" } }
                    </span>
                </caption>
                <thead><tr>
                    <th scope="col">{ "Limit n" }</th><th scope="col">{ "Primes below n" }</th>
                    <th scope="col">{ "Digits of their product" }</th><th scope="col">{ "Product" }</th>
                </tr></thead>
                <tbody>
                    { for items.iter().map(|it| html! {
                        <tr>
                            <td>{ text(it, "n") }</td><td>{ text(it, "count") }</td><td>{ text(it, "digits") }</td>
                            <td class="digits">{ format!("{}…{}", text(it, "first_digits"), text(it, "last_digits")) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <p class="result-actions">
                <button type="button" id="export-json" onclick={export}>{ "Export JSON" }</button>
                <a id="run-link" href={props.link.clone()}>{ "Link that reproduces this run" }</a>
            </p>
        </section>
    }
}
