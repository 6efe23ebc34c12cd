//! Run history: every finished run as a small entry (no timeline), kept in
//! this browser's local storage so it survives a reload. It never leaves the
//! browser; Export and Clear are the reader's.
use engine::model::Model;
use engine::record::RunRecord;
use serde::{Deserialize, Serialize};
use serde_json::Value;

const KEY: &str = "playground-history";
/// The most entries kept; the oldest go first.
pub const MAX_ENTRIES: usize = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// When it finished (ms since 1970).
    pub at_ms: f64,
    pub scenario: String,
    pub params: Value,
    pub model: Model,
    pub workers: u32,
    pub gil: String,
    pub wall_ms: f64,
    pub cpu_ms: f64,
    /// Against the serial run of the same batch, where there was one.
    pub speedup: Option<f64>,
}

impl HistoryEntry {
    pub fn of(record: &RunRecord, serial_wall_ms: Option<f64>, at_ms: f64) -> HistoryEntry {
        HistoryEntry {
            at_ms,
            scenario: record.scenario.clone(),
            params: record.params.clone(),
            model: record.model,
            workers: record.workers,
            gil: record.gil.clone(),
            wall_ms: record.wall_ms,
            cpu_ms: record.cpu_ms,
            speedup: serial_wall_ms.filter(|_| record.wall_ms > 0.0).map(|s| s / record.wall_ms),
        }
    }

    /// The parameters as one line, `name=value` each.
    pub fn params_text(&self) -> String {
        match &self.params {
            Value::Object(m) => m
                .iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())))
                .collect::<Vec<_>>()
                .join(" "),
            other => other.to_string(),
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The kept history (empty where storage is blocked or holds something else).
pub fn load() -> Vec<HistoryEntry> {
    storage().and_then(|s| s.get_item(KEY).ok()?).and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default()
}

pub fn save(entries: &[HistoryEntry]) {
    if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(entries)) {
        let _ = s.set_item(KEY, &text);
    }
}

pub fn to_json(entries: &[HistoryEntry]) -> String {
    serde_json::to_string_pretty(entries).unwrap_or_default()
}

pub fn to_csv(entries: &[HistoryEntry]) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = String::from("at_ms,scenario,params,model,workers,gil,wall_ms,cpu_ms,speedup\n");
    for e in entries {
        out += &format!(
            "{:.0},{},{},{},{},{},{:.3},{:.3},{}\n",
            e.at_ms,
            quote(&e.scenario),
            quote(&e.params_text()),
            e.model.id(),
            e.workers,
            e.gil,
            e.wall_ms,
            e.cpu_ms,
            e.speedup.map(|s| format!("{s:.4}")).unwrap_or_default()
        );
    }
    out
}
