//! A reading of a batch in words, computed from its run records: what was
//! fastest and by how much, the main reason the records show (cores, the
//! largest task, lock waits, start-ups, queue waits, bytes exchanged), and
//! how it compares with what the article saw. Every number in it is a
//! record's, so the words change when the figures do.
use super::chart::{run_label, speedup};
use engine::record::{PhaseKind, RunRecord};
use engine::start_method::StartMethod;

fn time_in(r: &RunRecord, kind: PhaseKind) -> f64 {
    r.tasks.iter().flat_map(|t| &t.phases).filter(|p| p.kind == kind).map(|p| p.end_ms - p.start_ms).sum()
}

fn share(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        100.0 * part / whole
    } else {
        0.0
    }
}

/// The longest single task's compute time (ms).
fn largest_task_ms(r: &RunRecord) -> f64 {
    r.tasks
        .iter()
        .filter(|t| t.id.is_some())
        .map(|t| t.phases.iter().filter(|p| p.kind == PhaseKind::Compute).map(|p| p.end_ms - p.start_ms).sum::<f64>())
        .fold(0.0, f64::max)
}

/// Why `r` took the time it did, in one sentence, from the strongest
/// evidence in its record.
fn why(r: &RunRecord, serial: Option<&RunRecord>) -> Option<String> {
    let busy = r.tasks.iter().map(|t| t.end_ms - t.start_ms).sum::<f64>();
    let lock = time_in(r, PhaseKind::LockWait);
    let spawn = time_in(r, PhaseKind::Spawn);
    let queue = time_in(r, PhaseKind::QueueWait);
    let io = time_in(r, PhaseKind::Io) + time_in(r, PhaseKind::Sleep);
    let label = run_label(r);
    if lock > 0.0 && share(lock, busy) >= 10.0 {
        return Some(format!(
            "{label} spent {:.0}% of its task time waiting for the lock (the GIL), so its threads took turns computing.",
            share(lock, busy)
        ));
    }
    if let Some(bytes) = r.result.wordcount().map(|w| w.exchanged_bytes as f64).filter(|b| *b > 0.0) {
        return Some(format!("{label} exchanged {:.1} kB of partial counts between its workers before the reduce.", bytes / 1000.0));
    }
    if spawn > 0.0 && share(spawn, r.wall_ms * r.workers.max(1) as f64) >= 15.0 {
        let how = if r.model.starts_processes() {
            match r.start_method {
                StartMethod::Spawn => {
                    " Its processes started with “spawn”, each a new instance on the clock; “forkserver” starts them in advance."
                }
                StartMethod::Forkserver => {
                    " It asked for more processes than the fork server had started in advance, so the rest started on the clock."
                }
            }
        } else {
            ""
        };
        return Some(format!("Starting workers took {spawn:.0} ms of worker time in {label}: start-up, not work, sets its pace.{how}"));
    }
    if queue > 0.0 && share(queue, busy) >= 10.0 {
        return Some(format!("Workers in {label} waited on their queues for {queue:.0} ms: a slower stage set the pace."));
    }
    if io > 0.0 && share(io, busy) >= 50.0 {
        return Some(format!(
            "Most of {label}'s task time ({:.0}%) was waiting, not computing, so overlapping the waits needs no extra cores.",
            share(io, busy)
        ));
    }
    let largest = largest_task_ms(r);
    if let Some(s) = serial.filter(|s| s.wall_ms > 0.0 && largest > 0.0 && !std::ptr::eq(*s, r)) {
        let cap = s.cpu_ms / largest;
        if cap < r.env.cores as f64 && r.workers as f64 > cap {
            return Some(format!(
                "The largest task alone computed for {largest:.0} ms, which caps the speedup near {cap:.1}× however many workers run."
            ));
        }
    }
    if r.workers > r.env.cores && r.cpu_ms > r.wall_ms {
        return Some(format!(
            "This browser has {} cores, so {} workers can compute at most {} at a time.",
            r.env.cores, r.workers, r.env.cores
        ));
    }
    (r.cpu_ms > 1.5 * r.wall_ms)
        .then(|| format!("Its workers computed for {:.0} ms in {:.0} ms of wall time: real work in parallel.", r.cpu_ms, r.wall_ms))
}

/// One to three sentences about a batch.
pub fn reading(records: &[RunRecord]) -> Vec<String> {
    let Some(fastest) = records.iter().min_by(|a, b| a.wall_ms.total_cmp(&b.wall_ms)) else { return Vec::new() };
    let serial = records.iter().find(|r| r.model.is_serial());
    let mut out = Vec::new();
    match (serial, speedup(records, fastest)) {
        (Some(s), Some(x)) if !fastest.model.is_serial() => out.push(format!(
            "{} was fastest: {x:.2}× as fast as serial ({:.0} ms against {:.0} ms).",
            run_label(fastest),
            fastest.wall_ms,
            s.wall_ms
        )),
        (Some(s), _) if records.len() > 1 => {
            let next = records.iter().filter(|r| !r.model.is_serial()).min_by(|a, b| a.wall_ms.total_cmp(&b.wall_ms));
            if let Some(n) = next {
                out.push(format!(
                    "Serial was fastest ({:.0} ms); {} took {:.2}× as long: its pool cost more than it saved.",
                    s.wall_ms,
                    run_label(n),
                    n.wall_ms / s.wall_ms.max(1e-9)
                ));
            }
        }
        _ => out.push(format!(
            "{} took {:.0} ms of wall time and {:.0} ms of CPU time.",
            run_label(fastest),
            fastest.wall_ms,
            fastest.cpu_ms
        )),
    }
    // The reason: for the fastest run, and for a threaded run under the GIL
    // when that is what held it back.
    let held_back = records.iter().find(|r| r.gil.is_on() && r.model.uses_threads() && time_in(r, PhaseKind::LockWait) > 0.0);
    if let Some(reason) = held_back.and_then(|r| why(r, serial)).or_else(|| why(fastest, serial)) {
        out.push(reason);
    }
    if let Some(sentence) = article_comparison(records) {
        out.push(sentence);
    }
    out
}

fn article_comparison(records: &[RunRecord]) -> Option<String> {
    let spec = engine::scenarios::spec(records.first()?.scenario);
    let serial_fig = spec.article.iter().find(|a| a.model.is_serial())?;
    let other = spec.article.iter().find(|a| !a.model.is_serial())?;
    let here = records.iter().find(|r| r.model == other.model)?;
    let here_x = speedup(records, here)?;
    Some(format!(
        "The article saw a {} run {:.2}× as fast as serial ({} s against {} s); here {} ran {here_x:.2}× as fast.",
        other.model.label().to_lowercase(),
        serial_fig.seconds / other.seconds,
        other.seconds,
        serial_fig.seconds,
        run_label(here)
    ))
}
