//! The execution models: one enum, matched wherever a model decides
//! something, so that adding a model is a variant here plus its pool in the
//! runtime. On the wire a model is its kebab-case id (`"per-task"`).
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Model {
    /// One interpreter, one thread: the tasks one after another.
    Serial,
    /// A pool of threads on shared memory.
    Threads,
    /// A pool of isolated workers, each with its own memory.
    Processes,
    /// Futures on one thread, a bounded number in flight.
    Async,
    /// A fresh thread for every task.
    PerTask,
    /// Fresh threads for each slice of `limit` tasks, joined before the next.
    Batches,
    /// Stages connected by queues (its own runner).
    Pipeline,
    /// Isolated workers each running threads, exchanging partial results.
    Dataflow,
}

/// Whether a model's runs need memory shared between workers, which a
/// browser grants only to a cross-origin isolated page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SharedMemory {
    Never,
    Always,
    /// Some configurations only: the scenario says which
    /// (`Scenario::needs_shared_memory`).
    Sometimes,
}

impl Model {
    pub const ALL: [Model; 8] =
        [Model::Serial, Model::Threads, Model::Processes, Model::Async, Model::PerTask, Model::Batches, Model::Pipeline, Model::Dataflow];

    /// The models every scenario of the pool runner offers (primes, sample,
    /// factorial, pool overhead, shared state).
    pub const POOL: [Model; 4] = [Model::Serial, Model::Threads, Model::Processes, Model::Async];
    /// Those ticked by default there.
    pub const COMPARED: [Model; 3] = [Model::Serial, Model::Threads, Model::Processes];

    pub fn id(self) -> &'static str {
        match self {
            Model::Serial => "serial",
            Model::Threads => "threads",
            Model::Processes => "processes",
            Model::Async => "async",
            Model::PerTask => "per-task",
            Model::Batches => "batches",
            Model::Pipeline => "pipeline",
            Model::Dataflow => "dataflow",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Model::Serial => "Serial",
            Model::Threads => "Thread pool",
            Model::Processes => "Process pool",
            Model::Async => "Async (one thread)",
            Model::PerTask => "A thread per task",
            Model::Batches => "Thread batches",
            Model::Pipeline => "Stages and queues",
            Model::Dataflow => "Processes × threads",
        }
    }

    /// The Python construct this model stands for.
    pub fn python(self) -> &'static str {
        match self {
            Model::Serial => "a plain loop",
            Model::Threads => "ThreadPoolExecutor / multiprocessing.pool.ThreadPool",
            Model::Processes => "ProcessPoolExecutor / multiprocessing.Pool",
            Model::Async => "asyncio with a semaphore",
            Model::PerTask => "threading.Thread per item",
            Model::Batches => "start MAX threads, join them, start the next MAX",
            Model::Pipeline => "threading.Thread + queue.Queue feeding multiprocessing pools",
            Model::Dataflow => "P processes, each with T threads, exchanging partial counts",
        }
    }

    /// Its tasks run on threads of one interpreter, so a GIL applies to them.
    pub fn uses_threads(self) -> bool {
        matches!(self, Model::Threads | Model::PerTask | Model::Batches)
    }

    pub fn shared_memory(self) -> SharedMemory {
        match self {
            Model::Serial | Model::Processes | Model::Async => SharedMemory::Never,
            Model::Threads | Model::PerTask | Model::Batches => SharedMemory::Always,
            Model::Pipeline | Model::Dataflow => SharedMemory::Sometimes,
        }
    }

    /// It starts isolated workers (processes), so a start method applies.
    pub fn starts_processes(self) -> bool {
        matches!(self, Model::Processes | Model::Pipeline | Model::Dataflow)
    }

    /// Runs on one worker whatever worker count was asked.
    pub fn is_serial(self) -> bool {
        self == Model::Serial
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Model {
    type Err = String;
    fn from_str(s: &str) -> Result<Model, String> {
        Model::ALL.into_iter().find(|m| m.id() == s).ok_or_else(|| format!("unknown model \"{s}\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_wire_names() {
        for m in Model::ALL {
            assert_eq!(serde_json::to_value(m).unwrap(), serde_json::json!(m.id()));
            assert_eq!(m.id().parse::<Model>().unwrap(), m);
        }
        assert!("gpu".parse::<Model>().is_err());
    }
}
