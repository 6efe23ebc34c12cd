//! Links that reproduce a run:
//! `?scenario=<id>&models=<m1,m2>&workers=<n>&gil=on|off&<param>=<value>..&run=1`.
use crate::catalog;
use crate::config::{validate, ConfigError, RunConfig, RunPlan};
use serde_json::{Map, Value};

const RESERVED: [&str; 5] = ["scenario", "models", "workers", "gil", "run"];

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
        let target = if RESERVED.contains(&k.as_ref()) { &mut fields } else { &mut params };
        target.insert(k.into_owned(), Value::String(v.into_owned()));
    }
    let text = |k: &str| fields.get(k).and_then(Value::as_str).map(str::to_string);
    let scenario = text("scenario").unwrap_or_else(|| "primes".into());
    let models: Vec<String> = match text("models") {
        Some(m) => m.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
        None => catalog::scenario(&scenario).map(|s| s.default_models.iter().map(|m| m.to_string()).collect()).unwrap_or_default(),
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
            params: Value::Object(params.clone()),
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
    q.append_pair("scenario", &first.scenario);
    let models: Vec<&str> = plans.iter().map(|p| p.model.as_str()).collect();
    q.append_pair("models", &models.join(","));
    q.append_pair("workers", &workers.to_string());
    q.append_pair("gil", first.gil_text());
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
        assert_eq!(req.plans[1].model, "threads");
        assert_eq!(req.plans[1].workers, 2);
        assert!(!req.plans[1].gil);
        assert_eq!(req.plans[0].params.int_list("limits"), [100, 200]);
        let again = parse_query(&to_query(&req.plans, 2, true)).unwrap();
        assert_eq!(again, req);
    }

    #[test]
    fn an_empty_link_means_the_default_comparison() {
        let req = parse_query("").unwrap();
        assert!(!req.run);
        let models: Vec<&str> = req.plans.iter().map(|p| p.model.as_str()).collect();
        assert_eq!(models, ["serial", "threads", "processes"]);
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
