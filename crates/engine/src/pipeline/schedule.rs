//! The schedule a pipeline implies: given each stage's task durations and the
//! executors, when does the last task end? A discrete simulation of the same
//! rules the runtime follows — the caller's loop runs its stages in turn per
//! batch; a thread takes batches in order; a fresh pool is started per batch
//! after the previous batch's pool is done; a long-lived pool's workers take
//! tasks first come, first served. Start-up costs can be passed in (measured
//! ones, to compare like with like); with none, this is what the tutorial's
//! timings imply.
use super::{Exec, Pipeline};

/// Start-up costs, in the same unit as the durations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Startups {
    /// Per stage: one entry per pool started (a fresh pool: per batch;
    /// a thread or a long-lived pool: one). Missing entries count as 0.
    pub per_stage: Vec<Vec<f64>>,
}

impl Startups {
    fn get(&self, stage: usize, nth: usize) -> f64 {
        self.per_stage.get(stage).and_then(|v| v.get(nth)).copied().unwrap_or(0.0)
    }
}

/// Earliest-free worker gets the next task (ties: the lowest index).
fn list_schedule(free: &mut [f64], arrival: f64, tasks: &[f64]) -> f64 {
    let mut end = arrival;
    for &d in tasks {
        let (w, _) = free.iter().enumerate().fold((0, f64::INFINITY), |best, (i, &t)| if t < best.1 { (i, t) } else { best });
        let start = free[w].max(arrival);
        free[w] = start + d;
        end = end.max(free[w]);
    }
    end
}

/// The total time of `batches` batches through `pipeline`, where
/// `durations[s]` lists stage `s`'s task durations for one batch.
pub fn total(pipeline: &Pipeline, durations: &[Vec<f64>], batches: usize, startups: &Startups) -> f64 {
    simulate(pipeline, durations, batches, startups).into_iter().flatten().fold(0.0, f64::max)
}

/// The earliest the last stage can finish when its tasks are CPU work on
/// `cores` cores, however many workers it has: for each batch, when it
/// reaches the last stage plus the work of it and all later batches shared
/// by the cores (and never less than its longest task).
pub fn cpu_bound(pipeline: &Pipeline, durations: &[Vec<f64>], batches: usize, cores: u32) -> f64 {
    let done = simulate(pipeline, durations, batches, &Startups::default());
    let last = pipeline.stages.len() - 1;
    if pipeline.stages[last].exec == Exec::Caller {
        // All on the caller: one thread, nothing to share out.
        return done.into_iter().flatten().fold(0.0, f64::max);
    }
    let arrivals: &[f64] = if last == 0 { &[] } else { &done[last - 1] };
    let work: f64 = durations[last].iter().sum();
    let longest = durations[last].iter().copied().fold(0.0, f64::max);
    (0..batches)
        .map(|b| arrivals.get(b).copied().unwrap_or(0.0) + longest.max(work * (batches - b) as f64 / cores.max(1) as f64))
        .fold(0.0, f64::max)
}

/// When each stage is done with each batch. For caller stages every entry
/// is when the caller finished that batch's caller stages.
fn simulate(pipeline: &Pipeline, durations: &[Vec<f64>], batches: usize, startups: &Startups) -> Vec<Vec<f64>> {
    let callers = pipeline.caller_stages();
    // The caller's loop: every caller stage of a batch, then the next batch.
    let mut t = 0.0;
    let mut ready: Vec<f64> = Vec::with_capacity(batches);
    for _ in 0..batches {
        for d in &durations[..callers] {
            t += d.iter().sum::<f64>();
        }
        ready.push(t);
    }
    let mut all = vec![ready.clone(); callers];
    for (s, stage) in pipeline.stages.iter().enumerate().skip(callers) {
        let tasks = &durations[s];
        let width = stage.concurrency() as usize;
        let mut done = Vec::with_capacity(batches);
        match stage.exec {
            Exec::Caller => unreachable!("validated: caller stages come first"),
            Exec::Thread => {
                let mut free = vec![startups.get(s, 0); width];
                for &arrival in &ready {
                    done.push(list_schedule(&mut free, arrival, tasks));
                }
            }
            Exec::FreshPool { .. } => {
                let mut previous = 0.0f64;
                for (b, &arrival) in ready.iter().enumerate() {
                    let up = arrival.max(previous) + startups.get(s, b);
                    let mut free = vec![up; width];
                    previous = list_schedule(&mut free, up, tasks);
                    done.push(previous);
                }
            }
            Exec::LongPool { .. } => {
                let mut free = vec![startups.get(s, 0); width];
                for &arrival in &ready {
                    done.push(list_schedule(&mut free, arrival, tasks));
                }
            }
        }
        all.push(done.clone());
        ready = done;
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::Stage;

    fn report_pipeline(import: Exec, report: Exec) -> Pipeline {
        Pipeline { stages: vec![Stage::new("collect", Exec::Caller, 1), Stage::new("import", import, 1), Stage::new("report", report, 8)] }
    }

    /// The tutorial's steps: collect 4.5 s, import 0.9 s, reports 3, 6, 9 s.
    fn tutorial(p: &Pipeline) -> f64 {
        let d = vec![vec![4.5], vec![0.9], vec![3.0, 6.0, 9.0]];
        (total(p, &d, 3, &Startups::default()) * 10.0).round() / 10.0
    }

    #[test]
    fn reproduces_the_tutorials_table_within_its_pool_overheads() {
        use Exec::*;
        assert_eq!(tutorial(&report_pipeline(Caller, Caller)), 70.2);
        assert_eq!(tutorial(&report_pipeline(Caller, Thread)), 59.4);
        assert_eq!(tutorial(&report_pipeline(Thread, Thread)), 59.4);
        let fresh: Vec<f64> = (1..=4).map(|c| tutorial(&report_pipeline(Caller, FreshPool { workers: c }))).collect();
        assert_eq!(fresh, [59.4, 41.4, 32.4, 32.4]);
        let long: Vec<f64> = (3..=6).map(|c| tutorial(&report_pipeline(Caller, LongPool { workers: c }))).collect();
        assert_eq!(long, [28.2, 25.8, 25.2, 25.2]);
        assert_eq!(tutorial(&report_pipeline(Thread, LongPool { workers: 5 })), 23.4);
    }

    #[test]
    fn cpu_work_on_two_cores_cannot_beat_its_share_of_the_cores() {
        let d = vec![vec![4.5], vec![0.9], vec![3.0, 6.0, 9.0]];
        let long = report_pipeline(Exec::Caller, Exec::LongPool { workers: 6 });
        assert!((cpu_bound(&long, &d, 3, 2) - 32.4).abs() < 1e-9);
        assert!((cpu_bound(&long, &d, 3, 64) - 25.2).abs() < 1e-9, "with cores to spare, the last batch's longest task bounds it");
        let serial = report_pipeline(Exec::Caller, Exec::Caller);
        assert!(cpu_bound(&serial, &d, 3, 2) <= total(&serial, &d, 3, &Startups::default()));
    }

    #[test]
    fn a_limit_caps_a_pool() {
        let mut p = report_pipeline(Exec::Caller, Exec::LongPool { workers: 6 });
        p.stages[2].limit = 1;
        assert_eq!(tutorial(&p), 59.4);
    }

    #[test]
    fn fresh_pools_pay_their_start_up_on_the_path_long_lived_ones_early() {
        let d = vec![vec![4.5], vec![0.9], vec![3.0, 6.0, 9.0]];
        let fresh = report_pipeline(Exec::Caller, Exec::FreshPool { workers: 3 });
        let up = Startups { per_stage: vec![vec![], vec![], vec![1.0, 1.0, 1.0]] };
        assert!((total(&fresh, &d, 3, &up) - 35.4).abs() < 1e-9);
        let long = report_pipeline(Exec::Caller, Exec::LongPool { workers: 3 });
        let up = Startups { per_stage: vec![vec![], vec![], vec![1.0]] };
        assert!((total(&long, &d, 3, &up) - 28.2).abs() < 1e-9, "started while the caller collects");
    }
}
