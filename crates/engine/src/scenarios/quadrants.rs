//! S9: each task waits (like I/O), then counts primes below `work`. The
//! runtime runs the same tasks four ways; this module says what a task is and
//! how its computing part splits into parallel chunks.
use super::{field, TaskInput};
use crate::config::RunPlan;
use crate::pool::TaskFailure;
use kernels::Checkpoint;
use serde_json::{json, Value};

pub const QUADRANTS: [&str; 4] = ["serial", "concurrent", "parallel", "both"];

pub fn tasks(plan: &RunPlan) -> Vec<TaskInput> {
    let (wait, work) = (plan.params.int("wait_ms"), plan.params.int("work"));
    (0..plan.params.int("tasks") as usize)
        .map(|i| TaskInput::new(plan, i, format!("task {i}: wait, then count primes"), json!({ "wait_ms": wait, "work": work })))
        .collect()
}

/// The whole task on one worker: wait, then compute.
pub fn run(input: &Value, cp: &mut dyn Checkpoint) -> Result<Value, TaskFailure> {
    cp.sleep(field(input, "wait_ms")? as f64)?;
    Ok(json!(kernels::primes::count_primes_in(0, field(input, "work")?, cp)?))
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
