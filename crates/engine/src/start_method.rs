//! How a process starts, as Python's `multiprocessing` start methods
//! (`set_start_method`, or `mp_context=` on a `ProcessPoolExecutor`).
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum StartMethod {
    /// A new worker and a new instance, started when asked and on the run's
    /// clock: Python's `spawn` (a new interpreter that starts from nothing).
    Spawn,
    /// An isolated instance started in advance, off every run's clock,
    /// handed to exactly one process and ended with it (fresh memory,
    /// nothing shared with any other): Python's `forkserver`, whose server
    /// forks each process on request. The default: the tutorials ran where
    /// a process start is cheap (`fork` on Linux), and this reproduces that.
    #[default]
    Forkserver,
}

impl StartMethod {
    pub const ALL: [StartMethod; 2] = [StartMethod::Spawn, StartMethod::Forkserver];

    pub fn id(self) -> &'static str {
        match self {
            StartMethod::Spawn => "spawn",
            StartMethod::Forkserver => "forkserver",
        }
    }

    pub fn parse(text: &str) -> Option<StartMethod> {
        StartMethod::ALL.into_iter().find(|m| m.id() == text)
    }

    /// What a start costs here, in a sentence for the page.
    pub fn explain(self) -> &'static str {
        match self {
            StartMethod::Spawn => "each process is a new worker with a new instance, started when the pool asks for it; its start is on the run's clock",
            StartMethod::Forkserver => "each process is an instance started in advance, off the clock, handed to one process only and ended with it; a pool that asks for more than the reserve holds starts the rest for real",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_forkserver_is_the_default() {
        for m in StartMethod::ALL {
            assert_eq!(StartMethod::parse(m.id()), Some(m));
            assert_eq!(serde_json::to_value(m).unwrap(), serde_json::json!(m.id()));
        }
        assert_eq!(StartMethod::default(), StartMethod::Forkserver);
        assert_eq!(StartMethod::parse("fork"), None);
    }
}
