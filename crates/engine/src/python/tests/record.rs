//! `--json`: every standard-library program that measures its tasks, in
//! every model and start method, prints one record that the published
//! `record.json` accepts (checked by Python's jsonschema, pinned in
//! tests/requirements.txt), that reads back as a `RunRecord`, and whose
//! result is the engine's for the same parameters.
use super::{plan, tiny_server};
use crate::record::RunRecord;
use crate::scenarios::{self, Outcome, ScenarioResult};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The project's Python with jsonschema; None, with a note, outside CI
/// where it is missing.
fn validator_python() -> Option<PathBuf> {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python");
    if Command::new(&python).args(["-c", "import jsonschema"]).output().is_ok_and(|o| o.status.success()) {
        return Some(python);
    }
    let why = format!("jsonschema is not installed at {} (bash .ci/install.sh installs it)", python.display());
    assert!(std::env::var_os("CI").is_none(), "{why}");
    eprintln!("skipped: {why}");
    None
}

/// `python3 <program> --json`, its stdout as JSON.
fn run_json(source: &str) -> Value {
    let dir = std::env::temp_dir().join(format!("playground-json-{}-{}", std::process::id(), crc32fast::hash(source.as_bytes())));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("program.py");
    std::fs::write(&file, source).unwrap();
    let out = Command::new("python3").arg(&file).arg("--json").current_dir(&dir).output().expect("python3 runs");
    let _ = std::fs::remove_dir_all(&dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "the program failed:\n{source}\n---\n{stdout}{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: stdout is one record, not\n{stdout}"))
}

/// What the published schema says of each record: "ok" or what is wrong.
fn validate(python: &Path, records: &[Value]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut child = Command::new(python)
        .arg(root.join("tests/schema_check.py"))
        .arg(root.join("www/schema/record.json"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), serde_json::to_string(records).unwrap().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

/// The engine's result for `plan`, its tasks run here one after another.
fn engine_result(plan: &crate::plan::RunPlan) -> ScenarioResult {
    scenarios::reset_parent_state();
    let outputs = scenarios::task_inputs(plan)
        .iter()
        .map(|t| scenarios::run_task(t, &mut kernels::checkpoint::NoCheckpoint).unwrap_or_else(|e| panic!("{e:?}")))
        .collect();
    plan.scenario.runs().pool().expect("a pool scenario").assemble(plan, Outcome { outputs, ..Outcome::default() })
}

/// Small parameters of each scenario whose programs measure their tasks.
fn configs() -> Vec<Value> {
    vec![
        json!({"scenario": "primes", "params": {"limits": "300,200,12000"}}),
        json!({"scenario": "sample", "params": {"k": 1000, "calls": 3}}),
        json!({"scenario": "factorial", "params": {"n": 30}}),
        json!({"scenario": "pool-overhead", "params": {"unit_ms": 1, "repeats": 2}}),
        json!({"scenario": "pool-overhead", "params": {"work": "square", "reuse": true, "repeats": 2}}),
        json!({"scenario": "shared-state", "params": {"items": 5, "increments": 10}}),
        json!({"scenario": "downloads", "params": {"preset": "pages", "limit": 3}}),
        json!({"scenario": "wordcount", "params": {"procs": 2, "threads_per_proc": 2}}),
        json!({"scenario": "quadrants", "params": {"tasks": 2, "wait_ms": 10, "work": 2000}}),
    ]
    .into_iter()
    .chain((1..=6).map(|variant| json!({"scenario": "pipeline", "params": {"variant": variant, "cpucount": 2, "scale_ms": 2}})))
    .chain([json!({"scenario": "pipeline", "params": {"variant": 6, "cpucount": 3, "report": "cpu", "scale_ms": 2}})])
    .collect()
}

/// The deterministic part of the result is the engine's.
fn check_result(p: &crate::plan::RunPlan, record: &RunRecord) {
    let what = format!("{} {} {}", p.scenario, p.model.id(), p.start_method.id());
    let got = &record.result;
    assert_eq!(got.scenario(), Some(scenarios::of(p).id()), "{what}: the result has the scenario's shape");
    if p.scenario == crate::scenarios::ScenarioId::Downloads {
        let files = &got.downloads().unwrap().files;
        assert_eq!(files.len(), scenarios::task_inputs(p).len(), "{what}");
        assert!(files.iter().all(|f| f.bytes == Some(5) && f.checksum.as_deref() == Some("3610a686")), "{what}: {files:?}");
        return;
    }
    if p.scenario == crate::scenarios::ScenarioId::WordCount {
        // The page counts the same text with its kernel; what crossed between processes is each side's own.
        let text = scenarios::wordcount::text_of(&scenarios::wordcount::source(p), &mut kernels::checkpoint::NoCheckpoint).unwrap();
        let counts = kernels::wordcount::count(&text, &mut kernels::checkpoint::NoCheckpoint).unwrap();
        let engine = scenarios::wordcount::assemble(&counts, text.len(), 0);
        let (got, engine) = (got.wordcount().unwrap(), engine.wordcount().unwrap());
        assert_eq!(
            (got.total_words, got.distinct_words, &got.top, got.input_bytes),
            (engine.total_words, engine.distinct_words, &engine.top, engine.input_bytes),
            "{what}"
        );
        return;
    }
    if p.scenario == crate::scenarios::ScenarioId::Quadrants {
        // Each quadrant's wall time and its own timeline, by the page's names.
        let got = got.quadrants().unwrap();
        let names = ["both", "concurrent", "parallel", "serial"];
        assert_eq!(got.quadrant_ms.keys().collect::<Vec<_>>(), names, "{what}");
        assert_eq!(got.timelines.keys().collect::<Vec<_>>(), names, "{what}");
        assert!(
            got.timelines.values().all(|spans| !spans.is_empty() && spans.iter().all(|s| s.start_ms >= 0.0)),
            "{what}: {:?}",
            got.timelines
        );
        return;
    }
    if p.scenario == crate::scenarios::ScenarioId::Pipeline {
        check_pipeline(p, record);
        return;
    }
    let engine = engine_result(p);
    match p.scenario.as_str() {
        "primes" => assert_eq!(got, &engine, "{what}"),
        "sample" => assert_eq!(got.sample().unwrap().lengths, engine.sample().unwrap().lengths, "{what}"),
        "factorial" => {
            let (got, engine) = (got.factorial().unwrap(), engine.factorial().unwrap());
            assert_eq!(got.values, engine.values, "{what}");
            let mut order = got.finish_order.clone();
            order.sort();
            assert_eq!(order, (0..got.values.len() as u32).collect::<Vec<_>>(), "{what}: every task finished once");
        }
        "pool-overhead" => {
            assert_eq!(got.pool_overhead().unwrap().per_repeat_ms.len(), p.params.int("repeats").unwrap() as usize, "{what}")
        }
        "shared-state" => {
            let (got, engine) = (got.shared_state().unwrap(), engine.shared_state().unwrap());
            assert_eq!(got.counters.expected, engine.counters.expected, "{what}");
            // Processes change copies of their own: the parent's list stays empty, as on the page.
            let mut list = if p.model.starts_processes() { Vec::new() } else { engine.list.clone() };
            list.sort();
            assert_eq!(got.list, list, "{what}");
        }
        other => panic!("no check for {other}"),
    }
}

/// The pipeline's figures that are not timings are the engine's for the
/// same parameters on as many cores as the machine has: the tutorial's
/// time, the schedule the steps imply, the stages and which reports ran.
fn check_pipeline(p: &crate::plan::RunPlan, record: &RunRecord) {
    use crate::scenarios::pipeline::{self, Measured, ReportWork};
    let what = format!("pipeline {} {}", p.params_json(), p.start_method.id());
    let got = record.result.pipeline().unwrap();
    let reports = (0..pipeline::ENDPOINTS.len() as u32)
        .flat_map(|i| pipeline::import(pipeline::collect(i)).pairs)
        .map(|pair| pipeline::report(&pair, ReportWork::Wait { ms: 0.0 }, &mut kernels::checkpoint::NoCheckpoint).unwrap())
        .collect();
    let engine = pipeline::assemble(p, Measured { reports, cores: got.cores, ..Measured::default() });
    let engine = engine.pipeline().unwrap();
    assert_eq!(got.cores, record.env.cores, "{what}: the machine's cores");
    let figures = |r: &pipeline::PipelineResult| (r.article_s, r.schedule_s, r.cpu_work_s, r.cpu_bound_s, r.stages.clone(), r.steps_per_ms);
    assert_eq!(figures(got), figures(engine), "{what}");
    let identities = |r: &pipeline::PipelineResult| r.reports.iter().map(|r| (r.endpoint.clone(), r.interval, r.rows)).collect::<Vec<_>>();
    assert_eq!(identities(got), identities(engine), "{what}");
    // Its timings are its own: every step's time at least.
    assert!(got.measured_s >= got.schedule_s.min(got.cpu_bound_s) * 0.9 && got.expected_s > 0.0, "{what}: {got:?}");
    let mut ids: Vec<u32> = record.tasks.iter().filter_map(|t| t.id).collect();
    ids.sort();
    assert_eq!(ids, (0..3 + 3 + 9).collect::<Vec<_>>(), "{what}: each collect, import and report once");
}

#[test]
fn every_measured_program_prints_a_record_the_schema_accepts_with_the_engines_result() {
    let Some(python) = validator_python() else { return };
    let mut records = Vec::new();
    for config in configs() {
        let spec = scenarios::spec(config["scenario"].as_str().unwrap().parse().unwrap());
        for model in &spec.models {
            let starts: &[&str] = if model.starts_processes() { &["spawn", "forkserver"] } else { &["forkserver"] };
            for start in starts {
                let mut c = config.clone();
                c["model"] = json!(model);
                c["workers"] = json!(2);
                c["start_method"] = json!(start);
                let p = plan(c);
                let base =
                    if p.scenario == crate::scenarios::ScenarioId::Downloads { tiny_server(16) } else { "http://127.0.0.1:9/".into() };
                let json = run_json(&super::program(&p, &base));
                let record: RunRecord = serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{e}: {json}"));
                assert_eq!((record.scenario.as_str(), record.model, record.start_method), (p.scenario.as_str(), p.model, p.start_method));
                assert_eq!((record.workers, &record.params), (p.workers, &p.params_json()));
                assert_eq!(record.env.native.as_ref().map(|n| n.interpreter.as_str()), Some("CPython"));
                let ids: Vec<u32> = record.tasks.iter().filter_map(|t| t.id).collect();
                assert!(!ids.is_empty() && record.tasks.iter().all(|t| !t.phases.is_empty()), "{json}");
                let pool = p.scenario != crate::scenarios::ScenarioId::Pipeline
                    || crate::scenarios::pipeline::uses_pool(crate::scenarios::pipeline::params(&p).variant);
                if p.model.starts_processes() && pool {
                    assert!(
                        record.tasks.iter().any(|t| t.phases[0].kind == crate::record::PhaseKind::Spawn),
                        "each process's start-up: {json}"
                    );
                }
                check_result(&p, &record);
                records.push(json);
            }
        }
    }
    let verdicts = validate(&python, &records);
    assert_eq!(verdicts.len(), records.len());
    for (verdict, record) in verdicts.iter().zip(&records) {
        assert_eq!(verdict, "ok", "{}", record);
    }
}

#[test]
fn without_json_a_program_prints_what_it_printed() {
    let p = plan(json!({"scenario": "primes", "model": "processes", "workers": 2, "params": {"limits": "300"}}));
    let out = super::run_python(&super::program(&p, ""));
    assert!(out.contains("below 300: 62 primes, product of") && !out.contains("\"scenario\""), "{out}");
}
