//! S7, the report pipeline: three endpoints, each collected (an API wait),
//! imported (a disk wait), then reported once per interval. The variants put
//! the stages on different executors; `crate::pipeline::schedule` says what
//! each should take. Durations are in tutorial seconds; `scale_ms` turns them
//! into milliseconds here.
use super::ScenarioSpec;
use super::{RunsTasks, Scenario, ScenarioId, TaskInput};
use crate::catalog::{choice, int};
use crate::model::Model;
use crate::pipeline::schedule::{self, Startups};
use crate::pipeline::{Exec, Pipeline, Stage};
use crate::plan::RunPlan;
use crate::pool::TaskFailure;
use kernels::Checkpoint;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub struct PipelineScenario;

/// The pipeline's parameters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub variant: u32,
    pub cpucount: u32,
    pub report: ReportKind,
    pub scale_ms: u32,
}

/// What the report step does with its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportKind {
    /// A timed wait, as in the tutorial.
    Wait,
    /// Real CPU work calibrated to the same duration.
    Cpu,
}

pub fn params(plan: &RunPlan) -> Params {
    plan.params.typed()
}

impl Scenario for PipelineScenario {
    /// A fresh pool per batch takes its workers once per endpoint's batch;
    /// a long-lived pool takes its workers once.
    fn processes_asked(&self, plan: &RunPlan) -> usize {
        let p = params(plan);
        variant(p.variant, p.cpucount)
            .stages
            .iter()
            .map(|s| match s.exec {
                Exec::FreshPool { workers } => workers as usize * ENDPOINTS.len(),
                Exec::LongPool { workers } => workers as usize,
                Exec::Caller | Exec::Thread => 0,
            })
            .sum()
    }

    fn id(&self) -> ScenarioId {
        ScenarioId::Pipeline
    }

    fn python(&self) -> Option<&'static str> {
        Some(include_str!("../../python/scenarios/pipeline.py"))
    }

    /// Variant 4 maps the reports over a fresh process pool per endpoint:
    /// a Dask executor takes its place. Variants 5 and 6 feed long-lived
    /// processes through multiprocessing queues, which have no executor to
    /// swap (on Dask that is another program: its queues or actors); 1 to 3
    /// start no process.
    fn python_on_dask(&self, plan: &RunPlan) -> bool {
        params(plan).variant == 4
    }

    fn spec(&self) -> ScenarioSpec {
        ScenarioSpec {
            id: self.id(),
            title: "Report pipeline: stages and queues",
            summary: "For each of three endpoints: collect (an API wait, never two at once), import (a disk \
                      wait, one at a time), then one report per interval (30, 60, 90). Six variants move the \
                      stages onto threads and process pools connected by queues; time is scaled so the \
                      tutorial's minute takes about a second.",
            lesson: "Overlap the stages and the slowest one sets the pace; give the parallel stage a pool \
                     that lives for the whole run and is fed by a queue. With real CPU work, gains stop at \
                     the number of cores.",
            models: vec![Model::Pipeline],
            default_models: vec![Model::Pipeline],
            default_workers: 1,
            params: vec![
                int(
                    "variant",
                    "Variant",
                    "1 serial; 2 report thread; 3 plus import thread; 4 fresh process pool per \
                     endpoint; 5 one long-lived pool fed by a queue; 6 variant 5 plus the import thread.",
                    1,
                    6,
                    5,
                ),
                int("cpucount", "Pool size (cpucount)", "Workers in the report pool (variants 4 to 6).", 1, 16, 3),
                choice(
                    "report",
                    "Report step",
                    "wait: a timed wait, as in the tutorial; cpu: real CPU work calibrated to the same time.",
                    &["wait", "cpu"],
                    "wait",
                ),
                int("scale_ms", "Scale (ms per tutorial second)", "How long one second of the tutorial takes here.", 1, 1000, 20),
            ],
            article: vec![],
        }
    }

    fn pool_size_param(&self) -> Option<&'static str> {
        Some("cpucount")
    }

    /// Variants 2, 3 and 6 have a stage on a dedicated thread.
    fn needs_shared_memory(&self, plan: &RunPlan) -> bool {
        matches!(params(plan).variant, 2 | 3 | 6)
    }
}

impl RunsTasks for PipelineScenario {
    /// A report run by an isolated worker of a pool stage.
    fn run(&self, input: &Value, cp: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
        run(input, cp)
    }
}

pub const ENDPOINTS: [&str; 3] = ["24h", "1h", "5m"];
pub const INTERVALS: [u32; 3] = [30, 60, 90];

fn max_interval() -> f64 {
    INTERVALS.iter().copied().max().unwrap_or(0) as f64
}

/// Seconds (tutorial time) per step.
pub fn collect_s() -> f64 {
    0.05 * max_interval()
}
pub fn import_s() -> f64 {
    0.01 * max_interval()
}
pub fn report_s(interval: u32) -> f64 {
    0.1 * interval as f64
}

/// Each stage's task durations for one endpoint.
pub fn durations() -> Vec<Vec<f64>> {
    vec![vec![collect_s()], vec![import_s()], INTERVALS.iter().map(|&i| report_s(i)).collect()]
}

/// What the tutorial printed: (variant, cpucount where it mattered, seconds).
pub const ARTICLE: [(u32, Option<u32>, f64); 12] = [
    (1, None, 70.2),
    (2, None, 59.4),
    (3, None, 59.4),
    (4, Some(1), 59.6),
    (4, Some(2), 41.5),
    (4, Some(3), 32.5),
    (4, Some(4), 32.5),
    (5, Some(3), 28.3),
    (5, Some(4), 25.9),
    (5, Some(5), 25.3),
    (5, Some(6), 25.3),
    (6, Some(5), 23.5),
];

pub fn uses_pool(variant: u32) -> bool {
    variant >= 4
}

pub fn article_s(variant: u32, cpucount: u32) -> Option<f64> {
    ARTICLE.iter().find(|(v, c, _)| *v == variant && c.is_none_or(|c| c == cpucount)).map(|f| f.2)
}

/// The stages of a variant. Collect and import allow one call at a time.
pub fn variant(variant: u32, cpucount: u32) -> Pipeline {
    let (import, report) = match variant {
        1 => (Exec::Caller, Exec::Caller),
        2 => (Exec::Caller, Exec::Thread),
        3 => (Exec::Thread, Exec::Thread),
        4 => (Exec::Caller, Exec::FreshPool { workers: cpucount }),
        5 => (Exec::Caller, Exec::LongPool { workers: cpucount }),
        _ => (Exec::Thread, Exec::LongPool { workers: cpucount }),
    };
    Pipeline {
        stages: vec![Stage::new("collect", Exec::Caller, 1), Stage::new("import", import, 1), Stage::new("report", report, u32::MAX)],
    }
}

/// One (endpoint, interval) pair; `table` is attached by import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    pub endpoint: String,
    pub interval: u32,
    pub table: Vec<u32>,
}

/// What flows between stages: one endpoint's pairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    pub index: u32,
    pub pairs: Vec<Pair>,
}

/// How a report spends its time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ReportWork {
    Wait { ms: f64 },
    Cpu { steps: u64 },
}

/// Collect: ask the (simulated) API for an endpoint's pairs.
pub fn collect(index: u32) -> Batch {
    let endpoint = ENDPOINTS[index as usize % ENDPOINTS.len()].to_string();
    let pairs = INTERVALS.iter().map(|&interval| Pair { endpoint: endpoint.clone(), interval, table: Vec::new() }).collect();
    Batch { index, pairs }
}

/// Import: attach each pair's table (deterministic rows, one per interval step).
pub fn import(mut batch: Batch) -> Batch {
    for pair in &mut batch.pairs {
        let mut x = 0x2545_F491u32 ^ (batch.index.wrapping_mul(2_654_435_761)) ^ pair.interval;
        pair.table = (0..pair.interval * 4)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x % 1000
            })
            .collect();
    }
    batch
}

/// Report: spend the report's time, then summarise the table.
pub fn report(pair: &Pair, work: ReportWork, cp: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
    match work {
        ReportWork::Wait { ms } => cp.sleep(ms)?,
        ReportWork::Cpu { steps } => {
            kernels::burn::burn(steps, cp)?;
        }
    }
    let rows = pair.table.len();
    let sum: u64 = pair.table.iter().map(|&v| v as u64).sum();
    Ok(json!({
        "endpoint": pair.endpoint,
        "interval": pair.interval,
        "rows": rows,
        "mean": if rows == 0 { 0.0 } else { sum as f64 / rows as f64 },
        "max": pair.table.iter().copied().max().unwrap_or(0),
    }))
}

/// A report as a task for an isolated worker.
pub fn report_task(plan: &RunPlan, index: usize, pair: &Pair, work: ReportWork) -> TaskInput {
    TaskInput::new(plan, index, format!("report {} @{}", pair.endpoint, pair.interval), json!({ "pair": pair, "work": work }))
}

pub fn run(input: &Value, cp: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
    let bad = |e: serde_json::Error| TaskFailure::Failed(format!("bad report task: {e}"));
    let pair: Pair = serde_json::from_value(input.get("pair").cloned().unwrap_or(Value::Null)).map_err(bad)?;
    let work: ReportWork = serde_json::from_value(input.get("work").cloned().unwrap_or(Value::Null)).map_err(bad)?;
    report(&pair, work, cp)
}

/// What a finished run measured, for the result.
#[derive(Debug, Clone, Default)]
pub struct Measured {
    pub total_ms: f64,
    /// Measured start-up of each stage's pools or thread, in ms.
    pub startups_ms: Startups,
    /// Report outputs, in endpoint then interval order.
    pub reports: Vec<Value>,
    /// Steps per ms of the calibrated CPU work (cpu reports only).
    pub steps_per_ms: Option<f64>,
    pub cores: u32,
}

/// The run's result, all times in tutorial seconds: `measured_s`;
/// `schedule_s` (the stage durations through the schedule, nothing else);
/// `expected_s` (the same schedule plus this run's measured start-ups, and
/// with CPU reports no more pool workers than cores); `article_s`.
pub fn assemble(plan: &RunPlan, m: Measured) -> super::ScenarioResult {
    let p = params(plan);
    let (v, c, scale) = (p.variant, p.cpucount, p.scale_ms as f64);
    let cpu = p.report == ReportKind::Cpu;
    let d = durations();
    let pipeline = variant(v, c);
    let schedule_s = schedule::total(&pipeline, &d, ENDPOINTS.len(), &Startups::default());
    let mut effective = pipeline.clone();
    if cpu {
        for stage in &mut effective.stages {
            stage.limit = stage.limit.min(m.cores.max(1));
        }
    }
    let startups_s = Startups { per_stage: m.startups_ms.per_stage.iter().map(|v| v.iter().map(|ms| ms / scale).collect()).collect() };
    let expected_s = schedule::total(&effective, &d, ENDPOINTS.len(), &startups_s);
    let round = |x: f64| (x * 100.0).round() / 100.0;
    super::ScenarioResult::Pipeline(PipelineResult {
        measured_s: round(m.total_ms / scale),
        expected_s: round(expected_s),
        schedule_s: round(schedule_s),
        article_s: if uses_pool(v) { article_s(v, c) } else { article_s(v, 0) },
        startup_s: round(startups_s.per_stage.iter().flatten().fold(0.0, |a, b| a + b)),
        cpu_work_s: round(d[2].iter().sum::<f64>() * ENDPOINTS.len() as f64),
        cpu_bound_s: round(schedule::cpu_bound(&pipeline, &d, ENDPOINTS.len(), m.cores.max(1))),
        stages: pipeline.stages.iter().map(|s| StageInfo { name: s.name.to_string(), runs_on: s.exec.describe() }).collect(),
        reports: super::outputs_as(m.reports),
        steps_per_ms: m.steps_per_ms,
        cores: m.cores,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kernels::checkpoint::NoCheckpoint;

    #[test]
    fn the_variants_imply_the_tutorials_table() {
        for (v, c, article) in ARTICLE {
            let c = c.unwrap_or(1);
            let total = schedule::total(&variant(v, c), &durations(), 3, &Startups::default());
            assert!((total - article).abs() <= 0.25, "variant {v} cpucount {c}: {total} vs {article}");
        }
    }

    #[test]
    fn the_defaults_fit_the_typed_parameters() {
        let plan = crate::config::validate(&serde_json::from_value(json!({"scenario": "pipeline", "model": "pipeline"})).unwrap()).unwrap();
        let p = params(&plan);
        assert_eq!((p.variant, p.cpucount, p.report, p.scale_ms), (5, 3, ReportKind::Wait, 20));
    }

    #[test]
    fn import_attaches_tables_and_report_summarises_them() {
        let batch = import(collect(1));
        assert_eq!(batch.pairs.len(), 3);
        assert_eq!(batch.pairs[0].endpoint, "1h");
        assert_eq!(batch.pairs[2].table.len(), 360);
        let out = report(&batch.pairs[0], ReportWork::Cpu { steps: 1000 }, &mut NoCheckpoint).unwrap();
        assert_eq!(out["rows"], 120);
        assert!(out["mean"].as_f64().unwrap() > 100.0);
    }
}

/// S7's result, times in tutorial seconds (see `assemble`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PipelineResult {
    pub measured_s: f64,
    pub expected_s: f64,
    pub schedule_s: f64,
    /// What the tutorial measured for this variant, where it did.
    pub article_s: Option<f64>,
    pub startup_s: f64,
    pub cpu_work_s: f64,
    pub cpu_bound_s: f64,
    pub stages: Vec<StageInfo>,
    pub reports: Vec<Report>,
    /// Steps per ms of the calibrated CPU work (CPU reports only).
    pub steps_per_ms: Option<f64>,
    pub cores: u32,
}

/// A stage of the variant and what it runs on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageInfo {
    pub name: String,
    pub runs_on: String,
}

/// One report's summary of its table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub endpoint: String,
    pub interval: u32,
    pub rows: u64,
    pub mean: f64,
    pub max: u64,
}
