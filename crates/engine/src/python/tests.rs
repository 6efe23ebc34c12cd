//! Every program the page can show runs in CPython: each scenario in each of
//! its models, with small parameters, must exit cleanly and print what the
//! scenario computes.
use super::program;
use crate::config::{validate, RunConfig};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;

fn plan(v: Value) -> crate::plan::RunPlan {
    validate(&serde_json::from_value::<RunConfig>(v).unwrap()).unwrap()
}

/// A server on 127.0.0.1 answering `count` GETs with five bytes, then ending.
fn tiny_server(count: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}/", listener.local_addr().unwrap().port());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(count) {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 2048];
            let _ = s.read(&mut buf);
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
        }
    });
    url
}

fn run_python(source: &str) -> String {
    let dir = std::env::temp_dir().join(format!("playground-py-{}-{}", std::process::id(), crc32fast::hash(source.as_bytes())));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("program.py");
    std::fs::write(&file, source).unwrap();
    let out = Command::new("python3").arg(&file).output().expect("python3 runs");
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the program failed:\n{source}\n---\n{text}");
    let _ = std::fs::remove_dir_all(&dir);
    text
}

/// Small parameters per scenario, and what its output must contain.
fn cases() -> Vec<(Value, &'static str)> {
    vec![
        (json!({"scenario": "primes", "params": {"limits": "300,200"}}), "below 300: 62 primes"),
        (json!({"scenario": "sample", "params": {"k": 1000, "calls": 2}}), "lengths [1000, 1000]"),
        (json!({"scenario": "factorial", "params": {"n": 10}}), "'362880'"),
        // Past CPython's default limit on converting integers to text.
        (json!({"scenario": "primes", "params": {"limits": "12000"}}), "below 12000: 1438 primes"),
        (json!({"scenario": "pool-overhead", "params": {"unit_ms": 1, "repeats": 2}}), "per repeat"),
        (json!({"scenario": "pool-overhead", "params": {"work": "square", "reuse": true, "repeats": 2}}), "per repeat"),
        (json!({"scenario": "shared-state", "params": {"items": 5, "increments": 10}}), "counters: expected 50"),
        (json!({"scenario": "downloads", "params": {"preset": "pages", "limit": 3}}), "5 bytes, crc32 3610a686"),
        (json!({"scenario": "quadrants", "workers": 2, "params": {"tasks": 2, "wait_ms": 10, "work": 2000}}), "concurrent and parallel"),
        (json!({"scenario": "wordcount", "params": {}}), "79 words, 69 distinct"),
        (json!({"scenario": "wordcount", "params": {"preset": "corpus", "corpus_mb": 1, "procs": 2}}), "distinct"),
    ]
}

#[test]
fn every_program_runs_in_cpython_in_every_model() {
    for (config, expected) in cases() {
        let spec = crate::scenarios::spec(config["scenario"].as_str().unwrap()).unwrap();
        for model in &spec.models {
            let mut c = config.clone();
            c["model"] = json!(model);
            if c.get("workers").is_none() {
                c["workers"] = json!(2);
            }
            let p = plan(c);
            let base = if p.scenario == "downloads" { tiny_server(64) } else { "http://127.0.0.1:9/".into() };
            let source = program(&p, &base);
            assert!(!source.contains("{{"), "every placeholder filled:\n{source}");
            let out = run_python(&source);
            assert!(out.contains(expected), "{} {}: expected {expected:?} in\n{out}", p.scenario, model);
        }
    }
}

#[test]
fn every_pipeline_variant_runs_in_cpython() {
    for variant in 1..=6 {
        let p = plan(json!({"scenario": "pipeline", "model": "pipeline", "params": {"variant": variant, "cpucount": 2, "scale_ms": 2}}));
        let out = run_python(&program(&p, ""));
        assert!(out.contains(&format!("9 reports; variant {variant}")), "{out}");
    }
}

#[test]
fn programs_name_their_construct_and_worker_count() {
    let p = plan(json!({"scenario": "primes", "model": "threads", "workers": 3}));
    let source = program(&p, "");
    assert!(source.contains("ThreadPoolExecutor(max_workers=3)") && source.contains("GIL on"), "{source}");
    let p = plan(json!({"scenario": "primes", "model": "processes", "workers": 5}));
    let source = program(&p, "");
    assert!(source.contains("ProcessPoolExecutor(max_workers=5, mp_context=context)"), "{source}");
    assert!(source.contains(r#"multiprocessing.get_context("forkserver")"#) && source.contains("start method forkserver"), "{source}");
    let p = plan(json!({"scenario": "primes", "model": "processes", "workers": 5, "start_method": "spawn"}));
    assert!(program(&p, "").contains(r#"multiprocessing.get_context("spawn")"#));
    for scenario in ["pipeline", "wordcount"] {
        let model = if scenario == "pipeline" { "pipeline" } else { "dataflow" };
        let p = plan(json!({"scenario": scenario, "model": model, "start_method": "spawn"}));
        assert!(program(&p, "").contains(r#"get_context("spawn")"#), "{scenario}");
    }
    let p = plan(json!({"scenario": "downloads", "model": "async", "params": {"limit": 4}}));
    assert!(program(&p, "").contains("asyncio.Semaphore(4)"));
}
