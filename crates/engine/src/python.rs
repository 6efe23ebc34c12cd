//! The Python behind a run: the standard-library program that does what a
//! plan does, filled in with its parameters and worker count. A scenario run
//! by the pool runner is its task code (`python/scenarios/<id>.py`) with a
//! model's construct (`python/models/<model>.py`) where it maps its task;
//! quadrants, the pipeline and the word count are whole programs of their
//! own (`compose` says how the parts fit). Each program reads as one file
//! written by hand: one import block, no helper that only joins parts, laid
//! out as `ruff format` writes it. Where a program maps its tasks over a
//! process pool it also comes as a Dask program: the same code with the
//! pool swapped for a Dask cluster's executor (`python/models/dask.py`), to
//! run on one machine or many. The page shows these programs, the native
//! tests run every one of them in CPython (the Dask ones on a real cluster)
//! and check it with ruff, and the benchmark times them
//! (`tests/cpython_bench.py`).
use crate::model::Model;
use crate::plan::RunPlan;
use crate::pysource::compose::{self, Construct, Kind};
use crate::pysource::literal::{self, PyValue};
use crate::scenarios::{self, Runner};
use serde::Serialize;

/// How `model` maps the tasks of a scenario whose template is `template`.
fn construct(model: Model, template: &str) -> Option<Construct> {
    let function = compose::mapped_function(template).unwrap_or("task");
    // A task with an `async_` version awaits it on the event loop.
    let awaits = template.contains(&format!("async def async_{function}("));
    let model_template = |text: &str| compose::sections(text, if awaits { &["awaits"] } else { &[] }).replace("{{fn}}", function);
    let function_of = |text: &str, call| compose::construct(&model_template(text), Kind::Function(call));
    Some(match model {
        Model::Serial => compose::construct(include_str!("../python/models/serial.py"), Kind::Loop),
        Model::Threads => compose::construct(include_str!("../python/models/threads.py"), Kind::Executor),
        Model::Processes => compose::construct(include_str!("../python/models/processes.py"), Kind::Executor),
        Model::Async => function_of(include_str!("../python/models/async.py"), "asyncio.run(run_all({items}))"),
        Model::PerTask => function_of(include_str!("../python/models/per-task.py"), "thread_per_task({items})"),
        Model::Batches => function_of(include_str!("../python/models/batches.py"), "thread_batches({items})"),
        // Their scenarios are whole programs.
        Model::Pipeline | Model::Dataflow => return None,
    })
}

/// The section flags a scenario's template is read with for `model`.
fn flags(model: Model) -> Vec<&'static str> {
    let mut flags = vec![model.id()];
    if matches!(model, Model::Threads | Model::Processes) {
        flags.push("pool");
    }
    flags
}

/// One program of the Python tab: what its switch says, the file name
/// Download saves it under (scenario and model), and the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PythonProgram {
    pub title: String,
    /// What runs it: the standard library alone, or a library beside it.
    pub kind: ProgramKind,
    pub filename: String,
    pub code: String,
}

pub use crate::pysource::ProgramKind;

/// Every program the Python tab shows for `plan`: the standard-library one
/// first, then its Dask program where it maps tasks over a process pool,
/// then any the scenario adds (the word count's Bytewax dataflow).
pub fn programs(plan: &RunPlan, base_url: &str) -> Vec<PythonProgram> {
    let scenario = scenarios::of(plan);
    let stem = format!("{}_{}", plan.scenario, plan.model.id()).replace('-', "_");
    let mut out = Vec::new();
    let main = program(plan, base_url);
    if !main.is_empty() {
        out.push(PythonProgram {
            title: "Standard library".into(),
            kind: ProgramKind::StandardLibrary,
            filename: format!("{stem}.py"),
            code: main,
        });
    }
    let dask_file = format!("{stem}_dask.py");
    if let Some(code) = dask_program(plan, base_url, &dask_file) {
        out.push(PythonProgram { title: "Dask".into(), kind: ProgramKind::Dask, filename: dask_file, code });
    }
    for more in scenario.python_more(plan) {
        let mut values = fills(plan, base_url);
        values.extend(more.values.into_iter().map(|(k, v)| (k.to_string(), PyValue::Code(v))));
        let code = compose::fill(&compose::sections(more.template, &flags(plan.model)), &values);
        out.push(PythonProgram {
            title: more.title.into(),
            kind: more.kind,
            filename: format!("{stem}_{}.py", more.suffix),
            code: compose::assemble(&[], &code, &[]),
        });
    }
    out
}

/// The placeholders of a plan's programs and their values.
fn fills(plan: &RunPlan, base_url: &str) -> Vec<(String, PyValue)> {
    let scenario = scenarios::of(plan);
    let mut fills: Vec<(String, PyValue)> = plan.params.0.iter().map(|(k, v)| (k.clone(), literal::param(v))).collect();
    fills.push(("workers".into(), workers(plan).to_string().into()));
    fills.push(("model".into(), literal::string(plan.model.id()).into()));
    fills.push(("start_method".into(), literal::string(plan.start_method.id()).into()));
    fills.push(("base_url".into(), literal::string(base_url).into()));
    // Where a scenario writes a parameter its own way (a list of URLs, the
    // text to count), that replaces the plain literal.
    for (name, value) in scenario.python_values(plan) {
        fills.retain(|(k, _)| k != name);
        fills.push((name.to_string(), value));
    }
    fills
}

fn workers(plan: &RunPlan) -> usize {
    match plan.scenario.runner() {
        // Its threads, whatever the quadrant.
        Runner::Quadrants => plan.workers as usize,
        Runner::Pool | Runner::Pipeline | Runner::Dataflow | Runner::WholePrograms => {
            scenarios::pool_size(plan, scenarios::task_inputs(plan).len())
        }
    }
}

/// The standard-library program for `plan`; downloads fetch from `base_url`
/// (the folder the playground is served from, so its `net/` files resolve).
pub fn program(plan: &RunPlan, base_url: &str) -> String {
    let scenario = scenarios::of(plan);
    let Some(template) = scenario.python() else { return String::new() };
    let workers = workers(plan);
    let header = [
        format!("# {}: {} — Python 3, standard library only.", scenario.spec().title, plan.model.label()),
        format!(
            "# This run: {}, {} worker{}{}.",
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
        ),
    ];
    let mut template = compose::sections(template, &flags(plan.model));
    if record::reports(&template) {
        template = record::insert(&template, plan);
    }
    // A pool's tasks get the model's construct; the others are whole programs.
    let construct = match scenario.id().runner() {
        Runner::Pool | Runner::WholePrograms => construct(plan.model, &template),
        Runner::Quadrants | Runner::Pipeline | Runner::Dataflow => None,
    };
    let (code, imports) = match &construct {
        Some(c) => (compose::apply(&template, c), c.imports.clone()),
        None => (template, Vec::new()),
    };
    compose::assemble(&header, &compose::fill(&code, &fills(plan, base_url)), &imports)
}

/// The version of Dask's `distributed` the Dask programs are written for
/// (and `tests/requirements.txt` pins).
pub const DASK_VERSION: &str = "2026.8.0";

/// The Dask program for `plan`, where its scenario has one
/// (`Scenario::python_on_dask`): the standard-library program with its
/// process pool swapped for a Dask cluster's executor, saved as `file`.
pub fn dask_program(plan: &RunPlan, base_url: &str, file: &str) -> Option<String> {
    let scenario = scenarios::of(plan);
    if !scenario.python_on_dask(plan) {
        return None;
    }
    let mut flags = flags(plan.model);
    flags.push("dask");
    // The record (`--json`) is the standard-library program's: no task is measured here.
    let template: String =
        compose::sections(scenario.python()?, &flags).lines().filter(|l| !l.starts_with("@measured(")).map(|l| format!("{l}\n")).collect();
    let mut dask = compose::construct(include_str!("../python/models/dask.py"), Kind::Executor);
    let workers = workers(plan);
    let mut header = vec![
        format!("# {}: {} on Dask — Python 3 with Dask's distributed.", scenario.spec().title, plan.model.label()),
        format!("# This run: a Dask cluster's executor, {workers} worker{}.", if workers == 1 { "" } else { "s" }),
        "#".into(),
    ];
    // The construct's opening comment says how to run the program.
    header.append(&mut dask.about);
    let mut values = fills(plan, base_url);
    values.push(("file".into(), file.into()));
    values.push(("dask_version".into(), DASK_VERSION.into()));
    let header: Vec<String> = compose::fill(&header.join("\n"), &values).lines().map(str::to_string).collect();
    let code = compose::fill(&compose::apply(&template, &dask), &values);
    Some(compose::assemble(&header, &code, &dask.imports))
}

mod record;

#[cfg(test)]
mod tests;
