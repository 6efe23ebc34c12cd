use super::*;

/// A pool scenario's result from what was measured.
fn pool_assemble(plan: &RunPlan, outcome: Outcome) -> ScenarioResult {
    plan.scenario.runs().pool().expect("a pool scenario").assemble(plan, outcome)
}
use crate::config::{validate, RunConfig};
use kernels::checkpoint::NoCheckpoint;
use serde_json::json;

fn plan(v: Value) -> RunPlan {
    validate(&serde_json::from_value::<RunConfig>(v).unwrap()).unwrap()
}

fn run_all(plan: &RunPlan) -> Vec<Value> {
    task_inputs(plan).iter().map(|t| run_task(t, &mut NoCheckpoint).unwrap()).collect()
}

#[test]
fn primes_tasks_run_from_their_shipped_form() {
    let plan = plan(json!({"scenario": "primes", "model": "serial", "params": {"limits": [10, 30]}}));
    let tasks = task_inputs(&plan);
    assert_eq!(tasks.len(), 2);
    let shipped: TaskInput = serde_json::from_str(&serde_json::to_string(&tasks[1]).unwrap()).unwrap();
    let out = run_task(&shipped, &mut NoCheckpoint).unwrap();
    assert_eq!((out["count"].as_u64(), out["digits"].as_u64()), (Some(10), Some(10)));
    let result = serde_json::to_value(pool_assemble(&plan, Outcome { outputs: vec![out.clone(), out], ..Outcome::default() })).unwrap();
    assert_eq!(result["items"].as_array().unwrap().len(), 2);
}

#[test]
fn a_malformed_task_fails_with_a_message() {
    let task = TaskInput { scenario: ScenarioId::Primes, index: 0, label: "x".into(), input: json!({}) };
    assert!(matches!(run_task(&task, &mut NoCheckpoint), Err(TaskFailure::Failed(m)) if m.contains("'n'")));
}

#[test]
fn factorial_values_are_exact_and_a_task_can_raise() {
    let p = plan(json!({"scenario": "factorial", "model": "threads", "params": {"n": 22}}));
    let values = run_all(&p);
    assert_eq!(values[10], "3628800");
    assert_eq!(values[21], "51090942171709440000"); // past u64
    let p = plan(json!({"scenario": "factorial", "model": "threads", "params": {"n": 5, "fail_at": 3}}));
    let raising = task_inputs(&p).remove(3);
    let caught = std::panic::catch_unwind(|| run_task(&raising, &mut NoCheckpoint));
    assert!(caught.is_err(), "task 3 panics");
}

#[test]
fn pool_overhead_tasks_sleep_or_square() {
    let p = plan(json!({"scenario": "pool-overhead", "model": "threads", "params": {"unit_ms": 2}}));
    let tasks = task_inputs(&p);
    assert_eq!(tasks.iter().map(|t| t.input["sleep_ms"].as_u64().unwrap()).collect::<Vec<_>>(), [0, 2, 4, 6, 8]);
    let p = plan(json!({"scenario": "pool-overhead", "model": "threads", "params": {"work": "square", "reuse": true}}));
    assert_eq!(
        p.scenario.runs().pool().expect("a pool scenario").shape(&p),
        RunShape { repeats: 3, reuse_pool: true, uses_parent_state: false }
    );
    assert_eq!(run_all(&p)[999], 1000, "2**999 has 1000 bits");
}

#[test]
fn sample_and_shared_state_results_have_the_contract_shape() {
    let p = plan(json!({"scenario": "sample", "model": "serial", "params": {"k": 1000, "calls": 3}}));
    let result = serde_json::to_value(pool_assemble(&p, Outcome { outputs: run_all(&p), cpu_ms: 5.0, ..Outcome::default() })).unwrap();
    assert_eq!(result, json!({"lengths": [1000, 1000, 1000], "cpu_ms": 5.0, "startup_ms": 0.0}));
    let p = plan(json!({"scenario": "shared-state", "model": "serial", "params": {"items": 3, "increments": 10}}));
    reset_parent_state();
    run_all(&p);
    let result = serde_json::to_value(pool_assemble(&p, Outcome { parent: Some(parent_state()), ..Outcome::default() })).unwrap();
    assert_eq!(result["list"], json!([0, 1, 2]));
    assert_eq!(result["counters"], json!({"expected": 30, "unlocked": 30, "atomic": 30, "mutex": 30}));
}

#[test]
fn downloads_keep_going_past_a_bad_file_and_size_their_pools() {
    crate::io::install(|url| if url.contains("missing") { Err("HTTP 404".into()) } else { Ok(url.as_bytes().to_vec()) });
    let p = plan(json!({"scenario": "downloads", "model": "threads", "params": {"preset": "pages", "latency_ms": 50}}));
    let tasks = task_inputs(&p);
    assert_eq!(tasks.len(), 6);
    assert_eq!(tasks[0].input["url"], "net/pages/post-1.html?latency_ms=50&kbps=0");
    assert_eq!(pool_size(&p, tasks.len()), 6);
    assert_eq!(task_inputs(&plan(json!({"scenario": "downloads", "model": "serial"}))).len(), 30);
    let p = plan(json!({"scenario": "downloads", "model": "per-task", "params": {"urls": "a/one b/missing, c/two"}}));
    assert_eq!(pool_size(&p, 3), 3);
    let files = run_all(&p);
    assert_eq!(files[0]["bytes"], 5);
    assert_eq!(files[1], json!({"url": "b/missing", "error": "HTTP 404"}));
    assert!(files[2]["checksum"].as_str().unwrap().len() == 8);
}

#[test]
fn a_list_may_be_an_array() {
    let p = plan(json!({
        "scenario": "downloads", "model": "async", "params": {"urls": ["net/pages/post-1.html", " net/pages/post-2.html "]}
    }));
    assert_eq!(downloads::urls(&p), ["net/pages/post-1.html", "net/pages/post-2.html"]);
}

#[test]
fn every_scenario_reads_its_default_parameters() {
    for &id in ScenarioId::ALL {
        let s = id.scenario();
        let spec = s.spec();
        assert_eq!((spec.id, s.id()), (id, id));
        assert_eq!(ScenarioId::parse(id.as_str()), Some(id));
        assert_eq!(serde_json::to_value(id).unwrap(), json!(id.as_str()), "written as its id text");
        for model in &spec.models {
            let p = plan(json!({"scenario": s.id(), "model": model}));
            // Reads the typed parameters: a field the spec lacks panics here.
            let tasks = task_inputs(&p);
            if id.runner() == Runner::Pool {
                assert!(!tasks.is_empty(), "{} makes tasks", s.id());
            }
            let _ = (id.shape(&p), p.needs_shared_memory(), p.with_pool_size(2));
            let _ = (s.workers_in_all(&p), s.processes_asked(&p));
        }
    }
    assert_eq!(pipeline::params(&plan(json!({"scenario": "pipeline", "model": "pipeline"}))).variant, 5);
    assert_eq!(wordcount::params(&plan(json!({"scenario": "wordcount", "model": "dataflow"}))).procs, 2);
}

/// A result of each scenario, in the shape records have had (the public
/// contract): it reads as that scenario's shape and writes back the same.
#[test]
fn every_result_keeps_its_shape() {
    let shapes = [
        ("primes", json!({"items": [{"n": 10, "count": 4, "digits": 3, "first_digits": "210", "last_digits": "210"}]})),
        ("sample", json!({"lengths": [1000, 1000], "cpu_ms": 5.5, "startup_ms": 1.5, "work_ms": 20.25})),
        ("factorial", json!({"values": ["1", "1", "2"], "finish_order": [0, 2, 1]})),
        ("pool-overhead", json!({"per_repeat_ms": [1.5, 2.0], "pool_start_ms": 0.5})),
        ("shared-state", json!({"list": [0, 1], "counters": {"expected": 20, "unlocked": 18, "atomic": 20, "mutex": 20}})),
        ("downloads", json!({"files": [{"url": "net/a", "bytes": 5, "checksum": "3610a686"}, {"url": "net/b", "error": "HTTP 404"}]})),
        (
            "quadrants",
            json!({"quadrant_ms": {"serial": 4.0, "concurrent": 2.0, "parallel": 3.0, "both": 1.0},
                   "timelines": {"serial": [{"id": 0, "label": "task 0", "worker": 0, "start_ms": 0.0, "end_ms": 1.0,
                                             "phases": [{"kind": "compute", "start_ms": 0.0, "end_ms": 1.0}]}],
                                 "concurrent": [], "parallel": [], "both": []}}),
        ),
        (
            "pipeline",
            json!({"measured_s": 28.8, "expected_s": 28.2, "schedule_s": 28.2, "article_s": 28.3, "startup_s": 0.0,
                   "cpu_work_s": 54.0, "cpu_bound_s": 32.4, "stages": [{"name": "collect", "runs_on": "the main thread"}],
                   "reports": [{"endpoint": "24h", "interval": 30, "rows": 120, "mean": 484.5, "max": 993}],
                   "steps_per_ms": null, "cores": 2}),
        ),
        ("wordcount", json!({"total_words": 79, "distinct_words": 69, "top": [["the", 4]], "input_bytes": 500, "exchanged_bytes": 0})),
    ];
    for (scenario, shape) in shapes {
        let result: ScenarioResult = serde_json::from_value(shape.clone()).unwrap_or_else(|e| panic!("{scenario}: {e}"));
        assert_eq!(result.scenario().map(ScenarioId::as_str), Some(scenario), "{shape}");
        assert_eq!(serde_json::to_value(&result).unwrap(), shape, "{scenario} writes the shape it read");
    }
    assert_eq!(serde_json::from_value::<ScenarioResult>(Value::Null).unwrap(), ScenarioResult::None);
    assert!(serde_json::from_value::<ScenarioResult>(json!({"items": [], "extra": 1})).is_err(), "an unknown key is no shape");
}

#[test]
fn a_run_says_how_many_isolated_workers_it_takes() {
    let asked = |v: Value| processes_asked(&plan(v));
    assert_eq!(asked(json!({"scenario": "primes", "model": "processes", "workers": 3})), 3);
    assert_eq!(asked(json!({"scenario": "primes", "model": "threads", "workers": 3})), 0);
    // Variant 4: a fresh pool of cpucount per endpoint's batch, three batches.
    assert_eq!(asked(json!({"scenario": "pipeline", "model": "pipeline", "params": {"variant": 4, "cpucount": 4}})), 12);
    assert_eq!(asked(json!({"scenario": "pipeline", "model": "pipeline", "params": {"variant": 5, "cpucount": 6}})), 6);
    assert_eq!(asked(json!({"scenario": "wordcount", "model": "dataflow", "params": {"procs": 3, "threads_per_proc": 1}})), 3);
    assert_eq!(asked(json!({"scenario": "sample", "model": "processes"})), 0);
}

#[test]
fn fresh_pools_per_repeat_take_a_pool_each() {
    let asked = |v: Value| processes_asked(&plan(v));
    let fresh = json!({"scenario": "pool-overhead", "model": "processes", "workers": 2, "params": {"repeats": 5, "reuse": false}});
    assert_eq!(asked(fresh), 10);
    let reused = json!({"scenario": "pool-overhead", "model": "processes", "workers": 2, "params": {"repeats": 5, "reuse": true}});
    assert_eq!(asked(reused), 2);
}
