//! "Your machine beside the browser": the latest run added from the
//! reader's machine next to this browser's run of the same config: wall
//! time, each one's speedup against its own serial run, the two timelines
//! on one time axis, and a reading of the difference.
use super::chart::run_label;
use super::timeline::Timeline;
use crate::machine::{same_config, serial_beside, where_ran};
use engine::record::{PhaseKind, RunRecord};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct MachineProps {
    /// Runs added from a machine, oldest first.
    pub machine: Vec<RunRecord>,
    /// This browser's runs of this visit, oldest first.
    pub browser: Vec<RunRecord>,
}

fn speedup(runs: &[RunRecord], r: &RunRecord) -> Option<f64> {
    let serial = if r.model.is_serial() { Some(r) } else { serial_beside(runs, r) }?;
    (r.wall_ms > 0.0).then(|| serial.wall_ms / r.wall_ms)
}

fn phase_ms(r: &RunRecord, kind: PhaseKind) -> f64 {
    r.tasks.iter().flat_map(|t| &t.phases).filter(|p| p.kind == kind).map(|p| p.end_ms - p.start_ms).sum()
}

/// What the difference between the two runs comes from, in sentences.
pub fn reading(m: &RunRecord, b: &RunRecord, speedups: (Option<f64>, Option<f64>)) -> Vec<String> {
    let (here, there) = ("this browser", where_ran(m));
    let mut out = Vec::new();
    let ratio = if b.wall_ms > 0.0 { m.wall_ms / b.wall_ms } else { 1.0 };
    out.push(match ratio {
        r if r < 0.9 => format!("Your machine ran it in {:.1} ms, {:.2}× faster than {here} ({:.1} ms).", m.wall_ms, 1.0 / r, b.wall_ms),
        r if r > 1.1 => format!("Your machine took {:.1} ms, {r:.2}× the time {here} took ({:.1} ms).", m.wall_ms, b.wall_ms),
        _ => format!("Your machine and {here} took about the same: {:.1} ms and {:.1} ms.", m.wall_ms, b.wall_ms),
    });
    if let (Some(sm), Some(sb)) = speedups {
        out.push(format!("Against its own serial run: {sm:.2}× on your machine, {sb:.2}× in {here}."));
    }
    // Mostly computing (else mostly waiting: sleeps, I/O).
    let all: f64 = m.tasks.iter().flat_map(|t| &t.phases).map(|p| p.end_ms - p.start_ms).sum();
    let compute = phase_ms(m, PhaseKind::Compute) >= 0.5 * all;
    if m.model.uses_threads() && m.workers > 1 {
        out.push(
            match (m.gil.is_on(), compute) {
                (true, true) => "With CPython's GIL on, one of your threads ran Python at a time: computing threads took turns there.",
                (true, false) => "Your threads mostly waited, and a waiting thread lets go of CPython's GIL: the waits overlapped.",
                (false, _) => "Your interpreter is free-threaded (no GIL): its threads ran Python at the same time.",
            }
            .to_string(),
        );
        out.push(if b.gil.is_on() {
            "The browser's run had its GIL switch on too: its threads took turns the same way.".to_string()
        } else {
            "The browser's run had the GIL switch off: its threads computed in parallel, on as many cores as it was given.".to_string()
        });
    }
    let (spawn_m, spawn_b) = (phase_ms(m, PhaseKind::Spawn), phase_ms(b, PhaseKind::Spawn));
    if m.model.starts_processes() && (spawn_m > 0.0 || spawn_b > 0.0) {
        out.push(format!(
            "Starting the worker processes took {spawn_m:.1} ms on your machine (fresh interpreters) and {spawn_b:.1} ms here (fresh WebAssembly instances), summed over the workers."
        ));
    }
    if m.env.cores != b.env.cores {
        out.push(format!(
            "{there} has {} cores and {here} reports {}: with more workers than cores, workers take turns.",
            m.env.cores, b.env.cores
        ));
    }
    out
}

#[function_component(MachineCompare)]
pub fn machine_compare(props: &MachineProps) -> Html {
    let Some(m) = props.machine.last() else { return html! {} };
    let b = props.browser.iter().rev().find(|b| same_config(b, m));
    let sm = speedup(&props.machine, m);
    let row = |r: &RunRecord, s: Option<f64>, place: String| {
        html! {
            <tr data-where={if r.env.native.is_some() { "machine" } else { "browser" }}>
                <th scope="row">{ place }</th>
                <td>{ run_label(r) }</td>
                <td>{ format!("{:.1}", r.wall_ms) }</td>
                <td>{ format!("{:.1}", r.cpu_ms) }</td>
                <td>{ s.map(|s| format!("{s:.2}×")).unwrap_or_else(|| "—".into()) }</td>
            </tr>
        }
    };
    let axis_ms = m.wall_ms.max(b.map_or(0.0, |b| b.wall_ms));
    let end = |r: &RunRecord| r.tasks.iter().map(|t| t.end_ms).fold(r.wall_ms, f64::max);
    let axis_ms = Some(axis_ms.max(end(m)).max(b.map_or(0.0, end)));
    html! {
        <section class="machine" id="machine-compare" aria-labelledby="machine-title">
            <h2 id="machine-title">{ "Your machine beside the browser" }</h2>
            <table id="machine-table">
                <caption>{ format!("{} of {}, on {} and in this browser", run_label(m), m.scenario, where_ran(m)) }</caption>
                <thead><tr>
                    <th scope="col">{ "Where" }</th><th scope="col">{ "Run" }</th><th scope="col">{ "Wall time (ms)" }</th>
                    <th scope="col">{ "CPU time (ms)" }</th><th scope="col">{ "Speedup vs its serial" }</th>
                </tr></thead>
                <tbody>
                    { row(m, sm, where_ran(m)) }
                    if let Some(b) = b {
                        { row(b, speedup(&props.browser, b), "This browser".into()) }
                    }
                </tbody>
            </table>
            <div class="reading" id="machine-reading">
                if let Some(b) = b {
                    { for reading(m, b, (sm, speedup(&props.browser, b))).into_iter().map(|s| html! { <p>{ s }</p> }) }
                } else {
                    <p>{ format!("Run {} of this config here (the same parameters) to see it beside your machine's; run serial too for each one's speedup.", run_label(m)) }</p>
                }
            </div>
            <Timeline title={format!("On {}", where_ran(m))} spans={m.tasks.clone()} lanes={m.lanes.clone()} {axis_ms} />
            if let Some(b) = b {
                <Timeline title={"In this browser".to_string()} spans={b.tasks.clone()} lanes={b.lanes.clone()} {axis_ms} />
            }
        </section>
    }
}
