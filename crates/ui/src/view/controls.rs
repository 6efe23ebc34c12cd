use crate::form::Form;
use crate::state::Running;
use engine::catalog::{ParamKind, ParamSpec, MAX_WORKERS};
use engine::model::{Model, SharedMemory};
use engine::scenarios::{self, Runner, ScenarioId};
use engine::start_method::StartMethod;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub form: Form,
    /// The compute worker is ready: sweeps and tables need its core count.
    pub ready: bool,
    /// The compute worker cannot start here: nothing runs.
    #[prop_or_default]
    pub broken: bool,
    pub running: Option<Running>,
    pub on_form: Callback<Form>,
    pub on_run: Callback<()>,
    pub on_stop: Callback<()>,
    pub on_sweep: Callback<()>,
    /// Runs the pipeline's whole table (pipeline only).
    pub on_table: Callback<()>,
    /// The embed's form: no scenario choice, sweep or table.
    #[prop_or_default]
    pub compact: bool,
    /// Why thread models cannot run here (no isolation, or no shared
    /// memory); `None` where they can.
    #[prop_or_default]
    pub threads_off: Option<AttrValue>,
    /// Ask for a guess before each run ("Predict first").
    #[prop_or_default]
    pub predict: bool,
    #[prop_or_default]
    pub on_predict: Callback<bool>,
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
    let spec = form.spec();
    let running = props.running.is_some();
    let on_submit = {
        let on_run = props.on_run.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_run.emit(());
        })
    };
    let allowed: Vec<Model> = spec.models.clone();
    let model_boxes = Model::ALL.into_iter().filter(|m| allowed.contains(m)).map(|m| {
        let id = m;
        let is_checked = form.models.contains(&m);
        let (form, on_form) = (form.clone(), props.on_form.clone());
        let onchange = Callback::from(move |e: Event| {
            let mut next = form.clone();
            next.models.retain(|x| *x != id);
            if checked(&e) {
                next.models.push(id);
            }
            on_form.emit(next);
        });
        // Thread models stay visible where they cannot run: they are the lesson.
        let unavailable = props.threads_off.is_some() && m.shared_memory() == SharedMemory::Always;
        html! {
            <label class={classes!("check", unavailable.then_some("unavailable"))} title={m.python()}>
                <input type="checkbox" name="model" value={m.id()}
                    checked={is_checked && !unavailable} {onchange} disabled={running || unavailable}
                    aria-describedby={unavailable.then_some("not-isolated")} />
                { m.label() }
            </label>
        }
    });
    let thread_models_here = allowed.iter().any(|m| m.shared_memory() != SharedMemory::Never);
    html! {
        <form class="controls" onsubmit={on_submit} aria-label="Run settings">
            if !props.compact {
            <div class="field wide">
                <label for="scenario">{ "Scenario" }</label>
                <select id="scenario" name="scenario" disabled={running}
                    onchange={let on_form = props.on_form.clone(); Callback::from(move |e: Event| {
                        // The options are the registry's ids: another value is no scenario.
                        if let Some(id) = ScenarioId::parse(&e.target_unchecked_into::<HtmlSelectElement>().value()) {
                            on_form.emit(Form::for_scenario(id))
                        }
                    })}>
                    { for scenarios::specs().iter().map(|s| html! {
                        <option value={s.id.as_str()} selected={s.id == form.scenario}>{ s.title }</option>
                    }) }
                </select>
            </div>
            }
            { for spec.params.iter().map(|p| param_field(form, p, running, &props.on_form)) }
            <fieldset class="field">
                <legend>{ "Models" }</legend>
                { for model_boxes }
            </fieldset>
            if let Some(reason) = props.threads_off.clone().filter(|_| thread_models_here) {
                <p class="not-isolated field wide" id="not-isolated">
                    { reason }
                    if props.compact {
                        { " " }<a href={crate::link::full_page(form)} target="_blank" rel="noopener">{ "Open the full page in a new tab" }</a>{ "." }
                    }
                </p>
            }
            if form.scenario.scenario().pool_size_param().is_none() {
            <div class="field">
                <label for="workers">{ "Workers" }</label>
                <input id="workers" name="workers" type="number" min="1" max={MAX_WORKERS.to_string()}
                    value={form.workers.clone()} onchange={edit(|f, e| f.workers = input_value(e))}
                    disabled={running} aria-describedby="workers-help" />
                <small id="workers-help">{ format!("Pool size, 1 to {MAX_WORKERS} (serial always uses one).") }</small>
            </div>
            }
            if allowed.iter().any(|m| m.uses_threads()) {
            <div class="field">
                <label class="check">
                    <input id="gil" type="checkbox" checked={form.gil}
                        onchange={edit(|f, e| f.gil = checked(e))} disabled={running} />
                    { "GIL on" }
                </label>
                <small>{ "Threads must hold one global lock to compute, as in CPython." }</small>
            </div>
            }
            if allowed.iter().any(|m| m.starts_processes()) {
            <div class="field">
                <label for="start-method">{ "Process start" }</label>
                <select id="start-method" name="start_method" disabled={running} aria-describedby="start-method-help"
                    onchange={edit(|f, e| {
                        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
                        f.start_method = StartMethod::parse(&value).unwrap_or_default();
                    })}>
                    { for StartMethod::ALL.into_iter().map(|m| html! {
                        <option value={m.id()} selected={m == form.start_method}>{ m.id() }</option>
                    }) }
                </select>
                <small id="start-method-help">{ format!("As Python's start methods: {}.", form.start_method.explain()) }</small>
            </div>
            }
            <div class="actions">
                <button id="run" type="submit" disabled={running || props.broken}>{ "Run" }</button>
                <button id="stop" type="button" disabled={!running}
                    onclick={props.on_stop.reform(|_| ())}>{ "Stop" }</button>
                if form.models.len() > 1 {
                    <label class="check predict-toggle">
                        <input type="checkbox" id="predict-toggle" checked={props.predict}
                            onchange={props.on_predict.reform(|e: Event| e.target_unchecked_into::<web_sys::HtmlInputElement>().checked())} />
                        { "Predict first" }
                    </label>
                }
            </div>
            if !props.compact {
            <div class="sweep">
                <div class="field">
                    <label for="sweep-max">{ "Sweep up to (workers)" }</label>
                    <input id="sweep-max" type="number" min="1" max={MAX_WORKERS.to_string()} placeholder="cores"
                        value={form.sweep_max.clone()} onchange={edit(|f, e| f.sweep_max = input_value(e))} disabled={running} />
                </div>
                <button id="sweep" type="button" disabled={running || !props.ready}
                    onclick={props.on_sweep.reform(|_| ())}>{ "Speedup sweep" }</button>
                <small>{ "Runs the first pool model chosen with 1, 2, … workers and plots the speedup." }</small>
            </div>
            if form.scenario.runner() == Runner::Pipeline {
                <div class="sweep">
                    <button id="table" type="button" disabled={running || !props.ready}
                        onclick={props.on_table.reform(|_| ())}>{ "Run the whole table" }</button>
                    <small>{ "Runs every variant and pool size the tutorial printed (12 runs) and charts them against its figures." }</small>
                </div>
            }
            }
            if props.running.is_some() && !props.ready {
                <p class="waiting" id="waiting" role="status">
                    { "Waiting for the kernels to be ready; the run starts as soon as they are." }
                </p>
            }
            if let Some(r) = &props.running {
                <RunProgress running={r.clone()} />
            }
        </form>
    }
}

/// One input for one scenario parameter; its id is the parameter's name.
fn param_field(form: &Form, p: &ParamSpec, disabled: bool, on_form: &Callback<Form>) -> Html {
    let name = p.name.to_string();
    let set = {
        let (form, on_form, name) = (form.clone(), on_form.clone(), name.clone());
        move |value: String| {
            let mut next = form.clone();
            next.params.insert(name.clone(), value);
            on_form.emit(next);
        }
    };
    let help_id = format!("{name}-help");
    let help = format!("{} Allowed: {}.", p.help, p.range_text());
    let value = form.param(p.name);
    let input = match &p.kind {
        ParamKind::Bool { .. } => {
            let onchange = Callback::from(move |e: Event| set(checked(&e).to_string()));
            return html! {
                <div class="field">
                    <label class="check">
                        <input id={name.clone()} type="checkbox" checked={value.parse::<bool>().unwrap_or(false)} {onchange} {disabled}
                            aria-describedby={help_id.clone()} />
                        { p.label }
                    </label>
                    <small id={help_id}>{ help }</small>
                </div>
            };
        }
        ParamKind::Choice { options, .. } => {
            let onchange = Callback::from(move |e: Event| set(e.target_unchecked_into::<HtmlSelectElement>().value()));
            html! {
                <select id={name.clone()} name={name.clone()} {onchange} {disabled} aria-describedby={help_id.clone()}>
                    { for options.iter().map(|o| html! { <option value={*o} selected={*o == value}>{ *o }</option> }) }
                </select>
            }
        }
        ParamKind::Text { placeholder, .. } => {
            let onchange = Callback::from(move |e: Event| set(e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value()));
            let placeholder = *placeholder;
            html! {
                <textarea id={name.clone()} name={name.clone()} rows="2" {value} {onchange} {disabled}
                    aria-describedby={help_id.clone()} {placeholder} />
            }
        }
        ParamKind::Int { .. } | ParamKind::IntList { .. } => {
            let onchange = Callback::from(move |e: Event| set(input_value(&e)));
            html! {
                <input id={name.clone()} name={name.clone()} type="text" inputmode="numeric" {value} {onchange} {disabled}
                    aria-describedby={help_id.clone()} />
            }
        }
    };
    let class = if matches!(p.kind, ParamKind::IntList { .. } | ParamKind::Text { .. }) { "field wide" } else { "field" };
    html! {
        <div {class}>
            <label for={name.clone()}>{ p.label }</label>
            { input }
            <small id={help_id}>{ help }</small>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct RunProgressProps {
    pub running: Running,
}

#[function_component(RunProgress)]
pub fn run_progress(props: &RunProgressProps) -> Html {
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
