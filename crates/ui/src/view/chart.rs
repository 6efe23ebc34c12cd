use super::axis::TimeAxis;
use engine::model::Model;
use engine::record::{Gil, RunRecord};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChartProps {
    pub records: Vec<RunRecord>,
}

/// A short name for one run: model, workers, GIL.
pub fn run_label(r: &RunRecord) -> String {
    run_label_of(r.model, r.workers, r.gil, &r.params)
}

/// The same from a run's parts (history entries keep no whole record).
pub fn run_label_of(model: Model, workers: u32, gil: Gil, params: &serde_json::Value) -> String {
    match model {
        Model::Serial => "serial".into(),
        Model::Threads => format!("threads ×{workers} (GIL {gil})"),
        Model::PerTask => format!("a thread per task ×{workers} (GIL {gil})"),
        Model::Batches => format!("batches of {workers} threads (GIL {gil})"),
        Model::Async => format!("async, {workers} in flight"),
        Model::Pipeline => match params["variant"].as_i64() {
            Some(v) if v >= 4 => match params["cpucount"].as_i64() {
                Some(1) => format!("variant {v}, 1 worker"),
                c => format!("variant {v}, {} workers", c.unwrap_or(0)),
            },
            v => format!("variant {}", v.unwrap_or(0)),
        },
        Model::Dataflow => format!("{} processes × {} threads", params["procs"], params["threads_per_proc"]),
        other => format!("{other} ×{workers}"),
    }
}

/// Speedup of `r` against the serial run of the same batch, if there is one.
pub fn speedup(records: &[RunRecord], r: &RunRecord) -> Option<f64> {
    let serial = records.iter().find(|x| x.model.is_serial())?;
    (r.wall_ms > 0.0).then(|| serial.wall_ms / r.wall_ms)
}

/// Wall time per run, with CPU time beside it and the speedup written on it.
#[function_component(WallTimeChart)]
pub fn wall_time_chart(props: &ChartProps) -> Html {
    let records = &props.records;
    let (left, right, top, row, bar) = (190.0, 200.0, 34.0, 46.0, 16.0);
    let width = 760.0;
    let plot = width - left - right;
    let height = top + row * records.len() as f64 + 40.0;
    let max = records.iter().map(|r| r.wall_ms.max(r.cpu_ms)).fold(0.0, f64::max);
    let axis = TimeAxis::new(max, left, plot);
    let x = |ms: f64| axis.x(ms);
    let rows = records.iter().enumerate().map(|(i, r)| {
        let y = top + row * i as f64;
        let gain = match speedup(records, r) {
            Some(_) if r.model.is_serial() => "baseline".to_string(),
            Some(s) => format!("{s:.2}× vs serial"),
            None => String::new(),
        };
        html! {
            <g class="row" data-model={r.model.id()}>
                <text class="label" x={(left - 10.0).to_string()} y={(y + bar * 0.8).to_string()} text-anchor="end">{ run_label(r) }</text>
                <rect class="wall" x={left.to_string()} y={y.to_string()} width={(x(r.wall_ms) - left).max(1.0).to_string()} height={bar.to_string()}>
                    <title>{ format!("{}: wall time {:.1} ms", run_label(r), r.wall_ms) }</title>
                </rect>
                <rect class="cpu" x={left.to_string()} y={(y + bar + 3.0).to_string()} width={(x(r.cpu_ms) - left).max(1.0).to_string()} height={(bar / 2.0).to_string()}>
                    <title>{ format!("{}: CPU time {:.1} ms", run_label(r), r.cpu_ms) }</title>
                </rect>
                <text class="value" x={(x(r.wall_ms) + 6.0).to_string()} y={(y + bar * 0.8).to_string()}>
                    { format!("{:.0} ms  {gain}", r.wall_ms) }
                </text>
            </g>
        }
    });
    html! {
        <figure class="chart" id="wall-chart">
            <figcaption>
                <strong>{ "Wall time per model" }</strong>
                <span class="legend">
                    <span class="swatch wall"></span>{ "wall time" }
                    <span class="swatch cpu"></span>{ "CPU time (busy time summed over workers)" }
                </span>
            </figcaption>
            <svg viewBox={format!("0 0 {width} {height}")} role="img"
                aria-label="Bar chart of wall time in milliseconds per execution model">
                { axis.draw(top - 6.0, height - 34.0, height - 18.0, height - 2.0, "time (ms)") }
                { for rows }
            </svg>
        </figure>
    }
}
