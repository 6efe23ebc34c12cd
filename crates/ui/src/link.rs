//! The address bar: read a link on load, keep it in step with the form.
use crate::form::Form;
use engine::config::RunPlan;
use engine::url::{parse_query, to_query};

pub enum LinkStart {
    /// Nothing asked for: the defaults.
    Nothing,
    Form { form: Form, run: bool },
    Invalid(Vec<String>),
}

pub fn read() -> LinkStart {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    if search.trim_start_matches('?').is_empty() {
        return LinkStart::Nothing;
    }
    match parse_query(&search) {
        Ok(req) => LinkStart::Form { form: Form::from_plans(&req.plans), run: req.run },
        Err(errors) => LinkStart::Invalid(errors.iter().map(|e| format!("In the link, {e}")).collect()),
    }
}

/// The query that reproduces these plans (with `run=1` when `run`).
pub fn query(plans: &[RunPlan], workers: u32, run: bool) -> String {
    format!("?{}", to_query(plans, workers, run))
}

/// Put the plans in the address bar without reloading or adding history.
pub fn write(plans: &[RunPlan], workers: u32) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&query(plans, workers, false)));
    }
}
