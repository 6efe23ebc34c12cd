//! The guess step ("Predict"): before the run, which of the chosen models
//! will be fastest, and how fast it will be against serial. It opens in
//! place of the run when Run is pressed with predicting on (or a link says
//! `predict=1`), takes its first radio's focus so the keyboard starts
//! there, and runs with the guess or without one.
use super::chart::run_label;
use crate::predict::{Guess, Margin};
use engine::model::Model;
use engine::record::RunRecord;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PredictProps {
    /// The models about to run, in the page's order.
    pub models: Vec<Model>,
    /// Run, with the guess (None: without one).
    pub on_guess: Callback<Option<Guess>>,
}

#[function_component(Predict)]
pub fn predict(props: &PredictProps) -> Html {
    let fastest = use_state(|| None::<Model>);
    let margin = use_state(|| None::<Margin>);
    let first = use_node_ref();
    {
        let first = first.clone();
        use_effect_with((), move |_| {
            if let Some(input) = first.cast::<HtmlInputElement>() {
                let _ = input.focus();
            }
        });
    }
    let guess = match (*fastest, *margin) {
        (Some(fastest), Some(margin)) => Some(Guess { fastest, margin }),
        _ => None,
    };
    let on_submit = {
        let on_guess = props.on_guess.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if guess.is_some() {
                on_guess.emit(guess);
            }
        })
    };
    let on_skip = props.on_guess.reform(|_| None);
    html! {
        <form class="predict" id="predict" aria-labelledby="predict-title" onsubmit={on_submit}>
            <h2 id="predict-title">{ "Predict first" }</h2>
            <fieldset class="field">
                <legend>{ "Which model will be fastest?" }</legend>
                { for props.models.iter().enumerate().map(|(i, &m)| {
                    let fastest = fastest.clone();
                    html! {
                        <label class="check">
                            <input type="radio" name="predict-fastest" value={m.id()} ref={if i == 0 { first.clone() } else { NodeRef::default() }}
                                checked={*fastest == Some(m)} onchange={Callback::from(move |_| fastest.set(Some(m)))} />
                            { m.label() }
                        </label>
                    }
                }) }
            </fieldset>
            <fieldset class="field">
                <legend>{ "Your pick against serial:" }</legend>
                { for Margin::ALL.into_iter().map(|g| {
                    let margin = margin.clone();
                    html! {
                        <label class="check">
                            <input type="radio" name="predict-margin" value={g.id()}
                                checked={*margin == Some(g)} onchange={Callback::from(move |_| margin.set(Some(g)))} />
                            { g.label() }
                        </label>
                    }
                }) }
            </fieldset>
            <p class="actions">
                <button type="submit" id="predict-run" disabled={guess.is_none()}>{ "Run with my guess" }</button>
                <button type="button" id="predict-skip" onclick={on_skip}>{ "Run without guessing" }</button>
            </p>
        </form>
    }
}

/// How the guess compared with the run's records: one or two sentences.
pub fn verdict(guess: &Guess, records: &[RunRecord]) -> Option<String> {
    let fastest = records.iter().min_by(|a, b| a.wall_ms.total_cmp(&b.wall_ms))?;
    let base = records.iter().find(|r| r.model.is_serial()).unwrap_or(&records[0]);
    let base_name = if base.model.is_serial() { "serial".to_string() } else { run_label(base) };
    let picked = records.iter().find(|r| r.model == guess.fastest);
    let mut out = if fastest.model == guess.fastest {
        format!("Your guess: {} fastest — right.", run_label(fastest))
    } else {
        let pick = picked.map(run_label).unwrap_or_else(|| guess.fastest.label().to_string());
        format!("Your guess: {pick} fastest — {} was ({:.1} ms).", run_label(fastest), fastest.wall_ms)
    };
    if let Some(p) = picked.filter(|p| p.wall_ms > 0.0) {
        let speedup = base.wall_ms / p.wall_ms;
        let measured = Margin::of(speedup);
        let how = if measured == guess.margin { "as you guessed" } else { "you guessed" };
        let guessed = if measured == guess.margin { String::new() } else { format!(" {}", guess.margin.label()) };
        out += &format!(" It ran at {speedup:.2}× {base_name}'s speed ({}), {how}{guessed}.", measured.label());
    }
    Some(out)
}
