//! S9: each task waits (like I/O), then counts primes below `work`. The
//! runtime runs the same tasks four ways; this module says what a task is and
//! how its computing part splits into parallel chunks.
use super::ScenarioSpec;
use super::{field, MakesTasks, RunsTasks, Scenario, ScenarioId, TaskInput};
use crate::catalog::int;
use crate::model::Model;
use crate::plan::RunPlan;
use crate::pool::TaskFailure;
use crate::span::TaskSpan;
use kernels::Checkpoint;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The four ways the same tasks run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quadrant {
    /// Neither concurrent nor parallel: one task after another.
    Serial,
    /// Concurrent, not parallel: a thread per task under the GIL.
    Concurrent,
    /// Parallel, not concurrent: one task at a time, split across cores.
    Parallel,
    /// Both: a thread per task, no GIL.
    Both,
}

impl Quadrant {
    pub const ALL: [Quadrant; 4] = [Quadrant::Serial, Quadrant::Concurrent, Quadrant::Parallel, Quadrant::Both];

    /// Its key in `result.quadrant_ms` and `result.timelines`.
    pub fn name(self) -> &'static str {
        match self {
            Quadrant::Serial => "serial",
            Quadrant::Concurrent => "concurrent",
            Quadrant::Parallel => "parallel",
            Quadrant::Both => "both",
        }
    }
}

pub struct Quadrants;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    tasks: u32,
    wait_ms: u32,
    work: u32,
}

impl Scenario for Quadrants {
    fn id(&self) -> ScenarioId {
        ScenarioId::Quadrants
    }

    fn python(&self) -> Option<&'static str> {
        Some(include_str!("../../python/scenarios/quadrants.py"))
    }

    fn spec(&self) -> ScenarioSpec {
        ScenarioSpec {
            id: self.id(),
            title: "The four quadrants",
            summary: "The same tasks (each waits, then computes) run four ways: neither concurrent nor parallel; \
                      concurrent, not parallel; parallel, not concurrent; both.",
            lesson: "Concurrency overlaps waiting; parallelism overlaps computing. Only both overlap both.",
            models: vec![Model::Threads],
            default_models: vec![Model::Threads],
            default_workers: 4,
            params: vec![
                int("tasks", "Tasks", "How many tasks.", 1, 16, 4),
                int("wait_ms", "Wait per task (ms)", "The I/O-like wait before computing.", 0, 5000, 150),
                int("work", "Work per task", "Count primes below this number by trial division.", 1000, 200_000, 40_000),
            ],
            article: vec![],
        }
    }
}

impl RunsTasks for Quadrants {
    /// The whole task on one worker: wait, then compute.
    fn run(&self, input: &Value, cp: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
        cp.sleep(field(input, "wait_ms")? as f64)?;
        Ok(json!(kernels::primes::count_primes_in(0, field(input, "work")?, cp)?))
    }
}

impl MakesTasks for Quadrants {
    fn tasks(&self, plan: &RunPlan) -> Vec<TaskInput> {
        let p: Params = plan.params.typed();
        (0..p.tasks as usize)
            .map(|i| TaskInput::new(plan, i, format!("task {i}: wait, then count primes"), json!({ "wait_ms": p.wait_ms, "work": p.work })))
            .collect()
    }
}

/// The computing part cut into `chunks` ranges of about equal cost (the
/// cost of candidate i grows with i, so later ranges are narrower).
pub fn chunk_ranges(work: u32, chunks: u32) -> Vec<(u32, u32)> {
    let chunks = chunks.max(1);
    let total = (work as f64).powi(2);
    let mut bounds: Vec<u32> = (0..=chunks).map(|c| (total * c as f64 / chunks as f64).sqrt().round() as u32).collect();
    bounds[chunks as usize] = work;
    bounds.windows(2).map(|w| (w[0], w[1])).filter(|(a, b)| b > a).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn chunks_cover_the_range_exactly() {
        let r = super::chunk_ranges(40_000, 4);
        assert_eq!(r.first().unwrap().0, 0);
        assert_eq!(r.last().unwrap().1, 40_000);
        assert!(r.windows(2).all(|w| w[0].1 == w[1].0));
        assert!(r[0].1 - r[0].0 > r[3].1 - r[3].0);
    }
}

/// S3's result: each quadrant's wall time and its own timeline (each on
/// its own clock), by quadrant name (`Quadrant::name`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuadrantsResult {
    pub quadrant_ms: BTreeMap<String, f64>,
    pub timelines: BTreeMap<String, Vec<TaskSpan>>,
}
