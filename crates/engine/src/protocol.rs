//! Messages between the page, the compute worker and isolated workers. Each
//! crosses `postMessage` as a JSON string (the analogue of pickling), inside
//! an object `{json}`; the compute worker's first message also carries its
//! memory so the page can reach the control block.
use crate::config::RunPlan;
use crate::record::{Env, Phase, RunRecord, TaskSpan};
use crate::scenarios::TaskInput;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Page → compute worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ToCompute {
    Run { id: u32, plan: RunPlan },
    Stop { id: u32 },
}

/// Compute worker → page.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum FromCompute {
    /// The worker and its thread pool are up. `control_*` are i32 word indices
    /// into the memory sent alongside.
    Ready { env: Env, threads: u32, control_stop_run: u32, control_run: u32, control_done: u32, control_total: u32 },
    /// Starting the worker failed: the page says why and offers no runs.
    Broken { message: String },
    Result { id: u32, record: Box<RunRecord> },
    Failed { id: u32, message: String },
    /// A task panicked on the compute worker itself: this instance is gone;
    /// the page reports the run as failed and starts a fresh worker.
    Crashed { id: u32, message: String },
}

/// Compute worker → isolated worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ToProcess {
    Task { task: TaskInput, sent_ms: f64 },
    /// Count the words of the bytes sent alongside (field `bytes`) with
    /// `threads` threads, and send back the combined partial counts.
    Count { part: u32, threads: u32, sent_ms: f64 },
    /// Run `tasks` as a whole program, each on a thread of this instance's
    /// own (with a GIL if `gil`), and answer `Ran`.
    Threads { tasks: Vec<TaskInput>, gil: bool, run: u32, sent_ms: f64 },
    /// The poison pill: answer `Stopped` and exit.
    Stop,
}

/// Isolated worker → compute worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum FromProcess {
    Ready { at_ms: f64 },
    Done(TaskReply),
    /// The task panicked; this worker's instance is gone.
    Panicked { index: Option<u32>, message: String },
    /// A part's partial counts, and what the worker and its threads did
    /// (lane 0: the worker itself, lane t + 1: its thread t).
    Counted { part: u32, counts: Vec<(String, u64)>, spans: Vec<TaskSpan>, sent_ms: f64 },
    Failed { message: String },
    /// What `Threads` did: each task's span (worker = thread index) and
    /// output, and the start of each thread.
    Ran { runs: Vec<(TaskSpan, Result<Value, String>)>, spawns: Vec<TaskSpan> },
    /// The pill was taken; the worker is exiting.
    Stopped { at_ms: f64 },
}

/// One task's outcome from an isolated worker, on the shared clock.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TaskReply {
    pub index: u32,
    pub received_ms: f64,
    /// What the worker did, on the shared clock.
    pub phases: Vec<Phase>,
    pub start_ms: f64,
    pub end_ms: f64,
    pub output: Result<Value, String>,
}
