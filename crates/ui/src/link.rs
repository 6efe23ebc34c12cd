//! The address bar: read a link on load, keep it in step with the form.
use crate::form::Form;
use engine::config::RunPlan;
use engine::url::{parse_query, parse_view, to_query, View};

pub enum LinkStart {
    /// Nothing asked for: the defaults.
    Nothing,
    Form {
        form: Form,
        run: bool,
    },
    Invalid(Vec<String>),
}

fn search() -> String {
    web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

pub fn read() -> LinkStart {
    let search = search();
    let view = parse_view(&search).unwrap_or_default().to_query();
    // A link that only says how to look (`?embed=1`) asks for the defaults.
    if search.trim_start_matches('?').is_empty() || search.trim_start_matches('?') == view {
        return LinkStart::Nothing;
    }
    match parse_query(&search) {
        Ok(req) => LinkStart::Form { form: Form::from_plans(&req.plans), run: req.run },
        Err(errors) => LinkStart::Invalid(errors.iter().map(|e| format!("In the link, {e}")).collect()),
    }
}

/// How the link asks the page to look; bad view keys are listed, and the
/// page falls back to the full view.
pub fn view() -> (View, Vec<String>) {
    match parse_view(&search()) {
        Ok(view) => (view, Vec::new()),
        Err(errors) => (View::default(), errors.iter().map(|e| format!("In the link, {e}")).collect()),
    }
}

/// The query that reproduces these plans (with `run=1` when `run`).
pub fn query(plans: &[RunPlan], workers: u32, run: bool) -> String {
    format!("?{}", to_query(plans, workers, run))
}

/// This page's address without its query: where links and snippets point.
pub fn base() -> String {
    web_sys::window().and_then(|w| Some(format!("{}{}", w.location().origin().ok()?, w.location().pathname().ok()?))).unwrap_or_default()
}

/// The folder the playground is served from (its `net/` files are there).
pub fn folder() -> String {
    let page = base();
    match page.rfind('/') {
        Some(i) => page[..=i].to_string(),
        None => page,
    }
}

/// The full page (not the embed) with the form's settings, for a new tab.
pub fn full_page(form: &Form) -> String {
    match form.plans() {
        Ok(plans) => format!("{}{}", base(), query(&plans, form.workers_value(), false)),
        Err(_) => base(),
    }
}

/// Put the plans in the address bar without reloading or adding history;
/// an embed keeps its view keys, so a reload stays an embed.
pub fn write(plans: &[RunPlan], workers: u32, view: &View) {
    let mut query = query(plans, workers, false);
    let keep = view.to_query();
    if !keep.is_empty() {
        query = format!("{query}&{keep}");
    }
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&query));
    }
}
