//! Why a run did not give a result. Every layer of the runtime returns this;
//! only the page-facing edge turns it into text (`Display`), so a stop is a
//! variant to match, never a sentence to compare.
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RunError {
    /// Stop was pressed (or asked for) before every task finished.
    Stopped,
    /// Stop was pressed while the run waited for the workers to be ready.
    StoppedBeforeStart,
    /// Stop was pressed and the run did not end within its grace period:
    /// its workers were terminated.
    Terminated,
    /// A task returned an error (the first one, as `map` re-raises it).
    TaskFailed { task: u32, label: String, message: String },
    /// A task panicked: its worker is gone. Without a task number, the
    /// message names what panicked.
    Panicked { task: Option<u32>, message: String },
    /// A worker or pool could not be started or reached.
    StartUp(String),
    /// A plan that arrived by message is not one a config would make.
    InvalidPlan(String),
    /// A worker broke while running, or said something unreadable.
    Broken(String),
    /// The run needs memory shared between workers and this page is not
    /// cross-origin isolated (`catalog::NOT_ISOLATED` says why and what to do).
    NotIsolated,
    /// The page is isolated, but this browser will not hand memory to
    /// another worker (`catalog::NO_SHARED_MEMORY`).
    NoSharedMemory,
}

impl RunError {
    /// For a worker-level failure message that has no better variant.
    pub fn broken(message: impl Into<String>) -> RunError {
        RunError::Broken(message.into())
    }

    /// What kind of failure, for code that acts on it (a record's `error_kind`).
    pub fn kind(&self) -> ErrorKind {
        match self {
            RunError::Stopped | RunError::StoppedBeforeStart | RunError::Terminated => ErrorKind::Stopped,
            RunError::TaskFailed { .. } => ErrorKind::TaskFailed,
            RunError::Panicked { .. } => ErrorKind::Panicked,
            RunError::StartUp(_) => ErrorKind::StartUp,
            RunError::Broken(_) => ErrorKind::Broken,
            RunError::InvalidPlan(_) => ErrorKind::InvalidPlan,
            RunError::NotIsolated => ErrorKind::NotIsolated,
            RunError::NoSharedMemory => ErrorKind::NoSharedMemory,
        }
    }
}

/// A failure's kind, machine-readable: a record's `error_kind` beside its
/// `error` text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// The reader stopped the run (before it started, while it ran, or its
    /// workers were terminated when it did not stop in time).
    Stopped,
    /// A task raised an error.
    TaskFailed,
    /// A task panicked and took its worker with it.
    Panicked,
    /// A worker or pool could not be started.
    StartUp,
    /// A worker broke or said something unreadable (and the kind of a
    /// record's `error` written before kinds were).
    #[default]
    Broken,
    /// The plan sent is not one a config would make.
    InvalidPlan,
    /// Threads need a cross-origin isolated page.
    NotIsolated,
    /// This browser will not share memory with another worker.
    NoSharedMemory,
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Stopped => f.write_str("Stopped before all tasks finished."),
            RunError::StoppedBeforeStart => f.write_str("Stopped before it started."),
            RunError::Terminated => f.write_str("Stopped: the workers were terminated."),
            RunError::TaskFailed { task, label, message } => write!(f, "task {task} ({label}) failed: {message}"),
            RunError::Panicked { task: Some(task), message } => write!(f, "task {task} panicked: {message}"),
            RunError::Panicked { task: None, message } => f.write_str(message),
            RunError::StartUp(m) | RunError::Broken(m) => f.write_str(m),
            RunError::InvalidPlan(m) => write!(f, "the plan cannot run: {m}"),
            RunError::NotIsolated => f.write_str(crate::catalog::NOT_ISOLATED),
            RunError::NoSharedMemory => f.write_str(crate::catalog::NO_SHARED_MEMORY),
        }
    }
}

impl std::error::Error for RunError {}

impl From<kernels::Stopped> for RunError {
    fn from(_: kernels::Stopped) -> RunError {
        RunError::Stopped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stop_text_is_the_one_the_page_shows() {
        assert_eq!(RunError::Stopped.to_string(), "Stopped before all tasks finished.");
        let failed = RunError::TaskFailed { task: 3, label: "factorial(3)".into(), message: "boom".into() };
        assert_eq!(failed.to_string(), "task 3 (factorial(3)) failed: boom");
    }
}
