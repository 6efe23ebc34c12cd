use engine::amdahl::{fit_serial_fraction, speedup as amdahl};
use engine::record::RunRecord;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SweepProps {
    /// One record per worker count, 1..=max, same model.
    pub records: Vec<RunRecord>,
}

/// (pool size, speedup against the pool of 1) for each record, in sweep order.
pub fn points(records: &[RunRecord]) -> Vec<(f64, f64)> {
    let Some(base) = records.first() else { return Vec::new() };
    records.iter().enumerate().map(|(i, r)| ((i + 1) as f64, base.wall_ms / r.wall_ms.max(1e-9))).collect()
}

/// Speedup against workers: measured, ideal, and Amdahl's law fitted.
#[function_component(SweepChart)]
pub fn sweep_chart(props: &SweepProps) -> Html {
    let pts = points(&props.records);
    let Some(first) = props.records.first() else { return html! {} };
    if pts.len() < 2 {
        return html! {};
    }
    let f = fit_serial_fraction(&pts);
    let max_n = pts.iter().map(|p| p.0).fold(1.0, f64::max);
    let best = pts.iter().cloned().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap_or((1.0, 1.0));
    let y_max = max_n.max(best.1).ceil();
    let (left, right, top, bottom, width, height) = (56.0, 20.0, 16.0, 48.0, 640.0, 320.0);
    let x = |n: f64| left + (width - left - right) * (n - 1.0) / (max_n - 1.0).max(1.0);
    let y = |s: f64| height - bottom - (height - top - bottom) * s / y_max;
    let path = |pts: &[(f64, f64)]| {
        pts.iter().enumerate().map(|(i, &(n, s))| format!("{}{:.1},{:.1}", if i == 0 { "M" } else { "L" }, x(n), y(s))).collect::<String>()
    };
    let fine: Vec<(f64, f64)> = (0..=60).map(|i| 1.0 + (max_n - 1.0) * i as f64 / 60.0).map(|n| (n, amdahl(f, n))).collect();
    let ideal = [(1.0, 1.0), (max_n, max_n)];
    html! {
        <figure class="chart" id="sweep-chart">
            <figcaption>
                <strong>{ format!("Speedup sweep: {} from 1 to {} workers", first.model, max_n) }</strong>
                <span class="legend">
                    <span class="swatch wall"></span>{ "measured" }
                    <span class="swatch lock-wait"></span>{ "Amdahl fit" }
                    <span class="swatch sleep"></span>{ "ideal" }
                </span>
            </figcaption>
            <svg viewBox={format!("0 0 {width} {height}")} role="img"
                aria-label="Line chart of speedup against number of workers, with the ideal line and an Amdahl's-law fit">
                { for (0..=(y_max as usize)).map(|s| html! {
                    <g class="tick">
                        <line x1={left.to_string()} x2={(width - right).to_string()} y1={y(s as f64).to_string()} y2={y(s as f64).to_string()} />
                        <text x={(left - 8.0).to_string()} y={(y(s as f64) + 4.0).to_string()} text-anchor="end">{ s }</text>
                    </g>
                }) }
                { for pts.iter().map(|&(n, _)| html! {
                    <text class="tick" x={x(n).to_string()} y={(height - bottom + 18.0).to_string()} text-anchor="middle">{ n }</text>
                }) }
                <path class="ideal" d={path(&ideal)} />
                <path class="fit" d={path(&fine)} />
                <path class="measured" d={path(&pts)} />
                { for pts.iter().map(|&(n, s)| html! {
                    <circle class="measured-point" cx={x(n).to_string()} cy={y(s).to_string()} r="4">
                        <title>{ format!("{n} workers: {s:.2}×") }</title>
                    </circle>
                }) }
                <text class="axis-title" x={((left + width - right) / 2.0).to_string()} y={(height - 8.0).to_string()} text-anchor="middle">{ "workers" }</text>
                <text class="axis-title" transform={format!("translate(14 {}) rotate(-90)", (top + height - bottom) / 2.0)} text-anchor="middle">
                    { "speedup (× vs 1 worker)" }
                </text>
            </svg>
            <p id="sweep-summary">
                { format!(
                    "Fitted serial fraction f = {f:.3} (Amdahl: at most {:.1}× with unlimited workers). Best measured: {:.2}× with {} workers{}.",
                    if f > 0.0 { 1.0 / f } else { f64::INFINITY },
                    best.1,
                    best.0,
                    if (best.0 as u32) < max_n as u32 { "; more workers did not help" } else { "" }
                ) }
            </p>
        </figure>
    }
}
