//! Pipelines: stages connected by queues, each stage with its own executor
//! and concurrency limit. This module holds what needs no browser: the shape
//! of a pipeline, the queue threads share, and the schedule a pipeline's
//! stage durations imply (what a run should take if nothing else costs time).
//!
//! Items flow as batches: the first stage makes one batch per source item
//! (an endpoint's pairs), every later stage takes a batch and passes it on.
//! A stage's work on a batch is a list of tasks (e.g. one report per pair).
pub mod queue;
pub mod schedule;

use serde::{Deserialize, Serialize};

/// Who runs a stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Exec {
    /// The caller's own loop; caller stages run one after another per batch
    /// and must come first.
    Caller,
    /// One dedicated thread fed by a queue, stopped by a poison pill.
    Thread,
    /// A fresh pool of isolated workers for each batch (created, mapped over
    /// the batch's tasks, shut down), batches one after another.
    FreshPool { workers: u32 },
    /// One pool of isolated workers for the whole run, fed task by task from
    /// a queue and stopped by one poison pill per worker.
    LongPool { workers: u32 },
}

impl Exec {
    /// How many of the stage's tasks can run at once.
    pub fn width(self) -> u32 {
        match self {
            Exec::Caller | Exec::Thread => 1,
            Exec::FreshPool { workers } | Exec::LongPool { workers } => workers.max(1),
        }
    }

    pub fn describe(self) -> String {
        match self {
            Exec::Caller => "the caller's thread".into(),
            Exec::Thread => "its own thread, fed by a queue".into(),
            Exec::FreshPool { workers } => format!("a fresh pool of {workers} isolated workers per batch"),
            Exec::LongPool { workers } => {
                format!("one pool of {workers} isolated workers fed by a queue, stopped by {workers} poison pills")
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub name: String,
    pub exec: Exec,
    /// At most this many of the stage's tasks at once, whatever the executor
    /// could do (e.g. an API that allows one call at a time).
    pub limit: u32,
}

impl Stage {
    pub fn new(name: &str, exec: Exec, limit: u32) -> Self {
        Stage { name: name.into(), exec, limit }
    }

    /// Tasks of this stage that run at once.
    pub fn concurrency(&self) -> u32 {
        self.exec.width().min(self.limit.max(1))
    }
}

/// A pipeline: `stages[i]` feeds `stages[i + 1]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pipeline {
    pub stages: Vec<Stage>,
}

impl Pipeline {
    /// Caller stages form a non-empty prefix: the caller's loop is the source.
    pub fn validate(&self) -> Result<(), String> {
        let callers = self.caller_stages();
        if callers == 0 {
            return Err("a pipeline's first stage runs on the caller's thread".into());
        }
        if self.stages[callers..].iter().any(|s| s.exec == Exec::Caller) {
            return Err("caller stages must come before all other stages".into());
        }
        Ok(())
    }

    pub fn caller_stages(&self) -> usize {
        self.stages.iter().take_while(|s| s.exec == Exec::Caller).count()
    }
}
