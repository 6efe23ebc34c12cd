//! S6: download files and keep their bytes. Each task is one GET that blocks
//! its worker (or, in the async model, one `fetch` future); its output is the
//! URL with the byte count and a CRC-32, or the error for that file alone.
use super::{Outcome, TaskInput};
use crate::config::RunPlan;
use crate::pool::TaskFailure;
use kernels::Checkpoint;
use serde_json::{json, Value};

/// The files of a preset on the app's latency server, in order.
pub fn preset_files(preset: &str) -> Vec<String> {
    match preset {
        "pages" => (1..=6).map(|i| format!("net/pages/post-{i}.html")).collect(),
        "images20" => (1..=20).map(|i| format!("net/images/photo-{i}.jpg")).collect(),
        // The tutorial's 6 images, downloaded 5 times each.
        _ => (0..30).map(|i| format!("net/images/photo-{}.jpg", i % 6 + 1)).collect(),
    }
}

pub fn urls(plan: &RunPlan) -> Vec<String> {
    let own: Vec<String> =
        plan.params.text("urls").split(|c: char| c.is_whitespace() || c == ',').filter(|u| !u.is_empty()).map(String::from).collect();
    if !own.is_empty() {
        return own;
    }
    let files = preset_files(plan.params.text("preset"));
    let count = match plan.params.int("count") {
        0 => files.len(),
        n => n as usize,
    };
    let (latency, kbps) = (plan.params.int("latency_ms"), plan.params.int("bandwidth_kbps"));
    (0..count).map(|i| format!("{}?latency_ms={latency}&kbps={kbps}", files[i % files.len()])).collect()
}

pub fn tasks(plan: &RunPlan) -> Vec<TaskInput> {
    urls(plan)
        .into_iter()
        .enumerate()
        .map(|(i, url)| {
            let name = url.split('?').next().unwrap_or(&url).rsplit('/').next().unwrap_or(&url).to_string();
            TaskInput::new(plan, i, format!("get {name}"), json!({ "url": url }))
        })
        .collect()
}

/// What a download produced, for the result.
pub fn summary(url: &str, got: Result<Vec<u8>, String>) -> Value {
    match got {
        Ok(bytes) => json!({ "url": url, "bytes": bytes.len(), "checksum": format!("{:08x}", crc32fast::hash(&bytes)) }),
        Err(error) => json!({ "url": url, "error": error }),
    }
}

pub fn run(input: &Value, cp: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
    let url = input["url"].as_str().ok_or_else(|| TaskFailure::Failed("task input lacks 'url'".into()))?;
    let mut got = Err("not started".to_string());
    cp.io(&mut || got = crate::io::blocking_get(url))?;
    Ok(summary(url, got))
}

pub fn assemble(outcome: Outcome) -> Value {
    json!({ "files": outcome.outputs })
}
