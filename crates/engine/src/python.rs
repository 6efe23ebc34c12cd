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
use serde::Serialize;

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

/// One program of the Python tab: what its switch says, the file name
/// Download saves it under (scenario and model), and the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PythonProgram {
    pub title: String,
    pub filename: String,
    pub code: String,
}

/// Every program the Python tab shows for `plan`: the standard-library one
/// first, then any the scenario adds (the word count's Bytewax dataflow).
pub fn programs(plan: &RunPlan, base_url: &str) -> Vec<PythonProgram> {
    let scenario = scenarios::of(plan);
    let stem = format!("{}_{}", plan.scenario, plan.model.id()).replace('-', "_");
    let mut out = Vec::new();
    let main = program(plan, base_url);
    if !main.is_empty() {
        out.push(PythonProgram { title: "Standard library".into(), filename: format!("{stem}.py"), code: main });
    }
    for more in scenario.python_more(plan) {
        let mut values = fills(plan, base_url);
        values.extend(more.values.into_iter().map(|(k, v)| (k.to_string(), v)));
        out.push(PythonProgram { title: more.title.into(), filename: format!("{stem}_{}.py", more.suffix), code: fill(more.template.into(), values) });
    }
    out
}

/// The placeholders of a plan's programs and their values.
fn fills(plan: &RunPlan, base_url: &str) -> Vec<(String, String)> {
    let scenario = scenarios::of(plan);
    let mut fills: Vec<(String, String)> = plan.params.0.iter().map(|(k, v)| (k.clone(), literal(v))).collect();
    fills.push(("workers".into(), workers(plan).to_string()));
    fills.push(("model".into(), text_literal(plan.model.id())));
    fills.push(("start_method".into(), text_literal(plan.start_method.id())));
    fills.push(("base_url".into(), text_literal(base_url)));
    // Where a scenario writes a parameter its own way (a list of URLs, the
    // text to count), that replaces the plain literal.
    for (name, value) in scenario.python_values(plan) {
        fills.retain(|(k, _)| k != name);
        fills.push((name.to_string(), value));
    }
    fills
}

fn fill(mut template: String, fills: Vec<(String, String)>) -> String {
    for (name, value) in fills {
        template = template.replace(&format!("{{{{{name}}}}}"), &value);
    }
    template
}

fn workers(plan: &RunPlan) -> usize {
    match scenarios::of(plan).runner() {
        Runner::Quadrants => plan.workers as usize,
        _ => scenarios::pool_size(plan, scenarios::task_inputs(plan).len()),
    }
}

/// The standard-library program for `plan`; downloads fetch from `base_url`
/// (the folder the playground is served from, so its `net/` files resolve).
pub fn program(plan: &RunPlan, base_url: &str) -> String {
    let scenario = scenarios::of(plan);
    let Some(code) = scenario.python() else { return String::new() };
    let workers = workers(plan);
    let harness = match scenario.runner() {
        Runner::Pool | Runner::WholePrograms => model_harness(plan.model),
        _ => "",
    };
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
    fill(header + harness + if harness.is_empty() { "" } else { "\n\n" } + code, fills(plan, base_url))
}

#[cfg(test)]
mod tests;
