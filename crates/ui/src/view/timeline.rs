use super::axis::TimeAxis;
use engine::record::{PhaseKind, TaskSpan};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub title: String,
    pub spans: Vec<TaskSpan>,
    /// Name of a lane, from its worker number.
    #[prop_or(AttrValue::Static("worker"))]
    pub lane_name: AttrValue,
    /// Lane names by worker number, where the run gave them.
    #[prop_or_default]
    pub lanes: Vec<String>,
    /// The axis's end where timelines share one (else this run's end).
    #[prop_or_default]
    pub axis_ms: Option<f64>,
}

/// A Gantt chart of a run: one lane per worker, one bar per task, coloured by
/// phase, on one time axis in ms. Bars are focusable; their details show on
/// hover and focus.
#[function_component(Timeline)]
pub fn timeline(props: &TimelineProps) -> Html {
    let mut lanes: Vec<u32> = props.spans.iter().map(|s| s.worker).collect();
    lanes.sort_unstable();
    lanes.dedup();
    let name = |w: u32| props.lanes.get(w as usize).cloned().unwrap_or_else(|| format!("{} {}", props.lane_name, w + 1));
    let longest = lanes.iter().map(|&w| name(w).chars().count()).max().unwrap_or(8) as f64;
    let (left, right, top, lane_h, bar_h) = ((longest * 6.6 + 16.0).max(96.0), 20.0, 10.0, 26.0, 18.0);
    let width = 760.0;
    let plot = width - left - right;
    let end = props.axis_ms.unwrap_or_else(|| props.spans.iter().map(|s| s.end_ms).fold(0.0, f64::max));
    let axis = TimeAxis::new(end, left, plot);
    let x = |ms: f64| axis.x(ms);
    let height = top + lane_h * lanes.len() as f64 + 34.0;
    let lane_y = |w: u32| top + lane_h * lanes.iter().position(|&l| l == w).unwrap_or(0) as f64;
    let kinds: Vec<PhaseKind> =
        PhaseKind::ALL.into_iter().filter(|k| props.spans.iter().any(|s| s.phases.iter().any(|p| p.kind == *k))).collect();
    let lane_labels = lanes.iter().map(|&w| {
        html! {
            <text class="label" x={(left - 8.0).to_string()} y={(lane_y(w) + bar_h * 0.75).to_string()} text-anchor="end">
                { name(w) }
            </text>
        }
    });
    let bars = props.spans.iter().map(|s| {
        let y = lane_y(s.worker);
        let summary: Vec<String> = s.phases.iter().map(|p| format!("{} {:.1} ms", p.kind.id(), p.end_ms - p.start_ms)).collect();
        let details = format!(
            "{} — {}, {:.1}–{:.1} ms ({:.1} ms): {}",
            s.label,
            name(s.worker),
            s.start_ms,
            s.end_ms,
            s.end_ms - s.start_ms,
            summary.join(", ")
        );
        html! {
            <g class="task" tabindex="0" role="img" aria-label={details.clone()}>
                <title>{ details }</title>
                <rect class="outline" x={x(s.start_ms).to_string()} y={y.to_string()}
                    width={(x(s.end_ms) - x(s.start_ms)).max(1.0).to_string()} height={bar_h.to_string()} />
                { for s.phases.iter().map(|p| html! {
                    <rect class={classes!("phase", p.kind.id())} x={x(p.start_ms).to_string()} y={(y + 1.0).to_string()}
                        width={(x(p.end_ms) - x(p.start_ms)).max(0.6).to_string()} height={(bar_h - 2.0).to_string()} />
                }) }
            </g>
        }
    });
    html! {
        <figure class="chart timeline">
            <figcaption>
                <strong>{ props.title.clone() }</strong>
                <span class="legend">
                    { for kinds.iter().map(|k| html! { <><span class={classes!("swatch", k.id())}></span>{ k.id() }</> }) }
                </span>
            </figcaption>
            <svg viewBox={format!("0 0 {width} {height}")} role="group" aria-label={format!("Timeline: {}", props.title)}>
                { axis.draw(top, height - 30.0, height - 16.0, height - 2.0, "time since the run started (ms)") }
                { for lane_labels }
                { for bars }
            </svg>
        </figure>
    }
}
