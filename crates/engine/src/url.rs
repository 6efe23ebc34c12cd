//! Links that reproduce a run:
//! `?scenario=<id>&models=<m1,m2>&workers=<n>&gil=on|off&<param>=<value>..&run=1`,
//! and how the page shows it: `embed=1`, `controls=0`, `theme=light|dark`,
//! `predict=1` (ask for a guess before each run).
use crate::config::{validate, ConfigError, RunConfig, RunPlan};
use crate::scenarios::{self, ScenarioId};
use serde_json::{Map, Value};

const RESERVED: [&str; 6] = ["scenario", "models", "workers", "gil", "start_method", "run"];
/// Keys that say how to show the page, not what to run.
const VIEW_KEYS: [&str; 4] = ["embed", "controls", "theme", "predict"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// The theme written as `text` (anything else: none, follow the reader's).
    pub fn parse(text: &str) -> Option<Theme> {
        [Theme::Light, Theme::Dark].into_iter().find(|t| t.as_str() == text)
    }
}

/// How a link asks the page to look: the compact embed view (for iframes in
/// tutorials), with or without the parameter form, in a forced theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View {
    pub embed: bool,
    pub controls: bool,
    /// `None`: follow the reader's `prefers-color-scheme`.
    pub theme: Option<Theme>,
    /// `predict=1`: ask the reader to guess before each run (a tutorial's quiz).
    pub predict: bool,
}

impl Default for View {
    fn default() -> Self {
        View { embed: false, controls: true, theme: None, predict: false }
    }
}

impl View {
    /// The query keys that keep this view (empty for the full page's defaults).
    pub fn to_query(&self) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        if self.embed {
            q.append_pair("embed", "1");
        }
        if !self.controls {
            q.append_pair("controls", "0");
        }
        if let Some(theme) = self.theme {
            q.append_pair("theme", theme.as_str());
        }
        if self.predict {
            q.append_pair("predict", "1");
        }
        q.finish()
    }
}

fn flag(key: &str, value: &str) -> Result<bool, ConfigError> {
    match value {
        "1" | "true" | "on" | "yes" => Ok(true),
        "0" | "false" | "off" | "no" => Ok(false),
        _ => Err(ConfigError { param: key.into(), message: format!("must be 1 or 0 (got \"{value}\")") }),
    }
}

fn theme(value: &str) -> Result<Option<Theme>, ConfigError> {
    match value {
        "light" => Ok(Some(Theme::Light)),
        "dark" => Ok(Some(Theme::Dark)),
        "" | "auto" => Ok(None),
        other => Err(ConfigError { param: "theme".into(), message: format!("must be light or dark (got \"{other}\")") }),
    }
}

/// Read the view keys of a query string; every bad value is named.
pub fn parse_view(query: &str) -> Result<View, Vec<ConfigError>> {
    let mut view = View::default();
    let mut errors = Vec::new();
    for (k, v) in form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
        let got = match k.as_ref() {
            "embed" => flag("embed", &v).map(|b| view.embed = b),
            "controls" => flag("controls", &v).map(|b| view.controls = b),
            "theme" => theme(&v).map(|t| view.theme = t),
            "predict" => flag("predict", &v).map(|b| view.predict = b),
            _ => Ok(()),
        };
        if let Err(e) = got {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        Ok(view)
    } else {
        Err(errors)
    }
}

/// What a link asks for: one plan per model, and whether to start at once.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkRequest {
    pub plans: Vec<RunPlan>,
    pub run: bool,
}

/// Read a query string (with or without the leading `?`). Every problem is
/// reported; the caller shows them and does not auto-run.
pub fn parse_query(query: &str) -> Result<LinkRequest, Vec<ConfigError>> {
    let query = query.trim_start_matches('?');
    let mut fields: Map<String, Value> = Map::new();
    let mut params: Map<String, Value> = Map::new();
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        if VIEW_KEYS.contains(&k.as_ref()) {
            continue;
        }
        let target = if RESERVED.contains(&k.as_ref()) { &mut fields } else { &mut params };
        target.insert(k.into_owned(), Value::String(v.into_owned()));
    }
    let text = |k: &str| fields.get(k).and_then(Value::as_str).map(str::to_string);
    let scenario = text("scenario").unwrap_or_else(|| ScenarioId::default().as_str().into());
    let models: Vec<String> = match text("models") {
        Some(m) => m.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
        None => ScenarioId::parse(&scenario)
            .map(|id| scenarios::spec(id).default_models.iter().map(|m| m.id().to_string()).collect())
            .unwrap_or_default(),
    };
    let mut errors = Vec::new();
    if models.is_empty() {
        errors.push(ConfigError { param: "models".into(), message: "name at least one model".into() });
    }
    let mut plans = Vec::new();
    for model in &models {
        let config = RunConfig {
            scenario: Value::String(scenario.clone()),
            model: Value::String(model.clone()),
            workers: fields.get("workers").cloned().unwrap_or(Value::Null),
            gil: fields.get("gil").cloned().unwrap_or(Value::Null),
            start_method: fields.get("start_method").cloned().unwrap_or(Value::Null),
            params: Value::Object(params.clone()),
            ..RunConfig::default()
        };
        match validate(&config) {
            Ok(plan) => plans.push(plan),
            Err(e) if !errors.contains(&e) => errors.push(e),
            Err(_) => {}
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let run = matches!(text("run").as_deref(), Some("1") | Some("true"));
    Ok(LinkRequest { plans, run })
}

/// The query string that reproduces `plans` (same scenario, params, workers).
pub fn to_query(plans: &[RunPlan], workers: u32, run: bool) -> String {
    let Some(first) = plans.first() else { return String::new() };
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("scenario", first.scenario.as_str());
    let models: Vec<&str> = plans.iter().map(|p| p.model.id()).collect();
    q.append_pair("models", &models.join(","));
    q.append_pair("workers", &workers.to_string());
    q.append_pair("gil", first.gil_text());
    if plans.iter().any(|p| p.model.starts_processes()) {
        q.append_pair("start_method", first.start_method.id());
    }
    for (name, value) in &first.params.0 {
        q.append_pair(name, &value.to_text());
    }
    if run {
        q.append_pair("run", "1");
    }
    q.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_link_round_trips() {
        let req = parse_query("?scenario=primes&models=serial,threads&workers=2&gil=off&limits=100%2C200&run=1").unwrap();
        assert!(req.run);
        assert_eq!(req.plans.len(), 2);
        assert_eq!(req.plans[1].model, crate::model::Model::Threads);
        assert_eq!(req.plans[1].workers, 2);
        assert!(!req.plans[1].gil);
        assert_eq!(req.plans[0].params.0["limits"], crate::plan::ParamValue::IntList(vec![100, 200]));
        let again = parse_query(&to_query(&req.plans, 2, true)).unwrap();
        assert_eq!(again, req);
    }

    #[test]
    fn an_empty_link_means_the_default_comparison() {
        let req = parse_query("").unwrap();
        assert!(!req.run);
        let models: Vec<&str> = req.plans.iter().map(|p| p.model.id()).collect();
        assert_eq!(models, ["serial", "threads", "processes"]);
    }

    #[test]
    fn predict_is_a_view_key_kept_in_the_link() {
        let view = parse_view("?scenario=primes&models=serial,threads&run=1&predict=1").unwrap();
        assert!(view.predict);
        assert_eq!(view.to_query(), "predict=1");
        assert!(parse_query("?scenario=primes&models=serial,threads&predict=1").is_ok(), "not a parameter");
        assert_eq!(parse_view("predict=maybe").unwrap_err()[0].param, "predict");
    }

    #[test]
    fn view_keys_are_not_parameters() {
        let query = "?scenario=primes&models=serial&embed=1&controls=0&theme=dark";
        assert_eq!(parse_query(query).unwrap().plans.len(), 1);
        let view = parse_view(query).unwrap();
        assert_eq!(view, View { embed: true, controls: false, theme: Some(Theme::Dark), predict: false });
        assert_eq!(parse_view(&view.to_query()).unwrap(), view);
        assert_eq!(parse_view("").unwrap(), View::default());
        assert_eq!(View::default().to_query(), "");
        let errs = parse_view("embed=maybe&theme=pink").unwrap_err();
        assert_eq!(errs.iter().map(|e| e.param.as_str()).collect::<Vec<_>>(), ["embed", "theme"]);
        assert!(errs[1].to_string().contains("light or dark"));
    }

    #[test]
    fn bad_links_list_every_problem() {
        let errs = parse_query("scenario=primes&models=serial,warp&workers=99&limits=7").unwrap_err();
        let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert!(text.iter().any(|t| t.starts_with("model:") && t.contains("warp")), "{text:?}");
        assert!(parse_query("scenario=primes&models=threads&workers=99").unwrap_err()[0].param == "workers");
        assert_eq!(parse_query("scenario=primes&bogus=1").unwrap_err()[0].param, "bogus");
    }
}
