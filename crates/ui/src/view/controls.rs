use crate::form::Form;
use crate::state::Running;
use engine::catalog::{self, MAX_WORKERS};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub form: Form,
    pub ready: bool,
    pub running: Option<Running>,
    pub on_form: Callback<Form>,
    pub on_run: Callback<()>,
    pub on_stop: Callback<()>,
}

fn input_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

fn checked(e: &Event) -> bool {
    e.target_unchecked_into::<HtmlInputElement>().checked()
}

/// Parameters, models, workers, the GIL switch, Run and Stop.
#[function_component(Controls)]
pub fn controls(props: &ControlsProps) -> Html {
    let form = &props.form;
    let edit = |f: fn(&mut Form, &Event)| {
        let (form, on_form) = (form.clone(), props.on_form.clone());
        Callback::from(move |e: Event| {
            let mut next = form.clone();
            f(&mut next, &e);
            on_form.emit(next);
        })
    };
    let spec = catalog::scenario(&form.scenario);
    let limits_help = spec
        .as_ref()
        .and_then(|s| s.param("limits").map(|p| format!("{} Allowed: {}.", p.help, p.range_text())))
        .unwrap_or_default();
    let running = props.running.is_some();
    let on_submit = {
        let on_run = props.on_run.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_run.emit(());
        })
    };
    let model_boxes = catalog::MODELS.iter().map(|m| {
        let id = m.id.to_string();
        let is_checked = form.models.iter().any(|x| x == m.id);
        let (form, on_form) = (form.clone(), props.on_form.clone());
        let onchange = Callback::from(move |e: Event| {
            let mut next = form.clone();
            next.models.retain(|x| *x != id);
            if checked(&e) {
                next.models.push(id.clone());
            }
            on_form.emit(next);
        });
        html! {
            <label class="check" title={m.python}>
                <input type="checkbox" name="model" value={m.id}
                    checked={is_checked} {onchange} disabled={running} />
                { m.label }
            </label>
        }
    });
    html! {
        <form class="controls" onsubmit={on_submit} aria-label="Run settings">
            <div class="field wide">
                <label for="limits">{ "Limits (one task each)" }</label>
                <input id="limits" name="limits" type="text" inputmode="numeric" value={form.limits.clone()}
                    onchange={edit(|f, e| f.limits = input_value(e))} disabled={running}
                    aria-describedby="limits-help" />
                <small id="limits-help">{ limits_help }</small>
            </div>
            <fieldset class="field">
                <legend>{ "Models" }</legend>
                { for model_boxes }
            </fieldset>
            <div class="field">
                <label for="workers">{ "Workers" }</label>
                <input id="workers" name="workers" type="number" min="1" max={MAX_WORKERS.to_string()}
                    value={form.workers.clone()} onchange={edit(|f, e| f.workers = input_value(e))}
                    disabled={running} aria-describedby="workers-help" />
                <small id="workers-help">{ format!("Pool size, 1 to {MAX_WORKERS} (serial always uses one).") }</small>
            </div>
            <div class="field">
                <label class="check">
                    <input id="gil" type="checkbox" checked={form.gil}
                        onchange={edit(|f, e| f.gil = checked(e))} disabled={running} />
                    { "GIL on" }
                </label>
                <small>{ "Threads must hold one global lock to compute, as in CPython." }</small>
            </div>
            <div class="actions">
                <button id="run" type="submit" disabled={running || !props.ready}>{ "Run" }</button>
                <button id="stop" type="button" disabled={!running}
                    onclick={props.on_stop.reform(|_| ())}>{ "Stop" }</button>
            </div>
            if let Some(r) = &props.running {
                <RunProgress running={r.clone()} />
            }
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct RunProgressProps {
    running: Running,
}

#[function_component(RunProgress)]
fn run_progress(props: &RunProgressProps) -> Html {
    let r = &props.running;
    let model = r.models.get(r.finished).cloned().unwrap_or_default();
    let (done, total) = r.progress.map(|p| (p.done, p.total)).unwrap_or((0, 0));
    let label = if r.stopping {
        "Stopping…".to_string()
    } else {
        format!(
            "Running {model} ({} of {} models): {done} of {total} tasks done, {:.1} s",
            r.finished + 1,
            r.models.len(),
            r.elapsed_ms / 1000.0
        )
    };
    let fraction = (r.finished as f64 + if total > 0 { done as f64 / total as f64 } else { 0.0 }) / r.models.len().max(1) as f64;
    html! {
        <div class="progress" id="progress" role="status" aria-live="polite">
            <progress max="1" value={fraction.to_string()} aria-label="Progress of this batch" />
            <span>{ label }</span>
        </div>
    }
}
