//! The report pipeline's results: per run, the tutorial's figure, what its
//! schedule implies, what is expected here and what was measured (all in
//! tutorial seconds); with several runs (the whole table), a chart of the
//! article's figures against the measured ones.
use super::axis::TimeAxis;
use super::chart::run_label;
use engine::record::RunRecord;
use engine::scenarios::pipeline::{Params, PipelineResult, ReportKind};
use yew::prelude::*;

fn secs(v: Option<f64>) -> String {
    v.map(|s| format!("{s:.1} s")).unwrap_or_else(|| "—".into())
}

/// Measured against expected, as a signed percentage.
fn off_by(p: &PipelineResult) -> Option<f64> {
    (p.expected_s > 0.0).then(|| (p.measured_s - p.expected_s) / p.expected_s * 100.0)
}

/// A figure of a run's result (none for a run that stopped).
fn figure(r: &RunRecord, f: impl Fn(&PipelineResult) -> f64) -> Option<f64> {
    r.result.pipeline().map(f)
}

pub fn view(records: &[RunRecord]) -> Html {
    let first = &records[0];
    let cpu = serde_json::from_value::<Params>(first.params.clone()).is_ok_and(|p| p.report == ReportKind::Cpu);
    let result = first.result.pipeline();
    let cores = result.map_or(1, |p| p.cores);
    let stages = result.map(|p| p.stages.clone()).unwrap_or_default();
    html! {
        <>
            if records.len() == 1 {
                <p id="stages">{ "Stages: " }
                    { stages.iter().map(|s| format!("{} on {}", s.name, s.runs_on)).collect::<Vec<_>>().join("; ") }
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
                            <td>{ secs(r.result.pipeline().and_then(|p| p.article_s)) }</td>
                            <td>{ secs(figure(r, |p| p.schedule_s)) }</td>
                            <td>{ secs(figure(r, |p| p.expected_s)) }{ format!(" (start-ups {:.2} s in all)", figure(r, |p| p.startup_s).unwrap_or(0.0)) }</td>
                            <td class="measured">{ secs(figure(r, |p| p.measured_s)) }</td>
                            <td>{ r.result.pipeline().and_then(off_by).map(|p| format!("{p:+.1} %")).unwrap_or_default() }</td>
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
                        result.map_or(0.0, |p| p.cpu_work_s), result.map_or(0.0, |p| p.cpu_bound_s)) }
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
    let article = |r: &RunRecord| r.result.pipeline().and_then(|p| p.article_s).unwrap_or(0.0);
    let measured = |r: &RunRecord| figure(r, |p| p.measured_s).unwrap_or(0.0);
    let max = records.iter().map(|r| article(r).max(measured(r))).fold(0.0, f64::max);
    let axis = TimeAxis::new(max, left, plot);
    let rows = records.iter().enumerate().map(|(i, r)| {
        let y = top + row * i as f64;
        let (a, m) = (article(r), measured(r));
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
