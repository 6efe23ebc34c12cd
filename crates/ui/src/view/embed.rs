//! The compact view for an iframe in someone else's tutorial (`?embed=1`):
//! the scenario's title, Run/Stop with progress, the wall-time chart, the
//! latest timeline, the key figure in one line, and a link to the full page.
use super::chart::{run_label, speedup, WallTimeChart};
use super::controls::{Controls, RunProgress};
use super::messages::Messages;
use super::status::StatusBar;
use super::timeline::Timeline;
use crate::client::Status;
use crate::form::Form;
use crate::link;
use crate::state::State;
use engine::model::Model;
use engine::record::RunRecord;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EmbedProps {
    pub state: State,
    /// `controls=0` hides the parameter form.
    pub controls: bool,
    pub on_form: Callback<Form>,
    pub on_run: Callback<()>,
    pub on_stop: Callback<()>,
    /// The guess step, where it is open (`predict=1`).
    #[prop_or_default]
    pub predict: Html,
}

#[function_component(EmbedPage)]
pub fn embed_page(props: &EmbedProps) -> Html {
    let s = &props.state;
    let spec = s.form.spec();
    let title = spec.title;
    let full = link::full_page(&s.form);
    let ready = matches!(s.status, Some(Status::Ready { .. }));
    let threads_off = s.threads_off();
    html! {
        <main class="embed" aria-labelledby="embed-title">
            <header class="embed-head">
                <h1 id="embed-title">{ title }</h1>
                <a id="open-full" href={full} target="_blank" rel="noopener">
                    { "Open in the playground" }<span aria-hidden="true">{ " ↗" }</span>
                </a>
            </header>
            if !ready {
                <StatusBar status={s.status.clone()} />
            }
            if props.controls {
                <Controls form={s.form.clone()} ready={s.ready()} broken={s.broken()} running={s.running.clone()} compact=true {threads_off}
                    on_form={props.on_form.clone()} on_run={props.on_run.clone()} on_stop={props.on_stop.clone()}
                    on_sweep={Callback::noop()} on_table={Callback::noop()} />
            } else {
                <RunBar form={s.form.clone()} ready={!s.broken()} running={s.running.is_some()}
                    on_run={props.on_run.clone()} on_stop={props.on_stop.clone()} />
                if let Some(r) = &s.running {
                    <RunProgress running={r.clone()} />
                }
            }
            { props.predict.clone() }
            <Messages errors={s.errors.clone()} notice={s.notice.clone()} />
            if let Some(verdict) = s.guess.and_then(|g| super::predict::verdict(&g, &s.records)) {
                <p class="verdict" id="guess-verdict">{ verdict }</p>
            }
            if let Some(last) = s.records.last() {
                <p class="key-figure" id="key-figure">{ key_figure(&s.records) }</p>
                <WallTimeChart records={s.records.clone()} />
                <Timeline title={format!("Timeline: {}", run_label(last))} spans={last.tasks.clone()} lanes={last.lanes.clone()} />
            }
        </main>
    }
}

#[derive(Properties, PartialEq)]
struct RunBarProps {
    form: Form,
    ready: bool,
    running: bool,
    on_run: Callback<()>,
    on_stop: Callback<()>,
}

/// Run and Stop for the link's models, without the parameter form.
#[function_component(RunBar)]
fn run_bar(props: &RunBarProps) -> Html {
    let models: Vec<&str> = Model::ALL.iter().filter(|m| props.form.models.contains(m)).map(|m| m.label()).collect();
    html! {
        <div class="run-bar">
            <button id="run" type="button" class="primary" disabled={props.running || !props.ready} onclick={props.on_run.reform(|_| ())}>{ "Run" }</button>
            <button id="stop" type="button" class="secondary" disabled={!props.running} onclick={props.on_stop.reform(|_| ())}>{ "Stop" }</button>
            <span class="models">{ models.join(" · ") }</span>
        </div>
    }
}

/// One line with the figure that matters: the fastest model against serial,
/// or the one run's wall and CPU time.
pub fn key_figure(records: &[RunRecord]) -> String {
    let fastest = records.iter().min_by(|a, b| a.wall_ms.total_cmp(&b.wall_ms));
    let serial = records.iter().find(|r| r.model.is_serial());
    match (fastest, serial) {
        (Some(f), Some(s)) if records.len() > 1 && !f.model.is_serial() => format!(
            "{}: {:.2}× as fast as serial ({:.0} ms vs {:.0} ms wall time).",
            run_label(f),
            speedup(records, f).unwrap_or(1.0),
            f.wall_ms,
            s.wall_ms
        ),
        (Some(f), Some(_)) if records.len() > 1 => {
            let next = records.iter().filter(|r| !r.model.is_serial()).min_by(|a, b| a.wall_ms.total_cmp(&b.wall_ms));
            match next {
                Some(n) => format!(
                    "Serial was fastest ({:.0} ms); {} took {:.2}× as long ({:.0} ms).",
                    f.wall_ms,
                    run_label(n),
                    n.wall_ms / f.wall_ms.max(1e-9),
                    n.wall_ms
                ),
                None => format!("serial: {:.0} ms wall time.", f.wall_ms),
            }
        }
        (Some(f), _) => format!("{}: {:.0} ms wall time, {:.0} ms CPU time.", run_label(f), f.wall_ms, f.cpu_ms),
        (None, _) => String::new(),
    }
}
