//! Every program the page hands out, and the repository's own Python, reads
//! as a Python programmer writes it: `ruff check` (its default rules, which
//! include isort's order of imports, and every import at the top) finds
//! nothing and `ruff format` (Black's style) changes nothing.
use super::plan;
use crate::python::PythonProgram;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

/// ruff from the project's virtual environment (`PLAYGROUND_RUFF` names
/// another). None, with a note, where it is missing outside CI; in CI a
/// missing ruff fails.
fn ruff() -> Option<PathBuf> {
    let ruff = std::env::var_os("PLAYGROUND_RUFF")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/ruff"));
    if Command::new(&ruff).arg("--version").output().is_ok_and(|o| o.status.success()) {
        return Some(ruff);
    }
    let why = format!("ruff is not installed at {} (bash .ci/install.sh installs it)", ruff.display());
    assert!(std::env::var_os("CI").is_none(), "{why}");
    eprintln!("skipped: {why}");
    None
}

/// What ruff says about the Python files at `paths`: nothing where they
/// are lint-clean and formatted. Never a configuration file's rules: the
/// defaults, plus imports at the top and one a line (`E4`).
fn findings(ruff: &Path, paths: &[PathBuf]) -> String {
    let run = |args: &[&str]| {
        let out = Command::new(ruff).arg("--isolated").args(args).arg("--no-cache").args(paths).output().expect("ruff runs");
        let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
        if out.status.success() {
            String::new()
        } else {
            assert!(!text.trim().is_empty(), "ruff failed without a word: {args:?}");
            text
        }
    };
    run(&["check", "--extend-select", "E4", "--output-format", "concise"]) + &run(&["format", "--check", "--diff"])
}

/// The programs written to a folder of their own, each under its own name.
fn written(programs: &[PythonProgram], name: &str) -> (PathBuf, Vec<PathBuf>) {
    let dir = std::env::temp_dir().join(format!("playground-ruff-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let files = programs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let file = dir.join(format!("p{i:03}_{}", p.filename));
            std::fs::write(&file, &p.code).unwrap();
            file
        })
        .collect();
    (dir, files)
}

/// Every program the page hands out with a scenario's own parameters: each
/// scenario × model × start method (GIL on and off where threads run), the
/// pipeline's six variants, and the programs beside them (Dask, Bytewax).
fn every_program() -> Vec<PythonProgram> {
    let mut configs = Vec::new();
    for spec in crate::scenarios::specs() {
        for model in &spec.models {
            let starts: &[&str] = if model.starts_processes() { &["spawn", "forkserver"] } else { &["forkserver"] };
            let gils: &[&str] = if model.uses_threads() { &["on", "off"] } else { &["on"] };
            let variants: Vec<Value> = if spec.id == crate::scenarios::ScenarioId::Pipeline {
                (1..=6).map(|v| json!({"variant": v})).collect()
            } else {
                vec![json!({})]
            };
            for start in starts {
                for gil in gils {
                    for params in &variants {
                        configs.push(json!({"scenario": spec.id, "model": model, "start_method": start, "gil": gil, "params": params}));
                    }
                }
            }
        }
    }
    configs.into_iter().flat_map(|c| crate::python::programs(&plan(c), "https://example.org/playground/")).collect()
}

/// Parameters whose values fill in long or odd: lists past a line, text
/// with quotes, backslashes, control characters and wide characters.
fn programs_with_odd_values() -> Vec<PythonProgram> {
    let odd_text = "He said \"it's\" \\ done\n\ttab \u{1b} é 東京 \u{2028} '' end";
    let configs = [
        json!({"scenario": "primes", "model": "processes", "params": {"limits": (1..=16).map(|i| (i * 10_000).to_string()).collect::<Vec<_>>().join(",")}}),
        json!({"scenario": "primes", "model": "async", "params": {"limits": "100000,110000,120000,130000,140000,150000,160000,170000,180000,190000"}}),
        json!({"scenario": "downloads", "model": "batches", "params": {"preset": "images20", "latency_ms": 1234, "bandwidth_kbps": 5000}}),
        json!({"scenario": "downloads", "model": "async", "params": {"urls": "https://example.org/a\"b'c.txt https://example.org/東京.txt"}}),
        json!({"scenario": "downloads", "model": "per-task", "params": {"urls": format!("https://example.org/{}.txt", "x".repeat(120))}}),
        json!({"scenario": "pool-overhead", "model": "threads", "params": {"work": "square", "reuse": true}}),
        json!({"scenario": "pool-overhead", "model": "async", "params": {"work": "square"}}),
        json!({"scenario": "wordcount", "model": "dataflow", "params": {"text": odd_text}}),
        json!({"scenario": "wordcount", "model": "dataflow", "params": {"preset": "corpus", "procs": 8, "threads_per_proc": 8}}),
    ];
    configs.into_iter().flat_map(|c| crate::python::programs(&plan(c), "http://127.0.0.1:8080/it's/")).collect()
}

#[test]
fn every_program_the_page_hands_out_is_lint_clean_and_formatted() {
    let Some(ruff) = ruff() else { return };
    let mut programs = every_program();
    assert!(programs.len() >= 42, "every scenario × model × start method: {}", programs.len());
    for beside in ["Dask", "Bytewax"] {
        assert!(programs.iter().any(|p| p.title == beside), "the {beside} programs too");
    }
    programs.extend(programs_with_odd_values());
    let (dir, files) = written(&programs, "programs");
    let found = findings(&ruff, &files);
    assert!(found.is_empty(), "ruff on the programs in {}:\n{found}", dir.display());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_repository_python_is_lint_clean_and_formatted() {
    let Some(ruff) = ruff() else { return };
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests");
    let files: Vec<PathBuf> =
        std::fs::read_dir(&tests).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "py")).collect();
    assert!(!files.is_empty(), "tests/*.py");
    let found = findings(&ruff, &files);
    assert!(found.is_empty(), "ruff on tests/*.py:\n{found}");
}

/// The check can fail: a program that imports below its code, imports a
/// name it never uses and is laid out by hand has findings of each kind.
#[test]
fn ruff_finds_what_the_programs_must_not_have() {
    let Some(ruff) = ruff() else { return };
    let bad = PythonProgram {
        title: "bad".into(),
        kind: crate::python::ProgramKind::StandardLibrary,
        filename: "bad.py".into(),
        code: "import time\nX = [1,2]\nimport sys\nprint(X)\n".into(),
    };
    let (dir, files) = written(&[bad], "bad");
    let found = findings(&ruff, &files);
    for expected in ["E402", "F401", "would be reformatted"] {
        assert!(found.contains(expected), "{expected} in:\n{found}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
