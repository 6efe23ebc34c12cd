//! Word-count results: the counts (identical in every layout, or not) and
//! what the exchange moved.
use super::chart::run_label;
use engine::record::RunRecord;
use yew::prelude::*;

pub fn view(records: &[RunRecord]) -> Html {
    let first = &records[0];
    let counts = |r: &RunRecord| r.result.wordcount().map(|w| (w.total_words, w.distinct_words, w.top.clone()));
    let same = records.iter().all(|r| counts(r) == counts(first));
    let top: Vec<String> =
        first.result.wordcount().map(|w| w.top.iter().map(|(word, n)| format!("{word} {n}")).collect()).unwrap_or_default();
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
                    { for records.iter().filter_map(|r| r.result.wordcount().map(|w| (r, w))).map(|(r, w)| html! {
                        <tr data-model={r.model.id()}>
                            <th scope="row">{ run_label(r) }</th>
                            <td>{ w.total_words }</td>
                            <td>{ w.distinct_words }</td>
                            <td>{ w.input_bytes }</td>
                            <td>{ w.exchanged_bytes }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <p id="top-words"><strong>{ "Most frequent: " }</strong>{ top.join(", ") }</p>
        </>
    }
}
