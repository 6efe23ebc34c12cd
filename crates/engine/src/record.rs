//! The run record: one plain data record per run. Times are milliseconds
//! relative to the run's start.
use crate::error::{ErrorKind, RunError};
use crate::model::Model;
use crate::plan::RunPlan;
use crate::scenarios::ScenarioResult;
use crate::start_method::StartMethod;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

// Spans live in `span` (so the pool model can use them without the record);
// the record's readers find them here too.
pub use crate::span::{Phase, PhaseKind, TaskSpan};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Env {
    pub cores: u32,
    /// `crossOriginIsolated`: what the page's headers (or the service
    /// worker's) obtained.
    pub isolated: bool,
    /// Whether memory could really be handed to another worker here, found
    /// by trying at start-up (and by starting the thread pool). An isolated
    /// page may still lack it: WebKit with default settings says isolated
    /// and gives no `SharedArrayBuffer`. Records saved before this field
    /// existed read it as their `isolated`.
    #[serde(default = "unknown")]
    pub shared_memory: Option<bool>,
    /// "threads" (shared memory) or "plain".
    pub build: String,
    #[serde(rename = "userAgent")]
    pub user_agent: String,
    /// Where a run was made outside the browser (`python3 <program> --json`,
    /// README "Compare with your own machine"); absent for the page's runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native: Option<NativeEnv>,
}

/// The interpreter, its version and the OS of a run made on a machine of
/// its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NativeEnv {
    /// `platform.python_implementation()`, e.g. "CPython".
    pub interpreter: String,
    /// `platform.python_version()`, e.g. "3.12.3".
    pub version: String,
    /// `platform.system()`, e.g. "Linux".
    pub os: String,
}

impl NativeEnv {
    /// "CPython 3.12, Linux, 8 cores": where the run was made.
    pub fn describe(&self, cores: u32) -> String {
        let minor: Vec<&str> = self.version.split('.').take(2).collect();
        format!("{} {}, {}, {cores} core{}", self.interpreter, minor.join("."), self.os, if cores == 1 { "" } else { "s" })
    }
}

fn unknown() -> Option<bool> {
    None
}

impl Env {
    /// Whether threads can run here (see `shared_memory`).
    pub fn has_shared_memory(&self) -> bool {
        self.shared_memory.unwrap_or(self.isolated)
    }

    /// Why a run that needs shared memory cannot run here, if it cannot:
    /// the one decision every layer asks.
    pub fn shared_memory_refusal(&self) -> Option<RunError> {
        match (self.isolated, self.has_shared_memory()) {
            (_, true) => None,
            (false, false) => Some(RunError::NotIsolated),
            (true, false) => Some(RunError::NoSharedMemory),
        }
    }
}

/// Whether the run had a GIL ("on" or "off", as CPython's
/// `sys._is_gil_enabled()` for a record from a machine).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Gil {
    On,
    Off,
}

impl Gil {
    pub fn is_on(self) -> bool {
        self == Gil::On
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Gil::On => "on",
            Gil::Off => "off",
        }
    }
}

impl From<bool> for Gil {
    fn from(on: bool) -> Gil {
        if on {
            Gil::On
        } else {
            Gil::Off
        }
    }
}

impl std::fmt::Display for Gil {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One run: its config, where it ran, every task on its lane with its
/// phases, and its result or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RunRecord {
    pub scenario: crate::scenario_id::ScenarioId,
    pub model: Model,
    pub workers: u32,
    pub gil: Gil,
    /// `spawn` or `forkserver`: how its processes started (records saved
    /// before this existed read as the default).
    #[serde(default)]
    pub start_method: StartMethod,
    pub params: Value,
    pub env: Env,
    pub wall_ms: f64,
    /// Busy (compute) time summed over all workers.
    pub cpu_ms: f64,
    pub tasks: Vec<TaskSpan>,
    /// Names of the timeline's lanes, by worker number, where a run names
    /// them (e.g. "import thread"); otherwise lanes are "worker N".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lanes: Vec<String>,
    /// The scenario's result (`ScenarioResult`: one shape per scenario),
    /// null when the run stopped or failed.
    pub result: ScenarioResult,
    /// Why there is no result, as one sentence (`RunError`'s text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What kind of failure `error` is (`RunError::kind`); read it with
    /// [`RunRecord::failure`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_kind: Option<ErrorKind>,
}

impl RunRecord {
    /// Why there is no result: its kind and its text (a record written
    /// before kinds were reads as `Broken`).
    pub fn failure(&self) -> Option<(ErrorKind, &str)> {
        self.error.as_deref().map(|text| (self.error_kind.unwrap_or_default(), text))
    }

    /// The record of a run of `plan`: its spans (clock times, rebased here to
    /// `start`), lane names if any, and its result or why there is none. Wall
    /// time is `end - start`; CPU time is the compute phases summed over
    /// every span (and every span of timelines its result holds); `workers` is
    /// every worker the run had (`Scenario::workers_in_all`). The one place a
    /// record is put together: no runner changes one after.
    pub fn build(
        plan: &RunPlan,
        env: Env,
        (start, end): (f64, f64),
        spans: Vec<TaskSpan>,
        lanes: Vec<String>,
        outcome: Result<ScenarioResult, RunError>,
    ) -> RunRecord {
        let tasks: Vec<TaskSpan> = spans.into_iter().map(|s| s.rebased(start)).collect();
        let (result, error) = match outcome {
            Ok(result) => (result, None),
            Err(e) => (ScenarioResult::None, Some(e)),
        };
        // A result with timelines of its own (the quadrants': four, each on
        // its own clock) counts their busy time too.
        let own: f64 = result.quadrants().map_or(0.0, |q| q.timelines.values().flatten().map(TaskSpan::busy_ms).sum());
        let cpu_ms = tasks.iter().map(TaskSpan::busy_ms).fold(own, |a, b| a + b);
        RunRecord {
            scenario: plan.scenario,
            model: plan.model,
            workers: crate::scenarios::workers_in_all(plan),
            gil: Gil::from(plan.gil),
            start_method: plan.start_method,
            params: plan.params_json(),
            env,
            wall_ms: end - start,
            cpu_ms,
            tasks,
            lanes,
            result,
            error_kind: error.as_ref().map(RunError::kind),
            error: error.map(|e| e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{validate, RunConfig};
    use serde_json::json;

    fn env() -> Env {
        Env { cores: 2, isolated: true, shared_memory: Some(true), build: "threads".into(), user_agent: "test".into(), native: None }
    }

    fn span(worker: u32, kind: PhaseKind, start_ms: f64, end_ms: f64) -> TaskSpan {
        TaskSpan { id: Some(worker), label: "t".into(), worker, start_ms, end_ms, phases: vec![Phase { kind, start_ms, end_ms }] }
    }

    #[test]
    fn a_record_is_relative_to_the_run_start_and_sums_busy_time() {
        let config: RunConfig = serde_json::from_value(json!({"scenario": "primes", "model": "threads", "workers": 2})).unwrap();
        let plan = validate(&config).unwrap();
        let spans = vec![span(0, PhaseKind::Compute, 1010.0, 1030.0), span(1, PhaseKind::Sleep, 1000.0, 1040.0)];
        let record =
            RunRecord::build(&plan, env(), (1000.0, 1050.0), spans, Vec::new(), Ok(serde_json::from_value(json!({"items": []})).unwrap()));
        assert_eq!((record.wall_ms, record.cpu_ms), (50.0, 20.0));
        assert_eq!((record.tasks[0].start_ms, record.tasks[0].phases[0].end_ms), (10.0, 30.0));
        let json = serde_json::to_value(&record).unwrap();
        assert_eq!(json["model"], "threads");
        assert_eq!(json["gil"], "on");
        assert!(json.get("error").is_none() && json.get("lanes").is_none(), "absent, not null: {json}");
    }

    #[test]
    fn a_failed_run_has_its_error_and_no_result() {
        let config: RunConfig = serde_json::from_value(json!({"scenario": "primes"})).unwrap();
        let plan = validate(&config).unwrap();
        let record = RunRecord::build(&plan, env(), (0.0, 1.0), Vec::new(), Vec::new(), Err(RunError::Stopped));
        assert_eq!(record.result, ScenarioResult::None);
        assert_eq!(serde_json::to_value(&record).unwrap()["result"], Value::Null);
        assert_eq!(record.failure(), Some((ErrorKind::Stopped, "Stopped before all tasks finished.")));
    }

    #[test]
    fn threads_are_refused_by_what_is_missing() {
        let with = |isolated, shared_memory| Env { isolated, shared_memory, ..env() };
        assert_eq!(with(true, Some(true)).shared_memory_refusal(), None);
        assert_eq!(with(false, Some(false)).shared_memory_refusal(), Some(RunError::NotIsolated));
        // WebKit's default: isolated, and still no shared memory.
        assert_eq!(with(true, Some(false)).shared_memory_refusal(), Some(RunError::NoSharedMemory));
        assert!(RunError::NoSharedMemory.to_string().contains("SharedArrayBuffer"));
        assert_ne!(RunError::NoSharedMemory.to_string(), RunError::NotIsolated.to_string());
    }

    #[test]
    fn an_env_saved_before_shared_memory_was_recorded_reads_it_from_isolated() {
        let old: Env = serde_json::from_value(json!({"cores": 2, "isolated": true, "build": "threads", "userAgent": "x"})).unwrap();
        assert_eq!(old.shared_memory, None);
        assert!(old.has_shared_memory());
        let plain: Env = serde_json::from_value(json!({"cores": 2, "isolated": false, "build": "threads", "userAgent": "x"})).unwrap();
        assert!(!plain.has_shared_memory());
        let now = serde_json::to_value(with_shared(false)).unwrap();
        assert_eq!(now["shared_memory"], json!(false));
    }

    fn with_shared(shared: bool) -> Env {
        Env { shared_memory: Some(shared), ..env() }
    }
}
