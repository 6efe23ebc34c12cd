//! The root component: wires the state, the compute client and the views.
use crate::client::{Client, Status};
use crate::form::Form;
use crate::link::{self, LinkStart};
use crate::predict::Guess;
use crate::state::{Action, State};
use crate::view::embed::EmbedPage;
use crate::view::history::History;
use crate::view::import::AddRun;
use crate::view::machine::MachineCompare;
use crate::view::messages::Messages;
use crate::view::predict::Predict;
use crate::view::share::Share;
use crate::view::theme::ThemeSwitch;
use crate::view::{chart::WallTimeChart, controls::Controls, results::Results, status::StatusBar, sweep::SweepChart};
use engine::config::RunPlan;
use engine::error::RunError;
use engine::record::RunRecord;
use engine::url::View;
use gloo::timers::callback::Interval;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub client: Client,
    /// How the link asks the page to look (full page or embed).
    pub view: View,
    /// Problems with the view keys of the link.
    pub view_errors: Vec<String>,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Run `plans` one after another, handing each record to the state as
/// `as_action(record)`; stop at the first failure or stop.
fn run_in_turn(client: Client, dispatcher: UseReducerDispatcher<State>, plans: Vec<RunPlan>, as_action: fn(RunRecord) -> Action) {
    wasm_bindgen_futures::spawn_local(async move {
        for plan in plans {
            match client.run(plan).await {
                Ok(record) => {
                    let stopped = record.error.is_some();
                    dispatcher.dispatch(as_action(record));
                    if stopped {
                        break;
                    }
                }
                Err(error) => {
                    dispatcher.dispatch(Action::Failed(error));
                    break;
                }
            }
        }
        dispatcher.dispatch(Action::Finished);
    });
}

fn invalid(errors: Vec<engine::config::ConfigError>) -> Action {
    Action::Invalid(errors.iter().map(ToString::to_string).collect())
}

/// Where memory cannot be shared, thread models are shown but skipped;
/// `Err` when nothing is left to run.
fn runnable(mut plans: Vec<RunPlan>, env: &engine::record::Env) -> Result<Vec<RunPlan>, RunError> {
    if let Some(refusal) = env.shared_memory_refusal() {
        plans.retain(|p| !p.needs_shared_memory());
        if plans.is_empty() {
            return Err(refusal);
        }
    }
    Ok(plans)
}

/// Validate the form and run its plans one after another. Pressed before
/// the compute worker is ready, the run waits for it (the form says so).
fn start_run(client: Client, dispatcher: UseReducerDispatcher<State>, form: Form, view: View, guess: Option<Guess>) {
    let plans = match form.plans() {
        Ok(plans) => plans,
        Err(errors) => return dispatcher.dispatch(invalid(errors)),
    };
    let plans = match client.status() {
        Status::Ready { env, .. } => match runnable(plans, &env) {
            Ok(plans) => plans,
            Err(refusal) => return dispatcher.dispatch(Action::Invalid(vec![refusal.to_string()])),
        },
        _ => plans,
    };
    link::write(&plans, form.workers_value(), &view);
    let models = plans.iter().map(|p| p.model.id().to_string()).collect();
    let link = link::query(&plans, form.workers_value(), true);
    dispatcher.dispatch(Action::Started { models, link, now_ms: now_ms(), guess });
    let stops = client.stops();
    wasm_bindgen_futures::spawn_local(async move {
        let ready = client.ready().await.map_err(RunError::StartUp);
        let ready = if client.stops() == stops { ready } else { Err(RunError::StoppedBeforeStart) };
        let plans = match ready.and_then(|(env, _)| runnable(plans, &env)) {
            Ok(plans) => plans,
            Err(error) => {
                dispatcher.dispatch(Action::Failed(error));
                return dispatcher.dispatch(Action::Finished);
            }
        };
        run_in_turn(client, dispatcher, plans, Action::Record);
    });
}

/// Run the pipeline's whole table, one configuration after another.
fn start_table(client: Client, dispatcher: UseReducerDispatcher<State>, form: Form) {
    let plans = match form.table_plans() {
        Ok(plans) => plans,
        Err(errors) => return dispatcher.dispatch(invalid(errors)),
    };
    let models = plans
        .iter()
        .map(|p| format!("variant {} ×{}", p.params.int("variant").unwrap_or(0), p.params.int("cpucount").unwrap_or(0)))
        .collect();
    let link = link::query(&plans[..1], form.workers_value(), false);
    dispatcher.dispatch(Action::Started { models, link, now_ms: now_ms(), guess: None });
    run_in_turn(client, dispatcher, plans, Action::Record);
}

/// Run the first pool model for 1, 2, … workers, one after another.
fn start_sweep(client: Client, dispatcher: UseReducerDispatcher<State>, form: Form, cores: u32) {
    let plans = match form.sweep_plans(cores) {
        Ok(plans) => plans,
        Err(errors) => return dispatcher.dispatch(invalid(errors)),
    };
    let model = plans[0].model.id().to_string();
    dispatcher.dispatch(Action::SweepStarted { model, max: plans.len() as u32, now_ms: now_ms() });
    run_in_turn(client, dispatcher, plans, Action::SweepRecord);
}

/// The render steps of the page's start (see `step` in `app`).
const LAST_STEP: u8 = 2;

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let state = use_reducer(|| {
        let (history, notice) = crate::history::load();
        State { history, notice, ..State::default() }
    });

    // The page appears in steps: its frame, then the controls, then what
    // follows them, each in a task of its own. The browser compiles the
    // page's code as it first runs, and one render of everything would hold
    // the page's thread for a long task while it starts.
    let step = use_state(|| 0u8);
    {
        let step = step.clone();
        use_effect_with(*step, move |n| {
            let next = *n + 1;
            let timeout = (next <= LAST_STEP).then(|| gloo::timers::callback::Timeout::new(0, move || step.set(next)));
            move || drop(timeout)
        });
    }

    // The history is kept in this browser whenever it changes.
    use_effect_with(state.history.clone(), |entries| crate::history::save(entries));

    // Once: follow the compute worker's status, and honour the link.
    {
        let (client, view, view_errors) = (props.client.clone(), props.view, props.view_errors.clone());
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            crate::add_run::connect(dispatcher.clone());
            if view.predict {
                dispatcher.dispatch(Action::Predict(true));
            }
            dispatcher.dispatch(Action::Status(client.status()));
            let d = dispatcher.clone();
            client.on_status(Rc::new(move |s| d.dispatch(Action::Status(s.clone()))));
            match link::read() {
                LinkStart::Nothing => {}
                LinkStart::Invalid(errors) => dispatcher.dispatch(Action::Invalid(errors)),
                LinkStart::Form { form, run } => {
                    dispatcher.dispatch(Action::Form(form.clone()));
                    if run && view.predict {
                        // The tutorial's quiz: the guess first, then the run.
                        dispatcher.dispatch(Action::Ask(true));
                    } else if run {
                        start_run(client, dispatcher.clone(), form, view, None);
                    }
                }
            }
            if !view_errors.is_empty() {
                dispatcher.dispatch(Action::Invalid(view_errors));
            }
        });
    }

    // The pool the form asks for is held ready ahead of its run.
    {
        let client = props.client.clone();
        use_effect_with(state.form.workers_value(), move |workers| client.prepare((*workers).min(engine::catalog::MAX_WORKERS)));
    }

    // While running: elapsed time and progress, ten times a second.
    {
        let client = props.client.clone();
        let dispatcher = state.dispatcher();
        use_effect_with(state.running.is_some(), move |running| {
            let ticker = running
                .then(|| Interval::new(100, move || dispatcher.dispatch(Action::Tick { now_ms: now_ms(), progress: client.progress() })));
            move || drop(ticker)
        });
    }

    // When a run ends, its figures come into view (see `answer`).
    {
        let was_running = use_mut_ref(|| false);
        let has_records = !state.records.is_empty();
        use_effect_with(state.running.is_some(), move |running| {
            if *was_running.borrow() && !*running && has_records {
                crate::answer::bring_into_view();
            }
            *was_running.borrow_mut() = *running;
        });
    }

    let on_form = {
        let dispatcher = state.dispatcher();
        Callback::from(move |form: Form| dispatcher.dispatch(Action::Form(form)))
    };
    let on_run = {
        let (client, dispatcher, form, view, predict) =
            (props.client.clone(), state.dispatcher(), state.form.clone(), props.view, state.predict);
        Callback::from(move |_| {
            if predict && form.models.len() > 1 {
                dispatcher.dispatch(Action::Ask(true));
            } else {
                start_run(client.clone(), dispatcher.clone(), form.clone(), view, None);
            }
        })
    };
    let on_guess = {
        let (client, dispatcher, form, view) = (props.client.clone(), state.dispatcher(), state.form.clone(), props.view);
        Callback::from(move |guess: Option<Guess>| start_run(client.clone(), dispatcher.clone(), form.clone(), view, guess))
    };
    let on_predict = {
        let dispatcher = state.dispatcher();
        Callback::from(move |on: bool| dispatcher.dispatch(Action::Predict(on)))
    };
    let predict_step = html! {
        if state.asking {
            <Predict models={engine::model::Model::ALL.iter().copied().filter(|m| state.form.models.contains(m)).collect::<Vec<_>>()} on_guess={on_guess.clone()} />
        }
    };
    let on_sweep = {
        let (client, dispatcher, form) = (props.client.clone(), state.dispatcher(), state.form.clone());
        let cores = match &state.status {
            Some(crate::client::Status::Ready { env, .. }) => env.cores,
            _ => 1,
        };
        Callback::from(move |_| start_sweep(client.clone(), dispatcher.clone(), form.clone(), cores))
    };
    let on_table = {
        let (client, dispatcher, form) = (props.client.clone(), state.dispatcher(), state.form.clone());
        Callback::from(move |_| start_table(client.clone(), dispatcher.clone(), form.clone()))
    };
    let on_stop = {
        let (client, dispatcher) = (props.client.clone(), state.dispatcher());
        Callback::from(move |_| {
            dispatcher.dispatch(Action::Stopping);
            client.stop();
        })
    };

    if props.view.embed {
        return html! { <EmbedPage state={(*state).clone()} controls={props.view.controls} {on_form} {on_run} {on_stop} predict={predict_step} /> };
    }
    let spec = state.form.spec();
    html! {
        <main>
            <header>
                <h1>{ "Parallelism playground" }</h1>
                <p class="tagline">
                    { "Real threads, real isolated workers and real CPU work, in your browser. \
                       Pick execution models, run, and compare." }
                </p>
                <StatusBar status={state.status.clone()} />
                <ThemeSwitch initial={props.view.theme.or_else(crate::view::theme::stored)} />
            </header>
            <section class="scenario" aria-labelledby="scenario-title">
                <h2 id="scenario-title">{ spec.title }</h2>
                <p>{ spec.summary }</p>
                <p class="lesson"><strong>{ "Lesson: " }</strong>{ spec.lesson }</p>
            </section>
            if *step == 0 {
                <p class="boot" role="status">{ "Starting…" }</p>
            } else {
            <div class="workbench">
            <div class="workbench-controls">
            <Controls
                form={state.form.clone()}
                ready={state.ready()}
                broken={state.broken()}
                threads_off={state.threads_off()}
                running={state.running.clone()}
                predict={state.predict}
                {on_form} {on_run} {on_stop} {on_sweep} {on_table} {on_predict}
            />
            { predict_step }
            if *step >= LAST_STEP {
            <Share form={state.form.clone()} />
            }
            </div>
            if *step >= LAST_STEP {
            <div class="workbench-results">
            <Messages errors={state.errors.clone()} notice={state.notice.clone()} />
            if !state.sweep.is_empty() {
                <SweepChart records={state.sweep.clone()} />
            }
            if !state.records.is_empty() {
                <div id="run-results">
                <WallTimeChart records={state.records.clone()} />
                <Results records={state.records.clone()} link={state.link.clone()} guess={state.guess} />
                </div>
            }
            if !state.machine.is_empty() {
                <MachineCompare machine={state.machine.clone()} browser={state.browser_runs.clone()} />
            }
            <AddRun />
            <History entries={state.history.clone()} on_clear={let d = state.dispatcher(); Callback::from(move |_| d.dispatch(Action::ClearHistory))} />
            </div>
            }
            </div>
            }
        </main>
    }
}
