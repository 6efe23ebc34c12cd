//! S6: download files and keep their bytes. Each task is one GET that blocks
//! its worker (or, in the async model, one `fetch` future); its output is the
//! URL with the byte count and a CRC-32, or the error for that file alone.
use super::ScenarioSpec;
use super::{MakesTasks, Outcome, PoolScenario, RunsTasks, Scenario, ScenarioId, TaskInput};
use crate::catalog::{choice, int, ParamKind, ParamSpec};
use crate::model::Model;
use crate::plan::RunPlan;
use crate::pool::TaskFailure;
use kernels::Checkpoint;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The latency server's files, from the one list of them that the service
/// worker and the build read too (`www/net-files.js`, the JSON between its
/// markers).
const NET_FILES_JS: &str = include_str!("../../../../www/net-files.js");

#[derive(Debug, Deserialize)]
struct NetKind {
    count: u32,
    /// The file name, `{i}` standing for 1..=count.
    name: String,
}

fn net_kinds() -> BTreeMap<String, NetKind> {
    let (begin, end) = ("/* net-files: begin */", "/* net-files: end */");
    let from = NET_FILES_JS.find(begin).map(|i| i + begin.len()).expect("www/net-files.js marks its list");
    let to = NET_FILES_JS.find(end).expect("www/net-files.js marks its list");
    serde_json::from_str(&NET_FILES_JS[from..to]).expect("www/net-files.js lists its files as JSON")
}

/// The `n`th file (1-based) of `kind` on the latency server.
fn net_file(kind: &str, n: u32) -> String {
    let kinds = net_kinds();
    let spec = kinds.get(kind).unwrap_or_else(|| panic!("www/net-files.js has no kind '{kind}'"));
    format!("net/{kind}/{}", spec.name.replace("{i}", &(1 + (n - 1) % spec.count).to_string()))
}

pub struct Downloads;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    preset: Preset,
    count: u32,
    latency_ms: u32,
    bandwidth_kbps: u32,
    #[allow(dead_code)] // sizes the pool, read through `pool_size_param`
    limit: u32,
    urls: String,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum Preset {
    Pages,
    Images,
    Images20,
}

/// The files of a preset on the app's latency server, in order.
fn preset_files(preset: Preset) -> Vec<String> {
    match preset {
        Preset::Pages => (1..=6).map(|i| net_file("pages", i)).collect(),
        Preset::Images20 => (1..=20).map(|i| net_file("images", i)).collect(),
        // The tutorial's 6 images, downloaded 5 times each.
        Preset::Images => (0..30).map(|i| net_file("images", i % 6 + 1)).collect(),
    }
}

pub fn urls(plan: &RunPlan) -> Vec<String> {
    let p: Params = plan.params.typed();
    let own: Vec<String> = p.urls.split(|c: char| c.is_whitespace() || c == ',').filter(|u| !u.is_empty()).map(String::from).collect();
    if !own.is_empty() {
        return own;
    }
    let files = preset_files(p.preset);
    let count = match p.count {
        0 => files.len(),
        n => n as usize,
    };
    let (latency, kbps) = (p.latency_ms, p.bandwidth_kbps);
    (0..count).map(|i| format!("{}?latency_ms={latency}&kbps={kbps}", files[i % files.len()])).collect()
}

impl Scenario for Downloads {
    fn id(&self) -> ScenarioId {
        ScenarioId::Downloads
    }

    fn python(&self) -> Option<&'static str> {
        Some(include_str!("../../python/scenarios/downloads.py"))
    }

    fn spec(&self) -> ScenarioSpec {
        ScenarioSpec {
            id: self.id(),
            title: "Downloads: concurrency needs no cores",
            summary: "Download a list of files and keep their bytes (size and checksum per file). The files come \
                      from this app's own latency server, which answers after a chosen delay, so waiting \
                      dominates as on a real network; your own URLs work too where their server allows it.",
            lesson: "I/O-bound work speeds up with threads even under a GIL, and with async on one thread: \
                     while one request waits, others proceed. Processes help too but pay their start-up.",
            models: vec![Model::Serial, Model::Threads, Model::PerTask, Model::Batches, Model::Async, Model::Processes],
            default_models: vec![Model::Serial, Model::Threads, Model::Async, Model::Processes],
            default_workers: 6,
            params: vec![
                choice(
                    "preset",
                    "Files",
                    "pages: 6 blog posts; images: 6 images × 5 = 30 downloads; images20: 20 images.",
                    &["pages", "images", "images20"],
                    "images",
                ),
                int("count", "Downloads", "How many downloads, cycling through the files (0: the preset's own number).", 0, 500, 0),
                int("latency_ms", "Latency (ms)", "Delay before each response from the app's latency server.", 0, 10_000, 200),
                int("bandwidth_kbps", "Bandwidth (kbit/s)", "Cap per download (0: unlimited).", 0, 10_000_000, 0),
                int("limit", "Concurrency limit", "Pool size, requests in flight (async), or batch size.", 1, 32, 6),
                ParamSpec {
                    name: "urls",
                    label: "Your URLs",
                    help: "Instead of the preset: URLs separated by spaces or commas.",
                    kind: ParamKind::Text {
                        max_len: 20_000,
                        default: "",
                        list: true,
                        placeholder: "https://example.org/a.png https://example.org/b.png",
                    },
                },
            ],
            article: vec![],
        }
    }

    fn pool_size_param(&self) -> Option<&'static str> {
        Some("limit")
    }

    fn python_values(&self, plan: &RunPlan) -> Vec<(&'static str, crate::pysource::PyValue)> {
        let files = urls(plan).iter().map(|u| crate::pysource::literal::string(u)).collect();
        vec![("urls", crate::pysource::PyValue::List(files))]
    }
}

impl RunsTasks for Downloads {
    fn run(&self, input: &Value, cp: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
        run(input, cp)
    }
}

impl MakesTasks for Downloads {
    fn tasks(&self, plan: &RunPlan) -> Vec<TaskInput> {
        urls(plan)
            .into_iter()
            .enumerate()
            .map(|(i, url)| {
                let name = url.split('?').next().unwrap_or(&url).rsplit('/').next().unwrap_or(&url).to_string();
                TaskInput::new(plan, i, format!("get {name}"), json!({ "url": url }))
            })
            .collect()
    }
}

impl PoolScenario for Downloads {
    fn assemble(&self, _plan: &RunPlan, outcome: Outcome) -> super::ScenarioResult {
        super::ScenarioResult::Downloads(DownloadsResult { files: super::outputs_as(outcome.outputs) })
    }
}

/// What a download produced, for the result.
pub fn summary(url: &str, got: Result<Vec<u8>, String>) -> Value {
    match got {
        Ok(bytes) => json!({ "url": url, "bytes": bytes.len(), "checksum": format!("{:08x}", crc32fast::hash(&bytes)) }),
        Err(error) => json!({ "url": url, "error": error }),
    }
}

fn run(input: &Value, cp: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
    let url = input["url"].as_str().ok_or_else(|| TaskFailure::Failed("task input lacks 'url'".into()))?;
    let mut got = Err("not started".to_string());
    cp.io(&mut || got = crate::io::blocking_get(url))?;
    Ok(summary(url, got))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_file_list_is_read_from_the_service_workers_file() {
        assert_eq!(super::net_file("pages", 1), "net/pages/post-1.html");
        assert_eq!(super::net_file("images", 20), "net/images/photo-20.jpg");
        assert_eq!(super::net_kinds()["images"].count, 20);
    }
}

/// S6's result: one entry per file, in input order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DownloadsResult {
    pub files: Vec<Download>,
}

/// One file: its size and CRC-32, or why it could not be fetched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Download {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// CRC-32 as 8 hex digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}
