//! The horizontal time axis shared by the bar chart and the timelines: a
//! scale from 0 to a round number of ms, ticks at 1, 2 or 5 × 10^k, a title.
use yew::prelude::*;

/// Tick spacing of 1, 2 or 5 × 10^k giving about five ticks up to `max`.
pub fn nice_step(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let raw = max / 5.0;
    let pow = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * pow).find(|s| *s >= raw).unwrap_or(10.0 * pow)
}

pub struct TimeAxis {
    left: f64,
    plot: f64,
    step: f64,
    axis_max: f64,
}

impl TimeAxis {
    /// An axis covering `0..=max_ms` drawn from `left` over `plot` pixels.
    pub fn new(max_ms: f64, left: f64, plot: f64) -> Self {
        let step = nice_step(max_ms);
        let axis_max = (max_ms / step).ceil().max(1.0) * step;
        TimeAxis { left, plot, step, axis_max }
    }

    /// Where `ms` falls, in pixels.
    pub fn x(&self, ms: f64) -> f64 {
        self.left + self.plot * ms.max(0.0) / self.axis_max
    }

    /// Grid lines from `y_top` to `y_bottom`, labels at `label_y`, title at `title_y`.
    pub fn draw(&self, y_top: f64, y_bottom: f64, label_y: f64, title_y: f64, title: &str) -> Html {
        let ticks = (0..=((self.axis_max / self.step).round() as usize)).map(|i| {
            let ms = i as f64 * self.step;
            let x = self.x(ms).to_string();
            html! {
                <g class="tick">
                    <line x1={x.clone()} x2={x.clone()} y1={y_top.to_string()} y2={y_bottom.to_string()} />
                    <text {x} y={label_y.to_string()} text-anchor="middle">{ format!("{ms}") }</text>
                </g>
            }
        });
        html! {
            <>
                { for ticks }
                <text class="axis-title" x={(self.left + self.plot / 2.0).to_string()} y={title_y.to_string()} text-anchor="middle">
                    { title.to_string() }
                </text>
            </>
        }
    }
}
