//! The timeline's bars: a task's (or the pool's own) span of time and its
//! phases. Times are clock times while a run goes on, then milliseconds
//! relative to the run's start in its record.
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Phase {
    pub kind: PhaseKind,
    pub start_ms: f64,
    pub end_ms: f64,
}

/// One bar on the timeline: a task (`id` is its input index) or the pool's own
/// work such as starting a worker (`id` is null).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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

    /// A span of one phase: a start-up, a wait, a chunk of work.
    pub fn one_phase(id: Option<u32>, label: String, worker: u32, kind: PhaseKind, start_ms: f64, end_ms: f64) -> TaskSpan {
        TaskSpan { id, label, worker, start_ms, end_ms, phases: vec![Phase { kind, start_ms, end_ms }] }
    }

    pub fn busy_ms(&self) -> f64 {
        self.phases.iter().filter(|p| p.kind == PhaseKind::Compute).map(|p| p.end_ms - p.start_ms).fold(0.0, |a, b| a + b)
        // (an empty f64 sum would be -0.0)
    }
}
