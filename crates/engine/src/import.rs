//! A run made elsewhere, added to the page ("Add a run from your machine",
//! `window.playground.addRun`, the embed's `playground:add-run`): the text
//! or value is checked against the published record type, and the first
//! thing wrong is named in one sentence. The page changes nothing until a
//! record passes.
use crate::config::{validate, RunConfig};
use crate::record::RunRecord;
use serde_json::Value;

/// The largest record text taken (a long run's record is well under it).
pub const MAX_BYTES: usize = 2 * 1024 * 1024;

/// A record from its JSON text.
pub fn from_text(text: &str) -> Result<RunRecord, String> {
    size_check(text.len() as f64)?;
    let value: Value =
        serde_json::from_str(text.trim()).map_err(|e| format!("That is not JSON ({e}). Add the output of `python3 <program> --json`."))?;
    from_value(value)
}

/// Refuses what is too large to be a record, before it is read.
pub fn size_check(bytes: f64) -> Result<(), String> {
    if bytes <= MAX_BYTES as f64 {
        return Ok(());
    }
    Err(format!(
        "That is {:.1} MB; a run record is at most {} MB. Add the output of `python3 <program> --json`.",
        bytes / (1024.0 * 1024.0),
        MAX_BYTES / (1024 * 1024)
    ))
}

/// A record from a JSON value: the shape of `record.json`, a scenario this
/// playground has, parameters it accepts, and that scenario's result.
pub fn from_value(value: Value) -> Result<RunRecord, String> {
    if !value.is_object() {
        return Err("A run record is a JSON object (scenario, model, workers, …, tasks, result).".into());
    }
    let scenario = value.get("scenario").and_then(Value::as_str).unwrap_or_default().to_string();
    if !scenario.is_empty() && crate::scenarios::ScenarioId::parse(&scenario).is_none() {
        return Err(format!("The record is of scenario '{scenario}', which this playground does not have."));
    }
    let record: RunRecord = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let at = if path == "." { String::new() } else { format!(" at {path}") };
        format!("The record does not have the shape of record.json{at}: {}", e.inner())
    })?;
    let config = RunConfig {
        scenario: record.scenario.as_str().into(),
        model: record.model.id().into(),
        workers: record.workers.into(),
        gil: record.gil.is_on().into(),
        params: record.params.clone(),
        start_method: record.start_method.id().into(),
        unknown: Default::default(),
    };
    let plan = validate(&config).map_err(|e| format!("The record's config is not one this playground runs: {e}"))?;
    if record.error.is_none() && record.result.scenario() != Some(plan.scenario) {
        return Err(format!("The record's result is not of the shape of a '{scenario}' result."));
    }
    Ok(record)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn python_record() -> Value {
        json!({
            "scenario": "primes", "model": "threads", "workers": 2, "gil": "on", "start_method": "forkserver",
            "params": {"limits": [300]},
            "env": {"cores": 8, "isolated": false, "shared_memory": true, "build": "native", "userAgent": "CPython 3.12.3 on Linux",
                    "native": {"interpreter": "CPython", "version": "3.12.3", "os": "Linux"}},
            "wall_ms": 12.5, "cpu_ms": 10.0,
            "tasks": [{"id": 0, "label": "300", "worker": 0, "start_ms": 1.0, "end_ms": 11.0, "phases": [{"kind": "compute", "start_ms": 1.0, "end_ms": 11.0}]}],
            "result": {"items": [{"n": 300, "count": 62, "digits": 117, "first_digits": "1", "last_digits": "2"}]}
        })
    }

    #[test]
    fn a_record_of_the_published_shape_is_taken() {
        let record = from_text(&python_record().to_string()).unwrap();
        assert_eq!(record.env.native.unwrap().describe(record.env.cores), "CPython 3.12, Linux, 8 cores");
    }

    #[test]
    fn the_first_thing_wrong_is_named() {
        assert!(from_text("{not json").unwrap_err().starts_with("That is not JSON"));
        assert!(from_text("[1, 2]").unwrap_err().contains("JSON object"));
        assert!(from_text(&"x".repeat(10 * 1024 * 1024)).unwrap_err().contains("10.0 MB"));
        let mut r = python_record();
        r["scenario"] = json!("mandelbrot");
        assert!(from_value(r).unwrap_err().contains("scenario 'mandelbrot'"));
        let mut r = python_record();
        r["wall_ms"] = json!("fast");
        let message = from_value(r).unwrap_err();
        assert!(message.contains("at wall_ms"), "{message}");
        let mut r = python_record();
        r["result"] = json!({"values": ["1"], "finish_order": [0]});
        assert!(from_value(r).unwrap_err().contains("'primes' result"));
        let mut r = python_record();
        r["workers"] = json!(99);
        assert!(from_value(r).unwrap_err().contains("config"));
    }
}
