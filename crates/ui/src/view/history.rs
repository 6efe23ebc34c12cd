//! Run history: every run in a list (newest first); tick two to see them
//! side by side; export as JSON or CSV; Clear empties it.
use super::chart::run_label_of;
use crate::export;
use crate::history::{self, HistoryEntry};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HistoryProps {
    pub entries: Vec<HistoryEntry>,
    pub on_clear: Callback<()>,
}

fn when(at_ms: f64) -> String {
    let d = js_sys::Date::new(&at_ms.into());
    format!("{:02}:{:02}:{:02}", d.get_hours(), d.get_minutes(), d.get_seconds())
}

fn speedup_text(e: &HistoryEntry) -> String {
    e.speedup.map(|s| format!("{s:.2}×")).unwrap_or_else(|| "—".into())
}

#[function_component(History)]
pub fn history_view(props: &HistoryProps) -> Html {
    // Entries chosen for comparison, by index; at most two, the latest kept.
    let chosen = use_state(Vec::<usize>::new);
    let entries = &props.entries;
    let chosen_now: Vec<usize> = chosen.iter().copied().filter(|&i| i < entries.len()).collect();
    let rows = entries.iter().enumerate().rev().map(|(i, e)| {
        let is_chosen = chosen_now.contains(&i);
        let chosen = chosen.clone();
        let onchange = Callback::from(move |_: Event| {
            let mut next: Vec<usize> = (*chosen).clone();
            if let Some(at) = next.iter().position(|&x| x == i) {
                next.remove(at);
            } else {
                next.push(i);
                if next.len() > 2 {
                    next.remove(0);
                }
            }
            chosen.set(next);
        });
        let label = run_label_of(e.model, e.workers, e.gil, &e.params);
        html! {
            <tr data-model={e.model.id()}>
                <td><input type="checkbox" checked={is_chosen} {onchange} aria-label={format!("Compare run {} ({label})", i + 1)} /></td>
                <td>{ when(e.at_ms) }</td>
                <td>{ e.scenario.as_str() }</td>
                <td class="params">{ e.params_text() }</td>
                <th scope="row">
                    { label }
                    if let Some(ran_on) = &e.ran_on {
                        <span class="ran-on">{ format!(" · on {ran_on}") }</span>
                    }
                </th>
                <td>{ format!("{:.1}", e.wall_ms) }</td>
                <td>{ speedup_text(e) }</td>
            </tr>
        }
    });
    let on_json = {
        let entries = entries.clone();
        Callback::from(move |_| export::download("playground-history.json", "application/json", &history::to_json(&entries)))
    };
    let on_csv = {
        let entries = entries.clone();
        Callback::from(move |_| export::download("playground-history.csv", "text/csv", &history::to_csv(&entries)))
    };
    let on_clear = {
        let (on_clear, chosen) = (props.on_clear.clone(), chosen.clone());
        Callback::from(move |_| {
            chosen.set(Vec::new());
            on_clear.emit(());
        })
    };
    html! {
        <section class="history" aria-labelledby="history-title">
            <h2 id="history-title">{ format!("Run history ({})", entries.len()) }</h2>
            if entries.is_empty() {
                <p class="muted">{ "Runs appear here as they finish; they stay in this browser only." }</p>
            } else {
                <p class="muted">{ "Kept in this browser only. Tick two runs to compare them side by side." }</p>
                if chosen_now.len() == 2 {
                    { compare(&entries[chosen_now[0]], &entries[chosen_now[1]]) }
                }
                <div class="scroll">
                <table id="history-table">
                    <caption class="visually-hidden">{ "Every run, newest first" }</caption>
                    <thead><tr>
                        <th scope="col">{ "Compare" }</th><th scope="col">{ "Time" }</th><th scope="col">{ "Scenario" }</th>
                        <th scope="col">{ "Parameters" }</th><th scope="col">{ "Model" }</th>
                        <th scope="col">{ "Wall (ms)" }</th><th scope="col">{ "Speedup" }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
                </div>
            }
            <p class="result-actions">
                <button type="button" id="history-json" onclick={on_json} disabled={entries.is_empty()}>{ "Export history (JSON)" }</button>
                <button type="button" id="history-csv" onclick={on_csv} disabled={entries.is_empty()}>{ "Export history (CSV)" }</button>
                <button type="button" id="history-clear" onclick={on_clear} disabled={entries.is_empty()}>{ "Clear" }</button>
            </p>
        </section>
    }
}

/// Two runs side by side, with how the second compares with the first.
fn compare(a: &HistoryEntry, b: &HistoryEntry) -> Html {
    let column = |e: &HistoryEntry| {
        html! {
            <dl class="compare-run">
                <dt>{ "Run" }</dt><dd>{ format!("{} at {}", run_label_of(e.model, e.workers, e.gil, &e.params), when(e.at_ms)) }</dd>
                <dt>{ "Where" }</dt><dd>{ e.ran_on.clone().unwrap_or_else(|| "this browser".into()) }</dd>
                <dt>{ "Scenario" }</dt><dd>{ e.scenario.as_str() }</dd>
                <dt>{ "Parameters" }</dt><dd class="params">{ e.params_text() }</dd>
                <dt>{ "Wall time" }</dt><dd>{ format!("{:.1} ms", e.wall_ms) }</dd>
                <dt>{ "CPU time" }</dt><dd>{ format!("{:.1} ms", e.cpu_ms) }</dd>
                <dt>{ "Speedup vs serial" }</dt><dd>{ speedup_text(e) }</dd>
            </dl>
        }
    };
    let ratio = if b.wall_ms > 0.0 { a.wall_ms / b.wall_ms } else { 0.0 };
    html! {
        <div class="compare" id="history-compare" role="region" aria-label="Two runs side by side">
            { column(a) }
            { column(b) }
            <p class="compare-summary">{ format!("The second took {:.2}× the wall time of the first ({ratio:.2}× as fast).", b.wall_ms / a.wall_ms.max(1e-9)) }</p>
        </div>
    }
}
