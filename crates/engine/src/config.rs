//! A run request as people and scripts write it, and its validation into a
//! plan the runtime can execute. Every rejection names the parameter and the
//! allowed range.
use crate::catalog::{self, ParamKind, ParamSpec, ScenarioSpec, DEFAULT_WORKERS, MAX_WORKERS};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

/// `window.playground.run(config)` takes this shape. Loose on purpose (numbers
/// may be strings, `gil` may be a boolean): validation makes it strict.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RunConfig {
    #[serde(default)]
    pub scenario: Value,
    #[serde(default)]
    pub model: Value,
    #[serde(default)]
    pub workers: Value,
    #[serde(default)]
    pub gil: Value,
    #[serde(default)]
    pub params: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    pub param: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.param, self.message)
    }
}

impl std::error::Error for ConfigError {}

fn err(param: &str, message: impl Into<String>) -> ConfigError {
    ConfigError { param: param.to_string(), message: message.into() }
}

/// A validated run: what the runtime executes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunPlan {
    pub scenario: String,
    pub model: String,
    pub workers: u32,
    pub gil: bool,
    pub params: ScenarioParams,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "scenario", rename_all = "kebab-case")]
pub enum ScenarioParams {
    Primes { limits: Vec<u32> },
}

impl RunPlan {
    /// Parameters as they appear in the run record and in links.
    pub fn params_json(&self) -> Value {
        match &self.params {
            ScenarioParams::Primes { limits } => serde_json::json!({ "limits": limits }),
        }
    }

    pub fn gil_text(&self) -> &'static str {
        if self.gil { "on" } else { "off" }
    }
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Parse a whole number given as a JSON number or a string.
pub fn parse_int(param: &str, v: &Value, min: i64, max: i64) -> Result<i64, ConfigError> {
    let range = format!("must be a whole number from {min} to {max}");
    let text = as_text(v).ok_or_else(|| err(param, format!("{range} (got {v})")))?;
    let n: i64 = text.parse().map_err(|_| err(param, format!("{range} (got \"{text}\")")))?;
    if n < min || n > max {
        return Err(err(param, format!("{range} (got {n})")));
    }
    Ok(n)
}

pub fn parse_gil(v: &Value) -> Result<bool, ConfigError> {
    match v {
        Value::Null => Ok(true),
        Value::Bool(b) => Ok(*b),
        _ => match as_text(v).as_deref() {
            Some("on") | Some("true") | Some("1") => Ok(true),
            Some("off") | Some("false") | Some("0") => Ok(false),
            _ => Err(err("gil", format!("must be \"on\" or \"off\" (got {v})"))),
        },
    }
}

fn parse_int_list(spec: &ParamSpec, v: &Value) -> Result<Vec<i64>, ConfigError> {
    let ParamKind::IntList { min, max, min_len, max_len, .. } = &spec.kind;
    let items: Vec<Value> = match v {
        Value::Array(a) => a.clone(),
        _ => {
            let text = as_text(v).ok_or_else(|| err(spec.name, format!("expected {}", spec.range_text())))?;
            text.split(',').filter(|s| !s.trim().is_empty()).map(|s| Value::String(s.trim().into())).collect()
        }
    };
    if items.len() < *min_len || items.len() > *max_len {
        return Err(err(spec.name, format!("expected {} (got {} values)", spec.range_text(), items.len())));
    }
    items
        .iter()
        .map(|item| {
            parse_int(spec.name, item, *min, *max).map_err(|e| err(spec.name, format!("each value {}", e.message)))
        })
        .collect()
}

fn param_value<'a>(params: &'a Map<String, Value>, spec: &ParamSpec) -> Option<&'a Value> {
    params.get(spec.name).filter(|v| !v.is_null())
}

fn default_int_list(spec: &ParamSpec) -> Vec<i64> {
    let ParamKind::IntList { default, .. } = &spec.kind;
    default.clone()
}

fn scenario_params(spec: &ScenarioSpec, params: &Map<String, Value>) -> Result<ScenarioParams, ConfigError> {
    if let Some(unknown) = params.keys().find(|k| spec.param(k).is_none()) {
        let known: Vec<&str> = spec.params.iter().map(|p| p.name).collect();
        return Err(err(unknown, format!("is not a parameter of {} (it takes: {})", spec.id, known.join(", "))));
    }
    match spec.id {
        "primes" => {
            let p = spec.param("limits").expect("primes has limits");
            let limits = match param_value(params, p) {
                Some(v) => parse_int_list(p, v)?,
                None => default_int_list(p),
            };
            Ok(ScenarioParams::Primes { limits: limits.into_iter().map(|n| n as u32).collect() })
        }
        other => Err(err("scenario", format!("{other} has no parameter reader"))),
    }
}

pub fn validate(config: &RunConfig) -> Result<RunPlan, ConfigError> {
    let ids: Vec<&str> = catalog::scenarios().iter().map(|s| s.id).collect();
    let scenario_id = as_text(&config.scenario).unwrap_or_default();
    let spec = catalog::scenario(&scenario_id)
        .ok_or_else(|| err("scenario", format!("must be one of {} (got \"{scenario_id}\")", ids.join(", "))))?;
    let model = as_text(&config.model).unwrap_or_else(|| "serial".into());
    if !spec.models.contains(&model.as_str()) {
        return Err(err("model", format!("must be one of {} (got \"{model}\")", spec.models.join(", "))));
    }
    let workers = match &config.workers {
        Value::Null => DEFAULT_WORKERS as i64,
        v => parse_int("workers", v, 1, MAX_WORKERS as i64)?,
    };
    let gil = parse_gil(&config.gil)?;
    let params = match &config.params {
        Value::Null => Map::new(),
        Value::Object(m) => m.clone(),
        other => return Err(err("params", format!("must be an object (got {other})"))),
    };
    let params = scenario_params(&spec, &params)?;
    // Serial means one worker, whatever was asked.
    let workers = if model == "serial" { 1 } else { workers as u32 };
    Ok(RunPlan { scenario: spec.id.into(), model, workers, gil, params })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config(v: Value) -> RunConfig {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn defaults_fill_what_is_missing() {
        let plan = validate(&config(json!({"scenario": "primes", "model": "threads"}))).unwrap();
        assert_eq!(plan.workers, DEFAULT_WORKERS);
        assert!(plan.gil);
        assert_eq!(plan.params, ScenarioParams::Primes { limits: vec![50328, 22756, 39371, 44832] });
    }

    #[test]
    fn loose_values_are_accepted() {
        let plan = validate(&config(json!({
            "scenario": "primes", "model": "processes", "workers": "3", "gil": false,
            "params": {"limits": "10, 20,30"}
        })))
        .unwrap();
        assert_eq!((plan.workers, plan.gil), (3, false));
        assert_eq!(plan.params, ScenarioParams::Primes { limits: vec![10, 20, 30] });
    }

    #[test]
    fn bad_values_name_the_parameter_and_range() {
        let cases = [
            (json!({"scenario": "nope"}), "scenario", "primes"),
            (json!({"scenario": "primes", "model": "gpu"}), "model", "serial, threads, processes"),
            (json!({"scenario": "primes", "model": "threads", "workers": 0}), "workers", "1 to 32"),
            (json!({"scenario": "primes", "model": "threads", "workers": 33}), "workers", "1 to 32"),
            (json!({"scenario": "primes", "model": "threads", "workers": "many"}), "workers", "1 to 32"),
            (json!({"scenario": "primes", "gil": "maybe"}), "gil", "\"on\" or \"off\""),
            (json!({"scenario": "primes", "params": {"limits": [0]}}), "limits", "1 to 200000"),
            (json!({"scenario": "primes", "params": {"limits": "5,x"}}), "limits", "got \"x\""),
            (json!({"scenario": "primes", "params": {"limits": ""}}), "limits", "1 to 16"),
            (json!({"scenario": "primes", "params": {"limits": vec![5; 17]}}), "limits", "got 17 values"),
            (json!({"scenario": "primes", "params": {"k": 1}}), "k", "takes: limits"),
        ];
        for (input, param, needle) in cases {
            let e = validate(&config(input.clone())).unwrap_err();
            assert_eq!(e.param, param, "{input}");
            assert!(e.to_string().contains(needle), "{e} should mention {needle}");
        }
    }
}
