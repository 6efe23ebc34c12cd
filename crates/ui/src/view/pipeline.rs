//! The report pipeline's results: per run, the tutorial's figure, what its
//! schedule implies, what is expected here and what was measured (all in
//! tutorial seconds); with several runs (the whole table), a chart of the
//! article's figures against the measured ones.
use super::axis::TimeAxis;
use super::chart::run_label;
use engine::record::RunRecord;
use serde_json::Value;
use yew::prelude::*;

fn secs(v: &Value) -> String {
    v.as_f64().map(|s| format!("{s:.1} s")).unwrap_or_else(|| "—".into())
}

/// Measured against expected, as a signed percentage.
fn off_by(r: &RunRecord) -> Option<f64> {
    let (m, e) = (r.result["measured_s"].as_f64()?, r.result["expected_s"].as_f64()?);
    (e > 0.0).then(|| (m - e) / e * 100.0)
}

pub fn view(records: &[RunRecord]) -> Html {
    let first = &records[0];
    let cpu = first.params["report"] == "cpu";
    let cores = first.result["cores"].as_u64().unwrap_or(1);
    let stages = first.result["stages"].as_array().cloned().unwrap_or_default();
    html! {
        <>
            if records.len() == 1 {
                <p id="stages">{ "Stages: " }
                    { stages.iter().map(|s| format!("{} on {}", s["name"].as_str().unwrap_or(""), s["runs_on"].as_str().unwrap_or(""))).collect::<Vec<_>>().join("; ") }
                </p>
            }
            <table id="items">
                <caption>{ format!("Totals in tutorial seconds (1 s = {} ms here)", first.params["scale_ms"]) }</caption>
                <thead><tr>
                    <th scope="col">{ "Run" }</th><th scope="col">{ "Article" }</th>
                    <th scope="col" title="The stage durations through this variant's schedule">{ "Schedule" }</th>
                    <th scope="col" title="The schedule plus this run's measured pool and thread start-ups">{ "Expected here" }</th>
                    <th scope="col">{ "Measured" }</th><th scope="col">{ "Measured vs expected" }</th>
                </tr></thead>
                <tbody>
                    { for records.iter().map(|r| html! {
                        <tr data-variant={r.params["variant"].to_string()} data-cpucount={r.params["cpucount"].to_string()}>
                            <th scope="row">{ run_label(r) }</th>
                            <td>{ secs(&r.result["article_s"]) }</td>
                            <td>{ secs(&r.result["schedule_s"]) }</td>
                            <td>{ secs(&r.result["expected_s"]) }{ format!(" (start-ups {:.2} s in all)", r.result["startup_s"].as_f64().unwrap_or(0.0)) }</td>
                            <td class="measured">{ secs(&r.result["measured_s"]) }</td>
                            <td>{ off_by(r).map(|p| format!("{p:+.1} %")).unwrap_or_default() }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <p class="note" id="pipeline-note">
                if cpu {
                    { format!("Reports are real CPU work here, calibrated to their tutorial length on this machine: \
                        {:.0} s of it in all. This machine has {cores} cores, so no number of report workers can \
                        finish before {:.1} s (each endpoint's reports, once imported, shared by {cores} cores): gains \
                        stop at {cores} workers. The expected column lets at most {cores} reports run at once.",
                        first.result["cpu_work_s"].as_f64().unwrap_or(0.0), first.result["cpu_bound_s"].as_f64().unwrap_or(0.0)) }
                } else {
                    { "Reports are timed waits, as in the tutorial: waits overlap without using cores, so larger \
                       pools keep helping until the schedule itself is the limit." }
                }
            </p>
            if records.len() > 1 { { table_chart(records) } }
        </>
    }
}

/// One pair of bars per run: the article's total and the measured one.
fn table_chart(records: &[RunRecord]) -> Html {
    let (left, right, top, row, bar) = (150.0, 80.0, 30.0, 30.0, 11.0);
    let width = 760.0;
    let plot = width - left - right;
    let height = top + row * records.len() as f64 + 40.0;
    let value = |r: &RunRecord, k: &str| r.result[k].as_f64().unwrap_or(0.0);
    let max = records.iter().map(|r| value(r, "article_s").max(value(r, "measured_s"))).fold(0.0, f64::max);
    let axis = TimeAxis::new(max, left, plot);
    let rows = records.iter().enumerate().map(|(i, r)| {
        let y = top + row * i as f64;
        let (a, m) = (value(r, "article_s"), value(r, "measured_s"));
        html! {
            <g class="row">
                <text class="label" x={(left - 8.0).to_string()} y={(y + bar * 1.4).to_string()} text-anchor="end">{ run_label(r) }</text>
                <rect class="article" x={left.to_string()} y={y.to_string()} width={(axis.x(a) - left).max(1.0).to_string()} height={bar.to_string()}>
                    <title>{ format!("{}: article {a:.1} s", run_label(r)) }</title>
                </rect>
                <rect class="wall" x={left.to_string()} y={(y + bar + 1.0).to_string()} width={(axis.x(m) - left).max(1.0).to_string()} height={bar.to_string()}>
                    <title>{ format!("{}: measured {m:.1} s", run_label(r)) }</title>
                </rect>
                <text class="value" x={(axis.x(a.max(m)) + 6.0).to_string()} y={(y + bar * 1.4).to_string()}>{ format!("{a:.1} / {m:.1} s") }</text>
            </g>
        }
    });
    html! {
        <figure class="chart" id="table-chart">
            <figcaption>
                <strong>{ "The whole table: article vs measured (tutorial seconds)" }</strong>
                <span class="legend">
                    <span class="swatch article"></span>{ "article" }
                    <span class="swatch wall"></span>{ "measured here" }
                </span>
            </figcaption>
            <svg viewBox={format!("0 0 {width} {height}")} role="img" aria-label="Bar chart of total time per variant, article against measured, in tutorial seconds">
                { axis.draw(top - 6.0, height - 34.0, height - 18.0, height - 2.0, "total (tutorial seconds)") }
                { for rows }
            </svg>
        </figure>
    }
}
