//! The Python behind a run: the standard-library program that does what a
//! plan does, filled in with its parameters and worker count. A scenario run
//! by the pool runner is its task code (`python/scenarios/<id>.py`) on a
//! model's harness (`python/models/<model>.py`: a `pool()` and a `pmap`);
//! quadrants, the pipeline and the word count are whole programs of their
//! own. The page shows these programs, the native tests run every one of
//! them in CPython, and the benchmark times them (`tests/cpython_bench.py`).
use crate::model::Model;
use crate::plan::{ParamValue, RunPlan};
use crate::scenarios::{self, Runner};

fn model_harness(model: Model) -> &'static str {
    match model {
        Model::Serial => include_str!("../python/models/serial.py"),
        Model::Threads => include_str!("../python/models/threads.py"),
        Model::Processes => include_str!("../python/models/processes.py"),
        Model::Async => include_str!("../python/models/async.py"),
        Model::PerTask => include_str!("../python/models/per-task.py"),
        Model::Batches => include_str!("../python/models/batches.py"),
        // Their scenarios are whole programs.
        Model::Pipeline | Model::Dataflow => "",
    }
}

/// A value as a Python literal (JSON strings are Python strings too).
fn literal(value: &ParamValue) -> String {
    match value {
        ParamValue::Bool(b) => if *b { "True" } else { "False" }.into(),
        ParamValue::Int(n) => n.to_string(),
        ParamValue::IntList(l) => format!("[{}]", l.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")),
        ParamValue::Text(t) => serde_json::to_string(t).unwrap_or_default(),
    }
}

fn text_literal(t: &str) -> String {
    serde_json::to_string(t).unwrap_or_default()
}

/// The program for `plan`; downloads fetch from `base_url` (the folder the
/// playground is served from, so its `net/` files resolve).
pub fn program(plan: &RunPlan, base_url: &str) -> String {
    let scenario = scenarios::of(plan);
    let Some(code) = scenario.python() else { return String::new() };
    let workers = match scenario.runner() {
        Runner::Quadrants => plan.workers as usize,
        _ => scenarios::pool_size(plan, scenarios::task_inputs(plan).len()),
    };
    let harness = match scenario.runner() {
        Runner::Pool | Runner::WholePrograms => model_harness(plan.model),
        _ => "",
    };
    let mut fills: Vec<(String, String)> = plan.params.0.iter().map(|(k, v)| (k.clone(), literal(v))).collect();
    fills.push(("workers".into(), workers.to_string()));
    fills.push(("model".into(), text_literal(plan.model.id())));
    fills.push(("start_method".into(), text_literal(plan.start_method.id())));
    fills.push(("base_url".into(), text_literal(base_url)));
    // Where a scenario writes a parameter its own way (a list of URLs, the
    // text to count), that replaces the plain literal.
    for (name, value) in scenario.python_values(plan) {
        fills.retain(|(k, _)| k != name);
        fills.push((name.to_string(), value));
    }
    let header = format!(
        "# {}: {} — Python 3, standard library only.\n# This run: {}, {} worker{}{}.\nimport time\n\n",
        scenario.spec().title,
        plan.model.label(),
        plan.model.python(),
        workers,
        if workers == 1 { "" } else { "s" },
        if plan.model.uses_threads() {
            format!(", GIL {}", plan.gil_text())
        } else if plan.model.starts_processes() {
            format!(", start method {}", plan.start_method.id())
        } else {
            String::new()
        },
    );
    let mut out = header + harness + if harness.is_empty() { "" } else { "\n\n" } + code;
    for (name, value) in fills {
        out = out.replace(&format!("{{{{{name}}}}}"), &value);
    }
    out
}

#[cfg(test)]
mod tests;
