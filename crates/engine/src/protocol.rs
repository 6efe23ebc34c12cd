//! Every message between the page, the compute worker, threads and isolated
//! workers: the wire enums, and how they are framed (the analogue of
//! pickling). Only `runtime::base::port` (in workers) and `ui::client` (on
//! the page) frame and read them, with the names in [`frame`].
use crate::plan::RunPlan;
use crate::record::{Env, Phase, RunRecord, TaskSpan};
use crate::scenarios::TaskInput;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The framing of every message: an object whose `json` field holds one of
/// the enums below as JSON text, with `bytes` (a transferred `Uint8Array`) or
/// `memory` (the compute worker's shared memory, for the control block)
/// beside it where a message carries them. The JavaScript bootstraps never
/// spell these enums: they post plain facts, `{loaded: at_ms}` once the
/// module runs in a thread, `{died: message}` when an instance aborted,
/// `{loading: {loaded, total}}` (bytes of the compute worker's module so
/// far), and the port or the page's client turns those into the receiver's
/// enum.
pub mod frame {
    pub const JSON: &str = "json";
    pub const BYTES: &str = "bytes";
    pub const MEMORY: &str = "memory";
    pub const LOADED: &str = "loaded";
    pub const DIED: &str = "died";
    pub const LOADING: &str = "loading";
}

/// Page → compute worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ToCompute {
    Run {
        id: u32,
        plan: RunPlan,
    },
    Stop {
        id: u32,
    },
    /// The page will ask for pools of `workers`: hold that many threads and
    /// isolated instances ready (off every run's clock), so its first run
    /// starts none cold.
    Prepare {
        workers: u32,
    },
}

/// Where a compute worker's start has got to, for the page's status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StartStage {
    /// The module runs; threads and isolated workers are starting.
    StartingWorkers,
    /// Every worker is up; the kernels run until their timings settle.
    WarmingUp,
}

/// Compute worker → page.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum FromCompute {
    /// The worker and its thread pool are up. `control_*` are i32 word indices
    /// into the memory sent alongside.
    Ready {
        env: Env,
        threads: u32,
        control_stop_run: u32,
        control_run: u32,
        control_done: u32,
        control_total: u32,
    },
    /// Not ready yet: the stage its start has reached.
    Starting {
        stage: StartStage,
    },
    Result {
        id: u32,
        record: Box<RunRecord>,
    },
    /// The run could not run, or broke: why, as a type.
    Failed {
        id: u32,
        error: crate::error::RunError,
    },
    /// A task panicked on the compute worker itself: this instance is gone;
    /// the page reports the run as failed and starts a fresh worker.
    Crashed {
        id: u32,
        message: String,
    },
}

/// Compute worker → isolated worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ToProcess {
    Task {
        task: TaskInput,
    },
    /// Count the words of the bytes sent alongside (field `bytes`) with
    /// `threads` threads, and send back the combined partial counts.
    Count {
        part: u32,
        threads: u32,
        sent_ms: f64,
    },
    /// Run `tasks` as a whole program, each on a thread of this instance's
    /// own (with a GIL if `gil`), and answer `Ran`.
    Threads {
        tasks: Vec<TaskInput>,
        gil: bool,
        run: u32,
    },
    /// The poison pill: answer `Stopped` and exit.
    Stop,
}

/// Isolated worker → compute worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum FromProcess {
    Ready {
        at_ms: f64,
    },
    Done(TaskReply),
    /// The task panicked; this worker's instance is gone.
    Panicked {
        message: String,
    },
    /// A part's partial counts, and what the worker and its threads did
    /// (lane 0: the worker itself, lane t + 1: its thread t).
    Counted {
        part: u32,
        counts: Vec<(String, u64)>,
        spans: Vec<TaskSpan>,
        sent_ms: f64,
    },
    Failed {
        message: String,
    },
    /// What `Threads` did: each task's span (worker = thread index) and
    /// output, and the start of each thread.
    Ran {
        runs: Vec<(TaskSpan, Result<Value, String>)>,
        spawns: Vec<TaskSpan>,
    },
    /// The pill was taken; the worker is exiting.
    Stopped {
        at_ms: f64,
    },
}

/// One task's outcome from an isolated worker, on the shared clock.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TaskReply {
    pub index: u32,
    /// What the worker did, on the shared clock.
    pub phases: Vec<Phase>,
    pub start_ms: f64,
    pub end_ms: f64,
    pub output: Result<Value, String>,
}

/// Thread → the pool that started it (on the compute worker, or on an
/// isolated worker for its own threads).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum FromThread {
    /// Running: the module loaded, or a start message was answered.
    Ready { at_ms: f64 },
    /// The job given to the thread is done.
    Done,
    /// A task panicked (the panic hook says so before the instance aborts).
    Panic { task: Option<u32>, message: String, at_ms: f64 },
    /// The thread's instance aborted.
    Died { message: String },
}
