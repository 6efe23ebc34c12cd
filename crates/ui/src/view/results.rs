use super::chart::{run_label, speedup};
use super::python::PythonCode;
use super::timeline::Timeline;
use crate::export;

use engine::record::{RunRecord, TaskSpan};
use engine::scenarios::quadrants::Quadrant;
use engine::scenarios::ScenarioResult;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    pub records: Vec<RunRecord>,
    /// A link (query string) that reproduces this batch.
    pub link: String,
    /// The reader's guess before it ran, if any: the reading answers it first.
    #[prop_or_default]
    pub guess: Option<crate::predict::Guess>,
}

fn abbreviated(s: &str) -> String {
    if s.len() > 40 {
        format!("{}…{} ({} digits)", &s[..16], &s[s.len() - 16..], s.len())
    } else {
        s.to_string()
    }
}

/// Timings per model, the article's figures, what the scenario computed,
/// the timelines, and exports.
#[function_component(Results)]
pub fn results(props: &ResultsProps) -> Html {
    let records = &props.records;
    let Some(first) = records.first() else { return html! {} };
    let article = engine::scenarios::spec(first.scenario).article;
    let on_json = {
        let records = records.clone();
        Callback::from(move |_| export::download("playground-runs.json", "application/json", &export::records_json(&records)))
    };
    let on_csv = {
        let records = records.clone();
        Callback::from(move |_| export::download("playground-phases.csv", "text/csv", &export::records_csv(&records)))
    };
    let on_svg = Callback::from(|_| {
        if let Some(svg) = export::svg_of("wall-chart") {
            export::download("playground-wall-time.svg", "image/svg+xml", &svg);
        }
    });
    html! {
        <section class="results" aria-labelledby="results-title">
            <h2 id="results-title" tabindex="-1">{ "Results" }</h2>
            <table id="timings">
                <caption>{ "Measured in this browser" }</caption>
                <thead><tr>
                    <th scope="col">{ "Model" }</th><th scope="col">{ "Wall time (ms)" }</th>
                    <th scope="col">{ "CPU time (ms)" }</th><th scope="col">{ "Speedup vs serial" }</th>
                </tr></thead>
                <tbody>
                    { for records.iter().map(|r| html! {
                        <tr data-model={r.model.id()}>
                            <th scope="row">{ run_label(r) }</th>
                            <td>{ format!("{:.1}", r.wall_ms) }</td>
                            <td>{ format!("{:.1}", r.cpu_ms) }</td>
                            <td>{ speedup(records, r).map(|s| format!("{s:.2}×")).unwrap_or_default() }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <div class="reading" id="reading">
                if let Some(verdict) = props.guess.and_then(|g| super::predict::verdict(&g, records)) {
                    <p class="verdict" id="guess-verdict">{ verdict }</p>
                }
                { for super::reading::reading(records).into_iter().map(|s| html! { <p>{ s }</p> }) }
            </div>
            if !article.is_empty() {
                <p class="article">
                    <strong>{ "What the article saw: " }</strong>
                    { article.iter().map(|a| format!("{} {} s ({})", a.model, a.seconds, a.note)).collect::<Vec<_>>().join("; ") }
                </p>
            }
            { scenario_view(records) }
            <PythonCode records={records.clone()} />
            <p class="exports result-actions">
                <button type="button" id="export-json" onclick={on_json}>{ "Export JSON" }</button>
                <button type="button" id="export-csv" onclick={on_csv}>{ "Export CSV" }</button>
                <button type="button" id="export-svg" onclick={on_svg}>{ "Save chart (SVG)" }</button>
                <a id="run-link" href={props.link.clone()}>{ "Link that reproduces this run" }</a>
            </p>
            { timelines(records) }
        </section>
    }
}

fn timelines(records: &[RunRecord]) -> Html {
    let Some(first) = records.first() else { return html! {} };
    // Quadrants' result holds four timelines of its own, one per quadrant.
    if let Some(result) = first.result.quadrants() {
        let title = |q: Quadrant| match q {
            Quadrant::Serial => "Neither concurrent nor parallel",
            Quadrant::Concurrent => "Concurrent, not parallel (threads, GIL on)",
            Quadrant::Parallel => "Parallel, not concurrent (one task split across cores)",
            Quadrant::Both => "Concurrent and parallel (threads, GIL off)",
        };
        return html! {
            <div class="quadrants" id="quadrant-timelines">
                { for Quadrant::ALL.into_iter().map(|q| {
                    let key = q.name();
                    let spans: Vec<TaskSpan> = result.timelines.get(key).cloned().unwrap_or_default();
                    let ms = result.quadrant_ms.get(key).copied().unwrap_or(0.0);
                    html! { <Timeline title={format!("{}: {ms:.0} ms", title(q))} {spans} lane_name={if q == Quadrant::Parallel { "lane" } else { "worker" }} /> }
                }) }
            </div>
        };
    }
    html! {
        <div id="timelines">
            { for records.iter().map(|r| html! {
                <Timeline title={format!("Timeline: {}", run_label(r))} spans={r.tasks.clone()} lanes={r.lanes.clone()} />
            }) }
        </div>
    }
}

fn scenario_view(records: &[RunRecord]) -> Html {
    let first = &records[0];
    let identical = records.iter().all(|r| r.result == first.result);
    let agreement = html! {
        <span class={if identical { "same" } else { "differ" }}>
            { if identical { " (identical in every model)" } else { " (models differ: see below)" } }
        </span>
    };
    match &first.result {
        ScenarioResult::Primes(primes) => {
            html! {
                <table id="items">
                    <caption>{ "Primes per limit" }{ agreement }</caption>
                    <thead><tr>
                        <th scope="col">{ "Limit n" }</th><th scope="col">{ "Primes below n" }</th>
                        <th scope="col">{ "Digits of their product" }</th><th scope="col">{ "Product" }</th>
                    </tr></thead>
                    <tbody>
                        { for primes.items.iter().map(|it| html! {
                            <tr>
                                <td>{ it.n }</td><td>{ it.count }</td><td>{ it.digits }</td>
                                <td class="digits">{ format!("{}…{}", it.first_digits, it.last_digits) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
        }
        ScenarioResult::Factorial(_) => html! {
            <table id="items" class="values">
                <caption>{ "map(factorial, range(n)): results in input order, beside the order tasks finished" }</caption>
                <thead><tr><th scope="col">{ "Model" }</th><th scope="col">{ "Results (input order)" }</th><th scope="col">{ "Finish order (task ids)" }</th></tr></thead>
                <tbody>
                    { for records.iter().map(|r| html! {
                        <tr data-model={r.model.id()}>
                            <th scope="row">{ run_label(r) }</th>
                            <td>{ r.result.factorial().map(|f| f.values.iter().map(|x| abbreviated(x)).collect::<Vec<_>>().join(", ")).unwrap_or_default() }</td>
                            <td>{ r.result.factorial().map(|f| f.finish_order.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")).unwrap_or_default() }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        },
        ScenarioResult::Sample(_) => html! {
            <>
            <table id="items">
                <caption>{ "Lists built (one per call): wall time falls with workers, CPU time does not" }</caption>
                <thead><tr>
                    <th scope="col">{ "Model" }</th><th scope="col">{ "List lengths" }</th>
                    <th scope="col">{ "Start-up (ms)" }</th><th scope="col">{ "Work (ms)" }</th><th scope="col">{ "CPU ÷ work" }</th>
                </tr></thead>
                <tbody>
                    { for records.iter().map(|r| {
                        let sample = r.result.sample();
                        let work = sample.and_then(|s| s.work_ms).unwrap_or(r.wall_ms);
                        html! {
                            <tr data-model={r.model.id()}>
                                <th scope="row">{ run_label(r) }</th>
                                <td>{ sample.map(|s| serde_json::to_string(&s.lengths).unwrap_or_default()).unwrap_or_default() }</td>
                                <td>{ format!("{:.0}", sample.map_or(0.0, |s| s.startup_ms)) }</td>
                                <td>{ format!("{work:.0}") }</td>
                                <td>{ format!("{:.2}", r.cpu_ms / work.max(1e-9)) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <p class="note">
                { "Each model runs as a whole program, as the tutorial's " }<code>{ "time python3 test.py" }</code>{ " does: in fresh \
                   isolated instances (one for serial, one per call for processes, one with a thread per call \
                   for threads), so each pays a new instance and fresh memory. Touching fresh memory is real \
                   work: a call with k = 10,000,000 copies the 20,000,000-value population (80 MB) and fills \
                   a 40 MB list, and the first touch of each page costs the system time. Start-up (the spawn \
                   segments) is shown apart from the work." }
            </p>
            </>
        },
        ScenarioResult::PoolOverhead(_) => html! {
            <table id="items">
                <caption>{ "Time per repeat (ms), pool start-up included when the pool is created per repeat" }</caption>
                <thead><tr><th scope="col">{ "Model" }</th><th scope="col">{ "Per repeat (ms)" }</th><th scope="col">{ "Average (ms)" }</th><th scope="col">{ "Pool start-up (ms)" }</th></tr></thead>
                <tbody>
                    { for records.iter().map(|r| {
                        let overhead = r.result.pool_overhead();
                        let per: Vec<f64> = overhead.map(|o| o.per_repeat_ms.clone()).unwrap_or_default();
                        let avg = per.iter().sum::<f64>() / per.len().max(1) as f64;
                        html! {
                            <tr data-model={r.model.id()}>
                                <th scope="row">{ run_label(r) }</th>
                                <td>{ per.iter().map(|v| format!("{v:.1}")).collect::<Vec<_>>().join(", ") }</td>
                                <td>{ format!("{avg:.1}") }</td>
                                <td>{ format!("{:.1}", overhead.map_or(0.0, |o| o.pool_start_ms)) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        },
        ScenarioResult::SharedState(_) => html! {
            <table id="items">
                <caption>{ "What the parent sees after the run" }</caption>
                <thead><tr>
                    <th scope="col">{ "Model" }</th><th scope="col">{ "Parent's list" }</th><th scope="col">{ "Expected" }</th>
                    <th scope="col">{ "No lock" }</th><th scope="col">{ "Atomic" }</th><th scope="col">{ "Mutex" }</th>
                </tr></thead>
                <tbody>
                    { for records.iter().filter_map(|r| r.result.shared_state().map(|s| (r, s))).map(|(r, s)| {
                        let c = &s.counters;
                        let lost = c.expected - c.unlocked as i64;
                        html! {
                            <tr data-model={r.model.id()}>
                                <th scope="row">{ run_label(r) }</th>
                                <td>{ format!("{} items: [{}]", s.list.len(), s.list.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")) }</td>
                                <td>{ c.expected }</td>
                                <td>{ c.unlocked }{ if lost > 0 && r.model != engine::model::Model::Processes { format!(" ({lost} lost)") } else { String::new() } }</td>
                                <td>{ c.atomic }</td>
                                <td>{ c.mutex }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        },
        ScenarioResult::Downloads(downloads) => {
            let files = &downloads.files;
            let total: u64 = files.iter().filter_map(|f| f.bytes).sum();
            html! {
                <table id="items" class="values">
                    <caption>{ format!("{} downloads, {} bytes in all", files.len(), total) }{ agreement }</caption>
                    <thead><tr><th scope="col">{ "URL" }</th><th scope="col">{ "Bytes" }</th><th scope="col">{ "CRC-32" }</th></tr></thead>
                    <tbody>
                        { for files.iter().map(|f| {
                            let failed = f.error.is_some();
                                html! {
                                <tr class={if failed { "failed" } else { "" }}>
                                    <td>{ f.url.clone() }</td>
                                    if let Some(error) = &f.error {
                                        <td colspan="2" role="alert">{ format!("failed: {error}") }</td>
                                    } else {
                                        <td>{ f.bytes.unwrap_or(0) }</td><td>{ f.checksum.clone().unwrap_or_default() }</td>
                                    }
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            }
        }
        ScenarioResult::Quadrants(quadrants) => html! {
            <p id="items">{ "Wall time per quadrant: " }
                { Quadrant::ALL.map(|q| format!("{} {:.0} ms", q.name(), quadrants.quadrant_ms.get(q.name()).copied().unwrap_or(0.0))).join(" · ") }
            </p>
        },
        ScenarioResult::Pipeline(_) => super::pipeline::view(records),
        ScenarioResult::WordCount(_) => super::wordcount::view(records),
        ScenarioResult::None => html! {},
    }
}
