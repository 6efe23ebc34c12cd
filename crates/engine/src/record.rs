//! The run record: one plain data record per run. Times are milliseconds
//! relative to the run's start.
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PhaseKind {
    Compute,
    LockWait,
    Io,
    Sleep,
    Spawn,
    Transfer,
    QueueWait,
}

impl PhaseKind {
    pub const ALL: [PhaseKind; 7] = [
        PhaseKind::Compute,
        PhaseKind::LockWait,
        PhaseKind::Io,
        PhaseKind::Sleep,
        PhaseKind::Spawn,
        PhaseKind::Transfer,
        PhaseKind::QueueWait,
    ];

    pub fn id(self) -> &'static str {
        match self {
            PhaseKind::Compute => "compute",
            PhaseKind::LockWait => "lock-wait",
            PhaseKind::Io => "io",
            PhaseKind::Sleep => "sleep",
            PhaseKind::Spawn => "spawn",
            PhaseKind::Transfer => "transfer",
            PhaseKind::QueueWait => "queue-wait",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phase {
    pub kind: PhaseKind,
    pub start_ms: f64,
    pub end_ms: f64,
}

/// One bar on the timeline: a task (`id` is its input index) or the pool's own
/// work such as starting a worker (`id` is null).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskSpan {
    pub id: Option<u32>,
    pub label: String,
    pub worker: u32,
    pub start_ms: f64,
    pub end_ms: f64,
    pub phases: Vec<Phase>,
}

impl TaskSpan {
    /// Shift every time by `-origin`, turning clock times into run-relative ones.
    pub fn rebased(mut self, origin: f64) -> Self {
        self.start_ms -= origin;
        self.end_ms -= origin;
        for p in &mut self.phases {
            p.start_ms -= origin;
            p.end_ms -= origin;
        }
        self
    }

    pub fn busy_ms(&self) -> f64 {
        self.phases
            .iter()
            .filter(|p| p.kind == PhaseKind::Compute)
            .map(|p| p.end_ms - p.start_ms)
            .fold(0.0, |a, b| a + b) // (an empty f64 sum would be -0.0)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Env {
    pub cores: u32,
    pub isolated: bool,
    /// "threads" (shared memory) or "plain".
    pub build: String,
    #[serde(rename = "userAgent")]
    pub user_agent: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    pub scenario: String,
    pub model: String,
    pub workers: u32,
    pub gil: String,
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
    pub result: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}
