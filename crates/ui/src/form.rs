//! What the controls hold, as typed, and how it becomes plans.
use engine::catalog::{self, DEFAULT_WORKERS};
use engine::config::{validate, ConfigError, RunConfig, RunPlan, ScenarioParams};
use serde_json::json;

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub scenario: String,
    pub limits: String,
    pub models: Vec<String>,
    pub workers: String,
    pub gil: bool,
}

impl Default for Form {
    fn default() -> Self {
        let spec = catalog::scenario("primes").expect("primes is in the catalog");
        Form {
            scenario: spec.id.into(),
            limits: spec.param("limits").map(|p| p.default_text()).unwrap_or_default(),
            models: spec.models.iter().map(|m| m.to_string()).collect(),
            workers: DEFAULT_WORKERS.to_string(),
            gil: true,
        }
    }
}

impl Form {
    /// One plan per chosen model, in catalog order, or every problem found.
    pub fn plans(&self) -> Result<Vec<RunPlan>, Vec<ConfigError>> {
        if self.models.is_empty() {
            return Err(vec![ConfigError { param: "models".into(), message: "choose at least one model".into() }]);
        }
        let mut plans = Vec::new();
        let mut errors: Vec<ConfigError> = Vec::new();
        for model in catalog::MODELS.iter().filter(|m| self.models.iter().any(|s| s == m.id)) {
            let config = RunConfig {
                scenario: json!(self.scenario),
                model: json!(model.id),
                workers: json!(self.workers),
                gil: json!(self.gil),
                params: json!({ "limits": self.limits }),
            };
            match validate(&config) {
                Ok(plan) => plans.push(plan),
                Err(e) if !errors.contains(&e) => errors.push(e),
                Err(_) => {}
            }
        }
        if errors.is_empty() { Ok(plans) } else { Err(errors) }
    }

    /// The form that a link's plans describe.
    pub fn from_plans(plans: &[RunPlan]) -> Form {
        let mut form = Form::default();
        if let Some(first) = plans.first() {
            form.scenario = first.scenario.clone();
            form.gil = first.gil;
            let ScenarioParams::Primes { limits } = &first.params;
            form.limits = limits.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
        }
        form.models = plans.iter().map(|p| p.model.clone()).collect();
        if let Some(pool) = plans.iter().find(|p| p.model != "serial") {
            form.workers = pool.workers.to_string();
        }
        form
    }

    pub fn workers_value(&self) -> u32 {
        self.workers.trim().parse().unwrap_or(DEFAULT_WORKERS)
    }
}
