//! Word-count results: the counts (identical in every layout, or not) and
//! what the exchange moved.
use super::chart::run_label;
use engine::record::RunRecord;
use yew::prelude::*;

pub fn view(records: &[RunRecord]) -> Html {
    let first = &records[0];
    let same = records.iter().all(|r| {
        r.result["total_words"] == first.result["total_words"]
            && r.result["distinct_words"] == first.result["distinct_words"]
            && r.result["top"] == first.result["top"]
    });
    let top: Vec<String> = first.result["top"]
        .as_array()
        .map(|t| t.iter().map(|p| format!("{} {}", p[0].as_str().unwrap_or(""), p[1])).collect())
        .unwrap_or_default();
    html! {
        <>
            <table id="items">
                <caption>
                    { "Counts per layout" }
                    <span class={if same { "same" } else { "differ" }}>
                        { if same { " (identical in every layout)" } else { " (layouts differ!)" } }
                    </span>
                </caption>
                <thead><tr>
                    <th scope="col">{ "Layout" }</th><th scope="col">{ "Words" }</th><th scope="col">{ "Distinct" }</th>
                    <th scope="col">{ "Input (bytes)" }</th><th scope="col">{ "Exchanged (≈ bytes)" }</th>
                </tr></thead>
                <tbody>
                    { for records.iter().map(|r| html! {
                        <tr data-model={r.model.id()}>
                            <th scope="row">{ run_label(r) }</th>
                            <td>{ r.result["total_words"].to_string() }</td>
                            <td>{ r.result["distinct_words"].to_string() }</td>
                            <td>{ r.result["input_bytes"].to_string() }</td>
                            <td>{ r.result["exchanged_bytes"].to_string() }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <p id="top-words"><strong>{ "Most frequent: " }</strong>{ top.join(", ") }</p>
        </>
    }
}
