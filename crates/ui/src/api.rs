//! `window.playground`: the page's scripting API (see README, "Page API").
//! `ready` resolves to `{cores, isolated, build, models}`; `run(config)`
//! resolves to a run record or rejects with a readable message;
//! `scenarios()` returns the catalog; `stop()` stops what is running;
//! `python(config)` resolves to the programs the Python tab shows for that
//! config, each `{title, filename, code}` (or rejects as `run` would);
//! `addRun(record)` adds a run made elsewhere (`python3 <program> --json`)
//! to the history and the compare view, resolving to the stored history
//! entry or rejecting with the message the page shows.
use crate::client::Client;
use engine::catalog;
use engine::config::{validate, RunConfig, RunPlan};
use engine::embed::ReadyInfo;
use js_sys::{Object, Promise, Reflect, JSON};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

pub(crate) fn to_js<T: Serialize>(value: &T) -> JsValue {
    let text = serde_json::to_string(value).expect("API values serialise");
    JSON::parse(&text).expect("serde_json writes valid JSON")
}

fn error(message: impl AsRef<str>) -> JsValue {
    js_sys::Error::new(message.as_ref()).into()
}

pub(crate) async fn ready_info(client: &Client) -> Result<ReadyInfo, String> {
    let (env, threads) = client.ready().await?;
    let shared_memory = env.has_shared_memory();
    let models = catalog::models_here(shared_memory);
    Ok(ReadyInfo { cores: env.cores, isolated: env.isolated, shared_memory, build: env.build, threads, models })
}

fn ready_promise(client: &Client) -> Promise {
    let client = client.clone();
    future_to_promise(async move {
        let info = ready_info(&client).await.map_err(error)?;
        // The benchmark reads how long start-up took from this mark.
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            let _ = performance.mark("playground-ready");
        }
        Ok(to_js(&info))
    })
}

/// A run config from a script (an object as for `window.playground.run`),
/// validated; the error is a readable message.
pub(crate) fn plan_from_js(config: &JsValue) -> Result<RunPlan, String> {
    let text = JSON::stringify(config).map_err(|_| "config must be a plain object".to_string())?;
    let json = serde_json::from_str(&String::from(text)).unwrap_or_default();
    plan_from_json(json)
}

/// A plan from a config as JSON: the same validation, and the same
/// messages, wherever it came from.
pub(crate) fn plan_from_json(config: serde_json::Value) -> Result<RunPlan, String> {
    let config: RunConfig = serde_json::from_value(config)
        .map_err(|e| format!("config must be an object like {{scenario, model, workers, gil, params}}: {e}"))?;
    validate(&config).map_err(|e| e.to_string())
}

/// The Python programs for a config from a script: the same validation,
/// and the same messages, as a run.
pub(crate) fn programs_from_js(config: &JsValue) -> Result<Vec<engine::python::PythonProgram>, String> {
    let plan = plan_from_js(config)?;
    Ok(engine::python::programs(&plan, &crate::link::folder()))
}

pub(crate) fn programs_from_json(config: serde_json::Value) -> Result<Vec<engine::python::PythonProgram>, String> {
    let plan = plan_from_json(config)?;
    Ok(engine::python::programs(&plan, &crate::link::folder()))
}

fn python_promise(config: JsValue) -> Promise {
    future_to_promise(async move { programs_from_js(&config).map(|p| to_js(&p)).map_err(error) })
}

fn run_promise(client: &Client, config: JsValue) -> Promise {
    let client = client.clone();
    future_to_promise(async move {
        let plan = plan_from_js(&config).map_err(error)?;
        let record = client.run(plan).await.map_err(|e| error(e.to_string()))?;
        Ok(to_js(&record))
    })
}

fn sweep_promise(client: &Client, config: JsValue, max_workers: JsValue) -> Promise {
    let client = client.clone();
    future_to_promise(async move {
        let plan = plan_from_js(&config).map_err(error)?;
        let max_text = max_workers.as_f64().map(|n| n.to_string()).or_else(|| max_workers.as_string()).unwrap_or_default();
        // No further than the pool's own range (the pipeline's cpucount stops at 16).
        let max = engine::config::parse_int("maxWorkers", &serde_json::json!(max_text), 1, plan.max_pool_size().into())
            .map_err(|e| error(e.to_string()))?;
        let records = js_sys::Array::new();
        for n in 1..=max as u32 {
            let record = client.run(plan.with_pool_size(n)).await.map_err(|e| error(e.to_string()))?;
            records.push(&to_js(&record));
        }
        Ok(records.into())
    })
}

/// A script's value as JSON (what cannot be written as JSON is refused).
pub(crate) fn json_of(value: &JsValue) -> Result<serde_json::Value, String> {
    let text = JSON::stringify(value)
        .ok()
        .and_then(|t| t.as_string())
        .ok_or("A run record is a JSON object (scenario, model, workers, …, tasks, result).")?;
    serde_json::from_str(&text).map_err(|e| format!("That is not JSON ({e})."))
}

fn add_run_promise(record: JsValue) -> Promise {
    future_to_promise(async move {
        let value = json_of(&record).map_err(error)?;
        let entry = crate::add_run::add(value).await.map_err(error)?;
        Ok(to_js(&entry))
    })
}

pub fn install(client: &Client) {
    let api = Object::new();
    let set = |name: &str, value: &JsValue| {
        Reflect::set(&api, &name.into(), value).expect("setting a property on a fresh object");
    };
    set("ready", &ready_promise(client));

    let c = client.clone();
    let run = Closure::<dyn Fn(JsValue) -> Promise>::new(move |config| run_promise(&c, config));
    set("run", run.as_ref());
    run.forget();

    let c = client.clone();
    let sweep = Closure::<dyn Fn(JsValue, JsValue) -> Promise>::new(move |config, max| sweep_promise(&c, config, max));
    set("sweep", sweep.as_ref());
    sweep.forget();

    let python = Closure::<dyn Fn(JsValue) -> Promise>::new(python_promise);
    set("python", python.as_ref());
    python.forget();

    let add_run = Closure::<dyn Fn(JsValue) -> Promise>::new(add_run_promise);
    set("addRun", add_run.as_ref());
    add_run.forget();

    let scenarios = Closure::<dyn Fn() -> JsValue>::new(|| to_js(&engine::scenarios::specs()));
    set("scenarios", scenarios.as_ref());
    scenarios.forget();

    let c = client.clone();
    let stop = Closure::<dyn Fn()>::new(move || c.stop());
    set("stop", stop.as_ref());
    stop.forget();

    let window = web_sys::window().expect("the page has a window");
    Reflect::set(&window, &"playground".into(), &api).expect("window is writable");
}
