//! A run request as people and scripts write it, and its validation into a
//! plan the runtime can execute. Every rejection names the parameter and the
//! allowed range.
use crate::catalog::{ParamKind, ParamSpec, MAX_WORKERS};
use crate::model::Model;
pub use crate::plan::{ParamValue, Params, RunPlan};
use crate::scenarios::ScenarioSpec;
use crate::scenarios::{self, ScenarioId};
use crate::start_method::StartMethod;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// `window.playground.run(config)` takes this shape. Loose on purpose (numbers
/// may be strings, `gil` may be a boolean): validation makes it strict.
/// Its published schema (`engine::schema`) says what validation accepts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RunConfig {
    /// A scenario id (`window.playground.scenarios()` lists them).
    #[serde(default)]
    #[schemars(with = "String")]
    pub scenario: Value,
    /// One of the scenario's models; default its first.
    #[serde(default)]
    #[schemars(with = "Option<crate::model::Model>")]
    pub model: Value,
    /// 1 to 32 (`catalog::MAX_WORKERS`), as a number or its digits.
    #[serde(default)]
    #[schemars(with = "Option<WorkersValue>")]
    pub workers: Value,
    /// The GIL in thread models: on (the default) or off.
    #[serde(default)]
    #[schemars(with = "Option<GilValue>")]
    pub gil: Value,
    /// The scenario's parameters by name (`scenarios()` gives each one's
    /// range and default); missing ones take their default.
    #[serde(default)]
    #[schemars(with = "Option<Map<String, Value>>")]
    pub params: Value,
    /// `spawn` or `forkserver` (`StartMethod`); null: the default.
    #[serde(default)]
    #[schemars(with = "Option<crate::start_method::StartMethod>")]
    pub start_method: Value,
    /// Any other key: refused by validation, naming it (a misspelt key must
    /// not be ignored without a word).
    #[serde(flatten)]
    #[schemars(skip)]
    pub unknown: Map<String, Value>,
}

/// What `workers` accepts (for the schema only).
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
#[serde(untagged)]
enum WorkersValue {
    Count(#[schemars(range(min = 1, max = 32))] u32),
    Digits(#[schemars(regex(pattern = r"^[0-9]+$"))] String),
}

/// What `gil` accepts (for the schema only).
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
#[serde(untagged)]
enum GilValue {
    On(bool),
    Word(GilWord),
}

#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
#[serde(rename_all = "lowercase")]
enum GilWord {
    On,
    Off,
}

/// The keys a run config takes.
pub const CONFIG_KEYS: [&str; 6] = ["scenario", "model", "workers", "gil", "start_method", "params"];

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
    let ParamKind::IntList { min, max, min_len, max_len, .. } = &spec.kind else {
        return Err(err(spec.name, "is not a list"));
    };
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
        .map(|item| parse_int(spec.name, item, *min, *max).map_err(|e| err(spec.name, format!("each value {}", e.message))))
        .collect()
}

fn parse_bool(spec: &ParamSpec, v: &Value) -> Result<bool, ConfigError> {
    match v {
        Value::Bool(b) => Ok(*b),
        _ => match as_text(v).as_deref() {
            Some("true") | Some("1") | Some("on") | Some("yes") => Ok(true),
            Some("false") | Some("0") | Some("off") | Some("no") => Ok(false),
            _ => Err(err(spec.name, format!("must be true or false (got {v})"))),
        },
    }
}

fn parse_param(spec: &ParamSpec, v: &Value) -> Result<ParamValue, ConfigError> {
    Ok(match &spec.kind {
        ParamKind::IntList { .. } => ParamValue::IntList(parse_int_list(spec, v)?),
        ParamKind::Int { min, max, .. } => ParamValue::Int(parse_int(spec.name, v, *min, *max)?),
        ParamKind::Bool { .. } => ParamValue::Bool(parse_bool(spec, v)?),
        ParamKind::Text { max_len, list, .. } => {
            let text = match v {
                Value::String(s) => s.trim().to_string(),
                Value::Array(items) if *list => items
                    .iter()
                    .map(|item| item.as_str().map(str::trim).map(String::from))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| err(spec.name, format!("must be {} (got {v})", spec.range_text())))?
                    .join("\n"),
                _ => return Err(err(spec.name, format!("must be {} (got {v})", spec.range_text()))),
            };
            if text.chars().count() > *max_len {
                return Err(err(spec.name, format!("must be at most {max_len} characters")));
            }
            ParamValue::Text(text)
        }
        ParamKind::Choice { options, .. } => {
            let text = as_text(v).ok_or_else(|| err(spec.name, format!("must be {} (got {v})", spec.range_text())))?;
            if !options.contains(&text.as_str()) {
                return Err(err(spec.name, format!("must be one of {} (got \"{text}\")", options.join(", "))));
            }
            ParamValue::Text(text)
        }
    })
}

fn default_param(spec: &ParamSpec) -> ParamValue {
    match &spec.kind {
        ParamKind::IntList { default, .. } => ParamValue::IntList(default.clone()),
        ParamKind::Int { default, .. } => ParamValue::Int(*default),
        ParamKind::Bool { default } => ParamValue::Bool(*default),
        ParamKind::Choice { default, .. } | ParamKind::Text { default, .. } => ParamValue::Text(default.to_string()),
    }
}

fn scenario_params(spec: &ScenarioSpec, given: &Map<String, Value>) -> Result<Params, ConfigError> {
    if let Some(unknown) = given.keys().find(|k| spec.param(k).is_none()) {
        let known: Vec<&str> = spec.params.iter().map(|p| p.name).collect();
        return Err(err(unknown, format!("is not a parameter of {} (it takes: {})", spec.id, known.join(", "))));
    }
    let mut params = BTreeMap::new();
    for p in &spec.params {
        let value = match given.get(p.name).filter(|v| !v.is_null()) {
            Some(v) => parse_param(p, v)?,
            None => default_param(p),
        };
        params.insert(p.name.to_string(), value);
    }
    Ok(Params(params))
}

pub fn parse_start_method(v: &Value) -> Result<StartMethod, ConfigError> {
    if v.is_null() {
        return Ok(StartMethod::default());
    }
    let allowed: Vec<&str> = StartMethod::ALL.iter().map(|m| m.id()).collect();
    as_text(v)
        .and_then(|t| StartMethod::parse(&t))
        .ok_or_else(|| err("start_method", format!("must be one of {} (got {v})", allowed.join(", "))))
}

pub fn validate(config: &RunConfig) -> Result<RunPlan, ConfigError> {
    if let Some(key) = config.unknown.keys().next() {
        return Err(err(key, format!("is not a key of a run config (it takes: {})", CONFIG_KEYS.join(", "))));
    }
    let ids: Vec<&str> = ScenarioId::ALL.iter().map(|id| id.as_str()).collect();
    let scenario_id = as_text(&config.scenario).unwrap_or_default();
    let scenario = ScenarioId::parse(&scenario_id)
        .ok_or_else(|| err("scenario", format!("must be one of {} (got \"{scenario_id}\")", ids.join(", "))))?;
    let spec = scenarios::spec(scenario);
    let model_text = as_text(&config.model).unwrap_or_else(|| "serial".into());
    let Some(model) = model_text.parse::<Model>().ok().filter(|m| spec.models.contains(m)) else {
        let allowed: Vec<&str> = spec.models.iter().map(|m| m.id()).collect();
        return Err(err("model", format!("must be one of {} (got \"{model_text}\")", allowed.join(", "))));
    };
    let workers = match &config.workers {
        Value::Null => spec.default_workers as i64,
        v => parse_int("workers", v, 1, MAX_WORKERS as i64)?,
    };
    let gil = parse_gil(&config.gil)?;
    let start_method = parse_start_method(&config.start_method)?;
    let params = match &config.params {
        Value::Null => Map::new(),
        Value::Object(m) => m.clone(),
        other => return Err(err("params", format!("must be an object (got {other})"))),
    };
    let params = scenario_params(&spec, &params)?;
    // Serial means one worker, whatever was asked.
    let workers = if model.is_serial() { 1 } else { workers as u32 };
    Ok(RunPlan { scenario, model, workers, gil, start_method, params })
}

/// The same checks as a config's for a plan that crossed a boundary (a
/// `postMessage` from the page, which any script could send): the plan as
/// the config it stands for, validated again. A plan `validate` would not
/// make is refused with the same message, never run.
pub fn revalidate(plan: &RunPlan) -> Result<RunPlan, ConfigError> {
    validate(&RunConfig {
        scenario: plan.scenario.as_str().into(),
        model: plan.model.id().into(),
        workers: plan.workers.into(),
        gil: plan.gil.into(),
        params: serde_json::to_value(&plan.params).unwrap_or(Value::Null),
        start_method: plan.start_method.id().into(),
        ..RunConfig::default()
    })
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
        assert_eq!(plan.workers, crate::catalog::DEFAULT_WORKERS);
        assert!(plan.gil);
        assert_eq!(plan.params.0["limits"], ParamValue::IntList(vec![50328, 22756, 39371, 44832]));
        let plan = validate(&config(json!({"scenario": "pool-overhead", "model": "threads"}))).unwrap();
        assert_eq!(
            (plan.workers, &plan.params.0["work"], &plan.params.0["reuse"]),
            (5, &ParamValue::Text("sleep".into()), &ParamValue::Bool(false))
        );
    }

    #[test]
    fn pool_size_goes_where_the_scenario_reads_it() {
        let primes = validate(&config(json!({"scenario": "primes", "model": "threads"}))).unwrap().with_pool_size(3);
        assert_eq!(primes.workers, 3);
        let downloads = validate(&config(json!({"scenario": "downloads", "model": "threads"}))).unwrap().with_pool_size(3);
        assert_eq!(downloads.params.int("limit"), Some(3));
    }

    #[test]
    fn loose_values_are_accepted() {
        let plan = validate(&config(json!({
            "scenario": "primes", "model": "processes", "workers": "3", "gil": false,
            "params": {"limits": "10, 20,30"}
        })))
        .unwrap();
        assert_eq!((plan.workers, plan.gil), (3, false));
        assert_eq!(plan.params.0["limits"], ParamValue::IntList(vec![10, 20, 30]));
        let plan = validate(&config(json!({
            "scenario": "pool-overhead", "model": "processes", "params": {"work": "square", "reuse": "true", "unit_ms": "20"}
        })))
        .unwrap();
        assert_eq!(plan.params.0["work"], ParamValue::Text("square".into()));
        assert_eq!((&plan.params.0["reuse"], plan.params.int("unit_ms")), (&ParamValue::Bool(true), Some(20)));
    }

    #[test]
    fn which_runs_need_shared_memory() {
        let needs = |v: Value| validate(&config(v)).unwrap().needs_shared_memory();
        assert!(!needs(json!({"scenario": "primes", "model": "serial"})));
        assert!(!needs(json!({"scenario": "primes", "model": "processes"})));
        assert!(!needs(json!({"scenario": "downloads", "model": "async"})));
        assert!(needs(json!({"scenario": "primes", "model": "threads"})));
        assert!(needs(json!({"scenario": "downloads", "model": "batches"})));
        assert!(needs(json!({"scenario": "quadrants", "model": "threads"})));
        for (variant, threads) in [(1, false), (2, true), (3, true), (4, false), (5, false), (6, true)] {
            assert_eq!(needs(json!({"scenario": "pipeline", "model": "pipeline", "params": {"variant": variant}})), threads);
        }
        assert!(!needs(json!({"scenario": "wordcount", "model": "dataflow", "params": {"threads_per_proc": 1}})));
        assert!(needs(json!({"scenario": "wordcount", "model": "dataflow", "params": {"threads_per_proc": 2}})));
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
            (json!({"scenario": "primes", "start_method": "fork"}), "start_method", "spawn, forkserver (got \"fork\")"),
            (
                json!({"scenario": "primes", "startmethod": "spawn"}),
                "startmethod",
                "takes: scenario, model, workers, gil, start_method, params",
            ),
            (json!({"scenario": "primes", "worker": 2}), "worker", "is not a key of a run config"),
            (json!({"scenario": "primes", "params": {"limits": [0]}}), "limits", "1 to 200000"),
            (json!({"scenario": "primes", "params": {"limits": "5,x"}}), "limits", "got \"x\""),
            (json!({"scenario": "primes", "params": {"limits": ""}}), "limits", "1 to 16"),
            (json!({"scenario": "primes", "params": {"limits": vec![5; 17]}}), "limits", "got 17 values"),
            (json!({"scenario": "primes", "params": {"k": 1}}), "k", "takes: limits"),
            (json!({"scenario": "pool-overhead", "params": {"work": "nap"}}), "work", "sleep, square"),
            (json!({"scenario": "pool-overhead", "params": {"reuse": "perhaps"}}), "reuse", "true or false"),
            (json!({"scenario": "sample", "params": {"k": 20_000_000}}), "k", "1 to 10000000"),
            (json!({"scenario": "quadrants", "model": "serial"}), "model", "threads"),
            (json!({"scenario": "downloads", "params": {"urls": 5}}), "urls", "array of strings"),
            (json!({"scenario": "downloads", "params": {"urls": [1, 2]}}), "urls", "got [1,2]"),
            (json!({"scenario": "wordcount", "params": {"text": ["a", "b"]}}), "text", "text of at most"),
            (json!({"scenario": "downloads", "params": {"preset": ["pages"]}}), "preset", "one of pages"),
        ];
        for (input, param, needle) in cases {
            let e = validate(&config(input.clone())).unwrap_err();
            assert_eq!(e.param, param, "{input}");
            assert!(e.to_string().contains(needle), "{e} should mention {needle}");
        }
    }
}
