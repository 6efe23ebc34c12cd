//! Every program the page can show runs in CPython: each scenario in each of
//! its models, with small parameters, must exit cleanly and print what the
//! scenario computes.
use super::program;
use crate::config::{validate, RunConfig};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;

mod dask;
mod record;
mod ruff;

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
        let spec = crate::scenarios::spec(config["scenario"].as_str().unwrap().parse().unwrap());
        for model in &spec.models {
            let mut c = config.clone();
            c["model"] = json!(model);
            if c.get("workers").is_none() {
                c["workers"] = json!(2);
            }
            let p = plan(c);
            let base = if p.scenario == crate::scenarios::ScenarioId::Downloads { tiny_server(64) } else { "http://127.0.0.1:9/".into() };
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
        assert!(out.contains(&format!("9 reports; variant {variant}")) && !out.contains("\"scenario\""), "{out}");
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

/// The Python of the project's virtual environment, where `.ci/install.sh`
/// installs Bytewax (`PLAYGROUND_BYTEWAX_PYTHON` names another). None, with
/// a note, where it is missing outside CI; in CI a missing Bytewax fails.
fn bytewax_python() -> Option<std::path::PathBuf> {
    let python = std::env::var_os("PLAYGROUND_BYTEWAX_PYTHON")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python"));
    let works = Command::new(&python).args(["-c", "import bytewax"]).output().is_ok_and(|o| o.status.success());
    if works {
        return Some(python);
    }
    let why = format!("Bytewax is not installed at {} (bash .ci/install.sh installs it)", python.display());
    assert!(std::env::var_os("CI").is_none(), "{why}");
    eprintln!("skipped: {why}");
    None
}

/// The words of a command line, with double quotes grouping.
fn words(line: &str) -> Vec<String> {
    let (mut out, mut word, mut quoted) = (Vec::new(), String::new(), false);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Run the Bytewax program the page shows the way its comments say: the
/// commands of one process per line (`-i`), each on a free port of
/// 127.0.0.1, or `single` (one process, `-w`). Returns each process's
/// printed (word, count) pairs; fails if a process fails or does not end.
fn run_bytewax(python: &std::path::Path, program: &super::PythonProgram, cluster: bool) -> Vec<Vec<(String, u64)>> {
    use std::time::{Duration, Instant};
    let dir = std::env::temp_dir().join(format!(
        "playground-bytewax-{}-{}",
        std::process::id(),
        crc32fast::hash(program.code.as_bytes()) ^ cluster as u32
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(&program.filename), &program.code).unwrap();
    let commands: Vec<Vec<String>> = program
        .code
        .lines()
        .map(|l| l.trim_start_matches('#').trim())
        .filter(|l| l.starts_with("python -m bytewax.run") && l.contains(" -i ") == cluster)
        .map(words)
        .collect();
    assert!(!commands.is_empty(), "the program says how to run it:\n{}", program.code);
    // The program's ports (2101, 2102, …) become free ones here.
    let ports: Vec<u16> = commands.iter().map(|_| TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()).collect();
    let mut children: Vec<_> = commands
        .iter()
        .map(|words| {
            let args: Vec<String> = words[1..]
                .iter()
                .map(|w| {
                    ports.iter().enumerate().fold(w.clone(), |w, (i, port)| {
                        w.replace(
                            &format!("127.0.0.1:{}", crate::scenarios::wordcount::BYTEWAX_FIRST_PORT as usize + i),
                            &format!("127.0.0.1:{port}"),
                        )
                    })
                })
                .collect();
            Command::new(python)
                .args(&args)
                .current_dir(&dir)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let until = Instant::now() + Duration::from_secs(120);
    while children.iter_mut().any(|c| c.try_wait().unwrap().is_none()) {
        if Instant::now() > until {
            for c in &mut children {
                let _ = c.kill();
            }
            panic!("a Bytewax process did not end within 120 s: {commands:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let outputs = children
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().unwrap();
            let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout).to_string(), String::from_utf8_lossy(&out.stderr));
            assert!(out.status.success(), "a Bytewax process failed:\n{stdout}\n{stderr}");
            stdout
                .lines()
                // Bytewax's own notes ("worker 1:\terror connecting to worker 0: … retrying"
                // while the other process starts) are not counts: a word has no space.
                .filter(|l| !l.split('\t').next().unwrap_or("").contains(' '))
                .map(|l| {
                    let (word, n) = l.split_once('\t').unwrap_or_else(|| panic!("a line of counts: {l:?}"));
                    (word.to_string(), n.parse().unwrap_or_else(|e| panic!("{e}: {l:?} in\n{stdout}")))
                })
                .collect()
        })
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    outputs
}

fn bytewax_program(params: Value) -> super::PythonProgram {
    let p = plan(json!({"scenario": "wordcount", "model": "dataflow", "params": params}));
    let programs = super::programs(&p, "");
    let program = programs.iter().find(|p| p.title == "Bytewax").expect("the dataflow model offers Bytewax").clone();
    assert_eq!(program.filename, "wordcount_dataflow_bytewax.py");
    assert!(!program.code.contains("{{"), "every placeholder filled:\n{}", program.code);
    program
}

/// Every word once across the processes, with its count.
fn merged(outputs: Vec<Vec<(String, u64)>>) -> std::collections::BTreeMap<String, u64> {
    let mut all = std::collections::BTreeMap::new();
    for (word, n) in outputs.into_iter().flatten() {
        assert!(all.insert(word.clone(), n).is_none(), "{word} came from two workers: the exchange routes each word to one");
    }
    all
}

#[test]
fn the_bytewax_program_counts_the_headlines_on_a_cluster_of_two_processes() {
    let Some(python) = bytewax_python() else { return };
    let program = bytewax_program(json!({"procs": 2, "threads_per_proc": 2}));
    let outputs = run_bytewax(&python, &program, true);
    assert_eq!(outputs.len(), 2, "two processes");
    assert!(outputs.iter().all(|o| !o.is_empty()), "each process owns some words: {outputs:?}");
    let counts = merged(outputs);
    assert_eq!((counts.len(), counts.values().sum::<u64>()), (69, 79), "{counts:?}");
    // One process with two workers prints the same.
    assert_eq!(merged(run_bytewax(&python, &program, false)), counts);
}

#[test]
fn the_bytewax_program_counts_a_corpus_as_the_kernel_does() {
    let Some(python) = bytewax_python() else { return };
    let text =
        kernels::wordcount::generate(40_000, crate::scenarios::wordcount::CORPUS_SEED, &mut kernels::checkpoint::NoCheckpoint).unwrap();
    let kernel: std::collections::BTreeMap<String, u64> =
        kernels::wordcount::count(&text, &mut kernels::checkpoint::NoCheckpoint).unwrap().into_iter().collect();
    let program = bytewax_program(json!({"procs": 2, "threads_per_proc": 2, "text": text}));
    assert_eq!(merged(run_bytewax(&python, &program, true)), kernel);
}

#[test]
fn programs_are_listed_with_titles_and_file_names() {
    let p = plan(json!({"scenario": "wordcount", "model": "serial"}));
    let titles: Vec<_> = super::programs(&p, "").into_iter().map(|p| (p.title, p.filename)).collect();
    assert_eq!(titles, [("Standard library".to_string(), "wordcount_serial.py".to_string())]);
    let p = plan(json!({"scenario": "downloads", "model": "per-task"}));
    assert_eq!(super::programs(&p, "")[0].filename, "downloads_per_task.py");
    let p = plan(json!({"scenario": "wordcount", "model": "dataflow", "params": {"procs": 3, "threads_per_proc": 4}}));
    let programs = super::programs(&p, "");
    assert_eq!(programs.len(), 2);
    assert_eq!(programs[0].code, super::program(&p, ""));
    let bytewax = &programs[1].code;
    assert!(
        bytewax.contains("PARTS = 12") && bytewax.contains("-w 4 -i 2 -a \"127.0.0.1:2101;127.0.0.1:2102;127.0.0.1:2103\""),
        "{bytewax}"
    );
}
