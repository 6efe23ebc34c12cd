//! What the controls hold, as typed, and how it becomes plans.
use engine::config::{validate, ConfigError, RunConfig, RunPlan};
use engine::model::Model;
use engine::scenarios::ScenarioSpec;
use engine::scenarios::{self, ScenarioId};
use engine::start_method::StartMethod;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub scenario: ScenarioId,
    /// Parameter text by name, as typed.
    pub params: BTreeMap<String, String>,
    pub models: Vec<Model>,
    pub workers: String,
    pub gil: bool,
    /// How processes start (`spawn` / `forkserver`).
    pub start_method: StartMethod,
    /// Largest worker count of a speedup sweep ("" = the core count).
    pub sweep_max: String,
}

impl Default for Form {
    fn default() -> Self {
        Form::for_scenario(ScenarioId::default())
    }
}

impl Form {
    /// A scenario's defaults.
    pub fn for_scenario(id: ScenarioId) -> Form {
        let spec = scenarios::spec(id);
        Form {
            scenario: id,
            params: spec.params.iter().map(|p| (p.name.to_string(), p.default_text())).collect(),
            models: spec.default_models.clone(),
            workers: spec.default_workers.to_string(),
            gil: true,
            start_method: StartMethod::default(),
            sweep_max: String::new(),
        }
    }

    pub fn spec(&self) -> ScenarioSpec {
        scenarios::spec(self.scenario)
    }

    pub fn param(&self, name: &str) -> String {
        self.params.get(name).cloned().unwrap_or_default()
    }

    /// One plan per chosen model, in catalog order, or every problem found.
    pub fn plans(&self) -> Result<Vec<RunPlan>, Vec<ConfigError>> {
        if self.models.is_empty() {
            return Err(vec![ConfigError { param: "models".into(), message: "choose at least one model".into() }]);
        }
        let params: Map<String, Value> = self.params.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
        let mut plans = Vec::new();
        let mut errors: Vec<ConfigError> = Vec::new();
        for model in Model::ALL.iter().filter(|m| self.models.contains(m)) {
            let config = RunConfig {
                scenario: json!(self.scenario.as_str()),
                model: json!(model.id()),
                workers: json!(self.workers),
                gil: json!(self.gil),
                start_method: json!(self.start_method.id()),
                params: Value::Object(params.clone()),
                ..RunConfig::default()
            };
            match validate(&config) {
                Ok(plan) => plans.push(plan),
                Err(e) if !errors.contains(&e) => errors.push(e),
                Err(_) => {}
            }
        }
        if errors.is_empty() {
            Ok(plans)
        } else {
            Err(errors)
        }
    }

    /// The form that a link's plans describe.
    pub fn from_plans(plans: &[RunPlan]) -> Form {
        let Some(first) = plans.first() else { return Form::default() };
        let mut form = Form::for_scenario(first.scenario);
        form.gil = first.gil;
        form.start_method = first.start_method;
        for (name, value) in &first.params.0 {
            form.params.insert(name.clone(), value.to_text());
        }
        form.models = plans.iter().map(|p| p.model).collect();
        if let Some(pool) = plans.iter().find(|p| !p.model.is_serial()) {
            form.workers = pool.workers.to_string();
        }
        form
    }

    /// The plans of a speedup sweep: the first pool model chosen, with 1 to
    /// `max` workers.
    pub fn sweep_plans(&self, cores: u32) -> Result<Vec<RunPlan>, Vec<ConfigError>> {
        let max = if self.sweep_max.trim().is_empty() {
            Ok(cores.max(1) as i64)
        } else {
            engine::config::parse_int("sweep up to", &json!(self.sweep_max), 1, engine::catalog::MAX_WORKERS as i64)
        }
        .map_err(|e| vec![e])?;
        let plans = self.plans()?;
        let Some(pool) = plans.into_iter().find(|p| !p.model.is_serial()) else {
            return Err(vec![ConfigError { param: "models".into(), message: "a sweep needs a pool model (threads or processes)".into() }]);
        };
        // No further than the pool's own range (the pipeline's cpucount stops at 16).
        Ok((1..=(max as u32).min(pool.max_pool_size())).map(|n| pool.with_pool_size(n)).collect())
    }

    /// The pipeline's whole table: every (variant, cpucount) the tutorial
    /// printed, with this form's other parameters.
    pub fn table_plans(&self) -> Result<Vec<RunPlan>, Vec<ConfigError>> {
        let base = self.plans()?.remove(0);
        let set = |plan: &mut RunPlan, name: &str, n: u32| {
            plan.params.0.insert(name.into(), engine::config::ParamValue::Int(n as i64));
        };
        Ok(engine::scenarios::pipeline::ARTICLE
            .iter()
            .map(|&(variant, cpucount, _)| {
                let mut plan = base.clone();
                set(&mut plan, "variant", variant);
                set(&mut plan, "cpucount", cpucount.unwrap_or(1));
                plan
            })
            .collect())
    }

    pub fn workers_value(&self) -> u32 {
        self.workers.trim().parse().unwrap_or(1)
    }
}
