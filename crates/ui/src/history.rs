//! Run history: every finished run as a small entry (no timeline), kept in
//! this browser's local storage so it survives a reload. It never leaves the
//! browser; Export and Clear are the reader's.
use engine::model::Model;
use engine::record::{Gil, RunRecord};
use engine::scenarios::ScenarioId;
use serde::{Deserialize, Serialize};
use serde_json::Value;

const KEY: &str = "playground-history";
/// Where a stored history that could not all be read is kept, as it was.
const UNREADABLE_KEY: &str = "playground-history-unreadable";
/// The most entries kept; the oldest go first.
pub const MAX_ENTRIES: usize = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// When it finished (ms since 1970).
    pub at_ms: f64,
    pub scenario: ScenarioId,
    pub params: Value,
    pub model: Model,
    pub workers: u32,
    pub gil: Gil,
    pub wall_ms: f64,
    pub cpu_ms: f64,
    /// Against the serial run of the same batch, where there was one (for
    /// a run added from a machine: that machine's serial run, if added).
    pub speedup: Option<f64>,
    /// Where a run added from a machine ran ("CPython 3.12, Linux, 8
    /// cores"); absent for this browser's runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ran_on: Option<String>,
    /// The reader's guess before the run ("Predict"), where they made one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guess: Option<crate::predict::Guess>,
}

impl HistoryEntry {
    pub fn of(record: &RunRecord, serial_wall_ms: Option<f64>, at_ms: f64) -> HistoryEntry {
        HistoryEntry {
            at_ms,
            scenario: record.scenario,
            params: record.params.clone(),
            model: record.model,
            workers: record.workers,
            gil: record.gil,
            wall_ms: record.wall_ms,
            cpu_ms: record.cpu_ms,
            speedup: serial_wall_ms.filter(|_| record.wall_ms > 0.0).map(|s| s / record.wall_ms),
            ran_on: record.env.native.as_ref().map(|n| n.describe(record.env.cores)),
            guess: None,
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

/// The kept history, and a note if some of what was stored could not be
/// read (an entry of another shape, or text that is not a list): those are
/// skipped, the rest loads. Empty where storage is blocked.
pub fn load() -> (Vec<HistoryEntry>, Option<String>) {
    let Some(text) = storage().and_then(|s| s.get_item(KEY).ok()?) else { return (Vec::new(), None) };
    let (entries, note) = read(&text);
    if note.is_some() {
        // What could not be read stays, untouched, under a key of its own.
        if let Some(s) = storage() {
            let _ = s.set_item(UNREADABLE_KEY, &text);
        }
    }
    (entries, note)
}

/// The entries of a stored history (see `load`).
pub fn read(text: &str) -> (Vec<HistoryEntry>, Option<String>) {
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) else {
        return (
            Vec::new(),
            Some(format!(
                "The saved run history could not be read; it is kept in local storage as {UNREADABLE_KEY}, and new runs start a new one."
            )),
        );
    };
    let total = items.len();
    let entries: Vec<HistoryEntry> = items.into_iter().filter_map(|item| serde_json::from_value(item).ok()).collect();
    let skipped = total - entries.len();
    let note = (skipped > 0).then(|| {
        let (noun, verb) = if total == 1 { ("entry", "was") } else { ("entries", if skipped == 1 { "was" } else { "were" }) };
        format!(
            "{skipped} of {total} saved history {noun} could not be read and {verb} skipped (the stored text is kept as {UNREADABLE_KEY})."
        )
    });
    (entries, note)
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
            quote(e.scenario.as_str()),
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
